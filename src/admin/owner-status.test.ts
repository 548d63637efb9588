import { describe, expect, it } from 'vitest';
import {
  localTimes,
  orderingState,
  ownerStatus,
  powerWords,
  printerWords,
  signalsWords,
} from './owner-status.js';

const shopTime = (instant: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(
    instant,
  );

describe('the status panel’s words', () => {
  it('rewrites machine times in the shop’s time, and nothing else', () => {
    expect(localTimes('last backup 2026-11-24T08:30:00.000Z (counterpi-2026-11-24.db)', shopTime)).toBe(
      'last backup 08:30 (counterpi-2026-11-24.db)',
    );
  });

  it('says why orders do not come in, and when they open again', () => {
    const nextOpening = new Date('2026-11-25T09:00:00Z');
    expect(orderingState({ openNow: false, pausedByOwner: false, nextOpening }, undefined, shopTime)).toEqual(
      {
        paused: false,
        tone: 'off',
        text: 'Closed now by the opening hours; orders open again 09:00.',
      },
    );
    expect(
      orderingState({ openNow: true, pausedByOwner: true, nextOpening: undefined }, undefined, shopTime).tone,
    ).toBe('warn');
    expect(
      orderingState(
        { openNow: true, pausedByOwner: false, nextOpening: undefined },
        'the memory card is short of space',
        shopTime,
      ).tone,
    ).toBe('bad');
  });

  it('names a printer that does not print, with its waiting tickets, and a missing one as not set up', () => {
    const tcp = { kind: 'tcp', host: '192.168.1.50', port: 9100 } as const;
    const offline = { name: 'printer', ok: false, detail: 'offline: no answer; 3 ticket(s) waiting' };
    expect(printerWords(tcp, offline)).toEqual({
      name: 'Kitchen printer',
      tone: 'bad',
      text: 'Not printing: no answer. 3 tickets wait and print by themselves once it works.',
    });
    expect(printerWords({ kind: 'sim' }, { name: 'printer', ok: true, detail: 'online' }).tone).toBe('off');
  });

  it('never shows the pins’ jargon', () => {
    const sim = { port: 'sim', ok: true, error: undefined, led: 'off', unacknowledged: 0 } as const;
    expect(signalsWords(sim).text).not.toMatch(/sim|LED off|switch/);
    const broken = { ...sim, port: 'onoff', ok: false, error: 'EACCES on gpiochip0' } as const;
    expect(signalsWords(broken)).toMatchObject({ tone: 'bad' });
  });

  it('gives each station printer a line, and judges the main printer by its own state alone', () => {
    const lines = ownerStatus({
      lines: [
        {
          name: 'printer',
          ok: false,
          detail:
            'online: last ticket printed; 2 ticket(s) waiting; Grill printer offline: connection refused',
        },
      ],
      reach: { tone: 'ok', words: 'Assistants can reach the shop.' },
      printer: { kind: 'tcp', host: '192.168.1.50', port: 9100 },
      signals: { port: 'sim', ok: true, error: undefined, led: 'off', unacknowledged: 0 },
      webhookReceivers: 0,
      formatTime: shopTime,
      printers: [
        { station: undefined, status: 'online', reason: 'last ticket printed', waiting: 0 },
        { station: 'Grill', status: 'offline', reason: 'connection refused', waiting: 2 },
        { station: 'Drinks', status: 'online', reason: 'last ticket printed', waiting: 0 },
      ],
    });
    expect(lines.slice(0, 3)).toEqual([
      { id: 'printer', name: 'Kitchen printer', tone: 'ok', text: 'Ready to print.' },
      {
        id: 'printer-1',
        name: 'Grill printer',
        tone: 'bad',
        text: 'Grill printer is offline: connection refused. 2 Grill ticket(s) wait and print by themselves once it is back. The other stations print as usual.',
      },
      { id: 'printer-2', name: 'Drinks printer', tone: 'ok', text: 'Ready to print.' },
    ]);
  });

  it('leaves out webhooks nobody set up, and keeps any other part /ready reports', () => {
    const lines = ownerStatus({
      lines: [
        { name: 'webhooks', ok: true, detail: '0 pending (0 retrying), 0 given up in the last 24 h' },
        { name: 'clock', ok: false, detail: 'not synchronised since 2026-11-24T08:00:00Z' },
      ],
      reach: { tone: 'ok', words: 'Assistants can reach the shop.' },
      printer: { kind: 'sim' },
      signals: { port: 'sim', ok: true, error: undefined, led: 'off', unacknowledged: 0 },
      webhookReceivers: 0,
      formatTime: shopTime,
    });
    expect(lines.map((l) => l.id)).toEqual(['printer', 'gpio', 'tunnel', 'clock']);
    expect(lines.at(-1)).toEqual({
      id: 'clock',
      name: 'Clock',
      tone: 'bad',
      text: 'Not synchronised since 08:00',
    });
  });

  it('says the power supply from the firmware flags themselves', () => {
    const flags = {
      underVoltageNow: false,
      cappedNow: false,
      throttledNow: false,
      softTempLimitNow: false,
      underVoltageSinceBoot: true,
      cappedSinceBoot: false,
      throttledSinceBoot: false,
      softTempLimitSinceBoot: false,
    };
    expect(powerWords({ kind: 'absent' }).tone).toBe('off');
    expect(powerWords({ kind: 'read', bits: 0x10000, flags })).toMatchObject({
      tone: 'bad',
      text: 'The Pi is short of power at least once since it was switched on: use the official power supply.',
    });
    expect(
      powerWords({ kind: 'read', bits: 0, flags: { ...flags, underVoltageSinceBoot: false } }).tone,
    ).toBe('ok');
  });
});
