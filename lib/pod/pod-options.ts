import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, LABEL_RELEASE } from '../labels';
import { ValidationErrors } from '../validation';
import {
  annotationKeyProblem, configMapKeyProblem, dns1123LabelProblem, dns1123SubdomainProblem, envVarNameProblem, labelKeyProblem, labelValueProblem,
  nodeSelectorRequirementProblem, portProblem, tolerationProblem,
} from '../validation/kubernetes-names';
import { parseImageReference } from '../validation/image-reference';
import { unknownInputFields } from '../schema/validate-manifests';
import { SAFE_TO_EVICT_ANNOTATION } from './eviction';
import { rawResourceProblems } from './raw-resources';
import { hardenedContainer, restrictedContainerProblems, restrictedVolumeProblem } from './restricted';

/**
 * What a platform adds to pods: pull secrets, a cloud identity, extra environment, files and
 * containers, and where the pods run. Set library-wide with the prop `pods`, and per component
 * (`scheduler.pod`, `executor.celery.workers.pod`, …), which adds to it: lists are appended to
 * the library-wide ones, maps are merged (the component's keys win), and each scheduling field
 * the component sets replaces the library-wide one (an affinity kind by kind, and the library's
 * own spread of replicas only in the kinds it sets).
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
  /**
   * Containers run beside the main one (a proxy, a log shipper), hardened to the `restricted`
   * profile. Long-running pods only: pods that run to completion (the Jobs, CronJobs and
   * KubernetesExecutor task pods) take none, since on Kubernetes 1.27 a sidecar keeps such a pod
   * running after its work is done.
   * @default - none
   */
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
const RESERVED_VOLUMES = [
  'config', 'logs', 'dags', 'git-sync-tmp', 'git-ssh', 'pod-template', 'data', 'run', 'tmp', 'mapping',
  'webserver-config', 'local-settings', 'celery-broker-ca',
];
/** Names of the containers the library adds beside a component's main one. */
const RESERVED_CONTAINERS = ['log-groomer', 'wait-for-migrations', 'git-sync', 'git-sync-init', 'metrics-exporter'];
/** The Kubernetes definition of each list or struct of pod options, for the fields it has. */
const STRUCT_DEFINITIONS: ReadonlyArray<[keyof PodOptions, string]> = [
  ['env', 'core.v1.EnvVar'], ['envFrom', 'core.v1.EnvFromSource'], ['volumes', 'core.v1.Volume'], ['volumeMounts', 'core.v1.VolumeMount'],
  ['initContainers', 'core.v1.Container'], ['sidecars', 'core.v1.Container'], ['affinity', 'core.v1.Affinity'],
  ['tolerations', 'core.v1.Toleration'], ['topologySpreadConstraints', 'core.v1.TopologySpreadConstraint'],
];

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
  // A pod of a Job, CronJob or task runs to completion: a sidecar would keep it running forever.
  const sidecars = runsToCompletion(spec) ? [] : options.sidecars ?? [];
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
      affinity: mergedAffinity(spec.affinity, options.affinity),
      tolerations: options.tolerations ?? spec.tolerations,
      topologySpreadConstraints: options.topologySpreadConstraints ?? spec.topologySpreadConstraints,
      priorityClassName: options.priorityClassName ?? spec.priorityClassName,
      initContainers: initContainers.length ? initContainers : undefined,
      containers: [...withMain(spec.containers).map(withoutIds), ...sidecars.map(hardenedContainer)],
      securityContext: options.platformAssignsUserIds
        ? { ...spec.securityContext, runAsUser: undefined, runAsGroup: undefined, fsGroup: undefined, fsGroupChangePolicy: undefined }
        : spec.securityContext,
      volumes: options.volumes?.length ? [...(spec.volumes ?? []), ...options.volumes] : spec.volumes,
    },
  };
}

/**
 * The pod options' affinity over the library's, kind by kind: a node affinity of the options keeps
 * the library's pod anti-affinity that spreads replicas over nodes, and the other way round.
 */
function mergedAffinity(own: k8s.Affinity | undefined, given: k8s.Affinity | undefined): k8s.Affinity | undefined {
  if (given === undefined || own === undefined) {
    return given ?? own;
  }
  return {
    nodeAffinity: given.nodeAffinity ?? own.nodeAffinity,
    podAffinity: given.podAffinity ?? own.podAffinity,
    podAntiAffinity: given.podAntiAffinity ?? own.podAntiAffinity,
  };
}

/** Whether a pod runs to completion (a Job's, a CronJob's, a task's): its restart policy is not Always. */
export function runsToCompletion(spec: k8s.PodSpec): boolean {
  return spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure';
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
  if (options.podAnnotations?.[SAFE_TO_EVICT_ANNOTATION] !== undefined) {
    report(`podAnnotations.${SAFE_TO_EVICT_ANNOTATION}`, options.podAnnotations[SAFE_TO_EVICT_ANNOTATION],
      'the library sets this annotation on every pod, by what the pod runs, and its value would win', 'use the prop clusterAutoscaler instead');
  }
  for (const [key, value] of Object.entries(options.podLabels ?? {})) {
    const reserved = RESERVED_LABELS.includes(key) ? 'the library selects pods by this label' : undefined;
    report(`podLabels.${key}`, value, reserved ?? labelKeyProblem(key) ?? labelValueProblem(value), 'use a label of your own, e.g. "example.com/team"');
  }
  // A Secret or ConfigMap named by a variable, a whole-source entry or a volume: names the API
  // server takes, keys a Secret can hold.
  const reportReferences = (at: string, variable: k8s.EnvVar) => {
    for (const kind of ['secretKeyRef', 'configMapKeyRef'] as const) {
      const ref = variable?.valueFrom?.[kind];
      if (ref !== undefined) {
        report(`${at}.valueFrom.${kind}.name`, ref.name, dns1123SubdomainProblem(ref.name ?? ''), 'e.g. "proxy-settings"');
        report(`${at}.valueFrom.${kind}.key`, ref.key, configMapKeyProblem(ref.key ?? ''), 'e.g. "password"');
      }
    }
  };
  (options.env ?? []).forEach((variable, i) => {
    report(`env[${i}].name`, variable.name, envVarNameProblem(variable.name ?? ''), 'e.g. "HTTPS_PROXY"');
    reportReferences(`env[${i}]`, variable);
  });
  (options.envFrom ?? []).forEach((source, i) => {
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (source?.[kind] !== undefined) {
        report(`envFrom[${i}].${kind}.name`, source[kind]?.name, dns1123SubdomainProblem(source[kind]?.name ?? ''), 'e.g. "proxy-settings"');
      }
    }
  });
  for (const [field, definition] of STRUCT_DEFINITIONS) {
    const value = options[field];
    const items: Array<[unknown, string]> = Array.isArray(value) ? value.map((item, i) => [item, `${field}[${i}]`]) : [[value, field]];
    for (const [item, at] of items) {
      for (const { path, message } of unknownInputFields(item, definition)) {
        report(path === '' ? at : `${at}.${path}`, '(set)', message, 'remove or correct it');
      }
    }
  }
  const volumeNames = (options.volumes ?? []).map((v) => v.name);
  (options.volumes ?? []).forEach((volume, i) => {
    const referenced: Array<[string, string | undefined]> = [
      ['secret.secretName', volume.secret?.secretName], ['configMap.name', volume.configMap?.name], ['persistentVolumeClaim.claimName', volume.persistentVolumeClaim?.claimName],
    ];
    for (const [field, name] of referenced.filter(([, n]) => n !== undefined)) {
      report(`volumes[${i}].${field}`, name, dns1123SubdomainProblem(name!), 'e.g. "corporate-ca"');
    }
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
  const containerNames = [...(options.initContainers ?? []), ...(options.sidecars ?? [])].map((c) => c?.name);
  for (const [list, containers] of [['initContainers', options.initContainers], ['sidecars', options.sidecars]] as const) {
    (containers ?? []).forEach((container, i) => {
      const at = `${list}[${i}]`;
      report(`${at}.name`, container.name, dns1123LabelProblem(container.name ?? '')
        ?? (RESERVED_CONTAINERS.includes(container.name) ? 'the library names a container so' : undefined)
        ?? (containerNames.indexOf(container.name) !== containerNames.lastIndexOf(container.name) ? 'two extra containers have this name' : undefined),
      'give each container a name of its own, e.g. "proxy"');
      const image = typeof container.image === 'string' ? parseImageReference(container.image) : undefined;
      report(`${at}.image`, container.image, image === undefined ? 'every container needs an image'
        : 'problem' in image ? `not an image reference: ${image.problem}` : undefined, 'e.g. "envoyproxy/envoy:v1.31.0"');
      for (const { problem, setting } of restrictedContainerProblems(hardenedContainer(container))) {
        report(at, setting, `${problem}, which the Pod Security "restricted" profile refuses`,
          'run it as a non-root user, without privilege escalation and host ports, with all capabilities dropped');
      }
      (container.ports ?? []).forEach((port, p) => report(`${at}.ports[${p}].containerPort`, port.containerPort, portProblem(port.containerPort), 'e.g. 8080'));
      for (const problem of rawResourceProblems(container.resources)) {
        report(`${at}.resources.${problem.path}`, problem.value, problem.problem, problem.fix);
      }
      (container.env ?? []).forEach((variable, v) => reportReferences(`${at}.env[${v}]`, variable));
    });
  }
  for (const [key, value] of Object.entries(options.nodeSelector ?? {})) {
    report(`nodeSelector.${key}`, value, labelKeyProblem(key) ?? labelValueProblem(value), 'e.g. { "kubernetes.io/arch": "amd64" }');
  }
  (options.tolerations ?? []).forEach((toleration, i) =>
    report(`tolerations[${i}]`, toleration, tolerationProblem(toleration), 'e.g. { key: "pool", operator: "Equal", value: "airflow", effect: "NoSchedule" }'));
  const terms = options.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const preferred = (options.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.preference);
  for (const kind of ['nodeAffinity', 'podAffinity', 'podAntiAffinity'] as const) {
    (options.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term: { weight: number }, i: number) =>
      report(`affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].weight`, term.weight,
        Number.isInteger(term.weight) && term.weight >= 1 && term.weight <= 100 ? undefined : 'must be a whole number from 1 to 100', 'e.g. 50'));
  }
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
