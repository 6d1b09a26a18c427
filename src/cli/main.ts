/**
 * The `seer` command line. Exit codes: 0 clean, 1 recipe errors, 2 usage errors,
 * 3 runtime or host failures, 70 internal errors (a bug in seer).
 */
import { Command, CommanderError, Option } from "commander";
import { diag } from "../../core/diagnostics/diagnostic.js";
import { runCheck } from "./commands/check.js";
import { runDoctor } from "./commands/doctor.js";
import { runGraph } from "./commands/graph.js";
import { runPretrain } from "./commands/pretrain.js";
import { runExplain } from "./commands/explain.js";
import { runFmt } from "./commands/fmt.js";
import { runRender } from "./commands/render.js";
import { runRuns } from "./commands/runs.js";
import { runDiff } from "./commands/diff.js";
import { printable } from "../../core/diagnostics/printable.js";
import { fsProblem } from "../../core/fs/errors.js";
import { BackendNameError } from "../../runtime/backend/select.js";
import { EngineNameError, EngineUnavailableError, NODES_ENV_VAR, parseNodes, parseProcs, PROCS_ENV_VAR, ProcsError } from "../../runtime/engines/engine.js";
import { RecordError } from "../../runtime/records/errors.js";
import { EXIT, UsageError } from "./errors.js";
import { parseColor, parseFormat } from "./output.js";
import { SEER_VERSION } from "./version.js";

const collect = (v: string, prev: string[]) => [...prev, v];

function formatOption(): Option {
  return new Option("--format <format>", "diagnostics format").choices(["text", "json", "sarif", "github"]).default("text");
}

function colorOption(): Option {
  return new Option("--color <when>", "colour in text output").choices(["auto", "always", "never"]).default("auto");
}

function backendOption(): Option {
  return new Option("--backend <name>", "auto, tensorflow-gpu, tensorflow, wasm or cpu (default: SEER_BACKEND or auto)");
}

function procsOption(): Option {
  return new Option("--nproc-per-node <n>", "torch engine: ranks (processes) per host in a pretraining's process group (default: one per GPU the stage asks for, one on a CPU host; also SEER_NPROC_PER_NODE)");
}

function nodesOption(): Option {
  return new Option("--nnodes <n>", "torch engine: hosts of a pretraining's process group; more than one spans the SSH hosts of --hosts that run torch, rendezvous on the first (default 1; also SEER_NNODES)");
}

/** `--nproc-per-node` and `--nnodes`, checked (a bad value is a usage error), passed on as SEER_NPROC_PER_NODE and SEER_NNODES. */
function useProcs(value: string | undefined, nodes?: string): void {
  if (value !== undefined) process.env[PROCS_ENV_VAR] = String(parseProcs(value));
  if (nodes !== undefined) process.env[NODES_ENV_VAR] = String(parseNodes(nodes));
}

function engineOption(): Option {
  return new Option("--engine <name>", "tfjs or torch: the engine that runs pretrain-swav stages (torch: PyTorch, needs a Python with torch >= 1.13; every other stage stays on tfjs) (default: SEER_ENGINE or tfjs)");
}

function hardwareOption(what: string): Option {
  return new Option("--hardware <name>", `${what}: v100-32gb, a100-40gb, a100-80gb, h100-80gb, h200-141gb or cpu (docs/cost-model.md)`);
}

function setOption(): Option {
  return new Option("--set <name=value>", "override a recipe parameter (repeatable)").argParser(collect).default([]);
}

function buildProgram(result: { code: number }): Command {
  const program = new Command("seer")
    .description("A typed language and toolchain for reproducible self-supervised vision experiments.")
    .version(SEER_VERSION, "-V, --version", "print the seer version")
    .option("--debug", "show stack traces of internal errors")
    .showHelpAfterError("(run `seer --help` for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("check")
    .summary("type-check recipes")
    .description("Parse, resolve and type-check recipes: every mistake reported before anything runs.\nA directory means every .seer file below it (default: the current directory).")
    .argument("[paths...]", "recipe files or directories")
    .addOption(formatOption())
    .addOption(colorOption())
    .addOption(setOption())
    .addHelpText("after", "\nExamples:\n  seer check recipes/\n  seer check recipes/quickstart.seer --set pretrain_epochs=2\n  seer check recipes/ --format json > diagnostics.json\n  seer check recipes/ --format sarif > seer.sarif\n\nExit codes: 0 clean, 1 recipe errors, 2 usage errors.")
    .action((paths: string[], o: { format: string; color: string; set: string[] }) => {
      result.code = runCheck(paths, { format: parseFormat(o.format), color: parseColor(o.color), set: o.set });
    });

  program
    .command("fmt")
    .summary("format recipes")
    .description("Rewrite recipes in the canonical layout, keeping every comment. Idempotent.")
    .argument("<paths...>", "recipe files or directories")
    .option("--check", "change nothing; exit 1 if any file would be reformatted")
    .option("--stdout", "print the formatted text instead of rewriting files")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer fmt recipes/\n  seer fmt --check recipes/        # in CI\n  seer fmt --stdout quickstart.seer")
    .action((paths: string[], o: { check?: boolean; stdout?: boolean; color: string }) => {
      result.code = runFmt(paths, { check: Boolean(o.check), stdout: Boolean(o.stdout), format: "text", color: parseColor(o.color) });
    });

  program
    .command("render")
    .summary("print the fully resolved recipe")
    .description("Print the recipe with every default filled in and every derivation flattened.")
    .argument("<file>", "recipe file")
    .addOption(new Option("--format <format>", "output format").choices(["json", "yaml"]).default("json"))
    .addOption(colorOption())
    .addOption(setOption())
    .action(async (file: string, o: { format: string; color: string; set: string[] }) => {
      result.code = await runRender(file, { format: o.format, color: parseColor(o.color), set: o.set });
    });

  program
    .command("explain")
    .summary("explain a diagnostic code or a RegNet")
    .description("Explain a diagnostic code (SEER3001), a RegNet preset (--preset RegNetY-4.0GF), or a recipe's model: its stages, parameters with and without the head, FLOPs, activations and memory.")
    .argument("[target]", "a diagnostic code, or a recipe file")
    .argument("[model]", "with a recipe: the model (or pretraining) to explain")
    .option("--preset <name>", "a RegNet preset: published (`RegNetY-4.0GF`, `SEER-10B`) or identifier (`RegNetY_4GF`) name")
    .option("--input <size>", "input image size for the figures (default 224px, or the model's `input`)")
    .option("--batch <n>", "batch size for the training-memory estimate", "64")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer explain SEER3004\n  seer explain --preset SEER-10B\n  seer explain --preset RegNetY-4.0GF --input 160px --format json\n  seer explain recipes/quickstart.seer tiny")
    .action((target: string | undefined, model: string | undefined, o: { preset?: string; input?: string; batch?: string; format: string; color: string }) => {
      result.code = runExplain(target, model, { ...o, color: parseColor(o.color) });
    });

  program
    .command("graph")
    .summary("print the execution graph of a recipe")
    .description("Lower a recipe to its execution graph: data, pretraining, feature extraction, evaluation and report stages, each with a content-hash id (kind, resolved config, input ids, seer version).")
    .argument("<recipe>", "recipe file")
    .addOption(new Option("--format <format>", "output format").choices(["json", "dot", "mermaid"]).default("json"))
    .addOption(setOption())
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer graph recipes/quickstart.seer --format dot | dot -Tsvg > graph.svg\n  seer graph recipes/quickstart.seer --format mermaid")
    .action((file: string, o: { format: string; set: string[]; color: string }) => {
      result.code = runGraph(file, { format: o.format, set: o.set, color: parseColor(o.color) });
    });

  program
    .command("pretrain")
    .summary("run one SwAV pretraining of a recipe (cached like any stage; resumes after a kill)")
    .description("Run the recipe's `pretrain/NAME` stage (and the data stage it reads) through the same graph and content-addressed store as `seer run`: data, multi-crop, SwAV, checkpoints every `checkpoint.every`, per-step metrics (metrics.jsonl). Rerunning an unchanged recipe finds it cached; after an interruption it resumes from the last complete checkpoint and ends with the same weights; an edited recipe trains anew; `seer run` reuses the result.")
    .argument("<recipe>", "recipe file")
    .argument("<name>", "the pretrain declaration")
    .option("--out <dir>", "also copy the weights, metrics and summary into this folder (never over different files)")
    .addOption(setOption())
    .addOption(backendOption())
    .addOption(engineOption())
    .addOption(procsOption())
    .addOption(nodesOption())
    .option("--runs-dir <dir>", "where run records go", "runs")
    .option("--json", "print a machine-readable summary")
    .addOption(colorOption())
    .action(async (file: string, name: string, o: { out?: string; set: string[]; backend?: string; engine?: string; nprocPerNode?: string; nnodes?: string; json?: boolean; color: string; runsDir: string }) => {
      useProcs(o.nprocPerNode, o.nnodes);
      result.code = await runPretrain(file, name, { ...o, color: parseColor(o.color) });
    });

  program
    .command("plan")
    .summary("show what a run would do, and why, without running anything")
    .description("Every stage of the recipe's graph with `run` or `cached` and the reason (new, config changed: which fields, input changed, data changed, code version, backend or engine changed, output missing or corrupt), static estimates from the RegNet arithmetic (multiply-adds, pretraining time on this machine's backend, peak memory, checkpoint disk), missing data and infeasible resources. Nothing runs.")
    .argument("<recipe>", "recipe file")
    .addOption(setOption())
    .addOption(backendOption())
    .addOption(engineOption())
    .addOption(procsOption())
    .addOption(nodesOption())
    .addOption(hardwareOption("the accelerator to estimate memory and time for, with the GPUs each stage asks for (default: cpu, this machine)"))
    .option("--json", "print the plan as JSON")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer plan recipes/quickstart.seer\n  seer plan recipes/quickstart.seer --set pretrain_epochs=2 --json\n  seer plan recipes/seer-10b.seer --hardware a100-40gb\n\nExit codes: 0 planned, 1 recipe errors, 2 usage errors (an unknown --hardware), 3 infeasible resources (a stage that does not fit in device memory, or more accelerators than this host has without --hardware).")
    .action(async (file: string, o: { set: string[]; backend?: string; engine?: string; nprocPerNode?: string; nnodes?: string; hardware?: string; json?: boolean; color: string }) => {
      useProcs(o.nprocPerNode, o.nnodes);
      const { runPlanCommand } = await import("./commands/plan.js");
      result.code = await runPlanCommand(file, { set: o.set, json: !!o.json, color: parseColor(o.color), ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}), ...(o.hardware ? { hardware: o.hardware } : {}) });
    });

  program
    .command("why")
    .summary("explain why one stage would run or be cached")
    .argument("<recipe>", "recipe file")
    .argument("<stage>", "a stage name as `seer plan` shows it (or its last part)")
    .addOption(setOption())
    .addOption(backendOption())
    .addOption(engineOption())
    .option("--json", "print the decision as JSON")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer why recipes/quickstart.seer pretrain/swav_tiny\n  seer why recipes/quickstart.seer eval/quickstart/swav_tiny.pool/linear --set pretrain_epochs=2")
    .action(async (file: string, stage: string, o: { set: string[]; backend?: string; engine?: string; json?: boolean; color: string }) => {
      const { runWhy } = await import("./commands/plan.js");
      result.code = await runWhy(file, stage, { set: o.set, json: !!o.json, color: parseColor(o.color), ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}) });
    });

  program
    .command("run")
    .summary("run a recipe: pretraining, features, evaluations, report (cached stages are reused)")
    .description("Run the recipe's stages in dependency order on this machine, or with --hosts on the machines and Slurm clusters of a hosts inventory. Stages whose outputs are already in the project's cache (.seer/) are reused; outputs are published atomically; a killed or interrupted run resumes (stage cache plus pretraining checkpoints). Writes runs/<run-id>/record.json and record.yaml and the report. One run per project directory at a time.")
    .argument("<recipe>", "recipe file")
    .addOption(setOption())
    .option("--only <stage>", "run only this stage (a name, a name prefix such as eval/quickstart, or a declaration) and what it needs (repeatable)", collect, [])
    .option("--jobs <n>", "stages to run at once (default 1; with --hosts, every host's max_jobs)")
    .option("--hosts <file>", "a hosts inventory (hosts.yaml): run stages on these machines and clusters (docs/hosts.md)")
    .option("--retries <n>", "try a failed stage again up to N times, with backoff (default 0)")
    .option("--fail-fast", "stop starting stages after the first failure (default)")
    .option("--keep-going", "keep running stages that do not depend on a failed one")
    .addOption(backendOption())
    .addOption(engineOption())
    .addOption(procsOption())
    .addOption(nodesOption())
    .addOption(hardwareOption("the accelerator this machine's stages run on, for the memory check before anything runs (default: cpu when the backend computes on the CPU; unchecked on an unnamed GPU)"))
    .option("--runs-dir <dir>", "where run records go", "runs")
    .option("--json", "print a machine-readable summary on stdout at the end")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer run recipes/quickstart.seer\n  seer run recipes/quickstart.seer --set pretrain_epochs=1 --json\n  seer run recipes/quickstart.seer --only eval/quickstart --keep-going\n  seer run recipes/quickstart.seer --hosts hosts.yaml --retries 2 --json\n\nExit codes: 0 succeeded, 1 recipe or hosts-file errors, 2 usage errors, 3 a stage failed (or missing data, or the project is locked), 130 cancelled.")
    .action(async (file: string, o: { set: string[]; only: string[]; jobs?: string; hosts?: string; retries?: string; failFast?: boolean; keepGoing?: boolean; backend?: string; engine?: string; nprocPerNode?: string; nnodes?: string; hardware?: string; runsDir: string; json?: boolean; color: string }) => {
      useProcs(o.nprocPerNode, o.nnodes);
      const { runRun } = await import("./commands/run.js");
      const r = await runRun(file, { set: o.set, only: o.only, failFast: !!o.failFast, keepGoing: !!o.keepGoing, json: !!o.json, color: parseColor(o.color), runsDir: o.runsDir, argv: process.argv.slice(2), ...(o.jobs ? { jobs: o.jobs } : {}), ...(o.hosts ? { hosts: o.hosts } : {}), ...(o.retries ? { retries: o.retries } : {}), ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}), ...(o.hardware ? { hardware: o.hardware } : {}) });
      result.code = r.code;
    });

  program
    .command("reproduce")
    .summary("rerun a recorded run from scratch and compare its metrics")
    .argument("<record>", "a record.json / record.yaml file or a run directory")
    .option("--tolerance <points>", "allowed absolute difference in points: a number, or EVAL.METRIC=points (repeatable; default 0.5)", collect, [])
    .option("--workdir <dir>", "a new or empty project folder for the rerun (default: a new temp folder)")
    .option("--data <name=path>", "read dataset NAME from PATH (a folder, or a manifest file) instead of where the recorded run read it (repeatable)", collect, [])
    .addOption(backendOption())
    .addOption(engineOption())
    .option("--json", "print the comparison as JSON")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer reproduce runs/20261126-153012-3f9a1c/record.json --tolerance 0\n  seer reproduce runs/20261126-153012-3f9a1c --tolerance linear.top1=1 --tolerance 0.5\n  seer reproduce record.json --data photos=/mnt/archive/photos\n\nThe rerun reads each dataset where the recorded run read it (or from --data) and refuses data\nwhose fingerprint differs from the record's. It reruns the recorded --only selection.\n\nExit codes: 0 every metric within tolerance, 1 some metric differs, 2 bad options (--workdir not\nempty), 3 the rerun failed or the data differs.")
    .action(async (rec: string, o: { tolerance: string[]; workdir?: string; data: string[]; backend?: string; engine?: string; json?: boolean; color: string }) => {
      const { runReproduce } = await import("./commands/reproduce.js");
      result.code = await runReproduce(rec, { tolerance: o.tolerance, data: o.data, json: !!o.json, color: parseColor(o.color), ...(o.workdir ? { workdir: o.workdir } : {}), ...(o.backend ? { backend: o.backend } : {}), ...(o.engine ? { engine: o.engine } : {}) });
    });

  program
    .command("doctor")
    .summary("check this machine: backends, GPUs, memory, disk")
    .description("Print the Node and seer versions, the TensorFlow.js backends that are available and the one seer would use (and why the others are absent), SIMD and threads, visible GPUs (nvidia-smi), free memory and disk, and what to install for the GPU backend.")
    .option("--backend <name>", "backend to try: auto, tensorflow-gpu, tensorflow, wasm or cpu (default: SEER_BACKEND or auto)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (o: { backend?: string; format: string }) => {
      result.code = await runDoctor(o.backend ? { backend: o.backend, format: o.format } : { format: o.format });
    });

  program
    .command("runs")
    .summary("list the recorded runs, newest first")
    .description("List the runs in a runs directory, newest first: id, status, start time, recipe, wall-clock time, stages ran/cached/failed and a headline metric. A run whose record cannot be read is listed as `unreadable` with the reason; a run directory without a record yet as `incomplete`.")
    .option("--dir <dir>", "the runs directory (default: runs)")
    .option("--json", "print the list as JSON")
    .addHelpText("after", "\nExamples:\n  seer runs\n  seer runs --dir experiments/runs --json\n\nExit codes: 0 listed (even with unreadable records), 2 usage errors.")
    .action(async (o: { dir?: string; json?: boolean }) => {
      result.code = await runRuns(o);
    });

  program
    .command("diff")
    .summary("compare two runs: configuration, metrics, environment")
    .description("Compare two run records: recipe file and --set parameters, recipe sources, dataset fingerprints, seeds, the execution graph's stages (added, removed, and each changed config field by JSON Pointer), every metric with its delta, and the environment (seer, Node, tfjs, backend, platform, host, git). A RUN is a run id (or a unique prefix of one) in the runs directory, a run directory, or a record.json / record.yaml file. Differences are not an error.")
    .argument("<run-a>", "the first run (A)")
    .argument("<run-b>", "the second run (B); deltas are B - A")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--dir <dir>", "the runs directory run ids are looked up in (default: runs)")
    .addHelpText("after", "\nExamples:\n  seer diff 20261126-153012-3f9a1c 20261127-091500-a1b2c3\n  seer diff 20261126-1530 20261127-0915 --format markdown >> $GITHUB_STEP_SUMMARY\n  seer diff runs/old/record.yaml ../other-machine/runs/20261127-091500-a1b2c3 --format json\n\nExit codes: 0 compared (whether or not the runs differ), 2 unknown run or usage error, 3 unreadable record.")
    .action(async (a: string, b: string, o: { format: string; dir?: string }) => {
      result.code = await runDiff(a, b, o);
    });

  const hosts = program
    .command("hosts")
    .summary("check or test a hosts inventory (hosts.yaml)")
    .description("Where `seer run --hosts FILE` may place stages: this machine, SSH hosts and Slurm clusters (docs/hosts.md).");
  hosts
    .command("check")
    .summary("validate a hosts inventory")
    .description("Validate a hosts inventory: fields, values, unique names, key files. Diagnostics as `seer check` prints them.")
    .argument("<file>", "the inventory (hosts.yaml)")
    .addOption(formatOption())
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer hosts check hosts.yaml\n  seer hosts check hosts.yaml --format json\n\nExit codes: 0 valid, 1 errors in the file, 2 usage errors (a missing file).")
    .action(async (file: string, o: { format: string; color: string }) => {
      const { runHostsCheck } = await import("./commands/hosts.js");
      result.code = runHostsCheck(file, { format: parseFormat(o.format), color: parseColor(o.color) });
    });

  hosts
    .command("test")
    .summary("connect to every host and report what is there")
    .description("Connect to every host of an inventory and report Node and seer versions there, platform, GPUs (nvidia-smi), free disk at the work folder, and for Slurm clusters the version and partition state.")
    .argument("<file>", "the inventory (hosts.yaml)")
    .option("--install", "copy this seer build to hosts that lack it")
    .option("--json", "print the reports as JSON")
    .addOption(colorOption())
    .addHelpText("after", "\nExamples:\n  seer hosts test hosts.yaml\n  seer hosts test hosts.yaml --install --json\n\nExit codes: 0 every host answered, 1 errors in the file, 2 usage errors, 3 a host did not answer.")
    .action(async (file: string, o: { install?: boolean; json?: boolean; color: string }) => {
      const { runHostsTest } = await import("./commands/hosts-test.js");
      result.code = await runHostsTest(file, { install: !!o.install, json: !!o.json, color: parseColor(o.color) });
    });

  const data = program
    .command("data")
    .summary("look at image data before a recipe reads it")
    .description("Commands on image folders, read as a recipe's `image_folder` (with `labels = folders`) reads them (docs/data.md).");
  data
    .command("scan")
    .summary("count, measure and check every file of an image folder")
    .description("Read every image file of a folder once (as `image_folder` with `labels = folders` lists them: .jpg, .jpeg, .png, .webp; hidden files skipped; links followed once), or of a manifest (CSV or JSON Lines: a `path` column relative to the manifest's folder, an optional `label` column), and report counts, classes (sub-folders), sizes (min / median / max), formats, colour, bit depth, unusable files by reason (a manifest's bad-row, outside-root, missing; then empty-file, unreadable, not-an-image, pixel-limit, corrupt), exact duplicates by SHA-256 of the bytes, and the symbolic links not followed. Progress on stderr every second once a scan has taken a second; Ctrl-C stops it.")
    .argument("<path>", "the image folder, or a manifest file")
    .option("--json", "print the findings as a versioned JSON object")
    .addHelpText("after", "\nExamples:\n  seer data scan data/photos\n  seer data scan data/photos --json > scan.json\n  seer data scan data/manifest.csv\n\nExit codes: 0 scanned (unusable files and duplicates are findings, not errors), 2 usage errors, 3 a missing path or a manifest that cannot be parsed, 130 cancelled.")
    .action(async (target: string, o: { json?: boolean }) => {
      const { runDataScan } = await import("./commands/data-scan.js");
      result.code = await runDataScan(target, { json: !!o.json });
    });

  program
    .command("stage-exec", { hidden: true })
    .description("Run one stage from JOBDIR/job.json and write JOBDIR/result.json (what `seer run` starts on a host); --serve: run job folders read from standard input.")
    .argument("[jobdir]", "the job folder")
    .option("--events <file>", "append events (JSON lines) to this file instead of standard output")
    .option("--serve", "read {\"run\": JOBDIR} and {\"cancel\": JOBDIR} lines on standard input; exit when it ends")
    .action(async (jobDir: string | undefined, o: { events?: string; serve?: boolean }) => {
      const { runStageExec } = await import("./commands/stage-exec.js");
      result.code = await runStageExec(jobDir, o);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(result);
  const debug = argv.includes("--debug");
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    // Lets the test suite prove that internal errors exit 70 without a raw stack trace.
    if (process.env["SEER_TEST_INTERNAL_ERROR"] === "1") throw new Error("forced by SEER_TEST_INTERNAL_ERROR");
    await program.parseAsync(argv, { from: "user" });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`seer: ${printable(e.message)}\n${e.help ? `  help: ${printable(e.help)}\n` : ""}`);
      return EXIT.usage;
    }
    if (e instanceof BackendNameError) {
      process.stderr.write(`seer: ${printable(e.message)}\n  help: ${e.help}\n`);
      return EXIT.usage;
    }
    if (e instanceof EngineNameError || e instanceof ProcsError) {
      process.stderr.write(`seer: ${printable(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof EngineUnavailableError) {
      process.stderr.write(`seer: ${e.message}\n  help: ${e.help}\n`);
      return EXIT.runtime;
    }
    if (e instanceof RecordError) {
      process.stderr.write(`seer: ${printable(e.message)}\n`);
      return EXIT.runtime;
    }
    const fs = fsProblem(e);
    if (fs) {
      process.stderr.write(`seer: ${printable(fs.message)}\n`);
      return EXIT.runtime;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    const d = diag("InternalError", { file: "<seer>", start: 0, end: 0 }, { detail: err.message.replace(/\.$/, "") });
    process.stderr.write(`${d.severity}[${d.code}]: ${printable(d.message)}\n`);
    if (debug) process.stderr.write(`${err.stack ?? ""}\n`);
    else process.stderr.write("  (run again with --debug for the stack trace)\n");
    return EXIT.internal;
  }
}
