import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import type { BundledPostgresOptions } from '../database/bundled-postgres';
import { DEFAULTS, DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { EvictionClass } from '../pod/eviction';
import { renderResources, sizeQuantity } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { KEEP_ON_PRUNE, componentService, componentServiceAccount, componentStatefulSet, containerPort, dataStorePodTemplate, servicePort } from './common';

export interface PostgreSqlProps extends BundledPostgresOptions {
  readonly context: AirflowContext;
  /** The database Airflow uses. */
  readonly database: string;
  /** The user Airflow connects as. */
  readonly user: string;
}

const COMPONENT = 'postgresql';
/** The official image's `postgres` user; run as it from the start instead of stepping down from root. */
const POSTGRES_UID = 999;
const DATA_MOUNT = '/var/lib/postgresql/data';
const DATA_COMPONENT = 'postgresql-data';

/** PostgreSQL for the metadata database: one pod, its data on a PersistentVolumeClaim. */
export class PostgreSql extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PostgreSqlProps): PostgreSql {
    return new PostgreSql(scope, id, props);
  }

  public readonly serviceName: string;
  public readonly port: number = PORTS.postgresql;
  public readonly image: ContainerImage;
  /** The size of the data volume. */
  public readonly storage: Size;
  public readonly resources: k8s.ResourceRequirements;
  public readonly statefulSet: k8s.KubeStatefulSet;
  /**
   * The data volume's claim, `<name>-postgresql-data`: a standalone object, so that its size can
   * grow through the props (a StatefulSet's `volumeClaimTemplates` cannot change), and one that
   * Argo CD and Flux never prune, so that removing the database from the output keeps the data.
   */
  public readonly dataClaim: k8s.KubePersistentVolumeClaim;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: PostgreSqlProps) {
    super(scope, id);
    const context = props.context;
    this.image = props.image ?? DEFAULT_IMAGES.postgres;
    this.storage = props.storage ?? DEFAULTS.postgresStorage;
    this.resources = renderResources(DEFAULT_RESOURCES.postgresql, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    this.service = componentService(this, context, COMPONENT, [servicePort('postgresql', PORTS.postgresql)]);
    const probe = (periodSeconds: number): k8s.Probe => ({
      exec: { command: ['pg_isready', '--host=127.0.0.1', `--username=${props.user}`, `--dbname=${props.database}`] },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 6,
    });
    const container: k8s.Container = {
      name: COMPONENT,
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      env: [
        { name: 'POSTGRES_USER', value: props.user },
        { name: 'POSTGRES_DB', value: props.database },
        secretEnv('POSTGRES_PASSWORD', context.credentials.databasePassword),
        // A subdirectory: a fresh volume's root may hold lost+found, which initdb refuses.
        { name: 'PGDATA', value: `${DATA_MOUNT}/pgdata` },
      ],
      ports: [containerPort('postgresql', PORTS.postgresql)],
      resources: this.resources,
      startupProbe: { ...probe(5), failureThreshold: 60 },
      livenessProbe: probe(15),
      readinessProbe: probe(5),
      volumeMounts: [
        { name: 'data', mountPath: DATA_MOUNT },
        { name: 'run', mountPath: '/var/run/postgresql' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    const identity = { user: POSTGRES_UID, group: POSTGRES_UID, fsGroup: POSTGRES_UID };
    const claimName = context.resourceName(DATA_COMPONENT);
    this.dataClaim = new k8s.KubePersistentVolumeClaim(this, 'DataClaim', {
      metadata: { ...context.metadata(COMPONENT, claimName), annotations: { ...KEEP_ON_PRUNE } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(this.storage)) } },
      },
    });
    const volumes = [
      { name: 'data', persistentVolumeClaim: { claimName } },
      { name: 'run', emptyDir: {} },
      { name: 'tmp', emptyDir: {} },
    ];
    // 60 s lets PostgreSQL finish a clean shutdown checkpoint. Never evicted by a scale-down:
    // every Airflow pod depends on it.
    const template = dataStorePodTemplate(context, COMPONENT, identity, container, volumes, EvictionClass.PINNED, { persistentVolume: true, terminationGracePeriodSeconds: 60, pod: props.pod });
    // One replica on a ReadWriteOnce claim: a rolling update stops the old pod before it starts the new one.
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, 1, template);
    this.serviceName = context.resourceName(COMPONENT);
  }
}
