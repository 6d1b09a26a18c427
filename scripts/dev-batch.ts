// Debug: write the first images of a loader batch (as the network receives them) to a PNG.
import { writeFileSync } from "node:fs";
import { IMAGENET_MEAN, IMAGENET_STD } from "../runtime/data/augment.js";
import { DataLoader } from "../runtime/data/loader.js";
import { syntheticSource } from "../runtime/data/source.js";
import { encodePng } from "../runtime/data/image.js";

const params = { kind: "shapes" as const, images: 64, size: 32, classes: 10, groups: 1, shift: 0, seed: 1 };
const loader = await DataLoader.create({ source: syntheticSource(params), batch: 16, seed: 0, transform: { kind: "multicrop", crops: [{ count: 2, size: 32, scale: [0.3, 1] }] }, workers: 1 });
const b = await loader.batchAt(0, 0);
await loader.close();
const mean = IMAGENET_MEAN, std = IMAGENET_STD;
const S = 32, N = 8;
// Row 0: crop 0 of images 0..7; row 1: crop 1 of the same images (NHWC, group-major).
const out = new Uint8Array(2 * S * N * S * 3);
for (let c = 0; c < 2; c++) for (let i = 0; i < N; i++) for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let k = 0; k < 3; k++) {
  const v = b.crops[0]![(((c * b.size + i) * S + y) * S + x) * 3 + k]! * std[k]! + mean[k]!;
  out[((c * S + y) * (N * S) + i * S + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(v * 255)));
}
writeFileSync("/tmp/batch.png", await encodePng({ data: out, width: N * S, height: 2 * S } as never));
console.log("labels", Array.from(b.labels.subarray(0, N)));
process.exit(0);
