// The reference deployment on one 4-CPU / 8 GiB node (`minikube start --cpus 4 --memory 8g`,
// kubeadm control plane), at its busiest moment: every pod running, both Jobs running, the surge
// pod of a rolling update of its largest Deployment, and the pods the shipped ETL DAG starts.
import * as fs from 'fs';
import * as path from 'path';
import { Manifest, podTemplate, quantity, synthReference, workloads } from './helpers';

/**
 * The requests of a kubeadm control plane's static pods and add-ons, from kubeadm's manifests:
 * kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler 100m, etcd 100m/100Mi,
 * CoreDNS 100m/70Mi (minikube runs one replica). kube-proxy and storage-provisioner request none.
 */
const CONTROL_PLANE = { cpu: 0.75, memory: 170 * 1024 ** 2 };
/**
 * What the scheduler can place on the node: 4 CPUs, and of 8 GiB what the VM's kernel leaves
 * (about 7.7 GiB) less the kubelet's 100Mi hard eviction threshold, rounded down to 7.5 GiB.
 */
const NODE = { cpu: 4, memory: 7.5 * 1024 ** 3 };

type Requests = { cpu: number; memory: number };

/** A pod's request: the larger of its containers' sum and its largest init container, per resource. */
function podRequests(spec: Manifest): Requests {
  const of = (containers: Manifest[] | undefined, r: string) => (containers ?? []).map((c) => quantity(c.resources?.requests?.[r] ?? '0'));
  const request = (r: string) => Math.max(of(spec.containers, r).reduce((a, b) => a + b, 0), ...of(spec.initContainers, r), 0);
  return { cpu: request('cpu'), memory: request('memory') };
}

/** The requests of the shipped KubernetesPodOperator DAG's pods (one runs at a time). */
function shippedDagPodRequests(): Requests {
  const dag = fs.readFileSync(path.join(__dirname, '..', 'dags', 'etl_in_pods.py'), 'utf8');
  const match = /requests=\{"cpu": "([^"]+)", "memory": "([^"]+)"\}/.exec(dag);
  if (match === null) {
    throw new Error('dags/etl_in_pods.py: no container_resources requests found');
  }
  return { cpu: quantity(match[1]), memory: quantity(match[2]) };
}

describe('resource budget of the reference deployment', () => {
  const manifests = synthReference();
  const all = workloads(manifests).map((w) => ({ w, requests: podRequests(podTemplate(w).spec), replicas: w.kind === 'Job' || w.kind === 'CronJob' ? 1 : w.spec.replicas }));
  const steady = all.reduce((acc, { requests, replicas }) => ({ cpu: acc.cpu + replicas * requests.cpu, memory: acc.memory + replicas * requests.memory }), { cpu: 0, memory: 0 });
  // A Deployment's rolling update starts a new pod before it stops an old one (maxSurge 25%,
  // rounded up: one pod). StatefulSets replace their pods one at a time, with no surge.
  const deployments = all.filter(({ w }) => w.kind === 'Deployment');
  const surge = { cpu: Math.max(...deployments.map((d) => d.requests.cpu)), memory: Math.max(...deployments.map((d) => d.requests.memory)) };
  const dagPods = shippedDagPodRequests();
  const peak = {
    cpu: steady.cpu + surge.cpu + dagPods.cpu + CONTROL_PLANE.cpu,
    memory: steady.memory + surge.memory + dagPods.memory + CONTROL_PLANE.memory,
  };

  test('every Deployment keeps the default rolling update, which the surge term assumes', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const { w } of deployments) {
      expect(w.spec.strategy).toBeUndefined();
    }
  });

  test('both Jobs are counted: they run together (the admin-user Job waits for the migration)', () => {
    expect(all.filter(({ w }) => w.kind === 'Job').map(({ w }) => w.metadata.name.replace(/-[0-9a-f]{10}$/, '')).sort())
      .toEqual(['airflow-create-admin-user', 'airflow-migrate-database']);
  });

  test('fits a 4-CPU node with its control plane, during a rollout, with the Jobs and the DAG\'s pods running', () => {
    expect(peak.cpu).toBeLessThanOrEqual(NODE.cpu);
    expect(peak.memory).toBeLessThanOrEqual(NODE.memory);
  });

  test('the numbers the README quotes', () => {
    const millis = (r: Requests) => Math.round(r.cpu * 1000);
    const mebibytes = (r: Requests) => Math.round(r.memory / 1024 ** 2);
    expect({ steady: [millis(steady), mebibytes(steady)], surge: [millis(surge), mebibytes(surge)], peak: [millis(peak), mebibytes(peak)] })
      .toEqual({ steady: [2150, 5856], surge: [260, 1024], peak: [3210, 7114] });
  });
});
