#!/usr/bin/env node
// Regenerates imports/k8s.ts from the Kubernetes 1.27.0 schema kept in ../shared/k8s-schema,
// without network: `cdk8s import k8s@1.27.0` would download the very same file, so its
// download helper is pointed at the local copy. Run after changing the schema; commit the result.
const fs = require('fs');
const path = require('path');
// The CLI's package exports hide its modules; load them by file path.
const cliDir = path.dirname(require.resolve('cdk8s-cli/package.json'));
const util = require(path.join(cliDir, 'lib', 'util'));

const schemaFile = path.resolve(__dirname, '..', '..', 'shared', 'k8s-schema', 'k8s-1.27.0-definitions.json');
util.download = async () => fs.readFileSync(schemaFile, 'utf8');

const { ImportKubernetesApi } = require(path.join(cliDir, 'lib', 'import', 'k8s'));
const { Language } = require(path.join(cliDir, 'lib', 'import', 'base'));

new ImportKubernetesApi({ apiVersion: '1.27.0' })
  .import({ outdir: path.resolve(__dirname, '..', 'imports'), targetLanguage: Language.TYPESCRIPT })
  .catch((err) => { console.error(err); process.exit(1); });
