import { AuthManager } from '../auth-manager';
import { AIRFLOW_LOGS_PATH, POD_TEMPLATE_PATH, PORTS, executionApiUrl } from '../context';
import { DagSource } from '../dag-source';
import { Executor } from '../executor';
import { AirflowVersion } from '../version';
import { LibraryConfig } from './airflow-config';
import { optionRow } from './option-table';

/** The props the library's configuration depends on. */
export interface ConfigInputs {
  readonly name: string;
  readonly namespace: string;
  readonly version: AirflowVersion;
  readonly executor: Executor;
  readonly dags: DagSource;
  readonly authManager: AuthManager;
  /** Airflow 2 only: DAG files are parsed by a separate DAG processor, not the scheduler. */
  readonly standaloneDagProcessor: boolean;
}

/** An option as [section, option]. */
export type OptionName = readonly [string, string];

/**
 * The options the library sets from Secrets, as `AIRFLOW__…` environment variables, by what they
 * hold. One list for the pods that set them and for the synth-time check of their names.
 */
export interface SecretOptions {
  readonly fernetKey: OptionName;
  /** Shared by the UI server and the log servers: `[api] secret_key` from 3.0.2, `[webserver] secret_key` before. */
  readonly secretKey: OptionName;
  /** Airflow 3 only. */
  readonly jwtSecret?: OptionName;
  readonly databaseConnection: OptionName;
  readonly celeryBrokerUrl: OptionName;
  readonly celeryResultBackend: OptionName;
  readonly flowerBasicAuth: OptionName;
}

export function secretOptions(version: AirflowVersion): SecretOptions {
  return {
    fernetKey: ['core', 'fernet_key'],
    secretKey: optionRow(version, 'api', 'secret_key') !== undefined ? ['api', 'secret_key'] : ['webserver', 'secret_key'],
    jwtSecret: version.isAirflow3 ? ['api_auth', 'jwt_secret'] : undefined,
    databaseConnection: ['database', 'sql_alchemy_conn'],
    celeryBrokerUrl: ['celery', 'broker_url'],
    celeryResultBackend: ['celery', 'result_backend'],
    flowerBasicAuth: ['celery', 'flower_basic_auth'],
  };
}

/**
 * The library's configuration: what the deployment's shape requires plus production-minded
 * defaults in `airflow.cfg`, and the options it sets from Secrets through the environment.
 */
export function libraryConfig(inputs: ConfigInputs): LibraryConfig {
  const { version, executor } = inputs;
  const file: LibraryConfig['file'] = {
    core: {
      executor: executor.configValue(version),
      dags_folder: inputs.dags.dagsFolder,
      auth_manager: inputs.authManager.className,
      load_examples: false,
      ...inputs.authManager.coreOptions,
    },
    logging: {
      base_log_folder: AIRFLOW_LOGS_PATH,
      worker_log_server_port: PORTS.workerLogs,
      trigger_log_server_port: PORTS.triggererLogs,
      // Plain log lines: collectors read container logs, ANSI colours only get in the way.
      colored_console_log: false,
    },
  };
  if (version.isAirflow3) {
    file.core.execution_api_server_url = executionApiUrl(inputs.name);
    file.api = { port: PORTS.apiServer };
  } else {
    file.webserver = { web_server_port: PORTS.apiServer };
    if (inputs.standaloneDagProcessor) {
      file.scheduler = { standalone_dag_processor: true };
    }
  }
  if (executor.celery) {
    file.celery = { worker_concurrency: executor.celery.workers?.concurrency ?? 16 };
  }
  if (executor.kubernetes) {
    // The provider's default namespace is "default": task pods must start next to the scheduler.
    file.kubernetes_executor = { namespace: inputs.namespace, pod_template_file: POD_TEMPLATE_PATH };
  }

  const secrets = secretOptions(version);
  const environment = [secrets.fernetKey, secrets.secretKey, secrets.jwtSecret, secrets.databaseConnection];
  if (executor.celery) {
    environment.push(secrets.celeryBrokerUrl, secrets.celeryResultBackend, secrets.flowerBasicAuth);
  }
  return { file, environment: environment.filter((o): o is OptionName => o !== undefined) };
}
