// DagSource.fromFiles: a folder of DAG files shipped inside the output as a ConfigMap.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DagSource, Executor } from '../lib';
import { MAX_DAG_FILES_BYTES } from '../lib/dags/files';
import { Manifest, airflowCfgText, find, podTemplate, podTemplateFile, problemsOf, release, synthAirflow, workloads } from './helpers';

/** A scratch folder with the given files (path → content). */
function folder(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dags-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('DagSource.fromFiles', () => {
  test('flat folder: every file is a key, the volume has no item list, so adding a file needs no pod change', () => {
    const dir = folder({ 'a.py': 'A = 1\n', 'b.py': 'B = 2\n', '__pycache__/a.cpython-312.pyc': 'x', '.hidden.py': 'x' });
    const manifests = synthAirflow({ dags: DagSource.fromFiles({ directory: dir }) });
    const configMap = find(manifests, 'ConfigMap', 'airflow-dags');
    expect(Object.keys(configMap.data)).toEqual(['.airflowignore', 'a.py', 'b.py']);
    expect(configMap.data['a.py']).toBe('A = 1\n');
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(podTemplate(worker).spec.volumes).toContainEqual({ name: 'dags', configMap: { name: 'airflow-dags' } });
    const withMore = synthAirflow({ dags: DagSource.fromFiles({ directory: folder({ 'a.py': 'A = 1\n', 'b.py': 'B = 2\n', 'c.py': '' }) }) });
    expect(podTemplate(find(withMore, 'StatefulSet', 'airflow-worker'))).toEqual(podTemplate(worker));
    // The absolute path of the folder never reaches the output.
    expect(JSON.stringify(manifests)).not.toContain(dir);
  });

  test('subfolders: keys join the path with "--", items put each file back in its folder', () => {
    const dir = folder({ 'etl.py': '', 'common/__init__.py': '', 'common/io.py': 'X = 1\n' });
    const manifests = synthAirflow({ dags: DagSource.fromFiles({ directory: dir }), executor: Executor.kubernetes() });
    expect(Object.keys(find(manifests, 'ConfigMap', 'airflow-dags').data)).toEqual(['.airflowignore', 'common--__init__.py', 'common--io.py', 'etl.py']);
    const volume = { name: 'dags', configMap: { name: 'airflow-dags', items: [
      { key: '.airflowignore', path: '.airflowignore' },
      { key: 'common--__init__.py', path: 'common/__init__.py' },
      { key: 'common--io.py', path: 'common/io.py' },
      { key: 'etl.py', path: 'etl.py' },
    ] } };
    expect(podTemplate(find(manifests, 'Deployment', 'airflow-dag-processor')).spec.volumes).toContainEqual(volume);
    // KubernetesExecutor task pods mount the same ConfigMap.
    expect(podTemplateFile(manifests).spec.volumes).toContainEqual(volume);
  });

  test('the ignore file hides the ConfigMap volume\'s own ..data and ..<timestamp> folders, before the folder\'s own rules', () => {
    // Airflow walks the DAG folder following links and refuses a folder it meets twice
    // (file_discovery.py, _find_path_from_directory): ..data links to ..<timestamp>.
    const dir = folder({ 'a.py': '', '.airflowignore': 'scratch/\n' });
    const manifests = synthAirflow({ dags: DagSource.fromFiles({ directory: dir }) });
    expect(find(manifests, 'ConfigMap', 'airflow-dags').data['.airflowignore'])
      .toBe('# Written by cdk8s-airflow: the ConfigMap volume\'s own folders.\n..*\nscratch/\n');
    // Written in glob syntax, which the config says (Airflow 2.11's default is regexp, where `..*` matches everything).
    for (const version of ['2.11.0', '3.1.7']) {
      expect(airflowCfgText(synthAirflow({ ...release(version), dags: DagSource.fromFiles({ directory: dir }) }))).toContain('dag_ignore_file_syntax = glob\n');
    }
    expect(problemsOf({ dags: DagSource.fromFiles({ directory: dir }), config: { core: { dag_ignore_file_syntax: 'regexp' } } }).join('\n'))
      .toContain('config.core.dag_ignore_file_syntax');
  });

  test('what cannot be a ConfigMap of DAGs is refused at synth, every problem at once', () => {
    const dir = folder({
      'ok.py': '',
      'with space.py': '',
      'data.bin': Buffer.from([0xff, 0xfe, 0x00]),
      'big.py': 'x'.repeat(MAX_DAG_FILES_BYTES + 1),
    });
    expect(problemsOf({ dags: DagSource.fromFiles({ directory: dir }) })).toEqual([
      `dags.directory: not UTF-8 text: a ConfigMap of DAGs holds text, so that a change is a readable diff (got "data.bin"). Fix: keep binary files out of the folder`,
      `dags.directory: "with space.py" cannot be part of a ConfigMap key (got "with space.py"). Fix: name files and folders with letters, digits, "-", "_" and "."`,
      `dags.directory: more than 200 KiB of files for one ConfigMap (kubectl apply keeps a copy in a 256 KiB annotation) (got "201 KiB"). Fix: deliver a folder this large with DagSource.gitSync`,
    ]);
    expect(problemsOf({ dags: DagSource.fromFiles({ directory: '/no/such/dags' }) })).toEqual([
      'dags.directory: no such folder (resolved to /no/such/dags) (got "/no/such/dags"). Fix: give the folder of DAG files, relative to where cdk8s synth runs or absolute',
    ]);
    expect(problemsOf({ dags: DagSource.fromFiles({ directory: folder({ 'README.md': '' }) }) })[0]).toMatch(/^dags.directory: holds no .py file/);
  });

  test('only the pods that parse or run DAGs mount it, and none carries a checksum of it', () => {
    const manifests = synthAirflow({ dags: DagSource.fromFiles({ directory: folder({ 'a.py': '' }) }) });
    const mounting = workloads(manifests).filter((w) => (podTemplate(w).spec.volumes ?? []).some((v: Manifest) => v.name === 'dags'));
    expect(mounting.map((w) => w.metadata.name).sort()).toEqual(['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']);
    for (const w of mounting) {
      expect(Object.keys(podTemplate(w).metadata.annotations)).toEqual(['checksum/airflow-config', 'cluster-autoscaler.kubernetes.io/safe-to-evict']);
    }
  });
});
