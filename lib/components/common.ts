import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';
import { AirflowPodOptions, airflowPodTemplate } from '../pod/airflow-pod';
import { RunAsIdentity, containerSecurityContext, podSecurityContext } from '../pod/security';

/**
 * The component's own ServiceAccount. Its token is never mounted by default; pods that call the
 * Kubernetes API opt in on the pod spec.
 */
export function componentServiceAccount(scope: Construct, context: AirflowContext, component: string): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: context.metadata(component),
    automountServiceAccountToken: false,
  });
}

/** A Service in front of a component's pods, selected by the stable component labels. */
export function componentService(
  scope: Construct,
  context: AirflowContext,
  component: string,
  ports: k8s.ServicePort[],
  options: { headless?: boolean } = {},
): k8s.KubeService {
  return new k8s.KubeService(scope, 'Service', {
    metadata: context.metadata(component),
    spec: {
      type: 'ClusterIP',
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

/** A Deployment of one Airflow component, selected by its stable labels. */
export function airflowDeployment(scope: Construct, context: AirflowContext, replicas: number, pod: AirflowPodOptions): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, 'Deployment', {
    metadata: context.metadata(pod.component),
    spec: {
      replicas,
      selector: { matchLabels: context.selectorLabels(pod.component) },
      template: airflowPodTemplate(context, pod),
    },
  });
}

/**
 * A StatefulSet governed by the component's Service of the same name (headless for Airflow
 * components, so each pod gets the DNS name `<pod>.<service>`).
 */
export function componentStatefulSet(
  scope: Construct,
  context: AirflowContext,
  component: string,
  replicas: number,
  template: k8s.PodTemplateSpec,
  extra: Partial<k8s.StatefulSetSpec> = {},
): k8s.KubeStatefulSet {
  return new k8s.KubeStatefulSet(scope, 'StatefulSet', {
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
 * The pod template of a data store (Redis, PostgreSQL): it runs as the image's own user from the
 * start, with no ServiceAccount token and no service links.
 */
export function dataStorePodTemplate(
  context: AirflowContext,
  component: string,
  identity: RunAsIdentity,
  container: k8s.Container,
  volumes: k8s.Volume[],
  options: { persistentVolume?: boolean; terminationGracePeriodSeconds?: number } = {},
): k8s.PodTemplateSpec {
  return {
    metadata: { labels: context.metadata(component).labels },
    spec: {
      serviceAccountName: context.resourceName(component),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(identity, options.persistentVolume),
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      containers: [{ ...container, securityContext: containerSecurityContext(true) }],
      volumes,
    },
  };
}

/** A Role of the release's namespace and its binding to ServiceAccounts of the same namespace. */
export interface NamespacedRole {
  readonly role: k8s.KubeRole;
  readonly roleBinding: k8s.KubeRoleBinding;
}

/** A Role named `<name>-<component>` with exactly `rules`, bound to the given ServiceAccounts. */
export function namespacedRole(
  scope: Construct,
  context: AirflowContext,
  component: string,
  rules: k8s.PolicyRule[],
  serviceAccountNames: string[],
): NamespacedRole {
  const role = new k8s.KubeRole(scope, 'Role', { metadata: context.metadata(component), rules });
  const roleBinding = new k8s.KubeRoleBinding(scope, 'RoleBinding', {
    metadata: context.metadata(component),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: context.resourceName(component) },
    subjects: serviceAccountNames.map((name) => ({ kind: 'ServiceAccount', name, namespace: context.namespace })),
  });
  return { role, roleBinding };
}
