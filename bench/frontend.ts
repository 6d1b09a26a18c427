/**
 * Front-end throughput: parse + resolve + check a generated 10 000-line recipe set, versus
 * the `yaml` package parsing a YAML document of the same content, in the same process.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { compile } from "../compiler/compile.js";
import { median, timeIt } from "./stats.js";

interface Generated {
  dir: string;
  files: string[];
  seerBytes: number;
  yaml: string;
  lines: number;
}

/** One block of declarations (about 50 lines) in seer and in equivalent YAML. */
function block(i: number): { seer: string; yaml: string } {
  const seer = `dataset data_${i} = synthetic {
  kind    = shapes
  images  = ${1 + (i % 9)}K
  size    = 32px
  classes = 10
  groups  = 4
  splits { train = 80%  test = 20% }
  seed    = ${i}
}

model trunk_${i} = regnet {
  family      = Y
  depth       = ${6 + (i % 10)}
  w0          = ${16 + 8 * (i % 4)}
  wa          = 12.0
  wm          = 1.8
  group_width = 8
}

pretrain swav_${i} = swav {
  model = trunk_${i}
  data  = data_${i}.train
  crops = [
    crop { count = 2  size = 32px  scale = 0.3..1.0 },
    crop { count = 2  size = 16px  scale = 0.1..0.3 },
  ]
  head        = mlp { dims = [128, 64]  batch_norm = true }
  prototypes  = 64
  temperature = 0.1
  sinkhorn { iterations = 3  epsilon = 0.05 }
  optimizer = lars { lr = 0.6 per 256 images  momentum = 0.9  weight_decay = 1e-6 }
  schedule  = cosine { warmup = 1 epoch  final_factor = 0.001 }
  batch     = 128 images
  duration  = 6 epochs
  checkpoint { every = 1 epoch }
}

eval linear_${i} = linear_probe {
  train  = data_${i}.train
  test   = data_${i}.test
  epochs = 20 epochs
}

suite suite_${i} {
  features = [swav_${i}.pool, random_init(trunk_${i}).pool]
  evals    = [linear_${i}]
}

`;
  const yaml = `data_${i}:
  kind: dataset
  constructor: synthetic
  kind_: shapes
  images: ${1 + (i % 9)}000
  size: 32px
  classes: 10
  groups: 4
  splits: {train: 80%, test: 20%}
  seed: ${i}
trunk_${i}:
  kind: model
  constructor: regnet
  family: Y
  depth: ${6 + (i % 10)}
  w0: ${16 + 8 * (i % 4)}
  wa: 12.0
  wm: 1.8
  group_width: 8
swav_${i}:
  kind: pretrain
  constructor: swav
  model: trunk_${i}
  data: data_${i}.train
  crops:
    - {count: 2, size: 32px, scale: [0.3, 1.0]}
    - {count: 2, size: 16px, scale: [0.1, 0.3]}
  head: {dims: [128, 64], batch_norm: true}
  prototypes: 64
  temperature: 0.1
  sinkhorn: {iterations: 3, epsilon: 0.05}
  optimizer: {type: lars, lr: 0.6, lr_per: 256, momentum: 0.9, weight_decay: 1.0e-6}
  schedule: {type: cosine, warmup: 1 epoch, final_factor: 0.001}
  batch: 128
  duration: 6 epochs
  checkpoint: {every: 1 epoch}
linear_${i}:
  kind: eval
  constructor: linear_probe
  train: data_${i}.train
  test: data_${i}.test
  epochs: 20
suite_${i}:
  kind: suite
  features: [swav_${i}.pool, random_init(trunk_${i}).pool]
  evals: [linear_${i}]
`;
  return { seer, yaml };
}

export function generate(targetLines = 10_000, filesCount = 10): Generated {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-bench-"));
  const perFile: string[][] = Array.from({ length: filesCount }, () => []);
  let yaml = "";
  let lines = 0;
  let i = 0;
  while (lines < targetLines) {
    const b = block(i);
    perFile[i % filesCount]!.push(b.seer);
    yaml += b.yaml;
    lines += b.seer.split("\n").length - 1;
    i++;
  }
  const files: string[] = [];
  let seerBytes = 0;
  perFile.forEach((blocks, k) => {
    const f = path.join(dir, `part-${k}.seer`);
    const text = blocks.join("");
    seerBytes += Buffer.byteLength(text);
    writeFileSync(f, text);
    files.push(f);
  });
  return { dir, files, seerBytes, yaml, lines };
}

export function benchFrontend(runs = 7): Record<string, number> {
  const g = generate();
  const yamlBytes = Buffer.byteLength(g.yaml);
  // Warm up both (JIT), then measure.
  compile(g.files, { cwd: g.dir });
  parseYaml(g.yaml);
  const seerMs = median(timeIt(runs, () => {
    const c = compile(g.files, { cwd: g.dir });
    if (c.diagnostics.length > 0) throw new Error(`generated recipes do not check: ${c.diagnostics[0]!.message}`);
  }));
  const yamlMs = median(timeIt(runs, () => parseYaml(g.yaml)));
  const seerRate = g.seerBytes / seerMs / 1000; // MB/s
  const yamlRate = yamlBytes / yamlMs / 1000;
  return { lines: g.lines, seerBytes: g.seerBytes, yamlBytes, seerMs, yamlMs, seerMBps: seerRate, yamlMBps: yamlRate, ratio: seerRate / yamlRate };
}
