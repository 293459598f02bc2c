#!/usr/bin/env node
// Synthesises every committed app into its dist/ folder, all or nothing: each app writes to a
// staging folder first, and the dist/ folders are replaced only when every app succeeded, so a
// failed synth never leaves a half-written or emptied dist/ behind.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// Every committed app and its output folder. Arguments `ENTRY=OUTDIR ...` replace the list
// (used by the tests).
const apps = process.argv.length > 2
  ? process.argv.slice(2).map((arg) => { const [entry, outdir] = arg.split('='); return { entry, outdir }; })
  : [
    { entry: 'build/main.js', outdir: 'dist' },
    // Every example app: examples/<name>/main.ts writes examples/<name>/dist/.
    ...fs.readdirSync(path.join(root, 'examples')).sort()
      .filter((name) => fs.existsSync(path.join(root, 'examples', name, 'main.ts')))
      .map((name) => ({ entry: `build/examples/${name}/main.js`, outdir: `examples/${name}/dist` })),
  ];
const staging = path.join(root, '.synth-staging');

fs.rmSync(staging, { recursive: true, force: true });
try {
  apps.forEach((app, i) => {
    const out = path.join(staging, String(i));
    execFileSync(process.execPath, [path.resolve(root, app.entry)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CDK8S_OUTDIR: out },
    });
  });
  apps.forEach((app, i) => {
    const target = path.resolve(root, app.outdir);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(path.join(staging, String(i)), target);
    console.log(`synthesised ${app.outdir}/`);
  });
} catch (err) {
  console.error(`synth failed; dist/ left as it was${err.status ? ` (exit ${err.status})` : ''}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
