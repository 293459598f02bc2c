import type * as kplus from 'cdk8s-plus-27';
import { PORTS, resourceName } from '../context';
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import type { ServiceMonitorOptions } from '../metrics/metrics';
import { validateServiceMonitor } from '../metrics/service-monitor';
import { PodOptions, validatePodOptions } from '../pod/pod-options';
import { checkResources } from '../pod/resources';
import { checkShape } from '../props-shape/check-shape';
import { dns1123SubdomainProblem } from '../validation/kubernetes-names';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import { ASYNC_URL_OPTION_SINCE } from './postgres';
import type { SecretKey } from '../credentials';
import { DatabaseScaler, postgresScaler } from './scaler';

/**
 * PgBouncer in front of the PostgreSQL metadata database: the `<name>-pgbouncer` Deployment and
 * Service (port 6543), transaction pooling. Airflow's pods connect through it (`[database]
 * sql_alchemy_conn`, the Celery result backend, `airflow_db`), and so do KEDA's queries; the
 * migration Job and the asyncpg URL of Airflow 3 connect to PostgreSQL directly.
 */
export interface PgBouncerOptions {
  /** @default 1 */
  readonly replicas?: number;
  /**
   * A Secret you own holding PgBouncer's whole configuration, the keys `pgbouncer.ini` and
   * `userlist.txt`, mounted read-only at `/etc/pgbouncer` in place of the one the image writes
   * from the library's settings (then `poolSize` and `maxClientConnections` are yours to write).
   * The ini must listen on port 6543 (`listen_port`) with `pool_mode = transaction` and a
   * `[databases]` entry named like the database Airflow's URL names; with `metrics`, list the
   * database user in `stats_users` and in `userlist.txt`. PgBouncer reads it at start: restart
   * the Deployment after changing it.
   * @default - none: the image writes `pgbouncer.ini` and `userlist.txt` in memory at start
   */
  readonly configSecret?: string;
  /**
   * Server connections per database and user pair (`default_pool_size`): what PostgreSQL sees,
   * per PgBouncer replica.
   * @default 20
   */
  readonly poolSize?: number;
  /**
   * Client connections one PgBouncer accepts (`max_client_conn`): every SQLAlchemy pool of every
   * Airflow process together.
   * @default 1000
   */
  readonly maxClientConnections?: number;
  /** @default edoburu/pgbouncer:v1.25.1-p0 */
  readonly image?: ContainerImage;
  /** @default 50m/500m CPU, 32Mi/128Mi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
  /**
   * A metrics exporter sidecar (prometheuscommunity/pgbouncer-exporter) in each PgBouncer pod,
   * serving `/metrics` on port 9127 (`metrics`, also a port of the `<name>-pgbouncer` Service); `{}`
   * for one with the defaults. It reads PgBouncer's admin console on localhost as the database user,
   * whom PgBouncer lists in `stats_users`.
   * @default - none
   */
  readonly metrics?: PgBouncerMetricsOptions;
}

/** PgBouncer's Prometheus metrics: an exporter sidecar, and optionally a ServiceMonitor. */
export interface PgBouncerMetricsOptions {
  /** @default prometheuscommunity/pgbouncer-exporter:v0.12.1 */
  readonly image?: ContainerImage;
  /** @default 10m/100m CPU, 16Mi/64Mi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * A Prometheus Operator ServiceMonitor `<name>-pgbouncer` for the Service's `metrics` port (every
   * replica is scraped); `{}` for one with the defaults. Needs the ServiceMonitor CRD
   * (`monitoring.coreos.com/v1`).
   * @default - none: scrape port 9127 (`/metrics`) of the PgBouncer pods as you like
   */
  readonly serviceMonitor?: ServiceMonitorOptions;
}

export const PGBOUNCER_COMPONENT = 'pgbouncer';
export const PGBOUNCER_DEFAULTS = { replicas: 1, poolSize: 20, maxClientConnections: 1000 } as const;

/** Records the problems of `pgbouncer` options of a PostgreSQL database. */
export function validatePgBouncer(errors: ValidationErrors, property: string, options: PgBouncerOptions | undefined, version: AirflowVersion): void {
  if (options === undefined || !checkShape(errors, property, 'PgBouncerOptions', options)) {
    return;
  }
  const positive = (name: keyof PgBouncerOptions, value: number | undefined, example: string) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      errors.add(`${property}.${name}`, value, 'must be a whole number of at least 1', `e.g. ${example}`);
    }
  };
  positive('replicas', options.replicas, '2');
  positive('poolSize', options.poolSize, '20');
  positive('maxClientConnections', options.maxClientConnections, '1000');
  if (options.configSecret !== undefined) {
    const problem = dns1123SubdomainProblem(options.configSecret);
    if (problem !== undefined) {
      errors.add(`${property}.configSecret`, options.configSecret, `not a Secret name: ${problem}`, 'e.g. "airflow-pgbouncer-config"');
    }
    for (const name of ['poolSize', 'maxClientConnections'] as const) {
      if (options[name] !== undefined) {
        errors.add(`${property}.${name}`, options[name], 'the configuration comes from configSecret, whose pgbouncer.ini this setting would not reach',
          `remove ${name} and set ${name === 'poolSize' ? 'default_pool_size' : 'max_client_conn'} in your pgbouncer.ini`);
      }
    }
  }
  checkResources(errors, `${property}.resources`, DEFAULT_RESOURCES.pgbouncer, options.resources);
  validatePodOptions(errors, `${property}.pod`, options.pod);
  for (const problem of options.image?.problems() ?? []) {
    errors.add(`${property}.image`, options.image?.reference, problem, `pin a released tag, e.g. ${DEFAULT_IMAGES.pgbouncer.reference}`);
  }
  const metrics = options.metrics;
  if (metrics !== undefined) {
    checkResources(errors, `${property}.metrics.resources`, DEFAULT_RESOURCES.pgbouncerExporter, metrics.resources);
    for (const problem of metrics.image?.problems() ?? []) {
      errors.add(`${property}.metrics.image`, metrics.image?.reference, problem, `pin a released tag, e.g. ${DEFAULT_IMAGES.pgbouncerExporter.reference}`);
    }
    validateServiceMonitor(errors, `${property}.metrics.serviceMonitor`, metrics.serviceMonitor);
  }
  // Airflow 3 opens asyncpg connections too, whose prepared statements do not survive transaction
  // pooling; only 3.1 has [database] sql_alchemy_conn_async, which sends them around PgBouncer.
  if (version.isAirflow3 && !version.isAtLeast(ASYNC_URL_OPTION_SINCE)) {
    errors.add(property, 'PgBouncer', `Airflow ${version} derives its asyncpg URL from sql_alchemy_conn and has no [database] sql_alchemy_conn_async to keep it off PgBouncer, where asyncpg's prepared statements break under transaction pooling`,
      'use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave pgbouncer unset');
  }
}

/**
 * Refuses `pgbouncer` on a database it cannot front (MySQL, a URL from a Secret), for callers
 * without types; before the shape check, whose "unknown property" would say less.
 */
export function refusePgBouncer(errors: ValidationErrors, property: string, options: object | undefined, what: string, fix: string): void {
  if (options !== null && typeof options === 'object' && 'pgbouncer' in options) {
    errors.add(`${property}.pgbouncer`, 'PgBouncer', `PgBouncer pools PostgreSQL connections only, and ${what}`, fix);
  }
}

/** Where Airflow's pods reach PgBouncer: its Service. */
export function pgBouncerAddress(release: string): { host: string; port: number } {
  return { host: resourceName(release, PGBOUNCER_COMPONENT), port: PORTS.pgbouncer };
}

/**
 * KEDA's `postgresql` trigger through PgBouncer, as the pods' pooled connections go: the Service by
 * its namespace-qualified name (KEDA's operator runs in its own namespace), `sslmode=disable` since
 * PgBouncer serves no TLS to its clients (it speaks TLS to the server itself). KEDA's pgx driver
 * (pkg/scalers/postgresql_scaler.go: pgx v5 through database/sql) caches prepared statements,
 * which PgBouncer tracks per client in transaction pooling when `max_prepared_statements` > 0: 200
 * by default since 1.24.0 (pgbouncer src/main.c, #1144), and the image's entrypoint leaves it at
 * that unless `MAX_PREPARED_STATEMENTS` is set. The official chart sends KEDA through PgBouncer
 * too (chart/values.yaml `workers.keda.usePgbouncer: true`).
 */
export function pgBouncerScaler(facts: { readonly name: string; readonly namespace: string }, database: string, user: string, password: SecretKey): DatabaseScaler {
  return postgresScaler({
    host: `${resourceName(facts.name, PGBOUNCER_COMPONENT)}.${facts.namespace}.svc`,
    port: PORTS.pgbouncer,
    database,
    user,
    sslMode: 'disable',
    component: PGBOUNCER_COMPONENT,
  }, password);
}
