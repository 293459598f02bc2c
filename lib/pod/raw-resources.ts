import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { quantityValue } from './quantity';

/** A mistake in the resources of a container given as a Kubernetes struct (a sidecar's). */
export interface RawResourceProblem {
  /** Below `resources`, e.g. `limits.memory`. */
  readonly path: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/**
 * The resources of an extra container as the API server would check them: each amount a
 * `k8s.Quantity` (a plain string would be dropped by cdk8s and reach the API server as null),
 * none negative, no request above its limit.
 */
export function rawResourceProblems(resources: k8s.ResourceRequirements | undefined): RawResourceProblem[] {
  const problems: RawResourceProblem[] = [];
  const amounts: Record<'requests' | 'limits', Record<string, string>> = { requests: {}, limits: {} };
  for (const section of ['requests', 'limits'] as const) {
    for (const [resource, quantity] of Object.entries(resources?.[section] ?? {})) {
      const path = `${section}.${resource}`;
      const text = (quantity as { value?: unknown } | undefined)?.value;
      if (typeof quantity !== 'object' || quantity === null || (typeof text !== 'string' && typeof text !== 'number')) {
        problems.push({ path, value: quantity, problem: 'must be a Quantity', fix: `write k8s.Quantity.fromString(${JSON.stringify(String(quantity))})` });
      } else if (String(text).trim().startsWith('-')) {
        problems.push({ path, value: text, problem: 'must not be negative', fix: 'give an amount of 0 or more' });
      } else {
        amounts[section][resource] = String(text);
      }
    }
  }
  for (const [resource, request] of Object.entries(amounts.requests)) {
    const limit = amounts.limits[resource];
    const [r, l] = [quantityValue(request), limit === undefined ? undefined : quantityValue(limit)];
    if (r !== undefined && l !== undefined && r > l) {
      problems.push({ path: `requests.${resource}`, value: request, problem: `is more than the limit ${limit}`, fix: `request at most ${limit}, or raise the limit` });
    }
  }
  return problems;
}
