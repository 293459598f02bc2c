import { AIRFLOW_LOGS_PATH, PORTS, executionApiUrl } from '../context';
import type { UiLocation } from '../exposure/location';
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
  /** Where users reach the UI server: the base URL its routes give, and the path it serves under. */
  readonly ui: UiLocation;
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
  // The base URL follows from the UI server's Ingress or HTTPRoute: host and path. Without
  // routes, `config` may set it (for an Ingress of your own); the path is followed below either way.
  if (facts.ui.route !== undefined) {
    config.set(version.isAirflow3 ? 'api' : 'webserver', 'base_url', facts.ui.route.baseUrl, facts.ui.route.owner);
  }
  if (version.isAirflow3) {
    // The API server serves everything under the path of `[api] base_url`, the execution API
    // included: the app is created with `root_path` = that path and mounts the execution API at
    // `/execution` (airflow-core/src/airflow/api_fastapi/app.py L44-47, L84, L94), and a mounted
    // app only matches requests under the root path (starlette/routing.py `Mount.matches` gives the
    // mounted app `root_path + "/execution"`, which a request path `/execution/...` does not start
    // with, so `get_route_path` leaves it whole and no route matches): the workers' calls
    // to the Service URL without the path answer 404 (apache/airflow#51450, on 3.0.1; the Helm
    // chart adds the path since #51454). The workers read this URL (task-sdk
    // execution_time/execute_workload.py L58-63; celery provider celery_executor_utils.py L195-208).
    config.set('core', 'execution_api_server_url', executionApiUrl(facts.name, facts.ui.basePath), 'name (the API server Service)');
    config.set('api', 'port', PORTS.uiServer, '(fixed: the API server Service exposes it)');
  } else {
    config.set('webserver', 'web_server_port', PORTS.uiServer, '(fixed: the webserver Service exposes it)');
    // Forwarded headers behind an Ingress or HTTPRoute: werkzeug's ProxyFix, one hop of each header
    // (airflow/www/extensions/init_wsgi_middlewares.py, `proxy_fix_x_*` fall back to 1).
    if (facts.ui.trustedProxies.length > 0) {
      config.set('webserver', 'enable_proxy_fix', true, 'webserver.trustedProxies');
    }
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
