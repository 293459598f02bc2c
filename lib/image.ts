import { digestProblem, repositoryProblem, tagProblem } from './validation/image-reference';

/** How the kubelet pulls an image. */
export enum ImagePullPolicy {
  /** Pull only when the node lacks the image: right for pinned tags and digests. */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Check the registry on every container start. */
  ALWAYS = 'Always',
  /** Never pull; the image must be on the node. */
  NEVER = 'Never',
}

/** A pinned container image reference. */
export class ContainerImage {
  /**
   * An image by repository and tag, e.g. `ContainerImage.of('apache/airflow', '3.1.7')`.
   * @param pullPolicy @default ImagePullPolicy.IF_NOT_PRESENT (tags are pinned, so the node cache is safe)
   */
  public static of(repository: string, tag: string, pullPolicy = ImagePullPolicy.IF_NOT_PRESENT): ContainerImage {
    return new ContainerImage(repository, tag, pullPolicy);
  }

  private constructor(
    public readonly repository: string,
    public readonly tag: string,
    public readonly pullPolicy: ImagePullPolicy,
  ) {}

  /** The reference as written into a pod spec: `repository:tag`, or `repository@sha256:…` for a digest. */
  public get reference(): string {
    return this.isDigest ? `${this.repository}@${this.tag}` : `${this.repository}:${this.tag}`;
  }

  /** The tag is a digest (`sha256:…`): the image is pinned to its content. */
  private get isDigest(): boolean {
    return /^[a-z0-9]+([+._-][a-z0-9]+)*:/.test(this.tag);
  }

  /**
   * Problems with this reference, as sentences; empty when it is usable. The repository, tag and
   * digest follow the reference grammar the kubelet parses images with (lib/validation/image-reference.ts).
   */
  public problems(): string[] {
    const found: string[] = [];
    if (!Object.values(ImagePullPolicy).includes(this.pullPolicy)) {
      found.push(`pull policy "${this.pullPolicy}" is not one of ${Object.values(ImagePullPolicy).join(', ')}`);
    }
    if (typeof this.repository !== 'string' || typeof this.tag !== 'string') {
      found.push('repository and tag must be strings');
      return found;
    }
    const repository = repositoryProblem(this.repository);
    if (repository !== undefined) {
      found.push(repository);
    }
    if (this.tag === 'latest') {
      found.push('tag "latest" is not pinned; a moving tag makes the output mean different things on different days');
    } else {
      const tag = this.isDigest ? digestProblem(this.tag) : tagProblem(this.tag);
      if (tag !== undefined) {
        found.push(tag);
      }
    }
    return found;
  }
}
