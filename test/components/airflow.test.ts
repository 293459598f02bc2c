import { Chart, Testing } from 'cdk8s';
import { Airflow, AirflowVersion, AuthManager, ContainerImage, DagSource, Executor, MetadataDatabase, SecretKey } from '../../lib';
import { airflowCfgText, airflowIn, find, release } from '../helpers';

describe('Airflow: every resolved value is an attribute', () => {
  test('the defaults', () => {
    const { chart, airflow } = airflowIn();
    expect(airflow.name).toBe('airflow');
    expect(airflow.namespace).toBe('airflow');
    expect(airflow.version).toBe(AirflowVersion.V3_1_7);
    expect(airflow.image.reference).toBe('apache/airflow:3.1.7');
    expect(airflow.executor.configValue(airflow.version)).toBe('CeleryExecutor');
    expect(airflow.kubernetesPodOperator).toBe(true);
    expect(airflow.credentials.secretName).toBe('airflow-credentials');
    expect(airflow.credentials.fernetKey).toEqual(SecretKey.of('airflow-credentials', 'fernet-key'));
    expect(airflow.configMap.name).toBe('airflow-config');
    expect(airflowCfgText(Testing.synth(chart))).toBe(airflow.airflowCfg);
  });

  test('what was given is kept', () => {
    const executor = Executor.local();
    const database = MetadataDatabase.externalPostgres({ host: 'pg' });
    const dags = DagSource.fromImage();
    const authManager = AuthManager.simple();
    const chart = new Chart(Testing.app(), 'c');
    const airflow = new Airflow(chart, 'a', { name: 'etl', namespace: 'data', ...release('3.0.6'), executor, database, dags, authManager, kubernetesPodOperator: false });
    expect([airflow.name, airflow.namespace, airflow.version.toString(), airflow.image.tag]).toEqual(['etl', 'data', '3.0.6', '3.0.6']);
    expect([airflow.executor, airflow.database, airflow.dags, airflow.authManager]).toEqual([executor, database, dags, authManager]);
    expect(airflow.kubernetesPodOperator).toBe(false);
  });
});

describe('Airflow: which components exist', () => {
  test.each([
    ['Celery', { executor: Executor.celery() }, ['workers', 'redis', 'flower', 'podLauncherRole']],
    ['Celery without Flower', { executor: Executor.celery({ flower: { enabled: false } }) }, ['workers', 'redis', 'podLauncherRole']],
    ['Kubernetes', { executor: Executor.kubernetes() }, ['kubernetesWorkerPods', 'podCleanup', 'podLauncherRole', 'podLogReaderRole']],
    ['Celery + Kubernetes', { executor: Executor.celeryAndKubernetes() },
      ['workers', 'redis', 'flower', 'kubernetesWorkerPods', 'podCleanup', 'podLauncherRole', 'podLogReaderRole']],
    ['Local', { executor: Executor.local() }, ['podLauncherRole']],
    ['Local, no pod operator', { executor: Executor.local(), kubernetesPodOperator: false }, []],
  ] as const)('%s', (_name, props, present) => {
    const { airflow } = airflowIn(props);
    const optional = ['workers', 'redis', 'flower', 'kubernetesWorkerPods', 'podCleanup', 'podLauncherRole', 'podLogReaderRole'] as const;
    expect(optional.filter((attribute) => airflow[attribute] !== undefined)).toEqual(present);
    // Always there, whatever the executor.
    expect([airflow.uiServer, airflow.scheduler, airflow.triggerer, airflow.migrateDatabaseJob].every((c) => c !== undefined)).toBe(true);
  });

  test('the database and the admin user Job follow their variants', () => {
    expect(airflowIn().airflow.postgresql).toBeDefined();
    expect(airflowIn({ database: MetadataDatabase.externalPostgres({ host: 'pg' }) }).airflow.postgresql).toBeUndefined();
    expect(airflowIn().airflow.createAdminUserJob).toBeDefined();
    expect(airflowIn({ authManager: AuthManager.fab({ createAdminUser: false }) }).airflow.createAdminUserJob).toBeUndefined();
  });

  test('the UI server is the API server on Airflow 3 and the webserver on Airflow 2', () => {
    const v3 = airflowIn().airflow;
    expect([v3.apiServer, v3.webserver]).toEqual([v3.uiServer, undefined]);
    const v2 = airflowIn({ version: AirflowVersion.V2_11_0, image: ContainerImage.of('apache/airflow', '2.11.0') }).airflow;
    expect([v2.apiServer, v2.webserver]).toEqual([undefined, v2.uiServer]);
    expect(v2.dagProcessor).toBeUndefined();
  });

  test('the config ConfigMap is labelled as the config component', () => {
    const { chart } = airflowIn();
    expect(find(Testing.synth(chart), 'ConfigMap', 'airflow-config').metadata.labels['app.kubernetes.io/component']).toBe('config');
  });
});
