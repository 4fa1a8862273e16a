// Renders /api/events (Server-Sent Events carrying status snapshots), the count history of today and yesterday, the
// latest crossings and each camera's live picture. No external scripts: the page draws its charts itself and works offline.
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => { const e = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
const fmt = (n, d = 0) => Number(n ?? 0).toFixed(d);
const SNAPSHOT_WIDTH = 480;
const SNAPSHOT_EVERY_MS = 1500;
const HISTORY_EVERY_MS = 30000;
const CROSSINGS_SHOWN = 20;

const cards = new Map(); // camera name -> { root, live, zones, chart, snap, seen }
let days = null; // /api/days: the agent's time zone and today's/yesterday's bounds
let lastStatus = null;

// Times as the agent's HgCounter:TimeZone shows them, so "today" on the page is the history's today.
function clock(iso) {
  const options = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
  try { return new Date(iso).toLocaleTimeString([], { ...options, timeZone: days?.timeZone }); } catch { return new Date(iso).toLocaleTimeString([], options); }
}

// ---- camera cards: built once per camera; the live part is redrawn on every status, the picture and chart are kept.

function cameraCard(name) {
  const root = el('article', 'card');
  root.dataset.camera = name;
  const live = el('div', 'live');
  const figure = el('figure', 'snap loading');
  const img = el('img');
  img.alt = `${name}: live picture`;
  img.title = 'Click to draw a line or zone';
  figure.append(img, el('figcaption', 'placeholder', 'no picture yet'));
  const zones = el('div', 'zones');
  const chart = el('div', 'charts');
  root.append(live, figure, zones, chart);
  const card = { root, live, zones, chart, snap: { figure, img, visible: true, timer: 0, loads: 0 }, seen: null };
  img.addEventListener('click', () => openHelper(name));
  watchSnapshot(name, card.snap);
  return card;
}

function renderLive(card, c) {
  const state = (c.health.health || 'Starting').toLowerCase();
  card.root.className = `card ${state}`;
  card.root.dataset.state = state;
  const h = el('h3'); h.append(el('span', null, c.name), el('span', `pill pill-${state}`, state));
  const stats = el('div', 'stats');
  for (const [label, value] of [['fps', fmt(c.fps, 1)], ['processed', c.framesProcessed], ['dropped', c.framesDropped], ['reconnects', c.reconnects], ['failures', c.health.consecutiveFailures], ['last frame', c.health.lastFrameAt ? clock(c.health.lastFrameAt) : '–']]) {
    const s = el('div', 'stat'); s.append(el('b', null, String(value)), el('span', null, label)); stats.append(s);
  }
  const parts = [h, el('div', 'src', c.health.source || ''), stats];
  for (const l of c.lines) {
    const row = el('div', 'line'); row.dataset.line = l.line;
    row.append(el('span', null, l.line), el('span', 'in', `in ${l.in}`), el('span', 'out', `out ${l.out}`));
    parts.push(row);
  }
  if (c.health.lastError) parts.push(el('div', 'error', c.health.lastError));
  card.live.replaceChildren(...parts);
}

// Zone occupancy (CameraStatus.Zones): who is inside each zone now, by class.
function renderZones(card, zones) {
  card.zones.hidden = !zones?.length;
  if (!zones?.length) { card.zones.replaceChildren(); return; }
  card.zones.replaceChildren(el('h4', null, 'Zones'), ...zones.map(z => {
    const row = el('div', 'zone'); row.dataset.zone = z.zone;
    const classes = Object.entries(z.byClass || {}).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(' · ');
    row.append(el('span', null, z.zone), el('span', 'occupancy', String(z.count)), el('span', 'muted', classes || 'empty'));
    return row;
  }));
}

// ---- live picture: refreshed while the tab and the card are visible; a placeholder while the camera has none (503).

function snapshotUrl(name, width) {
  return `/api/cameras/${encodeURIComponent(name)}/snapshot.jpg?overlay=true${width ? `&width=${width}` : ''}&t=${Date.now()}`;
}

function watchSnapshot(name, snap) {
  const next = () => { clearTimeout(snap.timer); snap.timer = setTimeout(load, SNAPSHOT_EVERY_MS); };
  const load = () => {
    if (document.visibilityState !== 'visible' || !snap.visible || !snap.figure.isConnected) { snap.waiting = true; return; }
    snap.waiting = false;
    const probe = new Image(); // load off-screen, then swap: the card never flashes an empty frame
    probe.onload = () => { snap.img.src = probe.src; snap.loads++; snap.img.dataset.loads = snap.loads; snap.figure.classList.remove('loading', 'unavailable'); next(); };
    probe.onerror = () => { snap.figure.classList.remove('loading'); snap.figure.classList.add('unavailable'); next(); };
    probe.src = snapshotUrl(name, SNAPSHOT_WIDTH);
  };
  snap.resume = () => { if (snap.waiting) load(); };
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(entries => { snap.visible = entries.some(e => e.isIntersecting); snap.resume(); }).observe(snap.figure);
  }
  setTimeout(load, 0);
}

document.addEventListener('visibilitychange', () => { for (const c of cards.values()) c.snap.resume(); });

// ---- today's counts per hour next to yesterday's, per line and direction (GET /api/counts, bucket 1h).

function hourOf(bucketStart) { return Number(bucketStart.slice(11, 13)); } // the local hour: bucket_start carries the zone's offset

function series(rows, from, to) {
  const byLine = new Map();
  const t0 = Date.parse(from), t1 = Date.parse(to);
  for (const r of rows) {
    const t = Date.parse(r.bucket_start);
    if (!r.target || t < t0 || t >= t1) continue;
    if (!byLine.has(r.target)) byLine.set(r.target, { In: new Array(24).fill(0), Out: new Array(24).fill(0) });
    const line = byLine.get(r.target);
    if (line[r.direction]) line[r.direction][hourOf(r.bucket_start)] += r.count; // a repeated DST hour adds up
  }
  return byLine;
}

const sum = a => a.reduce((x, y) => x + y, 0);

function lineChart(name, today, yesterday, source) {
  const w = 288, h = 96, top = 6, base = 78, slot = w / 24;
  const max = Math.max(1, ...today.In.map((n, i) => n + today.Out[i]), ...yesterday.In.map((n, i) => n + yesterday.Out[i]));
  const scale = n => (base - top) * n / max;
  const box = el('div', 'chart');
  box.dataset.line = name;
  box.dataset.source = source;
  box.dataset.todayIn = sum(today.In); box.dataset.todayOut = sum(today.Out);
  box.dataset.yesterdayIn = sum(yesterday.In); box.dataset.yesterdayOut = sum(yesterday.Out);
  const chart = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': `${name}: crossings per hour, today and yesterday` });
  chart.append(svg('line', { x1: 0, y1: base, x2: w, y2: base, class: 'axis' }));
  for (let hour = 0; hour < 24; hour++) {
    const x = hour * slot;
    const bar = (cls, day, direction, count, y, width, dx) => {
      if (!count) return y;
      const r = svg('rect', { x: x + dx, y: y - scale(count), width, height: scale(count), class: cls, 'data-day': day, 'data-hour': hour, 'data-direction': direction, 'data-count': count });
      const tip = svg('title'); tip.textContent = `${String(hour).padStart(2, '0')}:00 ${day} ${direction} ${count}`; r.append(tip);
      chart.append(r);
      return y - scale(count);
    };
    bar('out yesterday', 'yesterday', 'Out', yesterday.Out[hour], bar('in yesterday', 'yesterday', 'In', yesterday.In[hour], base, slot * 0.38, 1), slot * 0.38, 1);
    bar('out', 'today', 'Out', today.Out[hour], bar('in', 'today', 'In', today.In[hour], base, slot * 0.46, slot * 0.44), slot * 0.46, slot * 0.44);
    if (hour % 6 === 0) { const t = svg('text', { x: x + 1, y: h - 4, class: 'tick' }); t.textContent = `${String(hour).padStart(2, '0')}h`; chart.append(t); }
  }
  const legend = el('div', 'legend');
  legend.append(el('b', null, name),
    el('span', 'in', `today in ${sum(today.In)}`), el('span', 'out', `out ${sum(today.Out)}`),
    el('span', 'muted', `yesterday in ${sum(yesterday.In)} · out ${sum(yesterday.Out)}${source === 'live' ? ' · live totals, no history yet' : ''}`));
  box.append(legend, chart);
  return box;
}

async function refreshChart(name, card) {
  const range = `from=${encodeURIComponent(days.yesterday.from)}&to=${encodeURIComponent(days.today.to)}`;
  const answer = await fetch(`/api/counts?camera=${encodeURIComponent(name)}&${range}&bucket=1h&format=json`);
  if (!answer.ok) return;
  const rows = await answer.json();
  const today = series(rows, days.today.from, days.today.to);
  const yesterday = series(rows, days.yesterday.from, days.yesterday.to);
  const empty = () => ({ In: new Array(24).fill(0), Out: new Array(24).fill(0) });
  const camera = lastStatus?.cameras.find(c => c.name === name);
  const charts = [];
  for (const line of camera?.lines ?? []) {
    let t = today.get(line.line), source = 'history';
    if (!t && (line.in || line.out)) {
      // No history for today (e.g. the store is new): the live totals, at the current hour.
      t = empty(); source = 'live';
      const hour = Math.min(23, Math.max(0, Math.floor((Date.now() - Date.parse(days.today.from)) / 3600000)));
      t.In[hour] = line.in; t.Out[hour] = line.out;
    }
    charts.push(lineChart(line.line, t ?? empty(), yesterday.get(line.line) ?? empty(), source));
  }
  card.chart.replaceChildren(...charts);
}

let chartsDue = 0;
async function refreshHistory() {
  clearTimeout(chartsDue);
  chartsDue = setTimeout(refreshHistory, HISTORY_EVERY_MS);
  try {
    const answer = await fetch('/api/days');
    if (!answer.ok) return;
    days = await answer.json();
    await Promise.all([...cards].map(([name, card]) => refreshChart(name, card)));
    await refreshCrossings();
  } catch { /* worker down: the next round tries again */ }
}

// New crossings redraw the chart and the list soon (at most once a second), not on every status.
let soon = 0;
function refreshSoon() { if (!soon) soon = setTimeout(() => { soon = 0; refreshHistory(); }, 1000); }

// ---- the latest crossings, newest first (GET /api/crossings); a thumbnail when the event has a snapshot.

async function refreshCrossings() {
  const answer = await fetch(`/api/crossings?limit=${CROSSINGS_SHOWN}`);
  if (!answer.ok) return;
  const rows = await answer.json();
  const thumbs = rows.some(r => r.snapshot_id);
  const head = el('tr');
  for (const title of ['time', 'camera', 'line or zone', 'direction or event', 'class', ...(thumbs ? ['snapshot'] : [])]) head.append(el('th', null, title));
  const body = rows.map(r => {
    // A zone event names its zone and says what happened (zone-enter, zone-exit, loiter); a crossing its line and direction.
    const zoned = r.kind && r.kind !== 'crossing';
    const tr = el('tr', zoned ? 'crossing zone-event' : 'crossing');
    tr.dataset.eventId = r.event_id; tr.dataset.kind = r.kind || 'crossing';
    tr.dataset.camera = r.camera; tr.dataset.line = r.line; tr.dataset.direction = r.direction;
    const what = zoned ? el('td', 'kind', r.kind) : el('td', r.direction === 'In' ? 'in' : 'out', r.direction);
    tr.append(el('td', null, clock(r.timestamp)), el('td', null, r.camera), el('td', null, r.zone || r.line), what, el('td', null, r.label));
    if (thumbs) {
      const td = el('td');
      if (r.snapshot_id) { const img = el('img', 'thumb'); img.loading = 'lazy'; img.alt = 'crossing'; img.src = `/api/snapshots/${encodeURIComponent(r.snapshot_id)}.jpg`; td.append(img); }
      tr.append(td);
    }
    return tr;
  });
  document.getElementById('crossings').replaceChildren(head, ...body);
  document.getElementById('crossings-empty').hidden = rows.length > 0;
}

// ---- the line and zone helper: points clicked on the full-size picture, as configuration JSON in source pixels.

const helper = { camera: null, points: [], mode: 'line', closed: false };

function openHelper(name) {
  const dialog = document.getElementById('helper');
  helper.camera = name; helper.points = []; helper.closed = false;
  document.getElementById('helper-title').textContent = `${name}: draw a line or zone`;
  const img = document.getElementById('helper-image');
  img.onload = () => { fitHelper(); drawHelper(); };
  img.src = snapshotUrl(name, 0); // full size: natural pixels are the source pixels lines are given in
  drawHelper();
  if (!dialog.open) dialog.showModal();
}

// As large as the window allows, aspect kept: the bigger the picture, the finer the points.
function fitHelper() {
  const img = document.getElementById('helper-image');
  if (!img.naturalWidth) return;
  const scale = Math.min((window.innerWidth * 0.96 - 40) / img.naturalWidth, (window.innerHeight - 240) / img.naturalHeight);
  img.style.width = `${Math.max(320, Math.floor(img.naturalWidth * scale))}px`;
}
window.addEventListener('resize', fitHelper);

// Source pixels from a click: the displayed picture scaled to its natural (source) size.
function sourcePoint(img, event) {
  const r = img.getBoundingClientRect();
  const x = (event.clientX - r.left) * img.naturalWidth / r.width;
  const y = (event.clientY - r.top) * img.naturalHeight / r.height;
  return [Math.round(Math.min(img.naturalWidth, Math.max(0, x))), Math.round(Math.min(img.naturalHeight, Math.max(0, y)))];
}

function helperJson() {
  const p = helper.points;
  if (helper.mode === 'line') return p.length === 2 ? { Name: 'line1', Start: p[0], End: p[1] } : null;
  return helper.closed && p.length >= 3 ? { Name: 'zone1', Points: p } : null;
}

// LineCounter: with d(P) = cross(End - Start, P - Start), moving from d > 0 to d < 0 is In. In image coordinates
// (y down) the In side is along (dy, -dx) from the line: the arrow points the way an In crossing walks.
function inArrow(a, b, size) {
  const dx = b[0] - a[0], dy = b[1] - a[1], length = Math.hypot(dx, dy) || 1;
  const n = [dy / length, -dx / length], m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const at = k => [m[0] + n[0] * size * k, m[1] + n[1] * size * k];
  return { from: m, to: at(1), label: at(1.45) };
}

function drawHelper() {
  const img = document.getElementById('helper-image');
  const layer = document.getElementById('helper-layer');
  const w = img.naturalWidth || 640, h = img.naturalHeight || 360, stroke = Math.max(2, w / 320);
  layer.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const parts = [];
  const p = helper.points;
  if (p.length > 1) {
    const closed = helper.mode === 'zone' && helper.closed;
    parts.push(svg(closed ? 'polygon' : 'polyline', { points: p.map(q => q.join(',')).join(' '), class: closed ? 'zone-shape' : 'drawn', 'stroke-width': stroke }));
  }
  for (const q of p) parts.push(svg('circle', { cx: q[0], cy: q[1], r: stroke * 2.5, class: 'point' }));
  if (helper.mode === 'line' && p.length === 2) {
    const arrow = inArrow(p[0], p[1], Math.max(40, Math.min(w, h) / 6));
    parts.push(svg('line', { x1: arrow.from[0], y1: arrow.from[1], x2: arrow.to[0], y2: arrow.to[1], class: 'in-arrow', 'stroke-width': stroke * 1.5, 'marker-end': 'url(#in-head)' }));
    const label = svg('text', { x: arrow.label[0], y: arrow.label[1], class: 'in-label', 'font-size': stroke * 9, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }); label.textContent = 'In'; parts.push(label);
  }
  const defs = svg('defs'); const marker = svg('marker', { id: 'in-head', viewBox: '0 0 10 10', refX: 5, refY: 5, markerWidth: 4, markerHeight: 4, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'in-head' })); defs.append(marker);
  layer.replaceChildren(defs, ...parts);
  const json = helperJson();
  document.getElementById('helper-json').textContent = json ? JSON.stringify(json) : helper.mode === 'line'
    ? 'Click the line\'s start, then its end. The arrow shows the In direction; swap the points to swap In and Out.'
    : 'Click the zone\'s corners in order, then "Close zone".';
  document.getElementById('helper-copy').disabled = !json;
  document.getElementById('helper-close-zone').hidden = helper.mode !== 'zone';
}

function setupHelper() {
  const img = document.getElementById('helper-image');
  img.addEventListener('click', event => {
    if (!img.naturalWidth) return;
    if (helper.mode === 'line' && helper.points.length === 2) helper.points = [];
    if (helper.mode === 'zone' && helper.closed) { helper.points = []; helper.closed = false; }
    helper.points.push(sourcePoint(img, event));
    drawHelper();
  });
  for (const radio of document.querySelectorAll('input[name="helper-mode"]')) {
    radio.addEventListener('change', () => { helper.mode = radio.value; helper.points = []; helper.closed = false; drawHelper(); });
  }
  document.getElementById('helper-close-zone').onclick = () => { if (helper.points.length >= 3) { helper.closed = true; drawHelper(); } };
  document.getElementById('helper-undo').onclick = () => { helper.points.pop(); helper.closed = false; drawHelper(); };
  document.getElementById('helper-copy').onclick = async () => {
    const text = document.getElementById('helper-json').textContent;
    const done = document.getElementById('helper-copied');
    try { await navigator.clipboard.writeText(text); done.textContent = 'copied'; } catch {
      const range = document.createRange(); range.selectNodeContents(document.getElementById('helper-json'));
      getSelection().removeAllRanges(); getSelection().addRange(range); done.textContent = 'selected: press Ctrl+C';
    }
    setTimeout(() => { done.textContent = ''; }, 2000);
  };
  document.getElementById('helper-done').onclick = () => document.getElementById('helper').close();
}

// ---- machine panels and the status stream.

function gauge(label, percent, detail, limit) {
  const g = el('div', 'gauge');
  const top = el('div', 'label'); top.append(el('span', null, label), el('span', null, detail));
  const bar = el('div', 'bar'); const fill = el('div', percent >= limit ? 'over' : percent >= limit * 0.85 ? 'hot' : '');
  fill.style.width = `${Math.min(100, Math.max(0, percent))}%`; bar.append(fill); g.append(top, bar); return g;
}

function render(s) {
  lastStatus = s;
  document.getElementById('demo').hidden = !s.demo;
  document.getElementById('worker').textContent = `worker ${s.workerId} · ${clock(s.timestamp)}`;
  const grid = document.getElementById('cameras');
  let added = false, counted = false;
  for (const c of s.cameras) {
    let card = cards.get(c.name);
    if (!card) { card = cameraCard(c.name); cards.set(c.name, card); grid.append(card.root); added = true; }
    renderLive(card, c);
    renderZones(card, c.zones);
    // Zone occupancy too: an enter or exit is an event for the list.
    const total = c.lines.reduce((n, l) => n + l.in + l.out, 0);
    const seen = `${total}|${(c.zones || []).map(z => z.count).join(',')}`;
    if (seen !== card.seen) { counted = counted || card.seen !== null || total > 0; card.seen = seen; }
  }
  for (const [name, card] of cards) {
    if (!s.cameras.some(c => c.name === name)) { card.root.remove(); cards.delete(name); }
  }
  if (added) refreshHistory(); else if (counted) refreshSoon();
  const r = s.resources; const res = document.getElementById('resources');
  if (r) {
    res.replaceChildren(
      gauge('CPU', r.cpuPercent, `${fmt(r.cpuPercent, 1)} %`, 90),
      gauge('Memory', r.memoryPercent, `${fmt(r.memoryPercent, 1)} % · ${fmt(r.memoryMegabytes)} MiB`, 80),
      el('div', 'muted', `Outbox: ${s.pendingEvents} pending · throttling: ${r.isThrottling ? r.throttleReason : 'no'}`));
  }
  const checks = document.getElementById('health');
  if (s.health) {
    checks.replaceChildren(...s.health.checks.map(c => {
      const status = c.status === 'Healthy' ? 'ok' : c.status === 'Degraded' ? 'warning' : 'error';
      const li = el('li'); li.append(el('span', 'name', c.name), el('span', `pill pill-${status}`, status), el('span', 'msg', c.message)); return li;
    }));
  }
}

// With Worker:ReadKey set the stream answers 401: ask for the key once and trade it for a session cookie
// (EventSource cannot send a header; the key never goes into a URL).
function askForKey(source) {
  source.close();
  const form = document.getElementById('key-form');
  form.hidden = false;
  form.onsubmit = async e => {
    e.preventDefault();
    const answer = await fetch('/api/session', { method: 'POST', headers: { 'X-Api-Key': document.getElementById('key').value } });
    if (answer.ok) { form.hidden = true; connect(); } else { document.getElementById('key-error').textContent = 'wrong key'; }
  };
}

function connect() {
  const badge = document.getElementById('connection');
  const source = new EventSource('/api/events');
  source.onopen = () => { badge.textContent = 'live'; badge.className = 'pill pill-ok'; };
  source.onmessage = e => render(JSON.parse(e.data));
  source.onerror = async () => {
    badge.textContent = 'reconnecting…'; badge.className = 'pill pill-wait';
    try { if ((await fetch('/api/status')).status === 401) askForKey(source); } catch { /* worker down: EventSource retries */ }
  };
}
setupHelper();
connect();
