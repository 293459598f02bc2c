import { AIRFLOW_HOME } from '../context';
import { SecretKey } from '../credentials';
import { fromSecret } from '../pod/secret-env';
import { checkArguments } from '../props-shape/check-shape';
import { ValidationErrors } from '../validation';
import { configMapKeyProblem, dns1123SubdomainProblem } from '../validation/kubernetes-names';
import type { ConfigContributions } from './contributions';
import { EnvAudience } from './environment';
import { ConfigFile, EVERY_AIRFLOW_POD, PodFile } from './files';

/** The core secrets backend that reads local files (airflow/secrets/local_filesystem.py on both lines). */
const LOCAL_FILESYSTEM_BACKEND = 'airflow.secrets.local_filesystem.LocalFilesystemBackend';

/**
 * An Airflow secrets backend (`[secrets] backend`): where Airflow looks up connections, variables
 * and `_secret` configuration values before the environment and the metadata database.
 */
export interface SecretsBackendOptions {
  /**
   * The backend's class, e.g. `airflow.providers.hashicorp.secrets.vault.VaultBackend`; its
   * provider must be installed in the image.
   */
  readonly backend: string;
  /**
   * `[secrets] backend_kwargs`, the JSON object of the backend's constructor arguments, from a key
   * of a Secret: the spec marks the option sensitive (it often holds a token or role id).
   * @default - no arguments
   */
  readonly kwargs?: SecretKey;
}

/** What the `Airflow` props say about connections, variables, the secrets backend and local settings. */
export interface SecretsAccessProps {
  readonly connections?: { readonly [connId: string]: SecretKey };
  readonly variables?: { readonly [key: string]: SecretKey };
  readonly secretsBackend?: SecretsBackendOptions;
  readonly localSettings?: ConfigFile;
}

/**
 * Connection ids and variable keys become environment variable names, `AIRFLOW_CONN_<ID>` and
 * `AIRFLOW_VAR_<KEY>`, upper-cased (EnvironmentVariablesBackend, airflow-core
 * secrets/environment_variables.py L40 and L56 at dda8d2786710; airflow/secrets/environment_variables.py
 * L34 and L43 at 8c9d251efb). The characters both Airflow's connection ids
 * (`RE_SANITIZE_CONN_ID`, models/connection.py L48: `[\w#!()\-.:/\\]`, at most 250) and a
 * Kubernetes 1.27 variable name (`[-._a-zA-Z][-._a-zA-Z0-9]*`) take.
 */
const ENV_KEY = /^[A-Za-z0-9_.-]+$/;
/** `CONN_ID_MAX_LEN` (models/connection.py L50), and the length of a variable key (`ID_LEN`). */
const MAX_KEY_LENGTH = 250;
/** A Python import path of a class: `package.module.Class`. */
const PYTHON_CLASS_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Rendered files stay well below what a client-side `kubectl apply` keeps in its annotation (256 KiB). */
const MAX_RENDERED_FILE_BYTES = 200 * 1024;

/** The environment variable names of connections and variables. */
export const CONN_ENV_PREFIX = 'AIRFLOW_CONN_';
export const VAR_ENV_PREFIX = 'AIRFLOW_VAR_';

/** `airflow_local_settings.py`: imported from `$AIRFLOW_HOME/config`, which every Airflow process puts on `sys.path`. */
export const LOCAL_SETTINGS_PATH = `${AIRFLOW_HOME}/config/airflow_local_settings.py`;

/** Records a problem unless `key` is a Secret name and a key the API server takes. */
export function validateSecretKey(errors: ValidationErrors, property: string, key: SecretKey | undefined): void {
  if (key === undefined || !checkArguments(errors, property, 'SecretKey.of', [key.secretName, key.key])) {
    return;
  }
  const problem = secretKeyProblem(key);
  if (problem !== undefined) {
    errors.add(property, `${key.secretName}/${key.key}`, `not a valid Secret name and key: ${problem}`,
      'use SecretKey.of("secret-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."');
  }
}

/** Why a Secret name and key would be refused by the API server (the name) or never resolve (the key); undefined when both are fine. */
export function secretKeyProblem(key: { readonly secretName: string; readonly key: string }): string | undefined {
  return nameAndKeyProblem(key.secretName, key.key);
}

/** Why the name of a Secret or ConfigMap, or a key of its data, is not one Kubernetes takes; undefined when both are. */
export function nameAndKeyProblem(name: unknown, key: unknown): string | undefined {
  const nameProblem = typeof name === 'string' ? dns1123SubdomainProblem(name) : 'must be a string';
  const keyProblem = typeof key === 'string' ? configMapKeyProblem(key) : 'must be a string';
  return nameProblem !== undefined ? `the name ${nameProblem}` : keyProblem !== undefined ? `the key ${keyProblem}` : undefined;
}

/** Records the problems of a file's source: rendered text, or a key of a ConfigMap or Secret. */
export function validateConfigFile(errors: ValidationErrors, property: string, file: ConfigFile | undefined): void {
  const source = file?._source;
  if (source === undefined) {
    return;
  }
  switch (source.kind) {
    case 'inline':
      if (typeof source.content !== 'string' || source.content.trim() === '') {
        errors.add(property, source.content, 'the file\'s text must be a non-empty string', 'give the file\'s content, e.g. ConfigFile.fromString(fs.readFileSync(\'webserver_config.py\', \'utf8\'))');
      } else if (Buffer.byteLength(source.content) > MAX_RENDERED_FILE_BYTES) {
        errors.add(property, `${Buffer.byteLength(source.content)} bytes`, `a rendered file may hold at most ${MAX_RENDERED_FILE_BYTES} bytes (a client-side kubectl apply keeps a copy of each object in a 256 KiB annotation)`,
          'keep the file in a ConfigMap of your own: ConfigFile.fromConfigMap(name, key)');
      }
      break;
    case 'configMap':
      if (nameAndKeyProblem(source.name, source.key) !== undefined) {
        errors.add(property, `${source.name}/${source.key}`, `not a valid ConfigMap name and key: ${nameAndKeyProblem(source.name, source.key)}`,
          'use ConfigFile.fromConfigMap("configmap-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."');
      }
      break;
    case 'secret':
      if (!(source.key instanceof SecretKey)) {
        errors.add(property, source.key, 'must be a SecretKey', 'use ConfigFile.fromSecret(SecretKey.of("secret-name", "key"))');
      } else {
        validateSecretKey(errors, property, source.key);
      }
      break;
  }
}

/**
 * Checks the props of connections, variables, the secrets backend and local settings (their
 * shape is checked with the rest of the props before).
 */
export function validateSecretsAccess(props: SecretsAccessProps, errors: ValidationErrors): void {
  validateEnvKeys(errors, 'connections', 'connection id', CONN_ENV_PREFIX, props.connections);
  validateEnvKeys(errors, 'variables', 'variable key', VAR_ENV_PREFIX, props.variables);
  const backend = props.secretsBackend;
  if (backend !== undefined) {
    if (!PYTHON_CLASS_PATH.test(backend.backend)) {
      errors.add('secretsBackend.backend', backend.backend, 'not the import path of a Python class',
        'e.g. "airflow.providers.hashicorp.secrets.vault.VaultBackend"');
    }
    validateSecretKey(errors, 'secretsBackend.kwargs', backend.kwargs);
  }
  validateConfigFile(errors, 'localSettings', props.localSettings);
}

function validateEnvKeys(errors: ValidationErrors, property: string, what: string, prefix: string,
  entries: { readonly [key: string]: SecretKey } | undefined): void {
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(entries ?? {})) {
    const at = `${property}.${key}`;
    if (!ENV_KEY.test(key) || key.length > MAX_KEY_LENGTH) {
      errors.add(at, key, `a ${what} becomes the variable ${prefix}<${what.split(' ')[1].toUpperCase()}>, so it may only hold letters, digits, "_", "." and "-", at most ${MAX_KEY_LENGTH}`,
        'e.g. "my_postgres"');
    } else if (seen.has(key.toUpperCase())) {
      errors.add(at, key, `Airflow looks up ${prefix}${key.toUpperCase()}, as for "${seen.get(key.toUpperCase())}": ${what}s differing only in case are one`,
        `keep one of "${seen.get(key.toUpperCase())}" and "${key}"`);
    } else {
      seen.set(key.toUpperCase(), key);
    }
    validateSecretKey(errors, at, value);
  }
}

/** What `configureSecretsAccess` needs besides the props. */
export interface SecretsAccessFacts extends SecretsAccessProps {
  /** The metadata database gives DAG code the connection `airflow_db` already. */
  readonly databaseGivesAirflowDb: boolean;
}

/**
 * Connections and variables as `AIRFLOW_CONN_*` / `AIRFLOW_VAR_*` from Secrets for the pods that
 * parse or run DAG code; the secrets backend for every Airflow process; local settings for every
 * Airflow pod. Records conflicts with what the library gives itself in `problems`.
 *
 * Connections and variables go to the pods that parse or run DAG code (EnvAudience.DAG_CODE), the
 * processes that look them up: workers search the environment before the execution API
 * (`DEFAULT_SECRETS_SEARCH_PATH_WORKERS`, task-sdk execution_time/secrets/__init__.py), the DAG
 * processor and triggerer the environment before the database. Not the UI server: the UI lists
 * the database's connections only, and keeping credentials out of the pods that face users is
 * the smaller exposure.
 */
export function configureSecretsAccess(config: ConfigContributions, facts: SecretsAccessFacts, problems: ValidationErrors): void {
  const sorted = (entries: { readonly [key: string]: SecretKey } | undefined) =>
    Object.entries(entries ?? {}).sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0));
  for (const [connId, key] of sorted(facts.connections)) {
    if (facts.databaseGivesAirflowDb && connId.toUpperCase() === 'AIRFLOW_DB') {
      problems.add(`connections.${connId}`, `${key.secretName}/${key.key}`, 'the metadata database gives DAG code the connection airflow_db already',
        'set airflowDbConnection: false on the database to use your own, or remove this entry');
      continue;
    }
    config.addEnvironment(EnvAudience.DAG_CODE, { name: `${CONN_ENV_PREFIX}${connId.toUpperCase()}`, ...fromSecret(key) });
  }
  for (const [variable, key] of sorted(facts.variables)) {
    config.addEnvironment(EnvAudience.DAG_CODE, { name: `${VAR_ENV_PREFIX}${variable.toUpperCase()}`, ...fromSecret(key) });
  }

  // `[secrets] backend` and `backend_kwargs`, read by every Airflow process; on Airflow 3 the
  // workers take them too unless `[workers] secrets_backend` is set (shared/configuration
  // parser.py `_get_custom_secret_backend`, L381-395 at dda8d2786710). `backend_kwargs` is
  // sensitive in the spec of both lines, so it comes from the Secret.
  const backend = facts.secretsBackend;
  if (backend !== undefined) {
    config.set('secrets', 'backend', backend.backend, 'secretsBackend.backend');
    // A backend that reads files needs no connection; any other's address is in its kwargs.
    if (backend.backend !== LOCAL_FILESYSTEM_BACKEND) {
      config.connectsTo({ service: 'secretsBackend', clients: EVERY_AIRFLOW_POD });
    }
    if (backend.kwargs !== undefined) {
      config.setFromEnvironment(EnvAudience.ALL, 'secrets', 'backend_kwargs', fromSecret(backend.kwargs), 'secretsBackend.kwargs');
    }
  }

  // Imported by `settings.initialize()` from `$AIRFLOW_HOME/config`, which it appends to sys.path
  // (`prepare_syspath_for_config_and_plugins` and `import_local_settings`: airflow-core settings.py
  // L628-634 and L678-681 at dda8d2786710, airflow/settings.py L656-662 and L687-690 at
  // 8c9d251efb); the official chart mounts it at the same path. Every Airflow process reads it.
  if (facts.localSettings !== undefined) {
    config.addFile(localSettingsFile(facts.localSettings));
  }
}

function localSettingsFile(source: ConfigFile): PodFile {
  return {
    volumeName: 'local-settings',
    path: LOCAL_SETTINGS_PATH,
    fileName: 'airflow_local_settings.py',
    source,
    readBy: EVERY_AIRFLOW_POD,
    checksumAnnotation: 'checksum/airflow-local-settings',
    configMapSuffix: 'local-settings',
  };
}
