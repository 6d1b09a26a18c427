/** Writes a report's three files side by side, each atomically (readers never see half a file). */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import type { ReportData } from "./data.js";
import { renderHtml } from "./render-html.js";
import { renderJson } from "./render-json.js";
import { renderMarkdown } from "./render-markdown.js";

export interface ReportFiles { html: string; markdown: string; json: string }

/** `<dir>/<name>.html`, `.md` and `.json`; the directory is created if needed. Returns the paths. */
export function writeReport(dir: string, data: ReportData): ReportFiles {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(data.name)) throw new Error(`report name \`${data.name}\` is not a plain file name`);
  mkdirSync(dir, { recursive: true });
  const files: ReportFiles = {
    html: path.join(dir, `${data.name}.html`),
    markdown: path.join(dir, `${data.name}.md`),
    json: path.join(dir, `${data.name}.json`),
  };
  writeFileAtomic(files.json, renderJson(data));
  writeFileAtomic(files.markdown, renderMarkdown(data));
  writeFileAtomic(files.html, renderHtml(data));
  return files;
}
