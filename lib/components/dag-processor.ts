import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { AirflowContext } from '../context';
import { DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod, jobCheckProbe } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { componentDeployment, componentServiceAccount } from './common';
import type { PodOptions } from '../pod/pod-options';
import { disruptionBudget, spreadReplicas } from './availability';

export interface DagProcessorOptions {
  /**
   * Run DAG parsing in its own Deployment. Always so on Airflow 3; on Airflow 2 it is optional
   * (`[scheduler] standalone_dag_processor`), and without it the scheduler parses DAG files itself.
   * @default - true on Airflow 3, false on Airflow 2
   */
  readonly enabled?: boolean;
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

export interface DagProcessorProps extends DagProcessorOptions {
  readonly context: AirflowContext;
  /** Parse only this DAG bundle (`--bundle-name`), as `<name>-dag-processor-<bundle>`. */
  readonly bundleName?: string;
  /** Variables of DAG code's environment it goes without: the other bundles' Git connections. */
  readonly withoutEnv?: readonly string[];
}

const DAG_PROCESSOR = 'dag-processor';

/** Parses DAG files and writes serialized DAGs to the database (always separate on Airflow 3, optional on Airflow 2). */
export class DagProcessor extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: DagProcessorProps): DagProcessor {
    return new DagProcessor(scope, id, props);
  }

  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  public readonly deployment: k8s.KubeDeployment;
  /** With two replicas or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: DagProcessorProps) {
    super(scope, id);
    const context = props.context;
    const COMPONENT = props.bundleName === undefined ? DAG_PROCESSOR : `${DAG_PROCESSOR}-${props.bundleName}`;
    this.replicas = props.replicas ?? DEFAULT_REPLICAS.dagProcessor;
    this.resources = renderResources(DEFAULT_RESOURCES.dagProcessor, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    const pod = new AirflowPod(context, {
      pod: props.pod,
      placement: spreadReplicas(context, COMPONENT, this.replicas),
      component: COMPONENT,
      // `airflow dag-processor --bundle-name` (airflow-core cli/cli_config.py, ARG_BUNDLE_NAME).
      args: props.bundleName === undefined ? ['dag-processor'] : ['dag-processor', '--bundle-name', props.bundleName],
      needsDags: true,
      withoutEnv: props.withoutEnv,
      logGroomer: true,
      eviction: EvictionClass.SERVICE,
      resources: this.resources,
      startupProbe: jobCheckProbe('DagProcessorJob', 30, 10),
      livenessProbe: jobCheckProbe('DagProcessorJob', 60, 5),
    });
    this.deployment = componentDeployment(this, context, COMPONENT, this.replicas, pod.template());
    this.podDisruptionBudget = disruptionBudget(this, context, COMPONENT, this.replicas);
  }
}
