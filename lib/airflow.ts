import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { AuthManager } from './auth-manager';
import { ApiServer, ApiServerOptions } from './components/api-server';
import { CeleryWorkers } from './components/celery-workers';
import { DagProcessor, DagProcessorOptions } from './components/dag-processor';
import { Flower } from './components/flower';
import { CreateAdminUserJob, MigrateDatabaseJob } from './components/jobs';
import { KubernetesWorkerPods } from './components/kubernetes-worker-pods';
import { PodCleanup } from './components/pod-cleanup';
import { PodLauncherOptions, PodLauncherRole } from './components/pod-launcher-role';
import { PodLogReaderRole } from './components/pod-log-reader-role';
import { PostgreSql } from './components/postgresql';
import { Redis } from './components/redis';
import { Scheduler, SchedulerOptions } from './components/scheduler';
import { Triggerer, TriggererOptions } from './components/triggerer';
import { UiServer } from './components/ui-server';
import { Webserver, WebserverOptions } from './components/webserver';
import { AirflowConfigOptions, mergeSections, overrideSections, renderAirflowCfg, validateDefaults, validateOverrides } from './config/airflow-config';
import { libraryConfig } from './config/defaults';
import { AirflowContext } from './context';
import { AirflowCredentials, AirflowCredentialsProps } from './credentials';
import { DagSource } from './dag-source';
import { MetadataDatabase } from './database';
import { Executor } from './executor';
import { ContainerImage } from './image';
import { sha256 } from './hash';
import { AirflowVersion } from './version';
import { validateProps } from './validate-props';

export interface AirflowProps {
  /**
   * The release name: prefix of every object name (`<name>-scheduler`) and the
   * `app.kubernetes.io/instance` label.
   * @default 'airflow'
   */
  readonly name?: string;
  /**
   * The namespace of every object.
   * @default - the enclosing chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** @default AirflowVersion.V3_1_7 */
  readonly version?: AirflowVersion;
  /**
   * The Airflow image; its tag should match `version`.
   * @default apache/airflow:<version>
   */
  readonly image?: ContainerImage;
  /** @default Executor.celery() */
  readonly executor?: Executor;
  /** @default MetadataDatabase.bundledPostgres() */
  readonly database?: MetadataDatabase;
  /** @default DagSource.fromImage() */
  readonly dags?: DagSource;
  /** @default AuthManager.fab() - with a first admin user `admin` */
  readonly authManager?: AuthManager;
  /** @default - every credential from the Secret `<name>-credentials` */
  readonly credentials?: AirflowCredentialsProps;
  /**
   * `airflow.cfg` overrides, section -> option -> value, merged over the library's defaults.
   * Every option is checked against the Airflow configuration spec of `version`.
   * @default - the library's defaults only
   */
  readonly config?: AirflowConfigOptions;
  /** The API server (Airflow 3). */
  readonly apiServer?: ApiServerOptions;
  /** The webserver (Airflow 2). */
  readonly webserver?: WebserverOptions;
  readonly scheduler?: SchedulerOptions;
  readonly dagProcessor?: DagProcessorOptions;
  readonly triggerer?: TriggererOptions;
  /**
   * Let tasks run pods (KubernetesPodOperator) in the namespace: whatever runs tasks (Celery
   * workers, KubernetesExecutor task pods, or the scheduler with the LocalExecutor) gets its
   * ServiceAccount token mounted and bound to a pod-launcher Role. With false, task runners get
   * no Kubernetes API access at all.
   * @default true
   */
  readonly kubernetesPodOperator?: boolean;
  /** @default - pods, pods/log and events only, no exec */
  readonly podLauncher?: PodLauncherOptions;
}

/**
 * A complete Apache Airflow deployment: API server (webserver on Airflow 2), scheduler, DAG
 * processor, triggerer, what the executor runs tasks with, the metadata database,
 * configuration, RBAC and the migration Job.
 */
export class Airflow extends Construct {
  /** The shared facts every component was built from. */
  public readonly context: AirflowContext;
  /** The rendered `airflow.cfg`. */
  public readonly airflowCfg: string;
  public readonly configMap: k8s.KubeConfigMap;
  /** The API server on Airflow 3, the webserver on Airflow 2. */
  public readonly uiServer: UiServer;
  /** Airflow 3's API server. */
  public readonly apiServer?: ApiServer;
  /** Airflow 2's webserver. */
  public readonly webserver?: Webserver;
  public readonly scheduler: Scheduler;
  /** Always on Airflow 3; on Airflow 2 when `dagProcessor.enabled`. */
  public readonly dagProcessor?: DagProcessor;
  public readonly triggerer: Triggerer;
  public readonly migrateDatabaseJob: MigrateDatabaseJob;
  public readonly createAdminUserJob?: CreateAdminUserJob;
  public readonly workers?: CeleryWorkers;
  public readonly flower?: Flower;
  public readonly redis?: Redis;
  public readonly postgresql?: PostgreSql;
  /** The KubernetesExecutor's task pods (pod template and ServiceAccount). */
  public readonly kubernetesWorkerPods?: KubernetesWorkerPods;
  public readonly podCleanup?: PodCleanup;
  public readonly podLauncherRole?: PodLauncherRole;
  public readonly podLogReaderRole?: PodLogReaderRole;

  constructor(scope: Construct, id: string, props: AirflowProps = {}) {
    super(scope, id);
    const name = props.name ?? 'airflow';
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const version = props.version ?? AirflowVersion.V3_1_7;
    const image = props.image ?? ContainerImage.of('apache/airflow', version.toString());
    const executor = props.executor ?? Executor.celery();
    const database = props.database ?? MetadataDatabase.bundledPostgres();
    const dags = props.dags ?? DagSource.fromImage();
    const authManager = props.authManager ?? AuthManager.fab();
    const overrides = overrideSections(props.config);

    const standaloneDagProcessor = version.isAirflow3 || (props.dagProcessor?.enabled ?? false);

    // Every problem is collected and reported at once, before a single object exists.
    const errors = validateProps({ ...props, name, namespace, version, image, dags, executor, authManager });
    const config = libraryConfig({ name, namespace: namespace ?? '', version, executor, dags, authManager, standaloneDagProcessor });
    if (version.problems().length === 0) {
      validateOverrides(overrides, version, errors);
      // What the library writes is checked once the input is valid: a mistake in the input (an
      // auth manager of the wrong Airflow line, say) would otherwise surface twice.
      if (errors.count === 0) {
        validateDefaults(config, version, errors);
      }
    }
    errors.throwIfAny(`Airflow "${this.node.path}"`);

    this.airflowCfg = renderAirflowCfg(mergeSections(config.file, overrides));
    const context = new AirflowContext({
      name,
      namespace,
      version,
      image,
      executor,
      database,
      dags,
      authManager,
      credentials: new AirflowCredentials(name, props.credentials),
      configMapName: `${name}-config`,
      configChecksum: sha256(this.airflowCfg),
    });
    this.context = context;

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: context.metadata('config', context.configMapName),
      data: { 'airflow.cfg': this.airflowCfg },
    });

    if (database.bundled) {
      this.postgresql = new PostgreSql(this, 'PostgreSql', { context, ...database.bundled });
    }
    this.migrateDatabaseJob = new MigrateDatabaseJob(this, 'MigrateDatabase', { context });
    if (authManager.adminUser) {
      this.createAdminUserJob = new CreateAdminUserJob(this, 'CreateAdminUser', { context });
    }

    const podOperator = props.kubernetesPodOperator ?? true;
    const celery = executor.celery;
    const kubernetes = executor.kubernetes;
    if (version.isAirflow3) {
      this.apiServer = new ApiServer(this, 'ApiServer', { context, kubernetesApiAccess: kubernetes !== undefined, ...props.apiServer });
      this.uiServer = this.apiServer;
    } else {
      this.webserver = new Webserver(this, 'Webserver', { context, kubernetesApiAccess: kubernetes !== undefined, ...props.webserver });
      this.uiServer = this.webserver;
    }
    if (kubernetes) {
      this.kubernetesWorkerPods = new KubernetesWorkerPods(this, 'KubernetesWorkerPods', {
        context,
        kubernetesApiAccess: podOperator,
        ...kubernetes.workerPods,
      });
    }
    this.scheduler = new Scheduler(this, 'Scheduler', {
      context,
      kubernetesWorkerPods: this.kubernetesWorkerPods,
      kubernetesApiAccess: kubernetes !== undefined || (executor.runsTasksInScheduler && podOperator),
      ...props.scheduler,
    });
    if (standaloneDagProcessor) {
      this.dagProcessor = new DagProcessor(this, 'DagProcessor', { context, ...props.dagProcessor });
    }
    this.triggerer = new Triggerer(this, 'Triggerer', { context, ...props.triggerer });

    if (celery) {
      this.redis = new Redis(this, 'Redis', { context, ...celery.redis });
      this.workers = new CeleryWorkers(this, 'Workers', { context, kubernetesApiAccess: podOperator, ...celery.workers });
      if (celery.flower?.enabled ?? true) {
        this.flower = new Flower(this, 'Flower', { context, username: celery.flower?.username, resources: celery.flower?.resources });
      }
    }

    // Who starts pods: the scheduler for the KubernetesExecutor; whatever runs tasks, for
    // KubernetesPodOperator.
    const launchers = new Set<string>();
    if (kubernetes) {
      launchers.add(context.resourceName('scheduler'));
    }
    if (podOperator) {
      if (celery) {
        launchers.add(context.resourceName('worker'));
      }
      if (kubernetes) {
        launchers.add(context.resourceName('kubernetes-worker'));
      }
      if (executor.runsTasksInScheduler) {
        launchers.add(context.resourceName('scheduler'));
      }
    }
    if (launchers.size > 0) {
      this.podLauncherRole = new PodLauncherRole(this, 'PodLauncher', { context, serviceAccountNames: [...launchers], ...props.podLauncher });
    }
    if (kubernetes) {
      this.podLogReaderRole = new PodLogReaderRole(this, 'PodLogReader', { context, serviceAccountNames: [this.uiServer.serviceAccount.name] });
      if (kubernetes.cleanup?.enabled ?? true) {
        this.podCleanup = new PodCleanup(this, 'PodCleanup', { context, schedule: kubernetes.cleanup?.schedule });
      }
    }
  }
}
