// Autoscaling: an HPA for the UI server, KEDA ScaledObjects for the Celery workers (every worker
// set on its own queues) and the triggerer, counted in the metadata database, with the database
// credentials handed to KEDA by reference. Off by default.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AirflowProps, Executor, MetadataDatabase, SecretKey } from '../lib';
import { validateManifests } from '../lib/schema/validate-manifests';
import { AirflowConfigurationError } from '../lib/validation';
import { Manifest, airflowIn, container, find, ofKind, podTemplate, problemsOf, release, synthAirflow, untypedConfig } from './helpers';
import { diffReleases } from './upgrade-diff';

const AUTOSCALING_KINDS = ['HorizontalPodAutoscaler', 'ScaledObject', 'TriggerAuthentication'];

/** The Celery workers with KEDA on both sets, the triggerer on KEDA, the API server on an HPA. */
const AUTOSCALED: AirflowProps = {
  apiServer: { autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 } },
  triggerer: { autoscaling: { minReplicas: 0, maxReplicas: 3 } },
  executor: Executor.celery({ workers: { concurrency: 8, autoscaling: { minReplicas: 0, maxReplicas: 10 } } }),
};

/** The objects of `props`, with a worker set `gpu` on the queues gpu and gpu-large (autoscaled when `setAutoscaled`). */
function synthWithSet(props: AirflowProps, setAutoscaled = true): Manifest[] {
  const { chart, airflow } = airflowIn(props);
  airflow.addWorkerSet('gpu', { queues: ['gpu', 'gpu-large'], concurrency: 2, ...(setAutoscaled ? { autoscaling: { maxReplicas: 4 } } : {}) });
  return Testing.synth(chart);
}

/** The one trigger of a ScaledObject. */
function trigger(manifests: Manifest[], name: string): Manifest {
  const triggers = find(manifests, 'ScaledObject', name).spec.triggers;
  expect(triggers).toHaveLength(1);
  return triggers[0];
}

/** The queues a worker query counts: the list of `queue IN (...)`. */
function countedQueues(query: string): string[] {
  const list = /\bqueue IN \(([^)]*)\)/.exec(query)?.[1];
  expect(list).toBeDefined();
  return [...list!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

describe('off by default', () => {
  test('no HPA, ScaledObject or TriggerAuthentication, and every workload keeps its replicas', () => {
    for (const manifests of [synthAirflow(), synthAirflow(release('2.11.0')), synthAirflow({ executor: Executor.celeryAndKubernetes() })]) {
      expect(manifests.filter((m) => AUTOSCALING_KINDS.includes(m.kind))).toEqual([]);
      for (const w of [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'StatefulSet')]) {
        expect([w.metadata.name, typeof w.spec.replicas]).toEqual([w.metadata.name, 'number']);
      }
    }
  });
});

describe('the UI server on an HPA', () => {
  test.each([['3.1.7', 'api-server', 'apiServer'], ['2.11.0', 'webserver', 'webserver']] as const)('Airflow %s: the HPA scales the %s Deployment on CPU', (version, component, prop) => {
    const manifests = synthAirflow({ ...release(version), [prop]: { autoscaling: { maxReplicas: 5 } } });
    const name = `airflow-${component}`;
    const hpa = find(manifests, 'HorizontalPodAutoscaler', name);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    // The target is the Deployment by kind, group and name, which exists.
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    find(manifests, 'Deployment', name);
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    // Scale-down keeps the HPA's defaults: a UI server pod holds no work beyond a request.
    expect(hpa.spec.behavior).toBeUndefined();
  });

  test('the Deployment leaves spec.replicas to the HPA: a count in Git would be re-applied at every sync', () => {
    const manifests = synthAirflow(AUTOSCALED);
    const deployment = find(manifests, 'Deployment', 'airflow-api-server');
    expect('replicas' in deployment.spec).toBe(false);
    // The other Deployments keep theirs.
    expect(find(manifests, 'Deployment', 'airflow-scheduler').spec.replicas).toBe(1);
    expect(find(manifests, 'HorizontalPodAutoscaler', 'airflow-api-server').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
  });

  test('every container of its pods has a CPU request, which the HPA divides by', () => {
    const manifests = synthAirflow(AUTOSCALED);
    for (const c of podTemplate(find(manifests, 'Deployment', 'airflow-api-server')).spec.containers) {
      expect([c.name, c.resources?.requests?.cpu]).toEqual([c.name, expect.any(String)]);
    }
  });
});

describe('Celery workers on KEDA', () => {
  const manifests = synthWithSet(AUTOSCALED);

  test('each worker StatefulSet has a ScaledObject of its name that targets it', () => {
    for (const name of ['airflow-worker', 'airflow-worker-gpu']) {
      const scaled = find(manifests, 'ScaledObject', name);
      expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name });
      const statefulSet = find(manifests, 'StatefulSet', name);
      // KEDA's HPA owns the replicas.
      expect('replicas' in statefulSet.spec).toBe(false);
    }
    expect(find(manifests, 'ScaledObject', 'airflow-worker').spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 10 });
    expect(find(manifests, 'ScaledObject', 'airflow-worker-gpu').spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 4 });
  });

  test('the query counts queued and running tasks of exactly the set\'s queues; one worker per concurrency of them', () => {
    const defaults = trigger(manifests, 'airflow-worker');
    const gpu = trigger(manifests, 'airflow-worker-gpu');
    expect(countedQueues(defaults.metadata.query)).toEqual(['default']);
    expect(countedQueues(gpu.metadata.query)).toEqual(['gpu', 'gpu-large']);
    // The queues the workers consume: the default queue from airflow.cfg, the set's from --queues.
    expect(container(find(manifests, 'StatefulSet', 'airflow-worker-gpu'), 'worker').args).toEqual(expect.arrayContaining(['--queues', 'gpu,gpu-large']));
    for (const t of [defaults, gpu]) {
      expect(t.metadata.query).toMatch(/^SELECT COUNT\(\*\) FROM task_instance WHERE state IN \('queued', 'running'\) AND queue IN /);
      expect(t).toMatchObject({ type: 'postgresql', metricType: 'AverageValue' });
    }
    // AverageValue: KEDA's HPA runs ceil(count / concurrency) workers.
    expect(defaults.metadata.targetQueryValue).toBe('8');
    expect(gpu.metadata.targetQueryValue).toBe('2');
  });

  test('on Airflow 3 only the Celery executor\'s tasks count: KubernetesExecutor tasks share the default queue', () => {
    const both = synthAirflow({ executor: Executor.celeryAndKubernetes({ celery: { workers: { autoscaling: { maxReplicas: 4 } } } }) });
    expect(trigger(both, 'airflow-worker').metadata.query).toContain(
      "AND (executor IS NULL OR executor IN ('CeleryExecutor', 'airflow.providers.celery.executors.celery_executor.CeleryExecutor'))");
    // Airflow 2's CeleryKubernetesExecutor routes by queue: its kubernetes queue is no worker's, and no executor filter.
    const airflow2 = synthAirflow({ ...release('2.11.0'), executor: Executor.celeryAndKubernetes({ celery: { workers: { autoscaling: { maxReplicas: 4 } } } }) });
    const query = trigger(airflow2, 'airflow-worker').metadata.query;
    expect(countedQueues(query)).toEqual(['default']);
    expect(query).not.toContain('executor');
  });

  test('the default workers count the default queue airflow.cfg names', () => {
    const manifests = synthAirflow({ config: { operators: { default_queue: 'etl' } }, executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 4 } } }) });
    expect(countedQueues(trigger(manifests, 'airflow-worker').metadata.query)).toEqual(['etl']);
  });

  test('scale-down never cuts a running task short: warm shutdown within the grace period, one worker at a time', () => {
    const scaled = find(manifests, 'ScaledObject', 'airflow-worker');
    expect(scaled.spec).toMatchObject({ pollingInterval: 15, cooldownPeriod: 300 });
    expect(scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    });
    // A removed worker gets SIGTERM in Celery alone (warm shutdown) and its grace period to finish.
    const pod = podTemplate(find(manifests, 'StatefulSet', 'airflow-worker'));
    expect(pod.spec.terminationGracePeriodSeconds).toBe(600);
    expect(container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').env).toEqual(expect.arrayContaining([{ name: 'DUMB_INIT_SETSID', value: '0' }]));
  });

  test('the grace period covers the longest task Airflow allows: [core] default_task_execution_timeout', () => {
    const config = untypedConfig({ core: { default_task_execution_timeout: '3600' } });
    expect(problemsOf({ executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 4 } } }), config })).toEqual([
      'executor.celery.workers.terminationGracePeriod: shorter than [core] default_task_execution_timeout (3600s): a worker stopped by a scale-down or a rollout would kill tasks Airflow lets run longer (got "600s"). Fix: terminationGracePeriod: Duration.seconds(3600) or more, or a shorter default_task_execution_timeout',
    ]);
    expect(problemsOf({ executor: Executor.celeryAndKubernetes({ celery: { workers: { terminationGracePeriod: Duration.minutes(30) } } }), config })).toEqual([
      'executor.celery.workers.terminationGracePeriod: shorter than [core] default_task_execution_timeout (3600s): a worker stopped by a scale-down or a rollout would kill tasks Airflow lets run longer (got "1800s"). Fix: terminationGracePeriod: Duration.seconds(3600) or more, or a shorter default_task_execution_timeout',
    ]);
    expect(problemsOf({ executor: Executor.celery({ workers: { terminationGracePeriod: Duration.hours(1) } }), config })).toEqual([]);
    const { airflow } = airflowIn({ executor: Executor.celery({ workers: { terminationGracePeriod: Duration.hours(1) } }), config });
    expect(() => airflow.addWorkerSet('long', { queues: ['long'] })).toThrow(
      'terminationGracePeriod: shorter than [core] default_task_execution_timeout (3600s): a worker stopped by a scale-down or a rollout would kill tasks Airflow lets run longer (got "600s")');
    expect(() => airflow.addWorkerSet('long', { queues: ['long'], terminationGracePeriod: Duration.hours(2) })).not.toThrow();
  });

  test('the HPA KEDA makes from a ScaledObject gets none of the labels that claim an object of the output', () => {
    // KEDA copies a ScaledObject's labels onto its HPA unless this annotation lists them (KEDA 2.18+).
    for (const scaled of ofKind(synthWithSet(AUTOSCALED), 'ScaledObject')) {
      expect(scaled.metadata.annotations).toEqual({ 'scaledobject.keda.sh/hpa-excluded-labels': 'app.kubernetes.io/instance,app.kubernetes.io/managed-by' });
      expect(scaled.metadata.labels['app.kubernetes.io/instance']).toBe('airflow');
    }
  });

  test('KEDA\'s timings are options', () => {
    const manifests = synthAirflow({
      executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 4, pollingInterval: Duration.seconds(30), cooldownPeriod: Duration.minutes(15) } } }),
    });
    expect(find(manifests, 'ScaledObject', 'airflow-worker').spec).toMatchObject({ pollingInterval: 30, cooldownPeriod: 900 });
  });

  test('a worker set without autoscaling keeps its replicas beside autoscaled default workers', () => {
    const manifests = synthWithSet(AUTOSCALED, false);
    expect(find(manifests, 'StatefulSet', 'airflow-worker-gpu').spec.replicas).toBe(2);
    expect(ofKind(manifests, 'ScaledObject').map((s) => s.metadata.name).sort()).toEqual(['airflow-triggerer', 'airflow-worker']);
  });
});

describe('the database connection KEDA opens', () => {
  test('one TriggerAuthentication takes the password from the credentials Secret by reference', () => {
    const manifests = synthWithSet(AUTOSCALED);
    const authentications = ofKind(manifests, 'TriggerAuthentication');
    expect(authentications.map((a) => a.metadata.name)).toEqual(['airflow-metadata-database']);
    expect(authentications[0].spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'airflow-credentials', key: 'postgresql-password' }] });
    // The same key Airflow's own pods read the password from.
    const env = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').env;
    expect(env.find((e: Manifest) => e.name === 'AIRFLOW_DATABASE_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'airflow-credentials', key: 'postgresql-password' });
    for (const scaled of ofKind(manifests, 'ScaledObject')) {
      expect(scaled.spec.triggers[0].authenticationRef).toEqual({ name: 'airflow-metadata-database' });
      // The trigger itself holds no password, only where the server is.
      expect(Object.keys(scaled.spec.triggers[0].metadata).sort()).toEqual(['dbName', 'host', 'port', 'query', 'sslmode', 'targetQueryValue', 'userName']);
    }
  });

  test('the bundled PostgreSQL by a name KEDA\'s operator resolves from its own namespace', () => {
    const { metadata } = trigger(synthAirflow(AUTOSCALED), 'airflow-worker');
    expect(metadata).toMatchObject({ host: 'airflow-postgresql.airflow.svc', port: '5432', userName: 'airflow', dbName: 'airflow', sslmode: 'prefer' });
  });

  test('an external PostgreSQL with its sslMode, and a password pointed at another Secret', () => {
    const manifests = synthAirflow({
      ...AUTOSCALED,
      database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', port: 5433, database: 'af', user: 'af_user', sslMode: 'verify-full' }),
      credentials: { databasePassword: SecretKey.of('pg-app', 'password') },
    });
    expect(trigger(manifests, 'airflow-worker').metadata).toMatchObject({ host: 'pg.example.internal', port: '5433', userName: 'af_user', dbName: 'af', sslmode: 'verify-full' });
    expect(find(manifests, 'TriggerAuthentication', 'airflow-metadata-database').spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'pg-app', key: 'password' }]);
  });

  test('MySQL: the mysql trigger, and the trigger table quoted (TRIGGER is a reserved word in MySQL)', () => {
    const manifests = synthAirflow({ ...AUTOSCALED, database: MetadataDatabase.externalMySql({ host: 'mysql.example.internal' }) });
    const workers = trigger(manifests, 'airflow-worker');
    expect(workers).toMatchObject({ type: 'mysql', metricType: 'AverageValue' });
    expect(workers.metadata).toMatchObject({ host: 'mysql.example.internal', port: '3306', username: 'airflow', dbName: 'airflow', queryValue: '8' });
    expect(workers.metadata.targetQueryValue).toBeUndefined();
    expect(trigger(manifests, 'airflow-triggerer').metadata.query).toBe('SELECT COUNT(*) FROM `trigger`');
    expect(find(manifests, 'TriggerAuthentication', 'airflow-metadata-database').spec.secretTargetRef)
      .toEqual([{ parameter: 'password', name: 'airflow-credentials', key: 'postgresql-password' }]);
  });

  test('a URL from a Secret: the connection KEDA takes from a key of its own, whole', () => {
    const manifests = synthAirflow({
      ...AUTOSCALED,
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg-app', 'uri'), kedaConnection: { postgresql: SecretKey.of('pg-app', 'uri') } }),
    });
    expect(trigger(manifests, 'airflow-worker').metadata).toEqual({ query: expect.any(String), targetQueryValue: '8' });
    expect(find(manifests, 'TriggerAuthentication', 'airflow-metadata-database').spec.secretTargetRef).toEqual([{ parameter: 'connection', name: 'pg-app', key: 'uri' }]);
    const mysql = synthAirflow({
      executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 2 } } }),
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('db', 'uri'), kedaConnection: { mysql: SecretKey.of('db', 'dsn') } }),
    });
    expect(trigger(mysql, 'airflow-worker')).toMatchObject({ type: 'mysql', metadata: { queryValue: '16' } });
    expect(find(mysql, 'TriggerAuthentication', 'airflow-metadata-database').spec.secretTargetRef).toEqual([{ parameter: 'connectionString', name: 'db', key: 'dsn' }]);
  });
});

describe('the triggerer on KEDA', () => {
  test('one triggerer per [triggerer] capacity triggers waiting in the trigger table', () => {
    const manifests = synthAirflow(AUTOSCALED);
    expect(find(manifests, 'ScaledObject', 'airflow-triggerer').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'airflow-triggerer' });
    expect('replicas' in find(manifests, 'StatefulSet', 'airflow-triggerer').spec).toBe(false);
    expect(trigger(manifests, 'airflow-triggerer').metadata).toMatchObject({ query: 'SELECT COUNT(*) FROM trigger', targetQueryValue: '1000' });
  });

  test('the capacity airflow.cfg sets: [triggerer] capacity on Airflow 3, default_capacity on Airflow 2', () => {
    const airflow3 = synthAirflow({ config: { triggerer: { capacity: '250' } }, triggerer: { autoscaling: { maxReplicas: 2 } } });
    expect(trigger(airflow3, 'airflow-triggerer').metadata.targetQueryValue).toBe('250');
    const airflow2 = synthAirflow({ ...release('2.11.0'), config: { triggerer: { default_capacity: '500' } }, triggerer: { autoscaling: { maxReplicas: 2 } } });
    expect(trigger(airflow2, 'airflow-triggerer').metadata.targetQueryValue).toBe('500');
  });
});

describe('the queries count what they claim (run on SQLite with the columns of Airflow\'s models)', () => {
  // task_instance.state, .queue, .executor (airflow-core models/taskinstance.py) and the trigger
  // table (models/trigger.py); the queries are plain SQL that PostgreSQL, MySQL and SQLite read alike.
  const python = spawnSync('python3', ['-c', 'import sqlite3'], { encoding: 'utf8' });
  (python.status === 0 ? test : test.skip)('queued and running tasks of the set\'s queues and of Celery; every trigger', () => {
    const manifests = synthWithSet({ executor: Executor.celeryAndKubernetes({ celery: { workers: { autoscaling: { maxReplicas: 4 } } } }), triggerer: AUTOSCALED.triggerer });
    const queries = {
      worker: trigger(manifests, 'airflow-worker').metadata.query,
      gpu: trigger(manifests, 'airflow-worker-gpu').metadata.query,
      triggerer: trigger(manifests, 'airflow-triggerer').metadata.query,
    };
    const rows: Array<[string, string, string | null]> = [
      ['queued', 'default', null], ['running', 'default', null], ['running', 'default', 'CeleryExecutor'],
      ['running', 'default', 'airflow.providers.celery.executors.celery_executor.CeleryExecutor'],
      ['running', 'default', 'KubernetesExecutor'], ['queued', 'default', 'airflow.providers.cncf.kubernetes.executors.kubernetes_executor.KubernetesExecutor'],
      ['scheduled', 'default', null], ['deferred', 'default', null], ['success', 'default', null], ['up_for_retry', 'default', null],
      ['queued', 'gpu', null], ['running', 'gpu-large', null], ['running', 'gpu-small', null], ['queued', 'other', null],
    ];
    const script = `
import json, sqlite3, sys
db = sqlite3.connect(':memory:')
db.execute('CREATE TABLE task_instance (state VARCHAR(20), queue VARCHAR(256), executor VARCHAR(1000))')
db.execute('CREATE TABLE "trigger" (id INTEGER PRIMARY KEY, classpath VARCHAR(1000), triggerer_id INTEGER)')
db.executemany('INSERT INTO task_instance VALUES (?, ?, ?)', json.loads(sys.argv[1]))
db.executemany('INSERT INTO "trigger" (classpath, triggerer_id) VALUES (?, ?)', [('a', None), ('b', 7), ('c', None)])
print(json.dumps({name: db.execute(query).fetchone()[0] for name, query in json.loads(sys.argv[2]).items()}))
`;
    const run = spawnSync('python3', ['-c', script, JSON.stringify(rows), JSON.stringify(queries)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // Default workers: the two NULL and two Celery-named tasks on the default queue, not the
    // KubernetesExecutor's; the set: gpu and gpu-large, not gpu-small; the triggerer: every trigger.
    expect(JSON.parse(run.stdout)).toEqual({ worker: 4, gpu: 2, triggerer: 3 });
  });
});

describe('disruption budgets and spread follow the most pods an autoscaler may run', () => {
  test('maxReplicas of 2 or more: a budget and spread, whatever the minimum', () => {
    const manifests = synthAirflow(AUTOSCALED);
    for (const [kind, name] of [['Deployment', 'airflow-api-server'], ['StatefulSet', 'airflow-worker'], ['StatefulSet', 'airflow-triggerer']]) {
      expect(find(manifests, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
      expect(podTemplate(find(manifests, kind, name)).spec.topologySpreadConstraints).toHaveLength(1);
    }
  });

  test('maxReplicas 1: none, as for one fixed replica', () => {
    const manifests = synthAirflow({
      apiServer: { autoscaling: { maxReplicas: 1 } },
      executor: Executor.celery({ workers: { autoscaling: { minReplicas: 0, maxReplicas: 1 } } }),
    });
    expect(ofKind(manifests, 'PodDisruptionBudget')).toEqual([]);
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-api-server')).spec.affinity).toBeUndefined();
  });
});

describe('upgrade safety: turning autoscaling on and off', () => {
  // The same workers (concurrency 8, a gpu set) without autoscaling.
  const before = synthWithSet({ executor: Executor.celery({ workers: { concurrency: 8 } }) }, false);
  const after = synthWithSet(AUTOSCALED, true);

  test('on: nothing the API server refuses; the autoscalers and their budgets are added, replicas leave the workloads', () => {
    const diff = diffReleases(before, after);
    expect({ immutableViolations: diff.immutableViolations, kindSwaps: diff.kindSwaps, overlappingSelectors: diff.overlappingSelectors })
      .toEqual({ immutableViolations: [], kindSwaps: [], overlappingSelectors: [] });
    expect(diff.added).toEqual([
      'HorizontalPodAutoscaler/airflow-api-server', 'PodDisruptionBudget/airflow-api-server', 'PodDisruptionBudget/airflow-triggerer',
      'ScaledObject/airflow-triggerer', 'ScaledObject/airflow-worker', 'ScaledObject/airflow-worker-gpu', 'TriggerAuthentication/airflow-metadata-database',
    ]);
    expect(diff.removed).toEqual([]);
    // The worker StatefulSets lose spec.replicas alone (they ran two already, spread); the API
    // server and the triggerer, which may now run several, get their spread and roll.
    expect(diff.changedFields['StatefulSet/airflow-worker']).toEqual(['spec.replicas']);
    expect(diff.changedFields['StatefulSet/airflow-worker-gpu']).toEqual(['spec.replicas']);
    expect(diff.rolled).toEqual(['airflow-api-server', 'airflow-triggerer']);
  });

  test('off again: the same, backwards', () => {
    const diff = diffReleases(after, before);
    expect([diff.immutableViolations, diff.kindSwaps, diff.overlappingSelectors]).toEqual([[], [], []]);
    expect(diff.added).toEqual([]);
    expect(find(before, 'StatefulSet', 'airflow-worker').spec.replicas).toBe(2);
  });
});

describe('schemas', () => {
  test('the HPA passes the Kubernetes 1.27 schema backstop, like every other object', () => {
    expect(validateManifests(synthWithSet(AUTOSCALED))).toEqual([]);
    expect(validateManifests(synthAirflow({ ...release('2.11.0'), webserver: { autoscaling: { maxReplicas: 3 } } }))).toEqual([]);
  });

  // The KEDA objects are custom resources: checked here against the vendored CRDs (../shared,
  // as in CI; k8s-check does the same there), strictly: unknown fields are errors.
  const CRDS = path.resolve(__dirname, '..', '..', 'shared', 'crds', 'keda');
  (fs.existsSync(CRDS) ? test : test.skip)('the ScaledObjects and the TriggerAuthentication pass their CRDs\' schemas (KEDA v2.20.2)', () => {
    const strict = (schema: Manifest): Manifest => {
      if (schema === null || typeof schema !== 'object') {
        return schema;
      }
      const copy: Manifest = Array.isArray(schema) ? schema.map(strict) : Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
      if (!Array.isArray(schema) && schema.properties !== undefined && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
        copy.additionalProperties = false;
      }
      return copy;
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    const validators = Object.fromEntries(['scaledobjects', 'triggerauthentications'].map((plural) => {
      const crd = parse(fs.readFileSync(path.join(CRDS, `keda.sh_${plural}.yaml`), 'utf8'));
      return [crd.spec.names.kind, ajv.compile(strict(crd.spec.versions.find((v: Manifest) => v.name === 'v1alpha1').schema.openAPIV3Schema))];
    }));
    const outputs = [
      synthWithSet(AUTOSCALED),
      synthAirflow({ ...AUTOSCALED, database: MetadataDatabase.externalMySql({ host: 'mysql.example.internal' }) }),
      synthAirflow({ ...AUTOSCALED, database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg', 'uri'), kedaConnection: { postgresql: SecretKey.of('pg', 'uri') } }) }),
    ];
    let checked = 0;
    for (const manifest of outputs.flat().filter((m) => m.apiVersion === 'keda.sh/v1alpha1')) {
      const validate = validators[manifest.kind];
      expect([manifest.kind, validate(manifest), validate.errors ?? null]).toEqual([manifest.kind, true, null]);
      checked++;
    }
    // Three ScaledObjects and the TriggerAuthentication, then two and one for each database.
    expect(checked).toBe(4 + 3 + 3);
  });
});

describe('bad input: every problem at once, in the project\'s words', () => {
  test.each<[string, AirflowProps, string[]]>([
    ['more at least than at most', { apiServer: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } },
      ['apiServer.autoscaling.minReplicas: must not be more than maxReplicas (3) (got 5). Fix: lower minReplicas or raise maxReplicas to 5 or more']],
    ['an HPA down to zero', { apiServer: { autoscaling: { minReplicas: 0, maxReplicas: 3 } } },
      ['apiServer.autoscaling.minReplicas: must be a whole number, 1 or more (got 0). Fix: e.g. 1']],
    ['replicas beside autoscaling', { apiServer: { replicas: 2, autoscaling: { maxReplicas: 3 } } },
      ['apiServer.replicas: with autoscaling the autoscaler sets the replicas: a count in the output would undo its work at every apply (got 2). Fix: remove replicas; the autoscaler keeps between apiServer.autoscaling.minReplicas and maxReplicas']],
    ['a fraction of a replica and a CPU target of 0', { webserver: { autoscaling: { maxReplicas: 2.5, targetCpuUtilization: 0 } }, ...release('2.11.0') },
      [
        'webserver.autoscaling.maxReplicas: must be a whole number, 1 or more (got 2.5). Fix: e.g. 4',
        'webserver.autoscaling.targetCpuUtilization: must be a whole number, 1 or more (got 0). Fix: e.g. 80',
      ]],
    ['a sidecar without a CPU request on an autoscaled UI', {
      pods: { sidecars: [{ name: 'proxy', image: 'example.com/proxy:1.0', resources: { requests: { memory: { value: '64Mi' } as never } } }] },
      apiServer: { autoscaling: { maxReplicas: 3 } },
    }, ['apiServer.autoscaling: the HPA needs a CPU request on every container of the pod, and these sidecars have none (got ["proxy"]). Fix: give each sidecar resources: { requests: { cpu: ... } }']],
    ['KEDA bounds and timings', {
      triggerer: { replicas: 1, autoscaling: { minReplicas: -1, maxReplicas: 0, pollingInterval: Duration.millis(500), cooldownPeriod: Duration.millis(1500) } },
    }, [
      'triggerer.autoscaling.minReplicas: must be a whole number, 0 or more (got -1). Fix: e.g. 1',
      'triggerer.autoscaling.maxReplicas: must be a whole number, 1 or more (got 0). Fix: e.g. 4',
      'triggerer.replicas: with autoscaling the autoscaler sets the replicas: a count in the output would undo its work at every apply (got 1). Fix: remove replicas; the autoscaler keeps between triggerer.autoscaling.minReplicas and maxReplicas',
      'triggerer.autoscaling.pollingInterval: must be a whole number of seconds, 1 or more (got "0.5s"). Fix: e.g. Duration.seconds(15)',
      'triggerer.autoscaling.cooldownPeriod: must be a whole number of seconds (got "1.5s"). Fix: e.g. Duration.minutes(5)',
    ]],
    ['worker replicas beside autoscaling', { executor: Executor.celery({ workers: { replicas: 3, autoscaling: { minReplicas: 4, maxReplicas: 2 } } }) }, [
      'executor.celery.workers.autoscaling.minReplicas: must not be more than maxReplicas (2) (got 4). Fix: lower minReplicas or raise maxReplicas to 4 or more',
      'executor.celery.workers.replicas: with autoscaling the autoscaler sets the replicas: a count in the output would undo its work at every apply (got 3). Fix: remove replicas; the autoscaler keeps between executor.celery.workers.autoscaling.minReplicas and maxReplicas',
    ]],
    ['KEDA on a database URL the library cannot read', {
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg', 'uri') }),
      executor: Executor.celeryAndKubernetes({ celery: { workers: { autoscaling: { maxReplicas: 4 } } } }),
      triggerer: { autoscaling: { maxReplicas: 2 } },
    }, ['executor.celery.workers.autoscaling: KEDA counts the work in the metadata database, whose URL is in a Secret the library cannot read (got "set"). Fix: give MetadataDatabase.fromSecret a kedaConnection: { postgresql: <key of a postgresql:// URL> } or { mysql: <key of a Go MySQL DSN> }']],
    ['a KEDA connection for both dialects', {
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg', 'uri'), kedaConnection: { postgresql: SecretKey.of('pg', 'uri'), mysql: SecretKey.of('pg', 'dsn') } }),
    }, ['database.kedaConnection: give the key of exactly one dialect: the database is either PostgreSQL or MySQL (got "postgresql and mysql"). Fix: e.g. kedaConnection: { postgresql: SecretKey.of("pg-app", "uri") }']],
  ])('%s', (_what, props, expected) => {
    expect(problemsOf(props)).toEqual(expected);
  });

  test('a worker set: its autoscaling checked with its other options, KEDA\'s database included', () => {
    const problems = (props: AirflowProps, options: Parameters<ReturnType<typeof airflowIn>['airflow']['addWorkerSet']>[1]): string[] => {
      try {
        airflowIn(props).airflow.addWorkerSet('gpu', options);
      } catch (err) {
        if (err instanceof AirflowConfigurationError) {
          return err.problems;
        }
        throw err;
      }
      return [];
    };
    expect(problems({}, { queues: ['gpu'], replicas: 1, autoscaling: { maxReplicas: 0 } })).toEqual([
      'autoscaling.maxReplicas: must be a whole number, 1 or more (got 0). Fix: e.g. 4',
      'replicas: with autoscaling the autoscaler sets the replicas: a count in the output would undo its work at every apply (got 1). Fix: remove replicas; the autoscaler keeps between autoscaling.minReplicas and maxReplicas',
    ]);
    expect(problems({ database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg', 'uri') }) }, { queues: ['gpu'], autoscaling: { maxReplicas: 2 } })).toEqual([
      'autoscaling: KEDA counts the work in the metadata database, whose URL is in a Secret the library cannot read (got "set"). Fix: give MetadataDatabase.fromSecret a kedaConnection: { postgresql: <key of a postgresql:// URL> } or { mysql: <key of a Go MySQL DSN> }',
    ]);
  });

  test('a JavaScript caller without maxReplicas is told by the shape check', () => {
    expect(problemsOf(JSON.parse('{"apiServer":{"autoscaling":{"minReplicas":2}}}'))).toEqual([
      'apiServer.autoscaling.maxReplicas: must be a number (got undefined). Fix: set it: UiServerAutoscalingOptions requires maxReplicas',
    ]);
  });

  test('the component attributes name what was built', () => {
    const { airflow } = airflowIn(AUTOSCALED);
    expect(airflow.uiServer.replicas).toBe(2);
    expect(airflow.uiServer.horizontalPodAutoscaler?.name).toBe('airflow-api-server');
    expect(airflow.workers?.replicas).toBe(0);
    expect(airflow.workers?.scaledObject?.name).toBe('airflow-worker');
    expect(airflow.triggerer.scaledObject?.name).toBe('airflow-triggerer');
    expect(airflowIn({}).airflow.workers?.scaledObject).toBeUndefined();
  });
});
