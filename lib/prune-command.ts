import { LABEL_INSTANCE } from './labels';

/**
 * Kinds a prune must never select: the Namespace (others may live in it) and PersistentVolumeClaims
 * (the database's data). The library writes neither with the tracking label's consent to delete.
 */
const NEVER_PRUNED = new Set(['core/v1/Namespace', 'core/v1/PersistentVolumeClaim']);

/** `group/version/Kind` as kubectl's `--prune-allowlist` takes it (`core` for the core group). */
export function pruneAllowlistEntry(manifest: { apiVersion?: unknown; kind?: unknown }): string {
  const apiVersion = String(manifest.apiVersion);
  return `${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}/${String(manifest.kind)}`;
}

/**
 * The `kubectl apply --prune` command of each release in an output: selected by the release's
 * tracking label, with an allowlist of exactly the kinds its objects have (kubectl's default list
 * leaves out ServiceAccounts, Roles and RoleBindings, and kubectl refuses the whole command when
 * the list names a kind the cluster does not serve, such as a CRD that is not installed), and
 * never the Namespace or a claim. Core kinds first, then by group, in a stable order.
 * @param folder the output as the command names it, e.g. `dist/`
 */
export function pruneCommands(manifests: readonly unknown[], folder: string): string[] {
  const kindsByRelease = new Map<string, Set<string>>();
  for (const manifest of manifests) {
    if (typeof manifest !== 'object' || manifest === null) {
      continue;
    }
    const m = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { labels?: Record<string, unknown> } };
    const release = m.metadata?.labels?.[LABEL_INSTANCE];
    const entry = pruneAllowlistEntry(m);
    if (typeof release !== 'string' || NEVER_PRUNED.has(entry)) {
      continue;
    }
    kindsByRelease.set(release, (kindsByRelease.get(release) ?? new Set()).add(entry));
  }
  const order = (entry: string) => `${entry.startsWith('core/') ? 0 : 1}${entry}`;
  return [...kindsByRelease.keys()].sort().map((release) => {
    const allowlist = [...kindsByRelease.get(release)!].sort((a, b) => (order(a) < order(b) ? -1 : 1));
    return [`kubectl apply -f ${folder} --prune -l ${LABEL_INSTANCE}=${release}`, ...allowlist.map((entry) => `  --prune-allowlist=${entry}`)].join(' \\\n');
  });
}
