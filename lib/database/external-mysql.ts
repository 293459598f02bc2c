import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { EVERY_AIRFLOW_POD } from '../config/files';
import { secretEnv } from '../pod/secret-env';
import { checkShape } from '../props-shape/check-shape';
import { bareHost, urlHost, validateServerAddress } from '../validation/host';
import type { ValidationErrors } from '../validation';
import type { DatabaseBehaviour, DatabaseConnection } from './metadata-database';
import { refusePgBouncer } from './pgbouncer';
import { DatabaseScaler, mySqlScaler } from './scaler';

/**
 * A MySQL 8 server run elsewhere (a managed service, an operator), for Airflow 2.11 and 3.x.
 * Airflow is tested with MySQL 8.0, 8.4 and Innovation releases (8.0 and Innovation for 2.11),
 * not with MariaDB (README.md of both lines). MySQL 8 has `SKIP LOCKED` and `NOWAIT`, so several
 * schedulers may run side by side, as with PostgreSQL (scheduler.rst, "MySQL 8.0+").
 *
 * Create the database with `CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci` and run the server
 * with `explicit_defaults_for_timestamp=1` (Airflow's set-up-database.rst); Airflow sets the
 * collation of its id columns itself (`utf8mb3_bin`, models/base.py).
 */
export interface ExternalMySqlOptions {
  /** The server's DNS name. */
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  /** @default 'airflow' */
  readonly database?: string;
  /** @default 'airflow' */
  readonly user?: string;
  /**
   * Give the pods that run DAG code the connection `airflow_db` to this database (as
   * `AIRFLOW_CONN_AIRFLOW_DB`, a `mysql://` URI from the same Secret-backed password), which
   * Airflow no longer creates. It takes precedence over an `airflow_db` defined in the UI: turn it
   * off to define your own.
   * @default true
   */
  readonly airflowDbConnection?: boolean;
}

const DEFAULT_PORT = 3306;
const DEFAULT_NAME = 'airflow';
/** MySQL 8 limits: database names 64 characters, user names 32. */
const MAX_DATABASE_NAME = 64;
const MAX_USER_NAME = 32;

/** An existing MySQL 8 server: nothing to deploy, only the connection. */
export class ExternalMySql implements DatabaseBehaviour {
  constructor(private readonly options: ExternalMySqlOptions) {}

  public validate(errors: ValidationErrors, property: string): void {
    refusePgBouncer(errors, property, this.options, 'this is a MySQL server', 'leave pgbouncer out, or use MetadataDatabase.externalPostgres()');
    const { pgbouncer: _pooler, ...options } = this.options as ExternalMySqlOptions & { pgbouncer?: unknown };
    if (!checkShape(errors, property, 'ExternalMySqlOptions', options)) {
      return;
    }
    const { host, port } = this.options;
    validateServerAddress(errors, property, { host, port }, 'the database server', { name: 'mysql.db', port: 3306 });
    validateMySqlName(errors, `${property}.database`, this.options.database, MAX_DATABASE_NAME);
    validateMySqlName(errors, `${property}.user`, this.options.user, MAX_USER_NAME);
  }

  /**
   * `[database] sql_alchemy_conn` with the `mysqlclient` driver, the one Airflow's CI validates
   * (`mysql+mysqldb://`, set-up-database.rst). Airflow 3 derives its async URL from it by
   * swapping the driver for `aiomysql` (settings.py `_get_async_conn_uri_from_sync`, L236-245, used
   * when `[database] sql_alchemy_conn_async` is unset, L255-259, at dda8d2786710), which the
   * MySQL provider installs (providers/mysql/pyproject.toml): nothing to set.
   */
  public configure(config: ConfigContributions, facts: ConfigFacts): DatabaseConnection {
    const { host } = this.options;
    const port = this.options.port ?? DEFAULT_PORT;
    const database = this.options.database ?? DEFAULT_NAME;
    const user = this.options.user ?? DEFAULT_NAME;
    const server = `${user}:$(AIRFLOW_DATABASE_PASSWORD)@${urlHost(host)}:${port}/${database}`;
    const url = `mysql+mysqldb://${server}`;
    config.connectsTo({ service: 'database', port, clients: EVERY_AIRFLOW_POD });
    config.addEnvironment(EnvAudience.ALL, secretEnv('AIRFLOW_DATABASE_PASSWORD', facts.credentials.databasePassword));
    config.setFromEnvironment(EnvAudience.ALL, 'database', 'sql_alchemy_conn', { value: url }, 'database and credentials.databasePassword');
    // A connection URI's scheme is its type, taken as it is but for `postgresql` and `-`
    // (`Connection._normalize_conn_type`, models/connection.py): `mysql+mysqldb` would be no type
    // a hook knows, so the connection is `mysql://` (the MySQL provider's type).
    const airflowDbConnection = this.options.airflowDbConnection ?? true;
    if (airflowDbConnection) {
      config.addEnvironment(EnvAudience.DAG_CODE, { name: 'AIRFLOW_CONN_AIRFLOW_DB', value: `mysql://${server}` });
    }
    return { url, airflowDbConnection };
  }

  /** The server as Airflow reaches it; the host must resolve from KEDA's namespace too. */
  public kedaScaler(facts: ConfigFacts): DatabaseScaler {
    return mySqlScaler({
      host: bareHost(this.options.host),
      port: this.options.port ?? DEFAULT_PORT,
      database: this.options.database ?? DEFAULT_NAME,
      user: this.options.user ?? DEFAULT_NAME,
    }, facts.credentials.databasePassword);
  }

  public bind(): undefined {
    return undefined;
  }
}

/** A database or user name, written into a connection URL unescaped. */
function validateMySqlName(errors: ValidationErrors, property: string, value: string | undefined, max: number): void {
  if (value !== undefined && (!/^[A-Za-z0-9_.~-]+$/.test(value) || value.length > max)) {
    errors.add(property, value, `must be a MySQL name of at most ${max} characters that a connection URL carries as it is`,
      'use letters, digits, "_", ".", "~" and "-"');
  }
}
