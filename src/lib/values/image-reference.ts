/**
 * An OCI image reference. Rendered as `repository:tag@digest` when a digest is known: the
 * runtime pulls by digest, and the tag stays for the reader.
 */
export class ImageReference {
  public static of(props: { readonly repository: string; readonly tag: string; readonly digest?: string }): ImageReference {
    return new ImageReference(props.repository, props.tag, props.digest);
  }

  /**
   * The registry a repository names (`ghcr.io`, `registry.local:5000`), or undefined for Docker
   * Hub's short form (`envoyproxy/envoy`): as in distribution/reference, the first path component
   * is a registry when it holds a "." or ":" or is `localhost`.
   */
  public static registryOf(repository: string): string | undefined {
    const slash = repository.indexOf('/');
    const first = slash < 0 ? '' : repository.slice(0, slash);
    return /[.:]/.test(first) || first === 'localhost' ? first : undefined;
  }

  private constructor(
    public readonly repository: string,
    public readonly tag: string,
    public readonly digest: string | undefined,
  ) {}

  /** True when the image is pulled by content digest. */
  public get pinned(): boolean {
    return this.digest !== undefined;
  }

  public toString(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }
}
