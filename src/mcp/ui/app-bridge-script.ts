/*
 * The host bridge both counterpi widgets inline: a minimal MCP Apps "View" runtime, no SDK, no network.
 *
 * Spec followed: SEP-1865 "MCP Apps", extension `io.modelcontextprotocol/ui`, stable revision 2026-01-26
 * (github.com/modelcontextprotocol/ext-apps, specification/2026-01-26/apps.mdx), cross-checked against the
 * reference SDK in the same repository (src/app.ts, src/spec.types.ts, src/generated/schema.ts,
 * src/message-transport.ts). ChatGPT implements the same `ui/*` bridge
 * (developers.openai.com/apps-sdk/reference, "MCP Apps UI bridge"); `window.openai` is not used.
 *
 * Wire contract used here (JSON-RPC 2.0 over `window.parent.postMessage(msg, '*')`, "Communication Protocol"):
 * - View → Host requests: `ui/initialize` {appInfo, appCapabilities, protocolVersion: '2026-01-26'} →
 *   {protocolVersion, hostInfo, hostCapabilities, hostContext}; then the notification
 *   `ui/notifications/initialized`. `tools/call` {name, arguments} → CallToolResult (proxied by the host to
 *   our MCP server). `ui/message` {role: 'user', content: ContentBlock[]} (the SDK schema takes an array;
 *   the spec prose shows one block). `ui/update-model-context` {content?, structuredContent?}.
 *   `ui/open-link` {url}; results may carry `isError: true`.
 * - View → Host notification: `ui/notifications/size-changed` {width, height} ("Container Dimensions").
 * - Host → View notifications: `ui/notifications/tool-input` {arguments}, `…/tool-input-partial`,
 *   `…/tool-result` (a CallToolResult with structuredContent), `…/tool-cancelled` {reason},
 *   `…/host-context-changed` (partial HostContext: theme 'light'|'dark', styles.variables).
 * - Host → View requests: `ping` → {}, `ui/resource-teardown` → {}.
 * - Messages are accepted only from `window.parent` (the host or its sandbox proxy), as the SDK's
 *   PostMessageTransport does.
 * - `hostCapabilities.openLinks` says `ui/open-link` works; `hostCapabilities.sandbox.csp.resourceDomains`
 *   lists the origins the host let us load images from.
 */

/** JavaScript (a classic script body) defining `createAppBridge(options)`, `textOf(result)` and `el(…)`. */
export const APP_BRIDGE_SCRIPT = String.raw`
var PROTOCOL_VERSION = '2026-01-26';

function textOf(result) {
  var blocks = result && Array.isArray(result.content) ? result.content : [];
  return blocks
    .filter(function (b) { return b && b.type === 'text' && typeof b.text === 'string'; })
    .map(function (b) { return b.text; })
    .join('\n');
}

function el(tag, props, children) {
  var node = document.createElement(tag);
  var p = props || {};
  Object.keys(p).forEach(function (key) {
    var value = p[key];
    if (value === undefined || value === null || value === false) return;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key === 'on') Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  (children || []).forEach(function (child) {
    if (child === undefined || child === null || child === false) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}

function createAppBridge(options) {
  var host = window.parent;
  var nextId = 1;
  var pending = new Map();
  var hostCapabilities = {};
  var hostContext = {};

  function post(message) { host.postMessage(message, '*'); }

  function request(method, params, timeoutMs) {
    var id = nextId++;
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        pending.delete(id);
        reject(new Error('No answer from the chat app (' + method + ')'));
      }, timeoutMs || 30000);
      pending.set(id, { resolve: resolve, reject: reject, timer: timer });
      post({ jsonrpc: '2.0', id: id, method: method, params: params || {} });
    });
  }

  function notify(method, params) { post({ jsonrpc: '2.0', method: method, params: params || {} }); }

  function call(handler, value) {
    if (typeof handler === 'function') handler(value);
  }

  var root = document.documentElement;
  var osDark = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function applyTheme(theme) {
    root.setAttribute('data-theme', theme);
    root.style.colorScheme = theme;
  }

  // The OS preference until the host names a theme; the host's theme wins from then on.
  applyTheme(osDark && osDark.matches ? 'dark' : 'light');
  if (osDark && typeof osDark.addEventListener === 'function') {
    osDark.addEventListener('change', function (e) {
      if (!hostContext.theme) applyTheme(e.matches ? 'dark' : 'light');
    });
  }

  function applyHostContext(ctx) {
    if (!ctx || typeof ctx !== 'object') return;
    hostContext = Object.assign({}, hostContext, ctx);
    if (ctx.theme === 'light' || ctx.theme === 'dark') applyTheme(ctx.theme);
    var vars = ctx.styles && ctx.styles.variables;
    if (vars && typeof vars === 'object') {
      Object.keys(vars).forEach(function (name) {
        if (name.indexOf('--') === 0 && typeof vars[name] === 'string') root.style.setProperty(name, vars[name]);
      });
    }
    call(options.onHostContext, hostContext);
  }

  function onNotification(method, params) {
    var p = params || {};
    if (method === 'ui/notifications/tool-input') call(options.onToolInput, p.arguments || {});
    else if (method === 'ui/notifications/tool-result') call(options.onToolResult, p);
    else if (method === 'ui/notifications/tool-cancelled') call(options.onToolCancelled, p.reason);
    else if (method === 'ui/notifications/host-context-changed') applyHostContext(p);
  }

  function onRequest(id, method) {
    if (method === 'ui/resource-teardown') call(options.onTeardown);
    if (method === 'ping' || method === 'ui/resource-teardown') post({ jsonrpc: '2.0', id: id, result: {} });
    else post({ jsonrpc: '2.0', id: id, error: { code: -32601, message: 'Method not found: ' + method } });
  }

  function onResponse(message) {
    var entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.error) entry.reject(new Error(String(message.error.message || 'The chat app refused')));
    else entry.resolve(message.result || {});
  }

  window.addEventListener('message', function (event) {
    if (event.source !== host) return;
    var message = event.data;
    if (!message || typeof message !== 'object' || message.jsonrpc !== '2.0') return;
    var hasId = message.id !== undefined && message.id !== null;
    if (typeof message.method === 'string') {
      if (hasId) onRequest(message.id, message.method);
      else onNotification(message.method, message.params);
    } else if (hasId) {
      onResponse(message);
    }
  });

  function reportSize() {
    var last = '';
    var scheduled = false;
    function measure() {
      scheduled = false;
      var body = document.body;
      var style = getComputedStyle(body);
      var margins = (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0);
      var height = Math.ceil(body.scrollHeight + margins);
      var width = Math.ceil(window.innerWidth);
      if (width + 'x' + height === last) return;
      last = width + 'x' + height;
      notify('ui/notifications/size-changed', { width: width, height: height });
    }
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(measure);
    }
    schedule();
    if (typeof ResizeObserver === 'function') {
      var observer = new ResizeObserver(schedule);
      observer.observe(document.documentElement);
      observer.observe(document.body);
    }
  }

  function unlessError(what) {
    return function (result) {
      if (result && result.isError) throw new Error(textOf(result) || what);
      return result;
    };
  }

  return {
    connect: function () {
      var params = {
        appInfo: options.appInfo,
        appCapabilities: { availableDisplayModes: ['inline'] },
        protocolVersion: PROTOCOL_VERSION,
      };
      return request('ui/initialize', params, 10000).then(function (result) {
        hostCapabilities = result.hostCapabilities || {};
        applyHostContext(result.hostContext || {});
        notify('ui/notifications/initialized', {});
        reportSize();
        return result;
      });
    },
    callTool: function (name, args) {
      return request('tools/call', { name: name, arguments: args || {} }).then(unlessError(name + ' failed'));
    },
    sendMessage: function (text) {
      var params = { role: 'user', content: [{ type: 'text', text: text }] };
      return request('ui/message', params).then(unlessError('The chat app did not take the message'));
    },
    updateModelContext: function (params) {
      // Short timeout: a host without this method may never answer, and a follow-up message waits on it.
      var done = unlessError('The chat app did not take the context');
      return request('ui/update-model-context', params, 3000).then(done);
    },
    openLink: function (url) {
      return request('ui/open-link', { url: url }).then(unlessError('The chat app did not open the link'));
    },
    canOpenLinks: function () { return Boolean(hostCapabilities.openLinks); },
    resourceAllowed: function (url) {
      var csp = hostCapabilities.sandbox && hostCapabilities.sandbox.csp;
      var domains = csp && Array.isArray(csp.resourceDomains) ? csp.resourceDomains : [];
      var u;
      try { u = new URL(url); } catch (e) { return false; }
      if (u.protocol !== 'https:') return false;
      return domains.some(function (d) {
        if (typeof d !== 'string') return false;
        if (d === u.origin || d === u.host) return true;
        var wildcard = 'https://*.';
        return d.indexOf(wildcard) === 0 && u.port === '' && u.hostname.endsWith('.' + d.slice(wildcard.length));
      });
    },
    hostContext: function () { return hostContext; },
  };
}
`;

/**
 * The palette both widgets share. The bridge sets `data-theme` from the host's theme (the OS preference until
 * the host names one) and copies the host's standard style variables (SEP-1865 "Theming") onto :root, so
 * every colour prefers the host's variable and falls back to our own light or dark value.
 */
export const WIDGET_THEME_CSS = `
:root {
  color-scheme: light;
  --c-bg: #ffffff; --c-bg2: #f4f4f5; --c-fg: #18181b; --c-fg2: #52525b; --c-line: #e4e4e7;
  --c-accent: #b45309; --c-accent-fg: #ffffff; --c-ring: #2563eb;
  --c-warn-bg: #fef3c7; --c-warn-fg: #78350f; --c-bad-bg: #fee2e2; --c-bad-fg: #991b1b;
  --c-ok-bg: #dcfce7; --c-ok-fg: #166534; --c-info-bg: #dbeafe; --c-info-fg: #1e40af;
}
:root[data-theme='dark'] {
  color-scheme: dark;
  --c-bg: #18181b; --c-bg2: #27272a; --c-fg: #fafafa; --c-fg2: #a1a1aa; --c-line: #3f3f46;
  --c-accent: #f59e0b; --c-accent-fg: #18181b; --c-ring: #60a5fa;
  --c-warn-bg: #422006; --c-warn-fg: #fde68a; --c-bad-bg: #450a0a; --c-bad-fg: #fecaca;
  --c-ok-bg: #052e16; --c-ok-fg: #bbf7d0; --c-info-bg: #172554; --c-info-fg: #bfdbfe;
}
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; }
body {
  background: var(--color-background-primary, var(--c-bg));
  color: var(--color-text-primary, var(--c-fg));
  font-family: var(--font-sans, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  font-size: 16px; line-height: 1.4; padding: 12px;
}
.muted { color: var(--color-text-secondary, var(--c-fg2)); }
button, input, select, textarea { font: inherit; color: inherit; }
button { cursor: pointer; border-radius: var(--border-radius-md, 10px); min-height: 44px; padding: 8px 14px; }
button:disabled { cursor: not-allowed; opacity: 0.55; }
.primary { background: var(--c-accent); color: var(--c-accent-fg); border: 0; font-weight: 600; }
.secondary { background: transparent; border: 1px solid var(--color-border-primary, var(--c-line)); }
:focus-visible { outline: 3px solid var(--color-ring-primary, var(--c-ring)); outline-offset: 2px; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-size: 13px; font-weight: 600; }
.notice { border-radius: var(--border-radius-md, 10px); padding: 10px 12px; margin: 8px 0; }
.notice.warn { background: var(--c-warn-bg); color: var(--c-warn-fg); }
.notice.bad { background: var(--c-bad-bg); color: var(--c-bad-fg); }
[hidden] { display: none !important; }
@media (prefers-reduced-motion: no-preference) { button { transition: filter 0.15s; } button:hover { filter: brightness(1.06); } }
`;
