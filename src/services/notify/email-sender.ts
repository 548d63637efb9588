import type { EmailSettings } from '../../domain/shop-settings.js';

/** One plain-text email to one customer. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends through the shop's own mail server, as set on Settings at the moment of sending. */
export interface EmailSender {
  send(settings: EmailSettings, message: EmailMessage): Promise<void>;
}

/** Seconds a mail server may take to answer each step: a slow one never holds anything else up. */
const TIMEOUT_MS = 15_000;

/**
 * SMTP with `nodemailer`: one connection per email (a shop sends a handful an hour), TLS as the owner
 * chose it — `starttls` requires the upgrade, so a password never crosses the network in clear unless
 * the owner chose `none` for a server on their own network. nodemailer's own logger stays off: its
 * debug lines would carry the login.
 */
export function createEmailSender(): EmailSender {
  return {
    async send(settings, message) {
      // Loaded at the first email: a shop without email never holds nodemailer in memory.
      const { default: nodemailer } = await import('nodemailer');
      const transport = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.security === 'tls',
        requireTLS: settings.security === 'starttls',
        ignoreTLS: settings.security === 'none',
        ...(settings.user === '' ? {} : { auth: { user: settings.user, pass: settings.password } }),
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
        logger: false,
      });
      try {
        await transport.sendMail({ from: settings.from, ...message });
      } finally {
        transport.close();
      }
    },
  };
}
