#!/usr/bin/env node
// Fast build for the synth path: transpiles every TypeScript file of the app (main.ts, lib/,
// imports/, examples/) to build/ with swc, without type-checking (`npm test` type-checks).
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'build');
const sources = ['main.ts', 'lib', 'imports', 'examples'];

function* walk(entry) {
  const full = path.join(root, entry);
  if (fs.statSync(full).isDirectory()) {
    for (const child of fs.readdirSync(full).sort()) {
      yield* walk(path.join(entry, child));
    }
  } else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
    yield entry;
  }
}

for (const source of sources) {
  if (!fs.existsSync(path.join(root, source))) {
    continue;
  }
  for (const file of walk(source)) {
    const { code } = swc.transformFileSync(path.join(root, file), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const target = path.join(outDir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
}
