import type { Airflow } from '../airflow';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { ConfigContributions } from '../config/contributions';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import { DagBundlesOptions, DagBundlesSource } from './bundles';
import { DagFilesOptions, DagFilesSource } from './files';
import { GitSyncDagSource, GitSyncOptions } from './git-sync';
import { ImageDagSource } from './image';

/**
 * What a DAG source adds to every Airflow pod that parses or runs DAG files: the DAG processor,
 * the triggerer, the Celery workers, KubernetesExecutor task pods, and the scheduler where it
 * needs them (Airflow 2, LocalExecutor).
 */
export interface DagSourceConfig {
  /** `[core] dags_folder`: where the DAG files are, as Airflow containers see them. An absolute path. */
  readonly dagsFolder: string;
  /**
   * Volumes for the containers below and for `volumeMounts`.
   * @default - none
   */
  readonly volumes?: k8s.Volume[];
  /**
   * Mounted into every Airflow container of such a pod, e.g. the volume that holds the DAG files.
   * @default - none
   */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * Run before Airflow starts, e.g. a first copy of the DAG files. Held to the Pod Security
   * `restricted` profile: settings left unset are filled in (no privilege escalation, all
   * capabilities dropped, a non-root user), settings that break it fail at synth.
   * @default - none
   */
  readonly initContainers?: k8s.Container[];
  /**
   * Run beside long-running Airflow containers, e.g. a loop that keeps the DAG files current.
   * Left out of pods that must run to completion (KubernetesExecutor task pods), which get the
   * init containers only. Held to the `restricted` profile like the init containers.
   * @default - none
   */
  readonly sidecars?: k8s.Container[];
}

/**
 * Where Airflow finds DAG files. The library's sources are made by the static methods of
 * `DagSource`; implement this interface for another way to deliver DAGs (a sync from object
 * storage, a volume another system fills).
 */
export interface IDagSource {
  /**
   * Called once by the `Airflow` construct, before any of its objects exist. May add objects of its
   * own to `airflow` (a ConfigMap of DAG files, say); returns what Airflow's pods need.
   */
  bind(airflow: Airflow): DagSourceConfig;
}

/** The DAG sources of this library. */
export class DagSource {
  /**
   * A git-sync v4 init container (first checkout before Airflow starts) and sidecar (pulls every
   * `period`) share an emptyDir with the Airflow container of every pod that parses or runs DAGs.
   */
  public static gitSync(options: GitSyncOptions): IDagSource {
    return new GitSyncDagSource(options);
  }

  /**
   * The DAG files of a folder beside your app, shipped inside the output as the ConfigMap
   * `<name>-dags` and mounted into every pod that parses or runs DAGs: no Git server, no image
   * build. A change to a file is a diff of the ConfigMap, picked up without a restart. For up to
   * 200 KiB of UTF-8 files (a client-side `kubectl apply` copies the object into an annotation);
   * beyond, use `gitSync`. The root `.airflowignore`, if any, is kept, and read in `glob` syntax.
   */
  public static fromFiles(options: DagFilesOptions): IDagSource {
    return new DagFilesSource(options);
  }

  /**
   * DAGs baked into the Airflow image.
   * @param dagsFolder the folder inside the image @default '/opt/airflow/dags'
   */
  public static fromImage(dagsFolder?: string): IDagSource {
    return new ImageDagSource(dagsFolder);
  }

  /**
   * Airflow 3 DAG bundles, `[dag_processor] dag_bundle_config_list`: Git repositories
   * (`GitDagBundle`, provider apache-airflow-providers-git, which the image must have) and local
   * folders (`LocalDagBundle`), several at once. Every pod that reads bundles checks them out
   * into an emptyDir; Git connections come from Secrets. Refused on Airflow 2.11.
   */
  public static bundles(options: DagBundlesOptions): IDagSource {
    return new DagBundlesSource(options);
  }

  private constructor() {}
}

/** A DAG source of this library, which checks its options before anything is built. */
export interface SelfValidatingDagSource extends IDagSource {
  _validate(errors: ValidationErrors, property: string, version?: AirflowVersion): void;
  /** Options of `airflow.cfg` that follow from the source. */
  _configure?(config: ConfigContributions): void;
}

export function isSelfValidating(source: IDagSource): source is SelfValidatingDagSource {
  return typeof (source as Partial<SelfValidatingDagSource>)._validate === 'function';
}
