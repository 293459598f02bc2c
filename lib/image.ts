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
    return this.tag.startsWith('sha256:') ? `${this.repository}@${this.tag}` : `${this.repository}:${this.tag}`;
  }

  /** Problems with this reference, as sentences; empty when it is usable. */
  public problems(): string[] {
    const found: string[] = [];
    if (!Object.values(ImagePullPolicy).includes(this.pullPolicy)) {
      found.push(`pull policy "${this.pullPolicy}" is not one of ${Object.values(ImagePullPolicy).join(', ')}`);
    }
    if (!/^[a-z0-9]+([._\-/:][a-z0-9]+)*$/.test(this.repository)) {
      found.push(`repository "${this.repository}" is not a valid image repository`);
    }
    if (this.tag === '' || this.tag === 'latest') {
      found.push(`tag "${this.tag}" is not pinned; a moving tag makes the output mean different things on different days`);
    } else if (!this.tag.startsWith('sha256:') && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(this.tag)) {
      found.push(`tag "${this.tag}" is not a valid image tag`);
    }
    return found;
  }
}
