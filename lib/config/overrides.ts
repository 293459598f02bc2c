import type { AirflowVersion } from '../version';
import type { ValidationErrors } from '../validation';
import type { ConfigValue, OptionType } from './airflow-options.generated';
import { ConfigSections, configEnvName } from './contributions';
import { editDistance } from '../props-shape/closest';
import { addedAfter, optionTable, replacementOf, splitOptionName } from './option-table';

/** The `config` prop: section -> option -> value. */
export type ConfigOverrides = { readonly [section: string]: { readonly [option: string]: string } };

/**
 * The user's overrides as plain sections. Values are strings in the typed API; JavaScript callers
 * may also pass numbers and booleans, which are written the way Airflow reads them. Options left
 * undefined are dropped; a section that is not an object is recorded as a problem.
 */
export function overrideSections(config: ConfigOverrides | undefined, errors: ValidationErrors, property = 'config'): ConfigSections {
  const sections: ConfigSections = {};
  for (const [section, options] of Object.entries(config ?? {}) as Array<[string, unknown]>) {
    if (options === undefined) {
      continue;
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      errors.add(`${property}.${section}`, options, 'a section must map option names to values', `e.g. { ${section}: { option: "value" } }`);
      continue;
    }
    for (const [option, value] of Object.entries(options as Record<string, ConfigValue | undefined>)) {
      if (value !== undefined) {
        (sections[section] ??= {})[option] = value;
      }
    }
  }
  return sections;
}

/**
 * Checks the user's overrides against the Airflow configuration spec of `version` and records
 * every problem: unknown sections and options (with the option that replaced a renamed one, or
 * the nearest valid name), options newer than the release, deprecated or secret options, options
 * the library derives from props (`owners`), and values Airflow's parser would refuse for the
 * option's type, or that cannot be written to an INI file.
 */
export function validateOverrides(overrides: ConfigSections, version: AirflowVersion, owners: ReadonlyMap<string, string>,
  errors: ValidationErrors, property = 'config'): void {
  const table = optionTable(version);
  for (const section of Object.keys(overrides).sort()) {
    const known = table[section];
    const unknownInSection: string[] = [];
    for (const option of Object.keys(overrides[section]).sort()) {
      const value = overrides[section][option];
      const at = `${property}.${section}.${option}`;
      const row = known?.[option];
      if (row === undefined) {
        const unknown = unknownOption(version, section, option, (replacement) => movedFix(replacement, owners, property));
        if (unknown.noSection) {
          unknownInSection.push(option);
        } else {
          errors.add(at, value, unknown.problem, unknown.fix);
        }
        continue;
      }
      const [, sensitive, deprecated, type] = row;
      if (deprecated) {
        errors.add(at, value, `[${section}] ${option} is deprecated in Airflow ${version}`, 'use its replacement named in the Airflow docs');
      }
      const owner = owners.get(`${section}.${option}`);
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
      } else if (typeof value === 'string') {
        checkInterpolation(errors, at, value, Object.keys(overrides[section]));
        const allowed = ENUM_OPTIONS[`${section}.${option}`];
        if (allowed !== undefined && !allowed.includes(value)) {
          errors.add(at, value, `Airflow accepts only ${allowed.filter((v) => v !== '').map((v) => JSON.stringify(v)).join(', ')}${allowed.includes('') ? ' or nothing' : ''} here (the exact text)`,
            `give one of them, e.g. ${JSON.stringify(allowed[0])}`);
        }
      }
    }
    if (unknownInSection.length > 0) {
      errors.add(`${property}.${section}`, section, `Airflow ${version} has no [${section}] section`,
        `use one of the spec's sections${hint(section, Object.keys(table))}`);
    }
  }
}

/**
 * Why `[section] option` is not an option of `version`, and what to do: added in a later release,
 * renamed or removed (`moved` gives the fix for the option it became), unknown in a section the
 * release has (with the nearest name), or in a section it does not have.
 */
function unknownOption(version: AirflowVersion, section: string, option: string, moved: (replacement: string) => string):
{ problem: string; fix: string; noOption: boolean; noSection: boolean } {
  const table = optionTable(version);
  const since = addedAfter(version, section, option);
  const replacement = replacementOf(version, section, option);
  if (since !== undefined) {
    return { problem: `[${section}] ${option} was added in Airflow ${since}, after ${version}`, fix: 'remove it or raise the Airflow version', noOption: false, noSection: false };
  }
  if (replacement !== undefined) {
    return { problem: movedReason(version, section, option, replacement), fix: moved(replacement), noOption: false, noSection: false };
  }
  if (table[section] !== undefined) {
    return { problem: `Airflow ${version} has no option [${section}] ${option}`, fix: `check the name${hint(option, Object.keys(table[section]))}`, noOption: true, noSection: false };
  }
  return { problem: `Airflow ${version} has no [${section}] section`, fix: `check the name${hint(section, Object.keys(table))}`, noOption: false, noSection: true };
}

/** `AIRFLOW__<SECTION>__<OPTION>`, optionally `_CMD` or `_SECRET` (Airflow reads the value from a command or a secrets backend). */
const OPTION_VARIABLE = /^AIRFLOW__([A-Za-z0-9_]+?)__([A-Za-z0-9_]+)$/;

/**
 * Checks the `AIRFLOW__<SECTION>__<OPTION>` variables of pod options the way `config` is checked:
 * Airflow reads them over `airflow.cfg` (configuration.py `_get_environment_variables`), so a
 * misspelt one is ignored without a word, and one the library sets would be overridden in that
 * pod alone. Other variables, and values from Secrets, are the user's.
 * @param property where the variables were given, e.g. `scheduler pods`
 */
export function validateOptionVariables(variables: ReadonlyArray<{ readonly name?: string; readonly value?: string }>, version: AirflowVersion,
  owners: ReadonlyMap<string, string>, errors: ValidationErrors, property: string): void {
  const table = optionTable(version);
  for (const variable of variables) {
    const match = OPTION_VARIABLE.exec(variable.name ?? '');
    if (match === null) {
      continue;
    }
    const section = match[1].toLowerCase();
    let option = match[2].toLowerCase();
    const indirect = /_(cmd|secret)$/.test(option) && table[section]?.[option] === undefined;
    if (indirect) {
      option = option.replace(/_(cmd|secret)$/, '');
    }
    const at = `${property}: env ${variable.name}`;
    const value = variable.value ?? '(from a Secret or ConfigMap)';
    const row = table[section]?.[option];
    if (row === undefined) {
      const unknown = unknownOption(version, section, option, (replacement) => (replacement === '' ? 'remove it' : `use ${configEnvName(...splitOptionName(replacement))}`));
      const ignored = unknown.noSection || unknown.noOption ? ', so Airflow would ignore the variable' : '';
      errors.add(at, value, `${unknown.problem}${ignored}`, unknown.fix);
      continue;
    }
    const owner = owners.get(`${section}.${option}`);
    if (owner !== undefined) {
      errors.add(at, value, 'the library sets this option, and the variable would override it in these pods alone', `use the prop ${owner} instead`);
    } else if (!indirect && variable.value !== undefined && !fitsType(variable.value, row[3])) {
      errors.add(at, variable.value, `[${section}] ${option} takes ${TYPE_NAMES[row[3]]}`, TYPE_FIXES[row[3]]);
    }
  }
}

const LOGGING_LEVELS = ['CRITICAL', 'FATAL', 'ERROR', 'WARN', 'WARNING', 'INFO', 'DEBUG'];
/**
 * Options whose value Airflow checks against a fixed list at start-up, as written (case included):
 * `AirflowConfigParser.enums_options` and `_validate_enums` (airflow-core configuration.py at
 * dda8d2786710; the same list, plus `[core] mp_start_method`, on the 2.x line in
 * airflow/configuration.py at 8c9d251efb). An option the target release lacks is reported
 * as unknown before this list is read.
 */
const ENUM_OPTIONS: Record<string, readonly string[]> = {
  'core.default_task_weight_rule': ['absolute', 'downstream', 'upstream'],
  'core.dag_ignore_file_syntax': ['regexp', 'glob'],
  'core.mp_start_method': ['fork', 'spawn', 'forkserver'],
  'scheduler.file_parsing_sort_mode': ['modified_time', 'random_seeded_by_host', 'alphabetical'],
  'dag_processor.file_parsing_sort_mode': ['modified_time', 'random_seeded_by_host', 'alphabetical'],
  'logging.logging_level': LOGGING_LEVELS,
  'logging.fab_logging_level': LOGGING_LEVELS,
  'logging.celery_logging_level': [...LOGGING_LEVELS, ''],
  'logging.uvicorn_logging_level': LOGGING_LEVELS,
  'logging.gunicorn_logging_level': LOGGING_LEVELS,
  'webserver.analytical_tool': ['google_analytics', 'metarouter', 'segment', 'matomo', ''],
  'api.grid_view_sorting_order': ['topological', 'hierarchical_alphabetical'],
};

/**
 * Airflow reads airflow.cfg through Python's ConfigParser with its basic interpolation
 * (`AirflowConfigParser(ConfigParser)`, `super().get(section, key)` in shared/configuration
 * parser.py), which fails on the first read of a value with a lone `%`: a literal percent sign is
 * `%%`, and `%(name)s` is the value of another option of the same section.
 */
function checkInterpolation(errors: ValidationErrors, at: string, value: string, sectionOptions: string[]): void {
  for (const match of value.matchAll(/%(%|\(([^)]*)\)s|.?)/g)) {
    const [token, , reference] = match;
    if (token === '%%') {
      continue;
    }
    if (reference === undefined) {
      errors.add(at, value, 'a lone "%" breaks Airflow\'s interpolation of airflow.cfg', 'write a literal percent sign as "%%"');
      return;
    }
    if (!sectionOptions.includes(reference.toLowerCase())) {
      errors.add(at, value, `%(${reference})s refers to an option this section of config does not set`,
        `for a literal "%(${reference})s" (a log format) write "%%(${reference})s"; or set ${reference} in the same section`);
      return;
    }
  }
}

const TYPE_NAMES: Record<OptionType, string> = { s: 'a string', i: 'a whole number', f: 'a number', b: 'a boolean' };
const TYPE_FIXES: Record<OptionType, string> = {
  s: 'give a string',
  i: 'give a whole number, e.g. "32"',
  f: 'give a number, e.g. "1.5"',
  b: 'give "True" or "False"',
};

/**
 * Whether Airflow's parser reads `value` as the option's type. Text is read as Airflow 2.11 and 3
 * read it (`AirflowConfigParser.getint`/`getfloat`/`getboolean`): an integer literal, a float
 * literal, or t/true/1 and f/false/0 in any case. Numbers and booleans are written as such.
 */
function fitsType(value: ConfigValue, type: OptionType): boolean {
  if (typeof value === 'string') {
    const text = value.trim();
    switch (type) {
      case 'i': return /^[-+]?\d+$/.test(text);
      case 'f': return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text);
      case 'b': return ['t', 'true', '1', 'f', 'false', '0'].includes(text.toLowerCase());
      default: return true;
    }
  }
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

function movedFix(replacement: string, owners: ReadonlyMap<string, string>, property: string): string {
  if (replacement === '') {
    return 'remove it';
  }
  const owner = owners.get(replacement);
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
