import type { AirflowVersion } from '../version';
import type { Construct } from 'constructs';
import type { PostgreSql } from '../components/postgresql';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import type { ValidationErrors } from '../validation';
import { BundledPostgres, BundledPostgresOptions } from './bundled-postgres';
import { ExternalPostgres, ExternalPostgresOptions } from './external-postgres';

/** How Airflow pods reach the metadata database. */
export interface DatabaseConnection {
  /** The SQLAlchemy URL; the password is `$(AIRFLOW_DATABASE_PASSWORD)`, expanded by the kubelet. */
  readonly url: string;
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
}

/** Where Airflow's metadata database lives. Its password always comes from `credentials.databasePassword`. */
export class MetadataDatabase {
  /** PostgreSQL deployed alongside Airflow (the reference deployment). */
  public static bundledPostgres(options: BundledPostgresOptions = {}): MetadataDatabase {
    return new MetadataDatabase(new BundledPostgres(options));
  }

  /** An existing PostgreSQL server. */
  public static externalPostgres(options: ExternalPostgresOptions): MetadataDatabase {
    return new MetadataDatabase(new ExternalPostgres(options));
  }

  private constructor(/** @internal */ public readonly _behaviour: DatabaseBehaviour) {}
}
