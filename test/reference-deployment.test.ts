import * as fs from 'fs';
import * as path from 'path';
import { sha256 } from '../lib/hash';
import {
  Manifest, allContainers, container, find, ofKind, podTemplate, synthReference, workloads,
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
      'ConfigMap/airflow-dags',
      'Deployment/airflow-api-server',
      'Deployment/airflow-dag-processor',
      'Deployment/airflow-flower',
      'Deployment/airflow-scheduler',
      'Job/airflow-create-admin-user-<hash>',
      'Job/airflow-migrate-database-<hash>',
      'Namespace/airflow',
      'PersistentVolumeClaim/airflow-postgresql-data',
      'PodDisruptionBudget/airflow-worker',
      'Role/airflow-pod-launcher',
      'Role/airflow-pod-watcher',
      'RoleBinding/airflow-pod-launcher',
      'RoleBinding/airflow-pod-watcher',
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

  test('StatefulSets: two workers, one PostgreSQL on its own 8Gi claim, governing Services exist', () => {
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(worker.spec.replicas).toBe(2);
    for (const sts of ofKind(manifests, 'StatefulSet')) {
      expect(find(manifests, 'Service', sts.spec.serviceName)).toBeDefined();
    }
    const pg = find(manifests, 'StatefulSet', 'airflow-postgresql');
    // A standalone claim, not a claim template: its size can grow by a change to the props, and
    // Argo CD and Flux keep it when it leaves the output.
    expect(pg.spec.volumeClaimTemplates).toBeUndefined();
    expect(podTemplate(pg).spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'airflow-postgresql-data' } });
    const claim = find(manifests, 'PersistentVolumeClaim', 'airflow-postgresql-data');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } });
    expect(claim.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
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
      'worker': 'celery worker --concurrency 16',
      'flower': 'celery flower',
      'migrate-database': 'db migrate',
      // `--option=value`: no value, the generated password included, can be read as an option.
      'create-admin-user': 'users create --username=admin --firstname=Airflow --lastname=Admin --email=admin@example.com --role=Admin --password=$(AIRFLOW_ADMIN_PASSWORD)',
    });
  });

  test('secrets reach Airflow only through secretKeyRef; URLs are assembled from earlier variables', () => {
    const airflowPods = workloads(manifests).filter((w) => allContainers(w).some((c) => c.image === AIRFLOW_IMAGE));
    expect(airflowPods).toHaveLength(8);
    for (const w of airflowPods) {
      const [groomers, airflowContainers] = [true, false].map((g) => allContainers(w).filter((x) => x.image === AIRFLOW_IMAGE && (x.name === 'log-groomer') === g));
      // The log groomer runs a shell script of the image over the logs volume: no secret at all.
      for (const groomer of groomers) {
        expect(groomer.env).toEqual([
          { name: 'AIRFLOW_HOME', value: '/opt/airflow' },
          { name: 'AIRFLOW__LOG_RETENTION_DAYS', value: '7' },
          { name: 'AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES', value: '15' },
        ]);
      }
      for (const c of airflowContainers) {
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

  test('the shipped DAGs: a ConfigMap of dags/, mounted whole where DAG files are parsed or run', () => {
    const dags = find(manifests, 'ConfigMap', 'airflow-dags');
    const shipped = fs.readdirSync(path.join(__dirname, '..', 'dags')).sort();
    expect(Object.keys(dags.data).sort()).toEqual(['.airflowignore', ...shipped].sort());
    for (const file of shipped) {
      expect(dags.data[file]).toBe(fs.readFileSync(path.join(__dirname, '..', 'dags', file), 'utf8'));
    }
    // Airflow walks the folder following links: the volume's ..data and ..<timestamp> folders are ignored.
    expect(dags.data['.airflowignore'].split('\n')).toContain('..*');
    const withDags = workloads(manifests)
      .filter((w) => (podTemplate(w).spec.volumes ?? []).some((v: Manifest) => v.name === 'dags'))
      .map((w) => w.metadata.name).sort();
    expect(withDags).toEqual(['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']);
    for (const name of withDags) {
      const w = workloads(manifests).find((m) => m.metadata.name === name)!;
      // The whole ConfigMap, no items and no subPath: the kubelet updates the files in place,
      // and no checksum of the DAGs rolls the pods.
      expect(podTemplate(w).spec.volumes).toContainEqual({ name: 'dags', configMap: { name: 'airflow-dags' } });
      const airflow = container(w, name.replace(/^airflow-/, ''));
      expect(airflow.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true });
      expect(Object.keys(podTemplate(w).metadata.annotations)).toEqual(['checksum/airflow-config', 'cluster-autoscaler.kubernetes.io/safe-to-evict']);
    }
    expect(find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg']).toContain('dag_ignore_file_syntax = glob\ndags_folder = /opt/airflow/dags\n');
  });

  test('KubernetesPodOperator: the workers launch pods, the triggerer follows deferred ones; no one else has a token', () => {
    const role = find(manifests, 'Role', 'airflow-pod-launcher');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ]);
    const binding = find(manifests, 'RoleBinding', 'airflow-pod-launcher');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'airflow-pod-launcher' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-worker', namespace: 'airflow' }]);
    // A deferrable KubernetesPodOperator's trigger runs in the triggerer: it reads the pod, its
    // log and its events; it neither creates nor deletes pods.
    expect(find(manifests, 'Role', 'airflow-pod-watcher').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ]);
    expect(find(manifests, 'RoleBinding', 'airflow-pod-watcher').subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-triggerer', namespace: 'airflow' }]);
    expect(ofKind(manifests, 'ClusterRole')).toEqual([]);
    expect(ofKind(manifests, 'ClusterRoleBinding')).toEqual([]);

    for (const sa of ofKind(manifests, 'ServiceAccount')) {
      expect(sa.automountServiceAccountToken).toBe(false);
    }
    for (const w of workloads(manifests)) {
      const spec = podTemplate(w).spec;
      // One ServiceAccount per component, named after the workload's component.
      expect(spec.serviceAccountName).toBe(w.metadata.name.replace(/-[0-9a-f]{10}$/, ''));
      expect([w.metadata.name, spec.automountServiceAccountToken]).toEqual([w.metadata.name, ['airflow-worker', 'airflow-triggerer'].includes(w.metadata.name)]);
    }
  });

  test('logs: a bounded volume everywhere, and a groomer beside every component that writes logs for long', () => {
    const groomed = workloads(manifests).filter((w) => podTemplate(w).spec.containers.some((c: Manifest) => c.name === 'log-groomer'))
      .map((w) => w.metadata.name).sort();
    expect(groomed).toEqual(['airflow-dag-processor', 'airflow-scheduler', 'airflow-triggerer', 'airflow-worker']);
    for (const w of workloads(manifests).filter((o) => (podTemplate(o).spec.volumes ?? []).some((v: Manifest) => v.name === 'logs'))) {
      expect(podTemplate(w).spec.volumes).toContainEqual({ name: 'logs', emptyDir: { sizeLimit: '2Gi' } });
    }
    const groomer = container(find(manifests, 'Deployment', 'airflow-scheduler'), 'log-groomer');
    // The image's own script, run directly: through the entrypoint it would first wait for the database.
    expect(groomer).toMatchObject({ image: AIRFLOW_IMAGE, command: ['/clean-logs'], volumeMounts: [{ name: 'logs', mountPath: '/opt/airflow/logs' }] });
    expect(groomer.args).toBeUndefined();
    expect(groomer.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
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
});
