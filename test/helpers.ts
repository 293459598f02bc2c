import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Airflow, AirflowProps, AirflowVersion, ContainerImage } from '../lib';
import { AirflowConfigurationError } from '../lib/validation';
import { referenceDeployment } from '../examples/reference';
import { airflow2CeleryExample } from '../examples/airflow2-celery/main';
import { celeryKubernetesExecutorExample } from '../examples/celery-kubernetes-executor/main';
import { kubernetesExecutorExample } from '../examples/kubernetes-executor/main';
import { localExecutorExample } from '../examples/local-executor/main';
import { platformExample } from '../examples/platform/main';
import { externalServicesExample } from '../examples/external-services/main';
import { everythingOnExample } from '../examples/everything-on/main';

/** A synthesised Kubernetes object, as plain JSON. */
export type Manifest = Record<string, any>;

/** The reference deployment's objects, as `npm run synth` writes them. */
export function synthReference(): Manifest[] {
  return Testing.synth(referenceDeployment(Testing.app()));
}

/** An Airflow construct with the given props in a chart of namespace `airflow`. */
export function airflowIn(props: AirflowProps = {}): { chart: Chart; airflow: Airflow } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'airflow' });
  return { chart, airflow: new Airflow(chart, 'airflow', props) };
}

/** The objects of an Airflow construct with the given props in a chart of namespace `airflow`. */
export function synthAirflow(props: AirflowProps = {}): Manifest[] {
  return Testing.synth(airflowIn(props).chart);
}

/** The problems the props are refused with, one string each; empty when they are accepted. */
export function problemsOf(props: AirflowProps, namespace: string | null = 'airflow'): string[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined });
  try {
    new Airflow(chart, 'airflow', props);
  } catch (err) {
    if (err instanceof AirflowConfigurationError) {
      return err.problems;
    }
    throw err;
  }
  return [];
}

export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  }
  return found[0];
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet'];

/** Objects that carry a pod template. */
export function workloads(manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => WORKLOAD_KINDS.includes(m.kind));
}

export function podTemplate(workload: Manifest): Manifest {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
}

export function container(workload: Manifest, name: string, init = false): Manifest {
  const spec = podTemplate(workload).spec;
  const list: Manifest[] = (init ? spec.initContainers : spec.containers) ?? [];
  const found = list.find((c) => c.name === name);
  if (!found) {
    throw new Error(`${workload.kind} ${workload.metadata.name} has no ${init ? 'init ' : ''}container ${name}`);
  }
  return found;
}

export function allContainers(workload: Manifest): Manifest[] {
  const spec = podTemplate(workload).spec;
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** Every string anywhere in a value, with its JSON path. */
export function* strings(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield* strings(value[i], `${path}[${i}]`);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [`${path}.${k}#key`, k];
      yield* strings(v, `${path}.${k}`);
    }
  }
}

/** Parses a Kubernetes quantity of CPU to millicores or of memory to bytes. */
export function quantity(value: string): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(value);
  if (!m) {
    throw new Error(`unparsed quantity ${value}`);
  }
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const factors: Record<string, number> = { '': 1, 'm': 0.001, 'Ki': 1024, 'Mi': 1024 ** 2, 'Gi': 1024 ** 3, 'Ti': 1024 ** 4, 'k': 1e3, 'M': 1e6, 'G': 1e9 };
  return n * factors[unit];
}

/** The committed example apps, by folder name under examples/. */
export const EXAMPLES: Record<string, (app: App) => Chart> = {
  'kubernetes-executor': kubernetesExecutorExample,
  'celery-kubernetes-executor': celeryKubernetesExecutorExample,
  'local-executor': localExecutorExample,
  'airflow2-celery': airflow2CeleryExample,
  'platform': platformExample,
  'external-services': externalServicesExample,
  'everything-on': everythingOnExample,
};

export function synthExample(name: string): Manifest[] {
  return Testing.synth(EXAMPLES[name](Testing.app()));
}

/** An Airflow release with its matching official image, as props. */
export function release(version: string): AirflowProps {
  return { version: AirflowVersion.of(version), image: ContainerImage.of('apache/airflow', version) };
}

/** The text of `airflow.cfg` in the release's ConfigMap. */
export function airflowCfgText(manifests: Manifest[], name = 'airflow'): string {
  return find(manifests, 'ConfigMap', `${name}-config`).data['airflow.cfg'];
}

/**
 * `config` as a JavaScript caller (or props read from a file) can pass it, numbers and booleans
 * included: TypeScript refuses them, and these inputs show that the synth-time check handles them.
 */
export function untypedConfig(sections: Record<string, Record<string, unknown>>): AirflowProps['config'] {
  return sections as AirflowProps['config'];
}

/** The Pod manifest of the KubernetesExecutor's pod template file. */
export function podTemplateFile(manifests: Manifest[], name = 'airflow'): Manifest {
  return parse(find(manifests, 'ConfigMap', `${name}-pod-template`).data['pod_template_file.yaml']) as Manifest;
}
