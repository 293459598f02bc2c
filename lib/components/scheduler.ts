import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { jobCheckProbe } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentServiceAccount } from './common';

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
}

const COMPONENT = 'scheduler';

/**
 * The scheduler. On Airflow 3 it reads serialized DAGs from the database, so it needs no DAG
 * files; with the Celery executor it sends tasks to the broker.
 */
export class Scheduler extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: SchedulerProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.deployment = airflowDeployment(this, context, props.replicas ?? 1, {
      component: COMPONENT,
      args: ['scheduler'],
      celery: true,
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
      startupProbe: jobCheckProbe('SchedulerJob', 30, 10),
      livenessProbe: jobCheckProbe('SchedulerJob', 60, 5),
    });
  }
}
