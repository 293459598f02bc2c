import { AirflowVersion, DagSource, Executor } from '../lib';
import { Manifest, airflowCfgText, container, find, ofKind, podTemplate, release, synthAirflow, workloads } from './helpers';

const GIT = DagSource.gitSync({ repository: 'https://example.com/dags.git' });

const cfg = (manifests: Manifest[]) => airflowCfgText(manifests);
const envNames = (manifests: Manifest[], kind: string, name: string, containerName: string) =>
  container(find(manifests, kind, name), containerName).env.map((e: Manifest) => e.name);

describe('Airflow 2.11', () => {
  const manifests = synthAirflow({ ...release('2.11.0'), dags: GIT });

  test('a webserver instead of the API server: `airflow webserver`, health at /health, port 8080', () => {
    expect(manifests.filter((m) => m.metadata.name === 'airflow-api-server')).toEqual([]);
    const webserver = find(manifests, 'Deployment', 'airflow-webserver');
    const main = container(webserver, 'webserver');
    expect(main.args).toEqual(['webserver']);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    for (const probe of [main.startupProbe, main.livenessProbe, main.readinessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/health', port: 'http' });
    }
    const service = find(manifests, 'Service', 'airflow-webserver');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(webserver.spec.selector.matchLabels);
    expect(podTemplate(webserver).spec.serviceAccountName).toBe('airflow-webserver');
  });

  test('[webserver] options instead of [api], no Airflow 3 settings', () => {
    const text = cfg(manifests);
    expect(text).toContain('[webserver]\nweb_server_port = 8080\n');
    expect(text).not.toMatch(/^\[api\]$/m);
    expect(text).not.toContain('execution_api_server_url');
    for (const workload of workloads(manifests).filter((w) => w.metadata.name.startsWith('airflow-') && !/postgresql|redis/.test(w.metadata.name))) {
      for (const c of podTemplate(workload).spec.containers.filter((x: Manifest) => !x.name.startsWith('git-sync') && x.name !== 'log-groomer')) {
        const names = (c.env ?? []).map((e: Manifest) => e.name);
        expect(names).toContain('AIRFLOW__WEBSERVER__SECRET_KEY');
        expect(names).not.toContain('AIRFLOW__API__SECRET_KEY');
        expect(names).not.toContain('AIRFLOW__API_AUTH__JWT_SECRET');
      }
    }
  });

  test('the webserver has no broker: since 2.6 nothing in it queues tasks through the executor', () => {
    // The UI's "Run" action, the webserver's only call to executor.queue_task_instance, was
    // removed in Airflow 2.6 (apache/airflow#29706), so the Redis password stays out of it.
    for (const name of [container(find(manifests, 'Deployment', 'airflow-webserver'), 'webserver'), container(find(synthAirflow(), 'Deployment', 'airflow-api-server'), 'api-server')]
      .flatMap((c) => c.env.map((e: Manifest) => e.name))) {
      expect(name).not.toMatch(/REDIS|CELERY/);
    }
  });

  test('the secret key comes from the same Secret key as on Airflow 3', () => {
    const env = container(find(manifests, 'Deployment', 'airflow-webserver'), 'webserver').env;
    expect(env).toContainEqual({ name: 'AIRFLOW__WEBSERVER__SECRET_KEY', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'api-secret-key' } } });
  });

  test('without a standalone DAG processor (the default) the scheduler parses DAG files itself', () => {
    expect(ofKind(manifests, 'Deployment').map((d) => d.metadata.name)).not.toContain('airflow-dag-processor');
    // Written as False: turning it on through config without the Deployment would stop DAG parsing.
    expect(cfg(manifests)).toContain('[scheduler]\nstandalone_dag_processor = False\n');
    const scheduler = find(manifests, 'Deployment', 'airflow-scheduler');
    expect(podTemplate(scheduler).spec.containers.map((c: Manifest) => c.name)).toEqual(['scheduler', 'git-sync', 'log-groomer']);
    expect(cfg(manifests)).toContain('dags_folder = /opt/airflow/dags/repo\n');
  });

  test('with one, the DAG processor runs `airflow dag-processor` and the config says so', () => {
    const withProcessor = synthAirflow({ ...release('2.11.0'), dags: GIT, dagProcessor: { enabled: true, replicas: 2 } });
    const processor = find(withProcessor, 'Deployment', 'airflow-dag-processor');
    expect(processor.spec.replicas).toBe(2);
    expect(container(processor, 'dag-processor').args).toEqual(['dag-processor']);
    expect(cfg(withProcessor)).toContain('[scheduler]\nstandalone_dag_processor = True\n');
    // The scheduler keeps its DAG files on Airflow 2 (callbacks and the executor still use them).
    expect(podTemplate(find(withProcessor, 'Deployment', 'airflow-scheduler')).spec.containers.map((c: Manifest) => c.name)).toEqual(['scheduler', 'git-sync', 'log-groomer']);
  });

  test('webserver options reach the webserver', () => {
    const sized = synthAirflow({ ...release('2.11.0'), webserver: { replicas: 3 } });
    expect(find(sized, 'Deployment', 'airflow-webserver').spec.replicas).toBe(3);
  });

  test('Celery wiring is the same as on Airflow 3', () => {
    expect(envNames(manifests, 'StatefulSet', 'airflow-worker', 'worker')).toEqual([
      'AIRFLOW__CORE__FERNET_KEY', 'AIRFLOW__WEBSERVER__SECRET_KEY', 'AIRFLOW_DATABASE_PASSWORD', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      'AIRFLOW_CONN_AIRFLOW_DB', 'AIRFLOW_REDIS_PASSWORD', 'AIRFLOW__CELERY__BROKER_URL', 'AIRFLOW__CELERY__RESULT_BACKEND', 'DUMB_INIT_SETSID',
    ]);
    expect(cfg(manifests)).toContain('executor = CeleryExecutor\n');
  });
});

describe('Airflow 3', () => {
  const manifests = synthAirflow({ dags: GIT });

  test('the API server, a DAG processor always, the execution API URL and the JWT secret', () => {
    expect(manifests.filter((m) => m.metadata.name === 'airflow-webserver')).toEqual([]);
    expect(container(find(manifests, 'Deployment', 'airflow-api-server'), 'api-server').args).toEqual(['api-server']);
    expect(find(manifests, 'Deployment', 'airflow-dag-processor').spec.replicas).toBe(1);
    expect(cfg(manifests)).toContain('execution_api_server_url = http://airflow-api-server:8080/execution/\n');
    expect(cfg(manifests)).toContain('[api]\nport = 8080\n');
    expect(cfg(manifests)).not.toContain('[webserver]');
    expect(envNames(manifests, 'Deployment', 'airflow-api-server', 'api-server')).toEqual([
      'AIRFLOW__CORE__FERNET_KEY', 'AIRFLOW__API__SECRET_KEY', 'AIRFLOW__API_AUTH__JWT_SECRET', 'AIRFLOW_DATABASE_PASSWORD', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
    ]);
  });

  test('before 3.0.2 the secret key is still [webserver] secret_key; from 3.0.2 on it is [api] secret_key', () => {
    const secretKeyEnv = (version: string) =>
      envNames(synthAirflow({ ...release(version), executor: Executor.local() }), 'Deployment', 'airflow-api-server', 'api-server')[1];
    expect(secretKeyEnv('3.0.0')).toBe('AIRFLOW__WEBSERVER__SECRET_KEY');
    expect(secretKeyEnv('3.0.1')).toBe('AIRFLOW__WEBSERVER__SECRET_KEY');
    expect(secretKeyEnv('3.0.2')).toBe('AIRFLOW__API__SECRET_KEY');
    expect(secretKeyEnv('3.1.7')).toBe('AIRFLOW__API__SECRET_KEY');
  });
});

describe('AirflowVersion', () => {
  test('is compared as numbers, not text', () => {
    expect(AirflowVersion.of('3.10.0').compare(AirflowVersion.of('3.9.1'))).toBeGreaterThan(0);
    expect(AirflowVersion.of('2.11.0').isAtLeast(AirflowVersion.of('2.9.3'))).toBe(true);
    expect(AirflowVersion.V2_11_0.isAirflow3).toBe(false);
    expect(AirflowVersion.V3_0_0.isAirflow3).toBe(true);
  });

  test('knows which releases the library deploys', () => {
    const problems = (v: string) => AirflowVersion.of(v).problems();
    expect(problems('2.11.0')).toEqual([]);
    expect(problems('2.11.1')).toEqual([]);
    expect(problems('3.0.0')).toEqual([]);
    expect(problems('3.1.7')).toEqual([]);
    expect(problems('2.10.5')).toEqual(['Airflow 2.10.5 is older than 2.11, the oldest release this library deploys']);
    expect(problems('1.10.15')).toEqual(['Airflow 1.10.15 is older than 2.11, the oldest release this library deploys']);
    expect(problems('2.12.0')).toEqual(['Airflow 2.12.0 is not a release line this library knows (2.11 and 3.x)']);
    expect(problems('4.0.0')).toEqual(['Airflow 4.0.0 is not a release line this library knows (2.11 and 3.x)']);
  });
});
