import { describe, expect, it } from 'vitest';
import { createReceiverPolicy, nonPublicKind } from './receiver-address.js';

describe('receiver addresses', () => {
  const refusedByDefault: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified or IPv4-compatible'],
    ['fc00::1', 'unique local (private)'],
    ['fdff:1234::1', 'unique local (private)'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a00:1]', 'private'],
    ['::ffff:192.168.0.10', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:c0a8:0001', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::1', 'loopback'],
  ];

  it('knows loopback, private, link-local and IPv4-in-IPv6 forms of them', () => {
    const policy = createReceiverPolicy([]);
    for (const [address, kind] of refusedByDefault) {
      expect(nonPublicKind(address), address).toBe(kind);
      expect(policy.refusal(address), address).toContain(`is a ${kind} address`);
    }
  });

  it('lets public addresses through', () => {
    const policy = createReceiverPolicy([]);
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(nonPublicKind(address), address).toBeUndefined();
      expect(policy.refusal(address), address).toBeUndefined();
    }
  });

  it('allows only the addresses and ranges the operator lists', () => {
    const policy = createReceiverPolicy(['127.0.0.1', '192.168.1.0/24', 'fd00::/8']);
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '192.168.1.77', 'fd12::5']) {
      expect(policy.refusal(address), address).toBeUndefined();
    }
    for (const address of ['127.0.0.2', '::1', '192.168.2.1', 'fc00::1', '10.0.0.1']) {
      expect(policy.refusal(address), address).toBeDefined();
    }
  });
});
