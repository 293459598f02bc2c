import type { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { StatsdExporter } from '../components/statsd-exporter';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import type { ContainerImage } from '../image';
import type { PodOptions } from '../pod/pod-options';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import { OpenTelemetryMetrics } from './open-telemetry';
import { StatsdExporterMetrics } from './statsd';

/**
 * One rule of the statsd exporter's mapping: a statsd metric name pattern and the Prometheus metric
 * it becomes. Rules are tried in order and the first that matches wins; yours come before the
 * library's, so a rule with the `match` of one of the library's replaces it.
 */
export interface StatsdMapping {
  /**
   * The statsd name, in statsd_exporter's glob syntax: dot-separated parts of letters, digits,
   * `_` and `-`, each part fixed or `*` (one whole part), e.g. `airflow.dag.*.*.duration`. Airflow
   * sends every name with the prefix `airflow.`.
   */
  readonly match: string;
  /**
   * The Prometheus metric name; `$1`, `$2`, … stand for the parts the `*`s matched, in order.
   * Required unless `drop`. Every rule that gives a name must give it the same label names.
   * @default - none: only with `drop`
   */
  readonly name?: string;
  /**
   * Prometheus labels, label name -> value; `$1`, `$2`, … stand for the parts the `*`s matched.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
  /**
   * Drop the metrics the rule matches instead of exporting them (then it has no name or labels).
   * @default false
   */
  readonly drop?: boolean;
}

/** A Prometheus Operator ServiceMonitor for an exporter's metrics port (the statsd exporter's, PgBouncer's). */
export interface ServiceMonitorOptions {
  /**
   * Labels of the ServiceMonitor besides the library's, for the `serviceMonitorSelector` of your
   * Prometheus, e.g. `{ release: 'kube-prometheus-stack' }`.
   * @default - the library's labels only
   */
  readonly labels?: { [key: string]: string };
  /**
   * How often Prometheus scrapes the exporter, in whole seconds.
   * @default - the Prometheus's own scrape interval
   */
  readonly interval?: Duration;
}

/** Airflow's statsd metrics, turned into labelled Prometheus metrics by a statsd exporter. */
export interface StatsdExporterOptions {
  /** @default prom/statsd-exporter:v0.30.0 */
  readonly image?: ContainerImage;
  /** @default 50m/500m CPU, 64Mi/256Mi memory */
  readonly resources?: kplus.ContainerResources;
  /**
   * Mapping rules of your own, tried before the library's (which label task, DAG run and pool
   * metrics by DAG, task, state and pool).
   * @default - the library's rules only
   */
  readonly mappings?: StatsdMapping[];
  /**
   * A Prometheus Operator ServiceMonitor `<name>-statsd` for the exporter's `metrics` port; `{}`
   * for one with the defaults. Needs the ServiceMonitor CRD (`monitoring.coreos.com/v1`).
   * @default - none: scrape `<name>-statsd:9102/metrics` as you like
   */
  readonly serviceMonitor?: ServiceMonitorOptions;
  /**
   * Pull secrets, ServiceAccount annotations, labels and scheduling of the exporter's pod, on top
   * of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
}

/** Where Airflow sends its metrics over OTLP/HTTP: an OpenTelemetry Collector. */
export interface OpenTelemetryMetricsOptions {
  /**
   * The collector's host name (a Service, e.g. `otel-collector.observability`, or `localhost` for
   * a collector sidecar added with `pods.sidecars`).
   */
  readonly host: string;
  /**
   * The collector's OTLP/HTTP port: Airflow posts to `http[s]://<host>:<port>/v1/metrics`.
   * @default 4318
   */
  readonly port?: number;
  /**
   * Connect with TLS (`https://`).
   * @default false
   */
  readonly ssl?: boolean;
}

/**
 * What a way of exporting metrics does to the deployment: it checks its options, writes the
 * `[metrics]` options (or the variables) Airflow reads, and adds what it runs. One implementation
 * per file in this folder.
 */
export interface MetricsBehaviour {
  validate(errors: ValidationErrors, property: string, version: AirflowVersion): void;
  configure(config: ConfigContributions, facts: ConfigFacts): void;
  /** Adds its components; the statsd exporter, or nothing. */
  bind(scope: Construct, context: AirflowContext): StatsdExporter | undefined;
}

/**
 * Where Airflow's metrics go. Made by the static methods: `Metrics.statsdExporter()` (a statsd
 * exporter that Prometheus scrapes) or `Metrics.openTelemetry({ host })` (an OpenTelemetry
 * Collector). Without `metrics`, Airflow sends none.
 */
export class Metrics {
  /**
   * Airflow sends statsd metrics (`[metrics] statsd_on`) to a statsd exporter `<name>-statsd`
   * (prom/statsd-exporter, UDP 9125), which serves them to Prometheus on port 9102 (`metrics`)
   * as labelled metrics, by the library's mapping and yours.
   */
  public static statsdExporter(options: StatsdExporterOptions = {}): Metrics {
    return new Metrics(new StatsdExporterMetrics(options));
  }

  /**
   * Airflow pushes its metrics to an OpenTelemetry Collector over OTLP/HTTP (`[metrics] otel_on`;
   * the collector's address is `[metrics] otel_host` and `otel_port` up to Airflow 3.1, and
   * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` from 3.2, which deprecates those options). Nothing is
   * deployed: the collector is yours.
   */
  public static openTelemetry(options: OpenTelemetryMetricsOptions): Metrics {
    return new Metrics(new OpenTelemetryMetrics(options));
  }

  private constructor(/** @internal */ public readonly _behaviour: MetricsBehaviour) {}
}
