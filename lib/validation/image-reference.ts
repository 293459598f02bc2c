/**
 * Container image references, checked as the kubelet of Kubernetes 1.27 parses them before a pull:
 * k8s.io/kubernetes pkg/util/parsers/parsers.go `ParseImageName` calls
 * github.com/docker/distribution v2.8 reference/normalize.go `ParseNormalizedNamed`, which
 *  - rejects a bare 64-hex identifier,
 *  - puts Docker Hub names under "docker.io/" (and one-component names under "docker.io/library/")
 *    unless the first component contains "." or ":" or is "localhost" (`splitDockerDomain`),
 *  - requires the repository path to be lower case,
 *  - matches the result against reference/regexp.go `ReferenceRegexp`:
 *      reference := name [":" tag] ["@" digest]
 *      name      := [domain "/"] path-component ["/" path-component]*
 *      domain    := domain-component ["." domain-component]* [":" port-number]
 *      domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *      path-component   := [a-z0-9]+ (separator [a-z0-9]+)*   with separator [._] | __ | -+
 *      tag       := [\w][\w.-]{0,127}
 *  - limits the whole name, as normalised, to 255 characters (reference.go `NameTotalLengthMax`),
 *  - and checks the digest with github.com/opencontainers/go-digest v1.0.0 `Digest.Validate`: the
 *    kubelet registers sha256, sha384 and sha512, each with exactly 64, 96 or 128 lower-case hex
 *    digits.
 * The API server itself (pkg/apis/core/validation `validateContainerCommon`) only requires a
 * non-empty image without leading or trailing whitespace.
 *
 * The newer github.com/distribution/reference (v0.6) differs in two ways that 1.27 kubelets do not
 * have: it accepts a bracketed IPv6 registry ("[::1]:5000/x") and limits only the path, not the
 * registry, to 255 characters. Both are rejected here, which the newer parser also accepts.
 */

/** A reference split into what `ContainerImage.of(repository, tag)` takes. */
export interface ImageReference {
  /** Everything before the tag and digest, as written, e.g. `registry.example.com:5000/team/airflow`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export interface ImageReferenceProblem {
  readonly problem: string;
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_RE = new RegExp(`^${NAME}$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const PATH_COMPONENT_RE = new RegExp(`^${PATH_COMPONENT}$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

const NAME_MAX = 255;
const TAG_MAX = 128;
/** go-digest algorithm.go: the algorithms the kubelet registers, and their hex lengths. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Splits and checks a whole reference, e.g. `apache/airflow:3.1.7` or `x@sha256:<64 hex digits>`. */
export function parseImageReference(ref: string): ImageReference | ImageReferenceProblem {
  if (ref === '') {
    return { problem: 'the image reference is empty' };
  }
  if (ref.trim() !== ref) {
    return { problem: 'the image reference has leading or trailing whitespace' };
  }
  if (IDENTIFIER_RE.test(ref)) {
    return { problem: 'a bare 64-hex-digit image ID cannot be pulled: give repository@sha256:<digest>' };
  }
  const normalized = normalize(ref);
  const match = REFERENCE_RE.exec(normalized.full);
  const lowercaseProblem = uppercasePathProblem(normalized.remainder);
  if (match === null || lowercaseProblem !== undefined) {
    return { problem: diagnose(ref) };
  }
  const [, name, tag, digest] = match;
  if (name.length > NAME_MAX) {
    return { problem: tooLong(name) };
  }
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem !== undefined) {
      return { problem };
    }
  }
  const suffix = (tag === undefined ? '' : `:${tag}`) + (digest === undefined ? '' : `@${digest}`);
  return {
    repository: ref.slice(0, ref.length - suffix.length),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * Problems with a repository given on its own, without tag or digest: `apache/airflow`,
 * `registry.example.com:5000/team/airflow`, `localhost:5000/x`.
 */
export function repositoryProblem(repository: string): string | undefined {
  if (repository === '') {
    return 'the repository is empty';
  }
  const at = repository.indexOf('@');
  if (at >= 0) {
    return `the repository contains a digest (${JSON.stringify(repository.slice(at))}): give the repository without it`;
  }
  const lastSlash = repository.lastIndexOf('/');
  const colon = repository.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    const host = lastSlash < 0 && /^[0-9]+$/.test(repository.slice(colon + 1)) ? ' (a registry port must be followed by "/" and a path)' : '';
    return `the repository contains a tag (${JSON.stringify(repository.slice(colon))}): give the repository without it and the tag separately${host}`;
  }
  if (/\s/.test(repository)) {
    return 'the repository contains whitespace';
  }
  if (IDENTIFIER_RE.test(repository)) {
    return 'the repository is a bare 64-hex-digit image ID, not a repository name';
  }
  const normalized = normalize(repository);
  const problem = uppercasePathProblem(normalized.remainder);
  if (problem !== undefined) {
    return problem;
  }
  if (!NAME_RE.test(normalized.full)) {
    return namePartProblem(normalized) ?? 'the repository is not a valid image name';
  }
  if (normalized.full.length > NAME_MAX) {
    return tooLong(normalized.full);
  }
  return undefined;
}

/** Problems with an image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` (reference/regexp.go `TagRegexp`). */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') {
    return 'the tag is empty';
  }
  if (DIGEST_RE.test(tag)) {
    return `the tag ${JSON.stringify(tag)} is a digest: give it after "@", not ":"`;
  }
  if (tag.length > TAG_MAX) {
    return `the tag has ${tag.length} characters; at most ${TAG_MAX} are allowed`;
  }
  if (!TAG_RE.test(tag)) {
    if (/^[.-]/.test(tag)) {
      return `the tag starts with ${JSON.stringify(tag[0])}; it must start with a letter, digit or "_"`;
    }
    const bad = [...tag].find((c) => !/[\w.-]/.test(c))!;
    return `the tag contains ${JSON.stringify(bad)}; tags may contain only letters, digits, "_", "." and "-"`;
  }
  return undefined;
}

/**
 * Problems with a digest such as `sha256:<64 lower-case hex digits>` (go-digest v1.0.0
 * `Digest.Validate`, with the algorithms the kubelet registers).
 */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon === digest.length - 1) {
    return `the digest ${JSON.stringify(digest)} is not <algorithm>:<hex digits>, e.g. "sha256:" and 64 hex digits`;
  }
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = Object.prototype.hasOwnProperty.call(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined;
  if (length === undefined) {
    return DIGEST_RE.test(digest)
      ? `the digest algorithm ${JSON.stringify(algorithm)} is not supported: use sha256, sha384 or sha512`
      : `the digest ${JSON.stringify(digest)} is not <algorithm>:<hex digits>, e.g. "sha256:" and 64 hex digits`;
  }
  if (encoded.length !== length) {
    return `a ${algorithm} digest has ${length} hex digits, this one has ${encoded.length}`;
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    return `the ${algorithm} digest must be lower-case hex digits (0-9, a-f)`;
  }
  return undefined;
}

interface Normalized {
  /** The registry as written, when the first component names one. */
  readonly domain?: string;
  /** The path after the registry (before the tag), as written. */
  readonly remainder: string;
  /** What the kubelet parses: `docker.io/library/airflow:3.1.7`. */
  readonly full: string;
}

/** docker/distribution v2.8 reference/normalize.go `splitDockerDomain`. */
function normalize(name: string): Normalized {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost')) {
    const remainder = name.slice(slash + 1);
    const domain = first === 'index.docker.io' ? 'docker.io' : first;
    const path = domain === 'docker.io' && !remainder.includes('/') ? `library/${remainder}` : remainder;
    return { domain: first, remainder, full: `${domain}/${path}` };
  }
  return { remainder: name, full: name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}` };
}

/** ParseNormalizedNamed: the path up to the first ":" must be lower case. */
function uppercasePathProblem(remainder: string): string | undefined {
  const colon = remainder.indexOf(':');
  const path = colon < 0 ? remainder : remainder.slice(0, colon);
  return path.toLowerCase() === path ? undefined : `the repository path ${JSON.stringify(path)} must be lower case`;
}

/** Which part of a name that fails `NameRegexp` is wrong. */
function namePartProblem(normalized: Normalized): string | undefined {
  if (normalized.domain !== undefined && !DOMAIN_RE.test(normalized.domain)) {
    const ipv6 = normalized.domain.startsWith('[') ? ' (Kubernetes 1.27 kubelets do not read bracketed IPv6 registries)' : '';
    return `the registry ${JSON.stringify(normalized.domain)} is not a host name or IPv4 address with an optional ":port"${ipv6}`;
  }
  const components = normalized.remainder.split('/');
  if (components.some((c) => c === '')) {
    return 'the repository has an empty path component (a leading, trailing or doubled "/")';
  }
  const bad = components.find((c) => !PATH_COMPONENT_RE.test(c));
  if (bad !== undefined) {
    return `the path component ${JSON.stringify(bad)} is not valid: use lower-case letters and digits, separated by ".", "_", "__" or dashes, starting and ending with a letter or digit`;
  }
  return undefined;
}

function tooLong(name: string): string {
  return `the image name has ${name.length} characters as the kubelet reads it (${JSON.stringify(name.slice(0, 24) + '…')}); at most ${NAME_MAX} are allowed`;
}

/** A specific reason a whole reference fails, found by checking its parts in turn. */
function diagnose(ref: string): string {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return repositoryProblem(rest)
    ?? (tag === undefined ? undefined : tagProblem(tag))
    ?? (digest === undefined ? undefined : digestProblem(digest))
    ?? `${JSON.stringify(ref)} is not a valid image reference`;
}
