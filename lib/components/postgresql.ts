import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { BundledPostgresOptions } from '../database';
import { ContainerImage } from '../image';
import { secretEnv } from '../pod/airflow-env';
import { renderResources, resources, sizeQuantity } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, dataStorePodTemplate, servicePort } from './common';

export interface PostgreSqlProps extends BundledPostgresOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'postgresql';
/** The official image's `postgres` user; run as it from the start instead of stepping down from root. */
const POSTGRES_UID = 999;
const DATA_MOUNT = '/var/lib/postgresql/data';

export const DEFAULT_POSTGRES_IMAGE = ContainerImage.of('postgres', '17.6');

/** PostgreSQL for the metadata database: one pod, its data on a PersistentVolumeClaim. */
export class PostgreSql extends Construct {
  public readonly serviceName: string;
  public readonly port = PORTS.postgresql;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: PostgreSqlProps) {
    super(scope, id);
    const context = props.context;
    const image = props.image ?? DEFAULT_POSTGRES_IMAGE;
    const db = context.database;
    const storage = props.storage ?? Size.gibibytes(8);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.service = componentService(this, context, COMPONENT, [servicePort('postgresql', PORTS.postgresql)]);
    const probe = (periodSeconds: number): k8s.Probe => ({
      exec: { command: ['pg_isready', '--host=127.0.0.1', `--username=${db.user}`, `--dbname=${db.database}`] },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 6,
    });
    const container: k8s.Container = {
      name: COMPONENT,
      image: image.reference,
      imagePullPolicy: image.pullPolicy,
      env: [
        { name: 'POSTGRES_USER', value: db.user },
        { name: 'POSTGRES_DB', value: db.database },
        secretEnv('POSTGRES_PASSWORD', context.credentials.databasePassword),
        // A subdirectory: a fresh volume's root may hold lost+found, which initdb refuses.
        { name: 'PGDATA', value: `${DATA_MOUNT}/pgdata` },
      ],
      ports: [{ name: 'postgresql', containerPort: PORTS.postgresql, protocol: 'TCP' }],
      resources: renderResources(resources(250, 1000, 256, 1024), props.resources),
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
    const volumes = [{ name: 'run', emptyDir: {} }, { name: 'tmp', emptyDir: {} }];
    // 60 s lets PostgreSQL finish a clean shutdown checkpoint.
    const template = dataStorePodTemplate(context, COMPONENT, identity, container, volumes, { persistentVolume: true, terminationGracePeriodSeconds: 60 });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, 1, template, {
      volumeClaimTemplates: [{
        metadata: { name: 'data', labels: context.metadata(COMPONENT).labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: props.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(storage)) } },
        },
      }],
    });
    this.serviceName = context.resourceName(COMPONENT);
  }
}
