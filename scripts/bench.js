#!/usr/bin/env node
// Synthesis speed, measured (never asserted in tests). Run with `npm run bench`.
// 1. The two steps of `npm run synth`: the swc build, then `node scripts/synth.js` (writes dist/
//    and every examples/*/dist/), and one app on its own.
// 2. In process: an app with N Airflow instances, to show the cost grows linearly with N.
const { execFileSync } = require('child_process');
const path = require('path');
const { performance } = require('perf_hooks');

const root = path.resolve(__dirname, '..');
const { App, Chart } = require(path.join(root, 'node_modules', 'cdk8s'));
const { Airflow, DagSource } = require(path.join(root, 'build', 'lib'));

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const build = time(() => execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'ignore' }));
console.log(`swc build (node scripts/build.js, ${RUNS} runs): median ${build.toFixed(0)} ms`);
const oneApp = time(() => execFileSync(process.execPath, [path.join(root, 'build', 'main.js')], {
  cwd: root, stdio: 'ignore', env: { ...process.env, CDK8S_OUTDIR: path.join(root, '.synth-staging', 'bench-one') },
}));
console.log(`one app (node build/main.js, the reference deployment, ${RUNS} runs): median ${oneApp.toFixed(0)} ms`);
const endToEnd = time(() => execFileSync(process.execPath, [path.join(root, 'scripts', 'synth.js')], { cwd: root, stdio: 'ignore' }));
console.log(`end to end (node scripts/synth.js, ${RUNS} runs): median ${endToEnd.toFixed(0)} ms`);

console.log('\ninstances  median ms  ms per instance');
for (const n of [1, 2, 4, 8, 16]) {
  const ms = time(() => {
    const app = new App({ outdir: path.join(root, '.synth-staging', 'bench') });
    for (let i = 0; i < n; i++) {
      const chart = new Chart(app, `team${i}`, { namespace: `team${i}` });
      new Airflow(chart, 'airflow', { dags: DagSource.gitSync({ repository: 'https://example.com/dags.git' }) });
    }
    app.synthYaml();
  });
  console.log(`${String(n).padStart(9)}  ${ms.toFixed(1).padStart(9)}  ${(ms / n).toFixed(1).padStart(15)}`);
}
