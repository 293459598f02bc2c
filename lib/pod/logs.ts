import { Size } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { AIRFLOW_HOME, AIRFLOW_LOGS_PATH } from '../context';
import { DEFAULTS, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import { ValidationErrors, checkWholeNumber } from '../validation';
import { renderResources } from './resources';
import { containerSecurityContext } from './security';

/**
 * The `logs` volume of every Airflow pod: an emptyDir until persistent or remote logs exist.
 * Its size is bounded, and the pods that write logs for long (scheduler, DAG processor,
 * triggerer, Celery workers) get a groomer that deletes old log files.
 */
export interface LogsOptions {
  /**
   * The most the `logs` volume of one pod may hold. Past it the kubelet evicts the pod, so this
   * is the backstop; the groomer's retention keeps the volume below it.
   * @default Size.gibibytes(2)
   */
  readonly sizeLimit?: Size;
  /**
   * Log files older than this many days are deleted, every 15 minutes. `0` keeps one day.
   * @default 7
   */
  readonly retentionDays?: number;
}

/** The options with their defaults. */
export interface ResolvedLogs {
  readonly sizeLimit: Size;
  readonly retentionDays: number;
  /** `TaskLogs.sharedClaim()`: the claim that is every Airflow pod's `logs` volume, groomed once. @default - an emptyDir per pod */
  readonly claimName?: string;
}

export function resolveLogs(options: LogsOptions = {}): ResolvedLogs {
  return {
    sizeLimit: options.sizeLimit ?? DEFAULTS.logsSizeLimit,
    retentionDays: options.retentionDays ?? DEFAULTS.logsRetentionDays,
  };
}

export function validateLogs(errors: ValidationErrors, options: LogsOptions | undefined, property = 'logs'): void {
  checkWholeNumber(errors, `${property}.retentionDays`, options?.retentionDays, 0, DEFAULTS.logsRetentionDays);
  const size = options?.sizeLimit?.toMebibytes();
  if (size !== undefined && !(size >= 64)) {
    errors.add(`${property}.sizeLimit`, `${size}Mi`, 'too small for the logs of an Airflow component', 'give at least Size.mebibytes(64), e.g. Size.gibibytes(2)');
  }
}

/**
 * The log groomer: the Airflow image's own `/clean-logs` script (scripts/docker/clean-logs.sh,
 * in the image since 2022). It deletes `*.log` files under `$AIRFLOW_HOME/logs` older than
 * `AIRFLOW__LOG_RETENTION_DAYS` days, then empty folders, every 15 minutes. Run directly, not
 * through the image's entrypoint, which would first wait for the database.
 */
export function logGroomerContainer(image: ContainerImage, logs: ResolvedLogs, mount: k8s.VolumeMount): k8s.Container {
  return {
    name: 'log-groomer',
    image: image.reference,
    imagePullPolicy: image.pullPolicy,
    command: ['/clean-logs'],
    env: [
      // The script's own default is /usr/local/airflow; the image sets /opt/airflow, said here too.
      { name: 'AIRFLOW_HOME', value: AIRFLOW_HOME },
      { name: 'AIRFLOW__LOG_RETENTION_DAYS', value: String(logs.retentionDays) },
      // Read by the script of Airflow 3 images; 2.11's runs every 15 minutes regardless.
      { name: 'AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES', value: '15' },
    ],
    resources: renderResources(DEFAULT_RESOURCES.logGroomer),
    securityContext: containerSecurityContext(true),
    volumeMounts: [{ ...mount, mountPath: AIRFLOW_LOGS_PATH }],
  };
}
