/** The report's stylesheet (inlined; system fonts, light theme, readable from phone to monitor). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --best: #dafbe1; --warn: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.meta { color: var(--muted); margin: 0; }
.note { color: var(--muted); font-style: italic; }
.warning { background: var(--warn); border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
#suite-table td { text-align: right; }
#suite-table thead th:not(:first-child) { text-align: right; }
#suite-table td.best { background: var(--best); }
#suite-table td.missing { color: var(--muted); }
.dir { color: var(--muted); font-weight: normal; }
figure { margin: 16px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figure svg { display: block; max-width: 100%; min-width: 480px; height: auto; font: 12px system-ui, sans-serif; }
figure svg.wide { max-width: none; }
svg text { fill: var(--fg); }
svg .axis-label { fill: var(--muted); }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .line { fill: none; stroke-width: 1.75; stroke-linejoin: round; }
svg .collapse { stroke-dasharray: 6 4; stroke-width: 1; opacity: 0.7; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
`;
