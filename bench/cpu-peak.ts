/** Measures the CPU's FP32 peak (bench/cpu-peak.c, needs a C compiler) for `npm run bench:train`. */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface CpuPeak {
  cores: number;
  fma256_1core: number;
  fma256_all: number;
  simd128_1core: number;
  simd128_all: number;
}

export function measureCpuPeak(): CpuPeak | undefined {
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "cpu-peak.c");
  const exe = path.join(mkdtempSync(path.join(tmpdir(), "seer-peak-")), "cpu-peak");
  try {
    execFileSync("cc", ["-O3", "-march=native", "-pthread", "-o", exe, src], { stdio: "pipe" });
    return JSON.parse(execFileSync(exe, { encoding: "utf8" })) as CpuPeak;
  } catch (e) {
    console.error(`cpu peak not measured (no C compiler?): ${(e as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const p = measureCpuPeak();
  if (p) {
    console.log(`cpu peak (${p.cores} cores): 256-bit FMA ${p.fma256_all.toFixed(0)} GFLOP/s (${p.fma256_1core.toFixed(0)} on 1 core); 128-bit mul+add, the wasm SIMD ceiling: ${p.simd128_all.toFixed(0)} GFLOP/s (${p.simd128_1core.toFixed(0)} on 1 core)`);
  }
}
