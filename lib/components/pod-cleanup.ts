import { Construct } from 'constructs';
import { AirflowContext } from '../context';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { PRIMARY_ID, componentServiceAccount, namespacedRole } from './common';

export interface PodCleanupProps {
  readonly context: AirflowContext;
  /** @default '*\/15 * * * *' */
  readonly schedule?: string;
}

const COMPONENT = 'cleanup';

/**
 * Deletes the task pods Airflow left behind (succeeded, failed for good, evicted, or pending for
 * longer than the command's threshold) with `airflow kubernetes cleanup-pods`, which only looks at
 * pods carrying Airflow's task labels: KubernetesExecutor pods, and KubernetesPodOperator pods too.
 * Its Role may list and delete pods in the namespace, nothing else.
 */
export class PodCleanup extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PodCleanupProps): PodCleanup {
    return new PodCleanup(scope, id, props);
  }

  /** When it runs, in cron syntax. */
  public readonly schedule: string;
  public readonly cronJob: k8s.KubeCronJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  private constructor(scope: Construct, id: string, props: PodCleanupProps) {
    super(scope, id);
    const context = props.context;
    this.schedule = props.schedule ?? DEFAULTS.podCleanupSchedule;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, context.jobPods);
    const rules: k8s.PolicyRule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] }];
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, context, COMPONENT, rules, () => [this.serviceAccount]));
    const pod = new AirflowPod(context, {
      component: COMPONENT,
      args: ['kubernetes', 'cleanup-pods', `--namespace=${context.namespace}`],
      waitForMigrations: false,
      annotateConfigChecksum: false,
      kubernetesApiAccess: true,
      restartPolicy: 'Never',
      pod: context.jobPods,
      eviction: EvictionClass.PINNED,
      resources: renderResources(DEFAULT_RESOURCES.podCleanup),
    });
    this.cronJob = new k8s.KubeCronJob(this, PRIMARY_ID, {
      metadata: context.metadata(COMPONENT),
      spec: {
        schedule: this.schedule,
        // One run at a time; a missed run is simply skipped, the next one catches up.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            // Finished cleanup Jobs and their pods go away after a day.
            ttlSecondsAfterFinished: 86400,
            template: pod.template(),
          },
        },
      },
    });
  }
}
