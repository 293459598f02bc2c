import { Size } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { KEEP_ON_PRUNE } from '../components/common';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { EVERY_AIRFLOW_POD } from '../config/files';
import { CONN_ENV_PREFIX, validateSecretKey } from '../config/secrets-access';
import type { AirflowContext } from '../context';
import type { SecretKey } from '../credentials';
import { DEFAULTS } from '../defaults';
import { ValidationErrors, checkWholeNumber } from '../validation';
import type { AirflowVersion } from '../version';
import { LogsOptions, ResolvedLogs, resolveLogs, validateLogs } from './logs';
import { sizeQuantity } from './resources';
import { fromSecret } from './secret-env';

/** The component of the shared logs claim: `<name>-logs`. */
export const LOGS_CLAIM_COMPONENT = 'logs';
/** With a shared claim, the one pod that grooms it (the scheduler, `local-scheduler` with the LocalExecutor). */
export const SHARED_CLAIM_GROOMERS: readonly string[] = ['scheduler', 'local-scheduler'];
const DEFAULT_CLAIM_STORAGE = Size.gibibytes(20);
/** A connection id becomes `AIRFLOW_CONN_<ID>` (as `connections`: secrets-access.ts). */
const CONN_ID = /^[A-Za-z0-9_.-]{1,250}$/;

/** `TaskLogs.sharedClaim()`: one ReadWriteMany volume for the logs of every Airflow pod. */
export interface SharedClaimLogsOptions {
  /** The claim's requested size. @default Size.gibibytes(20) */
  readonly storage?: Size;
  /** A storage class that provisions ReadWriteMany volumes (NFS, CephFS, EFS, Filestore, Azure Files). @default - the cluster's default class */
  readonly storageClassName?: string;
  /** Log files older than this many days are deleted by the one groomer, beside the scheduler. `0` keeps one day. @default 7 */
  readonly retentionDays?: number;
}

/** Where remote logs go: an object store, or a search engine the handler reads from. */
export enum RemoteLogStore {
  S3 = 's3',
  GCS = 'gcs',
  WASB = 'wasb',
  ELASTICSEARCH = 'elasticsearch',
  OPENSEARCH = 'opensearch',
}

/** `TaskLogs.remote()`: task logs uploaded to an object store, or shipped to Elasticsearch or OpenSearch. */
export interface RemoteLogsOptions {
  readonly store: RemoteLogStore;
  /**
   * `[logging] remote_base_log_folder` for S3, GCS and WASB: `s3://bucket/path`, `gs://bucket/path`,
   * `wasb-<folder>` (or `wasb://<folder>`). None for Elasticsearch and OpenSearch.
   * @default - none
   */
  readonly baseFolder?: string;
  /** WASB: the blob container, `[azure_remote_logging] remote_wasb_log_container`. @default - Airflow's, `airflow-logs` */
  readonly wasbContainer?: string;
  /**
   * The Airflow connection the handler uses (`[logging] remote_log_conn_id`). With `connection`,
   * also the `AIRFLOW_CONN_<ID>` variable it is read from.
   * @default - the provider's default connection (`aws_default`, `google_cloud_default`, `wasb_default`)
   */
  readonly connectionId?: string;
  /**
   * The connection's URI (or JSON), from a key of a Secret: `AIRFLOW_CONN_<ID>` in every Airflow
   * container, the UI server's included (it reads the logs). Leave out for a cloud identity of the
   * pods (`pods.serviceAccountAnnotations`).
   * @default - none
   */
  readonly connection?: SecretKey;
  /** Delete the local copy once uploaded (`[logging] delete_local_logs`). @default false */
  readonly deleteLocalLogs?: boolean;
  /**
   * Elasticsearch / OpenSearch: the host Airflow reads logs from (`[elasticsearch] host`,
   * `[opensearch] host`), without credentials.
   * @default - none: required for Elasticsearch and OpenSearch
   */
  readonly host?: string;
  /**
   * Elasticsearch: the host URL with its credentials (`https://user:password@host:9200`, user and
   * password percent-encoded), from a key of a Secret, as `[elasticsearch] host` in every Airflow
   * container; the client sends them as basic auth. Instead of `host`. With `networkPolicies`,
   * give its port in `servicePorts.remoteLogs`.
   * @default - none: `host`, without credentials
   */
  readonly hostSecret?: SecretKey;
  /** OpenSearch: `[opensearch] port`. @default 9200 */
  readonly port?: number;
  /** OpenSearch: `[opensearch] username` (sensitive in the spec) from a Secret. @default - none */
  readonly username?: SecretKey;
  /** OpenSearch: `[opensearch] password` from a Secret. @default - none */
  readonly password?: SecretKey;
  /** Elasticsearch / OpenSearch: task logs to stdout for a collector to ship (`write_stdout`). @default true */
  readonly writeStdout?: boolean;
  /** Elasticsearch / OpenSearch: log lines as JSON (`json_format`). @default true */
  readonly jsonFormat?: boolean;
}

/** What a choice of task logs does to the deployment. */
export interface TaskLogsBehaviour {
  readonly kind: 'emptyDir' | 'sharedClaim' | 'remote';
  /** The options of the `logs` volume and groomer as the pods read them. */
  resolve(release: string): ResolvedLogs;
  validate(errors: ValidationErrors, property: string, connections: readonly string[], version: AirflowVersion): void;
  configure(config: ConfigContributions): void;
  /** Adds the shared claim, or nothing. */
  bind(scope: Construct, context: AirflowContext): k8s.KubePersistentVolumeClaim | undefined;
}

/**
 * Where task logs (and the other logs of Airflow processes) are kept. Made by the static methods:
 * `TaskLogs.emptyDir()` (the default), `TaskLogs.sharedClaim()`, `TaskLogs.remote()`.
 */
export class TaskLogs {
  /**
   * An emptyDir `logs` volume per pod, bounded, with a log groomer beside the scheduler, DAG
   * processor, triggerer and Celery workers. Logs go with the pod: a KubernetesExecutor task's
   * logs are unreadable once its pod is deleted.
   */
  public static emptyDir(options: LogsOptions = {}): TaskLogs {
    return new TaskLogs(new EmptyDirLogs(options));
  }

  /**
   * One ReadWriteMany PersistentVolumeClaim `<name>-logs` (standalone, never pruned by Argo CD or
   * Flux) as the `logs` volume of every Airflow pod, the UI server and task pods included: logs
   * outlive the pods that wrote them. One log groomer, beside the scheduler.
   */
  public static sharedClaim(options: SharedClaimLogsOptions = {}): TaskLogs {
    return new TaskLogs(new SharedClaimLogs(options));
  }

  /**
   * Remote logging (`[logging] remote_logging`): task logs uploaded to S3, GCS or Azure Blob
   * Storage, or shipped to Elasticsearch or OpenSearch, where the UI reads them. The `logs`
   * volume stays an emptyDir for the local copy. The provider must be in the image.
   */
  public static remote(options: RemoteLogsOptions): TaskLogs {
    return new TaskLogs(new RemoteLogs(options));
  }

  private constructor(/** @internal */ public readonly _behaviour: TaskLogsBehaviour) {}
}

class EmptyDirLogs implements TaskLogsBehaviour {
  public readonly kind = 'emptyDir';
  constructor(private readonly options: LogsOptions) {}
  public resolve(): ResolvedLogs {
    return resolveLogs(this.options);
  }
  public validate(errors: ValidationErrors, property: string): void {
    validateLogs(errors, this.options, property);
  }
  public configure(): void {}
  public bind(): undefined {
    return undefined;
  }
}

class SharedClaimLogs implements TaskLogsBehaviour {
  public readonly kind = 'sharedClaim';
  constructor(private readonly options: SharedClaimLogsOptions) {}
  public resolve(release: string): ResolvedLogs {
    return {
      // Unused: a claim has no per-pod size limit.
      sizeLimit: DEFAULTS.logsSizeLimit,
      retentionDays: this.options.retentionDays ?? DEFAULTS.logsRetentionDays,
      claimName: `${release}-${LOGS_CLAIM_COMPONENT}`,
    };
  }
  public validate(errors: ValidationErrors, property: string): void {
    checkWholeNumber(errors, `${property}.retentionDays`, this.options.retentionDays, 0, DEFAULTS.logsRetentionDays);
    const size = this.options.storage?.toMebibytes();
    if (size !== undefined && !(size >= 1024)) {
      errors.add(`${property}.storage`, `${size}Mi`, 'too small for the logs of every Airflow pod', 'give at least Size.gibibytes(1), e.g. Size.gibibytes(20)');
    }
  }
  public configure(): void {}
  public bind(scope: Construct, context: AirflowContext): k8s.KubePersistentVolumeClaim {
    const storage = this.options.storage ?? DEFAULT_CLAIM_STORAGE;
    return new k8s.KubePersistentVolumeClaim(scope, 'LogsClaim', {
      metadata: { ...context.metadata(LOGS_CLAIM_COMPONENT), annotations: { ...KEEP_ON_PRUNE } },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: this.options.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(storage)) } },
      },
    });
  }
}

/** The object stores, by the prefix Airflow picks the handler by, and their provider's default connection. */
const OBJECT_STORES: { readonly [store: string]: { readonly prefix: RegExp; readonly example: string; readonly defaultConn: string } } = {
  [RemoteLogStore.S3]: { prefix: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, example: 's3://my-bucket/airflow/logs', defaultConn: 'aws_default' },
  [RemoteLogStore.GCS]: { prefix: /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/, example: 'gs://my-bucket/airflow/logs', defaultConn: 'google_cloud_default' },
  [RemoteLogStore.WASB]: { prefix: /^wasb\S*$/, example: 'wasb-airflow-logs', defaultConn: 'wasb_default' },
};

class RemoteLogs implements TaskLogsBehaviour {
  public readonly kind = 'remote';
  constructor(private readonly options: RemoteLogsOptions) {}

  private get searchEngine(): boolean {
    return this.options.store === RemoteLogStore.ELASTICSEARCH || this.options.store === RemoteLogStore.OPENSEARCH;
  }

  public resolve(): ResolvedLogs {
    return resolveLogs();
  }

  public validate(errors: ValidationErrors, property: string, connections: readonly string[], version: AirflowVersion): void {
    const o = this.options;
    if (!Object.values(RemoteLogStore).includes(o.store)) {
      errors.add(`${property}.store`, o.store, 'not a remote log store', `one of ${Object.values(RemoteLogStore).map((s) => `RemoteLogStore.${s.toUpperCase()}`).join(', ')}`);
      return;
    }
    const store = OBJECT_STORES[o.store];
    if (store !== undefined) {
      if (typeof o.baseFolder !== 'string' || !store.prefix.test(o.baseFolder)) {
        errors.add(`${property}.baseFolder`, o.baseFolder, `Airflow picks the ${o.store.toUpperCase()} handler by the folder's prefix`, `e.g. baseFolder: '${store.example}'`);
      }
      for (const name of ['host', 'port', 'username', 'password', 'writeStdout', 'jsonFormat'] as const) {
        if (o[name] !== undefined) {
          errors.add(`${property}.${name}`, name === 'username' || name === 'password' ? '<SecretKey>' : o[name], `an option of Elasticsearch and OpenSearch, not of ${o.store.toUpperCase()}`, `remove ${name}`);
        }
      }
    } else {
      if (o.hostSecret !== undefined) {
        if (o.store !== RemoteLogStore.ELASTICSEARCH) {
          errors.add(`${property}.hostSecret`, '<SecretKey>', 'OpenSearch takes its credentials as username and password', 'give host, username and password');
        } else if (o.host !== undefined) {
          errors.add(`${property}.host`, o.host, 'hostSecret gives the host already', 'remove host, or hostSecret');
        }
        validateSecretKey(errors, `${property}.hostSecret`, o.hostSecret);
      } else if (typeof o.host !== 'string' || !/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/.test(o.host)) {
        errors.add(`${property}.host`, o.host, `the ${o.store} host Airflow reads task logs from, without credentials`,
          o.store === RemoteLogStore.ELASTICSEARCH ? 'e.g. host: \'https://elasticsearch.logging:9200\', or hostSecret: SecretKey.of(secretName, key) for a URL with credentials' : 'e.g. host: \'https://opensearch.logging\'');
      }
      for (const name of ['baseFolder', 'wasbContainer', 'connectionId', 'connection', 'deleteLocalLogs'] as const) {
        if (o[name] !== undefined) {
          errors.add(`${property}.${name}`, name === 'connection' ? '<SecretKey>' : o[name], `not an option of ${o.store}: its handler reads from the host`, `remove ${name}`);
        }
      }
      // The `[opensearch]` options are in the configuration spec of Airflow 3 only (the provider
      // ships its own for 2.x, which the library does not check): refused rather than unchecked.
      if (o.store === RemoteLogStore.OPENSEARCH && !version.isAirflow3) {
        errors.add(`${property}.store`, o.store, `the [opensearch] options are not in the configuration spec of Airflow ${version} the library checks against`,
          'use RemoteLogStore.ELASTICSEARCH, or set the [opensearch] options with config');
      }
      if (o.store === RemoteLogStore.ELASTICSEARCH && (o.port !== undefined || o.username !== undefined || o.password !== undefined)) {
        errors.add(`${property}.port`, o.port, 'Elasticsearch takes its port and credentials in its host URL', 'put the port in host and remove port, username and password; for credentials give the whole URL as hostSecret');
      }
      checkWholeNumber(errors, `${property}.port`, o.port, 1, 9200, 65535);
      validateSecretKey(errors, `${property}.username`, o.username);
      validateSecretKey(errors, `${property}.password`, o.password);
    }
    if (o.connectionId !== undefined && !CONN_ID.test(o.connectionId)) {
      errors.add(`${property}.connectionId`, o.connectionId, 'a connection id becomes the variable AIRFLOW_CONN_<ID>, so it may only hold letters, digits, "_", "." and "-", at most 250', 'e.g. "aws_logs"');
    }
    validateSecretKey(errors, `${property}.connection`, o.connection);
    const connId = this.connectionId;
    if (o.connection !== undefined && connId !== undefined && connections.some((c) => c.toUpperCase() === connId.toUpperCase())) {
      errors.add(`${property}.connection`, connId, `connections.${connId} sets ${CONN_ENV_PREFIX}${connId.toUpperCase()} too`, `remove one of the two, or give the logs connectionId another id`);
    }
  }

  private get connectionId(): string | undefined {
    return this.options.connectionId ?? (this.options.connection !== undefined ? OBJECT_STORES[this.options.store]?.defaultConn : undefined);
  }

  public configure(config: ConfigContributions): void {
    const o = this.options;
    const owner = 'taskLogs';
    config.set('logging', 'remote_logging', true, owner);
    if (!this.searchEngine) {
      config.set('logging', 'remote_base_log_folder', o.baseFolder as string, `${owner}.baseFolder`);
      config.set('logging', 'delete_local_logs', o.deleteLocalLogs ?? false, `${owner}.deleteLocalLogs`);
      if (this.connectionId !== undefined) {
        config.set('logging', 'remote_log_conn_id', this.connectionId, `${owner}.connectionId`);
      }
      if (o.connection !== undefined && this.connectionId !== undefined) {
        // Every Airflow process writes or reads logs: workers and task pods upload, the triggerer
        // and (Airflow 3) the DAG processor too, the UI server reads.
        config.addEnvironment(EnvAudience.ALL, { name: `${CONN_ENV_PREFIX}${this.connectionId.toUpperCase()}`, ...fromSecret(o.connection) });
      }
      if (o.store === RemoteLogStore.WASB && o.wasbContainer !== undefined) {
        config.set('azure_remote_logging', 'remote_wasb_log_container', o.wasbContainer, `${owner}.wasbContainer`);
      }
      // The object stores' APIs: HTTPS.
      config.connectsTo({ service: 'remoteLogs', port: 443, clients: EVERY_AIRFLOW_POD });
      return;
    }
    const section = o.store;
    if (o.hostSecret !== undefined) {
      // The URL's port is in the Secret: `networkPolicies.servicePorts.remoteLogs` gives it.
      config.setFromEnvironment(EnvAudience.ALL, section, 'host', fromSecret(o.hostSecret), `${owner}.hostSecret`);
      config.set(section, 'write_stdout', o.writeStdout ?? true, `${owner}.writeStdout`);
      config.set(section, 'json_format', o.jsonFormat ?? true, `${owner}.jsonFormat`);
      config.connectsTo({ service: 'remoteLogs', clients: EVERY_AIRFLOW_POD });
      return;
    }
    config.set(section, 'host', o.host as string, `${owner}.host`);
    config.set(section, 'write_stdout', o.writeStdout ?? true, `${owner}.writeStdout`);
    config.set(section, 'json_format', o.jsonFormat ?? true, `${owner}.jsonFormat`);
    let port = hostPort(o.host as string);
    if (o.store === RemoteLogStore.OPENSEARCH) {
      port = o.port ?? 9200;
      config.set(section, 'port', port, `${owner}.port`);
      if (o.username !== undefined) {
        config.setFromEnvironment(EnvAudience.ALL, section, 'username', fromSecret(o.username), `${owner}.username`);
      }
      if (o.password !== undefined) {
        config.setFromEnvironment(EnvAudience.ALL, section, 'password', fromSecret(o.password), `${owner}.password`);
      }
    }
    config.connectsTo({ service: 'remoteLogs', port, clients: EVERY_AIRFLOW_POD });
  }

  public bind(): undefined {
    return undefined;
  }
}

/** The port of `https://host:port`, else the scheme's (Elasticsearch's own 9200 without a scheme). */
function hostPort(host: string): number {
  const m = /^(?:(https?):\/\/)?[^:/]+(?::(\d+))?/.exec(host);
  return m?.[2] !== undefined ? Number(m[2]) : m?.[1] === 'https' ? 443 : m?.[1] === 'http' ? 80 : 9200;
}
