import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The reference deployment's DAGs (dags/) and their Airflow 3 checker (scripts/check-dags.py).
// Python only: no Airflow is installed, so the DAGs are compiled and checked statically.
const root = path.resolve(__dirname, '..');
const dagsDir = path.join(root, 'dags');
const checker = path.join(root, 'scripts', 'check-dags.py');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-airflow-dags-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// Byte code goes to the scratch folder, never into dags/ or scripts/.
const env = { ...process.env, PYTHONPYCACHEPREFIX: path.join(work, 'pycache'), PYTHONDONTWRITEBYTECODE: '1' };
const python = (...args: string[]) => spawnSync('python3', args, { cwd: root, encoding: 'utf8', env });
const check = (...folders: string[]) => python(checker, ...folders);
const dagFiles = fs.readdirSync(dagsDir).filter((name) => name.endsWith('.py')).sort();

describe('dags/', () => {
  test('holds the two pipelines', () => {
    expect(dagFiles).toEqual(['etl_in_pods.py', 'etl_on_workers.py']);
  });

  test('passes the Airflow 3 checker, which prints nothing', () => {
    const result = check('dags');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  test.each(dagFiles)('%s compiles', (name) => {
    const result = python('-m', 'py_compile', path.join(dagsDir, name));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('no byte code was left in the repository', () => {
    expect(fs.existsSync(path.join(dagsDir, '__pycache__'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'scripts', '__pycache__'))).toBe(false);
  });

  test.each(dagFiles)('%s: fixed start date, no catch-up, tags, a schedule argument', (name) => {
    const source = fs.readFileSync(path.join(dagsDir, name), 'utf8');
    expect(source).toMatch(/start_date=pendulum\.datetime\(\d{4}, \d+, \d+, tz="UTC"\)/);
    expect(source).toContain('catchup=False');
    expect(source).toMatch(/tags=\[/);
    expect(source).toMatch(/\bschedule=/);
    expect(source).toMatch(/^from airflow\.sdk import /m);
  });

  test('the pod DAG passes only KubernetesPodOperator arguments checked against the provider', () => {
    // Keyword names of every KubernetesPodOperator(...) call, read from the syntax tree.
    const result = python('-c', [
      'import ast, sys',
      'tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())',
      'calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "KubernetesPodOperator"]',
      'print(len(calls)); print(" ".join(sorted({k.arg for c in calls for k in c.keywords})))',
    ].join('\n'), path.join(dagsDir, 'etl_in_pods.py'));
    expect(result.status).toBe(0);
    const [count, names] = result.stdout.trim().split('\n');
    expect(Number(count)).toBeGreaterThan(0);
    // KubernetesPodOperator.__init__, providers/cncf/kubernetes/src/airflow/providers/cncf/
    // kubernetes/operators/pod.py (apache/airflow dda8d2786710).
    const verified = ['task_id', 'image', 'image_pull_policy', 'cmds', 'env_vars', 'in_cluster', 'automount_service_account_token',
      'security_context', 'container_security_context', 'container_resources', 'get_logs', 'on_finish_action', 'deferrable'];
    expect(names.split(' ').filter((n) => !verified.includes(n))).toEqual([]);
    // Reading XCom from a pod needs pods/exec, which the pod-launcher Role does not grant by default;
    // no namespace: the pods run in the worker's own.
    expect(names.split(' ')).not.toContain('do_xcom_push');
    expect(names.split(' ')).not.toContain('namespace');
  });

  test('the pod DAG asks for the "restricted" Pod Security Standard', () => {
    const source = fs.readFileSync(path.join(dagsDir, 'etl_in_pods.py'), 'utf8');
    for (const setting of ['run_as_non_root=True', 'run_as_user=65534', 'V1SeccompProfile(type="RuntimeDefault")',
      'allow_privilege_escalation=False', 'V1Capabilities(drop=["ALL"])', 'on_finish_action="delete_pod"', 'get_logs=True']) {
      expect(source).toContain(setting);
    }
    // Images are pinned to a tag.
    for (const [, image] of source.matchAll(/_IMAGE = "([^"]+)"/g)) {
      expect(image).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
    }
  });

  // The folder is shipped as a ConfigMap: flat, keys a ConfigMap accepts, far below its 1 MiB.
  test('fits a ConfigMap', () => {
    const entries = fs.readdirSync(dagsDir, { withFileTypes: true });
    expect(entries.filter((e) => !e.isFile()).map((e) => e.name)).toEqual([]);
    for (const entry of entries) {
      expect(entry.name).toMatch(/^[-._a-zA-Z0-9]+$/);
    }
    const bytes = entries.reduce((sum, e) => sum + fs.statSync(path.join(dagsDir, e.name)).size, 0);
    expect(bytes).toBeLessThan(64 * 1024);
  });
});

describe('scripts/check-dags.py', () => {
  const legacy = path.join(work, 'legacy');
  fs.mkdirSync(legacy);
  // An Airflow 1.10-style DAG: every line that the checker must report is marked with its line.
  fs.writeFileSync(path.join(legacy, 'old_dag.py'), [
    /* 1 */ 'from datetime import datetime',
    /* 2 */ 'from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator',
    /* 3 */ 'from airflow.operators.python_operator import PythonOperator',
    /* 4 */ 'from airflow.models import DAG',
    /* 5 */ '',
    /* 6 */ 'def extract(**kwargs):',
    /* 7 */ '    print(kwargs["execution_date"])',
    /* 8 */ '',
    /* 9 */ 'with DAG("old", start_date=datetime(2020, 5, 5),',
    /* 10 */ '         schedule_interval=None) as dag:',
    /* 11 */ '    extract_task = PythonOperator(task_id="extract", python_callable=extract,',
    /* 12 */ '                                  provide_context=True)',
    /* 13 */ '    pod = KubernetesPodOperator(task_id="pod", namespace="airflow", image="python:3.7-slim",',
    /* 14 */ '                                arguments=["{{ ds }}", "{{ prev_ds }}"])',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(legacy, 'broken.py'), 'from airflow.sdk import dag\n\n\ndef broken(:\n    pass\n');
  const result = check(legacy);
  const lines = result.stdout.trimEnd().split('\n');
  const old = path.join(legacy, 'old_dag.py');

  test('fails, one finding per line, path:line: what — replacement', () => {
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    for (const line of lines) {
      expect(line).toMatch(/^\S+:\d+: .+ — .+$/);
    }
  });

  test.each([
    [2, /`airflow\.contrib\.operators\.kubernetes_pod_operator` is removed .* — .*airflow\.providers\.cncf\.kubernetes\.operators\.pod/],
    [3, /`airflow\.operators\.python_operator` is removed .* — airflow\.providers\.standard\.operators\.python$/],
    [4, /`airflow\.models\.DAG` .* — from airflow\.sdk import DAG$/],
    [7, /task context key `execution_date` is removed .* — logical_date/],
    [10, /DAG argument `schedule_interval` is removed .* — schedule=$/],
    [12, /operator argument `provide_context` is removed/],
    [14, /template variable `prev_ds` is removed/],
  ])('reports line %d of the legacy DAG', (line, message) => {
    expect(lines.filter((l) => l.startsWith(`${old}:${line}: `) && message.test(l))).toHaveLength(1);
  });

  test('reports nothing else in the legacy DAG ({{ ds }}, namespace= and task_id= are still fine)', () => {
    expect(lines.filter((l) => l.startsWith(`${old}:`)).map((l) => Number(l.split(':')[1]))).toEqual([2, 3, 4, 7, 10, 12, 14]);
  });

  test('reports a file that does not compile, at the line of the error', () => {
    const broken = path.join(legacy, 'broken.py');
    expect(lines.filter((l) => l.startsWith(`${broken}:`))).toEqual([expect.stringMatching(/^\S+:4: does not compile: SyntaxError: .+ — /)]);
  });

  test('leaves no byte code behind', () => {
    expect(fs.readdirSync(legacy).sort()).toEqual(['broken.py', 'old_dag.py']);
  });

  test('refuses a folder that does not exist', () => {
    const missing = check(path.join(work, 'missing'));
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('no such file or folder');
  });

  test('cites a source next to every rule', () => {
    const source = fs.readFileSync(checker, 'utf8');
    const table = source.slice(source.indexOf('SOURCES = {'), source.indexOf('\n}\n', source.indexOf('SOURCES = {')));
    const known = new Set([...table.matchAll(/^ {4}"([A-Z0-9_]+)":/gm)].map((m) => m[1]));
    const rules = source.slice(source.indexOf('# --- Modules'), source.indexOf('JINJA_BLOCK = '));
    const entries = rules.split('\n').filter((l) => /^\s+("|\()/.test(l));
    expect(entries.length).toBeGreaterThan(50);
    for (const entry of entries) {
      const comment = /#\s*(.+)$/.exec(entry);
      expect(comment).not.toBeNull();
      for (const cited of comment![1].split(';')) {
        expect(known).toContain(/^\s*([A-Z0-9_]+)/.exec(cited)?.[1]);
      }
    }
  });
});
