/** `regnet.RegNetY_16GF` without `import "std/regnet" as regnet`: the help names the import to add. */
import { stdModuleNames } from "../modules/std.js";

export function importHint(name: string, hasMember: boolean): string | undefined {
  if (!hasMember || !stdModuleNames().includes(name)) return undefined;
  return `\`${name}\` is a module of the standard library: add \`import "std/${name}" as ${name}\` at the top of the file`;
}
