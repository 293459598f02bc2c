import { AIRFLOW_CFG_PATH, AIRFLOW_LOGS_PATH, AirflowContext } from '../context';
import { EnvAudience } from '../config/environment';
import { NO_POD_PARTS } from '../dags/pod-parts';
import { DEFAULT_RESOURCES } from '../defaults';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { runtimeObjectLabels } from '../labels';
import { lazy } from '../lazy';
import type { ContainerImage } from '../image';
import { EvictionClass } from './eviction';
import { logGroomerContainer } from './logs';
import { SHARED_CLAIM_GROOMERS } from './task-logs';
import { renderResources, sizeQuantity } from './resources';
import { AIRFLOW_IDENTITY, containerSecurityContext, podSecurityContext } from './security';
import { applyPodOptions, mergePodOptions, PodOptions } from './pod-options';

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
  readonly resources: k8s.ResourceRequirements;
  readonly ports?: k8s.ContainerPort[];
  readonly livenessProbe?: k8s.Probe;
  readonly readinessProbe?: k8s.Probe;
  readonly startupProbe?: k8s.Probe;
  /** Environment after the Secret-backed one every Airflow container has; may refer to it with `$(VAR)`. */
  readonly env?: k8s.EnvVar[];
  /** The pod parses or runs DAG files. */
  readonly needsDags?: boolean;
  /** Variables of DAG code's environment this pod goes without (another bundle's Git connection). */
  readonly withoutEnv?: readonly string[];
  /**
   * Keep the DAG source's sidecars (git-sync), not only its init containers. A pod that must run
   * to completion (a task pod) takes a one-time copy instead. @default true
   */
  readonly dagSidecars?: boolean;
  /** Wait in an init container until `airflow db migrate` has run. @default true */
  readonly waitForMigrations?: boolean;
  /** Mount a ServiceAccount token from the start (a pod whose only job is the Kubernetes API). @default false */
  readonly kubernetesApiAccess?: boolean;
  /** @default - Kubernetes' default, 30 s */
  readonly terminationGracePeriodSeconds?: number;
  /** Restart policy for Job pods. @default - Kubernetes' default (Always) */
  readonly restartPolicy?: string;
  /**
   * The pod is created at runtime by Airflow from a template file, not by a workload of the
   * output: it carries no GitOps tracking label (see `runtimeObjectLabels`). @default false
   */
  readonly createdByAirflow?: boolean;
  /** Writes logs for as long as it runs: add the log groomer beside it. @default false */
  readonly logGroomer?: boolean;
  /** Placement of the replicas (spread over nodes and zones), which pod options may replace. @default - none */
  readonly placement?: Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'>;
  /** Another image for this component's Airflow containers (a worker set's). @default - the deployment's image */
  readonly image?: ContainerImage;
  /** The component's pod options, on top of the library-wide ones. @default - the library-wide ones only */
  readonly pod?: PodOptions;
  /** How the cluster autoscaler treats the pod: may it evict it to scale a node down? */
  readonly eviction: EvictionClass;
  /** Annotate the config checksum (not on Job pods, whose template is immutable). @default true */
  readonly annotateConfigChecksum?: boolean;
}

/**
 * The pod of an Airflow component: hardened, wired to the config, the Secrets, logs and DAGs.
 * It is rendered at synth, so what other parts of the deployment add after the component was
 * built (a mounted file, a ServiceAccount token for a Role binding) is part of it, and so are
 * checksums of files as synthesised.
 */
export class AirflowPod {
  private kubernetesApiAccess: boolean;
  private readonly volumes: k8s.Volume[] = [];
  private readonly mounts: k8s.VolumeMount[] = [];
  private readonly annotations: Array<[string, () => string]> = [];
  private readonly extraEnv: k8s.EnvVar[] = [];

  constructor(private readonly context: AirflowContext, private readonly options: AirflowPodOptions) {
    this.kubernetesApiAccess = options.kubernetesApiAccess ?? false;
    if (options.annotateConfigChecksum ?? true) {
      this.annotations.push([CONFIG_CHECKSUM_ANNOTATION, context.configChecksum]);
    }
    // The files this component reads besides airflow.cfg (webserver_config.py, local settings, a
    // CA), each with the checksum of content the library renders, where the config's goes.
    for (const file of context.files.filter((f) => f.readBy(options.component))) {
      this.addVolume(file.volume, file.mount);
      if (file.checksum !== undefined && (options.annotateConfigChecksum ?? true)) {
        this.annotations.push([file.checksum.annotation, file.checksum.value]);
      }
    }
    for (const [key, value] of Object.entries(context.eviction.annotation(options.eviction))) {
      this.annotations.push([key, () => value]);
    }
    // The pod options' variables, for the check of AIRFLOW__* variables at synth.
    context.podOptionVariables.push({ component: options.component, env: () => options.pod?.env ?? [] });
    // What the NetworkPolicies need to know of these pods; the token is read at synth, after grants.
    context.network.add({
      component: options.component,
      createdByAirflow: options.createdByAirflow,
      airflow: true,
      runsTasks: options.eviction === EvictionClass.TASKS,
      runsDagCode: options.needsDags,
      holdsToken: () => this.kubernetesApiAccess,
      ports: options.ports,
    });
  }

  /** Mounts the pod's ServiceAccount token: the component calls the Kubernetes API. */
  public mountServiceAccountToken(): void {
    this.kubernetesApiAccess = true;
  }

  /** Adds variables to the Airflow container's environment, after the ones it has. */
  public addEnvironment(...variables: k8s.EnvVar[]): void {
    this.extraEnv.push(...variables);
  }

  /** Adds a volume, mounted into the Airflow container. */
  public addVolume(volume: k8s.Volume, mount: k8s.VolumeMount): void {
    this.volumes.push(volume);
    this.mounts.push(mount);
  }

  /** Adds a pod annotation whose value is computed at synth (the checksum of a file the pod reads). */
  public addAnnotation(key: string, value: () => string): void {
    this.annotations.push([key, value]);
  }

  /** The pod template, as a value that renders at synth. */
  public template(): k8s.PodTemplateSpec {
    return lazy(() => this.render());
  }

  /** The pod template with everything added so far. */
  public render(): k8s.PodTemplateSpec {
    const options = mergePodOptions(this.context.pods, this.options.pod);
    return applyPodOptions(this.renderOwn(), options, this.options.containerName ?? this.options.component);
  }

  /** The log groomer: beside each long-running writer of an emptyDir; on a shared claim, beside the scheduler only. */
  private groomsLogs(): boolean {
    return (this.options.logGroomer ?? false)
      && (this.context.logs.claimName === undefined || SHARED_CLAIM_GROOMERS.includes(this.options.component));
  }

  /** The library's own pod template, before the user's pod options. */
  private renderOwn(): k8s.PodTemplateSpec {
    const { context, options } = this;
    const parts = options.needsDags ? context.dags : NO_POD_PARTS;
    const logsMount: k8s.VolumeMount = { name: 'logs', mountPath: AIRFLOW_LOGS_PATH };
    const mounts: k8s.VolumeMount[] = [
      // A subPath mount never sees ConfigMap updates; the checksum annotation rolls the pod instead.
      { name: 'config', mountPath: AIRFLOW_CFG_PATH, subPath: 'airflow.cfg', readOnly: true },
      logsMount,
      ...parts.airflowMounts,
      ...this.mounts,
    ];
    const container = (name: string, args: string[], extra: Partial<k8s.Container> = {}): k8s.Container => ({
      name,
      image: (options.image ?? context.image).reference,
      imagePullPolicy: (options.image ?? context.image).pullPolicy,
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
        // Only the database: the init container needs none of the component's extras.
        env: [...context.environment.common],
        resources: renderResources(DEFAULT_RESOURCES.migrationWait),
      }));
    }

    const main = container(options.containerName ?? options.component, options.args, {
      env: [
        ...context.environment.common,
        ...(options.needsDags ? context.environment.of(EnvAudience.DAG_CODE).filter((v) => !(options.withoutEnv ?? []).includes(v.name)) : []),
        ...(options.env ?? []),
        ...this.extraEnv,
      ],
      ports: options.ports,
      resources: options.resources,
      livenessProbe: options.livenessProbe,
      readinessProbe: options.readinessProbe,
      startupProbe: options.startupProbe,
    });

    const annotations = Object.fromEntries(this.annotations.map(([key, value]) => [key, value()]));
    const sidecars = (options.dagSidecars ?? true) ? parts.sidecars : [];
    return {
      metadata: {
        labels: options.createdByAirflow ? runtimeObjectLabels(context.name, options.component) : context.metadata(options.component).labels,
        annotations: this.annotations.length ? annotations : undefined,
      },
      spec: {
        serviceAccountName: context.resourceName(options.component),
        automountServiceAccountToken: this.kubernetesApiAccess,
        // Service links would add <NAME>_PORT variables for every Service in the namespace.
        enableServiceLinks: false,
        securityContext: podSecurityContext(AIRFLOW_IDENTITY),
        terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
        restartPolicy: options.restartPolicy,
        ...options.placement,
        initContainers: initContainers.length ? initContainers : undefined,
        containers: [main, ...sidecars, ...(this.groomsLogs() ? [logGroomerContainer(context.image, context.logs, logsMount)] : [])],
        volumes: [
          { name: 'config', configMap: { name: context.configMapName, items: [{ key: 'airflow.cfg', path: 'airflow.cfg' }] } },
          // TaskLogs.sharedClaim(): every Airflow pod's logs on one ReadWriteMany claim, the UI
          // server's and task pods' included, so logs outlive the pods that wrote them.
          context.logs.claimName !== undefined
            ? { name: 'logs', persistentVolumeClaim: { claimName: context.logs.claimName } }
            : { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(context.logs.sizeLimit)) } },
          ...parts.volumes,
          ...this.volumes,
        ],
      },
    };
  }
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
