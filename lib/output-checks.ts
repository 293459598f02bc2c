import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { formatSchemaProblem, validateManifests } from './schema/validate-manifests';
import { outputPodProblems } from './validation/pod-spec';

/** The construct that checks an app's output once, whatever number of deployments it holds. */
const CHECK_ID = 'AirflowOutputChecks';

/**
 * The checks of the output as cdk8s writes it (escape hatches and lazy values applied), run by
 * `App.synth()` (and `Testing.synth()`) before any file is written:
 *
 * - no two objects of the app have the same API group, kind, namespace and name: two releases
 *   of the same name in one namespace, two charts creating one Namespace, or an object of the
 *   user's that takes a name the library writes. Applying one would replace the other. One
 *   message per set of constructs that collide, with their paths;
 * - every object of a checked scope (an `Airflow` construct, an `AirflowChart`'s Namespace), and
 *   the KubernetesExecutor's pod template inside its ConfigMap, passes the Kubernetes 1.27
 *   schema (lib/schema/): a mistake no prop check caught, or one an escape hatch wrote, fails
 *   the synth with the object and the field instead of reaching the API server;
 * - every pod of the output keeps the API server's rules a schema cannot state (unique container
 *   and volume names, one mount per path, an image on every container, requests within limits:
 *   lib/validation/pod-spec.ts), which the user's pod options could otherwise break.
 *
 * Each object is rendered once for both checks.
 */
export function checkOutput(scope: IConstruct): void {
  const root = scope.node.root;
  const checks = (root.node.tryFindChild(CHECK_ID) as OutputChecks | undefined) ?? new OutputChecks(root);
  checks.scopes.push(scope);
}

class OutputChecks extends Construct {
  public readonly scopes: IConstruct[] = [];
  private result?: string[];

  constructor(root: IConstruct) {
    super(root, CHECK_ID);
    this.node.addValidation({ validate: () => this.validateOnce() });
  }

  /**
   * cdk8s validates the whole app once per chart it writes (`App._synthChart`), so an app of N
   * charts would render and check every object N times. A synthesis is one synchronous run: the
   * result is kept until the current task ends, and a later synth (after a patch) checks anew.
   */
  private validateOnce(): string[] {
    if (this.result === undefined) {
      this.result = this.validate();
      queueMicrotask(() => {
        this.result = undefined;
      });
    }
    return this.result;
  }

  private validate(): string[] {
    const rendered = this.node.root.node.findAll().filter(ApiObject.isApiObject).map((object) => ({ object, manifest: object.toJson() }));
    const checked = rendered.filter(({ object }) => this.scopes.some((scope) => object.node.scopes.includes(scope)));
    const manifests = checked.map(({ manifest }) => manifest);
    return [...collisions(rendered), ...validateManifests(manifests).map(formatSchemaProblem), ...manifests.flatMap(outputPodProblems)];
  }
}

function collisions(rendered: ReadonlyArray<{ object: ApiObject; manifest: any }>): string[] {
  const byIdentity = new Map<string, IConstruct[]>();
  for (const { object, manifest } of rendered) {
    const group = String(manifest.apiVersion).includes('/') ? `${String(manifest.apiVersion).split('/')[0]} ` : '';
    const where = manifest.metadata?.namespace === undefined ? '' : ` in namespace ${manifest.metadata.namespace}`;
    const key = `${group}${manifest.kind} "${manifest.metadata?.name}"${where}`;
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), object]);
  }
  // One message per set of constructs that collide (two releases share dozens of objects).
  const byOwners = new Map<string, string[]>();
  for (const [key, objects] of byIdentity) {
    if (objects.length > 1) {
      const owners = [...new Set(objects.map(owner))].join(' and ');
      byOwners.set(owners, [...(byOwners.get(owners) ?? []), key]);
    }
  }
  return [...byOwners].map(([owners, keys]) =>
    `${owners} write the same object${keys.length === 1 ? '' : `s (${keys.length})`}: ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}; `
    + 'applying one would replace the other. Fix: give each release its own name or namespace, and create a Namespace in one '
    + 'chart only (createNamespace: false in the others)');
}

/** The construct an object belongs to, for the message: its chart's child on the way to it. */
function owner(object: IConstruct): string {
  return object.node.scopes.slice(1, 3).map((c) => c.node.id).join('/');
}
