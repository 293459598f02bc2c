import { Duration, Testing } from 'cdk8s';
import { AirflowVersion, ContainerImage, Executor, airflowConfig } from '../../lib';
import { AirflowConfigurationError } from '../../lib/validation';
import { Manifest, airflowIn, container, find, ofKind, podTemplate } from '../helpers';

const subjects = (manifests: Manifest[]) => find(manifests, 'RoleBinding', 'airflow-pod-launcher').subjects.map((s: Manifest) => s.name);

describe('CeleryWorkers', () => {
  test('the default workers: a StatefulSet behind a headless Service, on the default queue', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.celery({ workers: { replicas: 3, terminationGracePeriod: Duration.minutes(30) } }) });
    const workers = airflow.workers!;
    expect([workers.setName, workers.queues, workers.replicas, workers.concurrency]).toEqual([undefined, ['default'], 3, 16]);
    expect([workers.statefulSet.name, workers.service.name, workers.serviceAccount.name]).toEqual(['airflow-worker', 'airflow-worker', 'airflow-worker']);
    expect(workers.terminationGracePeriod.toSeconds()).toBe(1800);
    const sts = find(Testing.synth(chart), 'StatefulSet', 'airflow-worker');
    expect([sts.spec.replicas, podTemplate(sts).spec.terminationGracePeriodSeconds]).toEqual([3, 1800]);
    // The queue comes from airflow.cfg; the concurrency is a flag, so changing it rolls the workers only.
    expect(container(sts, 'worker').args).toEqual(['celery', 'worker', '--concurrency', '16']);
  });

  test('their queue follows [operators] default_queue', () => {
    expect(airflowIn({ config: { operators: { default_queue: 'main' } } }).airflow.workers!.queues).toEqual(['main']);
  });
});

describe('worker sets (Airflow.addWorkerSet)', () => {
  const { chart, airflow } = airflowIn();
  const gpu = airflow.addWorkerSet('gpu', { queues: ['gpu', 'ml'], replicas: 1, concurrency: 4 });
  const manifests = Testing.synth(chart);

  test('a set has objects of its own, takes only its queues, with its own concurrency', () => {
    expect([gpu.setName, gpu.queues, gpu.replicas, gpu.concurrency]).toEqual(['gpu', ['gpu', 'ml'], 1, 4]);
    expect([gpu.statefulSet.name, gpu.service.name, gpu.serviceAccount.name]).toEqual(['airflow-worker-gpu', 'airflow-worker-gpu', 'airflow-worker-gpu']);
    const sts = find(manifests, 'StatefulSet', 'airflow-worker-gpu');
    expect(container(sts, 'worker').args).toEqual(['celery', 'worker', '--queues', 'gpu,ml', '--concurrency', '4']);
    expect(sts.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('worker-gpu');
    expect(find(manifests, 'Service', 'airflow-worker-gpu').spec).toMatchObject({ clusterIP: 'None', selector: sts.spec.selector.matchLabels });
    // Without its own concurrency a set takes the default workers'.
    const { chart: other, airflow: withSet } = airflowIn({ executor: Executor.celery({ workers: { concurrency: 8 } }) });
    const io = withSet.addWorkerSet('io', { queues: ['io'] });
    expect([io.replicas, io.concurrency]).toEqual([2, 8]);
    expect(container(find(Testing.synth(other), 'StatefulSet', 'airflow-worker-io'), 'worker').args).toEqual(['celery', 'worker', '--queues', 'io', '--concurrency', '8']);
  });

  test('a set is a worker like the default ones: the broker, the DAGs, and the pod-launcher Role', () => {
    const sts = find(manifests, 'StatefulSet', 'airflow-worker-gpu');
    const env = container(sts, 'worker').env.map((e: Manifest) => e.name);
    expect(env).toEqual(container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').env.map((e: Manifest) => e.name));
    expect(podTemplate(sts).spec.containers.map((c: Manifest) => c.name)).toEqual(['worker', 'log-groomer']);
    expect(podTemplate(sts).spec.automountServiceAccountToken).toBe(true);
    expect(subjects(manifests)).toEqual(['airflow-worker', 'airflow-worker-gpu']);
    const noOperator = airflowIn({ kubernetesPodOperator: false });
    noOperator.airflow.addWorkerSet('gpu', { queues: ['gpu'] });
    expect(ofKind(Testing.synth(noOperator.chart), 'RoleBinding')).toEqual([]);
  });

  const problems = (add: () => unknown) => {
    try {
      add();
    } catch (err) {
      return (err as AirflowConfigurationError).problems;
    }
    return [];
  };

  test('a set is placed on nodes of its own, and the default workers stay where they were', () => {
    const { airflow, chart } = airflowIn({ executor: Executor.celery() });
    const toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    airflow.addWorkerSet('gpu', { queues: ['gpu'], pod: { nodeSelector: { 'example.com/pool': 'gpu' }, tolerations: [toleration], priorityClassName: 'batch' } });
    const manifests = Testing.synth(chart);
    const gpu = podTemplate(find(manifests, 'StatefulSet', 'airflow-worker-gpu')).spec;
    expect(gpu.nodeSelector).toEqual({ 'example.com/pool': 'gpu' });
    expect(gpu.tolerations).toEqual([toleration]);
    expect(gpu.priorityClassName).toBe('batch');
    const main = podTemplate(find(manifests, 'StatefulSet', 'airflow-worker')).spec;
    expect([main.nodeSelector, main.tolerations, main.priorityClassName]).toEqual([undefined, undefined, undefined]);
  });

  test('queues are checked: valid, not taken, not twice', () => {
    const a = airflowIn().airflow;
    a.addWorkerSet('gpu', { queues: ['gpu'] });
    expect(problems(() => a.addWorkerSet('more', { queues: ['default', 'gpu', 'x,y', 'z', 'z'] }))).toEqual([
      'queues[0]: the queue is taken by the default workers (got "default"). Fix: give each worker set queues of its own',
      'queues[1]: the queue is taken by the worker set "gpu" (got "gpu"). Fix: give each worker set queues of its own',
      'queues[2]: not a queue name (got "x,y"). Fix: use letters, digits, "_", ".", ":" and "-"',
      'queues[4]: listed twice (got "z"). Fix: list each queue once',
    ]);
    expect(problems(() => a.addWorkerSet('none', { queues: [] }))).toEqual([
      'queues: a worker set takes tasks from at least one queue of its own (got []). Fix: e.g. queues: ["gpu"]',
    ]);
    // Nothing was added by the refused calls.
    expect(a.node.children.filter((c) => c.node.id.startsWith('WorkerSet-')).map((c) => c.node.id)).toEqual(['WorkerSet-gpu']);
  });

  test('names and sizes are checked, all at once', () => {
    const a = airflowIn().airflow;
    a.addWorkerSet('gpu', { queues: ['gpu'] });
    expect(problems(() => a.addWorkerSet('gpu', { queues: ['other'] }))).toEqual([
      'name: there is a worker set of that name already (got "gpu"). Fix: give each worker set a name of its own',
    ]);
    expect(problems(() => a.addWorkerSet('GPU_Set', { queues: ['q'], replicas: -1, concurrency: 0 }))).toEqual([
      'name: must be a DNS label (it is part of object names) (got "GPU_Set"). Fix: use lower-case letters, digits and "-", starting with a letter, e.g. "gpu"',
      'replicas: must be a whole number, 0 or more (got -1). Fix: e.g. 1',
      'concurrency: must be a whole number, 1 or more (got 0). Fix: e.g. 16',
    ]);
    expect(problems(() => a.addWorkerSet('x'.repeat(40), { queues: ['q'] }))[0]).toMatch(/^name: "airflow-worker-x{40}" would be longer than 52 characters/);
  });

  test('only executors with Celery workers have worker sets', () => {
    expect(() => airflowIn({ executor: Executor.kubernetes() }).airflow.addWorkerSet('gpu', { queues: ['gpu'] })).toThrow(
      'Airflow "test/airflow", addWorkerSet("gpu"): 1 problem in the configuration:\n' +
      '  - executor: worker sets are groups of Celery workers (got "KubernetesExecutor"). Fix: use Executor.celery() or Executor.celeryAndKubernetes()');
    expect(airflowIn({ executor: Executor.celeryAndKubernetes() }).airflow.addWorkerSet('gpu', { queues: ['gpu'] }).queues).toEqual(['gpu']);
  });

  test('on Airflow 2 the CeleryKubernetesExecutor keeps its kubernetes queue', () => {
    const v2 = { version: AirflowVersion.V2_11_0, image: ContainerImage.of('apache/airflow', '2.11.0'), executor: Executor.celeryAndKubernetes() };
    expect(problems(() => airflowIn(v2).airflow.addWorkerSet('k', { queues: ['kubernetes'] }))).toEqual([
      'queues[0]: the queue is taken by the KubernetesExecutor (CeleryKubernetesExecutor) (got "kubernetes"). Fix: give each worker set queues of its own',
    ]);
    const renamed = airflowIn({ ...v2, config: airflowConfig({ celery_kubernetes_executor: { kubernetes_queue: 'pods' } }) }).airflow;
    expect(renamed.addWorkerSet('k', { queues: ['kubernetes'] }).queues).toEqual(['kubernetes']);
  });
});
