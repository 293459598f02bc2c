#!/usr/bin/env node
// Synthesis speed, measured (never asserted in tests). Run with `npm run bench`.
// 1. A plain-node synth of the reference deployment (`node build/main.js`, what `cdk8s synth`
//    runs) beside a bare `node -e "require('cdk8s'); require('constructs')"`: the floor any cdk8s
//    app pays. Their ratio is the library's own cost; runs alternate, so load on the machine
//    falls on both alike.
// 2. The two steps of `npm run synth`: the swc build, then writing dist/ and every example.
// 3. In process: an app with N Airflow instances, to show the cost grows linearly with N.
const { execFileSync } = require('child_process');
const path = require('path');
const { performance } = require('perf_hooks');

const root = path.resolve(__dirname, '..');
const { App, Chart } = require(path.join(root, 'node_modules', 'cdk8s'));
const { Airflow, DagSource } = require(path.join(root, 'build', 'lib'));

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const staging = path.join(root, '.synth-staging');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeOnce(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function node(args, env = {}) {
  return () => execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore', env: { ...process.env, ...env } });
}

const bare = node(['-e', "require('cdk8s'); require('constructs')"]);
const reference = node([path.join(root, 'build', 'main.js')], { CDK8S_OUTDIR: path.join(staging, 'bench-one') });
const bareTimes = [];
const referenceTimes = [];
for (let i = 0; i < RUNS; i++) {
  bareTimes.push(timeOnce(bare));
  referenceTimes.push(timeOnce(reference));
}
const [b, r] = [median(bareTimes), median(referenceTimes)];
console.log(`bare node + cdk8s + constructs (node -e "require('cdk8s'); require('constructs')"): median ${b.toFixed(0)} ms`);
console.log(`reference deployment (node build/main.js):                              median ${r.toFixed(0)} ms`);
console.log(`ratio: ${(r / b).toFixed(2)}x (${RUNS} runs each, alternating)`);

const build = median(Array.from({ length: 5 }, () => timeOnce(node([path.join(root, 'scripts', 'build.js')]))));
console.log(`\nswc build (node scripts/build.js): median ${build.toFixed(0)} ms`);
const endToEnd = median(Array.from({ length: 5 }, () => timeOnce(node([path.join(root, 'scripts', 'synth.js')]))));
console.log(`every output (node scripts/synth.js: dist/ and examples/*/dist/): median ${endToEnd.toFixed(0)} ms`);

console.log('\ninstances in one app  median ms  ms per instance');
for (const n of [1, 2, 4, 8, 16]) {
  const ms = median(Array.from({ length: 7 }, () => timeOnce(() => {
    const app = new App({ outdir: path.join(staging, 'bench') });
    for (let i = 0; i < n; i++) {
      const chart = new Chart(app, `team${i}`, { namespace: `team${i}` });
      new Airflow(chart, 'airflow', { dags: DagSource.gitSync({ repository: 'https://example.com/dags.git' }) });
    }
    app.synthYaml();
  })));
  console.log(`${String(n).padStart(21)}  ${ms.toFixed(1).padStart(9)}  ${(ms / n).toFixed(1).padStart(15)}`);
}
