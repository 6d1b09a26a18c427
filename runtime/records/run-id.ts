/** Run ids: "YYYYMMDD-HHMMSS-xxxxxx" (UTC time, then 6 random hex digits); they sort by time. */

export const RUN_ID_PATTERN = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[0-9a-f]{6}$/;

/** `random` returns numbers in [0, 1) (Math.random by default; pass a fixed one in tests). */
export function newRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const date = `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  const suffix = Math.min(0xffffff, Math.floor(random() * 0x1000000)).toString(16).padStart(6, "0");
  return `${date}-${time}-${suffix}`;
}

/** The ISO time a run id was made at, or null when `id` is not a run id. */
export function runIdTime(id: string): string | null {
  const m = RUN_ID_PATTERN.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : null;
}
