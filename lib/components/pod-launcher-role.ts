import { Construct } from 'constructs';
import { AirflowContext } from '../context';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { PRIMARY_ID, namespacedRole } from './common';

export interface PodLauncherOptions {
  /**
   * Also allow `pods/exec`, which KubernetesPodOperator needs only to read XCom from a sidecar
   * (`do_xcom_push=True`). Exec into pods is a privilege escalation path; grant it knowingly.
   * @default false
   */
  readonly allowExec?: boolean;
}

export interface PodLauncherRoleProps extends PodLauncherOptions {
  readonly context: AirflowContext;
  /** The ServiceAccounts (of this namespace) bound to the Role, asked for at synth. */
  readonly serviceAccounts: () => k8s.KubeServiceAccount[];
}

/**
 * What the KubernetesExecutor and KubernetesPodOperator need to run a task as its own pod in the
 * release's namespace: create, follow, read the logs of and delete pods, and read their events.
 * Nothing broader.
 */
export class PodLauncherRole extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PodLauncherRoleProps): PodLauncherRole {
    return new PodLauncherRole(scope, id, props);
  }

  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  private constructor(scope: Construct, id: string, props: PodLauncherRoleProps) {
    super(scope, id);
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ];
    if (props.allowExec) {
      rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] });
    }
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, props.context, 'pod-launcher', rules, props.serviceAccounts, PRIMARY_ID));
  }
}
