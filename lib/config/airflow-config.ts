import { AirflowVersion } from '../version';
import { ValidationErrors } from '../validation';
import { AirflowConfigOptions, ConfigValue, OptionType } from './airflow-options.generated';
import { addedAfter, optionTable, replacementOf, splitOptionName } from './option-table';

export { AirflowConfigOptions, ConfigValue };

/** `airflow.cfg` as section -> option -> value, with no restriction on names. */
export type ConfigSections = Record<string, Record<string, ConfigValue>>;

/** The overrides as plain sections; options left undefined are dropped. */
export function overrideSections(config: AirflowConfigOptions = {}): ConfigSections {
  const sections: ConfigSections = {};
  for (const [section, options] of Object.entries(config as Record<string, Record<string, ConfigValue | undefined> | undefined>)) {
    for (const [option, value] of Object.entries(options ?? {})) {
      if (value !== undefined) {
        (sections[section] ??= {})[option] = value;
      }
    }
  }
  return sections;
}

/** What the library configures: the `airflow.cfg` file, and the options it sets from Secrets. */
export interface LibraryConfig {
  readonly file: ConfigSections;
  /** [section, option] of each option passed as `AIRFLOW__SECTION__OPTION` from a Secret. */
  readonly environment: ReadonlyArray<readonly [string, string]>;
}

/**
 * Options the library derives from other props. Setting them in `config` would let the file
 * disagree with the objects around it (Services, volumes, Secrets), so the user is sent to the prop.
 */
const OWNED_BY_PROPS: Record<string, string> = {
  'core.executor': 'executor',
  'core.dags_folder': 'dags',
  'core.auth_manager': 'authManager',
  'core.execution_api_server_url': 'name (the API server Service)',
  'core.fernet_key': 'credentials.fernetKey',
  'api.secret_key': 'credentials.apiSecretKey',
  'webserver.secret_key': 'credentials.apiSecretKey',
  'api_auth.jwt_secret': 'credentials.jwtSecret',
  'database.sql_alchemy_conn': 'database and credentials.databasePassword',
  'celery.broker_url': 'executor (Redis) and credentials.redisPassword',
  'celery.result_backend': 'database and credentials.databasePassword',
  'celery.flower_basic_auth': 'executor flower.username and credentials.flowerPassword',
  'celery.worker_concurrency': 'executor workers.concurrency',
  'kubernetes_executor.namespace': 'namespace',
  'kubernetes_executor.pod_template_file': 'executor (the library renders the pod template)',
  'scheduler.standalone_dag_processor': 'dagProcessor.enabled',
  'logging.base_log_folder': '(fixed: the logs volume is mounted there)',
  'logging.worker_log_server_port': '(fixed: the worker Service exposes it)',
  'logging.trigger_log_server_port': '(fixed: the triggerer Service exposes it)',
  'api.port': '(fixed: the API server Service exposes it)',
  'webserver.web_server_port': '(fixed: the webserver Service exposes it)',
};

/** The environment variable Airflow reads an option from: `AIRFLOW__<SECTION>__<OPTION>`. */
export function configEnvName(section: string, option: string): string {
  return `AIRFLOW__${section.toUpperCase().replace(/\./g, '_')}__${option.toUpperCase()}`;
}

/**
 * Checks the user's overrides against the Airflow configuration spec of `version` and records
 * every problem: unknown sections and options (with the option that replaced a renamed one, or
 * the nearest valid name), options newer than the release, deprecated or secret options, options
 * the library derives from props, and values of the wrong type or that cannot be written to an
 * INI file.
 */
export function validateOverrides(overrides: ConfigSections, version: AirflowVersion, errors: ValidationErrors, property = 'config'): void {
  const table = optionTable(version);
  for (const section of Object.keys(overrides).sort()) {
    const known = table[section];
    const unknownInSection: string[] = [];
    for (const option of Object.keys(overrides[section]).sort()) {
      const value = overrides[section][option];
      const at = `${property}.${section}.${option}`;
      const row = known?.[option];
      if (row === undefined) {
        const replacement = replacementOf(version, section, option);
        const since = addedAfter(version, section, option);
        if (since !== undefined) {
          errors.add(at, value, `[${section}] ${option} was added in Airflow ${since}, after ${version}`, 'remove it or raise the Airflow version');
        } else if (replacement !== undefined) {
          errors.add(at, value, movedReason(version, section, option, replacement), movedFix(replacement, property));
        } else if (known !== undefined) {
          errors.add(at, value, `Airflow ${version} has no option [${section}] ${option}`, `check the name${hint(option, Object.keys(known))}`);
        } else {
          unknownInSection.push(option);
        }
        continue;
      }
      const [, sensitive, deprecated, type] = row;
      if (deprecated) {
        errors.add(at, value, `[${section}] ${option} is deprecated in Airflow ${version}`, 'use its replacement named in the Airflow docs');
      }
      const owner = OWNED_BY_PROPS[`${section}.${option}`];
      if (owner !== undefined) {
        errors.add(at, value, 'this option is set by the library', `use the prop ${owner} instead`);
      } else if (sensitive) {
        errors.add(at, '<hidden>', `[${section}] ${option} is a secret and config is written to a ConfigMap`,
          `keep it in a Secret and pass it as the environment variable ${configEnvName(section, option)}`);
      }
      if (!isWritable(value)) {
        errors.add(at, value, 'the value must be a string, a finite number or a boolean, on one line', 'give a single-line value');
      } else if (!fitsType(value, type)) {
        errors.add(at, value, `[${section}] ${option} takes ${TYPE_NAMES[type]}`, TYPE_FIXES[type]);
      }
    }
    if (unknownInSection.length > 0) {
      errors.add(`${property}.${section}`, section, `Airflow ${version} has no [${section}] section`,
        `use one of the spec's sections${hint(section, Object.keys(table))}`);
    }
  }
}

/**
 * Records every option the library itself writes, to the file or through the environment, that
 * the spec of `version` does not know or marks deprecated: a bug of the library, caught at synth.
 */
export function validateDefaults(config: LibraryConfig, version: AirflowVersion, errors: ValidationErrors): void {
  const table = optionTable(version);
  const written: Array<[string, string, ConfigValue]> = [
    ...Object.entries(config.file).flatMap(([section, options]) => Object.entries(options).map(([o, v]) => [section, o, v] as [string, string, ConfigValue])),
    ...config.environment.map(([section, option]) => [section, option, '<from a Secret>'] as [string, string, ConfigValue]),
  ];
  for (const [section, option, value] of written) {
    const row = table[section]?.[option];
    if (row === undefined || row[2] === 1) {
      errors.add(`(library default) ${section}.${option}`, value, `not a current option of Airflow ${version}`, 'report this as a bug of cdk8s-airflow');
    }
  }
}

/** Overrides win over defaults, option by option. */
export function mergeSections(defaults: ConfigSections, overrides: ConfigSections): ConfigSections {
  const merged: ConfigSections = {};
  for (const source of [defaults, overrides]) {
    for (const [section, options] of Object.entries(source)) {
      merged[section] = { ...merged[section], ...options };
    }
  }
  return merged;
}

/** Renders `airflow.cfg`: sections and options sorted, so equal input gives equal bytes. */
export function renderAirflowCfg(sections: ConfigSections): string {
  const blocks = Object.keys(sections).sort().map((section) => {
    const lines = Object.keys(sections[section]).sort().map((option) => `${option} = ${formatValue(sections[section][option])}`);
    return [`[${section}]`, ...lines].join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

function formatValue(value: ConfigValue): string {
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return String(value);
}

const TYPE_NAMES: Record<OptionType, string> = { s: 'a string', i: 'a whole number', f: 'a number', b: 'a boolean' };
const TYPE_FIXES: Record<OptionType, string> = { s: 'give a string', i: 'give a number, e.g. 32', f: 'give a number, e.g. 1.5', b: 'give true or false' };

/** Integer and float options take numbers, boolean options booleans; string options take any value. */
function fitsType(value: ConfigValue, type: OptionType): boolean {
  switch (type) {
    case 'i': return typeof value === 'number' && Number.isInteger(value);
    case 'f': return typeof value === 'number';
    case 'b': return typeof value === 'boolean';
    default: return true;
  }
}

function movedReason(version: AirflowVersion, section: string, option: string, replacement: string): string {
  if (replacement === '') {
    return `[${section}] ${option} was removed in Airflow 3`;
  }
  const [s, o] = splitOptionName(replacement);
  return version.isAirflow3
    ? `Airflow ${version} has no option [${section}] ${option}: Airflow 3 renamed it [${s}] ${o}`
    : `Airflow ${version} has no option [${section}] ${option}: on Airflow 2 it is [${s}] ${o}`;
}

function movedFix(replacement: string, property: string): string {
  if (replacement === '') {
    return 'remove it';
  }
  const owner = OWNED_BY_PROPS[replacement];
  return owner !== undefined
    ? `remove it: the library sets ${replacement} from the prop ${owner}`
    : `use ${property}.${replacement} instead`;
}

function isWritable(value: unknown): boolean {
  if (typeof value === 'boolean') {
    return true;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value);
  }
  return typeof value === 'string' && !/[\r\n]/.test(value);
}

/** ", e.g. \"closest\"" when a known name is within a few edits of `name`. */
function hint(name: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `; did you mean "${best}"?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
