import type { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import type { SecretKey } from '../credentials';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { CONN_ENV_PREFIX, validateSecretKey } from '../config/secrets-access';
import { fromSecret } from '../pod/secret-env';
import { checkShape } from '../props-shape/check-shape';
import { serverHostProblem } from '../validation/host';
import { gitUrlHost } from './git-sync';
import { DEFAULT_RESOURCES } from '../defaults';
import { checkResources } from '../pod/resources';
import { ValidationErrors, checkWholeNumber, seconds } from '../validation';
import type { AirflowVersion } from '../version';
import type { DagSourceConfig, SelfValidatingDagSource } from './dag-source';

/** `[core] dags_folder`, still written: a `LocalDagBundle` without a path would read it. */
const DAGS_FOLDER = '/opt/airflow/dags';
/**
 * `[dag_processor] dag_bundle_storage_path`: where bundles keep their checkouts (a bare clone, the
 * tracking repository and one folder per version). Without it Airflow uses
 * `tempfile.gettempdir()/airflow/dag_bundles` (airflow-core dag_processing/bundles/base.py L48-51
 * at dda8d2786710); an emptyDir mounted here in every pod that reads bundles instead.
 */
export const DAG_BUNDLE_STORAGE_PATH = '/opt/airflow/dag-bundles';
/** `GitDagBundle`, of the provider apache-airflow-providers-git (providers/git/src/airflow/providers/git/bundles/git.py). */
export const GIT_BUNDLE_CLASSPATH = 'airflow.providers.git.bundles.git.GitDagBundle';
/** `LocalDagBundle`, of Airflow core (airflow-core dag_processing/bundles/local.py). */
export const LOCAL_BUNDLE_CLASSPATH = 'airflow.dag_processing.bundles.local.LocalDagBundle';
/** A bundle's name is part of object names (`<name>-dag-processor-<bundle>`): a short DNS label. */
const BUNDLE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_BUNDLE_NAME = 30;
const CONN_ID = /^[A-Za-z0-9_.-]{1,250}$/;

/** A Git repository as an Airflow 3 DAG bundle (`GitDagBundle`): versioned, each DAG run keeps its commit. */
export interface GitDagBundleOptions {
  /** The bundle's name, unique among the bundles: lower-case letters, digits and "-", at most 30. */
  readonly name: string;
  /**
   * The repository URL (`repo_url`). Without it, the host of the connection is the URL.
   * @default - the host of the connection
   */
  readonly repository?: string;
  /**
   * Branch or tag to follow (`tracking_ref`).
   * @default 'main'
   */
  readonly ref?: string;
  /**
   * The folder inside the repository that holds the DAG files (`subdir`).
   * @default - the repository root
   */
  readonly subPath?: string;
  /**
   * How often to fetch (`refresh_interval`), in whole seconds.
   * @default - `[dag_processor] refresh_interval` (300 s)
   */
  readonly refreshInterval?: Duration;
  /**
   * The Airflow connection the bundle authenticates with (`git_conn_id`), e.g. a token in its
   * password or an SSH key in its extra.
   * @default - `git_<name>` when `connection` is set, else none (a public `repository`)
   */
  readonly connectionId?: string;
  /**
   * The connection's URI or JSON, from a Secret: set as `AIRFLOW_CONN_<CONNECTIONID>` in every pod
   * that reads bundles (DAG processor, triggerer, workers, task pods), like `connections`. Leave
   * it out when `connectionId` names a connection defined elsewhere.
   * @default - none
   */
  readonly connection?: SecretKey;
  /**
   * With `processorPerBundle`: the replicas and resources of this bundle's DAG processor, in place
   * of `dagProcessor`'s.
   * @default - `dagProcessor`'s
   */
  readonly processor?: BundleProcessorOptions;
}

/** The DAG processor of one bundle (`processorPerBundle`): a repository that needs more parses with more. */
export interface BundleProcessorOptions {
  /** @default - `dagProcessor.replicas` (1) */
  readonly replicas?: number;
  /** @default - `dagProcessor.resources` (250m/1 CPU, 512Mi/1Gi memory) */
  readonly resources?: kplus.ContainerResources;
}

/** A folder the pods already have (in the image, or a volume of `pods`) as a DAG bundle (`LocalDagBundle`). */
export interface LocalDagBundleOptions {
  /** The bundle's name, unique among the bundles: lower-case letters, digits and "-", at most 30. */
  readonly name: string;
  /** The folder, an absolute path as Airflow containers see it. */
  readonly path: string;
  /**
   * How often to look for new files (`refresh_interval`), in whole seconds.
   * @default - `[dag_processor] refresh_interval` (300 s)
   */
  readonly refreshInterval?: Duration;
  /**
   * With `processorPerBundle`: the replicas and resources of this bundle's DAG processor.
   * @default - `dagProcessor`'s
   */
  readonly processor?: BundleProcessorOptions;
}

export interface DagBundlesOptions {
  /** @default - none */
  readonly git?: GitDagBundleOptions[];
  /** @default - none */
  readonly local?: LocalDagBundleOptions[];
  /**
   * One DAG processor Deployment per bundle, `<name>-dag-processor-<bundle>`, started with
   * `--bundle-name <bundle>`: a repository's parsing is isolated from the others and scales on
   * its own (`dagProcessor` options apply to each, a bundle's `processor` replaces its replicas
   * and resources). Each gets only its own bundle's Git connection, where the other bundles have
   * a `repository` (without one, Airflow needs their connection to make the bundle at start-up).
   * @default false
   */
  readonly processorPerBundle?: boolean;
}

/** One entry of `[dag_processor] dag_bundle_config_list`. */
interface BundleEntry {
  readonly name: string;
  readonly classpath: string;
  readonly kwargs: Record<string, string | number>;
}

/** Airflow 3 DAG bundles, rendered to `[dag_processor] dag_bundle_config_list`. */
export class DagBundlesSource implements SelfValidatingDagSource {
  constructor(private readonly options: DagBundlesOptions) {}

  /** The bundles' names, in the order of the config list. */
  public get bundleNames(): string[] {
    return [...(this.options?.git ?? []), ...(this.options?.local ?? [])].map((b) => b.name);
  }

  public get processorPerBundle(): boolean {
    return this.options?.processorPerBundle === true;
  }

  /**
   * What the DAG processor of one bundle differs by (`processorPerBundle`): its own replicas and
   * resources, and the other bundles' Git connections it goes without. A GitDagBundle with a
   * `repo_url` is made without its connection (providers/git bundles/git.py, `__init__`: "Connection
   * not found but repo_url provided, continuing"), and `--bundle-name` limits parsing to the
   * bundle; without a `repo_url` it raises, `sync_bundles_to_db` skips it, and the bundle left
   * unsynced would be marked inactive (dag_processing/bundles/manager.py), so such a connection stays.
   */
  public processorOf(name: string): { replicas?: number; resources?: kplus.ContainerResources; withoutEnv: string[] } {
    const git = this.options.git ?? [];
    const bundle = [...git, ...(this.options.local ?? [])].find((b) => b.name === name);
    const own = git.find((b) => b.name === name);
    const ownEnv = own === undefined ? undefined : connectionEnvName(own);
    const withoutEnv = git
      .filter((b) => b.name !== name && b.connection !== undefined && b.repository !== undefined)
      .map((b) => connectionEnvName(b)!)
      .filter((env) => env !== ownEnv);
    return { replicas: bundle?.processor?.replicas, resources: bundle?.processor?.resources, withoutEnv: [...new Set(withoutEnv)] };
  }

  public _validate(errors: ValidationErrors, property: string, version?: AirflowVersion): void {
    if (!checkShape(errors, property, 'DagBundlesOptions', this.options)) {
      return;
    }
    if (version !== undefined && !version.isAirflow3) {
      errors.add(property, 'DagSource.bundles', `DAG bundles are an Airflow 3 feature ([dag_processor] dag_bundle_config_list, 3.0.0); Airflow ${version} reads one DAG folder`,
        'use DagSource.gitSync(...) or DagSource.fromFiles(...) on Airflow 2.11, or set version to 3.x');
      return;
    }
    const git = this.options.git ?? [];
    const local = this.options.local ?? [];
    if (git.length + local.length === 0) {
      errors.add(property, '[]', 'no bundle', 'add at least one bundle to git or local');
    }
    const seen = new Set<string>();
    const checkCommon = (at: string, name: string, refreshInterval: Duration | undefined, processor?: BundleProcessorOptions) => {
      if (processor !== undefined) {
        if (!this.processorPerBundle) {
          errors.add(`${at}.processor`, processor, 'a bundle has a DAG processor of its own only with processorPerBundle: true', 'set processorPerBundle: true, or remove processor (dagProcessor sizes the one DAG processor)');
        }
        checkWholeNumber(errors, `${at}.processor.replicas`, processor.replicas, 0, 1);
        checkResources(errors, `${at}.processor.resources`, DEFAULT_RESOURCES.dagProcessor, processor.resources);
      }
      if (!BUNDLE_NAME.test(name) || name.length > MAX_BUNDLE_NAME) {
        errors.add(`${at}.name`, name, `a bundle name is part of object names, so it must be lower-case letters, digits and "-", at most ${MAX_BUNDLE_NAME}`, 'e.g. "analytics"');
      } else if (seen.has(name)) {
        errors.add(`${at}.name`, name, 'two bundles with one name: Airflow keys bundles, their DAGs and checkouts by name', 'give each bundle its own name');
      }
      seen.add(name);
      if (refreshInterval !== undefined) {
        const s = seconds(refreshInterval);
        if (!Number.isInteger(s) || s < 0) {
          errors.add(`${at}.refreshInterval`, `${s}s`, 'must be a whole number of seconds, 0 or more', 'e.g. Duration.minutes(5)');
        }
      }
    };
    git.forEach((bundle, i) => {
      const at = `${property}.git[${i}]`;
      checkCommon(at, bundle.name, bundle.refreshInterval, bundle.processor);
      const repo = bundle.repository;
      if (repo !== undefined && !/^(ssh:\/\/|https:\/\/|[\w.-]+@[\w.-]+:)[^\s]+$/.test(repo)) {
        errors.add(`${at}.repository`, repo, 'not a Git URL', 'use "https://host/org/repo.git" or "git@host:org/repo.git"');
      }
      if (repo !== undefined && serverHostProblem(gitUrlHost(repo)) === 'loopback') {
        errors.add(`${at}.repository`, repo, 'inside a pod this host is the pod itself, not the Git server', 'give a name the pods can resolve, e.g. "https://git.example.com/org/dags.git"');
      }
      if (repo !== undefined && /^https:\/\/[^/]*@/.test(repo)) {
        errors.add(`${at}.repository`, repo, 'credentials in the URL would be written into airflow.cfg', 'remove them and put them in the connection: connection: SecretKey.of(secretName, key)');
      }
      if (repo === undefined && bundle.connection === undefined && bundle.connectionId === undefined) {
        errors.add(`${at}.repository`, undefined, 'GitDagBundle needs a repository URL or a connection whose host is the URL', 'set repository, or connection: SecretKey.of(secretName, key)');
      }
      if (bundle.connectionId !== undefined && !CONN_ID.test(bundle.connectionId)) {
        errors.add(`${at}.connectionId`, bundle.connectionId, 'a connection id becomes the variable AIRFLOW_CONN_<ID>, so it may only hold letters, digits, "_", "." and "-", at most 250', 'e.g. "git_analytics"');
      }
      if (bundle.ref !== undefined && !/^[\w./-]+$/.test(bundle.ref)) {
        errors.add(`${at}.ref`, bundle.ref, 'not a branch or tag name', 'give e.g. "main" or a tag');
      }
      if (bundle.subPath !== undefined && (bundle.subPath.startsWith('/') || bundle.subPath.split('/').includes('..'))) {
        errors.add(`${at}.subPath`, bundle.subPath, 'must stay inside the repository', 'give a relative folder without ".."');
      }
      if (bundle.connection !== undefined) {
        validateSecretKey(errors, `${at}.connection`, bundle.connection);
      }
    });
    local.forEach((bundle, i) => {
      const at = `${property}.local[${i}]`;
      checkCommon(at, bundle.name, bundle.refreshInterval, bundle.processor);
      if (typeof bundle.path !== 'string' || !bundle.path.startsWith('/') || bundle.path.startsWith(`${DAG_BUNDLE_STORAGE_PATH}`)) {
        errors.add(`${at}.path`, bundle.path, `must be an absolute path outside the bundle storage ${DAG_BUNDLE_STORAGE_PATH}`, 'give the folder as Airflow containers see it, e.g. "/opt/airflow/dags"');
      }
    });
  }

  public _configure(config: ConfigContributions): void {
    config.set('dag_processor', 'dag_bundle_config_list', JSON.stringify(this.entries()), 'dags');
    config.set('dag_processor', 'dag_bundle_storage_path', DAG_BUNDLE_STORAGE_PATH, '(fixed: the dags volume is mounted there)');
    for (const bundle of this.options.git ?? []) {
      if (bundle.connection !== undefined) {
        config.addEnvironment(EnvAudience.DAG_CODE, { name: connectionEnvName(bundle)!, ...fromSecret(bundle.connection) });
      }
    }
  }

  public bind(): DagSourceConfig {
    // Every pod that reads bundles checks them out itself: the DAG processor the tracking ref,
    // workers and task pods the version of the run they execute.
    return {
      dagsFolder: DAGS_FOLDER,
      volumes: [{ name: 'dags', emptyDir: {} }],
      volumeMounts: [{ name: 'dags', mountPath: DAG_BUNDLE_STORAGE_PATH }],
    };
  }

  /** The list, in the order git, then local. */
  public entries(): BundleEntry[] {
    const interval = (d: Duration | undefined): Record<string, number> => (d === undefined ? {} : { refresh_interval: seconds(d) });
    const git = (this.options.git ?? []).map((b): BundleEntry => {
      const connId = gitConnId(b);
      return {
        name: b.name,
        classpath: GIT_BUNDLE_CLASSPATH,
        kwargs: {
          tracking_ref: b.ref ?? 'main',
          ...(b.repository !== undefined ? { repo_url: b.repository } : {}),
          ...(b.subPath !== undefined ? { subdir: b.subPath.replace(/\/+$/, '') } : {}),
          ...(connId !== undefined ? { git_conn_id: connId } : {}),
          ...interval(b.refreshInterval),
        },
      };
    });
    const local = (this.options.local ?? []).map((b): BundleEntry => ({
      name: b.name,
      classpath: LOCAL_BUNDLE_CLASSPATH,
      kwargs: { path: b.path, ...interval(b.refreshInterval) },
    }));
    return [...git, ...local];
  }
}

/** `AIRFLOW_CONN_<ID>` of a bundle's connection from a Secret. */
function connectionEnvName(bundle: GitDagBundleOptions): string | undefined {
  const id = gitConnId(bundle);
  return bundle.connection === undefined || id === undefined ? undefined : `${CONN_ENV_PREFIX}${id.toUpperCase()}`;
}

function gitConnId(bundle: GitDagBundleOptions): string | undefined {
  return bundle.connectionId ?? (bundle.connection !== undefined ? `git_${bundle.name.replace(/-/g, '_')}` : undefined);
}

export function isDagBundlesSource(source: unknown): source is DagBundlesSource {
  return source instanceof DagBundlesSource;
}
