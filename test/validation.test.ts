import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Airflow, AirflowVersion, DagSource } from '../lib';
import { AirflowConfigurationError } from '../lib/validation';
import { problemsOf, untypedConfig } from './helpers';
import { MISTAKES } from './validation-mistakes';

const mistakes = MISTAKES;

describe('bad input fails at synth with a message naming property, value and fix', () => {
  test.each(mistakes)('%s', (_what, props, message) => {
    const problems = problemsOf(props);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('a missing namespace is reported', () => {
    expect(problemsOf({}, null)).toEqual([
      'namespace: no namespace: RoleBindings must name the namespace of their ServiceAccounts (got undefined). ' +
      'Fix: set namespace on the Airflow construct or on its Chart',
    ]);
  });

  test('all problems are reported at once, in one error', () => {
    const build = () => new Airflow(new Chart(Testing.app(), 'test', { namespace: 'airflow' }), 'airflow', {
      scheduler: { replicas: -1 },
      config: untypedConfig({ core: { paralelism: 1, executor: 'x' } }),
      dags: DagSource.fromImage('relative'),
    });
    expect(build).toThrow(AirflowConfigurationError);
    expect(build).toThrow(/^Airflow "test\/airflow": 4 problems in the configuration:\n {2}- scheduler\.replicas.*\n {2}- dags.*\n {2}- config\.core\.executor.*\n {2}- config\.core\.paralelism/);
  });

  test('nothing is written when the props are bad', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-airflow-bad-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'bad', { namespace: 'airflow' });
    expect(() => new Airflow(chart, 'airflow', { scheduler: { replicas: -1 } })).toThrow(AirflowConfigurationError);
    // The construct threw before creating a single object, so there is nothing to half-write.
    expect(chart.node.findAll().filter((c) => c instanceof ApiObject)).toEqual([]);
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmdirSync(outdir);
  });

  test('a malformed version is rejected where it is written', () => {
    expect(() => AirflowVersion.of('3.1')).toThrow('AirflowVersion.of: "3.1" is not an Airflow release number. Fix: give MAJOR.MINOR.PATCH, e.g. "3.1.7".');
  });
});
