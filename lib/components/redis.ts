import type { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { RedisOptions } from '../executors/celery';
import type { ContainerImage } from '../image';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { EvictionClass } from '../pod/eviction';
import { renderResources, sizeQuantity } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { KEEP_ON_PRUNE, componentService, componentServiceAccount, componentStatefulSet, containerPort, dataStorePodTemplate, servicePort } from './common';

export interface RedisProps extends RedisOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'redis';
/** The official image's `redis` user; run as it from the start instead of stepping down from root. */
const REDIS_UID = 999;
const DATA_COMPONENT = 'redis-data';

/**
 * Redis as the Celery broker, with a password from a Secret. Its data is an emptyDir: queued
 * messages are transient and the task state lives in the metadata database. With `persistence`
 * the queue is kept on a claim of its own in Redis's append-only file, and survives a restart.
 */
export class Redis extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: RedisProps): Redis {
    return new Redis(scope, id, props);
  }

  public readonly serviceName: string;
  public readonly port: number = PORTS.redis;
  public readonly image: ContainerImage;
  public readonly resources: k8s.ResourceRequirements;
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** With `persistence`: the size of the data volume. */
  public readonly storage?: Size;
  /**
   * With `persistence`: the data volume's claim, `<name>-redis-data`, a standalone object (its
   * size can grow through the props) that Argo CD and Flux never prune, like PostgreSQL's.
   */
  public readonly dataClaim?: k8s.KubePersistentVolumeClaim;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const context = props.context;
    const persistence = props.persistence;
    this.image = props.image ?? DEFAULT_IMAGES.redis;
    this.resources = renderResources(DEFAULT_RESOURCES.redis, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    this.service = componentService(this, context, COMPONENT, [servicePort('redis', PORTS.redis)]);
    // redis-cli reads the password from REDISCLI_AUTH, so it never appears in a probe command.
    const probe = (periodSeconds: number): k8s.Probe => ({
      exec: { command: ['redis-cli', 'ping'] },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 5,
    });
    const container: k8s.Container = {
      name: COMPONENT,
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      command: ['redis-server'],
      // $(REDIS_PASSWORD) is expanded by the kubelet from the Secret-backed variable. Redis 7
      // takes the argument after an option name as its value even when it starts with "--"
      // (src/server.c main(), handled_last_config_arg), so no password is misread as an option.
      // Never an RDB snapshot (`--save ''`). With persistence every write goes to the append-only
      // file in /data (`appendonlydir/`), fsynced every second, and fsynced at a clean stop
      // (src/server.c finishShutdown); without, nothing is written to disk.
      args: ['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--save', '',
        ...(persistence === undefined ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'everysec'])],
      env: [
        secretEnv('REDIS_PASSWORD', context.credentials.redisPassword),
        secretEnv('REDISCLI_AUTH', context.credentials.redisPassword),
      ],
      ports: [containerPort('redis', PORTS.redis)],
      resources: this.resources,
      livenessProbe: probe(15),
      readinessProbe: probe(5),
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    };
    const identity = { user: REDIS_UID, group: REDIS_UID, fsGroup: REDIS_UID };
    let data: k8s.Volume = { name: 'data', emptyDir: {} };
    if (persistence !== undefined) {
      const claimName = context.resourceName(DATA_COMPONENT);
      this.storage = persistence.storage;
      this.dataClaim = new k8s.KubePersistentVolumeClaim(this, 'DataClaim', {
        metadata: { ...context.metadata(COMPONENT, claimName), annotations: { ...KEEP_ON_PRUNE } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: persistence.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(persistence.storage)) } },
        },
      });
      data = { name: 'data', persistentVolumeClaim: { claimName } };
    }
    // Safe to evict with or without a claim: Redis restarts elsewhere, and with a claim it reads the
    // queue back from the append-only file, fsynced when it stops.
    const template = dataStorePodTemplate(context, COMPONENT, identity, container, [data], EvictionClass.SERVICE,
      persistence === undefined ? { pod: props.pod } : { persistentVolume: true, pod: props.pod });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, 1, template);
    this.serviceName = context.resourceName(COMPONENT);
  }
}
