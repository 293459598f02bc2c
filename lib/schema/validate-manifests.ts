import * as path from 'path';
import { editDistance } from '../props-shape/closest';
import { DEFINITIONS, KINDS, KUBERNETES_VERSION } from './k8s-1.27.generated';

/**
 * The schema backstop: every object the library writes, and the Pod manifest it embeds as text in
 * the `<name>-pod-template` ConfigMap, checked at synth against the Kubernetes 1.27 OpenAPI schema,
 * as strictly as `kubectl apply --validate=strict`: unknown fields, types, required fields, enums,
 * int32/int64 ranges, quantities, int-or-string, date-times and base64. Whatever prop validation
 * misses becomes an error that names the object and the field, never silent YAML.
 *
 * The schema is a table that scripts/gen-k8s-validators.js generates from the vendored 1.27
 * definitions (`k8s-1.27.generated.ts`, committed); this file is the small interpreter that walks it.
 */

/** One way in which a synthesised object breaks the Kubernetes schema. */
export interface SchemaProblem {
  /** The object, e.g. `StatefulSet airflow/airflow-worker` or `Pod template in ConfigMap airflow/airflow-pod-template`. */
  readonly object: string;
  /** The field, e.g. `spec.template.spec.containers[0].resources.limits.cpu`. */
  readonly path: string;
  /** What is wrong, with what is allowed and what was found. */
  readonly message: string;
}

/**
 * How a field is typed in the generated table: a primitive (below), the name of an object
 * definition of `DEFINITIONS`, or a list, map or string enum of one.
 */
export type FieldType = string | readonly ['array', FieldType] | readonly ['map', FieldType] | readonly ['enum', ...string[]];

/** An object definition: its fields (any other field is unknown) and the required ones. */
export interface ObjectDefinition {
  readonly fields: { readonly [name: string]: FieldType };
  readonly required?: readonly string[];
}

/** A kind the backstop validates: the apiVersion Kubernetes 1.27 serves it as, and its definition. */
export interface ValidatedKind {
  readonly apiVersion: string;
  readonly definition: string;
}

/** The key of the ConfigMap data entry that holds Airflow's pod template file. */
export const POD_TEMPLATE_KEY = 'pod_template_file.yaml';
/** The suffix of the name of the ConfigMap that holds it (`<name>-pod-template`). */
export const POD_TEMPLATE_CONFIG_MAP_SUFFIX = '-pod-template';

/** Every kind the backstop validates; objects of other kinds are skipped. */
export const VALIDATED_KINDS: readonly string[] = Object.keys(KINDS).sort();

/** `1.27`. */
const MINOR_VERSION = KUBERNETES_VERSION.split('.').slice(0, 2).join('.');
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** ±2^63, as far as a JavaScript number can tell. */
const INT64_LIMIT = 9223372036854775808;

/** k8s.io/apimachinery/pkg/api/resource: sign, number, then a binary/decimal SI suffix or a decimal exponent. */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))?$/;
/** RFC 3339, as metav1.Time reads it (time.RFC3339). */
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})$/;
/** Standard base64 with padding, as Go's encoding/json reads []byte. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const QUANTITY_FORMAT = 'a Kubernetes quantity: a number, or a string of digits with an optional sign and decimal point and '
  + 'an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent such as e3), e.g. "500m", "2", "1.5Gi"';

/** The primitives of the table: the test each makes, and what it says is expected. */
const PRIMITIVES: { readonly [name: string]: { readonly test: (value: unknown) => boolean; readonly expected: string } } = {
  'string': { test: (v) => typeof v === 'string', expected: 'a string' },
  'boolean': { test: (v) => typeof v === 'boolean', expected: 'a boolean (true or false)' },
  'int32': { test: (v) => isInteger(v, INT32_MAX), expected: `an int32 (a whole number from ${INT32_MIN} to ${INT32_MAX})` },
  'int64': { test: (v) => isInteger(v, INT64_LIMIT), expected: 'an int64 (a whole number from -2^63 to 2^63-1)' },
  'integer': { test: (v) => isInteger(v, Infinity), expected: 'a whole number' },
  'number': { test: (v) => typeof v === 'number' && Number.isFinite(v), expected: 'a number' },
  'quantity': { test: (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && QUANTITY.test(v)), expected: QUANTITY_FORMAT },
  'int-or-string': { test: (v) => typeof v === 'string' || isInteger(v, INT32_MAX), expected: 'an int32 (a whole number) or a string' },
  'date-time': { test: (v) => typeof v === 'string' && DATE_TIME.test(v), expected: 'an RFC 3339 date-time string, e.g. "2024-01-31T12:00:00Z"' },
  'byte': { test: (v) => typeof v === 'string' && BASE64.test(v), expected: 'a base64 string (standard alphabet, padded)' },
  'object': { test: isObject, expected: 'an object' },
  'any': { test: () => true, expected: 'any value' },
};

function isInteger(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value <= max && value >= -max - 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates synthesised Kubernetes objects, as `ApiObject.toJson()` gives them, against the
 * Kubernetes 1.27 schema, and the Pod manifest in each `<name>-pod-template` ConfigMap too.
 * Objects of kinds not in `VALIDATED_KINDS` (or of another API group, e.g. a custom resource
 * called `Service`) are skipped. Returns every problem, in the order of the objects and fields.
 */
export function validateManifests(manifests: ReadonlyArray<Record<string, unknown>>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const manifest of manifests) {
    const kind = validatedKind(manifest);
    if (kind === undefined) {
      continue;
    }
    const object = describeObject(manifest);
    checkDefinition(manifest, kind.definition, '', { object, problems });
    if (manifest.kind === 'ConfigMap') {
      checkPodTemplate(manifest, object, problems);
    }
  }
  return problems;
}

/** One problem as one line, e.g. for `node.addValidation`: object, field, message. */
export function formatSchemaProblem(problem: SchemaProblem): string {
  return `${problem.object}: ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
}

/**
 * The kind's entry when the object is of a validated kind. A known kind under another built-in
 * group (no dot, or `*.k8s.io`) is validated too, so that its wrong apiVersion is reported; a
 * custom resource's group (e.g. `serving.knative.dev`) is not Kubernetes', and is skipped.
 */
function validatedKind(manifest: Record<string, unknown>): ValidatedKind | undefined {
  const kind = manifest.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(KINDS, kind)) {
    return undefined;
  }
  const entry = KINDS[kind];
  const group = groupOf(manifest.apiVersion);
  if (group === groupOf(entry.apiVersion) || !group.includes('.') || group.endsWith('.k8s.io')) {
    return entry;
  }
  return undefined;
}

function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? '');
  return text.includes('/') ? text.slice(0, text.indexOf('/')) : '';
}

function describeObject(manifest: Record<string, unknown>): string {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return `${String(manifest.kind)} ${namespace}${name}`;
}

/** The Pod manifest embedded as YAML text in the pod template ConfigMap, validated as a Pod. */
function checkPodTemplate(configMap: Record<string, unknown>, object: string, problems: SchemaProblem[]): void {
  const metadata = isObject(configMap.metadata) ? configMap.metadata : {};
  const data = isObject(configMap.data) ? configMap.data : {};
  const text = data[POD_TEMPLATE_KEY];
  if (typeof metadata.name !== 'string' || !metadata.name.endsWith(POD_TEMPLATE_CONFIG_MAP_SUFFIX) || typeof text !== 'string') {
    return;
  }
  const where = child('data', POD_TEMPLATE_KEY);
  let pod: unknown;
  try {
    pod = parseSingleYamlDocument(text);
  } catch (err) {
    problems.push({ object, path: where, message: `the pod template file is not one YAML document: ${(err as Error).message}` });
    return;
  }
  if (!isObject(pod)) {
    problems.push({ object, path: where, message: `the pod template file must hold a Pod manifest (an object), got ${describeValue(pod)}` });
    return;
  }
  checkDefinition(pod, KINDS.Pod.definition, '', { object: `Pod template in ${object}`, problems });
}

interface YamlDocument {
  readonly errors: ReadonlyArray<{ readonly message: string }>;
  toJSON(): unknown;
}

let parseAllDocuments: ((text: string, options: object) => YamlDocument[]) | undefined;
/**
 * Parsed pod template files by text. cdk8s runs every validation once in `App.synth()` and again
 * in each chart's `toJson()`, and parsing is the costly part (about 10 ms for the first file, when
 * the parser is cold, 2-3 ms after), so the same text is parsed once. Parsed values are only read.
 */
const parsed = new Map<string, { readonly value?: unknown; readonly error?: string }>();
const PARSED_KEPT = 8;

/**
 * Parses with the YAML library cdk8s bundles (it is a dependency of cdk8s itself, loaded already
 * by `require('cdk8s')`, so the package needs none of its own), as YAML 1.1 like cdk8s writes it.
 */
/**
 * The Pod manifest in a `<name>-pod-template` ConfigMap, parsed (and kept, like the schema check's),
 * or undefined for any other object or a file that is not one YAML object.
 */
export function podTemplateFileOf(manifest: Record<string, unknown>): Record<string, unknown> | undefined {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const data = isObject(manifest.data) ? manifest.data : {};
  const text = data[POD_TEMPLATE_KEY];
  if (manifest.kind !== 'ConfigMap' || typeof metadata.name !== 'string' || !metadata.name.endsWith(POD_TEMPLATE_CONFIG_MAP_SUFFIX) || typeof text !== 'string') {
    return undefined;
  }
  try {
    const pod = parseSingleYamlDocument(text);
    return isObject(pod) ? pod : undefined;
  } catch {
    return undefined; // the schema check reports it
  }
}

function parseSingleYamlDocument(text: string): unknown {
  let result = parsed.get(text);
  if (result === undefined) {
    try {
      result = { value: parseYaml(text) };
    } catch (err) {
      result = { error: (err as Error).message };
    }
    if (parsed.size >= PARSED_KEPT) {
      parsed.delete(parsed.keys().next().value as string);
    }
    parsed.set(text, result);
  }
  if (result.error !== undefined) {
    throw new Error(result.error);
  }
  return result.value;
}

function parseYaml(text: string): unknown {
  if (parseAllDocuments === undefined) {
    const cdk8s = path.dirname(require.resolve('cdk8s'));
    parseAllDocuments = require(require.resolve('yaml', { paths: [cdk8s] })).parseAllDocuments as (text: string, options: object) => YamlDocument[];
  }
  const documents = parseAllDocuments(text, { version: '1.1' });
  if (documents.length !== 1) {
    throw new Error(`found ${documents.length} documents`);
  }
  if (documents[0].errors.length > 0) {
    throw new Error(documents[0].errors[0].message);
  }
  return documents[0].toJSON();
}

interface Walk {
  readonly object: string;
  readonly problems: SchemaProblem[];
}

function checkDefinition(value: Record<string, unknown>, name: string, at: string, walk: Walk): void {
  const definition = DEFINITIONS[name];
  for (const key of Object.keys(value)) {
    const field = value[key];
    const fieldAt = child(at, key);
    const type = Object.prototype.hasOwnProperty.call(definition.fields, key) ? definition.fields[key] : undefined;
    if (type === undefined) {
      walk.problems.push({ object: walk.object, path: fieldAt, message: unknownField(key, name, definition) });
    } else if (field !== null && field !== undefined) {
      // null is unset, as the API server reads it.
      check(field, type, fieldAt, walk);
    }
  }
  for (const key of definition.required ?? []) {
    if (value[key] === undefined || value[key] === null) {
      walk.problems.push({ object: walk.object, path: child(at, key), message: `required field is missing (${shortName(name)}.${key} must be set)` });
    }
  }
}

function check(value: unknown, type: FieldType, at: string, walk: Walk): void {
  if (typeof type === 'string') {
    const primitive = PRIMITIVES[type];
    if (primitive !== undefined) {
      if (!primitive.test(value)) {
        walk.problems.push({ object: walk.object, path: at, message: `must be ${primitive.expected}, got ${describeValue(value)}` });
      }
    } else if (isObject(value)) {
      checkDefinition(value, type, at, walk);
    } else {
      walk.problems.push({ object: walk.object, path: at, message: `must be an object (${shortName(type)}), got ${describeValue(value)}` });
    }
    return;
  }
  switch (type[0]) {
    case 'array':
      if (!Array.isArray(value)) {
        walk.problems.push({ object: walk.object, path: at, message: `must be a list, got ${describeValue(value)}` });
        return;
      }
      value.forEach((item, i) => check(item, type[1], `${at}[${i}]`, walk));
      return;
    case 'map':
      if (!isObject(value)) {
        walk.problems.push({ object: walk.object, path: at, message: `must be an object (a map), got ${describeValue(value)}` });
        return;
      }
      for (const key of Object.keys(value)) {
        check(value[key], type[1], child(at, key), walk);
      }
      return;
    case 'enum': {
      const allowed = type.slice(1) as string[];
      if (typeof value !== 'string' || !allowed.includes(value)) {
        const list = allowed.map((v) => JSON.stringify(v)).join(', ');
        walk.problems.push({ object: walk.object, path: at, message: allowed.length === 1 ? `must be ${list}, got ${describeValue(value)}` : `must be one of ${list}, got ${describeValue(value)}` });
      }
      return;
    }
  }
}

/**
 * The fields of a Kubernetes struct given in the props (a sidecar, a toleration, an env entry) that
 * its definition does not have, at any depth: cdk8s writes only the fields it knows, so a misspelt
 * one (`operater`) would vanish from the output without a word. Values of classes (a Quantity, an
 * IntOrString) are not walked.
 * @param definition e.g. `core.v1.Container`
 */
export function unknownInputFields(value: unknown, definition: string, at = ''): Array<{ path: string; message: string }> {
  const found: Array<{ path: string; message: string }> = [];
  const walk = (v: unknown, type: FieldType, path: string): void => {
    if (typeof type === 'string') {
      if (DEFINITIONS[type] !== undefined && isObject(v) && Object.getPrototypeOf(v) === Object.prototype) {
        for (const key of Object.keys(v)) {
          const fieldType = Object.prototype.hasOwnProperty.call(DEFINITIONS[type].fields, key) ? DEFINITIONS[type].fields[key] : undefined;
          if (fieldType === undefined) {
            found.push({ path: child(path, key), message: unknownField(key, type, DEFINITIONS[type]) });
          } else if (v[key] !== undefined && v[key] !== null) {
            walk(v[key], fieldType, child(path, key));
          }
        }
      }
      return;
    }
    if (type[0] === 'array' && Array.isArray(v)) {
      v.forEach((item, i) => walk(item, type[1], `${path}[${i}]`));
    } else if (type[0] === 'map' && isObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        walk(item, type[1], child(path, key));
      }
    }
  };
  walk(value, definition, at);
  return found;
}

function unknownField(key: string, name: string, definition: ObjectDefinition): string {
  const fields = Object.keys(definition.fields);
  const suggestion = closest(key, fields);
  const known = suggestion !== undefined ? `; did you mean "${suggestion}"?`
    : fields.length <= 12 ? `; its fields are ${fields.join(', ')}` : '';
  return `unknown field "${key}": ${shortName(name)} has no such field in Kubernetes ${MINOR_VERSION} (kubectl apply --validate=strict rejects it)${known}`;
}

/** The field whose name is closest to `key`: the same but for case, or at most 2 edits away. */
function closest(key: string, fields: readonly string[]): string | undefined {
  const sameCase = fields.find((f) => f.toLowerCase() === key.toLowerCase());
  if (sameCase !== undefined) {
    return sameCase;
  }
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(key.length / 3) + 1);
  for (const field of fields) {
    const d = editDistance(key, field);
    if (d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

/** `core.v1.Container` → `Container`. */
function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}

/** The path of a field: `spec.replicas`, or `metadata.labels["app.kubernetes.io/name"]` for a key that is not a plain word. */
function child(at: string, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
    return `${at}[${JSON.stringify(key)}]`;
  }
  return at === '' ? key : `${at}.${key}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined (cdk8s writes it as null)';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (isObject(value)) {
    return 'an object';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  return String(value);
}
