import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { secretEnv } from '../pod/secret-env';
import { checkShape } from '../props-shape/check-shape';
import { SecretKey } from '../credentials';
import type { ValidationErrors } from '../validation';
import { configMapKeyProblem, dns1123SubdomainProblem } from '../validation/kubernetes-names';

/** Where git-sync finds the credentials it mounts. */
const GIT_SECRET_MOUNT = '/etc/git-secret';

export interface GitHttpsTokenOptions {
  /** The Secret holding the user name and the token. */
  readonly secretName: string;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'token' */
  readonly tokenKey?: string;
}

export interface GitSshOptions {
  /** The Secret holding the private key and the known hosts. */
  readonly secretName: string;
  /** @default 'ssh-privatekey' */
  readonly privateKeyKey?: string;
  /** @default 'known_hosts' */
  readonly knownHostsKey?: string;
}

/** What a way of authenticating adds to the git-sync containers. */
export interface GitAuthBehaviour {
  /** The kind of repository URL it authenticates. */
  readonly urlKind: GitUrlKind;
  /** The Secret the credentials come from. */
  readonly secretName: string;
  /** Records problems with its options. */
  validate(errors: ValidationErrors, property: string): void;
  /** Pod volumes (a Secret to mount). */
  volumes(): k8s.Volume[];
  /** Arguments, environment and mounts of each git-sync container. */
  args(): string[];
  env(): k8s.EnvVar[];
  mounts(): k8s.VolumeMount[];
}

/** How a repository URL is reached. */
export enum GitUrlKind {
  HTTPS = 'https',
  SSH = 'ssh',
}

/** Credentials for a private Git repository, from a Secret the user owns. */
export class GitAuth {
  /**
   * HTTPS with a username and a personal access token.
   * The Secret's keys become git-sync's `GITSYNC_USERNAME` / `GITSYNC_PASSWORD` environment.
   */
  public static httpsToken(options: GitHttpsTokenOptions): GitAuth {
    return new GitAuth(new HttpsTokenAuth(options));
  }

  /**
   * SSH with a private key and a known_hosts file (host keys are always verified).
   * The default keys match a Secret of type `kubernetes.io/ssh-auth` plus a `known_hosts` key.
   */
  public static ssh(options: GitSshOptions): GitAuth {
    return new GitAuth(new SshAuth(options));
  }

  /** The Secret the credentials come from. */
  public readonly secretName: string;

  private constructor(/** @internal */ public readonly _behaviour: GitAuthBehaviour) {
    this.secretName = _behaviour.secretName;
  }
}

class HttpsTokenAuth implements GitAuthBehaviour {
  public readonly urlKind = GitUrlKind.HTTPS;
  public readonly secretName: string;
  private readonly username: SecretKey;
  private readonly token: SecretKey;

  constructor(private readonly options: GitHttpsTokenOptions) {
    this.secretName = options?.secretName;
    this.username = SecretKey.of(options?.secretName, options?.usernameKey ?? 'username');
    this.token = SecretKey.of(options?.secretName, options?.tokenKey ?? 'token');
  }

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'GitHttpsTokenOptions', this.options)) {
      return;
    }
    validateSecretKeys(errors, property, this.secretName, [['usernameKey', this.username.key], ['tokenKey', this.token.key]]);
  }

  public volumes(): k8s.Volume[] {
    return [];
  }

  public args(): string[] {
    return [];
  }

  public env(): k8s.EnvVar[] {
    return [secretEnv('GITSYNC_USERNAME', this.username), secretEnv('GITSYNC_PASSWORD', this.token)];
  }

  public mounts(): k8s.VolumeMount[] {
    return [];
  }
}

class SshAuth implements GitAuthBehaviour {
  public readonly urlKind = GitUrlKind.SSH;
  public readonly secretName: string;
  private readonly privateKeyKey: string;
  private readonly knownHostsKey: string;

  constructor(private readonly options: GitSshOptions) {
    this.secretName = options?.secretName;
    this.privateKeyKey = options?.privateKeyKey ?? 'ssh-privatekey';
    this.knownHostsKey = options?.knownHostsKey ?? 'known_hosts';
  }

  public validate(errors: ValidationErrors, property: string): void {
    if (!checkShape(errors, property, 'GitSshOptions', this.options)) {
      return;
    }
    validateSecretKeys(errors, property, this.secretName, [['privateKeyKey', this.privateKeyKey], ['knownHostsKey', this.knownHostsKey]]);
  }

  public volumes(): k8s.Volume[] {
    return [{
      name: 'git-ssh',
      secret: {
        secretName: this.secretName,
        // Readable by the group only: git-sync shares the pod's group 0 through fsGroup.
        defaultMode: 0o440,
        items: [
          { key: this.privateKeyKey, path: 'ssh' },
          { key: this.knownHostsKey, path: 'known_hosts' },
        ],
      },
    }];
  }

  public args(): string[] {
    return [
      `--ssh-key-file=${GIT_SECRET_MOUNT}/ssh`,
      '--ssh-known-hosts=true',
      `--ssh-known-hosts-file=${GIT_SECRET_MOUNT}/known_hosts`,
    ];
  }

  public env(): k8s.EnvVar[] {
    return [];
  }

  public mounts(): k8s.VolumeMount[] {
    return [{ name: 'git-ssh', mountPath: GIT_SECRET_MOUNT, readOnly: true }];
  }
}

function validateSecretKeys(errors: ValidationErrors, property: string, secretName: string, keys: Array<[string, string]>): void {
  const nameProblem = dns1123SubdomainProblem(secretName);
  if (nameProblem !== undefined) {
    errors.add(`${property}.secretName`, secretName, `not a valid Secret name: ${nameProblem}`, 'use a DNS subdomain, e.g. "git-credentials"');
  }
  for (const [option, key] of keys) {
    const keyProblem = configMapKeyProblem(key);
    if (keyProblem !== undefined) {
      errors.add(`${property}.${option}`, key, `not a valid Secret key: ${keyProblem}`, 'use letters, digits, "-", "_" and "."');
    }
  }
}
