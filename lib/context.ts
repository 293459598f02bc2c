import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { AirflowEnvironment } from './config/environment';
import type { MountedFile } from './config/files';
import type { AirflowCredentials } from './credentials';
import type { PodParts } from './dags/pod-parts';
import type { DatabaseScaler } from './database/scaler';
import type { ContainerImage } from './image';
import type { EvictionPolicy } from './pod/eviction';
import type { ResolvedLogs } from './pod/logs';
import { componentLabels, selectorLabels } from './labels';
import type { AirflowVersion } from './version';
import type { PodOptions } from './pod/pod-options';
import { PodGroups } from './network/traffic';

/** Ports the components listen on. Fixed, because the config, Services and probes must agree. */
export const PORTS = {
  /** The API server (Airflow 3) or the webserver (Airflow 2). */
  uiServer: 8080,
  workerLogs: 8793,
  triggererLogs: 8794,
  flower: 5555,
  redis: 6379,
  postgresql: 5432,
  /** PgBouncer in front of PostgreSQL (the official chart's port). */
  pgbouncer: 6543,
  /** The statsd exporter: Airflow's statsd datagrams (UDP). */
  statsd: 9125,
  /** The statsd exporter: Prometheus scrapes `/metrics` (TCP). */
  statsdMetrics: 9102,
  /** PgBouncer's metrics exporter sidecar (`pgbouncer.metrics`): Prometheus scrapes `/metrics` (TCP; the exporter's default). */
  pgbouncerMetrics: 9127,
} as const;

/** Paths inside the Airflow image. */
export const AIRFLOW_HOME = '/opt/airflow';
export const AIRFLOW_CFG_PATH = `${AIRFLOW_HOME}/airflow.cfg`;
export const AIRFLOW_LOGS_PATH = `${AIRFLOW_HOME}/logs`;
/** Where the scheduler finds the KubernetesExecutor's pod template (`[kubernetes_executor] pod_template_file`). */
export const POD_TEMPLATE_PATH = `${AIRFLOW_HOME}/pod_templates/pod_template_file.yaml`;

export interface AirflowContextProps {
  readonly name: string;
  readonly namespace: string;
  readonly version: AirflowVersion;
  readonly image: ContainerImage;
  readonly credentials: AirflowCredentials;
  /** What the DAG source adds to a pod that parses or runs DAGs. */
  readonly dags: PodParts;
  /** The Secret-backed environment of Airflow containers, from the configuration. */
  readonly environment: AirflowEnvironment;
  /** The ConfigMap holding `airflow.cfg`. */
  readonly configMapName: string;
  /** SHA-256 of `airflow.cfg` as synthesised; called at synth, after patches to the ConfigMap. */
  readonly configChecksum: () => string;
  /** The logs volume's size limit and the groomer's retention. */
  readonly logs: ResolvedLogs;
  /** Which pods the cluster autoscaler may evict. */
  readonly eviction: EvictionPolicy;
  /** Files Airflow reads besides `airflow.cfg`, each mounted into the pods that read it. @default - none */
  readonly files?: readonly MountedFile[];
  /** The library-wide pod options (`pods`), which each component's add to. */
  readonly pods: PodOptions;
  readonly jobPods?: PodOptions;
  /** Write PodDisruptionBudgets for components of two replicas or more. */
  readonly podDisruptionBudgets: boolean;
  /** How KEDA's scaler reaches the metadata database; undefined when the library cannot tell. @default - none */
  readonly databaseScaler?: DatabaseScaler;
}

/**
 * The shared facts of one Airflow deployment, handed by the `Airflow` construct to every
 * component it adds. Internal: components are composed through `Airflow`.
 */
export class AirflowContext implements AirflowContextProps {
  public readonly name: string;
  public readonly namespace: string;
  public readonly version: AirflowVersion;
  public readonly image: ContainerImage;
  public readonly credentials: AirflowCredentials;
  public readonly dags: PodParts;
  public readonly environment: AirflowEnvironment;
  public readonly configMapName: string;
  public readonly configChecksum: () => string;
  public readonly logs: ResolvedLogs;
  public readonly eviction: EvictionPolicy;
  public readonly files: readonly MountedFile[];
  public readonly pods: PodOptions;
  /** The pod options of the Jobs and CronJobs (`jobs.pod`), on top of `pods`. */
  public readonly jobPods?: PodOptions;
  public readonly podDisruptionBudgets: boolean;
  public readonly databaseScaler?: DatabaseScaler;
  /** The pods of the deployment as each component registers them, for the NetworkPolicies. */
  public readonly network = new PodGroups();
  /**
   * The variables each Airflow component's own pod options add (the library-wide ones are in
   * `pods`), as `AirflowPod` registers them, for the check of `AIRFLOW__*` variables at synth.
   */
  public readonly podOptionVariables: Array<{ readonly component: string; readonly env: () => readonly k8s.EnvVar[] }> = [];

  constructor(props: AirflowContextProps) {
    this.name = props.name;
    this.namespace = props.namespace;
    this.version = props.version;
    this.image = props.image;
    this.credentials = props.credentials;
    this.dags = props.dags;
    this.environment = props.environment;
    this.configMapName = props.configMapName;
    this.configChecksum = props.configChecksum;
    this.logs = props.logs;
    this.eviction = props.eviction;
    this.files = props.files ?? [];
    this.pods = props.pods;
    this.jobPods = props.jobPods;
    this.podDisruptionBudgets = props.podDisruptionBudgets;
    this.databaseScaler = props.databaseScaler;
  }

  /** `<name>-<component>`: the name of a component's objects. */
  public resourceName(component: string): string {
    return resourceName(this.name, component);
  }

  /** The labels that select a component's pods. */
  public selectorLabels(component: string): Record<string, string> {
    return selectorLabels(this.name, component);
  }

  /** Metadata for an object of a component. */
  public metadata(component: string, name = this.resourceName(component)) {
    return { name, namespace: this.namespace, labels: componentLabels(this.name, component) };
  }
}

/** `<release>-<component>`. */
export function resourceName(release: string, component: string): string {
  return `${release}-${component}`;
}

/**
 * The URL workers use for the API server's execution API (`[core] execution_api_server_url`):
 * the in-cluster Service, under the path the API server serves under (`basePath`, from
 * `[api] base_url`, e.g. `/airflow`; `''` for none).
 */
export function executionApiUrl(release: string, basePath = ''): string {
  return `http://${resourceName(release, 'api-server')}:${PORTS.uiServer}${basePath}/execution/`;
}
