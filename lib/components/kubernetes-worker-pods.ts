import { JsonPatch, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, POD_TEMPLATE_PATH } from '../context';
import { DEFAULT_RESOURCES } from '../defaults';
import type { WorkerPodOptions } from '../executors/kubernetes';
import { sha256 } from '../hash';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { lazy } from '../lazy';
import { AirflowPod } from '../pod/airflow-pod';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { PRIMARY_ID, componentServiceAccount } from './common';

export interface KubernetesWorkerPodsProps extends WorkerPodOptions {
  readonly context: AirflowContext;
}

const COMPONENT = 'kubernetes-worker';
/** The annotation that rolls the scheduler when the pod template changes. */
export const POD_TEMPLATE_CHECKSUM_ANNOTATION = 'checksum/pod-template';
/** The file name inside the ConfigMap and the pod template folder. */
const POD_TEMPLATE_KEY = POD_TEMPLATE_PATH.slice(POD_TEMPLATE_PATH.lastIndexOf('/') + 1);

/**
 * The pods the KubernetesExecutor starts, one per task: their ServiceAccount and the pod template
 * (`[kubernetes_executor] pod_template_file`) in a ConfigMap for the scheduler. A task pod is an
 * Airflow worker pod: same image, config, Secrets, logs volume, hardening and DAG source, with a
 * one-time git-sync init container instead of the sidecar so that the pod can finish. Airflow
 * fills in the container's command, the pod's name and its labels per task; the container must be
 * called `base`.
 *
 * Task pods carry the labels of the `kubernetes-worker` component, which no workload selects,
 * so no Deployment or StatefulSet ever tries to adopt them, and no `app.kubernetes.io/instance`:
 * they are not in the output, and Argo CD would prune a running task that carried its tracking label.
 *
 * The pod template is written at synth: `addPodTemplatePatch` changes it (and so every task pod),
 * and the scheduler's `checksum/pod-template` annotation follows the file as written.
 */
export class KubernetesWorkerPods extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: KubernetesWorkerPodsProps): KubernetesWorkerPods {
    return new KubernetesWorkerPods(scope, id, props);
  }

  /** The ConfigMap `<name>-pod-template` holding the pod template file. */
  public readonly configMap: k8s.KubeConfigMap;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Requests and limits of the `base` container of task pods. */
  public readonly resources: k8s.ResourceRequirements;
  private readonly pod: AirflowPod;
  private readonly patches: JsonPatch[] = [];

  private constructor(scope: Construct, id: string, private readonly props: KubernetesWorkerPodsProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT, props.pod);
    this.resources = renderResources(DEFAULT_RESOURCES.kubernetesTaskPods, props.resources);
    this.pod = new AirflowPod(context, {
      pod: props.pod,
      component: COMPONENT,
      containerName: 'base',
      args: [],
      needsDags: true,
      dagSidecars: false,
      // Task pods start long after the migration: the scheduler that starts them waited for it.
      waitForMigrations: false,
      annotateConfigChecksum: false,
      createdByAirflow: true,
      restartPolicy: 'Never',
      eviction: EvictionClass.TASKS,
      resources: this.resources,
    });
    this.configMap = new k8s.KubeConfigMap(this, PRIMARY_ID, {
      metadata: context.metadata(COMPONENT, context.resourceName('pod-template')),
      data: { [POD_TEMPLATE_KEY]: lazy(() => this.renderFile()) },
    });
  }

  /**
   * Changes the Pod manifest of the pod template file, and so every task pod the
   * KubernetesExecutor starts: the escape hatch for what the options do not cover, e.g.
   * `JsonPatch.add('/spec/hostAliases', [...])`. Applied at synth, after the library's own settings.
   */
  public addPodTemplatePatch(...patches: JsonPatch[]): void {
    this.patches.push(...patches);
  }

  /** @internal */
  public _mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }

  /** The pod template volume, for the scheduler. @internal */
  public _podTemplateVolume(): k8s.Volume {
    return { name: 'pod-template', configMap: { name: this.configMap.name, items: [{ key: POD_TEMPLATE_KEY, path: POD_TEMPLATE_KEY }] } };
  }

  /** Where `[kubernetes_executor] pod_template_file` points. @internal */
  public _podTemplateMount(): k8s.VolumeMount {
    // A subPath mount never sees ConfigMap updates; the checksum annotation rolls the scheduler instead.
    return { name: 'pod-template', mountPath: POD_TEMPLATE_PATH, subPath: POD_TEMPLATE_KEY, readOnly: true };
  }

  /** SHA-256 of the pod template file as synthesised, patches to the ConfigMap included. @internal */
  public _checksum(): string {
    return sha256(this.configMap.toJson().data[POD_TEMPLATE_KEY]);
  }

  /** The pod template file: the task pod's manifest as YAML, keys sorted like every other object's. */
  private renderFile(): string {
    const template = this.pod.render();
    const manifest = k8s.KubePod.manifest({
      metadata: template.metadata,
      spec: {
        ...template.spec!,
        // The task pods' own placement wins over the library-wide `pods`.
        nodeSelector: this.props.nodeSelector ? { ...this.props.nodeSelector } : template.spec!.nodeSelector,
        tolerations: this.props.tolerations ?? template.spec!.tolerations,
        affinity: this.props.affinity ?? template.spec!.affinity,
        priorityClassName: this.props.priorityClassName ?? template.spec!.priorityClassName,
      },
    });
    // A round trip through JSON drops the unset (undefined) fields, which YAML would print as null.
    const pod = JsonPatch.apply(JSON.parse(JSON.stringify(manifest)), ...this.patches);
    return Yaml.stringify(sortKeys(pod));
  }
}

/** The same JSON value with the keys of every object in sorted order. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(sortKeys) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) as T;
  }
  return value;
}
