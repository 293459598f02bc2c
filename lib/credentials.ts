import type * as kplus from 'cdk8s-plus-27';

/**
 * One key of a Kubernetes Secret that the user owns. The library only ever refers to it
 * (`secretKeyRef`); no secret value is ever synthesised.
 */
export class SecretKey {
  /** A key of a Secret known by name, e.g. `SecretKey.of('airflow-credentials', 'fernet-key')`. */
  public static of(secretName: string, key: string): SecretKey {
    return new SecretKey(secretName, key);
  }

  /** A key of a Secret referenced through cdk8s-plus (`Secret.fromSecretName(...)` or a managed Secret). */
  public static fromSecret(secret: kplus.ISecret, key: string): SecretKey {
    return new SecretKey(secret.name, key);
  }

  private constructor(
    public readonly secretName: string,
    public readonly key: string,
  ) {}
}

/** The keys of the default credentials Secret; `npm run secrets` writes exactly these. Internal. */
export const CREDENTIAL_KEYS = {
  fernetKey: 'fernet-key',
  apiSecretKey: 'api-secret-key',
  jwtSecret: 'jwt-secret',
  databasePassword: 'postgresql-password',
  redisPassword: 'redis-password',
  flowerPassword: 'flower-password',
  adminPassword: 'admin-password',
} as const;

/**
 * Where each credential lives. Every field defaults to a key of one Secret,
 * `<name>-credentials`, which `npm run secrets` creates with fresh random values.
 * Point any of them at another Secret (an ExternalSecret target, a sealed Secret) instead.
 */
export interface AirflowCredentialsProps {
  /**
   * The Secret that holds every credential not given explicitly below.
   * @default `<name>-credentials`
   */
  readonly secretName?: string;
  /** `[core] fernet_key`: encrypts connections and variables. @default key `fernet-key` */
  readonly fernetKey?: SecretKey;
  /** `[api] secret_key`: signs API server sessions. @default key `api-secret-key` */
  readonly apiSecretKey?: SecretKey;
  /** `[api_auth] jwt_secret`: signs the tokens tasks use against the execution API. @default key `jwt-secret` */
  readonly jwtSecret?: SecretKey;
  /** Password of the metadata database user; must be URL-safe. @default key `postgresql-password` */
  readonly databasePassword?: SecretKey;
  /** Password of the Celery broker (Redis); must be URL-safe. @default key `redis-password` */
  readonly redisPassword?: SecretKey;
  /** Password for Flower's basic auth. @default key `flower-password` */
  readonly flowerPassword?: SecretKey;
  /** Password of the first admin user (FAB auth manager). @default key `admin-password` */
  readonly adminPassword?: SecretKey;
}

/** Credentials with every default applied. */
export class AirflowCredentials {
  public readonly secretName: string;
  public readonly fernetKey: SecretKey;
  public readonly apiSecretKey: SecretKey;
  public readonly jwtSecret: SecretKey;
  public readonly databasePassword: SecretKey;
  public readonly redisPassword: SecretKey;
  public readonly flowerPassword: SecretKey;
  public readonly adminPassword: SecretKey;

  constructor(name: string, props: AirflowCredentialsProps = {}) {
    this.secretName = props.secretName ?? `${name}-credentials`;
    const key = (k: keyof typeof CREDENTIAL_KEYS) => SecretKey.of(this.secretName, CREDENTIAL_KEYS[k]);
    this.fernetKey = props.fernetKey ?? key('fernetKey');
    this.apiSecretKey = props.apiSecretKey ?? key('apiSecretKey');
    this.jwtSecret = props.jwtSecret ?? key('jwtSecret');
    this.databasePassword = props.databasePassword ?? key('databasePassword');
    this.redisPassword = props.redisPassword ?? key('redisPassword');
    this.flowerPassword = props.flowerPassword ?? key('flowerPassword');
    this.adminPassword = props.adminPassword ?? key('adminPassword');
  }
}
