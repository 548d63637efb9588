/**
 * The kitchen screen's stylesheet: black, white and signal colours, type sized to read from two metres,
 * cards in as many columns as the tablet's width holds (landscape or portrait).
 */
export const SCREEN_CSS = `
*{box-sizing:border-box}
html,body{margin:0;background:#000;color:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{font-size:22px;line-height:1.25}
button,select,input{font:inherit;color:#fff;background:#222;border:2px solid #888;border-radius:10px;padding:.45em .8em;min-height:56px}
button:active{background:#444}
.bar{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 14px;background:#111;border-bottom:2px solid #444}
.bar select{font-size:1.2em;font-weight:700}
#sound[aria-pressed=true]{border-color:#3ddc84;color:#3ddc84}
.link{font-weight:700}.link.offline{color:#ff5c5c}.link.live{color:#3ddc84}
.device{margin-left:auto;color:#bbb}
.notice{margin:0;padding:0 14px;min-height:1.4em;color:#ffd24d;font-weight:700}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px;padding:14px}
.card{display:flex;flex-direction:column;background:#141414;border:4px solid #666;border-radius:14px;overflow:hidden}
.card.amber{border-color:#ffb000}.card.amber .head{background:#ffb000;color:#000}
.card.red{border-color:#ff3b30}.card.red .head{background:#ff3b30;color:#fff}
.head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 14px;padding:10px 14px;background:#2a2a2a}
.code{font-size:2.4em;font-weight:800;letter-spacing:.04em}
.age{margin-left:auto;font-size:1.6em;font-weight:800;font-variant-numeric:tabular-nums}
.meta{width:100%;display:flex;flex-wrap:wrap;gap:6px 12px;font-size:.95em}
.tag{padding:0 .4em;border-radius:6px;background:#fff;color:#000;font-weight:800}
.tag.staff{background:#7fd1ff}.tag.assistant{background:#d6b3ff}
ul.lines{list-style:none;margin:0;padding:8px 14px;flex:1}
ul.lines li{padding:6px 0;border-bottom:1px solid #333}
.item{font-size:1.45em;font-weight:800}
.station{color:#bbb;font-size:.8em;font-weight:600}
li.done .item{text-decoration:line-through;color:#888}
.opt{padding-left:1.2em;font-size:1.1em}
.note{padding-left:1.2em;font-size:1.15em;font-weight:800;color:#ffd24d}
.allergen{padding-left:1.2em;font-weight:800;background:#fff;color:#000;display:inline-block;margin-left:1.2em;padding:0 .3em}
.bump{margin:10px 14px 14px;font-size:1.4em;font-weight:800;background:#0a5;border-color:#3ddc84;min-height:72px}
.bump[disabled]{opacity:.5}
.empty{grid-column:1/-1;text-align:center;color:#888;font-size:1.6em;padding:2em}
.pair{max-width:34rem;margin:0 auto;padding:24px}
.pair form{display:flex;flex-direction:column;gap:10px}
.pair input#code{font-size:2em;letter-spacing:.15em;text-transform:uppercase}
.error{color:#ff5c5c;font-weight:700}
`;

/**
 * The kitchen screen's script: follows the station's board over server-sent events (the browser
 * reconnects with the last event id; a closed stream is reopened naming it), replaces its cards by key,
 * ticks the age timers, sends bumps and recalls with a key kept for retries, and chimes on new cards
 * once a tap allowed sound (Web Audio, a generated tone: no sound file).
 */
export const SCREEN_JS = `(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name=csrf]') || {}).content || '';
  var picker = document.getElementById('station');
  var cardsEl = document.getElementById('cards');
  var linkEl = document.getElementById('link');
  var noticeEl = document.getElementById('notice');
  var soundBtn = document.getElementById('sound');
  var station = localStorage.getItem('kitchen-station') || 'all';
  var source = null, lastId = '', seen = null, view = null, offset = 0, audio = null, chimes = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function newKey() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function notice(text) { noticeEl.textContent = text || ''; }
  function link(state, text) { linkEl.className = 'link ' + state; linkEl.textContent = text; }

  function chime() {
    chimes += 1;
    document.body.setAttribute('data-chimes', String(chimes));
    if (!audio) return;
    var t = audio.currentTime;
    [0, 0.22].forEach(function (at, i) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = i === 0 ? 880 : 1320;
      gain.gain.setValueAtTime(0.0001, t + at);
      gain.gain.exponentialRampToValueAtTime(0.6, t + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.18);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(t + at); osc.stop(t + at + 0.2);
    });
  }
  soundBtn.addEventListener('click', function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { notice('This browser has no sound.'); return; }
    if (!audio) audio = new Ctx();
    audio.resume();
    soundBtn.setAttribute('aria-pressed', 'true');
    soundBtn.textContent = 'Sound on';
    chime();
  });

  function age(card) {
    var ms = Date.now() + offset - Date.parse(card.paidAt);
    var s = Math.max(0, Math.floor(ms / 1000));
    return { ms: ms, text: Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2) };
  }
  function tick() {
    if (!view) return;
    Array.prototype.forEach.call(cardsEl.querySelectorAll('.card'), function (node) {
      var card = node.__card, a = age(card);
      node.querySelector('.age').textContent = a.text;
      var amber = a.ms >= view.timers.amberMinutes * 60000, red = a.ms >= view.timers.redMinutes * 60000;
      node.classList.toggle('red', red);
      node.classList.toggle('amber', amber && !red);
    });
  }
  var TAGS = { staff: ['staff', 'STAFF'], mcp: ['assistant', 'AI'], acp: ['assistant', 'AGENT'] };
  function cardNode(card) {
    var node = el('article', 'card');
    node.id = 'card-' + card.key.replace(/[^A-Za-z0-9_-]/g, '_');
    node.setAttribute('data-key', card.key);
    node.setAttribute('data-code', card.code);
    node.__card = card;
    var head = el('div', 'head');
    head.appendChild(el('span', 'code', card.code));
    head.appendChild(el('span', 'age', ''));
    var meta = el('div', 'meta');
    var tag = TAGS[card.channel] || TAGS.mcp;
    meta.appendChild(el('span', 'tag ' + tag[0], tag[1]));
    meta.appendChild(el('span', 'pickup', (card.delivery ? 'Delivery ' : 'Pickup ') + card.pickup));
    if (card.customer) meta.appendChild(el('span', 'who', card.customer));
    head.appendChild(meta);
    node.appendChild(head);
    var ul = el('ul', 'lines');
    card.lines.forEach(function (line) {
      var li = el('li', line.done ? 'done' : '');
      var item = el('div', 'item', line.quantity + ' \\u00d7 ' + line.name);
      if (view.station === 'all') item.appendChild(el('span', 'station', '  ' + line.station));
      li.appendChild(item);
      line.options.forEach(function (o) { li.appendChild(el('div', 'opt', '+ ' + o)); });
      if (line.note) li.appendChild(el('div', 'note', 'NOTE: ' + line.note));
      if (line.allergens.length) li.appendChild(el('div', 'allergen', line.allergens.join(', ').toUpperCase()));
      ul.appendChild(li);
    });
    node.appendChild(ul);
    var bump = el('button', 'bump', view.station === 'all' ? 'Done · all stations' : 'Done');
    bump.type = 'button';
    bump.addEventListener('click', function () {
      bump.disabled = true;
      send('/kitchen/bump', { key: newKey(), order_id: card.orderId, station: view.station }, function () { bump.disabled = false; });
    });
    node.appendChild(bump);
    return node;
  }
  function render(next) {
    var first = seen === null;
    view = next;
    offset = Date.parse(next.now) - Date.now();
    var keys = {}, fresh = false;
    cardsEl.textContent = '';
    next.cards.forEach(function (card) {
      keys[card.key] = true;
      if (!first && !seen[card.key]) fresh = true;
      cardsEl.appendChild(cardNode(card));
    });
    if (next.cards.length === 0) cardsEl.appendChild(el('p', 'empty', 'No orders waiting.'));
    seen = keys;
    fillPicker(next.stations);
    tick();
    if (fresh) chime();
  }
  function fillPicker(stations) {
    var options = [['all', 'All (expo)']].concat(stations.map(function (s) { return [String(s.id), s.name]; }));
    var wanted = options.map(function (o) { return o.join('='); }).join('|');
    if (picker.getAttribute('data-options') === wanted) return;
    picker.textContent = '';
    options.forEach(function (o) {
      var opt = el('option', '', o[1]);
      opt.value = o[0];
      picker.appendChild(opt);
    });
    picker.setAttribute('data-options', wanted);
    picker.value = station;
  }
  picker.addEventListener('change', function () {
    station = picker.value;
    localStorage.setItem('kitchen-station', station);
    seen = null; lastId = '';
    connect();
  });

  // A bump or recall keeps its key across retries: the server does it once, however often it arrives.
  function send(path, body, done, tries) {
    tries = tries || 0;
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
      credentials: 'same-origin'
    }).then(function (res) {
      return res.json().then(function (answer) {
        if (res.status === 401) { location.reload(); return; }
        notice(res.ok ? answer.message : (answer.error && answer.error.message) || 'Refused.');
        if (done) done();
      });
    }, function () {
      notice('Offline: trying again…');
      setTimeout(function () { send(path, body, done, tries + 1); }, Math.min(8000, 500 * Math.pow(2, tries)));
    });
  }
  document.getElementById('recall').addEventListener('click', function () {
    send('/kitchen/recall', { key: newKey(), station: station });
  });

  function connect() {
    if (source) source.close();
    var url = '/kitchen/events?station=' + encodeURIComponent(station) + (lastId ? '&last=' + encodeURIComponent(lastId) : '');
    source = new EventSource(url);
    source.addEventListener('hello', function () { link('live', 'live'); });
    source.addEventListener('board', function (e) {
      lastId = e.lastEventId;
      render(JSON.parse(e.data));
    });
    source.addEventListener('revoked', function () { source.close(); location.reload(); });
    source.onerror = function () {
      link('offline', 'offline · reconnecting');
      // The browser retries by itself unless the answer closed the stream (a 503 while restarting).
      if (source.readyState === 2) setTimeout(connect, 3000);
    };
  }
  setInterval(tick, 1000);
  connect();
})();
`;
