import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { Airflow, ContainerImage, AirflowVersion } from '../lib';
import { referenceDeployment } from '../examples/reference';
import { EXAMPLES, Manifest, ofKind, synthAirflow, synthReference } from './helpers';

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Synthesises an app the way `npm run synth` does and returns the (scratch) output folder. */
function synthToDir(build: (app: App) => unknown = referenceDeployment): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-airflow-'));
  scratch.push(outdir);
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** Each committed output folder and the app that writes it. */
const committedOutputs: Array<[string, (app: App) => unknown]> = [
  ['dist', referenceDeployment],
  ...Object.entries(EXAMPLES).map(([name, build]): [string, (app: App) => unknown] => [`examples/${name}/dist`, build]),
];

describe('output stability', () => {
  test('two synths of the same app are byte-identical', () => {
    const first = synthToDir();
    const second = synthToDir();
    const files = fs.readdirSync(first).sort();
    expect(files).toEqual(['airflow.k8s.yaml']);
    expect(fs.readdirSync(second).sort()).toEqual(files);
    for (const file of files) {
      expect(fs.readFileSync(path.join(second, file))).toEqual(fs.readFileSync(path.join(first, file)));
    }
  });

  test('every example app has a committed output folder, and only those', () => {
    const examplesDir = path.resolve(__dirname, '..', 'examples');
    const apps = fs.readdirSync(examplesDir).filter((name) => fs.existsSync(path.join(examplesDir, name, 'main.ts'))).sort();
    expect(apps).toEqual(Object.keys(EXAMPLES).sort());
  });

  test.each(committedOutputs)('the committed %s/ is what `npm run synth` writes now', (folder, build) => {
    const fresh = synthToDir(build);
    const committed = path.resolve(__dirname, '..', folder);
    expect(fs.readdirSync(committed).sort()).toEqual(fs.readdirSync(fresh).sort());
    for (const file of fs.readdirSync(fresh)) {
      // On failure: run `npm run synth` and commit the output with the change that caused it.
      const same = fs.readFileSync(path.join(committed, file), 'utf8') === fs.readFileSync(path.join(fresh, file), 'utf8');
      expect([folder, file, same]).toEqual([folder, file, true]);
    }
  });

  test('moving or renaming the construct changes no object (names and selectors are not construct paths)', () => {
    const direct = synthAirflow();
    const app = Testing.app();
    const chart = new Chart(app, 'other-chart-id', { namespace: 'airflow' });
    const wrapper = new Construct(chart, 'SomeWrapper');
    new Airflow(wrapper, 'RenamedAirflow', {});
    expect(Testing.synth(chart)).toEqual(direct);
  });

  test('no timestamps, random values or tool versions in the output', () => {
    const text = Yaml.stringify(...synthReference());
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/helm|chart-version|cdk8s-plus|generation/i);
  });
});

describe('migration Job names follow what the Job runs', () => {
  const jobNames = (manifests: Manifest[]) => ofKind(manifests, 'Job').map((j) => j.metadata.name).sort();

  test('same input, same names', () => {
    expect(jobNames(synthAirflow())).toEqual(jobNames(synthAirflow()));
  });

  test('a new Airflow version creates new Jobs instead of editing the finished ones', () => {
    const before = jobNames(synthAirflow());
    const after = jobNames(synthAirflow({
      version: AirflowVersion.of('3.1.8'),
      image: ContainerImage.of('apache/airflow', '3.1.8'),
    }));
    expect(before).toHaveLength(2);
    expect(after).toHaveLength(2);
    for (const name of after) {
      expect(before).not.toContain(name);
      expect(name).toMatch(/^airflow-(migrate-database|create-admin-user)-[0-9a-f]{10}$/);
    }
  });

  test('a config change does not rename the Jobs (their pods read the ConfigMap at run time)', () => {
    expect(jobNames(synthAirflow({ config: { core: { parallelism: '64' } } }))).toEqual(jobNames(synthAirflow()));
  });
});
