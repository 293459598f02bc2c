// Every default of the library in one place. The `@default` of each prop quotes the value here.
import { Duration, Size } from 'cdk8s';
import { ContainerImage } from './image';
import { ResourceQuantities } from './pod/resources';

/** Shorthand: CPU in millicores and memory as quantities, request and limit. */
function resources(cpuRequestMillis: number, cpuLimitMillis: number, memoryRequest: string, memoryLimit: string): ResourceQuantities {
  return { cpu: [`${cpuRequestMillis}m`, `${cpuLimitMillis}m`], memory: [memoryRequest, memoryLimit] };
}

/**
 * Requests and limits per container. The requests are what the scheduler reserves: the reference
 * deployment's, with a rollout's surge pod, both Jobs and a control plane, fit one 4-CPU node
 * (test/resource-budget.test.ts); the limits let a component burst well above them.
 */
export const DEFAULT_RESOURCES = {
  uiServer: resources(250, 2000, '1Gi', '2Gi'),
  scheduler: resources(250, 2000, '768Mi', '2Gi'),
  dagProcessor: resources(250, 1000, '512Mi', '1Gi'),
  triggerer: resources(250, 1000, '512Mi', '1Gi'),
  celeryWorkers: resources(250, 2000, '768Mi', '2Gi'),
  kubernetesTaskPods: resources(500, 2000, '1Gi', '2Gi'),
  flower: resources(50, 500, '128Mi', '512Mi'),
  redis: resources(50, 500, '64Mi', '256Mi'),
  postgresql: resources(250, 1000, '256Mi', '1Gi'),
  gitSync: resources(20, 200, '64Mi', '256Mi'),
  /** The `wait-for-migrations` init container of every long-running Airflow pod. */
  migrationWait: resources(100, 1000, '256Mi', '512Mi'),
  /** The migration and admin-user Jobs. */
  jobs: resources(100, 1000, '384Mi', '1Gi'),
  podCleanup: resources(100, 500, '256Mi', '512Mi'),
  /** The `airflow db clean` CronJob (`housekeeping.dbClean`): the ORM and one delete at a time. */
  dbClean: resources(100, 1000, '384Mi', '1Gi'),
  logGroomer: resources(10, 100, '32Mi', '128Mi'),
  /** `metrics: Metrics.statsdExporter()`: its memory grows with the series (DAGs x tasks x states). */
  statsdExporter: resources(50, 500, '64Mi', '256Mi'),
  /** `pgbouncer` of a PostgreSQL database: an event loop, a few kB per connection. */
  pgbouncer: resources(50, 500, '32Mi', '128Mi'),
  /** `pgbouncer.metrics`: the exporter sidecar, a few SHOW queries per scrape. */
  pgbouncerExporter: resources(10, 100, '16Mi', '64Mi'),
} as const;

/** Replicas per long-running component. */
export const DEFAULT_REPLICAS = {
  uiServer: 1,
  scheduler: 1,
  dagProcessor: 1,
  triggerer: 1,
  celeryWorkers: 2,
} as const;

export const DEFAULT_IMAGES = {
  redis: ContainerImage.of('redis', '7.4.3'),
  postgres: ContainerImage.of('postgres', '17.6'),
  gitSync: ContainerImage.of('registry.k8s.io/git-sync/git-sync', 'v4.7.1'),
  /** `metrics: Metrics.statsdExporter()`: the latest statsd_exporter release (0.30.0, 2026-05-28). */
  statsdExporter: ContainerImage.of('prom/statsd-exporter', 'v0.30.0'),
  /**
   * `pgbouncer` of a PostgreSQL database: edoburu's image (PgBouncer 1.25.1 on Alpine 3.22, git tag
   * v1.25.1-p0 of edoburu/docker-pgbouncer), which writes pgbouncer.ini and userlist.txt from
   * its environment at start (entrypoint.sh) and runs as `postgres` (uid 70).
   */
  pgbouncer: ContainerImage.of('edoburu/pgbouncer', 'v1.25.1-p0'),
  /**
   * `pgbouncer.metrics`: the latest pgbouncer_exporter release (git tag v0.12.1, 2026-06-26, of
   * prometheus-community/pgbouncer_exporter; CI publishes the tag to Docker Hub's prometheuscommunity).
   */
  pgbouncerExporter: ContainerImage.of('prometheuscommunity/pgbouncer-exporter', 'v0.12.1'),
} as const;

export const DEFAULTS = {
  releaseName: 'airflow',
  celeryWorkerConcurrency: 16,
  /** Warm shutdown: how long a stopping Celery worker may finish its running tasks. */
  celeryWorkerGracePeriod: Duration.minutes(10),
  flowerUsername: 'admin',
  postgresStorage: Size.gibibytes(8),
  postgresDatabase: 'airflow',
  postgresUser: 'airflow',
  postgresPort: 5432,
  podCleanupSchedule: '*/15 * * * *',
  /** `airflow db clean`: daily, at 03:00 in the CronJob controller's time zone. */
  dbCleanSchedule: '0 3 * * *',
  gitSyncRef: 'main',
  gitSyncPeriod: Duration.seconds(60),
  gitSyncDepth: 1,
  logsSizeLimit: Size.gibibytes(2),
  logsRetentionDays: 7,
  taskPodsSafeToEvict: false,
  servicePodsSafeToEvict: true,
} as const;

/** Autoscaling (`autoscaling` of the UI server, the Celery workers and the triggerer), when it is on. */
export const AUTOSCALING_DEFAULTS = {
  /** The fewest replicas an autoscaler keeps: one, so the first task or request finds a pod; 0 only where asked. */
  minReplicas: 1,
  /** The UI server's HPA: average CPU use, in percent of the CPU request, that it keeps the pods at. */
  targetCpuUtilization: 80,
  /** How often KEDA queries the database while a component is at zero (from one up, the HPA's 15 s sync drives). */
  kedaPollingInterval: Duration.seconds(15),
  /** How long nothing must be queued or running before KEDA scales to zero: a worker starts in about a minute. */
  kedaCooldownPeriod: Duration.minutes(5),
  /** The HPA waits this long for demand to stay low before it removes a KEDA-scaled pod ... */
  scaleDownStabilization: Duration.minutes(5),
  /** ... and then removes one pod per this period, so that few pods drain their tasks at once. */
  scaleDownPeriod: Duration.minutes(1),
  /** Airflow's own default of `[triggerer] capacity` (config.yml), what KEDA divides the triggers by unless `config` sets it. */
  triggererCapacity: 1000,
} as const;
