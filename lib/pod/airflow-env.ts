import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { configEnvName } from '../config/airflow-config';
import { secretOptions } from '../config/defaults';
import { SecretKey } from '../credentials';

/** An environment variable read from a key of a Secret. */
export function secretEnv(name: string, key: SecretKey): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: key.secretName, key: key.key } } };
}

/** What an Airflow container talks to, beyond the metadata database every one of them uses. */
export interface AirflowEnvNeeds {
  /** The Celery broker and result backend (scheduler, workers, Flower). */
  readonly celery?: boolean;
}

/**
 * The environment of every Airflow container. Secrets enter only through `secretKeyRef`;
 * connection URLs are assembled by the kubelet from them with `$(VAR)`, which expands only
 * variables defined earlier in the list, so the order below matters.
 */
export function airflowEnv(context: AirflowContext, needs: AirflowEnvNeeds = {}): k8s.EnvVar[] {
  const credentials = context.credentials;
  const db = context.database;
  const query = db.sslMode ? `?sslmode=${encodeURIComponent(db.sslMode)}` : '';
  const dbAddress = `${db.user}:$(AIRFLOW_DATABASE_PASSWORD)@${context.databaseHost}:${db.port}/${db.database}${query}`;
  // The option names come from the list the synth-time check validated for this release.
  const options = secretOptions(context.version);
  const env: k8s.EnvVar[] = [
    secretEnv(configEnvName(...options.fernetKey), credentials.fernetKey),
    secretEnv(configEnvName(...options.secretKey), credentials.apiSecretKey),
  ];
  if (options.jwtSecret) {
    env.push(secretEnv(configEnvName(...options.jwtSecret), credentials.jwtSecret));
  }
  env.push(
    secretEnv('AIRFLOW_DATABASE_PASSWORD', credentials.databasePassword),
    { name: configEnvName(...options.databaseConnection), value: `postgresql://${dbAddress}` },
  );
  if (needs.celery && context.executor.celery) {
    env.push(
      secretEnv('AIRFLOW_REDIS_PASSWORD', credentials.redisPassword),
      { name: configEnvName(...options.celeryBrokerUrl), value: `redis://:$(AIRFLOW_REDIS_PASSWORD)@${context.resourceName('redis')}:${PORTS.redis}/0` },
      { name: configEnvName(...options.celeryResultBackend), value: `db+postgresql://${dbAddress}` },
    );
  }
  return env;
}
