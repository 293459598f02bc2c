import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { AirflowContext, PORTS } from '../context';
import { AUTOSCALING_DEFAULTS, DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod, jobCheckProbe } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, containerPort, servicePort, tcpReadinessProbe } from './common';
import type { PodOptions } from '../pod/pod-options';
import type { ApiObject } from 'cdk8s';
import { disruptionBudget, spreadReplicas } from './availability';
import { KedaAutoscalingOptions, kedaScaledObject, mostReplicas } from './autoscaling';

export interface TriggererOptions {
  /** @default 1 */
  readonly replicas?: number;
  /**
   * KEDA autoscaling on the triggers waiting in the metadata database (rows of its `trigger`
   * table), one triggerer per `[triggerer] capacity` of them (1000 by default), instead of a fixed
   * `replicas`. Needs KEDA in the cluster. A stopped triggerer's triggers move to the others;
   * with `minReplicas: 0` a deferred task waits for a triggerer to start.
   * @default - none: `replicas` pods
   */
  readonly autoscaling?: KedaAutoscalingOptions;
  /** @default 250m/1 CPU, 512Mi/1Gi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
}

export interface TriggererProps extends TriggererOptions {
  readonly context: AirflowContext;
  /** `[triggerer] capacity` (`default_capacity` on Airflow 2): the triggers one triggerer runs, what KEDA divides by. */
  readonly capacity: number;
}

const COMPONENT = 'triggerer';

/**
 * Runs deferred tasks' triggers. A StatefulSet behind a headless Service: each pod gets a DNS
 * name (`<pod>.<service>`), which is the host name Airflow records and the UI fetches logs from.
 */
export class Triggerer extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: TriggererProps): Triggerer {
    return new Triggerer(scope, id, props);
  }

  /** The replicas; with `autoscaling`, the fewest KEDA keeps. */
  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  /** With two replicas or more, or autoscaling up to two or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** With `autoscaling`: the KEDA ScaledObject (`keda.sh/v1alpha1`) of the StatefulSet, named like it. */
  public readonly scaledObject?: ApiObject;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: TriggererProps) {
    super(scope, id);
    const context = props.context;
    const autoscaling = props.autoscaling;
    this.replicas = autoscaling === undefined ? props.replicas ?? DEFAULT_REPLICAS.triggerer : autoscaling.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas;
    // Budgets and spread are for the most pods the component may run.
    const most = mostReplicas(this.replicas, autoscaling);
    this.resources = renderResources(DEFAULT_RESOURCES.triggerer, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    this.service = componentService(this, context, COMPONENT, [servicePort('triggerer-logs', PORTS.triggererLogs)], { headless: true });
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      placement: spreadReplicas(context, COMPONENT, most),
      component: COMPONENT,
      args: ['triggerer'],
      // Triggers are imported from the DAG folder as well as from installed packages.
      needsDags: true,
      logGroomer: true,
      eviction: EvictionClass.SERVICE,
      ports: [containerPort('triggerer-logs', PORTS.triggererLogs)],
      // Ready once the log server listens: the UI reads live task logs from it.
      readinessProbe: tcpReadinessProbe('triggerer-logs'),
      resources: this.resources,
      startupProbe: jobCheckProbe('TriggererJob', 30, 10),
      livenessProbe: jobCheckProbe('TriggererJob', 60, 5),
    });
    // With KEDA the StatefulSet leaves spec.replicas out: KEDA's HPA owns it.
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, autoscaling === undefined ? this.replicas : undefined, this.pod.template(),
      { podManagementPolicy: 'Parallel' });
    // Every trigger waiting anywhere, assigned or not (models/trigger.py: `trigger` rows, assigned
    // through `triggerer_id`); each triggerer runs up to `capacity` of them.
    this.scaledObject = autoscaling === undefined ? undefined : kedaScaledObject(this, context, COMPONENT, this.statefulSet, autoscaling,
      (database) => ({ query: `SELECT COUNT(*) FROM ${database.triggerTable}`, perReplica: props.capacity }));
    this.podDisruptionBudget = disruptionBudget(this, context, COMPONENT, most);
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
