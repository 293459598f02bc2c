import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import {
  Airflow, AirflowProps, AirflowVersion, AuthManager, ContainerImage, DagSource, Executor, GitAuth, MetadataDatabase, SecretKey,
  airflowConfig,
} from '../lib';
import { AirflowConfigurationError } from '../lib/validation';
import { problemsOf, release, untypedConfig } from './helpers';

/** Airflow 2.11 with its matching image. */
const AIRFLOW_2 = release('2.11.0');

/** [what the user did wrong, props, the message that must name property, value and fix] */
const mistakes: Array<[string, AirflowProps, RegExp]> = [
  ['an unknown config option, with a suggestion',
    { config: untypedConfig({ core: { paralelism: 32 } }) },
    /^config\.core\.paralelism: Airflow 3\.1\.7 has no option \[core\] paralelism \(got 32\)\. Fix: check the name; did you mean "parallelism"\?$/],
  ['an Airflow 2 option on Airflow 3, with its Airflow 3 name',
    { config: airflowConfig({ webserver: { expose_config: true } }) },
    /^config\.webserver\.expose_config: Airflow 3\.1\.7 has no option \[webserver\] expose_config: Airflow 3 renamed it \[api\] expose_config \(got "True"\)\. Fix: use config\.api\.expose_config instead$/],
  ['an Airflow 2 option that Airflow 3 moved to another section',
    { config: airflowConfig({ scheduler: { dag_dir_list_interval: 60 } }) },
    /^config\.scheduler\.dag_dir_list_interval: Airflow 3\.1\.7 has no option \[scheduler\] dag_dir_list_interval: Airflow 3 renamed it \[dag_processor\] refresh_interval \(got "60"\)\. Fix: use config\.dag_processor\.refresh_interval instead$/],
  ['an Airflow 2 option whose Airflow 3 name the library sets',
    { config: airflowConfig({ webserver: { web_server_port: 8081 } }) },
    /^config\.webserver\.web_server_port: .*Airflow 3 renamed it \[api\] port \(got "8081"\)\. Fix: remove it: the library sets api\.port from the prop \(fixed: the API server Service exposes it\)$/],
  ['an Airflow 2 option Airflow 3 removed',
    { config: airflowConfig({ core: { check_slas: false } }) },
    /^config\.core\.check_slas: \[core\] check_slas was removed in Airflow 3 \(got "False"\)\. Fix: remove it$/],
  ['a misspelt section',
    { config: untypedConfig({ schedular: { parsing_processes: 2 } }) },
    /^config\.schedular: Airflow 3\.1\.7 has no \[schedular\] section \(got "schedular"\)\. Fix: use one of the spec's sections; did you mean "scheduler"\?$/],
  ['an Airflow 3 option on Airflow 2, with its Airflow 2 name',
    { ...AIRFLOW_2, config: airflowConfig({ api: { expose_config: true } }) },
    /^config\.api\.expose_config: Airflow 2\.11\.0 has no option \[api\] expose_config: on Airflow 2 it is \[webserver\] expose_config \(got "True"\)\. Fix: use config\.webserver\.expose_config instead$/],
  ['an Airflow 3 section on Airflow 2',
    { ...AIRFLOW_2, config: airflowConfig({ dag_processor: { refresh_interval: 60 } }) },
    /^config\.dag_processor\.refresh_interval: Airflow 2\.11\.0 has no option \[dag_processor\] refresh_interval: on Airflow 2 it is \[scheduler\] dag_dir_list_interval/],
  ['an old name of an option on the release that renamed it (3.0.2 moved the secret key)',
    { version: AirflowVersion.of('3.0.6'), image: ContainerImage.of('apache/airflow', '3.0.6'), config: { webserver: { secret_key: 'x' } } },
    /^config\.webserver\.secret_key: Airflow 3\.0\.6 has no option \[webserver\] secret_key: Airflow 3 renamed it \[api\] secret_key \(got "x"\)\. Fix: remove it: the library sets api\.secret_key from the prop credentials\.apiSecretKey$/],
  ['a whole-number option given text that is not a number',
    { config: { core: { parallelism: 'thirty-two' } } },
    /^config\.core\.parallelism: \[core\] parallelism takes a whole number \(got "thirty-two"\)\. Fix: give a whole number, e\.g\. "32"$/],
  ['a whole-number option given a fraction',
    { config: { core: { max_active_tasks_per_dag: '2.5' } } },
    /^config\.core\.max_active_tasks_per_dag: \[core\] max_active_tasks_per_dag takes a whole number \(got "2\.5"\)/],
  ['a whole-number option given a fraction by an untyped caller',
    { config: untypedConfig({ core: { max_active_tasks_per_dag: 2.5 } }) },
    /^config\.core\.max_active_tasks_per_dag: \[core\] max_active_tasks_per_dag takes a whole number \(got 2\.5\)/],
  ['a boolean option given text',
    { config: untypedConfig({ scheduler: { catchup_by_default: 'yes' } }) },
    /^config\.scheduler\.catchup_by_default: \[scheduler\] catchup_by_default takes a boolean \(got "yes"\)\. Fix: give "True" or "False"$/],
  ['an option the Kubernetes executor wiring owns',
    { executor: Executor.kubernetes(), config: { kubernetes_executor: { namespace: 'default' } } },
    /^config\.kubernetes_executor\.namespace: this option is set by the library \(got "default"\)\. Fix: use the prop namespace instead$/],
  ['an option added after the target release',
    { config: airflowConfig({ core: { multi_team: true } }) },
    /^config\.core\.multi_team: \[core\] multi_team was added in Airflow 3\.2\.0, after 3\.1\.7 \(got "True"\)\. Fix: remove it or raise the Airflow version$/],
  ['a secret in the ConfigMap',
    { config: { sentry: { sentry_dsn: 'https://key@sentry.example' } } },
    /^config\.sentry\.sentry_dsn: \[sentry\] sentry_dsn is a secret .* \(got "<hidden>"\)\. Fix: .*AIRFLOW__SENTRY__SENTRY_DSN$/],
  ['an option the library derives from a prop',
    { config: { core: { executor: 'LocalExecutor' } } },
    /^config\.core\.executor: this option is set by the library \(got "LocalExecutor"\)\. Fix: use the prop executor instead$/],
  ['a multi-line value',
    { config: { core: { default_timezone: 'utc\n[core]' } } },
    /^config\.core\.default_timezone: the value must be .* on one line/],
  ['an Airflow release older than 2.11',
    { version: AirflowVersion.of('2.10.5'), image: ContainerImage.of('apache/airflow', '2.10.5') },
    /^version: Airflow 2\.10\.5 is older than 2\.11, the oldest release this library deploys \(got "2\.10\.5"\)\. Fix: use Airflow 2\.11 \(AirflowVersion\.V2_11_0\) or an Airflow 3 release/],
  ['an unknown major release',
    { version: AirflowVersion.of('4.0.0'), image: ContainerImage.of('apache/airflow', '4.0.0') },
    /^version: Airflow 4\.0\.0 is not a release line this library knows \(2\.11 and 3\.x\) \(got "4\.0\.0"\)/],
  ['API server options on Airflow 2',
    { ...AIRFLOW_2, apiServer: { replicas: 2 } },
    /^apiServer: Airflow 2\.11\.0 has no API server: the webserver serves the UI \(got "set"\)\. Fix: move these options to webserver$/],
  ['webserver options on Airflow 3',
    { webserver: { replicas: 2 } },
    /^webserver: Airflow 3\.1\.7 has no webserver: the API server serves the UI \(got "set"\)\. Fix: move these options to apiServer$/],
  ['switching off the DAG processor on Airflow 3',
    { dagProcessor: { enabled: false } },
    /^dagProcessor\.enabled: Airflow 3\.1\.7 always parses DAGs in a separate DAG processor \(got false\)\. Fix: remove dagProcessor\.enabled$/],
  ['the simple auth manager on Airflow 2',
    { ...AIRFLOW_2, authManager: AuthManager.simple() },
    /^authManager: the simple auth manager exists on Airflow 3 only, not on 2\.11\.0 \(got "simple"\)\. Fix: use AuthManager\.fab\(\)$/],
  ['a cleanup schedule that is not cron',
    { executor: Executor.kubernetes({ cleanup: { schedule: 'every 15 minutes' } }) },
    /^executor\.kubernetes\.cleanup\.schedule: expected 5 fields \(minute, hour, day of month, month, day of week\), found 3 \(got "every 15 minutes"\)\. Fix: e\.g\. "\*\/15 \* \* \* \*"/],
  ['an invalid PriorityClass for task pods',
    { executor: Executor.celeryAndKubernetes({ kubernetes: { workerPods: { priorityClassName: 'High Priority' } } }) },
    /^executor\.kubernetes\.workerPods\.priorityClassName: not a PriorityClass name: must be a DNS-1123 subdomain.* \(got "High Priority"\)/],
  ['an invalid node selector for task pods',
    { executor: Executor.kubernetes({ workerPods: { nodeSelector: { 'pool': 'big tasks' } } }) },
    /^executor\.kubernetes\.workerPods\.nodeSelector\.pool: not a node label: must be empty or letters, digits, "-", "_" and "\.".* \(got "big tasks"\)/],
  ['an image tag that disagrees with the version',
    { image: ContainerImage.of('apache/airflow', '3.0.6-python3.12') },
    /^image: the tag is Airflow 3\.0\.6 but version is 3\.1\.7 \(got "apache\/airflow:3\.0\.6-python3\.12"\)\. Fix: set version: AirflowVersion\.of\("3\.0\.6"\)/],
  ['a moving image tag',
    { image: ContainerImage.of('apache/airflow', 'latest') },
    /^image: tag "latest" is not pinned.*\(got "apache\/airflow:latest"\)\. Fix: pin a released tag/],
  ['a release name that cannot prefix object names',
    { name: 'Airflow_Prod' },
    /^name: must be a DNS label of at most 34 characters .*\(got "Airflow_Prod"\)/],
  ['negative replicas',
    { scheduler: { replicas: -1 } },
    /^scheduler\.replicas: must be a whole number, 0 or more \(got -1\)\. Fix: e\.g\. 1$/],
  ['fractional worker replicas',
    { executor: Executor.celery({ workers: { replicas: 1.5 } }) },
    /^executor\.celery\.workers\.replicas: must be a whole number, 0 or more \(got 1\.5\)/],
  ['zero Celery concurrency',
    { executor: Executor.celery({ workers: { concurrency: 0 } }) },
    /^executor\.celery\.workers\.concurrency: must be a whole number, 1 or more \(got 0\)/],
  ['a Flower user name with a colon',
    { executor: Executor.celery({ flower: { username: 'ad:min' } }) },
    /^executor\.celery\.flower\.username: basic-auth user names cannot .* \(got "ad:min"\)/],
  ['a fractional grace period',
    { executor: Executor.celery({ workers: { terminationGracePeriod: Duration.millis(1500) } }) },
    /^executor\.celery\.workers\.terminationGracePeriod: must be a whole number of seconds \(got "1\.5s"\)/],
  ['an external database without a host',
    { database: MetadataDatabase.externalPostgres({ host: '' }) },
    /^database\.host: not a host name or an IP address \(got ""\)/],
  ['a database port out of range',
    { database: MetadataDatabase.externalPostgres({ host: 'pg', port: 70000 }) },
    /^database\.port: not a TCP port \(got 70000\)/],
  ['a database user the kubelet would expand',
    { database: MetadataDatabase.externalPostgres({ host: 'pg', user: 'air$(flow)' }) },
    /^database\.user: must not hold "\$\(", which the kubelet would expand as a variable \(got "air\$\(flow\)"\)/],
  ['a tiny database volume',
    { database: MetadataDatabase.bundledPostgres({ storage: Size.mebibytes(100) }) },
    /^database\.storage: too small for a metadata database \(got "100Mi"\)\. Fix: give at least Size\.gibibytes\(1\)$/],
  ['credentials in a Git URL',
    { dags: DagSource.gitSync({ repository: 'https://user:tok@github.com/o/r.git' }) },
    /^dags\.repository: credentials in the URL would be written into the manifests/],
  ['an SSH URL without a key',
    { dags: DagSource.gitSync({ repository: 'git@github.com:o/r.git' }) },
    /^dags\.auth: an SSH repository URL needs an SSH key \(got "none"\)\. Fix: set auth: GitAuth\.ssh\(\{ secretName \}\)$/],
  ['an SSH key for an HTTPS URL',
    { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', auth: GitAuth.ssh({ secretName: 'k' }) }) },
    /^dags\.auth: SSH credentials cannot authenticate an HTTPS URL/],
  ['a DAG sub-path escaping the repository',
    { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', subPath: '../etc' }) },
    /^dags\.subPath: must stay inside the repository \(got "\.\.\/etc"\)/],
  ['a sub-second sync period',
    { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', period: Duration.millis(500) }) },
    /^dags\.period: must be a whole number of seconds, at least 1 \(got "0\.5s"\)/],
  ['a relative DAG folder in the image',
    { dags: DagSource.fromImage('dags') },
    /^dags\.dagsFolder: the DAG folder must be an absolute path \(got "dags"\)/],
  ['an admin e-mail that is not one',
    { authManager: AuthManager.fab({ adminUser: { email: 'admin' } }) },
    /^authManager\.adminUser\.email: not an e-mail address \(got "admin"\)/],
  ['an invalid Secret reference',
    { credentials: { fernetKey: SecretKey.of('Bad_Name', 'fernet-key') } },
    /^credentials\.fernetKey: not a valid Secret name and key: the name must be a DNS-1123 subdomain.* \(got "Bad_Name\/fernet-key"\)/],
  ['a fractional log retention',
    { logs: { retentionDays: 1.5 } },
    /^logs\.retentionDays: must be a whole number, 0 or more \(got 1\.5\)\. Fix: e\.g\. 7$/],
  ['a logs volume too small for the logs of a component',
    { logs: { sizeLimit: Size.mebibytes(16) } },
    /^logs\.sizeLimit: too small for the logs of an Airflow component \(got "16Mi"\)\. Fix: give at least Size\.mebibytes\(64\), e\.g\. Size\.gibibytes\(2\)$/],
  ['a memory request above the default limit (a partial override merges with the defaults)',
    { scheduler: { resources: { memory: { request: Size.gibibytes(3) } } } },
    /^scheduler\.resources\.memory: the request is above the limit .* \(got "request 3Gi, limit 2Gi"\)\. Fix: set both, e\.g\. request 2Gi with limit 2Gi$/],
];

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
