import type { AirflowVersion } from '../version';
import type { Construct } from 'constructs';
import type { PgBouncer } from '../components/pgbouncer';
import type { PostgreSql } from '../components/postgresql';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import type { ValidationErrors } from '../validation';
import { BundledPostgres, BundledPostgresOptions } from './bundled-postgres';
import { ExternalMySql, ExternalMySqlOptions } from './external-mysql';
import { ExternalPostgres, ExternalPostgresOptions } from './external-postgres';
import { DatabaseFromSecret, DatabaseFromSecretOptions } from './from-secret';
import type { DatabaseScaler } from './scaler';

/** How Airflow pods reach the metadata database. */
export interface DatabaseConnection {
  /**
   * The SQLAlchemy URL; the password is `$(AIRFLOW_DATABASE_PASSWORD)`, expanded by the kubelet.
   * Undefined when the whole URL comes from a Secret: the library never sees it.
   */
  readonly url?: string;
  /** DAG code gets the connection `airflow_db` from the database (`AIRFLOW_CONN_AIRFLOW_DB`). */
  readonly airflowDbConnection: boolean;
}

/**
 * What a metadata database does to the deployment: it checks its options, gives every Airflow
 * container the connection (the password from the credentials Secret), and adds the database
 * server when the library runs it. One implementation per file in this folder.
 */
export interface DatabaseBehaviour {
  validate(errors: ValidationErrors, property: string, version: AirflowVersion): void;
  configure(config: ConfigContributions, facts: ConfigFacts): DatabaseConnection;
  bind(scope: Construct, context: AirflowContext): PostgreSql | undefined;
  /**
   * How KEDA's scaler connects to this database (autoscaling of Celery workers and the
   * triggerer); undefined when the library cannot tell (a URL from a Secret without `kedaConnection`).
   */
  kedaScaler(facts: ConfigFacts): DatabaseScaler | undefined;
  /**
   * With PgBouncer: the server's own SQLAlchemy URL, for what must bypass the pooler (the
   * migration Job); undefined when every connection is direct.
   */
  directUrl?(facts: ConfigFacts): string | undefined;
  /** With PgBouncer: adds its Deployment and Service. */
  bindPooler?(scope: Construct, context: AirflowContext): PgBouncer | undefined;
}

/**
 * Where Airflow's metadata database lives. Its password comes from `credentials.databasePassword`,
 * unless the whole URL comes from a Secret (`fromSecret`).
 */
export class MetadataDatabase {
  /** PostgreSQL deployed alongside Airflow (the reference deployment). */
  public static bundledPostgres(options: BundledPostgresOptions = {}): MetadataDatabase {
    return new MetadataDatabase(new BundledPostgres(options));
  }

  /** An existing PostgreSQL server. */
  public static externalPostgres(options: ExternalPostgresOptions): MetadataDatabase {
    return new MetadataDatabase(new ExternalPostgres(options));
  }

  /** An existing MySQL 8 server (`mysql+mysqldb://`, the mysqlclient driver). */
  public static externalMySql(options: ExternalMySqlOptions): MetadataDatabase {
    return new MetadataDatabase(new ExternalMySql(options));
  }

  /**
   * A database whose whole SQLAlchemy URL is in a key of a Secret: `AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`
   * from `secretKeyRef`, nothing deployed, no `airflow_db` connection for DAG code (give one in
   * `connections`).
   */
  public static fromSecret(options: DatabaseFromSecretOptions): MetadataDatabase {
    return new MetadataDatabase(new DatabaseFromSecret(options));
  }

  private constructor(/** @internal */ public readonly _behaviour: DatabaseBehaviour) {}
}
