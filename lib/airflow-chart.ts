import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Airflow } from './airflow';
import type { AirflowProps } from './airflow-props';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { LABEL_MANAGED_BY, LABEL_PART_OF } from './labels';

/** A Pod Security Admission level for the namespace. */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

/** Every `Airflow` prop, and what to do about the namespace. `namespace` is required here. */
export interface AirflowChartProps extends AirflowProps {
  /**
   * Synthesise the Namespace object itself (first in the file, so `kubectl apply` creates it
   * before what lives in it).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The level Pod Security Admission enforces in the namespace. This library's own pods meet
   * `restricted`; tasks that KubernetesPodOperator starts from DAG code often set no security
   * context, and `restricted` would reject them. Either way the namespace warns and audits at
   * `restricted`, so such pods show up.
   * @default PodSecurityLevel.BASELINE
   */
  readonly enforcePodSecurity?: PodSecurityLevel;
}

/** A chart with one Airflow deployment and, by default, its Namespace. Takes every `Airflow` prop. */
export class AirflowChart extends Chart {
  public readonly airflow: Airflow;
  /** The Namespace object, unless `createNamespace` is false. */
  public readonly namespaceObject?: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: AirflowChartProps) {
    // The chart sets no namespace of its own: cdk8s would stamp it on the Namespace object too.
    // Without a namespace, Airflow's own check reports it.
    super(scope, id);
    if ((props.createNamespace ?? true) && props.namespace !== undefined) {
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          // No app.kubernetes.io/instance: a Namespace may hold several releases, and
          // `kubectl apply --prune -l app.kubernetes.io/instance=<name>` of one release's
          // folder must never select (and delete) it.
          labels: {
            [LABEL_PART_OF]: 'airflow',
            [LABEL_MANAGED_BY]: 'cdk8s',
            'pod-security.kubernetes.io/enforce': props.enforcePodSecurity ?? PodSecurityLevel.BASELINE,
            'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
            'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
          },
        },
      });
    }
    const { createNamespace: _create, enforcePodSecurity: _enforce, ...airflowProps } = props;
    this.airflow = new Airflow(this, 'Airflow', airflowProps);
  }
}
