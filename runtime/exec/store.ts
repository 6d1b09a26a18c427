/**
 * The project's content-addressed stage cache, `.seer/` beside the recipe's project:
 *
 *   .seer/stages/<key>/   a published stage: its output files and `manifest.json`
 *   .seer/work/<key>/     a stage's scratch space that survives a crash (pretraining checkpoints)
 *   .seer/tmp/            outputs being written; renamed into stages/ only when complete
 *   .seer/index.json      stage name -> the key, spec and inputs it last published (for `why`)
 *
 * A stage's wall-clock telemetry (`telemetry/`) is kept out of its digest (see `digestOf`).
 * A stage's outputs are written into a fresh temp folder, hashed into a manifest, fsynced and
 * renamed into place in one step, so a crash never leaves a half-written result that a later
 * run trusts; a published folder whose files do not match its manifest counts as corrupt.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fsyncDir, fsyncFile } from "../../core/fs/fsync.js";
import { writeFileAtomic } from "../../core/fs/write-atomic.js";
import type { EngineName } from "../engines/engine.js";

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  key: string;
  name: string;
  kind: string;
  files: ManifestFile[];
  /** sha256 over the files' paths and hashes: the stage's `output_digest`. */
  digest: string;
  seconds: number;
  created: string;
}

export interface Published {
  dir: string;
  manifest: Manifest;
}

export type Lookup = { state: "ok"; published: Published } | { state: "missing" } | { state: "corrupt"; why: string };

export interface IndexEntry {
  key: string;
  id: string;
  spec: unknown;
  inputs: Record<string, string>;
  seer: string;
  backend: string;
  /** The engine that ran the stage; absent: tfjs (indexes written before engines could be chosen). */
  engine?: EngineName;
  fingerprint?: string;
}

const sha256 = (b: string | Buffer): string => createHash("sha256").update(b).digest("hex");

/**
 * Files under this folder of a stage's outputs (wall-clock telemetry: images/s, data wait) are
 * listed and checked like the others but left out of its digest, so a deterministic stage's
 * digest depends only on its inputs.
 */
export const TELEMETRY_DIR = "telemetry";

export function digestOf(files: readonly ManifestFile[]): string {
  const hashed = files.filter((f) => !f.path.startsWith(`${TELEMETRY_DIR}/`));
  return `sha256:${sha256(hashed.map((f) => `${f.path}\0${f.sha256}\n`).join(""))}`;
}

/** The size and sha256 of the file `p`, named `name`. */
export function hashFile(p: string, name: string): ManifestFile {
  const bytes = readFileSync(p);
  return { path: name, bytes: bytes.length, sha256: sha256(bytes) };
}

/** Every file below `dir` but its manifest, with size and sha256 (fsynced first when `sync`). */
export function hashFiles(dir: string, sync = false): ManifestFile[] {
  return listFiles(dir).map((rel) => {
    const p = path.join(dir, rel);
    if (sync) fsyncFile(p);
    return hashFile(p, rel.split(path.sep).join("/"));
  });
}

/** Why the files under `dir` do not match `files` (sizes always; hashes unless `quick`), or undefined when they do. */
function checkFiles(dir: string, files: readonly ManifestFile[], quick = false): string | undefined {
  for (const f of files) {
    const p = path.join(dir, f.path);
    if (!existsSync(p)) return `${f.path} is missing`;
    const size = statSync(p).size;
    if (size !== f.bytes) return `${f.path} has ${size} bytes, not ${f.bytes}`;
    if (!quick && sha256(readFileSync(p)) !== f.sha256) return `${f.path} does not match its hash`;
  }
  return undefined;
}

/** The files another host reported for a stage's outputs, and which host. */
export interface ExpectedFiles {
  files: readonly ManifestFile[];
  from: string;
}

/** Outputs that arrived from another host do not match what it reported. */
class OutputMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputMismatchError";
  }
}

/** The paths where `got` and `want` differ: wanted files missing or unlike, then files nobody wanted. */
function mismatched(got: readonly ManifestFile[], want: readonly ManifestFile[]): string[] {
  const have = new Map(got.map((f) => [f.path, f]));
  const wanted = new Set(want.map((f) => f.path));
  const bad = want.filter((f) => have.get(f.path)?.sha256 !== f.sha256 || have.get(f.path)?.bytes !== f.bytes).map((f) => f.path);
  return [...bad, ...got.filter((f) => !wanted.has(f.path)).map((f) => f.path)];
}

function listFiles(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : e.isFile() && e.name !== "manifest.json" ? [path.join(rel, e.name)] : []))
    .sort();
}

export class Store {
  readonly root: string;
  constructor(projectDir: string) {
    this.root = path.join(projectDir, ".seer");
  }

  stageDir(key: string): string {
    return path.join(this.root, "stages", key);
  }

  workDir(key: string): string {
    return path.join(this.root, "work", key);
  }

  /**
   * Removes what runs that were killed left in `.seer/tmp` (half-written outputs, never
   * published). Call it only while holding the project lock: no other run is writing there.
   * Returns how many entries it removed.
   */
  sweepTemp(): number {
    const dir = path.join(this.root, "tmp");
    if (!existsSync(dir)) return 0;
    const left = readdirSync(dir);
    for (const e of left) rmSync(path.join(dir, e), { recursive: true, force: true });
    return left.length;
  }

  /** A new empty folder for a stage's outputs. */
  tempDir(): string {
    const dir = path.join(this.root, "tmp", `${Date.now()}-${randomBytes(4).toString("hex")}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** A published stage, checked against its manifest (sizes always; hashes unless `quick`). */
  lookup(key: string, quick = false): Lookup {
    const dir = this.stageDir(key);
    const mf = path.join(dir, "manifest.json");
    if (!existsSync(mf)) return { state: "missing" };
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(mf, "utf8")) as Manifest;
    } catch {
      return { state: "corrupt", why: "its manifest is unreadable" };
    }
    const why = checkFiles(dir, manifest.files, quick);
    return why ? { state: "corrupt", why } : { state: "ok", published: { dir, manifest } };
  }

  /**
   * Moves a finished temp folder into the cache as stage `key`; returns the published stage.
   * With `expect` (outputs copied from another host, with the sizes and hashes it reported),
   * nothing is published unless the files hashed here are exactly those.
   */
  publish(tmp: string, meta: { key: string; name: string; kind: string; seconds: number }, expect?: ExpectedFiles): Published {
    const files = hashFiles(tmp, true);
    if (expect) {
      const bad = mismatched(files, expect.files);
      if (bad.length > 0) throw new OutputMismatchError(`the outputs copied from ${expect.from} do not match the hashes it reported (${bad.slice(0, 3).join(", ")})`);
    }
    const manifest: Manifest = { ...meta, files, digest: digestOf(files), created: new Date().toISOString() };
    writeFileAtomic(path.join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(tmp);
    const dir = this.stageDir(meta.key);
    mkdirSync(path.dirname(dir), { recursive: true });
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true }); // a corrupt earlier copy
    renameSync(tmp, dir);
    fsyncDir(path.dirname(dir));
    return { dir, manifest };
  }

  /**
   * Takes a copy of a published stage that arrived from elsewhere (`dir`, with its
   * manifest.json) into the cache as `key`, unless an intact copy is already there. The copy
   * is checked against its manifest first: a corrupt or partial transfer is refused.
   */
  adopt(dir: string, key: string): Lookup {
    const have = this.lookup(key);
    if (have.state === "ok") {
      rmSync(dir, { recursive: true, force: true });
      return have;
    }
    const target = this.stageDir(key);
    mkdirSync(path.dirname(target), { recursive: true });
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    } catch {
      return { state: "corrupt", why: "its manifest is missing or unreadable" };
    }
    const why = manifest.key !== key ? `its manifest is for ${manifest.key}` : digestOf(manifest.files) !== manifest.digest ? "its manifest's digest does not match its files" : checkFiles(dir, manifest.files);
    if (why) return { state: "corrupt", why };
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(dir, target);
    fsyncDir(path.dirname(target));
    return { state: "ok", published: { dir: target, manifest } };
  }

  discard(tmp: string): void {
    rmSync(tmp, { recursive: true, force: true });
  }

  readIndex(): Record<string, IndexEntry> {
    try {
      const v = JSON.parse(readFileSync(path.join(this.root, "index.json"), "utf8")) as { stages?: Record<string, IndexEntry> };
      return v.stages ?? {};
    } catch {
      return {};
    }
  }

  writeIndex(stages: Record<string, IndexEntry>): void {
    mkdirSync(this.root, { recursive: true });
    writeFileAtomic(path.join(this.root, "index.json"), `${JSON.stringify({ version: 1, stages }, null, 1)}\n`);
  }
}
