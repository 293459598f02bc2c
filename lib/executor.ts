import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ContainerImage } from './image';

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

/** How Airflow runs task instances. */
export class Executor {
  /** Tasks are queued in Redis and run by Celery worker pods. */
  public static celery(options: CeleryExecutorOptions = {}): Executor {
    return new Executor('CeleryExecutor', options);
  }

  private constructor(
    /** The value of `[core] executor`. */
    public readonly name: string,
    /** Set when Celery workers run tasks. */
    public readonly celery?: CeleryExecutorOptions,
  ) {}
}
