/**
 * The one catalog of diagnostics. Codes are stable: never renumber, never reuse.
 * Ranges: 1xxx lexing and parsing, 2xxx names and imports, 3xxx types and values,
 * 4xxx domain rules (RegNet, SwAV, evaluations), 5xxx graph and plan, 6xxx runtime and
 * hosts, 9xxx internal errors.
 *
 * Messages: one sentence, ending with a period; code in backticks; `{param}` placeholders.
 * `explain` is the long form printed by `seer explain CODE` (and docs/diagnostics.md).
 */
import type { Severity } from "./diagnostic.js";

export interface CatalogEntry {
  code: string;
  severity: Severity;
  message: string;
  /** What the diagnostic is about, for the generated docs. */
  title: string;
  explain: string;
}

const entries = {
  // ---- 1xxx: lexing and parsing -------------------------------------------------
  UnexpectedCharacter: {
    code: "SEER1001", severity: "error", title: "Unexpected character",
    message: "Unexpected character {char}.",
    explain: "The lexer met a character that cannot start any token of the seer language, such as `@`, `#` or a control byte. Runs of such characters are reported once. Remove them, or put them inside a string (`\"...\"`) or a comment (`// ...`).",
  },
  UnterminatedString: {
    code: "SEER1002", severity: "error", title: "Unterminated string",
    message: "This string is never closed; add a closing `\"` before the end of the line.",
    explain: "Strings are written between double quotes and must close on the same line. Use `\\n` for a newline inside a string.\n\n    root = \"data/imagenet\"",
  },
  UnterminatedComment: {
    code: "SEER1003", severity: "error", title: "Unterminated block comment",
    message: "This `/*` comment is never closed with `*/`.",
    explain: "Block comments run from `/*` to the next `*/`; they do not nest. Close the comment, or use `//` line comments.",
  },
  InvalidEscape: {
    code: "SEER1004", severity: "error", title: "Invalid escape sequence",
    message: "Unknown escape sequence `{escape}` in a string.",
    explain: "Strings accept the escapes `\\\\`, `\\\"`, `\\n`, `\\t`, `\\r` and `\\u{HEX}` (1 to 6 hexadecimal digits). Write a backslash itself as `\\\\`.",
  },
  InvalidNumber: {
    code: "SEER1005", severity: "error", title: "Invalid number",
    message: "`{text}` is not a valid number.",
    explain: "Numbers are decimal: `12`, `0.25`, `1e-5`, with `_` between digits as a separator (`1_000`) and an optional count suffix `K` (thousand), `M` (million) or `B` (billion): `16K`, `1B`. A number must be finite.",
  },
  MissingValue: {
    code: "SEER1010", severity: "error", title: "Missing value",
    message: "A value is missing after `=`.",
    explain: "A field is written `name = value`. Give the value, or remove the field to use its default.\n\n    depth = 13",
  },
  ListSeparatorExpected: {
    code: "SEER1011", severity: "error", title: "Missing list separator",
    message: "`,` or `]` expected between list items.",
    explain: "List items are separated by commas; a trailing comma is allowed.\n\n    milestones = [8 epochs, 16 epochs, 24 epochs]",
  },
  ExpectedToken: {
    code: "SEER1012", severity: "error", title: "Expected token",
    message: "Expected {expected} but found {found}.",
    explain: "The parser needed a particular token here. The message says which one; the code frame shows where. Common causes: a missing `}` or `]`, a missing `=` between a field name and its value, or a stray character.",
  },
  UnexpectedToken: {
    code: "SEER1013", severity: "error", title: "Unexpected token",
    message: "Unexpected {found} here; expected {expected}.",
    explain: "The token cannot start what the parser expects at this place. A value can be a number, a quantity (`20 epochs`, `224px`, `80%`), a string, `true`, `false`, `none`, a list `[...]`, a record `{...}`, a constructor record (`crop { ... }`), a reference (`shapes.train`) or `random_init(model)`.",
  },
  ExpectedDeclaration: {
    code: "SEER1014", severity: "error", title: "Expected a declaration",
    message: "Expected a declaration, an `import` or a `param` but found {found}.",
    explain: "A recipe file is a list of `import \"path\" as name`, `param NAME: TYPE = VALUE` and declarations `KIND NAME [= BASE] [{ fields }]` with KIND one of `dataset`, `model`, `pretrain`, `eval`, `suite`, `report`.",
  },
  NestingTooDeep: {
    code: "SEER1015", severity: "error", title: "Nesting too deep",
    message: "Brackets are nested more than {limit} levels deep.",
    explain: "seer refuses input nested deeper than a fixed limit, so that hostile or broken files cannot exhaust the stack. No real recipe comes close to the limit; look for unbalanced brackets.",
  },
  FieldSeparatorExpected: {
    code: "SEER1016", severity: "error", title: "Missing `=` after a field name",
    message: "Expected `=` or `{` after the field name `{field}`.",
    explain: "A field is either `name = value` or a nested record `name { fields }`.\n\n    batch = 256 images\n    sinkhorn { iterations = 3  epsilon = 0.05 }",
  },
  UnclosedBracket: {
    code: "SEER1017", severity: "error", title: "Unclosed bracket",
    message: "This `{open}` is never closed; expected `{close}` before the end of the file.",
    explain: "Every `{`, `[` and `(` needs its closing partner. The code frame points at the opening bracket that was left open.",
  },
  SourceTooLarge: {
    code: "SEER1018", severity: "error", title: "File too large",
    message: "This file is larger than seer reads: more than {limit} {unit}.",
    explain: "seer reads a recipe file of up to 4,194,304 characters and 500,000 tokens (names, numbers, strings and punctuation; comments do not count), so that a hostile or generated file cannot make checking take gigabytes of memory. That is about 2 MB of ordinary recipe text, hundreds of times the largest real recipe. Split a generated recipe into modules (`import`), each within the limits.",
  },
  // ---- 2xxx: names, declarations and imports -------------------------------------
  UnknownName: {
    code: "SEER2001", severity: "error", title: "Unknown name",
    message: "No {what} named `{name}`.",
    explain: "A reference names something that is not declared in this file, not imported, and not a parameter. Check the spelling (seer suggests near names), declare it, or import the module that declares it and write `module.name`.",
  },
  DuplicateName: {
    code: "SEER2002", severity: "error", title: "Duplicate name",
    message: "`{name}` is already declared in this file.",
    explain: "Declarations, parameters and import aliases of one file share one namespace, and each name can be declared once. Rename one of them. To vary a declaration, derive a new one from it: `pretrain long = short { duration = 400 epochs }`.",
  },
  ImportCycle: {
    code: "SEER2003", severity: "error", title: "Import cycle",
    message: "Import cycle: {cycle}.",
    explain: "Modules must form a tree: a file may not import itself, directly or through other files. Move the shared declarations into a third file that both import.",
  },
  ImportNotFound: {
    code: "SEER2004", severity: "error", title: "Module not found",
    message: "Cannot find the module `{path}`.",
    explain: "Relative imports (`import \"evals.seer\" as evals`) are resolved against the importing file's folder. Standard-library modules are written `std/NAME` (for example `std/regnet`).",
  },
  UnknownMember: {
    code: "SEER2005", severity: "error", title: "Unknown module member",
    message: "The module `{module}` has no declaration named `{name}`.",
    explain: "`alias.name` refers to a declaration of an imported module. Check the spelling; `seer render` on the module lists what it declares.",
  },
  WrongKind: {
    code: "SEER2006", severity: "error", title: "Wrong kind of reference",
    message: "`{name}` is {actual}, but {expected} is needed here.",
    explain: "Each field takes references of one kind: `model` takes a model, `data` a dataset or a dataset split (`shapes.train`), `features` a feature tap (`swav_tiny.pool`), `evals` evaluations, and so on.",
  },
  DerivationCycle: {
    code: "SEER2007", severity: "error", title: "Cyclic derivation",
    message: "`{name}` derives from itself: {cycle}.",
    explain: "`KIND a = b { ... }` copies `b` and overrides fields, so `b` must not (directly or indirectly) derive from `a`.",
  },
  UnknownDeclarationKind: {
    code: "SEER2008", severity: "error", title: "Unknown declaration kind",
    message: "Unknown declaration kind `{kind}`.",
    explain: "Declarations start with one of `dataset`, `model`, `pretrain`, `eval`, `suite` or `report`.",
  },
  UnknownConstructor: {
    code: "SEER2009", severity: "error", title: "Unknown constructor",
    message: "No constructor or declaration named `{name}`.",
    explain: "The base of a declaration (after `=`) is a constructor from the standard library (`regnet`, `swav`, `synthetic`, `image_folder`, `manifest`, `copy_detection_set`, `linear_probe`, `knn`, `fairness`, `robustness`, `copy_detection`, `table`), a preset (`regnet.RegNetY_4GF`), or another declaration of the same kind.",
  },
  ConstructorKindMismatch: {
    code: "SEER2010", severity: "error", title: "Constructor of another kind",
    message: "`{ctor}` makes {made}, not {kind}.",
    explain: "The declaration's kind and its base must agree: `model m = regnet { ... }`, `pretrain p = swav { ... }`, `dataset d = synthetic { ... }`, `eval e = knn { ... }`, `report r = table { ... }`. A declaration derived from another must have the same kind.",
  },
  InvalidImportPath: {
    code: "SEER2011", severity: "error", title: "Invalid import path",
    message: "Import paths must be relative paths to `.seer` files or `std/NAME`; `{path}` is not.",
    explain: "Recipes may import other recipe files by a relative path ending in `.seer`, or standard-library modules as `std/NAME`. Absolute paths are refused so that a recipe means the same on every machine.",
  },
  UnknownParam: {
    code: "SEER2012", severity: "error", title: "Unknown parameter",
    message: "The recipe has no parameter named `{name}`.",
    explain: "`--set NAME=VALUE` overrides a `param NAME: TYPE = DEFAULT` declared in the recipe file given on the command line.",
  },
  MissingConstructor: {
    code: "SEER2013", severity: "error", title: "Missing constructor",
    message: "A {kind} declaration needs a base: write `{kind} {name} = CONSTRUCTOR { ... }`.",
    explain: "Only `suite` declarations stand alone. Every other declaration names what it is built from: `dataset d = synthetic { ... }`, `model m = regnet { ... }` or another declaration of the same kind.",
  },
  UnusedImport: {
    code: "SEER2014", severity: "warning", title: "Unused import",
    message: "The import `{alias}` is never used.",
    explain: "Nothing in this file refers to the imported module. Remove the import, or use its declarations as `alias.name`.",
  },
  UnknownSplit: {
    code: "SEER2015", severity: "error", title: "Unknown dataset split",
    message: "The dataset `{dataset}` has no split named `{name}`.",
    explain: "`dataset.split` refers to one of the splits declared in the dataset's `splits { ... }` record (for example `train` and `test`).",
  },
  UnknownTap: {
    code: "SEER2016", severity: "error", title: "Unknown feature tap",
    message: "`{name}` is not a feature tap of `{model}`.",
    explain: "Feature taps are `stem`, `res2` up to `res{n+1}` for a network of n stages (VISSL's names), and `pool` (global average pooling of the last stage). A pretraining's taps, and those of `random_init(PRETRAIN)`, are those of the model in its `model` field.",
  },
  DerivationTooDeep: {
    code: "SEER2017", severity: "error", title: "Derivation too deep",
    message: "`{name}` derives through more than {limit} declarations.",
    explain: "`KIND a = b { ... }` copies `b`, which may itself be a copy of another declaration, and so on; seer refuses a chain of more than a fixed number of such copies, so that a hostile or generated file cannot make checking slow or large. No real recipe comes close to the limit: derive the declarations from a common base instead of from each other in a line.",
  },
  // ---- 3xxx: types and values ------------------------------------------------
  UnknownField: {
    code: "SEER3001", severity: "error", title: "Unknown field",
    message: "Unknown field `{field}` in `{ctor}`.",
    explain: "The constructor has no field of this name. seer never ignores a misspelt key: check the suggestion, or `seer render` a declaration to see every field with its default.",
  },
  MissingField: {
    code: "SEER3002", severity: "error", title: "Missing field",
    message: "`{ctor}` needs the field `{field}`.",
    explain: "This field has no default and must be given.",
  },
  TypeMismatch: {
    code: "SEER3003", severity: "error", title: "Type mismatch",
    message: "`{field}` takes {expected}; this is {found}.",
    explain: "The value has the wrong type for the field, for example a string where a number is needed, or a number where a duration with a unit (`20 epochs`) is needed.",
  },
  WrongUnit: {
    code: "SEER3004", severity: "error", title: "Wrong unit",
    message: "`{field}` takes {expected}; `{value}` is {found}.",
    explain: "Quantities carry units: durations are `images`, `steps` or `epochs` (singular or plural); sizes are `px`; fractions are `%`. A value whose unit does not fit the field is an error, never silently converted.",
  },
  OutOfRange: {
    code: "SEER3005", severity: "error", title: "Value out of range",
    message: "`{field}` must be {constraint}; {value} is not.",
    explain: "The value lies outside the range the field allows. Each field's range is listed in the language reference (`docs/language.md`).",
  },
  UnknownEnumValue: {
    code: "SEER3006", severity: "error", title: "Unknown choice",
    message: "`{value}` is not a valid `{field}`; expected one of {allowed}.",
    explain: "The field takes one of a fixed set of bare names (for example `family = Y`, `format = html`).",
  },
  NotMultiple: {
    code: "SEER3007", severity: "error", title: "Not a multiple",
    message: "`{field}` must be a multiple of {factor}; {value} is not.",
    explain: "Some quantities must be multiples of a fixed step, such as RegNet's `w0` (a multiple of 8 channels).",
  },
  DuplicateField: {
    code: "SEER3008", severity: "error", title: "Duplicate field",
    message: "The field `{field}` is set more than once.",
    explain: "Each field may be set once per record. Remove one of the assignments.",
  },
  ListTooShort: {
    code: "SEER3009", severity: "error", title: "List too short",
    message: "`{field}` needs at least {min} item(s).",
    explain: "The list may not be empty (or shorter than stated).",
  },
  InvalidOverride: {
    code: "SEER3010", severity: "error", title: "Invalid override",
    message: "`--set` takes `NAME=VALUE`; `{text}` is not of that form.",
    explain: "Parameters declared with `param NAME: TYPE = DEFAULT` are overridden on the command line as `--set NAME=VALUE`, where VALUE is written as in a recipe (`--set pretrain_epochs=2` or `--set pretrain_epochs=\"2 epochs\"`).",
  },
  UnknownParamType: {
    code: "SEER3011", severity: "error", title: "Unknown parameter type",
    message: "Unknown parameter type `{type}`.",
    explain: "Parameter types are `int`, `number`, `string`, `bool`, `images`, `steps`, `epochs`, `duration` (any of those three), `px` and `percent`.",
  },
  ParamTypeMismatch: {
    code: "SEER3012", severity: "error", title: "Parameter value of the wrong type",
    message: "The parameter `{name}` is {type}; this is {found}.",
    explain: "A parameter's default and every `--set` override must have the parameter's declared type. A bare number is accepted for a unit type (`--set pretrain_epochs=2` means `2 epochs`).",
  },
  NotAConstant: {
    code: "SEER3013", severity: "error", title: "Not a constant",
    message: "A parameter value must be a constant, not a reference or record.",
    explain: "Parameter defaults and overrides are numbers, quantities, strings, booleans or lists of those.",
  },
  // ---- 4xxx: domain rules ----------------------------------------------------
  RegNetInvalid: {
    code: "SEER4001", severity: "error", title: "Invalid RegNet",
    message: "{detail}",
    explain: "The RegNet parameters expand (pycls rules: per-block widths w0 + wa*j quantised in powers of wm to multiples of 8, grouped into stages, then widths adjusted to the group width) to a network that cannot be built. `seer explain --preset` and `seer explain RECIPE MODEL` show the expansion.",
  },
  SeRatioOnX: {
    code: "SEER4002", severity: "warning", title: "SE ratio on a RegNetX",
    message: "RegNetX has no squeeze-and-excitation; `se_ratio` is ignored.",
    explain: "RegNetY is RegNetX plus squeeze-and-excitation. Set `family = Y` to use SE, or remove `se_ratio`.",
  },
  RegNetHuge: {
    code: "SEER4003", severity: "warning", title: "RegNet far larger than any trained one",
    message: "This RegNet has {params} parameters in its trunk, more than 10 times SEER's largest (10B); check `w0`, `wa`, `wm` and `depth`.",
    explain: "SEER's largest trunk, RegNetY-256GF-based SEER-10B, has about 10 billion parameters and took 496 A100 GPUs. A trunk over 100 billion parameters is almost always a typo in the width parameters (w0, wa, wm): `seer explain RECIPE MODEL` shows the expansion stage by stage. The recipe still checks; `seer plan` estimates what it would cost.",
  },
  NoAssignCrops: {
    code: "SEER4010", severity: "error", title: "No crop group to assign codes from",
    message: "SwAV needs a crop group with `count` of at least 2 to compute codes from.",
    explain: "SwAV computes codes (Sinkhorn assignments) from the crops of the first group with at least two crops, and predicts each from the other crops. Give the first, large-resolution group `count = 2`.\n\n    crops = [crop { count = 2  size = 224px  scale = 0.14..1.0 }, crop { count = 6  size = 96px  scale = 0.05..0.14 }]",
  },
  CropScaleOutOfRange: {
    code: "SEER4011", severity: "error", title: "Crop scale out of range",
    message: "A crop scale must lie within (0, 1]; {range} goes {side}.",
    explain: "`scale = lo..hi` gives the fraction of the image area a RandomResizedCrop covers. Both ends must lie in (0, 1].",
  },
  RangeNotIncreasing: {
    code: "SEER4012", severity: "error", title: "Range not increasing",
    message: "A range must go from low to high; {range} does not.",
    explain: "Write ranges as `low..high`, for example `scale = 0.14..1.0`.",
  },
  QueueNotMultiple: {
    code: "SEER4013", severity: "error", title: "Queue length not a multiple of the batch",
    message: "The queue length must be a multiple of the global batch ({batch}); {length} is not.",
    explain: "The SwAV queue holds whole batches of past embeddings, so its length is a multiple of the global batch (swav and VISSL trim it silently; seer asks you to say what you mean).",
  },
  BatchNotDivisible: {
    code: "SEER4014", severity: "error", title: "Batch not divisible by GPUs",
    message: "The global batch ({batch}) must divide evenly over {gpus} GPUs.",
    explain: "Each GPU processes `batch / gpus` images per step. Choose a batch that is a multiple of the number of GPUs.",
  },
  SplitsSum: {
    code: "SEER4015", severity: "error", title: "Splits do not add up",
    message: "Percentage splits must add up to 100%; these add up to {sum}%.",
    explain: "`splits { train = 80%  test = 20% }` divides a dataset deterministically; the parts must add up to 100%.",
  },
  UnknownGroupAttribute: {
    code: "SEER4016", severity: "error", title: "Unknown group attribute",
    message: "`{name}` is not an attribute of the dataset `{dataset}`.",
    explain: "A fairness evaluation breaks accuracy down by attributes that its test dataset has: `attributes = [...]` of a `manifest`, or `group` of a `synthetic` dataset with `groups` set.",
  },
  ClassesMismatch: {
    code: "SEER4018", severity: "error", title: "Test set with other classes",
    message: "`{test}` does not share the classes of the probe's training set `{train}`.",
    explain: "A robustness test scores the probe's outputs on another test set, which must have the training set's classes: it is a split of the same dataset, derived from it, has the same `classes`, or is declared `subset_of` it (its outputs are then masked to its classes). A fairness evaluation's test set (its own `test`, or its inline probe's) must not have other classes either; as its labels may be the probe's class indices (a manifest's integer labels), which only reading the data shows, it is refused only when both it and the training set declare `classes` (a `synthetic` dataset always has them) and the numbers differ.",
  },
  MilestonePastEnd: {
    code: "SEER4019", severity: "warning", title: "Milestone past the end",
    message: "The milestone {milestone} lies at or past the end of the run ({total}); it has no effect.",
    explain: "Multistep schedules decay the learning rate at each milestone; one at or beyond the run's length never fires.",
  },
  WarmupTooLong: {
    code: "SEER4020", severity: "warning", title: "Warmup as long as the run",
    message: "The warmup ({warmup}) lasts the whole run ({total}); the learning rate never reaches its peak.",
    explain: "A linear warmup leads into the schedule. When it is as long as the run (for example after `--set pretrain_epochs=1` with a one-epoch warmup), the run ends while the learning rate is still rising. Shorten the warmup (a percentage such as `warmup = 10%` scales with the run) or lengthen the run.",
  },
  NeedsLabels: {
    code: "SEER4021", severity: "error", title: "Labels needed",
    message: "`{dataset}` has no labels, but `{field}` trains or scores a classifier.",
    explain: "Probes and k-NN evaluations need labelled data. A dataset declared with `labels = none` can only be used for self-supervised pretraining.",
  },
  NeedsTestSet: {
    code: "SEER4022", severity: "error", title: "No test set",
    message: "`{name}` needs a `test` set: give one, or use a probe that has one.",
    explain: "A fairness evaluation scores the probe on a test set broken down by group; it takes the probe's `test` when it has none of its own.",
  },
  TestSplitUnknown: {
    code: "SEER4024", severity: "error", title: "Whole dataset used as a split",
    message: "`{dataset}` is split into {splits}; name one of them (for example `{dataset}.{first}`).",
    explain: "A dataset with `splits` is used through one split at a time, so training and test data never overlap by accident.",
  },
  NeedsCopyDetectionSet: {
    code: "SEER4025", severity: "error", title: "Copy-detection set needed",
    message: "`{dataset}` is a `{ctor}` dataset, but copy detection needs a `copy_detection_set`.",
    explain: "A copy-detection evaluation ranks a database of originals (and distractors) for each edited query and scores the rankings with mean average precision, so its `data` must say which images are queries, originals and distractors: a `copy_detection_set`. Labelled datasets can still be used to learn the whitening: `whitening = pca { dims = 512  train = shapes.train }`.",
  },
  // ---- 6xxx: runtime ----------------------------------------------------------
  DataUnavailable: {
    code: "SEER6001", severity: "error", title: "Dataset cannot be read",
    message: "The dataset `{name}` cannot be read: {detail}",
    explain: "Before anything trains, seer opens every dataset a stage needs: the root folder or manifest must exist and hold readable images of the kinds the dataset declares. Unreadable or corrupt images inside a readable dataset are not errors: they are counted, reported once with their paths, and skipped.",
  },
  StageFailed: {
    code: "SEER6002", severity: "error", title: "Stage failed",
    message: "The stage `{stage}` failed.",
    explain: "A stage of the run failed while it ran, after any `--retries`. The notes say which stage, the host it ran on (`local`: this machine), the cause, and its log in the run folder (`runs/RUN-ID/logs/STAGE.log`: its start, every line it logged, each failed attempt). Stages that read its output are skipped; with `--fail-fast` (the default) nothing new starts, with `--keep-going` independent stages go on, and the run exits 3. Everything published so far stays in the cache: fix the cause and run again, and only this stage and what depends on it run.",
  },
  StageUnplaceable: {
    code: "SEER6003", severity: "error", title: "No host can run a stage",
    message: "No host can run the stage `{stage}`.",
    explain: "A stage goes to a host with enough accelerators (a CPU-only host's CPU pool counts as one) and, where the inventory gives a host's `memory`, enough memory for the stage's estimated peak. No host of the inventory has what this stage needs, or every one that has is down; the cause lists the hosts and what they offer. Add a host that can run it, correct a host's `gpus` or `memory` if the inventory understates them, or ask for fewer `gpus` in the recipe.",
  },
  LinksNotFollowed: {
    code: "SEER6004", severity: "warning", title: "Symbolic links not followed",
    message: "Symbolic links in the dataset `{name}` were not followed ({count}): each leads to a folder that holds it or to images read already.",
    explain: "seer follows symbolic links in image folders, but reads every real folder and every real image once. It reads the dataset's own folders first, then the links in name order; a link that leads back to a folder holding it (a loop such as `ln -s .. cat/up`, which would otherwise repeat the images dozens of times and make the walk take minutes) or to a folder or image already read (its images would be counted twice, perhaps in two classes or in both train and test) is left out. The notes name each link and where it leads; the images themselves are read once, at the place that came first. Remove the link, or point it at folders the dataset does not already hold. See docs/data.md, \"Symbolic links\".",
  },
  DataAbsentInPlan: {
    code: "SEER6005", severity: "warning", title: "Planning without the data",
    message: "The dataset `{name}` cannot be read here, so the plan uses {size}: {detail}",
    explain: "`seer plan` works on a machine that does not hold the data, such as a laptop planning a cluster run: a dataset it cannot read is a warning, and the estimates count the images the dataset declares (`images = 1B` on an `image_folder` or `manifest`; a percentage split gets its share). A pretraining whose length is in epochs needs that size for its steps; one whose length is in images or steps does not. `seer run` still refuses missing data (SEER6001, exit 3).",
  },
  StageExceedsDeviceMemory: {
    code: "SEER6006", severity: "error", title: "Stage does not fit in device memory",
    message: "The stage `{stage}` needs about {need} per device on {hardware}, which has {have}.",
    explain: "Before anything runs, `seer plan` and `seer run` estimate each pretraining's memory per device (docs/cost-model.md): weights, gradients and optimiser state (each GPU holds them all, or a 1/`gpus` shard with `sharding = full`), half-precision copies or gathered layers, and the activations of the per-device batch (global `batch` / `gpus`, every crop), in half precision with `precision = mixed` and mostly recomputed with `activation_checkpointing = true`. When that exceeds the device's memory the stage is refused (exit 3: it depends on the hardware planned for, `--hardware` or this machine), with the estimate's parts in the notes and, in the help, what would make it fit: sharding, activation checkpointing, more GPUs, a smaller batch or a device with more memory. The estimate is a planning figure: allocator fragmentation and framework buffers can add more.",
  },
  // ---- 61xx: hosts inventory (hosts.yaml) ----------------------------------------
  HostsSyntax: {
    code: "SEER6101", severity: "error", title: "Hosts file is not valid YAML",
    message: "The hosts file is not valid YAML: {detail}",
    explain: "`hosts.yaml` is YAML: a top-level `hosts:` list with one mapping per host. Check indentation (spaces, not tabs), that every `key: value` has a space after the colon, and that no key appears twice in one host.",
  },
  HostsUnknownField: {
    code: "SEER6102", severity: "error", title: "Unknown field in the hosts file",
    message: "Unknown field `{field}` in {where}.",
    explain: "A host takes `name`, `kind` (`local`, `ssh` or `slurm`), `gpus`, `memory`, `hardware` (the accelerator its GPUs are), `max_jobs`, `engines` and `python`; an ssh host also `address`, `port`, `identity`, `known_hosts`, `host_key_checking`, `workdir` and `node`; a Slurm host `login` (and the same ssh fields for it), `workdir`, `node`, `partition`, `account`, `gpus_per_node`, `max_nodes`, `time_limit`, `cpus_per_task`, `env` and `poll_interval`. See docs/hosts.md.",
  },
  HostsMissingField: {
    code: "SEER6103", severity: "error", title: "Missing field in the hosts file",
    message: "{what} needs `{field}`.",
    explain: "Every host has a `name` and a `kind`. An ssh host needs its `address` (`user@host`).\n\n    hosts:\n      - name: lab-box-1\n        kind: ssh\n        address: researcher@lab-box-1.example.org",
  },
  HostsBadValue: {
    code: "SEER6104", severity: "error", title: "Bad value in the hosts file",
    message: "`{field}` must be {expected}.",
    explain: "Each field of a host takes one kind of value: numbers of GPUs and jobs are whole numbers, `memory` a size such as `64GiB`, addresses `user@host` with nothing a shell or ssh could read as an option, `time_limit` a duration such as `72h` or `1-12:00:00`, Slurm partitions and accounts plain names.",
  },
  HostsDuplicateName: {
    code: "SEER6105", severity: "error", title: "Two hosts with one name",
    message: "Another host is already named `{name}`.",
    explain: "Run records and `seer run --json` say which host ran each stage by its name, so names must be unique within an inventory.",
  },
  HostsFieldNotForKind: {
    code: "SEER6106", severity: "error", title: "Field of another kind of host",
    message: "`{field}` does not apply to hosts of kind `{kind}`.",
    explain: "Some fields belong to one kind of host only: `address` to ssh hosts; `login`, `partition`, `account`, `gpus_per_node`, `max_nodes`, `time_limit`, `cpus_per_task`, `env` and `poll_interval` to Slurm hosts; a `local` host is this machine and takes none of the connection fields.",
  },
  HostsSecondLocal: {
    code: "SEER6107", severity: "error", title: "Two local hosts",
    message: "Only one host can be `local`; `{other}` already is.",
    explain: "The `local` host is the machine `seer run` runs on. Give it the number of stages to run at once with `max_jobs` instead of listing it twice.",
  },
  HostsFileNotFound: {
    code: "SEER6108", severity: "warning", title: "File named in the hosts file not found",
    message: "`{field}` names a file that does not exist: {path}.",
    explain: "`identity` and `known_hosts` are files on this machine; a relative path is relative to the hosts file's folder and `~` is your home folder. The inventory may be meant for another machine, so this is a warning; connecting to the host will fail until the file is there.",
  },
  HostKeysUnchecked: {
    code: "SEER6109", severity: "warning", title: "Host keys not verified",
    message: "The host key of `{name}` is not verified.",
    explain: "With `host_key_checking: false` seer connects to whatever answers at the address, so a machine in the middle could receive your stage inputs and send back forged outputs. Leave it on (the default) and give the host's key in a `known_hosts` file instead: `ssh-keyscan -p PORT HOST >> known_hosts`, after checking the fingerprint.",
  },
  // ---- 9xxx: internal --------------------------------------------------------
  InternalError: {
    code: "SEER9000", severity: "error", title: "Internal error",
    message: "Internal error: {detail}. This is a bug in seer; please report it with the recipe.",
    explain: "seer failed in a way it did not anticipate. Run again with `--debug` for the stack trace and report it together with the recipe.",
  },
} satisfies Record<string, CatalogEntry>;

export type DiagName = keyof typeof entries;
export const CATALOG: Readonly<Record<DiagName, CatalogEntry>> = entries;

export function entryByCode(code: string): [DiagName, CatalogEntry] | undefined {
  const c = code.toUpperCase();
  for (const [name, e] of Object.entries(CATALOG) as [DiagName, CatalogEntry][]) {
    if (e.code === c) return [name, e];
  }
  return undefined;
}
