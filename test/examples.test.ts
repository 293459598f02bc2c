import { parse } from 'yaml';
import { EXAMPLES, Manifest, airflowCfgText, container, find, ofKind, podTemplate, podTemplateFile, synthExample, workloads } from './helpers';

const cfg = (manifests: Manifest[]) => airflowCfgText(manifests);
const kinds = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();

// Each example's whole output is pinned by its committed dist/ (output-stability.test.ts).
describe.each(Object.keys(EXAMPLES))('example %s', (name) => {
  const manifests = synthExample(name);

  test('every object is in the namespace the example creates first', () => {
    const namespace = name === 'platform' ? 'data-airflow' : 'airflow';
    expect(manifests[0]).toMatchObject({ kind: 'Namespace', metadata: { name: namespace } });
    expect(manifests.slice(1).every((m) => m.metadata.namespace === namespace)).toBe(true);
  });

  test('every selector and reference of the output finds its target in the output', () => {
    expect(danglingTargets(manifests)).toEqual([]);
  });
});

/**
 * What in the output points at something the output should hold and does not: a Service, a
 * PodDisruptionBudget or a NetworkPolicy (its own pods) selecting no pod template (task pods'
 * from the pod template file included), a ScaledObject, HPA, Ingress, HTTPRoute or
 * ServiceMonitor whose target is missing. Secrets and Gateways are the cluster's.
 */
function danglingTargets(manifests: Manifest[]): string[] {
  const templates = workloads(manifests).map((w) => podTemplate(w).metadata.labels as Record<string, string>);
  if (manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name === 'airflow-pod-template')) {
    templates.push(podTemplateFile(manifests).metadata.labels);
  }
  const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  const selectsPods = (selector: Record<string, string>) => templates.some((labels) => matches(selector, labels));
  const has = (kind: string, name: string) => manifests.some((m) => m.kind === kind && m.metadata.name === name);
  const servicePort = (service: string, port: string | number) => manifests.some((m) => m.kind === 'Service' && m.metadata.name === service
    && m.spec.ports.some((p: Manifest) => p.name === port || p.port === port));
  const dangling: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) {
      dangling.push(what);
    }
  };
  for (const m of manifests) {
    const id = `${m.kind}/${m.metadata.name}`;
    switch (m.kind) {
      case 'Service':
        check(selectsPods(m.spec.selector ?? {}), `${id}: spec.selector`);
        break;
      case 'PodDisruptionBudget':
        check(selectsPods(m.spec.selector.matchLabels), `${id}: spec.selector`);
        break;
      case 'NetworkPolicy':
        check(selectsPods(m.spec.podSelector.matchLabels ?? {}), `${id}: spec.podSelector`);
        break;
      case 'ScaledObject':
        check(has(m.spec.scaleTargetRef.kind, m.spec.scaleTargetRef.name), `${id}: spec.scaleTargetRef`);
        for (const trigger of m.spec.triggers) {
          check(has('TriggerAuthentication', trigger.authenticationRef.name), `${id}: authenticationRef ${trigger.authenticationRef.name}`);
        }
        break;
      case 'HorizontalPodAutoscaler':
        check(has(m.spec.scaleTargetRef.kind, m.spec.scaleTargetRef.name), `${id}: spec.scaleTargetRef`);
        break;
      case 'Ingress':
        for (const path of m.spec.rules.flatMap((r: Manifest) => r.http.paths)) {
          const backend = path.backend.service;
          check(servicePort(backend.name, backend.port.name ?? backend.port.number), `${id}: backend ${backend.name}:${backend.port.name ?? backend.port.number}`);
        }
        break;
      case 'HTTPRoute':
        for (const ref of m.spec.rules.flatMap((r: Manifest) => r.backendRefs)) {
          check(servicePort(ref.name, ref.port), `${id}: backendRef ${ref.name}:${ref.port}`);
        }
        break;
      case 'ServiceMonitor':
        for (const endpoint of m.spec.endpoints) {
          check(manifests.some((s) => s.kind === 'Service' && matches(m.spec.selector.matchLabels, s.metadata.labels)
            && s.spec.ports.some((p: Manifest) => p.name === endpoint.port)), `${id}: endpoint ${endpoint.port}`);
        }
        break;
    }
  }
  return dangling;
}

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

describe('platform: what a platform team\'s cluster asks for', () => {
  const manifests = synthExample('platform');
  const pods = workloads(manifests).map((w) => podTemplate(w));
  const byName = (kind: string) => ofKind(manifests, kind).map((m) => m.metadata.name).sort();

  test('a private image and its pull secret on every pod, a cloud identity on every ServiceAccount', () => {
    for (const pod of pods) {
      expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
      for (const c of pod.spec.containers.filter((x: Manifest) => !['log-groomer'].includes(x.name) && x.image.includes('airflow'))) {
        expect(c.image).toBe('registry.example.com/data/airflow:3.1.7');
      }
    }
    for (const sa of ofKind(manifests, 'ServiceAccount')) {
      expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/data-airflow' });
    }
  });

  test('two schedulers, two API servers, two triggerers, three workers: each with a budget that selects exactly its pods', () => {
    expect(byName('PodDisruptionBudget')).toEqual(['airflow-api-server', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker']);
    for (const budget of ofKind(manifests, 'PodDisruptionBudget')) {
      const selector: Record<string, string> = budget.spec.selector.matchLabels;
      const matching = workloads(manifests).filter((w) => Object.entries(selector).every(([k, v]) => podTemplate(w).metadata.labels[k] === v));
      expect(matching.map((w) => w.metadata.name)).toEqual([budget.metadata.name]);
      expect(podTemplate(matching[0]).spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(selector);
    }
  });

  test('the UI behind the platform\'s Gateway, with the base URL Airflow needs', () => {
    const route = ofKind(manifests, 'HTTPRoute')[0];
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateways' }]);
    const service = find(manifests, 'Service', route.spec.rules[0].backendRefs[0].name);
    expect(service.spec.ports.map((p: Manifest) => p.port)).toContain(route.spec.rules[0].backendRefs[0].port);
    expect(cfg(manifests)).toContain('base_url = https://airflow.example.com\n');
  });

  test('services outside: PostgreSQL from a URL Secret, Redis over TLS; none of either is deployed', () => {
    expect(manifests.filter((m) => /postgresql|redis/.test(m.metadata.name))).toEqual([]);
    const scheduler = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'scheduler');
    const env = Object.fromEntries(scheduler.env.map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));
    expect(env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN).toEqual({ secretKeyRef: { name: 'airflow-database', key: 'url' } });
    expect(env.AIRFLOW__CELERY__BROKER_URL).toBe('rediss://:$(AIRFLOW_REDIS_PASSWORD)@redis.data.svc.cluster.local:6379/0');
  });

  test('FAB with OAuth from webserver_config.py, its secret from the environment; connections from Secrets for DAG code', () => {
    const api = find(manifests, 'Deployment', 'airflow-api-server');
    const main = container(api, 'api-server');
    expect(main.volumeMounts.map((m: Manifest) => m.mountPath)).toContain('/opt/airflow/webserver_config.py');
    expect(main.env).toContainEqual({ name: 'OAUTH_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'airflow-oauth', key: 'client-secret' } } });
    const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
    expect(worker.env).toContainEqual({ name: 'AIRFLOW_CONN_WAREHOUSE', valueFrom: { secretKeyRef: { name: 'airflow-connections', key: 'warehouse' } } });
    expect(main.env.map((e: Manifest) => e.name)).not.toContain('AIRFLOW_CONN_WAREHOUSE');
  });
});

test('external-services: nothing embedded; PostgreSQL and Redis reached by name, passwords from the platform\'s Secrets', () => {
  const manifests = synthExample('external-services');
  expect(manifests.filter((m) => /postgresql|redis/.test(m.metadata.name))).toEqual([]);
  const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
  const env = Object.fromEntries(worker.env.map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));
  expect(env.AIRFLOW_DATABASE_PASSWORD).toEqual({ secretKeyRef: { name: 'airflow-postgres', key: 'password' } });
  expect(env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN).toBe('postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@postgres.databases.svc.cluster.local:5432/airflow?sslmode=require');
  expect(env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC).toBe('postgresql+asyncpg://airflow:$(AIRFLOW_DATABASE_PASSWORD)@postgres.databases.svc.cluster.local:5432/airflow?ssl=require');
  expect(env.AIRFLOW__CELERY__BROKER_URL).toMatch(/^redis:\/\/:\$\(AIRFLOW_REDIS_PASSWORD\)@redis\.databases\.svc\.cluster\.local:6379\/0$/);
});

describe('everything-on: every operations feature at once', () => {
  const manifests = synthExample('everything-on');
  const names = (kind: string) => ofKind(manifests, kind).map((m) => m.metadata.name).sort();

  test('it has every kind of target the reference check above covers', () => {
    expect([...new Set(manifests.map((m) => m.kind))]).toEqual(expect.arrayContaining([
      'PodDisruptionBudget', 'NetworkPolicy', 'ScaledObject', 'TriggerAuthentication', 'Ingress', 'ServiceMonitor',
    ]));
  });

  test('the parts are all there', () => {
    expect(names('ScaledObject')).toEqual(['airflow-worker', 'airflow-worker-io', 'airflow-worker-ml']);
    expect(names('Deployment')).toEqual(expect.arrayContaining(['airflow-pgbouncer', 'airflow-statsd', 'airflow-dag-processor-analytics', 'airflow-dag-processor-ml']));
    expect(names('CronJob')).toEqual(['airflow-cleanup', 'airflow-db-clean']);
    expect(names('PersistentVolumeClaim')).toEqual(['airflow-postgresql-data', 'airflow-redis-data']);
    expect(cfg(manifests)).toContain('remote_base_log_folder = s3://example-airflow-logs/tasks\n');
  });
});
