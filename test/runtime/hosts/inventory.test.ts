/** hosts.yaml: golden diagnostics for every inventory code, and what a valid inventory becomes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { renderJson } from "../../../core/diagnostics/render-json.js";
import { renderText, summaryLine } from "../../../core/diagnostics/render-text.js";
import { parseInventory, slurmTime } from "../../../runtime/hosts/inventory.js";
import { assertGolden } from "../../helpers/golden.js";
import { FIXTURES, SPEC_EXAMPLES } from "../../helpers/paths.js";

const DIR = path.join(FIXTURES, "hosts");

for (const f of readdirSync(DIR).filter((x) => x.endsWith(".yaml")).sort()) {
  test(`hosts golden ${f}`, () => {
    const rel = path.join(path.relative(FIXTURES, DIR), f);
    const r = parseInventory(path.join(DIR, f), readFileSync(path.join(DIR, f), "utf8"));
    // Diagnostics name the file as the user gave it; goldens use the path below test/fixtures.
    const shown = parseInventory(rel, readFileSync(path.join(DIR, f), "utf8"), DIR);
    assert.ok(r.diagnostics.length > 0, "an inventory fixture must produce at least one diagnostic");
    assert.equal(shown.diagnostics.length, r.diagnostics.length);
    const files = new Map([[rel, shown.source]]);
    const errors = shown.diagnostics.filter((d) => d.severity === "error").length;
    const text = `${renderText(shown.diagnostics, { color: false, files })}\n${summaryLine(errors, shown.diagnostics.length - errors, 1)}\n`;
    const base = path.join(DIR, f.replace(/\.yaml$/, ""));
    assertGolden(`${base}.stderr.txt`, text);
    assertGolden(`${base}.json`, `${JSON.stringify(renderJson(shown.diagnostics, files, 1), null, 2)}\n`);
  });
}

test("the spec's example inventory is valid and becomes three hosts with their defaults", () => {
  const file = path.join(SPEC_EXAMPLES, "hosts.yaml");
  const r = parseInventory(file, readFileSync(file, "utf8"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
  const [ws, box, cluster] = r.inventory!.hosts;
  assert.deepEqual(ws, { name: "workstation", kind: "local", gpus: 1, memory: 64 * 2 ** 30, maxJobs: 1, engines: ["tfjs"] });
  assert.equal(box?.kind, "ssh");
  if (box?.kind === "ssh") {
    assert.equal(box.ssh.address, "researcher@lab-box-1.example.org");
    assert.equal(box.ssh.hostKeyChecking, true);
    assert.equal(box.workdir, "/scratch/seer");
    assert.equal(box.memory, 256 * 2 ** 30);
  }
  assert.equal(cluster?.kind, "slurm");
  if (cluster?.kind === "slurm") {
    assert.equal(cluster.login?.address, "researcher@login.cluster.example.org");
    assert.equal(cluster.timeLimit, "3-00:00:00");
    assert.equal(cluster.gpusPerNode, 8);
    assert.equal(cluster.gpus, 8);
    assert.equal(cluster.maxJobs, 16);
    assert.equal(cluster.workdir, ".seer-host");
  }
});

test("Slurm time limits: short forms become D-HH:MM:SS, Slurm's own forms pass", () => {
  assert.equal(slurmTime("90m"), "0-01:30:00");
  assert.equal(slurmTime("72h"), "3-00:00:00");
  assert.equal(slurmTime("2d"), "2-00:00:00");
  assert.equal(slurmTime("1-12:00:00"), "1-12:00:00");
});

test("a YAML alias bomb in a hosts file is a hosts diagnostic, not an internal error (issue #15)", () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f"].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`), "hosts: *f", ""];
  const r = parseInventory("bomb.yaml", levels.join("\n"));
  assert.equal(r.inventory, undefined);
  assert.equal(r.diagnostics[0]?.code, "SEER6101");
  assert.match(r.diagnostics[0]?.message ?? "", /Excessive alias count/);
});
