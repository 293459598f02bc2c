import type { Duration, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { KedaAutoscalingOptions, validateKedaAutoscaling, validateKedaDatabase } from '../components/autoscaling';
import { CeleryWorkers } from '../components/celery-workers';
import { Flower } from '../components/flower';
import { Redis } from '../components/redis';
import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import type { HttpRouteOptions, IngressOptions } from '../exposure/options';
import { validateHttpExposure } from '../exposure/validate';
import { quantityValue } from '../pod/quantity';
import { checkShape } from '../props-shape/check-shape';
import { PodOptions, validatePodOptions } from '../pod/pod-options';
import { checkResources } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { DNS_LABEL, DNS_SUBDOMAIN, ValidationErrors, checkWholeNumber, seconds } from '../validation';
import { CeleryBroker, CeleryResultBackend } from './celery-broker';
import type { ExecutorBehaviour, ExecutorBinding, ExecutorComponents } from './executor';
import type { AirflowVersion } from '../version';

/** The Celery workers: a StatefulSet behind a headless Service, so the UI can fetch live task logs from each one. */
export interface CeleryWorkerOptions {
  /** @default 2 */
  readonly replicas?: number;
  /**
   * KEDA autoscaling instead of a fixed `replicas`: one worker per `concurrency` task instances
   * queued or running on these workers' queues, counted in the metadata database. Needs KEDA in
   * the cluster. A worker removed by a scale-down shuts down warm: `terminationGracePeriod` must
   * be at least the longest task, or that task is killed.
   * @default - none: `replicas` workers
   */
  readonly autoscaling?: KedaAutoscalingOptions;
  /**
   * Task slots per worker, given as `airflow celery worker --concurrency`.
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * How long a stopping worker may finish its running tasks (warm shutdown) before it is killed.
   * @default Duration.minutes(10)
   */
  readonly terminationGracePeriod?: Duration;
  /** @default 250m/2 CPU, 768Mi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Another image for these workers (one with GPU libraries, say); of the same Airflow release,
   * since the workers run the scheduler's tasks against the same database.
   * @default - the deployment's image
   */
  readonly image?: ContainerImage;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
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
  /** @default 50m/500m CPU, 128Mi/512Mi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
  /**
   * An Ingress to Flower. With a sub-path (`/flower`), Flower serves under it (`--url-prefix`).
   * @default - no Ingress
   */
  readonly ingress?: IngressOptions;
  /**
   * A Gateway API HTTPRoute to Flower, attached to Gateways the cluster owns (with `ingress`
   * too, both must serve the same path).
   * @default - no HTTPRoute
   */
  readonly httpRoute?: HttpRouteOptions;
}

/** The Redis broker that the library runs for the Celery workers (`CeleryBroker.bundledRedis()`). */
export interface RedisOptions {
  /** @default redis:7.4.3 */
  readonly image?: ContainerImage;
  /** @default 50m/500m CPU, 64Mi/256Mi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
  /**
   * Keep the queue on a PersistentVolumeClaim `<name>-redis-data` with Redis's append-only file,
   * so that a restart of the broker does not drop queued tasks.
   * @default - none: the queue lives in memory and an emptyDir, and a restart drops it (Airflow
   * queues the tasks again after `[scheduler] task_queued_timeout`)
   */
  readonly persistence?: RedisPersistenceOptions;
}

/**
 * The bundled Redis's data on a claim of its own: `--appendonly yes` (fsync every second, so a
 * crash loses at most the last second of writes and a clean stop nothing) in `/data`.
 */
export interface RedisPersistenceOptions {
  /**
   * The size of the claim. Redis rewrites its append-only file once it has grown to 64 MB and
   * doubled, writing the new file beside the old ones: give a few times Redis's memory limit.
   */
  readonly storage: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/**
 * A group of Celery workers that takes tasks from queues of its own, beside the default workers
 * (which keep `[operators] default_queue`). A task goes to a set with `queue="<queue>"`.
 */
export interface CeleryWorkerSetOptions extends CeleryWorkerOptions {
  /** The Celery queues the set takes tasks from: no other set, nor the default workers, may take them. */
  readonly queues: string[];
}

export interface CeleryExecutorOptions {
  /** @default - 2 workers of concurrency 16 */
  readonly workers?: CeleryWorkerOptions;
  /** @default - Flower with the user `admin` */
  readonly flower?: FlowerOptions;
  /**
   * The Celery broker: the bundled Redis, an external Redis, or any broker URL from a Secret.
   * @default CeleryBroker.bundledRedis()
   */
  readonly broker?: CeleryBroker;
  /**
   * Where workers record task states: the metadata database, or a URL from a Secret.
   * @default CeleryResultBackend.metadataDatabase()
   */
  readonly resultBackend?: CeleryResultBackend;
  /**
   * The bundled Redis's image, resources and persistence; only with `CeleryBroker.bundledRedis()`.
   * @default - Redis 7.4, its queue in memory
   */
  readonly redis?: RedisOptions;
}

const PROPERTY = 'executor.celery';

/**
 * The CeleryExecutor: the scheduler queues tasks in Redis, Celery workers run them, Flower shows
 * the queue. The Celery half of the Celery and Kubernetes executors too.
 */
export class CeleryExecutor implements ExecutorBehaviour {
  public readonly runsTasksInScheduler = false;
  private readonly broker: CeleryBroker;
  private readonly resultBackend: CeleryResultBackend;

  constructor(private readonly options: CeleryExecutorOptions) {
    // Their behaviours are read only after the shape check: a caller without types may pass anything.
    this.broker = options?.broker ?? CeleryBroker.bundledRedis();
    this.resultBackend = options?.resultBackend ?? CeleryResultBackend.metadataDatabase();
  }

  public configValue(): string {
    return 'CeleryExecutor';
  }

  public validate(errors: ValidationErrors): void {
    if (checkShape(errors, PROPERTY, 'CeleryExecutorOptions', this.options)) {
      this.validateOptions(errors);
    }
  }

  /** The checks of the options' values, once their shape is right. */
  public validateOptions(errors: ValidationErrors): void {
    const { workers, flower, redis } = this.options;
    validateWorkerOptions(errors, `${PROPERTY}.workers`, workers);
    checkResources(errors, `${PROPERTY}.flower.resources`, DEFAULT_RESOURCES.flower, flower?.resources);
    validatePodOptions(errors, `${PROPERTY}.flower.pod`, flower?.pod);
    validatePodOptions(errors, `${PROPERTY}.redis.pod`, redis?.pod);
    checkResources(errors, `${PROPERTY}.redis.resources`, DEFAULT_RESOURCES.redis, redis?.resources);
    validateRedisPersistence(errors, `${PROPERTY}.redis.persistence`, redis?.persistence);
    if (flower?.username !== undefined && !/^[^:\s]+$/.test(flower.username)) {
      errors.add(`${PROPERTY}.flower.username`, flower.username, 'basic-auth user names cannot be empty or contain ":" or spaces', 'e.g. "admin"');
    }
    validateHttpExposure(errors, `${PROPERTY}.flower`, flower, flower?.enabled === false ? 'Flower is disabled (enabled: false)' : undefined);
    for (const problem of redis?.image?.problems() ?? []) {
      errors.add(`${PROPERTY}.redis.image`, redis?.image?.reference, problem, 'pin a released tag, e.g. redis:7.4.3');
    }
    this.broker._behaviour.validate(errors, `${PROPERTY}.broker`);
    this.resultBackend._behaviour.validate(errors, `${PROPERTY}.resultBackend`);
    if (redis !== undefined && !this.broker._behaviour.bundled) {
      errors.add(`${PROPERTY}.redis`, redis, 'these are options of the bundled Redis, and the broker is another one',
        'remove redis, or use broker: CeleryBroker.bundledRedis()');
    }
  }

  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    config.set('core', 'executor', this.configValue(), 'executor');
    this.configureCelery(config, facts);
  }

  /** Everything but `[core] executor`: the worker settings, the broker and the result backend. */
  public configureCelery(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    // Given to each worker as `--concurrency`, not written to airflow.cfg: a change rolls the
    // workers only, not every pod that reads the file.
    config.claim('celery', 'worker_concurrency', 'executor workers.concurrency');
    // The broker and the result backend, for every pod that queues or runs Celery tasks.
    this.broker._behaviour.configure(config, facts);
    this.resultBackend._behaviour.configure(config, facts);
    // Flower's basic auth: `user:password`, the password from the Secret.
    const username = this.options.flower?.username ?? DEFAULTS.flowerUsername;
    config.addEnvironment(EnvAudience.FLOWER, secretEnv('AIRFLOW_FLOWER_PASSWORD', facts.credentials.flowerPassword));
    config.setFromEnvironment(EnvAudience.FLOWER, 'celery', 'flower_basic_auth', { value: `${username}:$(AIRFLOW_FLOWER_PASSWORD)` },
      'executor flower.username and credentials.flowerPassword');
    // With routes, Flower serves under their path, given as `--url-prefix` on its command line.
    const flowerRoute = this.options.flower?.ingress !== undefined ? 'ingress' : this.options.flower?.httpRoute !== undefined ? 'httpRoute' : undefined;
    if (flowerRoute !== undefined) {
      config.claim('celery', 'flower_url_prefix', `executor flower.${flowerRoute}.path`);
    }
  }

  public validateAgainstConfig(errors: ValidationErrors, option: (section: string, key: string) => string | undefined): void {
    checkGracePeriod(errors, `${PROPERTY}.workers.terminationGracePeriod`, this.options.workers?.terminationGracePeriod, option);
  }

  /** The options that ask KEDA to scale workers, for the check that KEDA can reach the database. */
  public kedaAutoscaled(): string[] {
    return this.options?.workers?.autoscaling === undefined ? [] : [`${PROPERTY}.workers.autoscaling`];
  }

  public addWorkerSet(binding: ExecutorBinding, name: string, options: CeleryWorkerSetOptions, errors: ValidationErrors): CeleryWorkers | undefined {
    return addCeleryWorkerSet(binding, name, options, this.defaultConcurrency(), errors);
  }

  /** The task slots of the default workers, and of worker sets without their own. */
  public defaultConcurrency(): number {
    return this.options.workers?.concurrency ?? DEFAULTS.celeryWorkerConcurrency;
  }

  public bind(binding: ExecutorBinding): ExecutorComponents {
    const { scope, context } = binding;
    const broker = context.environment.of(EnvAudience.EXECUTOR);
    const redis = this.broker._behaviour.bundled ? Redis._create(scope, 'Redis', { context, ...this.options.redis }) : undefined;
    // `airflow celery worker` takes `[operators] default_queue` unless told otherwise.
    const defaultQueue = binding.config.option('operators', 'default_queue') ?? 'default';
    const workers = CeleryWorkers._create(scope, 'Workers', {
      context, env: broker, queues: [defaultQueue], defaultConcurrency: this.defaultConcurrency(), ...this.options.workers,
      tasksQuery: this.options.workers?.autoscaling === undefined ? undefined : celeryTasksQuery([defaultQueue], context.version, 'config.operators.default_queue'),
    });
    binding.queues.set(defaultQueue, 'the default workers');
    setSyncParallelism(binding);
    binding.access.addTaskRunner(workers);
    const flowerOptions = this.options.flower ?? {};
    const flower = (flowerOptions.enabled ?? true)
      ? Flower._create(scope, 'Flower', {
        context,
        env: [...broker, ...context.environment.of(EnvAudience.FLOWER)],
        username: flowerOptions.username,
        resources: flowerOptions.resources,
        pod: flowerOptions.pod,
        ingress: flowerOptions.ingress,
        httpRoute: flowerOptions.httpRoute,
      })
      : undefined;
    return { redis, workers, flower };
  }
}

/** Smallest claim for the broker's append-only file: Redis first rewrites it at 64 MB, beside the old one. */
const MIN_REDIS_STORAGE_MEBIBYTES = 256;

function validateRedisPersistence(errors: ValidationErrors, property: string, persistence: RedisPersistenceOptions | undefined): void {
  const storage = persistence?.storage?.toMebibytes();
  if (storage !== undefined && !(storage >= MIN_REDIS_STORAGE_MEBIBYTES)) {
    errors.add(`${property}.storage`, `${storage}Mi`,
      `too small for Redis's append-only file, which Redis first rewrites at 64 MB, writing the new file beside the old`,
      `give at least Size.mebibytes(${MIN_REDIS_STORAGE_MEBIBYTES}), e.g. Size.gibibytes(1)`);
  }
  const storageClass = persistence?.storageClassName;
  if (storageClass !== undefined && !DNS_SUBDOMAIN.test(storageClass)) {
    errors.add(`${property}.storageClassName`, storageClass, 'not a valid StorageClass name', 'use a DNS subdomain, e.g. "standard"');
  }
}

/** The options every group of Celery workers has. */
function validateWorkerOptions(errors: ValidationErrors, property: string | undefined, options: CeleryWorkerOptions | undefined): void {
  const at = (option: string) => (property === undefined ? option : `${property}.${option}`);
  checkWholeNumber(errors, at('replicas'), options?.replicas, 0, 1);
  validateKedaAutoscaling(errors, at('autoscaling'), options?.autoscaling, options?.replicas);
  checkWholeNumber(errors, at('concurrency'), options?.concurrency, 1, 16);
  checkResources(errors, at('resources'), DEFAULT_RESOURCES.celeryWorkers, options?.resources);
  for (const problem of options?.image?.problems() ?? []) {
    errors.add(at('image'), options?.image?.reference, problem, 'pin a released tag of an image built on the deployment\'s Airflow release');
  }
  validatePodOptions(errors, at('pod'), options?.pod);
  const grace = options?.terminationGracePeriod && seconds(options.terminationGracePeriod);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    errors.add(at('terminationGracePeriod'), `${grace}s`, 'must be a whole number of seconds', 'e.g. Duration.minutes(10)');
  }
}

/**
 * A stopping worker (a KEDA scale-down, a rollout, a drain) finishes its tasks within its grace
 * period and is then killed with them: a `[core] default_task_execution_timeout` (seconds, read with
 * `conf.gettimedelta`: task-sdk definitions/_internal/abstractoperator.py) longer than the grace
 * period allows tasks that a scale-down would cut short.
 */
export function checkGracePeriod(errors: ValidationErrors, property: string, grace: Duration | undefined,
  option: (section: string, key: string) => string | undefined): void {
  const timeout = Number(option('core', 'default_task_execution_timeout') ?? '');
  const graceSeconds = seconds(grace ?? DEFAULTS.celeryWorkerGracePeriod);
  if (Number.isInteger(timeout) && timeout > 0 && Number.isInteger(graceSeconds) && graceSeconds < timeout) {
    errors.add(property, `${graceSeconds}s`, `shorter than [core] default_task_execution_timeout (${timeout}s): a worker stopped by a scale-down or a rollout would kill tasks Airflow lets run longer`,
      `terminationGracePeriod: Duration.seconds(${timeout}) or more, or a shorter default_task_execution_timeout`);
  }
}

/** A Celery queue name as `airflow celery worker --queues` takes it: a comma-separated list. */
const QUEUE_NAME = /^[A-Za-z0-9_.:-]+$/;
/** `<release>-worker-<set>` names the StatefulSet, whose pods and revisions append up to 11 characters. */
const MAX_SET_OBJECT_NAME = 52;

/**
 * Adds a worker set of a Celery executor: `<release>-worker-<name>`, consuming only `options.queues`.
 * Records every problem instead when the set cannot be added.
 */
function addCeleryWorkerSet(binding: ExecutorBinding, name: string, options: CeleryWorkerSetOptions, defaultConcurrency: number,
  errors: ValidationErrors): CeleryWorkers | undefined {
  const { scope, context } = binding;
  const component = `worker-${name}`;
  if (!DNS_LABEL.test(name)) {
    errors.add('name', name, 'must be a DNS label (it is part of object names)', 'use lower-case letters, digits and "-", starting with a letter, e.g. "gpu"');
  } else if (context.resourceName(component).length > MAX_SET_OBJECT_NAME) {
    errors.add('name', name, `"${context.resourceName(component)}" would be longer than ${MAX_SET_OBJECT_NAME} characters`, 'use a shorter name');
  } else if (scope.node.tryFindChild(workerSetId(name)) !== undefined) {
    errors.add('name', name, 'there is a worker set of that name already', 'give each worker set a name of its own');
  }
  const queues = Array.isArray(options.queues) ? options.queues : [];
  if (queues.length === 0) {
    errors.add('queues', options.queues, 'a worker set takes tasks from at least one queue of its own', 'e.g. queues: ["gpu"]');
  }
  queues.forEach((queue, i) => {
    if (typeof queue !== 'string' || !QUEUE_NAME.test(queue)) {
      errors.add(`queues[${i}]`, queue, 'not a queue name', 'use letters, digits, "_", ".", ":" and "-"');
    } else if (binding.queues.has(queue)) {
      errors.add(`queues[${i}]`, queue, `the queue is taken by ${binding.queues.get(queue)}`, 'give each worker set queues of its own');
    } else if (queues.indexOf(queue) !== i) {
      errors.add(`queues[${i}]`, queue, 'listed twice', 'list each queue once');
    }
  });
  validateWorkerOptions(errors, undefined, options);
  checkGracePeriod(errors, 'terminationGracePeriod', options.terminationGracePeriod, (section, key) => binding.config.option(section, key));
  validateKedaDatabase(errors, options.autoscaling === undefined ? [] : ['autoscaling'], context.databaseScaler);
  if (errors.count > 0) {
    return undefined;
  }
  const broker = context.environment.of(EnvAudience.EXECUTOR);
  const workers = CeleryWorkers._create(scope, workerSetId(name), {
    context, env: broker, setName: name, defaultConcurrency, ...options,
    tasksQuery: options.autoscaling === undefined ? undefined : celeryTasksQuery(queues, context.version, 'queues'),
  });
  queues.forEach((queue) => binding.queues.set(queue, `the worker set "${name}"`));
  binding.access.addTaskRunner(workers);
  return workers;
}

/**
 * How a task names the Celery executor in `executor=` (Airflow 3): its alias or its module path,
 * the two names the scheduler matches (jobs/scheduler_job_runner.py, `_try_to_load_executor`;
 * executors/executor_loader.py, CORE_EXECUTOR_NAMES).
 */
const CELERY_EXECUTOR_NAMES = ['CeleryExecutor', 'airflow.providers.celery.executors.celery_executor.CeleryExecutor'];

/**
 * The KEDA query of a group of workers: the task instances queued or running on exactly its
 * queues (`task_instance.state`, `.queue`; models/taskinstance.py), the same SQL on PostgreSQL
 * and MySQL. On Airflow 3 only those the Celery executor runs: `executor` is NULL for the default
 * executor (Celery, first in `[core] executor`) or names Celery, so that KubernetesExecutor tasks
 * of `celeryAndKubernetes`, which share the default queue, are not counted. (On Airflow 2 the
 * CeleryKubernetesExecutor routes by queue, and its `kubernetes_queue` is no worker's.)
 * @param property where a queue that cannot be written into SQL came from, for the message
 */
function celeryTasksQuery(queues: string[], version: AirflowVersion, property: string): string {
  const invalid = queues.filter((queue) => !QUEUE_NAME.test(queue));
  if (invalid.length > 0) {
    // Worker sets' queues are checked before; the default queue comes from `config`.
    const errors = new ValidationErrors();
    errors.add(property, invalid[0], 'KEDA\'s query names the queue, and this is not a queue name', 'use letters, digits, "_", ".", ":" and "-"');
    errors.throwIfAny('Airflow');
  }
  const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');
  const executor = version.isAirflow3 ? ` AND (executor IS NULL OR executor IN (${list(CELERY_EXECUTOR_NAMES)}))` : '';
  return `SELECT COUNT(*) FROM task_instance WHERE state IN ('queued', 'running') AND queue IN (${list(queues)})${executor}`;
}


/**
 * `[celery] sync_parallelism`: the processes the CeleryExecutor in the scheduler starts to fetch
 * task states. Unset (0), Airflow starts `max(1, cpu_count() - 1)` (celery provider,
 * celery_executor.py), and a container sees the node's cores: 63 processes on a 64-core node
 * for a scheduler limited to 2 CPUs. The same formula over the scheduler's CPU limit, for the
 * scheduler alone (only its executor reads it), unless `config` sets it.
 */
function setSyncParallelism(binding: ExecutorBinding): void {
  const limit = binding.scheduler.resources.limits?.cpu?.value;
  const nanoCores = limit === undefined ? undefined : quantityValue(String(limit));
  if (binding.config.option('celery', 'sync_parallelism') !== undefined || nanoCores === undefined) {
    return;
  }
  const cores = Number(nanoCores / 1_000_000_000n);
  binding.scheduler._setOption('celery', 'sync_parallelism', String(Math.max(1, cores - 1)));
}

function workerSetId(name: string): string {
  return `WorkerSet-${name}`;
}
