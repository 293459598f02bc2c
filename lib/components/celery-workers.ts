import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import { DEFAULTS, DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import type { CeleryWorkerOptions } from '../executors/celery';
import type * as k8s from '../k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { renderResources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, containerPort, servicePort, tcpReadinessProbe } from './common';

export interface CeleryWorkersProps extends CeleryWorkerOptions {
  readonly context: AirflowContext;
  /** What the workers need beyond the common environment (the broker). */
  readonly env: k8s.EnvVar[];
}

const COMPONENT = 'worker';

/**
 * Celery workers. A StatefulSet behind a headless Service so that each worker has a DNS name
 * (`<pod>.<service>`): Airflow records it as the task's host name and the UI fetches live task
 * logs from port 8793 there.
 */
export class CeleryWorkers extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: CeleryWorkersProps): CeleryWorkers {
    return new CeleryWorkers(scope, id, props);
  }

  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  /** How long a stopping worker may finish its running tasks. */
  public readonly terminationGracePeriod: Duration;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: CeleryWorkersProps) {
    super(scope, id);
    const context = props.context;
    this.replicas = props.replicas ?? DEFAULT_REPLICAS.celeryWorkers;
    this.resources = renderResources(DEFAULT_RESOURCES.celeryWorkers, props.resources);
    this.terminationGracePeriod = props.terminationGracePeriod ?? DEFAULTS.celeryWorkerGracePeriod;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.service = componentService(this, context, COMPONENT, [servicePort('worker-logs', PORTS.workerLogs)], { headless: true });
    this.pod = new AirflowPod(context, {
      component: COMPONENT,
      args: ['celery', 'worker'],
      needsDags: true,
      // dumb-init would signal the whole process group and stop running tasks at once; with
      // SETSID=0 only Celery gets SIGTERM and shuts down warm, finishing its tasks.
      env: [...props.env, { name: 'DUMB_INIT_SETSID', value: '0' }],
      terminationGracePeriodSeconds: this.terminationGracePeriod.toSeconds(),
      ports: [containerPort('worker-logs', PORTS.workerLogs)],
      // Ready once the log server listens: the UI reads live task logs from it.
      readinessProbe: tcpReadinessProbe('worker-logs'),
      resources: this.resources,
      livenessProbe: {
        exec: {
          command: ['sh', '-c', 'exec celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$(hostname)"'],
        },
        initialDelaySeconds: 30,
        periodSeconds: 60,
        timeoutSeconds: 30,
        failureThreshold: 5,
      },
    });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, this.replicas, this.pod.template(), { podManagementPolicy: 'Parallel' });
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
