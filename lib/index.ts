// The public API of cdk8s-airflow, by name. Everything else under lib/ is internal and may change
// in any release: the context components share, ports and paths, the builders of pods and
// configuration, and the implementation behind each variant class.

// The constructs.
export { Airflow } from './airflow';
export type { AirflowProps, JobsOptions } from './airflow-props';
export { AirflowChart, PodSecurityLevel } from './airflow-chart';
export type { AirflowChartProps } from './airflow-chart';

// Value types.
export { AirflowVersion } from './version';
export { ContainerImage, ImagePullPolicy } from './image';
export { SecretKey, AirflowCredentials } from './credentials';
export { ConfigFile } from './config/files';
export type { SecretsBackendOptions } from './config/secrets-access';
export type { AirflowCredentialsProps } from './credentials';
export type { LogsOptions } from './pod/logs';
export { TaskLogs, RemoteLogStore } from './pod/task-logs';
export type { SharedClaimLogsOptions, RemoteLogsOptions } from './pod/task-logs';
export type { HousekeepingOptions, DbCleanOptions } from './housekeeping';
export type { ClusterAutoscalerOptions } from './pod/eviction';
export type { PodOptions } from './pod/pod-options';
export { ServiceType } from './exposure/options';
export { NetworkProtocol } from './network/options';
export type { NetworkPolicyOptions, NetworkPeer, NetworkPort, NetworkEgressRule, NetworkIngressRule, NetworkServicePorts } from './network/options';
export type { UiServiceOptions, IngressOptions, HttpRouteOptions, GatewayParentReference } from './exposure/options';

// Variants, made by their static methods, and their options.
export { Executor } from './executors/executor';
export type { CeleryExecutorOptions, CeleryWorkerOptions, CeleryWorkerSetOptions, FlowerOptions, RedisOptions, RedisPersistenceOptions } from './executors/celery';
export { CeleryBroker, CeleryResultBackend } from './executors/celery-broker';
export type { ExternalRedisOptions, RedisTlsOptions } from './executors/celery-broker';
export type { KubernetesExecutorOptions, WorkerPodOptions, PodCleanupOptions } from './executors/kubernetes';
export type { CeleryKubernetesExecutorOptions } from './executors/celery-kubernetes';
export { MetadataDatabase } from './database/metadata-database';
export type { BundledPostgresOptions } from './database/bundled-postgres';
export type { PgBouncerOptions, PgBouncerMetricsOptions } from './database/pgbouncer';
export type { ExternalPostgresOptions } from './database/external-postgres';
export type { ExternalMySqlOptions } from './database/external-mysql';
export type { DatabaseFromSecretOptions, KedaConnectionOptions } from './database/from-secret';
export { DagSource } from './dags/dag-source';
export type { IDagSource, DagSourceConfig } from './dags/dag-source';
export type { GitSyncOptions } from './dags/git-sync';
export type { DagFilesOptions } from './dags/files';
export type { BundleProcessorOptions, DagBundlesOptions, GitDagBundleOptions, LocalDagBundleOptions } from './dags/bundles';
export { GitAuth } from './dags/git-auth';
export type { GitHttpsTokenOptions, GitSshOptions } from './dags/git-auth';
export { AuthManager } from './auth/auth-manager';
export type { FabAuthManagerOptions, AdminUserOptions } from './auth/fab';
export type { SimpleAuthManagerOptions } from './auth/simple';
export { Metrics } from './metrics/metrics';
export type { StatsdExporterOptions, StatsdMapping, ServiceMonitorOptions, OpenTelemetryMetricsOptions } from './metrics/metrics';

// `airflow.cfg` overrides with the spec's names and types (TypeScript only).
export { airflowConfig } from './config/typed-config';
export type { AirflowConfigOptions } from './config/typed-config';

// The components: the types of `Airflow`'s attributes, and the options of those set by props.
export { UiServer } from './components/ui-server';
export type { UiServerOptions } from './components/ui-server';
export type { UiServerAutoscalingOptions, KedaAutoscalingOptions } from './components/autoscaling';
export { Scheduler } from './components/scheduler';
export type { SchedulerOptions } from './components/scheduler';
export { DagProcessor } from './components/dag-processor';
export type { DagProcessorOptions } from './components/dag-processor';
export { Triggerer } from './components/triggerer';
export type { TriggererOptions } from './components/triggerer';
export { CeleryWorkers } from './components/celery-workers';
export { Flower } from './components/flower';
export { Redis } from './components/redis';
export { PostgreSql } from './components/postgresql';
export { PgBouncer } from './components/pgbouncer';
export { MigrateDatabaseJob, CreateAdminUserJob } from './components/jobs';
export { KubernetesWorkerPods } from './components/kubernetes-worker-pods';
export { PodCleanup } from './components/pod-cleanup';
export { DatabaseCleanup } from './components/database-cleanup';
export { PodLauncherRole } from './components/pod-launcher-role';
export type { PodLauncherOptions } from './components/pod-launcher-role';
export { PodLogReaderRole } from './components/pod-log-reader-role';
export { PodWatcherRole } from './components/pod-watcher-role';
export { StatsdExporter } from './components/statsd-exporter';
export { NetworkPolicies } from './components/network-policies';
