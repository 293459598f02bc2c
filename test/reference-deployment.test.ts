import { sha256 } from '../lib/hash';
import {
  Manifest, allContainers, container, find, ofKind, podTemplate, quantity, synthReference, workloads,
} from './helpers';

const manifests = synthReference();
const AIRFLOW_IMAGE = 'apache/airflow:3.1.7';
const SELECTOR_KEYS = ['app.kubernetes.io/component', 'app.kubernetes.io/instance', 'app.kubernetes.io/name'];

// The whole output is pinned by the committed dist/ (output-stability.test.ts); these are the
// facts it must keep.
describe('the reference deployment (dist/)', () => {
  test('has exactly the expected objects, named <release>-<component>', () => {
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name.replace(/-[0-9a-f]{10}$/, '-<hash>')}`).sort();
    expect(names).toEqual([
      'ConfigMap/airflow-config',
      'Deployment/airflow-api-server',
      'Deployment/airflow-dag-processor',
      'Deployment/airflow-flower',
      'Deployment/airflow-scheduler',
      'Job/airflow-create-admin-user-<hash>',
      'Job/airflow-migrate-database-<hash>',
      'Namespace/airflow',
      'Role/airflow-pod-launcher',
      'RoleBinding/airflow-pod-launcher',
      'Service/airflow-api-server',
      'Service/airflow-flower',
      'Service/airflow-postgresql',
      'Service/airflow-redis',
      'Service/airflow-triggerer',
      'Service/airflow-worker',
      'ServiceAccount/airflow-api-server',
      'ServiceAccount/airflow-create-admin-user',
      'ServiceAccount/airflow-dag-processor',
      'ServiceAccount/airflow-flower',
      'ServiceAccount/airflow-migrate-database',
      'ServiceAccount/airflow-postgresql',
      'ServiceAccount/airflow-redis',
      'ServiceAccount/airflow-scheduler',
      'ServiceAccount/airflow-triggerer',
      'ServiceAccount/airflow-worker',
      'StatefulSet/airflow-postgresql',
      'StatefulSet/airflow-redis',
      'StatefulSet/airflow-triggerer',
      'StatefulSet/airflow-worker',
    ]);
    for (const m of manifests.filter((o) => o.kind !== 'Namespace')) {
      expect(m.metadata.namespace).toBe('airflow');
    }
  });

  test('Services expose the documented ports by name', () => {
    const ports = Object.fromEntries(ofKind(manifests, 'Service').map((s) => [
      s.metadata.name,
      s.spec.ports.map((p: Manifest) => `${p.name}:${p.port}->${p.targetPort}/${p.protocol}`),
    ]));
    expect(ports).toEqual({
      'airflow-api-server': ['http:8080->http/TCP'],
      'airflow-flower': ['flower:5555->flower/TCP'],
      'airflow-postgresql': ['postgresql:5432->postgresql/TCP'],
      'airflow-redis': ['redis:6379->redis/TCP'],
      'airflow-triggerer': ['triggerer-logs:8794->triggerer-logs/TCP'],
      'airflow-worker': ['worker-logs:8793->worker-logs/TCP'],
    });
    expect(find(manifests, 'Service', 'airflow-worker').spec.clusterIP).toBe('None');
    expect(find(manifests, 'Service', 'airflow-triggerer').spec.clusterIP).toBe('None');
    expect(find(manifests, 'Service', 'airflow-api-server').spec.clusterIP).toBeUndefined();
  });

  test('each Service selects the pods of exactly one workload, which has the target port', () => {
    for (const service of ofKind(manifests, 'Service')) {
      const selector: Record<string, string> = service.spec.selector;
      const matching = workloads(manifests).filter((w) => {
        const labels = podTemplate(w).metadata.labels;
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      expect(matching.map((w) => w.metadata.name)).toEqual([service.metadata.name]);
      const portNames = matching[0].spec.template.spec.containers.flatMap((c: Manifest) => (c.ports ?? []).map((p: Manifest) => p.name));
      for (const port of service.spec.ports) {
        expect(portNames).toContain(port.targetPort);
      }
    }
  });

  test('selectors are the explicit recommended labels, never a construct path', () => {
    for (const w of workloads(manifests).filter((o) => o.kind !== 'Job')) {
      const selector = w.spec.selector.matchLabels;
      expect(Object.keys(selector).sort()).toEqual(SELECTOR_KEYS);
      expect(selector['app.kubernetes.io/instance']).toBe('airflow');
      expect(selector['app.kubernetes.io/component']).toBe(w.metadata.name.replace(/^airflow-/, ''));
      expect(podTemplate(w).metadata.labels).toMatchObject(selector);
    }
    expect(JSON.stringify(manifests)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('StatefulSets: two workers, one PostgreSQL with an 8Gi claim, governing Services exist', () => {
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(worker.spec.replicas).toBe(2);
    for (const sts of ofKind(manifests, 'StatefulSet')) {
      expect(find(manifests, 'Service', sts.spec.serviceName)).toBeDefined();
    }
    const pg = find(manifests, 'StatefulSet', 'airflow-postgresql');
    expect(pg.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'data' }),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } },
    })]);
    const pgContainer = container(pg, 'postgresql');
    expect(pgContainer.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(podTemplate(pg).spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  test('every Airflow container runs the pinned image with the command of its component', () => {
    const args = Object.fromEntries(workloads(manifests)
      .filter((w) => container(w, w.metadata.name.replace(/^airflow-|-[0-9a-f]{10}$/g, ''), false).image === AIRFLOW_IMAGE)
      .map((w) => {
        const component = w.metadata.name.replace(/^airflow-|-[0-9a-f]{10}$/g, '');
        return [component, container(w, component).args.join(' ')];
      }));
    expect(args).toEqual({
      'api-server': 'api-server',
      'scheduler': 'scheduler',
      'dag-processor': 'dag-processor',
      'triggerer': 'triggerer',
      'worker': 'celery worker',
      'flower': 'celery flower',
      'migrate-database': 'db migrate',
      'create-admin-user': 'users create --username admin --firstname Airflow --lastname Admin --email admin@example.com --role Admin --password $(AIRFLOW_ADMIN_PASSWORD)',
    });
  });

  test('secrets reach Airflow only through secretKeyRef; URLs are assembled from earlier variables', () => {
    const airflowPods = workloads(manifests).filter((w) => allContainers(w).some((c) => c.image === AIRFLOW_IMAGE));
    expect(airflowPods).toHaveLength(8);
    for (const w of airflowPods) {
      for (const c of allContainers(w).filter((x) => x.image === AIRFLOW_IMAGE)) {
        const env: Manifest[] = c.env;
        const byName = Object.fromEntries(env.map((e) => [e.name, e]));
        expect(byName.AIRFLOW__CORE__FERNET_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'airflow-credentials', key: 'fernet-key' } });
        expect(byName.AIRFLOW__API__SECRET_KEY.valueFrom).toEqual({ secretKeyRef: { name: 'airflow-credentials', key: 'api-secret-key' } });
        expect(byName.AIRFLOW__API_AUTH__JWT_SECRET.valueFrom).toEqual({ secretKeyRef: { name: 'airflow-credentials', key: 'jwt-secret' } });
        expect(byName.AIRFLOW_DATABASE_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'airflow-credentials', key: 'postgresql-password' } });
        expect(byName.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN.value)
          .toBe('postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@airflow-postgresql:5432/airflow');
        // $(VAR) only expands variables defined earlier in the same list.
        env.forEach((e, i) => {
          for (const [, ref] of (e.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)) {
            expect(env.slice(0, i).map((x) => x.name)).toContain(ref);
          }
        });
      }
    }
    const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
    expect(worker.env).toEqual(expect.arrayContaining([
      { name: 'AIRFLOW_REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'redis-password' } } },
      { name: 'AIRFLOW__CELERY__BROKER_URL', value: 'redis://:$(AIRFLOW_REDIS_PASSWORD)@airflow-redis:6379/0' },
      { name: 'AIRFLOW__CELERY__RESULT_BACKEND', value: 'db+postgresql://airflow:$(AIRFLOW_DATABASE_PASSWORD)@airflow-postgresql:5432/airflow' },
    ]));
    const apiServerEnv = container(find(manifests, 'Deployment', 'airflow-api-server'), 'api-server').env.map((e: Manifest) => e.name);
    expect(apiServerEnv).not.toContain('AIRFLOW__CELERY__BROKER_URL');
    const flower = container(find(manifests, 'Deployment', 'airflow-flower'), 'flower');
    expect(flower.env).toEqual(expect.arrayContaining([
      { name: 'AIRFLOW_FLOWER_PASSWORD', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'flower-password' } } },
      { name: 'AIRFLOW__CELERY__FLOWER_BASIC_AUTH', value: 'admin:$(AIRFLOW_FLOWER_PASSWORD)' },
    ]));
    const redis = container(find(manifests, 'StatefulSet', 'airflow-redis'), 'redis');
    expect(redis.args.slice(0, 2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    expect(redis.env[0]).toEqual({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'redis-password' } } });
    const pg = container(find(manifests, 'StatefulSet', 'airflow-postgresql'), 'postgresql');
    expect(pg.env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'postgresql-password' } } });
  });

  test('git-sync (init + sidecar) runs exactly where DAG files are parsed or run', () => {
    const withGitSync = workloads(manifests)
      .filter((w) => (podTemplate(w).spec.containers as Manifest[]).some((c) => c.name === 'git-sync'))
      .map((w) => w.metadata.name).sort();
    expect(withGitSync).toEqual(['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']);
    for (const name of withGitSync) {
      const w = workloads(manifests).find((m) => m.metadata.name === name)!;
      const init = container(w, 'git-sync-init', true);
      const sidecar = container(w, 'git-sync');
      for (const c of [init, sidecar]) {
        expect(c.image).toBe('registry.k8s.io/git-sync/git-sync:v4.7.1');
        expect(c.args).toEqual(expect.arrayContaining([
          '--repo=https://github.com/damavis/airflow-dags.git', '--ref=master', '--period=60s', '--root=/git', '--link=repo',
        ]));
        expect(c.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/git' });
        expect(c.securityContext).toMatchObject({ runAsUser: 65533, readOnlyRootFilesystem: true });
        // git writes under $HOME, which must be the writable /tmp volume.
        expect(c.env).toContainEqual({ name: 'HOME', value: '/tmp' });
        expect(c.volumeMounts).toContainEqual({ name: 'git-sync-tmp', mountPath: '/tmp' });
      }
      expect(init.args).toContain('--one-time');
      expect(sidecar.args).not.toContain('--one-time');
      // The first checkout happens before anything Airflow starts.
      expect(podTemplate(w).spec.initContainers[0].name).toBe('git-sync-init');
      const airflow = container(w, name.replace(/^airflow-/, ''));
      expect(airflow.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true });
      expect(podTemplate(w).spec.volumes).toContainEqual({ name: 'dags', emptyDir: {} });
    }
    expect(find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg']).toContain('dags_folder = /opt/airflow/dags/repo\n');
  });

  test('KubernetesPodOperator: only the workers get a token, bound to a Role with exactly the pod-launch rules', () => {
    const role = find(manifests, 'Role', 'airflow-pod-launcher');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ]);
    const binding = find(manifests, 'RoleBinding', 'airflow-pod-launcher');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'airflow-pod-launcher' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-worker', namespace: 'airflow' }]);
    expect(ofKind(manifests, 'ClusterRole')).toEqual([]);
    expect(ofKind(manifests, 'ClusterRoleBinding')).toEqual([]);

    for (const sa of ofKind(manifests, 'ServiceAccount')) {
      expect(sa.automountServiceAccountToken).toBe(false);
    }
    for (const w of workloads(manifests)) {
      const spec = podTemplate(w).spec;
      // One ServiceAccount per component, named after the workload's component.
      expect(spec.serviceAccountName).toBe(w.metadata.name.replace(/-[0-9a-f]{10}$/, ''));
      expect(spec.automountServiceAccountToken).toBe(w.metadata.name === 'airflow-worker');
    }
  });

  test('airflow.cfg rolls exactly the pods that read it', () => {
    const cfg = find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg'];
    for (const w of workloads(manifests)) {
      const annotations = podTemplate(w).metadata.annotations ?? {};
      const readsConfig = (podTemplate(w).spec.volumes ?? []).some((v: Manifest) => v.configMap?.name === 'airflow-config');
      // Job templates are immutable: their names change instead (see the hash test).
      const expected = readsConfig && w.kind !== 'Job' ? sha256(cfg) : undefined;
      expect([w.metadata.name, annotations['checksum/airflow-config']]).toEqual([w.metadata.name, expected]);
    }
  });

  test('migrations: a Job runs `airflow db migrate`; every long-running Airflow pod waits for it', () => {
    const migrate = ofKind(manifests, 'Job').find((j) => j.metadata.name.startsWith('airflow-migrate-database-'))!;
    expect(container(migrate, 'migrate-database').args).toEqual(['db', 'migrate']);
    expect(podTemplate(migrate).spec.restartPolicy).toBe('OnFailure');
    expect(podTemplate(migrate).spec.initContainers).toBeUndefined();
    for (const w of workloads(manifests).filter((o) => o.kind !== 'Job' && allContainers(o).some((c) => c.image === AIRFLOW_IMAGE))) {
      const wait = container(w, 'wait-for-migrations', true);
      expect(wait.args).toEqual(['db', 'check-migrations', '--migration-wait-timeout=60']);
      expect(wait.image).toBe(AIRFLOW_IMAGE);
    }
    const createUser = ofKind(manifests, 'Job').find((j) => j.metadata.name.startsWith('airflow-create-admin-user-'))!;
    expect(container(createUser, 'wait-for-migrations', true)).toBeDefined();
    expect(container(createUser, 'create-admin-user').env).toContainEqual(
      { name: 'AIRFLOW_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'airflow-credentials', key: 'admin-password' } } });
  });

  test('login: the FAB auth manager is configured', () => {
    const cfg = find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg'];
    expect(cfg).toContain('auth_manager = airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager\n');
    expect(cfg).toContain('executor = CeleryExecutor\n');
    expect(cfg).toContain('execution_api_server_url = http://airflow-api-server:8080/execution/\n');
  });

  test('probes check what each component does', () => {
    const api = container(find(manifests, 'Deployment', 'airflow-api-server'), 'api-server');
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/api/v2/monitor/health', port: 'http' });
    }
    const jobChecks: Record<string, string> = { 'airflow-scheduler': 'SchedulerJob', 'airflow-dag-processor': 'DagProcessorJob', 'airflow-triggerer': 'TriggererJob' };
    for (const [name, jobType] of Object.entries(jobChecks)) {
      const w = workloads(manifests).find((m) => m.metadata.name === name)!;
      const c = container(w, name.replace(/^airflow-/, ''));
      expect(c.livenessProbe.exec.command).toEqual(['airflow', 'jobs', 'check', '--job-type', jobType, '--local']);
    }
    const worker = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker');
    expect(worker.livenessProbe.exec.command.join(' ')).toContain('inspect ping -d "celery@$(hostname)"');
    const redis = container(find(manifests, 'StatefulSet', 'airflow-redis'), 'redis');
    expect(redis.livenessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    const pg = container(find(manifests, 'StatefulSet', 'airflow-postgresql'), 'postgresql');
    expect(pg.readinessProbe.exec.command[0]).toBe('pg_isready');
  });

  test('workers shut down warm: long grace period and signals to Celery only', () => {
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(podTemplate(worker).spec.terminationGracePeriodSeconds).toBe(600);
    expect(container(worker, 'worker').env).toContainEqual({ name: 'DUMB_INIT_SETSID', value: '0' });
  });

  test('every container is hardened for the restricted Pod Security Standard', () => {
    for (const w of workloads(manifests)) {
      const spec = podTemplate(w).spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of allContainers(w)) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
        expect(c.resources.requests).toBeDefined();
        expect(c.resources.limits.memory).toBeDefined();
      }
    }
  });

  test('fits a single-node minikube of 4 CPUs / 8 GiB (sum of pod requests, Jobs included)', () => {
    let cpu = 0;
    let memory = 0;
    for (const w of workloads(manifests)) {
      const spec = podTemplate(w).spec;
      const replicas = w.kind === 'Job' ? 1 : w.spec.replicas;
      const sum = (list: Manifest[], r: string) => list.reduce((acc, c) => acc + quantity(c.resources.requests[r]), 0);
      const max = (list: Manifest[], r: string) => list.reduce((acc, c) => Math.max(acc, quantity(c.resources.requests[r])), 0);
      // A pod's request: the larger of its containers' sum and its largest init container.
      const podRequest = (r: string) => Math.max(sum(spec.containers, r), max(spec.initContainers ?? [], r));
      cpu += replicas * podRequest('cpu');
      memory += replicas * podRequest('memory');
    }
    expect(cpu).toBeLessThanOrEqual(4);
    expect(memory).toBeLessThanOrEqual(8 * 1024 ** 3);
    // The numbers the README quotes.
    expect([Math.round(cpu * 1000), Math.round(memory / 1024 ** 2)]).toEqual([3530, 7040]);
  });
});
