import type { Construct } from 'constructs';
import { CreateAdminUserJob } from '../components/jobs';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import { checkShape } from '../props-shape/check-shape';
import type { ValidationErrors } from '../validation';
import type { AuthManagerBehaviour } from './auth-manager';

/** The first admin user, created by a Job with the password from `credentials.adminPassword`. */
export interface AdminUserOptions {
  /** @default 'admin' */
  readonly username?: string;
  /** @default 'Airflow' */
  readonly firstName?: string;
  /** @default 'Admin' */
  readonly lastName?: string;
  /** @default 'admin@example.com' */
  readonly email?: string;
}

export interface FabAuthManagerOptions {
  /**
   * Create the first admin user. Set false when users come from LDAP/OAuth or already exist.
   * @default true
   */
  readonly createAdminUser?: boolean;
  /** @default - the user `admin` */
  readonly adminUser?: AdminUserOptions;
}

/** The admin user with every default applied. */
export interface AdminUser {
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

/** The Flask AppBuilder auth manager of the FAB provider: users and roles in the metadata database. */
export class FabAuthManager implements AuthManagerBehaviour {
  private readonly adminUser?: AdminUser;

  constructor(private readonly options: FabAuthManagerOptions) {
    this.adminUser = options?.createAdminUser === false ? undefined : {
      username: options?.adminUser?.username ?? 'admin',
      firstName: options?.adminUser?.firstName ?? 'Airflow',
      lastName: options?.adminUser?.lastName ?? 'Admin',
      email: options?.adminUser?.email ?? 'admin@example.com',
    };
  }

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'FabAuthManagerOptions', this.options)) {
      return;
    }
    const admin = this.adminUser;
    if (admin === undefined) {
      return;
    }
    for (const field of ['username', 'firstName', 'lastName'] as const) {
      if (!/^\S(.*\S)?$/.test(admin[field])) {
        errors.add(`${property}.adminUser.${field}`, admin[field], 'must not be empty or start/end with spaces', 'give a name');
      }
    }
    if (!/^[^@\s]+@[^@\s]+$/.test(admin.email)) {
      errors.add(`${property}.adminUser.email`, admin.email, 'not an e-mail address', 'e.g. "admin@example.com"');
    }
  }

  public configure(config: ConfigContributions): void {
    config.set('core', 'auth_manager', 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager', 'authManager');
  }

  public bind(scope: Construct, context: AirflowContext): CreateAdminUserJob | undefined {
    return this.adminUser && CreateAdminUserJob._create(scope, 'CreateAdminUser', { context, user: this.adminUser });
  }
}
