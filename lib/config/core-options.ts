import { AIRFLOW_LOGS_PATH, PORTS, executionApiUrl } from '../context';
import type { AirflowCredentials } from '../credentials';
import { fromSecret } from '../pod/secret-env';
import type { AirflowVersion } from '../version';
import type { ConfigContributions } from './contributions';
import { EnvAudience } from './environment';
import { optionRow } from './option-table';

/** What the options every deployment writes depend on. */
export interface CoreFacts {
  readonly name: string;
  readonly version: AirflowVersion;
  readonly credentials: AirflowCredentials;
  /** `[core] dags_folder`, from the DAG source. */
  readonly dagsFolder: string;
  /** Airflow 2: DAG files are parsed by a separate DAG processor, not the scheduler. */
  readonly standaloneDagProcessor: boolean;
}

/**
 * The options of every deployment, whatever its executor, database, DAG source and auth manager:
 * where DAGs and logs are, the ports the Services expose, the execution API, and the keys every
 * Airflow process shares, from the credentials Secret.
 */
export function configureCore(config: ConfigContributions, facts: CoreFacts): void {
  const { version, credentials } = facts;
  config.set('core', 'dags_folder', facts.dagsFolder, 'dags');
  config.setDefault('core', 'load_examples', false);
  config.set('logging', 'base_log_folder', AIRFLOW_LOGS_PATH, '(fixed: the logs volume is mounted there)');
  config.set('logging', 'worker_log_server_port', PORTS.workerLogs, '(fixed: the worker Service exposes it)');
  config.set('logging', 'trigger_log_server_port', PORTS.triggererLogs, '(fixed: the triggerer Service exposes it)');
  // Plain log lines: collectors read container logs, ANSI colours only get in the way.
  config.setDefault('logging', 'colored_console_log', false);
  if (version.isAirflow3) {
    config.set('core', 'execution_api_server_url', executionApiUrl(facts.name), 'name (the API server Service)');
    config.set('api', 'port', PORTS.uiServer, '(fixed: the API server Service exposes it)');
  } else {
    config.set('webserver', 'web_server_port', PORTS.uiServer, '(fixed: the webserver Service exposes it)');
    // Written either way: turning it on without the DAG processor Deployment would stop DAG parsing.
    config.set('scheduler', 'standalone_dag_processor', facts.standaloneDagProcessor, 'dagProcessor.enabled');
  }

  config.setFromEnvironment(EnvAudience.ALL, 'core', 'fernet_key', fromSecret(credentials.fernetKey), 'credentials.fernetKey');
  // Shared by the UI server and the log servers: `[api] secret_key` from 3.0.2, `[webserver] secret_key` before.
  const secretKeySection = optionRow(version, 'api', 'secret_key') !== undefined ? 'api' : 'webserver';
  config.setFromEnvironment(EnvAudience.ALL, secretKeySection, 'secret_key', fromSecret(credentials.apiSecretKey), 'credentials.apiSecretKey');
  if (version.isAirflow3) {
    config.setFromEnvironment(EnvAudience.ALL, 'api_auth', 'jwt_secret', fromSecret(credentials.jwtSecret), 'credentials.jwtSecret');
  }
}
