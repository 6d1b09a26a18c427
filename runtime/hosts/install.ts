/**
 * What a host needs to run `seer stage-exec`, copied from this installation (no registry on
 * the host): `bin/`, the `dist/` bundle, `package.json`, and the packages the bundle leaves
 * external (TensorFlow.js, sharp) with everything they depend on according to the lockfile,
 * as installed here. Source maps are left out. The copy is named by seer's version and a hash
 * of the bundle (source maps included) and lockfile, so a host keeps one copy per exact build.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { digestOf, hashFile, hashFiles } from "../exec/store.js";

/** Packages the CLI bundle does not contain (scripts/build.mjs `external`). */
const EXTERNAL = /^(@tensorflow\/|sharp$)/;

export interface InstallPayload {
  /** `0.1.0-<12 hex>`: version and build. */
  id: string;
  /** Paths relative to the package root. */
  paths: string[];
  exclude: string[];
}

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
}

/** npm's lookup: `<from>/node_modules/<name>`, then each enclosing node_modules up to the root. */
function resolveIn(packages: Record<string, LockPackage>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i >= 0 ? dir.slice(0, i) : "";
  }
}

function runtimePackages(root: string): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockPackage> };
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const seen = new Set<string>();
  const visit = (p: string | undefined) => {
    if (!p || seen.has(p) || !existsSync(path.join(root, p))) return;
    seen.add(p);
    const entry = lock.packages[p]!;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(resolveIn(lock.packages, p, dep));
  };
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter((n) => EXTERNAL.test(n))) visit(resolveIn(lock.packages, "", name));
  // A nested package lies inside its parent's folder, which is copied whole.
  return [...seen].filter((p) => ![...seen].some((q) => q !== p && p.startsWith(`${q}/`))).sort();
}

/** The torch engine's Python package: it travels with the build, so a host with torch can run its stages. */
const TORCH_PACKAGE = "engines/torch/seer_torch";

/** The build's files (bin/, dist/, the torch worker, package.json and the lockfile) with their hashes, as one digest. */
function buildDigest(root: string): string {
  const files = ["bin", "dist", TORCH_PACKAGE, "package.json", "package-lock.json"].flatMap((rel) => {
    const p = path.join(root, rel);
    return statSync(p).isDirectory() ? hashFiles(p).map((f) => ({ ...f, path: `${rel}/${f.path}` })) : [hashFile(p, rel)];
  });
  return digestOf(files).replace(/^sha256:/, "");
}

const cached = new Map<string, InstallPayload>();

export function installPayload(root: string, version: string): InstallPayload {
  const key = `${root}\0${version}`;
  let payload = cached.get(key);
  if (!payload) {
    payload = { id: `${version}-${buildDigest(root).slice(0, 12)}`, paths: ["bin", "dist", TORCH_PACKAGE, "package.json", ...runtimePackages(root)], exclude: ["*.map", "__pycache__"] };
    cached.set(key, payload);
  }
  return payload;
}
