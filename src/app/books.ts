/**
 * Calculation books: run a calculation, hash its input and result, ask whether the newer rule-set edition
 * would change it, and build the book (domain/book). `verifyBook` recomputes a book from the input it carries
 * and says whether the result is the same, and if not, which values changed and why.
 */
import { canonicalJson, ENGINE_VERSION } from '../domain/canonical.js';
import type { RuleSetId } from '../domain/catalog/rule-sets.js';
import { DomainError } from '../domain/errors.js';
import { buildDemandBook, buildFeederBook, type BookMeta } from '../domain/book/build.js';
import type { Book, BookKind, BookLang, BookProvenance } from '../domain/book/model.js';
import { localIsoWithOffset } from '../domain/book/format.js';
import { buildSiteBook, type SiteBookData } from '../domain/book/site.js';
import { CABLE_CATALOGUE } from '../domain/catalog/cables.js';
import { EQUIPMENT_CATALOGUE } from '../domain/catalog/equipment.js';
import type { EquipmentLoadInput, LoadInput } from './load.js';
import type { Deps } from './ports.js';
import { requireSite } from './sites.js';
import type { TimelineService } from './timelines.js';
import { readUtilisation } from './utilisation.js';
import {
  runDemand,
  provenance,
  runFeeder,
  sha256,
  type DemandRequestInput,
  type FeederRequestInput,
  type Provenance,
} from './calculations.js';

/** tpp's release version, printed on every book. */
export const TPP_VERSION = '0.1.0';

/** The newer edition of a rule set, when there is one (JGJ 46-2005 → JGJ/T 46-2024). */
const NEWER_EDITION: Partial<Record<RuleSetId, RuleSetId>> = { 'JGJ46-2005': 'JGJ/T46-2024' };

export interface BookContext {
  lang: BookLang;
  author: string;
  /** The instant of issue (ISO 8601 UTC) and the time zone the book prints it in. */
  now: string;
  timezone?: string;
  project?: string | null;
  site?: string | null;
}

/** The part of a result that its hash covers: everything but its provenance block. */
function resultBody(result: { provenance?: unknown }): unknown {
  const { provenance: _p, ...rest } = result;
  return rest;
}

/** The result without the labels that name the rule set, so two editions' results can be compared. */
function withoutEditionLabels(result: unknown): unknown {
  return JSON.parse(
    canonicalJson(result).replaceAll('JGJ/T46-2024', 'JGJ46-2005').replaceAll('JGJ/T 46-2024', 'JGJ 46-2005'),
  ) as unknown;
}

export function resultSha256(result: { provenance?: unknown }): string {
  return sha256(canonicalJson(resultBody(result)));
}

type Runner = (input: never) => { provenance: Provenance };

const RUNNERS: Record<BookKind, Runner> = {
  demand: runDemand,
  feeder: runFeeder,
  site: runSiteBook,
};

function run(kind: BookKind, input: unknown): { provenance: Provenance } {
  return RUNNERS[kind](input as never);
}

function bookProvenance(
  kind: BookKind,
  input: { rule_set?: RuleSetId },
  result: { provenance: Provenance },
): BookProvenance {
  const newerId = input.rule_set === undefined ? undefined : NEWER_EDITION[input.rule_set];
  let newer: BookProvenance['newer_edition'] = null;
  if (newerId) {
    const other = run(kind, { ...input, rule_set: newerId });
    newer = {
      rule_set: other.provenance.rule_set,
      edition: other.provenance.edition,
      changes_result:
        canonicalJson(withoutEditionLabels(resultBody(other))) !==
        canonicalJson(withoutEditionLabels(resultBody(result))),
    };
  }
  return {
    tpp_version: TPP_VERSION,
    engine_version: result.provenance.engine_version || ENGINE_VERSION,
    rule_set: result.provenance.rule_set,
    edition: result.provenance.edition,
    catalogue_version: result.provenance.catalogue_version,
    input_sha256: result.provenance.input_sha256,
    result_sha256: resultSha256(result),
    newer_edition: newer,
  };
}

function meta(ctx: BookContext, provenance: BookProvenance): BookMeta {
  const timezone = ctx.timezone ?? 'Asia/Shanghai';
  return {
    lang: ctx.lang,
    author: ctx.author,
    issued_at: localIsoWithOffset(ctx.now, timezone),
    timezone,
    project: ctx.project ?? null,
    site: ctx.site ?? null,
    provenance,
  };
}

export interface BookResult<R> {
  book: Book & { source: { kind: BookKind; input: unknown; result: R } };
  result: R;
}

/** The demand calculation and its book. */
export function demandBook(
  input: DemandRequestInput,
  ctx: BookContext,
): BookResult<ReturnType<typeof runDemand>> {
  const result = runDemand(input);
  const provenance = bookProvenance('demand', input, result);
  const built = buildDemandBook(input, result, meta(ctx, provenance));
  return { book: { ...built, source: { kind: 'demand', input, result } }, result };
}

/** The feeder calculation and its book. */
export function feederBook(
  input: FeederRequestInput,
  ctx: BookContext,
): BookResult<ReturnType<typeof runFeeder>> {
  const result = runFeeder(input);
  const provenance = bookProvenance('feeder', input, result);
  const built = buildFeederBook(input, result, meta(ctx, provenance));
  return { book: { ...built, source: { kind: 'feeder', input, result } }, result };
}

export interface ValueChange {
  /** JSON pointer into the result. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface VerifyOutcome {
  status: 'match' | 'changed' | 'recomputed';
  kind: BookKind;
  /** The result hash the book states (null when only an input was sent). */
  expected_result_sha256: string | null;
  result_sha256: string;
  input_sha256: string;
  /** Why the result differs: which of rule set, edition, catalogue or engine version moved (may be empty). */
  reasons: string[];
  /** The values that differ, at most 200, JSON pointers into the result. */
  changes: ValueChange[];
  changes_truncated: boolean;
  provenance: { before: Partial<BookProvenance> | null; after: BookProvenance };
}

function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.set(path, Array.isArray(value) ? [] : {});
    for (const [k, v] of entries) leaves(v, `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, out);
  } else out.set(path, value);
}

function diff(
  before: unknown,
  after: unknown,
  limit: number,
): { changes: ValueChange[]; truncated: boolean } {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(JSON.parse(canonicalJson(before)) as unknown, '', a);
  leaves(JSON.parse(canonicalJson(after)) as unknown, '', b);
  const changes: ValueChange[] = [];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  let truncated = false;
  for (const k of keys) {
    const x = a.has(k) ? a.get(k) : null;
    const y = b.has(k) ? b.get(k) : null;
    if (canonicalJson(x) === canonicalJson(y)) continue;
    if (changes.length >= limit) {
      truncated = true;
      break;
    }
    changes.push({ path: k, before: x, after: y });
  }
  return { changes, truncated };
}

/**
 * Recomputes a book (or a bare `{kind, input}`) and compares. `match`: the recomputed result hash equals the
 * book's; `changed`: it does not (with the differing values and the versions that moved); `recomputed`: no
 * book was sent, only an input.
 */
export function verifyBook(body: {
  kind: BookKind;
  input: unknown;
  result?: unknown;
  provenance?: Partial<BookProvenance> | null;
}): VerifyOutcome {
  const input = body.input as { rule_set: RuleSetId };
  let result: { provenance: Provenance };
  try {
    result = run(body.kind, input);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('validation_failed', 'The book’s input cannot be recomputed', {
      issues: [{ path: ['input'], message: err instanceof Error ? err.message : String(err) }],
    });
  }
  const after = bookProvenance(body.kind, input, result);
  const before = body.provenance ?? null;
  const expected = before?.result_sha256 ?? null;
  const status = expected === null ? 'recomputed' : expected === after.result_sha256 ? 'match' : 'changed';
  const reasons: string[] = [];
  if (before && status === 'changed') {
    const fields = ['rule_set', 'edition', 'catalogue_version', 'engine_version', 'tpp_version'] as const;
    for (const f of fields)
      if (before[f] !== undefined && before[f] !== after[f])
        reasons.push(`${f}: ${String(before[f])} → ${after[f]}`);
    if (before.input_sha256 !== undefined && before.input_sha256 !== after.input_sha256)
      reasons.push('the input differs from the one the book was made from');
    if (reasons.length === 0)
      reasons.push(
        'same versions, different result: catalogue data or the engine changed without a version change',
      );
  }
  const { changes, truncated } =
    status === 'changed' && body.result !== undefined
      ? diff(resultBody(body.result as { provenance?: unknown }), resultBody(result), 200)
      : { changes: [], truncated: false };
  return {
    status,
    kind: body.kind,
    expected_result_sha256: expected,
    result_sha256: after.result_sha256,
    input_sha256: after.input_sha256,
    reasons,
    changes,
    changes_truncated: truncated,
    provenance: { before, after },
  };
}

/** What a site book is computed from: the site as it is stored, and the loading read from its timelines. */
export interface SiteBookInput {
  site: SiteBookData['site'];
  points: (SiteBookData['points'][number] & { position_m: { x: number; y: number } })[];
  phases: SiteBookData['phases'];
  loading: SiteBookData['loading'];
  applications: {
    id: string;
    reference: string | null;
    organisation: string;
    state: string;
    point_id: string | null;
    window: { start: string; end: string };
    position_m: { x: number; y: number } | null;
    load: LoadInput;
    feeder: FeederRequestInput['feeder'] | null;
    findings: { severity: 'error' | 'warning' | 'info'; code: string; message: string; clause: string }[];
  }[];
}

const DEFAULT_FEEDER = { conductor: 'Cu', insulation: 'XLPE', installation: 'buried' } as const;

/**
 * The per-application calculations of a site book: the demand of each load and its feeder — the declared one
 * when the application declares it, otherwise one sized for the straight-line distance to its point. Pure in
 * the input: `verify` recomputes it from the book alone.
 */
export function runSiteBook(input: SiteBookInput & { rule_set?: RuleSetId }): {
  loads: SiteBookData['loads'];
  feeders: SiteBookData['feeders'];
  findings: SiteBookData['findings'];
  provenance: Provenance;
} {
  const ruleSetId = input.rule_set ?? (input.site.rule_set as RuleSetId);
  const loads: SiteBookData['loads'] = [];
  const feeders: SiteBookData['feeders'] = [];
  const findings: SiteBookData['findings'] = [];
  for (const a of input.applications) {
    const d = runDemand({ load: a.load, rule_set: ruleSetId });
    loads.push({
      id: a.id,
      reference: a.reference,
      organisation: a.organisation,
      state: a.state,
      point_id: a.point_id,
      window: a.window,
      active_power_kw: d.totals.active_power_kw,
      apparent_power_kva: d.totals.apparent_power_kva,
      device_count: d.device_count,
      installed_power_kw: d.installed_power_kw,
    });
    const point = input.points.find((p) => p.id === a.point_id);
    const distance =
      point && a.position_m
        ? Math.hypot(point.position_m.x - a.position_m.x, point.position_m.y - a.position_m.y)
        : null;
    const feeder =
      a.feeder ?? (distance === null ? null : { ...DEFAULT_FEEDER, length_m: Math.max(1, distance) });
    if (feeder) {
      const f = runFeeder({ rule_set: ruleSetId, load: a.load, feeder });
      feeders.push({
        load_id: a.id,
        reference: a.reference,
        point_id: a.point_id,
        origin: f.cable_origin,
        length_m: feeder.length_m ?? null,
        cross_section_mm2: f.cable?.cross_section_mm2 ?? null,
        design_current_a: f.design_current_a,
        ampacity_a: f.cable?.ampacity_a ?? null,
        voltage_drop_percent: f.voltage_drop?.impedance_percent ?? null,
        breaker_a: f.breaker.rated_current_a,
        compliant: f.compliant,
      });
    }
    for (const x of a.findings) findings.push({ ...x, load: a.reference ?? a.id });
  }
  return {
    loads,
    feeders,
    findings,
    provenance: provenance(input, ruleSetId, `${EQUIPMENT_CATALOGUE.version}+${CABLE_CATALOGUE.version}`),
  };
}

function loadOfPayload(payload: Record<string, unknown>): LoadInput {
  if (payload.load && typeof payload.load === 'object') return payload.load as LoadInput;
  return { equipment: (payload.equipment ?? []) as EquipmentLoadInput['equipment'] };
}

/**
 * Everything a site book shows, read from the store and the site's timelines: points, the peak load per point
 * in each construction phase and over the horizon, every application with its load, feeder and findings.
 */
export async function siteBookInput(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
): Promise<SiteBookInput> {
  const site = await requireSite(deps.store, siteId);
  const points = await deps.store.points.list(siteId);
  const apps = (await deps.store.applications.list(siteId)).sort((a, b) =>
    (a.reference ?? a.id).localeCompare(b.reference ?? b.id),
  );
  const whole = await readUtilisation(deps, timelines, siteId, { resolution: 'week' });
  const phases: SiteBookData['phases'] = [];
  for (const [name, [start, end]] of Object.entries(site.phases).sort((a, b) =>
    a[1][0].localeCompare(b[1][0]),
  )) {
    const from = start < site.horizon.start ? site.horizon.start : start;
    const to = end > site.horizon.end ? site.horizon.end : end;
    if (from >= to) continue;
    const u = await readUtilisation(deps, timelines, siteId, { from, to, resolution: 'week' });
    phases.push({
      name,
      start,
      end,
      points: Object.fromEntries(
        u.points.map((p) => [
          p.point_id,
          { peak_total_kva: p.total.peak_kva, peak_reserved_kva: p.reserved.peak_kva },
        ]),
      ),
      coincident_peak_kva: u.site.coincident_peak_kva,
    });
  }
  return {
    site: {
      id: site.id,
      name: site.name,
      timezone: site.timezone,
      horizon: site.horizon,
      rule_set: site.rule_set,
      edition: site.edition,
      total_capacity_cap_kva: site.total_capacity_cap_kva,
      loading_cap: site.loading_cap,
      voltage_drop_budget_percent: site.voltage_drop_budget_percent,
      nominal_lv_voltage_v: site.nominal_lv_voltage_v,
    },
    points: points.map((p) => ({
      id: p.id,
      name: p.name,
      rating_kva: p.rating_kva,
      limit_kva: p.rating_kva * site.loading_cap,
      energised_from: p.energised_from,
      status: p.status,
      position_m: p.position_m,
    })),
    phases,
    loading: whole.points.map((p) => ({
      point_id: p.point_id,
      peak_total_kva: p.total.peak_kva,
      peak_reserved_kva: p.reserved.peak_kva,
      peak_at: p.total.peak_at,
      utilisation_of_limit_percent: p.total.utilisation_of_limit_percent,
      headroom_kva: p.limit_kva - p.total.peak_kva,
    })),
    applications: apps.map((a) => {
      const payload = a.payload;
      const distribution = payload.distribution as { feeder?: FeederRequestInput['feeder'] } | undefined;
      return {
        id: a.id,
        reference: a.reference,
        organisation: a.organisation,
        state: a.state,
        point_id: a.point_id,
        window: a.window,
        position_m: (payload.position_m as { x: number; y: number } | undefined) ?? null,
        load: loadOfPayload(payload),
        feeder: distribution?.feeder ?? null,
        findings: a.findings.map((f) => ({
          severity: (f.severity as 'error' | 'warning' | 'info' | undefined) ?? 'info',
          code: typeof f.code === 'string' ? f.code : '',
          message: typeof f.message === 'string' ? f.message : '',
          clause: typeof f.clause === 'string' ? f.clause : typeof f.rule === 'string' ? f.rule : '',
        })),
      };
    }),
  };
}

/** The site's temporary-power calculation book. */
export async function siteBook(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  ctx: Omit<BookContext, 'timezone' | 'site' | 'project'>,
): Promise<BookResult<ReturnType<typeof runSiteBook>>> {
  const input = await siteBookInput(deps, timelines, siteId);
  const result = runSiteBook(input);
  const provenance = bookProvenance('site', { ...input, rule_set: input.site.rule_set as RuleSetId }, result);
  const built = buildSiteBook(
    { ...input, loads: result.loads, feeders: result.feeders, findings: result.findings },
    meta(
      {
        ...ctx,
        timezone: input.site.timezone,
        site: `${input.site.name} (${input.site.id})`,
        project: input.site.name,
      },
      provenance,
    ),
    input,
  );
  return { book: { ...built, source: { kind: 'site', input, result } }, result };
}
