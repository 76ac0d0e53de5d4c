// tpp capacity dashboard. Plain browser ES module, no build step; charts by uPlot (served from
// node_modules/uplot/dist under /dashboard/vendor/). Reads only the public API, with the user's key:
//   GET /v1/sites, /v1/sites/{id}, /v1/sites/{id}/supply-points, /v1/sites/{id}/utilisation,
//   /v1/sites/{id}/applications/stats
// Every number in the table and the summary is the API's number, formatted with one decimal; the raw value
// is kept in the cell's data-value attribute.
// Loaded dynamically: without uPlot (not installed on the server) the figures and tables still show.
const uPlot = await import('/dashboard/vendor/uPlot.esm.js').then(
  (m) => m.default,
  () => null,
);

const KEY_STORE = 'tpp.dashboard.key';
const STATE_ORDER = [
  'submitted',
  'accepted',
  'accepted_with_deferrals',
  'approved',
  'energised',
  'overdue',
  'suspended',
  'expired',
  'rejected',
  'withdrawn',
  'closed',
];
const BUCKET_S = { hour: 3600, day: 86400, week: 7 * 86400 };
const COLOURS = {
  reserved: '#1d4ed8',
  reservedFill: 'rgba(29, 78, 216, 0.35)',
  total: '#d97706',
  totalFill: 'rgba(217, 119, 6, 0.22)',
  rating: '#111827',
  limit: '#dc2626',
  cap: '#7f1d1d',
  now: '#7c3aed',
};

const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, code, detail) {
    super(`${status} ${code}: ${detail}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

// ---------------------------------------------------------------------------------------------- key
function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('key');
  if (!key) return;
  sessionStorage.setItem(KEY_STORE, key);
  params.delete('key');
  const rest = params.toString();
  // Out of the address bar and the history entry, so it is not shared by copying the URL.
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

const currentKey = () => sessionStorage.getItem(KEY_STORE);

function showKeyForm(message) {
  $('main').hidden = true;
  $('controls').hidden = true;
  $('key-panel').hidden = false;
  const err = $('key-error');
  err.hidden = !message;
  err.textContent = message ?? '';
  document.body.dataset.state = 'needs-key';
  $('key-input').focus();
}

// ---------------------------------------------------------------------------------------------- API
async function api(path) {
  const key = currentKey();
  const res = await fetch(path, {
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const p = typeof body === 'object' && body ? body : {};
    throw new ApiError(res.status, p.code ?? 'error', p.detail ?? String(body).slice(0, 200));
  }
  return body;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------- format
const dash = '—';
/** One decimal, no grouping: deterministic, and what the e2e test compares against. */
export const fmt1 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(1) : dash);

const dtfCache = new Map();
function wallParts(iso, tz) {
  let f = dtfCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dtfCache.set(tz, f);
  }
  const o = {};
  for (const p of f.formatToParts(new Date(iso))) o[p.type] = p.value;
  return o;
}
/** An instant as site-local "YYYY-MM-DD HH:mm". */
function fmtInstant(iso, tz) {
  if (!iso) return dash;
  const p = wallParts(iso, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
/**
 * Chart x coordinate: site wall-clock time expressed as if it were UTC (seconds), with the axis formatted in
 * UTC, so the axis shows site-local dates whatever the browser's time zone.
 */
function wallSeconds(start, tz) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (d) return Date.UTC(+d[1], +d[2] - 1, +d[3]) / 1000;
  const p = wallParts(start, tz);
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) / 1000;
}

// ---------------------------------------------------------------------------------------------- DOM
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A cell showing `text` and holding the raw API value for exact comparison. */
function valueCell(testid, raw, text, cls = 'num') {
  return h('td', {
    class: cls,
    'data-testid': testid,
    'data-value': raw === null || raw === undefined ? '' : String(raw),
    text,
  });
}

// ---------------------------------------------------------------------------------------------- charts
let charts = [];
const observer = new ResizeObserver((entries) => {
  for (const e of entries) {
    const chart = charts.find((c) => c.root.parentElement === e.target);
    if (!chart) continue;
    const width = Math.floor(e.contentRect.width);
    if (width > 0 && Math.abs(width - chart.width) > 1) chart.setSize({ width, height: chart.height });
  }
});

function destroyCharts() {
  observer.disconnect();
  for (const c of charts) c.destroy();
  charts = [];
}

function nowMarker(x) {
  return (u) => {
    if (x === null) return;
    const cx = Math.round(u.valToPos(x, 'x', true));
    const { left, top, width, height } = u.bbox;
    if (cx < left || cx > left + width) return;
    const ctx = u.ctx;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = COLOURS.now;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx, top + height);
    ctx.stroke();
    ctx.fillStyle = COLOURS.now;
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    const label = 'now';
    const tw = ctx.measureText(label).width;
    ctx.fillText(label, cx + 4 * dpr + tw > left + width ? cx - tw - 4 * dpr : cx + 4 * dpr, top + 12 * dpr);
    ctx.restore();
  };
}

const kva = (_u, v) => (v === null || v === undefined ? dash : `${v.toFixed(1)} kVA`);

/**
 * A time chart of reserved and reserved+pending load (stepped: a bucket holds its maximum until the next
 * bucket starts) against constant reference lines.
 */
function timeChart(el, { series, resolution, tz, lines, nowX, height }) {
  const xs = series.map((b) => wallSeconds(b.start, tz));
  const reserved = series.map((b) => b.reserved_kva);
  const total = series.map((b) => b.total_kva);
  if (xs.length > 0) {
    // Close the last bucket so its step is drawn to its end.
    xs.push(xs[xs.length - 1] + BUCKET_S[resolution]);
    reserved.push(reserved[reserved.length - 1]);
    total.push(total[total.length - 1]);
  }
  // Headroom above the highest line for the "now" label.
  const top = Math.max(1, ...total, ...lines.map((l) => l.value)) * 1.15;
  const stepped = uPlot.paths.stepped({ align: 1 });
  const opts = {
    width: Math.max(200, Math.floor(el.clientWidth)),
    height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: () => [0, top] } },
    axes: [
      { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#d1d5db' } },
      {
        stroke: '#4b5563',
        label: 'kVA',
        labelSize: 18,
        size: 52,
        grid: { stroke: '#e5e7eb' },
        ticks: { stroke: '#d1d5db' },
        values: (_u, vals) => vals.map((v) => v.toFixed(0)),
      },
    ],
    series: [
      {
        label: resolution === 'week' ? 'Week of' : resolution === 'day' ? 'Day' : 'Hour',
        value: (_u, v) =>
          v === null
            ? dash
            : new Date(v * 1000)
                .toISOString()
                .slice(0, resolution === 'hour' ? 16 : 10)
                .replace('T', ' '),
      },
      {
        label: 'Reserved + pending',
        stroke: COLOURS.total,
        fill: COLOURS.totalFill,
        width: 1.5,
        paths: stepped,
        points: { show: false },
        value: kva,
      },
      {
        label: 'Reserved',
        stroke: COLOURS.reserved,
        fill: COLOURS.reservedFill,
        width: 1.5,
        paths: stepped,
        points: { show: false },
        value: kva,
      },
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.colour,
        width: 1.5,
        dash: l.dash,
        points: { show: false },
        value: () => `${fmt1(l.value)} kVA`,
      })),
    ],
    hooks: { draw: [nowMarker(nowX)] },
  };
  const data = [xs, total, reserved, ...lines.map((l) => xs.map(() => l.value))];
  const chart = new uPlot(opts, data, el);
  charts.push(chart);
  observer.observe(el);
  return chart;
}

// ---------------------------------------------------------------------------------------------- render
function card(testid, label, raw, text, unit, extra) {
  return h(
    'div',
    { class: 'card stat' },
    h('div', { class: 'stat-label', text: label }),
    h(
      'div',
      { class: 'stat-value' },
      h('span', { 'data-testid': testid, 'data-value': raw === null ? '' : String(raw), text }),
      unit ? h('small', { text: ` ${unit}` }) : null,
    ),
    extra ? h('div', { class: 'stat-extra', text: extra }) : null,
  );
}

function renderSummary(site, u) {
  const s = u.site;
  const tz = u.timezone;
  const reservedLoads = u.points.reduce((a, p) => a + p.loads.reserved, 0);
  const pendingLoads = u.points.reduce((a, p) => a + p.loads.pending, 0);
  const overloaded = u.points.filter((p) => p.headroom_kva < 0).length;
  $('site-summary').replaceChildren(
    card('site-cap', 'Site capacity cap', s.cap_kva, fmt1(s.cap_kva), 'kVA'),
    card(
      'site-rating-sum',
      'Sum of point ratings',
      s.rating_sum_kva,
      fmt1(s.rating_sum_kva),
      'kVA',
      s.ratings_within_cap ? `within cap · limits ${fmt1(s.limit_sum_kva)} kVA` : 'EXCEEDS the cap',
    ),
    card(
      'site-coincident-peak',
      'Coincident peak (reserved + pending)',
      s.coincident_peak_kva,
      fmt1(s.coincident_peak_kva),
      'kVA',
      `${fmt1(s.coincident_peak_of_cap_percent)} % of cap · ${fmtInstant(s.coincident_peak_at, tz)}`,
    ),
    card(
      'site-overloaded',
      'Points over their limit',
      overloaded,
      String(overloaded),
      `of ${u.points.length}`,
      `loads: ${reservedLoads} reserved, ${pendingLoads} pending`,
    ),
  );
  $('site-subtitle').textContent =
    `${site.name} · horizon ${site.horizon.start} → ${site.horizon.end} · ${tz}` +
    (u.now_at ? ` · now ${fmtInstant(u.now_at, tz)}` : '');
}

function renderTable(u, pointsById) {
  const tz = u.timezone;
  const rows = u.points.map((p) => {
    const over = p.headroom_kva < 0;
    const sp = pointsById.get(p.point_id);
    return h(
      'tr',
      { 'data-point-id': p.point_id, class: over ? 'over' : null },
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'pid', text: p.point_id }),
        h('span', { class: 'pname', text: sp?.name ?? p.name }),
        // Reservations an engineer kept with force although the limit no longer covers them.
        p.overcommitted && p.overcommitted.count > 0
          ? h('span', {
              class: 'badge overcommitted',
              'data-testid': `overcommitted-${p.point_id}`,
              title: `Kept with force above the limit: ${p.overcommitted.reservation_ids.join(', ')}`,
              text: `${p.overcommitted.count} overcommitted · ${fmt1(p.overcommitted.demand_kva)} kVA`,
            })
          : null,
      ),
      h('td', {}, h('span', { class: `badge ${p.status}`, text: p.status })),
      valueCell(`rating-${p.point_id}`, p.rating_kva, fmt1(p.rating_kva)),
      valueCell(`limit-${p.point_id}`, p.limit_kva, fmt1(p.limit_kva)),
      valueCell(`peak-${p.point_id}`, p.peak_kva, fmt1(p.peak_kva)),
      valueCell(`peak-at-${p.point_id}`, p.peak_at, fmtInstant(p.peak_at, tz), 'time'),
      valueCell(`headroom-${p.point_id}`, p.headroom_kva, fmt1(p.headroom_kva), over ? 'num neg' : 'num'),
      valueCell(
        `utilisation-${p.point_id}`,
        p.utilisation_percent,
        fmt1(p.utilisation_percent),
        p.utilisation_of_limit_percent > 100 ? 'num neg' : 'num',
      ),
      valueCell(
        `hours-over-${p.point_id}`,
        p.hours_above_limit,
        String(p.hours_above_limit),
        p.hours_above_limit > 0 ? 'num neg' : 'num',
      ),
      valueCell(`now-${p.point_id}`, p.now ? p.now.total_kva : null, p.now ? fmt1(p.now.total_kva) : dash),
      valueCell(
        `next-conflict-${p.point_id}`,
        p.next_conflict_at,
        fmtInstant(p.next_conflict_at, tz),
        p.next_conflict_at ? 'time neg' : 'time',
      ),
      h('td', { class: 'num', text: `${p.loads.reserved} / ${p.loads.pending}` }),
    );
  });
  $('points-table').tBodies[0].replaceChildren(...rows);
}

function renderCharts(u) {
  destroyCharts();
  if (!uPlot) {
    const msg = 'Charts are unavailable: the chart library (uPlot) is not installed on the server.';
    $('site-chart').replaceChildren(h('p', { class: 'panel-error', text: msg }));
    $('point-charts').replaceChildren();
    return;
  }
  const tz = u.timezone;
  const nowX = u.now_at ? wallSeconds(u.now_at, tz) : null;
  const bucket = `${u.resolution} maxima`;
  const nowNote = u.now_at ? `violet line: now (${fmtInstant(u.now_at, tz)})` : 'now is outside the range';
  $('site-chart-note').textContent = `Sum over all points, ${bucket}, ${u.from} → ${u.to}; ${nowNote}.`;
  $('point-chart-note').textContent =
    `Reserved (approved) and reserved + pending load, ${bucket}, against rating and loading limit; ${nowNote}.`;

  const s = u.site;
  timeChart($('site-chart'), {
    series: s.series,
    resolution: u.resolution,
    tz,
    nowX,
    height: 260,
    lines: [
      { label: 'Cap', value: s.cap_kva, colour: COLOURS.cap, dash: [8, 4] },
      { label: 'Sum of limits', value: s.limit_sum_kva, colour: COLOURS.limit, dash: [4, 3] },
    ],
  });

  const grid = $('point-charts');
  grid.replaceChildren();
  for (const p of u.points) {
    const over = p.headroom_kva < 0;
    const plot = h('div', {
      class: 'chart',
      'data-testid': `chart-${p.point_id}`,
      'data-point-id': p.point_id,
    });
    grid.append(
      h(
        'figure',
        { class: `chart-card${over ? ' over' : ''}` },
        h(
          'figcaption',
          {},
          h('strong', { text: `${p.point_id} · ${p.name}` }),
          h('span', {
            class: over ? 'neg' : '',
            text: `peak ${fmt1(p.peak_kva)} / limit ${fmt1(p.limit_kva)} kVA · ${fmt1(p.utilisation_percent)} % of ${fmt1(p.rating_kva)} kVA`,
          }),
        ),
        plot,
      ),
    );
    timeChart(plot, {
      series: p.series,
      resolution: u.resolution,
      tz,
      nowX,
      height: 200,
      lines: [
        { label: 'Rating', value: p.rating_kva, colour: COLOURS.rating, dash: [6, 4] },
        { label: 'Limit', value: p.limit_kva, colour: COLOURS.limit, dash: [3, 3] },
      ],
    });
  }
}

function table(testid, head, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': testid, text: empty });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid, class: 'compact' },
      h('thead', {}, h('tr', {}, ...head.map(([t, cls]) => h('th', { scope: 'col', class: cls, text: t })))),
      h('tbody', {}, ...rows),
    ),
  );
}

function renderStats(stats) {
  const body = $('apps-body');
  const byState = stats.by_state ?? {};
  const states = [
    ...STATE_ORDER.filter((s) => s in byState),
    ...Object.keys(byState).filter((s) => !STATE_ORDER.includes(s)),
  ];
  const max = Math.max(1, ...states.map((s) => byState[s]));
  const total = states.reduce((a, s) => a + byState[s], 0);
  const stateRows = states.map((s) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: s.replaceAll('_', ' ') }),
      valueCell(`apps-${s}`, byState[s], String(byState[s])),
      h(
        'td',
        { class: 'bar-cell' },
        h('span', { class: `bar state-${s}`, style: `width:${((100 * byState[s]) / max).toFixed(1)}%` }),
      ),
    ),
  );
  const overdue = (stats.overdue_items ?? []).map((o) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: o.reference ?? o.application_id }),
      h('td', { text: o.organisation }),
      h('td', { text: o.type }),
      h('td', { class: 'time', text: o.due_date }),
      valueCell(
        `overdue-days-${o.application_id}-${o.type}`,
        o.days_overdue,
        String(o.days_overdue),
        'num neg',
      ),
    ),
  );
  const stages = (stats.stage_times ?? []).map((st) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: st.stage.replaceAll('_', ' ') }),
      valueCell(`stage-count-${st.stage}`, st.count, String(st.count)),
      valueCell(`stage-median-${st.stage}`, st.median_working_days, fmt1(st.median_working_days)),
      valueCell(`stage-p90-${st.stage}`, st.p90_working_days, fmt1(st.p90_working_days)),
    ),
  );
  body.replaceChildren(
    h(
      'div',
      { class: 'sub-panel' },
      h('h3', { text: `By state (${total})` }),
      table('apps-by-state', [['State'], ['Count', 'num'], ['']], stateRows, 'No applications yet.'),
    ),
    h(
      'div',
      { class: 'sub-panel' },
      h('h3', { text: `Overdue deferred documents (${stats.overdue_item_count ?? overdue.length})` }),
      table(
        'apps-overdue',
        [['Application'], ['Organisation'], ['Document'], ['Due'], ['Days over', 'num']],
        overdue,
        (stats.overdue_item_count ?? 0) > 0
          ? 'Not listed for this key (engineers see every organisation’s items).'
          : 'Nothing overdue.',
      ),
    ),
    h(
      'div',
      { class: 'sub-panel' },
      h('h3', { text: 'Stage times (working days)' }),
      table(
        'apps-stage-times',
        [['Stage'], ['n', 'num'], ['Median', 'num'], ['p90', 'num']],
        stages,
        'No completed stages yet.',
      ),
    ),
  );
}

function renderStatsError(err) {
  const detail = err instanceof ApiError ? `${err.status} ${err.code} — ${err.detail}` : String(err);
  $('apps-body').replaceChildren(
    h(
      'div',
      { class: 'panel-error', role: 'alert', 'data-testid': 'apps-error' },
      h('strong', { text: 'Application statistics are not available.' }),
      h('span', { text: detail }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------- flow
let sites = [];
let loadSeq = 0;

function selectedSite() {
  return $('site-select').value;
}

async function loadSite() {
  const seq = ++loadSeq;
  const siteId = selectedSite();
  const resolution = $('resolution-select').value;
  const base = `/v1/sites/${enc(siteId)}`;
  document.body.dataset.state = 'loading';
  $('status').textContent = 'Loading…';
  $('apps-body').replaceChildren(h('p', { class: 'empty', text: 'Loading…' }));
  const statsPromise = api(`${base}/applications/stats`);
  statsPromise.catch(() => undefined); // handled below; avoids an unhandled rejection while we wait
  try {
    const [site, points, u] = await Promise.all([
      api(base),
      api(`${base}/supply-points`),
      api(`${base}/utilisation?resolution=${enc(resolution)}`),
    ]);
    if (seq !== loadSeq) return;
    const pointList = Array.isArray(points) ? points : (points.items ?? []);
    const pointsById = new Map(pointList.map((p) => [p.id, p]));
    renderSummary(site, u);
    renderTable(u, pointsById);
    renderCharts(u);
    $('status').textContent = '';
  } catch (err) {
    if (seq !== loadSeq) return;
    if (err instanceof ApiError && err.status === 401) {
      sessionStorage.removeItem(KEY_STORE);
      showKeyForm('The key was refused (unknown or revoked).');
      return;
    }
    $('status').textContent = `Could not load the site: ${err instanceof Error ? err.message : String(err)}`;
    document.body.dataset.state = 'error';
    return;
  }
  try {
    const stats = await statsPromise;
    if (seq !== loadSeq) return;
    renderStats(stats);
  } catch (err) {
    if (seq !== loadSeq) return;
    renderStatsError(err);
  }
  document.body.dataset.state = 'ready';
}

async function start() {
  const key = currentKey();
  if (!key) return showKeyForm();
  $('key-panel').hidden = true;
  $('main').hidden = false;
  $('controls').hidden = false;
  try {
    const list = await api('/v1/sites');
    sites = list.items ?? [];
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      sessionStorage.removeItem(KEY_STORE);
      return showKeyForm('The key was refused (unknown or revoked).');
    }
    $('status').textContent = `Could not list sites: ${err instanceof Error ? err.message : String(err)}`;
    document.body.dataset.state = 'error';
    return;
  }
  if (sites.length === 0) {
    $('status').textContent = 'No sites yet.';
    document.body.dataset.state = 'ready';
    return;
  }
  const wanted = new URLSearchParams(location.search).get('site');
  const select = $('site-select');
  select.replaceChildren(...sites.map((s) => h('option', { value: s.id, text: s.name, title: s.id })));
  select.value = sites.some((s) => s.id === wanted) ? wanted : sites[0].id;
  await loadSite();
}

$('site-select').addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('site', selectedSite());
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  void loadSite();
});
$('resolution-select').addEventListener('change', () => void loadSite());
$('forget-key').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  destroyCharts();
  showKeyForm();
});
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('key-input').value.trim();
  if (!value) return;
  sessionStorage.setItem(KEY_STORE, value);
  $('key-input').value = '';
  void start();
});

takeKeyFromFragment();
void start();
