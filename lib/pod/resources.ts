import { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** Requests and limits as Kubernetes quantities, e.g. `{ cpu: ['500m', '2000m'], memory: ['1Gi', '2Gi'] }`. */
export interface ResourceQuantities {
  /** [request, limit] */
  readonly cpu?: readonly [string | undefined, string | undefined];
  readonly memory?: readonly [string | undefined, string | undefined];
  readonly ephemeralStorage?: readonly [string | undefined, string | undefined];
}

/**
 * Renders requests and limits. Each of cpu, memory and ephemeral storage the user sets replaces
 * the default for that resource as a whole (request and limit together), so a half-set resource
 * never pairs the user's request with a smaller default limit.
 */
export function renderResources(defaults: ResourceQuantities, overrides?: kplus.ContainerResources): k8s.ResourceRequirements {
  const chosen: ResourceQuantities = {
    cpu: overrides?.cpu ? [overrides.cpu.request?.amount, overrides.cpu.limit?.amount] : defaults.cpu,
    memory: overrides?.memory ? [sizeOrUndefined(overrides.memory.request), sizeOrUndefined(overrides.memory.limit)] : defaults.memory,
    ephemeralStorage: overrides?.ephemeralStorage
      ? [sizeOrUndefined(overrides.ephemeralStorage.request), sizeOrUndefined(overrides.ephemeralStorage.limit)]
      : defaults.ephemeralStorage,
  };
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  for (const [name, pair] of [['cpu', chosen.cpu], ['memory', chosen.memory], ['ephemeral-storage', chosen.ephemeralStorage]] as const) {
    if (pair?.[0] !== undefined) {
      requests[name] = k8s.Quantity.fromString(pair[0]);
    }
    if (pair?.[1] !== undefined) {
      limits[name] = k8s.Quantity.fromString(pair[1]);
    }
  }
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

function sizeOrUndefined(size?: Size): string | undefined {
  return size === undefined ? undefined : sizeQuantity(size);
}

/** A size as a Kubernetes quantity: whole GiB as `Gi`, anything else as `Mi`. */
export function sizeQuantity(size: Size): string {
  const mib = size.toMebibytes();
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
