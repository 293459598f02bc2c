import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AirflowContext } from '../context';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { ScaledObject } from '../../imports/keda.sh';
import { lazy } from '../lazy';
import type { NetworkPolicyOptions } from '../network/options';
import { TrafficFacts, defaultDenySpec, groupPolicySpec } from '../network/rules';
import type { ServiceConnection } from '../network/traffic';
import { PRIMARY_ID } from './common';

export interface NetworkPoliciesProps extends NetworkPolicyOptions {
  readonly context: AirflowContext;
  /** The UI server's Service is a NodePort or LoadBalancer: its requests come from outside the cluster. */
  readonly uiReachedFromOutside: boolean;
  /** Services outside the output that pods connect to, from the configuration. */
  readonly connections: readonly ServiceConnection[];
}

const DEFAULT_DENY = 'default-deny';

/**
 * The release's NetworkPolicies: `<name>-default-deny`, which selects every pod of the output
 * and allows nothing, and one policy per component, `<name>-<component>`, which lists exactly the
 * connections its pods accept and open (the KubernetesExecutor's task pods, which carry the release
 * label instead of the instance label, by theirs). Policies add up: a connection passes when a
 * policy of each end allows it. The rules are computed at synth (`lib/network/rules.ts`), so a
 * worker set added later is a peer of every policy that concerns it.
 */
export class NetworkPolicies extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: NetworkPoliciesProps): NetworkPolicies {
    return new NetworkPolicies(scope, id, props);
  }

  /** `<name>-default-deny`: every pod of the output, no connection but what the other policies allow. */
  public readonly defaultDeny: k8s.KubeNetworkPolicy;
  private readonly byComponent = new Map<string, k8s.KubeNetworkPolicy>();

  private constructor(scope: Construct, id: string, private readonly props: NetworkPoliciesProps) {
    super(scope, id);
    const { context } = props;
    this.defaultDeny = new k8s.KubeNetworkPolicy(this, PRIMARY_ID, {
      metadata: context.metadata(DEFAULT_DENY),
      spec: defaultDenySpec(context.name),
    });
    this._addPolicies();
  }

  /** The default deny, then one policy per component, in the order the components were added. */
  public get policies(): k8s.KubeNetworkPolicy[] {
    return [this.defaultDeny, ...this.byComponent.values()];
  }

  /** Adds a policy for each component registered since the last call (a worker set). @internal */
  public _addPolicies(): void {
    const { context } = this.props;
    for (const group of context.network.all) {
      if (this.byComponent.has(group.component)) {
        continue;
      }
      const policy = new k8s.KubeNetworkPolicy(this, `Policy-${group.component}`, {
        metadata: context.metadata(group.component),
        spec: lazy(() => groupPolicySpec(this.facts(), group)),
      });
      this.byComponent.set(group.component, policy);
    }
  }

  /** Whether anything of the release (a worker set added later included) has a KEDA ScaledObject. */
  private scaledByKeda(): boolean {
    // By kind: `instanceof` on a generated class is true of every ApiObject (cdk8s's
    // Symbol.hasInstance on ApiObject).
    const { apiVersion, kind } = ScaledObject.GVK;
    return (this.node.scope ?? this).node.findAll().some((c) => ApiObject.isApiObject(c) && c.kind === kind && c.apiVersion === apiVersion);
  }

  /** What the rules read, at synth. */
  private facts(): TrafficFacts {
    const { context, connections, uiReachedFromOutside, ...options } = this.props;
    return {
      release: context.name,
      isAirflow3: context.version.isAirflow3,
      groups: context.network.all,
      connections,
      options,
      uiReachedFromOutside,
      // KEDA's operator connects only where a ScaledObject asks it to count work.
      autoscalerReaches: this.scaledByKeda() ? context.databaseScaler?.reaches : undefined,
    };
  }
}
