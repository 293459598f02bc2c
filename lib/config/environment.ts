import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** The containers an environment variable is for. */
export enum EnvAudience {
  /** Every Airflow container, init containers included. */
  ALL = 'all',
  /** The pods that host or serve the executor: the scheduler and the executor's own components. */
  EXECUTOR = 'executor',
  /** Flower only. */
  FLOWER = 'flower',
  /** The pods that parse or run DAG code: what DAG code may read (connections). */
  DAG_CODE = 'dag-code',
}

/**
 * The environment of Airflow containers that the configuration asks for: options passed as
 * `AIRFLOW__SECTION__OPTION` variables because their values come from Secrets, and the variables
 * those values are assembled from. Secrets enter only through `secretKeyRef`; a URL refers to an
 * earlier variable with `$(VAR)`, which the kubelet expands only from variables defined before it
 * in the same list, so each list keeps the order it was written in.
 */
export class AirflowEnvironment {
  constructor(private readonly byAudience: ReadonlyMap<EnvAudience, readonly k8s.EnvVar[]>) {}

  /** What every Airflow container gets. */
  public get common(): k8s.EnvVar[] {
    return this.of(EnvAudience.ALL);
  }

  /** What the pods of `audience` get on top of the common environment. */
  public of(audience: EnvAudience): k8s.EnvVar[] {
    return [...(this.byAudience.get(audience) ?? [])];
  }
}
