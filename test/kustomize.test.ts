// Every committed output builds with kustomize (`kubectl kustomize`, offline), from a generated
// kustomization.yaml beside a copy of it: teams that layer overlays on the output can start here.
// (The kustomization stays out of dist/ itself, which the manifest checker reads as objects.)
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.join(__dirname, '..');
const outputs = ['dist', ...fs.readdirSync(path.join(root, 'examples')).map((e) => `examples/${e}/dist`)]
  .filter((dir) => fs.existsSync(path.join(root, dir)));

test.each(outputs)('%s builds with kubectl kustomize, object for object', (dir) => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
  const files = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    fs.copyFileSync(path.join(root, dir, file), path.join(copy, file));
  }
  fs.writeFileSync(path.join(copy, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files.map((f) => `  - ${f}\n`).join('')}`);
  const built = parseAllDocuments(execFileSync('kubectl', ['kustomize', copy], { encoding: 'utf8' })).map((d) => d.toJSON());
  const written = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(root, dir, f), 'utf8')).map((d) => d.toJSON()));
  const key = (m: Record<string, any>) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  expect(built.map(key).sort()).toEqual(written.map(key).sort());
  for (const object of written) {
    expect(built.find((b) => key(b) === key(object))).toEqual(object);
  }
  fs.rmSync(copy, { recursive: true, force: true });
});
