import { Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, POD_TEMPLATE_PATH } from '../context';
import { WorkerPodOptions } from '../executor';
import { sha256 } from '../hash';
import { airflowPodTemplate } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { componentServiceAccount } from './common';

export interface KubernetesWorkerPodsProps extends WorkerPodOptions {
  readonly context: AirflowContext;
  /**
   * Mount a ServiceAccount token so tasks can launch pods (KubernetesPodOperator).
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
}

const COMPONENT = 'kubernetes-worker';
/** The file name inside the ConfigMap and the pod template folder. */
export const POD_TEMPLATE_KEY = POD_TEMPLATE_PATH.slice(POD_TEMPLATE_PATH.lastIndexOf('/') + 1);
/** The annotation that rolls the scheduler when the pod template changes. */
export const POD_TEMPLATE_CHECKSUM_ANNOTATION = 'checksum/pod-template';

/**
 * The pods the KubernetesExecutor starts, one per task: their ServiceAccount and the pod template
 * (`[kubernetes_executor] pod_template_file`) in a ConfigMap for the scheduler. A task pod is an
 * Airflow worker pod: same image, config, Secrets, logs volume, hardening and DAG source, with a
 * one-time git-sync init container instead of the sidecar so that the pod can finish. Airflow
 * fills in the container's command, the pod's name and its labels per task; the container must be
 * called `base`.
 *
 * Task pods carry the labels of the `kubernetes-worker` component, which no workload selects,
 * so no Deployment or StatefulSet ever tries to adopt them.
 */
export class KubernetesWorkerPods extends Construct {
  /** The Pod manifest of the pod template file, as an object. */
  public readonly podTemplate: Record<string, unknown>;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** SHA-256 of the pod template file, annotated on the scheduler. */
  public readonly checksum: string;

  constructor(scope: Construct, id: string, props: KubernetesWorkerPodsProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    const template = airflowPodTemplate(context, {
      component: COMPONENT,
      containerName: 'base',
      args: [],
      needsDags: true,
      dagSidecars: false,
      // Task pods start long after the migration: the scheduler that starts them waited for it.
      waitForMigrations: false,
      annotateConfigChecksum: false,
      kubernetesApiAccess: props.kubernetesApiAccess,
      restartPolicy: 'Never',
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
    });
    // A round trip through JSON drops the unset (undefined) fields, which YAML would print as
    // null; keys are sorted like those of every other synthesised object.
    this.podTemplate = sortKeys(JSON.parse(JSON.stringify(k8s.KubePod.manifest({
      metadata: template.metadata,
      spec: {
        ...template.spec!,
        nodeSelector: props.nodeSelector ? { ...props.nodeSelector } : undefined,
        tolerations: props.tolerations,
        affinity: props.affinity,
        priorityClassName: props.priorityClassName,
      },
    }))));
    const file = Yaml.stringify(this.podTemplate);
    this.checksum = sha256(file);
    this.configMap = new k8s.KubeConfigMap(this, 'PodTemplate', {
      metadata: context.metadata(COMPONENT, context.resourceName('pod-template')),
      data: { [POD_TEMPLATE_KEY]: file },
    });
  }

  /** The volume and mount that place the pod template file where `[kubernetes_executor] pod_template_file` points. */
  public mountParts(): { volume: k8s.Volume; mount: k8s.VolumeMount } {
    return {
      volume: { name: 'pod-template', configMap: { name: this.configMap.name, items: [{ key: POD_TEMPLATE_KEY, path: POD_TEMPLATE_KEY }] } },
      // A subPath mount never sees ConfigMap updates; the checksum annotation rolls the scheduler instead.
      mount: { name: 'pod-template', mountPath: POD_TEMPLATE_PATH, subPath: POD_TEMPLATE_KEY, readOnly: true },
    };
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
