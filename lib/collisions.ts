import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/** The construct that checks an app once, whatever number of deployments it holds. */
const CHECK_ID = 'AirflowObjectCollisionCheck';

/**
 * Makes the app refuse, at synth, two objects that would be written with the same API group,
 * kind, namespace and name: two releases of the same name in one namespace, two charts creating
 * one Namespace, or an object of the user's that takes a name the library writes. One of them
 * would silently replace the other when applied. The check is added once per app and covers
 * every object in it; each collision is reported once, with the construct paths of all the
 * objects involved.
 */
export function checkObjectCollisions(scope: IConstruct): void {
  const root = scope.node.root;
  if (root.node.tryFindChild(CHECK_ID) !== undefined) {
    return;
  }
  const check = new Construct(root, CHECK_ID);
  check.node.addValidation({
    validate: () => {
      const byIdentity = new Map<string, IConstruct[]>();
      for (const object of root.node.findAll().filter(ApiObject.isApiObject)) {
        const manifest = object.toJson();
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
    },
  });
}

/** The construct an object belongs to, for the message: its chart's child on the way to it. */
function owner(object: IConstruct): string {
  return object.node.scopes.slice(1, 3).map((c) => c.node.id).join('/');
}
