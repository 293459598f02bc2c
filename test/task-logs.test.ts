import { Size } from 'cdk8s';
import { Executor, RemoteLogStore, SecretKey, TaskLogs } from '../lib';
import { optionRow } from '../lib/config/option-table';
import { AirflowVersion } from '../lib/version';
import { Manifest, airflowCfgText, find, ofKind, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, workloads } from './helpers';

const V2 = release('2.11.0');
const V3 = release('3.1.7');

function logsVolume(spec: Manifest): Manifest {
  return spec.volumes.find((v: Manifest) => v.name === 'logs');
}
function groomed(spec: Manifest): boolean {
  return spec.containers.some((c: Manifest) => c.name === 'log-groomer');
}
/** Every Airflow workload's pod spec, by object name, and the task pod's. */
function airflowPodSpecs(manifests: Manifest[]): Record<string, Manifest> {
  const specs: Record<string, Manifest> = {};
  for (const w of workloads(manifests)) {
    const spec = podTemplate(w).spec;
    if (logsVolume(spec) !== undefined) {
      specs[`${w.kind}/${w.metadata.name}`] = spec;
    }
  }
  return specs;
}

describe('TaskLogs.emptyDir', () => {
  test('is the default, and taskLogs: TaskLogs.emptyDir(logs) gives the same objects as logs', () => {
    const logs = { sizeLimit: Size.gibibytes(3), retentionDays: 3 };
    expect(synthAirflow({ taskLogs: TaskLogs.emptyDir(logs) })).toEqual(synthAirflow({ logs }));
    expect(synthAirflow({ taskLogs: TaskLogs.emptyDir() })).toEqual(synthAirflow({}));
  });

  test('refuses logs with taskLogs, and reports its options under taskLogs', () => {
    expect(problemsOf({ logs: {}, taskLogs: TaskLogs.sharedClaim() })).toEqual([
      expect.stringMatching(/^logs: taskLogs replaces logs: the two cannot both be given \(got .*\)\. Fix: move sizeLimit/),
    ]);
    expect(problemsOf({ taskLogs: TaskLogs.emptyDir({ retentionDays: -1 }) })).toEqual([
      'taskLogs.retentionDays: must be a whole number, 0 or more (got -1). Fix: e.g. 7',
    ]);
  });
});

describe('TaskLogs.sharedClaim', () => {
  const props = { ...V3, executor: Executor.kubernetes(), taskLogs: TaskLogs.sharedClaim({ storage: Size.gibibytes(50), storageClassName: 'efs', retentionDays: 14 }) };
  const manifests = synthAirflow(props);

  test('is a standalone ReadWriteMany claim <name>-logs that Argo CD and Flux never prune', () => {
    const claim = find(manifests, 'PersistentVolumeClaim', 'airflow-logs');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteMany'], storageClassName: 'efs', resources: { requests: { storage: '50Gi' } } });
    expect(claim.metadata.annotations).toEqual(expect.objectContaining({ 'argocd.argoproj.io/sync-options': expect.stringContaining('Prune=false') }));
  });

  test('is the logs volume of every Airflow pod, the UI server and the task pods included, with no size limit', () => {
    const specs = airflowPodSpecs(manifests);
    expect(Object.keys(specs)).toEqual(expect.arrayContaining(['Deployment/airflow-api-server', 'Deployment/airflow-scheduler', 'StatefulSet/airflow-triggerer']));
    for (const spec of [...Object.values(specs), podTemplateFile(manifests).spec]) {
      expect(logsVolume(spec)).toEqual({ name: 'logs', persistentVolumeClaim: { claimName: 'airflow-logs' } });
    }
  });

  test('has one log groomer, beside the scheduler, with the retention', () => {
    const groomers = Object.entries(airflowPodSpecs(manifests)).filter(([, spec]) => groomed(spec)).map(([name]) => name);
    expect(groomers).toEqual(['Deployment/airflow-scheduler']);
    const groomer = podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).spec.containers.find((c: Manifest) => c.name === 'log-groomer');
    expect(groomer.env).toContainEqual({ name: 'AIRFLOW__LOG_RETENTION_DAYS', value: '14' });
    expect(groomer.volumeMounts).toEqual([{ name: 'logs', mountPath: '/opt/airflow/logs' }]);
  });

  test('writes no remote logging option', () => {
    expect(airflowCfgText(manifests)).not.toContain('remote_logging');
  });

  test('refuses a claim too small', () => {
    expect(problemsOf({ taskLogs: TaskLogs.sharedClaim({ storage: Size.mebibytes(100) }) })).toEqual([
      'taskLogs.storage: too small for the logs of every Airflow pod (got "100Mi"). Fix: give at least Size.gibibytes(1), e.g. Size.gibibytes(20)',
    ]);
  });
});

describe('TaskLogs.remote', () => {
  const s3 = TaskLogs.remote({ store: RemoteLogStore.S3, baseFolder: 's3://my-bucket/airflow/logs', connection: SecretKey.of('aws-logs', 'uri'), deleteLocalLogs: true });

  test.each([['2.11.0', V2], ['3.1.7', V3]])('S3 on Airflow %s: the [logging] options, each an option of the line', (version, rel) => {
    const manifests = synthAirflow({ ...rel, executor: Executor.kubernetes(), taskLogs: s3 });
    const cfg = airflowCfgText(manifests);
    expect(cfg).toContain('remote_logging = True');
    expect(cfg).toContain('remote_base_log_folder = s3://my-bucket/airflow/logs');
    expect(cfg).toContain('remote_log_conn_id = aws_default');
    expect(cfg).toContain('delete_local_logs = True');
    for (const option of ['remote_logging', 'remote_base_log_folder', 'remote_log_conn_id', 'delete_local_logs']) {
      expect([option, optionRow(AirflowVersion.of(version), 'logging', option)]).toEqual([option, expect.anything()]);
    }
  });

  test('the connection is AIRFLOW_CONN_<ID> from the Secret in every Airflow pod, the UI server and task pods included; no value in the output', () => {
    const manifests = synthAirflow({ ...V3, executor: Executor.kubernetes(), taskLogs: s3 });
    const expected = { name: 'AIRFLOW_CONN_AWS_DEFAULT', valueFrom: { secretKeyRef: { name: 'aws-logs', key: 'uri' } } };
    const ui = podTemplate(find(manifests, 'Deployment', 'airflow-api-server')).spec.containers[0];
    expect(ui.env).toContainEqual(expected);
    expect(podTemplateFile(manifests).spec.containers[0].env).toContainEqual(expected);
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    // The local copy stays an emptyDir, groomed as before.
    expect(logsVolume(podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).spec)).toEqual({ name: 'logs', emptyDir: { sizeLimit: '2Gi' } });
  });

  test('GCS and WASB: the folder and container, with the connection id given', () => {
    const gcs = airflowCfgText(synthAirflow({ ...V3, taskLogs: TaskLogs.remote({ store: RemoteLogStore.GCS, baseFolder: 'gs://my-bucket/logs', connectionId: 'gcp_logs' }) }));
    expect(gcs).toContain('remote_base_log_folder = gs://my-bucket/logs');
    expect(gcs).toContain('remote_log_conn_id = gcp_logs');
    const wasb = airflowCfgText(synthAirflow({ ...V2, taskLogs: TaskLogs.remote({ store: RemoteLogStore.WASB, baseFolder: 'wasb-airflow', wasbContainer: 'logs' }) }));
    expect(wasb).toContain('remote_base_log_folder = wasb-airflow');
    expect(wasb).toMatch(/\[azure_remote_logging\]\nremote_wasb_log_container = logs/);
    expect(wasb).not.toContain('remote_log_conn_id');
  });

  test.each([['2.11.0', V2], ['3.1.7', V3]])('Elasticsearch on Airflow %s', (_version, rel) => {
    const es = airflowCfgText(synthAirflow({ ...rel, taskLogs: TaskLogs.remote({ store: RemoteLogStore.ELASTICSEARCH, host: 'https://es.logging:9200' }) }));
    expect(es).toMatch(/\[elasticsearch\]\nhost = https:\/\/es\.logging:9200\njson_format = True\nwrite_stdout = True/);
    expect(es).not.toContain('remote_base_log_folder');
  });

  test.each([['2.11.0', V2], ['3.1.7', V3]])('Elasticsearch with credentials on Airflow %s: the whole URL from a Secret, in every Airflow container', (_version, rel) => {
    const hostSecret = SecretKey.of('airflow-logging', 'elasticsearch-url');
    const manifests = synthAirflow({ ...rel, taskLogs: TaskLogs.remote({ store: RemoteLogStore.ELASTICSEARCH, hostSecret }) });
    const cfg = airflowCfgText(manifests);
    expect(cfg).toMatch(/\[elasticsearch\]\njson_format = True\nwrite_stdout = True/);
    expect(cfg).not.toMatch(/^host = /m);
    const expected = { name: 'AIRFLOW__ELASTICSEARCH__HOST', valueFrom: { secretKeyRef: { name: 'airflow-logging', key: 'elasticsearch-url' } } };
    for (const [name, spec] of Object.entries(airflowPodSpecs(manifests))) {
      const main = spec.containers.find((c: Manifest) => c.name !== 'log-groomer' && (c.env ?? []).length > 0);
      expect([name, main.env]).toEqual([name, expect.arrayContaining([expected])]);
    }
  });

  test('Elasticsearch from a Secret with NetworkPolicies: the port from servicePorts.remoteLogs, required', () => {
    const taskLogs = TaskLogs.remote({ store: RemoteLogStore.ELASTICSEARCH, hostSecret: SecretKey.of('airflow-logging', 'elasticsearch-url') });
    expect(problemsOf({ ...V3, taskLogs, networkPolicies: { enabled: true } })).toEqual([
      'networkPolicies.servicePorts.remoteLogs: the address of the Elasticsearch host of the task logs (TaskLogs.remote hostSecret) is in a Secret the library cannot read, so no NetworkPolicy would let the pods reach it (got undefined). Fix: give its TCP port, e.g. servicePorts: { remoteLogs: 9200 }',
    ]);
    const manifests = synthAirflow({ ...V3, taskLogs, networkPolicies: { enabled: true, servicePorts: { remoteLogs: 443 } } });
    expect(find(manifests, 'NetworkPolicy', 'airflow-api-server').spec.egress).toContainEqual({ ports: [{ port: 443, protocol: 'TCP' }] });
  });

  test('hostSecret is for Elasticsearch alone, instead of host', () => {
    const hostSecret = SecretKey.of('airflow-logging', 'url');
    expect(problemsOf({ ...V3, taskLogs: TaskLogs.remote({ store: RemoteLogStore.ELASTICSEARCH, host: 'https://es:9200', hostSecret }) })).toEqual([
      'taskLogs.host: hostSecret gives the host already (got "https://es:9200"). Fix: remove host, or hostSecret',
    ]);
    expect(problemsOf({ ...V3, taskLogs: TaskLogs.remote({ store: RemoteLogStore.OPENSEARCH, hostSecret }) })).toEqual([
      'taskLogs.hostSecret: OpenSearch takes its credentials as username and password (got "<SecretKey>"). Fix: give host, username and password',
    ]);
  });

  test('OpenSearch on Airflow 3; refused on 2.11, whose spec has no [opensearch]', () => {
    const rel = V3;
    const version = '3.1.7';
    const manifests = synthAirflow({ ...rel, taskLogs: TaskLogs.remote({ store: RemoteLogStore.OPENSEARCH, host: 'opensearch.logging', password: SecretKey.of('os', 'password') }) });
    expect(airflowCfgText(manifests)).toMatch(/\[opensearch\]\nhost = opensearch\.logging\njson_format = True\nport = 9200\nwrite_stdout = True/);
    expect(podTemplate(find(manifests, 'Deployment', version.startsWith('3') ? 'airflow-api-server' : 'airflow-webserver')).spec.containers[0].env)
      .toContainEqual({ name: 'AIRFLOW__OPENSEARCH__PASSWORD', valueFrom: { secretKeyRef: { name: 'os', key: 'password' } } });
  });

  test('the NetworkPolicies let Airflow pods reach the object store on 443', () => {
    const manifests = synthAirflow({ ...V3, taskLogs: s3, networkPolicies: { enabled: true } });
    const policy = find(manifests, 'NetworkPolicy', 'airflow-api-server');
    expect(JSON.stringify(policy.spec.egress)).toContain('"port":443');
  });

  test('refuses what Airflow would not pick the handler by, and options of another store', () => {
    expect(problemsOf({ taskLogs: TaskLogs.remote({ store: RemoteLogStore.S3, baseFolder: 'my-bucket/logs', host: 'x' }) })).toEqual([
      'taskLogs.baseFolder: Airflow picks the S3 handler by the folder\'s prefix (got "my-bucket/logs"). Fix: e.g. baseFolder: \'s3://my-bucket/airflow/logs\'',
      'taskLogs.host: an option of Elasticsearch and OpenSearch, not of S3 (got "x"). Fix: remove host',
    ]);
    expect(problemsOf({ taskLogs: TaskLogs.remote({ store: RemoteLogStore.ELASTICSEARCH, host: 'https://u:p@es:9200', baseFolder: 's3://b' }) })).toEqual([
      'taskLogs.host: the elasticsearch host Airflow reads task logs from, without credentials (got "https://u:p@es:9200"). Fix: e.g. host: \'https://elasticsearch.logging:9200\', or hostSecret: SecretKey.of(secretName, key) for a URL with credentials',
      'taskLogs.baseFolder: not an option of elasticsearch: its handler reads from the host (got "s3://b"). Fix: remove baseFolder',
    ]);
    expect(problemsOf({ connections: { aws_default: SecretKey.of('a', 'b') }, taskLogs: s3 })).toEqual([
      'taskLogs.connection: connections.aws_default sets AIRFLOW_CONN_AWS_DEFAULT too (got "aws_default"). Fix: remove one of the two, or give the logs connectionId another id',
    ]);
  });
});

test('OpenSearch is refused on Airflow 2.11', () => {
  expect(problemsOf({ ...V2, taskLogs: TaskLogs.remote({ store: RemoteLogStore.OPENSEARCH, host: 'opensearch.logging' }) })).toEqual([
    'taskLogs.store: the [opensearch] options are not in the configuration spec of Airflow 2.11.0 the library checks against (got "opensearch"). Fix: use RemoteLogStore.ELASTICSEARCH, or set the [opensearch] options with config',
  ]);
});
