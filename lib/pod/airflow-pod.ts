import * as k8s from '../../imports/k8s';
import { AIRFLOW_CFG_PATH, AIRFLOW_LOGS_PATH, AirflowContext } from '../context';
import { airflowEnv } from './airflow-env';
import { NO_POD_PARTS, PodParts } from './pod-parts';
import { renderResources, resources } from './resources';
import { AIRFLOW_IDENTITY, containerSecurityContext, podSecurityContext } from './security';

/** The annotation that rolls a pod when `airflow.cfg` changes. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/airflow-config';

/** The Airflow container of a pod and what surrounds it. */
export interface AirflowPodOptions {
  /** The component, e.g. `scheduler`: labels, ServiceAccount and container name come from it. */
  readonly component: string;
  /** Arguments to the image's entrypoint, e.g. `['scheduler']`; none for a pod template whose args Airflow sets. */
  readonly args: string[];
  /** @default - the component */
  readonly containerName?: string;
  /** @default - the component's own, `<name>-<component>` */
  readonly serviceAccountName?: string;
  readonly resources: k8s.ResourceRequirements;
  readonly ports?: k8s.ContainerPort[];
  readonly livenessProbe?: k8s.Probe;
  readonly readinessProbe?: k8s.Probe;
  readonly startupProbe?: k8s.Probe;
  /** Extra environment after the common one; may refer to it with `$(VAR)`. */
  readonly env?: k8s.EnvVar[];
  /** The pod parses or runs DAG files. */
  readonly needsDags?: boolean;
  /**
   * Keep the DAG source's sidecars (git-sync), not only its init containers. A pod that must run
   * to completion (a task pod) takes a one-time copy instead. @default true
   */
  readonly dagSidecars?: boolean;
  /** Further volumes, mounted into the Airflow container by `mounts`. */
  readonly volumes?: k8s.Volume[];
  readonly mounts?: k8s.VolumeMount[];
  /** Further pod annotations (checksums of other files the component reads). */
  readonly annotations?: Record<string, string>;
  /** The pod talks to the Celery broker. */
  readonly celery?: boolean;
  /** Wait in an init container until `airflow db migrate` has run. @default true */
  readonly waitForMigrations?: boolean;
  /** Mount a ServiceAccount token: only for pods that call the Kubernetes API. @default false */
  readonly kubernetesApiAccess?: boolean;
  /** @default - Kubernetes' default, 30 s */
  readonly terminationGracePeriodSeconds?: number;
  /** Restart policy for Job pods. @default - Kubernetes' default (Always) */
  readonly restartPolicy?: string;
  /** Annotate the config checksum (not on Job pods, whose template is immutable). @default true */
  readonly annotateConfigChecksum?: boolean;
}

/** The pod template of an Airflow component: hardened, wired to config, Secrets, logs and DAGs. */
export function airflowPodTemplate(context: AirflowContext, options: AirflowPodOptions): k8s.PodTemplateSpec {
  const parts: PodParts = options.needsDags ? context.dags._podParts() : NO_POD_PARTS;
  const env = [...airflowEnv(context, { celery: options.celery }), ...(options.env ?? [])];
  const mounts: k8s.VolumeMount[] = [
    // A subPath mount never sees ConfigMap updates; the checksum annotation rolls the pod instead.
    { name: 'config', mountPath: AIRFLOW_CFG_PATH, subPath: 'airflow.cfg', readOnly: true },
    { name: 'logs', mountPath: AIRFLOW_LOGS_PATH },
    ...parts.airflowMounts,
    ...(options.mounts ?? []),
  ];
  const container = (name: string, args: string[], extra: Partial<k8s.Container> = {}): k8s.Container => ({
    name,
    image: context.image.reference,
    imagePullPolicy: context.image.pullPolicy,
    args: args.length ? args : undefined,
    volumeMounts: mounts,
    // Not read-only: the image writes generated files and caches under /opt/airflow and its
    // home at run time, in places that vary by version and provider (docs/checks.md).
    securityContext: containerSecurityContext(false),
    ...extra,
  });

  const initContainers = [...parts.initContainers];
  if (options.waitForMigrations ?? true) {
    // Exits non-zero until the schema is current; the kubelet retries it with back-off, so the
    // pod starts only once the migration Job has finished, with no ordering hook.
    initContainers.push(container('wait-for-migrations', ['db', 'check-migrations', '--migration-wait-timeout=60'], {
      // Only the database: the init container needs no broker and none of the component's extras.
      env: airflowEnv(context),
      resources: renderResources(resources(100, 1000, 256, 512)),
    }));
  }

  const main = container(options.containerName ?? options.component, options.args, {
    env,
    ports: options.ports,
    resources: options.resources,
    livenessProbe: options.livenessProbe,
    readinessProbe: options.readinessProbe,
    startupProbe: options.startupProbe,
  });

  const annotations = {
    ...((options.annotateConfigChecksum ?? true) ? { [CONFIG_CHECKSUM_ANNOTATION]: context.configChecksum } : {}),
    ...options.annotations,
  };
  const sidecars = (options.dagSidecars ?? true) ? parts.sidecars : [];
  return {
    metadata: {
      labels: context.metadata(options.component).labels,
      annotations: Object.keys(annotations).length ? annotations : undefined,
    },
    spec: {
      serviceAccountName: options.serviceAccountName ?? context.resourceName(options.component),
      automountServiceAccountToken: options.kubernetesApiAccess ?? false,
      // Service links would add <NAME>_PORT variables for every Service in the namespace.
      enableServiceLinks: false,
      securityContext: podSecurityContext(AIRFLOW_IDENTITY),
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      restartPolicy: options.restartPolicy,
      initContainers: initContainers.length ? initContainers : undefined,
      containers: [main, ...sidecars],
      volumes: [
        { name: 'config', configMap: { name: context.configMapName, items: [{ key: 'airflow.cfg', path: 'airflow.cfg' }] } },
        { name: 'logs', emptyDir: {} },
        ...parts.volumes,
        ...(options.volumes ?? []),
      ],
    },
  };
}

/** A probe that runs an Airflow CLI health check of the component's own job. */
export function jobCheckProbe(jobType: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return {
    exec: { command: ['airflow', 'jobs', 'check', '--job-type', jobType, '--local'] },
    periodSeconds,
    timeoutSeconds: 30,
    failureThreshold,
  };
}
