import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentService, componentServiceAccount, servicePort } from './common';

export interface ApiServerOptions {
  /** @default 1 */
  readonly replicas?: number;
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
}

export interface ApiServerProps extends ApiServerOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'api-server';
const HEALTH_PATH = '/api/v2/monitor/health';

/** Airflow 3's API server: the UI, the REST API and the execution API the workers call. */
export class ApiServer extends Construct {
  public readonly serviceName: string;
  public readonly port = PORTS.apiServer;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: ApiServerProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: HEALTH_PATH, port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 10,
      failureThreshold,
    });
    this.deployment = airflowDeployment(this, context, props.replicas ?? 1, {
      component: COMPONENT,
      args: ['api-server'],
      ports: [{ name: 'http', containerPort: PORTS.apiServer, protocol: 'TCP' }],
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
      // Up to 5 minutes for the first start (workers import providers), then quick checks.
      startupProbe: probe(10, 30),
      livenessProbe: probe(30, 5),
      readinessProbe: probe(10, 3),
    });
    this.service = componentService(this, context, COMPONENT, [servicePort('http', PORTS.apiServer)]);
    this.serviceName = context.resourceName(COMPONENT);
  }
}
