/** A checked dataset declaration -> its `prepare-data` spec. */
import type { DatasetSpec, SplitSpec } from "../../contract/specs.js";
import { isObject, type Json, type JsonObject } from "../../core/json.js";
import { bool, LoweringError, num, optNum, optStr, str, strings } from "./units.js";

/** Parts in declaration order: `80%` -> a fraction, `"train"` -> a sub-folder or split-column value. */
function splits(v: Json | undefined): SplitSpec[] | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new LoweringError("splits is not a map");
  return Object.entries(v).map(([name, part]): SplitSpec => (typeof part === "string" ? { name, folder: part } : { name, fraction: num(part, `splits.${name}`) / 100 }));
}

export function datasetSpec(name: string, dir: string, ctor: string, f: JsonObject): DatasetSpec {
  const common = { name, dir };
  switch (ctor) {
    case "synthetic":
      return {
        ...common, kind: "synthetic", attributes: ["group"], generator: "shapes",
        images: num(f["images"], "images"), size: num(f["size"], "size"), classes: num(f["classes"], "classes"), groups: num(f["groups"], "groups"),
        shift: num(f["shift"], "shift"), seed: num(f["seed"], "seed"), splits: splits(f["splits"]),
      };
    case "image_folder":
      return {
        ...common, kind: "image_folder", attributes: [], root: str(f["root"], "root"), labels: f["labels"] === null ? null : "folders",
        classes: optNum(f["classes"], "classes"), splits: splits(f["splits"]), content_hash: bool(f["content_hash"], "content_hash"),
        images: optNum(f["images"], "images"),
      };
    case "manifest":
      return {
        ...common, kind: "manifest", attributes: strings(f["attributes"], "attributes"), file: str(f["file"], "file"), root: optStr(f["root"], "root"),
        image: str(f["image"], "image"), label: optStr(f["label"], "label"), classes: optNum(f["classes"], "classes"), splits: splits(f["splits"]),
        content_hash: bool(f["content_hash"], "content_hash"), images: optNum(f["images"], "images"),
      };
    case "copy_detection_set":
      return {
        ...common, kind: "copy_detection_set", attributes: [], root: str(f["root"], "root"), queries: str(f["queries"], "queries"), database: str(f["database"], "database"),
        distractors: optStr(f["distractors"], "distractors"), ground_truth: optStr(f["ground_truth"], "ground_truth"), content_hash: bool(f["content_hash"], "content_hash"),
      };
    default:
      throw new LoweringError(`unknown dataset constructor ${ctor}`);
  }
}
