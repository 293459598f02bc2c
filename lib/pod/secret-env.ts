import type { SecretKey } from '../credentials';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

/** The value of an environment variable read from a key of a Secret. */
export function fromSecret(key: SecretKey): Omit<k8s.EnvVar, 'name'> {
  return { valueFrom: { secretKeyRef: { name: key.secretName, key: key.key } } };
}

/** An environment variable read from a key of a Secret. */
export function secretEnv(name: string, key: SecretKey): k8s.EnvVar {
  return { name, ...fromSecret(key) };
}
