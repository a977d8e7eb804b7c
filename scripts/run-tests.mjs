// Runs every compiled test file (dist/test/**/*.test.js) with node's built-in runner and prints
// the closing line CI counts: "N passed, N failed, N skipped" (a skipped test is not hidden).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve("dist/test");
// A filter is a fragment of a test file's path; "test/stages.test.ts" works as well as "test/stages".
const only = process.argv.slice(2).map((o) => o.replace(/\.test\.ts$|\.ts$/, ""));
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".test.js") && (only.length === 0 || only.some((o) => p.includes(o)))) files.push(p);
  }
})(root);
files.sort();
if (only.length > 0 && files.length === 0) {
  console.error(`run-tests: no test file matches ${only.join(", ")}`);
  process.exit(2);
}

// --test-force-exit: a test file that leaves a socket open must not hold CI until its time runs out.
const child = spawn(process.execPath, ["--test", "--test-force-exit", "--test-reporter=spec", "--test-concurrency=1", ...files], {
  stdio: ["ignore", "pipe", "inherit"],
  // A private Redis key prefix per test run: runs sharing one Redis (developers, CI) never touch each other's queues.
  env: { GIS_SYNC_REDIS_PREFIX: `gis-sync-test-${process.pid}`, ...process.env, NODE_ENV: "test" },
});
// The runner's own counts ("ℹ pass 427"…) come before the list of failing tests, which may be long:
// keep the last value of each as the lines go by.
const counts = {};
let pending = "";
child.stdout.on("data", (d) => {
  process.stdout.write(d);
  const lines = (pending + d.toString()).split("\n");
  pending = lines.pop() ?? "";
  for (const l of lines) {
    const m = /^ℹ (\w+) (\d+)/.exec(l);
    if (m) counts[m[1]] = Number(m[2]);
  }
});
child.on("close", (code) => {
  const num = (k) => counts[k] ?? 0;
  console.log(`\n${num("pass")} passed, ${num("fail") + num("cancelled")} failed, ${num("skipped") + num("todo")} skipped`);
  process.exit(code ?? 1);
});
