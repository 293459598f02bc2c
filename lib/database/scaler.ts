import type { SecretKey } from '../credentials';

/**
 * How KEDA's scaler reaches the metadata database to count work (queued and running tasks,
 * triggers): the trigger type, the connection fields of the trigger's metadata, and the Secret
 * keys its TriggerAuthentication hands over (`secretTargetRef`: a reference, never a value).
 * Internal: each database variant says it (`DatabaseBehaviour.kedaScaler`).
 *
 * The parameter names are those of KEDA 2.20's scalers (kedacore/keda v2.20.2,
 * pkg/scalers/postgresql_scaler.go `postgreSQLMetadata`, pkg/scalers/mysql_scaler.go
 * `mySQLMetadata`): without a whole connection string, PostgreSQL needs host, port, userName,
 * dbName and sslmode, MySQL host, port, username and dbName; both take `password` from the
 * authentication.
 */
export interface DatabaseScaler {
  /** The KEDA trigger type: `postgresql` or `mysql`. */
  readonly type: string;
  /** Connection fields of the trigger's metadata; none when the whole connection comes from a Secret. */
  readonly metadata: { readonly [key: string]: string };
  /** Trigger parameters taken from Secret keys: `password`, or the whole `connection` (`connectionString` for MySQL). */
  readonly secrets: { readonly [parameter: string]: SecretKey };
  /** The metadata key of the target value per replica: `targetQueryValue` (postgresql) or `queryValue` (mysql). */
  readonly targetKey: string;
  /** Airflow's `trigger` table as the dialect takes the name: quoted in MySQL, where TRIGGER is a reserved word. */
  readonly triggerTable: string;
  /**
   * The pods of the release KEDA's operator connects to (PgBouncer, or the bundled PostgreSQL),
   * for the NetworkPolicy that lets it in; undefined for a server outside the release.
   */
  readonly reaches?: { readonly component: string; readonly port: number };
}

/** Where a PostgreSQL server is, as KEDA's operator (in another namespace) connects to it. */
export interface PostgresScalerAddress {
  /** A name KEDA's operator resolves from its own namespace. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** libpq's sslmode; KEDA requires one. @default 'prefer' (libpq's default, what Airflow's own connection uses) */
  readonly sslMode?: string;
  /** The release's pods at that address, for the NetworkPolicies; undefined for a server outside the release. */
  readonly component?: string;
}

/** KEDA's `postgresql` trigger on a server the library knows the address of, the password from `password`. */
export function postgresScaler(address: PostgresScalerAddress, password: SecretKey): DatabaseScaler {
  return {
    type: 'postgresql',
    metadata: {
      host: address.host,
      port: String(address.port),
      userName: address.user,
      dbName: address.database,
      sslmode: address.sslMode ?? 'prefer',
    },
    secrets: { password },
    targetKey: 'targetQueryValue',
    triggerTable: 'trigger',
    reaches: address.component === undefined ? undefined : { component: address.component, port: address.port },
  };
}

/** KEDA's `mysql` trigger on a MySQL server the library knows the address of, the password from `password`. */
export function mySqlScaler(address: Omit<PostgresScalerAddress, 'sslMode' | 'component'>, password: SecretKey): DatabaseScaler {
  return {
    type: 'mysql',
    metadata: { host: address.host, port: String(address.port), username: address.user, dbName: address.database },
    secrets: { password },
    targetKey: 'queryValue',
    triggerTable: '`trigger`',
  };
}

/**
 * A trigger whose whole connection comes from a Secret key: a libpq connection string or
 * `postgresql://` URL for `postgresql` (parsed by pgx), a Go MySQL DSN for `mysql`
 * (`user:password@tcp(host:3306)/airflow`, parsed by go-sql-driver/mysql).
 */
export function connectionScaler(type: 'postgresql' | 'mysql', connection: SecretKey): DatabaseScaler {
  return type === 'postgresql'
    ? { type, metadata: {}, secrets: { connection }, targetKey: 'targetQueryValue', triggerTable: 'trigger' }
    : { type, metadata: {}, secrets: { connectionString: connection }, targetKey: 'queryValue', triggerTable: '`trigger`' };
}
