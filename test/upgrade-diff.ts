import { isDeepStrictEqual } from 'util';
import type { Manifest } from './helpers';

// What happens when a GitOps tool (Argo CD, Flux, `kubectl apply`) replaces release A's objects
// with release B's: which objects appear and disappear, which pods restart, and which updates the
// API server refuses. Every rule below is checked on two synthesised outputs, without a cluster.
//
// The immutable fields are those of Kubernetes 1.27 (cdk8s-plus-27), as its API server validates
// an update (kubernetes/kubernetes, 1.27 era):
// - pkg/apis/apps/validation/validation.go
//   ValidateStatefulSetUpdate: every StatefulSet spec field but 'replicas', 'ordinals', 'template',
//     'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' is refused
//     ("updates to statefulset spec for fields other than ... are forbidden"); that covers
//     selector, volumeClaimTemplates, serviceName, podManagementPolicy and (until 1.3x)
//     revisionHistoryLimit.
// - pkg/registry/apps/{deployment,daemonset,replicaset}/strategy.go ValidateUpdate: from apps/v1
//   on, `spec.selector` is immutable ("field is immutable").
// - pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate: immutable are `completions`
//   (mutable only for Indexed Jobs together with `parallelism`, ElasticIndexedJob, beta in 1.27),
//   `selector`, `template` (except node affinity/selector, tolerations, scheduling gates, labels and
//   annotations of a suspended Job that never started: KEP-2926, GA in 1.27, which does not apply to
//   Jobs that run on creation like these), `completionMode`, `podFailurePolicy` (and from 1.28
//   `backoffLimitPerIndex`). Mutable: `parallelism`, `activeDeadlineSeconds`, `backoffLimit`,
//   `suspend`, `ttlSecondsAfterFinished`.
// - pkg/apis/core/validation/validation.go:
//   ValidatePersistentVolumeClaimUpdate: "spec is immutable after creation except
//     resources.requests for bound claims", and storage "can not be less than previous value";
//   ValidateServiceUpdate: `spec.clusterIP`/`clusterIPs` "may not change once set" (a headless
//     Service stays headless);
//   ValidateConfigMapUpdate / ValidateSecretUpdate: with `immutable: true`, `data`/`binaryData`
//     and `immutable` itself are frozen.
// - pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate /
//   ValidateClusterRoleBindingUpdate: "cannot change roleRef".
// A Namespace has nothing the output sets that cannot change. CronJob specs are all mutable.

/** `Kind/name`, how objects are named in the results. */
export function objectLabel(m: Manifest): string {
  return `${m.kind}/${m.metadata?.name}`;
}

/** The API group of an object: `apps` for `apps/v1`, '' for the core group. */
export function apiGroup(m: Manifest): string {
  const apiVersion: string = m.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * What makes two manifests the same object to the API server: group, kind, namespace and name.
 * (The version is not part of it: `apps/v1beta2` and `apps/v1` Deployments are one object.)
 */
export function identity(m: Manifest): string {
  return [apiGroup(m), m.kind, m.metadata?.namespace ?? '', m.metadata?.name].join('|');
}

/** Kinds whose controller keeps pods running, selected by `spec.selector`. */
export const SELECTOR_WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
/** Kinds that carry a pod template, for the kind-swap rule. */
export const WORKLOAD_KINDS = [...SELECTOR_WORKLOAD_KINDS, 'Job', 'CronJob'];

export interface ImmutableViolation {
  /** `Kind/name`. */
  readonly object: string;
  /** The path of the field that changed, e.g. `spec.selector`. */
  readonly field: string;
  readonly reason: string;
}

export interface KindSwap {
  readonly namespace: string;
  readonly name: string;
  /** The workload kinds of the name in A that B no longer has. */
  readonly before: string[];
  /** The workload kinds of the name in B that A did not have. */
  readonly after: string[];
}

export interface SelectorOverlap {
  readonly namespace: string;
  /** `Kind/name` of each workload, sorted. */
  readonly workloads: [string, string];
}

export interface ReleaseDiff {
  /** `Kind/name` of the objects only in B, replaced Jobs left out. */
  readonly added: string[];
  /** `Kind/name` of the objects only in A, replaced Jobs left out. */
  readonly removed: string[];
  /** `Job/<prefix>` of each Job removed and added under the same name less its hash suffix. */
  readonly replaced: string[];
  /** Names of the workloads in both whose pod template changed: their pods restart. */
  readonly rolled: string[];
  /** `Kind/name` of the objects in both that differ, with the paths that differ. */
  readonly changedFields: Record<string, string[]>;
  readonly immutableViolations: ImmutableViolation[];
  readonly kindSwaps: KindSwap[];
  readonly overlappingSelectors: SelectorOverlap[];
}

/** Compares two releases' outputs object by object. */
export function diffReleases(a: Manifest[], b: Manifest[]): ReleaseDiff {
  const before = byIdentity(a);
  const after = byIdentity(b);
  let added = b.filter((m) => !before.has(identity(m)));
  let removed = a.filter((m) => !after.has(identity(m)));

  // A Job named after a hash of its spec is a new Job when the spec changes, never an edit of
  // the finished one (whose spec is immutable): that is a replacement, and the safe way.
  const replaced: string[] = [];
  for (const gone of removed.filter((m) => m.kind === 'Job')) {
    const prefix = hashlessName(gone.metadata.name);
    const successor = added.find((m) => m.kind === 'Job' && m.metadata?.namespace === gone.metadata?.namespace
      && hashlessName(m.metadata.name) === prefix && m.metadata.name !== prefix);
    if (prefix !== gone.metadata.name && successor) {
      replaced.push(`Job/${prefix}`);
      added = added.filter((m) => m !== successor);
      removed = removed.filter((m) => m !== gone);
    }
  }

  const changedFields: Record<string, string[]> = {};
  const rolled: string[] = [];
  const immutableViolations: ImmutableViolation[] = [];
  for (const [key, old] of before) {
    const next = after.get(key);
    if (!next) {
      continue;
    }
    const paths = changedPaths(old, next);
    if (paths.length > 0) {
      changedFields[objectLabel(next)] = paths;
    }
    if (rolls(old, next)) {
      rolled.push(next.metadata.name);
    }
    immutableViolations.push(...immutableFieldChanges(old, next));
  }

  return {
    added: added.map(objectLabel).sort(),
    removed: removed.map(objectLabel).sort(),
    replaced: replaced.sort(),
    rolled: rolled.sort(),
    changedFields,
    immutableViolations,
    kindSwaps: kindSwaps(a, b),
    overlappingSelectors: overlappingSelectors([...a, ...b]),
  };
}

function byIdentity(manifests: Manifest[]): Map<string, Manifest> {
  const map = new Map<string, Manifest>();
  for (const m of manifests) {
    if (map.has(identity(m))) {
      throw new Error(`two manifests of one object: ${objectLabel(m)} in namespace ${m.metadata?.namespace}`);
    }
    map.set(identity(m), m);
  }
  return map;
}

/** A name less a trailing `-<hex hash>` of 6 or more digits (`airflow-migrate-database-e00522a2c6`). */
export function hashlessName(name: string): string {
  return name.replace(/-[0-9a-f]{6,}$/, '');
}

/**
 * A workload rolls (its controller replaces every pod) exactly when its pod template changes;
 * `replicas` and the other fields beside the template do not restart pods.
 */
function rolls(old: Manifest, next: Manifest): boolean {
  return ['Deployment', 'StatefulSet', 'DaemonSet'].includes(next.kind)
    && !isDeepStrictEqual(old.spec?.template, next.spec?.template);
}

const STATEFULSET_MUTABLE_SPEC = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const JOB_IMMUTABLE_SPEC = ['completions', 'selector', 'template', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex'];

/**
 * The changes between two manifests of one object that the API server refuses as an update. A
 * GitOps tool then fails to sync (Argo CD retries forever) until someone deletes the object by
 * hand, which for a StatefulSet or a claim is an outage or data at risk.
 */
export function immutableFieldChanges(old: Manifest, next: Manifest): ImmutableViolation[] {
  const object = objectLabel(next);
  const found: ImmutableViolation[] = [];
  const frozen = (field: string, reason: string) => {
    if (!isDeepStrictEqual(get(old, field), get(next, field))) {
      found.push({ object, field, reason });
    }
  };
  const group = apiGroup(next);
  switch (`${group}/${next.kind}`) {
    case 'apps/Deployment':
    case 'apps/DaemonSet':
    case 'apps/ReplicaSet':
      frozen('spec.selector', 'the selector of an apps/v1 workload is immutable');
      break;
    case 'apps/StatefulSet': {
      const fields = new Set([...Object.keys(old.spec ?? {}), ...Object.keys(next.spec ?? {})]);
      for (const field of [...fields].sort()) {
        if (!STATEFULSET_MUTABLE_SPEC.includes(field)) {
          frozen(`spec.${field}`, `a StatefulSet's spec may change only in ${STATEFULSET_MUTABLE_SPEC.join(', ')}`);
        }
      }
      break;
    }
    case 'batch/Job':
      for (const field of JOB_IMMUTABLE_SPEC) {
        frozen(`spec.${field}`, 'a Job\'s pod template, selector and completions are immutable; give a new spec a new name');
      }
      break;
    case '/Service':
      frozen('spec.clusterIP', 'a Service\'s clusterIP may not change once set (headless stays headless)');
      frozen('spec.clusterIPs', 'a Service\'s clusterIPs may not change once set');
      break;
    case '/PersistentVolumeClaim': {
      const { resources: oldResources, ...oldRest } = old.spec ?? {};
      const { resources: nextResources, ...nextRest } = next.spec ?? {};
      for (const field of changedPaths(oldRest, nextRest)) {
        found.push({ object, field: `spec.${field}`, reason: 'a claim\'s spec is immutable but for resources.requests' });
      }
      for (const field of changedPaths(withoutRequests(oldResources), withoutRequests(nextResources))) {
        found.push({ object, field: `spec.resources.${field}`, reason: 'a claim\'s spec is immutable but for resources.requests' });
      }
      const oldStorage = oldResources?.requests?.storage;
      const nextStorage = nextResources?.requests?.storage;
      if (oldStorage !== undefined && (nextStorage === undefined || quantityCompare(nextStorage, oldStorage) < 0)) {
        found.push({ object, field: 'spec.resources.requests.storage', reason: `a claim cannot shrink (${oldStorage} to ${nextStorage})` });
      }
      break;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      frozen('roleRef', 'a binding\'s roleRef cannot change; a new role needs a new binding');
      break;
    case '/ConfigMap':
    case '/Secret':
      if (old.immutable === true) {
        frozen('immutable', 'an immutable ConfigMap or Secret stays immutable');
        frozen('data', 'the data of an immutable ConfigMap or Secret cannot change');
        frozen('binaryData', 'the data of an immutable ConfigMap cannot change');
        frozen('stringData', 'the data of an immutable Secret cannot change');
      }
      break;
    default:
      break;
  }
  return found;
}

function withoutRequests(resources: Manifest | undefined): Manifest {
  const { requests: _requests, ...rest } = resources ?? {};
  return rest;
}

/**
 * A name that is one workload kind in A and another in B (a Deployment `airflow-scheduler` that
 * becomes a StatefulSet `airflow-scheduler`). The tool creates the new object before it prunes the
 * old one, so both controllers run pods of one component at once (two schedulers, two workers on
 * one queue) with the same name and labels, and a failed sync leaves both standing.
 */
export function kindSwaps(a: Manifest[], b: Manifest[]): KindSwap[] {
  const kindsByName = (manifests: Manifest[]) => {
    const map = new Map<string, Set<string>>();
    for (const m of manifests.filter((x) => WORKLOAD_KINDS.includes(x.kind))) {
      const key = `${m.metadata?.namespace ?? ''}|${m.metadata?.name}`;
      map.set(key, (map.get(key) ?? new Set()).add(m.kind));
    }
    return map;
  };
  const before = kindsByName(a);
  const after = kindsByName(b);
  const swaps: KindSwap[] = [];
  for (const [key, kindsBefore] of before) {
    const kindsAfter = after.get(key);
    if (!kindsAfter) {
      continue;
    }
    const gone = [...kindsBefore].filter((k) => !kindsAfter.has(k)).sort();
    const fresh = [...kindsAfter].filter((k) => !kindsBefore.has(k)).sort();
    if (gone.length > 0 && fresh.length > 0) {
      const [namespace, name] = key.split('|');
      swaps.push({ namespace, name, before: gone, after: fresh });
    }
  }
  return swaps;
}

/**
 * Whether one pod could carry labels that both selectors match: for every key both `matchLabels`
 * have, the values agree (selectors without a common key overlap). `matchExpressions` are not
 * read, which can only report more overlaps, never fewer.
 */
export function selectorsOverlap(x: Record<string, string> = {}, y: Record<string, string> = {}): boolean {
  return Object.keys(x).every((key) => !(key in y) || x[key] === y[key]);
}

/**
 * Pairs of distinct selector workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet) in one
 * namespace whose selectors overlap. Both controllers would count, adopt or delete each other's
 * pods: the classic case is a Deployment and a StatefulSet of one component while the tool
 * replaces one with the other. Jobs (whose selectors Kubernetes generates from their uid) and
 * CronJobs are left out. Give it A and B together: the objects of both coexist during a sync.
 */
export function overlappingSelectors(manifests: Manifest[]): SelectorOverlap[] {
  const unique = new Map<string, Manifest>();
  for (const m of manifests.filter((x) => SELECTOR_WORKLOAD_KINDS.includes(x.kind))) {
    // The same object in A and B is one object (a changed selector is an immutable violation).
    unique.set(`${identity(m)}|${JSON.stringify(m.spec?.selector ?? {})}`, m);
  }
  const list = [...unique.values()];
  const found = new Map<string, SelectorOverlap>();
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [x, y] = [list[i], list[j]];
      if (identity(x) === identity(y) || (x.metadata?.namespace ?? '') !== (y.metadata?.namespace ?? '')) {
        continue;
      }
      if (selectorsOverlap(x.spec?.selector?.matchLabels, y.spec?.selector?.matchLabels)) {
        const workloads = [objectLabel(x), objectLabel(y)].sort() as [string, string];
        found.set(workloads.join('|'), { namespace: x.metadata?.namespace ?? '', workloads });
      }
    }
  }
  return [...found.values()];
}

/** The leaf paths at which two JSON values differ, e.g. `spec.replicas`; `(root)` when they are unlike in type. */
export function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) {
    return [];
  }
  const here = [path === '' ? '(root)' : path];
  // A list or map on one side only is compared with an empty one, to name the entries it brings.
  if ((Array.isArray(a) || a === undefined) && (Array.isArray(b) || b === undefined)) {
    const [x, y] = [a ?? [], b ?? []];
    const paths: string[] = [];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      paths.push(...changedPaths(x[i], y[i], `${path}[${i}]`));
    }
    return paths.length > 0 ? paths : here;
  }
  if ((isObject(a) || a === undefined) && (isObject(b) || b === undefined)) {
    const [x, y] = [a ?? {}, b ?? {}];
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
    const paths = keys.flatMap((key) => changedPaths(x[key], y[key], joinPath(path, key)));
    return paths.length > 0 ? paths : here;
  }
  return here;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) {
    return path === '' ? key : `${path}.${key}`;
  }
  return `${path}[${JSON.stringify(key)}]`;
}

/** The value at a dotted path, e.g. `spec.selector`. */
function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
}

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

interface ParsedQuantity {
  readonly negative: boolean;
  /** The value is `mantissa * 10^exponent10`. */
  readonly mantissa: bigint;
  readonly exponent10: number;
  readonly format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

function parseQuantity(text: string | number): ParsedQuantity {
  const m = QUANTITY.exec(String(text));
  if (!m) {
    throw new Error(`not a Kubernetes quantity: ${text}`);
  }
  const [, sign, number, suffix = ''] = m;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let exponent10 = -fraction.length;
  let format: ParsedQuantity['format'] = 'DecimalSI';
  if (BINARY_SUFFIXES.includes(suffix) && suffix !== '') {
    mantissa *= BigInt(1024) ** BigInt(BINARY_SUFFIXES.indexOf(suffix));
    format = 'BinarySI';
  } else if (/^[eE]/.test(suffix)) {
    exponent10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    exponent10 += Number(Object.entries(DECIMAL_SUFFIXES).find(([, s]) => s === suffix)![0]);
  }
  return { negative: sign === '-' && mantissa !== BigInt(0), mantissa, exponent10, format };
}

/**
 * A quantity as the API server stores and returns it (apimachinery `resource.Quantity`'s
 * canonical form): `1000m` is `1`, `1024Mi` is `1Gi`, `0.5` is `500m`, `1.5Gi` is `1536Mi`.
 * A manifest that writes another spelling never matches the live object: Argo CD shows it
 * OutOfSync for ever (argoproj/argo-cd#21135, #17682, #1615), `kubectl diff` always reports it.
 * The suffix family is kept (binary stays binary unless the value is under 1Ki or not a whole
 * number of units, which becomes decimal), the number is whole, and the largest suffix that keeps
 * it whole is used. Values below 1n round up to 1n, as Kubernetes does.
 */
export function canonicalQuantity(text: string | number): string {
  const q = parseQuantity(text);
  const zero = BigInt(0);
  const ten = BigInt(10);
  if (q.mantissa === zero) {
    return '0';
  }
  const sign = q.negative ? '-' : '';
  if (q.format === 'BinarySI') {
    const divisor = q.exponent10 < 0 ? ten ** BigInt(-q.exponent10) : BigInt(1);
    const whole = q.exponent10 < 0 ? q.mantissa % divisor === zero : true;
    let bytes = q.exponent10 < 0 ? q.mantissa / divisor : q.mantissa * ten ** BigInt(q.exponent10);
    if (whole && bytes >= BigInt(1024)) {
      let power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && bytes % BigInt(1024) === zero) {
        bytes /= BigInt(1024);
        power++;
      }
      return `${sign}${bytes}${BINARY_SUFFIXES[power]}`;
    }
  }
  // Decimal: strip trailing zeros, then the largest multiple-of-3 exponent that keeps the number whole.
  let mantissa = q.mantissa;
  let exponent = q.exponent10;
  if (exponent < -9) {
    const scale = ten ** BigInt(-9 - exponent);
    mantissa = (mantissa + scale - BigInt(1)) / scale;
    exponent = -9;
  }
  while (mantissa % ten === zero) {
    mantissa /= ten;
    exponent++;
  }
  let exponent3 = Math.floor(exponent / 3) * 3;
  if (q.format !== 'DecimalExponent') {
    exponent3 = Math.min(exponent3, 18);
  }
  mantissa *= ten ** BigInt(exponent - exponent3);
  const suffix = q.format === 'DecimalExponent' ? (exponent3 === 0 ? '' : `e${exponent3}`) : DECIMAL_SUFFIXES[exponent3];
  return `${sign}${mantissa}${suffix}`;
}

/** Negative, zero or positive as quantity `x` is less than, equal to or greater than `y`. */
export function quantityCompare(x: string | number, y: string | number): number {
  const [p, q] = [parseQuantity(x), parseQuantity(y)];
  const exponent = Math.min(p.exponent10, q.exponent10);
  const scaled = (v: ParsedQuantity) => (v.negative ? -BigInt(1) : BigInt(1)) * v.mantissa * BigInt(10) ** BigInt(v.exponent10 - exponent);
  const [a, b] = [scaled(p), scaled(q)];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every pod spec in the output: the templates of workloads and CronJobs, with where they are. */
export function podSpecs(manifests: Manifest[]): Array<[string, Manifest]> {
  const found: Array<[string, Manifest]> = [];
  for (const m of manifests) {
    const spec = m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template?.spec
      : m.kind === 'Pod' ? m.spec
        : WORKLOAD_KINDS.includes(m.kind) ? m.spec?.template?.spec : undefined;
    if (spec) {
      found.push([objectLabel(m), spec]);
    }
  }
  return found;
}

/**
 * Every resource quantity in the output, with its path: container and init container requests
 * and limits of every pod spec, and the storage requests of claims and claim templates.
 */
export function resourceQuantities(manifests: Manifest[]): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const add = (where: string, list: Record<string, unknown> | undefined) => {
    for (const [resource, value] of Object.entries(list ?? {})) {
      found.push([`${where}.${resource}`, String(value)]);
    }
  };
  for (const [where, spec] of podSpecs(manifests)) {
    for (const field of ['initContainers', 'containers']) {
      for (const c of spec[field] ?? []) {
        add(`${where} ${field}[${c.name}].resources.requests`, c.resources?.requests);
        add(`${where} ${field}[${c.name}].resources.limits`, c.resources?.limits);
      }
    }
  }
  for (const m of manifests) {
    if (m.kind === 'PersistentVolumeClaim') {
      add(`${objectLabel(m)} spec.resources.requests`, m.spec?.resources?.requests);
    }
    for (const t of m.kind === 'StatefulSet' ? m.spec?.volumeClaimTemplates ?? [] : []) {
      add(`${objectLabel(m)} volumeClaimTemplates[${t.metadata?.name}].spec.resources.requests`, t.spec?.resources?.requests);
    }
  }
  return found;
}
