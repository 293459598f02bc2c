/**
 * The known name the user most likely meant, or undefined when none is close or two are equally
 * close. In order of preference: the same name but for case, `_` and `-` (`allow_exec` ->
 * `allowExec`); the one name that begins or ends the other (`repo` -> `repository`, `hostname`
 * -> `host`, `exec` -> `allowExec`); the one name within the fewest edits, a few at most
 * (`concurency` -> `concurrency`, `mail` -> `email`).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const wanted = normalise(name);
  const same = known.filter((candidate) => normalise(candidate) === wanted);
  if (same.length > 0) {
    return same[0];
  }
  const affix = known.filter((candidate) => {
    const other = normalise(candidate);
    return Math.min(wanted.length, other.length) >= 3
      && (other.startsWith(wanted) || wanted.startsWith(other) || other.endsWith(wanted) || wanted.endsWith(other));
  });
  if (affix.length === 1) {
    return affix[0];
  }
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const distances = known.map((candidate) => editDistance(wanted, normalise(candidate)));
  const best = Math.min(...distances);
  const nearest = known.filter((_, i) => distances[i] === best);
  // Short names are close to many others ("port" is two edits from "pod"): the edits must be
  // fewer than half of the shorter name.
  const plausible = nearest.length === 1 && best * 2 < Math.min(wanted.length, normalise(nearest[0]).length);
  return best <= limit && plausible ? nearest[0] : undefined;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
