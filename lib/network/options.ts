/**
 * The options of the NetworkPolicies (`networkPolicies` of the props): who may reach the web UIs,
 * where DNS and the Kubernetes API are, what the pods that run DAG code may reach, and the
 * traffic the library cannot know about.
 */

/** The transport protocol of a port in a NetworkPolicy. */
export enum NetworkProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** A port, or a range of ports, of a NetworkPolicy rule. */
export interface NetworkPort {
  /** The port number. */
  readonly port: number;
  /**
   * The last port of a range that starts at `port`.
   * @default - the one port
   */
  readonly endPort?: number;
  /** @default NetworkProtocol.TCP */
  readonly protocol?: NetworkProtocol;
}

/**
 * Pods or addresses on the other end of a connection: either pods (by namespace and labels) or an
 * address range (`cidr`), as a Kubernetes NetworkPolicy peer. `namespace` and `namespaceLabels`
 * select namespaces (both: namespaces with that name and those labels); `podLabels` then selects
 * pods in them, or in the release's namespace when neither is given.
 * `{ namespaceLabels: {} }` is any pod in any namespace.
 */
export interface NetworkPeer {
  /**
   * Pods of the namespace of this name (its `kubernetes.io/metadata.name` label, which the API
   * server sets on every namespace).
   * @default - any namespace that `namespaceLabels` selects; the release's namespace without either
   */
  readonly namespace?: string;
  /**
   * Pods of the namespaces with these labels; `{}` is every namespace.
   * @default - the namespace that `namespace` names; the release's namespace without either
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Only the pods with these labels.
   * @default - every pod of the namespaces selected
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * An address range in CIDR notation, e.g. `10.0.0.0/16` or `2001:db8::/64`: load balancers,
   * nodes, servers outside the cluster. Not with the other fields.
   * @default - pods, not addresses
   */
  readonly cidr?: string;
  /**
   * Ranges inside `cidr` to leave out.
   * @default - none
   */
  readonly except?: string[];
}

/** Connections the pods may open: to these peers, on these ports. */
export interface NetworkEgressRule {
  /**
   * Where to.
   * @default - any address
   */
  readonly to?: NetworkPeer[];
  /**
   * On which ports.
   * @default - every port
   */
  readonly ports?: NetworkPort[];
}

/** Connections the pods may accept: from these peers, on these ports. */
export interface NetworkIngressRule {
  /**
   * From where.
   * @default - any address
   */
  readonly from?: NetworkPeer[];
  /**
   * On which ports.
   * @default - every port
   */
  readonly ports?: NetworkPort[];
}

/**
 * The TCP ports of services whose address is in a Secret, which the library cannot read. The pods
 * that connect to one may open connections to any address on its port.
 */
export interface NetworkServicePorts {
  /**
   * The metadata database of `MetadataDatabase.fromSecret` (every Airflow pod connects to it),
   * e.g. 5432 for PostgreSQL, 3306 for MySQL.
   * @default - required with `MetadataDatabase.fromSecret`, refused otherwise
   */
  readonly database?: number;
  /**
   * The broker of `CeleryBroker.fromSecret` (the scheduler, the Celery workers and Flower connect
   * to it), e.g. 6379 for Redis, 5672 for RabbitMQ.
   * @default - required with `CeleryBroker.fromSecret`, refused otherwise
   */
  readonly broker?: number;
  /**
   * The result backend of `CeleryResultBackend.fromSecret` (the scheduler, the Celery workers
   * and Flower).
   * @default - required with `CeleryResultBackend.fromSecret`, refused otherwise
   */
  readonly resultBackend?: number;
  /**
   * The secrets backend of `secretsBackend` (every Airflow pod asks it), e.g. 8200 for Vault,
   * 443 for a cloud's secret manager.
   * @default - required with a `secretsBackend` other than the local filesystem one, refused otherwise
   */
  readonly secretsBackend?: number;
  /**
   * The Elasticsearch host of `TaskLogs.remote({ hostSecret })` (every Airflow pod writes or reads
   * task logs), e.g. 9200, or 443 behind a TLS endpoint.
   * @default - required with `hostSecret`, refused otherwise
   */
  readonly remoteLogs?: number;
}

/**
 * NetworkPolicies for the release's pods: each pod may accept and open exactly the connections
 * Airflow makes between its components, plus DNS, the Kubernetes API for pods that hold a token,
 * the external services of the props, and what these options add; everything else is denied.
 * KubernetesPodOperator pods are not the release's: no policy here selects them.
 */
export interface NetworkPolicyOptions {
  /**
   * Write the NetworkPolicies. They take effect only where the cluster's network plugin enforces
   * them (Calico, Cilium, Antrea, OVN-Kubernetes, ...).
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * Who may connect to the web UIs (the UI server's port 8080 and Flower's 5555): the pods of
   * the Ingress controller or the Gateway, a load balancer's addresses. An empty list lets no
   * one in (`kubectl port-forward` still works: it does not pass the pod network).
   * @default - any pod in any namespace; any address when the UI server's Service is a NodePort or LoadBalancer
   */
  readonly uiFrom?: NetworkPeer[];
  /**
   * Where KEDA's operator runs, when KEDA scales workers or the triggerer: it counts their work in
   * the metadata database, and the pods it connects to (PgBouncer when it is on, else the bundled
   * PostgreSQL) let it in on their port. An external server is outside the release's policies.
   * @default - pods of the namespace keda, where KEDA's install puts its operator
   */
  readonly autoscalerFrom?: NetworkPeer[];
  /**
   * Pods that parse or run DAG code (the DAG processor, the triggerer, the Celery workers,
   * KubernetesExecutor task pods, a LocalExecutor scheduler and Airflow 2's scheduler) may open
   * connections to any address: tasks and triggers reach warehouses, object stores and APIs, and
   * git-sync the Git server, which the library cannot know. With false they get what every pod
   * gets, and `allowEgress`.
   * @default true
   */
  readonly dagCodeEgress?: boolean;
  /**
   * Where the cluster's DNS is, which every pod asks. Each field replaces its default: with
   * NodeLocal DNSCache add its address (`{ cidr: '169.254.20.10/32' }`); on OpenShift DNS is in
   * `openshift-dns` on port 5353.
   * @default - pods of the namespace kube-system, port 53 UDP and TCP
   */
  readonly dns?: NetworkEgressRule;
  /**
   * Where the Kubernetes API server is, for the pods that hold a ServiceAccount token (the
   * scheduler of a KubernetesExecutor, task runners with KubernetesPodOperator, the triggerer
   * following those pods, the UI server reading task pods' logs, the cleanup CronJob). Its
   * address is the cluster's: give the addresses of the `kubernetes` Service's endpoints to
   * narrow it. Each field replaces its default.
   * @default - any address, ports 443 and 6443 TCP
   */
  readonly kubernetesApi?: NetworkEgressRule;
  /**
   * The ports of services whose address is in a Secret (a database or Celery URL, the secrets
   * backend's arguments): required for each of them.
   * @default - none
   */
  readonly servicePorts?: NetworkServicePorts;
  /**
   * More connections every pod of the release may open (an OAuth provider for the UI server,
   * remote logging, a cloud's metadata server, StatsD, SMTP).
   * @default - none
   */
  readonly allowEgress?: NetworkEgressRule[];
  /**
   * More connections every pod of the release may accept (Prometheus scraping git-sync's port
   * 8000, an autoscaler reading the database).
   * @default - none
   */
  readonly allowIngress?: NetworkIngressRule[];
}
