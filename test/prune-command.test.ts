// The README's `kubectl apply --prune` command, checked against every committed output: it must
// reach every object of a release (kubectl's default prune list leaves out ServiceAccounts,
// Roles and RoleBindings), and never the database claim or the Namespace.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from './helpers';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const command = /kubectl apply -f dist\/ --prune [^`]*?(?=\n\s*```)/s.exec(README)?.[0].replace(/\\\n\s*/g, '') ?? '';
const allowlist = [...command.matchAll(/--prune-allowlist=(\S+)/g)].map((m) => m[1]);
const selector = /-l (\S+)=(\S+)/.exec(command);

/** `group/version/Kind` as kubectl's --prune-allowlist spells it (`core` for the core group). */
function gvk(m: Manifest): string {
  return m.apiVersion.includes('/') ? `${m.apiVersion}/${m.kind}` : `core/${m.apiVersion}/${m.kind}`;
}

const outputs = ['dist', ...fs.readdirSync(path.join(__dirname, '..', 'examples')).map((e) => `examples/${e}/dist`)]
  .filter((dir) => fs.existsSync(path.join(__dirname, '..', dir)));

describe('the README\'s prune command', () => {
  test('is there, selects by the release label, and names kinds as kubectl takes them', () => {
    expect(selector?.slice(1)).toEqual(['app.kubernetes.io/instance', 'airflow']);
    expect(allowlist.length).toBeGreaterThan(5);
    for (const entry of allowlist) {
      expect(entry).toMatch(/^[a-z0-9.]+\/v[0-9a-z]+\/[A-Z][A-Za-z]+$/);
    }
  });

  test.each(outputs)('%s: reaches every object but the Namespace and the data claim, which it never selects', (dir) => {
    const manifests: Manifest[] = fs.readdirSync(path.join(__dirname, '..', dir)).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', dir, f), 'utf8')).map((d) => d.toJSON()));
    const kept = new Set(['core/v1/Namespace', 'core/v1/PersistentVolumeClaim']);
    for (const m of manifests) {
      const labelled = m.metadata.labels?.['app.kubernetes.io/instance'] === 'airflow';
      if (kept.has(gvk(m))) {
        // Never pruned: not in the list (and the Namespace not even labelled).
        expect(allowlist).not.toContain(gvk(m));
        if (m.kind === 'Namespace') {
          expect(labelled).toBe(false);
        }
      } else {
        expect([gvk(m), m.metadata.name, allowlist.includes(gvk(m)), labelled]).toEqual([gvk(m), m.metadata.name, true, true]);
      }
    }
  });
});
