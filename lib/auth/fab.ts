import type { Construct } from 'constructs';
import { CreateAdminUserJob } from '../components/jobs';
import type { ConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { ConfigFile, FAB_APP_PODS } from '../config/files';
import { optionRow } from '../config/option-table';
import { validateConfigFile } from '../config/secrets-access';
import { AIRFLOW_HOME, AirflowContext } from '../context';
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
  /**
   * `webserver_config.py`, the Flask AppBuilder configuration of the UI (OAuth, LDAP, roles,
   * a custom security manager): mounted into the API server (the webserver on Airflow 2) and the
   * admin-user Job, at `$AIRFLOW_HOME/webserver_config.py`, which `[fab] config_file` (Airflow 3)
   * or `[webserver] config_file` (Airflow 2) names. With `ConfigFile.fromString` a change rolls
   * those pods only (`checksum/webserver-config`); OAuth client secrets belong in a Secret
   * (`ConfigFile.fromSecret`), or in the environment the file reads.
   * @default - none: Flask AppBuilder's defaults, users and passwords in the metadata database
   */
  readonly webserverConfig?: ConfigFile;
}

/** Where Airflow reads `webserver_config.py` by default, and where the library mounts it: `{AIRFLOW_HOME}/webserver_config.py`. */
export const WEBSERVER_CONFIG_PATH = `${AIRFLOW_HOME}/webserver_config.py`;

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
    validateConfigFile(errors, `${property}.webserverConfig`, this.options?.webserverConfig);
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

  public configure(config: ConfigContributions, facts: ConfigFacts): void {
    config.set('core', 'auth_manager', 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager', 'authManager');
    const webserverConfig = this.options?.webserverConfig;
    if (webserverConfig !== undefined) {
      // The FAB app reads the file named by `[fab] config_file` on Airflow 3 (providers/fab
      // www/app.py L69-72 and auth_manager/cli_commands/utils.py L55-58 at dda8d2786710; renamed
      // from [webserver], config_command.py L382-383) and `[webserver] config_file` on Airflow 2
      // (airflow/www/app.py L79, at 8c9d251efb); both default to `{AIRFLOW_HOME}/webserver_config.py`
      // (fab provider.yaml L172-178; config.yml L1528-1534 at 8c9d251efb), where the official
      // chart mounts it too. Written explicitly, so the file and the option cannot disagree.
      const section = optionRow(facts.version, 'fab', 'config_file') !== undefined ? 'fab' : 'webserver';
      config.set(section, 'config_file', WEBSERVER_CONFIG_PATH, 'authManager.webserverConfig');
      config.addFile({
        volumeName: 'webserver-config',
        path: WEBSERVER_CONFIG_PATH,
        fileName: 'webserver_config.py',
        source: webserverConfig,
        readBy: FAB_APP_PODS,
        checksumAnnotation: 'checksum/webserver-config',
        configMapSuffix: 'webserver-config',
      });
    }
  }

  public bind(scope: Construct, context: AirflowContext): CreateAdminUserJob | undefined {
    return this.adminUser && CreateAdminUserJob._create(scope, 'CreateAdminUser', { context, user: this.adminUser });
  }
}
