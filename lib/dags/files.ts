import * as fs from 'fs';
import * as path from 'path';
import type { Airflow } from '../airflow';
import type { ConfigContributions } from '../config/contributions';
import { componentLabels } from '../labels';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { checkShape } from '../props-shape/check-shape';
import { ValidationErrors } from '../validation';
import type { DagSourceConfig, SelfValidatingDagSource } from './dag-source';

/** Options of `DagSource.fromFiles`. */
export interface DagFilesOptions {
  /** The folder of DAG files, absolute or relative to the working directory of the synth. */
  readonly directory: string;
}

/** Where the files appear in Airflow containers. */
const DAGS_MOUNT = '/opt/airflow/dags';
const IGNORE_FILE = '.airflowignore';
/**
 * The most file content one ConfigMap of DAGs may hold. A ConfigMap may be 1 MiB, but a
 * client-side `kubectl apply` copies the object into an annotation, and annotations may hold
 * 256 KiB in all; this leaves room for the rest.
 */
export const MAX_DAG_FILES_BYTES = 200 * 1024;
/** Path segments that are valid in a ConfigMap key once joined with `--`. */
const SEGMENT = /^[A-Za-z0-9_][-._A-Za-z0-9]*$/;
/**
 * A ConfigMap volume keeps its files in a hidden `..<timestamp>` folder, with `..data` linking to
 * it and each top-level entry linking into `..data`. Airflow walks the DAG folder following
 * links, and would meet the same folder twice (and refuse the whole walk as a loop) unless these
 * are ignored. In `glob` syntax `..*` matches exactly the names that begin with two dots.
 */
const IGNORE_CONFIGMAP_INTERNALS = '..*';

interface DagFile {
  /** The path below the folder, with `/`. */
  readonly path: string;
  readonly key: string;
  readonly content: string;
}

/**
 * DAG files from a folder of the repository, shipped inside the output as the ConfigMap
 * `<name>-dags` and mounted (whole, not by subPath) into every pod that parses or runs DAGs.
 * A change to a file is a readable diff of the ConfigMap; the kubelet updates the mounted files
 * within about a minute, and the DAG processor picks them up on its next scan, with no restart
 * (the pods carry no checksum of this ConfigMap on purpose).
 */
export class DagFilesSource implements SelfValidatingDagSource {
  private files?: DagFile[];

  constructor(private readonly options: DagFilesOptions) {}

  public _validate(errors: ValidationErrors, property: string): void {
    if (checkShape(errors, property, 'DagFilesOptions', this.options)) {
      this.files = this.read(errors, `${property}.directory`);
    }
  }

  /** Airflow reads the ignore file in `glob` syntax, the syntax it is written in. @internal */
  public _configure(config: ConfigContributions): void {
    config.set('core', 'dag_ignore_file_syntax', 'glob', 'dags (DagSource.fromFiles writes .airflowignore in glob syntax)');
  }

  public bind(airflow: Airflow): DagSourceConfig {
    const files = this.files ?? this.read(new ValidationErrors(), 'dags.directory');
    const name = `${airflow.name}-dags`;
    const ignore = this.ignoreFile(files);
    const data: Record<string, string> = { [IGNORE_FILE]: ignore };
    const items: k8s.KeyToPath[] = [{ key: IGNORE_FILE, path: IGNORE_FILE }];
    for (const file of files.filter((f) => f.path !== IGNORE_FILE)) {
      data[file.key] = file.content;
      items.push({ key: file.key, path: file.path });
    }
    new k8s.KubeConfigMap(airflow, 'DagFiles', {
      metadata: { name, namespace: airflow.namespace, labels: componentLabels(airflow.name, 'dags') },
      data,
    });
    // Without `items` the volume shows every key as a file, so adding or removing a file needs
    // no change to the pods. Files in subfolders need a key-to-path list, so with subfolders
    // adding or removing a file changes the pod template (editing one never does).
    const nested = items.some((item) => item.path.includes('/'));
    return {
      dagsFolder: DAGS_MOUNT,
      volumes: [{ name: 'dags', configMap: { name, items: nested ? items : undefined } }],
      volumeMounts: [{ name: 'dags', mountPath: DAGS_MOUNT, readOnly: true }],
    };
  }

  /** The folder's own root ignore file, after the line that hides the ConfigMap's internals. */
  private ignoreFile(files: DagFile[]): string {
    const own = files.find((f) => f.path === IGNORE_FILE)?.content ?? '';
    return `# Written by cdk8s-airflow: the ConfigMap volume's own folders.\n${IGNORE_CONFIGMAP_INTERNALS}\n${own}`;
  }

  /** Every file below the folder, in path order, or the problems that keep it from a ConfigMap. */
  private read(errors: ValidationErrors, property: string): DagFile[] {
    const root = path.resolve(this.options.directory);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      errors.add(property, this.options.directory, `no such folder (resolved to ${root})`, 'give the folder of DAG files, relative to where cdk8s synth runs or absolute');
      return [];
    }
    const files: DagFile[] = [];
    const keys = new Map<string, string>();
    for (const relative of listFiles(root)) {
      const segments = relative.split('/');
      const bad = segments.find((s, i) => !SEGMENT.test(s) && !(i === segments.length - 1 && s === IGNORE_FILE));
      if (bad !== undefined) {
        errors.add(property, relative, `"${bad}" cannot be part of a ConfigMap key`, 'name files and folders with letters, digits, "-", "_" and "."');
        continue;
      }
      const key = segments.join('--');
      if (keys.has(key)) {
        errors.add(property, relative, `has the same ConfigMap key "${key}" as ${keys.get(key)}`, 'rename one of them');
        continue;
      }
      const bytes = fs.readFileSync(path.join(root, relative));
      const content = bytes.toString('utf8');
      if (!Buffer.from(content, 'utf8').equals(bytes)) {
        errors.add(property, relative, 'not UTF-8 text: a ConfigMap of DAGs holds text, so that a change is a readable diff', 'keep binary files out of the folder');
        continue;
      }
      keys.set(key, relative);
      files.push({ path: relative, key, content });
    }
    const size = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
    if (size > MAX_DAG_FILES_BYTES) {
      errors.add(property, `${Math.ceil(size / 1024)} KiB`, `more than ${MAX_DAG_FILES_BYTES / 1024} KiB of files for one ConfigMap (kubectl apply keeps a copy in a 256 KiB annotation)`,
        'deliver a folder this large with DagSource.gitSync');
    }
    if (!files.some((f) => f.path.endsWith('.py'))) {
      errors.add(property, this.options.directory, 'holds no .py file', 'point it at the folder of your DAG files');
    }
    return files;
  }
}

/**
 * The files below `root`, relative, with `/`, sorted: every regular file except hidden ones
 * (but ignore files) and Python's byte-code caches.
 */
function listFiles(root: string, relative = ''): string[] {
  const found: string[] = [];
  const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.name === IGNORE_FILE && entry.isFile()) {
      found.push(child);
    } else if (entry.name.startsWith('.') || entry.name === '__pycache__' || entry.name.endsWith('.pyc')) {
      continue;
    } else if (entry.isDirectory()) {
      found.push(...listFiles(root, child));
    } else if (entry.isFile()) {
      found.push(child);
    }
  }
  return found;
}
