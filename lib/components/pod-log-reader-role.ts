import { Construct } from 'constructs';
import { AirflowContext } from '../context';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { PRIMARY_ID, namespacedRole } from './common';

export interface PodLogReaderRoleProps {
  readonly context: AirflowContext;
  /** The ServiceAccounts (of this namespace) bound to the Role, asked for at synth. */
  readonly serviceAccounts: () => k8s.KubeServiceAccount[];
}

/**
 * Lets the UI server show the log of a task that is still running in a KubernetesExecutor pod: it
 * finds the pod by its labels and reads its log through the Kubernetes API. Read-only.
 */
export class PodLogReaderRole extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PodLogReaderRoleProps): PodLogReaderRole {
    return new PodLogReaderRole(scope, id, props);
  }

  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  private constructor(scope: Construct, id: string, props: PodLogReaderRoleProps) {
    super(scope, id);
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ];
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, props.context, 'pod-log-reader', rules, props.serviceAccounts, PRIMARY_ID));
  }
}
