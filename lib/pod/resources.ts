import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';

/** Shorthand for a default: CPU in millicores, memory in MiB, for requests and limits. */
export function resources(cpuRequestMillis: number, cpuLimitMillis: number, memoryRequestMiB: number, memoryLimitMiB: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequestMillis), limit: kplus.Cpu.millis(cpuLimitMillis) },
    memory: { request: Size.mebibytes(memoryRequestMiB), limit: Size.mebibytes(memoryLimitMiB) },
  };
}

/**
 * Renders requests and limits. Each of cpu, memory and ephemeral storage the user sets replaces
 * the default for that resource as a whole (request and limit together), so a half-set resource
 * never pairs the user's request with a smaller default limit.
 */
export function renderResources(defaults: kplus.ContainerResources, overrides?: kplus.ContainerResources): k8s.ResourceRequirements {
  const chosen: kplus.ContainerResources = {
    cpu: overrides?.cpu ?? defaults.cpu,
    memory: overrides?.memory ?? defaults.memory,
    ephemeralStorage: overrides?.ephemeralStorage ?? defaults.ephemeralStorage,
  };
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  const put = (target: Record<string, k8s.Quantity>, name: string, value?: string) => {
    if (value !== undefined) {
      target[name] = k8s.Quantity.fromString(value);
    }
  };
  put(requests, 'cpu', chosen.cpu?.request?.amount);
  put(limits, 'cpu', chosen.cpu?.limit?.amount);
  put(requests, 'memory', mebibytes(chosen.memory?.request));
  put(limits, 'memory', mebibytes(chosen.memory?.limit));
  put(requests, 'ephemeral-storage', mebibytes(chosen.ephemeralStorage?.request));
  put(limits, 'ephemeral-storage', mebibytes(chosen.ephemeralStorage?.limit));
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}

function mebibytes(size?: Size): string | undefined {
  return size === undefined ? undefined : sizeQuantity(size);
}

/** A size as a Kubernetes quantity: whole GiB as `Gi`, anything else as `Mi`. */
export function sizeQuantity(size: Size): string {
  const mib = size.toMebibytes();
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
