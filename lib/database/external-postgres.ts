import type { PostgreSql } from '../components/postgresql';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EVERY_AIRFLOW_POD } from '../config/files';
import { DEFAULTS } from '../defaults';
import { checkShape } from '../props-shape/check-shape';
import { bareHost, validateServerAddress } from '../validation/host';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import type { DatabaseBehaviour, DatabaseConnection } from './metadata-database';
import { ASYNC_URL_OPTION_SINCE, configurePostgres, directPostgresUrl, validateIdentifier } from './postgres';
import { PgBouncer } from '../components/pgbouncer';
import type { AirflowContext } from '../context';
import type { Construct } from 'constructs';
import { PgBouncerOptions, pgBouncerAddress, pgBouncerScaler, validatePgBouncer } from './pgbouncer';
import { DatabaseScaler, postgresScaler } from './scaler';

/** A PostgreSQL server run elsewhere (a managed service, an operator). */
export interface ExternalPostgresOptions {
  /** The server's DNS name. */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default 'airflow' */
  readonly database?: string;
  /** @default 'airflow' */
  readonly user?: string;
  /**
   * libpq `sslmode`, e.g. `require` or `verify-full`. On Airflow 3 it also sets the asyncpg URL
   * (`[database] sql_alchemy_conn_async` with `ssl=`), which needs Airflow 3.1 or later.
   * @default - not set (libpq's default, `prefer`)
   */
  readonly sslMode?: string;
  /**
   * Give the pods that run DAG code the connection `airflow_db` to this database (as
   * `AIRFLOW_CONN_AIRFLOW_DB`, from the same Secret-backed URL), which Airflow no longer creates.
   * It takes precedence over an `airflow_db` defined in the UI: turn it off to define your own.
   * @default true
   */
  readonly airflowDbConnection?: boolean;
  /**
   * PgBouncer in front of the server (transaction pooling): `<name>-pgbouncer` on port 6543,
   * which Airflow's pods connect through (it speaks TLS to the server with `sslMode`); the
   * migration Job, Airflow 3's asyncpg URL and KEDA connect directly. Needs Airflow 2.11 or 3.1
   * and later.
   * @default - none: every connection is direct
   */
  readonly pgbouncer?: PgBouncerOptions;
}

/** libpq's sslmode values, which asyncpg's `ssl` takes too. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** An existing PostgreSQL server: nothing to deploy, only the connection. */
export class ExternalPostgres implements DatabaseBehaviour {
  constructor(private readonly options: ExternalPostgresOptions) {}

  public validate(errors: ValidationErrors, property: string, version: AirflowVersion): void {
    if (!checkShape(errors, property, 'ExternalPostgresOptions', this.options)) {
      return;
    }
    const { host, port, sslMode } = this.options;
    validateServerAddress(errors, property, { host, port }, 'the database server', { name: 'postgres.db', port: 5432 });
    validatePgBouncer(errors, `${property}.pgbouncer`, this.options.pgbouncer, version);
    validateIdentifier(errors, `${property}.database`, this.options.database, 'database', this.options.pgbouncer !== undefined);
    validateIdentifier(errors, `${property}.user`, this.options.user, 'user', this.options.pgbouncer !== undefined);
    if (sslMode !== undefined && !SSL_MODES.includes(sslMode)) {
      errors.add(`${property}.sslMode`, sslMode, 'not a libpq sslmode', `use one of ${SSL_MODES.join(', ')}`);
    } else if (sslMode !== undefined && version.isAirflow3 && !version.isAtLeast(ASYNC_URL_OPTION_SINCE)) {
      // Airflow 3.0 derives its asyncpg URL from the sync one, query included, and asyncpg
      // refuses `sslmode`; [database] sql_alchemy_conn_async, which fixes it, came in 3.1.
      errors.add(`${property}.sslMode`, sslMode, `Airflow ${version} would pass sslmode to asyncpg, which refuses it, and has no [database] sql_alchemy_conn_async to set instead`,
        'use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave sslMode unset');
    }
  }

  public configure(config: ConfigContributions, facts: ConfigFacts): DatabaseConnection {
    const pooled = this.options.pgbouncer !== undefined;
    // Every pod of the release, PgBouncer included: Airflow's pods still reach the server
    // directly (the migration Job, the asyncpg URL).
    config.connectsTo({ service: 'database', port: this.options.port ?? DEFAULTS.postgresPort, clients: EVERY_AIRFLOW_POD });
    return configurePostgres(config, facts, {
      host: this.options.host,
      port: this.options.port ?? DEFAULTS.postgresPort,
      database: this.options.database ?? DEFAULTS.postgresDatabase,
      user: this.options.user ?? DEFAULTS.postgresUser,
      sslMode: this.options.sslMode,
      airflowDbConnection: this.options.airflowDbConnection ?? true,
      pooler: pooled ? pgBouncerAddress(facts.name) : undefined,
    });
  }

  public directUrl(): string | undefined {
    return this.options.pgbouncer === undefined ? undefined : directPostgresUrl(this.server());
  }

  public bindPooler(scope: Construct, context: AirflowContext): PgBouncer | undefined {
    const options = this.options.pgbouncer;
    return options === undefined ? undefined : PgBouncer._create(scope, 'PgBouncer', { ...options, context, server: this.server() });
  }

  private server() {
    return {
      host: this.options.host,
      port: this.options.port ?? DEFAULTS.postgresPort,
      database: this.options.database ?? DEFAULTS.postgresDatabase,
      user: this.options.user ?? DEFAULTS.postgresUser,
      sslMode: this.options.sslMode,
    };
  }

  /**
   * The server as Airflow reaches it, with its sslMode (the host must resolve from KEDA's
   * namespace too); through PgBouncer when it is on.
   */
  public kedaScaler(facts: ConfigFacts): DatabaseScaler {
    const server = this.server();
    if (this.options.pgbouncer !== undefined) {
      return pgBouncerScaler(facts, server.database, server.user, facts.credentials.databasePassword);
    }
    return postgresScaler({ ...server, host: bareHost(server.host) }, facts.credentials.databasePassword);
  }

  public bind(): PostgreSql | undefined {
    return undefined;
  }
}
