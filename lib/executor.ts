import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../imports/k8s';
import { ContainerImage } from './image';
import { AirflowVersion } from './version';

/** The Celery workers: a StatefulSet behind a headless Service, so the UI can fetch live task logs from each one. */
export interface CeleryWorkerOptions {
  /** @default 2 */
  readonly replicas?: number;
  /**
   * Task slots per worker, `[celery] worker_concurrency`.
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * How long a stopping worker may finish its running tasks (warm shutdown) before it is killed.
   * @default Duration.minutes(10)
   */
  readonly terminationGracePeriod?: Duration;
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
}

/** Flower, the Celery monitoring UI, behind basic auth. */
export interface FlowerOptions {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * The basic-auth user name; its password comes from `credentials.flowerPassword`.
   * @default 'admin'
   */
  readonly username?: string;
  /** @default 100m/500m CPU, 256Mi/512Mi memory */
  readonly resources?: kplus.ContainerResources;
}

/** The Redis broker that feeds the Celery workers. */
export interface RedisOptions {
  /** @default redis:7.4.3 */
  readonly image?: ContainerImage;
  /** @default 100m/500m CPU, 128Mi/256Mi memory */
  readonly resources?: kplus.ContainerResources;
}

export interface CeleryExecutorOptions {
  readonly workers?: CeleryWorkerOptions;
  readonly flower?: FlowerOptions;
  readonly redis?: RedisOptions;
}

/**
 * Scheduling of the pods the KubernetesExecutor starts, one per task. Tasks may override any of
 * it with `executor_config={"pod_override": ...}`.
 */
export interface WorkerPodOptions {
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
  /** Run task pods only on nodes with these labels. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Let task pods run on nodes with these taints. @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** Node and pod (anti-)affinity of task pods. @default - none */
  readonly affinity?: k8s.Affinity;
  /** The PriorityClass of task pods. @default - the cluster's default priority */
  readonly priorityClassName?: string;
}

/** A CronJob that deletes finished and stuck task pods (`airflow kubernetes cleanup-pods`). */
export interface PodCleanupOptions {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * When it runs, in cron syntax (five fields, the controller's time zone).
   * @default '*\/15 * * * *' - every quarter of an hour
   */
  readonly schedule?: string;
}

export interface KubernetesExecutorOptions {
  /** The task pods: the pod template the scheduler starts them from. */
  readonly workerPods?: WorkerPodOptions;
  /** @default - a CronJob every 15 minutes */
  readonly cleanup?: PodCleanupOptions;
}

export interface CeleryKubernetesExecutorOptions {
  readonly celery?: CeleryExecutorOptions;
  readonly kubernetes?: KubernetesExecutorOptions;
}

/** Which executor, or pair of executors, runs tasks. */
export type ExecutorKind = 'celery' | 'kubernetes' | 'celery-kubernetes' | 'local';

/** How Airflow runs task instances. */
export class Executor {
  /** Tasks are queued in Redis and run by Celery worker pods. */
  public static celery(options: CeleryExecutorOptions = {}): Executor {
    return new Executor('celery', options, undefined);
  }

  /**
   * Each task runs in its own pod, started by the scheduler from a pod template: no broker, no
   * standing workers.
   */
  public static kubernetes(options: KubernetesExecutorOptions = {}): Executor {
    return new Executor('kubernetes', undefined, options);
  }

  /**
   * Celery workers for most tasks, a pod per task for the rest. On Airflow 3 both executors run
   * side by side (`CeleryExecutor,KubernetesExecutor`; a task picks one with `executor=...`);
   * on Airflow 2 it is the `CeleryKubernetesExecutor` (tasks on the queue `kubernetes` get a pod).
   */
  public static celeryAndKubernetes(options: CeleryKubernetesExecutorOptions = {}): Executor {
    return new Executor('celery-kubernetes', options.celery ?? {}, options.kubernetes ?? {});
  }

  /** Tasks run as processes of the scheduler. One pod does it all; size the scheduler for it. */
  public static local(): Executor {
    return new Executor('local', undefined, undefined);
  }

  private constructor(
    public readonly kind: ExecutorKind,
    /** Set when Celery workers run tasks. */
    public readonly celery: CeleryExecutorOptions | undefined,
    /** Set when the KubernetesExecutor starts task pods. */
    public readonly kubernetes: KubernetesExecutorOptions | undefined,
  ) {}

  /** Tasks run inside the scheduler's pod. */
  public get runsTasksInScheduler(): boolean {
    return this.kind === 'local';
  }

  /** The value of `[core] executor` on `version`. */
  public configValue(version: AirflowVersion): string {
    switch (this.kind) {
      case 'celery': return 'CeleryExecutor';
      case 'kubernetes': return 'KubernetesExecutor';
      case 'local': return 'LocalExecutor';
      default: return version.isAirflow3 ? 'CeleryExecutor,KubernetesExecutor' : 'CeleryKubernetesExecutor';
    }
  }
}
