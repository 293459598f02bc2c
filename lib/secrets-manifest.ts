import { randomBytes } from 'crypto';
import { CREDENTIAL_KEYS } from './credentials';
import { LABEL_INSTANCE, runtimeObjectLabels } from './labels';

// The credentials Secret as `npx cdk8s-airflow secrets` prints it (lib/cli/main.ts), and the
// analysis of a synthesised output that tells which of its keys the deployment reads. Internal:
// not part of the library's public API (lib/index.ts).

/** A source of random bytes; tests pass a fixed one. */
export type RandomBytes = (size: number) => Uint8Array;

/** Every key of the default credentials Secret, in the order of `CREDENTIAL_KEYS`. */
export const ALL_CREDENTIAL_KEYS: ReadonlyArray<string> = Object.values(CREDENTIAL_KEYS);

/**
 * How many draws a value may take before the random source is declared broken. A real source
 * gives a value that starts with '-' with probability 1/64, so 16 in a row happen with
 * probability 2^-96.
 */
const MAX_DRAWS = 16;

/**
 * A fresh random value for one key of the credentials Secret: 32 random bytes, URL-safe base64
 * (passwords end up inside connection URLs). The Fernet key is what Airflow's `cryptography`
 * expects, the URL-safe base64 of 32 bytes with its padding. No value ever starts with '-': a
 * value that does is drawn again. The library's own command lines take such a value safely
 * (`--password=...`; Redis reads the word after `--requirepass` as its value), but a password
 * reused in a command of someone else's (`--password $PW`) would be read as an option.
 */
export function credentialValue(key: string, random: RandomBytes = randomBytes): string {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const bytes = Buffer.from(random(32));
    if (bytes.length !== 32) {
      throw new Error(`the random source returned ${bytes.length} bytes instead of 32`);
    }
    const value = key === CREDENTIAL_KEYS.fernetKey
      ? bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
      : bytes.toString('base64url');
    if (!value.startsWith('-')) {
      return value;
    }
  }
  throw new Error(`the random source gave a value starting with '-' for "${key}" ${MAX_DRAWS} times in a row: it is not random`);
}

export interface CredentialsSecretOptions {
  /** The release name; the Secret is `<name>-credentials`. */
  readonly name: string;
  /** The Secret's namespace; none for objects synthesised without one (kubectl's current namespace). */
  readonly namespace?: string;
  /** The keys to generate. Default: every key of `CREDENTIAL_KEYS`. */
  readonly keys?: ReadonlyArray<string>;
  readonly random?: RandomBytes;
}

/**
 * The credentials Secret with fresh random values, as a manifest to pipe into
 * `kubectl create -f -` (or a sealing tool). It is never written to dist/ or the repository.
 */
export function credentialsSecretManifest(options: CredentialsSecretOptions): Record<string, unknown> {
  const stringData: Record<string, string> = {};
  for (const key of sortKeys(options.keys ?? ALL_CREDENTIAL_KEYS)) {
    stringData[key] = credentialValue(key, options.random);
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${options.name}-credentials`,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      // Created outside Git: like a task pod it carries the release by LABEL_RELEASE, never the
      // tracking label, which Argo CD (label tracking) and `kubectl apply --prune -l` take as
      // "part of the release but no longer in Git" and would delete, Fernet key and all.
      labels: runtimeObjectLabels(options.name, 'credentials'),
    },
    type: 'Opaque',
    stringData,
  };
}

/** The library's keys in their usual order, then any other key alphabetically. */
function sortKeys(keys: Iterable<string>): string[] {
  const rank = (key: string) => (ALL_CREDENTIAL_KEYS.includes(key) ? ALL_CREDENTIAL_KEYS.indexOf(key) : ALL_CREDENTIAL_KEYS.length);
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A Secret that the output refers to and that the user creates: the key, or all of it when `key` is absent. */
export interface UserSecretReference {
  readonly namespace?: string;
  readonly secret: string;
  readonly key?: string;
  /** How it is read: `secretKeyRef`, `envFrom`, `volume`, `imagePullSecrets` or `ingressTls` (an Ingress's certificate). */
  readonly via: string;
}

/** The credentials Secret of one release in one namespace, and the keys its objects read. */
export interface CredentialsSecretUse {
  readonly release: string;
  readonly namespace?: string;
  readonly keys: ReadonlyArray<string>;
}

export interface CredentialsUse {
  /** The releases found (`app.kubernetes.io/instance` labels), sorted. */
  readonly releases: ReadonlyArray<string>;
  /** One entry per release and namespace whose objects read `<release>-credentials`. */
  readonly secrets: ReadonlyArray<CredentialsSecretUse>;
  /** References to every other Secret that the output does not contain itself. */
  readonly userOwned: ReadonlyArray<UserSecretReference>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Which Secrets, and which keys of them, the synthesised objects read. The release of an object
 * is its `app.kubernetes.io/instance` label, and its credentials Secret is `<release>-credentials`
 * in the object's namespace; every `secretKeyRef` to it is a key to generate. References to any
 * other Secret (`secretKeyRef`, `envFrom`, secret volumes, `imagePullSecrets`) are the user's.
 * YAML documents embedded in a ConfigMap (the KubernetesExecutor's pod template) count as objects
 * of the ConfigMap's release and namespace.
 *
 * @param parseYaml parses a string of YAML documents, for the embedded ones
 */
export function credentialsUse(objects: ReadonlyArray<unknown>, parseYaml: (text: string) => unknown[]): CredentialsUse {
  const releases = new Set<string>();
  const generated = new Map<string, { release: string; namespace?: string; keys: Set<string> }>();
  const userOwned = new Map<string, UserSecretReference>();
  const inOutput = new Set<string>();
  const id = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

  const visit = (object: unknown, release: string | undefined, namespace: string | undefined) => {
    const credentials = release === undefined ? undefined : `${release}-credentials`;
    const refer = (ref: UserSecretReference) => {
      if (ref.secret === credentials && ref.key !== undefined && ref.via === 'secretKeyRef') {
        const entry = generated.get(id(namespace, ref.secret)) ?? { release: release!, namespace, keys: new Set<string>() };
        entry.keys.add(ref.key);
        generated.set(id(namespace, ref.secret), entry);
      } else if (ref.secret !== credentials) {
        userOwned.set(`${id(namespace, ref.secret)}/${ref.key ?? ''}/${ref.via}`, ref);
      }
    };
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      if (!isObject(node)) {
        return;
      }
      const keyRef = node.secretKeyRef;
      if (isObject(keyRef) && isString(keyRef.name) && isString(keyRef.key)) {
        refer({ namespace, secret: keyRef.name, key: keyRef.key, via: 'secretKeyRef' });
      }
      if (Array.isArray(node.envFrom)) {
        for (const source of node.envFrom) {
          if (isObject(source) && isObject(source.secretRef) && isString(source.secretRef.name)) {
            refer({ namespace, secret: source.secretRef.name, via: 'envFrom' });
          }
        }
      }
      // A secret volume ({ secretName, items }) or a projected volume's source ({ name, items }).
      const volume = node.secret;
      const volumeSecret = isObject(volume) ? (isString(volume.secretName) ? volume.secretName : volume.name) : undefined;
      if (isObject(volume) && isString(volumeSecret)) {
        const items = Array.isArray(volume.items) ? volume.items.filter(isObject).map((item) => item.key).filter(isString) : [];
        for (const key of items.length > 0 ? items : [undefined]) {
          refer({ namespace, secret: volumeSecret, key, via: 'volume' });
        }
      }
      if (Array.isArray(node.imagePullSecrets)) {
        for (const pull of node.imagePullSecrets) {
          if (isObject(pull) && isString(pull.name)) {
            refer({ namespace, secret: pull.name, via: 'imagePullSecrets' });
          }
        }
      }
      Object.values(node).forEach(walk);
    };
    walk(object);
    // The certificate an Ingress controller terminates TLS with (`apiServer.ingress.tlsSecretName`).
    const spec = isObject(object) && object.kind === 'Ingress' && isObject(object.spec) ? object.spec : undefined;
    for (const tls of Array.isArray(spec?.tls) ? spec.tls : []) {
      // Read by the controller as a kubernetes.io/tls Secret: its keys tls.crt and tls.key.
      for (const key of isObject(tls) && isString(tls.secretName) ? ['tls.crt', 'tls.key'] : []) {
        refer({ namespace, secret: tls.secretName as string, key, via: 'ingressTls' });
      }
    }
  };

  for (const object of objects) {
    if (!isObject(object)) {
      continue;
    }
    const metadata = isObject(object.metadata) ? object.metadata : {};
    const labels = isObject(metadata.labels) ? metadata.labels : {};
    const release = isString(labels[LABEL_INSTANCE]) ? labels[LABEL_INSTANCE] : undefined;
    const namespace = isString(metadata.namespace) ? metadata.namespace : undefined;
    if (release !== undefined) {
      releases.add(release);
    }
    if (object.kind === 'Secret' && isString(metadata.name)) {
      inOutput.add(id(namespace, metadata.name));
      continue;
    }
    visit(object, release, namespace);
    if (object.kind === 'ConfigMap' && isObject(object.data)) {
      for (const text of Object.values(object.data)) {
        if (isString(text) && /secretKeyRef|secretName|envFrom|imagePullSecrets/.test(text)) {
          let embedded: unknown[] = [];
          try {
            embedded = parseYaml(text);
          } catch {
            // Not YAML (an airflow.cfg, a script): nothing embedded to read.
          }
          embedded.forEach((doc) => visit(doc, release, namespace));
        }
      }
    }
  }

  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    releases: [...releases].sort(order),
    secrets: [...generated.entries()]
      .filter(([key]) => !inOutput.has(key))
      .sort(([a], [b]) => order(a, b))
      .map(([, use]) => ({ release: use.release, namespace: use.namespace, keys: sortKeys(use.keys) })),
    userOwned: [...userOwned.entries()]
      .filter(([, ref]) => !inOutput.has(id(ref.namespace, ref.secret)))
      .sort(([a], [b]) => order(a, b))
      .map(([, ref]) => ref),
  };
}
