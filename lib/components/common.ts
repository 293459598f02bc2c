import { Construct } from 'constructs';
import type { AirflowContext } from '../context';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { lazy } from '../lazy';
import type { EvictionClass } from '../pod/eviction';
import { RunAsIdentity, containerSecurityContext, podSecurityContext } from '../pod/security';
import { PodOptions, applyPodOptions, mergePodOptions } from '../pod/pod-options';

/**
 * The construct ID of each component's primary object, so that `ApiObject.of(component)` (the
 * cdk8s escape hatch) finds its workload, Job, ConfigMap or Role.
 */
export const PRIMARY_ID = 'Resource';

/**
 * Annotations of the data stores' claims: Argo CD and Flux leave such a claim, and its data, in
 * place when it leaves the output.
 */
export const KEEP_ON_PRUNE: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

/**
 * The component's own ServiceAccount. Its token is never mounted by default; pods that call the
 * Kubernetes API opt in on the pod spec.
 */
export function componentServiceAccount(scope: Construct, context: AirflowContext, component: string, pod?: PodOptions): k8s.KubeServiceAccount {
  const annotations = mergePodOptions(context.pods, pod).serviceAccountAnnotations;
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { ...context.metadata(component), annotations: annotations && Object.keys(annotations).length ? { ...annotations } : undefined },
    automountServiceAccountToken: false,
  });
}

/**
 * A Service in front of a component's pods, selected by the stable component labels. `type` and
 * `annotations` are those of a UI users reach (`apiServer.service`): ClusterIP without.
 */
export function componentService(
  scope: Construct,
  context: AirflowContext,
  component: string,
  ports: k8s.ServicePort[],
  options: { headless?: boolean; type?: string; annotations?: { readonly [key: string]: string } } = {},
): k8s.KubeService {
  const annotations = options.annotations !== undefined && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined;
  return new k8s.KubeService(scope, 'Service', {
    metadata: { ...context.metadata(component), annotations },
    spec: {
      type: options.type ?? 'ClusterIP',
      clusterIp: options.headless ? 'None' : undefined,
      selector: context.selectorLabels(component),
      ports,
    },
  });
}

/** A TCP Service port that targets the container port of the same name. */
export function servicePort(name: string, port: number): k8s.ServicePort {
  return { name, port, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' };
}

/** A TCP container port. */
export function containerPort(name: string, port: number): k8s.ContainerPort {
  return { name, containerPort: port, protocol: 'TCP' };
}

/** Ready once something listens on the named port (a log server). */
export function tcpReadinessProbe(portName: string): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(portName) }, periodSeconds: 10, timeoutSeconds: 5 };
}

/** A Deployment of one component, selected by its stable labels; `replicas` undefined leaves them to an autoscaler. */
export function componentDeployment(scope: Construct, context: AirflowContext, component: string, replicas: number | undefined,
  template: k8s.PodTemplateSpec): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, PRIMARY_ID, {
    metadata: context.metadata(component),
    spec: {
      replicas,
      selector: { matchLabels: context.selectorLabels(component) },
      template,
    },
  });
}

/**
 * A StatefulSet governed by the component's Service of the same name (headless for Airflow
 * components, so each pod gets the DNS name `<pod>.<service>`). `replicas` undefined leaves them
 * to an autoscaler.
 */
export function componentStatefulSet(
  scope: Construct,
  context: AirflowContext,
  component: string,
  replicas: number | undefined,
  template: k8s.PodTemplateSpec,
  extra: Partial<k8s.StatefulSetSpec> = {},
): k8s.KubeStatefulSet {
  return new k8s.KubeStatefulSet(scope, PRIMARY_ID, {
    metadata: context.metadata(component),
    spec: {
      serviceName: context.resourceName(component),
      replicas,
      selector: { matchLabels: context.selectorLabels(component) },
      template,
      ...extra,
    },
  });
}

/**
 * The pod template of a data store (Redis, PostgreSQL, PgBouncer): it runs as the image's own user
 * from the start, with no ServiceAccount token and no service links. `companions` are the
 * library's own containers beside the main one (an exporter), before any of the pod options';
 * `placement` spreads replicas, and pod options replace it kind by kind as for Airflow's pods.
 */
export function dataStorePodTemplate(
  context: AirflowContext,
  component: string,
  identity: RunAsIdentity,
  container: k8s.Container,
  volumes: k8s.Volume[],
  eviction: EvictionClass,
  options: {
    persistentVolume?: boolean;
    terminationGracePeriodSeconds?: number;
    pod?: PodOptions;
    companions?: k8s.Container[];
    placement?: Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'>;
  } = {},
): k8s.PodTemplateSpec {
  // For the NetworkPolicies: a data store serves its ports and opens no connection of its own.
  context.network.add({ component, airflow: false, ports: container.ports });
  return applyPodOptions({
    metadata: { labels: context.metadata(component).labels, annotations: context.eviction.annotation(eviction) },
    spec: {
      serviceAccountName: context.resourceName(component),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(identity, options.persistentVolume),
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      containers: [container, ...(options.companions ?? [])].map((c) => ({ ...c, securityContext: containerSecurityContext(true) })),
      volumes,
      ...options.placement,
    },
  }, mergePodOptions(context.pods, options.pod), container.name);
}

/** A Role of the release's namespace and its binding to ServiceAccounts of the same namespace. */
export interface NamespacedRole {
  readonly role: k8s.KubeRole;
  readonly roleBinding: k8s.KubeRoleBinding;
}

/**
 * A Role named `<name>-<component>` with exactly `rules`, bound to the ServiceAccounts that
 * `serviceAccounts` returns at synth (so that components added later are bound too).
 * @param roleId the Role's construct ID: `PRIMARY_ID` where the Role is what the component is
 */
export function namespacedRole(
  scope: Construct,
  context: AirflowContext,
  component: string,
  rules: k8s.PolicyRule[],
  serviceAccounts: () => k8s.KubeServiceAccount[],
  roleId = 'Role',
): NamespacedRole {
  const role = new k8s.KubeRole(scope, roleId, { metadata: context.metadata(component), rules });
  const roleBinding = new k8s.KubeRoleBinding(scope, 'RoleBinding', {
    metadata: context.metadata(component),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
    subjects: lazy(() => serviceAccounts().map((account) => ({ kind: 'ServiceAccount', name: account.name, namespace: context.namespace }))),
  });
  return { role, roleBinding };
}
