/** `seer hosts check|test` and `seer run --hosts` as a user runs them, without any server. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seer } from "../helpers/cli.js";
import { FIXTURES, ROOT, SPEC_EXAMPLES } from "../helpers/paths.js";

const HOSTS = path.join(FIXTURES, "hosts");

test("hosts check: exit 1 with diagnostics for errors, 0 for a valid file (warnings allowed), 2 for a missing file; JSON on request", () => {
  const bad = seer(["hosts", "check", path.join(HOSTS, "bad-value.yaml")]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error\[SEER6104\]: `address` must be an ssh address/);
  assert.match(bad.stderr, /Found 7 errors and 0 warnings in 1 file\./);
  assert.match(bad.stderr, /`hardware` must be the accelerator its GPUs are/);
  const json = seer(["hosts", "check", path.join(HOSTS, "duplicate-name.yaml"), "--format", "json"]);
  assert.equal(json.code, 1);
  assert.equal((JSON.parse(json.stdout) as { diagnostics: { code: string }[] }).diagnostics[0]?.code, "SEER6105");
  const warn = seer(["hosts", "check", path.join(HOSTS, "unchecked-keys.yaml")]);
  assert.equal(warn.code, 0, warn.stderr);
  assert.match(warn.stderr, /warning\[SEER6109\]/);
  assert.equal(seer(["hosts", "check", path.join(SPEC_EXAMPLES, "hosts.yaml")]).code, 0);
  const missing = seer(["hosts", "check", "no-such-hosts.yaml"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No such file: no-such-hosts\.yaml/);
});

test("run --hosts: an inventory with errors stops the run before anything runs (exit 1); bad --retries is a usage error", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-hosts-cli-"));
  copyFileSync(path.join(ROOT, "test", "fixtures", "run", "tiny.seer"), path.join(dir, "tiny.seer"));
  const r = seer(["run", "tiny.seer", "--hosts", path.join(HOSTS, "missing-field.yaml")], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[SEER6103\]: The ssh host `lab-box-1` needs `address`\./);
  assert.equal(existsSync(path.join(dir, ".seer", "stages")), false);
  const retries = seer(["run", "tiny.seer", "--retries", "-1"], { cwd: dir });
  assert.equal(retries.code, 2);
  assert.match(retries.stderr, /`--retries -1` is not a whole number/);
});

test("hosts test: this machine answers with its Node and seer; JSON on request", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "seer-hosts-cli-"));
  writeFileSync(path.join(dir, "hosts.yaml"), "hosts:\n  - name: here\n    kind: local\n");
  const r = seer(["hosts", "test", "hosts.yaml", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const [h] = (JSON.parse(r.stdout) as { hosts: { name: string; ok: boolean; node: string; seer: { version: string } }[] }).hosts;
  assert.equal(h?.name, "here");
  assert.equal(h?.ok, true);
  assert.equal(h?.node, process.version);
  const text = seer(["hosts", "test", "hosts.yaml"], { cwd: dir });
  assert.match(text.stdout, /^here \(local\): ok in [0-9.]+ s\n  node v\d+/);
});
