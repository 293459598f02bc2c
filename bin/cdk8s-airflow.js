#!/usr/bin/env node
// `npx cdk8s-airflow <command>`, shipped with the library: see `npx cdk8s-airflow --help`. The
// command is lib/cli/main.ts, compiled into build/lib/cli/ (by `npm run build` in a clone, and
// into the package when it is packed). Plain JavaScript, so it runs with the runtime
// dependencies alone: no TypeScript, no ts-node.
'use strict';
const path = require('path');

const compiled = path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
let cli;
try {
  cli = require(compiled);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(compiled)) {
    console.error(`cdk8s-airflow: ${path.relative(process.cwd(), compiled)} is missing: in a clone of the repository, run 'npm run build' first`);
    process.exit(1);
  }
  throw err;
}
process.exitCode = cli.main(process.argv.slice(2));
