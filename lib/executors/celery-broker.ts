import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { EnvAudience } from '../config/environment';
import type { ConfigFile, FileReaders } from '../config/files';
import { validateConfigFile, validateSecretKey } from '../config/secrets-access';
import { AIRFLOW_HOME, PORTS, resourceName } from '../context';
import type { SecretKey } from '../credentials';
import { fromSecret, secretEnv } from '../pod/secret-env';
import { checkArguments, checkShape } from '../props-shape/check-shape';
import { urlHost, validateServerAddress } from '../validation/host';
import type { ValidationErrors } from '../validation';

/** TLS to the Redis server: `rediss://`, and the server's certificate verified against a CA. */
export interface RedisTlsOptions {
  /**
   * The PEM certificate(s) of the CA that signed the server's certificate, e.g.
   * `ConfigFile.fromSecret(SecretKey.of('redis-tls', 'ca.crt'))` or a trust bundle's ConfigMap.
   * Mounted into the scheduler, the Celery workers and Flower as `[celery] ssl_cacert`. Required:
   * with `[celery] ssl_active` Celery requires the server's certificate (`CERT_REQUIRED`) and
   * redis-py loads the file it is given, so an empty path would fail every connection.
   */
  readonly caCertificate: ConfigFile;
}

/** A Redis server run elsewhere (a managed service, an operator) as the Celery broker. */
export interface ExternalRedisOptions {
  /** The server's DNS name or IP. */
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** The Redis database number, the path of the broker URL. @default 0 */
  readonly db?: number;
  /**
   * An ACL user (Redis 6 and later); needs `password`.
   * @default - the default user
   */
  readonly username?: string;
  /**
   * The password (`AUTH`), from a key of a Secret you own; it is written into the broker URL by
   * the kubelet, so it must be URL-safe.
   * @default - none: a server that asks for no password
   */
  readonly password?: SecretKey;
  /**
   * Connect with TLS (`rediss://` and `[celery] ssl_active`).
   * @default - no TLS
   */
  readonly tls?: RedisTlsOptions;
}

/** What a broker does to the deployment. Internal: one implementation per factory below. */
export interface BrokerBehaviour {
  /** The library runs the broker (the bundled Redis). */
  readonly bundled: boolean;
  validate(errors: ValidationErrors, property: string): void;
  /** Sets `[celery] broker_url` (and its TLS options) for the pods that queue or run Celery tasks. */
  configure(config: ConfigContributions, facts: ExecutorConfigFacts): void;
}

/** What a result backend does to the deployment. Internal. */
export interface ResultBackendBehaviour {
  validate(errors: ValidationErrors, property: string): void;
  configure(config: ConfigContributions, facts: ExecutorConfigFacts): void;
}

/**
 * The pods that connect to the broker: the scheduler (its executor queues tasks), the Celery
 * workers of every set (`worker`, `worker-<set>`) and Flower. They get the executor's environment
 * (EnvAudience.EXECUTOR), and the broker's CA certificate.
 */
export const CELERY_BROKER_PODS: FileReaders = (component) =>
  component === 'scheduler' || component === 'flower' || component === 'worker' || component.startsWith('worker-');

/** Where the broker's CA certificate is mounted, the value of `[celery] ssl_cacert`. */
export const BROKER_CA_PATH = `${AIRFLOW_HOME}/tls/celery-broker-ca.crt`;

/**
 * The Celery broker, `[celery] broker_url`. Made by the static methods:
 * `CeleryBroker.bundledRedis()` (the default), `CeleryBroker.externalRedis({...})` or
 * `CeleryBroker.fromSecret(key)`.
 */
export class CeleryBroker {
  /**
   * Redis run by the library, `<name>-redis`, with the password `credentials.redisPassword`. Its
   * image and resources are the executor's `redis` options.
   */
  public static bundledRedis(): CeleryBroker {
    return new CeleryBroker(new BundledRedisBroker());
  }

  /** An existing Redis server: no Redis objects are deployed. */
  public static externalRedis(options: ExternalRedisOptions): CeleryBroker {
    return new CeleryBroker(new ExternalRedisBroker(options));
  }

  /**
   * Any broker Celery takes (Redis, Redis Sentinel, RabbitMQ, SQS), its whole URL in a key of a
   * Secret: `AIRFLOW__CELERY__BROKER_URL` from `secretKeyRef`, no Redis objects.
   */
  public static fromSecret(url: SecretKey): CeleryBroker {
    return new CeleryBroker(new BrokerUrlFromSecret(url));
  }

  private constructor(/** @internal */ public readonly _behaviour: BrokerBehaviour) {}
}

/**
 * Where Celery workers record task states, `[celery] result_backend`. Made by the static methods:
 * `CeleryResultBackend.metadataDatabase()` (the default) or `CeleryResultBackend.fromSecret(key)`.
 */
export class CeleryResultBackend {
  /**
   * The metadata database (`db+<its URL>`), which Airflow recommends. With a database URL from a
   * Secret the library cannot assemble it and leaves the option unset: Airflow then derives the
   * same `db+` URL from `[database] sql_alchemy_conn` in each pod.
   */
  public static metadataDatabase(): CeleryResultBackend {
    return new CeleryResultBackend(new DatabaseResultBackend());
  }

  /** A result backend URL held whole in a key of a Secret, e.g. `db+postgresql://…` of another database. */
  public static fromSecret(url: SecretKey): CeleryResultBackend {
    return new CeleryResultBackend(new ResultBackendFromSecret(url));
  }

  private constructor(/** @internal */ public readonly _behaviour: ResultBackendBehaviour) {}
}

/** The library's Redis: the output of every release before brokers were selectable, byte for byte. */
class BundledRedisBroker implements BrokerBehaviour {
  public readonly bundled = true;

  public validate(): void {}

  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    config.addEnvironment(EnvAudience.EXECUTOR, secretEnv('AIRFLOW_REDIS_PASSWORD', facts.credentials.redisPassword));
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'broker_url',
      { value: `redis://:$(AIRFLOW_REDIS_PASSWORD)@${resourceName(facts.name, 'redis')}:${PORTS.redis}/0` },
      'executor (Redis) and credentials.redisPassword');
  }
}

class ExternalRedisBroker implements BrokerBehaviour {
  public readonly bundled = false;

  constructor(private readonly options: ExternalRedisOptions) {}

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'ExternalRedisOptions', this.options)) {
      return;
    }
    const { host, port, db, username, password, tls } = this.options;
    validateServerAddress(errors, property, { host, port }, 'the Redis server', { name: 'redis.cache', port: 6379 });
    if (db !== undefined && (!Number.isInteger(db) || db < 0)) {
      errors.add(`${property}.db`, db, 'a Redis database number is a whole number, 0 or more', 'e.g. 0');
    }
    if (username !== undefined && !/^[A-Za-z0-9_.~-]+$/.test(username)) {
      errors.add(`${property}.username`, username, 'must be a user name that a URL carries as it is', 'use letters, digits, "_", ".", "~" and "-"');
    } else if (username !== undefined && password === undefined) {
      errors.add(`${property}.username`, username, 'a Redis ACL user authenticates with a password', 'give password: SecretKey.of(...) too, or leave username unset');
    }
    validateSecretKey(errors, `${property}.password`, password);
    if (tls !== undefined && tls.caCertificate === undefined) {
      // The shape check reports it; nothing more to check.
      return;
    }
    validateConfigFile(errors, `${property}.tls.caCertificate`, tls?.caCertificate);
  }

  /**
   * `redis[s]://[user]:$(AIRFLOW_REDIS_PASSWORD)@host:port/db`: the password from its Secret-backed
   * variable, defined before the URL (the kubelet expands `$(VAR)` only from earlier variables).
   * kombu reads the URL's user and password as the Redis ACL user and password
   * (kombu transport/redis.py, `_connparams`).
   *
   * TLS is Airflow's: `[celery] ssl_active` makes the celery provider pass `broker_use_ssl` with
   * `ssl_cert_reqs = CERT_REQUIRED` and `ssl_ca_certs = [celery] ssl_cacert` for a `rediss://`
   * URL (executors/default_celery.py L129-158 at dda8d2786710; airflow/providers/celery/executors/
   * default_celery.py L91-123 at 8c9d251efb). Without it kombu connects to `rediss://` without
   * verifying the server (kombu connection.py, "defaulting to insecure SSL behaviour").
   * `ssl_cert` and `ssl_key` stay empty: redis-py loads a client certificate only when one is named.
   */
  public configure(config: ConfigContributions): void {
    const { host, username, password, tls } = this.options;
    const port = this.options.port ?? PORTS.redis;
    const db = this.options.db ?? 0;
    config.connectsTo({ service: 'broker', port, clients: CELERY_BROKER_PODS });
    if (password !== undefined) {
      config.addEnvironment(EnvAudience.EXECUTOR, secretEnv('AIRFLOW_REDIS_PASSWORD', password));
    }
    const auth = password === undefined ? '' : `${username ?? ''}:$(AIRFLOW_REDIS_PASSWORD)@`;
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'broker_url',
      { value: `${tls === undefined ? 'redis' : 'rediss'}://${auth}${urlHost(host)}:${port}/${db}` }, 'executor.celery.broker');
    if (tls !== undefined) {
      config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'ssl_active', { value: 'True' }, 'executor.celery.broker.tls');
      config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'ssl_cacert', { value: BROKER_CA_PATH }, 'executor.celery.broker.tls.caCertificate');
      config.addFile({
        volumeName: 'celery-broker-ca',
        path: BROKER_CA_PATH,
        fileName: 'ca.crt',
        source: tls.caCertificate,
        readBy: CELERY_BROKER_PODS,
        checksumAnnotation: 'checksum/celery-broker-ca',
        configMapSuffix: 'celery-broker-ca',
      });
    }
  }
}

class BrokerUrlFromSecret implements BrokerBehaviour {
  public readonly bundled = false;

  constructor(private readonly url: SecretKey) {}

  public validate(errors: ValidationErrors, property: string): void {
    if (checkArguments(errors, property, 'CeleryBroker.fromSecret', [this.url])) {
      validateSecretKey(errors, `${property}.url`, this.url);
    }
  }

  public configure(config: ConfigContributions): void {
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'broker_url', fromSecret(this.url), 'executor.celery.broker');
    config.connectsTo({ service: 'broker', clients: CELERY_BROKER_PODS });
  }
}

class DatabaseResultBackend implements ResultBackendBehaviour {
  public validate(): void {}

  /**
   * `db+<the database URL>`. Unset, the celery provider uses `db+` and `[database]
   * sql_alchemy_conn` (executors/default_celery.py L71-79 at dda8d2786710, where it also pins
   * `postgresql://` to psycopg2; L66-70 at 8c9d251efb; provider.yaml L192-205: "When not specified,
   * sql_alchemy_conn with a db+ scheme prefix will be used"): with a URL from a Secret that derivation
   * is the way, in each pod, from the pod's own `AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`.
   */
  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    if (facts.database.url !== undefined) {
      config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'result_backend', { value: `db+${facts.database.url}` },
        'database and credentials.databasePassword');
    } else {
      config.claim('celery', 'result_backend', 'executor.celery.resultBackend (Airflow derives db+<[database] sql_alchemy_conn>)');
    }
  }
}

class ResultBackendFromSecret implements ResultBackendBehaviour {
  constructor(private readonly url: SecretKey) {}

  public validate(errors: ValidationErrors, property: string): void {
    if (checkArguments(errors, property, 'CeleryResultBackend.fromSecret', [this.url])) {
      validateSecretKey(errors, `${property}.url`, this.url);
    }
  }

  public configure(config: ConfigContributions): void {
    config.setFromEnvironment(EnvAudience.EXECUTOR, 'celery', 'result_backend', fromSecret(this.url), 'executor.celery.resultBackend');
    config.connectsTo({ service: 'resultBackend', clients: CELERY_BROKER_PODS });
  }
}
