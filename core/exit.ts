/**
 * Exit codes of `seer` (stable, documented in docs/cli.md): 0 clean, 1 recipe errors, 2 usage
 * errors, 3 runtime or host failures, 70 internal errors (a bug in seer), 130 cancelled. The
 * run session (runtime/session/) returns them as well as the CLI.
 */
export const EXIT = { ok: 0, recipeErrors: 1, usage: 2, runtime: 3, internal: 70, cancelled: 130 } as const;
