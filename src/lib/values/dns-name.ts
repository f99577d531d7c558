import { quote, ValueError } from './value-error.ts';

/**
 * A DNS name as Kubernetes takes it (an RFC 1123 subdomain): dot-separated labels of lower-case
 * letters, digits and "-", each starting and ending with a letter or digit and at most 63
 * characters long, at most 253 characters in all. Every host name of the model (public host names,
 * CORS origins, URLs, registries, e-mail domains) and every name of an object the platform refers
 * to but does not create (StorageClass, VolumeSnapshotClass, ClusterSecretStore, Secret) is one.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
 */
export class DnsName {
  /** The syntax of one label, without its length limit (which a regular expression states badly). */
  public static readonly LABEL_SYNTAX = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
  public static readonly MAX_LABEL_LENGTH = 63;
  public static readonly MAX_LENGTH = 253;

  /** Parses `text`; throws a {@link ValueError} naming each label that is too long or malformed. */
  public static parse(text: string): DnsName {
    const reasons: string[] = [];
    const labels = text.split('.');
    if (text === '') reasons.push('is empty');
    else if (labels.includes('')) reasons.push('has an empty label (two dots in a row, or a dot at either end)');
    if (text.length > DnsName.MAX_LENGTH) reasons.push(`has ${text.length} characters, at most ${DnsName.MAX_LENGTH}`);
    const syntax = new RegExp(`^${DnsName.LABEL_SYNTAX}$`);
    for (const label of new Set(labels.filter((l) => l !== ''))) {
      // The whole name is quoted beside this reason: a label's start is enough to find it.
      const shown = quote(label, 24);
      if (label.length > DnsName.MAX_LABEL_LENGTH) {
        reasons.push(`label ${shown} has ${label.length} characters, at most ${DnsName.MAX_LABEL_LENGTH}`);
      }
      if (!syntax.test(label)) {
        reasons.push(`label ${shown} must be lower-case letters, digits and "-", starting and ending with a letter or digit`);
      }
    }
    if (reasons.length > 0) throw new ValueError(text, 'a DNS name (RFC 1123)', reasons);
    return new DnsName(text, labels);
  }

  private constructor(
    public readonly text: string,
    /** The labels, most specific first. */
    public readonly labels: readonly string[],
  ) {}

  public toString(): string {
    return this.text;
  }
}
