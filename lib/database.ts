import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { ContainerImage } from './image';

/** A PostgreSQL StatefulSet deployed with Airflow, its data on a PersistentVolumeClaim. */
export interface BundledPostgresOptions {
  /** @default Size.gibibytes(8) */
  readonly storage?: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default postgres:17.6 */
  readonly image?: ContainerImage;
  /** @default 250m/1 CPU, 256Mi/1Gi memory */
  readonly resources?: kplus.ContainerResources;
}

/** A PostgreSQL server run elsewhere (a managed service, an operator). */
export interface ExternalPostgresOptions {
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default 'airflow' */
  readonly database?: string;
  /** @default 'airflow' */
  readonly user?: string;
  /**
   * libpq `sslmode`, e.g. `require` or `verify-full`.
   * @default - not set (libpq's default, `prefer`)
   */
  readonly sslMode?: string;
}

/** Where Airflow's metadata database lives. Its password always comes from `credentials.databasePassword`. */
export class MetadataDatabase {
  /** PostgreSQL deployed alongside Airflow (the reference deployment). */
  public static bundledPostgres(options: BundledPostgresOptions = {}): MetadataDatabase {
    return new MetadataDatabase(undefined, 5432, 'airflow', 'airflow', undefined, options);
  }

  /** An existing PostgreSQL server. */
  public static externalPostgres(options: ExternalPostgresOptions): MetadataDatabase {
    return new MetadataDatabase(
      options.host,
      options.port ?? 5432,
      options.database ?? 'airflow',
      options.user ?? 'airflow',
      options.sslMode,
      undefined,
    );
  }

  private constructor(
    /** The host; undefined for the bundled server, whose Service name depends on the release. */
    public readonly host: string | undefined,
    public readonly port: number,
    public readonly database: string,
    public readonly user: string,
    public readonly sslMode: string | undefined,
    /** Set when the library deploys the server. */
    public readonly bundled: BundledPostgresOptions | undefined,
  ) {}
}
