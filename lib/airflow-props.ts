import { AuthManager } from './auth/auth-manager';
import type { DagProcessorOptions } from './components/dag-processor';
import type { PodLauncherOptions } from './components/pod-launcher-role';
import type { SchedulerOptions } from './components/scheduler';
import type { TriggererOptions } from './components/triggerer';
import type { UiServerOptions } from './components/ui-server';
import { AirflowCredentials, AirflowCredentialsProps } from './credentials';
import { DagSource, IDagSource } from './dags/dag-source';
import { MetadataDatabase } from './database/metadata-database';
import { DEFAULTS } from './defaults';
import { Executor } from './executors/executor';
import { ContainerImage } from './image';
import type { ClusterAutoscalerOptions } from './pod/eviction';
import { LogsOptions, ResolvedLogs, resolveLogs } from './pod/logs';
import { AirflowVersion } from './version';
import type { PodOptions } from './pod/pod-options';

export interface AirflowProps {
  /**
   * The release name: prefix of every object name (`<name>-scheduler`) and the
   * `app.kubernetes.io/instance` label.
   * @default 'airflow'
   */
  readonly name?: string;
  /**
   * The namespace of every object.
   * @default - the enclosing chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** @default AirflowVersion.V3_1_7 */
  readonly version?: AirflowVersion;
  /**
   * The Airflow image; its tag should match `version`.
   * @default apache/airflow:<version>
   */
  readonly image?: ContainerImage;
  /** @default Executor.celery() */
  readonly executor?: Executor;
  /** @default MetadataDatabase.bundledPostgres() */
  readonly database?: MetadataDatabase;
  /** @default DagSource.fromImage() */
  readonly dags?: IDagSource;
  /** @default AuthManager.fab() - with a first admin user `admin` */
  readonly authManager?: AuthManager;
  /** @default - every credential from the Secret `<name>-credentials` */
  readonly credentials?: AirflowCredentialsProps;
  /**
   * `airflow.cfg` overrides, section -> option -> value, merged over the library's defaults and
   * checked against the Airflow configuration spec of `version`: names, and values as Airflow
   * reads them (`"64"` for an integer option, `"True"` for a boolean one). In TypeScript,
   * `airflowConfig({...})` builds it with the spec's names and value types checked by the compiler.
   * @default - the library's defaults only
   */
  readonly config?: { [section: string]: { [option: string]: string } };
  /** The API server (Airflow 3). @default - 1 replica, 250m/2 CPU, 1Gi/2Gi memory */
  readonly apiServer?: UiServerOptions;
  /** The webserver (Airflow 2). @default - 1 replica, 250m/2 CPU, 1Gi/2Gi memory */
  readonly webserver?: UiServerOptions;
  /** @default - 1 replica, 250m/2 CPU, 768Mi/2Gi memory */
  readonly scheduler?: SchedulerOptions;
  /** @default - on Airflow 3, 1 replica, 250m/1 CPU, 512Mi/1Gi memory; none on Airflow 2 */
  readonly dagProcessor?: DagProcessorOptions;
  /** @default - 1 replica, 250m/1 CPU, 512Mi/1Gi memory */
  readonly triggerer?: TriggererOptions;
  /**
   * Let tasks run pods (KubernetesPodOperator) in the namespace: whatever runs tasks (Celery
   * workers, KubernetesExecutor task pods, or the scheduler with the LocalExecutor) gets its
   * ServiceAccount token mounted and bound to a pod-launcher Role. With false, task runners get
   * no Kubernetes API access at all.
   * @default true
   */
  readonly kubernetesPodOperator?: boolean;
  /** @default - pods, pods/log and events only, no exec */
  readonly podLauncher?: PodLauncherOptions;
  /**
   * The `logs` volume of each pod: its size limit, and the retention of the log groomer beside
   * the scheduler, DAG processor, triggerer and Celery workers.
   * @default - 2Gi per pod, files kept 7 days
   */
  readonly logs?: LogsOptions;
  /**
   * What the cluster autoscaler may evict to scale a node down (`safe-to-evict`): never the pods
   * that run tasks, the Jobs or the bundled PostgreSQL; any of the others.
   * @default - task pods false, the other long-running pods true
   */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions;
  /**
   * What every pod the library writes gets (Jobs and KubernetesExecutor task pods included):
   * image pull secrets, ServiceAccount annotations (a cloud identity), labels, annotations, extra
   * env, volumes and containers, scheduling. Each component's `pod` adds to it.
   * @default - nothing extra
   */
  readonly pods?: PodOptions;
  /**
   * A PodDisruptionBudget (`maxUnavailable: 1`) for each of the UI server, scheduler, DAG
   * processor, triggerer and Celery workers that runs two replicas or more, so drains and
   * autoscalers take their pods one at a time; with one replica none, which could only block a drain.
   * @default true
   */
  readonly podDisruptionBudgets?: boolean;
}

/** The props with every default applied: what the deployment is built from. */
export interface ResolvedAirflowProps extends AirflowProps {
  readonly name: string;
  readonly version: AirflowVersion;
  readonly image: ContainerImage;
  readonly executor: Executor;
  readonly database: MetadataDatabase;
  readonly dags: IDagSource;
  readonly authManager: AuthManager;
  readonly resolvedCredentials: AirflowCredentials;
  readonly kubernetesPodOperator: boolean;
  readonly resolvedLogs: ResolvedLogs;
  /** DAG files are parsed by a separate DAG processor: always on Airflow 3, by choice on Airflow 2. */
  readonly standaloneDagProcessor: boolean;
}

/** Applies the defaults. `chartNamespace` is the namespace of the enclosing chart. */
export function resolveAirflowProps(props: AirflowProps, chartNamespace: string | undefined): ResolvedAirflowProps {
  const name = props.name ?? DEFAULTS.releaseName;
  const version = props.version ?? AirflowVersion.V3_1_7;
  return {
    ...props,
    name,
    namespace: props.namespace ?? chartNamespace,
    version,
    image: props.image ?? ContainerImage.of('apache/airflow', version.toString()),
    executor: props.executor ?? Executor.celery(),
    database: props.database ?? MetadataDatabase.bundledPostgres(),
    dags: props.dags ?? DagSource.fromImage(),
    authManager: props.authManager ?? AuthManager.fab(),
    resolvedCredentials: new AirflowCredentials(name, props.credentials),
    kubernetesPodOperator: props.kubernetesPodOperator ?? true,
    resolvedLogs: resolveLogs(props.logs),
    standaloneDagProcessor: version.isAirflow3 || (props.dagProcessor?.enabled ?? false),
  };
}
