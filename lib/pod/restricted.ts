import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** Volume types the Pod Security Standards `restricted` profile allows. */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * A container from outside the library (a custom DAG source's) with the settings of the
 * `restricted` profile filled in where it set none: no privilege escalation, no capabilities, a
 * non-root user. What it did set is kept, and checked by `restrictedProblems`.
 */
export function hardenedContainer(container: k8s.Container): k8s.Container {
  const context = container.securityContext ?? {};
  return {
    ...container,
    securityContext: {
      ...context,
      allowPrivilegeEscalation: context.allowPrivilegeEscalation ?? false,
      capabilities: context.capabilities ?? { drop: ['ALL'] },
      runAsNonRoot: context.runAsNonRoot ?? true,
    },
  };
}

/** A way a container breaks the `restricted` profile, and the setting that does. */
export interface RestrictedProblem {
  readonly problem: string;
  readonly setting: unknown;
}

/** Why a container breaks the `restricted` profile; empty when it does not. */
export function restrictedContainerProblems(container: k8s.Container): RestrictedProblem[] {
  const problems: RestrictedProblem[] = [];
  const context = container.securityContext ?? {};
  const add = (problem: string, setting: unknown) => problems.push({ problem, setting });
  if (context.privileged) {
    add('runs privileged', { privileged: context.privileged });
  }
  if (context.allowPrivilegeEscalation !== false) {
    add('allows privilege escalation', { allowPrivilegeEscalation: context.allowPrivilegeEscalation });
  }
  if (!(context.capabilities?.drop ?? []).includes('ALL')) {
    add('does not drop all capabilities', { capabilities: context.capabilities });
  }
  const added = (context.capabilities?.add ?? []).filter((c) => c !== 'NET_BIND_SERVICE');
  if (added.length > 0) {
    add(`adds the capabilities ${added.join(', ')}`, { capabilities: context.capabilities });
  }
  if (context.runAsNonRoot === false || context.runAsUser === 0) {
    add('runs as root', { runAsNonRoot: context.runAsNonRoot, runAsUser: context.runAsUser });
  }
  const seccomp = context.seccompProfile?.type;
  if (seccomp !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    add(`uses the seccomp profile ${seccomp}`, { seccompProfile: context.seccompProfile });
  }
  // The restricted profile's checks of the baseline (Pod Security Standards: /proc mount type,
  // SELinux, host process) that a container can set for itself.
  if (context.procMount !== undefined && context.procMount !== 'Default') {
    add(`uses the /proc mount type ${context.procMount}`, { procMount: context.procMount });
  }
  const selinux = context.seLinuxOptions;
  if (selinux !== undefined && (selinux.user !== undefined || selinux.role !== undefined
    || !['', 'container_t', 'container_init_t', 'container_kvm_t', undefined].includes(selinux.type))) {
    add('sets an SELinux user, role or type other than container_t, container_init_t and container_kvm_t', { seLinuxOptions: selinux });
  }
  if (context.windowsOptions?.hostProcess === true) {
    add('runs as a Windows host process', { windowsOptions: context.windowsOptions });
  }
  const hostPorts = (container.ports ?? []).filter((p) => p.hostPort !== undefined && p.hostPort !== 0);
  if (hostPorts.length > 0) {
    add('binds a host port', { ports: hostPorts });
  }
  return problems;
}

/** Why a volume breaks the `restricted` profile (a host path, say); undefined when it does not. */
export function restrictedVolumeProblem(volume: k8s.Volume): string | undefined {
  const types = Object.keys(volume).filter((key) => key !== 'name' && (volume as unknown as Record<string, unknown>)[key] !== undefined);
  const refused = types.filter((type) => !RESTRICTED_VOLUME_TYPES.includes(type));
  return refused.length > 0 ? `is of type ${refused.join(', ')}` : undefined;
}
