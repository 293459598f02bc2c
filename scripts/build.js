#!/usr/bin/env node
// Fast build for the synth path: transpiles every TypeScript file of the app (main.ts, lib/,
// imports/, examples/) to build/ with swc, without type-checking (`npm test` type-checks), and
// removes what an earlier build left of a source that no longer exists, so nothing stale can be
// loaded.
//
// `--package` is the package build (`npm run prepare`: npm runs it on `npm pack`, `npm publish`,
// and when a project installs the library from git): tsc compiles lib/ and imports/ with their
// declarations into a fresh build/lib and build/imports, as tsconfig.lib.json says.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'build');

if (process.argv.includes('--package')) {
  for (const dir of ['lib', 'imports']) {
    fs.rmSync(path.join(outDir, dir), { recursive: true, force: true });
  }
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: root, stdio: 'inherit' });
  process.exit(tsc.status ?? 1);
}

const swc = require('@swc/core');
const sources = ['main.ts', 'lib', 'imports', 'examples'];

function* walk(entry, base = root) {
  const full = path.join(base, entry);
  if (fs.statSync(full).isDirectory()) {
    for (const child of fs.readdirSync(full).sort()) {
      yield* walk(path.join(entry, child), base);
    }
  } else {
    yield entry;
  }
}

const written = new Set();
for (const source of sources) {
  if (!fs.existsSync(path.join(root, source))) {
    continue;
  }
  for (const file of walk(source)) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) {
      continue;
    }
    const { code } = swc.transformFileSync(path.join(root, file), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const target = path.join(outDir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
    written.add(file);
  }
}

// What an earlier build (this one or tsc's) made from a source that is gone: its .js and .d.ts.
for (const source of sources) {
  if (!fs.existsSync(path.join(outDir, source.replace(/\.ts$/, '.js')))) {
    continue;
  }
  for (const file of walk(source.replace(/\.ts$/, '.js'), outDir)) {
    const from = file.replace(/(\.d\.ts|\.js)$/, '.ts');
    if (from !== file && !written.has(from) && !fs.existsSync(path.join(root, from))) {
      fs.rmSync(path.join(outDir, file));
    }
  }
}
