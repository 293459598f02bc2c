import type { AuthManagerBehaviour } from '../auth/auth-manager';
import type { MetricsBehaviour } from '../metrics/metrics';
import type { TaskLogsBehaviour } from '../pod/task-logs';
import type { AirflowCredentials } from '../credentials';
import type { DatabaseBehaviour, DatabaseConnection } from '../database/metadata-database';
import type { ExecutorBehaviour } from '../executors/executor';
import { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import type { ConfigValue } from './airflow-options.generated';
import { ConfigContributions, ConfigSections } from './contributions';
import { CoreFacts, configureCore } from './core-options';
import type { AirflowEnvironment } from './environment';
import type { PodFile } from './files';
import { optionTable } from './option-table';
import { ConfigOverrides, overrideSections, validateOverrides } from './overrides';
import { SecretsAccessProps, configureSecretsAccess } from './secrets-access';
import type { ServiceConnection } from '../network/traffic';

/** What the variants' configuration may depend on. */
export interface ConfigFacts {
  readonly name: string;
  readonly namespace: string;
  readonly version: AirflowVersion;
  readonly credentials: AirflowCredentials;
}

/** The facts an executor's configuration may depend on: those of every variant, and the database connection. */
export interface ExecutorConfigFacts extends ConfigFacts {
  readonly database: DatabaseConnection;
}

export interface ConfigurationInputs extends CoreFacts, ConfigFacts, SecretsAccessProps {
  readonly executor: ExecutorBehaviour;
  readonly database: DatabaseBehaviour;
  readonly authManager: AuthManagerBehaviour;
  /** Where metrics go (`metrics`); none without. */
  readonly metrics?: MetricsBehaviour;
  /** Where task logs are kept (`taskLogs`); remote logging writes `[logging]` options. @default - none */
  readonly taskLogs?: TaskLogsBehaviour;
  /** The `config` prop. */
  readonly overrides?: ConfigOverrides;
  /** Options that follow from the DAG source. */
  readonly configureDagSource?: (config: ConfigContributions) => void;
  /**
   * Check the options the library writes against the release's spec. Only when the props (and
   * then the overrides) passed their own checks: a mistake in the input (an auth manager of the
   * other Airflow line, say) would otherwise surface twice.
   */
  readonly checkLibraryOptions: boolean;
}

/**
 * The `airflow.cfg` pipeline: every part of the deployment contributes its options (the core,
 * the database, the executor, the auth manager), the user's overrides are checked against the
 * configuration spec of the release and merged over them, and the result is the file text, the
 * Secret-backed environment of Airflow containers and every problem found.
 */
export class AirflowConfiguration {
  /**
   * The text of `airflow.cfg`. (Its checksum, which rolls the pods, is taken from the ConfigMap
   * as synthesised instead, so that a patch to the ConfigMap counts.)
   */
  public readonly text: string;
  public readonly environment: AirflowEnvironment;
  /** Files Airflow reads besides `airflow.cfg` (`webserver_config.py`, local settings, a CA), with the pods that read each. */
  public readonly files: readonly PodFile[];
  /** Services outside the output that pods connect to, with the components that do (for the NetworkPolicies). */
  public readonly connections: readonly ServiceConnection[];
  public readonly problems = new ValidationErrors();
  /** Which prop decides each option the library writes (`section.option` -> prop). */
  public readonly owners: ReadonlyMap<string, string>;
  private readonly sections: ConfigSections;

  constructor(inputs: ConfigurationInputs) {
    const { version } = inputs;
    const config = new ConfigContributions();
    configureCore(config, inputs);
    const database = inputs.database.configure(config, inputs);
    inputs.executor.configure(config, { ...inputs, database });
    inputs.authManager.configure(config, inputs);
    inputs.metrics?.configure(config, inputs);
    inputs.taskLogs?.configure(config);
    configureSecretsAccess(config, { ...inputs, databaseGivesAirflowDb: database.airflowDbConnection }, this.problems);
    inputs.configureDagSource?.(config);

    const overrides = overrideSections(inputs.overrides, this.problems);
    // The option tables exist for the releases the library deploys; another release is refused
    // by the props check already.
    if (version.problems().length === 0) {
      validateOverrides(overrides, version, config.owners, this.problems);
      if (inputs.checkLibraryOptions && this.problems.count === 0) {
        validateLibraryOptions(config, version, this.problems);
      }
    }

    this.sections = mergeSections(config.file, overrides);
    this.text = renderAirflowCfg(this.sections);
    this.environment = config.environment();
    this.files = [...config.files];
    this.connections = [...config.connections];
    this.owners = new Map(config.owners);
  }

  /** The value of an option in the file, as written; undefined when the file leaves it to Airflow's default. */
  public option(section: string, option: string): string | undefined {
    const value = this.sections[section]?.[option];
    return value === undefined ? undefined : formatConfigValue(value);
  }
}

/**
 * Records every option the library itself writes, to the file or through the environment, that
 * the spec of `version` does not know or marks deprecated: a bug of the library, caught at synth.
 */
export function validateLibraryOptions(config: Pick<ConfigContributions, 'file' | 'fromEnvironment'>, version: AirflowVersion, errors: ValidationErrors): void {
  const table = optionTable(version);
  const written: Array<[string, string, ConfigValue]> = [
    ...Object.entries(config.file).flatMap(([section, options]) => Object.entries(options).map(([o, v]) => [section, o, v] as [string, string, ConfigValue])),
    ...config.fromEnvironment.map(([section, option]) => [section, option, '<from a Secret>'] as [string, string, ConfigValue]),
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
    const lines = Object.keys(sections[section]).sort().map((option) => `${option} = ${formatConfigValue(sections[section][option])}`);
    return [`[${section}]`, ...lines].join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

/** A value as Airflow reads it: booleans as `True`/`False`, everything else as written. */
export function formatConfigValue(value: ConfigValue): string {
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  return String(value);
}
