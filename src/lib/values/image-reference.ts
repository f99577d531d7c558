/**
 * An OCI image reference. Rendered as `repository:tag@digest` when a digest is known: the
 * runtime pulls by digest, and the tag stays for the reader.
 */
export class ImageReference {
  public static of(props: { readonly repository: string; readonly tag: string; readonly digest?: string }): ImageReference {
    return new ImageReference(props.repository, props.tag, props.digest);
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
