#!/usr/bin/env node
// Regenerates lib/schema/k8s-1.27.generated.ts, the schema table of the synth-time schema backstop
// (lib/schema/validate-manifests.ts), from the Kubernetes 1.27 definitions vendored in
// ../shared/k8s-schema/ (the `_definitions.json` that `cdk8s import k8s@1.27.0` reads; see its
// README). Only the definitions reachable from the kinds below are kept, with what validation
// needs: fields, their types and formats, required fields and enums. Descriptions are dropped.
//
//   node scripts/gen-k8s-validators.js            writes the table
//   node scripts/gen-k8s-validators.js --check    exits 1 when the committed table is not what it would write (CI)
//   --schema FILE                                 reads another copy of the same definitions file
//
// Deterministic: definitions and fields are written in sorted order, so the same input gives a
// byte-identical file. The input's sha256 is pinned below: a different schema is refused until the
// pin (and the version in the file name) is changed on purpose.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const KUBERNETES_VERSION = '1.27.0';
const SCHEMA_FILE = 'k8s-1.27.0-definitions.json';
const SCHEMA_SHA256 = '58a37fdf0c9d45b677663b57cad9d98b73d927af583a8ebee69613d09e1365d9';
const OUT = path.join(root, 'lib', 'schema', 'k8s-1.27.generated.ts');

// The kinds the library writes (`grep -rhn "new k8s.Kube" lib`, plus Job via its subclass), and
// Pod for the pod template file. test/schema-backstop.test.ts checks that every kind in the
// committed output has an entry.
const KINDS = {
  ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  CronJob: 'io.k8s.api.batch.v1.CronJob',
  Deployment: 'io.k8s.api.apps.v1.Deployment',
  HorizontalPodAutoscaler: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  Ingress: 'io.k8s.api.networking.v1.Ingress',
  Job: 'io.k8s.api.batch.v1.Job',
  Namespace: 'io.k8s.api.core.v1.Namespace',
  NetworkPolicy: 'io.k8s.api.networking.v1.NetworkPolicy',
  PersistentVolumeClaim: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  Pod: 'io.k8s.api.core.v1.Pod',
  PodDisruptionBudget: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  Role: 'io.k8s.api.rbac.v1.Role',
  RoleBinding: 'io.k8s.api.rbac.v1.RoleBinding',
  Service: 'io.k8s.api.core.v1.Service',
  ServiceAccount: 'io.k8s.api.core.v1.ServiceAccount',
  StatefulSet: 'io.k8s.api.apps.v1.StatefulSet',
};

// Definitions that are a primitive of the validator rather than an object.
const PRIMITIVE_DEFINITIONS = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'object',
};

// The string enums of Kubernetes 1.27 (the `+enum` types of k8s.io/api v0.27) on the definitions
// above. The cdk8s definitions file drops them (its only enums are `kind`), and the API server
// rejects any other value ("Unsupported value"). test/schema-backstop.test.ts compares this table
// with the enums of kubernetes-models 4.5.1 (Kubernetes 1.33, enums kept): the same fields and
// values, except what came after 1.27 (PodFailurePolicyRule.action FailIndex, 1.28). Lists of
// enum values (accessModes, ipFamilies) apply to each item.
const ENUMS = {
  'apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1.StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'apps.v1.StatefulSetUpdateStrategy.type': ['OnDelete', 'RollingUpdate'],
  'batch.v1.CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'batch.v1.JobSpec.completionMode': ['Indexed', 'NonIndexed'],
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'networking.v1.IngressPortStatus.protocol': ['SCTP', 'TCP', 'UDP'],
  'networking.v1.NetworkPolicyPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'networking.v1.NetworkPolicySpec.policyTypes': ['Egress', 'Ingress'],
  'policy.v1.PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['AlwaysAllow', 'IfHealthyBudget'],
  'batch.v1.PodFailurePolicyOnExitCodesRequirement.operator': ['In', 'NotIn'],
  'batch.v1.PodFailurePolicyRule.action': ['Count', 'FailJob', 'Ignore'],
  'core.v1.AzureDiskVolumeSource.cachingMode': ['None', 'ReadOnly', 'ReadWrite'],
  'core.v1.AzureDiskVolumeSource.kind': ['Dedicated', 'Managed', 'Shared'],
  'core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.Container.terminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'core.v1.ContainerPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'core.v1.EphemeralContainer.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.EphemeralContainer.terminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'core.v1.HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
  'core.v1.HostPathVolumeSource.type': ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
  'core.v1.NamespaceStatus.phase': ['Active', 'Terminating'],
  'core.v1.NodeSelectorRequirement.operator': ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  'core.v1.PersistentVolumeClaimSpec.accessModes': ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
  'core.v1.PersistentVolumeClaimSpec.volumeMode': ['Block', 'Filesystem'],
  'core.v1.PersistentVolumeClaimStatus.accessModes': ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
  'core.v1.PersistentVolumeClaimStatus.phase': ['Bound', 'Lost', 'Pending'],
  'core.v1.PodSecurityContext.fsGroupChangePolicy': ['Always', 'OnRootMismatch'],
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'core.v1.PodSpec.preemptionPolicy': ['Never', 'PreemptLowerPriority'],
  'core.v1.PodSpec.restartPolicy': ['Always', 'Never', 'OnFailure'],
  'core.v1.PodStatus.phase': ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
  'core.v1.PodStatus.qosClass': ['BestEffort', 'Burstable', 'Guaranteed'],
  'core.v1.PortStatus.protocol': ['SCTP', 'TCP', 'UDP'],
  'core.v1.SeccompProfile.type': ['Localhost', 'RuntimeDefault', 'Unconfined'],
  'core.v1.SecurityContext.procMount': ['Default', 'Unmasked'],
  'core.v1.ServicePort.protocol': ['SCTP', 'TCP', 'UDP'],
  'core.v1.ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.ipFamilies': ['', 'IPv4', 'IPv6'],
  'core.v1.ServiceSpec.ipFamilyPolicy': ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  'core.v1.ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'core.v1.ServiceSpec.type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'core.v1.Toleration.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'core.v1.Toleration.operator': ['Equal', 'Exists'],
  'core.v1.TopologySpreadConstraint.nodeAffinityPolicy': ['Honor', 'Ignore'],
  'core.v1.TopologySpreadConstraint.nodeTaintsPolicy': ['Honor', 'Ignore'],
  'core.v1.TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'core.v1.VolumeMount.mountPropagation': ['Bidirectional', 'HostToContainer', 'None'],
};

function fail(message) {
  console.error(`gen-k8s-validators: ${message}`);
  process.exit(2);
}

/** `io.k8s.api.core.v1.Container` → `core.v1.Container`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` → `meta.v1.ObjectMeta`. */
function shortName(name) {
  const short = name.replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '');
  if (short === name) {
    throw new Error(`no short name for ${name}`);
  }
  return short;
}

function refName(schema) {
  return schema.$ref.replace(/^#\/definitions\//, '');
}

/** The table: the definitions reachable from the kinds, as `{ fields, required }`. */
function generate(definitions) {
  const objects = new Map();
  const usedEnums = new Set();
  const queue = Object.values(KINDS);
  const typeOf = (schema, where) => {
    if (schema.$ref !== undefined) {
      const target = refName(schema);
      if (PRIMITIVE_DEFINITIONS[target] !== undefined) {
        return PRIMITIVE_DEFINITIONS[target];
      }
      if (definitions[target] === undefined) {
        throw new Error(`${where}: $ref to a missing definition ${target}`);
      }
      queue.push(target);
      return shortName(target);
    }
    switch (schema.type) {
      case 'string':
        if (schema.enum !== undefined) {
          return ['enum', ...schema.enum];
        }
        return { 'byte': 'byte', 'date-time': 'date-time', 'undefined': 'string' }[String(schema.format)] ?? fail(`${where}: string format ${schema.format}`);
      case 'integer':
        return { int32: 'int32', int64: 'int64', undefined: 'integer' }[String(schema.format)] ?? fail(`${where}: integer format ${schema.format}`);
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return ['array', typeOf(schema.items, `${where}[]`)];
      case 'object':
        if (schema.properties !== undefined) {
          throw new Error(`${where}: an object with properties outside the definitions`);
        }
        return schema.additionalProperties === undefined ? 'object' : ['map', typeOf(schema.additionalProperties, `${where}{}`)];
      case undefined:
        if (Object.keys(schema).every((k) => k === 'description' || k.startsWith('x-kubernetes-'))) {
          return 'any';
        }
    }
    throw new Error(`${where}: a schema the generator does not know: ${JSON.stringify(schema)}`);
  };
  while (queue.length > 0) {
    const name = queue.shift();
    const short = shortName(name);
    if (objects.has(short)) {
      continue;
    }
    const definition = definitions[name];
    if (definition.type !== 'object' || definition.properties === undefined || definition.additionalProperties !== undefined) {
      throw new Error(`${name}: not an object definition with properties: ${JSON.stringify(definition).slice(0, 200)}`);
    }
    const gvks = definition['x-kubernetes-group-version-kind'] ?? [];
    const fields = {};
    for (const field of Object.keys(definition.properties).sort()) {
      let type = typeOf(definition.properties[field], `${name}.${field}`);
      const key = `${short}.${field}`;
      if (ENUMS[key] !== undefined) {
        usedEnums.add(key);
        const values = ['enum', ...ENUMS[key]];
        if (type === 'string') {
          type = values;
        } else if (Array.isArray(type) && type[0] === 'array' && type[1] === 'string') {
          type = ['array', values];
        } else {
          throw new Error(`ENUMS: ${key} is ${JSON.stringify(type)}, not a string or a list of strings`);
        }
      }
      // apiVersion of a kind: the one group/version the definition is served as.
      if (field === 'apiVersion' && gvks.length === 1 && type === 'string') {
        type = ['enum', gvks[0].group === '' ? gvks[0].version : `${gvks[0].group}/${gvks[0].version}`];
      }
      fields[field] = type;
    }
    const required = [...(definition.required ?? [])].sort();
    for (const field of required) {
      if (fields[field] === undefined) {
        throw new Error(`${name}: required ${field} is not a property`);
      }
    }
    objects.set(short, required.length > 0 ? { fields, required } : { fields });
  }
  const unused = Object.keys(ENUMS).filter((key) => !usedEnums.has(key));
  if (unused.length > 0) {
    throw new Error(`ENUMS: no such field on a reachable definition: ${unused.join(', ')}`);
  }
  const kinds = {};
  for (const kind of Object.keys(KINDS).sort()) {
    const apiVersion = objects.get(shortName(KINDS[kind])).fields.apiVersion;
    if (!Array.isArray(apiVersion) || apiVersion.length !== 2) {
      throw new Error(`${kind}: no single apiVersion`);
    }
    kinds[kind] = { apiVersion: apiVersion[1], definition: shortName(KINDS[kind]) };
  }
  return { kinds, objects: new Map([...objects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** TypeScript source for a JSON value: single-quoted strings, bare keys where they can be. */
function literal(value) {
  if (typeof value === 'string') {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(literal).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : literal(k)}: ${literal(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function render({ kinds, objects }, sha256) {
  const lines = [
    `// Generated by scripts/gen-k8s-validators.js from the Kubernetes ${KUBERNETES_VERSION} definitions. Do not edit.`,
    `// Source: ../shared/k8s-schema/${SCHEMA_FILE} (sha256 ${sha256}), the schema of \`cdk8s import k8s@${KUBERNETES_VERSION}\`.`,
    `// Regenerate: node scripts/gen-k8s-validators.js; CI: node scripts/gen-k8s-validators.js --check.`,
    `// ${objects.size} definitions, those reachable from the kinds below; enums as the generator's ENUMS table says.`,
    `import type { ObjectDefinition, ValidatedKind } from './validate-manifests';`,
    '',
    `/** The Kubernetes version of the schema. */`,
    `export const KUBERNETES_VERSION = '${KUBERNETES_VERSION}';`,
    '',
    `/** The kinds validated, with the apiVersion Kubernetes ${KUBERNETES_VERSION} serves each as. */`,
    `export const KINDS: { readonly [kind: string]: ValidatedKind } = {`,
    ...Object.entries(kinds).map(([kind, entry]) => `  ${kind}: ${literal(entry)},`),
    `};`,
    '',
    `/** The object definitions, by short name (\`core.v1.Container\` for io.k8s.api.core.v1.Container). */`,
    `export const DEFINITIONS: { readonly [name: string]: ObjectDefinition } = {`,
    ...[...objects].map(([name, definition]) => `  ${literal(name)}: ${literal(definition)},`),
    `};`,
    '',
  ];
  return lines.join('\n');
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const schemaArg = args.indexOf('--schema');
  const schemaPath = schemaArg >= 0 ? path.resolve(args[schemaArg + 1] ?? fail('--schema needs a file')) : path.resolve(root, '..', 'shared', 'k8s-schema', SCHEMA_FILE);
  const unknown = args.filter((a, i) => a !== '--check' && a !== '--schema' && !(schemaArg >= 0 && i === schemaArg + 1));
  if (unknown.length > 0) {
    fail(`unknown argument ${unknown[0]}; usage: node scripts/gen-k8s-validators.js [--check] [--schema FILE]`);
  }
  if (!fs.existsSync(schemaPath)) {
    fail(`${schemaPath} not found: the generator reads the vendored Kubernetes definitions from ../shared/k8s-schema/`);
  }
  const bytes = fs.readFileSync(schemaPath);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== SCHEMA_SHA256) {
    fail(`${schemaPath} has sha256 ${sha256}, not the pinned ${SCHEMA_SHA256} of ${SCHEMA_FILE}`);
  }
  const text = render(generate(JSON.parse(bytes.toString('utf8')).definitions), sha256);
  const relative = path.relative(root, OUT);
  if (check) {
    const committed = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : undefined;
    if (committed !== text) {
      console.error(`${relative} is not what the generator writes: run 'node scripts/gen-k8s-validators.js' and commit the result`);
      process.exit(1);
    }
    console.log(`${relative} is up to date (${Buffer.byteLength(text)} bytes)`);
    return;
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${relative} (${Buffer.byteLength(text)} bytes)`);
}

main();
