/**
 * How users reach a web UI of the deployment (Airflow's UI server, Flower) from outside the
 * cluster: the Service's type and annotations, an Ingress, a Gateway API HTTPRoute.
 */

/** The `spec.type` of a Service that users reach. */
export enum ServiceType {
  /** Reachable inside the cluster only (through an Ingress, an HTTPRoute or a port-forward). */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a load balancer of the cloud provider (its annotations choose an internal one). */
  LOAD_BALANCER = 'LoadBalancer',
}

/** The Service in front of the UI server. */
export interface UiServiceOptions {
  /** @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
  /**
   * Annotations of the Service, e.g. for an internal load balancer
   * (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal`,
   * `networking.gke.io/load-balancer-type: Internal`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * An Ingress (`networking.k8s.io/v1`) in front of a UI: one rule per host, one `Prefix` path to
 * the component's Service port. Airflow's base URL follows from the first host and the path.
 */
export interface IngressOptions {
  /**
   * The host names users reach the UI at. The first one is the host of the base URL Airflow
   * writes into links (`[api] base_url`, `[webserver] base_url` on Airflow 2).
   */
  readonly hosts: string[];
  /**
   * The URL path the UI is served under: `/`, or a sub-path such as `/airflow`, which the
   * component is then configured to serve under as well (the Ingress forwards the path as it is).
   * @default '/'
   */
  readonly path?: string;
  /**
   * `spec.ingressClassName`: the Ingress controller that serves it.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * A Secret of type `kubernetes.io/tls` in the release's namespace with a certificate for every
   * host (yours, or one cert-manager issues from the annotations); the Ingress controller
   * terminates TLS with it.
   * @default - no TLS on the Ingress
   */
  readonly tlsSecretName?: string;
  /**
   * Whether users reach the UI over HTTPS, for the scheme of the base URL. Set it when a load
   * balancer in front of the Ingress controller terminates TLS without a Secret here.
   * @default - true with `tlsSecretName`, false without
   */
  readonly https?: boolean;
  /**
   * Annotations of the Ingress, read by its controller (`cert-manager.io/cluster-issuer`,
   * `nginx.ingress.kubernetes.io/proxy-body-size`, ...).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** A Gateway (Gateway API) that an HTTPRoute attaches to: an entry of `spec.parentRefs`. */
export interface GatewayParentReference {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace; a Gateway in another namespace must allow routes from the release's.
   * @default - the release's namespace
   */
  readonly namespace?: string;
  /**
   * One listener of the Gateway, by name.
   * @default - every listener of the Gateway that accepts the route
   */
  readonly sectionName?: string;
}

/**
 * A Gateway API HTTPRoute (`gateway.networking.k8s.io/v1`) in front of a UI, attached to a Gateway
 * that the cluster owns: the alternative to an Ingress. One rule: the `PathPrefix` path to the
 * component's Service port. Airflow's base URL follows from the first host name and the path.
 */
export interface HttpRouteOptions {
  /** The Gateways (and listeners) that serve the route. */
  readonly parentRefs: GatewayParentReference[];
  /** The host names users reach the UI at; the first one is the host of the base URL. */
  readonly hostnames: string[];
  /**
   * The URL path the UI is served under: `/`, or a sub-path such as `/airflow`, which the
   * component is then configured to serve under as well (the route forwards the path as it is).
   * @default '/'
   */
  readonly path?: string;
  /**
   * Whether users reach the UI over HTTPS (the Gateway's listener terminates TLS), for the
   * scheme of the base URL.
   * @default true
   */
  readonly https?: boolean;
  /**
   * Annotations of the HTTPRoute.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
