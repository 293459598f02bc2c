import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { AirflowContext, PORTS } from '../context';
import { DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod, jobCheckProbe } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, containerPort, servicePort, tcpReadinessProbe } from './common';
import type { PodOptions } from '../pod/pod-options';
import { disruptionBudget, spreadReplicas } from './availability';

export interface TriggererOptions {
  /** @default 1 */
  readonly replicas?: number;
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

  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  /** With two replicas or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: TriggererProps) {
    super(scope, id);
    const context = props.context;
    this.replicas = props.replicas ?? DEFAULT_REPLICAS.triggerer;
    this.resources = renderResources(DEFAULT_RESOURCES.triggerer, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    this.service = componentService(this, context, COMPONENT, [servicePort('triggerer-logs', PORTS.triggererLogs)], { headless: true });
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      placement: spreadReplicas(context, COMPONENT, this.replicas),
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
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, this.replicas, this.pod.template(), { podManagementPolicy: 'Parallel' });
    this.podDisruptionBudget = disruptionBudget(this, context, COMPONENT, this.replicas);
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
