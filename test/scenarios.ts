import {
  AirflowVersion, AuthManager, CeleryBroker, CeleryResultBackend, ConfigFile, ContainerImage, DagSource, Executor, GitAuth, MetadataDatabase, SecretKey,
} from '../lib';
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
  {
    name: 'external Redis with TLS, database URL from a Secret, connections, secrets backend, rendered files', version: '3.1.7', committed: false,
    synth: () => synthAirflow({
      executor: Executor.celeryAndKubernetes({
        celery: {
          broker: CeleryBroker.externalRedis({
            host: 'redis.example.internal', password: SecretKey.of('redis-auth', 'password'),
            tls: { caCertificate: ConfigFile.fromString('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') },
          }),
        },
      }),
      database: MetadataDatabase.fromSecret({ url: SecretKey.of('pg-app', 'uri'), asyncUrl: SecretKey.of('pg-app', 'async-uri') }),
      connections: { warehouse: SecretKey.of('conns', 'warehouse') },
      variables: { environment: SecretKey.of('vars', 'environment') },
      secretsBackend: { backend: 'airflow.providers.hashicorp.secrets.vault.VaultBackend', kwargs: SecretKey.of('vault', 'backend-kwargs') },
      authManager: AuthManager.fab({ webserverConfig: ConfigFile.fromString('AUTH_ROLE_PUBLIC = "Viewer"\n') }),
      localSettings: ConfigFile.fromString('def task_policy(task):\n    pass\n'),
    }),
  },
  {
    name: 'Airflow 2.11, external MySQL, broker and result backend from Secrets, webserver config from a Secret', version: '2.11.0', committed: false,
    synth: () => synthAirflow({
      ...release('2.11.0'),
      executor: Executor.celery({
        broker: CeleryBroker.fromSecret(SecretKey.of('broker', 'url')), resultBackend: CeleryResultBackend.fromSecret(SecretKey.of('results', 'url')),
      }),
      database: MetadataDatabase.externalMySql({ host: 'mysql.example.internal' }),
      authManager: AuthManager.fab({ webserverConfig: ConfigFile.fromSecret(SecretKey.of('oauth', 'webserver_config.py')) }),
      localSettings: ConfigFile.fromConfigMap('platform-policies', 'airflow_local_settings.py'),
    }),
  },
];
