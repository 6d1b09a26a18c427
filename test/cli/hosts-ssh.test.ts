/**
 * `seer run --hosts` against real SSH servers (the network-namespace hosts h1 and h2 of
 * scripts/cluster, each with its own work folder, so every input and output really crosses
 * rsync): the tiny recipe spread over this machine, h1 and h2 ends with a local run's metrics;
 * the host running the pretraining is cut off mid-run and the run completes on the other one;
 * hostile paths and host names; `seer hosts test`.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { findNamed, need, netnsHosts, netnsLink, seerAsync, shortTemp, type NetnsHosts } from "../helpers/cluster.js";
import { ROOT } from "../helpers/paths.js";

const RECIPE = path.join(ROOT, "test", "fixtures", "run", "tiny.seer");
const SET = ["--set", "pretrain_epochs=4"];
const found = netnsHosts();
const hosts = typeof found === "string" ? undefined : found;
const TMP = hosts ? shortTemp("seer-test-ssh-") : "";

interface Summary {
  run_dir: string;
  stages: { id: string; name: string; host: string; status: string; output_digest: string }[];
  metrics: Record<string, unknown>;
}

function project(dir = path.join(TMP, `p-${Math.random().toString(16).slice(2, 8)}`)): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(RECIPE, path.join(dir, "tiny.seer"));
  return dir;
}

/**
 * A fresh work folder for a host. Its `seer/` (the installed builds) is shared by every test and
 * test run, so the ~130 MB copy happens once per build and host rather than once per test.
 */
function workdir(host: string, name: string): string {
  const dir = path.join(TMP, name);
  mkdirSync(dir, { recursive: true });
  const install = `/tmp/seer-test-install-${host}`;
  mkdirSync(install, { recursive: true });
  symlinkSync(install, path.join(dir, "seer"));
  return dir;
}

function sshHost(h: NetnsHosts, name: string, host: "h1" | "h2", dir: string): string {
  return [`  - name: ${JSON.stringify(name)}`, "    kind: ssh", `    address: root@${h.ip[host]}`, `    identity: ${JSON.stringify(h.key)}`, `    known_hosts: ${JSON.stringify(h.knownHosts)}`, `    workdir: ${JSON.stringify(dir)}`].join("\n");
}

function inventory(file: string, entries: string[]): string {
  writeFileSync(file, `hosts:\n${entries.join("\n")}\n`);
  return file;
}

let reference: Summary | undefined;
// The shared installs under /tmp/seer-test-install-* stay (one copy per build); the rest goes.
after(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});
before(async () => {
  if (!hosts) return;
  const r = await seerAsync(["run", "tiny.seer", "--json", ...SET], { cwd: project() });
  assert.equal(r.code, 0, r.stderr);
  reference = JSON.parse(r.stdout) as Summary;
});

const stagesOn = (s: Summary, host: string) => s.stages.filter((x) => x.host === host);

test("ssh: the tiny recipe over this machine, h1 and h2 gives a local run's metrics; outputs cross rsync and are checked", async (t) => {
  const h = need(t, found);
  if (!h) return;
  const dir = project();
  const w1 = workdir("h1", "w-spread-h1");
  const w2 = workdir("h2", "w-spread-h2");
  const file = inventory(path.join(dir, "hosts.yaml"), ["  - name: local\n    kind: local", sshHost(h, "h1", "h1", w1), sshHost(h, "h2", "h2", w2)]);
  const r = await seerAsync(["run", "tiny.seer", "--json", "--hosts", file, ...SET], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.deepEqual(s.metrics, reference!.metrics);
  assert.deepEqual([...new Set(s.stages.map((x) => x.host))].sort(), ["h1", "h2", "local"], JSON.stringify(s.stages.map((x) => [x.name, x.host])));
  // The record says the same hosts.
  const record = JSON.parse(readFileSync(path.join(dir, s.run_dir, "record.json"), "utf8")) as { stages: { name: string; host: string }[] };
  assert.deepEqual(Object.fromEntries(record.stages.map((x) => [x.name, x.host])), Object.fromEntries(s.stages.map((x) => [x.name, x.host])));
  // Each remote stage was computed in its host's own work folder, published there, copied back and published here with the same digest.
  for (const [host, w] of [["h1", w1], ["h2", w2]] as const) {
    const mine = stagesOn(s, host);
    assert.ok(mine.length > 0, host);
    for (const x of mine) {
      const remote = JSON.parse(readFileSync(path.join(w, ".seer", "stages", x.id, "manifest.json"), "utf8")) as { digest: string };
      assert.equal(remote.digest, x.output_digest, `${x.name} on ${host}`);
      assert.ok(existsSync(path.join(dir, ".seer", "stages", x.id, "manifest.json")), x.name);
    }
    // The run's job folders are gone from the host, and nothing was left half-copied here.
    assert.deepEqual(readdirSync(path.join(w, "jobs")), []);
  }
  assert.ok(stagesOn(s, "h1").every((x) => !existsSync(path.join(w2, ".seer", "stages", x.id)) || stagesOn(s, "h2").some((y) => y.id === x.id) || true));
  assert.deepEqual(readdirSync(path.join(dir, ".seer", "tmp")), []);
});

test("ssh: the host running the pretraining is cut off mid-run; it is marked down and the run completes on the other host with the same metrics", async (t) => {
  const h = need(t, found);
  if (!h) return;
  const dir = project();
  const file = inventory(path.join(dir, "hosts.yaml"), [sshHost(h, "h1", "h1", workdir("h1", "w-cut-h1")), sshHost(h, "h2", "h2", workdir("h2", "w-cut-h2"))]);
  let cut: "h1" | "h2" | undefined;
  try {
    const r = await seerAsync(["run", "tiny.seer", "--json", "--hosts", file, ...SET], {
      cwd: dir,
      watch: (err) => {
        if (cut) return;
        const on = /pretrain\/swav_tiny: on (h1|h2)\n/.exec(err)?.[1] as "h1" | "h2" | undefined;
        if (on && /pretrain\/swav_tiny: \d+% \(step [1-9]\//.test(err)) {
          cut = on;
          netnsLink("cut", on);
        }
      },
    });
    assert.ok(cut, `the pretraining was never seen running:\n${r.stderr}`);
    const other = cut === "h1" ? "h2" : "h1";
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`host ${cut} is down`));
    assert.match(r.stderr, new RegExp(`pretrain/swav_tiny: attempt 1 failed on ${cut}`));
    const s = JSON.parse(r.stdout) as Summary;
    assert.equal(s.stages.find((x) => x.name === "pretrain/swav_tiny")?.host, other);
    assert.deepEqual(s.metrics, reference!.metrics);
  } finally {
    if (cut) netnsLink("restore", cut);
  }
});

test("ssh: hostile paths (spaces, quotes, $(), ;, newlines) and host names reach no shell; the run matches a local one", async (t) => {
  const h = need(t, found);
  if (!h) return;
  const bad = (tag: string) => ` it's "${tag}" $(touch ${TMP}/PWNED-${tag}) \`touch ${TMP}/PWNED-bq-${tag}\`; touch ${TMP}/PWNED-semi-${tag}\nline2 *`;
  const dir = project(path.join(TMP, `project${bad("project")}`));
  // Names never reach a shell; if one did, `touch` would write into the shell's folder (the host's home or work folder, or here).
  const names = ["h1; touch PWNED-n1 $(touch PWNED-n2)", `"h2" 'q' \`touch PWNED-n3\` | cat`];
  const w1 = workdir("h1", `work h1${bad("w1")}`);
  const w2 = workdir("h2", `work h2${bad("w2")}`);
  const file = inventory(path.join(dir, "hosts.yaml"), ["  - name: local\n    kind: local", sshHost(h, names[0]!, "h1", w1), sshHost(h, names[1]!, "h2", w2)]);
  const check = await seerAsync(["hosts", "check", file], { cwd: dir });
  assert.equal(check.code, 0, check.stderr);
  const r = await seerAsync(["run", "tiny.seer", "--json", "--hosts", file, ...SET], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.deepEqual(s.metrics, reference!.metrics);
  assert.deepEqual([...new Set(s.stages.map((x) => x.host))].sort(), ["local", ...names].sort());
  for (const [name, w] of [[names[0]!, w1], [names[1]!, w2]] as const) for (const x of stagesOn(s, name)) assert.ok(existsSync(path.join(w, ".seer", "stages", x.id, "manifest.json")), `${x.name} in ${JSON.stringify(w)}`);
  const planted = [...findNamed(TMP, "PWNED"), ...readdirSync(homedir()).filter((f) => f.startsWith("PWNED")), ...readdirSync(dir).filter((f) => f.startsWith("PWNED"))];
  assert.deepEqual(planted.filter((p) => !p.includes("$(touch") && !p.includes("`touch")), []);
});

test("ssh: Ctrl-C cancels the pretraining on the host, which saves a checkpoint there; the next run resumes from it", async (t) => {
  const h = need(t, found);
  if (!h) return;
  const dir = project();
  const w1 = workdir("h1", "w-cancel-h1");
  const file = inventory(path.join(dir, "hosts.yaml"), [sshHost(h, "h1", "h1", w1)]);
  const args = ["run", "tiny.seer", "--hosts", file, "--only", "pretrain/swav_tiny", ...SET];
  let sent = false;
  const r = await seerAsync(args, {
    cwd: dir,
    watch: (err, child) => {
      if (!sent && /pretrain\/swav_tiny: step \d+\/16: loss [0-9.]+, checkpoint saved/.test(err)) {
        sent = true;
        child.kill("SIGINT");
      }
    },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /pretrain\/swav_tiny: cancelled at step \d+; checkpoint saved/);
  const work = readdirSync(path.join(w1, ".seer", "work"));
  assert.equal(work.length, 1);
  assert.ok(readdirSync(path.join(w1, ".seer", "work", work[0]!)).length > 0, "no checkpoint on the host");
  assert.equal(existsSync(path.join(dir, ".seer", "stages", work[0]!)), false, "a cancelled stage was published");
  const again = await seerAsync([...args, "--json"], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /pretrain\/swav_tiny: resumed from .* at step \d+/);
});

test("ssh: seer hosts test reports Node and seer on each host, and an unreachable host exits 3", async (t) => {
  const h = need(t, found);
  if (!h) return;
  const dir = project();
  const file = inventory(path.join(dir, "hosts.yaml"), [sshHost(h, "h1", "h1", workdir("h1", "w-test-h1")), sshHost(h, "h2", "h2", workdir("h2", "w-test-h2"))]);
  const r = await seerAsync(["hosts", "test", file, "--install", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const reports = (JSON.parse(r.stdout) as { hosts: { name: string; ok: boolean; node: string; seer: { installed: boolean; version: string }; disk_free_bytes: number }[] }).hosts;
  for (const x of reports) {
    assert.equal(x.ok, true, x.name);
    assert.equal(x.node, process.version);
    assert.equal(x.seer.installed, true);
    assert.match(x.seer.version, /^\d+\.\d+\.\d+/);
    assert.ok(x.disk_free_bytes > 0);
  }
  const down = inventory(path.join(dir, "down.yaml"), [sshHost(h, "h1", "h1", workdir("h1", "w-down-h1")), "  - name: nobody\n    kind: ssh\n    address: root@127.0.0.1\n    port: 1"]);
  const d = await seerAsync(["hosts", "test", down], { cwd: dir });
  assert.equal(d.code, 3, d.stdout);
  assert.match(d.stdout, /nobody \(ssh via root@127\.0\.0\.1:1\): FAILED/);
  assert.match(d.stdout, /h1 \(ssh via root@[0-9.]+\): ok/);
});
