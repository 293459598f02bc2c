import { Duration, Size } from 'cdk8s';
import { ConfigFile } from '../config/files';
import { SecretKey } from '../credentials';
import { ContainerImage } from '../image';
import type { ValidationErrors } from '../validation';
import { AirflowVersion } from '../version';
import { closest } from './closest';
import { CALLS, ENUMS, SHAPES } from './shapes.generated';

/**
 * The shape checks for callers without types: plain JavaScript, and props loaded from JSON or
 * YAML. Values are checked against the description that scripts/gen-props-shape.js generates
 * from the TypeScript interfaces (shapes.generated.ts): unknown property names (with the closest
 * known one), missing required properties, and values of the wrong type, at every level. What a
 * value means (a DNS name, a whole number, a request below its limit) stays with the validation
 * of the construct or variant that uses it; it may rely on the types once these checks pass.
 *
 * How class instances are recognised:
 * - `instanceof` for the classes whose modules import nothing that could import this one:
 *   AirflowVersion, ContainerImage, SecretKey, and cdk8s' Size and Duration.
 * - A duck type for the variant classes Executor, MetadataDatabase, AuthManager and GitAuth: an
 *   object whose constructor has that name and whose `_behaviour` has a `validate` method. Their
 *   modules import the variant implementations, which call these checks, so importing them here
 *   would make an import cycle (the variants cannot be subclassed, so the name is theirs).
 * - A duck type for IDagSource, an interface: an object with a `bind` method, as the construct
 *   calls it.
 * - A duck type for cdk8s-plus' Cpu: an object whose `amount` is a string, which is all the
 *   library reads of it (cdk8s-plus-27 2.9: `Cpu.millis(n)` -> amount `${n}m`, `Cpu.units(n)` ->
 *   `${n}`). The cdk8s-plus-27 root module is never loaded at run time (the library loads its k8s
 *   module alone). cdk8s' Size keeps its amount private and as a number, so it is no Cpu.
 */

/** Every interface the checks know, for `checkShape`. */
export const SHAPE_NAMES: readonly string[] = Object.keys(SHAPES);

/** Every factory and method whose arguments `checkArguments` knows, as `Class.method`. */
export const CALL_NAMES: readonly string[] = Object.keys(CALLS);

/**
 * Checks a value against the generated description of interface `type`, recording every problem
 * under `property` (`''` for top-level props: properties are then named alone, e.g. `scheduler`,
 * and a problem with the value itself is recorded under the interface's name).
 * Returns false when the value is so wrong that deeper checks must not run: a value of the wrong
 * type, or a required property missing, anywhere inside it. Unknown property names are recorded
 * but do not make it false: what is there has the right types.
 * @throws when `type` is not one of SHAPE_NAMES (a mistake in the calling code, not in the props)
 */
export function checkShape(errors: ValidationErrors, property: string, type: string, value: unknown): boolean {
  if (!has(SHAPES, type)) {
    throw new Error(`checkShape: no interface "${type}"; the known ones are ${SHAPE_NAMES.join(', ')}`);
  }
  return brokenUnless(errors, check(errors, { path: property, label: property || type }, type, value, false));
}

/** Marks the collector when a shape is broken, so that no later step reads the value. */
function brokenUnless(errors: ValidationErrors, ok: boolean): boolean {
  if (!ok) {
    errors.markShapeBroken();
  }
  return ok;
}

/**
 * Checks the arguments of a factory or method (`call`, one of CALL_NAMES, e.g. `SecretKey.of`)
 * as its parameter list describes them. An options parameter is checked under `property` itself
 * (`Executor.celery` at `executor.celery`: `executor.celery.workers`); any other parameter under
 * `property.<parameter>` (`SecretKey.of` at `credentials.fernetKey`: `credentials.fernetKey.key`).
 * Returns false as `checkShape` does.
 * @throws when `call` is not one of CALL_NAMES
 */
export function checkArguments(errors: ValidationErrors, property: string, call: string, args: readonly unknown[]): boolean {
  if (!has(CALLS, call)) {
    throw new Error(`checkArguments: no call "${call}"; the known ones are ${CALL_NAMES.join(', ')}`);
  }
  let ok = true;
  for (const [i, [name, spec]] of CALLS[call].entries()) {
    const { kind, optional } = parseSpec(spec);
    const path = has(SHAPES, kind) ? property : child(property, name);
    ok = check(errors, { path, label: path || kind, requiredBy: `${call} requires ${name}` }, kind, args[i], optional) && ok;
  }
  return brokenUnless(errors, ok);
}

/** Where a value is: the path its children are named under, the name it is reported under. */
interface Place {
  readonly path: string;
  readonly label: string;
  /** When the value is required: who requires it. */
  readonly requiredBy?: string;
}

/** Checks one value of a kind (see scripts/gen-props-shape.js); false on a wrong type. */
function check(errors: ValidationErrors, at: Place, kind: string, value: unknown, optional: boolean): boolean {
  if (value === undefined) {
    if (optional) {
      return true;
    }
    errors.add(at.label, value, `must be ${expected(kind)}`, at.requiredBy ? `set it: ${at.requiredBy}` : fixFor(kind, value));
    return false;
  }
  if (value === null) {
    errors.add(at.label, value, `must be ${expected(kind)}`,
      optional ? 'leave it out for the default (null does not mean unset)' : fixFor(kind, value));
    return false;
  }
  if (!matches(kind, value)) {
    errors.add(at.label, value, `must be ${expected(kind)}`, fixFor(kind, value));
    return false;
  }
  return checkInside(errors, at, kind, value);
}

/** Whether the value itself is of the kind (its elements and properties are checked after). */
function matches(kind: string, value: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === kind;
    case 'string[]':
      return Array.isArray(value);
    case '{string}':
    case '{{string}}':
      return isRecord(value);
    default:
      break;
  }
  if (kind.startsWith('#')) {
    return classCheck(kind.slice(1)).is(value);
  }
  if (kind.startsWith('=')) {
    return typeof value === 'string' && Object.keys(ENUMS[kind.slice(1)]).some((m) => ENUMS[kind.slice(1)][m] === value);
  }
  if (kind.endsWith('[]')) {
    return Array.isArray(value);
  }
  return isRecord(value);
}

/** The elements of lists and records, and the properties of interfaces. */
function checkInside(errors: ValidationErrors, at: Place, kind: string, value: unknown): boolean {
  if (kind.endsWith('[]')) {
    // string[], ~<Name>[] (Kubernetes objects) and <Name>[] (objects of an interface).
    const element = kind.slice(0, -2);
    let ok = true;
    (value as unknown[]).forEach((item, i) => {
      const path = `${at.path}[${i}]`;
      ok = check(errors, { path, label: path }, element, item, false) && ok;
    });
    return ok;
  }
  if (kind === '{string}' || kind.startsWith('{#')) {
    // An object of strings, or of class instances ({#SecretKey}: connection id -> SecretKey).
    const element = kind === '{string}' ? 'string' : kind.slice(1, -1);
    let ok = true;
    for (const key of Object.keys(value as object)) {
      const path = child(at.path, key);
      ok = check(errors, { path, label: path }, element, (value as Record<string, unknown>)[key], false) && ok;
    }
    return ok;
  }
  if (!has(SHAPES, kind)) {
    // Scalars, class instances, enums, opaque Kubernetes objects, and config (whose sections,
    // options and values the configuration checks know better: lib/config/overrides.ts).
    return true;
  }
  const shape = SHAPES[kind];
  const record = value as Record<string, unknown>;
  const properties = Object.keys(shape);
  for (const key of Object.keys(record)) {
    if (!has(shape, key)) {
      const suggestion = closest(key, properties);
      errors.add(child(at.path, key), record[key], `not a property of ${kind}`,
        suggestion !== undefined ? `did you mean "${suggestion}"?` : `remove it; the properties are ${properties.join(', ')}`);
    }
  }
  let ok = true;
  for (const key of properties) {
    const { kind: propertyKind, optional } = parseSpec(shape[key]);
    const path = child(at.path, key);
    ok = check(errors, { path, label: path, requiredBy: `${kind} requires ${key}` }, propertyKind, record[key], optional) && ok;
  }
  return ok;
}

/** What a kind is, after "must be ". */
function expected(kind: string): string {
  switch (kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'string[]':
      return 'a list of strings';
    case '{string}':
      return 'an object of strings';
    case '{{string}}':
      return 'an object of airflow.cfg sections, each an object of option -> value';
    default:
      break;
  }
  if (kind.startsWith('{#')) {
    return `an object whose values are each ${classCheck(kind.slice(2, -1)).expected}`;
  }
  if (kind.startsWith('#')) {
    return classCheck(kind.slice(1)).expected;
  }
  if (kind.startsWith('=')) {
    const values = Object.keys(ENUMS[kind.slice(1)]).map((m) => JSON.stringify(ENUMS[kind.slice(1)][m]));
    return `${/^[AEIOU]/.test(kind.slice(1)) ? 'an' : 'a'} ${kind.slice(1)}: ${orList(values)}`;
  }
  if (kind.startsWith('~')) {
    return kind.endsWith('[]') ? `a list of Kubernetes ${kind.slice(1, -2)} objects` : `an object (a Kubernetes ${kind.slice(1)})`;
  }
  if (kind.endsWith('[]')) {
    return `a list of objects (${kind.slice(0, -2)})`;
  }
  return `an object (${kind})`;
}

/** What to do about a value that is not of the kind. */
function fixFor(kind: string, value: unknown): string {
  switch (kind) {
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? `write it in quotes: "${value}"` : 'give a string';
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? `write it without quotes: ${n}` : 'give a number, without quotes';
    }
    case 'boolean':
      return typeof value === 'string' && /^(true|false)$/i.test(value.trim())
        ? `write it without quotes: ${value.trim().toLowerCase()}` : 'use true or false';
    case 'string[]':
      return typeof value === 'string' ? `put it in a list: [${JSON.stringify(value)}]` : 'give a list of strings';
    case '{string}':
      return Array.isArray(value) ? 'give one object of name -> string, not a list' : 'give an object whose values are strings';
    case '{{string}}':
      return 'give section -> option -> value, e.g. { core: { parallelism: "64" } }';
    default:
      break;
  }
  if (kind.startsWith('{#')) {
    return Array.isArray(value) ? 'give one object of name -> value, not a list' : `give an object of name -> ${kind.slice(2, -1)}`;
  }
  if (kind.startsWith('#')) {
    return classCheck(kind.slice(1)).fix(value);
  }
  if (kind.startsWith('=')) {
    const name = kind.slice(1);
    const members = ENUMS[name];
    const byValue = Object.keys(members).map((m) => members[m]);
    const near = typeof value === 'string' ? closest(value, byValue) ?? closest(value, Object.keys(members)) : undefined;
    const member = near === undefined ? undefined : Object.keys(members).find((m) => m === near || members[m] === near);
    return member !== undefined ? `use ${name}.${member}` : `use ${orList(Object.keys(members).map((m) => `${name}.${m}`))}`;
  }
  if (kind.startsWith('~')) {
    if (kind.endsWith('[]')) {
      return isRecord(value) ? 'put it in a list: [{ ... }]' : `give a list of ${kind.slice(1, -2)} objects, as in a pod spec`;
    }
    return Array.isArray(value) ? 'give one object, not a list' : `give the fields of a Kubernetes ${kind.slice(1)}, as in a pod spec`;
  }
  if (kind.endsWith('[]')) {
    return isRecord(value) ? 'put it in a list: [{ ... }]' : `give a list of objects with the properties ${describeProperties(kind.slice(0, -2))}`;
  }
  if (Array.isArray(value)) {
    return 'give one object, not a list';
  }
  return `give an object with the properties ${describeProperties(kind)}${has(EXAMPLES, kind) ? `, e.g. ${EXAMPLES[kind]}` : ''}`;
}

/** The properties of an interface, the required ones marked. */
function describeProperties(kind: string): string {
  const shape = SHAPES[kind];
  return Object.keys(shape).map((p) => (parseSpec(shape[p]).optional ? p : `${p} (required)`)).join(', ');
}

/** Examples where the property names alone do not show what goes in. */
const EXAMPLES: { readonly [type: string]: string } = {
  ContainerResources: '{ cpu: { request: Cpu.millis(250), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } }',
  CpuResources: '{ request: Cpu.millis(250), limit: Cpu.units(1) }',
  MemoryResources: '{ request: Size.mebibytes(512), limit: Size.gibibytes(1) }',
  EphemeralStorageResources: '{ request: Size.mebibytes(512), limit: Size.gibibytes(2) }',
};

/** How one class (or behavioural interface) is recognised, and described when it is not there. */
interface ClassCheck {
  readonly is: (value: unknown) => boolean;
  readonly expected: string;
  readonly fix: (value: unknown) => string;
}

const CLASS_CHECKS: { readonly [name: string]: ClassCheck } = {
  AirflowVersion: {
    is: (v) => v instanceof AirflowVersion,
    expected: 'an AirflowVersion, e.g. AirflowVersion.of(\'3.1.7\')',
    fix: (v) => (typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v.trim()) ? `use AirflowVersion.of(${quote(v.trim())})`
      : 'use AirflowVersion.of(\'MAJOR.MINOR.PATCH\') or a constant such as AirflowVersion.V3_1_7'),
  },
  ContainerImage: {
    is: (v) => v instanceof ContainerImage,
    expected: 'a ContainerImage, e.g. ContainerImage.of(\'apache/airflow\', \'3.1.7\')',
    fix: imageFix,
  },
  SecretKey: {
    is: (v) => v instanceof SecretKey,
    expected: 'a SecretKey, e.g. SecretKey.of(\'airflow-credentials\', \'fernet-key\')',
    fix: (v) => {
      const parts = typeof v === 'string' && /^[^/]+\/[^/]+$/.test(v) ? v.split('/')
        : isRecord(v) && typeof v.secretName === 'string' && typeof v.key === 'string' ? [v.secretName, v.key] : undefined;
      return parts ? `use SecretKey.of(${quote(parts[0])}, ${quote(parts[1])})` : 'use SecretKey.of(\'<Secret name>\', \'<key>\')';
    },
  },
  Size: {
    is: (v) => v instanceof Size,
    expected: 'a cdk8s Size, e.g. Size.gibibytes(8)',
    fix: (v) => {
      const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([KMGTP])(?:i|iB|B)?\s*$/i.exec(v) : null;
      const unit = m ? SIZE_UNITS[m[2].toUpperCase()] : undefined;
      return unit ? `use Size.${unit}(${Number(m![1])}) (import { Size } from 'cdk8s')` : 'use Size.mebibytes(n) or Size.gibibytes(n) (import { Size } from \'cdk8s\')';
    },
  },
  Duration: {
    is: (v) => v instanceof Duration,
    expected: 'a cdk8s Duration, e.g. Duration.seconds(60)',
    fix: (v) => {
      const m = typeof v === 'number' ? [String(v), String(v), 's'] : typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v) : null;
      return m ? `use Duration.${DURATION_UNITS[m[2] ?? 's']}(${Number(m[1])}) (import { Duration } from 'cdk8s')`
        : 'use Duration.seconds(n) or Duration.minutes(n) (import { Duration } from \'cdk8s\')';
    },
  },
  Cpu: {
    is: (v) => isRecord(v) && typeof v.amount === 'string',
    expected: 'a cdk8s-plus Cpu, e.g. Cpu.millis(500)',
    fix: (v) => {
      const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
      const millis = /^(\d+)m$/.exec(text);
      return millis ? `use Cpu.millis(${Number(millis[1])}) (import { Cpu } from 'cdk8s-plus-27')`
        : /^\d+(\.\d+)?$/.test(text) ? `use Cpu.units(${Number(text)}) (import { Cpu } from 'cdk8s-plus-27')`
          : 'use Cpu.millis(n) or Cpu.units(n) (import { Cpu } from \'cdk8s-plus-27\')';
    },
  },
  Executor: variant('Executor', 'an Executor, e.g. Executor.celery()', (text) => {
    const name = text.toLowerCase().replace(/executor/g, '').replace(/[^a-z]/g, '');
    const factory = ({ celery: 'celery', kubernetes: 'kubernetes', local: 'local', celerykubernetes: 'celeryAndKubernetes', celeryandkubernetes: 'celeryAndKubernetes' } as Record<string, string>)[name];
    return factory && `Executor.${factory}()`;
  }),
  MetadataDatabase: variant('MetadataDatabase', 'a MetadataDatabase, e.g. MetadataDatabase.bundledPostgres()', (text) => {
    const host = /^postgres(?:ql)?(?:\+\w+)?:\/\/(?:[^@/]*@)?([^:/?]+)/.exec(text)?.[1];
    const mySqlHost = /^mysql(?:\+\w+)?:\/\/(?:[^@/]*@)?([^:/?]+)/.exec(text)?.[1];
    return host ? `MetadataDatabase.externalPostgres({ host: ${quote(host)} })`
      : mySqlHost && `MetadataDatabase.externalMySql({ host: ${quote(mySqlHost)} })`;
  }),
  AuthManager: variant('AuthManager', 'an AuthManager, e.g. AuthManager.fab()', (text) => {
    const name = text.toLowerCase();
    return name.includes('fab') ? 'AuthManager.fab()' : name.includes('simple') ? 'AuthManager.simple()' : undefined;
  }),
  GitAuth: variant('GitAuth', 'a GitAuth, e.g. GitAuth.httpsToken({ secretName: \'git-credentials\' })', (text) => {
    const name = text.toLowerCase();
    return name.includes('ssh') ? 'GitAuth.ssh({ secretName })' : /https|token/.test(name) ? 'GitAuth.httpsToken({ secretName })' : undefined;
  }),
  CeleryBroker: variant('CeleryBroker', 'a CeleryBroker, e.g. CeleryBroker.bundledRedis()', (text) => {
    const host = /^rediss?:\/\/(?:[^@/]*@)?([^:/?]+)/.exec(text)?.[1];
    return host && `CeleryBroker.externalRedis({ host: ${quote(host)} }), or CeleryBroker.fromSecret(SecretKey.of('<Secret>', '<key>')) for the whole URL`;
  }),
  CeleryResultBackend: variant('CeleryResultBackend', 'a CeleryResultBackend, e.g. CeleryResultBackend.metadataDatabase()', (text) =>
    (text.trim() === '' ? undefined : 'CeleryResultBackend.fromSecret(SecretKey.of(\'<Secret>\', \'<key>\')): a URL is a credential')),
  Metrics: variant('Metrics', 'a Metrics, e.g. Metrics.statsdExporter()', (text) => {
    const name = text.toLowerCase();
    return /statsd|prometheus/.test(name) ? 'Metrics.statsdExporter()' : /otel|opentelemetry|otlp/.test(name) ? 'Metrics.openTelemetry({ host })' : undefined;
  }),
  TaskLogs: variant('TaskLogs', 'a TaskLogs, e.g. TaskLogs.sharedClaim()', (text) => {
    const name = text.toLowerCase();
    return /^(s3|gs):\/\/|^wasb/.test(name) ? 'TaskLogs.remote({ store, baseFolder })' : /claim|pvc|shared/.test(name) ? 'TaskLogs.sharedClaim()' : /empty/.test(name) ? 'TaskLogs.emptyDir()' : undefined;
  }),
  ConfigFile: {
    is: (v) => v instanceof ConfigFile,
    expected: 'a ConfigFile, e.g. ConfigFile.fromString(\'...\')',
    fix: (v) => {
      if (isRecord(v) && typeof v.secretName === 'string' && typeof v.key === 'string') {
        return `use ConfigFile.fromSecret(SecretKey.of(${quote(v.secretName)}, ${quote(v.key)}))`;
      }
      return typeof v === 'string' ? 'use ConfigFile.fromString(text) for the file\'s content, or ConfigFile.fromConfigMap(name, key) / ConfigFile.fromSecret(key) for a file you keep'
        : 'use ConfigFile.fromString(text), ConfigFile.fromConfigMap(name, key) or ConfigFile.fromSecret(key)';
    },
  },
  IDagSource: {
    is: (v) => isRecord(v) && typeof v.bind === 'function',
    expected: 'an IDagSource (an object with a bind method), e.g. DagSource.fromImage()',
    fix: (v) => {
      if (typeof v === 'string' && /^(https:\/\/|ssh:\/\/|[\w.-]+@[\w.-]+:)/.test(v)) {
        return `use DagSource.gitSync({ repository: ${quote(v)} })`;
      }
      if (typeof v === 'string' && v.trim() !== '') {
        return `use DagSource.fromFiles({ directory: ${quote(v)} }) for a folder beside your app, or DagSource.fromImage(${quote(v)}) for a folder inside the image`;
      }
      return factoryObjectFix('DagSource', v) ?? `use ${orList(factoriesOf('DagSource'))}`;
    },
  },
};

/** The classes (and behavioural interfaces) the checks recognise. */
export const KNOWN_CLASSES: readonly string[] = Object.keys(CLASS_CHECKS);

const SIZE_UNITS: Record<string, string> = { K: 'kibibytes', M: 'mebibytes', G: 'gibibytes', T: 'tebibytes', P: 'pebibyte' };
const DURATION_UNITS: Record<string, string> = { ms: 'millis', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };

function classCheck(name: string): ClassCheck {
  if (!has(CLASS_CHECKS, name)) {
    throw new Error(`checkShape: no check for instances of ${name}; add one to lib/props-shape/check-shape.ts`);
  }
  return CLASS_CHECKS[name];
}

/** The check of a variant class: made by its static methods only, recognised by name and behaviour. */
function variant(name: string, expectedText: string, fromText: (text: string) => string | undefined): ClassCheck {
  return {
    is: (v) => isRecord(v) && (v.constructor as { name?: unknown } | undefined)?.name === name
      && isRecord(v._behaviour) && typeof v._behaviour.validate === 'function',
    expected: expectedText,
    fix: (v) => {
      const made = typeof v === 'string' ? fromText(v) : undefined;
      return made !== undefined ? `use ${made}` : factoryObjectFix(name, v) ?? `use ${orList(factoriesOf(name))}`;
    },
  };
}

/** `{ celery: {...} }` where an executor is expected: the factory of that name, with those options. */
function factoryObjectFix(className: string, value: unknown): string | undefined {
  const keys = isRecord(value) ? Object.keys(value) : [];
  return keys.length === 1 && has(CALLS, `${className}.${keys[0]}`)
    ? `use ${className}.${keys[0]}(...) with these options: only the static methods of ${className} make one` : undefined;
}

/** How each factory of a class is called, its required arguments named: `MetadataDatabase.externalPostgres({ host })`. */
function factoriesOf(className: string): string[] {
  return CALL_NAMES.filter((call) => call.startsWith(`${className}.`)).map((call) => {
    const args: string[] = [];
    for (const [name, spec] of CALLS[call]) {
      const { kind, optional } = parseSpec(spec);
      if (optional) {
        break;
      }
      args.push(has(SHAPES, kind) ? `{ ${Object.keys(SHAPES[kind]).filter((p) => !parseSpec(SHAPES[kind][p]).optional).join(', ')} }` : name);
    }
    return `${call}(${args.join(', ')})`;
  });
}

function imageFix(value: unknown): string {
  let repository: string | undefined;
  let tag: string | undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    const at = text.indexOf('@');
    const colon = text.lastIndexOf(':');
    if (at > 0) {
      [repository, tag] = [text.slice(0, at), text.slice(at + 1)];
    } else if (colon > text.lastIndexOf('/')) {
      [repository, tag] = [text.slice(0, colon), text.slice(colon + 1)];
    } else {
      repository = text;
    }
  } else if (isRecord(value) && typeof value.repository === 'string') {
    repository = value.repository;
    tag = typeof value.tag === 'string' ? value.tag : undefined;
  }
  if (repository === undefined || repository === '') {
    return 'use ContainerImage.of(\'<repository>\', \'<tag>\')';
  }
  return `use ContainerImage.of(${quote(repository)}, ${tag ? quote(tag) : '\'<a pinned tag>\''})`;
}

function parseSpec(spec: string): { kind: string; optional: boolean } {
  return spec.startsWith('?') ? { kind: spec.slice(1), optional: true } : { kind: spec, optional: false };
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/** "a", "a or b", "a, b or c" */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
