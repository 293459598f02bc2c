import { Construct } from 'constructs';
import { AirflowContext } from '../context';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { PRIMARY_ID, namespacedRole } from './common';

export interface PodWatcherRoleProps {
  readonly context: AirflowContext;
  /** The ServiceAccounts (of this namespace) bound to the Role, asked for at synth. */
  readonly serviceAccounts: () => k8s.KubeServiceAccount[];
}

/**
 * Lets the triggerer follow the pods of deferred tasks: a deferrable KubernetesPodOperator hands
 * its pod to a trigger (`KubernetesPodTrigger`), which reads the pod, watches (or lists) its
 * events and reads its log through the Kubernetes API. Creating and deleting the pod stay with
 * the worker that resumes the task: read-only.
 */
export class PodWatcherRole extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PodWatcherRoleProps): PodWatcherRole {
    return new PodWatcherRole(scope, id, props);
  }

  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  private constructor(scope: Construct, id: string, props: PodWatcherRoleProps) {
    super(scope, id);
    // The calls of the trigger's AsyncKubernetesHook (cncf.kubernetes provider, hooks/kubernetes.py):
    // read_namespaced_pod, read_namespaced_pod_log (with logging_interval), and a watch of
    // list_namespaced_event, which falls back to listing when watching is refused. The trigger
    // stopped deleting pods in apache/airflow#37279.
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ];
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, props.context, 'pod-watcher', rules, props.serviceAccounts, PRIMARY_ID));
  }
}
