import { isIP, SocketAddress } from 'node:net';
import { quote, ValueError } from './value-error.ts';

/** An address as a number of `bits` bits. */
function addressBits(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n);
  // isIP accepted it, so it is hextets with at most one "::" and maybe a dotted IPv4 tail.
  const groups = (part: string): bigint[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => (g.includes('.') ? [addressBits(g, 4) >> 16n, addressBits(g, 4) & 0xffffn] : [BigInt(`0x${g}`)]));
  const [head, tail] = address.split('::') as [string, string | undefined];
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...Array<bigint>(8 - before.length - after.length).fill(0n), ...after];
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

/** The canonical text of an address given as a number (RFC 5952 for IPv6, as Node writes it). */
function addressText(bits: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
  const hextets = Array.from({ length: 8 }, (_, i) => ((bits >> BigInt(16 * (7 - i))) & 0xffffn).toString(16));
  return new SocketAddress({ address: hextets.join(':'), family: 'ipv6' }).address;
}

/**
 * An IPv4 or IPv6 network in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), as a
 * NetworkPolicy `ipBlock.cidr` takes it. Addresses are checked by `node:net`; the address must be
 * the network's own (no host bits set), and IPv6 zones (`%eth0`) are refused.
 */
export class Cidr {
  /** Parses `text`; throws a {@link ValueError} saying what is wrong (and the network meant, if host bits are set). */
  public static parse(text: string): Cidr {
    const fail = (reason: string): never => {
      throw new ValueError(text, 'an IPv4 or IPv6 CIDR', [reason]);
    };
    const slash = text.indexOf('/');
    if (slash < 0) fail('has no prefix length ("/24", "/32", "/64", ...)');
    const address = text.slice(0, slash);
    const prefix = text.slice(slash + 1);
    const family = isIP(address);
    if ((family !== 4 && family !== 6) || address.includes('%')) fail(`${quote(address)} is not an IPv4 or IPv6 address`);
    const width = family === 4 ? 32 : 128;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > width) fail(`prefix length ${quote(prefix)} is not a number from 0 to ${width}`);
    const length = Number(prefix);
    const bits = addressBits(address, family as 4 | 6);
    const hostMask = (1n << BigInt(width - length)) - 1n;
    const network = addressText(bits & ~hostMask, family as 4 | 6);
    if ((bits & hostMask) !== 0n) fail(`host bits are set (did you mean ${network}/${length}?)`);
    return new Cidr(network, length, family as 4 | 6, bits);
  }

  private constructor(
    /** The network address, canonical (`2001:db8::`, never `2001:0DB8:0::`). */
    public readonly address: string,
    public readonly prefixLength: number,
    public readonly family: 4 | 6,
    /** The network address as a number. */
    private readonly bits: bigint,
  ) {}

  /** Whether `other` lies inside this network (a network contains itself). */
  public contains(other: Cidr): boolean {
    if (other.family !== this.family || other.prefixLength < this.prefixLength) return false;
    const shift = BigInt((this.family === 4 ? 32 : 128) - this.prefixLength);
    return other.bits >> shift === this.bits >> shift;
  }

  /** Canonical CIDR text: two spellings of one network give the same string. */
  public toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }
}
