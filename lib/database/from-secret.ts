import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { EVERY_AIRFLOW_POD } from '../config/files';
import { validateSecretKey } from '../config/secrets-access';
import type { SecretKey } from '../credentials';
import { fromSecret } from '../pod/secret-env';
import { checkShape } from '../props-shape/check-shape';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import type { DatabaseBehaviour, DatabaseConnection } from './metadata-database';
import { refusePgBouncer } from './pgbouncer';
import { ASYNC_URL_OPTION_SINCE } from './postgres';
import { DatabaseScaler, connectionScaler } from './scaler';

/** A metadata database whose whole SQLAlchemy URL is kept in a Secret (an operator's or a cloud's connection string). */
export interface DatabaseFromSecretOptions {
  /**
   * The key holding `[database] sql_alchemy_conn`, e.g.
   * `postgresql://airflow:…@pg.example.internal:5432/airflow` or
   * `mysql+mysqldb://airflow:…@mysql.example.internal:3306/airflow`.
   */
  readonly url: SecretKey;
  /**
   * The key holding `[database] sql_alchemy_conn_async` (Airflow 3.1 and later). Without it
   * Airflow 3 derives the async URL from `url` by swapping the driver, query included
   * (`postgresql+asyncpg`, `mysql+aiomysql`), which fails for a query asyncpg does not take
   * (`sslmode`; asyncpg's is `ssl`).
   * @default - derived by Airflow from `url`
   */
  readonly asyncUrl?: SecretKey;
  /**
   * The connection KEDA's scaler opens to count tasks and triggers, needed only for KEDA
   * autoscaling (`workers.autoscaling`, `triggerer.autoscaling`): the library cannot read `url`,
   * and KEDA's scalers do not take SQLAlchemy URLs (a `+driver` scheme; MySQL takes a Go DSN).
   * @default - none: KEDA autoscaling is refused
   */
  readonly kedaConnection?: KedaConnectionOptions;
}

/**
 * A key holding the connection KEDA's scaler opens to the metadata database, for one of the two
 * dialects: exactly one of `postgresql` and `mysql`. KEDA's TriggerAuthentication reads it
 * (`secretTargetRef`); the value never appears in the output.
 */
export interface KedaConnectionOptions {
  /**
   * A key holding a libpq connection string or a `postgresql://` URL without a `+driver`
   * (KEDA's `postgresql` scaler parses it with pgx), e.g.
   * `postgresql://airflow:…@pg.example.internal:5432/airflow?sslmode=require`: the same key as
   * `url` when that is such a URL.
   * @default - not PostgreSQL
   */
  readonly postgresql?: SecretKey;
  /**
   * A key holding a Go MySQL DSN (KEDA's `mysql` scaler, go-sql-driver/mysql), e.g.
   * `airflow:…@tcp(mysql.example.internal:3306)/airflow`.
   * @default - not MySQL
   */
  readonly mysql?: SecretKey;
}

/**
 * The metadata database from a URL in a Secret: `AIRFLOW__DATABASE__SQL_ALCHEMY_CONN` from the
 * key, nothing deployed. Since the library never sees the URL, it cannot give DAG code the
 * `airflow_db` connection (name one in `connections`), and the Celery result backend on the
 * database is left to Airflow, which derives `db+<sql_alchemy_conn>` when `[celery]
 * result_backend` is unset (celery provider, executors/default_celery.py).
 */
export class DatabaseFromSecret implements DatabaseBehaviour {
  constructor(private readonly options: DatabaseFromSecretOptions) {}

  public validate(errors: ValidationErrors, property: string, version: AirflowVersion): void {
    refusePgBouncer(errors, property, this.options, 'the library cannot read the URL in the Secret to put PgBouncer in front of it',
      'leave pgbouncer out and point the URL at a PgBouncer of your own, or use MetadataDatabase.externalPostgres({ pgbouncer: {} })');
    const { pgbouncer: _pooler, ...options } = this.options as DatabaseFromSecretOptions & { pgbouncer?: unknown };
    if (!checkShape(errors, property, 'DatabaseFromSecretOptions', options)) {
      return;
    }
    validateSecretKey(errors, `${property}.url`, this.options.url);
    validateSecretKey(errors, `${property}.asyncUrl`, this.options.asyncUrl);
    if (this.options.asyncUrl !== undefined && !version.isAtLeast(ASYNC_URL_OPTION_SINCE)) {
      errors.add(`${property}.asyncUrl`, `${this.options.asyncUrl.secretName}/${this.options.asyncUrl.key}`,
        version.isAirflow3 ? `Airflow ${version} has no [database] sql_alchemy_conn_async (it came in 3.1)` : `Airflow ${version} opens no async database connections`,
        version.isAirflow3 ? 'use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave asyncUrl unset' : 'leave asyncUrl unset');
    }
    const keda = this.options.kedaConnection;
    if (keda !== undefined) {
      validateSecretKey(errors, `${property}.kedaConnection.postgresql`, keda.postgresql);
      validateSecretKey(errors, `${property}.kedaConnection.mysql`, keda.mysql);
      if ((keda.postgresql === undefined) === (keda.mysql === undefined)) {
        errors.add(`${property}.kedaConnection`, keda.postgresql === undefined ? {} : 'postgresql and mysql',
          'give the key of exactly one dialect: the database is either PostgreSQL or MySQL',
          'e.g. kedaConnection: { postgresql: SecretKey.of("pg-app", "uri") }');
      }
    }
  }

  public configure(config: ConfigContributions): DatabaseConnection {
    config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn', fromSecret(this.options.url), 'database.url');
    // Its host and port are in the Secret: `networkPolicies.servicePorts.database` names the port.
    config.connectsTo({ service: 'database', clients: EVERY_AIRFLOW_POD });
    if (this.options.asyncUrl !== undefined) {
      config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn_async', fromSecret(this.options.asyncUrl), 'database.asyncUrl');
    }
    return { url: undefined, airflowDbConnection: false };
  }

  public kedaScaler(): DatabaseScaler | undefined {
    const keda = this.options.kedaConnection;
    if (keda?.postgresql !== undefined) {
      return connectionScaler('postgresql', keda.postgresql);
    }
    return keda?.mysql === undefined ? undefined : connectionScaler('mysql', keda.mysql);
  }

  public bind(): undefined {
    return undefined;
  }
}
