// The public API of cdk8s-airflow. Everything a consumer may use is exported here, by name.

export { Airflow, AirflowProps } from './airflow';
export { AirflowChart, AirflowChartProps, PodSecurityLevel } from './airflow-chart';
export { AirflowVersion } from './version';
export { ContainerImage, ImagePullPolicy } from './image';
export {
  Executor, ExecutorKind, CeleryExecutorOptions, CeleryWorkerOptions, FlowerOptions, RedisOptions, KubernetesExecutorOptions,
  CeleryKubernetesExecutorOptions, WorkerPodOptions, PodCleanupOptions,
} from './executor';
export { MetadataDatabase, BundledPostgresOptions, ExternalPostgresOptions } from './database';
export { DagSource, GitAuth, GitSyncOptions, GitHttpsTokenOptions, GitSshOptions } from './dag-source';
export { AuthManager, AdminUserOptions, FabAuthManagerOptions, SimpleAuthManagerOptions } from './auth-manager';
export { SecretKey, AirflowCredentials, AirflowCredentialsProps, CREDENTIAL_KEYS } from './credentials';
export { credentialsSecretManifest, CredentialsSecretOptions } from './secrets-manifest';
export { AirflowConfigOptions, ConfigSections, ConfigValue } from './config/airflow-config';
export { AirflowContext, AirflowContextProps, PORTS } from './context';
export { AirflowConfigurationError } from './validation';

// Components, for charts that compose Airflow piece by piece.
export { UiServer, UiServerOptions, UiServerProps } from './components/ui-server';
export { ApiServer, ApiServerOptions, ApiServerProps } from './components/api-server';
export { Webserver, WebserverOptions, WebserverProps } from './components/webserver';
export { Scheduler, SchedulerOptions, SchedulerProps } from './components/scheduler';
export { DagProcessor, DagProcessorOptions, DagProcessorProps } from './components/dag-processor';
export { Triggerer, TriggererOptions, TriggererProps } from './components/triggerer';
export { CeleryWorkers, CeleryWorkersProps } from './components/celery-workers';
export { Flower, FlowerProps } from './components/flower';
export { Redis, RedisProps } from './components/redis';
export { PostgreSql, PostgreSqlProps } from './components/postgresql';
export { MigrateDatabaseJob, CreateAdminUserJob } from './components/jobs';
export { PodLauncherRole, PodLauncherRoleProps, PodLauncherOptions } from './components/pod-launcher-role';
export { PodLogReaderRole, PodLogReaderRoleProps } from './components/pod-log-reader-role';
export { KubernetesWorkerPods, KubernetesWorkerPodsProps } from './components/kubernetes-worker-pods';
export { PodCleanup, PodCleanupProps } from './components/pod-cleanup';
