import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { AirflowProps, ContainerImage, Executor, Metrics, StatsdMapping } from '../lib';
import { optionRow } from '../lib/config/option-table';
import { LIBRARY_MAPPINGS } from '../lib/metrics/statsd-mapping';
import { Manifest, airflowCfgText, airflowIn, find, podTemplateFile, problemsOf, release, synthAirflow, untypedConfig, workloads } from './helpers';

// Metrics (the "Operations" issue): Airflow's statsd metrics through a statsd exporter that
// Prometheus scrapes (optionally through a ServiceMonitor), or OpenTelemetry metrics pushed to a
// collector of the user's. Off by default.

const STATSD = { metrics: Metrics.statsdExporter() } satisfies AirflowProps;
const LINES = ['2.11.0', '3.0.0', '3.1.7', '3.2.0'];

/** The `[metrics]` section of airflow.cfg, option -> value. */
function metricsSection(manifests: Manifest[]): Record<string, string> {
  const text = airflowCfgText(manifests);
  const start = text.indexOf('[metrics]\n');
  if (start < 0) {
    return {};
  }
  const body = text.slice(start + '[metrics]\n'.length).split('\n\n')[0];
  return Object.fromEntries(body.split('\n').filter((l) => l !== '').map((l) => l.split(' = ') as [string, string]));
}

function mappingOf(manifests: Manifest[]): { defaults: Record<string, any>; mappings: Array<Record<string, any>> } {
  return parse(find(manifests, 'ConfigMap', 'airflow-statsd-mapping').data['mappings.yml']);
}

describe('off by default', () => {
  test('no exporter, no ServiceMonitor, no [metrics] section and no OTEL_ variable', () => {
    const manifests = synthAirflow();
    expect(manifests.filter((m) => m.metadata?.name?.startsWith('airflow-statsd') || m.kind === 'ServiceMonitor')).toEqual([]);
    expect(airflowCfgText(manifests)).not.toContain('[metrics]');
    expect(JSON.stringify(manifests)).not.toContain('OTEL_');
    expect(airflowIn().airflow.statsdExporter).toBeUndefined();
  });
});

describe('Metrics.statsdExporter()', () => {
  const manifests = synthAirflow(STATSD);
  const deployment = find(manifests, 'Deployment', 'airflow-statsd');
  const service = find(manifests, 'Service', 'airflow-statsd');
  const pod = deployment.spec.template;
  const exporter = pod.spec.containers[0];

  test('a Deployment of one replica, its Service, ServiceAccount and mapping ConfigMap, and no ServiceMonitor', () => {
    const names = manifests.filter((m) => m.metadata?.labels?.['app.kubernetes.io/component'] === 'statsd').map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names.sort()).toEqual(['ConfigMap/airflow-statsd-mapping', 'Deployment/airflow-statsd', 'Service/airflow-statsd', 'ServiceAccount/airflow-statsd']);
    expect(deployment.spec.replicas).toBe(1);
    expect(pod.spec.serviceAccountName).toBe('airflow-statsd');
    expect(exporter.image).toBe('prom/statsd-exporter:v0.30.0');
  });

  test('ports by name: statsd UDP 9125 in, metrics TCP 9102 out, on the container and the Service', () => {
    expect(exporter.ports).toEqual([
      { name: 'statsd', containerPort: 9125, protocol: 'UDP' },
      { name: 'metrics', containerPort: 9102, protocol: 'TCP' },
    ]);
    expect(service.spec.ports).toEqual([
      { name: 'statsd', port: 9125, targetPort: 'statsd', protocol: 'UDP' },
      { name: 'metrics', port: 9102, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    // The listeners the flags open are the ports above; the TCP statsd listener is off.
    expect(exporter.args).toEqual([
      '--statsd.mapping-config=/etc/statsd-exporter/mappings.yml',
      '--statsd.listen-udp=:9125',
      '--statsd.listen-tcp=',
      '--web.listen-address=:9102',
    ]);
  });

  test('the Service selects the exporter\'s pods, and only them', () => {
    const selector = service.spec.selector;
    expect(Object.entries(selector).every(([k, v]) => pod.metadata.labels[k] === v)).toBe(true);
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    const others = workloads(manifests).filter((w) => w !== deployment);
    expect(others.filter((w) => Object.entries(selector).every(([k, v]) => w.spec.template?.metadata?.labels?.[k] === v))).toEqual([]);
  });

  test('the mapping file is mounted where the flag reads it, and its checksum rolls the exporter', () => {
    const configMap = find(manifests, 'ConfigMap', 'airflow-statsd-mapping');
    expect(pod.spec.volumes).toEqual([{ name: 'mapping', configMap: { name: 'airflow-statsd-mapping' } }]);
    expect(exporter.volumeMounts).toEqual([{ name: 'mapping', mountPath: '/etc/statsd-exporter', readOnly: true }]);
    expect(Object.keys(configMap.data)).toEqual(['mappings.yml']);
    expect(pod.metadata.annotations['checksum/statsd-mapping']).toBe(createHash('sha256').update(configMap.data['mappings.yml']).digest('hex'));
  });

  test('restricted: the image\'s user nobody, no privilege, a read-only root, no token; resources and probes', () => {
    expect(pod.spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(exporter.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(exporter.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(exporter.livenessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'metrics' });
    expect(exporter.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'metrics' });
  });

  test('resources, image and pod options are the user\'s to change', () => {
    const { airflow } = airflowIn({
      metrics: Metrics.statsdExporter({
        image: ContainerImage.of('quay.io/prometheus/statsd-exporter', 'v0.30.0'),
        resources: { cpu: { request: Cpu.millis(20), limit: Cpu.millis(200) } },
        pod: { nodeSelector: { pool: 'ops' } },
      }),
    });
    const spec = ApiObject.of(airflow.statsdExporter!).toJson().spec.template.spec;
    expect(spec.containers[0].image).toBe('quay.io/prometheus/statsd-exporter:v0.30.0');
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    expect(spec.nodeSelector).toEqual({ pool: 'ops' });
  });

  test.each(LINES)('Airflow %s: [metrics] statsd_on, statsd_host (the Service), statsd_port and statsd_prefix', (version) => {
    expect(metricsSection(synthAirflow({ ...release(version), ...STATSD }))).toEqual({
      statsd_host: 'airflow-statsd', statsd_on: 'True', statsd_port: '9125', statsd_prefix: 'airflow',
    });
    // Current options of that release, in [metrics] (the synth also checks them: validateLibraryOptions).
    for (const option of ['statsd_on', 'statsd_host', 'statsd_port', 'statsd_prefix']) {
      expect([option, optionRow(release(version).version!, 'metrics', option)?.[2]]).toEqual([option, 0]);
    }
  });

  test('the options are the prop\'s: config cannot move the host behind the exporter\'s back', () => {
    expect(problemsOf({ ...STATSD, config: { metrics: { statsd_host: 'statsd.example' } } })).toEqual([
      'config.metrics.statsd_host: this option is set by the library (got "statsd.example"). Fix: use the prop metrics (the statsd exporter\'s Service) instead',
    ]);
  });

  test('a change of the mapping rolls the exporter alone; the Airflow pods keep their config checksum', () => {
    const other = synthAirflow({ metrics: Metrics.statsdExporter({ mappings: [{ match: 'airflow.scheduler_heartbeat', name: 'airflow_scheduler_heartbeat_total' }] }) });
    const annotations = (m: Manifest[], kind: string, name: string) => find(m, kind, name).spec.template.metadata.annotations;
    expect(annotations(other, 'Deployment', 'airflow-statsd')['checksum/statsd-mapping']).not.toBe(annotations(manifests, 'Deployment', 'airflow-statsd')['checksum/statsd-mapping']);
    expect(annotations(other, 'Deployment', 'airflow-scheduler')).toEqual(annotations(manifests, 'Deployment', 'airflow-scheduler'));
  });

  test('ApiObject.of() of the component is its Deployment', () => {
    const { airflow } = airflowIn(STATSD);
    expect(ApiObject.of(airflow.statsdExporter!).kind).toBe('Deployment');
    expect(airflow.statsdExporter!.serviceName).toBe('airflow-statsd');
  });
});

describe('the ServiceMonitor', () => {
  const manifests = synthAirflow({ metrics: Metrics.statsdExporter({ serviceMonitor: { labels: { release: 'kube-prometheus-stack' }, interval: Duration.seconds(30) } }) });
  const monitor = find(manifests, 'ServiceMonitor', 'airflow-statsd');
  const service = find(manifests, 'Service', 'airflow-statsd');

  test('monitoring.coreos.com/v1, labelled for the Prometheus\'s selector', () => {
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe('airflow');
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(monitor.metadata.labels['app.kubernetes.io/component']).toBe('statsd');
  });

  test('selects the exporter\'s Service, and no other, and names its metrics port', () => {
    const selects = (m: Manifest) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => m.metadata.labels?.[k] === v);
    expect(manifests.filter((m) => m.kind === 'Service' && selects(m)).map((m) => m.metadata.name)).toEqual(['airflow-statsd']);
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(service.spec.ports.map((p: Manifest) => p.name)).toContain(monitor.spec.endpoints[0].port);
  });

  test('{} is a ServiceMonitor with Prometheus\'s own interval', () => {
    const plain = find(synthAirflow({ metrics: Metrics.statsdExporter({ serviceMonitor: {} }) }), 'ServiceMonitor', 'airflow-statsd');
    expect(plain.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
  });
});

// A model of statsd_exporter's mapper (pkg/mapper at v0.30.0) for the rules the library writes:
// glob rules in order, the first match wins, each "*" one whole dot-separated part; regex rules
// after every glob rule; no match: the name with its dots as underscores, no labels.
type Mapped = { name: string; labels: Record<string, string> } | 'dropped' | 'unmapped';
function mapStatsd(rules: Array<Record<string, any>>, metric: string): Mapped {
  const expand = (template: string, captures: string[]) => template.replace(/\$\{?(\d+)\}?/g, (_, n) => captures[Number(n) - 1] ?? '');
  const apply = (rule: Record<string, any>, captures: string[]): Mapped => (rule.action === 'drop' ? 'dropped'
    : { name: expand(rule.name, captures), labels: Object.fromEntries(Object.entries(rule.labels ?? {}).map(([k, v]) => [k, expand(String(v), captures)])) });
  for (const rule of rules.filter((r) => r.match_type !== 'regex')) {
    const pattern = rule.match.split('.');
    const parts = metric.split('.');
    if (pattern.length === parts.length && pattern.every((p: string, i: number) => p === '*' || p === parts[i])) {
      return apply(rule, parts.filter((_, i) => pattern[i] === '*'));
    }
  }
  for (const rule of rules.filter((r) => r.match_type === 'regex')) {
    const m = new RegExp(rule.match).exec(metric);
    if (m) {
      return apply(rule, m.slice(1));
    }
  }
  return 'unmapped';
}

describe('the mapping', () => {
  const mapping = mappingOf(synthAirflow(STATSD));
  const FQDN = 'airflow-triggerer-0.airflow-triggerer.airflow.svc.cluster.local';

  test('is YAML statsd_exporter reads: defaults, then a list of rules with a match and a name each', () => {
    expect(mapping.defaults).toEqual({
      match_type: 'glob', observer_type: 'histogram', histogram_options: { buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200] },
    });
    expect(mapping.mappings.length).toBe(LIBRARY_MAPPINGS.length);
    for (const rule of mapping.mappings) {
      expect(Object.keys(rule).every((k) => ['match', 'match_type', 'name', 'labels', 'action'].includes(k))).toBe(true);
      expect(typeof rule.match).toBe('string');
      // statsd_exporter refuses a rule without a name, a drop rule too (mapper.go).
      expect(rule.name).toMatch(/^([a-zA-Z_]|\$\{?\d+\}?)([a-zA-Z0-9_]|\$\{?\d+\}?)*$/);
      if (rule.match_type !== 'regex') {
        expect(rule.match).toMatch(/^(\*|[a-zA-Z_][a-zA-Z0-9_-]*)(\.\*|\.[a-zA-Z0-9_][a-zA-Z0-9_-]*)*$/);
      } else {
        expect(() => new RegExp(rule.match)).not.toThrow();
      }
      for (const label of Object.keys(rule.labels ?? {})) {
        expect(label).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]+$/);
      }
    }
  });

  test('metrics of one name always get the same label names', () => {
    const labelsByName = new Map<string, Set<string>>();
    for (const rule of mapping.mappings.filter((r) => r.action !== 'drop' && !r.name.includes('$'))) {
      (labelsByName.get(rule.name) ?? labelsByName.set(rule.name, new Set()).get(rule.name)!).add(Object.keys(rule.labels ?? {}).sort().join(','));
    }
    expect([...labelsByName].filter(([, sets]) => sets.size > 1)).toEqual([]);
  });

  test.each<[string, Mapped]>([
    ['airflow.ti.start.etl_in_pods.extract', { name: 'airflow_ti_start_total', labels: { dag_id: 'etl_in_pods', task_id: 'extract' } }],
    ['airflow.ti.finish.etl_in_pods.extract.success', { name: 'airflow_ti_finish_total', labels: { dag_id: 'etl_in_pods', task_id: 'extract', state: 'success' } }],
    ['airflow.ti.running.default.etl_in_pods.extract', { name: 'airflow_ti_running', labels: { queue: 'default', dag_id: 'etl_in_pods', task_id: 'extract' } }],
    ['airflow.ti.queued.default.etl_in_pods.extract', { name: 'airflow_ti_queued', labels: { queue: 'default', dag_id: 'etl_in_pods', task_id: 'extract' } }],
    ['airflow.dag.etl_in_pods.extract.duration', { name: 'airflow_task_duration_seconds', labels: { dag_id: 'etl_in_pods', task_id: 'extract' } }],
    ['airflow.dag.etl_in_pods.extract.queued_duration', { name: 'airflow_task_queued_duration_seconds', labels: { dag_id: 'etl_in_pods', task_id: 'extract' } }],
    ['airflow.dagrun.duration.success.etl_in_pods', { name: 'airflow_dagrun_duration_seconds', labels: { state: 'success', dag_id: 'etl_in_pods' } }],
    ['airflow.dagrun.duration.failed.etl_in_pods', { name: 'airflow_dagrun_duration_seconds', labels: { state: 'failed', dag_id: 'etl_in_pods' } }],
    ['airflow.dagrun.etl_in_pods.first_task_scheduling_delay', { name: 'airflow_dagrun_first_task_scheduling_delay_seconds', labels: { dag_id: 'etl_in_pods' } }],
    ['airflow.dagrun.schedule_delay.etl_in_pods', { name: 'airflow_dagrun_schedule_delay_seconds', labels: { dag_id: 'etl_in_pods' } }],
    ['airflow.dagrun.dependency-check.etl_in_pods', { name: 'airflow_dagrun_dependency_check_seconds', labels: { dag_id: 'etl_in_pods' } }],
    ['airflow.pool.open_slots.default_pool', { name: 'airflow_pool_open_slots', labels: { pool: 'default_pool' } }],
    ['airflow.pool.starving_tasks.default_pool', { name: 'airflow_pool_starving_tasks', labels: { pool: 'default_pool' } }],
    ['airflow.dag_processing.last_run.seconds_ago.etl_in_pods', { name: 'airflow_dag_processing_last_run_seconds_ago', labels: { dag_file: 'etl_in_pods' } }],
    ['airflow.local_task_job.task_exit.4711.etl.extract.0', { name: 'airflow_local_task_job_task_exit_total', labels: { dag_id: 'etl', task_id: 'extract', return_code: '0' } }],
    ['airflow.operator_successes_KubernetesPodOperator', { name: 'airflow_operator_successes_total', labels: { operator: 'KubernetesPodOperator' } }],
    ['airflow.task_instance_created_PythonOperator', { name: 'airflow_task_instance_created_total', labels: { task_type: 'PythonOperator' } }],
    [`airflow.triggers.running.${FQDN}`, { name: 'airflow_triggers_running', labels: { hostname: FQDN } }],
    [`airflow.triggerer.capacity_left.${FQDN}`, { name: 'airflow_triggerer_capacity_left', labels: { hostname: FQDN } }],
    // The twins without ids, sent from the same calls: dropped, `sum()` of the labelled metric is their value.
    ['airflow.ti.finish', 'dropped'], ['airflow.ti.running', 'dropped'], ['airflow.task.duration', 'dropped'],
    ['airflow.dagrun.duration.success', 'dropped'], ['airflow.pool.open_slots', 'dropped'], ['airflow.operator_successes', 'dropped'],
    ['airflow.triggers.running', 'dropped'],
    // Metrics without ids keep their names (dots as underscores); ids with a dot are not split.
    ['airflow.scheduler_heartbeat', 'unmapped'], ['airflow.executor.open_slots', 'unmapped'], ['airflow.ti_failures', 'unmapped'],
    ['airflow.dag.etl.group.task.duration', 'unmapped'],
  ])('%s', (metric, expected) => {
    expect(mapStatsd(mapping.mappings, metric)).toEqual(expected);
  });

  test('the deployment\'s rules come first, so one with a library rule\'s match replaces it', () => {
    const mine: StatsdMapping[] = [
      { match: 'airflow.dag.*.*.duration', name: 'task_seconds', labels: { dag: '$1', task: '$2' } },
      { match: 'airflow.scheduler_heartbeat', drop: true },
    ];
    const rules = mappingOf(synthAirflow({ metrics: Metrics.statsdExporter({ mappings: mine }) })).mappings;
    expect(rules.slice(0, 2)).toEqual([
      { match: 'airflow.dag.*.*.duration', name: 'task_seconds', labels: { dag: '$1', task: '$2' } },
      { match: 'airflow.scheduler_heartbeat', action: 'drop', name: 'dropped' },
    ]);
    expect(mapStatsd(rules, 'airflow.dag.etl.extract.duration')).toEqual({ name: 'task_seconds', labels: { dag: 'etl', task: 'extract' } });
    expect(mapStatsd(rules, 'airflow.scheduler_heartbeat')).toBe('dropped');
  });
});

describe('Metrics.openTelemetry()', () => {
  const OTEL = { metrics: Metrics.openTelemetry({ host: 'otel-collector.observability' }) } satisfies AirflowProps;
  const otelEnv = (manifests: Manifest[]) => find(manifests, 'Deployment', 'airflow-scheduler').spec.template.spec.containers[0].env
    .filter((e: Manifest) => e.name.startsWith('OTEL_'));

  test.each(['2.11.0', '3.0.0', '3.1.7'])('Airflow %s: [metrics] otel_on, otel_host, otel_port (4318, OTLP/HTTP), otel_ssl_active, otel_prefix', (version) => {
    const manifests = synthAirflow({ ...release(version), ...OTEL });
    expect(metricsSection(manifests)).toEqual({
      otel_host: 'otel-collector.observability', otel_on: 'True', otel_port: '4318', otel_prefix: 'airflow', otel_ssl_active: 'False',
    });
    expect(otelEnv(manifests)).toEqual([]);
  });

  test('Airflow 3.2, which deprecates otel_host and otel_port: the OTLP variables, in every Airflow container', () => {
    const manifests = synthAirflow({ ...release('3.2.0'), metrics: Metrics.openTelemetry({ host: 'otel-collector.observability', port: 4319, ssl: true }) });
    expect(metricsSection(manifests)).toEqual({ otel_on: 'True', otel_prefix: 'airflow' });
    const expected = [
      { name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', value: 'https://otel-collector.observability:4319/v1/metrics' },
      { name: 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', value: 'http/protobuf' },
    ];
    expect(otelEnv(manifests)).toEqual(expected);
    for (const workload of workloads(manifests).filter((w) => w.spec.template.spec.containers[0].image.startsWith('apache/airflow'))) {
      const env = workload.spec.template.spec.containers[0].env ?? [];
      expect([workload.metadata.name, env.filter((e: Manifest) => e.name.startsWith('OTEL_'))]).toEqual([workload.metadata.name, expected]);
    }
  });

  test('and in the KubernetesExecutor\'s task pods, which run the tasks whose metrics they send', () => {
    const manifests = synthAirflow({ ...release('3.2.0'), executor: Executor.kubernetes(), ...OTEL });
    expect(podTemplateFile(manifests).spec.containers[0].env.filter((e: Manifest) => e.name.startsWith('OTEL_')).map((e: Manifest) => e.name))
      .toEqual(['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL']);
  });

  test('ssl: https', () => {
    expect(metricsSection(synthAirflow({ metrics: Metrics.openTelemetry({ host: 'collector', ssl: true }) })).otel_ssl_active).toBe('True');
  });

  test('nothing is deployed', () => {
    const base = synthAirflow().map((m) => `${m.kind}/${m.metadata.name}`);
    expect(synthAirflow(OTEL).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(base);
  });

  test('statsd, which Airflow would prefer, cannot be turned on in config', () => {
    expect(problemsOf({ ...OTEL, config: { metrics: { statsd_on: 'True' } } })).toEqual([
      'config.metrics.statsd_on: this option is set by the library (got "True"). Fix: use the prop metrics (Metrics.openTelemetry(): with statsd on, Airflow sends statsd metrics instead) instead',
    ]);
  });
});

describe('the option table: deprecated from the release that deprecated it', () => {
  test('[metrics] otel_host is current up to 3.1 and deprecated from 3.2 (config.yml: version_deprecated 3.2.0)', () => {
    expect(LINES.map((v) => [v, optionRow(release(v).version!, 'metrics', 'otel_host')?.[2]])).toEqual([
      ['2.11.0', 0], ['3.0.0', 0], ['3.1.7', 0], ['3.2.0', 1],
    ]);
  });

  test('so config may set it on 3.1.7, and is told on 3.2.0', () => {
    expect(problemsOf({ ...release('3.1.7'), config: { metrics: { otel_on: 'True', otel_host: 'collector' } } })).toEqual([]);
    expect(problemsOf({ ...release('3.2.0'), config: { metrics: { otel_host: 'collector' } } })).toEqual([
      'config.metrics.otel_host: [metrics] otel_host is deprecated in Airflow 3.2.0 (got "collector"). Fix: use its replacement named in the Airflow docs',
    ]);
  });
});

describe('bad input: every problem, with the property, the value and the fix', () => {
  test.each<[string, AirflowProps, string[]]>([
    ['a glob with an empty part', { metrics: Metrics.statsdExporter({ mappings: [{ match: 'airflow..duration', name: 'x_seconds' }] }) }, [
      'metrics.mappings[0].match: not a statsd_exporter glob: dot-separated parts of letters, digits, "_" and "-" (the first not starting with a digit), or "*" for one whole part (got "airflow..duration"). Fix: e.g. "airflow.dag.*.*.duration"',
    ]],
    ['a rule without a name', { metrics: Metrics.statsdExporter({ mappings: [{ match: 'airflow.scheduler_heartbeat' }] }) }, [
      'metrics.mappings[0].name: a rule must name the Prometheus metric it makes (got undefined). Fix: give a name, e.g. "airflow_task_duration_seconds", or drop: true',
    ]],
    ['a name that is no Prometheus name, a label name too short, a reference past the wildcards', {
      metrics: Metrics.statsdExporter({ mappings: [{ match: 'airflow.dag.*.*.duration', name: 'task-duration', labels: { d: '$1', task_id: '$3' } }] }),
    }, [
      'metrics.mappings[0].name: not a Prometheus metric name: letters, digits and "_", not starting with a digit ("$1"… for the parts "*" matched) (got "task-duration"). Fix: e.g. "airflow_task_duration_seconds"',
      'metrics.mappings[0].labels.d: not a label name statsd_exporter takes: letters, digits and "_", at least two, not starting with a digit (got "d"). Fix: e.g. "dag_id"',
      'metrics.mappings[0].labels.task_id: $3 stands for "*" number 3 of the match, which has 2 (got "$3"). Fix: use $1 to $2, one per "*" of the match',
    ]],
    ['a name the library gives other labels', {
      metrics: Metrics.statsdExporter({ mappings: [{ match: 'airflow.dag.*.*.retries', name: 'airflow_task_duration_seconds', labels: { dag_id: '$1' } }] }),
    }, [
      'metrics.mappings[0].labels: the library\'s rule for "airflow.dag.*.*.duration" makes airflow_task_duration_seconds with the labels [dag_id, task_id]; metrics of one name must have the same label names (got {"dag_id":"$1"}). Fix: give airflow_task_duration_seconds the labels [dag_id, task_id], another name, or replace that rule with one of the same match',
    ]],
    ['two rules of one name and other labels, a repeated match, a drop with a name', {
      metrics: Metrics.statsdExporter({
        mappings: [
          { match: 'airflow.a.*', name: 'airflow_a', labels: { x_id: '$1' } },
          { match: 'airflow.b.*', name: 'airflow_a', labels: { y_id: '$1' } },
          { match: 'airflow.a.*', drop: true, name: 'gone' },
        ],
      }),
    }, [
      'metrics.mappings[1].labels: metrics.mappings[0] makes airflow_a with the labels [x_id]; metrics of one name must have the same label names (statsd_exporter drops the later events as conflicts) (got {"y_id":"$1"}). Fix: give airflow_a the labels [x_id], or another name',
      'metrics.mappings[2].match: metrics.mappings[0] has the same match and wins (the first matching rule does), so this rule never applies (got "airflow.a.*"). Fix: remove one of the two',
      'metrics.mappings[2]: a rule that drops its metrics exports nothing, so a name or labels would do nothing (got {"name":"gone"}). Fix: remove name and labels, or drop: true',
    ]],
    ['a ServiceMonitor label of the library\'s and an interval in fractions of a second', {
      metrics: Metrics.statsdExporter({ serviceMonitor: { labels: { 'app.kubernetes.io/name': 'x' }, interval: Duration.millis(1500) } }),
    }, [
      'metrics.serviceMonitor.labels.app.kubernetes.io/name: the library sets this label itself (got "x"). Fix: use the label your Prometheus selects ServiceMonitors by, e.g. "release"',
      'metrics.serviceMonitor.interval: the scrape interval is written in whole seconds, at least 1 (got "1.5s"). Fix: e.g. Duration.seconds(30)',
    ]],
    ['an unpinned image', { metrics: Metrics.statsdExporter({ image: ContainerImage.of('prom/statsd-exporter', 'latest') }) }, [
      'metrics.image: tag "latest" is not pinned; a moving tag makes the output mean different things on different days (got "prom/statsd-exporter:latest"). Fix: pin a released tag, e.g. prom/statsd-exporter:v0.30.0',
    ]],
    ['a collector URL for its host, a port out of range', { metrics: Metrics.openTelemetry({ host: 'http://otel-collector:4318', port: 70000 }) }, [
      'metrics.host: the host alone: Airflow adds the scheme, the port and /v1/metrics (got "http://otel-collector:4318"). Fix: e.g. host: "otel-collector.observability", port: 4318, ssl: true for https',
      'metrics.port: not a TCP port (got 70000). Fix: e.g. 4318, the OTLP/HTTP port',
    ]],
    ['a host that is no host name', { metrics: Metrics.openTelemetry({ host: 'otel_collector' }) }, [
      'metrics.host: not a host name (got "otel_collector"). Fix: give the collector Service\'s name, e.g. "otel-collector.observability"',
    ]],
    ['options a JavaScript caller got wrong', { metrics: Metrics.statsdExporter(JSON.parse('{"serviceMonitor":true,"mapping":"x"}')) }, [
      'metrics.mapping: not a property of StatsdExporterOptions (got "x"). Fix: did you mean "mappings"?',
      'metrics.serviceMonitor: must be an object (ServiceMonitorOptions) (got true). Fix: give an object with the properties interval, labels',
    ]],
    ['statsd host set in config', { ...STATSD, config: untypedConfig({ metrics: { statsd_port: 8125 } }) }, [
      'config.metrics.statsd_port: this option is set by the library (got 8125). Fix: use the prop metrics (the statsd exporter\'s Service port) instead',
    ]],
  ])('%s', (_what, props, expected) => {
    expect(problemsOf(props)).toEqual(expected);
  });

  test('valid: a rule of the user\'s with $-references, a drop, a ServiceMonitor with labels', () => {
    expect(problemsOf({
      metrics: Metrics.statsdExporter({
        mappings: [{ match: 'airflow.*.heartbeat', name: 'airflow_${1}_heartbeat_total' }, { match: 'airflow.dag_processing.*', drop: true }],
        serviceMonitor: { labels: { release: 'kps' }, interval: Duration.minutes(1) },
      }),
    })).toEqual([]);
  });
});
