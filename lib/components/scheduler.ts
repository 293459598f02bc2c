import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { AirflowPodOptions, airflowPodTemplate, jobCheckProbe } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentService, componentServiceAccount, componentStatefulSet, servicePort } from './common';
import { KubernetesWorkerPods, POD_TEMPLATE_CHECKSUM_ANNOTATION } from './kubernetes-worker-pods';

export interface SchedulerOptions {
  /**
   * Two or more run as an active-active HA pair (PostgreSQL row locks).
   * @default 1
   */
  readonly replicas?: number;
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
}

export interface SchedulerProps extends SchedulerOptions {
  readonly context: AirflowContext;
  /** The KubernetesExecutor's task pods: the scheduler mounts their pod template and starts them. */
  readonly kubernetesWorkerPods?: KubernetesWorkerPods;
  /**
   * Mount a ServiceAccount token. Needed to start KubernetesExecutor pods, and for tasks that
   * launch pods when the scheduler runs them itself (LocalExecutor).
   * @default - true with a KubernetesExecutor, false otherwise
   */
  readonly kubernetesApiAccess?: boolean;
}

const COMPONENT = 'scheduler';

/**
 * The scheduler. On Airflow 3 it reads serialized DAGs from the database, so it needs DAG files
 * only when it runs tasks itself (LocalExecutor); on Airflow 2 it always gets them. With the
 * LocalExecutor it is a StatefulSet behind a headless Service, like the Celery workers, so the
 * UI can fetch live task logs from each scheduler pod's log server.
 */
export class Scheduler extends Construct {
  /** Set unless the scheduler runs tasks itself. */
  public readonly deployment?: k8s.KubeDeployment;
  /** Set when the scheduler runs tasks itself (LocalExecutor). */
  public readonly statefulSet?: k8s.KubeStatefulSet;
  /** The headless Service of a scheduler that runs tasks. */
  public readonly service?: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: SchedulerProps) {
    super(scope, id);
    const context = props.context;
    const runsTasks = context.executor.runsTasksInScheduler;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    const podTemplate = props.kubernetesWorkerPods?.mountParts();
    const pod: AirflowPodOptions = {
      component: COMPONENT,
      args: ['scheduler'],
      celery: true,
      needsDags: runsTasks || !context.version.isAirflow3,
      kubernetesApiAccess: props.kubernetesApiAccess ?? props.kubernetesWorkerPods !== undefined,
      volumes: podTemplate ? [podTemplate.volume] : undefined,
      mounts: podTemplate ? [podTemplate.mount] : undefined,
      annotations: props.kubernetesWorkerPods ? { [POD_TEMPLATE_CHECKSUM_ANNOTATION]: props.kubernetesWorkerPods.checksum } : undefined,
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
      startupProbe: jobCheckProbe('SchedulerJob', 30, 10),
      livenessProbe: jobCheckProbe('SchedulerJob', 60, 5),
      // The log server of the tasks it runs; ready once it listens, like a worker.
      ports: runsTasks ? [{ name: 'worker-logs', containerPort: PORTS.workerLogs, protocol: 'TCP' }] : undefined,
      readinessProbe: runsTasks ? { tcpSocket: { port: k8s.IntOrString.fromString('worker-logs') }, periodSeconds: 10, timeoutSeconds: 5 } : undefined,
    };
    if (runsTasks) {
      this.service = componentService(this, context, COMPONENT, [servicePort('worker-logs', PORTS.workerLogs)], { headless: true });
      this.statefulSet = componentStatefulSet(this, context, COMPONENT, props.replicas ?? 1, airflowPodTemplate(context, pod), { podManagementPolicy: 'Parallel' });
    } else {
      this.deployment = airflowDeployment(this, context, props.replicas ?? 1, pod);
    }
  }
}
