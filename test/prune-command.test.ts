// `kubectl apply --prune`: the command `cdk8s-airflow prune-command` prints for an output, checked
// against every committed output. It must reach every object of a release (kubectl's default prune
// list leaves out ServiceAccounts, Roles and RoleBindings), name no kind the output lacks (kubectl
// refuses the whole command when the cluster does not serve one, such as a CRD not installed), and
// never the database claim or the Namespace. The README shows it for dist/, word for word.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { main } from '../lib/cli/main';
import { pruneAllowlistEntry, pruneCommands } from '../lib/prune-command';
import { Manifest } from './helpers';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const outputs = ['dist', ...fs.readdirSync(path.join(ROOT, 'examples')).map((e) => `examples/${e}/dist`)]
  .filter((dir) => fs.existsSync(path.join(ROOT, dir)));

function manifestsOf(dir: string): Manifest[] {
  return fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(ROOT, dir, f), 'utf8')).map((d) => d.toJSON()));
}

/** The allowlist and the label selector of a printed command. */
function parsed(command: string): { allowlist: string[]; selector: string[] } {
  return {
    allowlist: [...command.matchAll(/--prune-allowlist=(\S+)/g)].map((m) => m[1]),
    selector: /-l (\S+)=(\S+)/.exec(command)?.slice(1) ?? [],
  };
}

describe.each(outputs)('%s', (dir) => {
  const manifests = manifestsOf(dir);
  const [command, ...more] = pruneCommands(manifests, `${dir}/`);

  test('one release, selected by its tracking label, each kind as kubectl takes it', () => {
    expect(more).toEqual([]);
    expect(parsed(command).selector).toEqual(['app.kubernetes.io/instance', 'airflow']);
    for (const entry of parsed(command).allowlist) {
      expect(entry).toMatch(/^[a-z0-9.]+\/v[0-9a-z]+\/[A-Z][A-Za-z]+$/);
    }
  });

  test('names exactly the kinds of the output but the Namespace and the claims, which it never selects', () => {
    const { allowlist } = parsed(command);
    const kept = new Set(['core/v1/Namespace', 'core/v1/PersistentVolumeClaim']);
    const kinds = new Set(manifests.map(pruneAllowlistEntry));
    expect(allowlist.filter((entry) => !kinds.has(entry))).toEqual([]);
    for (const m of manifests) {
      const labelled = m.metadata.labels?.['app.kubernetes.io/instance'] === 'airflow';
      const entry = pruneAllowlistEntry(m);
      if (kept.has(entry)) {
        expect(allowlist).not.toContain(entry);
        if (m.kind === 'Namespace') {
          expect(labelled).toBe(false);
        }
      } else {
        expect([entry, m.metadata.name, allowlist.includes(entry), labelled]).toEqual([entry, m.metadata.name, true, true]);
      }
    }
  });
});

test('the README shows the command for dist/ as the command prints it', () => {
  let printed = '';
  expect(main(['prune-command', 'dist/'], { stdout: (t) => { printed += t; }, stderr: () => undefined })).toBe(0);
  expect(README).toContain(printed.trim().split('\n').map((line) => `  ${line}`).join('\n'));
});

test('two releases in one output: a command each, its own kinds only', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { 'app.kubernetes.io/instance': 'b' } } },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { labels: { 'app.kubernetes.io/instance': 'a' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
  ];
  expect(pruneCommands(objects, 'out/')).toEqual([
    'kubectl apply -f out/ --prune -l app.kubernetes.io/instance=a \\\n  --prune-allowlist=keda.sh/v1alpha1/ScaledObject',
    'kubectl apply -f out/ --prune -l app.kubernetes.io/instance=b \\\n  --prune-allowlist=core/v1/ConfigMap',
  ]);
});

test('the command line: help, and the mistakes it reports', () => {
  const run = (argv: string[]) => {
    let out = '';
    let err = '';
    const status = main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return { status, out, err };
  };
  expect(run(['prune-command', '--help'])).toMatchObject({ status: 0, out: expect.stringContaining('usage: cdk8s-airflow prune-command OUTPUT') });
  expect(run(['prune-command'])).toMatchObject({ status: 2, err: expect.stringContaining('no OUTPUT given') });
  expect(run(['prune-command', 'no-such-dir/'])).toMatchObject({ status: 2, err: expect.stringContaining("'no-such-dir/' does not exist") });
  expect(run(['prune-command', 'dist/', '--all'])).toMatchObject({ status: 2, err: expect.stringContaining("Unknown option '--all'") });
  expect(run(['--help']).out).toContain('prune-command  print the kubectl apply --prune command');
});
