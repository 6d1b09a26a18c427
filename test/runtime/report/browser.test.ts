/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): it loads
 * offline without errors, the table and every requested plot are there and drawn, and a
 * full-page screenshot lands in test-output/report.png for a human to look at.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { ReportData } from "../../../runtime/report/data.js";
import { writeReport } from "../../../runtime/report/write.js";
import { ROOT } from "../../helpers/paths.js";
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from "../../../scripts/chromium.js";
import { emptyData, quickstartData, wideData } from "./report-data.js";

const SCREENSHOT = path.join(ROOT, "test-output", "report.png");

let browser: Browser | undefined;
let dir = "";

before(async () => {
  if (!existsSync(CHROMIUM)) {
    assert.fail(`${CHROMIUM} not found: the report's browser test needs Debian's "chromium" package there (apt-get install chromium)`);
  }
  dir = mkdtempSync(path.join(tmpdir(), "seer-report-"));
  // launch() gives every browser a fresh temporary profile (user data dir) and removes it on close.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Loaded { page: Page; problems: string[] }

/** Writes the report, opens it from file:// and records console errors, page errors and any non-file request. */
async function open(data: ReportData, sub: string): Promise<Loaded> {
  assert.ok(browser, "the browser started");
  const files = writeReport(path.join(dir, sub), data);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(files.html).href, { waitUntil: "load" });
  return { page, problems };
}

/** Text of the plot that falls outside its SVG (cut off): "plot: text" for each. */
async function clippedText(page: Page): Promise<string[]> {
  return page.locator("svg[data-plot]").evaluateAll((svgs) =>
    svgs.flatMap((svg) => {
      const frame = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("text")].flatMap((t) => {
        const r = t.getBoundingClientRect();
        const inside = r.left >= frame.left - 1 && r.right <= frame.right + 1 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
        return inside ? [] : [`${svg.getAttribute("data-plot") ?? "?"}: ${t.textContent ?? ""}`];
      });
    }),
  );
}

test("the quickstart report renders in chromium: table, plots, no errors, screenshot", { timeout: 30_000 }, async () => {
  const data = quickstartData();
  const { page, problems } = await open(data, "quickstart");

  const table = page.locator("#suite-table");
  assert.equal(await table.locator("tbody > tr").count(), data.suite.rows.length);
  assert.equal(await table.locator("thead th").count(), data.suite.metrics.length + 1);
  for (let i = 0; i < data.suite.rows.length; i++) {
    const row = table.locator("tbody > tr").nth(i);
    assert.equal(await row.locator("th, td").count(), data.suite.metrics.length + 1);
    assert.equal(await row.locator("th").innerText(), data.suite.rows[i]);
  }

  for (const plot of data.plots) {
    const svg = page.locator(`svg[data-plot="${plot}"]`);
    assert.equal(await svg.count(), 1, `${plot} is drawn once`);
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `${plot} has a size: ${JSON.stringify(box)}`);
    assert.ok((await svg.locator("path.line, rect.bar").count()) > 0, `${plot} has lines or bars`);
  }
  const bars = Object.values(data.suite.cells).reduce((n, row) => n + Object.keys(row).length, 0);
  assert.equal(await page.locator('svg[data-plot="eval_scores"] rect.bar').count(), bars, "one bar per score");

  assert.deepEqual(await clippedText(page), [], "no label is cut off");

  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a wide suite (9 rows, 12 long metric names) keeps every label inside its plot", { timeout: 15_000 }, async () => {
  const data = wideData();
  const { page, problems } = await open(data, "wide");
  assert.equal(await page.locator("#suite-table tbody > tr").count(), 9);
  assert.equal(await page.locator('svg[data-plot="eval_scores"] rect.bar').count(), 9 * 12);
  assert.deepEqual(await clippedText(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test("an empty run renders notes instead of plots, without errors", { timeout: 15_000 }, async () => {
  const { page, problems } = await open(emptyData(), "empty");
  assert.equal(await page.locator("svg").count(), 0);
  assert.equal(await page.locator("[data-plot-empty]").count(), 3);
  assert.ok((await page.locator("main").innerText()).includes("No pretraining in this run."));
  assert.deepEqual(problems, []);
  await page.close();
});
