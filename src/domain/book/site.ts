/**
 * The site's temporary-power calculation book (施工现场临时用电计算书): what a temporary-electricity
 * organisation design needs (JGJ 46-2005 §3.1.2: load calculation, transformer choice, feeders and their
 * protection): the supply points, the load schedule per point and construction phase, transformer loading,
 * the loads, every feeder, the rule checks and a summary.
 */
import { num, numCell, qty, textCell } from './format.js';
import { msg } from './messages.js';
import type { Book, BookFinding, BookSection, Cell } from './model.js';
import type { BookMeta } from './build.js';
import { findingsBlock, finishBook } from './build.js';

export interface SiteBookData {
  site: {
    id: string;
    name: string;
    timezone: string;
    horizon: { start: string; end: string };
    rule_set: string;
    edition: string;
    total_capacity_cap_kva: number;
    loading_cap: number;
    voltage_drop_budget_percent: number;
    nominal_lv_voltage_v: number;
  };
  points: {
    id: string;
    name: string;
    rating_kva: number;
    limit_kva: number;
    energised_from: string;
    status: string;
  }[];
  /** Peak load per point in each construction phase (reserved + pending, and reserved alone). */
  phases: {
    name: string;
    start: string;
    end: string;
    points: Record<string, { peak_total_kva: number; peak_reserved_kva: number }>;
    coincident_peak_kva: number;
  }[];
  /** Whole-horizon loading per point. */
  loading: {
    point_id: string;
    peak_total_kva: number;
    peak_reserved_kva: number;
    peak_at: string | null;
    utilisation_of_limit_percent: number;
    headroom_kva: number;
  }[];
  loads: {
    id: string;
    reference: string | null;
    organisation: string;
    state: string;
    point_id: string | null;
    window: { start: string; end: string };
    active_power_kw: number;
    apparent_power_kva: number;
    device_count: number;
    installed_power_kw: number;
  }[];
  feeders: {
    load_id: string;
    reference: string | null;
    point_id: string | null;
    origin: 'declared' | 'sized' | 'none';
    length_m: number | null;
    cross_section_mm2: number | null;
    design_current_a: number;
    ampacity_a: number | null;
    voltage_drop_percent: number | null;
    breaker_a: number | null;
    compliant: boolean;
  }[];
  findings: (Omit<BookFinding, 'severity_label'> & { load: string })[];
}

/** Builds the site book. */
export function buildSiteBook(data: SiteBookData, meta: BookMeta, input: unknown): Book {
  const { lang } = meta;
  const s = data.site;
  const pointIds = data.points.map((p) => p.id);
  const inputs: BookSection = {
    id: 'inputs',
    title: msg(lang, 'section.inputs'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          { label: msg(lang, 'site.name'), value: `${s.name} (${s.id})` },
          {
            label: msg(lang, 'site.horizon'),
            value: `${s.horizon.start} – ${s.horizon.end} (${s.timezone})`,
          },
          { label: msg(lang, 'input.rule_set'), value: `${s.rule_set} (${s.edition})` },
          { label: msg(lang, 'site.cap'), value: qty(lang, s.total_capacity_cap_kva, 'kVA', 0) },
          { label: msg(lang, 'input.loading_cap'), value: num(lang, s.loading_cap, '', 2) },
          { label: msg(lang, 'input.vd_budget'), value: qty(lang, s.voltage_drop_budget_percent, '%') },
          { label: msg(lang, 'input.voltage'), value: qty(lang, s.nominal_lv_voltage_v, 'V') },
        ],
      },
      {
        type: 'table',
        caption: msg(lang, 'site.points'),
        columns: [
          { label: msg(lang, 'site.point') },
          { label: msg(lang, 'site.rating'), align: 'right' },
          { label: msg(lang, 'site.limit'), align: 'right' },
          { label: msg(lang, 'site.energised'), align: 'center' },
          { label: msg(lang, 'site.status'), align: 'center' },
        ],
        rows: data.points.map((p) => [
          textCell(`${p.id} ${p.name}`),
          numCell(lang, p.rating_kva, 'kVA', 0),
          numCell(lang, p.limit_kva, 'kVA'),
          textCell(p.energised_from, 'center'),
          textCell(p.status, 'center'),
        ]),
      },
    ],
  };
  const method: BookSection = {
    id: 'method',
    title: msg(lang, 'section.method'),
    blocks: [
      { type: 'paragraph', text: msg(lang, 'method.intro_demand') },
      {
        type: 'formula',
        tex: 'P_{js} = K_x \\sum P_e,\\quad S_{js} = \\sqrt{P_{js}^2 + Q_{js}^2}',
        text: `Pjs = Kx·ΣPe, Sjs = √(Pjs² + Qjs²) — ${msg(lang, 'formula.group')}`,
        clause: 'JGJ 46-2005 §3.1.2; DOMAIN.md §1.2',
      },
      {
        type: 'formula',
        tex: '\\sum_{i \\in p} S_{js,i}(t) \\le \\beta_{max}\\,S_{N,p}\\quad \\forall t',
        text: `Σ Sjs,i(t) ≤ βmax·SN for every hour t — ${msg(lang, 'site.capacity_rule')}`,
        clause: 'GB 51348-2019 §4.3.2 (β ≤ 0.85); DOMAIN.md §3.3',
      },
      { type: 'paragraph', text: msg(lang, 'method.intro_feeder') },
    ],
  };
  const phaseRows: Cell[][] = pointIds.map((id) => [
    textCell(id),
    ...data.phases.map((ph) => numCell(lang, ph.points[id]?.peak_total_kva ?? 0, 'kVA', 1)),
  ]);
  phaseRows.push([
    textCell(msg(lang, 'site.coincident')),
    ...data.phases.map((ph) => numCell(lang, ph.coincident_peak_kva, 'kVA', 1)),
  ]);
  const schedule: BookSection = {
    id: 'schedule',
    title: msg(lang, 'site.section.schedule'),
    blocks: [
      { type: 'paragraph', text: msg(lang, 'site.schedule_note') },
      {
        type: 'table',
        columns: [
          { label: msg(lang, 'site.point') },
          ...data.phases.map((ph) => ({
            label: `${ph.name} (${ph.start} – ${ph.end})`,
            align: 'right' as const,
          })),
        ],
        rows: phaseRows,
      },
    ],
  };
  const loading: BookSection = {
    id: 'loading',
    title: msg(lang, 'site.section.loading'),
    blocks: [
      {
        type: 'table',
        columns: [
          { label: msg(lang, 'site.point') },
          { label: msg(lang, 'site.limit'), align: 'right' },
          { label: msg(lang, 'site.peak_reserved'), align: 'right' },
          { label: msg(lang, 'site.peak_total'), align: 'right' },
          { label: msg(lang, 'site.peak_at'), align: 'center' },
          { label: msg(lang, 'site.of_limit'), align: 'right' },
          { label: msg(lang, 'site.headroom'), align: 'right' },
        ],
        rows: data.loading.map((l) => [
          textCell(l.point_id),
          numCell(lang, data.points.find((p) => p.id === l.point_id)?.limit_kva ?? 0, 'kVA', 1),
          numCell(lang, l.peak_reserved_kva, 'kVA', 1),
          numCell(lang, l.peak_total_kva, 'kVA', 1),
          textCell(l.peak_at ?? '—', 'center'),
          numCell(lang, l.utilisation_of_limit_percent, '%', 1),
          numCell(lang, l.headroom_kva, 'kVA', 1),
        ]),
      },
    ],
  };
  const loads: BookSection = {
    id: 'loads',
    title: msg(lang, 'site.section.loads'),
    blocks: [
      {
        type: 'table',
        columns: [
          { label: msg(lang, 'site.load') },
          { label: msg(lang, 'site.organisation') },
          { label: msg(lang, 'site.point') },
          { label: msg(lang, 'site.window'), align: 'center' },
          { label: msg(lang, 'site.state'), align: 'center' },
          { label: 'P (kW)', align: 'right' },
          { label: 'Sjs (kVA)', align: 'right' },
        ],
        rows: data.loads.map((l) => [
          textCell(l.reference ?? l.id),
          textCell(l.organisation),
          textCell(l.point_id ?? '—'),
          textCell(`${l.window.start} – ${l.window.end}`, 'center'),
          textCell(l.state, 'center'),
          numCell(lang, l.active_power_kw, 'kW', 1),
          numCell(lang, l.apparent_power_kva, 'kVA', 1),
        ]),
      },
    ],
  };
  const feeders: BookSection = {
    id: 'feeders',
    title: msg(lang, 'site.section.feeders'),
    blocks: [
      {
        type: 'table',
        columns: [
          { label: msg(lang, 'site.load') },
          { label: msg(lang, 'site.point') },
          { label: 'L (m)', align: 'right' },
          { label: 'mm²', align: 'right' },
          { label: 'Ib (A)', align: 'right' },
          { label: 'Iz (A)', align: 'right' },
          { label: 'ΔU (%)', align: 'right' },
          { label: 'In (A)', align: 'right' },
          { label: msg(lang, 'site.feeder_ok'), align: 'center' },
        ],
        rows: data.feeders.map((f) => [
          textCell(`${f.reference ?? f.load_id} (${f.origin})`),
          textCell(f.point_id ?? '—'),
          f.length_m === null ? textCell('—', 'right') : numCell(lang, f.length_m, 'm'),
          f.cross_section_mm2 === null ? textCell('—', 'right') : numCell(lang, f.cross_section_mm2, 'mm²'),
          numCell(lang, f.design_current_a, 'A'),
          f.ampacity_a === null ? textCell('—', 'right') : numCell(lang, f.ampacity_a, 'A'),
          f.voltage_drop_percent === null
            ? textCell('—', 'right')
            : numCell(lang, f.voltage_drop_percent, '%'),
          f.breaker_a === null ? textCell('—', 'right') : numCell(lang, f.breaker_a, 'A', 0),
          textCell(f.compliant ? '✓' : '✗', 'center'),
        ]),
      },
    ],
  };
  const findings: BookSection = {
    id: 'findings',
    title: msg(lang, 'section.findings'),
    blocks: findingsBlock(
      lang,
      data.findings.map((f) => ({ ...f, message: `${f.load}: ${f.message}` })),
    ),
  };
  const coincident = Math.max(0, ...data.phases.map((p) => p.coincident_peak_kva));
  const ratingSum = data.points.reduce((t, p) => t + p.rating_kva, 0);
  const overLimit = data.loading.filter((l) => l.utilisation_of_limit_percent > 100 + 1e-9).length;
  const devices = data.loads.reduce((t, l) => t + l.device_count, 0);
  const installed = data.loads.reduce((t, l) => t + l.installed_power_kw, 0);
  const errors = data.findings.filter((f) => f.severity === 'error').length;
  const summary: BookSection = {
    id: 'summary',
    title: msg(lang, 'site.section.summary'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          {
            label: msg(lang, 'site.rating_sum'),
            value: `${qty(lang, ratingSum, 'kVA', 0)} / ${qty(lang, s.total_capacity_cap_kva, 'kVA', 0)}`,
          },
          { label: msg(lang, 'site.coincident'), value: qty(lang, coincident, 'kVA', 1) },
          { label: msg(lang, 'result.devices'), value: String(devices) },
          { label: msg(lang, 'result.installed'), value: qty(lang, installed, 'kW', 1) },
          { label: msg(lang, 'site.points_over'), value: String(overLimit) },
          { label: msg(lang, 'site.violations'), value: String(errors) },
        ],
      },
      {
        type: 'paragraph',
        text: msg(
          lang,
          devices >= 5 || installed >= 50 ? 'result.org_design_required' : 'result.org_design_not_required',
          {
            clause: 'JGJ 46-2005 3.1.1',
          },
        ),
      },
    ],
  };
  const compliant = overLimit === 0 && ratingSum <= s.total_capacity_cap_kva && errors === 0;
  const conclusion = {
    compliant,
    text: [
      msg(lang, 'site.conclusion', {
        points: data.points.length,
        rating: qty(lang, ratingSum, 'kVA', 0),
        cap: qty(lang, s.total_capacity_cap_kva, 'kVA', 0),
        over: overLimit,
        violations: errors,
      }),
    ],
  };
  return finishBook(
    'site',
    meta,
    'book.site.title',
    msg(lang, 'site.subject', { points: data.points.length, loads: data.loads.length }),
    [inputs, method, schedule, loading, loads, feeders, findings, summary],
    conclusion,
    input,
  );
}
