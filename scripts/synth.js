#!/usr/bin/env node
// Synthesises every committed app into its dist/ folder, all or nothing: each app writes to a
// staging folder first, and the dist/ folders are replaced only when every app succeeded, so a
// failed synth never leaves a half-written or emptied dist/ behind. The apps are independent
// processes (most of each one's time is loading modules), so they run side by side, one per core.
//
//   node scripts/synth.js                    every committed app (`npm run synth`, after the build)
//   node scripts/synth.js ENTRY=OUTDIR ...   these apps only (the tests)
//   node scripts/synth.js --cdk8s            what `cdk8s synth` runs (cdk8s.yaml `app:`), below
//
// `cdk8s synth` deletes its output folder before it runs the app, then lists (and validates, if
// cdk8s.yaml configures validations) the manifests the app left there. So cdk8s.yaml points it
// at a scratch folder, .synth-staging/cdk8s, and `--cdk8s` builds the current code (swc), runs
// the same all-or-nothing synthesis as `npm run synth`, and copies dist/ into that folder for
// cdk8s to list: a failed app leaves every dist/ as it was, and a missing or stale build/ is
// never what runs. When cdk8s asks for another folder (`cdk8s synth --stdout`, or `-o DIR`),
// only the reference app is synthesised, straight into it, and dist/ is left alone.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const staging = path.join(root, '.synth-staging', `synth-${process.pid}`);
const reference = { entry: 'build/main.js', outdir: 'dist' };

function committedApps() {
  return [
    reference,
    // Every example app: examples/<name>/main.ts writes examples/<name>/dist/.
    ...fs.readdirSync(path.join(root, 'examples')).sort()
      .filter((name) => fs.existsSync(path.join(root, 'examples', name, 'main.ts')))
      .map((name) => ({ entry: `build/examples/${name}/main.js`, outdir: `examples/${name}/dist` })),
  ];
}

/** Runs one app into `outdir`; resolves with its exit status and captured output. */
function synthesise(app, outdir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve(root, app.entry)], {
      cwd: root,
      // dist/ holds manifests only: no construct metadata, even when cdk8s synth asks for it (for
      // validation plugins, which then report without construct paths).
      env: { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_RECORD_CONSTRUCT_METADATA: 'false' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ app, status, output }));
  });
}

/**
 * Every app into its staging folder, then, when all succeeded, each staging folder in place of
 * its output folder. Returns true on success. `log` receives the progress lines.
 */
async function synthesiseAll(apps, log) {
  fs.rmSync(staging, { recursive: true, force: true });
  const parallel = Math.max(1, (os.availableParallelism ? os.availableParallelism() : os.cpus().length));
  const results = new Array(apps.length);
  let next = 0;
  const worker = async () => {
    while (next < apps.length) {
      const i = next++;
      results[i] = await synthesise(apps[i], path.join(staging, String(i)));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, apps.length) }, worker));
    // Output in app order, whatever order the processes finished in.
    for (const { status, output } of results) {
      (status === 0 ? log : process.stderr).write(output);
    }
    const failed = results.filter((r) => r.status !== 0);
    if (failed.length > 0) {
      console.error(`synth failed (${failed.map((r) => `${r.app.entry}: exit ${r.status}`).join(', ')}); every output folder left as it was`);
      return false;
    }
    apps.forEach((app, i) => {
      const target = path.resolve(root, app.outdir);
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(path.join(staging, String(i)), target);
      log.write(`synthesised ${app.outdir}/\n`);
    });
    return true;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The `output:` of cdk8s.yaml, resolved. */
function cdk8sOutput() {
  const config = fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8');
  const match = /^output:\s*(\S+)\s*$/m.exec(config);
  return match ? path.resolve(root, match[1]) : undefined;
}

async function cdk8s() {
  // cdk8s-cli shows the app's stderr and swallows its stdout: every line goes to stderr.
  const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    console.error('build failed (scripts/build.js); every output folder left as it was');
    return false;
  }
  const outdir = process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR);
  if (outdir && outdir !== cdk8sOutput()) {
    const result = await synthesise(reference, outdir);
    process.stderr.write(result.output);
    return result.status === 0;
  }
  if (!(await synthesiseAll(committedApps(), process.stderr))) {
    return false;
  }
  if (outdir) {
    fs.cpSync(path.join(root, reference.outdir), outdir, { recursive: true });
    console.error(`(cdk8s synth lists the copy of dist/ in ${path.relative(root, outdir)}/)`);
  }
  return true;
}

async function main() {
  let ok;
  if (process.argv[2] === '--cdk8s') {
    ok = await cdk8s();
  } else {
    // Arguments `ENTRY=OUTDIR ...` replace the list of apps.
    const apps = process.argv.length > 2
      ? process.argv.slice(2).map((arg) => { const [entry, outdir] = arg.split('='); return { entry, outdir }; })
      : committedApps();
    ok = await synthesiseAll(apps, process.stdout);
  }
  if (!ok) {
    process.exitCode = 1;
  }
}

main();
