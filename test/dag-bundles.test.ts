import { Cpu } from 'cdk8s-plus-27';
import { Duration, Size } from 'cdk8s';
import { DagSource, Executor, SecretKey } from '../lib';
import { Manifest, airflowCfgText, allContainers, find, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, workloads } from './helpers';

// Airflow 3 DAG bundles: `[dag_processor] dag_bundle_config_list` (airflow-core config.yml, 3.0.0).
const GIT = 'airflow.providers.git.bundles.git.GitDagBundle';
const LOCAL = 'airflow.dag_processing.bundles.local.LocalDagBundle';

const analytics = {
  name: 'analytics',
  repository: 'https://github.com/acme/analytics-dags.git',
  ref: 'release',
  subPath: 'dags',
  refreshInterval: Duration.minutes(2),
  connection: SecretKey.of('git-analytics', 'connection'),
};
const bundles = DagSource.bundles({
  git: [analytics, { name: 'public', repository: 'https://github.com/acme/public-dags.git' }],
  local: [{ name: 'baked', path: '/opt/airflow/dags' }],
});

/** The pods that read bundles with a Celery executor (task pods are checked on their own). */
const BUNDLE_READERS = ['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker'];

function workload(manifests: Manifest[], name: string): Manifest {
  return workloads(manifests).find((m) => m.metadata.name === name)!;
}

function cfgOption(manifests: Manifest[], option: string): string | undefined {
  const line = airflowCfgText(manifests).split('\n').find((l) => l.startsWith(`${option} = `));
  return line?.slice(option.length + 3);
}

describe('DagSource.bundles', () => {
  const manifests = synthAirflow({ executor: Executor.celery(), dags: bundles });

  test('writes the bundles as JSON that parses, with the classpaths and kwargs of GitDagBundle and LocalDagBundle', () => {
    expect(JSON.parse(cfgOption(manifests, 'dag_bundle_config_list')!)).toEqual([
      {
        name: 'analytics', classpath: GIT,
        kwargs: { tracking_ref: 'release', repo_url: 'https://github.com/acme/analytics-dags.git', subdir: 'dags', git_conn_id: 'git_analytics', refresh_interval: 120 },
      },
      { name: 'public', classpath: GIT, kwargs: { tracking_ref: 'main', repo_url: 'https://github.com/acme/public-dags.git' } },
      { name: 'baked', classpath: LOCAL, kwargs: { path: '/opt/airflow/dags' } },
    ]);
    expect(cfgOption(manifests, 'dag_bundle_storage_path')).toBe('/opt/airflow/dag-bundles');
  });

  test('gives the Git connection from its Secret to every pod that reads bundles, and to no other', () => {
    const connEnv = { name: 'AIRFLOW_CONN_GIT_ANALYTICS', valueFrom: { secretKeyRef: { name: 'git-analytics', key: 'connection' } } };
    for (const name of BUNDLE_READERS) {
      const env = allContainers(workload(manifests, name)).flatMap((c) => c.env ?? []);
      expect(env).toContainEqual(connEnv);
    }
    for (const name of ['airflow-api-server', 'airflow-scheduler']) {
      expect(JSON.stringify(find(manifests, 'Deployment', name))).not.toContain('AIRFLOW_CONN_GIT_ANALYTICS');
    }
  });

  test('reaches KubernetesExecutor task pods, with the checkout volume', () => {
    const pod = podTemplateFile(synthAirflow({ executor: Executor.kubernetes(), dags: bundles }));
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'AIRFLOW_CONN_GIT_ANALYTICS', valueFrom: { secretKeyRef: { name: 'git-analytics', key: 'connection' } } });
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dag-bundles' });
    expect(pod.spec.volumes).toContainEqual({ name: 'dags', emptyDir: {} });
  });

  test('mounts a writable emptyDir at the bundle storage path in every pod that reads bundles', () => {
    for (const name of BUNDLE_READERS) {
      const spec = podTemplate(workload(manifests, name)).spec;
      expect(spec.volumes).toContainEqual({ name: 'dags', emptyDir: {} });
      const mounts = spec.containers.flatMap((c: Manifest) => c.volumeMounts ?? []);
      expect(mounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dag-bundles' });
    }
  });

  test('runs one DAG processor per bundle, with --bundle-name, when asked', () => {
    const perBundle = synthAirflow({ dags: DagSource.bundles({ git: [analytics], local: [{ name: 'baked', path: '/opt/airflow/dags' }], processorPerBundle: true }) });
    expect(perBundle.filter((m) => m.kind === 'Deployment' && m.metadata.name.startsWith('airflow-dag-processor')).map((m) => m.metadata.name).sort())
      .toEqual(['airflow-dag-processor-analytics', 'airflow-dag-processor-baked']);
    for (const bundle of ['analytics', 'baked']) {
      const processor = allContainers(find(perBundle, 'Deployment', `airflow-dag-processor-${bundle}`)).find((c) => (c.args ?? []).includes('dag-processor'))!;
      expect(processor.args.slice(-3)).toEqual(['dag-processor', '--bundle-name', bundle]);
    }
  });

  test('a bundle\'s processor: its own replicas and resources, the others keep dagProcessor\'s', () => {
    const manifests = synthAirflow({
      dagProcessor: { replicas: 1, resources: { cpu: { request: Cpu.millis(300) } } },
      dags: DagSource.bundles({
        git: [{ ...analytics, processor: { replicas: 3, resources: { memory: { limit: Size.gibibytes(4) } } } }],
        local: [{ name: 'baked', path: '/opt/airflow/dags' }],
        processorPerBundle: true,
      }),
    });
    const own = find(manifests, 'Deployment', 'airflow-dag-processor-analytics');
    expect(own.spec.replicas).toBe(3);
    const ownResources = allContainers(own).find((c) => c.name === 'dag-processor-analytics')!.resources;
    expect(ownResources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '4Gi' } });
    expect(find(manifests, 'PodDisruptionBudget', 'airflow-dag-processor-analytics').spec.maxUnavailable).toBe(1);
    const other = find(manifests, 'Deployment', 'airflow-dag-processor-baked');
    expect(other.spec.replicas).toBe(1);
    expect(allContainers(other).find((c) => c.name === 'dag-processor-baked')!.resources.requests.cpu).toBe('300m');
  });

  test('each bundle\'s processor holds only its own Git connection, where the others name their repository; workers hold them all', () => {
    const ml = { name: 'ml', repository: 'https://github.com/acme/ml-dags.git', connection: SecretKey.of('git-ml', 'connection') };
    const byHost = { name: 'by-host', connection: SecretKey.of('git-host', 'connection') };
    const manifests = synthAirflow({ executor: Executor.celery(), dags: DagSource.bundles({ git: [analytics, ml, byHost], processorPerBundle: true }) });
    const connections = (name: string) => allContainers(workload(manifests, name)).flatMap((c) => c.env ?? [])
      .map((v: Manifest) => v.name).filter((n: string) => n.startsWith('AIRFLOW_CONN_GIT_')).sort();
    // A bundle without a repository needs its connection wherever Airflow makes it, in every processor.
    expect(connections('airflow-dag-processor-analytics')).toEqual(['AIRFLOW_CONN_GIT_ANALYTICS', 'AIRFLOW_CONN_GIT_BY_HOST']);
    expect(connections('airflow-dag-processor-ml')).toEqual(['AIRFLOW_CONN_GIT_BY_HOST', 'AIRFLOW_CONN_GIT_ML']);
    expect(connections('airflow-dag-processor-by-host')).toEqual(['AIRFLOW_CONN_GIT_BY_HOST']);
    for (const name of ['airflow-worker', 'airflow-triggerer']) {
      expect(connections(name)).toEqual(['AIRFLOW_CONN_GIT_ANALYTICS', 'AIRFLOW_CONN_GIT_BY_HOST', 'AIRFLOW_CONN_GIT_ML']);
    }
  });

  test('a processor of its own needs processorPerBundle; its counts and sizes are checked', () => {
    expect(problemsOf({ dags: DagSource.bundles({ git: [{ ...analytics, processor: { replicas: 2 } }] }) })).toEqual([
      'dags.git[0].processor: a bundle has a DAG processor of its own only with processorPerBundle: true (got {"replicas":2}). Fix: set processorPerBundle: true, or remove processor (dagProcessor sizes the one DAG processor)',
    ]);
    const problems = problemsOf({ dags: DagSource.bundles({ local: [{ name: 'baked', path: '/opt/airflow/dags', processor: { replicas: -1, resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } } }], processorPerBundle: true }) });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['dags.local[0].processor.replicas', 'dags.local[0].processor.resources.memory']);
  });

  test('is refused on Airflow 2.11, where git-sync stays', () => {
    expect(problemsOf({ ...release('2.11.0'), dags: bundles })).toEqual([
      'dags: DAG bundles are an Airflow 3 feature ([dag_processor] dag_bundle_config_list, 3.0.0); Airflow 2.11.0 reads one DAG folder (got "DagSource.bundles"). Fix: use DagSource.gitSync(...) or DagSource.fromFiles(...) on Airflow 2.11, or set version to 3.x',
    ]);
  });

  test('names each problem with its property, the value and the fix', () => {
    expect(problemsOf({
      dags: DagSource.bundles({
        git: [
          { name: 'Analytics', repository: 'https://user:pw@github.com/acme/a.git' },
          { name: 'dup', ref: 'a b' },
        ],
        local: [{ name: 'dup', path: 'dags' }],
      }),
    })).toEqual([
      'dags.git[0].name: a bundle name is part of object names, so it must be lower-case letters, digits and "-", at most 30 (got "Analytics"). Fix: e.g. "analytics"',
      'dags.git[0].repository: credentials in the URL would be written into airflow.cfg (got "https://user:pw@github.com/acme/a.git"). Fix: remove them and put them in the connection: connection: SecretKey.of(secretName, key)',
      'dags.git[1].repository: GitDagBundle needs a repository URL or a connection whose host is the URL (got undefined). Fix: set repository, or connection: SecretKey.of(secretName, key)',
      'dags.git[1].ref: not a branch or tag name (got "a b"). Fix: give e.g. "main" or a tag',
      'dags.local[0].name: two bundles with one name: Airflow keys bundles, their DAGs and checkouts by name (got "dup"). Fix: give each bundle its own name',
      'dags.local[0].path: must be an absolute path outside the bundle storage /opt/airflow/dag-bundles (got "dags"). Fix: give the folder as Airflow containers see it, e.g. "/opt/airflow/dags"',
    ]);
    expect(problemsOf({ dags: DagSource.bundles({}) })).toEqual(['dags: no bundle (got "[]"). Fix: add at least one bundle to git or local']);
  });
});
