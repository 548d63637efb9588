import type { AdminRouter } from './admin-shell.js';

/** Mobile first: one column on a phone, wider cards from a tablet up; big touch targets. */
const CSS = `*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f5f5f7}
header.top{display:flex;justify-content:space-between;align-items:center;padding:.6rem 1rem;background:#1d1d1f;color:#fff}
header.top .shop{font-weight:700}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #ddd}
nav a{display:block;padding:.45rem .7rem;border-radius:.4rem;color:#1d1d1f;text-decoration:none}
nav a[aria-current=page]{background:#1a5;color:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.card,.order{background:#fff;border:1px solid #ddd;border-radius:.6rem;padding:1rem;margin:0 0 1rem}
.card>h2:first-child{margin-top:0}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:700;font-size:1.1rem;margin-bottom:.5rem}
.field label{display:block;font-weight:600;margin-bottom:.2rem}
input,select{font:inherit;padding:.55rem;border:1px solid #888;border-radius:.4rem;width:100%;max-width:30rem;background:#fff}
input[type=checkbox],input[type=radio]{width:auto}
label.check{display:flex;gap:.5rem;align-items:center;margin:.4rem 0}
.day{display:grid;grid-template-columns:5.5rem auto 5.5rem 1fr;gap:.2rem .5rem;align-items:center;margin:.2rem 0 .6rem}
.day .dayname{grid-column:1/-1;font-weight:600}.day label.check{margin:0}
@media (min-width:36rem){.day{grid-template-columns:7rem 5.5rem auto 5.5rem 1fr}.day .dayname{grid-column:auto}}
small,.hint{color:#555;font-size:.9rem}small{display:block}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1rem;margin:.25rem .25rem .25rem 0;border:0;border-radius:.45rem;cursor:pointer;text-decoration:none;text-align:center;min-height:2.75rem}
.primary{background:#1a5;color:#fff}.secondary{background:#e3e3e8;color:#1d1d1f}.danger{background:#c0392b;color:#fff}
button.link{background:none;color:inherit;text-decoration:underline;padding:.3rem;min-height:0}
form.inline{display:inline}
.flash{padding:.7rem 1rem;border-radius:.45rem;font-weight:600}.flash.ok{background:#e3f6ea;color:#10602f}.flash.error{background:#fdecea;color:#8e1b10}
.errors{background:#fdecea;color:#8e1b10;border-radius:.45rem;padding:.5rem 1rem;margin-bottom:1rem}
.steps{color:#555;margin-top:0}
.order header{display:flex;justify-content:space-between;align-items:baseline;gap:.5rem;flex-wrap:wrap}
.order .code{font-size:1.6rem;letter-spacing:.05em}.order .state{font-weight:600;color:#555}
.order.paid,.order.in_kitchen{border-left:.4rem solid #e67e22}.order.ready{border-left:.4rem solid #1a5}
.order .lines{margin:.4rem 0;padding-left:1.2rem}.note{color:#8e1b10;font-weight:600}
.group h2 .count{background:#1d1d1f;color:#fff;border-radius:1rem;padding:0 .5rem;font-size:.9rem}
.status ul{list-style:none;padding:0;margin:0}.status li{padding:.4rem 0;border-bottom:1px solid #eee}
.status .name{font-weight:600}.status .badge{border-radius:.3rem;padding:0 .4rem;font-size:.85rem}
.status .ok .badge{background:#e3f6ea;color:#10602f}.status .bad .badge{background:#fdecea;color:#8e1b10}
.status .warn .badge{background:#fff4d6;color:#7a5200}.status .off .badge{background:#ececf0;color:#444}
.status li form.inline{display:block}.flash.paused p{margin:0 0 .3rem}
svg.chart{display:block;width:100%;height:auto;overflow:hidden}svg.chart .bar{fill:#1a5}svg.chart .axis{stroke:#888}svg.chart text{fill:#1d1d1f;font-size:11px}svg.chart .value{font-weight:600}figure.chart{margin:0 0 1rem}figure.chart figcaption{font-weight:600;margin:.5rem 0}table.numbers th,table.numbers td{text-align:left;padding:.15rem .5rem;overflow-wrap:anywhere}.periods a{display:inline-block;padding:.45rem .6rem}
img.qr{display:block;width:12rem;height:12rem;margin:.5rem 0;image-rendering:pixelated}
input.copy{font-family:ui-monospace,monospace}
.copyrow{display:flex;gap:.4rem;align-items:center;max-width:30rem}.copyrow input{flex:1 1 auto;min-width:0}.copyrow button{margin:0;flex:none}
@media (min-width:48rem){#orders{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:0 1rem;align-items:start}}
textarea{font:inherit;padding:.55rem;border:1px solid #888;border-radius:.4rem;width:100%;max-width:30rem}
.field.invalid input,.field.invalid select,.field.invalid textarea{border-color:#c0392b;border-width:2px}
.error{display:block;color:#8e1b10;font-weight:600;font-size:.9rem}
ul.rows{list-style:none;padding:0;margin:0}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.25rem .5rem;padding:.4rem 0;border-bottom:1px solid #eee}
.row .main{flex:1 1 14rem;overflow-wrap:anywhere}
.badge{border-radius:.3rem;padding:0 .4rem;font-size:.85rem}.badge.ok{background:#e3f6ea;color:#10602f}.badge.bad{background:#fdecea;color:#8e1b10}
.choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:0 .5rem}.choices label.check{margin:.2rem 0}
.range{display:flex;gap:.5rem;flex-wrap:wrap}.range .field{flex:1 1 8rem;margin:.2rem 0}
.scroll{overflow-x:auto}table.problems{border-collapse:collapse;width:100%}
table.problems th,table.problems td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #eee}
pre{background:#f0f0f3;padding:.6rem;border-radius:.4rem;overflow-x:auto}code.summary{font-size:.85rem;overflow-wrap:anywhere}
a.help{display:inline-flex;align-items:center;justify-content:center;width:1.75rem;height:1.75rem;margin-left:.4rem;border-radius:50%;background:#e3e3e8;color:#1d1d1f;font-size:.95rem;font-weight:700;text-decoration:none;vertical-align:middle}
.guide{background:#fff;border:1px solid #ddd;border-radius:.6rem;padding:0 1rem 1rem;overflow-wrap:anywhere}
.guide h2,.guide h3{scroll-margin-top:1rem}.guide h3{font-size:1.05rem;margin:1rem 0 .4rem}.guide li{margin:.25rem 0}
.guide code{font-size:.9em;background:#f0f0f3;border-radius:.25rem;padding:0 .2rem}.guide pre code{padding:0;background:none}
.guide .scroll table{border-collapse:collapse;font-size:.9rem;overflow-wrap:break-word}
.guide th,.guide td{text-align:left;vertical-align:top;padding:.3rem .4rem;border-bottom:1px solid #eee}.guide td code{overflow-wrap:anywhere}
.toc ul{margin:0;padding-left:1.2rem}
`;

/**
 * The dashboard's live list: on each `orders` event from /admin/events it fetches the board and swaps it
 * in. Without JavaScript (or EventSource, or through a tunnel that cuts event streams) the page still has
 * its Refresh link.
 */
const LIVE_JS = `'use strict';
(function () {
  var board = document.getElementById('orders');
  var live = document.getElementById('live');
  if (!board || !window.EventSource || !window.fetch) return;
  var busy = false;
  var again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch('/admin/orders', { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) {
        if (!res.ok || res.redirected) { window.location.reload(); return null; }
        return res.text();
      })
      .then(function (html) { if (html !== null) board.innerHTML = html; })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  var source = new EventSource('/admin/events');
  var connected = false;
  source.addEventListener('hello', function () {
    if (live) live.textContent = 'Live: new orders appear by themselves.';
    // Back after a break: whatever changed meanwhile was missed.
    if (connected) refresh();
    connected = true;
  });
  source.addEventListener('orders', refresh);
  source.onerror = function () { if (live) live.textContent = ''; };
})();
`;

/**
 * Small improvements on every owner page, each only where the browser can: a Copy button beside each
 * token, key and address (the text stays selectable without it), and the browser's time zone in an empty
 * time zone field (the owner can still type another).
 */
const ENHANCE_JS = `'use strict';
(function () {
  // Each field that needs it brings this script; one run does the whole page.
  if (window.counterpiEnhanced) return;
  window.counterpiEnhanced = true;
  function ready() {
    // navigator.clipboard needs a secure context; http://counterpi.local is not one, so select and copy.
    function copy(field) {
      if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(field.value);
      field.select();
      return document.execCommand('copy') ? Promise.resolve() : Promise.reject(new Error('not copied'));
    }
    Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
      var field = document.getElementById(button.getAttribute('data-copy'));
      if (!field) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        copy(field).then(
          function () { button.textContent = 'Copied'; },
          function () { field.select(); button.textContent = 'Selected: copy it'; }
        );
      });
    });
    var zone = '';
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { zone = ''; }
    Array.prototype.forEach.call(document.querySelectorAll('input[data-guess-timezone]'), function (input) {
      if (input.value === '' && zone !== '') input.value = zone;
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
`;

/** The owner pages' stylesheet and scripts: public, the same for everyone, served from memory. */
export function mountAdminAssets(router: AdminRouter): void {
  const asset = (body: string, type: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=300' } });
  router.get('/assets/admin.css', asset(CSS, 'text/css; charset=utf-8'));
  router.get('/assets/live.js', asset(LIVE_JS, 'text/javascript; charset=utf-8'));
  router.get('/assets/enhance.js', asset(ENHANCE_JS, 'text/javascript; charset=utf-8'));
}
