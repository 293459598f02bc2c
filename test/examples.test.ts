import { parse } from 'yaml';
import { EXAMPLES, Manifest, airflowCfgText, container, find, podTemplate, synthExample } from './helpers';

const cfg = (manifests: Manifest[]) => airflowCfgText(manifests);
const kinds = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();

// Each example's whole output is pinned by its committed dist/ (output-stability.test.ts).
describe.each(Object.keys(EXAMPLES))('example %s', (name) => {
  const manifests = synthExample(name);

  test('every object is in namespace airflow, which the example creates', () => {
    expect(manifests[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'airflow' } });
    expect(manifests.slice(1).every((m) => m.metadata.namespace === 'airflow')).toBe(true);
  });
});

test('kubernetes-executor: the objects of a KubernetesExecutor deployment, task pods on Linux nodes', () => {
  const manifests = synthExample('kubernetes-executor');
  expect(kinds(manifests).filter((k) => /redis|flower|airflow-worker$/.test(k))).toEqual([]);
  expect(kinds(manifests)).toEqual(expect.arrayContaining([
    'ConfigMap/airflow-pod-template', 'CronJob/airflow-cleanup', 'ServiceAccount/airflow-kubernetes-worker', 'Role/airflow-pod-log-reader',
  ]));
  const pod = parse(find(manifests, 'ConfigMap', 'airflow-pod-template').data['pod_template_file.yaml']);
  expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
});

test('celery-kubernetes-executor: both executors, task pods tolerate the dedicated pool', () => {
  const manifests = synthExample('celery-kubernetes-executor');
  expect(cfg(manifests)).toContain('executor = CeleryExecutor,KubernetesExecutor\n');
  expect(find(manifests, 'StatefulSet', 'airflow-worker').spec.replicas).toBe(2);
  const pod = parse(find(manifests, 'ConfigMap', 'airflow-pod-template').data['pod_template_file.yaml']);
  expect(pod.spec.tolerations).toEqual([{ key: 'example.com/pool', operator: 'Equal', value: 'airflow-tasks', effect: 'NoSchedule' }]);
  expect(find(manifests, 'CronJob', 'airflow-cleanup').spec.schedule).toBe('*/30 * * * *');
});

test('local-executor: a bigger scheduler that runs the tasks, no workers', () => {
  const manifests = synthExample('local-executor');
  expect(cfg(manifests)).toContain('executor = LocalExecutor\nload_examples = False\nparallelism = 8\n');
  const scheduler = find(manifests, 'StatefulSet', 'airflow-local-scheduler');
  expect(podTemplate(scheduler).spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
  expect(kinds(manifests).filter((k) => /redis|flower|worker|pod-template|CronJob/.test(k))).toEqual([]);
});

test('airflow2-celery: the webserver, Airflow 2 options, and the standalone DAG processor', () => {
  const manifests = synthExample('airflow2-celery');
  expect(kinds(manifests)).toEqual(expect.arrayContaining(['Deployment/airflow-webserver', 'Service/airflow-webserver', 'Deployment/airflow-dag-processor']));
  expect(kinds(manifests).filter((k) => k.includes('api-server'))).toEqual([]);
  expect(cfg(manifests)).toContain('[webserver]\nexpose_config = False\ninstance_name = Airflow 2.11\nweb_server_port = 8080\n');
  expect(cfg(manifests)).toContain('[scheduler]\nstandalone_dag_processor = True\n');
  expect(find(manifests, 'Deployment', 'airflow-webserver').spec.template.spec.containers[0].image).toBe('apache/airflow:2.11.0');
});

test('DAGs: the Airflow 3 examples ship dags/ as a ConfigMap; only Airflow 2.11 pulls the walkthrough\'s own repository', () => {
  // The walkthrough's DAGs use import paths Airflow 3 removed (airflow.contrib, python_operator),
  // which 2.11 still serves with deprecation warnings.
  for (const name of ['kubernetes-executor', 'celery-kubernetes-executor', 'local-executor']) {
    expect(Object.keys(find(synthExample(name), 'ConfigMap', 'airflow-dags').data)).toEqual(expect.arrayContaining(['etl_in_pods.py', 'etl_on_workers.py']));
  }
  const v2 = synthExample('airflow2-celery');
  expect(v2.filter((m) => m.metadata.name === 'airflow-dags')).toEqual([]);
  expect(container(find(v2, 'StatefulSet', 'airflow-worker'), 'git-sync').args).toContain('--repo=https://github.com/damavis/airflow-dags.git');
});
