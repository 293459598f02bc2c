import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { configEnvName } from '../config/contributions';
import { AirflowContext, PORTS } from '../context';
import { DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod, jobCheckProbe } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import {
  componentDeployment, componentService, componentServiceAccount, componentStatefulSet, containerPort, servicePort, tcpReadinessProbe,
} from './common';
import { KubernetesWorkerPods, POD_TEMPLATE_CHECKSUM_ANNOTATION } from './kubernetes-worker-pods';
import type { PodOptions } from '../pod/pod-options';
import { disruptionBudget, spreadReplicas } from './availability';

export interface SchedulerOptions {
  /**
   * Two or more run as an active-active HA pair (PostgreSQL row locks).
   * @default 1
   */
  readonly replicas?: number;
  /** @default 250m/2 CPU, 768Mi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
}

export interface SchedulerProps extends SchedulerOptions {
  readonly context: AirflowContext;
  /** The executor runs tasks inside the scheduler's pod (LocalExecutor). */
  readonly runsTasks: boolean;
  /** What the executor needs in the scheduler's environment (a broker). */
  readonly env: k8s.EnvVar[];
}

const COMPONENT = 'scheduler';
/**
 * The component of a scheduler that runs tasks. A StatefulSet may not take the Deployment's name
 * (nor select its pods): switching executors would turn one kind into the other under one name,
 * and while the old object lingers (until pruned) two controllers would select the same pods.
 */
const TASK_RUNNING_COMPONENT = 'local-scheduler';

/**
 * The scheduler. On Airflow 3 it reads serialized DAGs from the database, so it needs DAG files
 * only when it runs tasks itself (LocalExecutor); on Airflow 2 it always gets them. When it runs
 * tasks it is the StatefulSet `<name>-local-scheduler` behind a headless Service of that name,
 * like the Celery workers, so the UI can fetch live task logs from each scheduler pod's log server.
 */
export class Scheduler extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: SchedulerProps): Scheduler {
    return new Scheduler(scope, id, props);
  }

  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  /** Set unless the scheduler runs tasks itself. */
  public readonly deployment?: k8s.KubeDeployment;
  /** Set when the scheduler runs tasks itself (LocalExecutor). */
  public readonly statefulSet?: k8s.KubeStatefulSet;
  /** The headless Service of a scheduler that runs tasks. */
  public readonly service?: k8s.KubeService;
  /** With two replicas or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: SchedulerProps) {
    super(scope, id);
    const { context, runsTasks } = props;
    const component = runsTasks ? TASK_RUNNING_COMPONENT : COMPONENT;
    this.replicas = props.replicas ?? DEFAULT_REPLICAS.scheduler;
    this.resources = renderResources(DEFAULT_RESOURCES.scheduler, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, component, props.pod);
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      placement: spreadReplicas(context, component, this.replicas),
      component,
      containerName: COMPONENT,
      args: ['scheduler'],
      env: props.env,
      needsDags: runsTasks || !context.version.isAirflow3,
      logGroomer: true,
      eviction: runsTasks ? EvictionClass.TASKS : EvictionClass.SERVICE,
      resources: this.resources,
      startupProbe: jobCheckProbe('SchedulerJob', 30, 10),
      livenessProbe: jobCheckProbe('SchedulerJob', 60, 5),
      // The log server of the tasks it runs; ready once it listens, like a worker.
      ports: runsTasks ? [containerPort('worker-logs', PORTS.workerLogs)] : undefined,
      readinessProbe: runsTasks ? tcpReadinessProbe('worker-logs') : undefined,
    });
    if (runsTasks) {
      this.service = componentService(this, context, component, [servicePort('worker-logs', PORTS.workerLogs)], { headless: true });
      this.statefulSet = componentStatefulSet(this, context, component, this.replicas, this.pod.template(), { podManagementPolicy: 'Parallel' });
    } else {
      this.deployment = componentDeployment(this, context, COMPONENT, this.replicas, this.pod.template());
    }
    this.podDisruptionBudget = disruptionBudget(this, context, component, this.replicas);
  }

  /**
   * Mounts the KubernetesExecutor's pod template where `[kubernetes_executor] pod_template_file`
   * points, and rolls the scheduler when the template changes.
   * @internal
   */
  public _mountPodTemplate(workerPods: KubernetesWorkerPods): void {
    this.pod.addVolume(workerPods._podTemplateVolume(), workerPods._podTemplateMount());
    this.pod.addAnnotation(POD_TEMPLATE_CHECKSUM_ANNOTATION, () => workerPods._checksum());
    // The pod template's objects come first in the output: the scheduler mounts them.
    this.node.addDependency(workerPods);
  }

  /**
   * Sets an `airflow.cfg` option for the scheduler alone, through its `AIRFLOW__…` variable: an
   * option only the executor inside the scheduler reads, which must not roll the other pods.
   * @internal
   */
  public _setOption(section: string, option: string, value: string): void {
    this.pod.addEnvironment({ name: configEnvName(section, option), value });
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
