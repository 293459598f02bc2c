import type { Construct } from 'constructs';
import { StatsdExporter, STATSD_COMPONENT } from '../components/statsd-exporter';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { AirflowContext, PORTS, resourceName } from '../context';
import { DEFAULT_RESOURCES } from '../defaults';
import { validatePodOptions } from '../pod/pod-options';
import { checkResources } from '../pod/resources';
import { checkShape } from '../props-shape/check-shape';
import type { ValidationErrors } from '../validation';
import type { MetricsBehaviour, StatsdExporterOptions } from './metrics';
import { validateServiceMonitor } from './service-monitor';
import { STATSD_PREFIX, renderStatsdMapping, validateStatsdMappings } from './statsd-mapping';

/**
 * Airflow's statsd client sends to a statsd exporter of the release, which Prometheus scrapes.
 * Airflow reads `[metrics] statsd_on`, `statsd_host`, `statsd_port` and `statsd_prefix` (2.11:
 * airflow/stats.py and metrics/statsd_logger.py; 3.x: airflow-core observability/metrics/
 * statsd_logger.py and stats_utils.py, and the task SDK's copy in task-sdk observability/metrics/),
 * on both lines in `[metrics]` (config.yml). Its client sends UDP datagrams and resolves the host
 * once, when the process starts (python statsd `StatsClient`).
 */
export class StatsdExporterMetrics implements MetricsBehaviour {
  constructor(private readonly options: StatsdExporterOptions) {}

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'StatsdExporterOptions', this.options)) {
      return;
    }
    const { image, resources, mappings, serviceMonitor, pod } = this.options;
    for (const problem of image?.problems() ?? []) {
      errors.add(`${property}.image`, image?.reference, problem, 'pin a released tag, e.g. prom/statsd-exporter:v0.30.0');
    }
    checkResources(errors, `${property}.resources`, DEFAULT_RESOURCES.statsdExporter, resources);
    validatePodOptions(errors, `${property}.pod`, pod);
    validateStatsdMappings(errors, `${property}.mappings`, mappings ?? []);
    validateServiceMonitor(errors, `${property}.serviceMonitor`, serviceMonitor);
  }

  public configure(config: ConfigContributions, facts: ConfigFacts): void {
    config.set('metrics', 'statsd_on', true, 'metrics (Metrics.statsdExporter())');
    config.set('metrics', 'statsd_host', resourceName(facts.name, STATSD_COMPONENT), 'metrics (the statsd exporter\'s Service)');
    config.set('metrics', 'statsd_port', PORTS.statsd, 'metrics (the statsd exporter\'s Service port)');
    config.set('metrics', 'statsd_prefix', STATSD_PREFIX, 'metrics (the statsd mapping matches it)');
  }

  public bind(scope: Construct, context: AirflowContext): StatsdExporter {
    return StatsdExporter._create(scope, 'StatsdExporter', { context, ...this.options, mapping: renderStatsdMapping(this.options.mappings) });
  }
}
