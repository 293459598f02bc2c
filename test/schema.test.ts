import { parse } from 'yaml';
import { Manifest } from './helpers';
import { SCENARIOS } from './scenarios';

/**
 * Validates manifests against the Kubernetes OpenAPI schema carried by the `kubernetes-models`
 * package (types, required fields, enums, formats), whatever produced them: typed L1 objects
 * and escape hatches alike. Unknown fields are checked strictly by ../shared/k8s-check in CI.
 */
const CUSTOM_RESOURCE_GROUPS = ['gateway.networking.k8s.io', 'keda.sh', 'monitoring.coreos.com'];

function schemaErrors(manifest: Manifest): string[] {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : [undefined, manifest.apiVersion];
  const modulePath = ['kubernetes-models', group, version, manifest.kind].filter((p) => p !== undefined).join('/');
  // Custom resources (the Gateway API's HTTPRoute) have no model here: ../shared/k8s-check
  // validates them against their CRDs in CI.
  if (CUSTOM_RESOURCE_GROUPS.includes(group ?? '')) {
    return [];
  }
  let Model: any;
  try {
    Model = require(modulePath)[manifest.kind];
  } catch {
    return [`${manifest.apiVersion} ${manifest.kind}: no schema (unknown kind)`];
  }
  try {
    new Model(manifest).validate();
    return [];
  } catch (err) {
    return [`${manifest.kind} ${manifest.metadata?.name}: ${(err as Error).message}`];
  }
}

const variants: Record<string, Manifest[]> = Object.fromEntries(SCENARIOS.map((s) => [s.name, s.synth()]));

/** The Pod manifests carried as text in ConfigMaps (the KubernetesExecutor's pod template file). */
function embeddedPods(manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'ConfigMap' && m.data['pod_template_file.yaml'] !== undefined)
    .map((m) => parse(m.data['pod_template_file.yaml']) as Manifest);
}

describe('every synthesised object validates against the Kubernetes OpenAPI schema', () => {
  for (const [name, manifests] of Object.entries(variants)) {
    test(name, () => {
      expect(manifests.length).toBeGreaterThan(10);
      expect([...manifests, ...embeddedPods(manifests)].flatMap(schemaErrors)).toEqual([]);
    });
  }

  test('the pod template files are validated as Pods too', () => {
    const pods = Object.values(variants).flatMap(embeddedPods);
    expect(pods).toHaveLength(Object.values(variants).filter((m) => m.some((o) => o.kind === 'ConfigMap' && o.data?.['pod_template_file.yaml'])).length);
    expect(pods.length).toBeGreaterThanOrEqual(7);
    expect(pods.every((p) => p.kind === 'Pod' && p.spec.containers[0].name === 'base')).toBe(true);
  });

  test('the validator rejects what the API server would reject', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'x' },
      spec: { selector: {}, serviceName: 7, template: { spec: { containers: [{ name: 'a', imagePullPolicy: 'Sometimes' }] } } },
    };
    expect(schemaErrors(broken)[0]).toMatch(/serviceName must be string.*imagePullPolicy must be equal to one of the allowed values/);
    expect(schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['example.com/v1 Widget: no schema (unknown kind)']);
  });
});
