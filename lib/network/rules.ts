import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { PORTS } from '../context';
import { CELERY_BROKER_PODS } from '../executors/celery-broker';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, LABEL_RELEASE } from '../labels';
import { NetworkEgressRule, NetworkPeer, NetworkPolicyOptions, NetworkPort, NetworkProtocol } from './options';
import type { PodGroup, ServiceConnection } from './traffic';

/** The label the API server sets on every namespace to its name (Kubernetes 1.22 and later). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What the policies of one deployment are computed from, at synth. */
export interface TrafficFacts {
  readonly release: string;
  readonly isAirflow3: boolean;
  readonly groups: readonly PodGroup[];
  /** Services outside the output, from the configuration. */
  readonly connections: readonly ServiceConnection[];
  readonly options: NetworkPolicyOptions;
  /** The UI server's Service is a NodePort or LoadBalancer: its requests come from outside the cluster. */
  readonly uiReachedFromOutside: boolean;
  /** With KEDA scaling anything: the release's pods its operator counts work through (PgBouncer, the bundled PostgreSQL). */
  readonly autoscalerReaches?: { readonly component: string; readonly port: number };
}

/** A connection from pods of one group of the release to a port of another. */
export interface InternalEdge {
  readonly from: PodGroup;
  readonly to: PodGroup;
  readonly port: number;
  readonly protocol: NetworkProtocol;
}

/** A port a group may serve, and who inside the release connects to it. */
interface InternalService {
  readonly port: number;
  /** @default NetworkProtocol.TCP */
  readonly protocol?: NetworkProtocol;
  readonly clients: (client: PodGroup, facts: TrafficFacts) => boolean;
}

/**
 * Who inside the release connects to a port a group serves (a group serves the ports its main
 * container declares; a new component with a server adds its port here). Ports are fixed (`PORTS`): the
 * configuration, the Services and the probes agree on them, and so do these rules.
 * - PostgreSQL: every Airflow pod (the metadata database, and each pod's wait for migrations),
 *   and PgBouncer when it pools the connections (`databaseClient`).
 * - PgBouncer: every Airflow pod.
 * - Redis: the pods that get the broker URL (`CELERY_BROKER_PODS`: the scheduler, the Celery
 *   workers of every set, Flower). Not the UI server, on either line.
 * - The UI server, on Airflow 3: the pods that run tasks, which call its execution API
 *   (`[core] execution_api_server_url`). The DAG processor and the triggerer run the execution
 *   API in-process (`InProcessExecutionAPI`) and do not.
 * - Task log servers (Celery workers and a LocalExecutor scheduler on 8793, the triggerer on
 *   8794): the UI server, which fetches live logs from `http://<hostname>:<port>/log/`.
 * - The StatsD exporter's UDP port: every Airflow pod. (Prometheus scraping its metrics port comes
 *   from outside the release: `allowIngress`.)
 */
const INTERNAL_SERVICES: readonly InternalService[] = [
  { port: PORTS.postgresql, clients: (client) => client.airflow || client.databaseClient },
  { port: PORTS.pgbouncer, clients: (client) => client.airflow },
  { port: PORTS.redis, clients: (client) => client.airflow && CELERY_BROKER_PODS(client.component) },
  { port: PORTS.uiServer, clients: (client, facts) => facts.isAirflow3 && client.airflow && client.runsTasks },
  { port: PORTS.workerLogs, clients: (client) => client.airflow && serves(client, PORTS.uiServer) },
  { port: PORTS.triggererLogs, clients: (client) => client.airflow && serves(client, PORTS.uiServer) },
  // The StatsD exporter (`metrics: Metrics.statsdExporter()`): every Airflow process sends its datagrams.
  { port: PORTS.statsd, protocol: NetworkProtocol.UDP, clients: (client) => client.airflow },
];

/** The ports of the web UIs users reach (the UI server, Flower): `uiFrom`. */
const WEB_UI_PORTS: readonly number[] = [PORTS.uiServer, PORTS.flower];

/** KEDA's operator: the namespace its install creates (`autoscalerFrom`). */
const DEFAULT_AUTOSCALER_FROM: readonly NetworkPeer[] = [{ namespace: 'keda' }];

const DEFAULT_DNS: Required<NetworkEgressRule> = {
  to: [{ namespace: 'kube-system' }],
  ports: [{ port: 53, protocol: NetworkProtocol.UDP }, { port: 53, protocol: NetworkProtocol.TCP }],
};

/** Any address on the API server's usual ports: 443 (managed clusters, the Service) and 6443 (kubeadm's endpoints). */
const DEFAULT_KUBERNETES_API: NetworkEgressRule = {
  ports: [{ port: 443 }, { port: 6443 }],
};

/** Whether the group's main container declares the port. */
export function serves(group: PodGroup, port: number, protocol: NetworkProtocol = NetworkProtocol.TCP): boolean {
  return group.ports.some((p) => p.containerPort === port && (p.protocol ?? 'TCP') === protocol);
}

/** The labels that select a group's pods: its selector labels, or the release label for pods Airflow creates. */
export function groupSelector(release: string, group: PodGroup): Record<string, string> {
  return group.createdByAirflow
    ? { [LABEL_NAME]: 'airflow', [LABEL_COMPONENT]: group.component, [LABEL_RELEASE]: release }
    : { [LABEL_NAME]: 'airflow', [LABEL_INSTANCE]: release, [LABEL_COMPONENT]: group.component };
}

/**
 * The labels of every pod of the output (not the pods Airflow creates): the default deny. Only
 * labels the pod options cannot change (`app.kubernetes.io/part-of` can be overridden by
 * `podLabels`, these two are refused there).
 */
export function releaseSelector(release: string): Record<string, string> {
  return { [LABEL_NAME]: 'airflow', [LABEL_INSTANCE]: release };
}

/** Every connection between the release's own pods. */
export function internalEdges(facts: TrafficFacts): InternalEdge[] {
  const edges: InternalEdge[] = [];
  for (const to of facts.groups) {
    for (const service of INTERNAL_SERVICES) {
      const protocol = service.protocol ?? NetworkProtocol.TCP;
      if (!serves(to, service.port, protocol)) {
        continue;
      }
      for (const from of facts.groups) {
        if (from !== to && service.clients(from, facts)) {
          edges.push({ from, to, port: service.port, protocol });
        }
      }
    }
  }
  return edges;
}

/** A group's NetworkPolicy: the connections its pods may accept and open, nothing else. */
export function groupPolicySpec(facts: TrafficFacts, group: PodGroup): k8s.NetworkPolicySpec {
  const edges = internalEdges(facts);
  const options = facts.options;
  const ingress: k8s.NetworkPolicyIngressRule[] = [];
  const egress: k8s.NetworkPolicyEgressRule[] = [];

  // Ingress: from the release's pods, port by port; the web UIs from `uiFrom`; `allowIngress`.
  for (const [p, from] of byPort(edges.filter((e) => e.to === group), (e) => e.from)) {
    ingress.push({ from: from.map((g) => selectorPeer(facts.release, g)), ports: [port(p)] });
  }
  for (const port of WEB_UI_PORTS.filter((p) => serves(group, p))) {
    const rule = webUiRule(facts, port);
    if (rule !== undefined) {
      ingress.push(rule);
    }
  }
  const autoscaler = facts.autoscalerReaches;
  if (autoscaler !== undefined && autoscaler.component === group.component && serves(group, autoscaler.port)) {
    const from = options.autoscalerFrom ?? DEFAULT_AUTOSCALER_FROM;
    if (from.length > 0) {
      ingress.push({ from: from.map((p) => peer(p)), ports: [tcp(autoscaler.port)] });
    }
  }
  for (const rule of options.allowIngress ?? []) {
    ingress.push({ from: rule.from?.map((p) => peer(p)), ports: rule.ports?.map(port) });
  }

  // Egress: DNS; the release's pods, port by port; the Kubernetes API for token holders; the
  // external services of the configuration; `allowEgress`; and anywhere for DAG code.
  const dns = options.dns ?? {};
  egress.push(egressRule({ to: dns.to ?? DEFAULT_DNS.to, ports: dns.ports ?? DEFAULT_DNS.ports }));
  for (const [p, to] of byPort(edges.filter((e) => e.from === group), (e) => e.to)) {
    egress.push({ to: to.map((g) => selectorPeer(facts.release, g)), ports: [port(p)] });
  }
  if (group.holdsToken()) {
    const api = options.kubernetesApi ?? {};
    egress.push(egressRule({ to: api.to ?? DEFAULT_KUBERNETES_API.to, ports: api.ports ?? DEFAULT_KUBERNETES_API.ports }));
  }
  const servicePorts = [...new Set(serviceConnections(facts, group).map((c) => c.port))].sort((a, b) => a - b);
  if (servicePorts.length > 0) {
    // By port only: the services are named by host names, which a NetworkPolicy cannot select.
    egress.push({ ports: servicePorts.map(tcp) });
  }
  for (const rule of options.allowEgress ?? []) {
    egress.push(egressRule(rule));
  }
  if (group.runsDagCode && (options.dagCodeEgress ?? true)) {
    egress.push({});
  }

  return {
    podSelector: { matchLabels: groupSelector(facts.release, group) },
    policyTypes: ['Ingress', 'Egress'],
    ingress: ingress.length > 0 ? ingress : undefined,
    egress,
  };
}

/** The default deny: every pod of the output, no connection in or out but what other policies allow. */
export function defaultDenySpec(release: string): k8s.NetworkPolicySpec {
  return { podSelector: { matchLabels: releaseSelector(release) }, policyTypes: ['Ingress', 'Egress'] };
}

/** The external services a group's pods connect to, with their ports (known, or from `servicePorts`). */
export function serviceConnections(facts: TrafficFacts, group: PodGroup): Array<{ service: string; port: number }> {
  if (!group.airflow && !group.databaseClient) {
    return [];
  }
  const given: { readonly [service: string]: number | undefined } = { ...facts.options.servicePorts };
  const found: Array<{ service: string; port: number }> = [];
  for (const connection of facts.connections.filter((c) => c.clients(group.component))) {
    const port = connection.port ?? given[connection.service];
    if (port !== undefined) {
      found.push({ service: connection.service, port });
    }
  }
  return found;
}

/** `uiFrom` on a web UI's port: undefined when the list is empty (no one). */
function webUiRule(facts: TrafficFacts, uiPort: number): k8s.NetworkPolicyIngressRule | undefined {
  const uiFrom = facts.options.uiFrom;
  if (uiFrom !== undefined) {
    return uiFrom.length === 0 ? undefined : { from: uiFrom.map((p) => peer(p)), ports: [tcp(uiPort)] };
  }
  // A NodePort or LoadBalancer Service delivers requests from outside the cluster (from the
  // client's or a node's address): only "any address" lets them in.
  if (uiPort === PORTS.uiServer && facts.uiReachedFromOutside) {
    return { ports: [tcp(uiPort)] };
  }
  return { from: [peer({ namespaceLabels: {} })], ports: [tcp(uiPort)] };
}

/** Groups the edges by port and protocol (in the order of first appearance), each with its distinct peers. */
function byPort(edges: InternalEdge[], other: (e: InternalEdge) => PodGroup): Array<[NetworkPort, PodGroup[]]> {
  const ports = new Map<string, [NetworkPort, PodGroup[]]>();
  for (const edge of edges) {
    const key = `${edge.port}/${edge.protocol}`;
    const [, list] = ports.get(key) ?? [{ port: edge.port, protocol: edge.protocol }, []];
    if (!list.includes(other(edge))) {
      list.push(other(edge));
    }
    ports.set(key, [{ port: edge.port, protocol: edge.protocol }, list]);
  }
  return [...ports.values()];
}

function selectorPeer(release: string, group: PodGroup): k8s.NetworkPolicyPeer {
  return { podSelector: { matchLabels: groupSelector(release, group) } };
}

function egressRule(rule: NetworkEgressRule): k8s.NetworkPolicyEgressRule {
  return { to: rule.to?.map((p) => peer(p)), ports: rule.ports?.map(port) };
}

/**
 * A peer as Kubernetes writes it. A namespace peer also has `podSelector: {}`: the same pods by
 * the API's rules, and the form OVN-Kubernetes needs to include host-network pods (an Ingress
 * controller on the host network, OpenShift's router).
 */
export function peer(p: NetworkPeer): k8s.NetworkPolicyPeer {
  if (p.cidr !== undefined) {
    return { ipBlock: { cidr: p.cidr, except: p.except?.length ? [...p.except] : undefined } };
  }
  const namespaceLabels = { ...(p.namespaceLabels ?? {}), ...(p.namespace !== undefined ? { [NAMESPACE_NAME_LABEL]: p.namespace } : {}) };
  const selectsNamespaces = p.namespace !== undefined || p.namespaceLabels !== undefined;
  return {
    namespaceSelector: selectsNamespaces ? labelSelector(namespaceLabels) : undefined,
    podSelector: p.podLabels !== undefined || selectsNamespaces ? labelSelector(p.podLabels ?? {}) : undefined,
  };
}

function labelSelector(labels: Record<string, string>): k8s.LabelSelector {
  return Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

function port(p: NetworkPort): k8s.NetworkPolicyPort {
  return { port: k8s.IntOrString.fromNumber(p.port), endPort: p.endPort, protocol: p.protocol ?? NetworkProtocol.TCP };
}

function tcp(n: number): k8s.NetworkPolicyPort {
  return port({ port: n });
}
