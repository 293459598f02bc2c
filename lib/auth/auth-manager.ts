import type { Construct } from 'constructs';
import type { CreateAdminUserJob } from '../components/jobs';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import { FabAuthManager, FabAuthManagerOptions } from './fab';
import { SimpleAuthManager, SimpleAuthManagerOptions } from './simple';

/**
 * What an auth manager does to the deployment: it checks its options (and the Airflow line it
 * exists on), sets `[core] auth_manager` and its own options, and adds the Job that creates the
 * first user where it has one. One implementation per file in this folder.
 */
export interface AuthManagerBehaviour {
  validate(errors: ValidationErrors, property: string, version: AirflowVersion): void;
  configure(config: ConfigContributions, facts: ConfigFacts): void;
  bind(scope: Construct, context: AirflowContext): CreateAdminUserJob | undefined;
}

/** Who may log in to the UI and API, `[core] auth_manager`. */
export class AuthManager {
  /** The Flask AppBuilder auth manager (users and roles in the metadata database). */
  public static fab(options: FabAuthManagerOptions = {}): AuthManager {
    return new AuthManager(new FabAuthManager(options));
  }

  /** Airflow 3's built-in development auth manager. */
  public static simple(options: SimpleAuthManagerOptions = {}): AuthManager {
    return new AuthManager(new SimpleAuthManager(options));
  }

  private constructor(/** @internal */ public readonly _behaviour: AuthManagerBehaviour) {}
}
