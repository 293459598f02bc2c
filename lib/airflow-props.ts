import { AuthManager } from './auth/auth-manager';
import type { DagProcessorOptions } from './components/dag-processor';
import type { PodLauncherOptions } from './components/pod-launcher-role';
import type { SchedulerOptions } from './components/scheduler';
import type { TriggererOptions } from './components/triggerer';
import type { UiServerOptions } from './components/ui-server';
import type { ConfigFile } from './config/files';
import type { SecretsBackendOptions } from './config/secrets-access';
import { AirflowCredentials, AirflowCredentialsProps, SecretKey } from './credentials';
import { DagSource, IDagSource } from './dags/dag-source';
import { MetadataDatabase } from './database/metadata-database';
import { DEFAULTS } from './defaults';
import { Executor } from './executors/executor';
import { ContainerImage } from './image';
import type { ClusterAutoscalerOptions } from './pod/eviction';
import type { NetworkPolicyOptions } from './network/options';
import type { HousekeepingOptions } from './housekeeping';
import type { LogsOptions, ResolvedLogs } from './pod/logs';
import { TaskLogs } from './pod/task-logs';
import { AirflowVersion } from './version';
import type { PodOptions } from './pod/pod-options';
import type { Metrics } from './metrics/metrics';

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
  /**
   * Airflow connections from Secrets, connection id -> the key holding its URI (or JSON): each is
   * `AIRFLOW_CONN_<ID>` (upper-cased) from `secretKeyRef`, for the pods that parse or run DAG code
   * (DAG processor, triggerer, workers, task pods; the scheduler on Airflow 2). Ids keep to
   * letters, digits, `_`, `.` and `-`.
   * @default - none
   */
  readonly connections?: { [connId: string]: SecretKey };
  /**
   * Airflow variables from Secrets, key -> the key holding its value: `AIRFLOW_VAR_<KEY>`
   * (upper-cased) from `secretKeyRef`, for the same pods as `connections`.
   * @default - none
   */
  readonly variables?: { [key: string]: SecretKey };
  /**
   * A secrets backend (`[secrets] backend`, its `backend_kwargs` from a Secret), which every
   * Airflow process asks first for connections, variables and `_secret` options.
   * @default - none: the environment, then the metadata database
   */
  readonly secretsBackend?: SecretsBackendOptions;
  /**
   * `airflow_local_settings.py` (cluster policies, a pod mutation hook, settings overrides),
   * mounted into every Airflow pod at `$AIRFLOW_HOME/config/airflow_local_settings.py`, where
   * Airflow imports it from. With `ConfigFile.fromString` a change rolls every pod that reads it.
   * @default - none
   */
  readonly localSettings?: ConfigFile;
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
   * the scheduler, DAG processor, triggerer and Celery workers. The options of
   * `TaskLogs.emptyDir()`, kept for compatibility: refused together with `taskLogs`.
   * @default - 2Gi per pod, files kept 7 days
   */
  readonly logs?: LogsOptions;
  /**
   * Where task logs are kept: `TaskLogs.emptyDir()` (per pod, gone with it),
   * `TaskLogs.sharedClaim()` (one ReadWriteMany claim every Airflow pod mounts) or
   * `TaskLogs.remote()` (S3, GCS, Azure Blob Storage, Elasticsearch, OpenSearch). With the
   * KubernetesExecutor only the last two keep a finished task's logs readable in the UI.
   * @default TaskLogs.emptyDir(logs)
   */
  readonly taskLogs?: TaskLogs;
  /**
   * Where Airflow sends its metrics: `Metrics.statsdExporter()` deploys a statsd exporter that
   * Prometheus scrapes (with a ServiceMonitor if you ask), `Metrics.openTelemetry({ host })` pushes
   * them to your OpenTelemetry Collector. Setting it rolls every Airflow pod (`airflow.cfg`).
   * @default - none: Airflow sends no metrics
   */
  readonly metrics?: Metrics;
  /**
   * Jobs that keep the deployment's data in bounds: `dbClean` deletes metadata older than a
   * retention you choose, with `airflow db clean` on a schedule.
   * @default - none: the metadata database keeps every row
   */
  readonly housekeeping?: HousekeepingOptions;
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
   * The pods that run to completion: the migration and admin-user Jobs and the cleanup and
   * `db clean` CronJobs. Their `pod` adds to `pods` (no sidecars: they would keep a Job running).
   * @default - the library-wide `pods` only
   */
  readonly jobs?: JobsOptions;
  /**
   * A PodDisruptionBudget (`maxUnavailable: 1`) for each of the UI server, scheduler, DAG
   * processor, triggerer and Celery workers that runs two replicas or more (or may: an
   * autoscaler's `maxReplicas`), so drains and
   * autoscalers take their pods one at a time; with one replica none, which could only block a drain.
   * @default true
   */
  readonly podDisruptionBudgets?: boolean;
  /**
   * NetworkPolicies that allow each pod of the release exactly the connections Airflow makes
   * (and DNS, the Kubernetes API for pods with a token, the external services of the props) and
   * deny the rest; pods that run DAG code may still reach any address unless `dagCodeEgress` is
   * false, and KubernetesPodOperator pods are left alone. Off unless `enabled`: the policies need
   * facts of the cluster (where its Ingress controller, DNS and API server are) to be right.
   * @default - none
   */
  readonly networkPolicies?: NetworkPolicyOptions;
  /**
   * Labels on every object the library writes (cost centres, ownership). Pods take theirs from
   * `pods.podLabels`; the library's own label keys are refused.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /** Annotations on every object the library writes; pods take theirs from `pods.podAnnotations`. @default - none */
  readonly annotations?: Record<string, string>;
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
  /** `taskLogs`, or `TaskLogs.emptyDir(logs)`. */
  readonly resolvedTaskLogs: TaskLogs;
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
    resolvedLogs: (props.taskLogs ?? TaskLogs.emptyDir(props.logs))._behaviour.resolve(name),
    resolvedTaskLogs: props.taskLogs ?? TaskLogs.emptyDir(props.logs),
    standaloneDagProcessor: version.isAirflow3 || (props.dagProcessor?.enabled ?? false),
  };
}

/** Options of the pods that run to completion (Jobs and CronJobs). */
export interface JobsOptions {
  /**
   * Pull secrets, ServiceAccount annotations, extra env and files, init containers and scheduling
   * of these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
}

