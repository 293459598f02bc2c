#!/usr/bin/env node
// Prints the credentials Secret with fresh random values to stdout, for
//   npm run --silent secrets -- --namespace airflow | kubectl create -f -
// (or a sealing tool). Nothing is written to disk. `kubectl create` refuses to overwrite an
// existing Secret, so running it twice never rotates the Fernet key by accident.
const { parseArgs } = require('util');
const { Yaml } = require('cdk8s');
const { credentialsSecretManifest } = require('../build/lib/secrets-manifest');

const USAGE = 'usage: npm run --silent secrets -- [--name airflow] [--namespace airflow] | kubectl create -f -';
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function fail(message) {
  console.error(`secrets: ${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  // Strict: an unknown or misspelt option, a missing value or a stray argument is an error,
  // never silently ignored. `--name etl` and `--name=etl` are the same.
  ({ values } = parseArgs({
    options: {
      name: { type: 'string', default: 'airflow' },
      namespace: { type: 'string', default: 'airflow' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  fail(err.message);
}
if (values.help) {
  console.error(USAGE);
  process.exit(0);
}
for (const option of ['name', 'namespace']) {
  if (!DNS_LABEL.test(values[option]) || values[option].length > 63) {
    fail(`--${option} "${values[option]}" is not a DNS label (lower-case letters, digits and "-", starting with a letter)`);
  }
}
process.stdout.write(Yaml.stringify(credentialsSecretManifest({ name: values.name, namespace: values.namespace })));
