import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { airflowPodTemplate, jobCheckProbe } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, servicePort } from './common';

export interface TriggererOptions {
  /** @default 1 */
  readonly replicas?: number;
  /** @default 250m/1 CPU, 512Mi/1Gi memory */
  readonly resources?: kplus.ContainerResources;
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
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: TriggererProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.service = componentService(this, context, COMPONENT, [servicePort('triggerer-logs', PORTS.triggererLogs)], { headless: true });
    const template = airflowPodTemplate(context, {
      component: COMPONENT,
      args: ['triggerer'],
      // Triggers are imported from the DAG folder as well as from installed packages.
      needsDags: true,
      ports: [{ name: 'triggerer-logs', containerPort: PORTS.triggererLogs, protocol: 'TCP' }],
      // Ready once the log server listens: the UI reads live task logs from it.
      readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('triggerer-logs') }, periodSeconds: 10, timeoutSeconds: 5 },
      resources: renderResources(resources(250, 1000, 512, 1024), props.resources),
      startupProbe: jobCheckProbe('TriggererJob', 30, 10),
      livenessProbe: jobCheckProbe('TriggererJob', 60, 5),
    });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, props.replicas ?? 1, template, { podManagementPolicy: 'Parallel' });
  }
}
