/**
 * `seer data scan PATH [--json]`: counts, classes, sizes, formats, colour, bit depth, unusable
 * files by reason, exact duplicates and links not followed in an image folder, or in the files
 * a manifest lists (runtime/data/scan.ts).
 * Progress goes to stderr, a line a second once a scan has taken a second; Ctrl-C stops it (exit 130).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { printable } from "../../../core/diagnostics/printable.js";
import { DataError } from "../../../runtime/data/errors.js";
import { describeLinks } from "../../../runtime/data/links.js";
import { ScanCancelled, scanFolder, scanManifestFile, type ScanResult, type Spread } from "../../../runtime/data/scan.js";
import { EXIT } from "../errors.js";

export interface DataScanOptions {
  readonly json?: boolean;
}

const stamp = (): string => new Date().toISOString().slice(11, 19);
const err = (s: string): boolean => process.stderr.write(`${printable(s)}\n`);

function bytesText(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  let v = n;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const tally = (r: Readonly<Record<string, number>>, label = (k: string) => k): string => Object.entries(r).map(([k, n]) => `${label(k)} ${n}`).join(", ") || "none";
const spreadText = (s: Spread): string => `${s.min} / ${s.median} / ${s.max}`;

/** The readable summary (what `--json` says, in words). */
export function scanText(r: ScanResult): string {
  const out: string[] = [`Scanned ${r.manifest ?? r.root} in ${r.seconds.toFixed(2)} s`];
  out.push(`  files       ${r.files} (${bytesText(r.bytes)}): ${plural(r.images, "image")} decode, ${plural(r.problems.count, "file")} unusable`);
  const unl = r.unlabelled > 0 ? `; ${plural(r.unlabelled, "image")} outside a class folder` : "";
  out.push(`  classes     ${r.classes.count}${r.classes.count > 0 ? `: ${tally(r.classes.images)}` : ""}${unl}`);
  if (r.sizes) out.push(`  width       ${spreadText(r.sizes.width)} px (min / median / max)`, `  height      ${spreadText(r.sizes.height)} px (min / median / max)`);
  out.push(`  formats     ${tally(r.formats)}`, `  colour      ${tally(r.colour)}`, `  bit depth   ${tally(r.bit_depth, (k) => `${k}-bit`)}`);
  for (const [reason, g] of Object.entries(r.problems.reasons)) {
    out.push(`Unusable: ${reason} (${g.count})`);
    for (const f of g.files) out.push(`  ${f.path}: ${f.detail}`);
    if (g.count > g.files.length) out.push(`  ... and ${g.count - g.files.length} more`);
  }
  const d = r.duplicates;
  out.push(`Duplicates: ${plural(d.groups, "group")} of byte-identical files${d.groups > 0 ? ` (${d.files} files, ${bytesText(d.extra_bytes)} in copies)` : ""}`);
  for (const g of d.list) out.push(`  ${g.join(" = ")}`);
  if (d.groups > d.list.length) out.push(`  ... and ${d.groups - d.list.length} more groups`);
  if (r.links.length > 0) {
    out.push(`Symbolic links not followed (${r.links.length}):`);
    const abs = r.links.map((l) => ({ path: path.resolve(r.root, l.path), target: l.target, reason: l.reason, readAs: path.resolve(r.root, l.read_as) }));
    for (const l of describeLinks(abs, r.root, 100)) out.push(`  ${l}`);
  }
  return `${out.join("\n")}\n`;
}

export async function runDataScan(target: string, o: DataScanOptions): Promise<number> {
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  let last = performance.now();
  let shown = false;
  const onProgress = (done: number, total: number): void => {
    const now = performance.now();
    if (now - last < 1000 && done < total) return;
    if (done === total && !shown) return;
    last = now;
    shown = true;
    err(`[${stamp()}] data scan: ${done} of ${total} files (${Math.floor((done / total) * 100)}%)`);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const isFile = (await stat(target).catch(() => null))?.isFile() === true;
    const r = await (isFile ? scanManifestFile : scanFolder)(target, { signal: abort.signal, onProgress });
    process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : printable(scanText(r)));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ScanCancelled) {
      err(`seer: data scan ${e.message}`);
      return EXIT.cancelled;
    }
    if (e instanceof DataError) {
      err(`seer: ${e.message}`);
      return EXIT.runtime;
    }
    throw e;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
