import type { ApiObject, Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { ScaledObject, TriggerAuthentication } from '../../imports/keda.sh';
import type { ResolvedAirflowProps } from '../airflow-props';
import type { AirflowContext } from '../context';
import type { DatabaseScaler } from '../database/scaler';
import { AUTOSCALING_DEFAULTS } from '../defaults';
import { LABEL_INSTANCE, LABEL_MANAGED_BY } from '../labels';
import { ValidationErrors, checkWholeNumber, seconds } from '../validation';

/**
 * A HorizontalPodAutoscaler (`autoscaling/v2`) for the UI server on its CPU use. The Deployment
 * then leaves `spec.replicas` to it: a count in the output would be re-applied by every sync
 * (Argo CD, Flux, `kubectl apply`) and fight the autoscaler.
 */
export interface UiServerAutoscalingOptions {
  /**
   * The fewest replicas (1 or more: an HPA scales to zero only behind an alpha feature gate).
   * @default 1
   */
  readonly minReplicas?: number;
  /** The most replicas: what the nodes and the database's connection limit allow. */
  readonly maxReplicas: number;
  /**
   * The average CPU use the HPA keeps the pods at, in percent of their CPU request (250m by
   * default, so 80 is 200m; above 100 is allowed, up to the limit).
   * @default 80
   */
  readonly targetCpuUtilization?: number;
}

/**
 * KEDA autoscaling (a `keda.sh/v1alpha1` ScaledObject, with KEDA installed in the cluster) on
 * the work waiting in the metadata database: queued and running tasks of the workers' queues, or
 * triggers for the triggerer. The StatefulSet then leaves `spec.replicas` to KEDA's HPA.
 */
export interface KedaAutoscalingOptions {
  /**
   * The fewest replicas; 0 stops every pod while there is no work (the first task then waits
   * for a pod to start, about a minute).
   * @default 1
   */
  readonly minReplicas?: number;
  /** The most replicas: what the nodes and the database's connection limit allow. */
  readonly maxReplicas: number;
  /**
   * How often KEDA queries the database while the component is at zero replicas, to wake it.
   * From one replica up the HPA asks every 15 s.
   * @default Duration.seconds(15)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long there must be no work before KEDA scales from one replica to zero (only with
   * `minReplicas: 0`). With no queued or running task there is none to interrupt: this only
   * avoids starting a pod again for work that comes back soon.
   * @default Duration.minutes(5)
   */
  readonly cooldownPeriod?: Duration;
}

/** The most pods a component may run: its fixed replicas, or the autoscaler's maximum. Budgets and spread follow it. */
export function mostReplicas(replicas: number, autoscaling: { readonly maxReplicas: number } | undefined): number {
  return autoscaling === undefined ? replicas : autoscaling.maxReplicas;
}

/**
 * The UI server's HPA, named like its Deployment: CPU utilisation averaged over the pods,
 * against their requests. Scale-down keeps the HPA's defaults (5 minutes of lower use first):
 * a UI server pod holds no work that outlives a request.
 */
export function horizontalPodAutoscaler(scope: Construct, context: AirflowContext, component: string, deployment: k8s.KubeDeployment,
  options: UiServerAutoscalingOptions): k8s.KubeHorizontalPodAutoscalerV2 {
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'HorizontalPodAutoscaler', {
    metadata: context.metadata(component),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: options.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas,
      maxReplicas: options.maxReplicas,
      metrics: [{
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuUtilization ?? AUTOSCALING_DEFAULTS.targetCpuUtilization } },
      }],
    },
  });
}

/** What a ScaledObject's trigger counts, per dialect: a query returning one number, and the share of it one replica takes. */
export interface KedaWork {
  /** SQL returning one whole number: the work waiting now (tasks, triggers). */
  readonly query: string;
  /** The work one replica takes (a worker's concurrency, a triggerer's capacity): replicas = ceil(query / this). */
  readonly perReplica: number;
}

/**
 * A KEDA ScaledObject named like the component's StatefulSet, with one trigger on the metadata
 * database (`AverageValue`: KEDA's HPA runs ceil(work / perReplica) pods, within min and max).
 *
 * Scale-down removes one pod a minute after five minutes of lower demand: a StatefulSet removes
 * its highest ordinals, whose Celery workers shut down warm (they finish their running tasks
 * within `terminationGracePeriod`, and those tasks still count as work while they do); a scale-up
 * waits for a draining ordinal to go, so removing few at a time keeps a quick return of work from
 * waiting behind many draining pods.
 */
export function kedaScaledObject(component: Construct, context: AirflowContext, componentName: string, statefulSet: k8s.KubeStatefulSet,
  options: KedaAutoscalingOptions, work: (database: DatabaseScaler) => KedaWork): ApiObject {
  const database = context.databaseScaler;
  if (database === undefined) {
    // validateKedaDatabase refuses the props first; reaching this is a bug of the library.
    throw new Error(`${componentName}: KEDA autoscaling without a database connection for the scaler`);
  }
  const authentication = triggerAuthentication(component.node.scope ?? component, context, database);
  const { query, perReplica } = work(database);
  return new ScaledObject(component, 'ScaledObject', {
    metadata: {
      ...context.metadata(componentName),
      // KEDA copies a ScaledObject's labels onto the HPA it creates, `keda-hpa-<name>`
      // (controllers/keda/hpa.go, newHPAForScaledObject), an object that is not in the output:
      // like task pods it must not carry the tracking label that Argo CD (label tracking) and
      // `kubectl apply --prune -l` go by, nor claim to be managed by cdk8s. KEDA 2.18 and later
      // leave out the labels this annotation lists (kedacore/keda#6851).
      annotations: { [HPA_EXCLUDED_LABELS]: `${LABEL_INSTANCE},${LABEL_MANAGED_BY}` },
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: statefulSet.name },
      pollingInterval: (options.pollingInterval ?? AUTOSCALING_DEFAULTS.kedaPollingInterval).toSeconds(),
      cooldownPeriod: (options.cooldownPeriod ?? AUTOSCALING_DEFAULTS.kedaCooldownPeriod).toSeconds(),
      minReplicaCount: options.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas,
      maxReplicaCount: options.maxReplicas,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleDown: {
              stabilizationWindowSeconds: AUTOSCALING_DEFAULTS.scaleDownStabilization.toSeconds(),
              policies: [{ type: 'Pods', value: 1, periodSeconds: AUTOSCALING_DEFAULTS.scaleDownPeriod.toSeconds() }],
            },
          },
        },
      },
      triggers: [{
        type: database.type,
        metricType: 'AverageValue',
        metadata: { ...database.metadata, query, [database.targetKey]: String(perReplica) },
        authenticationRef: { name: authentication.name },
      }],
    },
  });
}

const AUTHENTICATION_ID = 'KedaDatabaseAuthentication';
/** The ScaledObject annotation listing labels KEDA does not copy onto its HPA. */
const HPA_EXCLUDED_LABELS = 'scaledobject.keda.sh/hpa-excluded-labels';

/**
 * The release's one TriggerAuthentication, `<release>-metadata-database`, made by the first
 * ScaledObject that needs it: the database credentials as `secretTargetRef` (Secret name and
 * key), which KEDA's operator reads itself. Never a value.
 */
function triggerAuthentication(release: Construct, context: AirflowContext, database: DatabaseScaler): ApiObject {
  const existing = release.node.tryFindChild(AUTHENTICATION_ID);
  if (existing !== undefined) {
    return existing as ApiObject;
  }
  return new TriggerAuthentication(release, AUTHENTICATION_ID, {
    metadata: context.metadata('metadata-database'),
    spec: {
      secretTargetRef: Object.entries(database.secrets).map(([parameter, key]) => ({ parameter, name: key.secretName, key: key.key })),
    },
  });
}

/** Records problems with `<property>` (a UI server's `autoscaling`) and with a fixed `replicas` beside it. */
export function validateUiAutoscaling(errors: ValidationErrors, property: string, options: UiServerAutoscalingOptions | undefined,
  replicas: number | undefined): void {
  if (options === undefined) {
    return;
  }
  checkReplicaRange(errors, property, options, 1, replicas);
  checkWholeNumber(errors, `${property}.targetCpuUtilization`, options.targetCpuUtilization, 1, AUTOSCALING_DEFAULTS.targetCpuUtilization);
}

/** Records problems with `<property>` (KEDA autoscaling of workers or the triggerer) and with a fixed `replicas` beside it. */
export function validateKedaAutoscaling(errors: ValidationErrors, property: string, options: KedaAutoscalingOptions | undefined,
  replicas: number | undefined): void {
  if (options === undefined) {
    return;
  }
  checkReplicaRange(errors, property, options, 0, replicas);
  const polling = options.pollingInterval === undefined ? undefined : seconds(options.pollingInterval);
  if (polling !== undefined && (!Number.isInteger(polling) || polling < 1)) {
    errors.add(`${property}.pollingInterval`, `${polling}s`, 'must be a whole number of seconds, 1 or more', 'e.g. Duration.seconds(15)');
  }
  const cooldown = options.cooldownPeriod === undefined ? undefined : seconds(options.cooldownPeriod);
  if (cooldown !== undefined && (!Number.isInteger(cooldown) || cooldown < 0)) {
    errors.add(`${property}.cooldownPeriod`, `${cooldown}s`, 'must be a whole number of seconds', 'e.g. Duration.minutes(5)');
  }
}

function checkReplicaRange(errors: ValidationErrors, property: string, options: { readonly minReplicas?: number; readonly maxReplicas: number },
  fewest: number, replicas: number | undefined): void {
  const before = errors.count;
  checkWholeNumber(errors, `${property}.minReplicas`, options.minReplicas, fewest, Math.max(fewest, AUTOSCALING_DEFAULTS.minReplicas));
  if (options.maxReplicas === undefined) {
    errors.add(`${property}.maxReplicas`, undefined, 'the autoscaler needs a ceiling', 'e.g. maxReplicas: 4');
  }
  checkWholeNumber(errors, `${property}.maxReplicas`, options.maxReplicas, 1, 4);
  const min = options.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas;
  if (errors.count === before && min > options.maxReplicas) {
    errors.add(`${property}.minReplicas`, min, `must not be more than maxReplicas (${options.maxReplicas})`,
      `lower minReplicas or raise maxReplicas to ${min} or more`);
  }
  if (replicas !== undefined) {
    const owner = property.slice(0, property.lastIndexOf('.') + 1);
    errors.add(`${owner}replicas`, replicas, 'with autoscaling the autoscaler sets the replicas: a count in the output would undo its work at every apply',
      `remove replicas; the autoscaler keeps between ${property}.minReplicas and maxReplicas`);
  }
}

/**
 * Checks the autoscaling props of the deployment's own components (the UI server, the
 * triggerer) and that KEDA can reach the database for whatever asks for KEDA autoscaling; the
 * executor checks its workers' options itself.
 */
export function validateAutoscaling(errors: ValidationErrors, props: ResolvedAirflowProps): void {
  for (const ui of ['apiServer', 'webserver'] as const) {
    const options = props[ui];
    validateUiAutoscaling(errors, `${ui}.autoscaling`, options?.autoscaling, options?.replicas);
    // The HPA divides the pods' CPU use by the sum of their containers' requests, and refuses a
    // pod with a container that has none (kubernetes pkg/controller/podautoscaler/
    // replica_calculator.go, calculatePodRequests). The library's containers have requests; sidecars of `pod` may not.
    const sidecars = [...(props.pods?.sidecars ?? []), ...(options?.pod?.sidecars ?? [])];
    const withoutRequest = sidecars.filter((sidecar) => sidecar?.resources?.requests?.cpu === undefined).map((sidecar) => sidecar?.name);
    if (options?.autoscaling !== undefined && withoutRequest.length > 0) {
      errors.add(`${ui}.autoscaling`, withoutRequest, 'the HPA needs a CPU request on every container of the pod, and these sidecars have none',
        'give each sidecar resources: { requests: { cpu: ... } }');
    }
  }
  validateKedaAutoscaling(errors, 'triggerer.autoscaling', props.triggerer?.autoscaling, props.triggerer?.replicas);
  const keda = [...(props.executor._behaviour.kedaAutoscaled?.() ?? []), ...(props.triggerer?.autoscaling === undefined ? [] : ['triggerer.autoscaling'])];
  if (keda.length > 0) {
    validateKedaDatabase(errors, keda, props.database._behaviour.kedaScaler({
      name: props.name, namespace: props.namespace ?? '', version: props.version, credentials: props.resolvedCredentials,
    }));
  }
}

/**
 * Records a problem when something asks for KEDA autoscaling (`properties`, the first one named)
 * and the library cannot tell KEDA how to reach the database.
 */
export function validateKedaDatabase(errors: ValidationErrors, properties: string[], scaler: DatabaseScaler | undefined): void {
  if (properties.length > 0 && scaler === undefined) {
    errors.add(properties[0], 'set', 'KEDA counts the work in the metadata database, whose URL is in a Secret the library cannot read',
      'give MetadataDatabase.fromSecret a kedaConnection: { postgresql: <key of a postgresql:// URL> } or { mysql: <key of a Go MySQL DSN> }');
  }
}
