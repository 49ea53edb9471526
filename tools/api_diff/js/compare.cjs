#!/usr/bin/env node
// Bridge between tools/api_diff/spec_diff.py and the pinned OpenAPI diff engine.
// Reads {"before": <spec>, "after": <spec>} as JSON on stdin and prints
// {"engine": "<name>@<version>", "diffs": [...]} as JSON on stdout.
"use strict";

const { apiDiff } = require("api-smart-diff");
const fs = require("fs");
const path = require("path");

const enginePkg = path.join(path.dirname(require.resolve("api-smart-diff")), "..", "package.json");
const engine = JSON.parse(fs.readFileSync(enginePkg, "utf8"));

// Diff values may hold dereferenced (possibly circular) schemas; keep them printable.
function printable() {
  const seen = new WeakSet();
  return (_key, value) => {
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
    }
    return value;
  };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { before, after } = JSON.parse(input);
  const diffs = apiDiff(before, after).map((d) => ({
    path: d.path,
    action: d.action,
    type: d.type,
    before: d.before,
    after: d.after,
  }));
  const out = { engine: `${engine.name}@${engine.version}`, diffs };
  process.stdout.write(JSON.stringify(out, printable()));
});
