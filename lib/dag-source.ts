import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../imports/k8s';
import { ContainerImage } from './image';
import { NO_POD_PARTS, PodParts } from './pod/pod-parts';
import { renderResources, resources } from './pod/resources';
import { GIT_SYNC_UID, containerSecurityContext } from './pod/security';
import { ValidationErrors, seconds } from './validation';

/** Where the image keeps DAGs when nothing else provides them. */
const IMAGE_DAGS_FOLDER = '/opt/airflow/dags';
/** Where a DAG volume (git-sync's checkout) is mounted in Airflow containers. */
const DAGS_MOUNT = '/opt/airflow/dags';
const GIT_ROOT = '/git';
const GIT_LINK = 'repo';
const GIT_SECRET_MOUNT = '/etc/git-secret';
/** git-sync's health endpoint (`--http-bind`); `/` answers 200 while syncs succeed. */
const GIT_SYNC_HTTP_PORT = 8000;

/** git-sync v4, pinned. */
export const DEFAULT_GIT_SYNC_IMAGE = ContainerImage.of('registry.k8s.io/git-sync/git-sync', 'v4.7.1');

/** Credentials for a private Git repository, from a Secret the user owns. */
export class GitAuth {
  /**
   * HTTPS with a username and a personal access token.
   * The Secret's keys become git-sync's `GITSYNC_USERNAME` / `GITSYNC_PASSWORD` environment.
   */
  public static httpsToken(options: GitHttpsTokenOptions): GitAuth {
    return new GitAuth('https', options.secretName, {
      username: options.usernameKey ?? 'username',
      token: options.tokenKey ?? 'token',
    });
  }

  /**
   * SSH with a private key and a known_hosts file (host keys are always verified).
   * The default keys match a Secret of type `kubernetes.io/ssh-auth` plus a `known_hosts` key.
   */
  public static ssh(options: GitSshOptions): GitAuth {
    return new GitAuth('ssh', options.secretName, {
      privateKey: options.privateKeyKey ?? 'ssh-privatekey',
      knownHosts: options.knownHostsKey ?? 'known_hosts',
    });
  }

  private constructor(
    /** `https` or `ssh`. */
    public readonly method: string,
    public readonly secretName: string,
    /** The Secret keys, by role. */
    public readonly keys: Readonly<Record<string, string>>,
  ) {}
}

export interface GitHttpsTokenOptions {
  readonly secretName: string;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'token' */
  readonly tokenKey?: string;
}

export interface GitSshOptions {
  readonly secretName: string;
  /** @default 'ssh-privatekey' */
  readonly privateKeyKey?: string;
  /** @default 'known_hosts' */
  readonly knownHostsKey?: string;
}

export interface GitSyncOptions {
  /** The repository URL: `https://…` (public, or with `GitAuth.httpsToken`) or `git@…`/`ssh://…` with `GitAuth.ssh`. */
  readonly repository: string;
  /**
   * Branch, tag or commit to check out.
   * @default 'main'
   */
  readonly ref?: string;
  /**
   * The folder inside the repository that holds the DAG files.
   * @default - the repository root
   */
  readonly subPath?: string;
  /**
   * How often to pull.
   * @default Duration.seconds(60)
   */
  readonly period?: Duration;
  /**
   * Commits of history to fetch.
   * @default 1
   */
  readonly depth?: number;
  /** @default - anonymous access (public repository) */
  readonly auth?: GitAuth;
  /** @default registry.k8s.io/git-sync/git-sync:v4.7.1 */
  readonly image?: ContainerImage;
  /** @default 20m/200m CPU, 64Mi/256Mi memory */
  readonly resources?: kplus.ContainerResources;
}

/** Where Airflow finds DAG files. */
export abstract class DagSource {
  /**
   * A git-sync v4 init container (first checkout before Airflow starts) and sidecar (pulls every
   * `period`) share an emptyDir with the Airflow container of every pod that parses or runs DAGs.
   */
  public static gitSync(options: GitSyncOptions): DagSource {
    return new GitSyncDagSource(options);
  }

  /**
   * DAGs baked into the Airflow image.
   * @param dagsFolder @default '/opt/airflow/dags'
   */
  public static fromImage(dagsFolder: string = IMAGE_DAGS_FOLDER): DagSource {
    return new ImageDagSource(dagsFolder);
  }

  /** `[core] dags_folder` as seen inside Airflow containers. */
  public abstract readonly dagsFolder: string;

  /** Records problems with the options. @internal */
  public abstract _validate(errors: ValidationErrors, property: string): void;

  /** What this source adds to a pod that parses or runs DAGs. @internal */
  public abstract _podParts(): PodParts;
}

class ImageDagSource extends DagSource {
  constructor(public readonly dagsFolder: string) {
    super();
  }

  public _validate(errors: ValidationErrors, property: string): void {
    if (!this.dagsFolder.startsWith('/')) {
      errors.add(property, this.dagsFolder, 'the DAG folder must be an absolute path', 'give the folder inside the image, e.g. "/opt/airflow/dags"');
    }
  }

  public _podParts(): PodParts {
    return NO_POD_PARTS;
  }
}

class GitSyncDagSource extends DagSource {
  private readonly ref: string;
  private readonly subPath: string;
  private readonly period: Duration;
  private readonly depth: number;
  private readonly image: ContainerImage;

  constructor(private readonly options: GitSyncOptions) {
    super();
    this.ref = options.ref ?? 'main';
    this.subPath = (options.subPath ?? '').replace(/^\/+|\/+$/g, '');
    this.period = options.period ?? Duration.seconds(60);
    this.depth = options.depth ?? 1;
    this.image = options.image ?? DEFAULT_GIT_SYNC_IMAGE;
  }

  public get dagsFolder(): string {
    return [DAGS_MOUNT, GIT_LINK, this.subPath].filter((p) => p !== '').join('/');
  }

  public _validate(errors: ValidationErrors, property: string): void {
    const repo = this.options.repository;
    const ssh = /^(ssh:\/\/|[\w.-]+@[\w.-]+:)/.test(repo);
    const https = /^https:\/\/[^\s]+$/.test(repo);
    if (!ssh && !https) {
      errors.add(`${property}.repository`, repo, 'not a Git URL git-sync can clone', 'use "https://host/org/repo.git" or "git@host:org/repo.git"');
    }
    if (/^https:\/\/[^/]*@/.test(repo)) {
      errors.add(`${property}.repository`, repo, 'credentials in the URL would be written into the manifests', 'remove them and use GitAuth.httpsToken({ secretName })');
    }
    const auth = this.options.auth;
    if (ssh && auth?.method !== 'ssh') {
      errors.add(`${property}.auth`, auth?.method ?? 'none', 'an SSH repository URL needs an SSH key', 'set auth: GitAuth.ssh({ secretName })');
    }
    if (https && auth?.method === 'ssh') {
      errors.add(`${property}.auth`, 'ssh', 'SSH credentials cannot authenticate an HTTPS URL', 'use GitAuth.httpsToken or an SSH repository URL');
    }
    if (!/^[\w./-]+$/.test(this.ref)) {
      errors.add(`${property}.ref`, this.ref, 'not a branch, tag or commit name', 'give e.g. "main" or a tag');
    }
    if (this.subPath.split('/').includes('..')) {
      errors.add(`${property}.subPath`, this.options.subPath, 'must stay inside the repository', 'give a relative folder without ".."');
    }
    const periodSeconds = seconds(this.period);
    if (!Number.isInteger(periodSeconds) || periodSeconds < 1) {
      errors.add(`${property}.period`, `${periodSeconds}s`, 'must be a whole number of seconds, at least 1', 'e.g. Duration.seconds(60)');
    }
    if (!Number.isInteger(this.depth) || this.depth < 0) {
      errors.add(`${property}.depth`, this.depth, 'must be a whole number, 0 for full history', 'e.g. 1');
    }
    for (const problem of this.image.problems()) {
      errors.add(`${property}.image`, this.image.reference, problem, 'pin a released git-sync v4 tag');
    }
  }

  public _podParts(): PodParts {
    const volumes: k8s.Volume[] = [
      { name: 'dags', emptyDir: {} },
      { name: 'git-sync-tmp', emptyDir: {} },
    ];
    const auth = this.options.auth;
    if (auth?.method === 'ssh') {
      volumes.push({
        name: 'git-ssh',
        secret: {
          secretName: auth.secretName,
          // Readable by the group only: git-sync shares the pod's group 0 through fsGroup.
          defaultMode: 0o440,
          items: [
            { key: auth.keys.privateKey, path: 'ssh' },
            { key: auth.keys.knownHosts, path: 'known_hosts' },
          ],
        },
      });
    }
    return {
      volumes,
      initContainers: [this.container('git-sync-init', true)],
      sidecars: [this.container('git-sync', false)],
      airflowMounts: [{ name: 'dags', mountPath: DAGS_MOUNT, readOnly: true }],
    };
  }

  private container(name: string, oneTime: boolean): k8s.Container {
    const auth = this.options.auth;
    const args = [
      `--repo=${this.options.repository}`,
      `--ref=${this.ref}`,
      `--root=${GIT_ROOT}`,
      `--link=${GIT_LINK}`,
      `--depth=${this.depth}`,
      `--period=${this.period.toSeconds()}s`,
    ];
    if (!oneTime) {
      args.push(`--http-bind=:${GIT_SYNC_HTTP_PORT}`);
    }
    // git writes its config under $HOME; point it at the writable /tmp volume, since the root
    // filesystem is read-only.
    const env: k8s.EnvVar[] = [{ name: 'HOME', value: '/tmp' }];
    const mounts: k8s.VolumeMount[] = [
      { name: 'dags', mountPath: GIT_ROOT },
      { name: 'git-sync-tmp', mountPath: '/tmp' },
    ];
    if (auth?.method === 'ssh') {
      args.push(
        `--ssh-key-file=${GIT_SECRET_MOUNT}/ssh`,
        '--ssh-known-hosts=true',
        `--ssh-known-hosts-file=${GIT_SECRET_MOUNT}/known_hosts`,
      );
      mounts.push({ name: 'git-ssh', mountPath: GIT_SECRET_MOUNT, readOnly: true });
    } else if (auth?.method === 'https') {
      env.push(
        { name: 'GITSYNC_USERNAME', valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.keys.username } } },
        { name: 'GITSYNC_PASSWORD', valueFrom: { secretKeyRef: { name: auth.secretName, key: auth.keys.token } } },
      );
    }
    if (oneTime) {
      args.push('--one-time');
    }
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/', port: k8s.IntOrString.fromString('git-sync') },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    return {
      name,
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      args,
      env,
      ports: oneTime ? undefined : [{ name: 'git-sync', containerPort: GIT_SYNC_HTTP_PORT, protocol: 'TCP' }],
      // A few failed pulls in a row (a Git host outage) should not restart the sidecar at once.
      livenessProbe: oneTime ? undefined : probe(30, 10),
      readinessProbe: oneTime ? undefined : probe(10, 3),
      resources: renderResources(resources(20, 200, 64, 256), this.options.resources),
      securityContext: containerSecurityContext(true, GIT_SYNC_UID),
      volumeMounts: mounts,
    };
  }
}
