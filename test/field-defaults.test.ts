// Defaults that only show at runtime, asserted on every output where they apply: process pools
// sized from the container, pods the cluster autoscaler may or may not evict, and the airflow_db
// connection for DAG code.
import * as kplus from 'cdk8s-plus-27';
import { Executor, MetadataDatabase } from '../lib';
import { Manifest, container, find, podTemplate, podTemplateFile, quantity, synthAirflow, workloads } from './helpers';
import { SCENARIOS } from './scenarios';

const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** Every pod the output makes: workloads, Jobs, CronJob pods, and the KubernetesExecutor's task pods. */
function pods(manifests: Manifest[]): Array<{ name: string; pod: Manifest }> {
  const all = workloads(manifests).map((w) => ({ name: w.metadata.name.replace(/-[0-9a-f]{10}$/, ''), pod: podTemplate(w) }));
  for (const cron of manifests.filter((m) => m.kind === 'CronJob')) {
    all.push({ name: cron.metadata.name, pod: cron.spec.jobTemplate.spec.template });
  }
  if (manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-pod-template'))) {
    all.push({ name: 'task pod', pod: podTemplateFile(manifests) });
  }
  return all;
}

const envOf = (c: Manifest) => Object.fromEntries((c.env ?? []).map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));

describe.each(SCENARIOS.map((s) => [s.name, s.synth] as const))('%s', (_name, synth) => {
  const manifests = synth();

  test('the cluster autoscaler may evict what restarts anywhere, never what runs tasks or to completion', () => {
    const runsTasks = (name: string, pod: Manifest) => /worker|local-scheduler|task pod/.test(name) && !name.endsWith('pod-template')
      && pod.containers.some((c: Manifest) => ['worker', 'scheduler', 'base'].includes(c.name));
    const pinned = (name: string) => /migrate-database|create-admin-user|cleanup|db-clean|postgresql/.test(name);
    for (const { name, pod } of pods(manifests)) {
      const expected = runsTasks(name, pod.spec ?? pod) || pinned(name) ? 'false' : 'true';
      expect([name, pod.metadata.annotations?.[SAFE_TO_EVICT]]).toEqual([name, expected]);
    }
  });

  test('the airflow_db connection reaches exactly the containers that run DAG code, from the metadata database URL', () => {
    // The pods that parse or run DAG files; on Airflow 2 the scheduler parses them too.
    const airflow2 = manifests.some((m) => m.metadata.name === 'airflow-webserver');
    for (const { name, pod } of pods(manifests)) {
      const spec = pod.spec;
      const runsDagCode = /dag-processor|triggerer|worker|local-scheduler|task pod/.test(name) || (airflow2 && name === 'airflow-scheduler');
      const mainName = spec.containers[0].name;
      const env = envOf(spec.containers[0]);
      // The database's URL as a connection: `mysql://` for MySQL (the type its hook knows), and
      // none when the URL comes whole from a Secret (MetadataDatabase.fromSecret), unseen by the library.
      const url = env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN;
      const connection = typeof url === 'string' ? url.replace(/^mysql\+mysqldb:/, 'mysql:') : undefined;
      if (runsDagCode) {
        expect([name, mainName, env.AIRFLOW_CONN_AIRFLOW_DB]).toEqual([name, mainName, connection]);
        // The password variable it refers to comes first.
        const names = spec.containers[0].env.map((e: Manifest) => e.name);
        if (connection !== undefined) {
          expect(names.indexOf('AIRFLOW_DATABASE_PASSWORD')).toBeLessThan(names.indexOf('AIRFLOW_CONN_AIRFLOW_DB'));
        }
      } else {
        expect([name, env.AIRFLOW_CONN_AIRFLOW_DB]).toEqual([name, undefined]);
      }
    }
  });

  test('[celery] sync_parallelism follows the scheduler\'s CPU limit, for the scheduler alone', () => {
    const scheduler = workloads(manifests).find((w) => w.metadata.name.endsWith('scheduler'))!;
    // A Celery executor has workers; its broker may be elsewhere (CeleryBroker.externalRedis, fromSecret).
    const celery = manifests.some((m) => m.kind === 'StatefulSet' && m.metadata.name === 'airflow-worker');
    const main = container(scheduler, 'scheduler');
    const expected = celery ? String(Math.max(1, Math.floor(quantity(main.resources.limits.cpu)) - 1)) : undefined;
    expect(envOf(main).AIRFLOW__CELERY__SYNC_PARALLELISM).toBe(expected);
    for (const { name, pod } of pods(manifests).filter((p) => p.name !== scheduler.metadata.name)) {
      for (const c of pod.spec.containers) {
        expect([name, envOf(c).AIRFLOW__CELERY__SYNC_PARALLELISM]).toEqual([name, undefined]);
      }
    }
  });
});

describe('the defaults can be changed', () => {
  const scheduler = (manifests: Manifest[]) => container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');

  test('sync_parallelism: a bigger scheduler gets more, a small one at least 1, and config wins', () => {
    const sized = (cpu: kplus.Cpu) => envOf(scheduler(synthAirflow({ scheduler: { resources: { cpu: { limit: cpu } } } }))).AIRFLOW__CELERY__SYNC_PARALLELISM;
    expect([sized(kplus.Cpu.units(8)), sized(kplus.Cpu.millis(500)), sized(kplus.Cpu.millis(2500))]).toEqual(['7', '1', '1']);
    const configured = synthAirflow({ config: { celery: { sync_parallelism: '4' } } });
    expect(envOf(scheduler(configured)).AIRFLOW__CELERY__SYNC_PARALLELISM).toBeUndefined();
    expect(find(configured, 'ConfigMap', 'airflow-config').data['airflow.cfg']).toContain('[celery]\nsync_parallelism = 4\n');
    // A scheduler size change rolls the scheduler only: the value is not in airflow.cfg.
    expect(find(synthAirflow({ scheduler: { resources: { cpu: { limit: kplus.Cpu.units(8) } } } }), 'ConfigMap', 'airflow-config'))
      .toEqual(find(synthAirflow(), 'ConfigMap', 'airflow-config'));
  });

  test('safe-to-evict: both classes flip', () => {
    const manifests = synthAirflow({ clusterAutoscaler: { taskPodsSafeToEvict: true, servicePodsSafeToEvict: false } });
    expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-worker')).metadata.annotations[SAFE_TO_EVICT]).toBe('true');
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-api-server')).metadata.annotations[SAFE_TO_EVICT]).toBe('false');
    expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-postgresql')).metadata.annotations[SAFE_TO_EVICT]).toBe('false');
  });

  test('airflow_db can be left to the user, for either database', () => {
    for (const database of [MetadataDatabase.bundledPostgres({ airflowDbConnection: false }), MetadataDatabase.externalPostgres({ host: 'pg', airflowDbConnection: false })]) {
      const worker = container(find(synthAirflow({ database, executor: Executor.celery() }), 'StatefulSet', 'airflow-worker'), 'worker');
      expect(envOf(worker).AIRFLOW_CONN_AIRFLOW_DB).toBeUndefined();
    }
    const external = container(find(synthAirflow({ database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'require' }) }), 'StatefulSet', 'airflow-worker'), 'worker');
    // sslmode travels as a connection extra, which the Postgres hook hands to psycopg2.
    expect(envOf(external).AIRFLOW_CONN_AIRFLOW_DB).toBe('postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@pg:5432/airflow?sslmode=require');
  });
});
