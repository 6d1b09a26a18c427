/**
 * The JSON Schema of `hosts.yaml` (validated with ajv, allErrors) and, for each field, what a
 * diagnostic says it expects. Fields that belong to one kind of host are refused on another.
 */
import { HARDWARE_NAMES } from "../../contract/hardware.js";
import { ENGINE_NAMES } from "../engines/engine.js";

export const HOST_KINDS = ["local", "ssh", "slurm"] as const;

const SIZE = "^[0-9]+(\\.[0-9]+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$";
/** `user@host`, `host`, `user@[::1]`: nothing a shell or ssh could read as an option. */
const ADDRESS = "^(?!-)(?:[A-Za-z0-9._+-]+@)?(?:[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])$";
/** `90m`, `72h`, `2d`, or Slurm's own `MM`, `HH:MM:SS`, `D-HH:MM:SS`. */
const TIME = "^(?:[0-9]+[smhd]|(?:[0-9]+-)?[0-9]+(?::[0-9]{1,2}){0,2})$";
/** Slurm names (partition, account): no spaces or shell characters. */
const SLURM_NAME = "^[A-Za-z0-9_.-]+$";

const sshFields = {
  port: { type: "integer", minimum: 1, maximum: 65535 },
  identity: { type: "string", minLength: 1 },
  known_hosts: { type: "string", minLength: 1 },
  host_key_checking: { type: "boolean" },
};

/** Which fields each kind of host takes (besides COMMON's). */
export const KIND_FIELDS: Readonly<Record<(typeof HOST_KINDS)[number], readonly string[]>> = {
  local: [],
  ssh: ["address", "port", "identity", "known_hosts", "host_key_checking", "workdir", "node"],
  slurm: ["login", "port", "identity", "known_hosts", "host_key_checking", "workdir", "node", "partition", "account", "gpus_per_node", "max_nodes", "time_limit", "cpus_per_task", "env", "poll_interval"],
};

/** The fields every kind of host takes. */
export const COMMON: readonly string[] = ["name", "kind", "gpus", "memory", "hardware", "max_jobs", "engines", "python"];
export const ALL_FIELDS: readonly string[] = [...new Set([...COMMON, ...KIND_FIELDS.ssh, ...KIND_FIELDS.slurm])];

const notFor = (kind: (typeof HOST_KINDS)[number]) => Object.fromEntries(ALL_FIELDS.filter((f) => !COMMON.includes(f) && !KIND_FIELDS[kind].includes(f)).map((f) => [f, false]));

export const INVENTORY_SCHEMA = {
  type: "object",
  required: ["hosts"],
  additionalProperties: false,
  properties: {
    hosts: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name", "kind"],
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 64, pattern: "^[^\\u0000-\\u001f\\u007f]+$" },
          kind: { enum: [...HOST_KINDS] },
          gpus: { type: "integer", minimum: 0 },
          memory: { anyOf: [{ type: "integer", minimum: 1 }, { type: "string", pattern: SIZE }] },
          hardware: { enum: [...HARDWARE_NAMES] },
          max_jobs: { type: "integer", minimum: 1 },
          engines: { type: "array", minItems: 1, uniqueItems: true, items: { enum: [...ENGINE_NAMES] } },
          python: { type: "string", minLength: 1 },
          address: { type: "string", pattern: ADDRESS },
          login: { type: "string", pattern: ADDRESS },
          ...sshFields,
          workdir: { type: "string", minLength: 1 },
          node: { type: "string", minLength: 1 },
          partition: { type: "string", pattern: SLURM_NAME },
          account: { type: "string", pattern: SLURM_NAME },
          gpus_per_node: { type: "integer", minimum: 0 },
          max_nodes: { type: "integer", minimum: 1 },
          time_limit: { type: "string", pattern: TIME },
          cpus_per_task: { type: "integer", minimum: 1 },
          env: { type: "object", propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }, additionalProperties: { type: ["string", "number", "boolean"] } },
          poll_interval: { type: "number", exclusiveMinimum: 0, maximum: 600 },
        },
        allOf: [
          { if: { properties: { kind: { const: "local" } }, required: ["kind"] }, then: { properties: notFor("local") } },
          { if: { properties: { kind: { const: "ssh" } }, required: ["kind"] }, then: { required: ["address"], properties: notFor("ssh") } },
          { if: { properties: { kind: { const: "slurm" } }, required: ["kind"] }, then: { properties: notFor("slurm") } },
        ],
      },
    },
  },
} as const;

/** What each field takes, for diagnostics (never ajv's own message). */
export const FIELD_EXPECTS: Readonly<Record<string, string>> = {
  hosts: "a list of hosts",
  name: "a name of 1 to 64 characters without control characters",
  kind: "one of `local`, `ssh`, `slurm`",
  gpus: "a whole number of GPUs (0 or more)",
  memory: "a size such as `64GiB` or a number of bytes",
  hardware: `the accelerator its GPUs are, one of ${HARDWARE_NAMES.map((n) => `\`${n}\``).join(", ")} (docs/cost-model.md)`,
  max_jobs: "a whole number of stages at once (1 or more)",
  engines: "a list of engines the host runs: `tfjs`, `torch`",
  python: "the path of the Python interpreter that has torch there",
  address: "an ssh address `user@host` (letters, digits, `.`, `_`, `-`; not starting with `-`)",
  login: "an ssh address `user@host` of the login node",
  port: "a port number from 1 to 65535",
  identity: "the path of a private key file",
  known_hosts: "the path of a known_hosts file",
  host_key_checking: "`true` or `false`",
  workdir: "a folder on the host",
  node: "the path of the `node` program on the host",
  partition: "a Slurm partition name",
  account: "a Slurm account name",
  gpus_per_node: "a whole number of GPUs per node",
  max_nodes: "a whole number of nodes (1 or more)",
  time_limit: "a duration such as `90m`, `72h`, `2d` or `1-12:00:00`",
  cpus_per_task: "a whole number of CPUs (1 or more)",
  env: "a map of environment variables to values",
  poll_interval: "a number of seconds between status checks (up to 600)",
};
