import { randomBytes } from 'crypto';
import { CREDENTIAL_KEYS } from './credentials';

/** A source of random bytes; tests pass a fixed one. */
export type RandomBytes = (size: number) => Uint8Array;

export interface CredentialsSecretOptions {
  /** The release name; the Secret is `<name>-credentials`. */
  readonly name: string;
  readonly namespace: string;
  readonly random?: RandomBytes;
}

/**
 * The default credentials Secret with fresh random values, as a manifest to pipe into
 * `kubectl create -f -` (or a sealing tool). It is never written to dist/ or the repository.
 * Every value is URL-safe, since passwords end up inside connection URLs.
 */
export function credentialsSecretManifest(options: CredentialsSecretOptions): Record<string, unknown> {
  const random = options.random ?? randomBytes;
  const bytes = (size: number) => Buffer.from(random(size));
  const token = () => bytes(32).toString('base64url');
  const stringData: Record<string, string> = {};
  for (const [role, key] of Object.entries(CREDENTIAL_KEYS)) {
    // A Fernet key is the URL-safe base64 of 32 bytes, padding included.
    stringData[key] = role === 'fernetKey' ? bytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_') : token();
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${options.name}-credentials`,
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/name': 'airflow', 'app.kubernetes.io/instance': options.name },
    },
    type: 'Opaque',
    stringData,
  };
}
