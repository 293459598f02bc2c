#!/usr/bin/env node
// Regenerates lib/config/airflow-options.generated.ts from the Airflow configuration spec facts
// vendored in scripts/airflow-config/ (see its README): the options of Airflow 2.11 and 3.x and
// the 2 -> 3 renames. With --check it only compares, and fails when the committed table differs (CI).
// Only facts are copied: section and option names, the Airflow version that added an option, its
// value type, and whether the spec marks it sensitive or deprecated. Run after updating the
// reference; commit the result.
const fs = require('fs');
const path = require('path');

const ref = path.resolve(__dirname, 'airflow-config');
const out = path.resolve(__dirname, '..', 'lib', 'config', 'airflow-options.generated.ts');
const read = (file) => JSON.parse(fs.readFileSync(path.join(ref, file), 'utf8'));

const TYPES = { string: 's', integer: 'i', float: 'f', boolean: 'b' };
// String options that Airflow reads only as booleans (how the list was made: its _provenance).
const BOOLEAN_STRINGS = read('boolean-strings.json');

function table(file, line) {
  const spec = read(file);
  const booleans = new Set(BOOLEAN_STRINGS[line]);
  const sections = {};
  for (const section of Object.keys(spec.sections).sort()) {
    const options = {};
    for (const name of Object.keys(spec.sections[section]).sort()) {
      const o = spec.sections[section][name];
      const core = String(o.source ?? '').startsWith('core');
      const type = booleans.has(`${section}.${name}`) ? 'b' : TYPES[o.type];
      if (type === undefined) {
        throw new Error(`${file}: [${section}] ${name} has an unknown type ${o.type}`);
      }
      // [version added (core options only: a provider's version_added is the provider's version),
      //  sensitive, deprecated, value type]
      options[name] = [
        core && o.version_added ? String(o.version_added) : '',
        o.sensitive === true ? 1 : 0,
        o.version_deprecated ? 1 : 0,
        type,
      ];
    }
    sections[section] = options;
  }
  return { provenance: spec._provenance, sections };
}

// One option per line keeps the file reviewable as a diff.
function render(sections) {
  const body = Object.entries(sections).map(([section, options]) => {
    const rows = Object.entries(options).map(([name, row]) => `    ${JSON.stringify(name)}: ${JSON.stringify(row)},`);
    return `  ${JSON.stringify(section)}: {\n${rows.join('\n')}\n  },`;
  });
  return `{\n${body.join('\n')}\n}`;
}

const v2 = table('options-airflow2.json', 'airflow2');
const spec3 = read('options-airflow3.json');
// Core sections follow Airflow's releases; provider sections follow their providers' releases.
const coreSections3 = Object.keys(spec3.sectionSources).filter((s) => spec3.sectionSources[s].some((src) => src.startsWith('core'))).sort();
// The core options at the point main switched from 3.1 to 3.2: closest available record of 3.1.
const keys31 = read('keys-airflow3.1.0-branchpoint.json');
const core31 = Object.fromEntries(coreSections3.filter((s) => keys31[s]).map((s) => [s, [...keys31[s]].sort()]));
const v3 = table('options-airflow3.json', 'airflow3');
const changes = read('changes-2-to-3.json');

// Core options of the 3.x spec that it marks deprecated, with the release that deprecated them: a
// release before it still reads the option as current (3.2 deprecates `[metrics] otel_host` and
// its siblings for the OTEL_* variables, which 3.1 and earlier do not read).
const deprecatedSince3 = {};
for (const section of Object.keys(spec3.sections).sort()) {
  for (const name of Object.keys(spec3.sections[section]).sort()) {
    const o = spec3.sections[section][name];
    if (o.version_deprecated && String(o.source ?? '').startsWith('core')) {
      const since = String(o.version_deprecated);
      deprecatedSince3[`${section}.${name}`] = since.split('.').length === 2 ? `${since}.0` : since;
    }
  }
}

// Airflow 3's `airflow config lint` rules: an Airflow 2 option that was moved ("section.option" ->
// "section.option") or removed (-> ""). Options that only changed their default are left out.
const moved = {};
for (const rule of changes.configChanges_2_to_3) {
  const from = rule.config.join('.');
  if (rule.renamed_to) {
    moved[from] = rule.renamed_to.join('.');
  } else if (rule.was_removed && rule.remove_if_equals === undefined && rule.is_invalid_if === undefined) {
    moved[from] = '';
  }
}
const movedSorted = Object.fromEntries(Object.keys(moved).sort().map((k) => [k, moved[k]]));

// Airflow 3's parser still reads these old names as aliases of the new ones; before `since`, the
// old name was the option itself (e.g. [webserver] secret_key until 3.0.2).
const aliases = changes.runtimeDeprecatedAliases_3x
  .map((a) => [a.new.join('.'), a.old.join('.'), a.since.split('.').length === 2 ? `${a.since}.0` : a.since])
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

// The typed shape of `config`: every section and option of either release line, with the value
// type of the spec (string options take any value: the spec types many flags as strings).
const TS_TYPES = { s: 'ConfigValue', i: 'number', f: 'number', b: 'boolean' };
function optionsInterface() {
  const union = {};
  for (const { sections } of [v2, v3]) {
    for (const [section, options] of Object.entries(sections)) {
      for (const [name, row] of Object.entries(options)) {
        ((union[section] ??= {})[name] ??= new Set()).add(TS_TYPES[row[3]]);
      }
    }
  }
  const body = Object.keys(union).sort().map((section) => {
    const rows = Object.keys(union[section]).sort().map((name) => {
      const types = union[section][name];
      const type = types.has('ConfigValue') ? 'ConfigValue' : [...types].sort().join(' | ');
      return `    readonly ${JSON.stringify(name)}?: ${type};`;
    });
    return `  readonly ${JSON.stringify(section)}?: {\n${rows.join('\n')}\n  };`;
  });
  return `{\n${body.join('\n')}\n}`;
}

const lines = [
  '// Generated by scripts/gen-config-spec.js from the Airflow configuration spec. Do not edit.',
  `// Airflow 2 source: ${v2.provenance.commit} (${v2.provenance.airflowVersionInTree}).`,
  `// Airflow 3 source: ${v3.provenance.commit} (${v3.provenance.airflowVersionInTree}).`,
  '',
  '/** A value of one `airflow.cfg` option. */',
  'export type ConfigValue = string | number | boolean;',
  '',
  '/**',
  ' * `airflow.cfg` overrides: section -> option -> value, for every option of Airflow 2.11 and 3.x,',
  ' * typed as the configuration spec types it; `airflowConfig()` takes it. Which options the target',
  ' * release has, and which the library leaves to props or Secrets, is checked at synth.',
  ' * TypeScript only: its names are Airflow\'s, in snake_case.',
  ' * @jsii ignore',
  ' */',
  `export interface AirflowConfigOptions ${optionsInterface()}`,
  '',
  '/** The value type of an option: string, integer, float or boolean. */',
  "export type OptionType = 's' | 'i' | 'f' | 'b';",
  '',
  '/** [Airflow version that added it (core options only), sensitive, deprecated, value type] */',
  'export type OptionRow = readonly [string, 0 | 1, 0 | 1, OptionType];',
  '',
  '/** section -> option -> row */',
  'export type OptionTable = Readonly<Record<string, Readonly<Record<string, OptionRow>>>>;',
  '',
  `export const AIRFLOW_2_OPTIONS: OptionTable = ${render(v2.sections)};`,
  '',
  `export const AIRFLOW_3_OPTIONS: OptionTable = ${render(v3.sections)};`,
  '',
  '/** The sections Airflow core defines (the others come with providers). */',
  `export const AIRFLOW_3_CORE_SECTIONS: ReadonlyArray<string> = ${JSON.stringify(coreSections3)};`,
  '',
  '/** The core options of Airflow 3.1.0 (main at the switch to 3.2), by section. */',
  `export const AIRFLOW_3_1_CORE_OPTIONS: Readonly<Record<string, ReadonlyArray<string>>> = ${JSON.stringify(core31, null, 2)};`,
  '',
  '/** Airflow 2 options Airflow 3 moved ("section.option") or removed (""). */',
  `export const MOVED_IN_AIRFLOW_3: Readonly<Record<string, string>> = ${JSON.stringify(movedSorted, null, 2)};`,
  '',
  '/** [new option, old option still read as its alias, Airflow release since which the old name is only an alias] */',
  `export const AIRFLOW_3_ALIASES: ReadonlyArray<readonly [string, string, string]> = ${JSON.stringify(aliases, null, 0).replace(/\],\[/g, '],\n  [').replace(/^\[\[/, '[\n  [').replace(/\]\]$/, '],\n]')};`,
  '',
  '/** Core options the 3.x spec marks deprecated -> the Airflow release that deprecated them. */',
  `export const AIRFLOW_3_DEPRECATED_SINCE: Readonly<Record<string, string>> = ${JSON.stringify(deprecatedSince3, null, 2)};`,
  '',
];
const text = lines.join('\n');
const relative = path.relative(process.cwd(), out);
if (process.argv.includes('--check')) {
  if (fs.readFileSync(out, 'utf8') !== text) {
    console.error(`${relative} is not what the reference generates: run 'npm run gen:config-spec' and commit it`);
    process.exit(1);
  }
  console.log(`${relative} matches the reference`);
} else {
  fs.writeFileSync(out, text);
  console.log(`wrote ${relative}`);
}
