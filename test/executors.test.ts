import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { AirflowProps, DagSource, Executor } from '../lib';
import { Manifest, airflowCfgText, container, find, ofKind, podTemplate, release, synthAirflow, workloads } from './helpers';

const GIT = DagSource.gitSync({ repository: 'https://example.com/dags.git' });
const AIRFLOW_2 = release('2.11.0');

const cfg = (manifests: Manifest[]) => airflowCfgText(manifests);
const names = (manifests: Manifest[], kind: string) => ofKind(manifests, kind).map((m) => m.metadata.name).sort();
const podTemplateFile = (manifests: Manifest[]) =>
  parse(find(manifests, 'ConfigMap', 'airflow-pod-template').data['pod_template_file.yaml']) as Manifest;
const launcherSubjects = (manifests: Manifest[]) =>
  manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata.name === 'airflow-pod-launcher')
    .flatMap((b) => b.subjects.map((s: Manifest) => `${s.kind}/${s.namespace}/${s.name}`));

describe('KubernetesExecutor', () => {
  const manifests = synthAirflow({
    executor: Executor.kubernetes({
      workerPods: {
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
        nodeSelector: { 'example.com/pool': 'tasks' },
        tolerations: [{ key: 'example.com/pool', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } } },
        priorityClassName: 'airflow-tasks',
      },
    }),
    dags: GIT,
  });

  test('no broker, no Celery workers, no Flower, no Celery settings', () => {
    expect(manifests.filter((m) => ['airflow-redis', 'airflow-flower', 'airflow-worker'].includes(m.metadata.name))).toEqual([]);
    expect(cfg(manifests)).not.toContain('[celery]');
    for (const workload of workloads(manifests)) {
      for (const c of [...podTemplate(workload).spec.containers, ...(podTemplate(workload).spec.initContainers ?? [])]) {
        expect((c.env ?? []).map((e: Manifest) => e.name)).not.toContain('AIRFLOW__CELERY__BROKER_URL');
      }
    }
  });

  test('[core] executor and [kubernetes_executor] point at this namespace and the mounted pod template', () => {
    expect(cfg(manifests)).toContain('executor = KubernetesExecutor\n');
    expect(cfg(manifests)).toContain(
      '[kubernetes_executor]\nnamespace = airflow\npod_template_file = /opt/airflow/pod_templates/pod_template_file.yaml\n');
  });

  test('the scheduler mounts the pod template file where the config says, and rolls when it changes', () => {
    const scheduler = find(manifests, 'Deployment', 'airflow-scheduler');
    expect(container(scheduler, 'scheduler').volumeMounts).toContainEqual({
      name: 'pod-template', mountPath: '/opt/airflow/pod_templates/pod_template_file.yaml', subPath: 'pod_template_file.yaml', readOnly: true,
    });
    expect(podTemplate(scheduler).spec.volumes).toContainEqual({
      name: 'pod-template',
      configMap: { name: 'airflow-pod-template', items: [{ key: 'pod_template_file.yaml', path: 'pod_template_file.yaml' }] },
    });
    const checksum = (m: Manifest[]) => podTemplate(find(m, 'Deployment', 'airflow-scheduler')).metadata.annotations['checksum/pod-template'];
    expect(checksum(manifests)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(synthAirflow({ executor: Executor.kubernetes(), dags: GIT }))).not.toBe(checksum(manifests));
    // Starting pods takes the Kubernetes API: the scheduler's token is mounted.
    expect(podTemplate(scheduler).spec.automountServiceAccountToken).toBe(true);
    // On Airflow 3 the scheduler reads serialized DAGs: no DAG files, no git-sync.
    expect(podTemplate(scheduler).spec.containers.map((c: Manifest) => c.name)).toEqual(['scheduler', 'log-groomer']);
  });

  test('the pod template is a worker pod: image, config, Secrets, logs, DAGs, hardening, ServiceAccount', () => {
    const pod = podTemplateFile(manifests);
    expect(pod.apiVersion).toBe('v1');
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.labels['app.kubernetes.io/component']).toBe('kubernetes-worker');
    const spec = pod.spec;
    expect(spec.serviceAccountName).toBe('airflow-kubernetes-worker');
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.securityContext).toEqual({ runAsUser: 50000, runAsGroup: 0, fsGroup: 0, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.nodeSelector).toEqual({ 'example.com/pool': 'tasks' });
    expect(spec.tolerations).toEqual([{ key: 'example.com/pool', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key).toBe('kubernetes.io/arch');
    expect(spec.priorityClassName).toBe('airflow-tasks');

    // Airflow replaces the command of the container called "base"; there is no other.
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual(['base']);
    const base = spec.containers[0];
    expect(base.image).toBe('apache/airflow:3.1.7');
    expect(base.args).toBeUndefined();
    expect(base.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(base.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsNonRoot: true });
    expect(base.volumeMounts).toEqual([
      { name: 'config', mountPath: '/opt/airflow/airflow.cfg', subPath: 'airflow.cfg', readOnly: true },
      { name: 'logs', mountPath: '/opt/airflow/logs' },
      { name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true },
    ]);
    expect(base.env.map((e: Manifest) => e.name)).toEqual([
      'AIRFLOW__CORE__FERNET_KEY', 'AIRFLOW__API__SECRET_KEY', 'AIRFLOW__API_AUTH__JWT_SECRET', 'AIRFLOW_DATABASE_PASSWORD', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      'AIRFLOW_CONN_AIRFLOW_DB',
    ]);
    // The same env as a long-running component, so a task sees the same configuration.
    const dagProcessor = container(find(manifests, 'Deployment', 'airflow-dag-processor'), 'dag-processor');
    expect(base.env).toEqual(dagProcessor.env);

    // A one-time git-sync copy: a sidecar would keep the pod from ever finishing.
    expect(spec.initContainers.map((c: Manifest) => c.name)).toEqual(['git-sync-init']);
    expect(spec.initContainers[0].args).toContain('--one-time');
    expect(spec.volumes.map((v: Manifest) => v.name)).toEqual(['config', 'logs', 'dags', 'git-sync-tmp']);
    expect(spec.volumes[0]).toEqual({ name: 'config', configMap: { name: 'airflow-config', items: [{ key: 'airflow.cfg', path: 'airflow.cfg' }] } });
  });

  test('task pods carry labels that no workload selects, so no controller adopts them', () => {
    const labels = podTemplateFile(manifests).metadata.labels;
    const controllers = workloads(manifests).filter((w) => ['Deployment', 'StatefulSet'].includes(w.kind));
    expect(controllers.length).toBeGreaterThan(3);
    for (const workload of controllers) {
      const selector: Record<string, string> = workload.spec.selector.matchLabels;
      const matches = Object.entries(selector).every(([k, v]) => labels[k] === v);
      expect([workload.metadata.name, matches]).toEqual([workload.metadata.name, false]);
    }
  });

  test('the task pods ServiceAccount exists and its token is mounted for KubernetesPodOperator', () => {
    expect(names(manifests, 'ServiceAccount')).toContain('airflow-kubernetes-worker');
    expect(podTemplateFile(manifests).spec.automountServiceAccountToken).toBe(true);
    const withoutOperator = synthAirflow({ executor: Executor.kubernetes(), kubernetesPodOperator: false });
    expect(podTemplateFile(withoutOperator).spec.automountServiceAccountToken).toBe(false);
  });

  test('the API server may read running task pods and their logs, nothing more', () => {
    const role = find(manifests, 'Role', 'airflow-pod-log-reader');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ]);
    expect(find(manifests, 'RoleBinding', 'airflow-pod-log-reader').subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-api-server', namespace: 'airflow' }]);
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-api-server')).spec.automountServiceAccountToken).toBe(true);
  });

  test('a CronJob deletes finished task pods in this namespace, with a Role for exactly that', () => {
    const cronJob = find(manifests, 'CronJob', 'airflow-cleanup');
    expect(cronJob.spec.schedule).toBe('*/15 * * * *');
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    const pod = podTemplate(cronJob).spec;
    expect(pod.serviceAccountName).toBe('airflow-cleanup');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.restartPolicy).toBe('Never');
    expect(container(cronJob, 'cleanup').args).toEqual(['kubernetes', 'cleanup-pods', '--namespace=airflow']);
    expect(pod.initContainers).toBeUndefined();
    expect(find(manifests, 'Role', 'airflow-cleanup').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] }]);
    expect(find(manifests, 'RoleBinding', 'airflow-cleanup').subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-cleanup', namespace: 'airflow' }]);
  });

  test('the cleanup schedule is settable and the CronJob can be left out', () => {
    const custom = synthAirflow({ executor: Executor.kubernetes({ cleanup: { schedule: '0 * * * *' } }) });
    expect(find(custom, 'CronJob', 'airflow-cleanup').spec.schedule).toBe('0 * * * *');
    const none = synthAirflow({ executor: Executor.kubernetes({ cleanup: { enabled: false } }) });
    expect(ofKind(none, 'CronJob')).toEqual([]);
    expect(names(none, 'Role')).toEqual(['airflow-pod-launcher', 'airflow-pod-log-reader', 'airflow-pod-watcher']);
  });

  test('Airflow 2: task pods get the webserver secret key and no Airflow 3 settings', () => {
    const v2 = synthAirflow({ ...AIRFLOW_2, executor: Executor.kubernetes() });
    const base = podTemplateFile(v2).spec.containers[0];
    expect(base.image).toBe('apache/airflow:2.11.0');
    expect(base.env.map((e: Manifest) => e.name)).toEqual([
      'AIRFLOW__CORE__FERNET_KEY', 'AIRFLOW__WEBSERVER__SECRET_KEY', 'AIRFLOW_DATABASE_PASSWORD', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      'AIRFLOW_CONN_AIRFLOW_DB',
    ]);
    expect(find(v2, 'RoleBinding', 'airflow-pod-log-reader').subjects[0].name).toBe('airflow-webserver');
  });
});

describe('Celery and Kubernetes executors together', () => {
  const v3 = synthAirflow({ executor: Executor.celeryAndKubernetes(), dags: GIT });
  const v2 = synthAirflow({ ...AIRFLOW_2, executor: Executor.celeryAndKubernetes(), dags: GIT });

  test('Airflow 3 runs both executors side by side; Airflow 2 uses the CeleryKubernetesExecutor', () => {
    expect(cfg(v3)).toContain('executor = CeleryExecutor,KubernetesExecutor\n');
    expect(cfg(v2)).toContain('executor = CeleryKubernetesExecutor\n');
  });

  test('both sets of objects: Redis, workers, Flower, and the pod template, cleanup and log reader', () => {
    for (const manifests of [v3, v2]) {
      expect(names(manifests, 'StatefulSet')).toEqual(['airflow-postgresql', 'airflow-redis', 'airflow-triggerer', 'airflow-worker']);
      expect(names(manifests, 'ConfigMap')).toEqual(['airflow-config', 'airflow-pod-template']);
      expect(names(manifests, 'CronJob')).toEqual(['airflow-cleanup']);
      expect(cfg(manifests)).toContain('[kubernetes_executor]\nnamespace = airflow\n');
      expect(container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').args).toEqual(['celery', 'worker', '--concurrency', '16']);
    }
  });

  test('Celery workers and task pods have ServiceAccounts of their own', () => {
    expect(podTemplate(find(v3, 'StatefulSet', 'airflow-worker')).spec.serviceAccountName).toBe('airflow-worker');
    expect(podTemplateFile(v3).spec.serviceAccountName).toBe('airflow-kubernetes-worker');
  });
});

describe('LocalExecutor', () => {
  const manifests = synthAirflow({ executor: Executor.local(), dags: GIT });

  test('no broker, no workers, no pod template: the scheduler runs the tasks', () => {
    expect(cfg(manifests)).toContain('executor = LocalExecutor\n');
    expect(names(manifests, 'StatefulSet')).toEqual(['airflow-local-scheduler', 'airflow-postgresql', 'airflow-triggerer']);
    expect(names(manifests, 'ConfigMap')).toEqual(['airflow-config']);
    expect(ofKind(manifests, 'Deployment').map((d) => d.metadata.name)).not.toContain('airflow-scheduler');
  });

  test('the scheduler is a StatefulSet of another name and selector than the Deployment of other executors', () => {
    // A switch of executor adds one and removes the other: never one kind turned into another
    // under one name, and never two controllers selecting the same pods while both exist.
    const deployment = find(synthAirflow({ dags: GIT }), 'Deployment', 'airflow-scheduler');
    const statefulSet = find(manifests, 'StatefulSet', 'airflow-local-scheduler');
    expect(statefulSet.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('local-scheduler');
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('scheduler');
    expect(container(statefulSet, 'scheduler').args).toEqual(['scheduler']);
  });

  test('the scheduler has the DAG files and serves task logs on 8793 behind a headless Service', () => {
    const scheduler = find(manifests, 'StatefulSet', 'airflow-local-scheduler');
    expect(scheduler.spec.serviceName).toBe('airflow-local-scheduler');
    expect(podTemplate(scheduler).spec.containers.map((c: Manifest) => c.name)).toEqual(['scheduler', 'git-sync', 'log-groomer']);
    const main = container(scheduler, 'scheduler');
    expect(main.ports).toEqual([{ name: 'worker-logs', containerPort: 8793, protocol: 'TCP' }]);
    expect(main.readinessProbe.tcpSocket.port).toBe('worker-logs');
    expect(main.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true });
    const service = find(manifests, 'Service', 'airflow-local-scheduler');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'worker-logs', port: 8793, targetPort: 'worker-logs', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(scheduler.spec.selector.matchLabels);
  });
});

describe('who may start pods, per executor', () => {
  const sa = (name: string) => `ServiceAccount/airflow/airflow-${name}`;
  const cases: Array<[string, AirflowProps, string[], string[]]> = [
    // [executor, props, pod-launcher subjects, pods with a mounted token]. Where task code may
    // start pods, the triggerer follows deferred ones (the pod-watcher Role) and has a token too.
    ['Celery', { executor: Executor.celery() }, [sa('worker')], ['airflow-triggerer', 'airflow-worker']],
    ['Celery, no pod operator', { executor: Executor.celery(), kubernetesPodOperator: false }, [], []],
    ['Kubernetes', { executor: Executor.kubernetes() },
      [sa('scheduler'), sa('kubernetes-worker')], ['airflow-api-server', 'airflow-cleanup', 'airflow-scheduler', 'airflow-triggerer']],
    ['Kubernetes, no pod operator', { executor: Executor.kubernetes(), kubernetesPodOperator: false },
      [sa('scheduler')], ['airflow-api-server', 'airflow-cleanup', 'airflow-scheduler']],
    ['Celery + Kubernetes', { executor: Executor.celeryAndKubernetes() },
      [sa('scheduler'), sa('worker'), sa('kubernetes-worker')], ['airflow-api-server', 'airflow-cleanup', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker']],
    ['Local', { executor: Executor.local() }, [sa('local-scheduler')], ['airflow-local-scheduler', 'airflow-triggerer']],
    ['Local, no pod operator', { executor: Executor.local(), kubernetesPodOperator: false }, [], []],
  ];

  test.each(cases)('%s', (_name, props, subjects, tokenPods) => {
    const manifests = synthAirflow(props);
    expect(launcherSubjects(manifests)).toEqual(subjects);
    const watchers = manifests.find((m) => m.kind === 'RoleBinding' && m.metadata.name === 'airflow-pod-watcher')?.subjects.map((s: Manifest) => s.name);
    expect(watchers).toEqual(props.kubernetesPodOperator === false ? undefined : ['airflow-triggerer']);
    const withToken = workloads(manifests).filter((w) => podTemplate(w).spec.automountServiceAccountToken).map((w) => w.metadata.name).sort();
    expect(withToken).toEqual(tokenPods);
  });
});
