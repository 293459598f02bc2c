import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import type { AirflowContext } from '../context';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME } from '../labels';
import { ValidationErrors, seconds } from '../validation';
import { labelKeyProblem, labelValueProblem } from '../validation/kubernetes-names';
import type { ServiceMonitorOptions } from './metrics';

/** Records the problems of a `serviceMonitor` option: its labels and its scrape interval. */
export function validateServiceMonitor(errors: ValidationErrors, property: string, serviceMonitor: ServiceMonitorOptions | undefined): void {
  for (const [key, value] of Object.entries(serviceMonitor?.labels ?? {})) {
    const problem = [LABEL_NAME, LABEL_INSTANCE, LABEL_COMPONENT].includes(key) ? 'the library sets this label itself' : labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== undefined) {
      errors.add(`${property}.labels.${key}`, value, problem, 'use the label your Prometheus selects ServiceMonitors by, e.g. "release"');
    }
  }
  const interval = serviceMonitor?.interval;
  if (interval !== undefined && (seconds(interval) < 1 || !Number.isInteger(seconds(interval)))) {
    errors.add(`${property}.interval`, `${seconds(interval)}s`, 'the scrape interval is written in whole seconds, at least 1', 'e.g. Duration.seconds(30)');
  }
}

/**
 * A Prometheus Operator ServiceMonitor named like the component's Service, selecting that Service
 * by the component's selector labels (which its Service carries) and scraping `/metrics` on the
 * Service port `port`.
 */
export function componentServiceMonitor(scope: Construct, context: AirflowContext, component: string, port: string,
  options: ServiceMonitorOptions): ApiObject {
  const { labels, interval } = options;
  const metadata = context.metadata(component);
  return new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata: { ...metadata, labels: { ...labels, ...metadata.labels } },
    spec: {
      selector: { matchLabels: context.selectorLabels(component) },
      endpoints: [{ port, path: '/metrics', interval: interval === undefined ? undefined : `${seconds(interval)}s` }],
    },
  });
}
