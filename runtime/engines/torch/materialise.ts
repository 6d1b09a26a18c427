/**
 * A synthetic set as a raw file of N x S x S x 3 bytes (HWC, image i at i·S·S·3): what the torch
 * worker reads. The same generator that feeds the tfjs engine makes the images, so both engines
 * train on the same pixels. Written once per folder (named by the generator's parameters) and
 * atomically: a killed run never leaves a half-written file under the final name.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../../core/fs/write-atomic.js";
import { ImageProvider, type SourceSpec } from "../../data/source.js";
import { DataError } from "../../data/errors.js";

export async function materialisePixels(source: Extract<SourceSpec, { kind: "synthetic" }>, dir: string, signal?: AbortSignal): Promise<{ kind: "pixels"; file: string; count: number; size: number }> {
  const p = source.params;
  const count = p.images, size = p.size;
  const name = createHash("sha256").update(JSON.stringify(p)).digest("hex").slice(0, 16);
  const file = path.join(dir, `synthetic-${name}.u8`);
  const bytes = count * size * size * 3;
  if (existsSync(file) && statSync(file).size === bytes) return { kind: "pixels", file, count, size };
  if (bytes > 8 * 2 ** 30) throw new DataError("bad-options", `materialising ${count} synthetic images of ${size} px for the torch engine would take ${(bytes / 2 ** 30).toFixed(1)} GiB; use fewer images or the tfjs engine`);
  const out = Buffer.allocUnsafe(bytes);
  const provider = new ImageProvider(source, 0);
  const per = size * size * 3;
  for (let i = 0; i < count; i++) {
    if (signal?.aborted) throw Object.assign(new Error("cancelled"), { name: "AbortError" });
    const img = await provider.load(i);
    if (img.width !== size || img.height !== size) throw new DataError("bad-options", `synthetic image ${i} is ${img.width}x${img.height}, expected ${size}x${size}`);
    out.set(img.data, i * per);
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, out);
  return { kind: "pixels", file, count, size };
}
