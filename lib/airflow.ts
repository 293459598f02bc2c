import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowProps, resolveAirflowProps } from './airflow-props';
import type { AuthManager } from './auth/auth-manager';
import type { CeleryWorkers } from './components/celery-workers';
import { DagProcessor } from './components/dag-processor';
import type { Flower } from './components/flower';
import { CreateAdminUserJob, MigrateDatabaseJob } from './components/jobs';
import type { KubernetesWorkerPods } from './components/kubernetes-worker-pods';
import type { PodCleanup } from './components/pod-cleanup';
import { DatabaseCleanup } from './components/database-cleanup';
import { PodLauncherRole } from './components/pod-launcher-role';
import { PodLogReaderRole } from './components/pod-log-reader-role';
import { PodWatcherRole } from './components/pod-watcher-role';
import type { StatsdExporter } from './components/statsd-exporter';
import type { Metrics } from './metrics/metrics';
import type { PgBouncer } from './components/pgbouncer';
import type { PostgreSql } from './components/postgresql';
import type { Redis } from './components/redis';
import { Scheduler } from './components/scheduler';
import { Triggerer } from './components/triggerer';
import { UiServer } from './components/ui-server';
import { AirflowConfiguration } from './config/airflow-configuration';
import { EnvAudience } from './config/environment';
import { mountFiles } from './config/files';
import { validateOptionVariables } from './config/overrides';
import type { PodOptions } from './pod/pod-options';
import { checkOutput } from './output-checks';
import { checkArguments, checkShape } from './props-shape/check-shape';
import { AirflowContext } from './context';
import type { AirflowCredentials } from './credentials';
import { IDagSource, isSelfValidating } from './dags/dag-source';
import { isDagBundlesSource } from './dags/bundles';
import { podPartsOf } from './dags/pod-parts';
import { EvictionPolicy } from './pod/eviction';
import { uiLocation } from './exposure/location';
import type { MetadataDatabase } from './database/metadata-database';
import type { CeleryWorkerSetOptions } from './executors/celery';
import type { Executor, ExecutorBinding } from './executors/executor';
import { sha256 } from './hash';
import type { ContainerImage } from './image';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { componentLabels } from './labels';
import { KubernetesApiAccess } from './kubernetes-api';
import { validateProps } from './validate-props';
import { NetworkPolicies } from './components/network-policies';
import { ServiceType } from './exposure/options';
import { validateServicePorts } from './network/validate';
import { AUTOSCALING_DEFAULTS } from './defaults';
import { ValidationErrors } from './validation';
import type { AirflowVersion } from './version';

/**
 * A complete Apache Airflow deployment: API server (webserver on Airflow 2), scheduler, DAG
 * processor, triggerer, what the executor runs tasks with, the metadata database,
 * configuration, RBAC and the migration Job.
 *
 * Escape hatches: every component is an attribute, and `ApiObject.of(component)` is its main
 * object (workload, Job, ConfigMap or Role). Patches are applied before the values derived from
 * them: a patch to a Job's spec renames the Job, a patch to `configMap` rolls the pods that read
 * it, and `kubernetesWorkerPods.addPodTemplatePatch()` reaches every task pod (docs/design.md).
 */
export class Airflow extends Construct {
  /** The release name, prefix of every object name. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly version: AirflowVersion;
  public readonly image: ContainerImage;
  public readonly executor: Executor;
  public readonly database: MetadataDatabase;
  public readonly dags: IDagSource;
  public readonly authManager: AuthManager;
  /** Where every credential comes from. */
  public readonly credentials: AirflowCredentials;
  /** Task runners may launch pods (KubernetesPodOperator). */
  public readonly kubernetesPodOperator: boolean;
  /** `airflow.cfg` as the library renders it (before any patch to `configMap`). */
  public readonly airflowCfg: string;
  /** The ConfigMap `<name>-config` holding `airflow.cfg`. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The API server on Airflow 3, the webserver on Airflow 2. */
  public readonly uiServer: UiServer;
  /** Airflow 3's API server (the same as `uiServer`). */
  public readonly apiServer?: UiServer;
  /** Airflow 2's webserver (the same as `uiServer`). */
  public readonly webserver?: UiServer;
  public readonly scheduler: Scheduler;
  /** Always on Airflow 3 (unless one per bundle); on Airflow 2 when `dagProcessor.enabled`. */
  public readonly dagProcessor?: DagProcessor;
  /** With `DagSource.bundles({ processorPerBundle: true })`: bundle name -> its DAG processor, instead of `dagProcessor`. */
  public readonly bundleDagProcessors?: { readonly [bundle: string]: DagProcessor };
  public readonly triggerer: Triggerer;
  public readonly migrateDatabaseJob: MigrateDatabaseJob;
  /** With the FAB auth manager and a first admin user. */
  public readonly createAdminUserJob?: CreateAdminUserJob;
  /** With a bundled PostgreSQL. */
  public readonly postgresql?: PostgreSql;
  /** With `pgbouncer` on a PostgreSQL database: the pooler Airflow's pods connect through. */
  public readonly pgbouncer?: PgBouncer;
  /** With `TaskLogs.sharedClaim()`: the ReadWriteMany claim `<name>-logs`, never pruned by Argo CD or Flux. */
  public readonly logsClaim?: k8s.KubePersistentVolumeClaim;
  /** With a Celery executor. */
  public readonly workers?: CeleryWorkers;
  /** With a Celery executor, unless Flower is disabled. */
  public readonly flower?: Flower;
  /** With a Celery executor and the bundled Redis (`CeleryBroker.bundledRedis()`, the default broker). */
  public readonly redis?: Redis;
  /** With a KubernetesExecutor: the task pods' template and ServiceAccount. */
  public readonly kubernetesWorkerPods?: KubernetesWorkerPods;
  /** With a KubernetesExecutor, unless the cleanup is disabled. */
  public readonly podCleanup?: PodCleanup;
  /** With `housekeeping.dbClean`: the `airflow db clean` CronJob. */
  public readonly databaseCleanup?: DatabaseCleanup;
  /** When anything may start pods. */
  public readonly podLauncherRole?: PodLauncherRole;
  /** With `kubernetesPodOperator`: the triggerer follows the pods of deferrable KubernetesPodOperator tasks. */
  public readonly podWatcherRole?: PodWatcherRole;
  /** When the UI reads task pods' logs (KubernetesExecutor). */
  public readonly podLogReaderRole?: PodLogReaderRole;
  /** Where Airflow's metrics go; none without `metrics`. */
  public readonly metrics?: Metrics;
  /** With `Metrics.statsdExporter()`: the exporter Prometheus scrapes. */
  public readonly statsdExporter?: StatsdExporter;
  /** With `networkPolicies.enabled`: the default deny and one policy per component. */
  public readonly networkPolicies?: NetworkPolicies;
  private readonly executorBinding: ExecutorBinding;
  private readonly objectMetadata: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };

  constructor(scope: Construct, id: string, props: AirflowProps = {}) {
    super(scope, id);

    checkOutput(this);
    const scopeName = `Airflow "${this.node.path}"`;

    // 0. The props' shape, for callers without types (JavaScript, JSON): unknown names, a string
    //    where a value class belongs. A broken shape stops here: nothing below could read it.
    const errors = new ValidationErrors();
    if (!checkShape(errors, '', 'AirflowProps', props ?? {})) {
      errors.throwIfAny(scopeName);
    }

    // 1. Resolve the defaults.
    const resolved = resolveAirflowProps(props ?? {}, Chart.of(this).namespace);
    this.name = resolved.name;
    this.namespace = resolved.namespace as string; // checked below, before anything is built
    this.version = resolved.version;
    this.image = resolved.image;
    this.executor = resolved.executor;
    this.database = resolved.database;
    this.dags = resolved.dags;
    this.authManager = resolved.authManager;
    this.credentials = resolved.resolvedCredentials;
    this.kubernetesPodOperator = resolved.kubernetesPodOperator;

    // 2. Validate the props, each variant's options and what the DAG source provides.
    errors.addAll(validateProps(resolved));
    if (errors.isShapeBroken) {
      errors.throwIfAny(scopeName);
    }
    const dagSource = resolved.dags.bind(this);
    const dagParts = podPartsOf(dagSource, errors, 'dags');

    // 3. Configure: airflow.cfg and the Secret-backed environment, with their problems. Every
    //    problem is reported at once, before a single object exists.
    // Where users reach the UI server: its base URL and the path it serves under.
    const ui = uiLocation(resolved);
    const config = new AirflowConfiguration({
      name: this.name,
      namespace: this.namespace,
      version: this.version,
      credentials: this.credentials,
      dagsFolder: dagSource.dagsFolder,
      standaloneDagProcessor: resolved.standaloneDagProcessor,
      ui,
      executor: this.executor._behaviour,
      database: this.database._behaviour,
      authManager: this.authManager._behaviour,
      metrics: props.metrics?._behaviour,
      taskLogs: resolved.resolvedTaskLogs._behaviour,
      overrides: props.config,
      connections: props.connections,
      variables: props.variables,
      secretsBackend: props.secretsBackend,
      localSettings: props.localSettings,
      configureDagSource: isSelfValidating(resolved.dags) ? resolved.dags._configure?.bind(resolved.dags) : undefined,
      checkLibraryOptions: errors.count === 0,
    });
    errors.addAll(config.problems);
    if (config.problems.count === 0) {
      this.executor._behaviour.validateAgainstConfig?.(errors, (section, key) => config.option(section, key));
    }
    validateServicePorts(errors, props.networkPolicies, config.connections);
    errors.throwIfAny(scopeName);
    this.airflowCfg = config.text;

    // 4. Add the components.
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${this.name}-config`, namespace: this.namespace, labels: componentLabels(this.name, 'config') },
      data: { 'airflow.cfg': config.text },
    });
    // webserver_config.py, local settings, a CA: rendered ones as ConfigMaps right after airflow.cfg.
    const files = mountFiles(this, this.name, this.namespace, config.files);
    const context = new AirflowContext({
      name: this.name,
      namespace: this.namespace,
      version: this.version,
      image: this.image,
      credentials: this.credentials,
      dags: dagParts,
      environment: config.environment,
      configMapName: configMap.name,
      // Of the file as synthesised: a patch to the ConfigMap rolls the pods that read it.
      configChecksum: () => sha256(configMap.toJson().data['airflow.cfg']),
      logs: resolved.resolvedLogs,
      eviction: new EvictionPolicy(props.clusterAutoscaler),
      files,
      pods: props.pods ?? {},
      jobPods: props.jobs?.pod,
      podDisruptionBudgets: props.podDisruptionBudgets ?? true,
      // How KEDA reaches the database, for the workers and triggerer it scales.
      databaseScaler: this.database._behaviour.kedaScaler({ name: this.name, namespace: this.namespace, version: this.version, credentials: this.credentials }),
    });
    this.configMap = configMap;

    this.postgresql = this.database._behaviour.bind(this, context);
    this.logsClaim = resolved.resolvedTaskLogs._behaviour.bind(this, context);
    this.pgbouncer = this.database._behaviour.bindPooler?.(this, context);
    // `airflow db migrate` bypasses PgBouncer: its session-level advisory lock needs one connection.
    const directDatabaseUrl = this.database._behaviour.directUrl?.({ name: this.name, namespace: this.namespace, version: this.version, credentials: this.credentials });
    this.migrateDatabaseJob = MigrateDatabaseJob._create(this, 'MigrateDatabase', { context, directDatabaseUrl });
    this.createAdminUserJob = this.authManager._behaviour.bind(this, context);

    // No broker for the UI server on either line: Airflow 2 removed the UI's "Run" action, its
    // one path to the executor, in 2.6 (#29706), and Airflow 3 leaves queueing to the scheduler.
    this.uiServer = UiServer._create(this, 'UiServer', {
      context, basePath: ui.basePath, ...(this.version.isAirflow3 ? props.apiServer : props.webserver), forwardedAllowIps: ui.trustedProxies,
    });
    this.apiServer = this.version.isAirflow3 ? this.uiServer : undefined;
    this.webserver = this.version.isAirflow3 ? undefined : this.uiServer;
    this.scheduler = Scheduler._create(this, 'Scheduler', {
      context,
      runsTasks: this.executor._behaviour.runsTasksInScheduler,
      env: context.environment.of(EnvAudience.EXECUTOR),
      ...props.scheduler,
    });
    if (isDagBundlesSource(resolved.dags) && resolved.dags.processorPerBundle) {
      // One Deployment per bundle, `<name>-dag-processor-<bundle>` (bundles are Airflow 3 only).
      const bundles = resolved.dags;
      this.bundleDagProcessors = Object.fromEntries(bundles.bundleNames.map((bundle) => {
        const own = bundles.processorOf(bundle);
        return [bundle, DagProcessor._create(this, `DagProcessor-${bundle}`, {
          context,
          ...props.dagProcessor,
          ...(own.replicas !== undefined ? { replicas: own.replicas } : {}),
          ...(own.resources !== undefined ? { resources: own.resources } : {}),
          withoutEnv: own.withoutEnv,
          bundleName: bundle,
        })];
      }));
    } else {
      this.dagProcessor = resolved.standaloneDagProcessor ? DagProcessor._create(this, 'DagProcessor', { context, ...props.dagProcessor }) : undefined;
    }
    this.triggerer = Triggerer._create(this, 'Triggerer', {
      context,
      // The triggers one triggerer runs: `[triggerer] capacity`, `default_capacity` before Airflow 3 (config.yml, 1000).
      capacity: Number(config.option('triggerer', 'capacity') ?? config.option('triggerer', 'default_capacity') ?? AUTOSCALING_DEFAULTS.triggererCapacity),
      ...props.triggerer,
    });

    const access = new KubernetesApiAccess(this.kubernetesPodOperator);
    access.addTriggerRunner(this.triggerer);
    this.executorBinding = { scope: this, context, scheduler: this.scheduler, uiServer: this.uiServer, access, config, queues: new Map() };
    const executorComponents = this.executor._behaviour.bind(this.executorBinding);
    this.workers = executorComponents.workers;
    this.flower = executorComponents.flower;
    this.redis = executorComponents.redis;
    this.kubernetesWorkerPods = executorComponents.kubernetesWorkerPods;
    this.podCleanup = executorComponents.podCleanup;
    // Off unless asked for: it deletes metadata.
    const dbClean = props.housekeeping?.dbClean;
    this.databaseCleanup = dbClean !== undefined && (dbClean.enabled ?? true)
      ? DatabaseCleanup._create(this, 'DatabaseCleanup', { context, ...dbClean })
      : undefined;

    // Off unless asked for: Airflow sends no metrics by default.
    this.metrics = props.metrics;
    this.statsdExporter = props.metrics?._behaviour.bind(this, context);

    // RBAC last, after the components it binds. The subjects are read at synth.
    if (access.podLaunchers.length > 0) {
      this.podLauncherRole = PodLauncherRole._create(this, 'PodLauncher', { context, serviceAccounts: () => access.podLaunchers, ...props.podLauncher });
    }
    if (access.podWatchers.length > 0) {
      this.podWatcherRole = PodWatcherRole._create(this, 'PodWatcher', { context, serviceAccounts: () => access.podWatchers });
    }
    if (access.podLogReaders.length > 0) {
      this.podLogReaderRole = PodLogReaderRole._create(this, 'PodLogReader', { context, serviceAccounts: () => access.podLogReaders });
    }
    // NetworkPolicies after every component: their rules are read at synth, from what registered.
    if (props.networkPolicies?.enabled === true) {
      const uiServiceType = (this.version.isAirflow3 ? props.apiServer : props.webserver)?.service?.type;
      this.networkPolicies = NetworkPolicies._create(this, 'NetworkPolicies', {
        ...props.networkPolicies,
        context,
        uiReachedFromOutside: uiServiceType !== undefined && uiServiceType !== ServiceType.CLUSTER_IP,
        connections: config.connections,
      });
    }
    this.objectMetadata = { labels: props.labels, annotations: props.annotations };
    this.labelObjects();
    // AIRFLOW__* variables of pod options are config too: checked at synth, once every component
    // (a worker set added later included) has registered its pods.
    this.node.addValidation({ validate: () => optionVariableProblems(context, props.pods, config.owners) });
  }

  /** The user's labels and annotations on every object of the deployment, those added later too. */
  private labelObjects(): void {
    for (const object of this.node.findAll().filter(ApiObject.isApiObject)) {
      for (const [key, value] of Object.entries(this.objectMetadata.labels ?? {})) {
        object.metadata.addLabel(key, value);
      }
      for (const [key, value] of Object.entries(this.objectMetadata.annotations ?? {})) {
        object.metadata.addAnnotation(key, value);
      }
    }
  }

  /**
   * Adds a group of Celery workers that takes tasks from queues of its own, with its own size
   * and resources: `<name>-worker-<set>`, a StatefulSet behind a headless Service like the default
   * workers, which keep the default queue. A task goes to it with `queue="<queue>"`. It gets what
   * every worker gets: the DAGs, the broker, and with `kubernetesPodOperator` the pod-launcher Role.
   * Needs a Celery executor; fails with every problem listed, before adding anything.
   * @param name the set's name, part of its objects' names, e.g. `gpu`
   */
  public addWorkerSet(name: string, options: CeleryWorkerSetOptions): CeleryWorkers {
    const errors = new ValidationErrors();
    if (!checkArguments(errors, '', 'Airflow.addWorkerSet', [name, options])) {
      errors.throwIfAny(`Airflow "${this.node.path}", addWorkerSet(${JSON.stringify(name)})`);
    }
    const addWorkerSet = this.executor._behaviour.addWorkerSet?.bind(this.executor._behaviour);
    if (addWorkerSet === undefined) {
      errors.add('executor', this.executor.configValue(this.version), 'worker sets are groups of Celery workers',
        'use Executor.celery() or Executor.celeryAndKubernetes()');
    }
    const workers = addWorkerSet?.(this.executorBinding, name, options, errors);
    errors.throwIfAny(`Airflow "${this.node.path}", addWorkerSet("${name}")`);
    this.networkPolicies?._addPolicies();
    this.labelObjects();
    // Without a problem the executor added the set.
    return workers!;
  }
}

/**
 * The `AIRFLOW__<SECTION>__<OPTION>` variables of the library-wide `pods` and of each Airflow
 * component's own pod options, checked as `config` is (lib/config/overrides.ts
 * `validateOptionVariables`).
 */
function optionVariableProblems(context: AirflowContext, pods: PodOptions | undefined, owners: ReadonlyMap<string, string>): string[] {
  const errors = new ValidationErrors();
  validateOptionVariables(pods?.env ?? [], context.version, owners, errors, 'pods');
  for (const { component, env } of context.podOptionVariables) {
    validateOptionVariables(env(), context.version, owners, errors, `the pod options of ${component}`);
  }
  return [...errors.messages];
}

