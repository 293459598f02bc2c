import { AuthManager } from '../auth-manager';
import { AIRFLOW_LOGS_PATH, PORTS, executionApiUrl } from '../context';
import { DagSource } from '../dag-source';
import { Executor } from '../executor';
import { ConfigSections } from './airflow-config';

/** The props the library's configuration depends on. */
export interface ConfigInputs {
  readonly name: string;
  readonly executor: Executor;
  readonly dags: DagSource;
  readonly authManager: AuthManager;
}

/** The library's `airflow.cfg`: what the deployment's shape requires plus production-minded defaults. */
export function libraryDefaults(context: ConfigInputs): ConfigSections {
  const sections: ConfigSections = {
    core: {
      executor: context.executor.name,
      dags_folder: context.dags.dagsFolder,
      auth_manager: context.authManager.className,
      execution_api_server_url: executionApiUrl(context.name),
      load_examples: false,
      ...context.authManager.coreOptions,
    },
    api: {
      port: PORTS.apiServer,
    },
    logging: {
      base_log_folder: AIRFLOW_LOGS_PATH,
      worker_log_server_port: PORTS.workerLogs,
      trigger_log_server_port: PORTS.triggererLogs,
      // Plain log lines: collectors read container logs, ANSI colours only get in the way.
      colored_console_log: false,
    },
  };
  const celery = context.executor.celery;
  if (celery) {
    sections.celery = { worker_concurrency: celery.workers?.concurrency ?? 16 };
  }
  return sections;
}
