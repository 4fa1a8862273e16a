// Renders /api/events (Server-Sent Events carrying status snapshots). No external scripts: the page works offline.
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const fmt = (n, d = 0) => Number(n ?? 0).toFixed(d);

function cameraCard(c) {
  const state = (c.health.health || 'Starting').toLowerCase();
  const card = el('article', `card ${state}`);
  card.dataset.camera = c.name;
  card.dataset.state = state;
  const h = el('h3'); h.append(el('span', null, c.name), el('span', `pill pill-${state}`, state));
  card.append(h, el('div', 'src', c.health.source || ''));
  const stats = el('div', 'stats');
  for (const [label, value] of [['fps', fmt(c.fps, 1)], ['processed', c.framesProcessed], ['dropped', c.framesDropped], ['reconnects', c.reconnects], ['failures', c.health.consecutiveFailures], ['last frame', c.health.lastFrameAt ? new Date(c.health.lastFrameAt).toLocaleTimeString() : '–']]) {
    const s = el('div', 'stat'); s.append(el('b', null, String(value)), el('span', null, label)); stats.append(s);
  }
  card.append(stats);
  for (const l of c.lines) {
    const row = el('div', 'line'); row.dataset.line = l.line;
    row.append(el('span', null, l.line), el('span', 'in', `in ${l.in}`), el('span', 'out', `out ${l.out}`));
    card.append(row);
  }
  if (c.health.lastError) card.append(el('div', 'error', c.health.lastError));
  return card;
}

function gauge(label, percent, detail, limit) {
  const g = el('div', 'gauge');
  const top = el('div', 'label'); top.append(el('span', null, label), el('span', null, detail));
  const bar = el('div', 'bar'); const fill = el('div', percent >= limit ? 'over' : percent >= limit * 0.85 ? 'hot' : '');
  fill.style.width = `${Math.min(100, Math.max(0, percent))}%`; bar.append(fill); g.append(top, bar); return g;
}

function render(s) {
  document.getElementById('demo').hidden = !s.demo;
  document.getElementById('worker').textContent = `worker ${s.workerId} · ${new Date(s.timestamp).toLocaleTimeString()}`;
  document.getElementById('cameras').replaceChildren(...s.cameras.map(cameraCard));
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
connect();
