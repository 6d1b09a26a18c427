/** Escaping and number formatting shared by the HTML, SVG and Markdown renderers. */

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML element content and attribute values (both quotes escaped). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Text for a GitHub Markdown table cell: Markdown punctuation is backslash-escaped (so `<tag>`,
 * `*`, `|` stay literal), underscores only where they could start or end emphasis (so
 * `swav_tiny` stays readable), line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(/[\\`*[\]<>|&]/g, "\\$&")
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_");
}

/** The placeholder for a missing or non-numeric value. */
export const MISSING = "–";

/** A score with one decimal, as the papers report them; "–" when there is none. */
export function formatScore(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  const s = value.toFixed(1);
  return s === "-0.0" ? "0.0" : s;
}

/** Seconds for the stage table: "12.5 s", "12 min 34 s", "2 h 05 min". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return MISSING;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${String(total % 60).padStart(2, "0")} s`;
}

/** The first 12 hex digits of a `sha256:...` id (enough to tell stages apart at a glance). */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}
