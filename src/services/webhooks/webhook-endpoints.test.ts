import { describe, expect, it } from 'vitest';
import { demoStore } from '../../../test/helpers/demo-store.js';
import { isAppError } from '../../domain/app-error.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createWebhookRepo } from '../../store/webhook-repo.js';
import { createReceiverPolicy } from './receiver-address.js';
import { createWebhookEndpoints } from './webhook-endpoints.js';

function endpoints(allowed: readonly string[] = []) {
  const { store, clock } = demoStore();
  return createWebhookEndpoints({
    repo: createWebhookRepo({ store }),
    clock,
    ids: createSequentialIds(),
    receivers: createReceiverPolicy(allowed),
  });
}

/** The message of the invalid_input an add throws; fails the test when it is accepted. */
function refusalOf(add: () => unknown): string {
  try {
    add();
  } catch (error) {
    if (isAppError(error, 'invalid_input')) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('adding a webhook receiver', () => {
  it('refuses loopback, private and link-local addresses by default, in every notation', () => {
    const hooks = endpoints();
    const cases: [string, string][] = [
      ['https://127.0.0.1/hooks', 'loopback'],
      ['https://localhost:8443/hooks', 'loopback'],
      ['https://shop.localhost/hooks', 'loopback'],
      ['https://10.0.0.5/hooks', 'private'],
      ['https://192.168.1.20/hooks', 'private'],
      ['https://169.254.169.254/latest', 'link-local'],
      ['https://[::1]/hooks', 'loopback'],
      ['https://[fc00::1]/hooks', 'unique local (private)'],
      ['https://[fd12:3456::1]/hooks', 'unique local (private)'],
      ['https://[fe80::1]/hooks', 'link-local'],
      ['https://[::ffff:127.0.0.1]/hooks', 'loopback'],
      ['https://[::ffff:a9fe:a9fe]/hooks', 'link-local'],
      ['https://[::ffff:192.168.0.1]/hooks', 'private'],
      ['http://127.0.0.1:8080/hooks', 'loopback'],
    ];
    for (const [url, kind] of cases) {
      const message = refusalOf(() => hooks.add(url));
      expect(message, url).toContain(`cannot receive webhooks: `);
      expect(message, url).toContain(`is a ${kind} address (WEBHOOK_PRIVATE_RECEIVERS can allow`);
    }
    expect(hooks.list()).toEqual([]);
  });

  it('takes public https receivers, and http only to an address the operator allows', () => {
    expect(endpoints().add('https://hooks.example.com/orders').endpoint.url).toBe(
      'https://hooks.example.com/orders',
    );
    expect(endpoints().add('https://93.184.216.34/orders').endpoint.url).toBe('https://93.184.216.34/orders');
    expect(refusalOf(() => endpoints().add('http://hooks.example.com/orders'))).toContain('https only');
    expect(refusalOf(() => endpoints().add('http://93.184.216.34/orders'))).toContain('https only');
    const lan = endpoints(['192.168.1.0/24', '127.0.0.1', '::1']);
    expect(lan.add('http://192.168.1.20:8080/hooks').endpoint.url).toBe('http://192.168.1.20:8080/hooks');
    expect(lan.add('http://localhost:9000/hooks').endpoint.url).toBe('http://localhost:9000/hooks');
    expect(refusalOf(() => lan.add('https://192.168.2.1/hooks'))).toContain('private address');
  });
});
