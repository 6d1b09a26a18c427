/** Every constructor, by name. */
import type { ConstructorDef, DeclKind } from "./desc.js";
import { copyDetectionSet, imageFolder, manifest, synthetic } from "./constructors/datasets.js";
import { copyDetection, fairness, knn, linearProbe, pca, robustness } from "./constructors/evals.js";
import { regnet } from "./constructors/model.js";
import { suite, table } from "./constructors/suite.js";
import { constant, cosine, crop, lars, mlp, multistep, sgd, swav } from "./constructors/swav.js";

const all: ConstructorDef[] = [
  synthetic, imageFolder, manifest, copyDetectionSet,
  regnet,
  swav, crop, mlp, lars, sgd, cosine, multistep, constant,
  linearProbe, knn, fairness, robustness, copyDetection, pca,
  suite, table,
];

export const CONSTRUCTORS: ReadonlyMap<string, ConstructorDef> = new Map(all.map((c) => [c.name, c]));

/** The constructor a base-less declaration of this kind gets implicitly. */
export const IMPLICIT_CONSTRUCTOR: Partial<Record<DeclKind, string>> = { suite: "suite" };

export function constructorsMaking(kind: DeclKind): string[] {
  return all.filter((c) => c.makes === kind).map((c) => c.name);
}
