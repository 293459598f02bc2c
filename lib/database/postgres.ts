import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { secretEnv } from '../pod/secret-env';
import type { ValidationErrors } from '../validation';
import type { DatabaseConnection } from './metadata-database';

/** Where a PostgreSQL server is, as Airflow connects to it. */
export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly sslMode?: string;
}

/**
 * Gives every Airflow container the PostgreSQL connection: the password from the Secret, then
 * `[database] sql_alchemy_conn` assembled from it by the kubelet.
 */
export function configurePostgres(config: ConfigContributions, facts: ConfigFacts, address: PostgresAddress): DatabaseConnection {
  const query = address.sslMode ? `?sslmode=${encodeURIComponent(address.sslMode)}` : '';
  const url = `postgresql://${address.user}:$(AIRFLOW_DATABASE_PASSWORD)@${address.host}:${address.port}/${address.database}${query}`;
  config.addEnvironment(EnvAudience.ALL, secretEnv('AIRFLOW_DATABASE_PASSWORD', facts.credentials.databasePassword));
  config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn', { value: url }, 'database and credentials.databasePassword');
  return { url };
}

/** Records problems with a database or user name, which are part of a connection URL. */
export function validateIdentifier(errors: ValidationErrors, property: string, value: string | undefined): void {
  if (value !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    errors.add(property, value, 'must be a plain PostgreSQL identifier (it is part of a connection URL)', 'use letters, digits and "_"');
  }
}
