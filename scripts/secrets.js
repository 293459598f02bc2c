#!/usr/bin/env node
// Prints the credentials Secret with fresh random values to stdout, for
//   npm run --silent secrets -- --namespace airflow | kubectl create -f -
// (or a sealing tool). Nothing is written to disk. `kubectl create` refuses to overwrite an
// existing Secret, so running it twice never rotates the Fernet key by accident.
const { Yaml } = require('cdk8s');
const { credentialsSecretManifest } = require('../build/lib/secrets-manifest');

function option(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv.includes('--help')) {
  console.error('usage: npm run --silent secrets -- [--name airflow] [--namespace airflow] | kubectl create -f -');
  process.exit(0);
}
const name = option('--name', 'airflow');
const namespace = option('--namespace', 'airflow');
process.stdout.write(Yaml.stringify(credentialsSecretManifest({ name, namespace })));
