import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { Airflow, AirflowProps } from './airflow';
import { componentLabels } from './labels';

/** A Pod Security Admission level for the namespace. */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

export interface AirflowChartProps extends AirflowProps {
  /** The namespace everything is deployed to. */
  readonly namespace: string;
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
  public readonly namespaceObject?: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: AirflowChartProps) {
    // The chart sets no namespace of its own: cdk8s would stamp it on the Namespace object too.
    super(scope, id);
    if (props.createNamespace ?? true) {
      const release = props.name ?? 'airflow';
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          labels: {
            ...componentLabels(release, 'namespace'),
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
