import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { Construct } from 'constructs';
import type { SecretKey } from '../credentials';
import { sha256 } from '../hash';
import { componentLabels } from '../labels';

/** Where the content of a file comes from. Internal. */
export type FileSource =
  | { readonly kind: 'inline'; readonly content: string }
  | { readonly kind: 'configMap'; readonly name: string; readonly key: string }
  | { readonly kind: 'secret'; readonly key: SecretKey };

/**
 * The content of a file that Airflow reads (`webserver_config.py`, `airflow_local_settings.py`,
 * a CA certificate), mounted into exactly the pods that read it. Made by the static methods.
 *
 * - `ConfigFile.fromString(text)`: rendered by the library into a ConfigMap of the release; a
 *   change of the text changes a checksum annotation on the pods that read the file, which roll.
 *   The text is in the output: never put a credential in it (read one from the environment or
 *   use `fromSecret`).
 * - `ConfigFile.fromConfigMap(name, key)`, `ConfigFile.fromSecret(SecretKey.of(name, key))`: a key
 *   of a ConfigMap or Secret you own, in the release's namespace. The library cannot see its
 *   content, so nothing rolls when it changes: restart the pods, or give the object a new name
 *   (a content hash, as kustomize's generators do), which changes the pods' spec and rolls them.
 */
export class ConfigFile {
  /** Text rendered into a ConfigMap of the release, e.g. the Python of `webserver_config.py`. Never a credential. */
  public static fromString(content: string): ConfigFile {
    return new ConfigFile({ kind: 'inline', content });
  }

  /** A key of a ConfigMap you own, in the release's namespace. */
  public static fromConfigMap(configMapName: string, key: string): ConfigFile {
    return new ConfigFile({ kind: 'configMap', name: configMapName, key });
  }

  /** A key of a Secret you own, in the release's namespace: for files that hold credentials (OAuth client secrets, LDAP bind passwords). */
  public static fromSecret(key: SecretKey): ConfigFile {
    return new ConfigFile({ kind: 'secret', key });
  }

  private constructor(/** @internal */ public readonly _source: FileSource) {}
}

/**
 * Which pods read a file, by the component of the pod (`scheduler`, `worker-gpu`, ...). The
 * component names are those of lib/components/; a test asserts the mounts per workload.
 */
export type FileReaders = (component: string) => boolean;

/** Every Airflow process: what `import airflow` reads (airflow_local_settings.py). */
export const EVERY_AIRFLOW_POD: FileReaders = () => true;

/**
 * The processes that build the FAB Flask app and so read `webserver_config.py`: the API server
 * (Airflow 3, providers/fab www/app.py) or webserver (Airflow 2, airflow/www/app.py), and the
 * FAB CLI behind the admin-user Job (`airflow users create`, fab auth_manager/cli_commands/utils.py,
 * `get_application_builder`).
 */
export const FAB_APP_PODS: FileReaders = (component) => ['api-server', 'webserver', 'create-admin-user'].includes(component);

/** A file Airflow reads, as a part of the deployment contributes it to the configuration. */
export interface PodFile {
  /** The volume's name in each pod that mounts it, e.g. `webserver-config`. */
  readonly volumeName: string;
  /** The absolute path Airflow reads it from. */
  readonly path: string;
  /** The file's name: the key of a rendered ConfigMap, and the volume item the mount takes. */
  readonly fileName: string;
  readonly source: ConfigFile;
  /** The pods that read it. */
  readonly readBy: FileReaders;
  /** Rendered content: the annotation whose checksum rolls the pods that read it, e.g. `checksum/webserver-config`. */
  readonly checksumAnnotation: string;
  /** Rendered content: the ConfigMap `<release>-<suffix>` it goes into. */
  readonly configMapSuffix: string;
}

/** A file as every pod that reads it mounts it. Internal: built by `Airflow`, applied by `AirflowPod`. */
export interface MountedFile {
  readonly volume: k8s.Volume;
  readonly mount: k8s.VolumeMount;
  readonly readBy: FileReaders;
  /** For content the library renders: the annotation and its value, computed at synth. */
  readonly checksum?: { readonly annotation: string; readonly value: () => string };
}

/**
 * The volume and mount of a file whose content is in `configMapName` (rendered content) or in the
 * user's ConfigMap or Secret. A single file through `subPath`, like `airflow.cfg`: the mount never
 * sees updates, and Airflow reads these files at start-up only.
 */
export function mountOf(file: PodFile, renderedConfigMapName: string | undefined): Pick<MountedFile, 'volume' | 'mount'> {
  const source = file.source._source;
  const items = (key: string) => [{ key, path: file.fileName }];
  const volume: k8s.Volume = source.kind === 'secret'
    ? { name: file.volumeName, secret: { secretName: source.key.secretName, items: items(source.key.key) } }
    : source.kind === 'configMap'
      ? { name: file.volumeName, configMap: { name: source.name, items: items(source.key) } }
      : { name: file.volumeName, configMap: { name: renderedConfigMapName!, items: items(file.fileName) } };
  return { volume, mount: { name: file.volumeName, mountPath: file.path, subPath: file.fileName, readOnly: true } };
}

/**
 * The deployment's files as pods mount them: rendered content becomes a ConfigMap
 * `<release>-<suffix>` (created in `scope`, after the `airflow.cfg` ConfigMap in the output), whose
 * data as synthesised, patches included, gives the checksum that rolls the pods that read it.
 */
export function mountFiles(scope: Construct, release: string, namespace: string, files: readonly PodFile[]): MountedFile[] {
  return files.map((file) => {
    const source = file.source._source;
    if (source.kind !== 'inline') {
      return { ...mountOf(file, undefined), readBy: file.readBy };
    }
    const configMap = new k8s.KubeConfigMap(scope, `File-${file.volumeName}`, {
      metadata: { name: `${release}-${file.configMapSuffix}`, namespace, labels: componentLabels(release, file.configMapSuffix) },
      data: { [file.fileName]: source.content },
    });
    return {
      ...mountOf(file, configMap.name),
      readBy: file.readBy,
      checksum: { annotation: file.checksumAnnotation, value: () => sha256(configMap.toJson().data[file.fileName]) },
    };
  });
}
