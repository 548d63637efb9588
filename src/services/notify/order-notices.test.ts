import { afterEach, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import { browserSubscription, decryptPush, startPushService } from '../../../test/helpers/push-service.js';
import { startSmtpReceiver } from '../../../test/helpers/smtp-receiver.js';
import { EMAIL_DEFAULTS } from '../../domain/shop-settings.js';
import { createLogger } from '../../platform/logger.js';
import { createNoticesRepo } from '../../store/notices-repo.js';
import { createReceiverPolicy } from '../webhooks/receiver-address.js';
import { createCheckedFetch } from '../webhooks/webhook-transport.js';
import { createEmailSender } from './email-sender.js';
import { createOrderNotices, MAX_PUSHES_PER_ORDER } from './order-notices.js';
import { createPushSender } from './push-sender.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const demo = demoOrders();
  const push = await startPushService();
  closers.push(push.close);
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  const repo = createNoticesRepo({ store: demo.store });
  const notices = createOrderNotices({
    repo,
    orderEvents: demo.orderEvents,
    order: (id) => demo.ordersRepo.get(id),
    shop: demo.shop,
    push: createPushSender({
      vapid: webPush.generateVAPIDKeys(),
      subject: 'mailto:owner@burgers.example.com',
      fetch: createCheckedFetch({ receivers: createReceiverPolicy(['127.0.0.1/32']) }),
    }),
    email: createEmailSender(),
    orderUrl: (id) => `https://burgers.example.com/o/${id}`,
    clock: demo.clock,
    log,
  });
  const paidOrder = () => {
    const who = { subject: 'ada' };
    const { order } = demo.orders.create(who, [{ itemId: 'cheeseburger', quantity: 1 }], {
      customerName: 'Ada',
      customerPhone: '+15555550123',
    });
    demo.orders.place(who, order.id);
    demo.orders.transitionById(order.id, 'approve', 'test', { method: 'demo_card' });
    return order.id;
  };
  return { ...demo, push, lines, repo, notices, paidOrder };
}

describe('telling the customer their order is ready', () => {
  it('pushes each subscription once when ready, forgets one the push service says is gone, logs origins only', async () => {
    const s = await setup();
    const id = s.paidOrder();
    const phone = browserSubscription(`${s.push.origin}/push/phone-secret-a1`);
    const old = browserSubscription(`${s.push.origin}/push/gone-secret-b2`);
    expect(s.notices.subscribePush(id, phone.toJSON())).toBe('saved');
    expect(s.notices.subscribePush(id, old.toJSON())).toBe('saved');
    s.push.answer((path) => (path.includes('gone') ? 410 : 201));
    s.orders.transitionById(id, 'mark_ready', 'owner');
    // The move has returned and committed; nothing was sent inside it.
    expect(s.push.received).toHaveLength(0);
    await s.notices.idle();
    expect(s.push.received.map((m) => m.path).sort()).toEqual([
      '/push/gone-secret-b2',
      '/push/phone-secret-a1',
    ]);
    const mine = s.push.received.find((m) => m.path.includes('phone'));
    expect(JSON.parse(decryptPush(mine?.body ?? Buffer.alloc(0), phone)).title).toMatch(
      /^Order \w+ is ready$/,
    );
    expect(s.repo.pushesOf(id).map((p) => p.endpoint)).toEqual([phone.toJSON().endpoint]);
    const logged = s.lines.join('');
    expect(logged).toContain(s.push.origin);
    expect(logged).not.toContain('secret');
  });

  it('takes subscriptions only while the order can still become ready, a few per order', async () => {
    const s = await setup();
    const id = s.paidOrder();
    for (let i = 0; i < MAX_PUSHES_PER_ORDER; i += 1) {
      expect(s.notices.subscribePush(id, browserSubscription(`${s.push.origin}/p/${i}`).toJSON())).toBe(
        'saved',
      );
    }
    expect(s.notices.subscribePush(id, browserSubscription(`${s.push.origin}/p/x`).toJSON())).toBe('full');
    // The same phone again only refreshes its keys.
    expect(s.notices.subscribePush(id, browserSubscription(`${s.push.origin}/p/0`).toJSON())).toBe('saved');
    s.orders.transitionById(id, 'mark_ready', 'owner');
    s.orders.transitionById(id, 'collect', 'owner');
    await s.notices.idle();
    expect(s.repo.pushesOf(id)).toEqual([]);
    expect(s.notices.subscribePush(id, browserSubscription(`${s.push.origin}/p/late`).toJSON())).toBe(
      'closed',
    );
    expect(s.notices.subscribePush('ord_unknown', browserSubscription(`${s.push.origin}/p/u`).toJSON())).toBe(
      'closed',
    );
  });

  it('refuses a push service on the shop’s own network unless allowed, and logs it without the path', async () => {
    const s = await setup();
    const id = s.paidOrder();
    const inside = browserSubscription('http://192.168.1.20:9100/secret-path');
    expect(s.notices.subscribePush(id, inside.toJSON())).toBe('saved');
    s.orders.transitionById(id, 'mark_ready', 'owner');
    await s.notices.idle();
    const logged = s.lines.join('');
    expect(logged).toContain('ready push not delivered');
    expect(logged).toContain('http://192.168.1.20:9100');
    expect(logged).not.toContain('secret-path');
  });

  it('emails only while the shop has a mail server, once per order, and logs a refused login without the password', async () => {
    const s = await setup();
    const id = s.paidOrder();
    expect(s.notices.askEmail(id, 'ada@example.com')).toBe('off');
    const smtp = await startSmtpReceiver({ user: 'shop', pass: 'right password' });
    closers.push(smtp.close);
    const settings = {
      ...EMAIL_DEFAULTS,
      enabled: true,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none' as const,
    };
    s.settings.saveSection('email', {
      ...settings,
      user: 'shop',
      password: 'wrong password 9',
      from: 'orders@b.example',
    });
    s.shop.refresh();
    expect(s.notices.askEmail(id, 'ada@example.com')).toBe('saved');
    expect(s.notices.askEmail(id, 'eve@example.com')).toBe('already');
    await s.notices.idle();
    expect(smtp.received).toHaveLength(0);
    const logged = s.lines.join('');
    expect(logged).toContain('customer email not sent');
    expect(logged).not.toContain('wrong password 9');
    expect(logged).not.toContain('ada@example.com');
  });
});
