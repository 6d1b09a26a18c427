// Manual check of runtime/backend/doctor.ts until the CLI wires up `seer doctor`:
//   npx tsc -p tsconfig.json && node build/scripts/doctor.js [--backend NAME] [--json]
import { collectDoctor, formatDoctor } from "../runtime/backend/doctor.js";

const args = process.argv.slice(2);
const i = args.indexOf("--backend");
const backend = i >= 0 ? args[i + 1] : undefined;
const report = await collectDoctor(backend === undefined ? {} : { backend });
console.log(args.includes("--json") ? JSON.stringify(report, null, 2) : formatDoctor(report));
process.exit(0);
