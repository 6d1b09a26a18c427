/**
 * `hosts.yaml`: where stages may run. Parsed with `yaml` (node ranges give every diagnostic
 * its line and column), validated with ajv against INVENTORY_SCHEMA, then checked for what a
 * schema cannot say (unique names, one local host, key files that exist). ajv's own messages
 * are never shown: each error becomes a catalog diagnostic at the offending key or value.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair } from "yaml";
import { getAt, isObject, pointerParts, type Json as JsonValue } from "../../core/json.js";
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from "../../core/diagnostics/diagnostic.js";
import { didYouMean } from "../../core/diagnostics/suggest.js";
import { SourceFile } from "../../core/source/source-file.js";
import { span, type Span } from "../../core/source/span.js";
import { ENGINE_NAMES, type EngineName } from "../engines/engine.js";
import { ALL_FIELDS, COMMON, FIELD_EXPECTS, HOST_KINDS, INVENTORY_SCHEMA, KIND_FIELDS } from "./inventory-schema.js";

export interface SshTarget {
  address: string;
  port?: number;
  identity?: string;
  knownHosts?: string;
  hostKeyChecking: boolean;
}

interface HostCommon {
  name: string;
  gpus: number;
  memory?: number;
  /** The accelerator its GPUs are (contract/hardware.ts): stages that do not fit in its memory per device are not placed there. */
  hardware?: string;
  maxJobs: number;
  /** The engines the host runs (default: tfjs only); a torch stage goes only to a host that lists torch. */
  engines: EngineName[];
  /** The interpreter with torch there (else the usual search: /usr/bin/python3, python3). */
  python?: string;
}

export interface LocalSpec extends HostCommon {
  kind: "local";
}

export interface SshSpec extends HostCommon {
  kind: "ssh";
  ssh: SshTarget;
  workdir: string;
  node: string;
}

export interface SlurmSpec extends HostCommon {
  kind: "slurm";
  /** Where sbatch, squeue and scancel run: over ssh on the login node, or here. */
  login?: SshTarget;
  workdir: string;
  node: string;
  partition?: string;
  account?: string;
  gpusPerNode: number;
  maxNodes: number;
  /** In Slurm's own format (`D-HH:MM:SS`). */
  timeLimit?: string;
  cpusPerTask?: number;
  env: Record<string, string>;
  pollSeconds: number;
}

export type HostSpec = LocalSpec | SshSpec | SlurmSpec;

export interface Inventory {
  file: string;
  hosts: HostSpec[];
}

export interface InventoryResult {
  inventory?: Inventory;
  diagnostics: Diagnostic[];
  source: SourceFile;
}

/** The default remote work folder: relative, so under the login's home folder. */
const DEFAULT_WORKDIR = ".seer-host";

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

function parseSize(v: string | number): number {
  if (typeof v === "number") return v;
  const m = /^([0-9.]+)\s*([A-Za-z]+)$/.exec(v.trim());
  return m ? Math.round(Number(m[1]) * (SIZE_UNITS[m[2]!] ?? Number.NaN)) : Number.NaN;
}

/** `90m`, `72h`, `2d` as Slurm's `D-HH:MM:SS`; Slurm's own formats as they are. */
export function slurmTime(v: string): string {
  const m = /^([0-9]+)([smhd])$/.exec(v);
  if (!m) return v;
  const seconds = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
  const pad = (n: number) => String(n).padStart(2, "0");
  const d = Math.floor(seconds / 86400);
  return `${d}-${pad(Math.floor((seconds % 86400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(Math.ceil(seconds % 60))}`;
}

/** A local path from the inventory: `~` is the home folder, relative paths start at the inventory's folder. */
function localPath(p: string, inventoryDir: string): string {
  if (p === "~" || p.startsWith("~/")) return path.join(homedir(), p.slice(1));
  return path.resolve(inventoryDir, p);
}

let validator: ReturnType<Ajv["compile"]> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(INVENTORY_SCHEMA);
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** A mapping's pairs by key, made once per mapping: a host with thousands of bad keys is not searched once per key. */
const pairsByKey = new WeakMap<object, Map<string, Pair>>();
function pairOf(map: { items: unknown[] }, key: string): Pair | undefined {
  let index = pairsByKey.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) if (isPair(it) && isScalar(it.key) && !index.has(String(it.key.value))) index.set(String(it.key.value), it);
    pairsByKey.set(map, index);
  }
  return index.get(key);
}

/** Finds the YAML node (and its pair, for keys) at a JSON pointer. */
function nodeAt(doc: Document, ptr: string): { node?: Node; pair?: Pair } {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const part of pointerParts(ptr)) {
    if (isMap(node)) {
      pair = pairOf(node, part);
      node = pair?.value;
    } else if (isSeq(node)) {
      pair = undefined;
      node = node.items[Number(part)];
    } else return {};
  }
  return { ...(node && typeof node === "object" ? { node: node as Node } : {}), ...(pair ? { pair } : {}) };
}

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly file: SourceFile,
  ) {}

  /** The first line of a node (a whole mapping would underline many lines). */
  private of(node: Node | undefined): Span | undefined {
    const r = node?.range;
    if (!r) return undefined;
    const startLine = this.file.positionAt(r[0]).line;
    const lineEnd = this.file.lineStart(startLine + 1) - 1;
    return span(this.file.path, r[0], Math.max(r[0] + 1, Math.min(r[1], lineEnd >= r[0] ? lineEnd : r[1])));
  }

  value(ptr: string): Span {
    return this.of(nodeAt(this.doc, ptr).node) ?? this.whole();
  }

  key(ptr: string): Span {
    const { pair } = nodeAt(this.doc, ptr);
    const k = pair?.key;
    return (k && typeof k === "object" ? this.of(k as Node) : undefined) ?? this.value(ptr);
  }

  whole(): Span {
    return span(this.file.path, 0, Math.max(1, this.file.lineText(1).length));
  }
}

type Json = Record<string, unknown>;

function hostAt(data: unknown, ptr: string): Json | undefined {
  const m = /^\/hosts\/(\d+)/.exec(ptr);
  const hosts = (data as Json | null)?.["hosts"];
  const h = m && Array.isArray(hosts) ? (hosts[Number(m[1])] as unknown) : undefined;
  return isObject(h) ? h : undefined;
}

/** `the ssh host \`h1\``, or `a host` when it has no name yet. */
function describeHost(h: Json | undefined): string {
  const kind = typeof h?.["kind"] === "string" && (HOST_KINDS as readonly string[]).includes(h["kind"]) ? `${h["kind"]} host` : "host";
  return typeof h?.["name"] === "string" ? `the ${kind} \`${h["name"]}\`` : `a ${kind}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function schemaDiagnostics(errors: ErrorObject[], data: unknown, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const once = (key: string, d: () => Diagnostic) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d());
  };
  for (const e of errors) {
    const ptr = e.instancePath;
    const host = hostAt(data, ptr);
    const field = ptr.split("/").filter((p) => p && !/^\d+$/.test(p))[ptr.startsWith("/hosts/") ? 1 : 0] ?? "hosts";
    switch (e.keyword) {
      case "additionalProperties": {
        const prop = String((e.params as { additionalProperty: string }).additionalProperty);
        const where = ptr === "" ? "the hosts file (it has one list, `hosts`)" : describeHost(host);
        const help = didYouMean(prop, ptr === "" ? ["hosts"] : [...ALL_FIELDS]);
        once(`${ptr}/${prop}`, () => diag("HostsUnknownField", at.key(`${ptr}/${prop}`), { field: prop, where }, help ? { help } : {}));
        break;
      }
      case "required": {
        const prop = String((e.params as { missingProperty: string }).missingProperty);
        const what = ptr === "" ? "The hosts file" : capital(describeHost(host));
        once(`${ptr}/${prop}`, () => diag("HostsMissingField", ptr === "" ? at.whole() : at.value(ptr), { what, field: prop }));
        break;
      }
      case "false schema": {
        const kind = String(host?.["kind"] ?? "");
        once(ptr, () => diag("HostsFieldNotForKind", at.key(ptr), { field, kind }, { help: `${kind === "ssh" ? "an" : "a"} ${kind} host takes ${[...COMMON, ...(KIND_FIELDS[kind as "local"] ?? [])].map((f) => `\`${f}\``).join(", ")}` }));
        break;
      }
      case "if":
        break;
      default: {
        const value = ptr.endsWith(`/${field}`) || ptr === "/hosts" ? ptr : ptr.slice(0, ptr.indexOf(`/${field}`) + field.length + 1);
        once(value, () => {
          const allowed = e.keyword === "enum" ? ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String) : [];
          const help = allowed.length ? didYouMean(String(getAt(data as JsonValue, value)), allowed) : undefined;
          return diag("HostsBadValue", at.value(value), { field, expected: FIELD_EXPECTS[field] ?? "another value" }, help ? { help } : {});
        });
      }
    }
  }
  return out;
}

function sshTarget(h: Json, address: string, dir: string): SshTarget {
  return {
    address,
    ...(typeof h["port"] === "number" ? { port: h["port"] } : {}),
    ...(typeof h["identity"] === "string" ? { identity: localPath(h["identity"], dir) } : {}),
    ...(typeof h["known_hosts"] === "string" ? { knownHosts: localPath(h["known_hosts"], dir) } : {}),
    hostKeyChecking: h["host_key_checking"] !== false,
  };
}

/** The schema checked the list; absent: tfjs only. */
function engineList(v: unknown): EngineName[] {
  return Array.isArray(v) ? ENGINE_NAMES.filter((e) => v.includes(e)) : ["tfjs"];
}

function toSpec(h: Json, dir: string): HostSpec {
  const common: HostCommon = {
    name: String(h["name"]),
    gpus: typeof h["gpus"] === "number" ? h["gpus"] : 0,
    ...(h["memory"] !== undefined ? { memory: parseSize(h["memory"] as string | number) } : {}),
    ...(typeof h["hardware"] === "string" ? { hardware: h["hardware"] } : {}),
    maxJobs: typeof h["max_jobs"] === "number" ? h["max_jobs"] : h["kind"] === "slurm" ? 16 : 1,
    engines: engineList(h["engines"]),
    ...(typeof h["python"] === "string" ? { python: h["python"] } : {}),
  };
  if (h["kind"] === "local") return { ...common, kind: "local" };
  const workdir = typeof h["workdir"] === "string" ? h["workdir"] : DEFAULT_WORKDIR;
  const node = typeof h["node"] === "string" ? h["node"] : "node";
  if (h["kind"] === "ssh") return { ...common, kind: "ssh", ssh: sshTarget(h, String(h["address"]), dir), workdir, node };
  const gpusPerNode = typeof h["gpus_per_node"] === "number" ? h["gpus_per_node"] : common.gpus;
  return {
    ...common,
    gpus: typeof h["gpus"] === "number" ? h["gpus"] : gpusPerNode,
    kind: "slurm",
    ...(typeof h["login"] === "string" ? { login: sshTarget(h, h["login"], dir) } : {}),
    workdir,
    node,
    ...(typeof h["partition"] === "string" ? { partition: h["partition"] } : {}),
    ...(typeof h["account"] === "string" ? { account: h["account"] } : {}),
    gpusPerNode,
    maxNodes: typeof h["max_nodes"] === "number" ? h["max_nodes"] : 1,
    ...(typeof h["time_limit"] === "string" ? { timeLimit: slurmTime(h["time_limit"]) } : {}),
    ...(typeof h["cpus_per_task"] === "number" ? { cpusPerTask: h["cpus_per_task"] } : {}),
    env: Object.fromEntries(Object.entries((h["env"] as Json | undefined) ?? {}).map(([k, v]) => [k, String(v)])),
    pollSeconds: typeof h["poll_interval"] === "number" ? h["poll_interval"] : 2,
  };
}

/** What the schema cannot say: unique names, one local host, key files that exist, unchecked host keys. */
function crossChecks(hosts: Json[], dir: string, at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, number>();
  let local: string | undefined;
  hosts.forEach((h, i) => {
    const name = String(h["name"]);
    if (names.has(name)) out.push(diag("HostsDuplicateName", at.value(`/hosts/${i}/name`), { name }, { labels: [{ span: at.value(`/hosts/${names.get(name)}/name`), message: "first named here" }] }));
    else names.set(name, i);
    if (h["kind"] === "local") {
      if (local !== undefined) out.push(diag("HostsSecondLocal", at.value(`/hosts/${i}/kind`), { other: local }));
      else local = name;
    }
    for (const f of ["identity", "known_hosts"]) {
      const v = h[f];
      if (typeof v === "string" && !existsSync(localPath(v, dir))) out.push(diag("HostsFileNotFound", at.value(`/hosts/${i}/${f}`), { field: f, path: localPath(v, dir) }));
    }
    if (h["host_key_checking"] === false) out.push(diag("HostKeysUnchecked", at.value(`/hosts/${i}/host_key_checking`), { name }));
  });
  return out;
}

/** Where a mapping repeats a key (the repetition's first character), in one pass over each mapping. */
function duplicateKeys(doc: Document): [number, number][] {
  const out: [number, number][] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const it of map.items) {
        if (!isScalar(it.key)) continue;
        if (seen.has(it.key.value) && it.key.range) out.push([it.key.range[0], it.key.range[0] + 1]);
        seen.add(it.key.value);
      }
    },
  });
  return out;
}

/** `baseDir`: where relative key paths start (default: the file's folder). */
export function parseInventory(file: string, text: string, baseDir = path.dirname(path.resolve(file))): InventoryResult {
  const source = new SourceFile(file, text);
  // Duplicate keys are found here, not by the YAML library, which compares each key with every earlier one.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const at = new Locator(doc, source);
  const syntax = [...doc.errors.map((e) => ({ at: e.pos, message: e.message })), ...duplicateKeys(doc).map((at) => ({ at, message: "Map keys must be unique" }))];
  if (syntax.length > 0) {
    // The YAML library can repeat one error hundreds of times (an unclosed, deeply nested flow
    // sequence): each (place, message) once, the first 20 of them.
    const seen = new Set<string>();
    const diagnostics = syntax
      .map((e) => ({ at: e.at, message: /call stack/i.test(e.message) ? "It nests too deeply (a hosts file needs only a few levels)" : e.message.split("\n")[0]! }))
      .filter((e) => !seen.has(`${e.at[0]} ${e.message}`) && seen.add(`${e.at[0]} ${e.message}`))
      .sort((a, b) => a.at[0] - b.at[0])
      .slice(0, 20)
      .map((e) => diag("HostsSyntax", span(file, e.at[0], Math.max(e.at[1], e.at[0] + 1)), { detail: e.message.replace(/\.?$/, ".") }));
    return { diagnostics, source };
  }
  let data: unknown;
  try {
    // An alias bomb (aliases of aliases, each expanded) is refused here, not expanded.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const detail = e instanceof Error ? e.message.split("\n")[0]!.replace(/\.?$/, ".") : String(e);
    return { diagnostics: [diag("HostsSyntax", span(file, 0, Math.min(1, text.length)), { detail: `${detail} A hosts file has no need for YAML aliases that expand this much.` })], source };
  }
  const errors = validate(data);
  if (errors.length > 0) return { diagnostics: sortDiagnostics(schemaDiagnostics(errors, data, at)), source };
  const hosts = (data as { hosts: Json[] }).hosts;
  const diagnostics = sortDiagnostics(crossChecks(hosts, baseDir, at));
  if (hasErrors(diagnostics)) return { diagnostics, source };
  return { inventory: { file, hosts: hosts.map((h) => toSpec(h, baseDir)) }, diagnostics, source };
}
