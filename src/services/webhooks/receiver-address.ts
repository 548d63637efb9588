import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Which addresses an outgoing request of ours (order webhooks) may reach. */
export interface ReceiverPolicy {
  /** Why `address` may not be reached, or undefined when it may: public, or allowed by the operator. */
  refusal(address: string): string | undefined;
}

type Family = 'ipv4' | 'ipv6';

/** Ranges that are not the public internet (IANA special-purpose registries), with what they are. */
const NON_PUBLIC: readonly (readonly [string, number, Family, string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 3, 'ipv4', 'multicast or reserved'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'unspecified or IPv4-compatible'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const RANGES = NON_PUBLIC.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, kind };
});

function familyOf(address: string): Family | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** The eight 16-bit groups of an IPv6 address (any notation, an IPv4 tail included). */
function hextets(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail !== null) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 one carries, where the network delivers to that IPv4 address: IPv4-mapped
 * (::ffff:a.b.c.d), NAT64 (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16, RFC 3056).
 */
function embeddedIpv4(address: string): string | undefined {
  const g = hextets(address);
  if (g.length !== 8) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return ipv4Of(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4Of(g6, g7);
  if (g0 === 0x2002) return ipv4Of(g1 ?? 0, g2 ?? 0);
  return undefined;
}

/** The address requests really go to: an IPv6 form of an IPv4 address is that IPv4 address. */
function effectiveAddress(address: string): { address: string; family: Family } | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = familyOf(bare);
  if (family === undefined) return undefined;
  const inner = family === 'ipv6' ? embeddedIpv4(bare) : undefined;
  return inner === undefined ? { address: bare, family } : { address: inner, family: 'ipv4' };
}

/** What kind of non-public address this is (loopback, private, link-local …); undefined when public. */
export function nonPublicKind(address: string): string | undefined {
  const effective = effectiveAddress(address);
  if (effective === undefined) return 'not an IP address';
  return RANGES.find((r) => r.family === effective.family && r.list.check(effective.address, r.family))?.kind;
}

/**
 * The policy: public addresses only, besides the operator's `allowed` addresses and ranges ("192.168.1.20",
 * "127.0.0.1/32", "fd00::/8"; WEBHOOK_PRIVATE_RECEIVERS, validated by the configuration).
 */
export function createReceiverPolicy(allowed: readonly string[]): ReceiverPolicy {
  const allowance = new BlockList();
  for (const entry of allowed) {
    const [network = '', prefix] = entry.split('/');
    const family = familyOf(network);
    if (family === undefined) continue;
    if (prefix === undefined) allowance.addAddress(network, family);
    else allowance.addSubnet(network, Number(prefix), family);
  }
  return {
    refusal(address) {
      const kind = nonPublicKind(address);
      if (kind === undefined) return undefined;
      const effective = effectiveAddress(address);
      const bare = address.replace(/^\[|\]$/g, '');
      const allows = (candidate: string | undefined) => {
        const family = candidate === undefined ? undefined : familyOf(candidate);
        return candidate !== undefined && family !== undefined && allowance.check(candidate, family);
      };
      if (allows(bare) || allows(effective?.address)) return undefined;
      return `${bare} is a ${kind} address (WEBHOOK_PRIVATE_RECEIVERS can allow a receiver on the shop's own network)`;
    },
  };
}

/** Every address a host name has now (the system resolver, as `getaddrinfo` answers). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * The addresses `url`'s host has now, every one checked by the policy (a name with one private address
 * among public ones is refused: which one a connection takes is not ours to choose); throws before any
 * connection is made when one is refused.
 */
export async function checkedAddresses(
  url: URL,
  receivers: ReceiverPolicy,
  resolve: ResolveHost = systemResolve,
): Promise<readonly { address: string; family: number }[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) === 0 ? await resolve(host) : [{ address: host, family: isIP(host) }];
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  for (const { address } of addresses) {
    const refusal = receivers.refusal(address);
    const named = isIP(host) === 0 ? ` to ${host}` : '';
    if (refusal !== undefined) throw new Error(`refused before connecting${named}: ${refusal}`);
  }
  return addresses;
}
