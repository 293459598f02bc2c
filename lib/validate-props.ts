import type { AirflowProps } from './airflow';
import { AuthManager } from './auth-manager';
import { SecretKey } from './credentials';
import { DagSource } from './dag-source';
import { Executor } from './executor';
import { ContainerImage } from './image';
import { AirflowVersion } from './version';
import { ValidationErrors, seconds } from './validation';

/** The props with the defaults the checks need already applied. */
interface ResolvedProps extends AirflowProps {
  readonly name: string;
  readonly namespace?: string;
  readonly version: AirflowVersion;
  readonly image: ContainerImage;
  readonly dags: DagSource;
  readonly executor: Executor;
  readonly authManager: AuthManager;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** Names of Secrets, PriorityClasses and most other objects. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$/;
/** Longest suffix the library appends to `name`: `-create-admin-user-` plus a 10-character hash. */
const LONGEST_SUFFIX = '-create-admin-user-0123456789'.length;
const MAX_NAME = 63 - LONGEST_SUFFIX;

/** Checks every prop that a manifest depends on and returns all problems found. */
export function validateProps(props: ResolvedProps): ValidationErrors {
  const errors = new ValidationErrors();
  const { name, namespace, version, image } = props;

  if (!DNS_LABEL.test(name) || name.length > MAX_NAME) {
    errors.add('name', name, `must be a DNS label of at most ${MAX_NAME} characters (object names append up to ${LONGEST_SUFFIX})`,
      'use lower-case letters, digits and "-", starting with a letter, e.g. "airflow"');
  }
  if (namespace === undefined) {
    errors.add('namespace', namespace, 'no namespace: RoleBindings must name the namespace of their ServiceAccounts',
      'set namespace on the Airflow construct or on its Chart');
  } else if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    errors.add('namespace', namespace, 'not a valid namespace name', 'use a DNS label, e.g. "airflow"');
  }

  for (const problem of version.problems()) {
    errors.add('version', version.toString(), problem, 'use Airflow 2.11 (AirflowVersion.V2_11_0) or an Airflow 3 release, e.g. AirflowVersion.V3_1_7');
  }
  validateVersionSpecificProps(props, errors);
  for (const problem of image.problems()) {
    errors.add('image', image.reference, problem, 'pin a released tag, e.g. ContainerImage.of("apache/airflow", "3.1.7")');
  }
  const tagVersion = /^(\d+\.\d+\.\d+)(-|$)/.exec(image.tag)?.[1];
  if (tagVersion !== undefined && tagVersion !== version.toString()) {
    errors.add('image', image.reference, `the tag is Airflow ${tagVersion} but version is ${version}`,
      `set version: AirflowVersion.of("${tagVersion}") or use the ${version} image`);
  }

  const replicas: Array<[string, number | undefined]> = [
    ['apiServer.replicas', props.apiServer?.replicas],
    ['webserver.replicas', props.webserver?.replicas],
    ['scheduler.replicas', props.scheduler?.replicas],
    ['dagProcessor.replicas', props.dagProcessor?.replicas],
    ['triggerer.replicas', props.triggerer?.replicas],
    ['executor.celery.workers.replicas', props.executor.celery?.workers?.replicas],
  ];
  for (const [property, value] of replicas) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      errors.add(property, value, 'must be a whole number, 0 or more', 'e.g. 1');
    }
  }

  const celery = props.executor.celery;
  const concurrency = celery?.workers?.concurrency;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    errors.add('executor.celery.workers.concurrency', concurrency, 'must be a whole number, 1 or more', 'e.g. 16');
  }
  const gracePeriod = celery?.workers?.terminationGracePeriod;
  const grace = gracePeriod && seconds(gracePeriod);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    errors.add('executor.celery.workers.terminationGracePeriod', `${grace}s`, 'must be a whole number of seconds', 'e.g. Duration.minutes(10)');
  }
  const flowerUser = celery?.flower?.username;
  if (flowerUser !== undefined && !/^[^:\s]+$/.test(flowerUser)) {
    errors.add('executor.celery.flower.username', flowerUser, 'basic-auth user names cannot be empty or contain ":" or spaces', 'e.g. "admin"');
  }
  const redisImage = celery?.redis?.image;
  for (const problem of redisImage?.problems() ?? []) {
    errors.add('executor.celery.redis.image', redisImage?.reference, problem, 'pin a released tag, e.g. redis:7.4.3');
  }

  const db = props.database;
  if (db && db.bundled === undefined) {
    if (!db.host || !/^[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(db.host)) {
      errors.add('database.host', db.host, 'not a host name', 'give the server\'s DNS name, e.g. "postgres.example.internal"');
    }
  }
  if (db && (!Number.isInteger(db.port) || db.port < 1 || db.port > 65535)) {
    errors.add('database.port', db.port, 'not a TCP port', 'e.g. 5432');
  }
  for (const [property, value] of [['database.database', db?.database], ['database.user', db?.user]] as const) {
    if (value !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
      errors.add(property, value, 'must be a plain PostgreSQL identifier (it is part of a connection URL)', 'use letters, digits and "_"');
    }
  }
  const storage = db?.bundled?.storage;
  if (storage !== undefined && storage.toMebibytes() < 1024) {
    errors.add('database.storage', `${storage.toMebibytes()}Mi`, 'too small for a metadata database', 'give at least Size.gibibytes(1)');
  }
  for (const problem of db?.bundled?.image?.problems() ?? []) {
    errors.add('database.image', db?.bundled?.image?.reference, problem, 'pin a released tag, e.g. postgres:17.6');
  }

  validateKubernetesExecutor(props.executor, errors);
  props.dags._validate(errors, 'dags');

  const admin = props.authManager?.adminUser;
  if (admin) {
    for (const field of ['username', 'firstName', 'lastName'] as const) {
      if (!/^\S(.*\S)?$/.test(admin[field])) {
        errors.add(`authManager.adminUser.${field}`, admin[field], 'must not be empty or start/end with spaces', 'give a name');
      }
    }
    if (!/^[^@\s]+@[^@\s]+$/.test(admin.email)) {
      errors.add('authManager.adminUser.email', admin.email, 'not an e-mail address', 'e.g. "admin@example.com"');
    }
  }

  const credentials = props.credentials ?? {};
  if (credentials.secretName !== undefined && !DNS_SUBDOMAIN.test(credentials.secretName)) {
    errors.add('credentials.secretName', credentials.secretName, 'not a valid Secret name', 'use a DNS subdomain, e.g. "airflow-credentials"');
  }
  for (const [field, key] of Object.entries(credentials)) {
    if (key instanceof SecretKey && (!DNS_SUBDOMAIN.test(key.secretName) || !SECRET_KEY.test(key.key))) {
      errors.add(`credentials.${field}`, `${key.secretName}/${key.key}`, 'not a valid Secret name and key',
        'use SecretKey.of("secret-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."');
    }
  }
  return errors;
}

/** Props that exist on one Airflow major line only. */
function validateVersionSpecificProps(props: ResolvedProps, errors: ValidationErrors): void {
  const version = props.version;
  if (version.isAirflow3) {
    if (props.webserver !== undefined) {
      errors.add('webserver', 'set', `Airflow ${version} has no webserver: the API server serves the UI`, 'move these options to apiServer');
    }
    if (props.dagProcessor?.enabled === false) {
      errors.add('dagProcessor.enabled', false, `Airflow ${version} always parses DAGs in a separate DAG processor`, 'remove dagProcessor.enabled');
    }
  } else {
    if (props.apiServer !== undefined) {
      errors.add('apiServer', 'set', `Airflow ${version} has no API server: the webserver serves the UI`, 'move these options to webserver');
    }
    if (props.authManager.requiresAirflow3) {
      errors.add('authManager', 'simple', `the simple auth manager exists on Airflow 3 only, not on ${version}`, 'use AuthManager.fab()');
    }
  }
}

const CRON_FIELD = /^[-*/,0-9A-Za-z]+$/;

function validateKubernetesExecutor(executor: Executor, errors: ValidationErrors): void {
  const kubernetes = executor.kubernetes;
  const schedule = kubernetes?.cleanup?.schedule;
  if (schedule !== undefined) {
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
      errors.add('executor.kubernetes.cleanup.schedule', schedule, 'not a cron schedule of five fields', 'e.g. "*/15 * * * *" (every 15 minutes)');
    }
  }
  const priorityClass = kubernetes?.workerPods?.priorityClassName;
  if (priorityClass !== undefined && !DNS_SUBDOMAIN.test(priorityClass)) {
    errors.add('executor.kubernetes.workerPods.priorityClassName', priorityClass, 'not a valid PriorityClass name', 'use a DNS subdomain, e.g. "airflow-tasks"');
  }
  for (const [key, value] of Object.entries(kubernetes?.workerPods?.nodeSelector ?? {})) {
    // A label key is an optional DNS-subdomain prefix and a name; a value is a name or empty.
    const [prefix, labelName] = key.includes('/') ? key.split(/\/(.*)/s) : [undefined, key];
    const validKey = (prefix === undefined || DNS_SUBDOMAIN.test(prefix)) && LABEL_NAME.test(labelName) && labelName.length <= 63;
    if (!validKey || !(value === '' || (LABEL_NAME.test(value) && value.length <= 63))) {
      errors.add(`executor.kubernetes.workerPods.nodeSelector.${key}`, value, 'not a valid label key and value', 'e.g. { "kubernetes.io/arch": "amd64" }');
    }
  }
}
