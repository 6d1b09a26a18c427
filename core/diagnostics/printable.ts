/**
 * Text from recipes, record files and file names shown on a terminal: control characters
 * (ESC, BEL, carriage return, ...) are written as `\x1b`-style escapes, so a crafted string
 * cannot move the cursor, recolour or clear the screen, or hide text. Newlines and tabs stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
