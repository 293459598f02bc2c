import { Cpu } from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { ContainerImage, MetadataDatabase, SecretKey } from '../lib';
import { Manifest, container, find, ofKind, problemsOf, synthAirflow } from './helpers';

// PgBouncer's metrics exporter sidecar (`pgbouncer.metrics`): the container, its connection to the
// admin console as a `stats_users` user with the password from the Secret, the Service's metrics
// port and the optional ServiceMonitor. Off by default.

function envOf(c: Manifest, name: string): Manifest | undefined {
  return (c.env ?? []).find((v: Manifest) => v.name === name);
}

describe('PgBouncer metrics, off by default', () => {
  const manifests = synthAirflow({ database: MetadataDatabase.bundledPostgres({ pgbouncer: {} }) });
  const deployment = find(manifests, 'Deployment', 'airflow-pgbouncer');

  test('one container, no STATS_USERS, no metrics port, no ServiceMonitor', () => {
    expect(deployment.spec.template.spec.containers.map((c: Manifest) => c.name)).toEqual(['pgbouncer']);
    expect(envOf(container(deployment, 'pgbouncer'), 'STATS_USERS')).toBeUndefined();
    expect(find(manifests, 'Service', 'airflow-pgbouncer').spec.ports.map((p: Manifest) => p.name)).toEqual(['pgbouncer']);
    expect(ofKind(manifests, 'ServiceMonitor')).toEqual([]);
  });
});

describe('PgBouncer metrics with a ServiceMonitor', () => {
  const credentials = { databasePassword: SecretKey.of('db-credentials', 'password') };
  const manifests = synthAirflow({
    credentials,
    database: MetadataDatabase.bundledPostgres({ pgbouncer: { replicas: 2, metrics: { serviceMonitor: { labels: { release: 'kps' }, interval: Duration.seconds(30) } } } }),
  });
  const deployment = find(manifests, 'Deployment', 'airflow-pgbouncer');
  const pgbouncer = container(deployment, 'pgbouncer');
  const exporter = container(deployment, 'metrics-exporter');

  test('a sidecar right after PgBouncer: the pinned exporter, a named metrics port, probes on its landing page', () => {
    expect(deployment.spec.template.spec.containers.map((c: Manifest) => c.name)).toEqual(['pgbouncer', 'metrics-exporter']);
    expect(exporter.image).toBe('prometheuscommunity/pgbouncer-exporter:v0.12.1');
    expect(exporter.args).toEqual(['--web.listen-address=:9127']);
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9127, protocol: 'TCP' }]);
    expect(exporter.livenessProbe.httpGet).toEqual({ path: '/', port: 'metrics' });
    expect(exporter.readinessProbe.httpGet).toEqual({ path: '/', port: 'metrics' });
    expect(exporter.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
  });

  test('restricted: non-root, no privilege escalation, no capabilities, read-only root', () => {
    expect(exporter.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true,
    });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('the password by secretKeyRef from the credentials Secret, expanded into the connection string', () => {
    const password = envOf(exporter, 'PGBOUNCER_EXPORTER_PASSWORD');
    expect(password).toEqual({ name: 'PGBOUNCER_EXPORTER_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } });
    // The same key PgBouncer writes into userlist.txt.
    expect(envOf(pgbouncer, 'DB_PASSWORD')?.valueFrom).toEqual(password?.valueFrom);
    // $(VAR) expands only variables defined before it.
    expect(exporter.env.map((v: Manifest) => v.name)).toEqual(['PGBOUNCER_EXPORTER_PASSWORD', 'PGBOUNCER_EXPORTER_CONNECTION_STRING']);
    expect(envOf(exporter, 'PGBOUNCER_EXPORTER_CONNECTION_STRING')?.value)
      .toBe("host=127.0.0.1 port=6543 dbname=pgbouncer user='airflow' password='$(PGBOUNCER_EXPORTER_PASSWORD)' sslmode=disable");
    expect(JSON.stringify(manifests)).not.toContain('password=\'$(PGBOUNCER_EXPORTER_PASSWORD)\'@');
  });

  test('stats_users: PgBouncer lists the exporter\'s user, its DB_USER', () => {
    expect(envOf(pgbouncer, 'STATS_USERS')?.value).toBe('airflow');
    expect(envOf(pgbouncer, 'DB_USER')?.value).toBe('airflow');
  });

  test('the Service gains the metrics port', () => {
    const service = find(manifests, 'Service', 'airflow-pgbouncer');
    expect(service.spec.ports).toEqual([
      { name: 'pgbouncer', port: 6543, targetPort: 'pgbouncer', protocol: 'TCP' },
      { name: 'metrics', port: 9127, targetPort: 'metrics', protocol: 'TCP' },
    ]);
  });

  test('the ServiceMonitor selects the Service by its labels and names the metrics port', () => {
    const service = find(manifests, 'Service', 'airflow-pgbouncer');
    const monitor = find(manifests, 'ServiceMonitor', 'airflow-pgbouncer');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kps', 'app.kubernetes.io/component': 'pgbouncer' });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    const selector: Record<string, string> = monitor.spec.selector.matchLabels;
    expect(service.metadata.labels).toMatchObject(selector);
    // Only the PgBouncer Service carries those labels.
    const selected = ofKind(manifests, 'Service').filter((s) => Object.entries(selector).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(selected.map((s) => s.metadata.name)).toEqual(['airflow-pgbouncer']);
    expect(service.spec.ports.map((p: Manifest) => p.name)).toContain(monitor.spec.endpoints[0].port);
  });

  test('without serviceMonitor: the sidecar and the port, no ServiceMonitor', () => {
    const plain = synthAirflow({ database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', user: 'af', pgbouncer: { metrics: {} } }) });
    const bouncer = find(plain, 'Deployment', 'airflow-pgbouncer');
    expect(container(bouncer, 'metrics-exporter').image).toBe('prometheuscommunity/pgbouncer-exporter:v0.12.1');
    expect(envOf(container(bouncer, 'pgbouncer'), 'STATS_USERS')?.value).toBe('af');
    expect(find(plain, 'Service', 'airflow-pgbouncer').spec.ports.map((p: Manifest) => p.port)).toEqual([6543, 9127]);
    expect(ofKind(plain, 'ServiceMonitor')).toEqual([]);
  });
});

describe('PgBouncer metrics and NetworkPolicies', () => {
  const database = MetadataDatabase.bundledPostgres({ pgbouncer: { metrics: { serviceMonitor: {} } } });

  test('no pod of the release scrapes it: the port stays closed by default', () => {
    const policy = find(synthAirflow({ database, networkPolicies: { enabled: true } }), 'NetworkPolicy', 'airflow-pgbouncer');
    expect(policy.spec.ingress.flatMap((r: Manifest) => r.ports.map((p: Manifest) => p.port))).toEqual([6543]);
  });

  test('Prometheus in another namespace: allowIngress opens 9127', () => {
    const manifests = synthAirflow({
      database,
      networkPolicies: { enabled: true, allowIngress: [{ from: [{ namespace: 'monitoring' }], ports: [{ port: 9127 }] }] },
    });
    const policy = find(manifests, 'NetworkPolicy', 'airflow-pgbouncer');
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: {} }],
      ports: [{ port: 9127, protocol: 'TCP' }],
    });
  });
});

describe('PgBouncer metrics validation', () => {
  test('an unpinned image, a resource request above its limit, a bad ServiceMonitor', () => {
    const problems = problemsOf({
      database: MetadataDatabase.bundledPostgres({
        pgbouncer: {
          metrics: {
            image: ContainerImage.of('prometheuscommunity/pgbouncer-exporter', 'latest'),
            resources: { cpu: { request: Cpu.millis(500), limit: Cpu.millis(100) } },
            serviceMonitor: { labels: { 'app.kubernetes.io/component': 'x' }, interval: Duration.millis(1500) },
          },
        },
      }),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^database\.pgbouncer\.metrics\.resources\.cpu/),
      expect.stringMatching(/^database\.pgbouncer\.metrics\.image: .*Fix: pin a released tag, e\.g\. prometheuscommunity\/pgbouncer-exporter:v0\.12\.1/),
      expect.stringMatching(/^database\.pgbouncer\.metrics\.serviceMonitor\.labels\.app\.kubernetes\.io\/component: .*the library sets this label itself/),
      expect.stringMatching(/^database\.pgbouncer\.metrics\.serviceMonitor\.interval: the scrape interval is written in whole seconds/),
    ]);
  });

  test('metrics as a flag is refused by the shape check', () => {
    expect(problemsOf({ database: MetadataDatabase.bundledPostgres({ pgbouncer: { metrics: true as any } }) })).toEqual([
      expect.stringMatching(/^database\.pgbouncer\.metrics: must be an object \(PgBouncerMetricsOptions\)/),
    ]);
  });
});
