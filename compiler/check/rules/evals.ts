/** Evaluation rules: labels, splits, fairness attributes, robustness class spaces, copy-detection sets. */
import { diag, type Diagnostic } from "../../../core/diagnostics/diagnostic.js";
import { capList, orList } from "../../../core/diagnostics/suggest.js";
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
  const first = facts.splits?.values().next().value;
  if (r.k === "decl" && facts.splits && first !== undefined) {
    const splits = capList(facts.splits).join(", ");
    return [diag("TestSplitUnknown", spanAt(d, ptr), { dataset: ds.name, splits, first }, { path: [d.info.name, ...ptr.split("/").filter(Boolean)] })];
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
  // A declared probe's own test set is that probe's business; this eval's test set (its own, or its inline probe's) is this one's.
  if (own || probe.prefix) pushAll(out, classesRule(d, own ? "/test" : "/probe/test", probe, checker, "accept"));
  const ds = datasetOf(testRef);
  const checked = ds ? checker.ensure(ds) : undefined;
  if (!ds || !checked) return out;
  const attrs = checked.facts.attributes ?? new Set<string>();
  const groupBy = Array.isArray(d.value["group_by"]) ? d.value["group_by"] : [];
  groupBy.forEach((g, i) => {
    if (typeof g !== "string" || attrs.has(g)) return;
    const help = [checker.hints.didYouMean(d.info.module.display, g, () => attrs), attributesHelp(ds.name, checked.ctor.name, attrs)].filter(Boolean).join(" ");
    out.push(diag("UnknownGroupAttribute", spanAt(d, `/group_by/${i}`), { name: g, dataset: ds.name }, { path: [d.info.name, "group_by", String(i)], help }));
  });
  return out;
}

/** What attributes a dataset has, and where attributes come from when it has none. */
function attributesHelp(name: string, ctor: string, attrs: ReadonlySet<string>): string {
  if (attrs.size > 0) return `\`${name}\` has the attribute${attrs.size > 1 ? "s" : ""} ${orList(capList(attrs), "and")}`;
  if (ctor === "synthetic") return `\`${name}\` has no attributes: a \`synthetic\` dataset has \`group\` when \`groups\` is 2 or more`;
  if (ctor === "manifest") return `\`${name}\` has no attributes: list the manifest's attribute columns in its \`attributes\``;
  return `\`${name}\` has no attributes: only \`manifest\` (its \`attributes\`) and \`synthetic\` (\`group\`) datasets have any`;
}

function robustnessRules(d: CheckedDecl, checker: Checker): Diagnostic[] {
  const probe = probeView(d, checker);
  if (!probe) return [];
  const out: Diagnostic[] = [];
  const tests = Array.isArray(d.value["tests"]) ? d.value["tests"] : [];
  tests.forEach((_, i) => pushAll(out, classesRule(d, `/tests/${i}`, probe, checker, "refuse")));
  return out;
}

/**
 * The test set at `ptr` of `d` must have the classes of the probe's training set. A robustness
 * test must show it (`unknown` is refused); a fairness test set is refused only when its classes
 * are known to differ, because its labels may be the probe's class indices (a manifest's integer
 * labels), which only reading it shows.
 */
function classesRule(d: CheckedDecl, ptr: string, probe: ProbeView, checker: Checker, unknown: "refuse" | "accept"): Diagnostic[] {
  const train = datasetOf(probe.owner.refs.get(`${probe.prefix}/train`));
  const test = datasetOf(d.refs.get(ptr));
  if (!train || !test) return [];
  const relation = classRelation(test, train, checker);
  if (relation === "same" || (relation === "unknown" && unknown === "accept")) return [];
  return [diag("ClassesMismatch", spanAt(d, ptr), { test: test.name, train: train.name }, { path: [d.info.name, ...ptr.split("/").filter(Boolean)] })];
}

/**
 * Whether a test set has a training set's classes: `same` when it is the same dataset, derived
 * from the same root, declared `subset_of` it, or both declare the same `classes`; `other` when
 * both declare `classes` and they differ; otherwise `unknown` (a folder's or manifest's classes
 * are only known once it is read).
 */
function classRelation(test: DeclInfo, train: DeclInfo, checker: Checker): "same" | "other" | "unknown" {
  const t = checker.ensure(test);
  const tr = checker.ensure(train);
  if (!t || !tr) return "same";
  const lineage = (c: CheckedDecl) => [c.info, ...c.bases];
  const trainLine = lineage(tr);
  if (lineage(t).some((x) => trainLine.includes(x))) return "same";
  const subset = t.refs.get("/subset_of");
  if (subset?.k === "decl" && trainLine.includes(subset.decl)) return "same";
  const tc = t.value["classes"];
  const trc = tr.value["classes"];
  if (typeof tc !== "number" || typeof trc !== "number") return "unknown";
  return tc === trc ? "same" : "other";
}
