/**
 * The PyTorch engine's RegNet trunk (engines/torch/seer_torch/regnet.py) against `seer explain`
 * for every preset of recipes/std/regnet.seer, and against the tfjs trunk tensor by tensor.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ModelSpec } from "../../contract/specs.js";
import { modelSpecFromParams } from "../../compiler/regnet/model-spec.js";
import { REGNET_PRESET_NAMES, toIdentifier } from "../../compiler/regnet/names.js";
import { selectBackend } from "../../runtime/backend/select.js";
import { encodeCheckpoint } from "../../runtime/train/checkpoint.js";
import { loadTrunkWeights, trunkSnapshot } from "../../runtime/train/weights.js";
import { normalValues } from "../../runtime/tfjs/init.js";
import { archFromSpec, type TapName } from "../../runtime/tfjs/regnet-arch.js";
import { buildRegNet, type RegNet } from "../../runtime/tfjs/regnet.js";
import type { Tensor4D, Tf } from "../../runtime/tfjs/tf.js";
import { ROOT, SEER_BIN } from "../helpers/paths.js";
import { relMaxError } from "../helpers/ssl-tf.js";
import { needTorch, selftest } from "../helpers/torch.js";

const run = promisify(execFile);

interface Explained {
  name: string;
  family: "X" | "Y";
  trunk_params: number;
  spec: { depth: number; w0: number; wa: number; wm: number; group_width: number; bottleneck: number; se_ratio: number | null; stem_width: number };
  stages: { depth: number; width: number; group_width: number; bottleneck_width: number }[];
}

interface ParamsOut {
  models: { name: string; params: number; tensors?: Record<string, number[]> }[];
}

/** `seer explain --preset NAME --format json`, the CLI as a user runs it. */
async function explain(name: string): Promise<Explained> {
  const { stdout } = await run(process.execPath, [SEER_BIN, "explain", "--preset", name, "--format", "json"], { cwd: ROOT, timeout: 120_000 });
  return JSON.parse(stdout) as Explained;
}

/** Runs `f` over `items`, `width` at a time, results in order. */
async function pool<T, R>(items: readonly T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

/** Every preset of recipes/std/regnet.seer with what `seer explain` reports and its contract ModelSpec (the compiler's expansion). */
let presets: Promise<{ explained: Explained; spec: ModelSpec }[]> | undefined;
function presetSpecs(): Promise<{ explained: Explained; spec: ModelSpec }[]> {
  presets ??= pool(REGNET_PRESET_NAMES, 4, async (published) => {
    const explained = await explain(published);
    const s = explained.spec;
    const params = { family: explained.family, depth: s.depth, w0: s.w0, wa: s.wa, wm: s.wm, groupWidth: s.group_width, bottleneck: s.bottleneck, seRatio: s.se_ratio, stemWidth: s.stem_width };
    return { explained, spec: modelSpecFromParams(published, params) };
  });
  return presets;
}

test("the preset list is the std library's: every `model NAME = regnet` of recipes/std/regnet.seer", () => {
  const text = readFileSync(path.join(ROOT, "recipes", "std", "regnet.seer"), "utf8");
  const declared = [...text.matchAll(/^model\s+(\w+)\s*=\s*regnet\b/gm)].map((m) => m[1]);
  assert.equal(declared.length, 29);
  assert.deepEqual(declared, REGNET_PRESET_NAMES.map(toIdentifier));
});

test("every preset: the torch trunk's parameter count equals `seer explain`'s trunk parameters", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const all = await presetSpecs();
  for (const { explained, spec } of all) {
    const stages = spec.stages.map((s) => ({ depth: s.depth, width: s.width, group_width: s.group_width, bottleneck_width: s.bottleneck_width }));
    assert.deepEqual(stages, explained.stages.map((s) => ({ depth: s.depth, width: s.width, group_width: s.group_width, bottleneck_width: s.bottleneck_width })), `${explained.name}: stages`);
  }
  const out = await selftest<ParamsOut>(py, "params", { models: all.map((p) => p.spec) });
  assert.equal(out.models.length, all.length);
  const rows: string[] = [];
  all.forEach(({ explained }, i) => {
    const got = out.models[i]!;
    assert.equal(got.name, explained.name);
    assert.equal(got.params, explained.trunk_params, `${explained.name}: torch ${got.params} vs seer explain ${explained.trunk_params}`);
    rows.push(`${explained.name} ${got.params}`);
  });
  t.diagnostic(`torch = seer explain for ${rows.length} presets: ${rows.join(", ")}`);
});

test("small presets: the torch and tfjs trunks have the same tensors (pycls names, shapes as OIHW) and counts", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const chosen = ["RegNetX-200MF", "RegNetY-200MF", "RegNetY-800MF"];
  const specs = (await presetSpecs()).filter((p) => chosen.includes(p.explained.name)).map((p) => p.spec);
  const zeroInit: ModelSpec = { ...specs[1]!, name: "RegNetY-200MF-zero-init", zero_init_residual: true };
  const models = [...specs, zeroInit];
  const out = await selftest<ParamsOut>(py, "params", { models, tensors: models.map((m) => m.name) });
  const { tf } = await selectBackend({ backend: "cpu" });
  for (const [i, model] of models.entries()) {
    const net = buildRegNet(tf, archFromSpec(model), { seed: 0 });
    try {
      const tfjs: Record<string, number[]> = {};
      for (const v of net.variables) {
        const s = v.variable.shape;
        tfjs[v.name] = s.length === 4 ? [s[3]!, s[2]!, s[0]!, s[1]!] : [...s];
      }
      const torch = out.models[i]!;
      assert.deepEqual(Object.keys(torch.tensors!).sort(), Object.keys(tfjs).sort(), `${model.name}: tensor names`);
      for (const [name, shape] of Object.entries(tfjs)) assert.deepEqual(torch.tensors![name], shape, `${model.name}: ${name}`);
      assert.equal(torch.params, net.paramCount(), `${model.name}: parameter count`);
    } finally {
      net.dispose();
    }
  }
});

interface ForwardOut {
  passes: Record<string, number[]>[];
  running: Record<string, number[]>;
}

const PASSES = [{ training: false }, { training: true }, { training: false }];

/** The tfjs trunk's taps for each pass (eval, train: BN statistics move, eval again), and its BN statistics after. */
function tfjsPasses(tf: Tf, net: RegNet, input: { shape: [number, number, number, number]; values: Float32Array }): ForwardOut {
  const taps = [...net.tapNames] as TapName[];
  const passes = PASSES.map((p) =>
    tf.tidy(() => {
      const out = net.apply(tf.tensor(input.values, input.shape) as Tensor4D, { training: p.training, taps });
      return Object.fromEntries(taps.map((t) => [t, [...out.taps[t]!.dataSync()]]));
    }),
  );
  const running = Object.fromEntries([...trunkSnapshot(net)].filter(([n]) => /running_(mean|var)$/.test(n)).map(([n, t]) => [n, [...t.data]]));
  return { passes, running };
}

test("the torch and tfjs trunks compute the same taps and BN statistics from the same weights, through a checkpoint either way", async (t) => {
  const py = needTorch(t);
  if (!py) return;
  const graph = JSON.parse((await run(process.execPath, [SEER_BIN, "graph", "recipes/quickstart.seer", "--format", "json"], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })).stdout) as { stages: { name: string; spec: { model?: ModelSpec } }[] };
  const tinyStd = graph.stages.find((s) => s.name === "random-init/tiny_std")!.spec.model!;
  const smallX = modelSpecFromParams("small_x", { family: "X", depth: 5, w0: 16, wa: 10, wm: 2, groupWidth: 8, bottleneck: 1, seRatio: null, stemWidth: 16 });
  const { tf } = await selectBackend({ backend: "cpu" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "seer-torch-"));
  const rows: string[] = [];
  try {
    for (const model of [tinyStd, smallX]) {
      const input = { shape: [4, 64, 64, 3] as [number, number, number, number], values: normalValues(4 * 64 * 64 * 3, 1, 3, `input-${model.name}`) };
      const taps = ["stem", ...model.stages.map((_, i) => `res${i + 2}`), "pool"];
      const common = { model, taps, input: { shape: input.shape, values: [...input.values] }, passes: PASSES };
      const compare = (direction: string, got: ForwardOut, want: ForwardOut): void => {
        const worst = { eval: 0, training: 0, stats: 0 };
        want.passes.forEach((pass, i) => {
          for (const tap of taps) {
            const e = relMaxError(got.passes[i]![tap]!, pass[tap]!);
            const mode = PASSES[i]!.training ? "training" : "eval";
            worst[mode] = Math.max(worst[mode], e);
            // Training-mode BN normalises over few values per channel in the last stages (4 images
            // of 2x2 at 64px), which amplifies float32 rounding: 1e-4 there, 1e-5 in eval mode.
            assert.ok(e < (mode === "training" ? 1e-4 : 1e-5), `${model.name} ${direction}, pass ${i} (${mode}), ${tap}: differs by ${e}`);
          }
        });
        assert.deepEqual(Object.keys(got.running).sort(), Object.keys(want.running).sort());
        for (const [n, v] of Object.entries(want.running)) {
          const e = relMaxError(got.running[n]!, v);
          assert.ok(e < 1e-4, `${model.name} ${direction}: ${n} differs by ${e}`);
          worst.stats = Math.max(worst.stats, e);
        }
        rows.push(`${model.name} ${direction}: eval ${worst.eval.toExponential(2)}, training ${worst.training.toExponential(2)}, BN statistics ${worst.stats.toExponential(2)}`);
      };

      // tfjs initialises and writes the checkpoint; torch reads it.
      const fromTfjs = path.join(dir, `${model.name}-tfjs.seerckpt`);
      const a = buildRegNet(tf, archFromSpec(model), { seed: 7 });
      try {
        writeFileSync(fromTfjs, encodeCheckpoint({ step: 0, state: { model }, tensors: trunkSnapshot(a) }));
        const want = tfjsPasses(tf, a, input);
        compare("tfjs -> torch", await selftest<ForwardOut>(py, "trunk-forward", { ...common, seed: 0, load: fromTfjs }), want);
      } finally {
        a.dispose();
      }

      // torch initialises and writes the checkpoint; tfjs reads it.
      const fromTorch = path.join(dir, `${model.name}-torch.seerckpt`);
      const got = await selftest<ForwardOut>(py, "trunk-forward", { ...common, seed: 5, save: fromTorch });
      const b = buildRegNet(tf, archFromSpec(model), { seed: 1 });
      try {
        loadTrunkWeights(tf, b, fromTorch);
        compare("torch -> tfjs", got, tfjsPasses(tf, b, input));
      } finally {
        b.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.diagnostic(`worst relative differences of the taps and BN statistics: ${rows.join("; ")}`);
});
