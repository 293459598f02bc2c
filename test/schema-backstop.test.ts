import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { Airflow, Executor } from '../lib';
import { DEFINITIONS, KINDS } from '../lib/schema/k8s-1.27.generated';
import { FieldType, SchemaProblem, VALIDATED_KINDS, formatSchemaProblem, validateManifests } from '../lib/schema/validate-manifests';
import { Manifest, airflowIn, find, synthExample, synthReference } from './helpers';
import { SCENARIOS } from './scenarios';

// The schema backstop (lib/schema/): every synthesised object, and the Pod manifest embedded in the
// pod template ConfigMap, against the Kubernetes 1.27 schema, strict like `kubectl --validate=strict`.
// test/schema.test.ts checks the same outputs with kubernetes-models (not strict); this file checks
// the backstop itself: no false alarm on any output, the exact problem for each kind of mistake,
// and its interpreter against ajv on the same schema.
const root = path.resolve(__dirname, '..');

function committedOutputs(): string[] {
  const examples = fs.readdirSync(path.join(root, 'examples'))
    .map((name) => path.join('examples', name, 'dist'))
    .filter((dir) => fs.existsSync(path.join(root, dir)));
  return ['dist', ...examples].flatMap((dir) => fs.readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f)));
}

function readYaml(file: string): Manifest[] {
  return parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8'), { version: '1.1' })
    .map((doc) => doc.toJSON()).filter((doc) => doc !== null);
}

const podTemplateTexts = (manifests: Manifest[]) => manifests
  .filter((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-pod-template') && m.data?.['pod_template_file.yaml'] !== undefined);

describe('every committed output passes the backstop', () => {
  const files = committedOutputs();

  test('the committed outputs are there', () => {
    expect(files).toEqual(expect.arrayContaining(['dist/airflow.k8s.yaml', 'examples/kubernetes-executor/dist/airflow.k8s.yaml']));
  });

  test.each(files)('%s', (file) => {
    const manifests = readYaml(file);
    expect(manifests.length).toBeGreaterThan(10);
    expect(validateManifests(manifests).map(formatSchemaProblem)).toEqual([]);
  });

  test('and so does every scenario the tests synthesise', () => {
    for (const scenario of SCENARIOS) {
      expect([scenario.name, validateManifests(scenario.synth()).map(formatSchemaProblem)]).toEqual([scenario.name, []]);
    }
  });
});

describe('every kind the library writes has a validator', () => {
  test('the kinds of every output and scenario', () => {
    const written = new Set([...committedOutputs().flatMap(readYaml), ...SCENARIOS.flatMap((s) => s.synth())].map((m) => m.kind));
    // Custom resources: ../shared/k8s-check validates them against their CRDs in CI.
    expect([...written].filter((kind) => !VALIDATED_KINDS.includes(kind)).sort()).toEqual(['HTTPRoute', 'ScaledObject', 'ServiceMonitor', 'TriggerAuthentication']);
    expect(VALIDATED_KINDS).toContain('Pod');
  });

  test('the L1 classes lib/ creates or extends', () => {
    const sources: string[] = [];
    const walk = (dir: string): void => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => (e.isDirectory()
      ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') && sources.push(fs.readFileSync(path.join(dir, e.name), 'utf8'))));
    walk(path.join(root, 'lib'));
    const classes = new Set(sources.flatMap((text) => [...text.matchAll(/(?:new|extends) k8s\.Kube([A-Za-z]+)\b/g)].map((m) => m[1])));
    expect(classes.size).toBeGreaterThanOrEqual(10);
    expect([...classes].filter((kind) => !VALIDATED_KINDS.includes(kind))).toEqual([]);
  });

  test('each validated kind names its apiVersion and a definition of the table', () => {
    for (const kind of VALIDATED_KINDS) {
      expect(DEFINITIONS[KINDS[kind].definition].fields.kind).toEqual(['enum', kind]);
      expect(DEFINITIONS[KINDS[kind].definition].fields.apiVersion).toEqual(['enum', KINDS[kind].apiVersion]);
    }
  });
});

/** A mistake made in a copy of an output, and exactly what the backstop must say about it. */
interface Mistake {
  readonly name: string;
  readonly output: 'reference' | 'kubernetes-executor';
  readonly make: (manifests: Manifest[]) => void;
  readonly expected: SchemaProblem[];
}

const outputs = { 'reference': synthReference(), 'kubernetes-executor': synthExample('kubernetes-executor') };
const containerOf = (workload: Manifest, i = 0) => workload.spec.template.spec.containers[i];

/** Changes the Pod manifest in the pod template file, as a patch or a bad edit would. */
function editPodTemplate(manifests: Manifest[], edit: (pod: Manifest) => void): void {
  const configMap = find(manifests, 'ConfigMap', 'airflow-pod-template');
  const pod = parse(configMap.data['pod_template_file.yaml']);
  edit(pod);
  configMap.data['pod_template_file.yaml'] = stringify(pod);
}

const INT32 = 'an int32 (a whole number from -2147483648 to 2147483647)';
const QUANTITY = 'a Kubernetes quantity: a number, or a string of digits with an optional sign and decimal point and an optional suffix '
  + '(n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent such as e3), e.g. "500m", "2", "1.5Gi"';
const STRICT = 'has no such field in Kubernetes 1.27 (kubectl apply --validate=strict rejects it)';
const POD_TEMPLATE = 'Pod template in ConfigMap airflow/airflow-pod-template';

const MISTAKES: Mistake[] = [
  {
    name: 'an unknown field (a misspelt one)',
    output: 'reference',
    make: (m) => { containerOf(find(m, 'Deployment', 'airflow-scheduler')).imagePulPolicy = 'Always'; },
    expected: [{
      object: 'Deployment airflow/airflow-scheduler', path: 'spec.template.spec.containers[0].imagePulPolicy',
      message: `unknown field "imagePulPolicy": Container ${STRICT}; did you mean "imagePullPolicy"?`,
    }],
  },
  {
    name: 'an unknown field of a small object lists its fields',
    output: 'reference',
    make: (m) => { find(m, 'RoleBinding', 'airflow-pod-launcher').roleRef.namespace = 'airflow'; },
    expected: [{
      object: 'RoleBinding airflow/airflow-pod-launcher', path: 'roleRef.namespace',
      message: `unknown field "namespace": RoleRef ${STRICT}; its fields are apiGroup, kind, name`,
    }],
  },
  {
    name: 'a wrong type (a number as a string)',
    output: 'reference',
    make: (m) => { find(m, 'Deployment', 'airflow-api-server').spec.replicas = '2'; },
    expected: [{ object: 'Deployment airflow/airflow-api-server', path: 'spec.replicas', message: `must be ${INT32}, got "2"` }],
  },
  {
    name: 'a bad enum value',
    output: 'reference',
    make: (m) => { containerOf(find(m, 'StatefulSet', 'airflow-worker')).imagePullPolicy = 'Sometimes'; },
    expected: [{
      object: 'StatefulSet airflow/airflow-worker', path: 'spec.template.spec.containers[0].imagePullPolicy',
      message: 'must be one of "Always", "IfNotPresent", "Never", got "Sometimes"',
    }],
  },
  {
    name: 'a bad quantity',
    output: 'reference',
    make: (m) => { containerOf(find(m, 'StatefulSet', 'airflow-worker')).resources.limits.cpu = '2 cores'; },
    expected: [{
      object: 'StatefulSet airflow/airflow-worker', path: 'spec.template.spec.containers[0].resources.limits.cpu',
      message: `must be ${QUANTITY}, got "2 cores"`,
    }],
  },
  {
    name: 'a missing required field (a container without a name)',
    output: 'reference',
    make: (m) => { delete containerOf(find(m, 'StatefulSet', 'airflow-triggerer')).name; },
    expected: [{
      object: 'StatefulSet airflow/airflow-triggerer', path: 'spec.template.spec.containers[0].name',
      message: 'required field is missing (Container.name must be set)',
    }],
  },
  {
    name: 'an int32 out of range',
    output: 'reference',
    make: (m) => { find(m, 'Service', 'airflow-api-server').spec.ports[0].port = 2 ** 31; },
    expected: [{ object: 'Service airflow/airflow-api-server', path: 'spec.ports[0].port', message: `must be ${INT32}, got 2147483648` }],
  },
  {
    name: 'an int-or-string that is neither',
    output: 'reference',
    make: (m) => { find(m, 'Service', 'airflow-api-server').spec.ports[0].targetPort = true; },
    expected: [{ object: 'Service airflow/airflow-api-server', path: 'spec.ports[0].targetPort', message: 'must be an int32 (a whole number) or a string, got true' }],
  },
  {
    name: 'a label value that is not a string, under a key with dots',
    output: 'reference',
    make: (m) => { find(m, 'ServiceAccount', 'airflow-worker').metadata.labels['app.kubernetes.io/version'] = 3; },
    expected: [{ object: 'ServiceAccount airflow/airflow-worker', path: 'metadata.labels["app.kubernetes.io/version"]', message: 'must be a string, got 3' }],
  },
  {
    name: 'an apiVersion Kubernetes 1.27 does not serve the kind as',
    output: 'reference',
    make: (m) => { find(m, 'StatefulSet', 'airflow-redis').apiVersion = 'apps/v1beta1'; },
    expected: [{ object: 'StatefulSet airflow/airflow-redis', path: 'apiVersion', message: 'must be "apps/v1", got "apps/v1beta1"' }],
  },
  {
    name: 'a list where an object belongs, and an object where a list belongs',
    output: 'reference',
    make: (m) => {
      const spec = find(m, 'Deployment', 'airflow-flower').spec.template.spec;
      spec.securityContext = [spec.securityContext];
      spec.containers[0].args = { flower: true };
    },
    expected: [
      { object: 'Deployment airflow/airflow-flower', path: 'spec.template.spec.containers[0].args', message: 'must be a list, got an object' },
      { object: 'Deployment airflow/airflow-flower', path: 'spec.template.spec.securityContext', message: 'must be an object (PodSecurityContext), got a list' },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)),
  },
  {
    name: 'a wrong field inside the pod template text',
    output: 'kubernetes-executor',
    make: (m) => editPodTemplate(m, (pod) => { pod.spec.containers[0].securityContext.runAsNonroot = true; }),
    expected: [{
      object: POD_TEMPLATE, path: 'spec.containers[0].securityContext.runAsNonroot',
      message: `unknown field "runAsNonroot": SecurityContext ${STRICT}; did you mean "runAsNonRoot"?`,
    }],
  },
  {
    name: 'a bad quantity and a bad enum inside the pod template text',
    output: 'kubernetes-executor',
    make: (m) => editPodTemplate(m, (pod) => {
      pod.spec.restartPolicy = 'Sometimes';
      pod.spec.containers[0].resources.requests.memory = '512 MB';
    }),
    expected: [
      { object: POD_TEMPLATE, path: 'spec.containers[0].resources.requests.memory', message: `must be ${QUANTITY}, got "512 MB"` },
      { object: POD_TEMPLATE, path: 'spec.restartPolicy', message: 'must be one of "Always", "Never", "OnFailure", got "Sometimes"' },
    ],
  },
  {
    name: 'a pod template file that is not YAML',
    output: 'kubernetes-executor',
    make: (m) => { find(m, 'ConfigMap', 'airflow-pod-template').data['pod_template_file.yaml'] = 'spec: {containers: [\n'; },
    expected: [{
      object: 'ConfigMap airflow/airflow-pod-template', path: 'data["pod_template_file.yaml"]',
      message: expect.stringMatching(/^the pod template file is not one YAML document: /) as unknown as string,
    }],
  },
  {
    name: 'a pod template file of another kind',
    output: 'kubernetes-executor',
    make: (m) => editPodTemplate(m, (pod) => { pod.kind = 'Deployment'; }),
    expected: [{ object: POD_TEMPLATE, path: 'kind', message: 'must be "Pod", got "Deployment"' }],
  },
  {
    name: 'a required field set to null (null is unset, as the API server reads it)',
    output: 'reference',
    make: (m) => {
      find(m, 'Deployment', 'airflow-scheduler').spec.replicas = null;
      find(m, 'RoleBinding', 'airflow-pod-watcher').roleRef = null;
    },
    expected: [{ object: 'RoleBinding airflow/airflow-pod-watcher', path: 'roleRef', message: 'required field is missing (RoleBinding.roleRef must be set)' }],
  },
];

describe('each mistake gives the exact problem', () => {
  test.each(MISTAKES.map((m) => [m.name, m] as const))('%s', (_name, mistake) => {
    const manifests = structuredClone(outputs[mistake.output]);
    expect(validateManifests(manifests)).toEqual([]);
    mistake.make(manifests);
    const problems = validateManifests(manifests);
    expect([...problems].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(mistake.expected);
  });

  test('the one-line form names the object, the field and what is wrong', () => {
    expect(formatSchemaProblem({ object: 'StatefulSet airflow/airflow-worker', path: 'spec.replicas', message: 'must be x' }))
      .toBe('StatefulSet airflow/airflow-worker: spec.replicas: must be x');
  });

  test('objects of kinds it has no validator for, and custom resources named like a built-in kind, are skipped', () => {
    expect(validateManifests([
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'app' }, spec: { template: { anything: 1 } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { unknown: true } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site-config' }, data: { 'pod_template_file.yaml': 'not: [a pod' } },
    ])).toEqual([]);
  });

  test('a mistake made through an escape hatch is caught from the objects as cdk8s writes them', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes() });
    ApiObject.of(airflow.scheduler).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/imagePullPolicy', 'Sometimes'),
      JsonPatch.add('/spec/template/spec/terminationGracePeriodSeconds', '30'));
    airflow.kubernetesWorkerPods!.addPodTemplatePatch(JsonPatch.add('/spec/hostAliases', [{ ip: '10.0.0.1', hostname: 'db' }]));
    const manifests = chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
    expect(validateManifests(manifests).map(formatSchemaProblem)).toEqual([
      'Deployment airflow/airflow-scheduler: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never", got "Sometimes"',
      'Deployment airflow/airflow-scheduler: spec.template.spec.terminationGracePeriodSeconds: must be an int64 (a whole number from -2^63 to 2^63-1), got "30"',
      `${POD_TEMPLATE}: spec.hostAliases[0].hostname: unknown field "hostname": HostAlias ${STRICT}; did you mean "hostnames"?`,
    ]);
    // The Airflow construct runs the same check at synth: the synth fails, naming each object and field.
    expect(() => Testing.synth(chart)).toThrow([
      'Validation failed with the following errors:',
      '  [AirflowOutputChecks] Deployment airflow/airflow-scheduler: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never", got "Sometimes"',
      '  [AirflowOutputChecks] Deployment airflow/airflow-scheduler: spec.template.spec.terminationGracePeriodSeconds: must be an int64 (a whole number from -2^63 to 2^63-1), got "30"',
      `  [AirflowOutputChecks] ${POD_TEMPLATE}: spec.hostAliases[0].hostname: unknown field "hostname": HostAlias ${STRICT}; did you mean "hostnames"?`,
    ].join('\n'));
  });

  test('a synth after a patch checks anew (the result is kept only within one synchronous synthesis)', async () => {
    const { chart, airflow } = airflowIn();
    expect(() => Testing.synth(chart)).not.toThrow();
    await Promise.resolve();
    ApiObject.of(airflow.scheduler).addJsonPatch(JsonPatch.add('/spec/replicas', 'two'));
    expect(() => Testing.synth(chart)).toThrow(/Deployment airflow\/airflow-scheduler: spec\.replicas: must be an int32/);
  });

  test('nothing is written when the backstop fires', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-'));
    const app = new App({ outdir });
    const airflow = new Airflow(new Chart(app, 'c', { namespace: 'airflow' }), 'airflow');
    ApiObject.of(airflow.scheduler).addJsonPatch(JsonPatch.add('/spec/replicas', 'two'));
    expect(() => app.synth()).toThrow(/Deployment airflow\/airflow-scheduler: spec\.replicas: must be an int32/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a quantity patched into a typed L1 object is lost by its serialiser, and reported rather than written as null', () => {
    // cdk8s-plus-27's KubeDeployment.toJson() re-serialises the patched manifest, reading a
    // resource quantity as a Quantity object (`.value`): a patched string becomes undefined, which
    // cdk8s writes as `cpu: null`.
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes() });
    ApiObject.of(airflow.scheduler).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/cpu', '2'));
    const manifests = chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
    expect(validateManifests(manifests)).toEqual([{
      object: 'Deployment airflow/airflow-scheduler', path: 'spec.template.spec.containers[0].resources.limits.cpu',
      message: `must be ${QUANTITY}, got undefined (cdk8s writes it as null)`,
    }]);
    expect(() => Testing.synth(chart)).toThrow(/resources\.limits\.cpu: must be a Kubernetes quantity/);
  });
});

// ---------------------------------------------------------------------------------------------
// The interpreter against ajv: the same table as JSON Schema, on the outputs and on seeded
// random mistakes; both must find problems at the same fields.

/** The generated table as draft-07 JSON Schema, strict (additionalProperties false). */
function jsonSchema(): object {
  const primitive: Record<string, object> = {
    'string': { type: 'string' },
    'boolean': { type: 'boolean' },
    'int32': { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
    'int64': { type: 'integer', minimum: -(2 ** 63), maximum: 2 ** 63 },
    'integer': { type: 'integer' },
    'number': { type: 'number' },
    'quantity': { type: ['string', 'number'], pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)))?$' },
    'int-or-string': { anyOf: [{ type: 'string' }, { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }] },
    'date-time': { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$' },
    'byte': { type: 'string', pattern: '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$' },
    'object': { type: 'object' },
    'any': {},
  };
  const convert = (type: FieldType): object => {
    if (typeof type === 'string') {
      return primitive[type] ?? { $ref: `#/definitions/${type}` };
    }
    if (type[0] === 'enum') {
      return { type: 'string', enum: type.slice(1) };
    }
    return type[0] === 'array' ? { type: 'array', items: convert(type[1]) } : { type: 'object', additionalProperties: convert(type[1]) };
  };
  const definitions = Object.fromEntries(Object.entries(DEFINITIONS).map(([name, d]) => [name, {
    type: 'object',
    properties: Object.fromEntries(Object.entries(d.fields).map(([field, type]) => [field, convert(type)])),
    additionalProperties: false,
    ...(d.required ? { required: d.required } : {}),
  }]));
  return { $id: 'k8s', definitions };
}

/** The field path of an ajv error, as the backstop writes paths. */
function ajvPath(data: unknown, error: { instancePath: string; params: Record<string, unknown> }): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = error.params.missingProperty ?? error.params.additionalProperty;
  if (typeof extra === 'string') {
    segments.push(extra);
  }
  let at = '';
  let value: any = data;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      at += `[${segment}]`;
    } else {
      at = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? (at === '' ? segment : `${at}.${segment}`) : `${at}[${JSON.stringify(segment)}]`;
    }
    value = value?.[segment];
  }
  return at;
}

/** A small seeded PRNG (mulberry32), so that the random mistakes are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every place in a manifest: the container and the key of each value, but the object's kind and apiVersion. */
function places(manifest: Manifest): Array<[any, string | number]> {
  const found: Array<[any, string | number]> = [];
  const visit = (value: any): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => { found.push([value, i]); visit(item); });
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (!(value === manifest && (key === 'kind' || key === 'apiVersion'))) {
          found.push([value, key]);
          visit(value[key]);
        }
      }
    }
  };
  visit(manifest);
  return found;
}

const REPLACEMENTS: unknown[] = ['Sometimes', '2 cores', '', 7, -1, 1.5, 2 ** 31, true, [], ['x'], {}, { bogus: 1 }, '2024-01-31T12:00:00Z', 'aGk='];

describe('the interpreter agrees with ajv on the same schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(jsonSchema());
  const validators = Object.fromEntries(VALIDATED_KINDS.map((kind) => [kind, ajv.getSchema(`k8s#/definitions/${KINDS[kind].definition}`)!]));
  const ajvPaths = (manifest: Manifest): string[] => {
    const validate = validators[manifest.kind];
    return validate(manifest) ? [] : [...new Set(validate.errors!.map((e) => ajvPath(manifest, e)))].sort();
  };
  const ownPaths = (manifest: Manifest): string[] => [...new Set(validateManifests([manifest])
    .filter((p) => !p.object.startsWith('Pod template in ')).map((p) => p.path))].sort();

  test('on every output and the pod templates in them', () => {
    const manifests = [...outputs.reference, ...outputs['kubernetes-executor']];
    const pods = podTemplateTexts(manifests).map((m) => parse(m.data['pod_template_file.yaml']));
    expect(pods).toHaveLength(1);
    for (const manifest of [...manifests, ...pods]) {
      expect(ajvPaths(manifest)).toEqual([]);
    }
  });

  test('on 600 seeded random mistakes', () => {
    const next = random(20240131);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const manifests = [...outputs.reference, ...outputs['kubernetes-executor']].filter((m) => VALIDATED_KINDS.includes(m.kind));
    let withProblems = 0;
    for (let i = 0; i < 600; i++) {
      const manifest = structuredClone(pick(manifests));
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
        const [parent, key] = pick(places(manifest));
        const action = next();
        if (action < 0.15 && !Array.isArray(parent)) {
          delete parent[key];
        } else if (action < 0.3 && parent[key] !== null && typeof parent[key] === 'object' && !Array.isArray(parent[key])) {
          parent[key][pick(['bogus', 'Name', 'imagePullPolicy', 'app.kubernetes.io/x'])] = pick(REPLACEMENTS);
        } else {
          parent[key] = structuredClone(pick(REPLACEMENTS));
        }
      }
      const own = ownPaths(manifest);
      expect([i, own]).toEqual([i, ajvPaths(manifest)]);
      withProblems += own.length > 0 ? 1 : 0;
    }
    expect(withProblems).toBeGreaterThan(400);
  });
});

// ---------------------------------------------------------------------------------------------
// The enums: the generator's table (the cdk8s 1.27 definitions drop Kubernetes' enums) against the
// enums of kubernetes-models 4.5.1 (Kubernetes 1.33, enums kept), field by field.

/** Enum values added after Kubernetes 1.27, which kubernetes-models knows and 1.27 rejects. */
const ADDED_AFTER_1_27: Record<string, string[]> = {
  'batch.v1.PodFailurePolicyRule.action': ['FailIndex'],
};

function kubernetesModelsEnums(): Record<string, string[]> {
  const enums: Record<string, string[]> = {};
  for (const name of Object.keys(DEFINITIONS)) {
    const [group, version, type] = name.split('.');
    const dir = group === 'meta' ? '@kubernetes-models/apimachinery/apis/meta'
      : `kubernetes-models/${{ core: '', apps: 'apps', batch: 'batch', rbac: 'rbac.authorization.k8s.io', policy: 'policy', networking: 'networking.k8s.io', autoscaling: 'autoscaling' }[group]}`;
    const file = path.join(root, 'node_modules', dir, version, `${type}.d.ts`);
    if (!fs.existsSync(file)) {
      throw new Error(`kubernetes-models has no ${file}`);
    }
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\s+"(\w+)"\??: (?:Array<)?((?:"[^"]*"(?: \| )?)+)>?;$/gm)) {
      if (m[1] !== 'kind' && m[1] !== 'apiVersion' && DEFINITIONS[name].fields[m[1]] !== undefined) {
        enums[`${name}.${m[1]}`] = [...m[2].matchAll(/"([^"]*)"/g)].map((v) => v[1]).sort();
      }
    }
  }
  return enums;
}

test('the enums are those of kubernetes-models, less the values added after 1.27', () => {
  const own: Record<string, string[]> = {};
  for (const [name, definition] of Object.entries(DEFINITIONS)) {
    for (const [field, type] of Object.entries(definition.fields)) {
      const values = type[0] === 'enum' ? type : type[0] === 'array' && type[1][0] === 'enum' ? type[1] : undefined;
      if (values !== undefined && typeof values !== 'string' && field !== 'kind' && field !== 'apiVersion') {
        own[`${name}.${field}`] = (values.slice(1) as string[]).sort();
      }
    }
  }
  const expected = Object.fromEntries(Object.entries(kubernetesModelsEnums())
    .map(([key, values]) => [key, values.filter((v) => !(ADDED_AFTER_1_27[key] ?? []).includes(v))]));
  expect(Object.keys(own).length).toBeGreaterThan(40);
  expect(own).toEqual(expected);
});

// ---------------------------------------------------------------------------------------------
// The committed table is what the generator writes from the vendored definitions. Builds and
// tests never need ../shared (the table is committed); where it is there, as in CI, this checks it.

const VENDORED_SCHEMA = path.join(root, '..', 'shared', 'k8s-schema', 'k8s-1.27.0-definitions.json');

(fs.existsSync(VENDORED_SCHEMA) ? test : test.skip)('lib/schema/k8s-1.27.generated.ts is what scripts/gen-k8s-validators.js writes', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-k8s-validators.js'), '--check'], { cwd: root, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

// ---------------------------------------------------------------------------------------------
// Cost, measured and printed (never asserted): loading the module and validating the reference
// deployment in a fresh node, from the same swc output `node scripts/build.js` writes.

test('cost: module load and validation time (printed)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-backstop-'));
  try {
    // The backstop's modules, in their folders, compiled alone: what loading them costs.
    for (const file of ['schema/validate-manifests.ts', 'schema/k8s-1.27.generated.ts', 'props-shape/closest.ts']) {
      const { code } = swc.transformFileSync(path.join(root, 'lib', file), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2020' }, module: { type: 'commonjs' }, sourceMaps: false,
      });
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), code);
    }
    fs.writeFileSync(path.join(dir, 'reference.json'), JSON.stringify(outputs.reference));
    fs.writeFileSync(path.join(dir, 'kubernetes-executor.json'), JSON.stringify(outputs['kubernetes-executor']));
    const script = `
      const { performance } = require('perf_hooks');
      require('cdk8s'); require('constructs');
      const read = (f) => JSON.parse(require('fs').readFileSync(require('path').join(${JSON.stringify(dir)}, f), 'utf8'));
      const [reference, kubernetesExecutor] = [read('reference.json'), read('kubernetes-executor.json')];
      const t0 = performance.now();
      const { validateManifests } = require(${JSON.stringify(path.join(dir, 'schema', 'validate-manifests.js'))});
      const t1 = performance.now();
      const problems = validateManifests(reference).length;
      const t2 = performance.now();
      validateManifests(kubernetesExecutor);
      const t3 = performance.now();
      const warm = [];
      for (let i = 0; i < 20; i++) { const s = performance.now(); validateManifests(reference); warm.push(performance.now() - s); }
      warm.sort((a, b) => a - b);
      console.log(JSON.stringify({ load: t1 - t0, first: t2 - t1, podTemplate: t3 - t2, warm: warm[10], problems, objects: reference.length }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
    expect(run.stderr).toBe('');
    const cost = JSON.parse(run.stdout);
    expect(cost.problems).toBe(0);
    const bytes = fs.statSync(path.join(root, 'lib', 'schema', 'k8s-1.27.generated.ts')).size;
    console.log([
      `schema backstop: generated table ${(bytes / 1024).toFixed(1)} KiB;`,
      `require('lib/schema/validate-manifests') ${cost.load.toFixed(1)} ms (after cdk8s);`,
      `reference deployment (${cost.objects} objects): ${cost.first.toFixed(1)} ms first, ${cost.warm.toFixed(2)} ms warm;`,
      `kubernetes-executor example with its pod template file: ${cost.podTemplate.toFixed(1)} ms first`,
    ].join(' '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
