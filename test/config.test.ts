import { parse } from 'yaml';
import { AirflowConfigOptions, AirflowVersion, Executor, airflowConfig } from '../lib';
import { mergeSections, renderAirflowCfg, validateLibraryOptions } from '../lib/config/airflow-configuration';
import { configEnvName } from '../lib/config/contributions';
import { optionTable } from '../lib/config/option-table';
import { ValidationErrors } from '../lib/validation';
import { Manifest, airflowCfgText, find, podTemplate, problemsOf, synthAirflow, synthReference, workloads } from './helpers';
import { SCENARIOS } from './scenarios';

/** Parses the INI text back into section -> option -> raw value. */
function parseCfg(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    const option = /^([a-z0-9_.]+) = (.*)$/.exec(line);
    if (header) {
      current = header[1];
      sections[current] = {};
    } else if (option) {
      sections[current][option[1]] = option[2];
    } else if (line !== '') {
      throw new Error(`unparsed line: ${line}`);
    }
  }
  return sections;
}

const cfgOf = (manifests = synthReference()) => parseCfg(airflowCfgText(manifests));

describe('airflow.cfg', () => {
  test('the reference deployment writes the options its objects depend on', () => {
    expect(cfgOf()).toEqual({
      api: { port: '8080' },
      core: {
        auth_manager: 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager',
        // The shipped DAGs' ConfigMap writes its .airflowignore in glob syntax.
        dag_ignore_file_syntax: 'glob',
        dags_folder: '/opt/airflow/dags',
        execution_api_server_url: 'http://airflow-api-server:8080/execution/',
        executor: 'CeleryExecutor',
        load_examples: 'False',
      },
      logging: {
        base_log_folder: '/opt/airflow/logs',
        colored_console_log: 'False',
        trigger_log_server_port: '8794',
        worker_log_server_port: '8793',
      },
    });
  });

  test('user overrides are merged over the defaults, typed values rendered the Airflow way', () => {
    const cfg = cfgOf(synthAirflow({ config: airflowConfig({ core: { load_examples: true, parallelism: 64 }, api: { expose_config: false } }) }));
    expect(cfg.core.load_examples).toBe('True');
    expect(cfg.core.parallelism).toBe('64');
    expect(cfg.core.executor).toBe('CeleryExecutor');
    expect(cfg.api).toEqual({ expose_config: 'False', port: '8080' });
  });

  test('the plain form takes values as Airflow reads them, and gives the same file as the typed helper', () => {
    const plain = { core: { load_examples: 'True', parallelism: '64' }, api: { expose_config: 'False' } };
    expect(airflowConfig({ core: { load_examples: true, parallelism: 64 }, api: { expose_config: false } })).toEqual(plain);
    expect(airflowCfgText(synthAirflow({ config: plain })))
      .toBe(airflowCfgText(synthAirflow({ config: airflowConfig({ core: { load_examples: true, parallelism: 64 }, api: { expose_config: false } }) })));
    // Text is accepted where Airflow's parser accepts it: integers, and t/true/1 or f/false/0 in any case.
    expect(cfgOf(synthAirflow({ config: { core: { parallelism: ' 64 ' }, scheduler: { catchup_by_default: 'TRUE' } } })).scheduler)
      .toEqual({ catchup_by_default: 'TRUE' });
  });

  test('worker concurrency is a flag of the workers, not an option of the file every pod reads', () => {
    const manifests = synthAirflow({ executor: Executor.celery({ workers: { concurrency: 4 } }) });
    expect(cfgOf(manifests).celery).toBeUndefined();
    expect(find(manifests, 'StatefulSet', 'airflow-worker').spec.template.spec.containers[0].args).toEqual(['celery', 'worker', '--concurrency', '4']);
    // The prop owns it: setting it in config as well is refused, with the prop to use.
    expect(problemsOf({ config: { celery: { worker_concurrency: '8' } } }).join('\n')).toContain('executor workers.concurrency');
  });

  test('rendering is ordered, so key order in the input does not matter', () => {
    const a = renderAirflowCfg({ core: { b: 1, a: 'x' }, api: { z: true } });
    const b = renderAirflowCfg({ api: { z: true }, core: { a: 'x', b: 1 } });
    expect(a).toBe(b);
    expect(a).toBe('[api]\nz = True\n\n[core]\na = x\nb = 1\n');
    expect(mergeSections({ core: { a: 1, b: 2 } }, { core: { b: 3 }, api: { c: 4 } })).toEqual({ core: { a: 1, b: 3 }, api: { c: 4 } });
  });

  test('changing the config rolls the Airflow pods: the checksum follows the file', () => {
    const checksum = (manifests: ReturnType<typeof synthAirflow>) =>
      find(manifests, 'Deployment', 'airflow-scheduler').spec.template.metadata.annotations['checksum/airflow-config'];
    expect(checksum(synthAirflow())).toBe(checksum(synthAirflow()));
    expect(checksum(synthAirflow({ config: { core: { parallelism: '64' } } }))).not.toBe(checksum(synthAirflow()));
  });
});


/** Every environment variable of every container, including those of the pod template file. */
function airflowEnvNames(manifests: Manifest[]): string[] {
  const pods = workloads(manifests).map((w) => podTemplate(w).spec);
  const podTemplateFile = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-pod-template'));
  if (podTemplateFile) {
    pods.push(parse(podTemplateFile.data['pod_template_file.yaml']).spec);
  }
  return pods.flatMap((spec) => [...(spec.initContainers ?? []), ...spec.containers])
    // The log groomer's AIRFLOW__LOG_* variables belong to the image's /clean-logs script, not to airflow.cfg.
    .filter((c: Manifest) => c.name !== 'log-groomer')
    .flatMap((c: Manifest) => (c.env ?? []).map((e: Manifest) => e.name as string))
    .filter((name: string) => name.startsWith('AIRFLOW__'));
}

describe('every option in every synthesised output is a current option of its Airflow release', () => {
  test.each(SCENARIOS.map((s) => [s.name, s.version, s.synth] as const))('%s (Airflow %s)', (_name, version, synth) => {
    const table = optionTable(AirflowVersion.of(version));
    const manifests = synth();
    const cfg = parseCfg(airflowCfgText(manifests));
    const file = Object.entries(cfg).flatMap(([section, options]) => Object.keys(options).map((o) => [section, o] as const));
    expect(file.length).toBeGreaterThan(8);
    for (const [section, option] of file) {
      const row = table[section]?.[option];
      // Known, not deprecated, and never a secret in a ConfigMap.
      expect([section, option, row !== undefined, row?.[2], row?.[1]]).toEqual([section, option, true, 0, 0]);
    }

    const byEnvName = new Map(Object.entries(table).flatMap(([section, options]) =>
      Object.keys(options).map((option) => [configEnvName(section, option), options[option]] as const)));
    const envNames = airflowEnvNames(manifests);
    expect(envNames.length).toBeGreaterThan(10);
    for (const name of new Set(envNames)) {
      expect([name, byEnvName.has(name), byEnvName.get(name)?.[2]]).toEqual([name, true, 0]);
    }
  });

  test('the check catches an option the library would write but the release does not know', () => {
    const errors = new ValidationErrors();
    validateLibraryOptions({ file: { core: { executor: 'x', dag_concurrency: 16 } }, fromEnvironment: [['api_auth', 'jwt_secret']] }, AirflowVersion.V2_11_0, errors);
    expect(() => errors.throwIfAny('test')).toThrow(
      'test: 2 problems in the configuration:\n' +
      '  - (library default) core.dag_concurrency: not a current option of Airflow 2.11.0 (got 16). Fix: report this as a bug of cdk8s-airflow\n' +
      '  - (library default) api_auth.jwt_secret: not a current option of Airflow 2.11.0 (got "<from a Secret>"). Fix: report this as a bug of cdk8s-airflow');
  });
});

describe('option tables per release', () => {
  test('options arrive with the release that added them', () => {
    expect(optionTable(AirflowVersion.of('3.1.7')).core.multi_team).toBeUndefined();
    expect(optionTable(AirflowVersion.of('3.2.0')).core.multi_team).toBeDefined();
    expect(optionTable(AirflowVersion.of('3.1.6')).workers?.missing_dag_retry_delay).toBeUndefined();
    expect(optionTable(AirflowVersion.of('3.1.7')).workers.missing_dag_retry_delay).toBeDefined();
  });

  test('a renamed option has its old name on the releases before the rename', () => {
    expect(optionTable(AirflowVersion.of('3.0.1')).webserver.secret_key).toEqual(['', 1, 0, 's']);
    expect(optionTable(AirflowVersion.of('3.0.1')).api.secret_key).toBeUndefined();
    expect(optionTable(AirflowVersion.of('3.0.2')).webserver.secret_key).toBeUndefined();
    // The last [webserver] options moved to [api] in 3.1.0.
    expect(optionTable(AirflowVersion.of('3.0.6')).webserver.page_size).toBeDefined();
    expect(optionTable(AirflowVersion.of('3.1.0')).webserver).toBeUndefined();
    expect(optionTable(AirflowVersion.of('3.0.2')).api.secret_key).toEqual(['', 1, 0, 's']);
  });

  test('Airflow 2.11 has its own sections and types', () => {
    const v2 = optionTable(AirflowVersion.V2_11_0);
    expect(v2.webserver.web_server_port).toBeDefined();
    expect(v2.scheduler.standalone_dag_processor).toEqual(['2.3.0', 0, 0, 'b']);
    expect(v2.api_auth).toBeUndefined();
    expect(optionTable(AirflowVersion.V3_1_7).core.parallelism[3]).toBe('i');
  });
});

test('a chain of renames unwinds to the name each release used', () => {
  // [webserver] page_size became [api] page_size in 3.1.0 and [api] fallback_page_limit in 3.2.0.
  expect(optionTable(AirflowVersion.of('3.0.6')).webserver.page_size).toBeDefined();
  expect(optionTable(AirflowVersion.of('3.1.7')).api.page_size).toBeDefined();
  expect(optionTable(AirflowVersion.of('3.0.6')).api.page_size).toBeUndefined();
  expect(optionTable(AirflowVersion.of('3.2.0')).api.fallback_page_limit).toBeDefined();
  expect(optionTable(AirflowVersion.of('3.2.0')).api.page_size).toBeUndefined();
});

test('the 3.1 line has the core options of 3.1, not those of the 3.2 spec', () => {
  const v317 = optionTable(AirflowVersion.of('3.1.7'));
  const v320 = optionTable(AirflowVersion.of('3.2.0'));
  // Dropped in 3.2: still an option of 3.1.
  expect(v317.core.mp_start_method).toBeDefined();
  expect(v320.core.mp_start_method).toBeUndefined();
  // New in 3.2 without a recorded version: not an option of 3.1.
  expect(v317.api.theme).toBeUndefined();
  expect(v320.api.theme).toBeDefined();
  // Added by a 3.1 patch release, under the name that release used.
  expect(v317.workers.missing_dag_retires).toBeDefined();
  expect(v317.workers.missing_dag_retries).toBeUndefined();
  expect(optionTable(AirflowVersion.of('3.1.8')).workers.missing_dag_retries).toBeDefined();
  // Provider options are not tied to the core release.
  expect(v317.kubernetes_executor.pod_template_file).toBeDefined();
});

test('the typed helper refuses unknown sections and options and wrong value types (checked by tsc in npm test)', () => {
  const written: AirflowConfigOptions[] = [
    // @ts-expect-error a misspelt option
    { core: { paralelism: 32 } },
    // @ts-expect-error a misspelt section
    { schedular: { parsing_processes: 2 } },
    // @ts-expect-error a boolean option takes a boolean
    { scheduler: { catchup_by_default: 'yes' } },
    // @ts-expect-error an option both lines type as an integer takes a number
    { api: { maximum_page_limit: '100' } },
    // Options of either line pass the type; the synth check knows which release has which.
    { core: { parallelism: 32 }, scheduler: { catchup_by_default: false }, webserver: { expose_config: true }, dag_processor: { refresh_interval: 60 } },
    // @ts-expect-error a flag the spec types as a string but Airflow reads only with getboolean (scripts/airflow-config/boolean-strings.json)
    { core: { load_examples: 'yes' } },
    // What the types cannot catch (the README says so): options the two lines type differently
    // take any value; the synth check reads them as the target release's parser does.
    { core: { parallelism: 'many' } },
  ];
  expect(written).toHaveLength(7);
  expect(problemsOf({ config: airflowConfig(written[5]) })).toEqual([
    'config.core.load_examples: [core] load_examples takes a boolean (got "yes"). Fix: give "True" or "False"',
  ]);
  expect(problemsOf({ config: airflowConfig(written[6]) }).map((p) => p.split(':')[0])).toEqual(['config.core.parallelism']);
});
