// NetworkPolicies: off by default; when on, a default deny for the output's pods and one policy
// per component that lets through exactly the connections Airflow makes. Checked on the output:
// every selector selects pods that exist, and a small evaluator of the NetworkPolicy rules (as
// the API documents them) answers which connections pass, for every executor on both lines.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import {
  AirflowProps, CeleryBroker, DagSource, Executor, MetadataDatabase, Metrics, NetworkPolicyOptions, NetworkProtocol, SecretKey, ServiceType,
} from '../lib';
import { formatSchemaProblem, validateManifests } from '../lib/schema/validate-manifests';
import { diffReleases, selectorsOverlap } from './upgrade-diff';
import { Manifest, airflowIn, ofKind, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, synthExample, synthReference, workloads } from './helpers';

const NAMESPACE = 'airflow';
const ON: NetworkPolicyOptions = { enabled: true };
/** Policies as tight as they go: the UIs from the Ingress controller only, DAG code kept to the rules. */
const TIGHT: NetworkPolicyOptions = { enabled: true, uiFrom: [{ namespace: 'ingress-nginx' }], dagCodeEgress: false };

/** A pod of the output: a workload's template, or the KubernetesExecutor's task pod. */
interface OutputPod {
  readonly component: string;
  readonly labels: Record<string, string>;
}

function outputPods(manifests: Manifest[]): OutputPod[] {
  const pods = workloads(manifests).map((w) => {
    const labels = podTemplate(w).metadata.labels as Record<string, string>;
    return { component: labels['app.kubernetes.io/component'], labels };
  });
  if (manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name === 'airflow-pod-template')) {
    const labels = podTemplateFile(manifests).metadata.labels as Record<string, string>;
    pods.push({ component: labels['app.kubernetes.io/component'], labels });
  }
  return pods;
}

const matches = (selector: Manifest | undefined, labels: Record<string, string>): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && (selector?.matchExpressions ?? []).length === 0;

// ---------------------------------------------------------------------------------------------
// An evaluator of NetworkPolicies (networking.k8s.io/v1, as kubernetes.io documents them): a
// connection passes when the source's egress and the destination's ingress both allow it; a pod
// no policy of a direction selects is not isolated in that direction; a rule without `to`/`from`
// matches every peer, without `ports` every port; policies add up.

/** One end of a connection: a pod (of the release's namespace or another) or an address outside. */
type Endpoint = { readonly pod: Record<string, string>; readonly namespace: string } | { readonly ip: string };

const pod = (labels: Record<string, string>, namespace = NAMESPACE): Endpoint => ({ pod: labels, namespace });
const INTERNET: Endpoint = { ip: '203.0.113.7' };
const KUBE_DNS = pod({ 'k8s-app': 'kube-dns' }, 'kube-system');
const INGRESS_CONTROLLER = pod({ 'app.kubernetes.io/name': 'ingress-nginx' }, 'ingress-nginx');
const OTHER_NAMESPACE_POD = pod({ app: 'something' }, 'team-b');
/** A KubernetesPodOperator pod: the operator's labels, none of the release's. */
const KPO_POD = pod({ dag_id: 'etl', task_id: 'extract', kubernetes_pod_operator: 'True', airflow_kpo_in_cluster: 'True' });

function ipInCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, p) => n * 256 + Number(p), 0);
  const [base, prefix] = cidr.split('/');
  if (!ip.includes('.') || !base.includes('.')) {
    return false;
  }
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

function peerMatches(peer: Manifest, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock !== undefined) {
    return 'ip' in endpoint && ipInCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => ipInCidr(endpoint.ip, c));
  }
  if (!('pod' in endpoint)) {
    return false;
  }
  const namespaceOk = peer.namespaceSelector === undefined
    ? endpoint.namespace === policyNamespace
    : matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': endpoint.namespace });
  return namespaceOk && (peer.podSelector === undefined || matches(peer.podSelector, endpoint.pod));
}

function portMatches(ports: Manifest[] | undefined, port: number, protocol: string): boolean {
  return ports === undefined || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort));
}

function allowed(policies: Manifest[], direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if (!('pod' in self) || self.namespace !== NAMESPACE) {
    return true; // the release's policies isolate only its own namespace's pods
  }
  const selecting = policies.filter((p) => matches(p.spec.podSelector, self.pod) && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
  if (selecting.length === 0) {
    return true;
  }
  const rules: Manifest[] = selecting.flatMap((p) => (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
  return rules.some((rule) => {
    const peers: Manifest[] | undefined = direction === 'Ingress' ? rule.from : rule.to;
    return (peers === undefined || peers.some((peer) => peerMatches(peer, other, NAMESPACE))) && portMatches(rule.ports, port, protocol);
  });
}

/** Whether the output's policies let `from` open a connection to `to` on the port. */
function connects(manifests: Manifest[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const policies = ofKind(manifests, 'NetworkPolicy');
  return allowed(policies, 'Egress', from, to, port, protocol) && allowed(policies, 'Ingress', to, from, port, protocol);
}

/** The pod of a component, as the output labels it. */
function componentPod(manifests: Manifest[], component: string): Endpoint {
  const found = outputPods(manifests).find((p) => p.component === component);
  if (found === undefined) {
    throw new Error(`no pod of component ${component}`);
  }
  return pod(found.labels);
}

/** [from, to, port, allowed], components by name, or the endpoints above. */
type Pair = readonly [string | Endpoint, string | Endpoint, number, boolean];

function checkPairs(manifests: Manifest[], pairs: readonly Pair[]): void {
  const resolve = (e: string | Endpoint): Endpoint => (typeof e === 'string' ? componentPod(manifests, e) : e);
  const name = (e: string | Endpoint): string => (typeof e === 'string' ? e : 'ip' in e ? `address ${e.ip}` : `pod ${JSON.stringify(e.pod)} in ${e.namespace}`);
  const actual = pairs.map(([from, to, port]) => `${name(from)} -> ${name(to)}:${port} ${connects(manifests, resolve(from), resolve(to), port) ? 'allowed' : 'denied'}`);
  const expected = pairs.map(([from, to, port, ok]) => `${name(from)} -> ${name(to)}:${port} ${ok ? 'allowed' : 'denied'}`);
  expect(actual).toEqual(expected);
}

// ---------------------------------------------------------------------------------------------

/** Every executor on both lines, with policies on. */
const SCENARIOS: Array<[string, AirflowProps]> = [
  ['Airflow 3, Celery', { networkPolicies: ON }],
  ['Airflow 3, Kubernetes', { executor: Executor.kubernetes(), networkPolicies: ON }],
  ['Airflow 3, Celery + Kubernetes', { executor: Executor.celeryAndKubernetes(), networkPolicies: ON }],
  ['Airflow 3, Local', { executor: Executor.local(), networkPolicies: ON }],
  ['Airflow 3.0.0, Kubernetes', { ...release('3.0.0'), executor: Executor.kubernetes(), networkPolicies: ON }],
  ['Airflow 2.11, Celery', { ...release('2.11.0'), networkPolicies: ON }],
  ['Airflow 2.11, Kubernetes', { ...release('2.11.0'), executor: Executor.kubernetes(), networkPolicies: ON }],
  ['Airflow 2.11, Celery + Kubernetes, DAG processor', { ...release('2.11.0'), executor: Executor.celeryAndKubernetes(), dagProcessor: { enabled: true }, networkPolicies: ON }],
  ['Airflow 2.11, Local, git-sync', { ...release('2.11.0'), executor: Executor.local(), dags: DagSource.gitSync({ repository: 'https://example.com/d.git' }), networkPolicies: ON }],
];

/** Every operations component with a server or a client of its own, on top of the executors. */
const OPERATIONS: AirflowProps = {
  executor: Executor.celeryAndKubernetes({ celery: { workers: { autoscaling: { maxReplicas: 4 } } } }),
  triggerer: { autoscaling: { maxReplicas: 2 } },
  database: MetadataDatabase.bundledPostgres({ pgbouncer: { metrics: {} } }),
  metrics: Metrics.statsdExporter(),
  dags: DagSource.bundles({ git: [{ name: 'a', repository: 'https://example.com/a.git' }, { name: 'b', repository: 'https://example.com/b.git' }], processorPerBundle: true }),
  networkPolicies: ON,
};

const outputs = new Map<string, Manifest[]>([
  ...SCENARIOS.map(([name, props]): [string, Manifest[]] => [name, synthAirflow(props)]),
  ['Airflow 3, PgBouncer, statsd, KEDA, a DAG processor per bundle', synthAirflow(OPERATIONS)],
  ['examples/everything-on (worker sets, Ingress)', synthExample('everything-on')],
]);
/** Pods that are not Airflow's and do not connect to the metadata database. */
const NOT_DATABASE_CLIENTS = ['postgresql', 'redis', 'statsd'];

describe('off by default', () => {
  test('the reference deployment and a default release have no NetworkPolicy', () => {
    expect(ofKind(synthReference(), 'NetworkPolicy')).toEqual([]);
    expect(ofKind(synthAirflow(), 'NetworkPolicy')).toEqual([]);
    expect(airflowIn().airflow.networkPolicies).toBeUndefined();
  });

  test('enabled: false writes none', () => {
    expect(ofKind(synthAirflow({ networkPolicies: { enabled: false } }), 'NetworkPolicy')).toEqual([]);
  });

  test('turning them on adds the policies and changes nothing else: no pod restarts', () => {
    for (const executor of [Executor.celery(), Executor.kubernetes(), Executor.local()]) {
      const diff = diffReleases(synthAirflow({ executor }), synthAirflow({ executor, networkPolicies: ON }));
      expect(diff.removed).toEqual([]);
      expect(diff.rolled).toEqual([]);
      expect(diff.changedFields).toEqual({});
      expect(diff.added.every((a) => a.startsWith('NetworkPolicy/'))).toBe(true);
    }
  });
});

describe.each([...outputs.keys()])('%s', (name) => {
  const manifests = outputs.get(name)!;
  const policies = ofKind(manifests, 'NetworkPolicy');
  const pods = outputPods(manifests);

  test('the policies pass the Kubernetes 1.27 schema', () => {
    expect(policies.length).toBeGreaterThan(5);
    expect(validateManifests(policies).map(formatSchemaProblem)).toEqual([]);
  });

  test('every policy selects pods of the output, and so does every peer in the namespace', () => {
    const empty: string[] = [];
    for (const policy of policies) {
      if (!pods.some((p) => matches(policy.spec.podSelector, p.labels))) {
        empty.push(`${policy.metadata.name}: spec.podSelector`);
      }
      for (const [direction, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
        (policy.spec[direction] ?? []).forEach((rule: Manifest, r: number) => (rule[key] ?? []).forEach((peer: Manifest, i: number) => {
          if (peer.podSelector !== undefined && peer.namespaceSelector === undefined && peer.ipBlock === undefined
            && !pods.some((p) => matches(peer.podSelector, p.labels))) {
            empty.push(`${policy.metadata.name}: ${direction}[${r}].${key}[${i}]`);
          }
        }));
      }
    }
    expect(empty).toEqual([]);
  });

  test('every pod is isolated both ways, and has exactly one policy of its own', () => {
    for (const p of pods) {
      const own = policies.filter((policy) => policy.metadata.name !== 'airflow-default-deny' && matches(policy.spec.podSelector, p.labels));
      expect([p.component, own.map((policy) => policy.metadata.name)]).toEqual([p.component, [`airflow-${p.component}`]]);
      expect([p.component, own[0].spec.policyTypes]).toEqual([p.component, ['Ingress', 'Egress']]);
    }
    // The default deny selects every pod of the output, never a task pod or a pod of another release.
    const deny = policies.find((policy) => policy.metadata.name === 'airflow-default-deny')!;
    expect(deny.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'airflow', 'app.kubernetes.io/name': 'airflow' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(pods.filter((p) => !matches(deny.spec.podSelector, p.labels)).map((p) => p.component))
      .toEqual(pods.some((p) => p.component === 'kubernetes-worker') ? ['kubernetes-worker'] : []);
    // A policy's own selector never selects another component's pods (the selector labels are distinct).
    for (const policy of policies.filter((x) => x !== deny)) {
      expect([policy.metadata.name, pods.filter((p) => matches(policy.spec.podSelector, p.labels)).length]).toEqual([policy.metadata.name, 1]);
    }
  });

  test('every pod reaches DNS, and the metadata database', () => {
    for (const p of pods.filter((x) => x.component !== 'postgresql')) {
      expect([p.component, connects(manifests, pod(p.labels), KUBE_DNS, 53, 'UDP'), connects(manifests, pod(p.labels), KUBE_DNS, 53, 'TCP')]).toEqual([p.component, true, true]);
      if (!NOT_DATABASE_CLIENTS.includes(p.component)) {
        expect([p.component, connects(manifests, pod(p.labels), componentPod(manifests, 'postgresql'), 5432)]).toEqual([p.component, true]);
      }
    }
  });

  test('KubernetesPodOperator pods are left alone: no policy selects them', () => {
    expect(policies.filter((policy) => matches(policy.spec.podSelector, (KPO_POD as { pod: Record<string, string> }).pod))).toEqual([]);
  });
});

describe('the traffic matrix', () => {
  test('Airflow 3, Celery', () => {
    // With the web UIs narrowed and DAG code kept to the rules, the internal connections alone.
    checkPairs(synthAirflow({ networkPolicies: TIGHT }), [
      // The execution API: the workers call it; the DAG processor and triggerer run it in-process.
      ['worker', 'api-server', 8080, true],
      ['dag-processor', 'api-server', 8080, false],
      ['triggerer', 'api-server', 8080, false],
      ['scheduler', 'api-server', 8080, false],
      ['flower', 'api-server', 8080, false],
      ['dag-processor', 'redis', 6379, false],
      ['triggerer', 'worker', 8793, false],
      ['worker', INTERNET, 80, false],
      [OTHER_NAMESPACE_POD, 'api-server', 8080, false],
      [INGRESS_CONTROLLER, 'api-server', 8080, true],
    ]);
    checkPairs(outputs.get('Airflow 3, Celery')!, [
      ['worker', 'api-server', 8080, true],
      ['scheduler', 'api-server', 8080, false],
      // The broker: the scheduler, the workers and Flower; not the UI server.
      ['scheduler', 'redis', 6379, true],
      ['worker', 'redis', 6379, true],
      ['flower', 'redis', 6379, true],
      ['api-server', 'redis', 6379, false],
      ['triggerer', 'redis', 6379, false],
      // The database: every Airflow pod, Flower and the Jobs included; no one else.
      ['flower', 'postgresql', 5432, true],
      ['migrate-database', 'postgresql', 5432, true],
      ['create-admin-user', 'postgresql', 5432, true],
      [KPO_POD, 'postgresql', 5432, false],
      [INGRESS_CONTROLLER, 'postgresql', 5432, false],
      ['redis', 'postgresql', 5432, false],
      // Live task logs: the UI server fetches them from the workers and the triggerer.
      ['api-server', 'worker', 8793, true],
      ['api-server', 'triggerer', 8794, true],
      ['scheduler', 'worker', 8793, false],
      [INGRESS_CONTROLLER, 'worker', 8793, false],
      // The web UIs: any pod in any namespace (an Ingress controller), on their ports only.
      [INGRESS_CONTROLLER, 'api-server', 8080, true],
      [OTHER_NAMESPACE_POD, 'flower', 5555, true],
      [INGRESS_CONTROLLER, 'api-server', 8793, false],
      [INTERNET, 'api-server', 8080, false],
      // Egress: DAG code anywhere; the rest nowhere outside.
      ['worker', INTERNET, 443, true],
      ['dag-processor', INTERNET, 22, true],
      ['triggerer', INTERNET, 443, true],
      ['worker', KPO_POD, 8080, true],
      ['api-server', INTERNET, 443, false],
      ['scheduler', INTERNET, 443, false],
      ['flower', INTERNET, 80, false],
      ['redis', INTERNET, 443, false],
      ['postgresql', INTERNET, 443, false],
      ['migrate-database', 'api-server', 8080, false],
      // KubernetesPodOperator pods are not the release's: their traffic is theirs to restrict.
      [KPO_POD, INTERNET, 443, true],
    ]);
  });

  test('Airflow 3, Kubernetes executor', () => {
    checkPairs(outputs.get('Airflow 3, Kubernetes')!, [
      ['kubernetes-worker', 'api-server', 8080, true],
      ['kubernetes-worker', 'postgresql', 5432, true],
      ['kubernetes-worker', INTERNET, 443, true],
      // The Kubernetes API: the scheduler starts pods, the UI server reads their logs, the cleanup deletes them.
      ['scheduler', INTERNET, 443, true],
      ['scheduler', INTERNET, 6443, true],
      ['scheduler', INTERNET, 80, false],
      ['api-server', INTERNET, 6443, true],
      ['cleanup', INTERNET, 443, true],
      ['migrate-database', INTERNET, 443, false],
      ['api-server', 'kubernetes-worker', 8793, false],
      [INGRESS_CONTROLLER, 'kubernetes-worker', 8080, false],
    ]);
  });

  test('Airflow 3, Celery + Kubernetes', () => {
    checkPairs(outputs.get('Airflow 3, Celery + Kubernetes')!, [
      ['worker', 'api-server', 8080, true],
      ['kubernetes-worker', 'api-server', 8080, true],
      ['kubernetes-worker', 'redis', 6379, false],
      ['scheduler', 'redis', 6379, true],
      ['api-server', 'worker', 8793, true],
    ]);
  });

  test('Airflow 3, Local executor', () => {
    checkPairs(outputs.get('Airflow 3, Local')!, [
      ['local-scheduler', 'api-server', 8080, true],
      ['api-server', 'local-scheduler', 8793, true],
      ['local-scheduler', INTERNET, 443, true],
      ['dag-processor', 'local-scheduler', 8793, false],
    ]);
  });

  test('Airflow 2.11, Celery: no execution API', () => {
    checkPairs(synthAirflow({ ...release('2.11.0'), networkPolicies: TIGHT }), [
      ['worker', 'webserver', 8080, false],
      ['triggerer', 'webserver', 8080, false],
      ['webserver', 'worker', 8793, true],
    ]);
    checkPairs(outputs.get('Airflow 2.11, Celery')!, [
      ['webserver', 'worker', 8793, true],
      ['webserver', 'triggerer', 8794, true],
      ['webserver', 'redis', 6379, false],
      ['scheduler', 'redis', 6379, true],
      ['worker', 'postgresql', 5432, true],
      // Airflow 2's scheduler parses DAG files (and git-syncs them) when there is no DAG processor.
      ['scheduler', INTERNET, 443, true],
      [INGRESS_CONTROLLER, 'webserver', 8080, true],
    ]);
  });

  test('Airflow 2.11, Kubernetes executor and Local executor', () => {
    checkPairs(synthAirflow({ ...release('2.11.0'), executor: Executor.kubernetes(), networkPolicies: TIGHT }), [
      ['kubernetes-worker', 'webserver', 8080, false],
    ]);
    checkPairs(outputs.get('Airflow 2.11, Kubernetes')!, [
      ['kubernetes-worker', 'postgresql', 5432, true],
      ['webserver', INTERNET, 443, true],
    ]);
    checkPairs(synthAirflow({ ...release('2.11.0'), executor: Executor.local(), networkPolicies: TIGHT }), [
      ['local-scheduler', 'webserver', 8080, false],
      ['local-scheduler', INTERNET, 443, true], // KubernetesPodOperator: the token, the API server on 443
      ['local-scheduler', INTERNET, 80, false],
    ]);
    checkPairs(outputs.get('Airflow 2.11, Local, git-sync')!, [
      ['webserver', 'local-scheduler', 8793, true],
      ['local-scheduler', INTERNET, 443, true],
    ]);
  });

  test('a worker set added later is a peer of every policy that concerns it', () => {
    const { chart, airflow } = airflowIn({ networkPolicies: ON });
    airflow.addWorkerSet('gpu', { queues: ['gpu'] });
    const manifests = Testing.synth(chart);
    expect(ofKind(manifests, 'NetworkPolicy').map((p) => p.metadata.name)).toContain('airflow-worker-gpu');
    checkPairs(manifests, [
      ['worker-gpu', 'redis', 6379, true],
      ['worker-gpu', 'api-server', 8080, true],
      ['worker-gpu', 'postgresql', 5432, true],
      ['api-server', 'worker-gpu', 8793, true],
      ['worker-gpu', INTERNET, 443, true],
    ]);
  });
});

describe('options', () => {
  test('uiFrom narrows the web UIs to the Ingress controller; the workers still reach the execution API', () => {
    const manifests = synthAirflow({
      networkPolicies: { enabled: true, uiFrom: [{ namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }] },
    });
    checkPairs(manifests, [
      [INGRESS_CONTROLLER, 'api-server', 8080, true],
      [INGRESS_CONTROLLER, 'flower', 5555, true],
      [OTHER_NAMESPACE_POD, 'api-server', 8080, false],
      [pod({ 'app.kubernetes.io/name': 'something-else' }, 'ingress-nginx'), 'api-server', 8080, false],
      ['worker', 'api-server', 8080, true],
    ]);
  });

  test('an empty uiFrom lets no one in (a port-forward does not pass the pod network)', () => {
    checkPairs(synthAirflow({ networkPolicies: { enabled: true, uiFrom: [] } }), [
      [INGRESS_CONTROLLER, 'api-server', 8080, false],
      [INGRESS_CONTROLLER, 'flower', 5555, false],
      ['worker', 'api-server', 8080, true],
    ]);
  });

  test('a NodePort or LoadBalancer UI Service is reached from any address by default; uiFrom by CIDR narrows it', () => {
    checkPairs(synthAirflow({ apiServer: { service: { type: ServiceType.LOAD_BALANCER } }, networkPolicies: ON }), [
      [INTERNET, 'api-server', 8080, true],
      [INTERNET, 'flower', 5555, false],
      [INTERNET, 'api-server', 8793, false],
    ]);
    checkPairs(synthAirflow({ apiServer: { service: { type: ServiceType.LOAD_BALANCER } }, networkPolicies: { enabled: true, uiFrom: [{ cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] }] } }), [
      [INTERNET, 'api-server', 8080, true],
      [{ ip: '203.0.113.200' }, 'api-server', 8080, false],
      [{ ip: '198.51.100.1' }, 'api-server', 8080, false],
    ]);
  });

  test('dagCodeEgress: false keeps DAG code to what every pod gets, the Kubernetes API for pod launchers, and allowEgress', () => {
    checkPairs(synthAirflow({ networkPolicies: { enabled: true, dagCodeEgress: false, allowEgress: [{ to: [{ cidr: '192.0.2.0/24' }], ports: [{ port: 22 }] }] } }), [
      ['worker', INTERNET, 80, false],
      ['worker', INTERNET, 443, true], // KubernetesPodOperator: the token, and the API server anywhere on 443
      ['dag-processor', INTERNET, 443, false],
      ['dag-processor', { ip: '192.0.2.10' }, 22, true],
      ['api-server', { ip: '192.0.2.10' }, 22, true],
      ['worker', 'api-server', 8080, true],
    ]);
    checkPairs(synthAirflow({ kubernetesPodOperator: false, networkPolicies: { enabled: true, dagCodeEgress: false } }), [
      ['worker', INTERNET, 443, false],
      ['triggerer', INTERNET, 443, false],
    ]);
  });

  test('the Kubernetes API and DNS where the cluster has them', () => {
    const manifests = synthAirflow({
      executor: Executor.kubernetes(),
      networkPolicies: {
        enabled: true,
        kubernetesApi: { to: [{ cidr: '10.0.0.1/32' }] },
        dns: { to: [{ namespace: 'kube-system' }, { cidr: '169.254.20.10/32' }] },
      },
    });
    checkPairs(manifests, [
      ['scheduler', { ip: '10.0.0.1' }, 6443, true],
      ['scheduler', { ip: '10.0.0.1' }, 443, true],
      ['scheduler', INTERNET, 443, false],
    ]);
    expect(connects(manifests, componentPod(manifests, 'scheduler'), { ip: '169.254.20.10' }, 53, 'UDP')).toBe(true);
    const scheduler = ofKind(manifests, 'NetworkPolicy').find((p) => p.metadata.name === 'airflow-scheduler')!;
    expect(scheduler.spec.egress[0]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: {} }, { ipBlock: { cidr: '169.254.20.10/32' } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    });
  });

  test('KEDA\'s operator reaches PgBouncer, what it counts through, and nothing else; only while KEDA scales something', () => {
    const KEDA = pod({ app: 'keda-operator' }, 'keda');
    checkPairs(synthAirflow(OPERATIONS), [
      [KEDA, 'pgbouncer', 6543, true],
      [KEDA, 'postgresql', 5432, false],
      [KEDA, 'scheduler', 8793, false],
      [OTHER_NAMESPACE_POD, 'pgbouncer', 6543, false],
    ]);
    const bundled = { executor: Executor.celery({ workers: { autoscaling: { maxReplicas: 4 } } }), networkPolicies: ON };
    checkPairs(synthAirflow(bundled), [[KEDA, 'postgresql', 5432, true]]);
    checkPairs(synthAirflow({ networkPolicies: ON }), [[KEDA, 'postgresql', 5432, false]]);
    const elsewhere = pod({ app: 'keda-operator' }, 'autoscaling');
    checkPairs(synthAirflow({ ...bundled, networkPolicies: { enabled: true, autoscalerFrom: [{ namespace: 'autoscaling' }] } }), [
      [elsewhere, 'postgresql', 5432, true],
      [KEDA, 'postgresql', 5432, false],
    ]);
    checkPairs(synthAirflow({ ...bundled, networkPolicies: { enabled: true, autoscalerFrom: [] } }), [[KEDA, 'postgresql', 5432, false]]);
  });

  test('a worker set that brings KEDA along later opens the database to the operator', () => {
    const { airflow, chart } = airflowIn({ networkPolicies: ON });
    airflow.addWorkerSet('gpu', { queues: ['gpu'], autoscaling: { maxReplicas: 2 } });
    checkPairs(Testing.synth(chart), [[pod({ app: 'keda-operator' }, 'keda'), 'postgresql', 5432, true]]);
  });

  test('allowIngress: Prometheus scrapes git-sync\'s metrics', () => {
    checkPairs(synthAirflow({
      dags: DagSource.gitSync({ repository: 'https://example.com/d.git' }),
      networkPolicies: { enabled: true, allowIngress: [{ from: [{ namespace: 'monitoring' }], ports: [{ port: 8000 }] }] },
    }), [
      [pod({ app: 'prometheus' }, 'monitoring'), 'dag-processor', 8000, true],
      [pod({ app: 'prometheus' }, 'monitoring'), 'dag-processor', 8793, false],
      [OTHER_NAMESPACE_POD, 'dag-processor', 8000, false],
    ]);
  });

  test('external services by port: hosts are names, which NetworkPolicies cannot select', () => {
    const manifests = synthAirflow({
      database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', port: 6432 }),
      executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: 'redis.example.internal', port: 6380 }) }),
      networkPolicies: ON,
    });
    expect(ofKind(manifests, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('airflow-postgresql');
    checkPairs(manifests, [
      ['api-server', INTERNET, 6432, true],
      ['migrate-database', INTERNET, 6432, true],
      ['api-server', INTERNET, 5432, false],
      ['scheduler', INTERNET, 6380, true],
      ['flower', INTERNET, 6380, true],
      ['api-server', INTERNET, 6380, false],
    ]);
  });

  test('a database and a broker from Secrets: their ports from servicePorts', () => {
    const props: AirflowProps = {
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg', 'uri') }),
      executor: Executor.celery({ broker: CeleryBroker.fromSecret(SecretKey.of('mq', 'url')) }),
      secretsBackend: { backend: 'airflow.providers.hashicorp.secrets.vault.VaultBackend', kwargs: SecretKey.of('vault', 'kwargs') },
    };
    expect(problemsOf({ ...props, networkPolicies: ON })).toEqual([
      'networkPolicies.servicePorts.database: the address of the metadata database (MetadataDatabase.fromSecret) is in a Secret the library cannot read, so no NetworkPolicy would let the pods reach it (got undefined). Fix: give its TCP port, e.g. servicePorts: { database: 5432 }',
      'networkPolicies.servicePorts.broker: the address of the Celery broker (CeleryBroker.fromSecret) is in a Secret the library cannot read, so no NetworkPolicy would let the pods reach it (got undefined). Fix: give its TCP port, e.g. servicePorts: { broker: 6379 }',
      'networkPolicies.servicePorts.secretsBackend: the address of the secrets backend (secretsBackend) is in a Secret the library cannot read, so no NetworkPolicy would let the pods reach it (got undefined). Fix: give its TCP port, e.g. servicePorts: { secretsBackend: 8200 }',
    ]);
    const manifests = synthAirflow({ ...props, networkPolicies: { enabled: true, servicePorts: { database: 5432, broker: 5672, secretsBackend: 8200 } } });
    checkPairs(manifests, [
      ['api-server', INTERNET, 5432, true],
      ['api-server', INTERNET, 8200, true],
      ['api-server', INTERNET, 5672, false],
      ['scheduler', INTERNET, 5672, true],
      ['scheduler', INTERNET, 6379, false],
    ]);
    // The local filesystem backend reads files: no port to give.
    expect(problemsOf({ secretsBackend: { backend: 'airflow.secrets.local_filesystem.LocalFilesystemBackend' }, networkPolicies: ON })).toEqual([]);
  });

  test('labels of the props go on the policies too; ports are written with their protocol', () => {
    const manifests = synthAirflow({ labels: { 'example.com/team': 'data' }, networkPolicies: { enabled: true, allowEgress: [{ ports: [{ port: 30000, endPort: 32767, protocol: NetworkProtocol.UDP }] }] } });
    for (const policy of ofKind(manifests, 'NetworkPolicy')) {
      expect(policy.metadata.labels['example.com/team']).toBe('data');
    }
    const worker = ofKind(manifests, 'NetworkPolicy').find((p) => p.metadata.name === 'airflow-worker')!;
    expect(worker.spec.egress).toContainEqual({ ports: [{ port: 30000, endPort: 32767, protocol: 'UDP' }] });
  });
});

test('the README\'s example synthesises, as written', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Network policies'), readme.indexOf('### Reaching the UI'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
  const props = new Function(`return ({ ${block} });`)() as AirflowProps;
  expect(props.networkPolicies?.enabled).toBe(true);
  expect(problemsOf({ dags: DagSource.gitSync({ repository: 'https://example.com/d.git' }), ...props })).toEqual([]);
  checkPairs(synthAirflow({ dags: DagSource.gitSync({ repository: 'https://example.com/d.git' }), ...props }), [
    [INGRESS_CONTROLLER, 'api-server', 8080, true],
    ['dag-processor', { ip: '192.0.2.10' }, 443, true],
    ['dag-processor', INTERNET, 443, false],
    [pod({ app: 'prometheus' }, 'monitoring'), 'worker', 8000, true],
  ]);
});

describe('the NetworkPolicies component', () => {
  test('its attributes, and ApiObject.of() is the default deny', () => {
    const { airflow } = airflowIn({ executor: Executor.kubernetes(), networkPolicies: ON });
    const policies = airflow.networkPolicies!;
    expect(ApiObject.of(policies)).toBe(policies.defaultDeny);
    expect(policies.policies.map((p) => p.name)).toEqual([
      'airflow-default-deny', 'airflow-postgresql', 'airflow-migrate-database', 'airflow-create-admin-user', 'airflow-api-server',
      'airflow-scheduler', 'airflow-dag-processor', 'airflow-triggerer', 'airflow-kubernetes-worker', 'airflow-cleanup',
    ]);
  });

  test('the task pods\' policy selects them by the release label, which Argo CD does not track', () => {
    const manifests = outputs.get('Airflow 3, Kubernetes')!;
    const taskPods = ofKind(manifests, 'NetworkPolicy').find((p) => p.metadata.name === 'airflow-kubernetes-worker')!;
    expect(taskPods.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/component': 'kubernetes-worker', 'app.kubernetes.io/name': 'airflow', 'cdk8s-airflow/release': 'airflow',
    });
    // No workload's selector overlaps the task pods' labels (a controller would adopt them).
    for (const w of workloads(manifests).filter((x) => x.spec.selector?.matchLabels !== undefined)) {
      expect([w.metadata.name, selectorsOverlap(w.spec.selector.matchLabels, podTemplateFile(manifests).metadata.labels)]).toEqual([w.metadata.name, false]);
    }
  });
});

describe('bad options, each with the fix', () => {
  const cases: Array<[string, NetworkPolicyOptions, string[]]> = [
    ['options without enabled', { uiFrom: [] },
      ['networkPolicies.uiFrom: NetworkPolicies are written only with enabled: true, so this would do nothing (got []). Fix: add enabled: true to networkPolicies, or remove it']],
    ['an empty peer', { enabled: true, uiFrom: [{}] },
      ['networkPolicies.uiFrom[0]: a peer names pods (namespace, namespaceLabels, podLabels) or addresses (cidr) (got {}). Fix: e.g. { namespace: "ingress-nginx" }, or { namespaceLabels: {} } for any pod in any namespace']],
    ['pods and addresses in one peer', { enabled: true, uiFrom: [{ namespace: 'ingress-nginx', cidr: '10.0.0.0/8' }] },
      ['networkPolicies.uiFrom[0]: a peer is either pods (namespace, namespaceLabels, podLabels) or an address range (cidr), not both (got {"namespace":"ingress-nginx","cidr":"10.0.0.0/8"}). Fix: use two peers: one with cidr, one with the selectors']],
    ['a host address with a network prefix', { enabled: true, kubernetesApi: { to: [{ cidr: '10.0.0.1/8' }] } },
      ['networkPolicies.kubernetesApi.to[0].cidr: bits are set after the /8 prefix: the range is written from its first address (10.0.0.0/8), a single address as /32 (got "10.0.0.1/8"). Fix: e.g. "10.0.0.0/16", "192.0.2.10/32" or "2001:db8::/64"']],
    ['an IPv6 range written from the middle', { enabled: true, allowEgress: [{ to: [{ cidr: '2001:db8::1/64' }] }] },
      ['networkPolicies.allowEgress[0].to[0].cidr: bits are set after the /64 prefix: the range is written from its first address (2001:db8::/64), a single address as /128 (got "2001:db8::1/64"). Fix: e.g. "10.0.0.0/16", "192.0.2.10/32" or "2001:db8::/64"']],
    ['an address that is not one', { enabled: true, uiFrom: [{ cidr: '300.0.0.0/8' }] },
      ['networkPolicies.uiFrom[0].cidr: not an IPv4 or IPv6 address before the "/" (IPv4 without leading zeros) (got "300.0.0.0/8"). Fix: e.g. "10.0.0.0/16", "192.0.2.10/32" or "2001:db8::/64"']],
    ['an exception outside the range', { enabled: true, uiFrom: [{ cidr: '10.0.0.0/24', except: ['10.0.0.0/24', '192.168.0.0/24'] }] },
      [
        'networkPolicies.uiFrom[0].except[0]: must be a range strictly inside cidr 10.0.0.0/24 (got "10.0.0.0/24"). Fix: give a longer prefix inside 10.0.0.0/24, or remove it',
        'networkPolicies.uiFrom[0].except[1]: must be a range strictly inside cidr 10.0.0.0/24 (got "192.168.0.0/24"). Fix: give a longer prefix inside 10.0.0.0/24, or remove it',
      ]],
    ['except without cidr', { enabled: true, uiFrom: [{ namespace: 'ingress-nginx', except: ['10.0.0.0/8'] }] },
      ['networkPolicies.uiFrom[0].except: except leaves ranges out of cidr, and there is none (got ["10.0.0.0/8"]). Fix: give cidr too, or remove except']],
    ['an empty destination list (Kubernetes would read it as everywhere)', { enabled: true, allowEgress: [{ to: [], ports: [{ port: 443 }] }] },
      ['networkPolicies.allowEgress[0].to: an empty list allows no destination: the rule would allow nothing (got []). Fix: leave to out for any address, or name the peers']],
    ['an empty port list for DNS', { enabled: true, dns: { ports: [] } },
      ['networkPolicies.dns.ports: an empty list allows no port: DNS would fail in every pod (got []). Fix: leave ports out for every port, or list them']],
    ['ports out of range and backwards', { enabled: true, allowIngress: [{ ports: [{ port: 0 }, { port: 9000, endPort: 8000 }] }] },
      [
        'networkPolicies.allowIngress[0].ports[0].port: not a port: must be a whole number from 1 to 65535, not 0 (got 0). Fix: e.g. 443',
        'networkPolicies.allowIngress[0].ports[1].endPort: the range ends before it starts (port 9000) (got 8000). Fix: give an endPort of 9000 or more, or leave it out for the one port',
      ]],
    ['a namespace and a label that cannot be', { enabled: true, uiFrom: [{ namespace: 'Ingress_Nginx', podLabels: { 'app.kubernetes.io/name': 'ingress nginx' } }] },
      [
        'networkPolicies.uiFrom[0].namespace: not a namespace name (got "Ingress_Nginx"). Fix: use at most 63 lower-case letters, digits and "-", e.g. "ingress-nginx"',
        'networkPolicies.uiFrom[0].podLabels.app.kubernetes.io/name: not a label: must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (" " is not allowed) (got "ingress nginx"). Fix: e.g. { "app.kubernetes.io/name": "ingress-nginx" }',
      ]],
    ['a service port the library knows already, and one for a service that is not there', { enabled: true, servicePorts: { broker: 6379, database: 5432 } },
      [
        'networkPolicies.servicePorts.database: the deployment has no metadata database whose address is in a Secret (MetadataDatabase.fromSecret) (got 5432). Fix: remove servicePorts.database',
        'networkPolicies.servicePorts.broker: the deployment has no Celery broker whose address is in a Secret (CeleryBroker.fromSecret) (got 6379). Fix: remove servicePorts.broker',
      ]],
  ];

  test.each(cases)('%s', (_what, networkPolicies, expected) => {
    expect(problemsOf({ networkPolicies })).toEqual(expected);
  });

  test('a port of an external database is the library\'s to know', () => {
    expect(problemsOf({ database: MetadataDatabase.externalMySql({ host: 'mysql.internal' }), networkPolicies: { enabled: true, servicePorts: { database: 3306 } } })).toEqual([
      'networkPolicies.servicePorts.database: the library knows the port of the metadata database from its options (3306) (got 3306). Fix: remove servicePorts.database',
    ]);
  });

  test('a protocol in the wrong case, from a caller without types', () => {
    expect(problemsOf({ networkPolicies: { enabled: true, allowEgress: [{ ports: [{ port: 53, protocol: 'udp' as NetworkProtocol }] }] } })).toEqual([
      'networkPolicies.allowEgress[0].ports[0].protocol: must be a NetworkProtocol: "TCP", "UDP" or "SCTP" (got "udp"). Fix: use NetworkProtocol.UDP',
    ]);
  });
});

describe('with the StatsD exporter', () => {
  test('every Airflow pod sends it datagrams; Prometheus scrapes it through allowIngress', () => {
    const manifests = synthAirflow({
      metrics: Metrics.statsdExporter(),
      networkPolicies: { enabled: true, dagCodeEgress: false, allowIngress: [{ from: [{ namespace: 'monitoring' }], ports: [{ port: 9102 }] }] },
    });
    const exporter = outputPods(manifests).find((p) => p.component === 'statsd')!;
    for (const p of outputPods(manifests).filter((x) => !['statsd', 'redis', 'postgresql'].includes(x.component))) {
      expect([p.component, connects(manifests, pod(p.labels), pod(exporter.labels), 9125, 'UDP')]).toEqual([p.component, true]);
    }
    checkPairs(manifests, [
      ['redis', 'statsd', 9125, false],
      [pod({ app: 'prometheus' }, 'monitoring'), 'statsd', 9102, true],
      [OTHER_NAMESPACE_POD, 'statsd', 9102, false],
      ['statsd', INTERNET, 443, false],
    ]);
  });
});

test('an OpenTelemetry collector outside the output: every Airflow pod may push to its port', () => {
  const manifests = synthAirflow({ metrics: Metrics.openTelemetry({ host: 'otel.monitoring.svc' }), networkPolicies: { enabled: true } });
  for (const name of ['airflow-scheduler', 'airflow-api-server', 'airflow-worker']) {
    const policy = manifests.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name)!;
    expect([name, policy.spec.egress]).toEqual([name, expect.arrayContaining([{ ports: [{ port: 4318, protocol: 'TCP' }] }])]);
  }
});
