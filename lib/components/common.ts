import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext } from '../context';

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
