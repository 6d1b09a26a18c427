/** Cold start: `seer check recipes/quickstart.seer` versus `node -e 0`, same run. */
import { spawnSync } from "node:child_process";
import { ROOT, SEER_BIN } from "./paths.js";
import { median } from "./stats.js";

function wall(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  }
  return median(times);
}

export function benchColdStart(runs = 15): Record<string, number> {
  wall(["-e", "0"], 2);
  const nodeMs = wall(["-e", "0"], runs);
  const seerMs = wall([SEER_BIN, "check", "recipes/quickstart.seer"], runs);
  return { nodeMs, seerMs, ratio: seerMs / nodeMs };
}
