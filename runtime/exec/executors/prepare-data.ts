/** `prepare-data`: opens the dataset (a missing root or an empty folder fails here, before any training) and records its summary and fingerprint. */
import path from "node:path";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { stageOf, type StageContext } from "./context.js";
import { sourceLength } from "../../data/source.js";
import { describeLinks } from "../../data/links.js";
import { rootOf, type OpenedDataset } from "../../data/open.js";
import { dataStageRef, openRef, type DatasetSummary } from "./data-ref.js";

export async function prepareData(ctx: StageContext): Promise<void> {
  const ds = await openRef(dataStageRef(ctx.baseDir, stageOf(ctx, "prepare-data")));
  const reported = { skipped: skippedOf(ds), links: ds.report.links.map((l) => ({ path: l.path, target: l.target, reason: l.reason })) };
  const summary: DatasetSummary =
    ds.kind === "copy_detection_set"
      ? { constructor: ds.kind, fingerprint: ds.fingerprint.value, images: 0, classes: null, splits: {}, ...reported }
      : {
          constructor: ds.kind,
          fingerprint: ds.fingerprint.value,
          images: sourceLength(ds.source),
          classes: ds.classes ? [...ds.classes] : null,
          splits: Object.fromEntries(Object.entries(ds.splits ?? {}).map(([k, v]) => [k, v.length])),
          ...reported,
        };
  const notes = describeLinks(ds.report.links, rootOf(ds) ?? ctx.baseDir, 5);
  if (notes.length > 0) ctx.log(`warning: ${ds.report.links.length} symbolic link(s) not followed: ${notes.join("; ")}`);
  if (summary.skipped.length > 0) ctx.log(`skipped ${summary.skipped.length} unreadable image(s): ${summary.skipped.slice(0, 5).map((s) => s.path).join(", ")}${summary.skipped.length > 5 ? ", ..." : ""}`);
  writeFileAtomic(path.join(ctx.out, "dataset.json"), `${JSON.stringify(summary, null, 2)}\n`);
}

function skippedOf(ds: OpenedDataset): DatasetSummary["skipped"] {
  return ds.report.problems.map((p) => ({ path: p.path, reason: p.detail ? `${p.reason}: ${p.detail}` : p.reason }));
}
