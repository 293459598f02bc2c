import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Airflow, AirflowVersion, AuthManager, DagSource, Executor, GitAuth, SecretKey } from '../lib';
import { main } from '../lib/cli/main';
import { CREDENTIAL_KEYS } from '../lib/credentials';
import { credentialValue, credentialsSecretManifest, credentialsUse } from '../lib/secrets-manifest';

// The command-line tool (`npx cdk8s-airflow secrets`, `npm run secrets`), the credential
// generator, and the scripts behind `npm run synth` and `cdk8s synth`. (The packed-library check
// is scripts/package-check.sh, which CI runs.)
const root = path.resolve(__dirname, '..');
const script = (name: string) => path.join(root, 'scripts', name);
const bin = path.join(root, 'bin', 'cdk8s-airflow.js');
const ALL_KEYS = Object.values(CREDENTIAL_KEYS);
const scratch: string[] = [];
const tmp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-airflow-${name}-`));
  scratch.push(dir);
  return dir;
};
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d !== null);

/** Synthesises `build` into a fresh folder, as `cdk8s synth` would, and returns the folder. */
function synthesised(build: (app: App) => void): string {
  const outdir = tmp('out');
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** Every `secretKeyRef` in the files of `dir`, as "secret/key", read from the text alone. */
function keyRefs(dir: string): string[] {
  const text = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const refs = [...text.matchAll(/secretKeyRef:\n(\s+)key: (\S+)\n\1name: (\S+)/g)].map((m) => `${m[3]}/${m[2]}`);
  return [...new Set(refs)].sort();
}

describe('`npx cdk8s-airflow secrets` (bin/cdk8s-airflow.js, also `npm run secrets`)', () => {
  beforeAll(() => execFileSync(process.execPath, [script('build.js')]));
  const cli = (args: string[], cwd = root) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  /** The same command in this process (what bin/cdk8s-airflow.js runs), where a spawn proves nothing more. */
  const run = (args: string[]) => {
    const result = { status: 0, stdout: '', stderr: '' };
    result.status = main(args, { stdout: (t) => { result.stdout += t; }, stderr: (t) => { result.stderr += t; } });
    return result;
  };

  test('without an output: one Secret with every credential, from --name and --namespace', () => {
    const result = cli(['secrets', '--name', 'etl', '--namespace', 'data']);
    expect(result.status).toBe(0);
    const [secret, ...rest] = docs(result.stdout);
    expect(rest).toEqual([]);
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'etl-credentials', namespace: 'data' } });
    expect(Object.keys(secret.stringData)).toEqual(ALL_KEYS);
    expect(docs(cli(['secrets', '--name=etl', '--namespace=data']).stdout)[0].metadata).toMatchObject({ name: 'etl-credentials', namespace: 'data' });
    expect(docs(cli(['secrets']).stdout)[0].metadata).toMatchObject({ name: 'airflow-credentials', namespace: 'airflow' });
  });

  test('from the README example\'s output: exactly the keys its objects read, in their namespace; the rest is yours', () => {
    const dir = synthesised((app) => {
      const chart = new Chart(app, 'data-platform', { namespace: 'data' });
      new Airflow(chart, 'airflow', {
        name: 'etl',
        dags: DagSource.gitSync({ repository: 'git@github.com:acme/dags.git', auth: GitAuth.ssh({ secretName: 'dags-deploy-key' }) }),
      });
    });
    const before = fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
    const cwd = tmp('cwd');
    const result = cli(['secrets', dir], cwd);
    expect(result.status).toBe(0);
    const [secret, ...rest] = docs(result.stdout);
    expect(rest).toEqual([]);
    expect(secret.metadata).toMatchObject({ name: 'etl-credentials', namespace: 'data', labels: { 'cdk8s-airflow/release': 'etl' } });
    // Created outside Git: no tracking label, so neither Argo CD's label tracking nor
    // `kubectl apply --prune -l app.kubernetes.io/instance=etl` takes it for a leftover.
    expect(secret.metadata.labels['app.kubernetes.io/instance']).toBeUndefined();
    // Read from the YAML text, independently of the command's own parser.
    expect(Object.keys(secret.stringData).sort()).toEqual(keyRefs(dir).map((ref) => ref.replace('etl-credentials/', '')).sort());
    expect(Object.keys(secret.stringData)).toEqual(ALL_KEYS);
    expect(result.stderr).toContain('you provide: dags-deploy-key/ssh-privatekey (namespace data, mounted as a volume)');
    expect(result.stderr).toContain('you provide: dags-deploy-key/known_hosts (namespace data, mounted as a volume)');
    // Writes nothing: the output and the working folder are as they were.
    expect(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])).toEqual(before);
    expect(fs.readdirSync(cwd)).toEqual([]);
    // A single file does as well as the folder.
    expect(docs(cli(['secrets', path.join(dir, fs.readdirSync(dir)[0])]).stdout)[0].metadata.name).toBe('etl-credentials');
  });

  test('only the keys the deployment uses: no Redis or Flower password without Celery, no JWT secret on Airflow 2', () => {
    const dir = synthesised((app) => {
      new Airflow(new Chart(app, 'pods', { namespace: 'team-a' }), 'airflow', {
        name: 'pods',
        executor: Executor.kubernetes(),
        authManager: AuthManager.simple(),
        dags: DagSource.gitSync({ repository: 'https://example.com/dags.git', auth: GitAuth.httpsToken({ secretName: 'git-creds' }) }),
        credentials: { databasePassword: SecretKey.of('pg-app', 'password') },
      });
      new Airflow(new Chart(app, 'legacy', { namespace: 'team-b' }), 'airflow', {
        name: 'legacy',
        version: AirflowVersion.V2_11_0,
        executor: Executor.celery({ flower: { enabled: false } }),
      });
    });
    const result = cli(['secrets', dir]);
    expect(result.status).toBe(0);
    const secrets = docs(result.stdout);
    expect(secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['team-a/pods-credentials', 'team-b/legacy-credentials']);
    expect(Object.keys(secrets[0].stringData)).toEqual(['fernet-key', 'api-secret-key', 'jwt-secret']);
    expect(Object.keys(secrets[1].stringData)).toEqual(['fernet-key', 'api-secret-key', 'postgresql-password', 'redis-password', 'admin-password']);
    const generated = secrets.flatMap((s) => Object.keys(s.stringData).map((key) => `${s.metadata.name}/${key}`));
    const provided = result.stderr.split('\n').filter((line) => line.startsWith('you provide: '));
    expect(provided).toEqual([
      'you provide: git-creds/token (namespace team-a)',
      'you provide: git-creds/username (namespace team-a)',
      'you provide: pg-app/password (namespace team-a)',
    ]);
    // Every reference in the output is either generated or listed.
    expect(keyRefs(dir)).toEqual([...generated, 'git-creds/token', 'git-creds/username', 'pg-app/password'].sort());
  });

  test('keys that only a pod template embedded in a ConfigMap reads are generated; a Secret in the output is neither', () => {
    const labels = { 'app.kubernetes.io/instance': 'etl' };
    const pod = 'kind: Pod\nspec:\n  containers:\n    - env:\n        - valueFrom:\n            secretKeyRef: { name: etl-credentials, key: fernet-key }\n';
    const use = credentialsUse([
      { kind: 'ConfigMap', metadata: { name: 'etl-pod-template', namespace: 'data', labels }, data: { 'pod.yaml': pod, 'airflow.cfg': '[core]\nx = {' } },
      { kind: 'Secret', metadata: { name: 'mine', namespace: 'data' } },
      { kind: 'Deployment', metadata: { name: 'x', namespace: 'data', labels }, spec: { template: { spec: {
        imagePullSecrets: [{ name: 'registry' }],
        containers: [{ envFrom: [{ secretRef: { name: 'extra' } }], env: [{ valueFrom: { secretKeyRef: { name: 'mine', key: 'k' } } }] }],
      } } } },
    ], (text) => docs(text));
    expect(use.secrets).toEqual([{ release: 'etl', namespace: 'data', keys: ['fernet-key'] }]);
    expect(use.userOwned.map((r) => `${r.secret}/${r.key ?? '*'} ${r.via}`)).toEqual(['extra/* envFrom', 'registry/* imagePullSecrets']);
  });

  test.each([
    [['secrets', '--nmae', 'etl'], /Unknown option '--nmae'/],
    [['secrets', '--name'], /Option '--name <value>' argument missing/],
    [['secrets', '--name', 'Etl_Prod'], /--name "Etl_Prod" is not a DNS label/],
    [['secrets', 'dist', 'examples/local-executor/dist'], /one OUTPUT at a time/],
    [['secrets', 'dist', '--namespace', 'data'], /--name and --namespace go without OUTPUT/],
    [['secrets', 'no-such-folder'], /'no-such-folder' does not exist/],
    [['secrets', 'scripts/airflow-config'], /holds no \*\.yaml file/],
    [['secret'], /unknown command 'secret'/],
    [[], /no command given/],
  ])('refuses %j with exit status 2, printing nothing to stdout', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: cdk8s-airflow/);
  });

  test('fails with exit status 1 on an output without cdk8s-airflow objects or with bad YAML', () => {
    const dir = tmp('bad');
    fs.writeFileSync(path.join(dir, 'other.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(run(['secrets', dir])).toMatchObject({ status: 1, stdout: '', stderr: expect.stringContaining('no cdk8s-airflow object in') });
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'a: [b\n');
    expect(cli(['secrets', dir])).toMatchObject({ status: 1, stdout: '', stderr: expect.stringContaining('broken.yaml: not a YAML manifest') });
  });

  test('--help prints the usage to stdout', () => {
    expect(cli(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: cdk8s-airflow <command>') });
    expect(run(['secrets', '-h'])).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: cdk8s-airflow secrets OUTPUT') });
    expect(run(['--version']).stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  test('`npm run secrets` runs the same command', () => {
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.secrets).toBe('node scripts/build.js && node bin/cdk8s-airflow.js secrets');
  });
});

describe('generated values', () => {
  // 0xfb bytes encode to "-_v7…" in URL-safe base64 (and "+/v7…", i.e. "-_v7…", for the Fernet key).
  const startsWithDash = (size: number) => Buffer.alloc(size, 0xfb);
  /** Gives a value that would start with '-' first, then an acceptable one; counts the draws. */
  const dashFirst = () => {
    let draws = 0;
    const random = (size: number) => (draws++ % 2 === 0 ? startsWithDash(size) : Buffer.alloc(size, 0x7a));
    return { random, draws: () => draws };
  };

  test('never start with "-": such a draw is replaced by a fresh one, for every key, the Fernet key included', () => {
    expect(startsWithDash(32).toString('base64url')).toMatch(/^-/);
    for (const key of ALL_KEYS) {
      const source = dashFirst();
      const value = credentialValue(key, source.random);
      expect(value).not.toMatch(/^-/);
      expect(source.draws()).toBe(2);
      expect(value).toBe(key === 'fernet-key' ? Buffer.alloc(32, 0x7a).toString('base64') : Buffer.alloc(32, 0x7a).toString('base64url'));
    }
    const source = dashFirst();
    const secret = credentialsSecretManifest({ name: 'airflow', namespace: 'airflow', random: source.random }) as any;
    expect(Object.values<string>(secret.stringData).filter((v) => v.startsWith('-'))).toEqual([]);
    expect(source.draws()).toBe(2 * ALL_KEYS.length);
  });

  test('through the command too', () => {
    const source = dashFirst();
    let stdout = '';
    const status = main(['secrets', path.join(root, 'dist')], { stdout: (t) => { stdout += t; }, stderr: () => undefined, random: source.random });
    expect(status).toBe(0);
    const values = docs(stdout).flatMap((s) => Object.values<string>(s.stringData));
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => v.startsWith('-'))).toEqual([]);
    expect(source.draws()).toBe(2 * values.length);
  });

  test('a source that keeps giving a leading "-" is refused, not looped on', () => {
    expect(() => credentialValue('admin-password', startsWithDash)).toThrow(/not random/);
  });

  test('a Fernet key is the URL-safe base64 of 32 bytes, padding kept; every value is URL-safe and fresh', () => {
    const a = credentialsSecretManifest({ name: 'airflow' }) as any;
    const b = credentialsSecretManifest({ name: 'airflow' }) as any;
    expect(a.metadata).not.toHaveProperty('namespace');
    expect(Buffer.from(a.stringData['fernet-key'], 'base64url')).toHaveLength(32);
    expect(a.stringData['fernet-key']).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}=$/);
    for (const key of ALL_KEYS) {
      expect(a.stringData[key]).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]+=*$/);
      expect(a.stringData[key]).not.toEqual(b.stringData[key]);
    }
  });
});

describe('npm run synth is all or nothing', () => {
  const work = tmp('synth');
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

describe('`cdk8s synth` (the real cdk8s-cli, in a copy of the repository)', () => {
  // cdk8s-cli deletes its output folder before it runs `app:`, and lists what the app left there.
  // cdk8s.yaml points it at a scratch folder, and the app builds the current code and replaces
  // dist/ only when synthesis succeeded.
  // Lean: of examples/, only what main.ts imports (the example apps would add four syntheses to
  // each run; that one failing app leaves every output as it was is tested above).
  const copy = tmp('cdk8s');
  const examples = fs.readdirSync(path.join(root, 'examples')).filter((e) => e.endsWith('.ts')).map((e) => `examples/${e}`);
  for (const entry of ['package.json', 'cdk8s.yaml', 'tsconfig.json', 'tsconfig.lib.json', 'main.ts', 'lib', 'scripts', 'imports', 'dags', ...examples]) {
    if (fs.existsSync(path.join(root, entry))) {
      fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    }
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  const cdk8s = (...args: string[]) => spawnSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', ...args], {
    cwd: copy, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  const outputs = () => ['dist', ...fs.readdirSync(path.join(copy, 'examples')).map((e) => `examples/${e}/dist`)]
    .filter((dir) => fs.existsSync(path.join(copy, dir)))
    .flatMap((dir) => fs.readdirSync(path.join(copy, dir)).map((f) => [`${dir}/${f}`, fs.readFileSync(path.join(copy, dir, f), 'utf8')]));

  test('with no build/ it builds and writes dist/ from the current code; --stdout leaves dist/ alone; a failure leaves it as it was', () => {
    fs.rmSync(path.join(copy, 'build'), { recursive: true, force: true });
    fs.rmSync(path.join(copy, 'dist'), { recursive: true, force: true });
    const first = cdk8s();
    expect(first.stderr).not.toMatch(/failed/);
    expect(first.status).toBe(0);
    // What the sources synthesise, here and now.
    const expected = synthesised((app) => require('../examples/reference').referenceDeployment(app));
    for (const file of fs.readdirSync(expected)) {
      expect(fs.readFileSync(path.join(copy, 'dist', file), 'utf8')).toBe(fs.readFileSync(path.join(expected, file), 'utf8'));
    }
    expect(first.stdout).toContain('.synth-staging/cdk8s/airflow.k8s.yaml');
    const good = outputs();
    expect(good.map(([file]) => file)).toContain('dist/airflow.k8s.yaml');

    const printed = cdk8s('--stdout');
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(fs.readFileSync(path.join(copy, 'dist', 'airflow.k8s.yaml'), 'utf8'));

    fs.appendFileSync(path.join(copy, 'main.ts'), "throw new Error('broken on purpose');\n");
    const broken = cdk8s();
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('broken on purpose');
    expect(broken.stderr).toContain('every output folder left as it was');
    expect(outputs()).toEqual(good);
  }, 60_000);
});
