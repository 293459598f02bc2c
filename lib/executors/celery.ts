import type { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { CeleryWorkers } from '../components/celery-workers';
import { Flower } from '../components/flower';
import { Redis } from '../components/redis';
import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { PORTS, resourceName } from '../context';
import { DEFAULTS } from '../defaults';
import type { ContainerImage } from '../image';
import { secretEnv } from '../pod/secret-env';
import { ValidationErrors, checkWholeNumber, seconds } from '../validation';
import type { ExecutorBehaviour, ExecutorBinding, ExecutorComponents } from './executor';

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
  /** @default - 2 workers of concurrency 16 */
  readonly workers?: CeleryWorkerOptions;
  /** @default - Flower with the user `admin` */
  readonly flower?: FlowerOptions;
  /** @default - Redis 7.4 */
  readonly redis?: RedisOptions;
}

const PROPERTY = 'executor.celery';

/**
 * The CeleryExecutor: the scheduler queues tasks in Redis, Celery workers run them, Flower shows
 * the queue. The Celery half of the Celery and Kubernetes executors too.
 */
export class CeleryExecutor implements ExecutorBehaviour {
  public readonly runsTasksInScheduler = false;

  constructor(private readonly options: CeleryExecutorOptions) {}

  public configValue(): string {
    return 'CeleryExecutor';
  }

  public validate(errors: ValidationErrors): void {
    const { workers, flower, redis } = this.options;
    checkWholeNumber(errors, `${PROPERTY}.workers.replicas`, workers?.replicas, 0, 1);
    checkWholeNumber(errors, `${PROPERTY}.workers.concurrency`, workers?.concurrency, 1, 16);
    const grace = workers?.terminationGracePeriod && seconds(workers.terminationGracePeriod);
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
      errors.add(`${PROPERTY}.workers.terminationGracePeriod`, `${grace}s`, 'must be a whole number of seconds', 'e.g. Duration.minutes(10)');
    }
    if (flower?.username !== undefined && !/^[^:\s]+$/.test(flower.username)) {
      errors.add(`${PROPERTY}.flower.username`, flower.username, 'basic-auth user names cannot be empty or contain ":" or spaces', 'e.g. "admin"');
    }
    for (const problem of redis?.image?.problems() ?? []) {
      errors.add(`${PROPERTY}.redis.image`, redis?.image?.reference, problem, 'pin a released tag, e.g. redis:7.4.3');
    }
  }

  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    config.set('core', 'executor', this.configValue(), 'executor');
    this.configureCelery(config, facts);
  }

  /** Everything but `[core] executor`: the worker settings, the broker and the result backend. */
  public configureCelery(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    const concurrency = this.options.workers?.concurrency ?? DEFAULTS.celeryWorkerConcurrency;
    config.set('celery', 'worker_concurrency', concurrency, 'executor workers.concurrency');
    // The broker and the result backend, for every pod that queues or runs Celery tasks.
    config.addEnvironment(EnvAudience.EXECUTOR, secretEnv('AIRFLOW_REDIS_PASSWORD', facts.credentials.redisPassword));
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'broker_url',
      { value: `redis://:$(AIRFLOW_REDIS_PASSWORD)@${resourceName(facts.name, 'redis')}:${PORTS.redis}/0` },
      'executor (Redis) and credentials.redisPassword');
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'result_backend', { value: `db+${facts.database.url}` },
      'database and credentials.databasePassword');
    // Flower's basic auth: `user:password`, the password from the Secret.
    const username = this.options.flower?.username ?? DEFAULTS.flowerUsername;
    config.addEnvironment(EnvAudience.FLOWER, secretEnv('AIRFLOW_FLOWER_PASSWORD', facts.credentials.flowerPassword));
    config.setFromEnvironment(EnvAudience.FLOWER, 'celery', 'flower_basic_auth', { value: `${username}:$(AIRFLOW_FLOWER_PASSWORD)` },
      'executor flower.username and credentials.flowerPassword');
  }

  public bind(binding: ExecutorBinding): ExecutorComponents {
    const { scope, context } = binding;
    const broker = context.environment.of(EnvAudience.EXECUTOR);
    const redis = Redis._create(scope, 'Redis', { context, ...this.options.redis });
    const workers = CeleryWorkers._create(scope, 'Workers', { context, env: broker, ...this.options.workers });
    binding.access.addTaskRunner(workers);
    const flowerOptions = this.options.flower ?? {};
    const flower = (flowerOptions.enabled ?? true)
      ? Flower._create(scope, 'Flower', {
        context,
        env: [...broker, ...context.environment.of(EnvAudience.FLOWER)],
        username: flowerOptions.username,
        resources: flowerOptions.resources,
      })
      : undefined;
    return { redis, workers, flower };
  }
}
