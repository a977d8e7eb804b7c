#!/usr/bin/env node

// Runs the compiled CLI; `npm run build` (or `npm test` / `npm run demo`) compiles it first.
const path = require("node:path");
const fs = require("node:fs");
const entry = path.join(__dirname, "..", "dist", "src", "cli", "main.js");
if (!fs.existsSync(entry)) {
  process.stderr.write("gis-sync: not built yet — run `npm run build` first\n");
  process.exit(1);
}
require(entry).main(process.argv);
