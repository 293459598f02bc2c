import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, LABEL_RELEASE } from '../labels';
import { ValidationErrors } from '../validation';
import {
  annotationKeyProblem, dns1123LabelProblem, dns1123SubdomainProblem, envVarNameProblem, labelKeyProblem, labelValueProblem,
  nodeSelectorRequirementProblem, tolerationProblem,
} from '../validation/kubernetes-names';
import { hardenedContainer, restrictedContainerProblems, restrictedVolumeProblem } from './restricted';

/**
 * What a platform adds to pods: pull secrets, a cloud identity, extra environment, files and
 * containers, and where the pods run. Set library-wide with the prop `pods`, and per component
 * (`scheduler.pod`, `executor.celery.workers.pod`, …), which adds to it: lists are appended to
 * the library-wide ones, maps are merged (the component's keys win), and each scheduling field
 * the component sets replaces the library-wide one.
 */
export interface PodOptions {
  /** Secrets of type `kubernetes.io/dockerconfigjson` for pulling images from a private registry. @default - none */
  readonly imagePullSecrets?: string[];
  /**
   * Annotations of the component's ServiceAccount: a cloud identity, e.g.
   * `{ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::…:role/airflow' }` (IRSA),
   * `{ 'iam.gke.io/gcp-service-account': '…' }`, `{ 'azure.workload.identity/client-id': '…' }`.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Labels of the pods (`azure.workload.identity/use: 'true'`, cost centres). The library's own keys are refused. @default - none */
  readonly podLabels?: Record<string, string>;
  /** Annotations of the pods. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Environment variables of the main container, after the library's (a `$(VAR)` may refer to those). @default - none */
  readonly env?: k8s.EnvVar[];
  /** Whole ConfigMaps or Secrets as environment of the main container. @default - none */
  readonly envFrom?: k8s.EnvFromSource[];
  /** Volumes of the pod, for `volumeMounts` and the extra containers. Held to the `restricted` profile. @default - none */
  readonly volumes?: k8s.Volume[];
  /** Mounts of the main container. @default - none */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** Containers run before the pod's own, hardened to the `restricted` profile. @default - none */
  readonly initContainers?: k8s.Container[];
  /** Containers run beside the main one (a proxy, a log shipper), hardened to the `restricted` profile. @default - none */
  readonly sidecars?: k8s.Container[];
  /** @default - any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly affinity?: k8s.Affinity;
  /** @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** @default - none */
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
  /** @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /**
   * Leave the user and group IDs to the platform: OpenShift's `restricted-v2` SCC assigns them
   * from the namespace's range and refuses pods that set others. `runAsNonRoot`, the seccomp
   * profile and the containers' settings stay, so the pods still meet the `restricted` profile.
   * The Airflow image runs under any user ID as long as its group is 0, which OpenShift gives.
   * @default false
   */
  readonly platformAssignsUserIds?: boolean;
}

/** The labels the library selects pods by, which extra labels may not change. */
const RESERVED_LABELS = [LABEL_NAME, LABEL_INSTANCE, LABEL_COMPONENT, LABEL_RELEASE];
/** Volume names the library uses in its pods. */
const RESERVED_VOLUMES = ['config', 'logs', 'dags', 'git-sync-tmp', 'git-ssh', 'pod-template', 'data', 'run', 'tmp'];

/** The library-wide options with a component's on top (see `PodOptions`). */
export function mergePodOptions(global: PodOptions = {}, local: PodOptions = {}): PodOptions {
  const list = <T>(a?: T[], b?: T[]): T[] | undefined => (a || b ? [...(a ?? []), ...(b ?? [])] : undefined);
  const map = (a?: Record<string, string>, b?: Record<string, string>) => (a || b ? { ...a, ...b } : undefined);
  return {
    imagePullSecrets: list(global.imagePullSecrets, local.imagePullSecrets),
    serviceAccountAnnotations: map(global.serviceAccountAnnotations, local.serviceAccountAnnotations),
    podLabels: map(global.podLabels, local.podLabels),
    podAnnotations: map(global.podAnnotations, local.podAnnotations),
    env: list(global.env, local.env),
    envFrom: list(global.envFrom, local.envFrom),
    volumes: list(global.volumes, local.volumes),
    volumeMounts: list(global.volumeMounts, local.volumeMounts),
    initContainers: list(global.initContainers, local.initContainers),
    sidecars: list(global.sidecars, local.sidecars),
    nodeSelector: local.nodeSelector ?? global.nodeSelector,
    affinity: local.affinity ?? global.affinity,
    tolerations: local.tolerations ?? global.tolerations,
    topologySpreadConstraints: local.topologySpreadConstraints ?? global.topologySpreadConstraints,
    priorityClassName: local.priorityClassName ?? global.priorityClassName,
    platformAssignsUserIds: local.platformAssignsUserIds ?? global.platformAssignsUserIds,
  };
}

/**
 * Adds the options to a pod template the library built: its main container is `main`. Nothing
 * of the library's is replaced; extra containers are hardened to the `restricted` profile.
 */
export function applyPodOptions(template: k8s.PodTemplateSpec, options: PodOptions, main: string): k8s.PodTemplateSpec {
  const spec = template.spec!;
  const withMain = (containers: k8s.Container[]) => containers.map((c) => (c.name !== main ? c : {
    ...c,
    env: options.env?.length ? [...(c.env ?? []), ...options.env] : c.env,
    envFrom: options.envFrom?.length ? [...(c.envFrom ?? []), ...options.envFrom] : c.envFrom,
    volumeMounts: options.volumeMounts?.length ? [...(c.volumeMounts ?? []), ...options.volumeMounts] : c.volumeMounts,
  }));
  const withoutIds = (c: k8s.Container): k8s.Container => (!options.platformAssignsUserIds || c.securityContext?.runAsUser === undefined
    ? c : { ...c, securityContext: { ...c.securityContext, runAsUser: undefined } });
  const initContainers = [...(spec.initContainers ?? []).map(withoutIds), ...(options.initContainers ?? []).map(hardenedContainer)];
  const labels = { ...options.podLabels, ...template.metadata?.labels };
  const annotations = { ...options.podAnnotations, ...template.metadata?.annotations };
  return {
    metadata: {
      ...template.metadata,
      labels: Object.keys(labels).length ? labels : undefined,
      annotations: Object.keys(annotations).length ? annotations : undefined,
    },
    spec: {
      ...spec,
      imagePullSecrets: options.imagePullSecrets?.length ? options.imagePullSecrets.map((name) => ({ name })) : spec.imagePullSecrets,
      nodeSelector: options.nodeSelector ? { ...options.nodeSelector } : spec.nodeSelector,
      affinity: options.affinity ?? spec.affinity,
      tolerations: options.tolerations ?? spec.tolerations,
      topologySpreadConstraints: options.topologySpreadConstraints ?? spec.topologySpreadConstraints,
      priorityClassName: options.priorityClassName ?? spec.priorityClassName,
      initContainers: initContainers.length ? initContainers : undefined,
      containers: [...withMain(spec.containers).map(withoutIds), ...(options.sidecars ?? []).map(hardenedContainer)],
      securityContext: options.platformAssignsUserIds
        ? { ...spec.securityContext, runAsUser: undefined, runAsGroup: undefined, fsGroup: undefined, fsGroupChangePolicy: undefined }
        : spec.securityContext,
      volumes: options.volumes?.length ? [...(spec.volumes ?? []), ...options.volumes] : spec.volumes,
    },
  };
}

/** Records the problems of the labels and annotations for every object (`labels`, `annotations`). */
export function validateObjectMetadata(errors: ValidationErrors, labels?: Record<string, string>, annotations?: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const problem = RESERVED_LABELS.includes(key) ? 'the library sets this label itself' : labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== undefined) {
      errors.add(`labels.${key}`, value, problem, 'use a label of your own, e.g. "example.com/cost-centre"');
    }
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const problem = annotationKeyProblem(key);
    if (problem !== undefined) {
      errors.add(`annotations.${key}`, value, problem, 'e.g. "example.com/owner"');
    }
  }
}

/** Records every problem of a set of pod options, under `property` (e.g. `scheduler.pod`). */
export function validatePodOptions(errors: ValidationErrors, property: string, options: PodOptions | undefined): void {
  if (options === undefined) {
    return;
  }
  const report = (at: string, value: unknown, problem: string | undefined, fix: string) => {
    if (problem !== undefined) {
      errors.add(`${property}.${at}`, value, problem, fix);
    }
  };
  (options.imagePullSecrets ?? []).forEach((name, i) =>
    report(`imagePullSecrets[${i}]`, name, dns1123SubdomainProblem(name), 'give the name of a Secret of type kubernetes.io/dockerconfigjson'));
  for (const [key, value] of Object.entries(options.serviceAccountAnnotations ?? {})) {
    report(`serviceAccountAnnotations.${key}`, value, annotationKeyProblem(key), 'e.g. "eks.amazonaws.com/role-arn"');
  }
  for (const [key, value] of Object.entries(options.podAnnotations ?? {})) {
    report(`podAnnotations.${key}`, value, annotationKeyProblem(key), 'e.g. "example.com/owner"');
  }
  for (const [key, value] of Object.entries(options.podLabels ?? {})) {
    const reserved = RESERVED_LABELS.includes(key) ? 'the library selects pods by this label' : undefined;
    report(`podLabels.${key}`, value, reserved ?? labelKeyProblem(key) ?? labelValueProblem(value), 'use a label of your own, e.g. "example.com/team"');
  }
  (options.env ?? []).forEach((variable, i) =>
    report(`env[${i}].name`, variable.name, envVarNameProblem(variable.name ?? ''), 'e.g. "HTTPS_PROXY"'));
  const volumeNames = (options.volumes ?? []).map((v) => v.name);
  (options.volumes ?? []).forEach((volume, i) => {
    report(`volumes[${i}].name`, volume.name, dns1123LabelProblem(volume.name ?? '')
      ?? (RESERVED_VOLUMES.includes(volume.name) ? 'the library names a volume so' : undefined)
      ?? (volumeNames.indexOf(volume.name) !== i ? 'listed twice' : undefined), 'give each volume a name of its own');
    report(`volumes[${i}]`, volume.name, restrictedVolumeProblem(volume)?.concat(', which the Pod Security "restricted" profile refuses'),
      'use a configMap, secret, emptyDir, projected, csi, ephemeral or persistentVolumeClaim volume');
  });
  (options.volumeMounts ?? []).forEach((mount, i) => {
    const known = volumeNames.includes(mount.name);
    report(`volumeMounts[${i}]`, mount.name, known ? undefined : 'mounts a volume that volumes does not define', 'add the volume to volumes in the same options');
    report(`volumeMounts[${i}].mountPath`, mount.mountPath, mount.mountPath?.startsWith('/') ? undefined : 'must be an absolute path', 'e.g. "/etc/extra"');
  });
  for (const [list, containers] of [['initContainers', options.initContainers], ['sidecars', options.sidecars]] as const) {
    (containers ?? []).forEach((container, i) => {
      report(`${list}[${i}].name`, container.name, dns1123LabelProblem(container.name ?? ''), 'e.g. "proxy"');
      for (const { problem, setting } of restrictedContainerProblems(hardenedContainer(container))) {
        report(`${list}[${i}]`, setting, `${problem}, which the Pod Security "restricted" profile refuses`,
          'run it as a non-root user, without privilege escalation and host ports, with all capabilities dropped');
      }
    });
  }
  for (const [key, value] of Object.entries(options.nodeSelector ?? {})) {
    report(`nodeSelector.${key}`, value, labelKeyProblem(key) ?? labelValueProblem(value), 'e.g. { "kubernetes.io/arch": "amd64" }');
  }
  (options.tolerations ?? []).forEach((toleration, i) =>
    report(`tolerations[${i}]`, toleration, tolerationProblem(toleration), 'e.g. { key: "pool", operator: "Equal", value: "airflow", effect: "NoSchedule" }'));
  const terms = options.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const preferred = (options.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.preference);
  [...terms, ...preferred].forEach((term, t) => (term.matchExpressions ?? []).forEach((requirement, i) =>
    report(`affinity.nodeAffinity (term ${t}, expression ${i})`, requirement, nodeSelectorRequirementProblem(requirement),
      'e.g. { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }')));
  (options.topologySpreadConstraints ?? []).forEach((constraint, i) => {
    report(`topologySpreadConstraints[${i}].maxSkew`, constraint.maxSkew,
      Number.isInteger(constraint.maxSkew) && constraint.maxSkew >= 1 ? undefined : 'must be a whole number, 1 or more', 'e.g. 1');
    report(`topologySpreadConstraints[${i}].topologyKey`, constraint.topologyKey, labelKeyProblem(constraint.topologyKey ?? ''), 'e.g. "topology.kubernetes.io/zone"');
    report(`topologySpreadConstraints[${i}].whenUnsatisfiable`, constraint.whenUnsatisfiable,
      ['DoNotSchedule', 'ScheduleAnyway'].includes(constraint.whenUnsatisfiable) ? undefined : 'must be DoNotSchedule or ScheduleAnyway', 'e.g. "ScheduleAnyway"');
  });
  if (options.priorityClassName !== undefined) {
    report('priorityClassName', options.priorityClassName, dns1123SubdomainProblem(options.priorityClassName), 'e.g. "airflow-high"');
  }
}
