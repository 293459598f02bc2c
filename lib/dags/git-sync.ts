import { serverHostProblem } from '../validation/host';
import { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { DEFAULTS, DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { checkResources, renderResources } from '../pod/resources';
import { checkShape } from '../props-shape/check-shape';
import { GIT_SYNC_UID, containerSecurityContext } from '../pod/security';
import { ValidationErrors, seconds } from '../validation';
import type { DagSourceConfig, SelfValidatingDagSource } from './dag-source';
import { GitAuth, GitUrlKind } from './git-auth';

/** Where git-sync's checkout is mounted in Airflow containers. */
const DAGS_MOUNT = '/opt/airflow/dags';
const GIT_ROOT = '/git';
const GIT_LINK = 'repo';
/**
 * git-sync's HTTP endpoint (`--http-bind`), for its Prometheus metrics: `git_sync_count_total`
 * with `status="error"` counts failed fetches, which is what to alert on. Its `/` answers 200
 * from the first sync on, whatever follows ("checks nothing", main.go at v4.7.1), so no probe
 * uses it.
 */
const GIT_SYNC_HTTP_PORT = 8000;
/**
 * The one-time copy retries a failed fetch this many times, every `INIT_RETRY_PERIOD`: a Git
 * host's blip must not fail a KubernetesExecutor task pod, whose init container is not retried.
 */
const INIT_MAX_FAILURES = 6;
const INIT_RETRY_PERIOD = '10s';

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

/**
 * DAGs from a Git repository through git-sync v4: an init container makes the first checkout
 * before Airflow starts, a sidecar pulls every `period`; both share an emptyDir with Airflow.
 */
export class GitSyncDagSource implements SelfValidatingDagSource {
  private readonly ref: string;
  private readonly subPath: string;
  private readonly period: Duration;
  private readonly depth: number;
  private readonly image: ContainerImage;

  constructor(private readonly options: GitSyncOptions) {
    // Read defensively: a caller without types may pass anything; _validate reports it.
    this.ref = options?.ref ?? DEFAULTS.gitSyncRef;
    this.subPath = typeof options?.subPath === 'string' ? options.subPath.replace(/^\/+|\/+$/g, '') : '';
    this.period = options?.period ?? DEFAULTS.gitSyncPeriod;
    this.depth = options?.depth ?? DEFAULTS.gitSyncDepth;
    this.image = options?.image ?? DEFAULT_IMAGES.gitSync;
  }

  public _validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'GitSyncOptions', this.options)) {
      return;
    }
    const repo = this.options.repository;
    const urlKind = /^(ssh:\/\/|[\w.-]+@[\w.-]+:)/.test(repo) ? GitUrlKind.SSH : /^https:\/\/[^\s]+$/.test(repo) ? GitUrlKind.HTTPS : undefined;
    if (urlKind === undefined) {
      errors.add(`${property}.repository`, repo, 'not a Git URL git-sync can clone', 'use "https://host/org/repo.git" or "git@host:org/repo.git"');
    }
    if (/^https:\/\/[^/]*@/.test(repo)) {
      errors.add(`${property}.repository`, repo, 'credentials in the URL would be written into the manifests', 'remove them and use GitAuth.httpsToken({ secretName })');
    }
    const host = gitUrlHost(repo);
    if (host !== undefined && serverHostProblem(host) === 'loopback') {
      errors.add(`${property}.repository`, repo, 'inside a pod this host is the pod itself, not the Git server', 'give a name the pods can resolve, e.g. "https://git.example.com/org/dags.git"');
    }
    const auth = this.options.auth?._behaviour;
    if (urlKind === GitUrlKind.SSH && auth?.urlKind !== GitUrlKind.SSH) {
      errors.add(`${property}.auth`, auth?.urlKind ?? 'none', 'an SSH repository URL needs an SSH key', 'set auth: GitAuth.ssh({ secretName })');
    }
    if (urlKind === GitUrlKind.HTTPS && auth?.urlKind === GitUrlKind.SSH) {
      errors.add(`${property}.auth`, 'ssh', 'SSH credentials cannot authenticate an HTTPS URL', 'use GitAuth.httpsToken or an SSH repository URL');
    }
    auth?.validate(errors, `${property}.auth`);
    checkResources(errors, `${property}.resources`, DEFAULT_RESOURCES.gitSync, this.options.resources);
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

  public bind(): DagSourceConfig {
    const auth = this.options.auth?._behaviour;
    return {
      dagsFolder: [DAGS_MOUNT, GIT_LINK, this.subPath].filter((p) => p !== '').join('/'),
      volumes: [
        { name: 'dags', emptyDir: {} },
        { name: 'git-sync-tmp', emptyDir: {} },
        ...(auth?.volumes() ?? []),
      ],
      volumeMounts: [{ name: 'dags', mountPath: DAGS_MOUNT, readOnly: true }],
      initContainers: [this.container('git-sync-init', true)],
      sidecars: [this.container('git-sync', false)],
    };
  }

  private container(name: string, oneTime: boolean): k8s.Container {
    const auth = this.options.auth?._behaviour;
    const args = [
      `--repo=${this.options.repository}`,
      `--ref=${this.ref}`,
      `--root=${GIT_ROOT}`,
      `--link=${GIT_LINK}`,
      `--depth=${this.depth}`,
      `--period=${seconds(this.period)}s`,
    ];
    if (oneTime) {
      args.push('--one-time', `--max-failures=${INIT_MAX_FAILURES}`, `--init-period=${INIT_RETRY_PERIOD}`);
    } else {
      // A Git outage leaves the DAGs at the last revision fetched: the sidecar keeps retrying
      // instead of exiting (its default, 0, exits on the first failure), so the pod stays Ready
      // and in its Service. Each attempt is bounded by --sync-timeout (default 120 s).
      args.push('--max-failures=-1', `--http-bind=:${GIT_SYNC_HTTP_PORT}`, '--http-metrics');
    }
    args.push(...(auth?.args() ?? []));
    return {
      name,
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      args,
      // git writes its config under $HOME; point it at the writable /tmp volume, since the root
      // filesystem is read-only.
      env: [{ name: 'HOME', value: '/tmp' }, ...(auth?.env() ?? [])],
      ports: oneTime ? undefined : [{ name: 'git-sync', containerPort: GIT_SYNC_HTTP_PORT, protocol: 'TCP' }],
      // No probes: git-sync's only health endpoint says nothing after the first sync, the
      // process exits on what it cannot recover from, and a Git outage must not make the pod
      // unready. Failed fetches show in the metrics and the log.
      resources: renderResources(DEFAULT_RESOURCES.gitSync, this.options.resources),
      securityContext: containerSecurityContext(true, GIT_SYNC_UID),
      volumeMounts: [
        { name: 'dags', mountPath: GIT_ROOT },
        { name: 'git-sync-tmp', mountPath: '/tmp' },
        ...(auth?.mounts() ?? []),
      ],
    };
  }
}

/** The host of an `https://`, `ssh://` or scp-like (`git@host:path`) Git URL. */
export function gitUrlHost(url: string): string | undefined {
  const match = /^(?:https|ssh):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:]+)/.exec(url) ?? /^[\w.-]+@([\w.-]+):/.exec(url);
  return match?.[1];
}
