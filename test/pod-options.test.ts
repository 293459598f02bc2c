// Pod-level integration: what the library-wide `pods` and each component's `pod` add to pods.
import { Testing } from 'cdk8s';
import { DagSource, Executor, MetadataDatabase } from '../lib';
import { Manifest, airflowIn, container, find, ofKind, podTemplate, podTemplateFile, problemsOf, synthAirflow, workloads } from './helpers';

/** Every pod template in the output, the task pod and CronJob pods included. */
function allPods(manifests: Manifest[]): Array<[string, Manifest]> {
  const pods: Array<[string, Manifest]> = workloads(manifests).map((w) => [w.metadata.name, podTemplate(w)]);
  for (const cron of ofKind(manifests, 'CronJob')) {
    pods.push([cron.metadata.name, cron.spec.jobTemplate.spec.template]);
  }
  pods.push(['task pod', podTemplateFile(manifests)]);
  return pods;
}

describe('library-wide pods', () => {
  const manifests = synthAirflow({
    executor: Executor.celeryAndKubernetes(),
    pods: {
      imagePullSecrets: ['regcred'],
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/airflow' },
      podLabels: { 'example.com/team': 'data' },
      podAnnotations: { 'example.com/owner': 'platform' },
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      tolerations: [{ key: 'pool', operator: 'Equal', value: 'airflow', effect: 'NoSchedule' }],
      priorityClassName: 'airflow',
    },
  });

  test('reach every pod the library writes: Jobs, the cleanup CronJob, task pods, Redis and PostgreSQL included', () => {
    const pods = allPods(manifests);
    expect(pods.map(([name]) => name)).toEqual(expect.arrayContaining(['airflow-redis', 'airflow-postgresql', 'airflow-cleanup', 'task pod']));
    for (const [name, pod] of pods) {
      expect([name, pod.spec.imagePullSecrets, pod.spec.nodeSelector, pod.spec.priorityClassName]).toEqual([name, [{ name: 'regcred' }], { 'kubernetes.io/arch': 'amd64' }, 'airflow']);
      expect(pod.spec.tolerations).toEqual([{ key: 'pool', operator: 'Equal', value: 'airflow', effect: 'NoSchedule' }]);
      expect(pod.metadata.labels['example.com/team']).toBe('data');
      expect(pod.metadata.annotations['example.com/owner']).toBe('platform');
    }
  });

  test('annotate every ServiceAccount (a cloud identity), and leave selectors alone', () => {
    for (const sa of ofKind(manifests, 'ServiceAccount')) {
      expect([sa.metadata.name, sa.metadata.annotations]).toEqual([sa.metadata.name, { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/airflow' }]);
    }
    for (const w of workloads(manifests).filter((o) => o.spec.selector !== undefined && o.kind !== 'Job')) {
      expect(w.spec.selector.matchLabels['example.com/team']).toBeUndefined();
    }
  });
});

describe('a component\'s pod adds to the library-wide one', () => {
  const manifests = synthAirflow({
    pods: { serviceAccountAnnotations: { a: '1' }, podLabels: { team: 'data' }, nodeSelector: { pool: 'general' }, env: [{ name: 'TZ', value: 'UTC' }] },
    scheduler: { pod: {
      serviceAccountAnnotations: { b: '2' },
      podLabels: { tier: 'control' },
      nodeSelector: { pool: 'control' },
      env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
      envFrom: [{ configMapRef: { name: 'proxy-settings' } }],
      volumes: [{ name: 'ca', configMap: { name: 'corporate-ca' } }],
      volumeMounts: [{ name: 'ca', mountPath: '/etc/ssl/corporate', readOnly: true }],
      sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' }],
      initContainers: [{ name: 'warm-up', image: 'busybox:1.37', command: ['true'] }],
    } },
    executor: Executor.celery({ workers: { pod: { nodeSelector: { pool: 'tasks' } } } }),
    database: MetadataDatabase.bundledPostgres({ pod: { podLabels: { backup: 'nightly' } } }),
  });
  const scheduler = find(manifests, 'Deployment', 'airflow-scheduler');
  const spec = podTemplate(scheduler).spec;

  test('maps merge, lists append, scheduling fields replace', () => {
    expect(find(manifests, 'ServiceAccount', 'airflow-scheduler').metadata.annotations).toEqual({ a: '1', b: '2' });
    expect(find(manifests, 'ServiceAccount', 'airflow-api-server').metadata.annotations).toEqual({ a: '1' });
    expect(podTemplate(scheduler).metadata.labels).toMatchObject({ team: 'data', tier: 'control' });
    expect(spec.nodeSelector).toEqual({ pool: 'control' });
    expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-worker')).spec.nodeSelector).toEqual({ pool: 'tasks' });
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-dag-processor')).spec.nodeSelector).toEqual({ pool: 'general' });
    expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-postgresql')).metadata.labels).toMatchObject({ team: 'data', backup: 'nightly' });
  });

  test('env, files and containers go to the main container and the pod; extra containers are hardened', () => {
    const main = container(scheduler, 'scheduler');
    const names = main.env.map((e: Manifest) => e.name);
    // After the library's own variables, so a $(VAR) of theirs may refer to them.
    expect(names.slice(-2)).toEqual(['TZ', 'HTTPS_PROXY']);
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'proxy-settings' } }]);
    expect(main.volumeMounts).toContainEqual({ name: 'ca', mountPath: '/etc/ssl/corporate', readOnly: true });
    expect(spec.volumes).toContainEqual({ name: 'ca', configMap: { name: 'corporate-ca' } });
    expect(container(scheduler, 'log-groomer').env.map((e: Manifest) => e.name)).not.toContain('HTTPS_PROXY');
    const proxy = container(scheduler, 'proxy');
    expect(proxy.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(spec.initContainers.map((c: Manifest) => c.name)).toEqual(['wait-for-migrations', 'warm-up']);
  });

  test('task pods keep their own placement over the library-wide one', () => {
    const withTasks = synthAirflow({ executor: Executor.kubernetes({ workerPods: { nodeSelector: { pool: 'tasks' } } }), pods: { nodeSelector: { pool: 'general' } } });
    expect(podTemplateFile(withTasks).spec.nodeSelector).toEqual({ pool: 'tasks' });
    expect(podTemplate(find(withTasks, 'Deployment', 'airflow-scheduler')).spec.nodeSelector).toEqual({ pool: 'general' });
  });
});

test('bad pod options are reported with their path, all at once', () => {
  expect(problemsOf({
    pods: {
      imagePullSecrets: ['Reg_Cred'],
      podLabels: { 'app.kubernetes.io/component': 'x' },
      volumes: [{ name: 'logs', emptyDir: {} }, { name: 'host', hostPath: { path: '/var' } }],
      volumeMounts: [{ name: 'missing', mountPath: 'relative' }],
      sidecars: [{ name: 'root', image: 'x:1', securityContext: { runAsUser: 0 } }],
      topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'Sometimes' }],
    },
  }).map((p) => p.replace(/ \(got .*$/, ''))).toEqual([
    'pods.imagePullSecrets[0]: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("R" is not allowed)',
    'pods.podLabels.app.kubernetes.io/component: the library selects pods by this label',
    'pods.volumes[0].name: the library names a volume so',
    'pods.volumes[1]: is of type hostPath, which the Pod Security "restricted" profile refuses',
    'pods.volumeMounts[0]: mounts a volume that volumes does not define',
    'pods.volumeMounts[0].mountPath: must be an absolute path',
    'pods.sidecars[0]: runs as root, which the Pod Security "restricted" profile refuses',
    'pods.topologySpreadConstraints[0].maxSkew: must be a whole number, 1 or more',
    'pods.topologySpreadConstraints[0].whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway',
  ]);
});

describe('labels and annotations of every object', () => {
  test('reach every object the deployment writes, worker sets added later included, and no selector', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.celeryAndKubernetes(), labels: { 'example.com/cost-centre': 'data' }, annotations: { 'example.com/owner': 'platform' } });
    airflow.addWorkerSet('gpu', { queues: ['gpu'] });
    const manifests = Testing.synth(chart);
    expect(manifests.length).toBeGreaterThan(30);
    for (const m of manifests) {
      expect([m.kind, m.metadata.name, m.metadata.labels['example.com/cost-centre'], m.metadata.annotations?.['example.com/owner']])
        .toEqual([m.kind, m.metadata.name, 'data', 'platform']);
    }
    for (const w of workloads(manifests).filter((o) => o.spec.selector !== undefined && o.kind !== 'Job')) {
      expect(w.spec.selector.matchLabels['example.com/cost-centre']).toBeUndefined();
    }
  });

  test('the library\'s own label keys are refused', () => {
    expect(problemsOf({ labels: { 'app.kubernetes.io/instance': 'other' } })).toEqual([
      'labels.app.kubernetes.io/instance: the library sets this label itself (got "other"). Fix: use a label of your own, e.g. "example.com/cost-centre"',
    ]);
  });
});

test('OpenShift: the platform assigns user and group IDs; the pods still meet the restricted profile', () => {
  const manifests = synthAirflow({ pods: { platformAssignsUserIds: true }, dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git' }), executor: Executor.celeryAndKubernetes() });
  for (const [name, pod] of allPods(manifests)) {
    expect([name, pod.spec.securityContext]).toEqual([name, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }]);
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      expect([name, c.name, c.securityContext.runAsUser, c.securityContext.allowPrivilegeEscalation, c.securityContext.capabilities])
        .toEqual([name, c.name, undefined, false, { drop: ['ALL'] }]);
    }
  }
});
