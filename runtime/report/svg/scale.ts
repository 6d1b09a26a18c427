/** Linear scales and "nice" ticks (1, 2, 5 x 10^k) for the inline SVG plots. */

export interface Domain { lo: number; hi: number }

/** The smallest and largest finite value; an empty or flat domain is widened so it has extent. */
export function extent(values: Iterable<number>, include: readonly number[] = []): Domain {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...values, ...include]) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return { lo: 0, hi: 1 };
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return lo === 0 ? { lo: 0, hi: 1 } : { lo: lo - pad, hi: hi + pad };
  }
  return { lo, hi };
}

/** A tick step of 1, 2 or 5 x 10^k giving about `count` intervals over the domain. */
export function tickStep(d: Domain, count: number): number {
  const raw = (d.hi - d.lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power; // in [1, 10)
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * power;
}

/** The domain widened to whole tick steps, and the ticks in it. */
export function niceTicks(d: Domain, count = 5): { domain: Domain; ticks: number[]; step: number } {
  const step = tickStep(d, count);
  const lo = Math.floor(d.lo / step + 1e-9) * step;
  const hi = Math.ceil(d.hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(round(lo + i * step, step));
  return { domain: { lo, hi: hi > lo ? hi : lo + step }, ticks, step };
}

/** Maps the domain onto [from, to] (pixels; `to` may be smaller than `from` for a y axis). */
export function linear(d: Domain, from: number, to: number): (v: number) => number {
  const span = d.hi - d.lo || 1;
  return (v) => from + ((v - d.lo) / span) * (to - from);
}

/** A tick label with as many decimals as the step needs; 12k for 12000, 1e-5 for tiny steps. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return "0";
  if (step < 1e-4) return v.toExponential(1);
  if (Math.abs(v) >= 1e4 && step >= 1000) return `${round(v / 1000, step / 1000)}k`;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return v.toFixed(decimals);
}

/** `v` rounded to the precision of `step` (drops float noise such as 0.30000000000000004). */
function round(v: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) + 1;
  return Number(v.toFixed(Math.min(20, decimals)));
}
