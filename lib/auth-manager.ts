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
  readonly adminUser?: AdminUserOptions;
}

export interface SimpleAuthManagerOptions {
  /**
   * Let everyone in as admin without a login. Only for a laptop.
   * @default false - one user `admin`, whose generated password the API server prints in its log
   */
  readonly allAdmins?: boolean;
}

/** Who may log in to the UI and API, `[core] auth_manager`. */
export class AuthManager {
  /** The Flask AppBuilder auth manager (users and roles in the metadata database). */
  public static fab(options: FabAuthManagerOptions = {}): AuthManager {
    const admin = options.createAdminUser === false ? undefined : {
      username: options.adminUser?.username ?? 'admin',
      firstName: options.adminUser?.firstName ?? 'Airflow',
      lastName: options.adminUser?.lastName ?? 'Admin',
      email: options.adminUser?.email ?? 'admin@example.com',
    };
    return new AuthManager('airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager', {}, admin, false);
  }

  /** Airflow 3's built-in development auth manager. */
  public static simple(options: SimpleAuthManagerOptions = {}): AuthManager {
    const core: Record<string, string | boolean> = options.allAdmins
      ? { simple_auth_manager_all_admins: true }
      : { simple_auth_manager_users: 'admin:admin' };
    return new AuthManager('airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager', core, undefined, true);
  }

  private constructor(
    /** The value of `[core] auth_manager`. */
    public readonly className: string,
    /** Further `[core]` options this auth manager needs. */
    public readonly coreOptions: Readonly<Record<string, string | boolean>>,
    /** The admin user to create, if any. */
    public readonly adminUser: Required<AdminUserOptions> | undefined,
    /** Exists on Airflow 3 only. */
    public readonly requiresAirflow3: boolean,
  ) {}
}
