import { EMAIL_DEFAULTS } from '../domain/shop-settings.js';
import { wholeNumber } from './form-read.js';
import type { SectionForm } from './settings-form.js';

/**
 * The email form: the shop's own mail server for customers' receipts and "ready" emails. The password
 * is never put back into the page: an empty password field keeps the one saved.
 */
export const emailForm: SectionForm<'email'> = {
  key: 'email',
  values: (s) => {
    const e = s.email ?? EMAIL_DEFAULTS;
    return {
      enabled: e.enabled ? 'on' : '',
      host: e.host,
      port: String(e.port),
      security: e.security,
      user: e.user,
      password: '',
      from: e.from,
    };
  },
  build: (v, s) => {
    const saved = s.email ?? EMAIL_DEFAULTS;
    const security = v.security === 'tls' || v.security === 'none' ? v.security : 'starttls';
    return {
      value: {
        enabled: v.enabled === 'on',
        host: (v.host ?? '').trim(),
        port: wholeNumber(v.port ?? ''),
        security,
        user: (v.user ?? '').trim(),
        password: v.password === undefined || v.password === '' ? saved.password : v.password,
        from: (v.from ?? '').trim(),
      },
    };
  },
};
