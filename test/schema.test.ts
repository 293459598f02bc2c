import { Manifest, synthAirflow, synthReference } from './helpers';
import { AuthManager, DagSource, GitAuth, MetadataDatabase } from '../lib';

/**
 * Validates manifests against the Kubernetes OpenAPI schema carried by the `kubernetes-models`
 * package (types, required fields, enums, formats), whatever produced them: typed L1 objects
 * and escape hatches alike. Unknown fields are checked strictly by ../shared/k8s-check in CI.
 */
function schemaErrors(manifest: Manifest): string[] {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : [undefined, manifest.apiVersion];
  const modulePath = ['kubernetes-models', group, version, manifest.kind].filter((p) => p !== undefined).join('/');
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

const variants: Record<string, Manifest[]> = {
  'reference deployment': synthReference(),
  'external database, simple auth, SSH git-sync, no pod operator': synthAirflow({
    database: MetadataDatabase.externalPostgres({ host: 'pg.example.internal', sslMode: 'require' }),
    authManager: AuthManager.simple(),
    dags: DagSource.gitSync({ repository: 'git@github.com:example/dags.git', auth: GitAuth.ssh({ secretName: 'git-ssh' }) }),
    kubernetesPodOperator: false,
  }),
  'HTTPS token git-sync, pods/exec allowed': synthAirflow({
    dags: DagSource.gitSync({ repository: 'https://example.com/dags.git', auth: GitAuth.httpsToken({ secretName: 'git-token' }) }),
    podLauncher: { allowExec: true },
  }),
};

describe('every synthesised object validates against the Kubernetes OpenAPI schema', () => {
  for (const [name, manifests] of Object.entries(variants)) {
    test(name, () => {
      expect(manifests.length).toBeGreaterThan(10);
      expect(manifests.flatMap(schemaErrors)).toEqual([]);
    });
  }

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
