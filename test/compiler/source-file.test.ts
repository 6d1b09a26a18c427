import { test } from "node:test";
import assert from "node:assert/strict";
import { SourceFile } from "../../core/source/source-file.js";

test("positionAt maps offsets to 1-based lines and columns across LF and CRLF", () => {
  const f = new SourceFile("a.seer", "ab\ncd\r\nef");
  assert.deepEqual(f.positionAt(0), { line: 1, column: 1, offset: 0 });
  assert.deepEqual(f.positionAt(4), { line: 2, column: 2, offset: 4 });
  assert.deepEqual(f.positionAt(7), { line: 3, column: 1, offset: 7 });
  assert.equal(f.lineText(2), "cd");
  assert.deepEqual(f.positionAt(999), { line: 3, column: 3, offset: 9 });
});
