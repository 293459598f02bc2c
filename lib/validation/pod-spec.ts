import { quantityValue } from '../pod/quantity';
import { podTemplateFileOf } from '../schema/validate-manifests';

/** A rule a pod spec breaks: the field and what is wrong. */
export interface PodSpecProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The API server's rules for a pod spec that a schema cannot express (core/validation
 * `ValidatePodSpec`): names unique among the containers and among the volumes, a mount path used
 * once per container, an image on every container, requests within limits, ports and weights in
 * range. Run on every pod the output holds, the KubernetesExecutor's template file included,
 * after pod options and escape hatches, so a collision between the user's additions and the
 * library's becomes a synth error instead of a rejected apply. Environment variables set twice
 * are reported too: the API server takes them and the later one silently wins.
 */
export function podSpecProblems(spec: unknown, at: string): PodSpecProblem[] {
  if (!isObject(spec)) {
    return [];
  }
  const problems: PodSpecProblem[] = [];
  const containers = [...list(spec.initContainers).map((c, i) => [c, `initContainers[${i}]`] as const),
    ...list(spec.containers).map((c, i) => [c, `containers[${i}]`] as const)];
  duplicates(containers.map(([c, path]) => [name(c), path]), (value, path, first) =>
    problems.push({ path: `${at}.${path}.name`, message: `the container name "${value}" is taken by ${first}: each container of a pod needs a name of its own` }));
  duplicates(list(spec.volumes).map((v, i) => [name(v), `volumes[${i}]`]), (value, path, first) =>
    problems.push({ path: `${at}.${path}.name`, message: `the volume name "${value}" is taken by ${first}: each volume of a pod needs a name of its own` }));
  for (const [container, path] of containers) {
    if (!isObject(container)) {
      continue;
    }
    const where = `${at}.${path}`;
    if (typeof container.image !== 'string' || container.image === '') {
      problems.push({ path: `${where}.image`, message: 'every container needs an image' });
    }
    duplicates(list(container.volumeMounts).map((m, i) => [isObject(m) ? m.mountPath : undefined, `volumeMounts[${i}]`]), (value, mount, first) =>
      problems.push({ path: `${where}.${mount}.mountPath`, message: `"${value}" is mounted already by ${first}: a path takes one mount` }));
    duplicates(list(container.env).map((v, i) => [name(v), `env[${i}]`]), (value, variable, first) =>
      problems.push({ path: `${where}.${variable}.name`, message: `${value} is set already by ${first}; the later one would silently win` }));
    list(container.ports).forEach((port, i) => {
      const number = isObject(port) ? port.containerPort : undefined;
      if (typeof number === 'number' && (number < 1 || number > 65535)) {
        problems.push({ path: `${where}.ports[${i}].containerPort`, message: `${number} is not a port (1-65535)` });
      }
    });
    problems.push(...resourceProblems(container.resources, `${where}.resources`));
  }
  problems.push(...weightProblems(spec.affinity, `${at}.affinity`));
  return problems;
}

/** Requests within limits, no negative amount (core/validation `ValidateResourceRequirements`). */
function resourceProblems(resources: unknown, at: string): PodSpecProblem[] {
  if (!isObject(resources)) {
    return [];
  }
  const problems: PodSpecProblem[] = [];
  const requests = isObject(resources.requests) ? resources.requests : {};
  const limits = isObject(resources.limits) ? resources.limits : {};
  for (const [section, values] of [['requests', requests], ['limits', limits]] as const) {
    for (const [resource, quantity] of Object.entries(values)) {
      if (String(quantity).trim().startsWith('-')) {
        problems.push({ path: `${at}.${section}.${resource}`, message: `${String(quantity)} is negative` });
      }
    }
  }
  for (const [resource, request] of Object.entries(requests)) {
    const requested = quantityValue(String(request));
    const limit = limits[resource] === undefined ? undefined : quantityValue(String(limits[resource]));
    if (requested !== undefined && limit !== undefined && requested > limit) {
      problems.push({ path: `${at}.requests.${resource}`, message: `${String(request)} is more than the limit ${String(limits[resource])}` });
    }
  }
  return problems;
}

/** Preferred scheduling terms weigh 1 to 100 (core/validation `ValidatePreferredSchedulingTerms`, `validateWeightedPodAffinityTerms`). */
function weightProblems(affinity: unknown, at: string): PodSpecProblem[] {
  if (!isObject(affinity)) {
    return [];
  }
  const problems: PodSpecProblem[] = [];
  for (const kind of ['nodeAffinity', 'podAffinity', 'podAntiAffinity']) {
    const section = affinity[kind];
    const terms = isObject(section) ? list(section.preferredDuringSchedulingIgnoredDuringExecution) : [];
    terms.forEach((term, i) => {
      const weight = isObject(term) ? term.weight : undefined;
      if (typeof weight === 'number' && (weight < 1 || weight > 100)) {
        problems.push({ path: `${at}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].weight`, message: `${weight} is not a weight (1-100)` });
      }
    });
  }
  return problems;
}

/** Calls `report` for each value seen before, with the path of its first use. */
function duplicates(entries: ReadonlyArray<readonly [unknown, string]>, report: (value: string, path: string, first: string) => void): void {
  const seen = new Map<string, string>();
  for (const [value, path] of entries) {
    if (typeof value !== 'string') {
      continue;
    }
    const first = seen.get(value);
    if (first !== undefined) {
      report(value, path, first);
    } else {
      seen.set(value, path);
    }
  }
}

function name(value: unknown): unknown {
  return isObject(value) ? value.name : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rules above on every pod an object holds, as `<object>: <field>: <problem>` lines: a
 * workload's template, a CronJob's job template, the Pod in the KubernetesExecutor's template file.
 */
export function outputPodProblems(manifest: Record<string, unknown>): string[] {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const object = `${String(manifest.kind)} ${metadata.namespace === undefined ? '' : `${String(metadata.namespace)}/`}${String(metadata.name)}`;
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const pods: Array<[string, unknown, string]> = [];
  if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(String(manifest.kind)) && isObject(spec.template)) {
    pods.push([object, spec.template.spec, 'spec.template.spec']);
  }
  if (manifest.kind === 'CronJob' && isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) && isObject(spec.jobTemplate.spec.template)) {
    pods.push([object, spec.jobTemplate.spec.template.spec, 'spec.jobTemplate.spec.template.spec']);
  }
  const file = podTemplateFileOf(manifest);
  if (file !== undefined) {
    pods.push([`Pod template in ${object}`, file.spec, 'spec']);
  }
  return pods.flatMap(([owner, pod, path]) => podSpecProblems(pod, path).map((p) => `${owner}: ${p.path}: ${p.message}`));
}
