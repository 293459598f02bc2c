import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import { AirflowContext, PORTS } from '../context';
import { AUTOSCALING_DEFAULTS, DEFAULT_REPLICAS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { componentDeployment, componentService, componentServiceAccount, containerPort, servicePort } from './common';
import type { PodOptions } from '../pod/pod-options';
import type { ApiObject } from 'cdk8s';
import type { HttpRouteOptions, IngressOptions, UiServiceOptions } from '../exposure/options';
import { addRoutes } from '../exposure/routes';
import { disruptionBudget, spreadReplicas } from './availability';
import { UiServerAutoscalingOptions, horizontalPodAutoscaler, mostReplicas } from './autoscaling';

/** Options of the server behind Airflow's UI: the API server (Airflow 3) or the webserver (Airflow 2). */
export interface UiServerOptions {
  /** @default 1 */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler on CPU use instead of a fixed `replicas`: the Deployment then
   * leaves its replicas to the HPA (a count in the output would fight it at every sync).
   * @default - none: `replicas` pods
   */
  readonly autoscaling?: UiServerAutoscalingOptions;
  /** @default 250m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
  /**
   * The Service's type and annotations (a LoadBalancer, an internal one).
   * @default - a ClusterIP Service without annotations
   */
  readonly service?: UiServiceOptions;
  /**
   * An Ingress to the UI. Airflow's base URL (`[api] base_url`, `[webserver] base_url` on
   * Airflow 2) follows from its first host and its path; a sub-path moves the UI, the probes
   * and, on Airflow 3, the execution API URL the workers call under it.
   * @default - no Ingress
   */
  readonly ingress?: IngressOptions;
  /**
   * A Gateway API HTTPRoute to the UI, attached to Gateways the cluster owns: the alternative to
   * `ingress` (with both, they must serve the same path; the base URL follows the Ingress).
   * @default - no HTTPRoute
   */
  readonly httpRoute?: HttpRouteOptions;
  /**
   * The proxies whose `X-Forwarded-For`/`-Proto` headers the server trusts, as IP addresses or
   * networks (`10.0.0.0/8`), or `['*']` for any. Behind a proxy that terminates TLS, a server
   * that ignores them sees `http` and builds `http://` redirects and OAuth callback URLs.
   * Airflow 3: `airflow api-server --proxy-headers` with uvicorn's `FORWARDED_ALLOW_IPS`.
   * Airflow 2: `[webserver] enable_proxy_fix` (werkzeug's ProxyFix trusts the last hop and has no
   * address list, so only `['*']` or `[]`). Narrow it to your ingress controller's pod network
   * where clients inside the cluster can reach the Service directly.
   * @default - `['*']` with `ingress` or `httpRoute`, else `[]` (forwarded headers ignored)
   */
  readonly trustedProxies?: string[];
}

export interface UiServerProps extends UiServerOptions {
  readonly context: AirflowContext;
  /** The path the server serves under (`[api] base_url`'s), e.g. `/airflow`; its probes too. */
  readonly basePath?: string;
  /** `trustedProxies` resolved: the addresses the server takes forwarded headers from. */
  readonly forwardedAllowIps?: readonly string[];
}

/** What differs between the two Airflow lines' UI servers. */
const FLAVOURS = {
  apiServer: { component: 'api-server', args: ['api-server'], healthPath: '/api/v2/monitor/health' },
  webserver: { component: 'webserver', args: ['webserver'], healthPath: '/health' },
} as const;

/**
 * How Airflow 3's API server takes forwarded headers: uvicorn's proxy-headers middleware is on only
 * with `--proxy-headers` (airflow-core/src/airflow/cli/cli_config.py `ARG_API_SERVER_ALLOW_PROXY_FORWARDING`,
 * passed as `proxy_headers` in cli/commands/api_server_command.py), and then trusts the addresses
 * in `FORWARDED_ALLOW_IPS`, else 127.0.0.1 only (uvicorn/config.py `Config.__init__`). Airflow 2's
 * webserver does it through `[webserver] enable_proxy_fix` (config/core-options.ts).
 */
function forwardedHeaders(context: AirflowContext, trusted: readonly string[]): { args: string[]; env: k8s.EnvVar[] } {
  if (!context.version.isAirflow3 || trusted.length === 0) {
    return { args: [], env: [] };
  }
  return { args: ['--proxy-headers'], env: [{ name: 'FORWARDED_ALLOW_IPS', value: trusted.join(',') }] };
}

/**
 * The server behind the UI: Airflow 3's API server (`airflow api-server`: UI, REST API and the
 * execution API the workers call) or Airflow 2's webserver (`airflow webserver`). A Deployment
 * serving HTTP on port 8080 with health probes, its Service and its ServiceAccount: what Ingresses
 * and port-forwards point at.
 */
export class UiServer extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: UiServerProps): UiServer {
    return new UiServer(scope, id, props);
  }

  /** The Service name, `<name>-api-server` or `<name>-webserver`. */
  public readonly serviceName: string;
  /** The HTTP port of the Service and the container. */
  public readonly port: number = PORTS.uiServer;
  /** The replicas; with `autoscaling`, the fewest the HPA keeps. */
  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  /** With two replicas or more, or an HPA that may run two or more (and `podDisruptionBudgets`): evictions take one pod at a time. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** With `autoscaling`: the HPA (`autoscaling/v2`) of the Deployment, named like it. */
  public readonly horizontalPodAutoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** With `ingress`: named like the Service. */
  public readonly ingress?: k8s.KubeIngress;
  /** With `httpRoute`: the Gateway API HTTPRoute, named like the Service. */
  public readonly httpRoute?: ApiObject;
  private readonly pod: AirflowPod;

  private constructor(scope: Construct, id: string, props: UiServerProps) {
    super(scope, id);
    const context = props.context;
    const flavour = context.version.isAirflow3 ? FLAVOURS.apiServer : FLAVOURS.webserver;
    const autoscaling = props.autoscaling;
    this.replicas = autoscaling === undefined ? props.replicas ?? DEFAULT_REPLICAS.uiServer : autoscaling.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas;
    // Budgets and spread are for the most pods the component may run.
    const most = mostReplicas(this.replicas, autoscaling);
    this.resources = renderResources(DEFAULT_RESOURCES.uiServer, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, flavour.component, props.pod);
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      // Under the base URL's path, where an Ingress sends requests and the server answers. Airflow 3:
      // a FastAPI app with `root_path` = that path (airflow-core/src/airflow/api_fastapi/app.py
      // L44-47 and L84), whose routes Starlette matches after taking `root_path` off the request
      // path (starlette/_utils.py `get_route_path`). Airflow 2: the Flask app is mounted under the
      // path alone, and anything else answers 404 "Apache Airflow is not at this location"
      // (airflow/www/extensions/init_wsgi_middlewares.py, `init_wsgi_middleware`).
      httpGet: { path: `${props.basePath ?? ''}${flavour.healthPath}`, port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 10,
      failureThreshold,
    });
    const proxyHeaders = forwardedHeaders(context, props.forwardedAllowIps ?? []);
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      placement: spreadReplicas(context, flavour.component, most),
      component: flavour.component,
      args: [...flavour.args, ...proxyHeaders.args],
      env: proxyHeaders.env,
      eviction: EvictionClass.SERVICE,
      ports: [containerPort('http', PORTS.uiServer)],
      resources: this.resources,
      // Up to 5 minutes for the first start (workers import providers), then quick checks.
      startupProbe: probe(10, 30),
      livenessProbe: probe(30, 5),
      readinessProbe: probe(10, 3),
    });
    // With an HPA the Deployment leaves spec.replicas out: the HPA owns it.
    this.deployment = componentDeployment(this, context, flavour.component, autoscaling === undefined ? this.replicas : undefined, this.pod.template());
    this.horizontalPodAutoscaler = autoscaling === undefined ? undefined : horizontalPodAutoscaler(this, context, flavour.component, this.deployment, autoscaling);
    this.podDisruptionBudget = disruptionBudget(this, context, flavour.component, most);
    this.service = componentService(this, context, flavour.component, [servicePort('http', PORTS.uiServer)], props.service);
    this.serviceName = context.resourceName(flavour.component);
    const routes = addRoutes(this, context, { component: flavour.component, serviceName: this.serviceName, portName: 'http', port: this.port }, props);
    this.ingress = routes.ingress;
    this.httpRoute = routes.httpRoute;
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }
}
