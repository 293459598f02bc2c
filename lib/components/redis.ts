import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { RedisOptions } from '../executor';
import { ContainerImage } from '../image';
import { secretEnv } from '../pod/airflow-env';
import { renderResources, resources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, dataStorePodTemplate, servicePort } from './common';

export interface RedisProps extends RedisOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'redis';
/** The official image's `redis` user; run as it from the start instead of stepping down from root. */
const REDIS_UID = 999;

export const DEFAULT_REDIS_IMAGE = ContainerImage.of('redis', '7.4.3');

/**
 * Redis as the Celery broker, with a password from a Secret. Its data is an emptyDir: queued
 * messages are transient and the task state lives in the metadata database.
 */
export class Redis extends Construct {
  public readonly serviceName: string;
  public readonly port = PORTS.redis;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const context = props.context;
    const image = props.image ?? DEFAULT_REDIS_IMAGE;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
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
      image: image.reference,
      imagePullPolicy: image.pullPolicy,
      command: ['redis-server'],
      // $(REDIS_PASSWORD) is expanded by the kubelet from the Secret-backed variable.
      args: ['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--save', '', '--appendonly', 'no'],
      env: [
        secretEnv('REDIS_PASSWORD', context.credentials.redisPassword),
        secretEnv('REDISCLI_AUTH', context.credentials.redisPassword),
      ],
      ports: [{ name: 'redis', containerPort: PORTS.redis, protocol: 'TCP' }],
      resources: renderResources(resources(100, 500, 128, 256), props.resources),
      livenessProbe: probe(15),
      readinessProbe: probe(5),
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    };
    const identity = { user: REDIS_UID, group: REDIS_UID, fsGroup: REDIS_UID };
    const template = dataStorePodTemplate(context, COMPONENT, identity, container, [{ name: 'data', emptyDir: {} }]);
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, 1, template);
    this.serviceName = context.resourceName(COMPONENT);
  }
}
