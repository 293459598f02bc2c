import type { Construct } from 'constructs';
import type { AirflowContext } from '../context';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/**
 * A PodDisruptionBudget for a component of two replicas or more: a node drain or an autoscaler
 * evicts its pods one at a time, so the component keeps serving. `maxUnavailable: 1`, never a
 * `minAvailable`, so that a drain proceeds one pod at a time, and `unhealthyPodEvictionPolicy:
 * AlwaysAllow`, so that pods that are not Ready never hold it up.
 * None for one replica, where a budget could only block a drain. With an autoscaler, `replicas`
 * is its `maxReplicas`: the budget exists whenever the component may run two pods, and
 * `maxUnavailable: 1` still lets a drain through while it runs one.
 */
export function disruptionBudget(scope: Construct, context: AirflowContext, component: string, replicas: number): k8s.KubePodDisruptionBudget | undefined {
  if (replicas < 2 || !context.podDisruptionBudgets) {
    return undefined;
  }
  return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: context.metadata(component),
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: context.selectorLabels(component) },
      // Pods that are not Ready may always be evicted. The default (IfHealthyBudget) refuses it
      // while the budget is short, so with every replica crash-looping a drain would wait for
      // them to recover, which may be never. Beta and on by default from Kubernetes 1.27
      // (KEP-3017, PDBUnhealthyPodEvictionPolicy); older API servers drop the field.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/**
 * Where the replicas of a component go when there are two or more: preferably on different nodes
 * and spread over zones, so that losing one node or zone leaves the others. Preferences only
 * (`ScheduleAnyway`, preferred anti-affinity): a single-node or single-zone cluster still runs
 * them. The component's own `affinity` or `topologySpreadConstraints` replace these.
 */
export function spreadReplicas(context: AirflowContext, component: string, replicas: number): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  if (replicas < 2) {
    return {};
  }
  const labelSelector = { matchLabels: context.selectorLabels(component) };
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector, topologyKey: 'kubernetes.io/hostname' } }],
      },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector }],
  };
}
