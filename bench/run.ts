/** `npm run bench`: every benchmark, each against a baseline measured in the same run (remote hosts when the test servers run). */
import { benchColdStart } from "./coldstart.js";
import { benchFrontend } from "./frontend.js";

const fmt = (n: number, d = 1) => n.toFixed(d);

const fe = benchFrontend();
console.log(`front end: ${fe["lines"]} lines (${fmt(fe["seerBytes"]! / 1024, 0)} KiB seer, ${fmt(fe["yamlBytes"]! / 1024, 0)} KiB YAML)`);
console.log(`  seer parse+resolve+check  ${fmt(fe["seerMs"]!)} ms  ${fmt(fe["seerMBps"]!, 2)} MB/s`);
console.log(`  yaml.parse (same content) ${fmt(fe["yamlMs"]!)} ms  ${fmt(fe["yamlMBps"]!, 2)} MB/s`);
console.log(`  ratio (seer per byte / yaml per byte): ${fmt(fe["ratio"]!, 2)}x  (goal >= 1.0)`);

const cs = benchColdStart();
console.log(`cold start: node -e 0 ${fmt(cs["nodeMs"]!)} ms, seer check recipes/quickstart.seer ${fmt(cs["seerMs"]!)} ms`);
console.log(`  ratio: ${fmt(cs["ratio"]!, 2)}x bare node  (goal < 3x)`);

const { benchHosts } = await import("./hosts.js");
await benchHosts((line) => console.log(line));
