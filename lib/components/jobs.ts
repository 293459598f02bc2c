import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { shortHash } from '../hash';
import { secretEnv } from '../pod/airflow-env';
import { airflowPodTemplate } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { componentServiceAccount } from './common';

/**
 * A run-to-completion Airflow Job whose name ends in a hash of its whole spec. A Job's pod
 * template is immutable, so any change to what it runs (image, version, arguments) yields a
 * new Job next to the finished one instead of an update the API server would reject; an
 * unchanged spec keeps its name, so re-applying the same output does nothing.
 */
function hashedAirflowJob(scope: Construct, context: AirflowContext, component: string, spec: k8s.JobSpec): k8s.KubeJob {
  return new k8s.KubeJob(scope, 'Job', {
    metadata: context.metadata(component, `${context.resourceName(component)}-${shortHash(spec)}`),
    spec,
  });
}

function jobSpec(context: AirflowContext, component: string, args: string[], waitForMigrations: boolean, env: k8s.EnvVar[] = []): k8s.JobSpec {
  return {
    // Retries cover a database that is still starting; the kubelet backs off between them.
    backoffLimit: 10,
    template: airflowPodTemplate(context, {
      component,
      args,
      env,
      restartPolicy: 'OnFailure',
      waitForMigrations,
      annotateConfigChecksum: false,
      resources: renderResources(resources(250, 1000, 512, 1024)),
    }),
  };
}

/** `airflow db migrate`, the step every long-running Airflow pod waits for. */
export class MigrateDatabaseJob extends Construct {
  public readonly job: k8s.KubeJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: { readonly context: AirflowContext }) {
    super(scope, id);
    const component = 'migrate-database';
    this.serviceAccount = componentServiceAccount(this, props.context, component);
    this.job = hashedAirflowJob(this, props.context, component, jobSpec(props.context, component, ['db', 'migrate'], false));
  }
}

/**
 * Creates the first admin user of the FAB auth manager, password from a Secret. `airflow users
 * create` leaves an existing user untouched, so the Job is safe to run again.
 */
export class CreateAdminUserJob extends Construct {
  public readonly job: k8s.KubeJob;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: { readonly context: AirflowContext }) {
    super(scope, id);
    const context = props.context;
    const user = context.authManager.adminUser;
    if (user === undefined) {
      throw new Error('CreateAdminUserJob: the auth manager has no admin user to create; use AuthManager.fab().');
    }
    const component = 'create-admin-user';
    this.serviceAccount = componentServiceAccount(this, context, component);
    const args = [
      'users', 'create',
      '--username', user.username,
      '--firstname', user.firstName,
      '--lastname', user.lastName,
      '--email', user.email,
      '--role', 'Admin',
      // Expanded by the kubelet from the Secret-backed variable below.
      '--password', '$(AIRFLOW_ADMIN_PASSWORD)',
    ];
    const env = [secretEnv('AIRFLOW_ADMIN_PASSWORD', context.credentials.adminPassword)];
    this.job = hashedAirflowJob(this, context, component, jobSpec(context, component, args, true, env));
  }
}
