/**
 * Kubernetes API field rules, as problem descriptions: each function returns why the API server
 * (or, where said, the scheduler) of Kubernetes 1.27 would refuse the value, or `undefined`.
 *
 * Sources, at the Kubernetes 1.27 branch (k8s.io/apimachinery v0.27.16 for the first file):
 *  - k8s.io/apimachinery/pkg/util/validation/validation.go: `IsDNS1123Label`,
 *    `IsDNS1123Subdomain`, `IsDNS1035Label`, `IsConfigMapKey`, `IsQualifiedName`,
 *    `IsValidLabelValue`, `IsEnvVarName`, `IsValidPortNum`, `hasChDirPrefix`. Lengths are Go
 *    `len()`, i.e. UTF-8 bytes.
 *  - k8s.io/apimachinery/pkg/api/validation/objectmeta.go: `ValidateAnnotations` (the key is a
 *    qualified name after lower-casing), `ValidateAnnotationsSize` (256 KiB in all).
 *  - k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go: `ValidateLabelName`,
 *    `ValidateLabels`.
 *  - k8s.io/kubernetes/pkg/apis/core/validation/validation.go: `ValidateTolerations`,
 *    `validateTaintEffect`, `ValidateNodeSelectorRequirement`, `validatePullPolicy`.
 *  - k8s.io/apimachinery/pkg/labels/selector.go `NewRequirement`, which the scheduler's node
 *    affinity (k8s.io/component-helpers/scheduling/corev1/nodeaffinity) uses to read a
 *    requirement: values it cannot read make the term match no node.
 */

/** The rules of a DNS-1123 label, for messages. */
const DNS1123_LABEL_RULE = 'lower-case letters, digits and "-", starting and ending with a letter or digit';
const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
const TOTAL_ANNOTATION_SIZE_MAX = 256 * 1024;

/**
 * Namespaces, most object names and ConfigMap/Secret volume items: at most 63 characters of
 * a-z, 0-9 and "-", starting and ending with a letter or digit (so "1st-team" is a valid
 * namespace). Mirrors apimachinery validation.go `IsDNS1123Label`.
 */
export function dns1123LabelProblem(value: string): string | undefined {
  const problems: string[] = [];
  const length = byteLength(value);
  if (length > DNS1123_LABEL_MAX) {
    problems.push(`must be no more than ${DNS1123_LABEL_MAX} characters (has ${length})`);
  }
  if (!DNS1123_LABEL_RE.test(value)) {
    problems.push(DNS1123_SUBDOMAIN_RE.test(value)
      ? 'must not contain dots'
      : `must be a DNS-1123 label: ${DNS1123_LABEL_RULE} (${labelFault(value, /[-a-z0-9]/, /[a-z0-9]/)})`);
  }
  return joined(problems);
}

/**
 * Names that may be dotted (ConfigMaps, Secrets, ServiceAccounts, ...): at most 253 characters of
 * DNS-1123 labels joined by ".". Mirrors apimachinery validation.go `IsDNS1123Subdomain` (which
 * does not limit each label to 63).
 */
export function dns1123SubdomainProblem(value: string): string | undefined {
  const problems: string[] = [];
  const length = byteLength(value);
  if (length > DNS1123_SUBDOMAIN_MAX) {
    problems.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters (has ${length})`);
  }
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    problems.push(`must be a DNS-1123 subdomain: ${DNS1123_LABEL_RULE}, in parts joined by "." (${subdomainFault(value)})`);
  }
  return joined(problems);
}

/**
 * Service names and other names that must start with a letter: at most 63 characters of a-z, 0-9
 * and "-". Mirrors apimachinery validation.go `IsDNS1035Label`.
 */
export function dns1035LabelProblem(value: string): string | undefined {
  const problems: string[] = [];
  const length = byteLength(value);
  if (length > DNS1123_LABEL_MAX) {
    problems.push(`must be no more than ${DNS1123_LABEL_MAX} characters (has ${length})`);
  }
  if (!DNS1035_LABEL_RE.test(value)) {
    problems.push('must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit'
      + ` (${labelFault(value, /[-a-z0-9]/, /[a-z]/)})`);
  }
  return joined(problems);
}

/**
 * Keys of ConfigMap and Secret data: letters, digits, "-", "_" and ".", at most 253 characters, and
 * not ".", ".." or starting with "..". Mirrors apimachinery validation.go `IsConfigMapKey`.
 */
export function configMapKeyProblem(key: string): string | undefined {
  const problems: string[] = [];
  const length = byteLength(key);
  if (length > DNS1123_SUBDOMAIN_MAX) {
    problems.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters (has ${length})`);
  }
  if (!CONFIG_MAP_KEY_RE.test(key)) {
    problems.push(key === ''
      ? 'must not be empty'
      : `must consist of letters, digits, "-", "_" and "." (${JSON.stringify(firstOutside(key, /[-._a-zA-Z0-9]/))} is not allowed)`);
  }
  const chdir = chDirPrefixProblem(key);
  if (chdir !== undefined) {
    problems.push(chdir);
  }
  return joined(problems);
}

/**
 * Label keys (also taint and toleration keys, node selector keys): an optional DNS-1123 subdomain
 * prefix and "/", then a name of at most 63 letters, digits, "-", "_" and ".", starting and ending
 * with a letter or digit. Mirrors apimachinery validation.go `IsQualifiedName`, as called by
 * meta/v1/validation `ValidateLabelName`.
 */
export function labelKeyProblem(key: string): string | undefined {
  return qualifiedNameProblem(key);
}

/**
 * Annotation keys: a label key, except that upper-case letters are also allowed in the prefix
 * (the API server lower-cases the key before checking it). Mirrors apimachinery
 * api/validation/objectmeta.go `ValidateAnnotations`.
 */
export function annotationKeyProblem(key: string): string | undefined {
  return qualifiedNameProblem(goToLower(key));
}

/**
 * Annotations together: keys and values may add up to at most 256 KiB. Mirrors apimachinery
 * api/validation/objectmeta.go `ValidateAnnotationsSize`.
 */
export function annotationsSizeProblem(annotations: Readonly<Record<string, string>>): string | undefined {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += byteLength(key) + byteLength(value);
  }
  return total > TOTAL_ANNOTATION_SIZE_MAX
    ? `annotations add up to ${total} bytes; at most ${TOTAL_ANNOTATION_SIZE_MAX} (256 KiB) are allowed`
    : undefined;
}

/**
 * Label values (also toleration values and node selector values): empty, or at most 63 letters,
 * digits, "-", "_" and ".", starting and ending with a letter or digit. Mirrors apimachinery
 * validation.go `IsValidLabelValue`.
 */
export function labelValueProblem(value: string): string | undefined {
  const problems: string[] = [];
  const length = byteLength(value);
  if (length > LABEL_VALUE_MAX) {
    problems.push(`must be no more than ${LABEL_VALUE_MAX} characters (has ${length})`);
  }
  if (!LABEL_VALUE_RE.test(value)) {
    problems.push(`must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit (${qualifiedFault(value)})`);
  }
  return joined(problems);
}

/**
 * Container environment variable names in Kubernetes 1.27: letters, digits, "_", "-" and ".", not
 * starting with a digit, and not ".", ".." or starting with "..". Mirrors apimachinery
 * validation.go `IsEnvVarName` (the relaxed rule of the RelaxedEnvironmentVariableValidation gate
 * came in 1.30).
 */
export function envVarNameProblem(name: string): string | undefined {
  const problems: string[] = [];
  if (!ENV_VAR_NAME_RE.test(name)) {
    let fault: string;
    if (name === '') {
      fault = 'it is empty';
    } else if (/^[0-9]/.test(name)) {
      fault = 'it starts with a digit';
    } else {
      fault = `${JSON.stringify(firstOutside(name, /[-._a-zA-Z0-9]/))} is not allowed`;
    }
    problems.push(`must consist of letters, digits, "_", "-" and ".", and not start with a digit (${fault})`);
  }
  const chdir = chDirPrefixProblem(name);
  if (chdir !== undefined) {
    problems.push(chdir);
  }
  return joined(problems);
}

/** Any `int32` API field (replicas, ports, seconds): a whole number from -2147483648 to 2147483647. */
export function int32Problem(n: number): string | undefined {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647
    ? undefined
    : `must be a whole number from -2147483648 to 2147483647 (a 32-bit integer), not ${n}`;
}

/** Container and Service port numbers: 1 to 65535. Mirrors apimachinery validation.go `IsValidPortNum`. */
export function portProblem(n: number): string | undefined {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `must be a whole number from 1 to 65535, not ${n}`;
}

/** A pod toleration, as in the pod spec (every field optional). */
export interface TolerationFields {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * A toleration: the key is a label key (may be empty only with operator Exists, which then
 * tolerates every taint); operator Equal (the default when empty) takes a label value, Exists no
 * value; effect is empty (every effect) or NoSchedule, PreferNoSchedule or NoExecute; and
 * tolerationSeconds is only for NoExecute. Mirrors core validation.go `ValidateTolerations` and
 * `validateTaintEffect`.
 */
export function tolerationProblem(toleration: TolerationFields): string | undefined {
  const { key = '', operator = '', value = '', effect = '', tolerationSeconds } = toleration;
  const problems: string[] = [];
  if (key !== '') {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) {
      problems.push(`key: ${keyProblem}`);
    }
  } else if (operator !== 'Exists') {
    problems.push('operator must be Exists when key is empty (an empty key with Exists tolerates every taint)');
  }
  if (tolerationSeconds !== undefined) {
    if (effect !== 'NoExecute') {
      problems.push('tolerationSeconds is only allowed with effect NoExecute');
    }
    if (!Number.isSafeInteger(tolerationSeconds)) {
      problems.push(`tolerationSeconds must be a whole number, not ${tolerationSeconds}`);
    }
  }
  if (operator === '' || operator === 'Equal') {
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      problems.push(`value: ${valueProblem}`);
    }
  } else if (operator === 'Exists') {
    if (value !== '') {
      problems.push('value must be empty when operator is Exists');
    }
  } else {
    problems.push(`operator ${JSON.stringify(operator)} is not supported: use Equal or Exists`);
  }
  if (effect !== '' && !TAINT_EFFECTS.includes(effect)) {
    problems.push(`effect ${JSON.stringify(effect)} is not supported: use NoSchedule, PreferNoSchedule or NoExecute, or leave it empty for every effect`);
  }
  return joined(problems);
}

/** A node affinity match expression. */
export interface NodeSelectorRequirementFields {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/**
 * A node affinity match expression: In and NotIn need values, Exists and DoesNotExist take none,
 * Gt and Lt take exactly one; the key is a label key (core validation.go
 * `ValidateNodeSelectorRequirement`). Also what the 1.27 API server lets through but the scheduler
 * cannot read (labels/selector.go `NewRequirement`): values that are not label values, and a Gt/Lt
 * value that is not a whole number. Such a term matches no node.
 */
export function nodeSelectorRequirementProblem(requirement: NodeSelectorRequirementFields): string | undefined {
  const { key, operator, values = [] } = requirement;
  const problems: string[] = [];
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        problems.push(`values must not be empty when operator is ${operator}`);
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        problems.push(`values must be empty when operator is ${operator}`);
      }
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        problems.push(`operator ${operator} needs exactly one value, not ${values.length}`);
      } else if (!/^[+-]?[0-9]+$/.test(values[0]) || !fitsInt64(values[0])) {
        problems.push(`the value of operator ${operator} must be a whole number; the scheduler cannot compare ${JSON.stringify(values[0])}, so the term matches no node`);
      }
      break;
    default:
      problems.push(`operator ${JSON.stringify(operator)} is not supported: use In, NotIn, Exists, DoesNotExist, Gt or Lt`);
  }
  const keyProblem = labelKeyProblem(key);
  if (keyProblem !== undefined) {
    problems.push(`key: ${keyProblem}`);
  }
  for (const value of values) {
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      problems.push(`value ${JSON.stringify(value)}: ${valueProblem}; the scheduler cannot read it, so the term matches no node`);
    }
  }
  return joined(problems);
}

/** Container imagePullPolicy: Always, IfNotPresent or Never. Mirrors core validation.go `validatePullPolicy`. */
export function pullPolicyProblem(policy: string): string | undefined {
  return ['Always', 'IfNotPresent', 'Never'].includes(policy)
    ? undefined
    : `image pull policy ${JSON.stringify(policy)} is not supported: use Always, IfNotPresent or Never`;
}

/** apimachinery validation.go `IsQualifiedName`. */
function qualifiedNameProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) {
    return 'must be a name with an optional DNS subdomain prefix and one "/", e.g. "example.com/my-name"; this has more than one "/"';
  }
  const problems: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') {
      problems.push('the prefix before "/" must not be empty');
    } else {
      const prefixProblem = dns1123SubdomainProblem(prefix);
      if (prefixProblem !== undefined) {
        problems.push(`the prefix ${quote(prefix)} ${prefixProblem}`);
      }
    }
  }
  const length = byteLength(name);
  if (name === '') {
    problems.push(parts.length === 2 ? 'the name after "/" must not be empty' : 'must not be empty');
  } else {
    const part = parts.length === 2 ? `the name ${quote(name)} ` : '';
    if (length > QUALIFIED_NAME_MAX) {
      problems.push(`${part}must be no more than ${QUALIFIED_NAME_MAX} characters (has ${length})`);
    }
    if (!QUALIFIED_NAME_RE.test(name)) {
      problems.push(`${part}must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit (${qualifiedFault(name)})`);
    }
  }
  return joined(problems);
}

/** apimachinery validation.go `hasChDirPrefix`. */
function chDirPrefixProblem(value: string): string | undefined {
  if (value === '.' || value === '..') {
    return `must not be ${JSON.stringify(value)}`;
  }
  return value.startsWith('..') ? 'must not start with ".."' : undefined;
}

/** What is wrong with a string that fails a label rule: a bad character, or a bad first or last one. */
function labelFault(value: string, allowed: RegExp, first: RegExp): string {
  if (value === '') {
    return 'it is empty';
  }
  const bad = firstOutside(value, allowed);
  if (bad !== undefined) {
    return `${JSON.stringify(bad)} is not allowed`;
  }
  if (!first.test(value[0])) {
    return `it starts with ${JSON.stringify(value[0])}`;
  }
  return `it ends with ${JSON.stringify(value[value.length - 1])}`;
}

function subdomainFault(value: string): string {
  if (value === '') {
    return 'it is empty';
  }
  const bad = firstOutside(value, /[-.a-z0-9]/);
  if (bad !== undefined) {
    return `${JSON.stringify(bad)} is not allowed`;
  }
  const labels = value.split('.');
  if (labels.some((l) => l === '')) {
    return 'it has an empty part (a leading, trailing or doubled ".")';
  }
  const badLabel = labels.find((l) => !DNS1123_LABEL_RE.test(l))!;
  return `the part ${JSON.stringify(badLabel)} ${badLabel.startsWith('-') ? 'starts' : 'ends'} with "-"`;
}

function qualifiedFault(value: string): string {
  const bad = firstOutside(value, /[-A-Za-z0-9_.]/);
  if (bad !== undefined) {
    return `${JSON.stringify(bad)} is not allowed`;
  }
  return /^[A-Za-z0-9]/.test(value) ? `it ends with ${JSON.stringify(value[value.length - 1])}` : `it starts with ${JSON.stringify(value[0])}`;
}

/** A value for a message, shortened when long (its length is given elsewhere). */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 32)}…` : value);
}

/** The first character (code point) not matched by `allowed`. */
function firstOutside(value: string, allowed: RegExp): string | undefined {
  return [...value].find((c) => !allowed.test(c));
}

function fitsInt64(text: string): boolean {
  const n = BigInt(text.startsWith('+') ? text.slice(1) : text);
  return n >= -(BigInt(1) << BigInt(63)) && n < BigInt(1) << BigInt(63);
}

/** Go's `len()` of a string: its UTF-8 bytes. */
function byteLength(value: string): number {
  let bytes = 0;
  for (const c of value) {
    const code = c.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Go's `strings.ToLower` for what can reach ASCII: U+0130 lowers to "i" in Go, to "i̇" in JavaScript. */
function goToLower(s: string): string {
  return s.replace(/\u0130/g, 'i').toLowerCase();
}

function joined(problems: string[]): string | undefined {
  return problems.length === 0 ? undefined : problems.join('; ');
}
