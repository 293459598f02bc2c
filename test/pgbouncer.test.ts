import { AirflowVersion, Executor, MetadataDatabase, SecretKey } from '../lib';
import { parseAllDocuments } from 'yaml';
import { credentialsUse } from '../lib/secrets-manifest';
import { Manifest, allContainers, container, find, ofKind, podTemplate, problemsOf, release, synthAirflow, workloads } from './helpers';

// PgBouncer in front of the PostgreSQL metadata database: which pods use the pooled endpoint,
// which the direct one, and a configuration that holds no secret.

const POOLED = 'postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@airflow-pgbouncer:6543/airflow';
const DIRECT = 'postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@airflow-postgresql:5432/airflow';

function envOf(c: Manifest, name: string): Manifest | undefined {
  return (c.env ?? []).find((v: Manifest) => v.name === name);
}

describe('bundled PostgreSQL with PgBouncer', () => {
  const manifests = synthAirflow({ executor: Executor.celery(), database: MetadataDatabase.bundledPostgres({ pgbouncer: {} }) });
  const deployment = find(manifests, 'Deployment', 'airflow-pgbouncer');
  const pgbouncer = container(deployment, 'pgbouncer');

  test('adds the pgbouncer Deployment and Service on 6543', () => {
    const service = find(manifests, 'Service', 'airflow-pgbouncer');
    expect(service.spec.ports).toEqual([{ name: 'pgbouncer', port: 6543, targetPort: 'pgbouncer', protocol: 'TCP' }]);
    expect(pgbouncer.image).toBe('edoburu/pgbouncer:v1.25.1-p0');
    expect(pgbouncer.ports).toEqual([{ name: 'pgbouncer', containerPort: 6543, protocol: 'TCP' }]);
    expect(pgbouncer.livenessProbe.tcpSocket).toEqual({ port: 'pgbouncer' });
    expect(pgbouncer.readinessProbe.tcpSocket).toEqual({ port: 'pgbouncer' });
    expect(pgbouncer.resources).toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  test('configures transaction pooling from the environment, the password from the Secret only', () => {
    const env = Object.fromEntries(pgbouncer.env.map((v: Manifest) => [v.name, v.value ?? v.valueFrom]));
    expect(env).toMatchObject({
      DB_HOST: 'airflow-postgresql', DB_PORT: '5432', DB_NAME: 'airflow', DB_USER: 'airflow',
      POOL_MODE: 'transaction', LISTEN_PORT: '6543', AUTH_TYPE: 'scram-sha-256',
    });
    expect(envOf(pgbouncer, 'DB_PASSWORD')).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: expect.objectContaining({ key: expect.any(String) }) } });
    expect(envOf(pgbouncer, 'DB_PASSWORD')?.value).toBeUndefined();
    // No ConfigMap or Secret carries a userlist or pgbouncer.ini.
    expect(JSON.stringify(manifests)).not.toMatch(/userlist|\[databases\]/);
  });

  test('runs restricted: non-root, read-only root, its config directory in memory', () => {
    const spec = deployment.spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70 });
    expect(pgbouncer.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pgbouncer.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/pgbouncer' }]);
    expect(spec.volumes).toEqual([{ name: 'config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]);
    expect(deployment.spec.template.metadata.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict']).toBe('true');
  });

  test('Airflow pods connect through PgBouncer: sql_alchemy_conn, result backend, airflow_db', () => {
    const scheduler = find(manifests, 'Deployment', 'airflow-scheduler');
    const main = container(scheduler, 'scheduler');
    expect(envOf(main, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value).toBe(POOLED);
    expect(envOf(main, 'AIRFLOW__CELERY__RESULT_BACKEND')?.value).toBe(`db+${POOLED}`);
    const worker = workloads(manifests).find((w) => w.metadata.name === 'airflow-worker')!;
    expect(envOf(container(worker, 'worker'), 'AIRFLOW_CONN_AIRFLOW_DB')?.value).toBe(POOLED);
    expect(envOf(container(scheduler, 'wait-for-migrations', true), 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value).toBe(POOLED);
  });

  test('the migration Job connects directly, in place of the pooled URL', () => {
    const job = ofKind(manifests, 'Job').find((j) => j.metadata.name.startsWith('airflow-migrate-database'))!;
    const env = allContainers(job).flatMap((c) => c.env ?? []).filter((v: Manifest) => v.name === 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN');
    expect(env).toEqual([{ name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', value: DIRECT }]);
  });

  test('Airflow 3 keeps the asyncpg URL off PgBouncer', () => {
    const scheduler = find(manifests, 'Deployment', 'airflow-scheduler');
    expect(envOf(container(scheduler, 'scheduler'), 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC')?.value)
      .toBe('postgresql+asyncpg://airflow:$(AIRFLOW_DATABASE_PASSWORD)@airflow-postgresql:5432/airflow');
  });

  test('two replicas get a PodDisruptionBudget', () => {
    const two = synthAirflow({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { replicas: 2 } }) });
    expect(find(two, 'PodDisruptionBudget', 'airflow-pgbouncer').spec.maxUnavailable).toBe(1);
    expect(ofKind(manifests, 'PodDisruptionBudget').map((p) => p.metadata.name)).not.toContain('airflow-pgbouncer');
  });

  test('network policies: Airflow pods reach PgBouncer on 6543, PgBouncer reaches PostgreSQL on 5432', () => {
    const withPolicies = synthAirflow({ database: MetadataDatabase.bundledPostgres({ pgbouncer: {} }), networkPolicies: { enabled: true } });
    const policy = find(withPolicies, 'NetworkPolicy', 'airflow-pgbouncer');
    const ingressPorts = policy.spec.ingress.flatMap((r: Manifest) => r.ports.map((p: Manifest) => p.port));
    expect(ingressPorts).toEqual([6543]);
    const toPostgres = policy.spec.egress.find((r: Manifest) => r.ports?.some((p: Manifest) => p.port === 5432));
    expect(toPostgres.to).toEqual([{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'postgresql' }) } }]);
    const postgres = find(withPolicies, 'NetworkPolicy', 'airflow-postgresql');
    const from = postgres.spec.ingress.flatMap((r: Manifest) => r.from.map((f: Manifest) => f.podSelector.matchLabels['app.kubernetes.io/component']));
    expect(from).toContain('pgbouncer');
  });
});

describe('external PostgreSQL with PgBouncer', () => {
  const database = MetadataDatabase.externalPostgres({ host: 'pg.example.internal', sslMode: 'require', pgbouncer: { poolSize: 10 } });
  const manifests = synthAirflow({ database });

  test('PgBouncer speaks TLS to the server; Airflow pods reach PgBouncer without sslmode', () => {
    const pgbouncer = container(find(manifests, 'Deployment', 'airflow-pgbouncer'), 'pgbouncer');
    expect(envOf(pgbouncer, 'DB_HOST')?.value).toBe('pg.example.internal');
    expect(envOf(pgbouncer, 'SERVER_TLS_SSLMODE')?.value).toBe('require');
    expect(envOf(pgbouncer, 'DEFAULT_POOL_SIZE')?.value).toBe('10');
    const main = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
    expect(envOf(main, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value).toBe(POOLED);
    expect(envOf(main, 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC')?.value)
      .toBe('postgresql+asyncpg://airflow:$(AIRFLOW_DATABASE_PASSWORD)@pg.example.internal:5432/airflow?ssl=require');
    const job = ofKind(manifests, 'Job').find((j) => j.metadata.name.startsWith('airflow-migrate-database'))!;
    expect(envOf(container(job, 'migrate-database'), 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value)
      .toBe('postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@pg.example.internal:5432/airflow?sslmode=require');
  });

  test('KEDA counts through PgBouncer, as the pods\' connections go: its Service from KEDA\'s namespace, no TLS on that hop', () => {
    const keda = synthAirflow({
      database, executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 4 } } }),
    }).filter((m) => m.kind === 'ScaledObject');
    expect(keda.map((k) => k.metadata.name)).toEqual(['airflow-worker']);
    expect(keda[0].spec.triggers[0].metadata).toEqual(expect.objectContaining({
      host: 'airflow-pgbouncer.airflow.svc', port: '6543', dbName: 'airflow', userName: 'airflow', sslmode: 'disable',
    }));
  });

  test('the PgBouncer policy lets it reach the server\'s port', () => {
    const withPolicies = synthAirflow({ database, networkPolicies: { enabled: true } });
    const policy = find(withPolicies, 'NetworkPolicy', 'airflow-pgbouncer');
    expect(policy.spec.egress).toContainEqual({ ports: [{ port: 5432, protocol: 'TCP' }] });
  });
});

describe('PgBouncer from a config Secret of your own', () => {
  const manifests = synthAirflow({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { configSecret: 'airflow-pgbouncer-config', metrics: {} } }) });
  const deployment = find(manifests, 'Deployment', 'airflow-pgbouncer');

  test('mounts both files read-only in place of the generated ones, and gives the image nothing to write them from', () => {
    const spec = podTemplate(deployment).spec;
    expect(spec.volumes).toContainEqual({
      name: 'config',
      secret: { secretName: 'airflow-pgbouncer-config', defaultMode: 0o440, items: [{ key: 'pgbouncer.ini', path: 'pgbouncer.ini' }, { key: 'userlist.txt', path: 'userlist.txt' }] },
    });
    const pgbouncer = container(deployment, 'pgbouncer');
    expect(pgbouncer.env).toBeUndefined();
    expect(pgbouncer.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/pgbouncer' }]);
    expect(spec.securityContext.fsGroup).toBe(70);
  });

  test('Airflow, KEDA and the exporter still go through it on 6543', () => {
    expect(envOf(container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler'), 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN')?.value).toBe(POOLED);
    expect(envOf(container(deployment, 'metrics-exporter'), 'PGBOUNCER_EXPORTER_CONNECTION_STRING')?.value).toContain('port=6543');
  });

  test('`cdk8s-airflow secrets` lists both keys among those you provide', () => {
    const use = credentialsUse(manifests, (text) => parseAllDocuments(text).map((d) => d.toJSON()));
    expect(use.userOwned.filter((ref) => ref.secret === 'airflow-pgbouncer-config').map((ref) => ref.key)).toEqual(['pgbouncer.ini', 'userlist.txt']);
  });

  test('settings the Secret holds are refused beside it, and its name is checked', () => {
    expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { configSecret: 'PgBouncer_Config', poolSize: 10, maxClientConnections: 500 } }) })).toEqual([
      'database.pgbouncer.configSecret: not a Secret name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("P" is not allowed) (got "PgBouncer_Config"). Fix: e.g. "airflow-pgbouncer-config"',
      'database.pgbouncer.poolSize: the configuration comes from configSecret, whose pgbouncer.ini this setting would not reach (got 10). Fix: remove poolSize and set default_pool_size in your pgbouncer.ini',
      'database.pgbouncer.maxClientConnections: the configuration comes from configSecret, whose pgbouncer.ini this setting would not reach (got 500). Fix: remove maxClientConnections and set max_client_conn in your pgbouncer.ini',
    ]);
  });
});

describe('refusals', () => {
  test('MySQL and a URL from a Secret take no PgBouncer', () => {
    const mysql = MetadataDatabase.externalMySql({ host: 'mysql.example.internal', pgbouncer: {} } as any);
    expect(problemsOf({ database: mysql })).toEqual([
      'database.pgbouncer: PgBouncer pools PostgreSQL connections only, and this is a MySQL server (got "PgBouncer"). Fix: leave pgbouncer out, or use MetadataDatabase.externalPostgres()',
    ]);
    const fromSecret = MetadataDatabase.fromSecret({ url: SecretKey.of('db', 'url'), pgbouncer: {} } as any);
    expect(problemsOf({ database: fromSecret })).toEqual([
      expect.stringMatching(/^database\.pgbouncer: PgBouncer pools PostgreSQL connections only, and the library cannot read the URL in the Secret .* Fix: leave pgbouncer out/),
    ]);
  });

  test('Airflow 3.0 cannot keep its asyncpg URL off PgBouncer', () => {
    expect(problemsOf({ ...release('3.0.6'), database: MetadataDatabase.bundledPostgres({ pgbouncer: {} }) })).toEqual([
      expect.stringMatching(/^database\.pgbouncer: Airflow 3\.0\.6 derives its asyncpg URL .* Fix: use Airflow 3\.1 or later/),
    ]);
  });

  test('Airflow 2.11 takes it: no async connections, nothing to bypass but the migration', () => {
    expect(problemsOf({ version: AirflowVersion.V2_11_0, database: MetadataDatabase.bundledPostgres({ pgbouncer: {} }) })).toEqual([]);
  });

  test('a misspelt option is reported once, though its parent\'s check and its own both see it', () => {
    expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { pool: 1 } as any }) })).toEqual([
      'database.pgbouncer.pool: not a property of PgBouncerOptions (got 1). Fix: did you mean "poolSize"?',
    ]);
  });

  test('bad numbers', () => {
    expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { replicas: 0, poolSize: 1.5 } }) })).toEqual([
      'database.pgbouncer.replicas: must be a whole number of at least 1 (got 0). Fix: e.g. 2',
      'database.pgbouncer.poolSize: must be a whole number of at least 1 (got 1.5). Fix: e.g. 20',
    ]);
  });
});

test('PgBouncer takes pod options of its own, on top of the library-wide ones', () => {
  const manifests = synthAirflow({
    pods: { nodeSelector: { pool: 'general' } },
    database: MetadataDatabase.bundledPostgres({ pgbouncer: { pod: { nodeSelector: { pool: 'databases' }, serviceAccountAnnotations: { 'example.com/role': 'pgbouncer' } } } }),
  });
  expect(podTemplate(find(manifests, 'Deployment', 'airflow-pgbouncer')).spec.nodeSelector).toEqual({ pool: 'databases' });
  expect(find(manifests, 'ServiceAccount', 'airflow-pgbouncer').metadata.annotations).toEqual({ 'example.com/role': 'pgbouncer' });
  expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-postgresql')).spec.nodeSelector).toEqual({ pool: 'general' });
  expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { pod: { priorityClassName: 'High' } } }) }).map((p) => p.split(':')[0]))
    .toEqual(['database.pgbouncer.pod.priorityClassName']);
});

test('two PgBouncers spread over nodes, and a node affinity of their pod options keeps that spread', () => {
  const nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['db'] }] }] } };
  const affinity = podTemplate(find(synthAirflow({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { replicas: 2, pod: { affinity: { nodeAffinity } } } }) }),
    'Deployment', 'airflow-pgbouncer')).spec.affinity;
  expect(affinity.nodeAffinity).toEqual(nodeAffinity);
  expect(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
});
