import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import { sha256 } from '../hash';
import type { ContainerImage } from '../image';
import { lazy } from '../lazy';
import type { ServiceMonitorOptions } from '../metrics/metrics';
import { componentServiceMonitor } from '../metrics/service-monitor';
import { EvictionClass } from '../pod/eviction';
import type { PodOptions } from '../pod/pod-options';
import { renderResources } from '../pod/resources';
import { PRIMARY_ID, componentService, componentServiceAccount, containerPort, dataStorePodTemplate } from './common';

export interface StatsdExporterProps {
  readonly context: AirflowContext;
  /** The mapping file's text. */
  readonly mapping: string;
  /** @default prom/statsd-exporter:v0.30.0 */
  readonly image?: ContainerImage;
  /** @default 50m/500m CPU, 64Mi/256Mi memory */
  readonly resources?: kplus.ContainerResources;
  /** @default - none */
  readonly serviceMonitor?: ServiceMonitorOptions;
  /** @default - the library-wide `pods` only */
  readonly pod?: PodOptions;
}

/** The component name: `<name>-statsd`, which `[metrics] statsd_host` names. */
export const STATSD_COMPONENT = 'statsd';
/** The image's own user, `nobody` (its Dockerfile: `USER 65534`). */
const EXPORTER_UID = 65534;
const MAPPING_DIR = '/etc/statsd-exporter';
const MAPPING_FILE = 'mappings.yml';
/** Rolls the exporter when its mapping changes: it reads the file at start (and on SIGHUP) only. */
export const MAPPING_CHECKSUM_ANNOTATION = 'checksum/statsd-mapping';

/**
 * A statsd exporter (prom/statsd-exporter): Airflow's statsd datagrams in on UDP 9125 (`statsd`),
 * labelled Prometheus metrics out on TCP 9102 (`metrics`, `/metrics`), by the mapping in the
 * ConfigMap `<name>-statsd-mapping`. One replica: statsd is UDP, and each replica would count
 * its own share of the events.
 */
export class StatsdExporter extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: StatsdExporterProps): StatsdExporter {
    return new StatsdExporter(scope, id, props);
  }

  /** `<name>-statsd`, as `[metrics] statsd_host` names it. */
  public readonly serviceName: string;
  /** Where Airflow sends its statsd datagrams (UDP). */
  public readonly port: number = PORTS.statsd;
  /** Where Prometheus scrapes `/metrics` (TCP). */
  public readonly metricsPort: number = PORTS.statsdMetrics;
  public readonly image: ContainerImage;
  public readonly resources: k8s.ResourceRequirements;
  /** The mapping file, as the library renders it (before any patch to `mappingConfigMap`). */
  public readonly mapping: string;
  public readonly mappingConfigMap: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** With `serviceMonitor`: the Prometheus Operator ServiceMonitor, named like the Service. */
  public readonly serviceMonitor?: ApiObject;

  private constructor(scope: Construct, id: string, props: StatsdExporterProps) {
    super(scope, id);
    const context = props.context;
    this.image = props.image ?? DEFAULT_IMAGES.statsdExporter;
    this.resources = renderResources(DEFAULT_RESOURCES.statsdExporter, props.resources);
    this.mapping = props.mapping;
    this.serviceName = context.resourceName(STATSD_COMPONENT);
    this.serviceAccount = componentServiceAccount(this, context, STATSD_COMPONENT, props.pod);
    const mappingConfigMap = new k8s.KubeConfigMap(this, 'Mapping', {
      metadata: context.metadata(STATSD_COMPONENT, context.resourceName(`${STATSD_COMPONENT}-mapping`)),
      data: { [MAPPING_FILE]: props.mapping },
    });
    this.mappingConfigMap = mappingConfigMap;

    // statsd_exporter answers /-/healthy and /-/ready on its web port (main.go at v0.30.0).
    const probe = (path: string, periodSeconds: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('metrics') },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    const container: k8s.Container = {
      name: 'statsd-exporter',
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      // Every listener explicit, so the Service's ports are what the output says; the TCP statsd
      // listener (on by default, on 9125 too) is off: Airflow's client sends UDP.
      args: [
        `--statsd.mapping-config=${MAPPING_DIR}/${MAPPING_FILE}`,
        `--statsd.listen-udp=:${PORTS.statsd}`,
        '--statsd.listen-tcp=',
        `--web.listen-address=:${PORTS.statsdMetrics}`,
      ],
      ports: [{ name: 'statsd', containerPort: PORTS.statsd, protocol: 'UDP' }, containerPort('metrics', PORTS.statsdMetrics)],
      resources: this.resources,
      livenessProbe: probe('/-/healthy', 15),
      readinessProbe: probe('/-/ready', 10),
      volumeMounts: [{ name: 'mapping', mountPath: MAPPING_DIR, readOnly: true }],
    };
    const identity = { user: EXPORTER_UID, group: EXPORTER_UID, fsGroup: EXPORTER_UID };
    const template = dataStorePodTemplate(context, STATSD_COMPONENT, identity, container,
      [{ name: 'mapping', configMap: { name: mappingConfigMap.name } }], EvictionClass.SERVICE, { pod: props.pod });
    this.deployment = new k8s.KubeDeployment(this, PRIMARY_ID, {
      metadata: context.metadata(STATSD_COMPONENT),
      spec: {
        replicas: 1,
        selector: { matchLabels: context.selectorLabels(STATSD_COMPONENT) },
        template: {
          ...template,
          metadata: {
            ...template.metadata,
            // Of the file as synthesised: a patch to the ConfigMap rolls the exporter too.
            annotations: { ...template.metadata?.annotations, [MAPPING_CHECKSUM_ANNOTATION]: lazy(() => sha256(mappingConfigMap.toJson().data[MAPPING_FILE])) },
          },
        },
      },
    });
    this.service = componentService(this, context, STATSD_COMPONENT, [
      { name: 'statsd', port: PORTS.statsd, targetPort: k8s.IntOrString.fromString('statsd'), protocol: 'UDP' },
      { name: 'metrics', port: PORTS.statsdMetrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' },
    ]);

    if (props.serviceMonitor !== undefined) {
      this.serviceMonitor = componentServiceMonitor(this, context, STATSD_COMPONENT, 'metrics', props.serviceMonitor);
    }
  }
}
