/**
 * Book builders: a calculation's input and result → a Book in one language. Pure: the caller supplies the
 * provenance (hashes are computed in the app layer), the author and the issue time.
 */
import type { DemandResult } from '../load/index.js';
import type { FeederCheckResult } from '../network/index.js';
import { EQUIPMENT_CATALOGUE } from '../catalog/equipment.js';
import { num, numCell, qty, textCell } from './format.js';
import { msg, type MessageKey } from './messages.js';
import type {
  Block,
  Book,
  BookFinding,
  BookKind,
  BookLang,
  BookProvenance,
  BookSection,
  Cell,
} from './model.js';

export interface BookMeta {
  lang: BookLang;
  author: string;
  /** ISO 8601 local date-time with offset, e.g. 2026-12-04T14:00+08:00. */
  issued_at: string;
  timezone: string;
  project?: string | null;
  site?: string | null;
  provenance: BookProvenance;
}

/** A trace step as both engines record it (demand: step/quantity/reference; feeder: name/source). */
interface TraceLike {
  step?: string;
  quantity?: string;
  name?: string;
  value?: unknown;
  unit?: string | null;
  source?: string;
  reference?: string;
}

const SEVERITY_KEY = {
  error: 'severity.error',
  warning: 'severity.warning',
  info: 'severity.info',
} as const satisfies Record<BookFinding['severity'], MessageKey>;

function typeLabel(lang: BookLang, typeId: string): string {
  const t = EQUIPMENT_CATALOGUE.types.find((x) => x.id === typeId);
  if (!t) return typeId;
  return lang === 'zh-CN' ? `${t.label_zh}` : t.label_en;
}

function cover(meta: BookMeta, subject: string): Book['cover'] {
  return {
    project: meta.project ?? msg(meta.lang, 'cover.project_default'),
    site: meta.site ?? null,
    subject,
    author: meta.author,
    issued_at: meta.issued_at,
    timezone: meta.timezone,
  };
}

/** The trace as a table: quantity, value with unit, source or clause. */
function traceTable(lang: BookLang, trace: readonly TraceLike[]): Block {
  const rows: Cell[][] = trace.map((s) => {
    const label = s.quantity ? `${s.quantity}${s.step ? ` (${s.step})` : ''}` : (s.name ?? s.step ?? '');
    const unit = s.unit ?? '';
    const value =
      typeof s.value === 'number'
        ? numCell(lang, s.value, unit === 'ohm/km' ? 'Ω' : unit, unit ? undefined : 4)
        : textCell(
            s.value === null || s.value === undefined
              ? '—'
              : typeof s.value === 'string' || typeof s.value === 'boolean'
                ? String(s.value)
                : JSON.stringify(s.value),
            'right',
          );
    return [
      textCell(label),
      value,
      textCell(unit.replace('ohm', 'Ω').replace('mm^2', 'mm²'), 'center'),
      textCell(s.reference && s.reference !== s.source ? `${s.reference}` : (s.source ?? '')),
    ];
  });
  return {
    type: 'table',
    columns: [
      { label: msg(lang, 'col.quantity_name') },
      { label: msg(lang, 'col.value'), align: 'right' },
      { label: msg(lang, 'col.unit'), align: 'center' },
      { label: msg(lang, 'col.source') },
    ],
    rows,
  };
}

export function findingsBlock(
  lang: BookLang,
  findings: readonly { severity: BookFinding['severity']; code: string; message: string; clause?: string }[],
): Block[] {
  if (findings.length === 0) return [{ type: 'paragraph', text: msg(lang, 'findings.none') }];
  return [
    {
      type: 'findings',
      items: findings.map((f) => ({
        severity: f.severity,
        severity_label: msg(lang, SEVERITY_KEY[f.severity]),
        code: f.code,
        message: f.message,
        clause: f.clause ?? '',
      })),
    },
  ];
}

function provenanceSection(lang: BookLang, p: BookProvenance): BookSection {
  const newer =
    p.newer_edition === null
      ? msg(lang, 'prov.newer_none')
      : msg(lang, p.newer_edition.changes_result ? 'prov.newer_changes' : 'prov.newer_same', {
          edition: p.newer_edition.edition,
        });
  return {
    id: 'provenance',
    title: msg(lang, 'section.provenance'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          { label: msg(lang, 'prov.tpp_version'), value: p.tpp_version },
          { label: msg(lang, 'prov.engine_version'), value: p.engine_version },
          { label: msg(lang, 'prov.rule_set'), value: p.rule_set },
          { label: msg(lang, 'prov.edition'), value: p.edition },
          { label: msg(lang, 'prov.catalogue'), value: p.catalogue_version },
          { label: msg(lang, 'prov.input_sha'), value: p.input_sha256 },
          { label: msg(lang, 'prov.result_sha'), value: p.result_sha256 },
          { label: msg(lang, 'prov.newer_edition'), value: newer },
        ],
      },
      { type: 'paragraph', text: msg(lang, 'prov.reproduce') },
    ],
  };
}

export function finishBook(
  kind: BookKind,
  meta: BookMeta,
  title: MessageKey,
  subject: string,
  sections: BookSection[],
  conclusion: Book['conclusion'],
  input: unknown,
): Book {
  const { lang } = meta;
  return {
    format: 'tpp-calculation-book/1',
    kind,
    lang,
    title: msg(lang, title),
    cover: cover(meta, subject),
    sections: [
      ...sections,
      {
        id: 'conclusion',
        title: msg(lang, 'section.conclusion'),
        blocks: conclusion.text.map((text) => ({ type: 'paragraph', text })),
      },
      provenanceSection(lang, meta.provenance),
    ],
    conclusion,
    provenance: meta.provenance,
    source: { kind, input },
  };
}

/** Input of a demand book: the request as understood (units parsed). */
export interface DemandBookInput {
  method?: string;
  rule_set: string;
  simultaneity_factor?: number;
  loading_cap?: number;
}

/** A demand result as the app returns it (warnings may carry their path as a JSON pointer). */
type DemandBookResult = Omit<DemandResult, 'warnings'> & {
  warnings: readonly { code: string; message: string }[];
};

/**
 * The demand calculation book (需要系数法计算书): inputs, method with formulas and clauses (JGJ 46 §3.1.2; the
 * demand-coefficient method of 工业与民用配电设计手册 / 建筑施工手册, DOMAIN.md §1), per-item conversion, per-group
 * Kx, cos φ, Pjs, Qjs, Sjs, Ijs, totals with K∑, transformer, trace, conclusion and provenance.
 */
export function buildDemandBook(input: DemandBookInput, result: DemandBookResult, meta: BookMeta): Book {
  const { lang } = meta;
  const method = (input.method ?? result.method) as 'demand_coefficient' | 'handbook_a' | 'handbook_b';
  const t = result.totals;
  const inputs: BookSection = {
    id: 'inputs',
    title: msg(lang, 'section.inputs'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          { label: msg(lang, 'input.rule_set'), value: `${result.rule_set.id} (${result.rule_set.edition})` },
          { label: msg(lang, 'input.method'), value: msg(lang, `method.${method}`) },
          { label: msg(lang, 'input.voltage'), value: qty(lang, result.nominal_voltage_v, 'V') },
          {
            label: msg(lang, 'input.simultaneity'),
            value: `${num(lang, t.simultaneity_factor, '')} (${t.simultaneity_factor_source})`,
          },
          {
            label: msg(lang, 'input.loading_cap'),
            value: num(lang, result.transformer.loading_cap, '', 2),
          },
        ],
      },
      {
        type: 'table',
        columns: [
          { label: msg(lang, 'col.item'), align: 'right' },
          { label: msg(lang, 'col.type') },
          { label: msg(lang, 'col.quantity'), align: 'right' },
          { label: msg(lang, 'col.conversion') },
          { label: msg(lang, 'col.pe'), align: 'right' },
        ],
        rows: result.items.map((it) => [
          textCell(String(it.index + 1), 'right'),
          textCell(typeLabel(lang, it.type)),
          textCell(String(it.quantity), 'right'),
          textCell(it.formula),
          numCell(lang, it.equivalent_pe_kw, 'kW'),
        ]),
      },
    ],
  };
  const methodSection: BookSection = {
    id: 'method',
    title: msg(lang, 'section.method'),
    blocks: [
      { type: 'paragraph', text: msg(lang, 'method.intro_demand') },
      {
        type: 'formula',
        tex: 'P_e = P_n',
        text: `Pe = Pn — ${msg(lang, 'formula.pe_motor')}`,
        clause: 'DOMAIN.md §1.1',
      },
      {
        type: 'formula',
        tex: 'P_e = 2\\sqrt{J_C}\\,P_n',
        text: `Pe = 2·√JC·Pn — ${msg(lang, 'formula.pe_crane')}`,
        clause: 'DOMAIN.md §1.1 (JC₁ = 25 %)',
      },
      {
        type: 'formula',
        tex: 'P_e = \\sqrt{J_C}\\,S_n\\cos\\varphi',
        text: `Pe = √JC·Sn·cos φ — ${msg(lang, 'formula.pe_welder')}`,
        clause: 'DOMAIN.md §1.1',
      },
      {
        type: 'formula',
        tex: 'P_{js} = K_x \\sum P_e,\\quad Q_{js} = P_{js}\\tan\\varphi,\\quad S_{js} = \\sqrt{P_{js}^2 + Q_{js}^2}',
        text: `Pjs = Kx·ΣPe, Qjs = Pjs·tan φ, Sjs = √(Pjs² + Qjs²) — ${msg(lang, 'formula.group')}`,
        clause: 'JGJ 46-2005 §3.1.2; DOMAIN.md §1.2',
      },
      {
        type: 'formula',
        tex: 'P_{js,\\Sigma} = K_\\Sigma \\sum P_{js,i},\\quad Q_{js,\\Sigma} = K_\\Sigma \\sum Q_{js,i}',
        text: `Pjs,Σ = K∑·ΣPjs,i, Qjs,Σ = K∑·ΣQjs,i — ${msg(lang, 'formula.total')}`,
        clause: 'DOMAIN.md §1.3',
      },
      {
        type: 'formula',
        tex: `I_{js} = \\dfrac{S_{js}}{\\sqrt{3}\\,U_N},\\quad U_N = ${result.nominal_voltage_v}\\ \\mathrm{V}`,
        text: `Ijs = Sjs/(√3·U), U = ${result.nominal_voltage_v} V — ${msg(lang, 'formula.current')}`,
        clause: 'DOMAIN.md §1.2',
      },
    ],
  };
  const groupTable: Block = {
    type: 'table',
    columns: [
      { label: msg(lang, 'col.group') },
      { label: msg(lang, 'col.pe'), align: 'right' },
      { label: msg(lang, 'col.kx'), align: 'right' },
      { label: msg(lang, 'col.cos'), align: 'right' },
      { label: msg(lang, 'col.tan'), align: 'right' },
      { label: msg(lang, 'col.pjs'), align: 'right' },
      { label: msg(lang, 'col.qjs'), align: 'right' },
      { label: msg(lang, 'col.sjs'), align: 'right' },
      { label: msg(lang, 'col.ijs'), align: 'right' },
    ],
    rows: result.groups.map((g) => [
      textCell(g.kind === 'type' && g.types.length === 1 ? typeLabel(lang, g.types[0] ?? g.name) : g.name),
      numCell(lang, g.pe_kw, 'kW'),
      numCell(lang, g.kx, '', 2),
      numCell(lang, g.power_factor, '', 2),
      numCell(lang, g.tan_phi, '', 2),
      numCell(lang, g.active_power_kw, 'kW'),
      numCell(lang, g.reactive_power_kvar, 'kvar'),
      numCell(lang, g.apparent_power_kva, 'kVA'),
      numCell(lang, g.current_a, 'A'),
    ]),
  };
  const steps: BookSection = {
    id: 'steps',
    title: msg(lang, 'section.steps'),
    blocks: [groupTable, traceTable(lang, result.trace)],
  };
  const tr = result.transformer;
  const results: BookSection = {
    id: 'results',
    title: msg(lang, 'section.results'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          { label: msg(lang, 'result.pjs'), value: qty(lang, t.active_power_kw, 'kW') },
          { label: msg(lang, 'result.qjs'), value: qty(lang, t.reactive_power_kvar, 'kvar') },
          { label: msg(lang, 'result.sjs'), value: qty(lang, t.apparent_power_kva, 'kVA') },
          { label: msg(lang, 'result.ijs'), value: qty(lang, t.current_a, 'A') },
          { label: msg(lang, 'result.cos'), value: num(lang, t.power_factor, '', 2) },
          { label: msg(lang, 'result.installed'), value: qty(lang, result.installed_power_kw, 'kW') },
          { label: msg(lang, 'result.devices'), value: String(result.device_count) },
          {
            label: msg(lang, 'result.transformer'),
            value: tr.rating_kva === null ? msg(lang, 'result.none') : qty(lang, tr.rating_kva, 'kVA', 0),
          },
          {
            label: msg(lang, 'result.transformer_loading'),
            value: tr.loading_fraction === null ? '—' : qty(lang, tr.loading_fraction * 100, '%', 1),
          },
        ],
      },
      {
        type: 'paragraph',
        text: msg(
          lang,
          result.organisation_design.required
            ? 'result.org_design_required'
            : 'result.org_design_not_required',
          { clause: result.organisation_design.clause },
        ),
      },
    ],
  };
  const findings: BookSection = {
    id: 'findings',
    title: msg(lang, 'section.findings'),
    blocks: findingsBlock(
      lang,
      result.warnings.map((w) => ({ severity: 'warning' as const, code: w.code, message: w.message })),
    ),
  };
  const transformerText =
    tr.rating_kva === null || tr.loading_fraction === null
      ? msg(lang, 'conclusion.no_transformer')
      : msg(lang, 'conclusion.transformer', {
          rating: qty(lang, tr.rating_kva, 'kVA', 0),
          loading: qty(lang, tr.loading_fraction * 100, '%', 1),
        });
  const conclusion = {
    compliant: tr.rating_kva !== null,
    text: [
      msg(lang, 'conclusion.demand', {
        sjs: qty(lang, t.apparent_power_kva, 'kVA'),
        ijs: qty(lang, t.current_a, 'A'),
        transformer: transformerText,
      }),
    ],
  };
  return finishBook(
    'demand',
    meta,
    'book.demand.title',
    msg(lang, 'cover.subject_demand', { count: result.device_count }),
    [inputs, methodSection, steps, results, findings],
    conclusion,
    input,
  );
}

/** Input of a feeder book: the request as understood (units parsed). */
export interface FeederBookInput {
  rule_set: string;
  load: unknown;
  feeder?: {
    length_m?: number;
    conductor?: string;
    insulation?: string;
    installation?: string;
    cross_section_mm2?: number;
  };
  breaker?: { rated_current_a?: number };
}

type FeederBookResult = Omit<FeederCheckResult, 'findings'> & {
  findings: readonly Pick<
    FeederCheckResult['findings'][number],
    'severity' | 'code' | 'message' | 'clause'
  >[];
  load: { active_power_kw: number; reactive_power_kvar: number; apparent_power_kva: number };
  demand: DemandResult | null;
};

/**
 * The feeder calculation book: design current, cable choice and derating (GB 50054 §3.2), voltage drop by
 * both forms (JGJ 46 §7.2, GB 50052), breaker coordination (GB 50054 §6.3.3), JGJ 46 rule findings.
 */
export function buildFeederBook(input: FeederBookInput, result: FeederBookResult, meta: BookMeta): Book {
  const { lang } = meta;
  const f = input.feeder ?? {};
  const cable = result.cable;
  const length = f.length_m ?? cable?.length_m;
  const inputs: BookSection = {
    id: 'inputs',
    title: msg(lang, 'section.inputs'),
    blocks: [
      {
        type: 'key_values',
        rows: [
          { label: msg(lang, 'input.rule_set'), value: `${result.rule_set.id} (${result.rule_set.edition})` },
          { label: msg(lang, 'input.voltage'), value: qty(lang, result.voltage_v, 'V') },
          { label: msg(lang, 'input.load_p'), value: qty(lang, result.load.active_power_kw, 'kW') },
          { label: msg(lang, 'input.load_q'), value: qty(lang, result.load.reactive_power_kvar, 'kvar') },
          { label: msg(lang, 'input.length'), value: length === undefined ? '—' : qty(lang, length, 'm') },
          {
            label: msg(lang, 'input.material'),
            value: [f.conductor, f.insulation].filter(Boolean).join(' / ') || '—',
          },
          { label: msg(lang, 'input.installation'), value: f.installation ?? '—' },
          {
            label: msg(lang, 'input.declared_section'),
            value:
              f.cross_section_mm2 === undefined
                ? msg(lang, 'input.none')
                : qty(lang, f.cross_section_mm2, 'mm²'),
          },
          {
            label: msg(lang, 'input.breaker'),
            value:
              input.breaker?.rated_current_a === undefined
                ? msg(lang, 'input.none')
                : qty(lang, input.breaker.rated_current_a, 'A'),
          },
          { label: msg(lang, 'input.vd_budget'), value: qty(lang, result.voltage_drop_budget_percent, '%') },
        ],
      },
    ],
  };
  const methodSection: BookSection = {
    id: 'method',
    title: msg(lang, 'section.method'),
    blocks: [
      { type: 'paragraph', text: msg(lang, 'method.intro_feeder') },
      {
        type: 'formula',
        tex: 'I_b = \\dfrac{\\sqrt{P^2 + Q^2}}{\\sqrt{3}\\,U}',
        text: `Ib = √(P² + Q²)/(√3·U) — ${msg(lang, 'formula.current')}`,
        clause: 'DOMAIN.md §1.2',
      },
      {
        type: 'formula',
        tex: 'I_z = I_0\\,k_\\theta\\,k_g \\ge I_b',
        text: 'Iz = I0·kθ·kg ≥ Ib',
        clause: 'GB 50054-2011 §3.2; IEC 60364-5-52',
      },
      {
        type: 'formula',
        tex: '\\Delta U\\% = \\dfrac{(P R_0 + Q X_0)\\,L}{10\\,U^2}',
        text: `ΔU% = (P·R0 + Q·X0)·L/(10·U²) — ${msg(lang, 'formula.vd')}`,
        clause: 'JGJ 46-2005 §7.1.3; GB 50052; DOMAIN.md §4.1',
      },
      {
        type: 'formula',
        tex: 'I_b \\le I_n \\le I_z,\\quad I_2 \\le 1.45\\,I_z',
        text: `Ib ≤ In ≤ Iz, I2 ≤ 1.45·Iz — ${msg(lang, 'formula.coordination')}`,
        clause: 'GB 50054-2011 §6.3.3; IEC 60364-4-43 §433.1',
      },
    ],
  };
  const steps: BookSection = {
    id: 'steps',
    title: msg(lang, 'section.steps'),
    blocks: [traceTable(lang, result.trace)],
  };
  const resultRows: { label: string; value: string }[] = [
    { label: msg(lang, 'result.design_current'), value: qty(lang, result.design_current_a, 'A') },
    {
      label: msg(lang, 'result.cable'),
      value:
        cable === null
          ? msg(lang, 'result.none')
          : `${qty(lang, cable.cross_section_mm2, 'mm²')} (${result.cable_origin})`,
    },
    { label: msg(lang, 'result.ampacity'), value: cable === null ? '—' : qty(lang, cable.ampacity_a, 'A') },
    {
      label: msg(lang, 'result.vd'),
      value:
        result.voltage_drop === null
          ? '—'
          : `${qty(lang, result.voltage_drop.impedance_percent, '%')} ≤ ${qty(lang, result.voltage_drop.budget_percent, '%')}`,
    },
    {
      label: msg(lang, 'result.breaker'),
      value: result.breaker.rated_current_a === null ? '—' : qty(lang, result.breaker.rated_current_a, 'A'),
    },
  ];
  const results: BookSection = {
    id: 'results',
    title: msg(lang, 'section.results'),
    blocks: [{ type: 'key_values', rows: resultRows }],
  };
  const findings: BookSection = {
    id: 'findings',
    title: msg(lang, 'section.findings'),
    blocks: findingsBlock(
      lang,
      result.findings.map((x) => ({
        severity: x.severity,
        code: x.code,
        message: x.message,
        clause: x.clause,
      })),
    ),
  };
  const errors = result.findings.filter((x) => x.severity === 'error').length;
  const conclusion = {
    compliant: result.compliant,
    text: [
      result.compliant
        ? msg(lang, 'conclusion.feeder_ok')
        : msg(lang, 'conclusion.feeder_not_ok', { count: Math.max(errors, 1) }),
    ],
  };
  return finishBook(
    'feeder',
    meta,
    'book.feeder.title',
    msg(lang, 'cover.subject_feeder', { length: length === undefined ? '' : qty(lang, length, 'm') }),
    [inputs, methodSection, steps, results, findings],
    conclusion,
    input,
  );
}
