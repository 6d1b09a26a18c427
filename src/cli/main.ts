/**
 * The `seer` command line. Exit codes: 0 clean, 1 recipe errors, 2 usage errors,
 * 3 runtime or host failures, 70 internal errors (a bug in seer).
 */
import { Command, CommanderError, Option } from "commander";
import { diag } from "../../compiler/diagnostics/diagnostic.js";
import { runCheck } from "./commands/check.js";
import { runDoctor } from "./commands/doctor.js";
import { runGraph } from "./commands/graph.js";
import { runPretrain } from "./commands/pretrain.js";
import { runExplain } from "./commands/explain.js";
import { runFmt } from "./commands/fmt.js";
import { runRender } from "./commands/render.js";
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
    .summary("run one SwAV pretraining of a recipe (resumes from its last checkpoint)")
    .description("Pretrain the named `pretrain` declaration: data, multi-crop, SwAV, checkpoints every `checkpoint.every`, per-step metrics (metrics.jsonl). Running it again after an interruption resumes from the last complete checkpoint and ends with the same weights.")
    .argument("<recipe>", "recipe file")
    .argument("<name>", "the pretrain declaration")
    .option("--out <dir>", "output folder (default .seer/pretrain/NAME)")
    .addOption(setOption())
    .option("--backend <name>", "auto, tensorflow-gpu, tensorflow, wasm or cpu (default: SEER_BACKEND or auto)")
    .option("--workers <n>", "data-loader worker threads (default: cores - 1)")
    .option("--json", "print a machine-readable summary")
    .addOption(colorOption())
    .action(async (file: string, name: string, o: { out?: string; set: string[]; backend?: string; workers?: string; json?: boolean; color: string }) => {
      result.code = await runPretrain(file, name, { ...o, color: parseColor(o.color) });
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
      process.stderr.write(`seer: ${e.message}\n${e.help ? `  help: ${e.help}\n` : ""}`);
      return EXIT.usage;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    const d = diag("InternalError", { file: "<seer>", start: 0, end: 0 }, { detail: err.message.replace(/\.$/, "") });
    process.stderr.write(`${d.severity}[${d.code}]: ${d.message}\n`);
    if (debug) process.stderr.write(`${err.stack ?? ""}\n`);
    else process.stderr.write("  (run again with --debug for the stack trace)\n");
    return EXIT.internal;
  }
}
