/** Evaluation rules: labels, splits, fairness attributes, robustness class spaces, copy-detection sets. */
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import type { DeclInfo } from "../../resolve/scope.js";
import type { CheckedDecl, Checker } from "../checker.js";
import { isObject, type JsonObject } from "../../../core/json.js";
import type { Resolved } from "../resolved.js";
import { scheduleRules } from "./swav.js";
import { asQuantity, spanAt } from "./util.js";
import { pushAll } from "../../../core/arrays.js";

/** A probe as seen from an eval: its value and where its references live. */
interface ProbeView {
  value: JsonObject;
  owner: CheckedDecl;
  prefix: string;
}

export function evalRules(d: CheckedDecl, checker: Checker): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = d.ctor.name;
  if (name === "linear_probe" || name === "knn") {
    for (const f of ["train", "test"]) pushAll(out, labelledSplit(d, `/${f}`, f, checker));
    const epochs = asQuantity(d.value["epochs"]);
    if (name === "linear_probe" && epochs) pushAll(out, scheduleRules(d, d.value["schedule"], "/schedule", epochs));
  }
  if (name === "fairness") pushAll(out, fairnessRules(d, checker));
  if (name === "robustness") pushAll(out, robustnessRules(d, checker));
  if (name === "copy_detection") pushAll(out, copySetRule(d, checker));
  return out;
}

function copySetRule(d: CheckedDecl, checker: Checker): Diagnostic[] {
  const ds = datasetOf(d.refs.get("/data"));
  const ctor = ds ? checker.ensure(ds)?.ctor.name : undefined;
  if (!ds || !ctor || ctor === "copy_detection_set") return [];
  return [diag("NeedsCopyDetectionSet", spanAt(d, "/data"), { dataset: ds.name, ctor }, { path: [d.info.name, "data"] })];
}

function datasetOf(r: Resolved | undefined): DeclInfo | undefined {
  if (!r) return undefined;
  if (r.k === "split" || (r.k === "decl" && r.decl.kind === "dataset")) return r.decl;
  return undefined;
}

function labelledSplit(d: CheckedDecl, ptr: string, field: string, checker: Checker): Diagnostic[] {
  const r = d.refs.get(ptr);
  const ds = datasetOf(r);
  if (!r || !ds) return [];
  const facts = checker.ensure(ds)?.facts;
  if (!facts) return [];
  if (facts.labelled === false) return [diag("NeedsLabels", spanAt(d, ptr), { dataset: ds.name, field }, { path: [d.info.name, ...ptr.split("/").filter(Boolean)] })];
  if (r.k === "decl" && facts.splits && facts.splits.length > 0) {
    const splits = facts.splits.map((s) => `\`${s}\``).join(", ");
    return [diag("TestSplitUnknown", spanAt(d, ptr), { dataset: ds.name, splits, first: facts.splits[0]! }, { path: [d.info.name, ...ptr.split("/").filter(Boolean)] })];
  }
  return [];
}

function probeView(d: CheckedDecl, checker: Checker): ProbeView | undefined {
  const r = d.refs.get("/probe");
  if (r?.k === "decl") {
    const target = checker.ensure(r.decl);
    return target ? { value: target.value, owner: target, prefix: "" } : undefined;
  }
  const inline = d.value["probe"];
  return isObject(inline) ? { value: inline, owner: d, prefix: "/probe" } : undefined;
}

function fairnessRules(d: CheckedDecl, checker: Checker): Diagnostic[] {
  const probe = probeView(d, checker);
  if (!probe) return [];
  const out: Diagnostic[] = [];
  if (probe.prefix) pushAll(out, labelledSplit(d, "/probe/train", "train", checker));
  const own = d.refs.get("/test");
  const testRef = own ?? probe.owner.refs.get(`${probe.prefix}/test`);
  if (!testRef) {
    out.push(diag("NeedsTestSet", d.info.ast.name.span, { name: d.info.name }, { path: [d.info.name, "test"] }));
    return out;
  }
  const ds = datasetOf(testRef);
  const facts = ds ? checker.ensure(ds)?.facts : undefined;
  if (!ds || !facts) return out;
  const groupBy = Array.isArray(d.value["group_by"]) ? d.value["group_by"] : [];
  groupBy.forEach((g, i) => {
    if (typeof g !== "string" || (facts.attributes ?? []).includes(g)) return;
    const attrs = facts.attributes ?? [];
    const help = attrs.length > 0 ? `its attributes are ${attrs.map((a) => `\`${a}\``).join(", ")}` : `\`${ds.name}\` has no attributes`;
    out.push(diag("UnknownGroupAttribute", spanAt(d, `/group_by/${i}`), { name: g, dataset: ds.name }, { path: [d.info.name, "group_by", String(i)], help }));
  });
  return out;
}

function robustnessRules(d: CheckedDecl, checker: Checker): Diagnostic[] {
  const probe = probeView(d, checker);
  if (!probe) return [];
  const train = datasetOf(probe.owner.refs.get(`${probe.prefix}/train`));
  if (!train) return [];
  const out: Diagnostic[] = [];
  const tests = Array.isArray(d.value["tests"]) ? d.value["tests"] : [];
  tests.forEach((_, i) => {
    const test = datasetOf(d.refs.get(`/tests/${i}`));
    if (test && !sharesClasses(test, train, checker)) {
      out.push(diag("ClassesMismatch", spanAt(d, `/tests/${i}`), { test: test.name, train: train.name }, { path: [d.info.name, "tests", String(i)] }));
    }
  });
  return out;
}

/** Same dataset, derived from the same root, declared `subset_of`, or equal `classes`. */
function sharesClasses(test: DeclInfo, train: DeclInfo, checker: Checker): boolean {
  const t = checker.ensure(test);
  const tr = checker.ensure(train);
  if (!t || !tr) return true;
  const lineage = (c: CheckedDecl) => [c.info, ...c.bases];
  const trainLine = lineage(tr);
  if (lineage(t).some((x) => trainLine.includes(x))) return true;
  const subset = t.refs.get("/subset_of");
  if (subset?.k === "decl" && trainLine.includes(subset.decl)) return true;
  const tc = t.value["classes"];
  const trc = tr.value["classes"];
  return typeof tc === "number" && tc === trc;
}
