/**
 * Screenshots an HTML report in headless Debian chromium (for the README):
 *   node build/scripts/screenshot-report.js runs/<id>/summary.html docs/images/quickstart-report.png [width]
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium.js";

const [report, out, width = "1100"] = process.argv.slice(2);
if (!report || !out || !existsSync(report)) {
  process.stderr.write("usage: screenshot-report REPORT.html OUT.png [WIDTH]\n");
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 10_000 });
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 800 } });
  await page.goto(pathToFileURL(path.resolve(report)).href);
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
}
