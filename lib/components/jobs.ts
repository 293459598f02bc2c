import { Construct } from 'constructs';
import type { AdminUser } from '../auth/fab';
import { AirflowContext } from '../context';
import { DEFAULT_RESOURCES } from '../defaults';
import { shortHash } from '../hash';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { lazy } from '../lazy';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { PRIMARY_ID, componentServiceAccount } from './common';

/**
 * A run-to-completion Job whose name ends in a hash of its spec as synthesised, escape-hatch
 * patches included. A Job's pod template is immutable, so any change to what it runs (image,
 * version, arguments, a patch) yields a new Job next to the finished one instead of an update
 * the API server would reject; an unchanged spec keeps its name, so re-applying the same output
 * does nothing. Before synthesis `name` is the name without the hash.
 */
class HashedJob extends k8s.KubeJob {
  public toJson(): any {
    const manifest = super.toJson();
    manifest.metadata.name = `${this.name}-${shortHash(manifest.spec)}`;
    return manifest;
  }
}

function airflowJob(scope: Construct, context: AirflowContext, component: string, args: string[],
  options: { waitForMigrations: boolean; env?: k8s.EnvVar[]; replaceEnv?: Record<string, string> }): k8s.KubeJob {
  const pod = new AirflowPod(context, {
    component,
    args,
    env: options.env,
    restartPolicy: 'OnFailure',
    pod: context.jobPods,
    // A Job runs to completion: a migration cut off by a scale-down is not what anyone wants.
    eviction: EvictionClass.PINNED,
    waitForMigrations: options.waitForMigrations,
    annotateConfigChecksum: false,
    resources: renderResources(DEFAULT_RESOURCES.jobs),
  });
  return new HashedJob(scope, PRIMARY_ID, {
    metadata: context.metadata(component),
    spec: {
      // Retries cover a database that is still starting; the kubelet backs off between them.
      backoffLimit: 10,
      // At synth, as `pod.template()` renders: what was added to the pod until then counts.
      template: options.replaceEnv === undefined ? pod.template() : lazy(() => replaceEnv(pod.render(), options.replaceEnv!)),
    },
  });
}

/**
 * The template with the values of some variables replaced in place, keeping their position: a
 * second variable of the same name would be a duplicate, and a `$(VAR)` reference in the value
 * resolves only against variables defined before it.
 */
function replaceEnv(template: k8s.PodTemplateSpec, values: Record<string, string>): k8s.PodTemplateSpec {
  if (Object.keys(values).length === 0 || template.spec === undefined) {
    return template;
  }
  const containers = template.spec.containers.map((c) => ({
    ...c,
    env: c.env?.map((v) => (values[v.name] !== undefined ? { name: v.name, value: values[v.name] } : v)),
  }));
  return { ...template, spec: { ...template.spec, containers } };
}

export interface MigrateDatabaseJobProps {
  readonly context: AirflowContext;
  /**
   * With PgBouncer: the server's own URL, which replaces `[database] sql_alchemy_conn` in this
   * Job. `airflow db migrate` holds a session-level `pg_advisory_lock` on one connection across
   * its transactions (utils/db.py `_create_global_lock_postgresql`), which transaction pooling
   * would hand to other clients between them.
   * @default - the URL every Airflow pod uses
   */
  readonly directDatabaseUrl?: string;
}

/** `airflow db migrate`, the step every long-running Airflow pod waits for. */
export class MigrateDatabaseJob extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: MigrateDatabaseJobProps): MigrateDatabaseJob {
    return new MigrateDatabaseJob(scope, id, props);
  }

  /** The Job; its name gets the hash of its spec at synth. */
  public readonly job: k8s.KubeJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: MigrateDatabaseJobProps) {
    super(scope, id);
    const component = 'migrate-database';
    this.serviceAccount = componentServiceAccount(this, props.context, component);
    const direct = props.directDatabaseUrl;
    this.job = airflowJob(this, props.context, component, ['db', 'migrate'], {
      waitForMigrations: false,
      replaceEnv: direct === undefined ? undefined : { AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: direct },
    });
  }
}

export interface CreateAdminUserJobProps {
  readonly context: AirflowContext;
  readonly user: AdminUser;
}

/**
 * Creates the first admin user of the FAB auth manager, password from a Secret. `airflow users
 * create` leaves an existing user untouched, so the Job is safe to run again.
 */
export class CreateAdminUserJob extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: CreateAdminUserJobProps): CreateAdminUserJob {
    return new CreateAdminUserJob(scope, id, props);
  }

  /** The Job; its name gets the hash of its spec at synth. */
  public readonly job: k8s.KubeJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  private constructor(scope: Construct, id: string, props: CreateAdminUserJobProps) {
    super(scope, id);
    const { context, user } = props;
    const component = 'create-admin-user';
    this.serviceAccount = componentServiceAccount(this, context, component);
    // `--option=value`, one argument each: argparse then takes the value as it is, even one that
    // starts with "-" (a generated password does 1 time in 64), instead of reading it as an option.
    const args = [
      'users', 'create',
      `--username=${user.username}`,
      `--firstname=${user.firstName}`,
      `--lastname=${user.lastName}`,
      `--email=${user.email}`,
      '--role=Admin',
      // Expanded by the kubelet from the Secret-backed variable below. `users create` has no
      // other non-interactive way to take a password (FAB provider, user_command.py
      // _create_password); the value is on the command line of this short-lived pod only.
      '--password=$(AIRFLOW_ADMIN_PASSWORD)',
    ];
    const env = [secretEnv('AIRFLOW_ADMIN_PASSWORD', context.credentials.adminPassword)];
    this.job = airflowJob(this, context, component, args, { waitForMigrations: true, env });
  }
}
