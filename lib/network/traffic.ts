import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/**
 * What the NetworkPolicies know about one group of pods (a component): registered as the
 * deployment is built (`AirflowPod`, the data stores), read at synth. The roles of a group follow
 * from the ports it serves (`PORTS`, which config, Services and probes share) and from these facts,
 * so that components added later (a worker set) are covered without further wiring.
 */
export interface PodGroup {
  /** The component, e.g. `worker`: the pods carry it as `app.kubernetes.io/component`. */
  readonly component: string;
  /**
   * Pods Airflow creates from a template (KubernetesExecutor task pods), which carry the
   * release label `cdk8s-airflow/release` instead of `app.kubernetes.io/instance`.
   */
  readonly createdByAirflow: boolean;
  /** Runs Airflow (its image, `airflow.cfg`, the database connection); false for Redis and PostgreSQL. */
  readonly airflow: boolean;
  /** Runs task code (Celery workers, task pods, a LocalExecutor scheduler): calls the execution API on Airflow 3. */
  readonly runsTasks: boolean;
  /** Parses or runs DAG code, or syncs DAG files (git-sync). */
  readonly runsDagCode: boolean;
  /** Not Airflow, yet connects to the metadata database (PgBouncer). */
  readonly databaseClient: boolean;
  /** At synth: the pods mount a ServiceAccount token, to call the Kubernetes API. */
  readonly holdsToken: () => boolean;
  /** The ports the main container serves. */
  readonly ports: readonly k8s.ContainerPort[];
}

/** The facts a component registers; what it leaves out is false. */
export interface PodGroupFacts {
  readonly component: string;
  readonly createdByAirflow?: boolean;
  readonly airflow: boolean;
  readonly runsTasks?: boolean;
  readonly runsDagCode?: boolean;
  readonly databaseClient?: boolean;
  readonly holdsToken?: () => boolean;
  readonly ports?: readonly k8s.ContainerPort[];
}

/** The services outside the output that the configuration names, by what names them in `networkPolicies.servicePorts`. */
export type ConnectedService = 'database' | 'broker' | 'resultBackend' | 'secretsBackend' | 'remoteLogs';

/**
 * A service outside the output that pods of the deployment connect to (an external database or
 * broker, a secrets backend), as the variant that writes its URL declares it.
 */
export interface ServiceConnection {
  /**
   * What it is: a `ConnectedService` (named so in `networkPolicies.servicePorts`, where a port
   * hidden in a Secret is given), or another service whose port the library always knows (a
   * metrics collector, say).
   */
  readonly service: ConnectedService | string;
  /** Its TCP port; undefined when the address is in a Secret the library cannot read (a `ConnectedService` only). */
  readonly port?: number;
  /** The components whose pods connect to it. */
  readonly clients: (component: string) => boolean;
}

/** The pod groups of one deployment, in the order they were registered. */
export class PodGroups {
  private readonly groups: PodGroup[] = [];

  /** Registers a component's pods (once per component). */
  public add(facts: PodGroupFacts): void {
    if (this.groups.some((g) => g.component === facts.component)) {
      return;
    }
    this.groups.push({
      component: facts.component,
      createdByAirflow: facts.createdByAirflow ?? false,
      airflow: facts.airflow,
      runsTasks: facts.runsTasks ?? false,
      runsDagCode: facts.runsDagCode ?? false,
      databaseClient: facts.databaseClient ?? false,
      holdsToken: facts.holdsToken ?? (() => false),
      ports: [...(facts.ports ?? [])],
    });
  }

  public get all(): readonly PodGroup[] {
    return [...this.groups];
  }
}
