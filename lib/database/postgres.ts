import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { secretEnv } from '../pod/secret-env';
import type { ValidationErrors } from '../validation';
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
  const server = `${address.user}:$(AIRFLOW_DATABASE_PASSWORD)@${address.host}:${address.port}/${address.database}`;
  const sslMode = address.sslMode === undefined ? undefined : encodeURIComponent(address.sslMode);
  const url = `postgresql://${server}${sslMode ? `?sslmode=${sslMode}` : ''}`;
  config.addEnvironment(EnvAudience.ALL, secretEnv('AIRFLOW_DATABASE_PASSWORD', facts.credentials.databasePassword));
  config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn', { value: url }, 'database and credentials.databasePassword');
  // The `airflow_db` connection, which DAG code may name (`conn_id="airflow_db"`) and Airflow no
  // longer creates: from the same URL, read by the environment-variable secrets backend that
  // workers search first (task-sdk execution_time/secrets/__init__.py); Airflow turns the
  // `postgresql` scheme into the `postgres` connection type (models/connection.py).
  if (address.airflowDbConnection) {
    config.addEnvironment(EnvAudience.DAG_CODE, { name: 'AIRFLOW_CONN_AIRFLOW_DB', value: url });
  }
  if (sslMode && facts.version.isAtLeast(ASYNC_URL_OPTION_SINCE)) {
    config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn_async', { value: `postgresql+asyncpg://${server}?ssl=${sslMode}` },
      'database.sslMode and credentials.databasePassword');
  }
  return { url, airflowDbConnection: address.airflowDbConnection };
}

/**
 * Records problems with a database or user name. PostgreSQL takes any name of up to 63 bytes
 * (NAMEDATALEN - 1); this one is written into a connection URL unescaped, so it keeps to the
 * characters a URL carries as they are.
 */
export function validateIdentifier(errors: ValidationErrors, property: string, value: string | undefined): void {
  if (value !== undefined && (!/^[A-Za-z0-9_.~-]+$/.test(value) || Buffer.byteLength(value) > 63)) {
    errors.add(property, value, 'must be a PostgreSQL name of at most 63 characters that a connection URL carries as it is',
      'use letters, digits, "_", ".", "~" and "-"');
  }
}
