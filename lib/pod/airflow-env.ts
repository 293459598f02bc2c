import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { configEnvName } from '../config/airflow-config';
import { secretKeyOption } from '../config/defaults';
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
  const env: k8s.EnvVar[] = [
    secretEnv('AIRFLOW__CORE__FERNET_KEY', credentials.fernetKey),
    secretEnv(configEnvName(...secretKeyOption(context.version)), credentials.apiSecretKey),
  ];
  if (context.version.isAirflow3) {
    env.push(secretEnv('AIRFLOW__API_AUTH__JWT_SECRET', credentials.jwtSecret));
  }
  env.push(
    secretEnv('AIRFLOW_DATABASE_PASSWORD', credentials.databasePassword),
    { name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', value: `postgresql://${dbAddress}` },
  );
  if (needs.celery && context.executor.celery) {
    env.push(
      secretEnv('AIRFLOW_REDIS_PASSWORD', credentials.redisPassword),
      { name: 'AIRFLOW__CELERY__BROKER_URL', value: `redis://:$(AIRFLOW_REDIS_PASSWORD)@${context.resourceName('redis')}:${PORTS.redis}/0` },
      { name: 'AIRFLOW__CELERY__RESULT_BACKEND', value: `db+postgresql://${dbAddress}` },
    );
  }
  return env;
}
