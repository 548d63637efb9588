import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** A comment line this often keeps tunnels and proxies from closing a quiet stream. */
export const KEEPALIVE_MS = 25_000;

/** One server-sent event; `last` ends the stream after it (nothing more will happen). */
export interface LiveEvent {
  readonly event: string;
  readonly data: string;
  /** The event id a reconnecting browser sends back as Last-Event-ID. */
  readonly id?: string;
  readonly last?: boolean;
}

/**
 * A feed's subscription for one stream: `push` queues an event, `closed` ends the stream (shutdown).
 * Returns how to unsubscribe, or undefined when the feed is full.
 */
export type LiveSubscribe = (
  push: (event: LiveEvent) => void,
  closed: () => void,
) => (() => void) | undefined;

/**
 * An event stream (`text/event-stream`) of what a feed pushes: a `hello` first (with the reconnect
 * delay), each event in order, a keep-alive comment when quiet, until the client leaves, the feed
 * closes or a `last` event went out; the subscription always ends with it. A full feed is answered
 * 503 with Retry-After, before any stream is opened.
 */
export function liveStream(c: Context, subscribe: LiveSubscribe, keepAliveMs = KEEPALIVE_MS): Response {
  let finish = () => {};
  const finished = new Promise<'end'>((resolve) => {
    finish = () => resolve('end');
  });
  const pending: LiveEvent[] = [];
  let wake = () => {};
  const unsubscribe = subscribe((event) => {
    pending.push(event);
    wake();
  }, finish);
  if (unsubscribe === undefined) {
    c.header('Retry-After', '30');
    return c.text('Too many pages are following live right now; this page refreshes by itself.', 503);
  }
  return streamSSE(c, async (stream) => {
    stream.onAbort(finish);
    let timer: NodeJS.Timeout | undefined;
    try {
      await stream.writeSSE({ event: 'hello', data: 'live', retry: 5000 });
      for (;;) {
        for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
          await stream.writeSSE({
            event: next.event,
            data: next.data,
            ...(next.id === undefined ? {} : { id: next.id }),
          });
          if (next.last === true) return;
        }
        const woke = new Promise<'wake'>((resolve) => {
          wake = () => resolve('wake');
        });
        const tick = new Promise<'tick'>((resolve) => {
          timer = setTimeout(() => resolve('tick'), keepAliveMs);
        });
        const why = await Promise.race([finished, woke, tick]);
        clearTimeout(timer);
        if (why === 'end') break;
        if (why === 'tick') await stream.write(': keep-alive\n\n');
      }
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  });
}
