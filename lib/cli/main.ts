import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Yaml } from 'cdk8s';
import { LABEL_INSTANCE } from '../labels';
import { pruneCommands } from '../prune-command';
import { RandomBytes, credentialsSecretManifest, credentialsUse } from '../secrets-manifest';

// `npx cdk8s-airflow <command>` (bin/cdk8s-airflow.js runs the compiled form of this file). It
// needs the library's runtime dependencies only: Node.js and cdk8s (whose bundled YAML parser
// reads the manifests). Internal: not part of the library's API (lib/index.ts).

/** Where the command writes; tests pass their own, and a fixed random source. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly random?: RandomBytes;
}

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const USAGE = `usage: cdk8s-airflow <command> [options]

commands:
  secrets        print the credentials Secret a synthesised output reads (cdk8s-airflow secrets --help)
  prune-command  print the kubectl apply --prune command of a synthesised output (cdk8s-airflow prune-command --help)

options:
  -h, --help  this help
  --version   the version of cdk8s-airflow
`;

const SECRETS_USAGE = `usage: cdk8s-airflow secrets OUTPUT | kubectl create -f -
       cdk8s-airflow secrets [--name airflow] [--namespace airflow] | kubectl create -f -

Prints the credentials Secret with fresh random values to stdout; writes nothing to disk.

  OUTPUT            what cdk8s synthesised: a folder of *.yaml files (dist/) or one file.
                    For each release (label ${LABEL_INSTANCE}) it prints <release>-credentials
                    in the objects' namespace, with exactly the keys they read (secretKeyRef),
                    and lists the keys of every other Secret, which you provide, on stderr.
  --name NAME       without OUTPUT: the release name (default airflow); prints NAME-credentials
  --namespace NS    without OUTPUT: its namespace (default airflow); every key is generated
  -h, --help        this help

kubectl create refuses to overwrite an existing Secret, so a second run never rotates the keys.
`;

const PRUNE_USAGE = `usage: cdk8s-airflow prune-command OUTPUT

Prints, for each release in OUTPUT (a folder of *.yaml files, e.g. dist/), the kubectl command that
applies it and deletes the release's objects that are no longer in it: selected by the label
${LABEL_INSTANCE}, with --prune-allowlist naming exactly the kinds of the output (kubectl refuses a
kind the cluster does not serve), never the Namespace or a PersistentVolumeClaim.

  -h, --help  this help
`;

/** How a user-owned Secret is read, in words. */
const VIA: Record<string, string> = {
  envFrom: 'read whole through envFrom',
  volume: 'mounted as a volume',
  imagePullSecrets: 'an image pull secret',
  ingressTls: 'an Ingress\'s TLS certificate, a Secret of type kubernetes.io/tls',
};

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A mistake in the command line: printed with the usage, exit status 2. */
class UsageError extends Error {
  constructor(message: string, public readonly usage: string) {
    super(message);
  }
}

/** Runs the command line `argv` (without `node` and the script); returns the exit status. */
export function main(argv: string[], io: CliIo = PROCESS_IO): number {
  try {
    const [command, ...rest] = argv;
    if (command === 'secrets') {
      return secrets(rest, io);
    }
    if (command === 'prune-command') {
      return pruneCommand(rest, io);
    }
    if (command === '-h' || command === '--help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command === '--version') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    throw new UsageError(command === undefined ? 'no command given' : `unknown command '${command}'`, USAGE);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`cdk8s-airflow: ${err.message}\n${err.usage}`);
      return 2;
    }
    io.stderr(`cdk8s-airflow: ${(err as Error).message}\n`);
    return 1;
  }
}

function secrets(argv: string[], io: CliIo): number {
  let values: { name?: string; namespace?: string; help?: boolean };
  let positionals: string[];
  try {
    // Strict: an unknown or misspelt option, a missing value or a second output is an error,
    // never silently ignored. `--name etl` and `--name=etl` are the same.
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, SECRETS_USAGE);
  }
  if (values.help) {
    io.stdout(SECRETS_USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`one OUTPUT at a time (got ${positionals.map((p) => `'${p}'`).join(', ')})`, SECRETS_USAGE);
  }
  for (const option of ['name', 'namespace'] as const) {
    const value = values[option];
    if (value !== undefined && (!DNS_LABEL.test(value) || value.length > 63)) {
      throw new UsageError(`--${option} "${value}" is not a DNS label (lower-case letters, digits and "-", starting with a letter)`, SECRETS_USAGE);
    }
  }

  if (positionals.length === 0) {
    const manifest = credentialsSecretManifest({ name: values.name ?? 'airflow', namespace: values.namespace ?? 'airflow', random: io.random });
    io.stdout(Yaml.stringify(manifest));
    return 0;
  }

  const output = positionals[0];
  if (values.name !== undefined || values.namespace !== undefined) {
    throw new UsageError(`--name and --namespace go without OUTPUT: with '${output}', the releases and namespaces come from its objects`, SECRETS_USAGE);
  }
  const parse = yamlParser();
  const objects = readManifests(output, parse, SECRETS_USAGE);
  const use = credentialsUse(objects, parse);
  if (use.releases.length === 0) {
    throw new Error(`no cdk8s-airflow object in '${output}' (none carries the label ${LABEL_INSTANCE}): give the folder cdk8s synthesised, e.g. dist/`);
  }

  const manifests = use.secrets.map((secret) => credentialsSecretManifest({ name: secret.release, namespace: secret.namespace, keys: secret.keys, random: io.random }));
  for (const secret of use.secrets) {
    const where = secret.namespace === undefined ? '' : ` in namespace ${secret.namespace}`;
    io.stderr(`generated: ${secret.release}-credentials${where}, the keys its objects read: ${secret.keys.join(', ')}\n`);
  }
  if (manifests.length === 0) {
    io.stderr(`nothing to generate: no object of ${use.releases.join(', ')} reads a <release>-credentials Secret\n`);
  }
  for (const ref of use.userOwned) {
    const what = ref.key !== undefined ? `${ref.secret}/${ref.key}` : `${ref.secret} (every key)`;
    const notes = [
      ...(ref.namespace === undefined ? [] : [`namespace ${ref.namespace}`]),
      ...(ref.via === 'secretKeyRef' ? [] : [VIA[ref.via] ?? ref.via]),
    ];
    io.stderr(`you provide: ${what}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}\n`);
  }
  if (manifests.length > 0) {
    io.stdout(Yaml.stringify(...manifests));
  }
  return 0;
}

function pruneCommand(argv: string[], io: CliIo): number {
  let values: { help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError((err as Error).message, PRUNE_USAGE);
  }
  if (values.help) {
    io.stdout(PRUNE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'no OUTPUT given' : `one OUTPUT at a time (got ${positionals.map((p) => `'${p}'`).join(', ')})`, PRUNE_USAGE);
  }
  const output = positionals[0];
  const commands = pruneCommands(readManifests(output, yamlParser(), PRUNE_USAGE), output);
  if (commands.length === 0) {
    throw new Error(`no cdk8s-airflow object in '${output}' (none carries the label ${LABEL_INSTANCE}): give the folder cdk8s synthesised, e.g. dist/`);
  }
  io.stdout(`${commands.join('\n\n')}\n`);
  return 0;
}

/** Every object of an output's YAML files. */
function readManifests(output: string, parse: (text: string) => unknown[], usage: string): unknown[] {
  return manifestFiles(output, usage).flatMap((file) => {
    try {
      return parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: not a YAML manifest: ${(err as Error).message}`);
    }
  });
}

/** The manifest files of an output: the file itself, or a folder's *.yaml and *.yml files. */
function manifestFiles(output: string, usage: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(output);
  } catch {
    throw new UsageError(`'${output}' does not exist: give the folder cdk8s synthesised (dist/) or a manifest file`, usage);
  }
  if (!stat.isDirectory()) {
    return [output];
  }
  const files = fs.readdirSync(output).sort()
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(output, name))
    .filter((file) => fs.statSync(file).isFile());
  if (files.length === 0) {
    throw new UsageError(`'${output}' holds no *.yaml file: give the folder cdk8s synthesised (dist/) or a manifest file`, usage);
  }
  return files;
}

interface YamlDocument {
  readonly errors: ReadonlyArray<{ readonly message: string }>;
  toJSON(): unknown;
}

/**
 * Parses a string of YAML documents with the parser cdk8s bundles (a dependency of cdk8s itself,
 * so the package needs none of its own), as YAML 1.1 like cdk8s writes it.
 */
function yamlParser(): (text: string) => unknown[] {
  const cdk8s = path.dirname(require.resolve('cdk8s'));
  const yaml: { parseAllDocuments(text: string, options: object): YamlDocument[] } = require(require.resolve('yaml', { paths: [cdk8s] }));
  return (text) => yaml.parseAllDocuments(text, { version: '1.1' }).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(doc.errors[0].message);
    }
    return doc.toJSON();
  }).filter((doc) => doc !== null && doc !== undefined);
}

/** The version of the installed package, from its package.json. */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'cdk8s-airflow') {
        return pkg.version;
      }
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
