import * as k8s from '../../imports/k8s';

/** What a feature (a DAG source, say) adds to an Airflow pod. */
export interface PodParts {
  readonly volumes: k8s.Volume[];
  readonly initContainers: k8s.Container[];
  readonly sidecars: k8s.Container[];
  /** Mounts added to every Airflow container of the pod. */
  readonly airflowMounts: k8s.VolumeMount[];
}

export const NO_POD_PARTS: PodParts = { volumes: [], initContainers: [], sidecars: [], airflowMounts: [] };
