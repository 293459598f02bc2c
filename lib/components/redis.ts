import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { RedisOptions } from '../executors/celery';
import type { ContainerImage } from '../image';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { componentService, componentServiceAccount, componentStatefulSet, containerPort, dataStorePodTemplate, servicePort } from './common';

export interface RedisProps extends RedisOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'redis';
/** The official image's `redis` user; run as it from the start instead of stepping down from root. */
const REDIS_UID = 999;

/**
 * Redis as the Celery broker, with a password from a Secret. Its data is an emptyDir: queued
 * messages are transient and the task state lives in the metadata database.
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
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const context = props.context;
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
      args: ['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--save', '', '--appendonly', 'no'],
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
    const template = dataStorePodTemplate(context, COMPONENT, identity, container, [{ name: 'data', emptyDir: {} }], EvictionClass.SERVICE, { pod: props.pod });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, 1, template);
    this.serviceName = context.resourceName(COMPONENT);
  }
}
