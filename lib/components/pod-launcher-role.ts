import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { namespacedRole } from './common';

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
  /** ServiceAccounts (of this namespace) bound to the Role. */
  readonly serviceAccountNames: string[];
}

/**
 * What KubernetesPodOperator needs to run a task as its own pod in the release's namespace:
 * create, follow, read the logs of and delete pods, and read their events. Nothing broader.
 */
export class PodLauncherRole extends Construct {
  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: PodLauncherRoleProps) {
    super(scope, id);
    const context = props.context;
    const component = 'pod-launcher';
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch'] },
    ];
    if (props.allowExec) {
      rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] });
    }
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, context, component, rules, props.serviceAccountNames));
  }
}
