/**
 * An OCI image reference. Rendered as `repository:tag@digest` when a digest is known: the
 * runtime pulls by digest, and the tag stays for the reader (`repository@digest` when only the
 * digest is known).
 */
export class ImageReference {
  public static of(props: { readonly repository: string; readonly tag: string; readonly digest?: string }): ImageReference {
    return new ImageReference(props.repository, props.tag, props.digest);
  }

  /**
   * A reference as written, `repository[:tag][@digest]` (`public.ecr.aws/aws-cli/aws-cli@sha256:...`):
   * the tag is the text after the last ":" of the last path component, the digest after "@".
   * Throws when it names neither a tag nor a digest.
   */
  public static parse(reference: string): ImageReference {
    const at = reference.indexOf('@');
    const name = at < 0 ? reference : reference.slice(0, at);
    const digest = at < 0 ? undefined : reference.slice(at + 1);
    const colon = name.lastIndexOf(':');
    const tagged = colon > name.lastIndexOf('/');
    const repository = tagged ? name.slice(0, colon) : name;
    const tag = tagged ? name.slice(colon + 1) : undefined;
    if (repository === '' || (tag === undefined && digest === undefined) || tag === '' || digest === '') {
      throw new Error(`image reference must be repository:tag, repository@digest or repository:tag@digest, got "${reference}"`);
    }
    return new ImageReference(repository, tag, digest);
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
    /** Undefined for a reference by digest alone. */
    public readonly tag: string | undefined,
    public readonly digest: string | undefined,
  ) {}

  /** True when the image is pulled by content digest. */
  public get pinned(): boolean {
    return this.digest !== undefined;
  }

  public toString(): string {
    return `${this.repository}${this.tag === undefined ? '' : `:${this.tag}`}${this.digest ? `@${this.digest}` : ''}`;
  }
}
