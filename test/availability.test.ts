// Availability: disruption budgets and replica placement for components of two replicas or more.
import { Executor, MetadataDatabase } from '../lib';
import { Manifest, find, ofKind, podTemplate, problemsOf, synthAirflow, untypedConfig } from './helpers';

describe('with two replicas of everything', () => {
  const manifests = synthAirflow({
    apiServer: { replicas: 2 }, scheduler: { replicas: 2 }, dagProcessor: { replicas: 2 }, triggerer: { replicas: 2 },
    executor: Executor.celery({ workers: { replicas: 3 } }),
  });
  const workloads: Array<[string, string]> = [
    ['Deployment', 'airflow-api-server'], ['Deployment', 'airflow-scheduler'], ['Deployment', 'airflow-dag-processor'],
    ['StatefulSet', 'airflow-triggerer'], ['StatefulSet', 'airflow-worker'],
  ];

  test('each has a PodDisruptionBudget of maxUnavailable 1, unhealthy pods always evictable, that selects exactly its pods', () => {
    const budgets = ofKind(manifests, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(workloads.map(([, name]) => name).sort());
    for (const [kind, name] of workloads) {
      const budget = find(manifests, 'PodDisruptionBudget', name);
      // maxUnavailable, never minAvailable: a drain always proceeds, one pod at a time; pods that
      // are not Ready never hold it up (AlwaysAllow), even when no replica is healthy.
      expect(budget.spec).toEqual({
        maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: find(manifests, kind, name).spec.selector.matchLabels },
      });
      const others = ofKind(manifests, 'Deployment').concat(ofKind(manifests, 'StatefulSet')).filter((w) => w.metadata.name !== name);
      for (const other of others) {
        const labels = podTemplate(other).metadata.labels;
        expect(Object.entries(budget.spec.selector.matchLabels).every(([k, v]) => labels[k] === v)).toBe(false);
      }
    }
  });

  test('their pods prefer other nodes and spread over zones, without refusing a small cluster', () => {
    for (const [kind, name] of workloads) {
      const w = find(manifests, kind, name);
      const spec = podTemplate(w).spec;
      const labelSelector = { matchLabels: w.spec.selector.matchLabels };
      expect(spec.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector, topologyKey: 'kubernetes.io/hostname' } },
      ] } });
      expect(spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector }]);
    }
  });
});

test('one replica: no budget (it could only block a drain) and no placement preferences', () => {
  const manifests = synthAirflow({ executor: Executor.celery({ workers: { replicas: 1 } }) });
  expect(ofKind(manifests, 'PodDisruptionBudget')).toEqual([]);
  for (const w of ofKind(manifests, 'Deployment')) {
    expect([w.metadata.name, podTemplate(w).spec.affinity]).toEqual([w.metadata.name, undefined]);
  }
});

test('budgets can be turned off, and the component\'s own placement replaces the default', () => {
  const manifests = synthAirflow({
    podDisruptionBudgets: false,
    scheduler: { replicas: 2, pod: { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] } },
  });
  expect(ofKind(manifests, 'PodDisruptionBudget')).toEqual([]);
  const spec: Manifest = podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).spec;
  expect(spec.topologySpreadConstraints).toEqual([{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]);
  expect(spec.affinity.podAntiAffinity).toBeDefined();
});

test('two schedulers need row locks: refused with [scheduler] use_row_level_locking off, one scheduler takes it', () => {
  const off = untypedConfig({ scheduler: { use_row_level_locking: 'False' } });
  expect(problemsOf({ scheduler: { replicas: 2 }, config: off })).toEqual([
    'scheduler.replicas: with [scheduler] use_row_level_locking off, schedulers do not lock the rows they share, and Airflow supports one scheduler only (got 2). Fix: use one scheduler, or remove use_row_level_locking from config',
  ]);
  expect(problemsOf({ scheduler: { replicas: 2 }, config: untypedConfig({ scheduler: { use_row_level_locking: '0' } }) })).toHaveLength(1);
  expect(problemsOf({ scheduler: { replicas: 1 }, config: off })).toEqual([]);
  expect(problemsOf({ scheduler: { replicas: 2 }, database: MetadataDatabase.externalMySql({ host: 'mysql.example.internal' }) })).toEqual([]);
});

test('a library-wide node affinity keeps the spread of replicas over nodes; a pod anti-affinity of the component replaces it', () => {
  const nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'example.com/pool', operator: 'In', values: ['airflow'] }] }] } };
  const merged = podTemplate(find(synthAirflow({ scheduler: { replicas: 2 }, pods: { affinity: { nodeAffinity } } }), 'Deployment', 'airflow-scheduler')).spec.affinity;
  expect(merged.nodeAffinity).toEqual(nodeAffinity);
  expect(merged.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  const own = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'scheduler' } } }] };
  const replaced = podTemplate(find(synthAirflow({ scheduler: { replicas: 2, pod: { affinity: { podAntiAffinity: own } } } }), 'Deployment', 'airflow-scheduler')).spec.affinity;
  expect(replaced).toEqual({ podAntiAffinity: own });
});
