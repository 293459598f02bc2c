import { Construct } from 'constructs';
import { AirflowContext } from '../context';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import { DbCleanOptions, dbCleanScript } from '../housekeeping';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { PRIMARY_ID, componentServiceAccount } from './common';

export interface DatabaseCleanupProps extends DbCleanOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'db-clean';
/** Finished Jobs stay a week, so that the log of a failed weekly run is still there to read. */
const FINISHED_JOB_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Deletes old rows of the metadata database on a schedule with `airflow db clean`
 * (`housekeeping.dbClean`). It only talks to the database: its ServiceAccount has no Role and no
 * token. Each run waits for the schema like every other Airflow pod, so that a run that starts
 * during an upgrade never cleans tables of the previous release's schema.
 */
export class DatabaseCleanup extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: DatabaseCleanupProps): DatabaseCleanup {
    return new DatabaseCleanup(scope, id, props);
  }

  /** When it runs, in cron syntax. */
  public readonly schedule: string;
  /** Rows older than this many days when a run starts are deleted. */
  public readonly retentionDays: number;
  /** The tables it cleans; empty for every table `airflow db clean` knows. */
  public readonly tables: string[];
  public readonly resources: k8s.ResourceRequirements;
  public readonly cronJob: k8s.KubeCronJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: DatabaseCleanupProps) {
    super(scope, id);
    const context = props.context;
    this.schedule = props.schedule ?? DEFAULTS.dbCleanSchedule;
    this.retentionDays = props.retentionDays;
    this.tables = [...(props.tables ?? [])];
    this.resources = renderResources(DEFAULT_RESOURCES.dbClean, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, context.jobPods);
    const pod = new AirflowPod(context, {
      component: COMPONENT,
      // Through the image's entrypoint, which runs bash after its database check.
      args: ['bash', '-c', dbCleanScript(props)],
      // A CronJob's pods read airflow.cfg when they start: no checksum to roll anything.
      annotateConfigChecksum: false,
      restartPolicy: 'Never',
      pod: context.jobPods,
      eviction: EvictionClass.PINNED,
      resources: this.resources,
    });
    this.cronJob = new k8s.KubeCronJob(this, PRIMARY_ID, {
      metadata: context.metadata(COMPONENT),
      spec: {
        schedule: this.schedule,
        // One run at a time: a run still deleting when the next is due makes it skip.
        concurrencyPolicy: 'Forbid',
        // A run that could not start on time (controller down, nodes scaling) may start within
        // the hour; later, the next scheduled run deletes what it would have.
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            // One retry: a run deletes table by table, each in its own transactions, and a
            // second run picks up where the first stopped.
            backoffLimit: 1,
            ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS,
            template: pod.template(),
          },
        },
      },
    });
  }
}
