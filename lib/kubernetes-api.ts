import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** A component whose pods may call the Kubernetes API with their own ServiceAccount. */
export interface KubernetesApiClient {
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** Mounts the ServiceAccount token into the component's pods. */
  _mountServiceAccountToken(): void;
}

/**
 * Who in a deployment may do what through the Kubernetes API. Components are registered by
 * reference, also after the deployment was built (a worker set); a grant mounts their token, and
 * the Roles bind, at synth, exactly the registered ServiceAccounts.
 */
export class KubernetesApiAccess {
  private readonly launchers: KubernetesApiClient[] = [];
  private readonly logReaders: KubernetesApiClient[] = [];
  private readonly runners: KubernetesApiClient[] = [];
  private readonly triggerRunners: KubernetesApiClient[] = [];

  /** @param taskRunnersLaunchPods task code may start pods (KubernetesPodOperator) */
  constructor(private readonly taskRunnersLaunchPods: boolean) {}

  /** May create, watch, read the logs of and delete pods (the pod-launcher Role). */
  public grantPodLaunch(client: KubernetesApiClient): void {
    grant(this.launchers, client);
  }

  /** May read pods and their logs (the pod-log-reader Role). */
  public grantPodLogRead(client: KubernetesApiClient): void {
    grant(this.logReaders, client);
  }

  /** Runs task code, which may start pods of its own (KubernetesPodOperator) where that is allowed. */
  public addTaskRunner(client: KubernetesApiClient): void {
    if (!this.runners.includes(client)) {
      this.runners.push(client);
      if (this.taskRunnersLaunchPods) {
        client._mountServiceAccountToken();
      }
    }
  }

  /**
   * Runs triggers of deferred tasks (the triggerer). Where task code may start pods, a deferrable
   * KubernetesPodOperator's trigger follows its pod from here: it reads the pod, its log and its events.
   */
  public addTriggerRunner(client: KubernetesApiClient): void {
    if (this.taskRunnersLaunchPods) {
      grant(this.triggerRunners, client);
    }
  }

  /** What the executor launches pods with, then the task runners where task code may. */
  public get podLaunchers(): k8s.KubeServiceAccount[] {
    const launchers = this.taskRunnersLaunchPods ? [...this.launchers, ...this.runners.filter((r) => !this.launchers.includes(r))] : this.launchers;
    return launchers.map((client) => client.serviceAccount);
  }

  public get podWatchers(): k8s.KubeServiceAccount[] {
    return this.triggerRunners.map((client) => client.serviceAccount);
  }

  public get podLogReaders(): k8s.KubeServiceAccount[] {
    return this.logReaders.map((client) => client.serviceAccount);
  }
}

function grant(list: KubernetesApiClient[], client: KubernetesApiClient): void {
  if (!list.includes(client)) {
    list.push(client);
    client._mountServiceAccountToken();
  }
}
