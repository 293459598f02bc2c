import { AuthManager } from './auth-manager';
import { AirflowCredentials } from './credentials';
import { DagSource } from './dag-source';
import { MetadataDatabase } from './database';
import { Executor } from './executor';
import { ContainerImage } from './image';
import { componentLabels, selectorLabels } from './labels';
import { AirflowVersion } from './version';

/** Ports the components listen on. Fixed, because the config, Services and probes must agree. */
export const PORTS = {
  /** The API server (Airflow 3) or the webserver (Airflow 2). */
  apiServer: 8080,
  workerLogs: 8793,
  triggererLogs: 8794,
  flower: 5555,
  redis: 6379,
  postgresql: 5432,
} as const;

/** Paths inside the Airflow image. */
export const AIRFLOW_HOME = '/opt/airflow';
export const AIRFLOW_CFG_PATH = `${AIRFLOW_HOME}/airflow.cfg`;
export const AIRFLOW_LOGS_PATH = `${AIRFLOW_HOME}/logs`;
/** Where the scheduler finds the KubernetesExecutor's pod template (`[kubernetes_executor] pod_template_file`). */
export const POD_TEMPLATE_PATH = `${AIRFLOW_HOME}/pod_templates/pod_template_file.yaml`;

/** Everything a component needs to know about the deployment it is part of. */
export interface AirflowContextProps {
  /** The release name: the prefix of every object name and the `instance` label. */
  readonly name: string;
  /** @default - the namespace of the enclosing chart */
  readonly namespace?: string;
  readonly version: AirflowVersion;
  readonly image: ContainerImage;
  readonly executor: Executor;
  readonly database: MetadataDatabase;
  readonly dags: DagSource;
  readonly authManager: AuthManager;
  readonly credentials: AirflowCredentials;
  /** The ConfigMap holding `airflow.cfg`. */
  readonly configMapName: string;
  /** SHA-256 of `airflow.cfg`, annotated on the pods that read it. */
  readonly configChecksum: string;
}

/**
 * The shared facts of one Airflow deployment, handed to every component. The `Airflow`
 * construct builds it; a component used on its own takes one built by the caller.
 */
export class AirflowContext {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly version: AirflowVersion;
  public readonly image: ContainerImage;
  public readonly executor: Executor;
  public readonly database: MetadataDatabase;
  public readonly dags: DagSource;
  public readonly authManager: AuthManager;
  public readonly credentials: AirflowCredentials;
  public readonly configMapName: string;
  public readonly configChecksum: string;

  constructor(props: AirflowContextProps) {
    this.name = props.name;
    this.namespace = props.namespace;
    this.version = props.version;
    this.image = props.image;
    this.executor = props.executor;
    this.database = props.database;
    this.dags = props.dags;
    this.authManager = props.authManager;
    this.credentials = props.credentials;
    this.configMapName = props.configMapName;
    this.configChecksum = props.configChecksum;
  }

  /** `<name>-<component>`: the name of a component's objects. */
  public resourceName(component: string): string {
    return `${this.name}-${component}`;
  }

  /** The labels that select a component's pods. */
  public selectorLabels(component: string): Record<string, string> {
    return selectorLabels(this.name, component);
  }

  /** Metadata for an object of a component. */
  public metadata(component: string, name = this.resourceName(component)) {
    return { name, namespace: this.namespace, labels: componentLabels(this.name, component) };
  }

  /** The host name of the metadata database. */
  public get databaseHost(): string {
    return this.database.host ?? this.resourceName('postgresql');
  }

}

/** The URL workers use for the API server's execution API (`[core] execution_api_server_url`). */
export function executionApiUrl(name: string): string {
  return `http://${name}-api-server:${PORTS.apiServer}/execution/`;
}
