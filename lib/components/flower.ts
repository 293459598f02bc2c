import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { AirflowContext, PORTS } from '../context';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import type { PodOptions } from '../pod/pod-options';
import { renderResources } from '../pod/resources';
import { componentDeployment, componentService, componentServiceAccount, containerPort, servicePort } from './common';
import type { ApiObject } from 'cdk8s';
import { HttpExposure, routeLocation } from '../exposure/location';
import { addRoutes } from '../exposure/routes';

export interface FlowerProps extends HttpExposure {
  readonly context: AirflowContext;
  /** The broker and the basic-auth setting, beyond the common environment. */
  readonly env: k8s.EnvVar[];
  /** @default 'admin' */
  readonly username?: string;
  /** @default 50m/500m CPU, 128Mi/512Mi memory */
  readonly resources?: kplus.ContainerResources;
  /** @default - the library-wide `pods` only */
  readonly pod?: PodOptions;
}

const COMPONENT = 'flower';

/** Flower, the Celery monitoring UI, with basic auth whose password comes from a Secret. */
export class Flower extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: FlowerProps): Flower {
    return new Flower(scope, id, props);
  }

  public readonly serviceName: string;
  public readonly port: number = PORTS.flower;
  /** The basic-auth user name. */
  public readonly username: string;
  public readonly resources: k8s.ResourceRequirements;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** With `ingress`: named like the Service. */
  public readonly ingress?: k8s.KubeIngress;
  /** With `httpRoute`: the Gateway API HTTPRoute, named like the Service. */
  public readonly httpRoute?: ApiObject;

  private constructor(scope: Construct, id: string, props: FlowerProps) {
    super(scope, id);
    const context = props.context;
    this.username = props.username ?? DEFAULTS.flowerUsername;
    this.resources = renderResources(DEFAULT_RESOURCES.flower, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    const urlPrefix = routeLocation('flower', props)?.basePath ?? '';
    // Flower answers 401 without credentials, so probes check the socket rather than a page.
    const probe = (periodSeconds: number): k8s.Probe => ({
      tcpSocket: { port: k8s.IntOrString.fromString('flower') },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 5,
    });
    const pod = new AirflowPod(context, {
      pod: props.pod,
      component: COMPONENT,
      eviction: EvictionClass.SERVICE,
      // Under the routes' path: Flower prefixes every handler with `--url-prefix` (flower/app.py,
      // `rewrite_handler`), which `airflow celery flower` passes on (celery provider,
      // cli/celery_command.py `flower`). On the command line, so that a change rolls Flower alone.
      args: ['celery', 'flower', ...(urlPrefix === '' ? [] : [`--url-prefix=${urlPrefix}`])],
      env: props.env,
      ports: [containerPort('flower', PORTS.flower)],
      resources: this.resources,
      livenessProbe: probe(30),
      readinessProbe: probe(10),
    });
    this.deployment = componentDeployment(this, context, COMPONENT, 1, pod.template());
    this.service = componentService(this, context, COMPONENT, [servicePort('flower', PORTS.flower)]);
    this.serviceName = context.resourceName(COMPONENT);
    const routes = addRoutes(this, context, { component: COMPONENT, serviceName: this.serviceName, portName: 'flower', port: this.port }, props);
    this.ingress = routes.ingress;
    this.httpRoute = routes.httpRoute;
  }
}
