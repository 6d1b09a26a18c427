/** Dataset rules and facts: splits, attributes, labels. */
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { CheckedDecl } from "../checker.js";
import { isObject, pointer } from "../../../core/json.js";
import type { DeclFacts } from "./index.js";
import { asQuantity, fmt, spanAt } from "./util.js";

export function datasetFacts(d: CheckedDecl): DeclFacts {
  const v = d.value;
  const splits = isObject(v["splits"]) ? Object.keys(v["splits"]) : [];
  let attributes: string[] = [];
  let labelled = true;
  if (d.ctor.name === "synthetic") attributes = Number(v["groups"] ?? 1) >= 2 ? ["group"] : [];
  if (d.ctor.name === "manifest") {
    attributes = Array.isArray(v["attributes"]) ? v["attributes"].filter((a): a is string => typeof a === "string") : [];
    labelled = v["label"] !== null;
  }
  if (d.ctor.name === "image_folder") labelled = v["labels"] !== null;
  if (d.ctor.name === "copy_detection_set") labelled = false;
  return { splits: new Set(splits), attributes: new Set(attributes), labelled };
}

export function datasetRules(d: CheckedDecl): Diagnostic[] {
  const out: Diagnostic[] = [];
  const splits = d.value["splits"];
  if (!isObject(splits)) return out;
  const entries = Object.entries(splits);
  const percents = entries.map(([, s]) => asQuantity(s)).filter((q) => q !== undefined);
  if (percents.length > 0 && percents.length < entries.length) {
    const [name] = entries.find(([, s]) => typeof s === "string") ?? [""];
    out.push(diag("TypeMismatch", spanAt(d, pointer("/splits", name)), { field: name, expected: "a percentage like the other splits", found: "a string" }, { path: [d.info.name, "splits", name] }));
    return out;
  }
  if (d.ctor.name === "synthetic" && percents.length === 0 && entries.length > 0) {
    const [name] = entries[0]!;
    out.push(diag("TypeMismatch", spanAt(d, pointer("/splits", name)), { field: name, expected: "a percentage (a generated dataset has no folders)", found: "a string" }, { path: [d.info.name, "splits", name] }));
    return out;
  }
  if (percents.length === entries.length && entries.length > 0) {
    const sum = percents.reduce((a, q) => a + q.value, 0);
    if (Math.abs(sum - 100) > 1e-9) out.push(diag("SplitsSum", spanAt(d, "/splits"), { sum: fmt(sum) }, { path: [d.info.name, "splits"] }));
  }
  return out;
}
