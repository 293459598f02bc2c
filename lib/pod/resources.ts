import { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { ValidationErrors } from '../validation';
import { canonicalQuantity, quantityValue } from './quantity';

/** Requests and limits as Kubernetes quantities, e.g. `{ cpu: ['500m', '2'], memory: ['1Gi', '2Gi'] }`. */
export interface ResourceQuantities {
  /** [request, limit] */
  readonly cpu?: readonly [string | undefined, string | undefined];
  readonly memory?: readonly [string | undefined, string | undefined];
  readonly ephemeralStorage?: readonly [string | undefined, string | undefined];
}

const RESOURCE_NAMES = [['cpu', 'cpu'], ['memory', 'memory'], ['ephemeralStorage', 'ephemeral-storage']] as const;

/**
 * The user's requests and limits over the defaults, value by value: setting only a memory limit
 * keeps the default memory request and both CPU values.
 */
export function mergeResources(defaults: ResourceQuantities, overrides?: kplus.ContainerResources): ResourceQuantities {
  const cpu = overrides?.cpu;
  const memory = overrides?.memory;
  const storage = overrides?.ephemeralStorage;
  return {
    cpu: [cpu?.request?.amount ?? defaults.cpu?.[0], cpu?.limit?.amount ?? defaults.cpu?.[1]],
    memory: [sizeOrUndefined(memory?.request) ?? defaults.memory?.[0], sizeOrUndefined(memory?.limit) ?? defaults.memory?.[1]],
    ephemeralStorage: [
      sizeOrUndefined(storage?.request) ?? defaults.ephemeralStorage?.[0],
      sizeOrUndefined(storage?.limit) ?? defaults.ephemeralStorage?.[1],
    ],
  };
}

/** Renders the merged requests and limits, every quantity in the canonical form the API server returns. */
export function renderResources(defaults: ResourceQuantities, overrides?: kplus.ContainerResources): k8s.ResourceRequirements {
  const chosen = mergeResources(defaults, overrides);
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  for (const [field, name] of RESOURCE_NAMES) {
    const [request, limit] = chosen[field] ?? [];
    if (request !== undefined) {
      requests[name] = k8s.Quantity.fromString(canonicalQuantity(request));
    }
    if (limit !== undefined) {
      limits[name] = k8s.Quantity.fromString(canonicalQuantity(limit));
    }
  }
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

/**
 * Checks the merged values: each is a quantity, and no request exceeds its limit (the API server
 * refuses such a pod, which would leave the workload without pods instead of failing at synth).
 */
export function checkResources(errors: ValidationErrors, property: string, defaults: ResourceQuantities, overrides?: kplus.ContainerResources): void {
  if (overrides === undefined) {
    return;
  }
  const chosen = mergeResources(defaults, overrides);
  for (const [field, name] of RESOURCE_NAMES) {
    const [request, limit] = chosen[field] ?? [];
    const requestValue = request === undefined ? undefined : quantityValue(request);
    const limitValue = limit === undefined ? undefined : quantityValue(limit);
    for (const [which, text, value] of [['request', request, requestValue], ['limit', limit, limitValue]] as const) {
      if (text !== undefined && value === undefined) {
        errors.add(`${property}.${field}.${which}`, text, 'not a Kubernetes quantity', name === 'cpu' ? 'e.g. Cpu.millis(500) or Cpu.units(1)' : 'e.g. Size.mebibytes(512)');
      }
    }
    if (requestValue !== undefined && limitValue !== undefined && requestValue > limitValue) {
      const [shownRequest, shownLimit] = [canonicalQuantity(request!), canonicalQuantity(limit!)];
      errors.add(`${property}.${field}`, `request ${shownRequest}, limit ${shownLimit}`, 'the request is above the limit (the default fills in what you leave unset)',
        `set both, e.g. request ${shownLimit} with limit ${shownLimit}`);
    }
  }
}

function sizeOrUndefined(size?: Size): string | undefined {
  return size === undefined ? undefined : sizeQuantity(size);
}

/** A size as a canonical Kubernetes quantity: `8Gi`, `512Mi`. */
export function sizeQuantity(size: Size): string {
  return canonicalQuantity(`${size.toMebibytes()}Mi`);
}
