/**
 * `seer reproduce --data NAME=PATH`: a dataset read from another place than the recipe says.
 * The data stage's spec names PATH (absolute) instead of the recipe's root or manifest file;
 * everything else about the dataset (splits, labels, columns) stays as recorded.
 */
import path from "node:path";
import type { DatasetSpec } from "../../../contract/specs.js";
import { isKind, type ExecGraph } from "../../../contract/graph.js";
import { UsageError } from "../errors.js";

function moved(spec: DatasetSpec, to: string, dataDir: string): DatasetSpec {
  switch (spec.kind) {
    case "synthetic":
      throw new UsageError(`\`--data ${spec.name}=...\`: ${spec.name} is a synthetic dataset; seer generates it, there is nothing to point at.`);
    case "image_folder":
    case "copy_detection_set":
      return { ...spec, root: to };
    case "manifest": {
      // Image paths stay relative to the manifest's folder, or to the recipe's `root` where it gave one.
      const root = spec.root === null ? null : path.resolve(dataDir, ...spec.dir.split("/").filter(Boolean), spec.root);
      return { ...spec, file: to, root };
    }
  }
}

export function relocateData(graph: ExecGraph, paths: ReadonlyMap<string, string>, dataDir: string): ExecGraph {
  const names = graph.stages.flatMap((s) => (isKind(s, "prepare-data") ? [s.spec.name] : []));
  for (const name of paths.keys()) {
    if (!names.includes(name)) throw new UsageError(`\`--data ${name}=...\`: the recipe has no dataset named ${name}.`, `datasets: ${names.join(", ")}`);
  }
  return {
    ...graph,
    stages: graph.stages.map((s) => {
      if (!isKind(s, "prepare-data")) return s;
      const to = paths.get(s.spec.name);
      return to === undefined ? s : { ...s, spec: moved(s.spec, path.resolve(to), dataDir) };
    }),
  };
}
