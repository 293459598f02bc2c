#!/usr/bin/env node
// Synthesises every committed app into its dist/ folder, all or nothing: each app writes to a
// staging folder first, and the dist/ folders are replaced only when every app succeeded, so a
// failed synth never leaves a half-written or emptied dist/ behind. The apps are independent
// processes (most of each one's time is loading modules), so they run side by side, one per core.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
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

/** Runs one app into its staging folder; resolves with its exit status and captured output. */
function synthesise(app, i) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve(root, app.entry)], {
      cwd: root,
      env: { ...process.env, CDK8S_OUTDIR: path.join(staging, String(i)) },
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ app, status, output }));
  });
}

async function main() {
  fs.rmSync(staging, { recursive: true, force: true });
  const parallel = Math.max(1, (os.availableParallelism ? os.availableParallelism() : os.cpus().length));
  const results = new Array(apps.length);
  let next = 0;
  const worker = async () => {
    while (next < apps.length) {
      const i = next++;
      results[i] = await synthesise(apps[i], i);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, apps.length) }, worker));
    // Output in app order, whatever order the processes finished in.
    for (const { status, output } of results) {
      (status === 0 ? process.stdout : process.stderr).write(output);
    }
    const failed = results.filter((r) => r.status !== 0);
    if (failed.length > 0) {
      console.error(`synth failed (${failed.map((r) => `${r.app.entry}: exit ${r.status}`).join(', ')}); every output folder left as it was`);
      process.exitCode = 1;
      return;
    }
    apps.forEach((app, i) => {
      const target = path.resolve(root, app.outdir);
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(path.join(staging, String(i)), target);
      console.log(`synthesised ${app.outdir}/`);
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main();
