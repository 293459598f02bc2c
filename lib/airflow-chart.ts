import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Airflow } from './airflow';
import type { AirflowProps } from './airflow-props';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { LABEL_MANAGED_BY, LABEL_PART_OF } from './labels';
import { checkOutput } from './output-checks';
import { AirflowConfigurationError, ValidationErrors } from './validation';

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
    const errors = validateChartProps(props);
    if (errors.count === 0 && (props.createNamespace ?? true) && props.namespace !== undefined) {
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          // No app.kubernetes.io/instance: a Namespace may hold several releases, and
          // `kubectl apply --prune -l app.kubernetes.io/instance=<name>` of one release's
          // folder must never select (and delete) it.
          // The user's labels and annotations too (a cost centre), as on every object of the release.
          labels: {
            ...props.labels,
            [LABEL_PART_OF]: 'airflow',
            [LABEL_MANAGED_BY]: 'cdk8s',
            'pod-security.kubernetes.io/enforce': props.enforcePodSecurity ?? PodSecurityLevel.BASELINE,
            'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
            'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
          },
          annotations: props.annotations === undefined || Object.keys(props.annotations).length === 0 ? undefined : { ...props.annotations },
        },
      });
      checkOutput(this.namespaceObject);
    }
    const { createNamespace: _create, enforcePodSecurity: _enforce, ...airflowProps } = props;
    // The chart's problems and the deployment's are reported together, in one error.
    try {
      this.airflow = new Airflow(this, 'Airflow', airflowProps);
    } catch (error) {
      if (error instanceof AirflowConfigurationError) {
        errors.addAll(ValidationErrors.of(error.problems));
      }
      errors.throwIfAny(`AirflowChart "${this.node.path}"`);
      throw error;
    }
    errors.throwIfAny(`AirflowChart "${this.node.path}"`);
  }
}

/** The chart's own props; the rest are the `Airflow` construct's to check. */
function validateChartProps(props: AirflowChartProps): ValidationErrors {
  const errors = new ValidationErrors();
  const levels = Object.values(PodSecurityLevel) as string[];
  if (props.enforcePodSecurity !== undefined && !levels.includes(props.enforcePodSecurity)) {
    errors.add('enforcePodSecurity', props.enforcePodSecurity, `not a Pod Security level (${levels.join(', ')})`, 'e.g. PodSecurityLevel.BASELINE');
  }
  if (props.createNamespace !== undefined && typeof props.createNamespace !== 'boolean') {
    errors.add('createNamespace', props.createNamespace, 'must be true or false', 'e.g. false, when another chart creates the Namespace');
  }
  return errors;
}
