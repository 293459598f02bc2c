import { EVERY_AIRFLOW_POD } from '../config/files';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import { optionRow } from '../config/option-table';
import { checkArguments } from '../props-shape/check-shape';
import type { ValidationErrors } from '../validation';
import type { MetricsBehaviour, OpenTelemetryMetricsOptions } from './metrics';

/** The collector's OTLP/HTTP port (OpenTelemetry's default; Airflow's own default, 8889, is not an OTLP port). */
const OTLP_HTTP_PORT = 4318;

/**
 * Airflow's OpenTelemetry metrics (`[metrics] otel_on`), pushed with the OTLP/HTTP exporter.
 *
 * - Up to 3.1, Airflow reads the collector's address from `[metrics] otel_host`, `otel_port` and
 *   `otel_ssl_active` and posts to `http[s]://<host>:<port>/v1/metrics` with
 *   `opentelemetry.exporter.otlp.proto.http`'s OTLPMetricExporter (3.1: airflow-core
 *   metrics/otel_logger.py `get_otel_logger`, at 0d3b2639da; 2.x: airflow/metrics/otel_logger.py,
 *   the same lines).
 * - 3.2 deprecates those options for the standard variables (config.yml at dda8d2786710,
 *   `version_deprecated: 3.2.0`, apache/airflow#56150): shared/observability common.py
 *   `get_otel_data_exporter` prefers `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (or `..._ENDPOINT`), and
 *   uses the HTTP exporter unless the protocol variable says `grpc`. The library sets the
 *   metrics-specific variables, so that traces configured elsewhere keep theirs.
 * Which of the two a release reads follows from its option table: `otel_host` current or deprecated.
 */
export class OpenTelemetryMetrics implements MetricsBehaviour {
  constructor(private readonly options: OpenTelemetryMetricsOptions) {}

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkArguments(errors, property, 'Metrics.openTelemetry', [this.options])) {
      return;
    }
    const { host, port } = this.options;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) || /:\d*$/.test(host)) {
      errors.add(`${property}.host`, host, 'the host alone: Airflow adds the scheme, the port and /v1/metrics', 'e.g. host: "otel-collector.observability", port: 4318, ssl: true for https');
    } else if (!/^[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(host)) {
      errors.add(`${property}.host`, host, 'not a host name', 'give the collector Service\'s name, e.g. "otel-collector.observability"');
    }
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      errors.add(`${property}.port`, port, 'not a TCP port', 'e.g. 4318, the OTLP/HTTP port');
    }
  }

  public configure(config: ConfigContributions, facts: ConfigFacts): void {
    const owner = 'metrics (Metrics.openTelemetry())';
    const { host, ssl } = this.options;
    const port = this.options.port ?? OTLP_HTTP_PORT;
    config.set('metrics', 'otel_on', true, owner);
    config.set('metrics', 'otel_prefix', 'airflow', owner);
    // Every Airflow process pushes to the collector: network policies open that port.
    config.connectsTo({ service: 'otel-collector', port, clients: EVERY_AIRFLOW_POD });
    // Airflow prefers Datadog, then statsd, to OpenTelemetry (stats.py / stats_utils.py
    // `get_stats_factory`): either would turn these metrics off without a word.
    config.claim('metrics', 'statsd_on', 'metrics (Metrics.openTelemetry(): with statsd on, Airflow sends statsd metrics instead)');
    config.claim('metrics', 'statsd_datadog_enabled', 'metrics (Metrics.openTelemetry(): with Datadog on, Airflow sends Datadog metrics instead)');
    const legacy = optionRow(facts.version, 'metrics', 'otel_host');
    if (legacy !== undefined && legacy[2] === 0) {
      config.set('metrics', 'otel_host', host, owner);
      config.set('metrics', 'otel_port', port, owner);
      config.set('metrics', 'otel_ssl_active', ssl ?? false, owner);
    } else {
      config.addEnvironment(EnvAudience.ALL,
        { name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', value: `${ssl ? 'https' : 'http'}://${host}:${port}/v1/metrics` },
        { name: 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', value: 'http/protobuf' });
    }
  }

  public bind(): undefined {
    return undefined;
  }
}
