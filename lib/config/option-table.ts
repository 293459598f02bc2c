import { AirflowVersion } from '../version';
import {
  AIRFLOW_2_OPTIONS, AIRFLOW_3_1_CORE_OPTIONS, AIRFLOW_3_ALIASES, AIRFLOW_3_CORE_SECTIONS, AIRFLOW_3_DEPRECATED_SINCE, AIRFLOW_3_OPTIONS, MOVED_IN_AIRFLOW_3,
  OptionRow, OptionTable,
} from './airflow-options.generated';

const cache = new Map<string, OptionTable>();

/**
 * The `airflow.cfg` options of one Airflow release: the spec of its major line, without the
 * options added after it, and with the names it really used where Airflow 3 later renamed an
 * option and kept the old name as an alias (e.g. `[webserver] secret_key` before 3.0.2).
 * Cached per release.
 */
export function optionTable(version: AirflowVersion): OptionTable {
  const key = version.toString();
  let table = cache.get(key);
  if (table === undefined) {
    table = buildTable(version);
    cache.set(key, table);
  }
  return table;
}

const V3_1_0 = AirflowVersion.of('3.1.0');
const V3_2_0 = AirflowVersion.of('3.2.0');

/** The versions the tables name, parsed once: a table is built on every synth's critical path. */
const parsedVersions = new Map<string, AirflowVersion>();
function parsed(version: string): AirflowVersion {
  let result = parsedVersions.get(version);
  if (result === undefined) {
    result = AirflowVersion.of(version);
    parsedVersions.set(version, result);
  }
  return result;
}

function buildTable(version: AirflowVersion): OptionTable {
  const table: Record<string, Record<string, OptionRow>> = {};
  const add = (section: string, option: string, row: OptionRow) => {
    (table[section] ??= {})[option] = row;
  };
  const isAdded = (row: OptionRow) => row[0] === '' || version.isAtLeast(parsed(row[0]));

  if (version.major === 2) {
    for (const [section, options] of Object.entries(AIRFLOW_2_OPTIONS)) {
      for (const [option, row] of Object.entries(options)) {
        if (isAdded(row)) {
          add(section, option, row);
        }
      }
    }
    return table;
  }

  // The 3.x spec is of main before 3.2. For the 3.1 line, core options are those main had at
  // 3.1.0, plus those added by a 3.1 patch release up to this one; options 3.2 dropped are
  // restored (as strings: their type is not recorded). Provider options follow the providers.
  const line31 = version.isAtLeast(V3_1_0) && !version.isAtLeast(V3_2_0);
  const core = new Set(AIRFLOW_3_CORE_SECTIONS);
  for (const [section, options] of Object.entries(AIRFLOW_3_OPTIONS)) {
    const options31 = new Set(AIRFLOW_3_1_CORE_OPTIONS[section] ?? []);
    for (const [option, row] of Object.entries(options)) {
      const in31 = options31.has(option) || (row[0] !== '' && parsed(row[0]).compare(V3_1_0) > 0);
      if (isAdded(row) && (!line31 || !core.has(section) || in31)) {
        // Deprecated only from the release that deprecated it (3.2 for `[metrics] otel_host`).
        const deprecatedSince = row[2] === 1 ? AIRFLOW_3_DEPRECATED_SINCE[`${section}.${option}`] : undefined;
        add(section, option, deprecatedSince !== undefined && !version.isAtLeast(parsed(deprecatedSince)) ? [row[0], row[1], 0, row[3]] : row);
      }
    }
  }
  if (line31) {
    for (const [section, options] of Object.entries(AIRFLOW_3_1_CORE_OPTIONS)) {
      for (const option of options) {
        if (table[section]?.[option] === undefined) {
          add(section, option, ['', 0, 0, 's']);
        }
      }
    }
  }

  // Undo the renames the release did not have yet, newest first, so that a chain (a -> b in
  // 3.1, b -> c in 3.2) unwinds fully. On the 3.1 line the option list already has the names
  // from before 3.2.
  const newestFirst = [...AIRFLOW_3_ALIASES].sort((x, y) => parsed(y[2]).compare(parsed(x[2])));
  for (const [current, old, since] of newestFirst) {
    const introduced = parsed(since);
    if (version.isAtLeast(introduced) || (line31 && introduced.isAtLeast(V3_2_0))) {
      continue;
    }
    const [section, option] = splitOptionName(current);
    const row = table[section]?.[option];
    if (row !== undefined) {
      delete table[section][option];
      const [oldSection, oldOption] = splitOptionName(old);
      add(oldSection, oldOption, ['', row[1], 0, row[3]]);
    }
  }
  return table;
}

/** The row of `[section] option` in `version`'s spec, if it has one. */
export function optionRow(version: AirflowVersion, section: string, option: string): OptionRow | undefined {
  return optionTable(version)[section]?.[option];
}

/**
 * Where an option that `version` does not know lives instead: for an Airflow 2 name on Airflow 3,
 * the option Airflow 3 moved it to (or '' when Airflow 3 removed it); for an Airflow 3 name on
 * Airflow 2, its Airflow 2 name; for an alias, the current name. `undefined` when nothing is known.
 */
export function replacementOf(version: AirflowVersion, section: string, option: string): string | undefined {
  const name = `${section}.${option}`;
  const table = optionTable(version);
  const exists = (dotted: string) => {
    const [s, o] = splitOptionName(dotted);
    return table[s]?.[o] !== undefined;
  };
  if (version.major === 3) {
    for (const [current, old] of AIRFLOW_3_ALIASES) {
      if (old === name && exists(current)) {
        return current;
      }
    }
    const moved = MOVED_IN_AIRFLOW_3[name];
    if (moved !== undefined) {
      return moved === '' || exists(moved) ? moved : undefined;
    }
    return undefined;
  }
  for (const [old, moved] of Object.entries(MOVED_IN_AIRFLOW_3)) {
    if (moved === name && exists(old)) {
      return old;
    }
  }
  return undefined;
}

/** `section.option` -> [section, option]. */
export function splitOptionName(dotted: string): [string, string] {
  // Section names may contain dots (`common.io`); option names never do.
  const at = dotted.lastIndexOf('.');
  return [dotted.slice(0, at), dotted.slice(at + 1)];
}

/** The release that added an option `version` does not have yet, if the spec of its major line names one. */
export function addedAfter(version: AirflowVersion, section: string, option: string): string | undefined {
  const spec = version.major === 2 ? AIRFLOW_2_OPTIONS : AIRFLOW_3_OPTIONS;
  const since = spec[section]?.[option]?.[0];
  return since && !version.isAtLeast(parsed(since)) ? since : undefined;
}
