/*
 * IPv4 and IPv6 CIDR blocks as numbers, so the network constructs can tell which block lies
 * inside which: an ipBlock's `except` entries must be strict subsets of its `cidr`, and a list of
 * excluded ranges serves one family's block only.
 */

/** A parsed CIDR block: its family, its first address and its prefix length. */
export interface CidrBlock {
  readonly family: 4 | 6;
  /** The block's first address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
}

/** Hex groups with at most one `::`; the dotted IPv4 tail form is not accepted. */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** An address of either family as a number, or undefined when `text` is neither. */
function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `a.b.c.d/n` or `x:y::z/n`; throws naming the text when it is neither. */
export function parseCidr(text: string): CidrBlock {
  const [address, bits, extra] = text.split('/');
  const parsed = parseAddress(address ?? '');
  const prefix = Number(bits);
  if (!parsed || extra !== undefined || !/^\d{1,3}$/.test(bits ?? '') || prefix > BITS[parsed.family]) {
    throw new Error(`not an IPv4 or IPv6 CIDR: "${text}"`);
  }
  const hostBits = BigInt(BITS[parsed.family] - prefix);
  return { family: parsed.family, network: (parsed.value >> hostBits) << hostBits, prefix };
}

/** Whether `inner` lies inside `outer` (a block contains itself). */
export function cidrContains(outer: CidrBlock, inner: CidrBlock): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const hostBits = BigInt(BITS[outer.family] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}
