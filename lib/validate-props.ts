import type { ResolvedAirflowProps } from './airflow-props';
import { secretKeyProblem, validateSecretsAccess } from './config/secrets-access';
import { validateAutoscaling } from './components/autoscaling';
import { SecretKey } from './credentials';
import { isSelfValidating } from './dags/dag-source';
import { DEFAULT_RESOURCES } from './defaults';
import { validateHousekeeping } from './housekeeping';
import { validateUiExposure } from './exposure/validate';
import { validateNetworkPolicies } from './network/validate';
import { validateObjectMetadata, validatePodOptions } from './pod/pod-options';
import { checkArguments } from './props-shape/check-shape';
import { checkResources } from './pod/resources';
import { DNS_LABEL, NAMESPACE_NAME, ValidationErrors, checkWholeNumber } from './validation';
import { dns1123SubdomainProblem } from './validation/kubernetes-names';

/** Longest suffix the library appends to `name`: `-create-admin-user-` plus a 10-character hash. */
const LONGEST_SUFFIX = '-create-admin-user-0123456789'.length;
const MAX_NAME = 63 - LONGEST_SUFFIX;

/**
 * Checks every prop a manifest depends on and returns all problems found: the deployment's own
 * props here, each variant's options by the variant itself.
 */
export function validateProps(props: ResolvedAirflowProps): ValidationErrors {
  const errors = new ValidationErrors();
  const { name, namespace, version, image } = props;

  if (!DNS_LABEL.test(name) || name.length > MAX_NAME) {
    errors.add('name', name, `must be a DNS label of at most ${MAX_NAME} characters (object names append up to ${LONGEST_SUFFIX})`,
      'use lower-case letters, digits and "-", starting with a letter, e.g. "airflow"');
  }
  if (namespace === undefined) {
    errors.add('namespace', namespace, 'no namespace: RoleBindings must name the namespace of their ServiceAccounts',
      'set namespace on the Airflow construct or on its Chart');
  } else if (!NAMESPACE_NAME.test(namespace) || namespace.length > 63) {
    errors.add('namespace', namespace, 'not a valid namespace name', 'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit, e.g. "airflow"');
  }

  for (const problem of version.problems()) {
    errors.add('version', version.toString(), problem, 'use Airflow 2.11 (AirflowVersion.V2_11_0) or an Airflow 3 release, e.g. AirflowVersion.V3_1_7');
  }
  validateLineSpecificProps(props, errors);
  if (!checkArguments(errors, 'image', 'ContainerImage.of', [image.repository, image.tag, image.pullPolicy])) {
    return errors;
  }
  for (const problem of image.problems()) {
    errors.add('image', image.reference, problem, 'pin a released tag, e.g. ContainerImage.of("apache/airflow", "3.1.7")');
  }
  const tagVersion = /^(\d+\.\d+\.\d+)(-|$)/.exec(image.tag)?.[1];
  if (tagVersion !== undefined && tagVersion !== version.toString()) {
    errors.add('image', image.reference, `the tag is Airflow ${tagVersion} but version is ${version}`,
      `set version: AirflowVersion.of("${tagVersion}") or use the ${version} image`);
  }

  for (const component of ['apiServer', 'webserver', 'scheduler', 'dagProcessor', 'triggerer'] as const) {
    checkWholeNumber(errors, `${component}.replicas`, props[component]?.replicas, 0, 1);
  }
  validateSchedulerHa(errors, props);
  checkResources(errors, 'apiServer.resources', DEFAULT_RESOURCES.uiServer, props.apiServer?.resources);
  checkResources(errors, 'webserver.resources', DEFAULT_RESOURCES.uiServer, props.webserver?.resources);
  checkResources(errors, 'scheduler.resources', DEFAULT_RESOURCES.scheduler, props.scheduler?.resources);
  checkResources(errors, 'dagProcessor.resources', DEFAULT_RESOURCES.dagProcessor, props.dagProcessor?.resources);
  checkResources(errors, 'triggerer.resources', DEFAULT_RESOURCES.triggerer, props.triggerer?.resources);
  validateCredentials(props, errors);
  if (props.logs !== undefined && props.taskLogs !== undefined) {
    errors.add('logs', props.logs, 'taskLogs replaces logs: the two cannot both be given',
      'move sizeLimit and retentionDays into taskLogs: TaskLogs.emptyDir({ sizeLimit, retentionDays }) (or retentionDays into TaskLogs.sharedClaim), and remove logs');
  }
  props.resolvedTaskLogs._behaviour.validate(errors, props.taskLogs !== undefined ? 'taskLogs' : 'logs', Object.keys(props.connections ?? {}), version);
  validateHousekeeping(errors, props.housekeeping, version);
  validateSecretsAccess(props, errors);
  validateUiExposure(errors, props);
  validateNetworkPolicies(errors, props.networkPolicies);
  validatePodOptions(errors, 'pods', props.pods);
  validateObjectMetadata(errors, props.labels, props.annotations);
  for (const component of ['apiServer', 'webserver', 'scheduler', 'dagProcessor', 'triggerer'] as const) {
    validatePodOptions(errors, `${component}.pod`, props[component]?.pod);
  }
  validatePodOptions(errors, 'jobs.pod', props.jobs?.pod);
  if ((props.jobs?.pod?.sidecars ?? []).length > 0) {
    errors.add('jobs.pod.sidecars', props.jobs?.pod?.sidecars?.map((c) => c?.name),
      'Jobs and CronJobs run to completion, and on Kubernetes 1.27 a sidecar keeps the pod running after the work has ended',
      'remove sidecars; run the helper as an initContainer, or reach it as a Service');
  }

  props.executor._behaviour.validate(errors);
  props.database._behaviour.validate(errors, 'database', version);
  if (isSelfValidating(props.dags)) {
    props.dags._validate(errors, 'dags', version);
  }
  props.authManager._behaviour.validate(errors, 'authManager', version);
  props.metrics?._behaviour.validate(errors, 'metrics', version);
  validateAutoscaling(errors, props);
  return errors;
}

/** Props that exist on one Airflow major line only. */
function validateLineSpecificProps(props: ResolvedAirflowProps, errors: ValidationErrors): void {
  const version = props.version;
  if (version.isAirflow3) {
    if (props.webserver !== undefined) {
      errors.add('webserver', 'set', `Airflow ${version} has no webserver: the API server serves the UI`, 'move these options to apiServer');
    }
    if (props.dagProcessor?.enabled === false) {
      errors.add('dagProcessor.enabled', false, `Airflow ${version} always parses DAGs in a separate DAG processor`, 'remove dagProcessor.enabled');
    }
  } else if (props.apiServer !== undefined) {
    errors.add('apiServer', 'set', `Airflow ${version} has no API server: the webserver serves the UI`, 'move these options to webserver');
  }
}

function validateCredentials(props: ResolvedAirflowProps, errors: ValidationErrors): void {
  const credentials = props.credentials ?? {};
  if (credentials.secretName !== undefined && dns1123SubdomainProblem(credentials.secretName) !== undefined) {
    errors.add('credentials.secretName', credentials.secretName, `not a valid Secret name: ${dns1123SubdomainProblem(credentials.secretName)}`, 'use a DNS subdomain, e.g. "airflow-credentials"');
  }
  for (const [field, key] of Object.entries(credentials)) {
    if (key instanceof SecretKey && !checkArguments(errors, `credentials.${field}`, 'SecretKey.of', [key.secretName, key.key])) {
      continue;
    }
    if (key instanceof SecretKey && secretKeyProblem(key) !== undefined) {
      errors.add(`credentials.${field}`, `${key.secretName}/${key.key}`, `not a valid Secret name and key: ${secretKeyProblem(key)}`,
        'use SecretKey.of("secret-name", "key") with a DNS-subdomain name and a key of letters, digits, "-", "_", "."');
    }
  }
}

/**
 * Two schedulers or more take turns in the critical section by row locks (`SELECT ... FOR UPDATE`,
 * with `SKIP LOCKED`/`NOWAIT`); with `[scheduler] use_row_level_locking` off, Airflow's spec says
 * to run a single scheduler (config.yml; docs administration-and-deployment/scheduler.rst,
 * "Database Requirements"). The databases the library configures (PostgreSQL, MySQL 8) lock rows;
 * a URL from a Secret is the user's to vouch for (MariaDB before 10.6 cannot).
 */
function validateSchedulerHa(errors: ValidationErrors, props: ResolvedAirflowProps): void {
  const replicas = props.scheduler?.replicas;
  const locking: unknown = props.config?.scheduler?.use_row_level_locking;
  const off = locking === false || (typeof locking === 'string' && ['f', 'false', '0'].includes(locking.toLowerCase()));
  if (typeof replicas === 'number' && replicas >= 2 && off) {
    errors.add('scheduler.replicas', replicas, 'with [scheduler] use_row_level_locking off, schedulers do not lock the rows they share, and Airflow supports one scheduler only',
      'use one scheduler, or remove use_row_level_locking from config');
  }
}
