import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Airflow, AirflowProps, ContainerImage, DagSource, Executor, MetadataDatabase, SecretKey } from '../lib';
import { Manifest, allContainers, find, podTemplate, podTemplateFile, release, synthAirflow } from './helpers';
import {
  ReleaseDiff, canonicalQuantity, changedPaths, diffReleases, objectLabel, quantityCompare, resourceQuantities, selectorsOverlap,
} from './upgrade-diff';

// GitOps safety: each case synthesises a deployment, changes one input, synthesises again, and
// checks the pair as Argo CD or Flux would apply it over the first: no update the API server
// refuses, no name that changes workload kind, no two workloads selecting one pod, and exactly
// the pods restarting that the change is about. The rules live in upgrade-diff.ts.

const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const CONFIG_CHECKSUM = 'checksum/airflow-config';

/** The Airflow workloads of a default Airflow 3 deployment (Celery executor). */
const AIRFLOW3_WORKLOADS = ['airflow-api-server', 'airflow-dag-processor', 'airflow-flower', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker'];
const BOTH_JOBS = ['Job/airflow-create-admin-user', 'Job/airflow-migrate-database'];
/** What the Celery executor adds beside the scheduler: Redis, the workers, Flower. */
const CELERY_OBJECTS = [
  'Deployment/airflow-flower', 'PodDisruptionBudget/airflow-worker', 'Service/airflow-flower', 'Service/airflow-redis', 'Service/airflow-worker',
  'ServiceAccount/airflow-flower', 'ServiceAccount/airflow-redis', 'ServiceAccount/airflow-worker',
  'StatefulSet/airflow-redis', 'StatefulSet/airflow-worker',
];

const git = (ref: string) => DagSource.gitSync({ repository: 'https://github.com/example/dags.git', ref });

/** The Airflow construct under another chart id, a wrapper construct and another id: same `name`. */
function synthMoved(): Manifest[] {
  const chart = new Chart(Testing.app(), 'other-chart-id', { namespace: 'airflow' });
  new Airflow(new Construct(chart, 'SomeWrapper'), 'RenamedAirflow', {});
  return Testing.synth(chart);
}

interface UpgradeCase {
  readonly a: () => Manifest[];
  readonly b: () => Manifest[];
}

/** Synthesises once, however many tests read the output. */
function once(synth: () => Manifest[]): () => Manifest[] {
  let manifests: Manifest[] | undefined;
  return () => (manifests ??= synth());
}

function props(a: AirflowProps, b: AirflowProps): UpgradeCase {
  return { a: once(() => synthAirflow(a)), b: once(() => synthAirflow(b)) };
}

const defaults = once(() => synthAirflow());

const CASES = {
  'Airflow 3.0.0 to 3.1.7': props(release('3.0.0'), release('3.1.7')),
  'Airflow 2.11.0 to 3.1.7': props(release('2.11.0'), release('3.1.7')),
  'another image repository, same tag': { a: defaults, b: once(() => synthAirflow({ image: ContainerImage.of('registry.example.com/airflow', '3.1.7') })) },
  'an airflow.cfg option': { a: defaults, b: once(() => synthAirflow({ config: { core: { parallelism: '64' } } })) },
  'Celery worker replicas 2 to 4': props({ executor: Executor.celery({ workers: { replicas: 2 } }) }, { executor: Executor.celery({ workers: { replicas: 4 } }) }),
  'Celery worker resources': props({}, {
    executor: Executor.celery({
      workers: { resources: { cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(4) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } } },
    }),
  }),
  'Celery worker concurrency 16 to 8': props({ executor: Executor.celery({ workers: { concurrency: 16 } }) }, { executor: Executor.celery({ workers: { concurrency: 8 } }) }),
  'git-sync ref main to v2': props({ dags: git('main') }, { dags: git('v2') }),
  'celery to kubernetes': props({ executor: Executor.celery() }, { executor: Executor.kubernetes() }),
  'celery to local': props({ executor: Executor.celery() }, { executor: Executor.local() }),
  'local to celery': props({ executor: Executor.local() }, { executor: Executor.celery() }),
  'kubernetes to celeryAndKubernetes': props({ executor: Executor.kubernetes() }, { executor: Executor.celeryAndKubernetes() }),
  'bundled PostgreSQL storage 8Gi to 20Gi': props({ database: MetadataDatabase.bundledPostgres({ storage: Size.gibibytes(8) }) },
    { database: MetadataDatabase.bundledPostgres({ storage: Size.gibibytes(20) }) }),
  'bundled to external PostgreSQL': { a: defaults, b: once(() => synthAirflow({ database: MetadataDatabase.externalPostgres({ host: 'pg.example.com' }) })) },
  'database password from another Secret': { a: defaults, b: once(() => synthAirflow({ credentials: { databasePassword: SecretKey.of('pg-app', 'password') } })) },
  'construct moved and renamed': { a: defaults, b: once(synthMoved) },
} satisfies Record<string, UpgradeCase>;

type CaseName = keyof typeof CASES;

function run(name: CaseName): { a: Manifest[]; b: Manifest[]; diff: ReleaseDiff } {
  const { a, b } = CASES[name];
  return { a: a(), b: b(), diff: diffReleases(a(), b()) };
}

/** Rules (a), (b) and (c): nothing the API server refuses, no kind swap, no shared pods. */
function expectSafe(diff: ReleaseDiff): void {
  const { immutableViolations, kindSwaps, overlappingSelectors } = diff;
  expect({ immutableViolations, kindSwaps, overlappingSelectors }).toEqual({ immutableViolations: [], kindSwaps: [], overlappingSelectors: [] });
}

const ROLLING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Names of the workloads whose pods satisfy `test`. */
function workloadNames(manifests: Manifest[], test: (workload: Manifest) => boolean): string[] {
  return manifests.filter((m) => ROLLING_KINDS.includes(m.kind) && test(m)).map((m) => m.metadata.name).sort();
}

/** Workloads that run the image repository (Airflow's by default). */
function runningImage(manifests: Manifest[], repository = 'apache/airflow'): string[] {
  return workloadNames(manifests, (w) => allContainers(w).some((c) => String(c.image).startsWith(`${repository}:`)));
}

/** Workloads whose pods read airflow.cfg: they carry its checksum to roll when it changes. */
function readingAirflowCfg(manifests: Manifest[]): string[] {
  return workloadNames(manifests, (w) => podTemplate(w).metadata?.annotations?.[CONFIG_CHECKSUM] !== undefined);
}

function withGitSync(manifests: Manifest[]): string[] {
  return workloadNames(manifests, (w) => allContainers(w).some((c) => String(c.name).startsWith('git-sync')));
}

function readingSecretKey(manifests: Manifest[], secretName: string, key: string): string[] {
  return workloadNames(manifests, (w) => allContainers(w).some((c) => (c.env ?? []).some(
    (e: Manifest) => e.valueFrom?.secretKeyRef?.name === secretName && e.valueFrom.secretKeyRef.key === key)));
}

/** The workload that runs `airflow scheduler`, whatever its kind and name. */
function schedulerName(manifests: Manifest[]): string {
  const names = workloadNames(manifests, (w) => allContainers(w).some((c) => c.args?.[0] === 'scheduler'));
  expect(names).toHaveLength(1);
  return names[0];
}

/** `Kind/name` entries whose name is none of `names`. */
function except(labels: string[], names: string[]): string[] {
  return labels.filter((label) => !names.includes(label.slice(label.indexOf('/') + 1)));
}

describe('upgrade safety: one input changes, the output is applied over the previous one', () => {
  test('Airflow 3.0.0 to 3.1.7: every Airflow workload rolls, the Jobs are replaced', () => {
    const { a, diff } = run('Airflow 3.0.0 to 3.1.7');
    expectSafe(diff);
    expect(diff.rolled).toEqual(AIRFLOW3_WORKLOADS);
    expect(diff.rolled).toEqual(runningImage(a));
    expect(diff.replaced).toEqual(BOTH_JOBS);
    expect([diff.added, diff.removed]).toEqual([[], []]);
  });

  test('Airflow 2.11.0 to 3.1.7: the webserver makes way for the API server and the DAG processor', () => {
    const { a, b, diff } = run('Airflow 2.11.0 to 3.1.7');
    expectSafe(diff);
    expect(diff.removed).toEqual(['Deployment/airflow-webserver', 'Service/airflow-webserver', 'ServiceAccount/airflow-webserver']);
    expect(diff.added).toEqual([
      'Deployment/airflow-api-server', 'Deployment/airflow-dag-processor', 'Service/airflow-api-server',
      'ServiceAccount/airflow-api-server', 'ServiceAccount/airflow-dag-processor',
    ]);
    // Every Airflow workload that both releases have rolls.
    expect(diff.rolled).toEqual(['airflow-flower', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker']);
    expect(diff.rolled).toEqual(runningImage(a).filter((name) => runningImage(b).includes(name)));
    expect(diff.replaced).toEqual(BOTH_JOBS);
  });

  test('another image repository with the same tag: every Airflow workload rolls onto it, nothing else', () => {
    const { a, b, diff } = run('another image repository, same tag');
    expectSafe(diff);
    expect(diff.rolled).toEqual(AIRFLOW3_WORKLOADS);
    expect(diff.rolled).toEqual(runningImage(a));
    expect(runningImage(b, 'registry.example.com/airflow')).toEqual(AIRFLOW3_WORKLOADS);
    expect(runningImage(b)).toEqual([]);
    expect(diff.replaced).toEqual(BOTH_JOBS);
    expect([diff.added, diff.removed]).toEqual([[], []]);
  });

  test('an airflow.cfg option: exactly the pods that read airflow.cfg roll', () => {
    const { a, diff } = run('an airflow.cfg option');
    expectSafe(diff);
    expect(readingAirflowCfg(a)).toEqual(AIRFLOW3_WORKLOADS);
    expect(diff.rolled).toEqual(readingAirflowCfg(a));
    expect(diff.rolled).toEqual(AIRFLOW3_WORKLOADS);
    expect(Object.keys(diff.changedFields)).toContain('ConfigMap/airflow-config');
    // The Jobs read the ConfigMap when they run; their names (and so the Jobs) stay.
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
  });

  test('Celery worker replicas 2 to 4: only the worker StatefulSet\'s spec.replicas changes, nothing rolls', () => {
    const { diff } = run('Celery worker replicas 2 to 4');
    expectSafe(diff);
    expect(diff.rolled).toEqual([]);
    expect(diff.changedFields).toEqual({ 'StatefulSet/airflow-worker': ['spec.replicas'] });
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
  });

  test('Celery worker resources: only the workers roll', () => {
    const { diff } = run('Celery worker resources');
    expectSafe(diff);
    expect(diff.rolled).toEqual(['airflow-worker']);
    expect(Object.keys(diff.changedFields)).toEqual(['StatefulSet/airflow-worker']);
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
  });

  test('Celery worker concurrency 16 to 8: only the workers roll', () => {
    const { diff } = run('Celery worker concurrency 16 to 8');
    expectSafe(diff);
    expect(diff.rolled).toEqual(['airflow-worker']);
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
  });

  test('git-sync ref main to v2: exactly the pods with git-sync containers roll', () => {
    const { a, diff } = run('git-sync ref main to v2');
    expectSafe(diff);
    expect(diff.rolled).toEqual(withGitSync(a));
    expect(diff.rolled).toEqual(['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']);
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
  });

  describe('executor switches', () => {
    test('celery to kubernetes: Redis, workers and Flower go, the pod template and the cleanup come', () => {
      const { diff } = run('celery to kubernetes');
      expectSafe(diff);
      expect(diff.removed).toEqual(CELERY_OBJECTS);
      expect(diff.added).toEqual([
        'ConfigMap/airflow-pod-template', 'CronJob/airflow-cleanup', 'Role/airflow-cleanup', 'Role/airflow-pod-log-reader',
        'RoleBinding/airflow-cleanup', 'RoleBinding/airflow-pod-log-reader', 'ServiceAccount/airflow-cleanup', 'ServiceAccount/airflow-kubernetes-worker',
      ]);
      expect(diff.rolled).toEqual(['airflow-api-server', 'airflow-dag-processor', 'airflow-scheduler', 'airflow-triggerer']);
    });

    test('celery to local: the Celery objects go; the scheduler that runs tasks is a new object beside the old one', () => {
      const { a, b, diff } = run('celery to local');
      expectSafe(diff);
      const [before, after] = [schedulerName(a), schedulerName(b)];
      expect(find(a, 'Deployment', before)).toBeDefined();
      expect(find(b, 'StatefulSet', after)).toBeDefined();
      expect(except(diff.removed, [before, after])).toEqual(CELERY_OBJECTS);
      expect(except(diff.added, [before, after])).toEqual([]);
      expect(diff.removed).toContain(`Deployment/${before}`);
      expect(diff.added).toContain(`StatefulSet/${after}`);
      expect(diff.rolled.filter((name) => name !== before && name !== after)).toEqual(['airflow-api-server', 'airflow-dag-processor', 'airflow-triggerer']);
    });

    test('local to celery: the Celery objects come; the task-running scheduler goes', () => {
      const { a, b, diff } = run('local to celery');
      expectSafe(diff);
      const [before, after] = [schedulerName(a), schedulerName(b)];
      expect(find(a, 'StatefulSet', before)).toBeDefined();
      expect(find(b, 'Deployment', after)).toBeDefined();
      expect(except(diff.added, [before, after])).toEqual(CELERY_OBJECTS);
      expect(except(diff.removed, [before, after])).toEqual([]);
      expect(diff.removed).toContain(`StatefulSet/${before}`);
      expect(diff.added).toContain(`Deployment/${after}`);
    });

    test('kubernetes to celeryAndKubernetes: the Celery objects come, nothing goes', () => {
      const { diff } = run('kubernetes to celeryAndKubernetes');
      expectSafe(diff);
      expect(diff.added).toEqual(CELERY_OBJECTS);
      expect(diff.removed).toEqual([]);
      expect(diff.rolled).toEqual(['airflow-api-server', 'airflow-dag-processor', 'airflow-scheduler', 'airflow-triggerer']);
    });
  });

  test('bundled PostgreSQL storage 8Gi to 20Gi: the data claim grows, nothing else changes', () => {
    const { a, b, diff } = run('bundled PostgreSQL storage 8Gi to 20Gi');
    expectSafe(diff);
    expect(diff.rolled).toEqual([]);
    expect([diff.added, diff.removed, diff.replaced]).toEqual([[], [], []]);
    const changed = Object.keys(diff.changedFields);
    expect(changed).toHaveLength(1);
    const [kind, name] = changed[0].split('/');
    expect(kind).toBe('PersistentVolumeClaim');
    expect(find(a, kind, name).spec.resources.requests.storage).toBe('8Gi');
    expect(find(b, kind, name).spec.resources.requests.storage).toBe('20Gi');
  });

  test('bundled to external PostgreSQL: the PostgreSQL objects go, every Airflow workload rolls', () => {
    const { a, diff } = run('bundled to external PostgreSQL');
    expectSafe(diff);
    expect(diff.removed).toEqual(expect.arrayContaining(['StatefulSet/airflow-postgresql', 'Service/airflow-postgresql', 'ServiceAccount/airflow-postgresql']));
    // Whatever else goes is PostgreSQL's (its data claim, if it is a separate object).
    const removedComponents = a.filter((m) => diff.removed.includes(objectLabel(m))).map((m) => m.metadata.labels?.['app.kubernetes.io/component']);
    expect(new Set(removedComponents)).toEqual(new Set(['postgresql']));
    expect(diff.added).toEqual([]);
    expect(diff.rolled).toEqual(AIRFLOW3_WORKLOADS);
    expect(diff.replaced).toEqual(BOTH_JOBS);
  });

  test('the database password from another Secret: exactly the pods that read it roll', () => {
    const { a, diff } = run('database password from another Secret');
    expectSafe(diff);
    const readers = readingSecretKey(a, 'airflow-credentials', 'postgresql-password');
    expect(readers).toEqual([...AIRFLOW3_WORKLOADS, 'airflow-postgresql'].sort());
    expect(diff.rolled).toEqual(readers);
    // Both Jobs read it too: new Jobs, under new names.
    expect(diff.replaced).toEqual(BOTH_JOBS);
    expect([diff.added, diff.removed]).toEqual([[], []]);
  });

  test('the construct moved under another parent and renamed: the output is the same', () => {
    const { diff } = run('construct moved and renamed');
    expectSafe(diff);
    expect(diff).toMatchObject({ rolled: [], added: [], removed: [], replaced: [], changedFields: {} });
  });
});

describe('every output of every case', () => {
  const outputs: Array<[string, () => Manifest[]]> = Object.entries(CASES).flatMap(([name, c]): Array<[string, () => Manifest[]]> => [
    [`${name} (A)`, c.a], [`${name} (B)`, c.b],
  ]);

  /** The KubernetesExecutor's task pod, when the output has one. */
  const taskPod = (manifests: Manifest[]): Manifest | undefined =>
    (manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name === 'airflow-pod-template') ? podTemplateFile(manifests) : undefined);

  // Argo CD before 3.0 tracks its objects by `app.kubernetes.io/instance`. An object Kubernetes or
  // Airflow creates from a template (a claim of a StatefulSet, a task pod) that copies the label
  // is taken for one of the Application's and, not being in Git, pruned or shown OutOfSync.
  test('objects created at runtime from a template carry no app.kubernetes.io/instance label', () => {
    const offenders: string[] = [];
    for (const [output, synth] of outputs) {
      const manifests = synth();
      for (const m of manifests.filter((x) => x.kind === 'StatefulSet')) {
        for (const t of m.spec.volumeClaimTemplates ?? []) {
          if (t.metadata?.labels?.[INSTANCE_LABEL] !== undefined) {
            offenders.push(`${output}: ${objectLabel(m)} volumeClaimTemplates[${t.metadata.name}]`);
          }
        }
      }
      if (taskPod(manifests)?.metadata?.labels?.[INSTANCE_LABEL] !== undefined) {
        offenders.push(`${output}: the KubernetesExecutor pod template`);
      }
    }
    expect(offenders).toEqual([]);
  });

  // The API server returns each claim template with apiVersion and kind filled in; a template
  // without them never matches the live object (argoproj/argo-cd#16707, #11143).
  test('every volumeClaimTemplates item is an apiVersion v1 PersistentVolumeClaim', () => {
    const offenders: string[] = [];
    for (const [output, synth] of outputs) {
      for (const m of synth().filter((x) => x.kind === 'StatefulSet')) {
        for (const t of m.spec.volumeClaimTemplates ?? []) {
          if (t.apiVersion !== 'v1' || t.kind !== 'PersistentVolumeClaim') {
            offenders.push(`${output}: ${objectLabel(m)} volumeClaimTemplates[${t.metadata?.name}] is ${t.apiVersion}/${t.kind}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test('every resource quantity is written in the canonical form the API server returns', () => {
    const offenders: string[] = [];
    for (const [output, synth] of outputs) {
      const manifests = synth();
      const pod = taskPod(manifests);
      const named = pod && { ...pod, metadata: { ...pod.metadata, name: 'airflow-pod-template[pod_template_file.yaml]' } };
      for (const [where, value] of resourceQuantities(named ? [...manifests, named] : manifests)) {
        if (canonicalQuantity(value) !== value) {
          offenders.push(`${output}: ${where} is ${value}, canonically ${canonicalQuantity(value)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  // A controller adopts orphan pods its selector matches: a task pod so matched would be counted
  // as (and deleted as surplus of) that workload's replicas.
  test('no workload selects the KubernetesExecutor\'s task pods', () => {
    const offenders: string[] = [];
    for (const [output, synth] of outputs) {
      const manifests = synth();
      const labels: Record<string, string> = taskPod(manifests)?.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) {
        continue;
      }
      for (const w of manifests.filter((m) => ROLLING_KINDS.includes(m.kind))) {
        const selector: Record<string, string> = w.spec.selector?.matchLabels ?? {};
        if (Object.entries(selector).every(([k, v]) => labels[k] === v)) {
          offenders.push(`${output}: ${objectLabel(w)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// The rules themselves, on hand-written pairs: each one reports what it is there to catch.
// ------------------------------------------------------------------------------------------------

const labels = (component: string) => ({ 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/component': component });

function deployment(name: string, matchLabels: Record<string, string>, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' },
    spec: { replicas: 1, selector: { matchLabels }, template: { metadata: { labels: matchLabels }, spec: { containers: [{ name: 'c', image: 'i:1' }] } }, ...extra },
  };
}

function statefulSet(name: string, matchLabels: Record<string, string>, extra: Manifest = {}): Manifest {
  const d = deployment(name, matchLabels, { serviceName: name, ...extra });
  return { ...d, kind: 'StatefulSet' };
}

function claim(storage: string, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...extra },
  };
}

function job(name: string, image: string, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ns' },
    spec: { backoffLimit: 6, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } }, ...extra },
  };
}

const fieldsOf = (diff: ReleaseDiff) => diff.immutableViolations.map((v) => `${v.object} ${v.field}`);

describe('the diff rules', () => {
  describe('(a) immutable fields', () => {
    test('a changed Deployment selector is reported; replicas and template are not', () => {
      const before = deployment('web', labels('web'));
      expect(fieldsOf(diffReleases([before], [deployment('web', { ...labels('web'), extra: 'x' })]))).toEqual(['Deployment/web spec.selector']);
      const scaled = deployment('web', labels('web'), { replicas: 3 });
      scaled.spec.template.spec.containers[0].image = 'i:2';
      expect(fieldsOf(diffReleases([before], [scaled]))).toEqual([]);
    });

    test('a changed StatefulSet volumeClaimTemplates, serviceName or podManagementPolicy is reported; replicas, template and updateStrategy are not', () => {
      const vct = (storage: string) => [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage } } } }];
      const before = statefulSet('db', labels('db'), { volumeClaimTemplates: vct('8Gi') });
      expect(fieldsOf(diffReleases([before], [statefulSet('db', labels('db'), { volumeClaimTemplates: vct('20Gi') })])))
        .toEqual(['StatefulSet/db spec.volumeClaimTemplates']);
      expect(fieldsOf(diffReleases([before], [statefulSet('db', labels('db'), { volumeClaimTemplates: vct('8Gi'), serviceName: 'other', podManagementPolicy: 'Parallel' })])))
        .toEqual(['StatefulSet/db spec.podManagementPolicy', 'StatefulSet/db spec.serviceName']);
      const allowed = statefulSet('db', labels('db'), { volumeClaimTemplates: vct('8Gi'), replicas: 2, updateStrategy: { type: 'OnDelete' } });
      allowed.spec.template.metadata.annotations = { a: 'b' };
      expect(fieldsOf(diffReleases([before], [allowed]))).toEqual([]);
    });

    test('a shrunk PersistentVolumeClaim is reported, a grown one is not; any other spec change is', () => {
      expect(fieldsOf(diffReleases([claim('20Gi')], [claim('8Gi')]))).toEqual(['PersistentVolumeClaim/data spec.resources.requests.storage']);
      expect(fieldsOf(diffReleases([claim('1Gi')], [claim('1000Mi')]))).toEqual(['PersistentVolumeClaim/data spec.resources.requests.storage']);
      expect(fieldsOf(diffReleases([claim('8Gi')], [claim('20Gi')]))).toEqual([]);
      expect(fieldsOf(diffReleases([claim('1Gi')], [claim('1024Mi')]))).toEqual([]);
      expect(fieldsOf(diffReleases([claim('8Gi')], [claim('8Gi', { storageClassName: 'fast' })]))).toEqual(['PersistentVolumeClaim/data spec.storageClassName']);
      const limited = claim('8Gi');
      limited.spec.resources.limits = { storage: '9Gi' };
      expect(fieldsOf(diffReleases([claim('8Gi')], [limited]))).toEqual(['PersistentVolumeClaim/data spec.resources.limits.storage']);
    });

    test('a Job spec.template change is reported; parallelism is not; a renamed Job is a replacement', () => {
      expect(fieldsOf(diffReleases([job('migrate', 'i:1')], [job('migrate', 'i:2')]))).toEqual(['Job/migrate spec.template']);
      expect(fieldsOf(diffReleases([job('migrate', 'i:1')], [job('migrate', 'i:1', { completions: 2 })]))).toEqual(['Job/migrate spec.completions']);
      expect(fieldsOf(diffReleases([job('migrate', 'i:1')], [job('migrate', 'i:1', { parallelism: 2, backoffLimit: 1, activeDeadlineSeconds: 60 })]))).toEqual([]);
      const renamed = diffReleases([job('migrate-0123456789', 'i:1')], [job('migrate-abcdef0123', 'i:2')]);
      expect(renamed).toMatchObject({ replaced: ['Job/migrate'], added: [], removed: [], immutableViolations: [] });
    });

    test('a Service that stops being headless is reported', () => {
      const service = (clusterIP?: string): Manifest => ({
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'ns' }, spec: { clusterIP, selector: labels('web'), ports: [{ port: 80 }] },
      });
      expect(fieldsOf(diffReleases([service('None')], [service()]))).toEqual(['Service/svc spec.clusterIP']);
      expect(fieldsOf(diffReleases([service('None')], [service('None')]))).toEqual([]);
    });

    test('a RoleBinding to another Role is reported', () => {
      const binding = (role: string): Manifest => ({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'ns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
      });
      expect(fieldsOf(diffReleases([binding('a')], [binding('b')]))).toEqual(['RoleBinding/rb roleRef']);
    });

    test('new data in an immutable ConfigMap is reported, in a mutable one not', () => {
      const configMap = (value: string, immutable?: boolean): Manifest => ({
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, immutable, data: { key: value },
      });
      expect(fieldsOf(diffReleases([configMap('1', true)], [configMap('2', true)]))).toEqual(['ConfigMap/cm data']);
      expect(fieldsOf(diffReleases([configMap('1')], [configMap('2')]))).toEqual([]);
    });
  });

  test('(b) a name that turns from a Deployment into a StatefulSet is a kind swap', () => {
    const diff = diffReleases([deployment('scheduler', labels('scheduler'))], [statefulSet('scheduler', labels('scheduler'))]);
    expect(diff.kindSwaps).toEqual([{ namespace: 'ns', name: 'scheduler', before: ['Deployment'], after: ['StatefulSet'] }]);
    const service: Manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'scheduler', namespace: 'ns' }, spec: {} };
    expect(diffReleases([deployment('scheduler', labels('scheduler'))], [deployment('scheduler', labels('scheduler')), service]).kindSwaps).toEqual([]);
  });

  test('(c) two workloads whose selectors can match one pod are reported', () => {
    const scheduler = deployment('scheduler', labels('scheduler'));
    const localScheduler = statefulSet('local-scheduler', labels('scheduler'));
    expect(diffReleases([scheduler], [localScheduler]).overlappingSelectors).toEqual([
      { namespace: 'ns', workloads: ['Deployment/scheduler', 'StatefulSet/local-scheduler'] },
    ]);
    // A selector with fewer keys matches every pod of the one with more.
    expect(diffReleases([], [deployment('all', { 'app.kubernetes.io/name': 'demo' }), scheduler]).overlappingSelectors).toHaveLength(1);
    // A conflicting value on a shared key keeps them apart, as do namespaces; one object is not a pair.
    expect(diffReleases([scheduler], [statefulSet('local-scheduler', labels('local-scheduler'))]).overlappingSelectors).toEqual([]);
    const elsewhere = { ...localScheduler, metadata: { name: 'local-scheduler', namespace: 'other' } };
    expect(diffReleases([scheduler], [elsewhere]).overlappingSelectors).toEqual([]);
    expect(diffReleases([scheduler], [deployment('scheduler', labels('scheduler'), { replicas: 2 })]).overlappingSelectors).toEqual([]);
    expect(selectorsOverlap({ a: '1' }, { b: '2' })).toBe(true);
    expect(selectorsOverlap({ a: '1', b: '2' }, { a: '1', b: '3' })).toBe(false);
  });

  test('(d) a workload rolls when its pod template changes, not when its replicas do', () => {
    const before = [deployment('web', labels('web')), statefulSet('db', labels('db'))];
    const after = [deployment('web', labels('web'), { replicas: 5 }), statefulSet('db', labels('db'))];
    after[1].spec.template.metadata.annotations = { 'checksum/airflow-config': 'abc' };
    const diff = diffReleases(before, [...after, claim('1Gi')]);
    expect(diff.rolled).toEqual(['db']);
    expect(diff.added).toEqual(['PersistentVolumeClaim/data']);
    expect(diff.changedFields).toEqual({
      'Deployment/web': ['spec.replicas'],
      'StatefulSet/db': ['spec.template.metadata.annotations["checksum/airflow-config"]'],
    });
  });

  test('changed paths name leaves, list items and odd keys', () => {
    expect(changedPaths({ a: { b: [1, 2] }, 'c/d': 1 }, { a: { b: [1, 3, 4] }, 'c/d': 2 })).toEqual(['a.b[1]', 'a.b[2]', '["c/d"]']);
    expect(changedPaths('x', 'y')).toEqual(['(root)']);
  });

  test.each([
    ['1000m', '1'], ['2000m', '2'], ['1500m', '1500m'], ['500m', '500m'], ['0.5', '500m'], ['0.1', '100m'], ['1', '1'], [2, '2'],
    ['1000', '1k'], ['1500', '1500'], ['1000M', '1G'], ['1G', '1G'], ['1024Mi', '1Gi'], ['2048Mi', '2Gi'], ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['1Gi', '1Gi'], ['8Gi', '8Gi'], ['1024Ki', '1Mi'], ['512Ki', '512Ki'], ['0.5Ki', '512'],
    ['100', '100'], ['0', '0'], ['0Gi', '0'], ['1e3', '1e3'], ['1000e0', '1e3'], ['0.0000000001', '1n'],
  ])('the canonical form of %p is %p', (input, canonical) => {
    expect(canonicalQuantity(input)).toBe(canonical);
  });

  test('quantities compare by value', () => {
    expect(quantityCompare('1Gi', '1024Mi')).toBe(0);
    expect(quantityCompare('1G', '1Gi')).toBe(-1);
    expect(quantityCompare('20Gi', '8Gi')).toBe(1);
    expect(quantityCompare('1', '999m')).toBe(1);
  });
});
