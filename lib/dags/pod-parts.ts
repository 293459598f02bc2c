import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { hardenedContainer, restrictedContainerProblems, restrictedVolumeProblem } from '../pod/restricted';
import { ValidationErrors } from '../validation';
import type { DagSourceConfig } from './dag-source';

/** What a DAG source adds to an Airflow pod that parses or runs DAGs. */
export interface PodParts {
  readonly volumes: k8s.Volume[];
  readonly initContainers: k8s.Container[];
  readonly sidecars: k8s.Container[];
  /** Mounts added to every Airflow container of the pod. */
  readonly airflowMounts: k8s.VolumeMount[];
}

export const NO_POD_PARTS: PodParts = { volumes: [], initContainers: [], sidecars: [], airflowMounts: [] };

/**
 * The pod parts of a bound DAG source, its containers hardened to the `restricted` profile, and
 * the problems with it recorded: what the library builds itself always passes, a custom source
 * is held to the same bar.
 */
export function podPartsOf(config: DagSourceConfig, errors: ValidationErrors, property: string): PodParts {
  if (typeof config.dagsFolder !== 'string' || !config.dagsFolder.startsWith('/')) {
    errors.add(`${property}.dagsFolder`, config.dagsFolder, 'the DAG folder must be an absolute path', 'give the folder as Airflow containers see it, e.g. "/opt/airflow/dags"');
  }
  const initContainers = (config.initContainers ?? []).map(hardenedContainer);
  const sidecars = (config.sidecars ?? []).map(hardenedContainer);
  for (const container of [...initContainers, ...sidecars]) {
    for (const { problem, setting } of restrictedContainerProblems(container)) {
      errors.add(`${property}: container ${container.name}`, setting, `${problem}, which the Pod Security "restricted" profile refuses`,
        'run it as a non-root user, without privilege escalation and host ports, with all capabilities dropped');
    }
  }
  for (const volume of config.volumes ?? []) {
    const problem = restrictedVolumeProblem(volume);
    if (problem !== undefined) {
      errors.add(`${property}: volume ${volume.name}`, volume.name, `${problem}, which the Pod Security "restricted" profile refuses`,
        'use a configMap, secret, emptyDir, projected, csi, ephemeral or persistentVolumeClaim volume');
    }
  }
  return { volumes: [...(config.volumes ?? [])], initContainers, sidecars, airflowMounts: [...(config.volumeMounts ?? [])] };
}
