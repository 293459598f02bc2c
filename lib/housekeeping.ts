import type * as kplus from 'cdk8s-plus-27';
import { DEFAULT_RESOURCES } from './defaults';
import { checkResources } from './pod/resources';
import { closest } from './props-shape/closest';
import { ValidationErrors, checkWholeNumber } from './validation';
import { cronProblem } from './validation/cron';
import { AirflowVersion } from './version';

/** Jobs that keep the deployment's data in bounds over time. */
export interface HousekeepingOptions {
  /**
   * A CronJob `<name>-db-clean` that deletes metadata older than `retentionDays` with `airflow db
   * clean`. Giving it turns it on: it deletes data, so it is never on by default.
   * @default - none: the metadata database keeps every row
   */
  readonly dbClean?: DbCleanOptions;
}

/**
 * `airflow db clean` on a schedule: rows of the metadata tables (DAG runs, task instances, logs,
 * XComs, jobs, …) older than `retentionDays` days at the time of each run are deleted. Airflow
 * keeps the latest scheduled DAG run of every DAG whatever its age.
 */
export interface DbCleanOptions {
  /**
   * Write the CronJob; false keeps the options in the app but removes the CronJob from the output.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Rows older than this many days when a run starts are deleted. Required: how long run history
   * is kept is yours to decide. Rows of DAG runs still running are deleted too once they are this
   * old, so keep it above your longest DAG run.
   */
  readonly retentionDays: number;
  /**
   * When it runs, in cron syntax (five fields, the CronJob controller's time zone).
   * @default '0 3 * * *' - daily at 03:00
   */
  readonly schedule?: string;
  /**
   * Clean only these tables (`--tables`), e.g. `['log', 'xcom']`; checked against the tables the
   * release's `airflow db clean` knows, since Airflow skips an unknown name with only a warning.
   * @default - every table `airflow db clean` knows
   */
  readonly tables?: string[];
  /**
   * Delete rows without copying them to archive tables (`--skip-archive`). With false each run
   * moves what it deletes into new `_airflow_deleted__<table>__<time>` tables of the same database,
   * which never shrinks then: `airflow db export-archived` or `drop-archived` are yours to run.
   * @default true
   */
  readonly skipArchive?: boolean;
  /**
   * At most this many rows per table in one transaction (`--batch-size`), for shorter locks on
   * large tables. Airflow 3.1 and later.
   * @default - one transaction per table
   */
  readonly batchSize?: number;
  /**
   * Only report what would be deleted (`--dry-run`): a first run to look at in the Job's log.
   * @default false
   */
  readonly dryRun?: boolean;
  /** @default 100m/1 CPU, 384Mi/1Gi memory */
  readonly resources?: kplus.ContainerResources;
}

/**
 * The tables `airflow db clean` knows, per line: `config_list` of airflow/utils/db_cleanup.py
 * (2.x: at 8c9d251efb; 3.x: airflow-core/src/airflow/utils/db_cleanup.py at dda8d2786710), plus
 * `session`, which it cleans when sessions are kept in the database (the default on 2.x; with the
 * FAB auth manager on 3.x). An unknown name is skipped with a warning (`_effective_table_names`).
 */
const DB_CLEAN_TABLES_2 = [
  'callback_request', 'celery_taskmeta', 'celery_tasksetmeta', 'dag', 'dag_run', 'dataset_event', 'import_error', 'job', 'log',
  'session', 'sla_miss', 'task_fail', 'task_instance', 'task_instance_history', 'task_reschedule', 'trigger', 'xcom',
];
const DB_CLEAN_TABLES_3 = [
  '_xcom_archive', 'asset_event', 'callback_request', 'celery_taskmeta', 'celery_tasksetmeta', 'dag', 'dag_run', 'dag_version', 'deadline',
  'import_error', 'job', 'log', 'session', 'sla_miss', 'task_instance', 'task_instance_history', 'task_reschedule', 'trigger', 'xcom',
];
/** Tables of a later release than the line's first: `revoked_token` came with its table in 3.2 (apache/airflow#61339). */
const DB_CLEAN_TABLES_SINCE: Readonly<Record<string, AirflowVersion>> = { revoked_token: AirflowVersion.of('3.2.0') };
/** Tables Airflow 3 renamed or dropped: [problem, fix]. */
const AIRFLOW_3_TABLE_CHANGES: Readonly<Record<string, readonly [string, string]>> = {
  dataset_event: ['Airflow 3 renamed it asset_event', 'use "asset_event"'],
  task_fail: ['Airflow 3 dropped the table', 'remove it'],
};

/** `--batch-size` is in `airflow db clean` from 3.1.0 (apache/airflow#51510, cafe913653). */
const BATCH_SIZE_SINCE = AirflowVersion.of('3.1.0');
/** A retention the shell's `date` and Airflow both take without trouble: a century. */
const MAX_RETENTION_DAYS = 36500;

/** The tables `airflow db clean` of the release cleans. */
export function dbCleanTables(version: AirflowVersion): string[] {
  const since = Object.entries(DB_CLEAN_TABLES_SINCE).filter(([, first]) => version.major === first.major && version.isAtLeast(first)).map(([table]) => table);
  return [...(version.isAirflow3 ? DB_CLEAN_TABLES_3 : DB_CLEAN_TABLES_2), ...since].sort();
}

export function validateHousekeeping(errors: ValidationErrors, options: HousekeepingOptions | undefined, version: AirflowVersion): void {
  const dbClean = options?.dbClean;
  if (dbClean === undefined) {
    return;
  }
  const property = 'housekeeping.dbClean';
  checkWholeNumber(errors, `${property}.retentionDays`, dbClean.retentionDays, 1, 90, MAX_RETENTION_DAYS);
  const schedule = dbClean.schedule;
  const scheduleProblem = schedule === undefined ? undefined : cronProblem(schedule);
  if (scheduleProblem !== undefined) {
    errors.add(`${property}.schedule`, schedule, scheduleProblem, 'e.g. "0 3 * * *" (daily at 03:00) or "@weekly"');
  }
  checkWholeNumber(errors, `${property}.batchSize`, dbClean.batchSize, 1, 10000);
  if (dbClean.batchSize !== undefined && !version.isAtLeast(BATCH_SIZE_SINCE)) {
    errors.add(`${property}.batchSize`, dbClean.batchSize, `"airflow db clean" of Airflow ${version} has no --batch-size: it came with Airflow ${BATCH_SIZE_SINCE}`,
      'remove batchSize (each table is cleaned in one transaction), or use Airflow 3.1 or later');
  }
  checkResources(errors, `${property}.resources`, DEFAULT_RESOURCES.dbClean, dbClean.resources);
  const tables = dbClean.tables;
  if (tables === undefined) {
    return;
  }
  if (tables.length === 0) {
    errors.add(`${property}.tables`, tables, 'an empty list would clean every table, as if it were left out', 'leave tables out to clean every table, or name the tables, e.g. ["log", "xcom"]');
  }
  const known = dbCleanTables(version);
  tables.forEach((table, i) => {
    const at = `${property}.tables[${i}]`;
    if (known.includes(table)) {
      if (tables.indexOf(table) !== i) {
        errors.add(at, table, 'listed twice', 'list each table once');
      }
      return;
    }
    const first = DB_CLEAN_TABLES_SINCE[table];
    const change = version.isAirflow3 ? AIRFLOW_3_TABLE_CHANGES[table] : undefined;
    const meant = closest(table, known);
    if (first !== undefined && first.major === version.major) {
      errors.add(at, table, `"airflow db clean" cleans ${table} from Airflow ${first}, and version is ${version}`, 'remove it, or use a later release');
    } else if (change !== undefined) {
      errors.add(at, table, `not a table "airflow db clean" of Airflow ${version} cleans: ${change[0]}`, change[1]);
    } else if (!version.isAirflow3 && DB_CLEAN_TABLES_3.includes(table)) {
      errors.add(at, table, `a table of Airflow 3, which "airflow db clean" of Airflow ${version} does not know`, 'remove it');
    } else {
      errors.add(at, table, `not a table "airflow db clean" of Airflow ${version} cleans (Airflow would skip it with a warning)`,
        meant !== undefined ? `did you mean "${meant}"?` : `use some of ${known.join(', ')}`);
    }
  });
}

/**
 * The command of a run: `airflow db clean` with the cutoff computed when the run starts. Airflow
 * takes only a date or timestamp (`--clean-before-timestamp`, parsed by pendulum, with dateutil as
 * fallback: no relative times), and a CronJob's command is fixed, so the image's bash and GNU
 * `date` (Debian coreutils: both lines' images are Debian bookworm) compute "N days ago", in UTC
 * with an explicit offset so that `[core] default_timezone` plays no part. `--yes` answers the
 * confirmation prompt, `--verbose` logs what each table lost. A failing `date` stops the script
 * before Airflow runs (errexit): an empty cutoff never reaches it.
 *
 * `$(date …)` is shell syntax the kubelet leaves alone: it expands `$(NAME)` only for a variable
 * of the container, and no variable name holds a space.
 */
export function dbCleanScript(options: DbCleanOptions): string {
  const flags = [
    '--yes',
    '--verbose',
    ...((options.skipArchive ?? true) ? ['--skip-archive'] : []),
    ...(options.tables !== undefined && options.tables.length > 0 ? [`--tables=${options.tables.join(',')}`] : []),
    ...(options.batchSize !== undefined ? [`--batch-size=${options.batchSize}`] : []),
    ...(options.dryRun ? ['--dry-run'] : []),
  ];
  return [
    'set -o errexit -o nounset',
    `before="$(date --utc --date='${options.retentionDays} days ago' '+%Y-%m-%dT%H:%M:%S+00:00')"`,
    `exec airflow db clean "--clean-before-timestamp=\${before}" ${flags.join(' ')}`,
  ].join('\n');
}
