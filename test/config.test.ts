import { AirflowVersion, Executor } from '../lib';
import { AIRFLOW_3_OPTIONS } from '../lib/config/airflow-options.generated';
import { mergeSections, renderAirflowCfg } from '../lib/config/airflow-config';
import { find, synthAirflow, synthReference } from './helpers';

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

const cfgOf = (manifests = synthReference()) => parseCfg(find(manifests, 'ConfigMap', 'airflow-config').data['airflow.cfg']);

describe('airflow.cfg', () => {
  test('every option the library writes exists in the Airflow 3 spec and is not newer than 3.1.7', () => {
    const cfg = cfgOf();
    const release = AirflowVersion.V3_1_7;
    for (const [section, options] of Object.entries(cfg)) {
      for (const option of Object.keys(options)) {
        const row = AIRFLOW_3_OPTIONS[section]?.[option];
        expect([section, option, row !== undefined]).toEqual([section, option, true]);
        if (row && row[0] !== '') {
          expect(AirflowVersion.of(row[0]).compare(release)).toBeLessThanOrEqual(0);
        }
        // No sensitive option ever lands in the ConfigMap.
        expect([section, option, row?.[1]]).toEqual([section, option, 0]);
      }
    }
  });

  test('the reference deployment writes the options its objects depend on', () => {
    expect(cfgOf()).toEqual({
      api: { port: '8080' },
      celery: { worker_concurrency: '16' },
      core: {
        auth_manager: 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager',
        dags_folder: '/opt/airflow/dags/repo',
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
    const cfg = cfgOf(synthAirflow({ config: { core: { load_examples: true, parallelism: 64 }, api: { expose_config: false } } }));
    expect(cfg.core.load_examples).toBe('True');
    expect(cfg.core.parallelism).toBe('64');
    expect(cfg.core.executor).toBe('CeleryExecutor');
    expect(cfg.api).toEqual({ expose_config: 'False', port: '8080' });
  });

  test('worker concurrency comes from the executor prop', () => {
    const cfg = cfgOf(synthAirflow({ executor: Executor.celery({ workers: { concurrency: 4 } }) }));
    expect(cfg.celery.worker_concurrency).toBe('4');
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
    expect(checksum(synthAirflow({ config: { core: { parallelism: 64 } } }))).not.toBe(checksum(synthAirflow()));
  });
});
