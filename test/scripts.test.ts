import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CREDENTIAL_KEYS } from '../lib/credentials';

// The scripts behind `npm run secrets` and `npm run synth`. (The packed-library check is
// scripts/package-check.sh, which CI runs.)
const root = path.resolve(__dirname, '..');
const script = (name: string) => path.join(root, 'scripts', name);

describe('`npm run secrets`', () => {
  beforeAll(() => execFileSync(process.execPath, [script('build.js')]));
  const secrets = (...args: string[]) => spawnSync(process.execPath, [script('secrets.js'), ...args], { encoding: 'utf8' });

  test('prints one Secret with every credential, nothing else', () => {
    const stdout = execFileSync(process.execPath, [script('secrets.js'), '--name', 'etl', '--namespace', 'data'], { encoding: 'utf8' });
    const docs = parseAllDocuments(stdout).map((d) => d.toJSON());
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'etl-credentials', namespace: 'data' } });
    expect(Object.keys(docs[0].stringData).sort()).toEqual(Object.values(CREDENTIAL_KEYS).sort());
  });

  test('takes --option=value like --option value', () => {
    const docs = parseAllDocuments(secrets('--name=etl', '--namespace=data').stdout).map((d) => d.toJSON());
    expect(docs[0].metadata).toMatchObject({ name: 'etl-credentials', namespace: 'data' });
  });

  test.each([
    [['--nmae', 'etl'], /Unknown option '--nmae'/],
    [['--name'], /Option '--name <value>' argument missing/],
    [['etl'], /Unexpected argument 'etl'/],
    [['--name', 'Etl_Prod'], /--name "Etl_Prod" is not a DNS label/],
  ])('refuses %j, printing nothing to stdout', (args, message) => {
    const result = secrets(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage: npm run --silent secrets');
  });
});

describe('npm run synth is all or nothing', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-airflow-synth-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  const good = path.join(work, 'good.js');
  const bad = path.join(work, 'bad.js');
  fs.writeFileSync(good, "require('fs').mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });\n" +
    "require('fs').writeFileSync(require('path').join(process.env.CDK8S_OUTDIR, 'app.k8s.yaml'), 'new\\n');\n");
  fs.writeFileSync(bad, "throw new Error('bad props');\n");
  const existing = (name: string) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), 'old\n');
    return dir;
  };
  const synth = (...apps: string[]) => spawnSync(process.execPath, [script('synth.js'), ...apps], { encoding: 'utf8' });

  test('one failing app leaves every output folder as it was', () => {
    const a = existing('a');
    const b = existing('b');
    const result = synth(`${good}=${a}`, `${bad}=${b}`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`synth failed (${bad}: exit 1); every output folder left as it was`);
    expect(result.stderr).toContain('bad props');
    expect(fs.readFileSync(path.join(a, 'app.k8s.yaml'), 'utf8')).toBe('old\n');
    expect(fs.readFileSync(path.join(b, 'app.k8s.yaml'), 'utf8')).toBe('old\n');
  });

  test('when every app succeeds, each output folder is replaced', () => {
    const a = existing('c');
    fs.writeFileSync(path.join(a, 'stale.k8s.yaml'), 'gone\n');
    const result = synth(`${good}=${a}`);
    expect(result.status).toBe(0);
    expect(fs.readdirSync(a)).toEqual(['app.k8s.yaml']);
    expect(fs.readFileSync(path.join(a, 'app.k8s.yaml'), 'utf8')).toBe('new\n');
  });
});
