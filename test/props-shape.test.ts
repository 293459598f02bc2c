import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AirflowVersion, AuthManager, CeleryBroker, CeleryResultBackend, ConfigFile, ContainerImage, DagSource, Executor, GitAuth, ImagePullPolicy, MetadataDatabase,
  Metrics, PodSecurityLevel, SecretKey, TaskLogs,
} from '../lib';
import { CALL_NAMES, KNOWN_CLASSES, SHAPE_NAMES, checkArguments, checkShape } from '../lib/props-shape/check-shape';
import { closest } from '../lib/props-shape/closest';
import { CALLS, SHAPES } from '../lib/props-shape/shapes.generated';
import { AirflowConfigurationError, ValidationErrors } from '../lib/validation';

// The shape checks for callers without types (plain JavaScript, props from JSON or YAML): every
// mistake is a clear message naming the property, the value and the fix, never a TypeError from
// inside the library and never a value silently read as something else.

const root = path.resolve(__dirname, '..');
const generator = path.join(root, 'scripts', 'gen-props-shape.js');
const { generate, OUT } = require(generator) as { generate(): string; OUT: string };

/** What the checker recorded, and what it returned. */
function run(check: (errors: ValidationErrors) => boolean): { ok: boolean; problems: string[] } {
  const errors = new ValidationErrors();
  const ok = check(errors);
  try {
    errors.throwIfAny('test');
  } catch (err) {
    if (err instanceof AirflowConfigurationError) {
      return { ok, problems: err.problems };
    }
    throw err;
  }
  return { ok, problems: [] };
}

const shape = (property: string, type: string, value: unknown) => (errors: ValidationErrors) => checkShape(errors, property, type, value);
const args = (property: string, call: string, values: unknown[]) => (errors: ValidationErrors) => checkArguments(errors, property, call, values);

/** Values as a JSON or YAML loader makes them. */
const json = (text: string): unknown => JSON.parse(text);

const RESOURCES_FIX = 'give an object with the properties limit, request, e.g. { request: Cpu.millis(250), limit: Cpu.units(1) }';

/**
 * [what the caller did wrong, the check (interface or call, at the property path the integration
 * uses), the exact problems, whether deeper checks may still run]
 */
const mistakes: Array<[string, (errors: ValidationErrors) => boolean, string[], boolean]> = [
  // AirflowProps, checked at '' by the Airflow construct.
  ['a misspelt top-level prop',
    shape('', 'AirflowProps', { executor: Executor.local(), sheduler: {} }),
    ['sheduler: not a property of AirflowProps (got {}). Fix: did you mean "scheduler"?'], true],
  ['a misspelt component option',
    shape('', 'AirflowProps', { scheduler: { replica: 2 } }),
    ['scheduler.replica: not a property of SchedulerOptions (got 2). Fix: did you mean "replicas"?'], true],
  ['a prop nothing resembles, with the list of props',
    shape('', 'AirflowProps', { clusterAutoscaler: { safeToEvict: true } }),
    ['clusterAutoscaler.safeToEvict: not a property of ClusterAutoscalerOptions (got true). Fix: remove it; the properties are servicePodsSafeToEvict, taskPodsSafeToEvict'], true],
  ['pod options with a misspelt field',
    shape('', 'AirflowProps', { pods: { imagePullSecret: ['regcred'] } }),
    ['pods.imagePullSecret: not a property of PodOptions (got ["regcred"]). Fix: did you mean "imagePullSecrets"?'], true],
  ['pod options with a list where a map belongs',
    shape('', 'AirflowProps', { scheduler: { pod: { nodeSelector: ['pool=a'] } } }),
    ['scheduler.pod.nodeSelector: must be an object of strings (got ["pool=a"]). Fix: give one object of name -> string, not a list'], false],
  ['a version as a string',
    shape('', 'AirflowProps', { version: '3.1.7' }),
    ['version: must be an AirflowVersion, e.g. AirflowVersion.of(\'3.1.7\') (got "3.1.7"). Fix: use AirflowVersion.of(\'3.1.7\')'], false],
  ['an executor by its Airflow class name',
    shape('', 'AirflowProps', { executor: 'CeleryExecutor' }),
    ['executor: must be an Executor, e.g. Executor.celery() (got "CeleryExecutor"). Fix: use Executor.celery()'], false],
  ['an executor as plain data',
    shape('', 'AirflowProps', json('{"executor":{"kubernetes":{}}}')),
    ['executor: must be an Executor, e.g. Executor.celery() (got {"kubernetes":{}}). Fix: use Executor.kubernetes(...) with these options: only the static methods of Executor make one'], false],
  ['an image reference as a string',
    shape('', 'AirflowProps', { image: 'apache/airflow:3.1.7' }),
    ['image: must be a ContainerImage, e.g. ContainerImage.of(\'apache/airflow\', \'3.1.7\') (got "apache/airflow:3.1.7"). Fix: use ContainerImage.of(\'apache/airflow\', \'3.1.7\')'], false],
  ['a database URL instead of a MetadataDatabase',
    shape('', 'AirflowProps', { database: 'postgresql://airflow@db.internal:5432/airflow' }),
    ['database: must be a MetadataDatabase, e.g. MetadataDatabase.bundledPostgres() (got "postgresql://airflow@db.internal:5432/airflow"). Fix: use MetadataDatabase.externalPostgres({ host: \'db.internal\' })'], false],
  ['a Git URL instead of a DAG source',
    shape('', 'AirflowProps', { dags: 'https://github.com/acme/dags.git' }),
    ['dags: must be an IDagSource (an object with a bind method), e.g. DagSource.fromImage() (got "https://github.com/acme/dags.git"). Fix: use DagSource.gitSync({ repository: \'https://github.com/acme/dags.git\' })'], false],
  ['a DAG source as plain data',
    shape('', 'AirflowProps', json('{"dags":{"gitSync":{"repository":"https://github.com/acme/dags.git"}}}')),
    ['dags: must be an IDagSource (an object with a bind method), e.g. DagSource.fromImage() (got {"gitSync":{"repository":"https://github.com/acme/dags.git"}}). Fix: use DagSource.gitSync(...) with these options: only the static methods of DagSource make one'], false],
  ['an auth manager by name',
    shape('', 'AirflowProps', { authManager: 'fab' }),
    ['authManager: must be an AuthManager, e.g. AuthManager.fab() (got "fab"). Fix: use AuthManager.fab()'], false],
  ['a string "false" for a boolean (it would grant pods/exec)',
    shape('', 'AirflowProps', json('{"podLauncher":{"allowExec":"false"}}')),
    ['podLauncher.allowExec: must be a boolean (true or false) (got "false"). Fix: write it without quotes: false'], false],
  ['a word for a boolean',
    shape('', 'AirflowProps', { kubernetesPodOperator: 'no' }),
    ['kubernetesPodOperator: must be a boolean (true or false) (got "no"). Fix: use true or false'], false],
  ['a number for a string',
    shape('', 'AirflowProps', { name: 42 }),
    ['name: must be a string (got 42). Fix: write it in quotes: "42"'], false],
  ['a misspelt credential',
    shape('', 'AirflowProps', { credentials: { fernet: SecretKey.of('vault', 'fernet') } }),
    ['credentials.fernet: not a property of AirflowCredentialsProps (got {"secretName":"vault","key":"fernet"}). Fix: did you mean "fernetKey"?'], true],
  ['a Secret and key as one string',
    shape('', 'AirflowProps', { credentials: { fernetKey: 'vault/fernet' } }),
    ['credentials.fernetKey: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "vault/fernet"). Fix: use SecretKey.of(\'vault\', \'fernet\')'], false],
  ['a size as a string',
    shape('', 'AirflowProps', { logs: { sizeLimit: '2Gi' } }),
    ['logs.sizeLimit: must be a cdk8s Size, e.g. Size.gibibytes(8) (got "2Gi"). Fix: use Size.gibibytes(2) (import { Size } from \'cdk8s\')'], false],
  ['a number as a string',
    shape('', 'AirflowProps', json('{"logs":{"retentionDays":"7"}}')),
    ['logs.retentionDays: must be a number (got "7"). Fix: write it without quotes: 7'], false],
  ['the start of a prop name',
    shape('', 'AirflowProps', { logs: { retention: 7 } }),
    ['logs.retention: not a property of LogsOptions (got 7). Fix: did you mean "retentionDays"?'], true],
  ['config as one string',
    shape('', 'AirflowProps', { config: 'core.parallelism=64' }),
    ['config: must be an object of airflow.cfg sections, each an object of option -> value (got "core.parallelism=64"). Fix: give section -> option -> value, e.g. { core: { parallelism: "64" } }'], false],
  ['component options as a string',
    shape('', 'AirflowProps', { scheduler: 'big' }),
    ['scheduler: must be an object (SchedulerOptions) (got "big"). Fix: give an object with the properties pod, replicas, resources'], false],
  ['component options in a list',
    shape('', 'AirflowProps', { triggerer: [{ replicas: 1 }] }),
    ['triggerer: must be an object (TriggererOptions) (got [{"replicas":1}]). Fix: give one object, not a list'], false],
  ['a CPU quantity where requests and limits go',
    shape('', 'AirflowProps', { apiServer: { resources: { cpu: '500m' } } }),
    [`apiServer.resources.cpu: must be an object (CpuResources) (got "500m"). Fix: ${RESOURCES_FIX}`], false],
  ['a CPU quantity as a string',
    shape('', 'AirflowProps', { scheduler: { resources: { cpu: { request: '500m' } } } }),
    ['scheduler.resources.cpu.request: must be a cdk8s-plus Cpu, e.g. Cpu.millis(500) (got "500m"). Fix: use Cpu.millis(500) (import { Cpu } from \'cdk8s-plus-27\')'], false],
  ['a Size where a Cpu goes',
    shape('', 'AirflowProps', { scheduler: { resources: { cpu: { limit: Size.gibibytes(1) } } } }),
    ['scheduler.resources.cpu.limit: must be a cdk8s-plus Cpu, e.g. Cpu.millis(500) (got {"amount":1,"unit":{"label":"gibibytes","inKibiBytes":1048576,"abbr":"Gi"}}). Fix: use Cpu.millis(n) or Cpu.units(n) (import { Cpu } from \'cdk8s-plus-27\')'], false],
  ['a misspelt limit',
    shape('', 'AirflowProps', { scheduler: { resources: { cpu: { request: kplus.Cpu.millis(500), limt: kplus.Cpu.units(1) } } } }),
    ['scheduler.resources.cpu.limt: not a property of CpuResources (got {"amount":"1"}). Fix: did you mean "limit"?'], true],
  ['a memory limit as a string',
    shape('', 'AirflowProps', { dagProcessor: { resources: { memory: { limit: '2Gi' } } } }),
    ['dagProcessor.resources.memory.limit: must be a cdk8s Size, e.g. Size.gibibytes(8) (got "2Gi"). Fix: use Size.gibibytes(2) (import { Size } from \'cdk8s\')'], false],
  ['a storage request as a bare number',
    shape('', 'AirflowProps', { triggerer: { resources: { ephemeralStorage: { request: 512 } } } }),
    ['triggerer.resources.ephemeralStorage.request: must be a cdk8s Size, e.g. Size.gibibytes(8) (got 512). Fix: use Size.mebibytes(n) or Size.gibibytes(n) (import { Size } from \'cdk8s\')'], false],
  ['a misspelt resource',
    shape('', 'AirflowProps', { webserver: { resources: { memroy: {} } } }),
    ['webserver.resources.memroy: not a property of ContainerResources (got {}). Fix: did you mean "memory"?'], true],
  ['the start of an option of the DAG processor',
    shape('', 'AirflowProps', { dagProcessor: { enable: false } }),
    ['dagProcessor.enable: not a property of DagProcessorOptions (got false). Fix: did you mean "enabled"?'], true],
  ['the end of an option name',
    shape('', 'AirflowProps', { podLauncher: { exec: true } }),
    ['podLauncher.exec: not a property of PodLauncherOptions (got true). Fix: did you mean "allowExec"?'], true],
  ['an option the API server does not have',
    shape('', 'AirflowProps', { apiServer: { replicas: 2, port: 8080 } }),
    ['apiServer.port: not a property of UiServerOptions (got 8080). Fix: remove it; the properties are autoscaling, httpRoute, ingress, pod, replicas, resources, service, trustedProxies'], true],
  ['HPA bounds under Helm values\' names',
    shape('', 'AirflowProps', { apiServer: { autoscaling: { maxReplicaCount: 4 } } }),
    ['apiServer.autoscaling.maxReplicaCount: not a property of UiServerAutoscalingOptions (got 4). Fix: did you mean "maxReplicas"?',
      'apiServer.autoscaling.maxReplicas: must be a number (got undefined). Fix: set it: UiServerAutoscalingOptions requires maxReplicas'], false],
  // Reaching the UI: the Service, an Ingress, an HTTPRoute and its Gateways.
  ['a Service type in the wrong case',
    shape('', 'AirflowProps', { apiServer: { service: { type: 'loadbalancer' } } }),
    ['apiServer.service.type: must be a ServiceType: "ClusterIP", "NodePort" or "LoadBalancer" (got "loadbalancer"). Fix: use ServiceType.LOAD_BALANCER'], false],
  ['annotation for annotations',
    shape('', 'AirflowProps', { apiServer: { service: { annotation: { 'networking.gke.io/load-balancer-type': 'Internal' } } } }),
    ['apiServer.service.annotation: not a property of UiServiceOptions (got {"networking.gke.io/load-balancer-type":"Internal"}). Fix: did you mean "annotations"?'], true],
  ['one host as a string',
    shape('', 'AirflowProps', { apiServer: { ingress: { hosts: 'airflow.example.com' } } }),
    ['apiServer.ingress.hosts: must be a list of strings (got "airflow.example.com"). Fix: put it in a list: ["airflow.example.com"]'], false],
  ['host for hosts: the unknown name and the missing required one',
    shape('', 'AirflowProps', { webserver: { ingress: { host: 'airflow.example.com' } } }),
    [
      'webserver.ingress.host: not a property of IngressOptions (got "airflow.example.com"). Fix: did you mean "hosts"?',
      'webserver.ingress.hosts: must be a list of strings (got undefined). Fix: set it: IngressOptions requires hosts',
    ], false],
  ['HTTPS as a string',
    shape('', 'AirflowProps', json('{"apiServer":{"ingress":{"hosts":["airflow.example.com"],"https":"true"}}}')),
    ['apiServer.ingress.https: must be a boolean (true or false) (got "true"). Fix: write it without quotes: true'], false],
  ['a Gateway by name, not in a list of references',
    shape('', 'AirflowProps', { apiServer: { httpRoute: { parentRefs: 'shared-gateway', hostnames: ['airflow.example.com'] } } }),
    ['apiServer.httpRoute.parentRefs: must be a list of objects (GatewayParentReference) (got "shared-gateway"). Fix: give a list of objects with the properties name (required), namespace, sectionName'], false],
  ['one Gateway reference, not a list',
    shape('', 'AirflowProps', { apiServer: { httpRoute: { parentRefs: { name: 'shared-gateway' }, hostnames: ['airflow.example.com'] } } }),
    ['apiServer.httpRoute.parentRefs: must be a list of objects (GatewayParentReference) (got {"name":"shared-gateway"}). Fix: put it in a list: [{ ... }]'], false],
  ['hosts for hostnames',
    shape('', 'AirflowProps', { apiServer: { httpRoute: { parentRefs: [{ name: 'shared-gateway' }], hosts: ['airflow.example.com'] } } }),
    [
      'apiServer.httpRoute.hosts: not a property of HttpRouteOptions (got ["airflow.example.com"]). Fix: remove it; the properties are annotations, hostnames, https, parentRefs, path',
      'apiServer.httpRoute.hostnames: must be a list of strings (got undefined). Fix: set it: HttpRouteOptions requires hostnames',
    ], false],
  ['listener for sectionName',
    shape('', 'AirflowProps', { apiServer: { httpRoute: { parentRefs: [{ name: 'shared-gateway', listener: 'https' }], hostnames: ['airflow.example.com'] } } }),
    ['apiServer.httpRoute.parentRefs[0].listener: not a property of GatewayParentReference (got "https"). Fix: remove it; the properties are name, namespace, sectionName'], true],
  ['a Gateway reference without a name',
    shape('', 'AirflowProps', { apiServer: { httpRoute: { parentRefs: [{ namespace: 'gateways' }], hostnames: ['airflow.example.com'] } } }),
    ['apiServer.httpRoute.parentRefs[0].name: must be a string (got undefined). Fix: set it: GatewayParentReference requires name'], false],
  ['a memory quantity where requests and limits go',
    shape('', 'AirflowProps', { scheduler: { resources: { memory: '1Gi' } } }),
    ['scheduler.resources.memory: must be an object (MemoryResources) (got "1Gi"). Fix: give an object with the properties limit, request, e.g. { request: Size.mebibytes(512), limit: Size.gibibytes(1) }'], false],
  ['requests for request',
    shape('', 'AirflowProps', { scheduler: { resources: { ephemeralStorage: { requests: Size.gibibytes(1) } } } }),
    ['scheduler.resources.ephemeralStorage.requests: not a property of EphemeralStorageResources (got {"amount":1,"unit":{"label":"gibibytes","inKibiBytes":1048576,"abbr":"Gi"}}). Fix: did you mean "request"?'], true],
  ['props that are not an object',
    shape('', 'AirflowProps', 'airflow'),
    ['AirflowProps: must be an object (AirflowProps) (got "airflow"). Fix: give an object with the properties annotations, apiServer, authManager, clusterAutoscaler, config, connections, credentials, dagProcessor, dags, database, executor, housekeeping, image, jobs, kubernetesPodOperator, labels, localSettings, logs, metrics, name, namespace, networkPolicies, podDisruptionBudgets, podLauncher, pods, scheduler, secretsBackend, taskLogs, triggerer, variables, version, webserver'], false],
  ['null for an optional prop',
    shape('', 'AirflowProps', json('{"scheduler":{"replicas":null}}')),
    ['scheduler.replicas: must be a number (got null). Fix: leave it out for the default (null does not mean unset)'], false],
  ['several mistakes at once: all of them, in one pass',
    shape('', 'AirflowProps', { sheduler: {}, version: '3.1.7', logs: { retentionDays: '7' } }),
    [
      'sheduler: not a property of AirflowProps (got {}). Fix: did you mean "scheduler"?',
      'logs.retentionDays: must be a number (got "7"). Fix: write it without quotes: 7',
      'version: must be an AirflowVersion, e.g. AirflowVersion.of(\'3.1.7\') (got "3.1.7"). Fix: use AirflowVersion.of(\'3.1.7\')',
    ], false],

  // networkPolicies, checked at '' with the props.
  ['a misspelt NetworkPolicies option',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, uiFrm: [] } }),
    ['networkPolicies.uiFrm: not a property of NetworkPolicyOptions (got []). Fix: did you mean "uiFrom"?'], true],
  ['namespaces for namespace in a peer',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, uiFrom: [{ namespaces: 'ingress-nginx' }] } }),
    ['networkPolicies.uiFrom[0].namespaces: not a property of NetworkPeer (got "ingress-nginx"). Fix: did you mean "namespace"?'], true],
  ['a port as a bare number',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, allowEgress: [{ ports: [443] }] } }),
    ['networkPolicies.allowEgress[0].ports[0]: must be an object (NetworkPort) (got 443). Fix: give an object with the properties endPort, port (required), protocol'], false],
  ['one egress rule, not a list',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, allowEgress: { ports: [{ port: 443 }] } } }),
    ['networkPolicies.allowEgress: must be a list of objects (NetworkEgressRule) (got {"ports":[{"port":443}]}). Fix: put it in a list: [{ ... }]'], false],
  ['form for from in an ingress rule',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, allowIngress: [{ form: [{ namespace: 'monitoring' }] }] } }),
    ['networkPolicies.allowIngress[0].form: not a property of NetworkIngressRule (got [{"namespace":"monitoring"}]). Fix: remove it; the properties are from, ports'], true],
  ['db for database in the service ports',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, servicePorts: { db: 5432 } } }),
    ['networkPolicies.servicePorts.db: not a property of NetworkServicePorts (got 5432). Fix: remove it; the properties are broker, database, remoteLogs, resultBackend, secretsBackend'], true],
  ['a protocol in the wrong case',
    shape('', 'AirflowProps', { networkPolicies: { enabled: true, allowEgress: [{ ports: [{ port: 53, protocol: 'udp' }] }] } }),
    ['networkPolicies.allowEgress[0].ports[0].protocol: must be a NetworkProtocol: "TCP", "UDP" or "SCTP" (got "udp"). Fix: use NetworkProtocol.UDP'], false],

  // AirflowChartProps, checked at '' by AirflowChart.
  ['a Pod Security level in the wrong case',
    shape('', 'AirflowChartProps', { namespace: 'data', enforcePodSecurity: 'Restricted' }),
    ['enforcePodSecurity: must be a PodSecurityLevel: "restricted", "baseline" or "privileged" (got "Restricted"). Fix: use PodSecurityLevel.RESTRICTED'], false],
  ['a word for createNamespace',
    shape('', 'AirflowChartProps', { namespace: 'data', createNamespace: 'yes' }),
    ['createNamespace: must be a boolean (true or false) (got "yes"). Fix: use true or false'], false],
  ['a misspelt chart prop',
    shape('', 'AirflowChartProps', { namespace: 'data', createNamepsace: false }),
    ['createNamepsace: not a property of AirflowChartProps (got false). Fix: did you mean "createNamespace"?'], true],

  // Executor.celery(options), checked at 'executor.celery'.
  ['a misspelt worker option',
    shape('executor.celery', 'CeleryExecutorOptions', { workers: { concurency: 8 } }),
    ['executor.celery.workers.concurency: not a property of CeleryWorkerOptions (got 8). Fix: did you mean "concurrency"?'], true],
  ['worker replicas as a string',
    shape('executor.celery', 'CeleryExecutorOptions', json('{"workers":{"replicas":"2"}}')),
    ['executor.celery.workers.replicas: must be a number (got "2"). Fix: write it without quotes: 2'], false],
  ['a grace period in seconds as a number',
    shape('executor.celery', 'CeleryExecutorOptions', { workers: { terminationGracePeriod: 600 } }),
    ['executor.celery.workers.terminationGracePeriod: must be a cdk8s Duration, e.g. Duration.seconds(60) (got 600). Fix: use Duration.seconds(600) (import { Duration } from \'cdk8s\')'], false],
  ['Flower turned off with a string',
    shape('executor.celery', 'CeleryExecutorOptions', json('{"flower":{"enabled":"false"}}')),
    ['executor.celery.flower.enabled: must be a boolean (true or false) (got "false"). Fix: write it without quotes: false'], false],
  ['a Redis image as a string',
    shape('executor.celery', 'CeleryExecutorOptions', { redis: { image: 'redis:7.4.3' } }),
    ['executor.celery.redis.image: must be a ContainerImage, e.g. ContainerImage.of(\'apache/airflow\', \'3.1.7\') (got "redis:7.4.3"). Fix: use ContainerImage.of(\'redis\', \'7.4.3\')'], false],
  ['user for username',
    shape('executor.celery', 'CeleryExecutorOptions', { flower: { user: 'ops' } }),
    ['executor.celery.flower.user: not a property of FlowerOptions (got "ops"). Fix: did you mean "username"?'], true],
  ['the start of tlsSecretName on Flower\'s Ingress',
    shape('executor.celery', 'CeleryExecutorOptions', { flower: { ingress: { hosts: ['flower.example.com'], tlsSecret: 'flower-tls' } } }),
    ['executor.celery.flower.ingress.tlsSecret: not a property of IngressOptions (got "flower-tls"). Fix: did you mean "tlsSecretName"?'], true],
  ['a Redis version',
    shape('executor.celery', 'CeleryExecutorOptions', { redis: { version: '7.4' } }),
    ['executor.celery.redis.version: not a property of RedisOptions (got "7.4"). Fix: remove it; the properties are image, persistence, pod, resources'], true],
  ['Redis persistence as a flag',
    shape('executor.celery', 'CeleryExecutorOptions', { redis: { persistence: true } }),
    ['executor.celery.redis.persistence: must be an object (RedisPersistenceOptions) (got true). Fix: give an object with the properties storage (required), storageClassName'], false],
  ['a Redis claim size as a string',
    shape('executor.celery', 'CeleryExecutorOptions', { redis: { persistence: { storage: '1Gi' } } }),
    ['executor.celery.redis.persistence.storage: must be a cdk8s Size, e.g. Size.gibibytes(8) (got "1Gi"). Fix: use Size.gibibytes(1) (import { Size } from \'cdk8s\')'], false],
  ['options for the wrong executor',
    shape('executor.celery', 'CeleryExecutorOptions', { workerPods: {} }),
    ['executor.celery.workerPods: not a property of CeleryExecutorOptions (got {}). Fix: did you mean "workers"?'], true],
  ['a broker URL as a string',
    shape('executor.celery', 'CeleryExecutorOptions', { broker: 'redis://redis.internal:6379/0' }),
    ['executor.celery.broker: must be a CeleryBroker, e.g. CeleryBroker.bundledRedis() (got "redis://redis.internal:6379/0"). Fix: use CeleryBroker.externalRedis({ host: \'redis.internal\' }), or CeleryBroker.fromSecret(SecretKey.of(\'<Secret>\', \'<key>\')) for the whole URL'], false],
  ['a broker as plain data',
    shape('executor.celery', 'CeleryExecutorOptions', json('{"broker":{"externalRedis":{"host":"redis.internal"}}}')),
    ['executor.celery.broker: must be a CeleryBroker, e.g. CeleryBroker.bundledRedis() (got {"externalRedis":{"host":"redis.internal"}}). Fix: use CeleryBroker.externalRedis(...) with these options: only the static methods of CeleryBroker make one'], false],
  ['a result backend URL as a string (a credential)',
    shape('executor.celery', 'CeleryExecutorOptions', { resultBackend: 'db+postgresql://airflow@pg.internal/airflow' }),
    ['executor.celery.resultBackend: must be a CeleryResultBackend, e.g. CeleryResultBackend.metadataDatabase() (got "db+postgresql://airflow@pg.internal/airflow"). Fix: use CeleryResultBackend.fromSecret(SecretKey.of(\'<Secret>\', \'<key>\')): a URL is a credential'], false],

  // CeleryBroker.externalRedis(options), checked at 'executor.celery.broker'.
  ['database for db',
    shape('executor.celery.broker', 'ExternalRedisOptions', { host: 'redis.internal', database: 2 }),
    ['executor.celery.broker.database: not a property of ExternalRedisOptions (got 2). Fix: remove it; the properties are db, host, password, port, tls, username'], true],
  ['TLS as a flag',
    shape('executor.celery.broker', 'ExternalRedisOptions', { host: 'redis.internal', tls: true }),
    ['executor.celery.broker.tls: must be an object (RedisTlsOptions) (got true). Fix: give an object with the properties caCertificate (required)'], false],
  ['a CA certificate as a Secret key, not a file',
    shape('executor.celery.broker.tls', 'RedisTlsOptions', { caCertificate: SecretKey.of('redis-tls', 'ca.crt') }),
    ['executor.celery.broker.tls.caCertificate: must be a ConfigFile, e.g. ConfigFile.fromString(\'...\') (got {"secretName":"redis-tls","key":"ca.crt"}). Fix: use ConfigFile.fromSecret(SecretKey.of(\'redis-tls\', \'ca.crt\'))'], false],

  ['a KEDA cooldown in seconds as a number',
    shape('executor.celery', 'CeleryExecutorOptions', { workers: { autoscaling: { maxReplicas: 10, cooldownPeriod: 300 } } }),
    ['executor.celery.workers.autoscaling.cooldownPeriod: must be a cdk8s Duration, e.g. Duration.seconds(60) (got 300). Fix: use Duration.seconds(300) (import { Duration } from \'cdk8s\')'], false],
  ['min for minReplicas in KedaAutoscalingOptions',
    shape('executor.celery', 'CeleryExecutorOptions', { workers: { autoscaling: { min: 0, maxReplicas: 10 } } }),
    ['executor.celery.workers.autoscaling.min: not a property of KedaAutoscalingOptions (got 0). Fix: did you mean "minReplicas"?'], true],

  // Executor.kubernetes(options), checked at 'executor.kubernetes'.
  ['a node selector value that is not a string',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { workerPods: { nodeSelector: { 'example.com/gpu': 1 } } }),
    ['executor.kubernetes.workerPods.nodeSelector.example.com/gpu: must be a string (got 1). Fix: write it in quotes: "1"'], false],
  ['one toleration, not a list',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { workerPods: { tolerations: { key: 'gpu', operator: 'Exists' } } }),
    ['executor.kubernetes.workerPods.tolerations: must be a list of Kubernetes Toleration objects (got {"key":"gpu","operator":"Exists"}). Fix: put it in a list: [{ ... }]'], false],
  ['a toleration that is not an object',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { workerPods: { tolerations: ['gpu'] } }),
    ['executor.kubernetes.workerPods.tolerations[0]: must be an object (a Kubernetes Toleration) (got "gpu"). Fix: give the fields of a Kubernetes Toleration, as in a pod spec'], false],
  ['an affinity as a word',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { workerPods: { affinity: 'gpu-nodes' } }),
    ['executor.kubernetes.workerPods.affinity: must be an object (a Kubernetes Affinity) (got "gpu-nodes"). Fix: give the fields of a Kubernetes Affinity, as in a pod spec'], false],
  ['nodeSelectors for nodeSelector',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { workerPods: { nodeSelectors: { pool: 'tasks' } } }),
    ['executor.kubernetes.workerPods.nodeSelectors: not a property of WorkerPodOptions (got {"pool":"tasks"}). Fix: did you mean "nodeSelector"?'], true],
  ['a cleanup option nothing resembles',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { cleanup: { cron: '*/5 * * * *' } }),
    ['executor.kubernetes.cleanup.cron: not a property of PodCleanupOptions (got "*/5 * * * *"). Fix: remove it; the properties are enabled, schedule'], true],
  // Housekeeping, checked at ''.
  ['db clean turned on with a word',
    shape('', 'AirflowProps', { housekeeping: { dbClean: 'daily' } }),
    ['housekeeping.dbClean: must be an object (DbCleanOptions) (got "daily"). Fix: give an object with the properties batchSize, dryRun, enabled, resources, retentionDays (required), schedule, skipArchive, tables'], false],
  ['a retention in days as a string, and retention for retentionDays',
    shape('', 'AirflowProps', json('{"housekeeping":{"dbClean":{"retention":"90"}}}')),
    [
      'housekeeping.dbClean.retention: not a property of DbCleanOptions (got "90"). Fix: did you mean "retentionDays"?',
      'housekeeping.dbClean.retentionDays: must be a number (got undefined). Fix: set it: DbCleanOptions requires retentionDays',
    ], false],
  ['one table as a string',
    shape('', 'AirflowProps', { housekeeping: { dbClean: { retentionDays: 90, tables: 'log' } } }),
    ['housekeeping.dbClean.tables: must be a list of strings (got "log"). Fix: put it in a list: ["log"]'], false],
  ['a misspelt housekeeping job',
    shape('', 'AirflowProps', { housekeeping: { dbCleanup: { retentionDays: 90 } } }),
    ['housekeeping.dbCleanup: not a property of HousekeepingOptions (got {"retentionDays":90}). Fix: did you mean "dbClean"?'], true],
  ['a cron schedule as a number',
    shape('executor.kubernetes', 'KubernetesExecutorOptions', { cleanup: { schedule: 15 } }),
    ['executor.kubernetes.cleanup.schedule: must be a string (got 15). Fix: write it in quotes: "15"'], false],

  // Executor.celeryAndKubernetes(options), checked at 'executor': its halves keep their own paths.
  ['a misspelt half of celeryAndKubernetes',
    shape('executor', 'CeleryKubernetesExecutorOptions', { celery: { workers: { replicas: 2 } }, kubernetes: { workerPod: {} } }),
    ['executor.kubernetes.workerPod: not a property of KubernetesExecutorOptions (got {}). Fix: did you mean "workerPods"?'], true],

  // MetadataDatabase.bundledPostgres(options) and externalPostgres(options), checked at 'database'.
  ['storage as a string',
    shape('database', 'BundledPostgresOptions', { storage: '8GB' }),
    ['database.storage: must be a cdk8s Size, e.g. Size.gibibytes(8) (got "8GB"). Fix: use Size.gibibytes(8) (import { Size } from \'cdk8s\')'], false],
  ['the start of a storage option',
    shape('database', 'BundledPostgresOptions', { storageClass: 'standard' }),
    ['database.storageClass: not a property of BundledPostgresOptions (got "standard"). Fix: did you mean "storageClassName"?'], true],
  ['PgBouncer pool size as a string',
    shape('database.pgbouncer', 'PgBouncerOptions', { poolSize: '20' }),
    ['database.pgbouncer.poolSize: must be a number (got "20"). Fix: write it without quotes: 20'], false],
  ['PgBouncer metrics as a flag',
    shape('database.pgbouncer', 'PgBouncerOptions', { metrics: true }),
    ['database.pgbouncer.metrics: must be an object (PgBouncerMetricsOptions) (got true). Fix: give an object with the properties image, resources, serviceMonitor'], false],
  ['hostname for host: the unknown name and the missing required one',
    shape('database', 'ExternalPostgresOptions', { hostname: 'db.internal' }),
    [
      'database.hostname: not a property of ExternalPostgresOptions (got "db.internal"). Fix: did you mean "host"?',
      'database.host: must be a string (got undefined). Fix: set it: ExternalPostgresOptions requires host',
    ], false],
  ['a port as a string',
    shape('database', 'ExternalPostgresOptions', json('{"host":"db.internal","port":"5432"}')),
    ['database.port: must be a number (got "5432"). Fix: write it without quotes: 5432'], false],
  ['externalPostgres() without options',
    args('database', 'MetadataDatabase.externalPostgres', []),
    ['database: must be an object (ExternalPostgresOptions) (got undefined). Fix: set it: MetadataDatabase.externalPostgres requires options'], false],
  ['a MySQL port as a string',
    shape('database', 'ExternalMySqlOptions', json('{"host":"mysql.internal","port":"3306"}')),
    ['database.port: must be a number (got "3306"). Fix: write it without quotes: 3306'], false],
  ['a MySQL URL instead of a MetadataDatabase',
    shape('', 'AirflowProps', { database: 'mysql+mysqldb://airflow@mysql.internal:3306/airflow' }),
    ['database: must be a MetadataDatabase, e.g. MetadataDatabase.bundledPostgres() (got "mysql+mysqldb://airflow@mysql.internal:3306/airflow"). Fix: use MetadataDatabase.externalMySql({ host: \'mysql.internal\' })'], false],
  ['the database URL itself where the key of its Secret goes',
    shape('database', 'DatabaseFromSecretOptions', { url: 'postgresql://airflow@pg.internal/airflow' }),
    ['database.url: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "postgresql://airflow@pg.internal/airflow"). Fix: use SecretKey.of(\'<Secret name>\', \'<key>\')'], false],

  ['postgres for postgresql in the KEDA connection',
    shape('database', 'DatabaseFromSecretOptions', { url: SecretKey.of('pg', 'uri'), kedaConnection: { postgres: SecretKey.of('pg', 'uri') } }),
    ['database.kedaConnection.postgres: not a property of KedaConnectionOptions (got {"secretName":"pg","key":"uri"}). Fix: did you mean "postgresql"?'], true],

  // Metrics: the prop at '', Metrics.statsdExporter(options) and openTelemetry(options) at 'metrics'.
  ['metrics by the name of a tool',
    shape('', 'AirflowProps', { metrics: 'statsd' }),
    ['metrics: must be a Metrics, e.g. Metrics.statsdExporter() (got "statsd"). Fix: use Metrics.statsdExporter()'], false],
  ['a ServiceMonitor as a flag',
    shape('metrics', 'StatsdExporterOptions', { serviceMonitor: true }),
    ['metrics.serviceMonitor: must be an object (ServiceMonitorOptions) (got true). Fix: give an object with the properties interval, labels'], false],
  ['a scrape interval as text',
    shape('metrics', 'StatsdExporterOptions', { serviceMonitor: { interval: '30s' } }),
    ['metrics.serviceMonitor.interval: must be a cdk8s Duration, e.g. Duration.seconds(60) (got "30s"). Fix: use Duration.seconds(30) (import { Duration } from \'cdk8s\')'], false],
  ['one mapping rule without its list',
    shape('metrics', 'StatsdExporterOptions', { mappings: { match: 'airflow.x', name: 'x' } }),
    ['metrics.mappings: must be a list of objects (StatsdMapping) (got {"match":"airflow.x","name":"x"}). Fix: put it in a list: [{ ... }]'], false],
  ['metric for name in a mapping rule',
    shape('metrics', 'StatsdExporterOptions', { mappings: [{ match: 'airflow.x', metric: 'x' }] }),
    ['metrics.mappings[0].metric: not a property of StatsdMapping (got "x"). Fix: remove it; the properties are drop, labels, match, name'], true],
  ['the collector as a URL',
    args('metrics', 'Metrics.openTelemetry', [{ endpoint: 'http://otel-collector:4318' }]),
    [
      'metrics.endpoint: not a property of OpenTelemetryMetricsOptions (got "http://otel-collector:4318"). Fix: remove it; the properties are host, port, ssl',
      'metrics.host: must be a string (got undefined). Fix: set it: OpenTelemetryMetricsOptions requires host',
    ], false],

  // Task logs: the prop at '', TaskLogs.sharedClaim(options) and remote(options) at 'taskLogs'.
  ['task logs as a bucket URL',
    shape('', 'AirflowProps', { taskLogs: 's3://my-bucket/logs' }),
    ['taskLogs: must be a TaskLogs, e.g. TaskLogs.sharedClaim() (got "s3://my-bucket/logs"). Fix: use TaskLogs.remote({ store, baseFolder })'], false],
  ['a claim size as text (SharedClaimLogsOptions)',
    args('taskLogs', 'TaskLogs.sharedClaim', [{ storage: '20Gi' }]),
    ['taskLogs.storage: must be a cdk8s Size, e.g. Size.gibibytes(8) (got "20Gi"). Fix: use Size.gibibytes(20) (import { Size } from \'cdk8s\')'], false],
  ['a remote store without its kind',
    args('taskLogs', 'TaskLogs.remote', [{ bucket: 's3://b' }]),
    [
      'taskLogs.bucket: not a property of RemoteLogsOptions (got "s3://b"). Fix: remove it; the properties are baseFolder, connection, connectionId, deleteLocalLogs, host, hostSecret, jsonFormat, password, port, store, username, wasbContainer, writeStdout',
      'taskLogs.store: must be a RemoteLogStore: "s3", "gcs", "wasb", "elasticsearch" or "opensearch" (got undefined). Fix: set it: RemoteLogsOptions requires store',
    ], false],

  // Connections, variables, the secrets backend and local settings, checked at ''.
  ['connections in a list',
    shape('', 'AirflowProps', { connections: [SecretKey.of('conns', 'pg')] }),
    ['connections: must be an object whose values are each a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got [{"secretName":"conns","key":"pg"}]). Fix: give one object of name -> value, not a list'], false],
  ['a variable\'s value instead of its Secret key',
    shape('', 'AirflowProps', { variables: { env: 'prod' } }),
    ['variables.env: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "prod"). Fix: use SecretKey.of(\'<Secret name>\', \'<key>\')'], false],
  ['backend kwargs as JSON text (a credential in the props)',
    shape('', 'AirflowProps', { secretsBackend: { backend: 'airflow.providers.hashicorp.secrets.vault.VaultBackend', kwargs: '{"url":"https://vault"}' } }),
    ['secretsBackend.kwargs: must be a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\') (got "{\\"url\\":\\"https://vault\\"}"). Fix: use SecretKey.of(\'<Secret name>\', \'<key>\')'], false],
  ['class for backend',
    shape('', 'AirflowProps', { secretsBackend: { class: 'x.y.Z' } }),
    [
      'secretsBackend.class: not a property of SecretsBackendOptions (got "x.y.Z"). Fix: remove it; the properties are backend, kwargs',
      'secretsBackend.backend: must be a string (got undefined). Fix: set it: SecretsBackendOptions requires backend',
    ], false],
  ['a Secret key where a file goes',
    shape('', 'AirflowProps', { localSettings: { secretName: 'policies', key: 'airflow_local_settings.py' } }),
    ['localSettings: must be a ConfigFile, e.g. ConfigFile.fromString(\'...\') (got {"secretName":"policies","key":"airflow_local_settings.py"}). Fix: use ConfigFile.fromSecret(SecretKey.of(\'policies\', \'airflow_local_settings.py\'))'], false],

  // DagSource.gitSync(options) and fromFiles(options), checked at 'dags'.
  ['repo for repository',
    shape('dags', 'GitSyncOptions', { repo: 'https://github.com/acme/dags.git' }),
    [
      'dags.repo: not a property of GitSyncOptions (got "https://github.com/acme/dags.git"). Fix: did you mean "repository"?',
      'dags.repository: must be a string (got undefined). Fix: set it: GitSyncOptions requires repository',
    ], false],
  ['a pull period in seconds as a number',
    shape('dags', 'GitSyncOptions', { repository: 'https://github.com/acme/dags.git', period: 60 }),
    ['dags.period: must be a cdk8s Duration, e.g. Duration.seconds(60) (got 60). Fix: use Duration.seconds(60) (import { Duration } from \'cdk8s\')'], false],
  ['a pull period as text',
    shape('dags', 'GitSyncOptions', { repository: 'https://github.com/acme/dags.git', period: '5m' }),
    ['dags.period: must be a cdk8s Duration, e.g. Duration.seconds(60) (got "5m"). Fix: use Duration.minutes(5) (import { Duration } from \'cdk8s\')'], false],
  ['Git credentials by name',
    shape('dags', 'GitSyncOptions', { repository: 'git@github.com:acme/dags.git', auth: 'ssh' }),
    ['dags.auth: must be a GitAuth, e.g. GitAuth.httpsToken({ secretName: \'git-credentials\' }) (got "ssh"). Fix: use GitAuth.ssh({ secretName })'], false],
  ['Git credentials of the wrong class',
    shape('dags', 'GitSyncOptions', { repository: 'git@github.com:acme/dags.git', auth: SecretKey.of('git', 'ssh') }),
    ['dags.auth: must be a GitAuth, e.g. GitAuth.httpsToken({ secretName: \'git-credentials\' }) (got {"secretName":"git","key":"ssh"}). Fix: use GitAuth.httpsToken({ secretName }) or GitAuth.ssh({ secretName })'], false],
  ['options as a string',
    shape('dags', 'DagFilesOptions', './dags'),
    ['dags: must be an object (DagFilesOptions) (got "./dags"). Fix: give an object with the properties directory (required)'], false],
  ['dir for directory',
    shape('dags', 'DagFilesOptions', { dir: './dags', directory: './dags' }),
    ['dags.dir: not a property of DagFilesOptions (got "./dags"). Fix: did you mean "directory"?'], true],
  ['bundles with a misspelt list',
    shape('dags', 'DagBundlesOptions', { gits: [] }),
    ['dags.gits: not a property of DagBundlesOptions (got []). Fix: did you mean "git"?'], true],
  ['a Git bundle with url for repository',
    shape('dags', 'DagBundlesOptions', { git: [{ name: 'a', repositoryUrl: 'https://github.com/acme/dags.git' }] }),
    ['dags.git[0].repositoryUrl: not a property of GitDagBundleOptions (got "https://github.com/acme/dags.git"). Fix: did you mean "repository"?'], true],
  ['a local bundle without its path',
    shape('dags', 'DagBundlesOptions', { local: [{ name: 'a', folder: '/opt/airflow/dags' }] }),
    [
      'dags.local[0].folder: not a property of LocalDagBundleOptions (got "/opt/airflow/dags"). Fix: remove it; the properties are name, path, processor, refreshInterval',
      'dags.local[0].path: must be a string (got undefined). Fix: set it: LocalDagBundleOptions requires path',
    ], false],
  ['a bundle\'s processor replicas as a string',
    shape('dags', 'DagBundlesOptions', { git: [{ name: 'a', repository: 'https://example.com/a.git', processor: { replicas: '2' } }] }),
    ['dags.git[0].processor.replicas: must be a number (got "2"). Fix: write it without quotes: 2'], false],
  ['the Jobs\' pod options under another name',
    shape('jobs', 'JobsOptions', { pods: {} }),
    ['jobs.pods: not a property of JobsOptions (got {}). Fix: did you mean "pod"?'], true],
  ['a bundle\'s processor with a misspelt option',
    shape('dags.git[0].processor', 'BundleProcessorOptions', { replica: 2 }),
    ['dags.git[0].processor.replica: not a property of BundleProcessorOptions (got 2). Fix: did you mean "replicas"?'], true],
  ['a DAG folder that is not a string',
    args('dags', 'DagSource.fromImage', [['/opt/airflow/dags']]),
    ['dags.dagsFolder: must be a string (got ["/opt/airflow/dags"]). Fix: give a string'], false],

  // GitAuth.httpsToken(options) and ssh(options), checked at 'dags.auth'.
  ['the start of secretName',
    shape('dags.auth', 'GitHttpsTokenOptions', { secret: 'git-credentials' }),
    [
      'dags.auth.secret: not a property of GitHttpsTokenOptions (got "git-credentials"). Fix: did you mean "secretName"?',
      'dags.auth.secretName: must be a string (got undefined). Fix: set it: GitHttpsTokenOptions requires secretName',
    ], false],
  ['privateKey for privateKeyKey',
    shape('dags.auth', 'GitSshOptions', { secretName: 'deploy-key', privateKey: 'id_ed25519' }),
    ['dags.auth.privateKey: not a property of GitSshOptions (got "id_ed25519"). Fix: did you mean "privateKeyKey"?'], true],

  // AuthManager.fab(options) and simple(options), checked at 'authManager'.
  ['mail for email',
    shape('authManager', 'FabAuthManagerOptions', { adminUser: { mail: 'ops@example.com' } }),
    ['authManager.adminUser.mail: not a property of AdminUserOptions (got "ops@example.com"). Fix: did you mean "email"?'], true],
  ['the admin user as a name',
    shape('authManager', 'FabAuthManagerOptions', { adminUser: 'bob' }),
    ['authManager.adminUser: must be an object (AdminUserOptions) (got "bob"). Fix: give an object with the properties email, firstName, lastName, username'], false],
  ['0 for false',
    shape('authManager', 'FabAuthManagerOptions', { createAdminUser: 0 }),
    ['authManager.createAdminUser: must be a boolean (true or false) (got 0). Fix: use true or false'], false],
  ['allAdmin for allAdmins',
    shape('authManager', 'SimpleAuthManagerOptions', { allAdmin: true }),
    ['authManager.allAdmin: not a property of SimpleAuthManagerOptions (got true). Fix: did you mean "allAdmins"?'], true],

  // Airflow.addWorkerSet(name, options): the options' problems are named alone, as the method's others are.
  ['one queue as a string',
    args('', 'Airflow.addWorkerSet', ['gpu', { queues: 'gpu' }]),
    ['queues: must be a list of strings (got "gpu"). Fix: put it in a list: ["gpu"]'], false],
  ['a queue that is not a string',
    args('', 'Airflow.addWorkerSet', ['gpu', { queues: ['gpu', 7] }]),
    ['queues[1]: must be a string (got 7). Fix: write it in quotes: "7"'], false],
  ['queue for queues',
    shape('', 'CeleryWorkerSetOptions', { queue: ['gpu'] }),
    [
      'queue: not a property of CeleryWorkerSetOptions (got ["gpu"]). Fix: did you mean "queues"?',
      'queues: must be a list of strings (got undefined). Fix: set it: CeleryWorkerSetOptions requires queues',
    ], false],
  ['a worker set without options',
    args('', 'Airflow.addWorkerSet', ['gpu']),
    ['CeleryWorkerSetOptions: must be an object (CeleryWorkerSetOptions) (got undefined). Fix: set it: Airflow.addWorkerSet requires options'], false],

  // Value classes made by factories with positional arguments.
  ['a Secret key that is not a string',
    args('credentials.fernetKey', 'SecretKey.of', ['airflow-credentials', 5]),
    ['credentials.fernetKey.key: must be a string (got 5). Fix: write it in quotes: "5"'], false],
  ['an image without its tag',
    args('image', 'ContainerImage.of', ['apache/airflow']),
    ['image.tag: must be a string (got undefined). Fix: set it: ContainerImage.of requires tag'], false],
  ['a pull policy in the wrong case',
    args('image', 'ContainerImage.of', ['apache/airflow', '3.1.7', 'ifnotpresent']),
    ['image.pullPolicy: must be an ImagePullPolicy: "IfNotPresent", "Always" or "Never" (got "ifnotpresent"). Fix: use ImagePullPolicy.IF_NOT_PRESENT'], false],
];

describe('shape mistakes: each named with its property path, the value and the fix', () => {
  test.each(mistakes)('%s', (_what, check, expected, deeperChecksMayRun) => {
    const { ok, problems } = run(check);
    expect(problems).toEqual(expected);
    expect(ok).toBe(deeperChecksMayRun);
  });

  test('the table covers every interface', () => {
    const source = fs.readFileSync(__filename, 'utf8');
    const table = source.slice(source.indexOf('const mistakes'), source.indexOf('describe(\'shape mistakes'));
    // An interface is covered by its own check or by a message that names it.
    const uncovered = SHAPE_NAMES.filter((name) => !table.includes(`'${name}'`) && !table.includes(` ${name} `) && !table.includes(`(${name})`));
    expect(uncovered).toEqual([]);
    expect(mistakes.length).toBeGreaterThanOrEqual(40);
  });
});

/** [what, the check] of values that must pass without a problem. */
const valid: Array<[string, (errors: ValidationErrors) => boolean]> = [
  ['no props at all', shape('', 'AirflowProps', {})],
  ['every prop, with real class instances', shape('', 'AirflowProps', {
    name: 'etl',
    namespace: 'data',
    version: AirflowVersion.V3_1_7,
    image: ContainerImage.of('apache/airflow', '3.1.7', ImagePullPolicy.ALWAYS),
    executor: Executor.celeryAndKubernetes({ celery: { workers: { replicas: 3 } } }),
    database: MetadataDatabase.externalPostgres({ host: 'db.internal' }),
    dags: DagSource.gitSync({ repository: 'git@github.com:acme/dags.git', auth: GitAuth.ssh({ secretName: 'deploy-key' }) }),
    authManager: AuthManager.simple({ allAdmins: true }),
    credentials: { secretName: 'vault', fernetKey: SecretKey.of('vault', 'fernet') },
    config: { core: { parallelism: '64' } },
    apiServer: { replicas: 2, resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) }, memory: { limit: Size.gibibytes(2) } } },
    scheduler: { resources: { ephemeralStorage: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } } },
    dagProcessor: { replicas: 1 },
    triggerer: { replicas: 0 },
    kubernetesPodOperator: false,
    podLauncher: { allowExec: true },
    logs: { sizeLimit: Size.gibibytes(4), retentionDays: 3 },
    clusterAutoscaler: { taskPodsSafeToEvict: false, servicePodsSafeToEvict: true },
  })],
  ['props from JSON', shape('', 'AirflowProps', json(`{
    "name": "etl", "namespace": "data", "kubernetesPodOperator": false,
    "config": { "core": { "parallelism": "64" }, "scheduler": { "catchup_by_default": "False" } },
    "webserver": { "replicas": 2 }, "scheduler": { "replicas": 2 }, "podLauncher": { "allowExec": false },
    "logs": { "retentionDays": 14 }, "clusterAutoscaler": { "taskPodsSafeToEvict": true }, "credentials": { "secretName": "vault" }
  }`))],
  ['optional props set to undefined', shape('', 'AirflowProps', { scheduler: undefined, logs: { sizeLimit: undefined } })],
  ['every other variant and a custom DAG source', shape('', 'AirflowProps', {
    executor: Executor.local(), database: MetadataDatabase.bundledPostgres(), authManager: AuthManager.fab(),
    dags: { bind: () => ({ dagsFolder: '/opt/airflow/dags' }) },
  })],
  ['each executor and DAG source the factories make', (errors) => [Executor.celery(), Executor.kubernetes()].every((executor) =>
    [DagSource.fromImage(), DagSource.fromFiles({ directory: 'dags' })].every((dags) => checkShape(errors, '', 'AirflowProps', { executor, dags })))],
  ['chart props', shape('', 'AirflowChartProps', { namespace: 'data', createNamespace: false, enforcePodSecurity: PodSecurityLevel.RESTRICTED })],
  ['chart props from JSON (an enum by its value)', shape('', 'AirflowChartProps', json('{"namespace":"data","enforcePodSecurity":"privileged"}'))],
  ['Celery options from JSON', shape('executor.celery', 'CeleryExecutorOptions',
    json('{"workers":{"replicas":3,"concurrency":8},"flower":{"enabled":false,"username":"ops"},"redis":{}}'))],
  ['Celery options with class instances', shape('executor.celery', 'CeleryExecutorOptions', {
    workers: { terminationGracePeriod: Duration.minutes(5), resources: { cpu: { limit: kplus.Cpu.units(4) } } },
    redis: { image: ContainerImage.of('redis', '7.4.3') },
  })],
  ['Kubernetes executor options from JSON', shape('executor.kubernetes', 'KubernetesExecutorOptions', json(`{
    "workerPods": { "nodeSelector": { "kubernetes.io/arch": "amd64" }, "priorityClassName": "tasks",
      "tolerations": [{ "key": "gpu", "operator": "Exists", "effect": "NoSchedule" }],
      "affinity": { "nodeAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "nodeSelectorTerms": [] } } } },
    "cleanup": { "enabled": true, "schedule": "*/5 * * * *" }
  }`))],
  ['celeryAndKubernetes options from JSON', shape('executor', 'CeleryKubernetesExecutorOptions',
    json('{"celery":{"workers":{"replicas":1}},"kubernetes":{"cleanup":{"enabled":false}}}'))],
  ['external PostgreSQL from JSON', shape('database', 'ExternalPostgresOptions',
    json('{"host":"db.internal","port":5433,"database":"af","user":"af","sslMode":"require","airflowDbConnection":false}'))],
  ['bundled PostgreSQL with class instances', shape('database', 'BundledPostgresOptions', {
    storage: Size.gibibytes(20), storageClassName: 'fast', image: ContainerImage.of('postgres', '17.6'), airflowDbConnection: true,
    resources: { memory: { request: Size.gibibytes(1) } },
  })],
  ['git-sync with class instances', shape('dags', 'GitSyncOptions', {
    repository: 'https://github.com/acme/dags.git', ref: 'v1', subPath: 'dags', period: Duration.seconds(30), depth: 1,
    auth: GitAuth.httpsToken({ secretName: 'git' }), image: ContainerImage.of('registry.k8s.io/git-sync/git-sync', 'v4.7.1'),
  })],
  ['git-sync, files and auth options from JSON', (errors) => [
    checkShape(errors, 'dags', 'GitSyncOptions', json('{"repository":"https://github.com/acme/dags.git","ref":"main","depth":0}')),
    checkShape(errors, 'dags', 'DagFilesOptions', json('{"directory":"./dags"}')),
    checkShape(errors, 'dags.auth', 'GitHttpsTokenOptions', json('{"secretName":"git","usernameKey":"user","tokenKey":"pat"}')),
    checkShape(errors, 'dags.auth', 'GitSshOptions', json('{"secretName":"key","privateKeyKey":"id","knownHostsKey":"hosts"}')),
  ].every(Boolean)],
  ['auth manager options from JSON', (errors) => [
    checkShape(errors, 'authManager', 'FabAuthManagerOptions', json('{"createAdminUser":true,"adminUser":{"username":"ops","firstName":"O","lastName":"P","email":"ops@example.com"}}')),
    checkShape(errors, 'authManager', 'SimpleAuthManagerOptions', json('{"allAdmins":false}')),
  ].every(Boolean)],
  ['external services and credentials, with class instances and from JSON', (errors) => [
    checkShape(errors, 'executor.celery', 'CeleryExecutorOptions', {
      broker: CeleryBroker.externalRedis({ host: 'redis.internal', tls: { caCertificate: ConfigFile.fromSecret(SecretKey.of('tls', 'ca.crt')) } }),
      resultBackend: CeleryResultBackend.fromSecret(SecretKey.of('results', 'url')),
    }),
    checkShape(errors, 'executor.celery.broker', 'ExternalRedisOptions', json('{"host":"redis.internal","port":6380,"db":1,"username":"app"}')),
    checkShape(errors, 'database', 'ExternalMySqlOptions', json('{"host":"mysql.internal","port":3306,"database":"af","user":"af","airflowDbConnection":false}')),
    checkShape(errors, 'database', 'DatabaseFromSecretOptions', { url: SecretKey.of('pg', 'uri'), asyncUrl: SecretKey.of('pg', 'async-uri') }),
    checkShape(errors, '', 'AirflowProps', {
      connections: { my_postgres: SecretKey.of('conns', 'pg') }, variables: {}, secretsBackend: { backend: 'a.b.C' },
      localSettings: ConfigFile.fromConfigMap('policies', 'airflow_local_settings.py'),
      authManager: AuthManager.fab({ webserverConfig: ConfigFile.fromString('AUTH_TYPE = 1') }),
    }),
    checkArguments(errors, 'executor.celery.broker', 'CeleryBroker.fromSecret', [SecretKey.of('broker', 'url')]),
    checkArguments(errors, 'database', 'MetadataDatabase.externalMySql', [{ host: 'mysql.internal' }]),
  ].every(Boolean)],
  ['housekeeping from JSON and Redis persistence with class instances', (errors) => [
    checkShape(errors, '', 'AirflowProps', json(`{"housekeeping":{"dbClean":{"enabled":true,"retentionDays":30,"schedule":"@weekly",
      "tables":["log","xcom"],"skipArchive":false,"batchSize":5000,"dryRun":true}}}`)),
    checkShape(errors, 'executor.celery', 'CeleryExecutorOptions', { redis: { persistence: { storage: Size.gibibytes(1), storageClassName: 'fast' } } }),
  ].every(Boolean)],
  ['metrics with class instances', (errors) => [
    checkShape(errors, '', 'AirflowProps', { metrics: Metrics.openTelemetry({ host: 'otel-collector' }) }),
    checkShape(errors, 'metrics', 'StatsdExporterOptions', json('{"mappings":[{"match":"airflow.*.heartbeat","name":"airflow_${1}_heartbeat"},{"match":"airflow.x","drop":true}],"serviceMonitor":{"labels":{"release":"kps"}}}')),
    checkArguments(errors, 'metrics', 'Metrics.openTelemetry', [json('{"host":"otel-collector","port":4318,"ssl":true}')]),
  ].every(Boolean)],
  ['a worker set from JSON', args('', 'Airflow.addWorkerSet', ['gpu', json('{"queues":["gpu","gpu-large"],"replicas":1,"concurrency":4}')])],
  ['factory arguments', (errors) => [
    checkArguments(errors, 'credentials.fernetKey', 'SecretKey.of', ['vault', 'fernet']),
    checkArguments(errors, 'image', 'ContainerImage.of', ['apache/airflow', '3.1.7', 'Always']),
    checkArguments(errors, 'dags', 'DagSource.fromImage', []),
    checkArguments(errors, 'executor.celery', 'Executor.celery', []),
    checkArguments(errors, 'executor', 'Executor.local', []),
    checkArguments(errors, 'database', 'MetadataDatabase.externalPostgres', [{ host: 'db' }]),
  ].every(Boolean)],
];

describe('valid inputs pass without a problem', () => {
  test.each(valid)('%s', (_what, check) => {
    expect(run(check)).toEqual({ ok: true, problems: [] });
  });
});

describe('the checker', () => {
  test('knows every interface of the props and of each factory\'s options', () => {
    expect(SHAPE_NAMES).toEqual(expect.arrayContaining([
      'AirflowProps', 'AirflowChartProps', 'AirflowCredentialsProps', 'UiServerOptions', 'SchedulerOptions', 'DagProcessorOptions', 'TriggererOptions',
      'PodLauncherOptions', 'LogsOptions', 'ClusterAutoscalerOptions', 'ContainerResources', 'CpuResources', 'MemoryResources', 'EphemeralStorageResources',
      'CeleryExecutorOptions', 'CeleryWorkerOptions', 'FlowerOptions', 'RedisOptions', 'CeleryWorkerSetOptions', 'KubernetesExecutorOptions', 'WorkerPodOptions',
      'PodCleanupOptions', 'CeleryKubernetesExecutorOptions', 'BundledPostgresOptions', 'ExternalPostgresOptions', 'GitSyncOptions', 'DagFilesOptions',
      'FabAuthManagerOptions', 'AdminUserOptions', 'SimpleAuthManagerOptions', 'GitHttpsTokenOptions', 'GitSshOptions',
      'SharedClaimLogsOptions', 'RemoteLogsOptions', 'PgBouncerOptions', 'PgBouncerMetricsOptions',
    ]));
    expect(CALL_NAMES).toEqual(expect.arrayContaining([
      'Executor.celery', 'Executor.kubernetes', 'Executor.celeryAndKubernetes', 'Executor.local', 'MetadataDatabase.bundledPostgres',
      'MetadataDatabase.externalPostgres', 'DagSource.gitSync', 'DagSource.fromFiles', 'DagSource.fromImage', 'AuthManager.fab', 'AuthManager.simple',
      'GitAuth.httpsToken', 'GitAuth.ssh', 'SecretKey.of', 'Airflow.addWorkerSet',
      'TaskLogs.emptyDir', 'TaskLogs.sharedClaim', 'TaskLogs.remote',
    ]));
  });

  test('knows every kind the description uses, and has a check for every class it names', () => {
    const kinds = [
      ...Object.values(SHAPES).flatMap((properties) => Object.values(properties)),
      ...Object.values(CALLS).flatMap((params) => params.map(([, kind]) => kind)),
    ].map((k) => k.replace(/^\?/, '').replace(/^([A-Z]\w*)\[\]$/, '$1').replace(/^\{(#\w+)\}$/, '$1'));
    const unknown = kinds.filter((k) => !['string', 'number', 'boolean', 'string[]', '{string}', '{{string}}'].includes(k)
      && !/^[#=~]/.test(k) && !SHAPE_NAMES.includes(k));
    expect(unknown).toEqual([]);
    const classes = [...new Set(kinds.filter((k) => k.startsWith('#')).map((k) => k.slice(1)))].sort();
    expect(classes).toEqual([...KNOWN_CLASSES].sort());
  });

  test('tells the classes apart: each check accepts its own instances only', () => {
    const instances: Record<string, unknown> = {
      AirflowVersion: AirflowVersion.V2_11_0, ContainerImage: ContainerImage.of('redis', '7.4.3'), Executor: Executor.celery(),
      MetadataDatabase: MetadataDatabase.bundledPostgres(), IDagSource: DagSource.fromImage(), AuthManager: AuthManager.fab(),
      SecretKey: SecretKey.of('s', 'k'), GitAuth: GitAuth.ssh({ secretName: 'key' }), Size: Size.gibibytes(1), Duration: Duration.seconds(1),
      Cpu: kplus.Cpu.millis(100), CeleryBroker: CeleryBroker.bundledRedis(), CeleryResultBackend: CeleryResultBackend.metadataDatabase(),
      ConfigFile: ConfigFile.fromString('# settings'), Metrics: Metrics.statsdExporter(),
      TaskLogs: TaskLogs.sharedClaim(),
    };
    /** Where each class goes: [interface, property]. */
    const probes: Record<string, [string, string]> = {
      AirflowVersion: ['AirflowProps', 'version'], ContainerImage: ['AirflowProps', 'image'], Executor: ['AirflowProps', 'executor'],
      MetadataDatabase: ['AirflowProps', 'database'], IDagSource: ['AirflowProps', 'dags'], AuthManager: ['AirflowProps', 'authManager'],
      SecretKey: ['AirflowCredentialsProps', 'fernetKey'], GitAuth: ['GitSyncOptions', 'auth'], Size: ['LogsOptions', 'sizeLimit'],
      Duration: ['CeleryWorkerOptions', 'terminationGracePeriod'], Cpu: ['CpuResources', 'limit'],
      CeleryBroker: ['CeleryExecutorOptions', 'broker'], CeleryResultBackend: ['CeleryExecutorOptions', 'resultBackend'], ConfigFile: ['AirflowProps', 'localSettings'],
      Metrics: ['AirflowProps', 'metrics'],
      TaskLogs: ['AirflowProps', 'taskLogs'],
    };
    expect(Object.keys(probes).sort()).toEqual([...KNOWN_CLASSES].sort());
    for (const [name, [type, property]] of Object.entries(probes)) {
      expect(SHAPES[type][property]).toBe(`?#${name}`);
      const base = type === 'GitSyncOptions' ? { repository: 'https://example.com/dags.git' } : {};
      const accepted = Object.keys(instances).filter((other) => run(shape('', type, { ...base, [property]: instances[other] })).problems.length === 0);
      expect([name, accepted]).toEqual([name, [name]]);
    }
  });

  test('refuses an interface or call it does not know: a mistake in the calling code', () => {
    expect(() => checkShape(new ValidationErrors(), 'x', 'SchedulerOption', {})).toThrow(/checkShape: no interface "SchedulerOption"/);
    expect(() => checkArguments(new ValidationErrors(), 'x', 'Executor.sequential', [])).toThrow(/checkArguments: no call "Executor.sequential"/);
  });

  test('suggests the closest name: case and separators, then the name it begins or ends, then the fewest edits', () => {
    expect(closest('allow_exec', ['allowExec'])).toBe('allowExec');
    expect(closest('repo', ['ref', 'repository'])).toBe('repository');
    expect(closest('hostname', ['host', 'port'])).toBe('host');
    expect(closest('concurency', ['concurrency', 'replicas'])).toBe('concurrency');
    expect(closest('zzz', ['replicas', 'resources'])).toBeUndefined();
    // Two equally close names: no guess.
    expect(closest('safeToEvict', ['servicePodsSafeToEvict', 'taskPodsSafeToEvict'])).toBeUndefined();
    expect(closest('replicaz', ['replicas', 'replicax'])).toBeUndefined();
  });
});

describe('the generated description', () => {
  test('is what scripts/gen-props-shape.js writes from the current sources', () => {
    expect(fs.readFileSync(OUT, 'utf8')).toBe(generate());
  });

  test('stays small: a few KB loaded with the library', () => {
    // About 0.2 KB per interface; the bound keeps a mistake (a type expanded in place) visible.
    expect(Buffer.byteLength(fs.readFileSync(OUT, 'utf8'))).toBeLessThan(20 * 1024);
  });

  test('--check fails on a stale file (CI runs it on the committed one; the test above covers that)', () => {
    const check = (...extra: string[]) => spawnSync(process.execPath, [generator, '--check', ...extra], { encoding: 'utf8', cwd: root });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'props-shape-'));
    try {
      const stale = path.join(dir, 'shapes.generated.ts');
      fs.writeFileSync(stale, fs.readFileSync(OUT, 'utf8').replace('"?number"', '"?string"'));
      const result = check('--out', stale);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/is stale: run 'node scripts\/gen-props-shape.js'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
