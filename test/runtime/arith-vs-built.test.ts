// The network the runtime builds has exactly the parameter count the compiler's arithmetic
// (pycls rules, `seer explain`) gives, for presets read from the shipped std/regnet module.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { complexity } from "../../compiler/regnet/arith.js";
import { regnetParams } from "../../compiler/check/rules/regnet.js";
import { archFromSpec } from "../../runtime/tfjs/regnet-arch.js";
import { modelSpecFromParams } from "../../compiler/regnet/model-spec.js";
import { buildRegNet } from "../../runtime/tfjs/regnet.js";
import { ROOT } from "../helpers/paths.js";
import { loadWasm } from "./tfjs-helpers.js";

const tf = await loadWasm();
const PRESETS = ["RegNetX_200MF", "RegNetY_200MF", "RegNetX_400MF", "RegNetY_400MF", "RegNetY_600MF", "RegNetY_800MF", "RegNetX_1_6GF"];

const c = compile([path.join(ROOT, "recipes", "std", "regnet.seer")], { cwd: ROOT });
const byName = new Map([...c.check.decls.values()].map((d) => [d.info.name, d]));

for (const name of PRESETS) {
  test(`${name}: built parameter count == analytic count (with and without the head)`, () => {
    const decl = byName.get(name);
    assert.ok(decl, `${name} is in std/regnet.seer`);
    const p = regnetParams(decl.value);
    const cx = complexity(p, { inputSize: 32, classes: 1000 });
    const withHead = buildRegNet(tf, archFromSpec(modelSpecFromParams(name, p)), { seed: 0, head: { classes: 1000 } });
    const trunk = buildRegNet(tf, archFromSpec(modelSpecFromParams(name, p)), { seed: 0 });
    try {
      assert.equal(withHead.paramCount(), cx.params);
      assert.equal(trunk.paramCount(), cx.trunkParams);
    } finally {
      withHead.dispose();
      trunk.dispose();
    }
  });
}
