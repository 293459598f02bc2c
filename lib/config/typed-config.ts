import type { AirflowConfigOptions, ConfigValue } from './airflow-options.generated';
import { formatConfigValue } from './airflow-configuration';
import type { ConfigOverrides } from './overrides';

export type { AirflowConfigOptions, ConfigValue };

/**
 * `airflow.cfg` overrides with the names and value types of Airflow's configuration spec, for
 * TypeScript: a misspelt section or option does not compile, nor does a string for an option that
 * both Airflow lines type as an integer or a boolean; the editor completes the names. Options
 * typed as strings, or typed differently by the two lines, take any value here and are checked at
 * synth like the plain form. Returns the plain `config` prop, every value
 * written as Airflow reads it (`true` as `True`). Which release has which option is checked at
 * synth, as for any `config`.
 *
 * ```ts
 * new Airflow(chart, 'airflow', { config: airflowConfig({ core: { parallelism: 64 } }) });
 * ```
 *
 * TypeScript only (`@jsii ignore`): other languages pass `config` as a map of strings.
 * @jsii ignore
 */
export function airflowConfig(options: AirflowConfigOptions): ConfigOverrides {
  const sections: Record<string, Record<string, string>> = {};
  for (const [section, values] of Object.entries(options as Record<string, Record<string, ConfigValue | undefined> | undefined>)) {
    for (const [option, value] of Object.entries(values ?? {})) {
      if (value !== undefined) {
        (sections[section] ??= {})[option] = formatConfigValue(value);
      }
    }
  }
  return sections;
}
