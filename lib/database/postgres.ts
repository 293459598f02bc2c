import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { secretEnv } from '../pod/secret-env';
import type { ValidationErrors } from '../validation';
import { urlHost } from '../validation/host';
import { AirflowVersion } from '../version';
import type { DatabaseConnection } from './metadata-database';

/** Where a PostgreSQL server is, as Airflow connects to it. */
export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly sslMode?: string;
  /** Give DAG code the `airflow_db` connection. */
  readonly airflowDbConnection: boolean;
  /**
   * PgBouncer in front of the server (`pgbouncer`): the sync URL, the Celery result backend and
   * `airflow_db` go to it; the asyncpg URL stays direct.
   * @default - none: every connection is direct
   */
  readonly pooler?: { readonly host: string; readonly port: number };
}

/** The server itself as a SQLAlchemy URL (the password a `$(AIRFLOW_DATABASE_PASSWORD)` reference): what must bypass PgBouncer. */
export function directPostgresUrl(address: Omit<PostgresAddress, 'airflowDbConnection' | 'pooler'>): string {
  const sslMode = address.sslMode === undefined ? undefined : encodeURIComponent(address.sslMode);
  return `postgresql://${urlUser(address.user)}:$(AIRFLOW_DATABASE_PASSWORD)@${urlHost(address.host)}:${address.port}/${address.database}${sslMode ? `?sslmode=${sslMode}` : ''}`;
}

/** The first release with `[database] sql_alchemy_conn_async`. */
export const ASYNC_URL_OPTION_SINCE = AirflowVersion.of('3.1.0');

/**
 * Gives every Airflow container the PostgreSQL connection: the password from the Secret, then
 * `[database] sql_alchemy_conn` assembled from it by the kubelet.
 *
 * Airflow 3 also opens asyncpg connections. Without `[database] sql_alchemy_conn_async` it takes
 * the sync URL with the driver swapped (settings.py, `_get_async_conn_uri_from_sync`), query and
 * all, and asyncpg has no `sslmode` parameter: it calls it `ssl`. With an SSL mode the async URL
 * is therefore set explicitly.
 */
export function configurePostgres(config: ConfigContributions, facts: ConfigFacts, address: PostgresAddress): DatabaseConnection {
  const server = `${urlUser(address.user)}:$(AIRFLOW_DATABASE_PASSWORD)@${urlHost(address.host)}:${address.port}/${address.database}`;
  const sslMode = address.sslMode === undefined ? undefined : encodeURIComponent(address.sslMode);
  const pooler = address.pooler;
  // Through PgBouncer: the database of the same name in its [databases] (edoburu/pgbouncer's
  // DB_NAME), without sslmode (PgBouncer serves no TLS; it speaks TLS to the server itself).
  const url = pooler === undefined
    ? directPostgresUrl(address)
    : `postgresql://${urlUser(address.user)}:$(AIRFLOW_DATABASE_PASSWORD)@${pooler.host}:${pooler.port}/${address.database}`;
  config.addEnvironment(EnvAudience.ALL, secretEnv('AIRFLOW_DATABASE_PASSWORD', facts.credentials.databasePassword));
  config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn', { value: url }, 'database and credentials.databasePassword');
  // The `airflow_db` connection, which DAG code may name (`conn_id="airflow_db"`) and Airflow no
  // longer creates: from the same URL, read by the environment-variable secrets backend that
  // workers search first (task-sdk execution_time/secrets/__init__.py); Airflow turns the
  // `postgresql` scheme into the `postgres` connection type (models/connection.py).
  if (address.airflowDbConnection) {
    config.addEnvironment(EnvAudience.DAG_CODE, { name: 'AIRFLOW_CONN_AIRFLOW_DB', value: url });
  }
  // asyncpg prepares every statement (named, protocol-level) and caches it on the connection,
  // which transaction pooling hands to other clients between transactions; Airflow passes asyncpg
  // no `statement_cache_size=0` (settings.py `_get_connect_args`, only [database]
  // sql_alchemy_connect_args_async). So the async URL bypasses PgBouncer (refused before 3.1).
  if ((sslMode || pooler !== undefined) && facts.version.isAtLeast(ASYNC_URL_OPTION_SINCE)) {
    config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn_async', { value: `postgresql+asyncpg://${server}${sslMode ? `?ssl=${sslMode}` : ''}` },
      pooler !== undefined ? 'database.pgbouncer and credentials.databasePassword' : 'database.sslMode and credentials.databasePassword');
  }
  return { url, airflowDbConnection: address.airflowDbConnection };
}

/**
 * Records problems with a database or user name. PostgreSQL takes any name of up to 63 bytes
 * (NAMEDATALEN - 1). The user is percent-encoded in the URLs (SQLAlchemy's `make_url` and
 * Airflow's connection parser unquote it), so `svc@tenant` works; the database is written as it
 * is, since SQLAlchemy does not unquote it (engine/url.py `_parse_url`), so it keeps out the
 * characters that would end it or that the kubelet would expand (`$(`). With PgBouncer both go
 * unquoted into its `pgbouncer.ini` and `userlist.txt` (edoburu/pgbouncer's entrypoint), where
 * a space or a quote would break them.
 */
export function validateIdentifier(errors: ValidationErrors, property: string, value: string | undefined, kind: 'database' | 'user', pooled: boolean): void {
  if (value === undefined) {
    return;
  }
  const problem = value === '' ? 'must not be empty'
    : Buffer.byteLength(value) > 63 ? `must be at most 63 bytes, PostgreSQL's limit (has ${Buffer.byteLength(value)})`
      : /[\x00-\x1f\x7f]/.test(value) ? 'must not hold control characters'
        : kind === 'database' && /[/?#%]/.test(value) ? 'must not hold "/", "?", "#" or "%": the name is written into a connection URL as it is'
          : value.includes('$(') ? 'must not hold "$(", which the kubelet would expand as a variable'
            : pooled && /[\s"'\\]/.test(value) ? 'must not hold spaces, quotes or "\\" with PgBouncer, whose configuration holds the name unquoted'
              : undefined;
  if (problem !== undefined) {
    errors.add(property, value, problem, 'e.g. "airflow"');
  }
}

/** The user as the URLs carry it: percent-encoded (SQLAlchemy and Airflow's connection parser unquote it). */
export function urlUser(user: string): string {
  return encodeURIComponent(user);
}
