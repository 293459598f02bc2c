import type { ConfigContributions } from '../config/contributions';
import { checkShape } from '../props-shape/check-shape';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import type { AuthManagerBehaviour } from './auth-manager';

export interface SimpleAuthManagerOptions {
  /**
   * Let everyone in as admin without a login. Only for a laptop.
   * @default false - one user `admin`, whose generated password the API server prints in its log
   */
  readonly allAdmins?: boolean;
}

/** Airflow 3's built-in development auth manager: users from the config, nothing to create. */
export class SimpleAuthManager implements AuthManagerBehaviour {
  constructor(private readonly options: SimpleAuthManagerOptions) {}

  public validate(errors: ValidationErrors, property: string, version: AirflowVersion): void {
    if (!checkShape(errors, property, 'SimpleAuthManagerOptions', this.options)) {
      return;
    }
    if (!version.isAirflow3) {
      errors.add(property, 'simple', `the simple auth manager exists on Airflow 3 only, not on ${version}`, 'use AuthManager.fab()');
    }
  }

  public configure(config: ConfigContributions): void {
    config.set('core', 'auth_manager', 'airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager', 'authManager');
    if (this.options?.allAdmins) {
      config.setDefault('core', 'simple_auth_manager_all_admins', true);
    } else {
      config.setDefault('core', 'simple_auth_manager_users', 'admin:admin');
    }
  }

  public bind(): undefined {
    return undefined;
  }
}
