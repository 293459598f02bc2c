import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { PodCleanupOptions } from '../executor';
import { airflowPodTemplate } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { componentServiceAccount, namespacedRole } from './common';

export interface PodCleanupProps extends PodCleanupOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'cleanup';
export const DEFAULT_CLEANUP_SCHEDULE = '*/15 * * * *';

/**
 * Deletes the task pods Airflow left behind (succeeded, failed for good, evicted, or pending for
 * longer than the command's threshold) with `airflow kubernetes cleanup-pods`, which only looks at
 * pods carrying Airflow's task labels: KubernetesExecutor pods, and KubernetesPodOperator pods too.
 * Its Role may list and delete pods in the namespace, nothing else.
 */
export class PodCleanup extends Construct {
  public readonly cronJob: k8s.KubeCronJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: PodCleanupProps) {
    super(scope, id);
    const context = props.context;
    if (context.namespace === undefined) {
      throw new Error('PodCleanup: the context has no namespace; the cleanup must name the namespace it cleans.');
    }
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    const rules: k8s.PolicyRule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] }];
    ({ role: this.role, roleBinding: this.roleBinding } = namespacedRole(this, context, COMPONENT, rules, [context.resourceName(COMPONENT)]));
    this.cronJob = new k8s.KubeCronJob(this, 'CronJob', {
      metadata: context.metadata(COMPONENT),
      spec: {
        schedule: props.schedule ?? DEFAULT_CLEANUP_SCHEDULE,
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
            template: airflowPodTemplate(context, {
              component: COMPONENT,
              args: ['kubernetes', 'cleanup-pods', `--namespace=${context.namespace}`],
              waitForMigrations: false,
              annotateConfigChecksum: false,
              kubernetesApiAccess: true,
              restartPolicy: 'Never',
              resources: renderResources(resources(100, 500, 256, 512)),
            }),
          },
        },
      },
    });
  }
}
