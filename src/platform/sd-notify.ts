import { execFile } from 'node:child_process';
import type { Logger } from './logger.js';

/**
 * The systemd notify protocol (sd_notify(3)): newline-separated `KEY=VALUE` datagrams to the AF_UNIX
 * socket named by `NOTIFY_SOCKET`. Node cannot send on a unix datagram socket (its `dgram` speaks UDP
 * only, nodejs/node #29339), so each message goes through systemd's own `systemd-notify`, which waits
 * on the manager's barrier (systemd ≥ 246) and so is attributed to the unit while it still runs. Its
 * sender is a child process, not the main PID: the unit needs `NotifyAccess=all` (docs/development.md, "The service").
 */
export interface SdNotify {
  /** true when a service manager listens (NOTIFY_SOCKET is set); every call is a no-op otherwise. */
  readonly enabled: boolean;
  /** Half of WATCHDOG_USEC when the manager expects watchdog pings from this process. */
  readonly watchdogIntervalMs: number | undefined;
  /** Sends one message: `{ READY: '1', STATUS: 'serving' }` → "READY=1\nSTATUS=serving". Never throws. */
  notify(fields: Readonly<Record<string, string>>): Promise<boolean>;
  /** Sends WATCHDOG=1 every `watchdogIntervalMs` while `healthy()` answers true; returns the stopper. */
  startWatchdog(healthy: () => boolean): () => void;
}

/** Delivers one message to the manager; resolves once it was taken, rejects when it was not. */
export type NotifySender = (message: string, socket: string) => Promise<void>;

export interface SdNotifyDeps {
  /** The process environment: NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This process's id, to tell whether WATCHDOG_PID means us. */
  readonly pid: number;
  readonly log: Logger;
  /** How a message leaves; `systemd-notify` by default. */
  readonly send?: NotifySender;
}

/** A stuck `systemd-notify` is given up after this; its own barrier waits at most 5 s. */
const SEND_TIMEOUT_MS = 10_000;

/** Sends through `systemd-notify KEY=VALUE…` with NOTIFY_SOCKET in its environment. */
export function systemdNotifySender(command = 'systemd-notify'): NotifySender {
  return (message, socket) =>
    new Promise((resolve, reject) => {
      execFile(
        command,
        message.split('\n'),
        {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NOTIFY_SOCKET: socket },
          timeout: SEND_TIMEOUT_MS,
        },
        (error, _stdout, stderr) => {
          if (error === null) resolve();
          else reject(new Error(`${command} failed: ${stderr.trim() || error.message}`, { cause: error }));
        },
      );
    });
}

/** Half the watchdog timeout, when WATCHDOG_USEC is set for this process (sd_watchdog_enabled(3)). */
export function watchdogInterval(env: SdNotifyDeps['env'], pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** The notify client of `counterpi start`; does nothing when not started by systemd. */
export function createSdNotify(deps: SdNotifyDeps): SdNotify {
  const socket = deps.env.NOTIFY_SOCKET;
  const enabled = socket !== undefined && socket !== '';
  const send = deps.send ?? systemdNotifySender();
  const watchdogIntervalMs = enabled ? watchdogInterval(deps.env, deps.pid) : undefined;

  async function notify(fields: Readonly<Record<string, string>>): Promise<boolean> {
    if (!enabled || socket === undefined) return false;
    // A newline inside a value would start a new assignment (sd_notify(3)); STATUS text is one line.
    const message = Object.entries(fields)
      .map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}`)
      .join('\n');
    try {
      await send(message, socket);
      return true;
    } catch (error) {
      deps.log.warn({ err: error, message }, 'could not notify systemd');
      return false;
    }
  }

  function startWatchdog(healthy: () => boolean): () => void {
    if (watchdogIntervalMs === undefined) return () => {};
    let inFlight = false;
    let failing = false;
    // The timer only fires while the event loop turns: a blocked loop stops the pings by itself.
    const timer = setInterval(() => {
      if (inFlight) return;
      let ok: boolean;
      try {
        ok = healthy();
      } catch (error) {
        deps.log.error({ err: error }, 'health check failed; not pinging the systemd watchdog');
        ok = false;
      }
      if (ok !== !failing) {
        failing = !ok;
        if (failing) deps.log.error('unhealthy: withholding watchdog pings, systemd restarts counterpi');
        else deps.log.info('healthy again: watchdog pings resumed');
      }
      if (!ok) return;
      inFlight = true;
      void notify({ WATCHDOG: '1' }).finally(() => {
        inFlight = false;
      });
    }, watchdogIntervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  return { enabled, watchdogIntervalMs, notify, startWatchdog };
}
