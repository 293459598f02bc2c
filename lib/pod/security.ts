import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** The identity a pod runs as. */
export interface RunAsIdentity {
  readonly user: number;
  readonly group: number;
  readonly fsGroup: number;
}

/**
 * The Airflow image's own user: uid 50000 with gid 0, writing under /opt/airflow. fsGroup 0 keeps
 * files that git-sync (uid 65533) writes into shared volumes readable by Airflow.
 */
export const AIRFLOW_IDENTITY: RunAsIdentity = { user: 50000, group: 0, fsGroup: 0 };

/** The git-sync v4 image's own user. */
export const GIT_SYNC_UID = 65533;

/**
 * Pod-level settings every pod of this library gets: the Pod Security Standards "restricted"
 * profile asks for a non-root user and the runtime's default seccomp profile.
 */
export function podSecurityContext(identity: RunAsIdentity, persistentVolume = false): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: identity.user,
    runAsGroup: identity.group,
    fsGroup: identity.fsGroup,
    // Re-owning a large volume on every start is slow; only do it when the root does not match.
    fsGroupChangePolicy: persistentVolume ? 'OnRootMismatch' : undefined,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container-level settings: no privilege escalation, no Linux capabilities.
 * @param readOnlyRootFilesystem true where the image is known to write only to mounted volumes
 * @param runAsUser set when the container runs as another user than its pod (git-sync)
 */
export function containerSecurityContext(readOnlyRootFilesystem: boolean, runAsUser?: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    runAsUser,
  };
}
