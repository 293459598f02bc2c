import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { jobCheckProbe } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentServiceAccount } from './common';

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
}

export interface DagProcessorProps extends DagProcessorOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'dag-processor';

/** Parses DAG files and writes serialized DAGs to the database (always separate on Airflow 3, optional on Airflow 2). */
export class DagProcessor extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: DagProcessorProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.deployment = airflowDeployment(this, context, props.replicas ?? 1, {
      component: COMPONENT,
      args: ['dag-processor'],
      needsDags: true,
      resources: renderResources(resources(250, 1000, 512, 1024), props.resources),
      startupProbe: jobCheckProbe('DagProcessorJob', 30, 10),
      livenessProbe: jobCheckProbe('DagProcessorJob', 60, 5),
    });
  }
}
