// Pod-level integration: what the library-wide `pods` and each component's `pod` add to pods.
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
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

describe('extra containers in pods that run to completion', () => {
  const proxy = { name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' };

  test('library-wide sidecars join the long-running pods only: Jobs, CronJobs and task pods would never finish', () => {
    const manifests = synthAirflow({ executor: Executor.celeryAndKubernetes(), pods: { sidecars: [proxy], initContainers: [{ name: 'warm-up', image: 'busybox:1.37' }] } });
    for (const [name, pod] of allPods(manifests)) {
      const names = pod.spec.containers.map((c: Manifest) => c.name);
      const runsToCompletion = ['Never', 'OnFailure'].includes(pod.spec.restartPolicy);
      expect([name, names.includes('proxy')]).toEqual([name, !runsToCompletion]);
      // Init containers finish before the pod's own: every pod takes them.
      expect([name, pod.spec.initContainers.map((c: Manifest) => c.name)]).toEqual([name, expect.arrayContaining(['warm-up'])]);
    }
    const jobs = [...ofKind(manifests, 'Job'), ...ofKind(manifests, 'CronJob')].map((j) => j.metadata.name);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
  });

  test('a sidecar of the task pods themselves is refused', () => {
    expect(problemsOf({ executor: Executor.kubernetes({ workerPods: { pod: { sidecars: [proxy] } } }) })).toEqual([
      'executor.kubernetes.workerPods.pod.sidecars: a task pod runs to completion, and on Kubernetes 1.27 a sidecar keeps it running after the task has ended (got ["proxy"]). Fix: remove sidecars; run the helper as an initContainer, or reach it as a Service',
    ]);
  });
});

test('pod options the API server or the restricted profile would refuse, and fields cdk8s would drop, are reported by path', () => {
  const problems = problemsOf({
    pods: {
      env: [{ name: 'A', valu: 'x' } as any, { name: 'B', valueFrom: { secretKeyRef: { name: 'Bad_Name', key: 'a/b' } } }],
      envFrom: [{ configMapRef: { name: 'Bad_Name' } }],
      volumes: [{ name: 'webserver-config', emptyDir: {} }, { name: 'ca', secret: { secretName: 'My_Secret' } }],
      tolerations: [{ key: 'a', operater: 'Exists' } as any],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 200, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
      podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' },
      sidecars: [
        { name: 'log-groomer', image: 'Busybox', resources: { requests: { cpu: k8s.Quantity.fromString('2') }, limits: { cpu: k8s.Quantity.fromString('1') } } },
        { name: 's', image: 'busybox:1.37', ports: [{ containerPort: 70000 }], resources: { limits: { memory: '1Gi' as any } }, imagee: 'x' } as any,
        { name: 'u', securityContext: { procMount: 'Unmasked', seLinuxOptions: { type: 'spc_t' } } } as any,
      ],
    },
  }).map((p) => p.replace(/ \(got .*$/, ''));
  expect(problems).toEqual([
    'pods.podAnnotations.cluster-autoscaler.kubernetes.io/safe-to-evict: the library sets this annotation on every pod, by what the pod runs, and its value would win',
    'pods.env[1].valueFrom.secretKeyRef.name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("B" is not allowed)',
    'pods.env[1].valueFrom.secretKeyRef.key: must consist of letters, digits, "-", "_" and "." ("/" is not allowed)',
    'pods.envFrom[0].configMapRef.name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("B" is not allowed)',
    'pods.env[0].valu: unknown field "valu": EnvVar has no such field in Kubernetes 1.27 (kubectl apply --validate=strict rejects it); did you mean "value"?',
    'pods.sidecars[1].imagee: unknown field "imagee": Container has no such field in Kubernetes 1.27 (kubectl apply --validate=strict rejects it); did you mean "image"?',
    'pods.tolerations[0].operater: unknown field "operater": Toleration has no such field in Kubernetes 1.27 (kubectl apply --validate=strict rejects it); did you mean "operator"?',
    'pods.volumes[0].name: the library names a volume so',
    'pods.volumes[1].secret.secretName: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("M" is not allowed)',
    'pods.sidecars[0].name: the library names a container so',
    'pods.sidecars[0].image: not an image reference: the repository path "Busybox" must be lower case',
    'pods.sidecars[0].resources.requests.cpu: is more than the limit 1',
    'pods.sidecars[1].ports[0].containerPort: must be a whole number from 1 to 65535, not 70000',
    'pods.sidecars[1].resources.limits.memory: must be a Quantity',
    'pods.sidecars[2].image: every container needs an image',
    'pods.sidecars[2]: uses the /proc mount type Unmasked, which the Pod Security "restricted" profile refuses',
    'pods.sidecars[2]: sets an SELinux user, role or type other than container_t, container_init_t and container_kvm_t, which the Pod Security "restricted" profile refuses',
    'pods.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be a whole number from 1 to 100',
  ]);
});

test('whatever pod options or a patch write, the pods of the output keep the API server\'s rules: the synth stops with the object and the field', () => {
  const { airflow, chart } = airflowIn({ pods: { volumeMounts: [{ name: 'extra', mountPath: '/opt/airflow/logs' }], volumes: [{ name: 'extra', emptyDir: {} }] } });
  ApiObject.of(airflow.scheduler.deployment!).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', { name: 'scheduler', image: 'busybox:1.37' }));
  let message = '';
  try {
    Testing.synth(chart);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toContain('Deployment airflow/airflow-scheduler: spec.template.spec.containers[2].name: the container name "scheduler" is taken by containers[0]');
  expect(message).toContain('spec.template.spec.containers[0].volumeMounts[');
  expect(message).toContain('.mountPath: "/opt/airflow/logs" is mounted already by volumeMounts[1]');
});

test('AIRFLOW__ variables of pod options are checked like config when the app synthesises: a misspelt one would be ignored', () => {
  const { airflow, chart } = airflowIn({
    pods: { env: [
      { name: 'AIRFLOW__CORE__PARALELISM', value: '8' },
      { name: 'AIRFLOW__CORE__FERNET_KEY', value: 'x' },
      { name: 'AIRFLOW__CORE__PARALLELISM', value: 'many' },
      { name: 'AIRFLOW__SENTRY__SENTRY_DSN_CMD', value: 'cat /etc/sentry/dsn' },
      { name: 'AIRFLOW__SECRETS__BACKEND_KWARGS', valueFrom: { secretKeyRef: { name: 'vault', key: 'kwargs' } } },
      { name: 'AIRFLOW_HOME_EXTRA', value: 'not an option variable' },
    ] },
    scheduler: { pod: { env: [{ name: 'AIRFLOW__SCHEDULR__PARSING_PROCESSES', value: '2' }] } },
  });
  airflow.addWorkerSet('gpu', { queues: ['gpu'], pod: { env: [{ name: 'AIRFLOW__CELERY__WORKER_CONCURENCY', value: '4' }] } });
  let problems: string[] = [];
  try {
    Testing.synth(chart);
  } catch (err) {
    problems = (err as Error).message.split('\n').filter((line) => line.includes('env AIRFLOW__')).map((line) => line.replace(/^.*?(pods|the pod options)/, '$1'));
  }
  expect(problems).toEqual([
    'pods: env AIRFLOW__CORE__PARALELISM: Airflow 3.1.7 has no option [core] paralelism, so Airflow would ignore the variable (got "8"). Fix: check the name; did you mean "parallelism"?',
    'pods: env AIRFLOW__CORE__FERNET_KEY: the library sets this option, and the variable would override it in these pods alone (got "x"). Fix: use the prop credentials.fernetKey instead',
    'pods: env AIRFLOW__CORE__PARALLELISM: [core] parallelism takes a whole number (got "many"). Fix: give a whole number, e.g. "32"',
    'the pod options of scheduler: env AIRFLOW__SCHEDULR__PARSING_PROCESSES: Airflow 3.1.7 has no [schedulr] section, so Airflow would ignore the variable (got "2"). Fix: check the name; did you mean "scheduler"?',
    'the pod options of worker-gpu: env AIRFLOW__CELERY__WORKER_CONCURENCY: Airflow 3.1.7 has no option [celery] worker_concurency, so Airflow would ignore the variable (got "4"). Fix: check the name; did you mean "worker_concurrency"?',
  ]);
});

test('jobs.pod: the Jobs and CronJobs get pod options of their own, and no long-running pod does', () => {
  const manifests = synthAirflow({
    executor: Executor.kubernetes(),
    housekeeping: { dbClean: { retentionDays: 30 } },
    pods: { nodeSelector: { pool: 'general' } },
    jobs: { pod: { nodeSelector: { pool: 'batch' }, serviceAccountAnnotations: { 'example.com/role': 'jobs' } } },
  });
  const byKind = (kind: string) => ofKind(manifests, kind);
  const jobPods = [...byKind('Job').map((j) => j.spec.template), ...byKind('CronJob').map((c) => c.spec.jobTemplate.spec.template)];
  expect(jobPods.length).toBe(4);
  for (const pod of jobPods) {
    expect(pod.spec.nodeSelector).toEqual({ pool: 'batch' });
  }
  expect(podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).spec.nodeSelector).toEqual({ pool: 'general' });
  expect(find(manifests, 'ServiceAccount', 'airflow-cleanup').metadata.annotations).toEqual({ 'example.com/role': 'jobs' });
  expect(problemsOf({ jobs: { pod: { sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' }] } } })).toEqual([
    'jobs.pod.sidecars: Jobs and CronJobs run to completion, and on Kubernetes 1.27 a sidecar keeps the pod running after the work has ended (got ["proxy"]). Fix: remove sidecars; run the helper as an initContainer, or reach it as a Service',
  ]);
});
