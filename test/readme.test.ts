import * as fs from 'fs';
import * as path from 'path';
import { transformSync } from '@swc/core';
import { App, Chart, Testing } from 'cdk8s';
import { Airflow } from '../lib';
import { AirflowConfigurationError } from '../lib/validation';
import { untypedConfig } from './helpers';

const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');

/** Runs the README's TypeScript example against lib/ and returns the app it builds. */
function runExample(): App {
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.includes("from 'cdk8s-airflow'"));
  if (!block) {
    throw new Error('README has no TypeScript example using cdk8s-airflow');
  }
  const source = block
    .replace("from 'cdk8s-airflow'", `from ${JSON.stringify(path.resolve(__dirname, '..', 'lib'))}`)
    .replace('app.synth();', 'exports.app = app;')
    .replace('new App()', 'Testing.app()')
    .replace("import { App,", "import { Testing, App,");
  const { code } = transformSync(source, { jsc: { parser: { syntax: 'typescript' }, target: 'es2020' }, module: { type: 'commonjs' } });
  const exported: { app?: App } = {};
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    new Function('require', 'exports', code)(require, exported);
  } finally {
    log.mockRestore();
  }
  return exported.app!;
}

test('the README example synthesises what it says', () => {
  const app = runExample();
  const manifests = app.charts.flatMap((chart) => Testing.synth(chart));
  const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
  expect(names).toEqual(expect.arrayContaining(['Deployment/etl-scheduler', 'StatefulSet/etl-worker', 'StatefulSet/etl-worker-gpu', 'Service/etl-api-server']));
  expect(names).not.toContain('StatefulSet/etl-postgresql');
  expect(manifests.find((m) => m.metadata.name === 'etl-worker' && m.kind === 'StatefulSet').spec.replicas).toBe(4);
});

test('the README quotes the validation error the library throws, word for word', () => {
  const chart = new Chart(Testing.app(), 'data-platform', { namespace: 'data' });
  let message = '';
  try {
    new Airflow(chart, 'airflow', { scheduler: { replicas: -1 }, config: untypedConfig({ core: { paralelism: 32 } }) });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^Airflow "data-platform\/airflow": 2 problems/);
  expect(readme).toContain('```\n' + message + '\n```');
});

test('the README quotes the rename hint the library gives, word for word', () => {
  const chart = new Chart(Testing.app(), 'data-platform', { namespace: 'data' });
  let problems: string[] = [];
  try {
    new Airflow(chart, 'airflow', { config: { webserver: { expose_config: 'True' } } });
  } catch (err) {
    problems = (err as AirflowConfigurationError).problems;
  }
  expect(problems).toHaveLength(1);
  expect(readme).toContain('```\n' + problems[0] + '\n```');
});
