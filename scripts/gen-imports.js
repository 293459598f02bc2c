#!/usr/bin/env node
// Regenerates the committed cdk8s imports of the custom resources the library writes (imports/),
// offline, from upstream CRD files: one module per entry of IMPORTS below, each from the CRD files
// of one API group (`cdk8s import` writes one file per group), with only the versions the
// library writes (a CRD's other versions are dropped before the import, so each kind is one class).
//
//   node scripts/gen-imports.js                 writes every module of IMPORTS into imports/
//   node scripts/gen-imports.js --check         exits 1 when a committed file is not what it would write (CI)
//   --crd FILE                                  reads another copy of one of the CRD files (same name, same sha256)
//
// The inputs are upstream CRD files vendored byte for byte in ../shared/crds/ (its README names
// each file's repository, tag and path); each sha256 is pinned below, so a different file is
// refused until the pin is changed on purpose. The import itself is `cdk8s import` of the
// installed cdk8s-cli (package-lock.json), which reads local files without the network.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { parse, stringify } = require('yaml');

const root = path.resolve(__dirname, '..');
const CRDS = path.join(root, '..', 'shared', 'crds');

// One entry per generated module: `crds` are files under ../shared/crds/ of one API group, each with
// its pinned sha256 and where it comes from upstream; `keepVersions` the versions imported.
const IMPORTS = [
  {
    // Gateway API's HTTPRoute, standard channel: v1 only (the CRD also serves v1beta1).
    out: 'gateway.networking.k8s.io.ts',
    crds: [{
      file: 'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
      sha256: 'a424a0d6c953b162e71d1d97bb7e75012d8f1ac264e7274f2763d1b96ab39852',
      upstream: 'kubernetes-sigs/gateway-api v1.6.1, config/crd/standard/gateway.networking.k8s.io_httproutes.yaml',
    }],
    keepVersions: ['v1'],
  },
  {
    // KEDA's ScaledObject and TriggerAuthentication (autoscaling of Celery workers and the triggerer).
    out: 'keda.sh.ts',
    crds: [{
      file: 'keda/keda.sh_scaledobjects.yaml',
      sha256: 'af35555862a83933b074af14ad439c4b4ceabaf4daa3e9338e9b23e36d308d80',
      upstream: 'kedacore/keda v2.20.2, config/crd/bases/keda.sh_scaledobjects.yaml',
    }, {
      file: 'keda/keda.sh_triggerauthentications.yaml',
      sha256: '275307b4cb19ca8f0f506a879282aa4c67587ac16ec757f494d6585c5c185d65',
      upstream: 'kedacore/keda v2.20.2, config/crd/bases/keda.sh_triggerauthentications.yaml',
    }],
    keepVersions: ['v1alpha1'],
  },
  {
    // The Prometheus Operator's ServiceMonitor (metrics: the statsd exporter's scrape target).
    out: 'monitoring.coreos.com.ts',
    crds: [{
      file: 'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
      sha256: 'a99047972c9dd7679ce2050b9968e8a08773492e671b3e17abd476d42aa78a32',
      upstream: 'prometheus-operator/prometheus-operator v0.93.0, example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
    }],
    keepVersions: ['v1'],
  },
];

function fail(message) {
  console.error(`gen-imports: ${message}`);
  process.exit(2);
}

/** The text of one module of IMPORTS; `files` maps a CRD's name under ../shared/crds/ to the file read. */
function generate(entry, files) {
  const crds = entry.crds.map((source) => {
    const file = files.get(source.file);
    const text = fs.readFileSync(file);
    const sha256 = crypto.createHash('sha256').update(text).digest('hex');
    if (sha256 !== source.sha256) {
      fail(`${file} has sha256 ${sha256}, not the pinned ${source.sha256} (${source.upstream})`);
    }
    const crd = parse(text.toString('utf8'));
    const versions = crd.spec.versions.filter((v) => entry.keepVersions.includes(v.name));
    if (versions.length !== entry.keepVersions.length) {
      fail(`${file} does not serve ${entry.keepVersions.join(', ')}`);
    }
    crd.spec.versions = versions;
    return crd;
  });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-imports-'));
  try {
    // One file with every CRD of the group, so that `cdk8s import` writes them into one module.
    const trimmed = path.join(work, path.basename(entry.crds[0].file));
    fs.writeFileSync(trimmed, crds.map((crd) => stringify(crd)).join('---\n'));
    const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    const run = spawnSync(process.execPath, [cli, 'import', trimmed, '--output', 'out', '--language', 'typescript', '--no-save'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    if (run.status !== 0) {
      fail(`cdk8s import failed:\n${run.stdout}${run.stderr}`);
    }
    const produced = fs.readdirSync(path.join(work, 'out'));
    if (produced.length !== 1 || produced[0] !== entry.out) {
      fail(`cdk8s import wrote ${produced.join(', ')}, expected ${entry.out}`);
    }
    const body = fs.readFileSync(path.join(work, 'out', produced[0]), 'utf8');
    const cliVersion = require(path.join(root, 'node_modules', 'cdk8s-cli', 'package.json')).version;
    const sources = entry.crds.map((source) => `${source.upstream} (sha256 ${source.sha256})`).join(' and ');
    return [
      `// Generated by scripts/gen-imports.js with cdk8s-cli ${cliVersion} (\`cdk8s import\`). Do not edit.`,
      `// Source: ${sources}, versions ${entry.keepVersions.join(', ')} only.`,
      `// Regenerate: node scripts/gen-imports.js; CI: node scripts/gen-imports.js --check.`,
      body,
    ].join('\n');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main(args) {
  const check = args.includes('--check');
  // The vendored files, unless --crd names another copy of one (by its file name).
  const files = new Map(IMPORTS.flatMap((entry) => entry.crds).map((source) => [source.file, path.join(CRDS, source.file)]));
  const unknown = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--crd') {
      const copy = path.resolve(args[++i] ?? '');
      const name = [...files.keys()].find((file) => path.basename(file) === path.basename(copy));
      if (name === undefined) {
        fail(`${copy}: not one of the CRD files (${[...files.keys()].map((file) => path.basename(file)).join(', ')})`);
      }
      files.set(name, copy);
    } else if (args[i] !== '--check') {
      unknown.push(args[i]);
    }
  }
  if (unknown.length > 0) {
    fail(`unknown argument ${unknown[0]}; usage: node scripts/gen-imports.js [--check] [--crd FILE]...`);
  }
  for (const [name, file] of files) {
    if (!fs.existsSync(file)) {
      fail(`${file} not found (${IMPORTS.flatMap((entry) => entry.crds).find((source) => source.file === name).upstream}); pass --crd FILE`);
    }
  }
  for (const entry of IMPORTS) {
    const out = path.join(root, 'imports', entry.out);
    const text = generate(entry, files);
    if (check) {
      const committed = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
      if (committed !== text) {
        console.error(`gen-imports: ${path.relative(root, out)} is not what scripts/gen-imports.js writes; run it and commit the result`);
        process.exit(1);
      }
      continue;
    }
    fs.writeFileSync(out, text);
    console.log(`wrote ${path.relative(root, out)}`);
  }
}

main(process.argv.slice(2));
