import { Size } from 'cdk8s';
import { AuthManager, DagSource, Executor, GitAuth, MetadataDatabase, SecretKey } from '../lib';
import { CREDENTIAL_KEYS } from '../lib/credentials';
import { Manifest, container, find, ofKind, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, workloads } from './helpers';

describe('metadata database', () => {
  test('external PostgreSQL: no database objects, URL points at the host with sslmode', () => {
    const manifests = synthAirflow({
      database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', port: 6432, database: 'af', user: 'af_user', sslMode: 'require' }),
      credentials: { databasePassword: SecretKey.of('pg-credentials', 'password') },
    });
    expect(manifests.filter((m) => m.metadata.name === 'airflow-postgresql')).toEqual([]);
    const scheduler = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(scheduler.env).toEqual(expect.arrayContaining([
      { name: 'AIRFLOW_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-credentials', key: 'password' } } },
      { name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', value: 'postgresql://af_user:$(AIRFLOW_DATABASE_PASSWORD)@pg.example.internal:6432/af?sslmode=require' },
      { name: 'AIRFLOW__CELERY__RESULT_BACKEND', value: 'db+postgresql://af_user:$(AIRFLOW_DATABASE_PASSWORD)@pg.example.internal:6432/af?sslmode=require' },
    ]));
  });

  test('external PostgreSQL with SSL: the asyncpg URL is set explicitly, with ssl= instead of sslmode=', () => {
    // Airflow derives its async URL from the sync one, query included (settings.py,
    // _get_async_conn_uri_from_sync), and asyncpg takes `ssl`, not `sslmode`.
    const database = MetadataDatabase.externalPostgres({ host: 'pg.example.internal', sslMode: 'verify-full' });
    const env = container(find(synthAirflow({ database }), 'Deployment', 'airflow-scheduler'), 'scheduler').env as Manifest[];
    const names = env.map((e) => e.name);
    expect(env.find((e) => e.name === 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC')?.value)
      .toBe('postgresql+asyncpg://airflow:$(AIRFLOW_DATABASE_PASSWORD)@pg.example.internal:5432/airflow?ssl=verify-full');
    expect(names.indexOf('AIRFLOW_DATABASE_PASSWORD')).toBeLessThan(names.indexOf('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC'));
    // Without SSL the derived URL is right, and nothing is added.
    const plain = container(find(synthAirflow({ database: MetadataDatabase.externalPostgres({ host: 'pg' }) }), 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(plain.env.map((e: Manifest) => e.name)).not.toContain('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC');
    // Airflow 2 has no async engine to configure.
    const v2 = container(find(synthAirflow({ ...release('2.11.0'), database }), 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(v2.env.map((e: Manifest) => e.name)).not.toContain('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC');
  });

  test('external PostgreSQL with SSL on Airflow 3.0, which has no option for the async URL, and a mode libpq does not know, are refused', () => {
    expect(problemsOf({ ...release('3.0.6'), database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'require' }) })).toEqual([
      'database.sslMode: Airflow 3.0.6 would pass sslmode to asyncpg, which refuses it, and has no [database] sql_alchemy_conn_async to set instead (got "require"). Fix: use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave sslMode unset',
    ]);
    expect(problemsOf({ database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'required' }) })).toEqual([
      'database.sslMode: not a libpq sslmode (got "required"). Fix: use one of disable, allow, prefer, require, verify-ca, verify-full',
    ]);
  });

  test('bundled PostgreSQL: storage size and class are passed to the claim', () => {
    const manifests = synthAirflow({ database: MetadataDatabase.bundledPostgres({ storage: Size.gibibytes(20), storageClassName: 'fast' }) });
    const claim = find(manifests, 'PersistentVolumeClaim', 'airflow-postgresql-data');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
  });
});

describe('auth managers', () => {
  test('simple auth manager: no admin user Job, development users in the config', () => {
    const manifests = synthAirflow({ authManager: AuthManager.simple() });
    expect(ofKind(manifests, 'Job').map((j) => j.metadata.name)).toEqual([expect.stringMatching(/^airflow-migrate-database-/)]);
    const cfg = find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg'];
    expect(cfg).toContain('auth_manager = airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager\n');
    expect(cfg).toContain('simple_auth_manager_users = admin:admin\n');
  });

  test('FAB without a first user: no Job', () => {
    const manifests = synthAirflow({ authManager: AuthManager.fab({ createAdminUser: false }) });
    expect(ofKind(manifests, 'Job')).toHaveLength(1);
  });
});

describe('DAG sources', () => {
  test('git-sync tolerates a Git outage: the sidecar never gives up, the one-time copy retries, no probe claims what it cannot see', () => {
    const manifests = synthAirflow({ dags: DagSource.gitSync({ repository: 'https://github.com/example/dags.git' }), executor: Executor.celeryAndKubernetes() });
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    const sidecar = container(worker, 'git-sync');
    // The default, 0, exits on the first failed fetch (git-sync main.go L951-957 at v4.7.1).
    expect(sidecar.args).toEqual(expect.arrayContaining(['--max-failures=-1', '--http-bind=:8000', '--http-metrics']));
    // `/` answers 200 from the first sync on, whatever follows: no probe uses it.
    expect([sidecar.livenessProbe, sidecar.readinessProbe, sidecar.startupProbe]).toEqual([undefined, undefined, undefined]);
    for (const init of [container(worker, 'git-sync-init', true), podTemplateFile(manifests).spec.initContainers[0]]) {
      // A KubernetesExecutor task pod's init container is not retried: it retries a blip itself.
      expect(init.args).toEqual(expect.arrayContaining(['--one-time', '--max-failures=6', '--init-period=10s']));
      expect(init.args).not.toContain('--max-failures=-1');
    }
  });

  test('SSH: key and known_hosts mounted from the Secret, host keys verified', () => {
    const manifests = synthAirflow({
      dags: DagSource.gitSync({ repository: 'git@github.com:example/dags.git', subPath: 'dags/', auth: GitAuth.ssh({ secretName: 'git-ssh' }) }),
    });
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(podTemplate(worker).spec.volumes).toContainEqual({
      name: 'git-ssh',
      secret: { secretName: 'git-ssh', defaultMode: 0o440, items: [{ key: 'ssh-privatekey', path: 'ssh' }, { key: 'known_hosts', path: 'known_hosts' }] },
    });
    const sidecar = container(worker, 'git-sync');
    expect(sidecar.args).toEqual(expect.arrayContaining([
      '--ssh-key-file=/etc/git-secret/ssh', '--ssh-known-hosts=true', '--ssh-known-hosts-file=/etc/git-secret/known_hosts',
    ]));
    expect(sidecar.volumeMounts).toContainEqual({ name: 'git-ssh', mountPath: '/etc/git-secret', readOnly: true });
    expect(find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg']).toContain('dags_folder = /opt/airflow/dags/repo/dags\n');
  });

  test('HTTPS token: username and token from the Secret as environment', () => {
    const manifests = synthAirflow({
      dags: DagSource.gitSync({ repository: 'https://example.com/dags.git', auth: GitAuth.httpsToken({ secretName: 'git-token', tokenKey: 'pat' }) }),
    });
    const init = container(find(manifests, 'Deployment', 'airflow-dag-processor'), 'git-sync-init', true);
    expect(init.env).toEqual([
      { name: 'HOME', value: '/tmp' },
      { name: 'GITSYNC_USERNAME', valueFrom: { secretKeyRef: { name: 'git-token', key: 'username' } } },
      { name: 'GITSYNC_PASSWORD', valueFrom: { secretKeyRef: { name: 'git-token', key: 'pat' } } },
    ]);
  });

  test('DAGs in the image: no git-sync and no DAG volume anywhere', () => {
    const manifests = synthAirflow({ dags: DagSource.fromImage() });
    for (const w of workloads(manifests)) {
      const names = [...(podTemplate(w).spec.initContainers ?? []), ...podTemplate(w).spec.containers].map((c: Manifest) => c.name);
      expect(names.filter((n: string) => n.startsWith('git-sync'))).toEqual([]);
    }
    expect(find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg']).toContain('dags_folder = /opt/airflow/dags\n');
  });
});

describe('Celery options', () => {
  test('no Flower when disabled; replicas and concurrency as given', () => {
    const manifests = synthAirflow({ executor: Executor.celery({ workers: { replicas: 5, concurrency: 8 }, flower: { enabled: false } }) });
    expect(manifests.filter((m) => m.metadata.name === 'airflow-flower')).toEqual([]);
    expect(find(manifests, 'StatefulSet', 'airflow-worker').spec.replicas).toBe(5);
  });

  test('resources: what is set replaces the default value by value, the rest stays', () => {
    const manifests = synthAirflow({
      executor: Executor.celery({ workers: { resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) } } } }),
    });
    expect(container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').resources).toEqual({
      requests: { cpu: '250m', memory: '4Gi' },
      limits: { cpu: '2', memory: '8Gi' },
    });
    // Only a memory limit: the memory request and both CPU values keep their defaults.
    const limitOnly = synthAirflow({ executor: Executor.celery({ workers: { resources: { memory: { limit: Size.gibibytes(3) } } } }) });
    expect(container(find(limitOnly, 'StatefulSet', 'airflow-worker'), 'worker').resources).toEqual({
      requests: { cpu: '250m', memory: '768Mi' },
      limits: { cpu: '2', memory: '3Gi' },
    });
  });

  test('resources: a request above its limit, once merged with the defaults, is refused at synth', () => {
    expect(problemsOf({ executor: Executor.celery({ workers: { resources: { memory: { request: Size.gibibytes(4) } } } }) })).toEqual([
      'executor.celery.workers.resources.memory: the request is above the limit (the default fills in what you leave unset) (got "request 4Gi, limit 2Gi"). Fix: set both, e.g. request 2Gi with limit 2Gi',
    ]);
  });
});

describe('KubernetesPodOperator access', () => {
  test('turned off: no Role, no token anywhere', () => {
    const manifests = synthAirflow({ kubernetesPodOperator: false });
    expect(ofKind(manifests, 'Role')).toEqual([]);
    expect(ofKind(manifests, 'RoleBinding')).toEqual([]);
    for (const w of workloads(manifests)) {
      expect(podTemplate(w).spec.automountServiceAccountToken).toBe(false);
    }
  });

  test('pods/exec only when asked for', () => {
    const rules = find(synthAirflow({ podLauncher: { allowExec: true } }), 'Role', 'airflow-pod-launcher').rules;
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] });
  });
});

describe('names and namespaces', () => {
  test('a release name prefixes every object and is the instance label', () => {
    const manifests = synthAirflow({ name: 'etl' });
    for (const m of manifests) {
      expect(m.metadata.name).toMatch(/^etl-/);
      expect(m.metadata.labels['app.kubernetes.io/instance']).toBe('etl');
    }
    expect(container(find(manifests, 'Deployment', 'etl-scheduler'), 'scheduler').env)
      .toContainEqual({ name: 'AIRFLOW__CELERY__BROKER_URL', value: 'redis://:$(AIRFLOW_REDIS_PASSWORD)@etl-redis:6379/0' });
    expect(Object.keys(CREDENTIAL_KEYS).length).toBe(7);
    expect(JSON.stringify(manifests)).toContain('"name":"etl-credentials"');
  });
});
