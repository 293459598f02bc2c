import { DEFAULTS } from '../defaults';

/**
 * The cluster autoscaler's view of the pods. It does not scale a node down while a pod with an
 * emptyDir (every Airflow pod: its logs) runs there, unless the pod says it is safe to evict; and
 * it evicts one that says so. The annotation tells it which pods may move and which must finish.
 */
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** What the cluster autoscaler may evict when it scales a node down. */
export interface ClusterAutoscalerOptions {
  /**
   * Whether pods that run task code may be evicted: Celery workers, KubernetesExecutor task pods
   * and a scheduler that runs tasks (LocalExecutor). An eviction kills the running tasks.
   * @default false
   */
  readonly taskPodsSafeToEvict?: boolean;
  /**
   * Whether the pods that restart anywhere without losing work may be evicted: the UI server,
   * scheduler, DAG processor, triggerer, Flower and Redis. When false, each pins its node.
   * @default true
   */
  readonly servicePodsSafeToEvict?: boolean;
}

/** The kinds of pod, as the cluster autoscaler should treat them. */
export enum EvictionClass {
  /** Runs task code: an eviction kills tasks. */
  TASKS = 'tasks',
  /** Restarts anywhere without losing work. */
  SERVICE = 'service',
  /** Runs to completion (the Jobs) or holds the database: never evicted by a scale-down. */
  PINNED = 'pinned',
}

/** The `safe-to-evict` value of each class of pod. */
export class EvictionPolicy {
  constructor(private readonly options: ClusterAutoscalerOptions = {}) {}

  public annotation(kind: EvictionClass): Record<string, string> {
    const safe = kind === EvictionClass.TASKS ? this.options.taskPodsSafeToEvict ?? DEFAULTS.taskPodsSafeToEvict
      : kind === EvictionClass.SERVICE ? this.options.servicePodsSafeToEvict ?? DEFAULTS.servicePodsSafeToEvict
        : false;
    return { [SAFE_TO_EVICT_ANNOTATION]: String(safe) };
  }
}
