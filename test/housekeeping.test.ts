import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { AirflowProps, CeleryBroker, Executor } from '../lib';
import { Manifest, airflowIn, container, find, podTemplate, problemsOf, release, synthAirflow } from './helpers';
import { diffReleases } from './upgrade-diff';

// Housekeeping (`housekeeping.dbClean`: `airflow db clean` on a schedule) and the bundled Redis's
// data (`redis.persistence`: a claim and the append-only file).

const DB_CLEAN: AirflowProps = { housekeeping: { dbClean: { retentionDays: 90 } } };
const script = (manifests: Manifest[]): string => {
  const args: string[] = container(find(manifests, 'CronJob', 'airflow-db-clean'), 'db-clean').args;
  expect(args.slice(0, 2)).toEqual(['bash', '-c']);
  expect(args).toHaveLength(3);
  return args[2];
};

describe('the db clean CronJob', () => {
  test('is off by default, and with enabled: false', () => {
    for (const props of [{}, { housekeeping: {} }, { housekeeping: { dbClean: { enabled: false, retentionDays: 90 } } }]) {
      const { chart, airflow } = airflowIn(props);
      expect(airflow.databaseCleanup).toBeUndefined();
      expect(Testing.synth(chart).filter((m) => m.metadata?.name === 'airflow-db-clean')).toEqual([]);
    }
  });

  test('the objects: a CronJob and a ServiceAccount without token, no Role', () => {
    const { chart, airflow } = airflowIn(DB_CLEAN);
    const cleanup = airflow.databaseCleanup!;
    expect([cleanup.schedule, cleanup.retentionDays, cleanup.tables, cleanup.cronJob.name, cleanup.serviceAccount.name])
      .toEqual(['0 3 * * *', 90, [], 'airflow-db-clean', 'airflow-db-clean']);
    const manifests = Testing.synth(chart);
    expect(manifests.filter((m) => m.metadata?.name === 'airflow-db-clean').map((m) => m.kind).sort()).toEqual(['CronJob', 'ServiceAccount']);
    // It talks to the database only: bound to no Role, no token mounted.
    const bound = manifests.filter((m) => m.kind === 'RoleBinding').flatMap((m) => m.subjects.map((s: Manifest) => s.name));
    expect(bound).not.toContain('airflow-db-clean');
    expect(find(manifests, 'ServiceAccount', 'airflow-db-clean').automountServiceAccountToken).toBe(false);
    expect(podTemplate(find(manifests, 'CronJob', 'airflow-db-clean')).spec.automountServiceAccountToken).toBe(false);
  });

  test('the schedule: one run at a time, a short history, finished Jobs kept a week', () => {
    const cronJob = find(synthAirflow(DB_CLEAN), 'CronJob', 'airflow-db-clean');
    expect(cronJob.spec).toMatchObject({
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 1, ttlSecondsAfterFinished: 604800 } },
    });
    const pod = podTemplate(cronJob);
    expect(pod.spec.restartPolicy).toBe('Never');
    // Never evicted by a scale-down, like the other Jobs; no config checksum (each run reads airflow.cfg anew).
    expect(pod.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
    expect(find(synthAirflow({ housekeeping: { dbClean: { retentionDays: 30, schedule: '@weekly' } } }), 'CronJob', 'airflow-db-clean').spec.schedule)
      .toBe('@weekly');
  });

  test('the command: the cutoff computed at run time, --yes, --verbose and --skip-archive by default', () => {
    expect(script(synthAirflow(DB_CLEAN))).toBe([
      'set -o errexit -o nounset',
      'before="$(date --utc --date=\'90 days ago\' \'+%Y-%m-%dT%H:%M:%S+00:00\')"',
      'exec airflow db clean "--clean-before-timestamp=${before}" --yes --verbose --skip-archive',
    ].join('\n'));
  });

  test('each option is its flag', () => {
    const text = script(synthAirflow({
      housekeeping: { dbClean: { retentionDays: 30, tables: ['log', 'xcom', 'dag_run'], skipArchive: false, batchSize: 5000, dryRun: true } },
    }));
    expect(text.split('\n')[1]).toContain('--date=\'30 days ago\'');
    expect(text.split('\n')[2]).toBe('exec airflow db clean "--clean-before-timestamp=${before}" --yes --verbose --tables=log,xcom,dag_run --batch-size=5000 --dry-run');
  });

  test('on both lines, the same command; the pod waits for the schema and has the database', () => {
    for (const version of ['2.11.0', '3.0.6', '3.1.7']) {
      const manifests = synthAirflow({ ...release(version), ...DB_CLEAN });
      const cronJob = find(manifests, 'CronJob', 'airflow-db-clean');
      expect(script(manifests)).toContain('exec airflow db clean "--clean-before-timestamp=${before}" --yes --verbose --skip-archive');
      const main = container(cronJob, 'db-clean');
      expect(main.image).toBe(`apache/airflow:${version}`);
      expect(main.env.map((e: Manifest) => e.name)).toEqual(expect.arrayContaining(['AIRFLOW_DATABASE_PASSWORD', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN']));
      expect(main.resources).toEqual({ requests: { cpu: '100m', memory: '384Mi' }, limits: { cpu: '1', memory: '1Gi' } });
      expect(container(cronJob, 'wait-for-migrations', true).args).toEqual(['db', 'check-migrations', '--migration-wait-timeout=60']);
    }
  });

  const gnuDate = (spawnSync('date', ['--version']).stdout?.toString() ?? '').includes('GNU coreutils');
  (gnuDate ? test : test.skip)('the script runs: GNU date gives the cutoff N days back, in UTC, and airflow gets each flag as one argument', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'db-clean-'));
    try {
      fs.writeFileSync(path.join(bin, 'airflow'), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', { mode: 0o755 });
      const text = script(synthAirflow({ housekeeping: { dbClean: { retentionDays: 30, tables: ['log', 'xcom'] } } }));
      const run = spawnSync('bash', ['-c', text], { env: { PATH: `${bin}:${process.env.PATH}`, TZ: 'Europe/Berlin' } });
      expect(run.status).toBe(0);
      const args = run.stdout.toString().trim().split('\n');
      const cutoff = /^--clean-before-timestamp=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)$/.exec(args[2])?.[1];
      expect(cutoff).toBeDefined();
      const daysBack = (Date.now() - new Date(cutoff!).getTime()) / 86_400_000;
      // Counted in UTC, whatever the pod's TZ: exactly 30 days of 24 hours.
      expect(daysBack).toBeGreaterThan(29.999);
      expect(daysBack).toBeLessThan(30.001);
      expect(args).toEqual(['db', 'clean', args[2], '--yes', '--verbose', '--skip-archive', '--tables=log,xcom']);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  test('checked at synth', () => {
    const dbClean = (options: Record<string, unknown>, version = '3.1.7') =>
      problemsOf({ ...release(version), housekeeping: { dbClean: { retentionDays: 90, ...options } } } as AirflowProps);
    expect(dbClean({ retentionDays: 0 })).toEqual(['housekeeping.dbClean.retentionDays: must be a whole number, 1 or more (got 0). Fix: e.g. 90']);
    expect(dbClean({ retentionDays: 7.5 })).toEqual(['housekeeping.dbClean.retentionDays: must be a whole number, 1 or more (got 7.5). Fix: e.g. 90']);
    expect(dbClean({ schedule: '0 3 * *' })).toEqual([
      'housekeeping.dbClean.schedule: expected 5 fields (minute, hour, day of month, month, day of week), found 4 (got "0 3 * *"). Fix: e.g. "0 3 * * *" (daily at 03:00) or "@weekly"',
    ]);
    expect(dbClean({ batchSize: 0 })).toEqual(['housekeeping.dbClean.batchSize: must be a whole number, 1 or more (got 0). Fix: e.g. 10000']);
    for (const version of ['2.11.0', '3.0.6']) {
      expect(dbClean({ batchSize: 1000 }, version)).toEqual([
        `housekeeping.dbClean.batchSize: "airflow db clean" of Airflow ${version} has no --batch-size: it came with Airflow 3.1.0 (got 1000). Fix: remove batchSize (each table is cleaned in one transaction), or use Airflow 3.1 or later`,
      ]);
    }
    expect(dbClean({ tables: [] })).toEqual([
      'housekeeping.dbClean.tables: an empty list would clean every table, as if it were left out (got []). Fix: leave tables out to clean every table, or name the tables, e.g. ["log", "xcom"]',
    ]);
    expect(dbClean({ tables: ['logs', 'xcom', 'xcom', 'dataset_event', 'task_fail', 'revoked_token', 'users'] })).toEqual([
      'housekeeping.dbClean.tables[0]: not a table "airflow db clean" of Airflow 3.1.7 cleans (Airflow would skip it with a warning) (got "logs"). Fix: did you mean "log"?',
      'housekeeping.dbClean.tables[2]: listed twice (got "xcom"). Fix: list each table once',
      'housekeeping.dbClean.tables[3]: not a table "airflow db clean" of Airflow 3.1.7 cleans: Airflow 3 renamed it asset_event (got "dataset_event"). Fix: use "asset_event"',
      'housekeeping.dbClean.tables[4]: not a table "airflow db clean" of Airflow 3.1.7 cleans: Airflow 3 dropped the table (got "task_fail"). Fix: remove it',
      'housekeeping.dbClean.tables[5]: "airflow db clean" cleans revoked_token from Airflow 3.2.0, and version is 3.1.7 (got "revoked_token"). Fix: remove it, or use a later release',
      'housekeeping.dbClean.tables[6]: not a table "airflow db clean" of Airflow 3.1.7 cleans (Airflow would skip it with a warning) (got "users"). Fix: use some of _xcom_archive, asset_event, callback_request, celery_taskmeta, celery_tasksetmeta, dag, dag_run, dag_version, deadline, import_error, job, log, session, sla_miss, task_instance, task_instance_history, task_reschedule, trigger, xcom',
    ]);
    expect(dbClean({ tables: ['asset_event', 'dataset_event', 'task_fail', 'session'] }, '2.11.0')).toEqual([
      'housekeeping.dbClean.tables[0]: a table of Airflow 3, which "airflow db clean" of Airflow 2.11.0 does not know (got "asset_event"). Fix: remove it',
    ]);
    expect(dbClean({ tables: ['revoked_token', 'log'], batchSize: 100 }, '3.2.0')).toEqual([]);
  });
});

describe('Redis persistence', () => {
  const PERSISTENT: AirflowProps = { executor: Executor.celery({ redis: { persistence: { storage: Size.gibibytes(2), storageClassName: 'fast' } } }) };

  test('without it the output is what it was: an emptyDir, no append-only file, no claim', () => {
    const manifests = synthAirflow();
    const sts = find(manifests, 'StatefulSet', 'airflow-redis');
    expect(container(sts, 'redis').args).toEqual(['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--save', '', '--appendonly', 'no']);
    expect(podTemplate(sts).spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(podTemplate(sts).spec.securityContext.fsGroupChangePolicy).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => m.metadata.name)).toEqual(['airflow-postgresql-data']);
    expect(airflowIn().airflow.redis!.dataClaim).toBeUndefined();
    // Empty options change nothing either.
    expect(synthAirflow({ executor: Executor.celery({ redis: {} }) })).toEqual(manifests);
  });

  test('with it: a standalone claim, never pruned, and the append-only file on it', () => {
    const { chart, airflow } = airflowIn(PERSISTENT);
    expect(airflow.redis!.storage?.toGibibytes()).toBe(2);
    expect(airflow.redis!.dataClaim?.name).toBe('airflow-redis-data');
    const manifests = Testing.synth(chart);
    const claim = find(manifests, 'PersistentVolumeClaim', 'airflow-redis-data');
    expect(claim.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(claim.metadata.labels['app.kubernetes.io/component']).toBe('redis');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '2Gi' } } });
    const sts = find(manifests, 'StatefulSet', 'airflow-redis');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(podTemplate(sts).spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'airflow-redis-data' } }]);
    expect(container(sts, 'redis').volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(container(sts, 'redis').args).toEqual([
      '--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec',
    ]);
    // The volume is re-owned for Redis's user only when its root does not match; still safe to evict.
    expect(podTemplate(sts).spec.securityContext).toMatchObject({ fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(podTemplate(sts).metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' });
  });

  test('with the Celery and Kubernetes executors too', () => {
    const manifests = synthAirflow({ executor: Executor.celeryAndKubernetes({ celery: { redis: { persistence: { storage: Size.gibibytes(1) } } } }) });
    expect(find(manifests, 'PersistentVolumeClaim', 'airflow-redis-data').spec.storageClassName).toBeUndefined();
  });

  test('turning it on adds the claim and rolls Redis alone, with no refused update; growing it edits the claim', () => {
    const before = synthAirflow();
    const on = synthAirflow(PERSISTENT);
    const diff = diffReleases(before, on);
    expect(diff.added).toEqual(['PersistentVolumeClaim/airflow-redis-data']);
    expect(diff.removed).toEqual([]);
    expect(diff.rolled).toEqual(['airflow-redis']);
    expect(diff.immutableViolations).toEqual([]);
    const grown = diffReleases(on, synthAirflow({ executor: Executor.celery({ redis: { persistence: { storage: Size.gibibytes(4), storageClassName: 'fast' } } }) }));
    expect([grown.added, grown.removed, grown.rolled, grown.immutableViolations]).toEqual([[], [], [], []]);
    expect(grown.changedFields).toEqual({ 'PersistentVolumeClaim/airflow-redis-data': ['spec.resources.requests.storage'] });
  });

  test('checked at synth', () => {
    const persistence = (options: Record<string, unknown>) =>
      problemsOf({ executor: Executor.celery({ redis: { persistence: { storage: Size.gibibytes(1), ...options } } as never }) });
    expect(persistence({ storage: Size.mebibytes(128) })).toEqual([
      'executor.celery.redis.persistence.storage: too small for Redis\'s append-only file, which Redis first rewrites at 64 MB, writing the new file beside the old (got "128Mi"). Fix: give at least Size.mebibytes(256), e.g. Size.gibibytes(1)',
    ]);
    expect(persistence({ storageClassName: 'Fast SSD' })).toEqual([
      'executor.celery.redis.persistence.storageClassName: not a valid StorageClass name (got "Fast SSD"). Fix: use a DNS subdomain, e.g. "standard"',
    ]);
    expect(problemsOf({
      executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: 'redis.internal' }), redis: { persistence: { storage: Size.gibibytes(1) } } }),
    })).toEqual([
      expect.stringMatching(/^executor\.celery\.redis: these are options of the bundled Redis, and the broker is another one/),
    ]);
  });
});
