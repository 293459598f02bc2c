import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  AirflowProps, AuthManager, CeleryBroker, CeleryResultBackend, ConfigFile, DagSource, Executor, MetadataDatabase, SecretKey,
} from '../lib';
import { optionRow } from '../lib/config/option-table';
import { credentialsUse } from '../lib/secrets-manifest';
import {
  Manifest, airflowCfgText, airflowIn, allContainers, container, find, ofKind, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, workloads,
} from './helpers';

// External services and credentials: the Celery broker and result backend, the metadata database
// from a URL in a Secret and on MySQL, connections, variables and a secrets backend from Secrets,
// and the files Airflow reads (webserver_config.py, airflow_local_settings.py, a broker CA).
// Every credential enters through secretKeyRef; URLs that embed one refer to a variable defined
// earlier in the same container, the only ones the kubelet expands.

const AIRFLOW_2 = release('2.11.0');
const GIT = DagSource.gitSync({ repository: 'https://example.com/dags.git' });
const CA_FROM_SECRET = ConfigFile.fromSecret(SecretKey.of('redis-tls', 'ca.crt'));

type Env = Manifest[];
const envOf = (c: Manifest): Env => c.env ?? [];
const envNames = (c: Manifest): string[] => envOf(c).map((e) => e.name);
const envVar = (c: Manifest, name: string): Manifest | undefined => envOf(c).find((e) => e.name === name);
/** `<Kind>/<name>` of every workload, to say which ones carry something. */
const workloadIds = (manifests: Manifest[], has: (workload: Manifest) => boolean): string[] =>
  workloads(manifests).filter(has).map((w) => `${w.kind}/${w.metadata.name.replace(/-[0-9a-f]{10}$/, '')}`).sort();
/** The Airflow containers of a workload (not git-sync; the log groomer has no Airflow environment). */
const airflowContainers = (workload: Manifest): Manifest[] =>
  allContainers(workload).filter((c) => String(c.image).startsWith('apache/airflow:') && c.name !== 'log-groomer');
const mainContainers = (workload: Manifest): Manifest[] => podTemplate(workload).spec.containers.filter((c: Manifest) => c.name !== 'log-groomer' && c.name !== 'git-sync');

/** Every `$(VAR)` a variable's value refers to is defined before it in the same list. */
function expectReferencesDefinedBefore(env: Env): void {
  env.forEach((variable, i) => {
    for (const [, name] of String(variable.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)) {
      expect(env.slice(0, i).map((e) => e.name)).toContain(name);
    }
  });
}

const secretRef = (secret: string, key: string) => ({ valueFrom: { secretKeyRef: { name: secret, key } } });

describe('the Celery broker', () => {
  test('the default is the bundled Redis, byte for byte what the explicit variants give', () => {
    const implicit = synthAirflow({});
    const explicit = synthAirflow({ executor: Executor.celery({ broker: CeleryBroker.bundledRedis(), resultBackend: CeleryResultBackend.metadataDatabase() }) });
    expect(JSON.stringify(explicit)).toBe(JSON.stringify(implicit));
    const scheduler = container(find(implicit, 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(envVar(scheduler, 'AIRFLOW__CELERY__BROKER_URL')?.value).toBe('redis://:$(AIRFLOW_REDIS_PASSWORD)@airflow-redis:6379/0');
    expect(envVar(scheduler, 'AIRFLOW_REDIS_PASSWORD')).toEqual({ name: 'AIRFLOW_REDIS_PASSWORD', ...secretRef('airflow-credentials', 'redis-password') });
    expect(find(implicit, 'StatefulSet', 'airflow-redis')).toBeDefined();
    expect(envNames(scheduler)).not.toContain('AIRFLOW__CELERY__SSL_ACTIVE');
  });

  describe('an external Redis with a password, an ACL user, a database number and TLS', () => {
    const broker = CeleryBroker.externalRedis({
      host: 'redis.example.internal', port: 6380, db: 2, username: 'airflow', password: SecretKey.of('redis-auth', 'password'), tls: { caCertificate: CA_FROM_SECRET },
    });
    const { chart, airflow } = airflowIn({ executor: Executor.celery({ broker }), dags: GIT });
    airflow.addWorkerSet('gpu', { queues: ['gpu'] });
    const manifests = Testing.synth(chart);
    const brokerPods = ['StatefulSet/airflow-worker', 'StatefulSet/airflow-worker-gpu', 'Deployment/airflow-scheduler', 'Deployment/airflow-flower'];

    test('no Redis objects at all, and no Redis password key for the credentials Secret', () => {
      expect(manifests.filter((m) => m.metadata.name === 'airflow-redis')).toEqual([]);
      expect(airflow.redis).toBeUndefined();
      const use = credentialsUse(manifests, (text) => parseAllDocuments(text).map((d) => d.toJS()));
      expect(use.secrets[0].keys).not.toContain('redis-password');
      expect(use.userOwned).toContainEqual({ namespace: 'airflow', secret: 'redis-auth', key: 'password', via: 'secretKeyRef' });
      expect(use.userOwned).toContainEqual({ namespace: 'airflow', secret: 'redis-tls', key: 'ca.crt', via: 'volume' });
    });

    test('rediss:// with the user and the password from its Secret, defined before the URL that refers to it', () => {
      for (const id of brokerPods) {
        const [kind, name] = id.split('/');
        const main = mainContainers(find(manifests, kind, name))[0];
        expect(envVar(main, 'AIRFLOW_REDIS_PASSWORD')).toEqual({ name: 'AIRFLOW_REDIS_PASSWORD', ...secretRef('redis-auth', 'password') });
        expect(envVar(main, 'AIRFLOW__CELERY__BROKER_URL')?.value).toBe('rediss://airflow:$(AIRFLOW_REDIS_PASSWORD)@redis.example.internal:6380/2');
        expectReferencesDefinedBefore(envOf(main));
      }
    });

    test('[celery] ssl_active with the CA certificate Celery verifies the server against, mounted where ssl_cacert points', () => {
      // Only the pods that talk to the broker read the CA: the executor's environment and the mount agree.
      expect(workloadIds(manifests, (w) => allContainers(w).some((c) => envNames(c).includes('AIRFLOW__CELERY__SSL_CACERT')))).toEqual([...brokerPods].sort());
      expect(workloadIds(manifests, (w) => (podTemplate(w).spec.volumes ?? []).some((v: Manifest) => v.name === 'celery-broker-ca'))).toEqual([...brokerPods].sort());
      const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
      expect(envVar(worker, 'AIRFLOW__CELERY__SSL_ACTIVE')?.value).toBe('True');
      expect(envVar(worker, 'AIRFLOW__CELERY__SSL_CACERT')?.value).toBe('/opt/airflow/tls/celery-broker-ca.crt');
      expect(worker.volumeMounts).toContainEqual({ name: 'celery-broker-ca', mountPath: '/opt/airflow/tls/celery-broker-ca.crt', subPath: 'ca.crt', readOnly: true });
      expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-worker')).spec.volumes).toContainEqual({
        name: 'celery-broker-ca', secret: { secretName: 'redis-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
      // A CA from the user's Secret has no checksum: the library cannot see its content.
      for (const workload of workloads(manifests)) {
        expect(podTemplate(workload).metadata.annotations?.['checksum/celery-broker-ca']).toBeUndefined();
      }
    });

    test('the options exist on both Airflow lines (celery provider spec), and are written as variables of the executor\'s pods only', () => {
      for (const version of ['2.11.0', '3.0.6', '3.1.7']) {
        for (const option of ['broker_url', 'result_backend', 'ssl_active', 'ssl_cacert']) {
          expect(optionRow(release(version).version!, 'celery', option)).toBeDefined();
        }
      }
      expect(airflowCfgText(manifests)).not.toContain('ssl_');
      const v2 = synthAirflow({ ...AIRFLOW_2, executor: Executor.celery({ broker }) });
      expect(envVar(container(find(v2, 'Deployment', 'airflow-scheduler'), 'scheduler'), 'AIRFLOW__CELERY__SSL_CACERT')?.value).toBe('/opt/airflow/tls/celery-broker-ca.crt');
    });
  });

  test('a CA certificate rendered by the library rolls exactly the pods that talk to the broker', () => {
    const props = (pem: string): AirflowProps => ({
      executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: 'redis.example.internal', tls: { caCertificate: ConfigFile.fromString(pem) } }) }),
    });
    const before = synthAirflow(props('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'));
    const after = synthAirflow(props('-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n'));
    expect(find(before, 'ConfigMap', 'airflow-celery-broker-ca').data).toEqual({ 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    const changed = workloads(before).filter((w, i) => JSON.stringify(podTemplate(w)) !== JSON.stringify(podTemplate(workloads(after)[i])));
    expect(changed.map((w) => w.metadata.name).sort()).toEqual(['airflow-flower', 'airflow-scheduler', 'airflow-worker']);
    for (const workload of changed) {
      expect(podTemplate(workload).metadata.annotations['checksum/celery-broker-ca']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(airflowCfgText(before)).toBe(airflowCfgText(after));
  });

  test('an external Redis without a password: no AUTH in the URL, no password variable', () => {
    const manifests = synthAirflow({ executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: '10.0.0.7' }) }) });
    const scheduler = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(envVar(scheduler, 'AIRFLOW__CELERY__BROKER_URL')?.value).toBe('redis://10.0.0.7:6379/0');
    expect(envNames(scheduler)).not.toContain('AIRFLOW_REDIS_PASSWORD');
  });

  test('any broker URL from a Secret, and the result backend from another: both secretKeyRef, no Redis, nothing assembled', () => {
    const manifests = synthAirflow({
      executor: Executor.celeryAndKubernetes({
        celery: {
          broker: CeleryBroker.fromSecret(SecretKey.of('broker', 'url')),
          resultBackend: CeleryResultBackend.fromSecret(SecretKey.of('results', 'url')),
        },
      }),
      dags: GIT,
    });
    expect(manifests.filter((m) => m.metadata.name === 'airflow-redis')).toEqual([]);
    for (const name of ['airflow-worker', 'airflow-scheduler', 'airflow-flower']) {
      const workload = manifests.find((m) => m.metadata.name === name && ['Deployment', 'StatefulSet'].includes(m.kind))!;
      const main = mainContainers(workload)[0];
      expect(envVar(main, 'AIRFLOW__CELERY__BROKER_URL')).toEqual({ name: 'AIRFLOW__CELERY__BROKER_URL', ...secretRef('broker', 'url') });
      expect(envVar(main, 'AIRFLOW__CELERY__RESULT_BACKEND')).toEqual({ name: 'AIRFLOW__CELERY__RESULT_BACKEND', ...secretRef('results', 'url') });
      expect(envNames(main)).not.toContain('AIRFLOW_REDIS_PASSWORD');
    }
    // The KubernetesExecutor's task pods never talk to the broker.
    expect(envNames(podTemplateFile(manifests).spec.containers[0])).not.toContain('AIRFLOW__CELERY__BROKER_URL');
  });

  test('mistakes are refused with the property, the value and the fix', () => {
    expect(problemsOf({
      executor: Executor.celery({
        broker: CeleryBroker.externalRedis({ host: 'localhost', port: 0, db: -1, username: 'app' }),
        redis: {},
      }),
    })).toEqual([
      'executor.celery.broker.host: inside a pod this is the pod itself, not the Redis server (got "localhost"). Fix: give a name the pods can resolve: a Service ("redis.cache.svc.cluster.local") or the server\'s DNS name or IP',
      'executor.celery.broker.port: not a TCP port (got 0). Fix: e.g. 6379',
      'executor.celery.broker.db: a Redis database number is a whole number, 0 or more (got -1). Fix: e.g. 0',
      'executor.celery.broker.username: a Redis ACL user authenticates with a password (got "app"). Fix: give password: SecretKey.of(...) too, or leave username unset',
      'executor.celery.redis: these are options of the bundled Redis, and the broker is another one (got {}). Fix: remove redis, or use broker: CeleryBroker.bundledRedis()',
    ]);
    // Callers without types.
    const untyped = (options: unknown) => Executor.celery(options as never);
    expect(problemsOf({ executor: untyped({ broker: 'redis://redis.example.internal:6379/0' }) })).toEqual([
      'executor.celery.broker: must be a CeleryBroker, e.g. CeleryBroker.bundledRedis() (got "redis://redis.example.internal:6379/0"). Fix: use CeleryBroker.externalRedis({ host: \'redis.example.internal\' }), or CeleryBroker.fromSecret(SecretKey.of(\'<Secret>\', \'<key>\')) for the whole URL',
    ]);
    expect(problemsOf({ executor: Executor.celery({ broker: CeleryBroker.fromSecret('broker/url' as never) }) })).toEqual([
      'executor.celery.broker.url: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "broker/url"). Fix: use SecretKey.of(\'broker\', \'url\')',
    ]);
    expect(problemsOf({ executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: 'redis', tls: {} as never }) }) })).toEqual([
      'executor.celery.broker.tls.caCertificate: must be a ConfigFile, e.g. ConfigFile.fromString(\'...\') (got undefined). Fix: set it: RedisTlsOptions requires caCertificate',
    ]);
    expect(problemsOf({ executor: Executor.celery({ resultBackend: CeleryResultBackend.fromSecret(SecretKey.of('Results', 'url')) }) })).toEqual([
      'executor.celery.resultBackend.url: not a valid Secret name and key: the name must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("R" is not allowed) (got "Results/url"). Fix: use SecretKey.of("secret-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."',
    ]);
  });
});

describe('the metadata database from a URL in a Secret', () => {
  const database = MetadataDatabase.fromSecret({ url: SecretKey.of('pg-app', 'uri') });
  const manifests = synthAirflow({ database, dags: GIT });

  test('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN from secretKeyRef in every Airflow container, init containers included; nothing deployed', () => {
    expect(manifests.filter((m) => m.metadata.name.startsWith('airflow-postgresql'))).toEqual([]);
    for (const workload of workloads(manifests)) {
      for (const c of airflowContainers(workload)) {
        expect(envVar(c, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')).toEqual({ name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', ...secretRef('pg-app', 'uri') });
        expect(envNames(c)).not.toContain('AIRFLOW_DATABASE_PASSWORD');
      }
    }
  });

  test('the Celery result backend is left to Airflow, which derives db+<sql_alchemy_conn> in each pod; config may not set it', () => {
    const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
    expect(envNames(worker)).not.toContain('AIRFLOW__CELERY__RESULT_BACKEND');
    expect(airflowCfgText(manifests)).not.toContain('result_backend');
    expect(problemsOf({ database, config: { celery: { result_backend: 'db+postgresql://x' } } })).toEqual([
      'config.celery.result_backend: this option is set by the library (got "db+postgresql://x"). Fix: use the prop executor.celery.resultBackend (Airflow derives db+<[database] sql_alchemy_conn>) instead',
    ]);
  });

  test('no airflow_db connection from the database: DAG code gets one only from connections', () => {
    const dagProcessor = container(find(manifests, 'Deployment', 'airflow-dag-processor'), 'dag-processor');
    expect(envNames(dagProcessor)).not.toContain('AIRFLOW_CONN_AIRFLOW_DB');
    const own = synthAirflow({ database, dags: GIT, connections: { airflow_db: SecretKey.of('pg-app', 'conn-uri') } });
    expect(envVar(container(find(own, 'Deployment', 'airflow-dag-processor'), 'dag-processor'), 'AIRFLOW_CONN_AIRFLOW_DB'))
      .toEqual({ name: 'AIRFLOW_CONN_AIRFLOW_DB', ...secretRef('pg-app', 'conn-uri') });
  });

  test('the async URL from its own key on Airflow 3.1 and later; refused where the option does not exist', () => {
    const withAsync = MetadataDatabase.fromSecret({ url: SecretKey.of('pg-app', 'uri'), asyncUrl: SecretKey.of('pg-app', 'async-uri') });
    const scheduler = container(find(synthAirflow({ database: withAsync }), 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(envVar(scheduler, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC')).toEqual({ name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC', ...secretRef('pg-app', 'async-uri') });
    expect(problemsOf({ ...release('3.0.6'), database: withAsync })).toEqual([
      'database.asyncUrl: Airflow 3.0.6 has no [database] sql_alchemy_conn_async (it came in 3.1) (got "pg-app/async-uri"). Fix: use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave asyncUrl unset',
    ]);
    expect(problemsOf({ ...AIRFLOW_2, database: withAsync })).toEqual([
      'database.asyncUrl: Airflow 2.11.0 opens no async database connections (got "pg-app/async-uri"). Fix: leave asyncUrl unset',
    ]);
    expect(problemsOf({ database: MetadataDatabase.fromSecret({ uri: SecretKey.of('pg', 'uri') } as never) })).toEqual([
      'database.uri: not a property of DatabaseFromSecretOptions (got {"secretName":"pg","key":"uri"}). Fix: did you mean "url"?',
      'database.url: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got undefined). Fix: set it: DatabaseFromSecretOptions requires url',
    ]);
  });
});

describe('an external MySQL 8 server', () => {
  const database = MetadataDatabase.externalMySql({ host: 'mysql.example.internal', database: 'af', user: 'af_user' });

  test.each([['3.1.7'], ['2.11.0']])('Airflow %s: mysql+mysqldb:// from the Secret-backed password, the result backend on it, airflow_db as mysql://', (version) => {
    const manifests = synthAirflow({ ...release(version), database, credentials: { databasePassword: SecretKey.of('mysql-app', 'password') } });
    expect(manifests.filter((m) => m.metadata.name.startsWith('airflow-postgresql'))).toEqual([]);
    const scheduler = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(envVar(scheduler, 'AIRFLOW_DATABASE_PASSWORD')).toEqual({ name: 'AIRFLOW_DATABASE_PASSWORD', ...secretRef('mysql-app', 'password') });
    expect(envVar(scheduler, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value).toBe('mysql+mysqldb://af_user:$(AIRFLOW_DATABASE_PASSWORD)@mysql.example.internal:3306/af');
    expect(envVar(scheduler, 'AIRFLOW__CELERY__RESULT_BACKEND')?.value).toBe('db+mysql+mysqldb://af_user:$(AIRFLOW_DATABASE_PASSWORD)@mysql.example.internal:3306/af');
    expectReferencesDefinedBefore(envOf(scheduler));
    // Airflow 3 derives mysql+aiomysql:// from the sync URL by itself.
    expect(envNames(scheduler)).not.toContain('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC');
    const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
    expect(envVar(worker, 'AIRFLOW_CONN_AIRFLOW_DB')?.value).toBe('mysql://af_user:$(AIRFLOW_DATABASE_PASSWORD)@mysql.example.internal:3306/af');
    expectReferencesDefinedBefore(envOf(worker));
  });

  test('names MySQL refuses, and a host that is the pod itself, are refused', () => {
    expect(problemsOf({ database: MetadataDatabase.externalMySql({ host: '127.0.0.1', port: 70000, user: 'a_user_name_longer_than_32_chars_x', database: 'air flow' }) })).toEqual([
      'database.host: inside a pod this is the pod itself, not the database server (got "127.0.0.1"). Fix: give a name the pods can resolve: a Service ("mysql.db.svc.cluster.local") or the server\'s DNS name or IP',
      'database.port: not a TCP port (got 70000). Fix: e.g. 3306',
      'database.database: must be a MySQL name of at most 64 characters that a connection URL carries as it is (got "air flow"). Fix: use letters, digits, "_", ".", "~" and "-"',
      'database.user: must be a MySQL name of at most 32 characters that a connection URL carries as it is (got "a_user_name_longer_than_32_chars_x"). Fix: use letters, digits, "_", ".", "~" and "-"',
    ]);
  });
});

describe('connections, variables and a secrets backend', () => {
  const secrets: AirflowProps = {
    dags: GIT,
    connections: { my_postgres: SecretKey.of('conns', 'my-postgres'), 'aws.default': SecretKey.of('conns', 'aws') },
    variables: { slack_channel: SecretKey.of('vars', 'slack') },
    secretsBackend: { backend: 'airflow.providers.hashicorp.secrets.vault.VaultBackend', kwargs: SecretKey.of('vault', 'backend-kwargs') },
  };

  test.each([
    ['3.1.7', 'Celery', Executor.celery(), ['Deployment/airflow-dag-processor', 'StatefulSet/airflow-triggerer', 'StatefulSet/airflow-worker']],
    ['2.11.0', 'Celery', Executor.celery(), ['Deployment/airflow-scheduler', 'StatefulSet/airflow-triggerer', 'StatefulSet/airflow-worker']],
    ['3.1.7', 'Local', Executor.local(), ['Deployment/airflow-dag-processor', 'StatefulSet/airflow-local-scheduler', 'StatefulSet/airflow-triggerer']],
  ])('Airflow %s, %s executor: AIRFLOW_CONN_* and AIRFLOW_VAR_* from secretKeyRef, upper-cased, in the pods that run DAG code only', (version, _executor, executor, expected) => {
    const manifests = synthAirflow({ ...release(version), ...secrets, executor });
    expect(workloadIds(manifests, (w) => mainContainers(w).some((c) => envNames(c).includes('AIRFLOW_CONN_MY_POSTGRES')))).toEqual(expected);
    const [kind, name] = expected[expected.length - 1].split('/');
    const main = mainContainers(find(manifests, kind, name))[0];
    const own = envOf(main).filter((e) => /^AIRFLOW_(CONN|VAR)_/.test(e.name) && e.name !== 'AIRFLOW_CONN_AIRFLOW_DB');
    expect(own).toEqual([
      { name: 'AIRFLOW_CONN_AWS.DEFAULT', ...secretRef('conns', 'aws') },
      { name: 'AIRFLOW_CONN_MY_POSTGRES', ...secretRef('conns', 'my-postgres') },
      { name: 'AIRFLOW_VAR_SLACK_CHANNEL', ...secretRef('vars', 'slack') },
    ]);
  });

  test('KubernetesExecutor task pods get them from the pod template', () => {
    const pod = podTemplateFile(synthAirflow({ ...secrets, executor: Executor.kubernetes() }));
    expect(envVar(pod.spec.containers[0], 'AIRFLOW_CONN_MY_POSTGRES')).toEqual({ name: 'AIRFLOW_CONN_MY_POSTGRES', ...secretRef('conns', 'my-postgres') });
  });

  test('[secrets] backend in airflow.cfg, its backend_kwargs from the Secret in every Airflow container', () => {
    const manifests = synthAirflow(secrets);
    expect(airflowCfgText(manifests)).toContain('[secrets]\nbackend = airflow.providers.hashicorp.secrets.vault.VaultBackend\n');
    for (const workload of workloads(manifests)) {
      for (const c of airflowContainers(workload)) {
        expect(envVar(c, 'AIRFLOW__SECRETS__BACKEND_KWARGS')).toEqual({ name: 'AIRFLOW__SECRETS__BACKEND_KWARGS', ...secretRef('vault', 'backend-kwargs') });
      }
    }
    // backend_kwargs is sensitive in the spec of both lines: never from config.
    for (const version of ['2.11.0', '3.1.7']) {
      expect(optionRow(release(version).version!, 'secrets', 'backend_kwargs')?.[1]).toBe(1);
    }
    expect(problemsOf({ ...secrets, config: { secrets: { backend: 'other.Backend' } } })).toEqual([
      'config.secrets.backend: this option is set by the library (got "other.Backend"). Fix: use the prop secretsBackend.backend instead',
    ]);
  });

  test('ids that cannot be variable names, ids differing in case, a second airflow_db and a backend that is no class are refused', () => {
    expect(problemsOf({
      connections: { 'my conn': SecretKey.of('c', 'a'), Prod: SecretKey.of('c', 'b'), prod: SecretKey.of('c', 'c'), airflow_db: SecretKey.of('c', 'd') },
      variables: { 'a/b': SecretKey.of('v', 'a') },
      secretsBackend: { backend: 'VaultBackend' },
    })).toEqual([
      'connections.my conn: a connection id becomes the variable AIRFLOW_CONN_<ID>, so it may only hold letters, digits, "_", "." and "-", at most 250 (got "my conn"). Fix: e.g. "my_postgres"',
      'connections.prod: Airflow looks up AIRFLOW_CONN_PROD, as for "Prod": connection ids differing only in case are one (got "prod"). Fix: keep one of "Prod" and "prod"',
      'variables.a/b: a variable key becomes the variable AIRFLOW_VAR_<KEY>, so it may only hold letters, digits, "_", "." and "-", at most 250 (got "a/b"). Fix: e.g. "my_postgres"',
      'secretsBackend.backend: not the import path of a Python class (got "VaultBackend"). Fix: e.g. "airflow.providers.hashicorp.secrets.vault.VaultBackend"',
      // Found while configuring, reported with the rest.
      'connections.airflow_db: the metadata database gives DAG code the connection airflow_db already (got "c/d"). Fix: set airflowDbConnection: false on the database to use your own, or remove this entry',
    ]);
    expect(problemsOf({ connections: { airflow_db: SecretKey.of('c', 'd') } })).toEqual([
      'connections.airflow_db: the metadata database gives DAG code the connection airflow_db already (got "c/d"). Fix: set airflowDbConnection: false on the database to use your own, or remove this entry',
    ]);
    expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ airflowDbConnection: false }), connections: { airflow_db: SecretKey.of('c', 'd') } })).toEqual([]);
    expect(problemsOf({ connections: { my_conn: 'conns/my-conn' } as never })).toEqual([
      'connections.my_conn: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "conns/my-conn"). Fix: use SecretKey.of(\'conns\', \'my-conn\')',
    ]);
  });
});

describe('files Airflow reads: webserver_config.py and airflow_local_settings.py', () => {
  const WEBSERVER_CONFIG = 'from flask_appbuilder.security.manager import AUTH_OAUTH\nAUTH_TYPE = AUTH_OAUTH\n';
  const fab = (file: ConfigFile) => AuthManager.fab({ webserverConfig: file });

  test.each([
    ['3.1.7', '[fab]', 'Deployment/airflow-api-server'],
    ['2.11.0', '[webserver]', 'Deployment/airflow-webserver'],
  ])('Airflow %s: rendered into a ConfigMap, mounted where %s config_file points, in the UI server and the admin-user Job only', (version, section, ui) => {
    const manifests = synthAirflow({ ...release(version), authManager: fab(ConfigFile.fromString(WEBSERVER_CONFIG)) });
    expect(find(manifests, 'ConfigMap', 'airflow-webserver-config').data).toEqual({ 'webserver_config.py': WEBSERVER_CONFIG });
    expect(airflowCfgText(manifests)).toMatch(new RegExp(`\\${section.slice(0, -1)}\\][^[]*\\nconfig_file = /opt/airflow/webserver_config\\.py\\n`));
    const mounted = (w: Manifest) => mainContainers(w).some((c) => (c.volumeMounts ?? []).some((m: Manifest) =>
      m.name === 'webserver-config' && m.mountPath === '/opt/airflow/webserver_config.py' && m.subPath === 'webserver_config.py' && m.readOnly));
    expect(workloadIds(manifests, mounted)).toEqual([ui, 'Job/airflow-create-admin-user']);
    const [kind, name] = ui.split('/');
    expect(podTemplate(find(manifests, kind, name)).spec.volumes).toContainEqual({
      name: 'webserver-config', configMap: { name: 'airflow-webserver-config', items: [{ key: 'webserver_config.py', path: 'webserver_config.py' }] },
    });
    // The option and the mount agree with what the FAB provider reads on this line.
    expect(optionRow(release(version).version!, section.slice(1, -1), 'config_file')).toBeDefined();
  });

  test('a change of the rendered file rolls the UI server alone (Jobs carry no checksum; airflow.cfg does not change)', () => {
    const before = synthAirflow({ authManager: fab(ConfigFile.fromString(WEBSERVER_CONFIG)) });
    const after = synthAirflow({ authManager: fab(ConfigFile.fromString(`${WEBSERVER_CONFIG}AUTH_USER_REGISTRATION = True\n`)) });
    const changed = workloads(before).filter((w, i) => JSON.stringify(w) !== JSON.stringify(workloads(after)[i]));
    expect(changed.map((w) => w.metadata.name)).toEqual(['airflow-api-server']);
    expect(podTemplate(changed[0]).metadata.annotations['checksum/webserver-config']).toMatch(/^[0-9a-f]{64}$/);
    expect(airflowCfgText(before)).toBe(airflowCfgText(after));
  });

  test('from a Secret you own (OAuth client secrets): a secret volume, no ConfigMap, no checksum', () => {
    const manifests = synthAirflow({ authManager: fab(ConfigFile.fromSecret(SecretKey.of('oauth', 'webserver_config.py'))) });
    expect(ofKind(manifests, 'ConfigMap').map((m) => m.metadata.name)).not.toContain('airflow-webserver-config');
    const api = find(manifests, 'Deployment', 'airflow-api-server');
    expect(podTemplate(api).spec.volumes).toContainEqual({
      name: 'webserver-config', secret: { secretName: 'oauth', items: [{ key: 'webserver_config.py', path: 'webserver_config.py' }] },
    });
    expect(podTemplate(api).metadata.annotations['checksum/webserver-config']).toBeUndefined();
    expect(ofKind(manifests, 'Secret')).toEqual([]);
  });

  test('airflow_local_settings.py in $AIRFLOW_HOME/config of every Airflow container; the rendered file rolls every pod that carries the config checksum', () => {
    const props = (text: string): AirflowProps => ({
      executor: Executor.celeryAndKubernetes(), dags: GIT, localSettings: ConfigFile.fromString(text),
    });
    const manifests = synthAirflow(props('def pod_mutation_hook(pod):\n    pass\n'));
    expect(find(manifests, 'ConfigMap', 'airflow-local-settings').data).toEqual({ 'airflow_local_settings.py': 'def pod_mutation_hook(pod):\n    pass\n' });
    const mount = { name: 'local-settings', mountPath: '/opt/airflow/config/airflow_local_settings.py', subPath: 'airflow_local_settings.py', readOnly: true };
    const airflowWorkloads = workloads(manifests).filter((w) => !['airflow-redis', 'airflow-postgresql'].includes(w.metadata.name));
    for (const workload of airflowWorkloads) {
      for (const c of airflowContainers(workload)) {
        expect(c.volumeMounts).toContainEqual(mount);
      }
    }
    expect(podTemplateFile(manifests).spec.containers[0].volumeMounts).toContainEqual(mount);
    const withConfigChecksum = (m: Manifest[]) => workloadIds(m, (w) => podTemplate(w).metadata.annotations?.['checksum/airflow-config'] !== undefined);
    expect(workloadIds(manifests, (w) => podTemplate(w).metadata.annotations?.['checksum/airflow-local-settings'] !== undefined)).toEqual(withConfigChecksum(manifests));
    const after = synthAirflow(props('def pod_mutation_hook(pod):\n    pod.metadata.labels["x"] = "y"\n'));
    const changed = workloads(manifests).filter((w, i) => JSON.stringify(w) !== JSON.stringify(workloads(after)[i]));
    expect(changed.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual(withConfigChecksum(manifests));
  });

  test('a file from a ConfigMap you own; mistakes are refused', () => {
    const manifests = synthAirflow({ localSettings: ConfigFile.fromConfigMap('platform-policies', 'airflow_local_settings.py') });
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).spec.volumes).toContainEqual({
      name: 'local-settings', configMap: { name: 'platform-policies', items: [{ key: 'airflow_local_settings.py', path: 'airflow_local_settings.py' }] },
    });
    expect(problemsOf({
      localSettings: ConfigFile.fromConfigMap('Policies', 'a b'),
      authManager: AuthManager.fab({ webserverConfig: ConfigFile.fromString('  ') }),
    })).toEqual([
      'localSettings: not a valid ConfigMap name and key: the name must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("P" is not allowed) (got "Policies/a b"). Fix: use ConfigFile.fromConfigMap("configmap-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."',
      'authManager.webserverConfig: the file\'s text must be a non-empty string (got "  "). Fix: give the file\'s content, e.g. ConfigFile.fromString(fs.readFileSync(\'webserver_config.py\', \'utf8\'))',
    ]);
    expect(problemsOf({ localSettings: 'def pod_mutation_hook(pod): pass' as never })).toEqual([
      'localSettings: must be a ConfigFile, e.g. ConfigFile.fromString(\'...\') (got "def pod_mutation_hook(pod): pass"). Fix: use ConfigFile.fromString(text) for the file\'s content, or ConfigFile.fromConfigMap(name, key) / ConfigFile.fromSecret(key) for a file you keep',
    ]);
    // The option the library writes is the prop's.
    expect(problemsOf({ authManager: fab(ConfigFile.fromString(WEBSERVER_CONFIG)), config: { fab: { config_file: '/etc/webserver_config.py' } } })).toEqual([
      'config.fab.config_file: this option is set by the library (got "/etc/webserver_config.py"). Fix: use the prop authManager.webserverConfig instead',
    ]);
  });
});

test('everything at once: no Secret object, every credential a secretKeyRef', () => {
  const manifests = synthAirflow({
    executor: Executor.celery({
      broker: CeleryBroker.externalRedis({ host: 'redis.example.internal', password: SecretKey.of('redis-auth', 'password'), tls: { caCertificate: CA_FROM_SECRET } }),
      resultBackend: CeleryResultBackend.fromSecret(SecretKey.of('results', 'url')),
    }),
    database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg-app', 'uri') }),
    dags: GIT,
    connections: { my_postgres: SecretKey.of('conns', 'my-postgres') },
    variables: { token: SecretKey.of('vars', 'token') },
    secretsBackend: { backend: 'airflow.providers.hashicorp.secrets.vault.VaultBackend', kwargs: SecretKey.of('vault', 'kwargs') },
    authManager: AuthManager.fab({ webserverConfig: ConfigFile.fromSecret(SecretKey.of('oauth', 'webserver_config.py')) }),
    localSettings: ConfigFile.fromString('# policies\n'),
  });
  expect(ofKind(manifests, 'Secret')).toEqual([]);
  const fromSecrets = /^(AIRFLOW_(CONN|VAR)_.*|AIRFLOW__DATABASE__SQL_ALCHEMY_CONN|AIRFLOW__CELERY__RESULT_BACKEND|AIRFLOW__SECRETS__BACKEND_KWARGS|AIRFLOW_REDIS_PASSWORD)$/;
  for (const workload of workloads(manifests)) {
    for (const c of allContainers(workload)) {
      for (const variable of envOf(c).filter((e) => fromSecrets.test(e.name))) {
        expect(variable.value).toBeUndefined();
        expect(variable.valueFrom.secretKeyRef).toBeDefined();
      }
      expectReferencesDefinedBefore(envOf(c));
    }
  }
});

describe('addresses and names as each consumer reads them', () => {
  const manifests = synthAirflow({
    database: MetadataDatabase.externalPostgres({ host: 'fd00::5', user: 'svc@tenant', database: 'my dätabase' }),
    executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: 'fd00::6' }), workers: { autoscaling: { maxReplicas: 2 } } }),
  });
  const scheduler = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
  const env = (name: string) => scheduler.env.find((v: Manifest) => v.name === name)?.value;

  test('URLs carry an IPv6 address in brackets and the user percent-encoded (SQLAlchemy unquotes the user, not the database)', () => {
    expect(env('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')).toBe('postgresql://svc%40tenant:$(AIRFLOW_DATABASE_PASSWORD)@[fd00::5]:5432/my dätabase');
    expect(env('AIRFLOW__CELERY__BROKER_URL')).toBe('redis://[fd00::6]:6379/0');
  });

  test('KEDA\'s key/value connection takes them as they are (it escapes them itself)', () => {
    expect(find(manifests, 'ScaledObject', 'airflow-worker').spec.triggers[0].metadata).toMatchObject({ host: 'fd00::5', userName: 'svc@tenant', dbName: 'my dätabase' });
  });

  test('PgBouncer gets the bare address', () => {
    const pooled = synthAirflow({ database: MetadataDatabase.externalPostgres({ host: '[fd00::5]', pgbouncer: {} }) });
    const pgbouncer = container(find(pooled, 'Deployment', 'airflow-pgbouncer'), 'pgbouncer');
    expect(pgbouncer.env.find((v: Manifest) => v.name === 'DB_HOST').value).toBe('fd00::5');
  });
});
