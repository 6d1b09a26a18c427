/** Locations used by tests (tests run from build/test, sources live in the repo). */
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = path.resolve(here, "..", "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures");
/** The project's copies of the language's acceptance corpus (test/fixtures/spec/README.md). */
export const SPEC_EXAMPLES = path.join(FIXTURES, "spec", "examples");
export const SPEC_ERRORS = path.join(FIXTURES, "spec", "errors");
export const SEER_BIN = path.join(ROOT, "bin", "seer.js");
