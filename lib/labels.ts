/** The recommended Kubernetes labels this library sets. */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * Labels that select a component's pods. They are built from the release name and the
 * component name only, never from construct paths, so refactoring the code that creates a
 * workload cannot change its (immutable) selector.
 */
export function selectorLabels(release: string, component: string): Record<string, string> {
  return {
    [LABEL_NAME]: 'airflow',
    [LABEL_INSTANCE]: release,
    [LABEL_COMPONENT]: component,
  };
}

/** Selector labels plus the descriptive ones, for object metadata and pod templates. */
export function componentLabels(release: string, component: string): Record<string, string> {
  return {
    ...selectorLabels(release, component),
    [LABEL_PART_OF]: 'airflow',
    [LABEL_MANAGED_BY]: 'cdk8s',
  };
}

/**
 * The release of an object that Kubernetes or Airflow creates from a template at runtime (a
 * KubernetesExecutor task pod). Such objects must not carry `app.kubernetes.io/instance`: Argo CD
 * (before 3.0, by default) tracks its resources by that label, and would prune an object that
 * carries it but is not in Git — a running task.
 */
export const LABEL_RELEASE = 'cdk8s-airflow/release';

/** Labels of an object created at runtime from a template: the component's, but no tracking label. */
export function runtimeObjectLabels(release: string, component: string): Record<string, string> {
  return {
    [LABEL_NAME]: 'airflow',
    [LABEL_COMPONENT]: component,
    [LABEL_PART_OF]: 'airflow',
    [LABEL_RELEASE]: release,
  };
}
