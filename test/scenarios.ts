import { AirflowVersion, AuthManager, ContainerImage, DagSource, Executor, GitAuth, MetadataDatabase } from '../lib';
import { EXAMPLES, Manifest, release, synthAirflow, synthExample, synthReference } from './helpers';

/** A deployment the library renders, and the Airflow release its options must belong to. */
export interface Scenario {
  readonly name: string;
  readonly version: string;
  /** Its output is committed (dist/ or examples/<name>/dist/), which pins it byte for byte. */
  readonly committed: boolean;
  readonly synth: () => Manifest[];
}

/** Every scenario the tests check as a whole: the committed outputs and the variants they leave out. */
export const SCENARIOS: Scenario[] = [
  { name: 'reference deployment', version: '3.1.7', committed: true, synth: synthReference },
  ...Object.keys(EXAMPLES).map((name) => ({
    name: `example ${name}`, version: name.startsWith('airflow2') ? '2.11.0' : '3.1.7', committed: true, synth: () => synthExample(name),
  })),
  {
    name: 'external database, simple auth, SSH git-sync, no pod operator', version: '3.1.7', committed: false,
    synth: () => synthAirflow({
      database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', sslMode: 'require' }),
      authManager: AuthManager.simple(),
      dags: DagSource.gitSync({ repository: 'git@github.com:example/dags.git', auth: GitAuth.ssh({ secretName: 'git-ssh' }) }),
      kubernetesPodOperator: false,
    }),
  },
  {
    name: 'HTTPS token git-sync, pods/exec allowed', version: '3.1.7', committed: false,
    synth: () => synthAirflow({
      dags: DagSource.gitSync({ repository: 'https://example.com/dags.git', auth: GitAuth.httpsToken({ secretName: 'git-token' }) }),
      podLauncher: { allowExec: true },
    }),
  },
  {
    name: 'Airflow 3.0.0, Kubernetes executor', version: '3.0.0', committed: false,
    synth: () => synthAirflow({ ...release('3.0.0'), executor: Executor.kubernetes() }),
  },
  {
    name: 'Airflow 2.11, Kubernetes executor, no cleanup', version: '2.11.0', committed: false,
    synth: () => synthAirflow({
      version: AirflowVersion.V2_11_0,
      image: ContainerImage.of('apache/airflow', '2.11.0'),
      executor: Executor.kubernetes({ cleanup: { enabled: false } }),
    }),
  },
  {
    name: 'Airflow 2.11, Celery + Kubernetes, DAG processor', version: '2.11.0', committed: false,
    synth: () => synthAirflow({ ...release('2.11.0'), executor: Executor.celeryAndKubernetes(), dagProcessor: { enabled: true } }),
  },
  {
    name: 'Airflow 2.11, Local executor, git-sync', version: '2.11.0', committed: false,
    synth: () => synthAirflow({ ...release('2.11.0'), executor: Executor.local(), dags: DagSource.gitSync({ repository: 'https://example.com/d.git' }) }),
  },
];
