/**
 * Published RegNet preset names (`RegNetY-4.0GF`, `SEER-1.3B`) and the identifiers the
 * standard library declares them under (`RegNetY_4GF`, `SEER_1_3B`).
 */

const PYCLS_SIZES = ["200MF", "400MF", "600MF", "800MF", "1.6GF", "3.2GF", "4.0GF", "6.4GF", "8.0GF", "12GF", "16GF", "32GF"];

/** Every preset in recipes/std/regnet.seer, by published name, in the file's order. */
export const REGNET_PRESET_NAMES: readonly string[] = Object.freeze([
  ...PYCLS_SIZES.map((size) => `RegNetX-${size}`),
  ...PYCLS_SIZES.map((size) => `RegNetY-${size}`),
  "RegNetY-64GF",
  "RegNetY-128GF",
  "RegNetY-256GF",
  "SEER-1.3B",
  "SEER-10B",
]);

/**
 * `-` and `.` become `_`, and a zero fraction (`.0` not followed by a digit) is dropped:
 * `RegNetY-4.0GF` → `RegNetY_4GF`, `RegNetX-1.6GF` → `RegNetX_1_6GF`, `SEER-10B` → `SEER_10B`.
 */
export function toIdentifier(published: string): string {
  return published.replace(/\.0+(?!\d)/g, "").replace(/[-.]/g, "_");
}

/** The published name whose identifier is `identifier` (exact case), or undefined. */
export function toPublished(identifier: string, names: readonly string[] = REGNET_PRESET_NAMES): string | undefined {
  return names.find((name) => toIdentifier(name) === identifier);
}

export interface PresetName {
  published: string;
  identifier: string;
}

/** Finds a preset by published name or identifier, ignoring case. */
export function lookupPresetName(name: string, names: readonly string[] = REGNET_PRESET_NAMES): PresetName | undefined {
  const wanted = name.trim().toLowerCase();
  for (const published of names) {
    const identifier = toIdentifier(published);
    if (published.toLowerCase() === wanted || identifier.toLowerCase() === wanted) return { published, identifier };
  }
  return undefined;
}
