import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import { AUTOSCALING_DEFAULTS, DEFAULTS, DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import type { CeleryWorkerOptions } from '../executors/celery';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, containerPort, servicePort, tcpReadinessProbe } from './common';
import { disruptionBudget, spreadReplicas } from './availability';
import { kedaScaledObject, mostReplicas } from './autoscaling';

export interface CeleryWorkersProps extends CeleryWorkerOptions {
  readonly context: AirflowContext;
  /** What the workers need beyond the common environment (the broker). */
  readonly env: k8s.EnvVar[];
  /** The queues they take tasks from. */
  readonly queues: string[];
  /** The default workers' concurrency, what a set without a concurrency of its own runs. */
  readonly defaultConcurrency: number;
  /** With `autoscaling`: SQL counting the task instances these workers run or will run (queued or running, on their queues). */
  readonly tasksQuery?: string;
  /**
   * A worker set's name: its objects are `<release>-worker-<name>`, and it takes only `queues`.
   * @default - the default workers, `<release>-worker`, on the default queue
   */
  readonly setName?: string;
}

/**
 * Celery workers: the default workers, or a worker set with queues of its own. A StatefulSet
 * behind a headless Service so that each worker has a DNS name (`<pod>.<service>`): Airflow
 * records it as the task's host name and the UI fetches live task logs from port 8793 there.
 */
export class CeleryWorkers extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: CeleryWorkersProps): CeleryWorkers {
    return new CeleryWorkers(scope, id, props);
  }

  /** The name of the worker set; undefined for the default workers. */
  public readonly setName?: string;
  /** The Celery queues the workers take tasks from. */
  public readonly queues: string[];
  /** Task slots per worker. */
  public readonly concurrency: number;
  /** The replicas; with `autoscaling`, the fewest KEDA keeps. */
  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  /** How long a stopping worker may finish its running tasks. */
  public readonly terminationGracePeriod: Duration;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  /** With two replicas or more, or autoscaling up to two or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** With `autoscaling`: the KEDA ScaledObject (`keda.sh/v1alpha1`) of the StatefulSet, named like it. */
  public readonly scaledObject?: ApiObject;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: CeleryWorkersProps) {
    super(scope, id);
    const context = props.context;
    const component = props.setName === undefined ? 'worker' : `worker-${props.setName}`;
    this.setName = props.setName;
    this.queues = [...props.queues];
    this.concurrency = props.concurrency ?? props.defaultConcurrency;
    const autoscaling = props.autoscaling;
    this.replicas = autoscaling === undefined ? props.replicas ?? DEFAULT_REPLICAS.celeryWorkers : autoscaling.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas;
    // Budgets and spread are for the most pods the set may run.
    const most = mostReplicas(this.replicas, autoscaling);
    this.resources = renderResources(DEFAULT_RESOURCES.celeryWorkers, props.resources);
    this.terminationGracePeriod = props.terminationGracePeriod ?? DEFAULTS.celeryWorkerGracePeriod;
    this.serviceAccount = componentServiceAccount(this, context, component, props.pod);
    this.service = componentService(this, context, component, [servicePort('worker-logs', PORTS.workerLogs)], { headless: true });
    // The default workers take `[operators] default_queue` from airflow.cfg; a worker set says
    // which queues it takes. The concurrency is a flag (celery provider, ARG_CONCURRENCY), so
    // that changing it rolls these workers only.
    const args = [
      'celery', 'worker',
      ...(props.setName === undefined ? [] : ['--queues', this.queues.join(',')]),
      '--concurrency', String(this.concurrency),
    ];
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      image: props.image,
      placement: spreadReplicas(context, component, most),
      component,
      // The same container name in every set, for `kubectl logs -c worker`.
      containerName: 'worker',
      args,
      needsDags: true,
      logGroomer: true,
      eviction: EvictionClass.TASKS,
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
    // With KEDA the StatefulSet leaves spec.replicas out: KEDA's HPA owns it.
    this.statefulSet = componentStatefulSet(this, context, component, autoscaling === undefined ? this.replicas : undefined, this.pod.template(),
      { podManagementPolicy: 'Parallel' });
    // One worker per `concurrency` tasks queued or running on these queues. A worker removed by a
    // scale-down shuts down warm and finishes its tasks within terminationGracePeriod.
    const tasksQuery = props.tasksQuery;
    this.scaledObject = autoscaling === undefined || tasksQuery === undefined ? undefined
      : kedaScaledObject(this, context, component, this.statefulSet, autoscaling, () => ({ query: tasksQuery, perReplica: this.concurrency }));
    this.podDisruptionBudget = disruptionBudget(this, context, component, most);
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
