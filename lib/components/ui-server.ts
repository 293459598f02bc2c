import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentService, componentServiceAccount, servicePort } from './common';

/** Options of the server behind Airflow's UI: the API server (Airflow 3) or the webserver (Airflow 2). */
export interface UiServerOptions {
  /** @default 1 */
  readonly replicas?: number;
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
}

export interface UiServerProps extends UiServerOptions {
  readonly context: AirflowContext;
  /**
   * Mount a ServiceAccount token: with a KubernetesExecutor the server reads the logs of running
   * task pods through the Kubernetes API.
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
}

/** What differs between the API server and the webserver. */
interface UiServerFlavour {
  readonly component: string;
  readonly args: string[];
  readonly healthPath: string;
}

/**
 * The server behind the UI, whichever Airflow line it is: a Deployment serving HTTP on port 8080
 * with health probes, its Service and its ServiceAccount. What Ingresses and port-forwards point at.
 */
export abstract class UiServer extends Construct {
  /** The Service name, `<name>-api-server` or `<name>-webserver`. */
  public readonly serviceName: string;
  public readonly port = PORTS.apiServer;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  protected constructor(scope: Construct, id: string, props: UiServerProps, flavour: UiServerFlavour) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, flavour.component);
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: flavour.healthPath, port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 10,
      failureThreshold,
    });
    this.deployment = airflowDeployment(this, context, props.replicas ?? 1, {
      component: flavour.component,
      args: flavour.args,
      kubernetesApiAccess: props.kubernetesApiAccess,
      ports: [{ name: 'http', containerPort: PORTS.apiServer, protocol: 'TCP' }],
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
      // Up to 5 minutes for the first start (workers import providers), then quick checks.
      startupProbe: probe(10, 30),
      livenessProbe: probe(30, 5),
      readinessProbe: probe(10, 3),
    });
    this.service = componentService(this, context, flavour.component, [servicePort('http', PORTS.apiServer)]);
    this.serviceName = context.resourceName(flavour.component);
  }
}
