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

/** The objects of a UI server. */
export interface UiServerParts {
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;
  readonly serviceAccount: k8s.KubeServiceAccount;
}

/** The server behind the UI, whichever it is: what Ingresses and port-forwards point at. */
export interface IUiServer extends UiServerParts {
  /** The Service name, `<name>-api-server` or `<name>-webserver`. */
  readonly serviceName: string;
  readonly port: number;
}

/** What differs between the API server and the webserver. */
export interface UiServerFlavour {
  readonly component: string;
  readonly args: string[];
  readonly healthPath: string;
  /**
   * Mount a ServiceAccount token: the server reads the logs of running KubernetesExecutor task
   * pods through the Kubernetes API.
   */
  readonly kubernetesApiAccess?: boolean;
}

/** A Deployment serving HTTP on port 8080 with health probes, its Service and ServiceAccount. */
export function uiServer(scope: Construct, context: AirflowContext, flavour: UiServerFlavour, options: UiServerOptions): UiServerParts {
  const serviceAccount = componentServiceAccount(scope, context, flavour.component);
  const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
    httpGet: { path: flavour.healthPath, port: k8s.IntOrString.fromString('http') },
    periodSeconds,
    timeoutSeconds: 10,
    failureThreshold,
  });
  const deployment = airflowDeployment(scope, context, options.replicas ?? 1, {
    component: flavour.component,
    args: flavour.args,
    kubernetesApiAccess: flavour.kubernetesApiAccess,
    ports: [{ name: 'http', containerPort: PORTS.apiServer, protocol: 'TCP' }],
    resources: renderResources(resources(500, 2000, 1024, 2048), options.resources),
    // Up to 5 minutes for the first start (workers import providers), then quick checks.
    startupProbe: probe(10, 30),
    livenessProbe: probe(30, 5),
    readinessProbe: probe(10, 3),
  });
  const service = componentService(scope, context, flavour.component, [servicePort('http', PORTS.apiServer)]);
  return { deployment, service, serviceAccount };
}
