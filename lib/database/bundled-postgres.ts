import type { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { PostgreSql } from '../components/postgresql';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { AirflowContext, PORTS, resourceName } from '../context';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import { PodOptions, validatePodOptions } from '../pod/pod-options';
import { checkResources } from '../pod/resources';
import { checkShape } from '../props-shape/check-shape';
import type { ContainerImage } from '../image';
import type { AirflowVersion } from '../version';
import { DNS_SUBDOMAIN, ValidationErrors } from '../validation';
import type { DatabaseBehaviour, DatabaseConnection } from './metadata-database';
import { configurePostgres, directPostgresUrl } from './postgres';
import { PgBouncer } from '../components/pgbouncer';
import { PgBouncerOptions, pgBouncerAddress, pgBouncerScaler, validatePgBouncer } from './pgbouncer';
import { DatabaseScaler, postgresScaler } from './scaler';

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
  /**
   * Give the pods that run DAG code the connection `airflow_db` to this database (as
   * `AIRFLOW_CONN_AIRFLOW_DB`, from the same Secret-backed URL), which Airflow no longer creates.
   * It takes precedence over an `airflow_db` defined in the UI: turn it off to define your own.
   * @default true
   */
  readonly airflowDbConnection?: boolean;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
  /**
   * PgBouncer in front of the database (transaction pooling): `<name>-pgbouncer` on port 6543,
   * which Airflow's pods connect through; the migration Job, Airflow 3's asyncpg URL and KEDA
   * connect directly. Needs Airflow 2.11 or 3.1 and later.
   * @default - none: every connection is direct
   */
  readonly pgbouncer?: PgBouncerOptions;
}

/** PostgreSQL run by the library: the `<name>-postgresql` StatefulSet and Service. */
export class BundledPostgres implements DatabaseBehaviour {
  constructor(private readonly options: BundledPostgresOptions) {}

  public validate(errors: ValidationErrors, property: string, version: AirflowVersion): void {
    if (!checkShape(errors, property, 'BundledPostgresOptions', this.options)) {
      return;
    }
    validatePgBouncer(errors, `${property}.pgbouncer`, this.options.pgbouncer, version);
    checkResources(errors, `${property}.resources`, DEFAULT_RESOURCES.postgresql, this.options.resources);
    validatePodOptions(errors, `${property}.pod`, this.options.pod);
    const storage = this.options.storage;
    if (storage !== undefined && storage.toMebibytes() < 1024) {
      errors.add(`${property}.storage`, `${storage.toMebibytes()}Mi`, 'too small for a metadata database', 'give at least Size.gibibytes(1)');
    }
    const storageClass = this.options.storageClassName;
    if (storageClass !== undefined && !DNS_SUBDOMAIN.test(storageClass)) {
      errors.add(`${property}.storageClassName`, storageClass, 'not a valid StorageClass name', 'use a DNS subdomain, e.g. "standard"');
    }
    for (const problem of this.options.image?.problems() ?? []) {
      errors.add(`${property}.image`, this.options.image?.reference, problem, 'pin a released tag, e.g. postgres:17.6');
    }
  }

  public configure(config: ConfigContributions, facts: ConfigFacts): DatabaseConnection {
    return configurePostgres(config, facts, {
      host: resourceName(facts.name, 'postgresql'),
      port: PORTS.postgresql,
      database: DEFAULTS.postgresDatabase,
      user: DEFAULTS.postgresUser,
      airflowDbConnection: this.options.airflowDbConnection ?? true,
      pooler: this.options.pgbouncer === undefined ? undefined : pgBouncerAddress(facts.name),
    });
  }

  public directUrl(facts: ConfigFacts): string | undefined {
    return this.options.pgbouncer === undefined ? undefined : directPostgresUrl({
      host: resourceName(facts.name, 'postgresql'), port: PORTS.postgresql, database: DEFAULTS.postgresDatabase, user: DEFAULTS.postgresUser,
    });
  }

  public bindPooler(scope: Construct, context: AirflowContext): PgBouncer | undefined {
    const options = this.options.pgbouncer;
    return options === undefined ? undefined : PgBouncer._create(scope, 'PgBouncer', {
      ...options,
      context,
      server: { host: context.resourceName('postgresql'), port: PORTS.postgresql, database: DEFAULTS.postgresDatabase, user: DEFAULTS.postgresUser },
    });
  }

  /**
   * KEDA's operator runs in its own namespace: the Service by its namespace-qualified name
   * (`<name>-postgresql.<namespace>.svc`, which the pod's DNS search list completes with the
   * cluster domain), the password from the same key as Airflow's; through PgBouncer when it is on.
   */
  public kedaScaler(facts: ConfigFacts): DatabaseScaler {
    if (this.options.pgbouncer !== undefined) {
      return pgBouncerScaler(facts, DEFAULTS.postgresDatabase, DEFAULTS.postgresUser, facts.credentials.databasePassword);
    }
    return postgresScaler({
      host: `${resourceName(facts.name, 'postgresql')}.${facts.namespace}.svc`,
      port: PORTS.postgresql,
      database: DEFAULTS.postgresDatabase,
      user: DEFAULTS.postgresUser,
      component: 'postgresql',
    }, facts.credentials.databasePassword);
  }

  public bind(scope: Construct, context: AirflowContext): PostgreSql {
    const { pgbouncer: _pooler, ...options } = this.options;
    return PostgreSql._create(scope, 'PostgreSql', { context, database: DEFAULTS.postgresDatabase, user: DEFAULTS.postgresUser, ...options });
  }
}
