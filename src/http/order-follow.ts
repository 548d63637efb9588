import type { Hono } from 'hono';
import type { AppEnv } from './app.js';
import { escapeHtml } from './html.js';

/** Where the order pages' script and service worker are served; the worker's widest scope is `/o/`. */
export const ORDER_SCRIPT_PATH = '/o/order.js';
export const ORDER_WORKER_PATH = '/o/sw.js';

/**
 * The order page's own script: the live status (server-sent events, then the page's part fetched
 * again) and the opt-in to a "ready" notification. Without Web Push (in-app browsers, iOS outside a
 * Home Screen app) it says to keep the page open instead; without JavaScript the page refreshes itself.
 */
const ORDER_JS = `'use strict';
(function () {
  var live = document.getElementById('order-live');
  var follow = document.getElementById('follow');
  if (live && window.EventSource && window.fetch && live.getAttribute('data-final') !== '1') {
    var busy = false, again = false;
    var refresh = function () {
      if (busy) { again = true; return; }
      busy = true;
      fetch(location.pathname, { headers: { accept: 'text/html' }, cache: 'no-store' })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var next = new DOMParser().parseFromString(html, 'text/html');
          var part = next.getElementById('order-live');
          if (part) live.innerHTML = part.innerHTML;
          if (follow && !next.getElementById('follow')) follow.hidden = true;
        })
        .catch(function () {})
        .then(function () { busy = false; if (again) { again = false; refresh(); } });
    };
    var source = new EventSource(location.pathname + '/events');
    var connected = false;
    source.addEventListener('hello', function () { if (connected) refresh(); connected = true; });
    source.addEventListener('order', function (event) {
      refresh();
      if (event.data === 'final') source.close();
    });
  }
  var button = document.getElementById('push-on');
  var note = document.getElementById('push-note');
  if (!follow || !button || !note) return;
  var page = follow.getAttribute('data-page');
  var key = follow.getAttribute('data-key');
  var ua = navigator.userAgent;
  var inApp = /FBAN|FBAV|Instagram|Line\\/|MicroMessenger|Snapchat|TikTok|; wv\\)/.test(ua);
  var ios = /iPhone|iPad|iPod/.test(ua);
  var able = !inApp && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  var say = function (text) { note.textContent = text; };
  if (!able) {
    say(ios && !inApp
      ? 'On an iPhone a notification needs this page on your Home Screen (Share, then Add to Home Screen). Or keep this page open: it updates by itself.'
      : 'This browser cannot notify you. Keep this page open: it updates by itself.');
    return;
  }
  var done = function () {
    button.hidden = true;
    say('This phone gets a notification when your order is ready.');
  };
  var active = function (reg) {
    return new Promise(function (resolve) {
      var worker = reg.installing || reg.waiting;
      if (reg.active || !worker) { resolve(reg); return; }
      worker.addEventListener('statechange', function () { if (worker.state === 'activated') resolve(reg); });
    });
  };
  navigator.serviceWorker.getRegistration(page).then(function (reg) {
    return reg && reg.scope.endsWith(page) ? reg.pushManager.getSubscription() : null;
  }).then(function (sub) { if (sub) done(); else button.hidden = false; }, function () { button.hidden = false; });
  button.addEventListener('click', function () {
    button.disabled = true;
    say('Asking your browser…');
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== 'granted') throw new Error('not allowed');
        return navigator.serviceWorker.register('${ORDER_WORKER_PATH}', { scope: page });
      })
      .then(active)
      .then(function (reg) { return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }); })
      .then(function (sub) {
        return fetch(page + '/push', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sub) });
      })
      .then(function (res) { if (!res.ok) throw new Error('refused'); done(); })
      .catch(function () {
        button.disabled = false;
        say('Notifications could not be turned on here. Keep this page open: it updates by itself.');
      });
  });
})();
`;

/** The service worker of one order page's scope: shows the "ready" message, and a tap opens the page. */
const WORKER_JS = `'use strict';
self.addEventListener('push', function (event) {
  var message = {};
  try { message = event.data ? event.data.json() : {}; } catch (e) { message = {}; }
  var scope = self.registration.scope;
  var url = typeof message.url === 'string' && message.url.indexOf(self.location.origin + '/') === 0 ? message.url : scope;
  event.waitUntil(self.registration.showNotification(message.title || 'Your order', {
    body: message.body || '', tag: scope, renotify: true, data: { url: url }
  }));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || self.registration.scope;
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then(function (list) {
    for (var i = 0; i < list.length; i += 1) if (list[i].url === url && 'focus' in list[i]) return list[i].focus();
    return self.clients.openWindow(url);
  }));
});
`;

/** What the opt-in shows for one order. */
export interface FollowView {
  readonly orderId: string;
  /** The VAPID public key the browser subscribes with. */
  readonly vapidPublicKey: string;
  /** The shop emails customers (it has a mail server) and this order has no address yet. */
  readonly emailForm: boolean;
  /** What the last email request came to, said once after the form was sent. */
  readonly emailNote?: string | undefined;
  /** Shown away from the order page (after an approval): a link to it comes first. */
  readonly linked?: boolean;
}

/** The opt-in: a button for a notification on this phone (shown by the script), and an email form. */
export function followBlock(view: FollowView): string {
  const page = `/o/${view.orderId}`;
  const email = view.emailForm
    ? `<form method="post" action="${escapeHtml(page)}/email"><label for="email">Or email me a receipt now, and again when it is ready</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" maxlength="254" required>
<button type="submit" class="secondary">Email me when it’s ready</button></form>`
    : '';
  const note =
    view.emailNote === undefined ? '' : `<p class="hint" role="status">${escapeHtml(view.emailNote)}</p>`;
  const link = view.linked === true ? `<p><a href="${escapeHtml(page)}">Follow your order live</a></p>` : '';
  return `${link}<section id="follow" data-page="${escapeHtml(page)}" data-key="${escapeHtml(view.vapidPublicKey)}">
<h2 style="font-size:1.1rem">Know when it’s ready</h2>
<button type="button" id="push-on" hidden>Notify this phone when it’s ready</button>
<p class="hint" id="push-note">Keep this page open: it updates by itself.</p>${email}${note}</section>
<script src="${ORDER_SCRIPT_PATH}" defer></script>`;
}

/** The Content-Security-Policy of the pages that carry the opt-in: our own script, worker and requests only. */
export const FOLLOW_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; worker-src 'self'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Serves the script and the service worker (before `/o/:id`, which would take their paths). */
export function mountOrderFollowAssets(app: Hono<AppEnv>): void {
  const asset = (body: string) => () =>
    new Response(body, {
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
    });
  app.get(ORDER_SCRIPT_PATH, asset(ORDER_JS));
  app.get(ORDER_WORKER_PATH, asset(WORKER_JS));
}
