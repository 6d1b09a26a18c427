/**
 * POSIX shell quoting for everything seer sends to a remote shell. Remote commands are built
 * from argument lists only: each argument is single-quoted (`'` becomes `'\''`), so spaces,
 * quotes, `$()`, backticks, `;`, globs and newlines reach the program as they are. Scripts
 * with logic are constants that take their data as positional parameters (`sh -c SCRIPT sh
 * ARG...`), never interpolated.
 */

/** One argument, quoted for a POSIX shell. */
export function shq(arg: string): string {
  if (arg.includes("\0")) throw new Error("an argument for a remote shell contains a NUL byte");
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line for a POSIX shell from an argument list. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shq).join(" ");
}

/** Runs a constant script with data as positional parameters `$1`, `$2`, ...: `sh -c SCRIPT sh ARG...`. */
export function script(body: string, args: readonly string[]): string[] {
  return ["sh", "-c", body, "sh", ...args];
}
