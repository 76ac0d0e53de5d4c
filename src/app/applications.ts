/**
 * Online connection applications under missing-document acceptance (容缺受理).
 *
 * submitApplication: validate → compute demand → check documents → place pending capacity → record events,
 * in one transaction together with the idempotency key. approveApplication: lock the supply point, check the
 * headroom of *reserved* load over the whole window, reserve — in one transaction, so capacity is never
 * overbooked (PostgreSQL `SELECT … FOR UPDATE`; SQLite has a single writer).
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../domain/errors.js';
import { ruleSet } from '../domain/catalog/rule-sets.js';
import { policyFromScenario, type DocumentPolicy } from '../domain/catalog/documents.js';
import type { WorkingDayCalendar } from '../domain/catalog/working-days.js';
import { evaluateDocuments, type DocumentStatus } from '../domain/application/documents.js';
import { deadlinePolicy, evaluateDeadlines, type DeadlinePolicy } from '../domain/application/deadlines.js';
import type { ApplicationSnapshot, ApplicationState } from '../domain/application/model.js';
import { stageDurations, stageStatistics, type StageEvent } from '../domain/application/stages.js';
import {
  transition,
  WORKFLOW,
  type ApplicationEvent,
  type EffectId,
} from '../domain/application/workflow.js';
import type { DemandResult, EquipmentItemInput } from '../domain/load/index.js';
import { checkFeeder, type DistributionDesign, type Finding } from '../domain/network/index.js';
import { classFactors, windowIssues, type DailyShape, type DateWindow } from '../domain/profile/profile.js';
import { localDateOfInstant } from '../domain/profile/calendar.js';
import { buildSiteTimelines, type SiteTimelines } from '../domain/utilisation/timeline.js';
import { checkCapacity } from '../domain/utilisation/capacity-check.js';
import { siteFeederEstimator } from './feeders.js';
import { assessFaults } from './faults.js';
import {
  lvConnectionThreshold,
  profileNamed,
  type ConnectionKind,
  type Site,
  type SupplyPoint,
} from '../domain/site.js';
import type {
  ApplicationEventRecord,
  ApplicationFilter,
  ApplicationRecord,
  Deps,
  Principal,
  ReservationRecord,
  ReservationState,
  Store,
} from './ports.js';
import { requireSite } from './sites.js';
import { placementIssues } from './utilisation.js';
import { demandOfLoad, isEquipmentLoad, loadOfLegacy, type LoadInput } from './load.js';
import { jsonPointer } from './pointer.js';
import { localIso } from './wire-format.js';
import { gridOf, timelineLoad, type TimelineService } from './timelines.js';
import { sha256 } from './calculations.js';
import { enforceCapacity, lockPoints } from './capacity.js';
import { canonicalJson } from '../domain/canonical.js';

// ---- input ----------------------------------------------------------------------------------------------

export interface ApplicationInput {
  reference?: string;
  organisation: string;
  contact?: { name?: string; phone?: string; email?: string };
  zone: string;
  position_m: { x: number; y: number };
  window: DateWindow;
  profile: string | DailyShape;
  load?: LoadInput;
  /** Deprecated (one release): the equipment list before `load`; stored applications may carry it. */
  equipment?: EquipmentItemInput[];
  requested_point_id?: string;
  /**
   * How the request is to be supplied: from the site's own 10/0.4 kV points (default) or by a direct
   * public-LV connection, the only case the LV connection limit decides (DOMAIN.md "Product decisions").
   */
  connection?: ConnectionKind;
  distribution?: DistributionDesign;
  documents?: Record<string, DocumentStatus>;
  document_refs?: Record<string, { file_name?: string; sha256?: string }>;
  note?: string;
}

export interface ValidationFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** JSON pointer into the application body, e.g. `/load/equipment/0/rated_power_kw`. */
  path: string;
  rule: string;
  values?: Record<string, unknown>;
}

export type AcceptanceOutcome = 'accepted' | 'accepted_with_deferrals' | 'rejected' | 'not_accepted';

export interface Assessment {
  outcome: AcceptanceOutcome;
  findings: ValidationFinding[];
  demand: DemandSummary;
  documents: {
    required: string[];
    statuses: Record<string, DocumentStatus>;
    deferred: { type: string; label: string; due_date: string; gates?: string; consequence: string }[];
  };
  notice: {
    text: string;
    items: { type: string; label: string; due_date: string; consequence: string }[];
  } | null;
  capacity: {
    point_id: string | null;
    fits: boolean;
    min_headroom_kva: number | null;
    first_conflict_at: string | null;
    alternatives: { point_id: string; distance_m: number; min_headroom_kva: number }[];
    earliest_fit: { point_id: string; window: DateWindow } | null;
  };
  low_voltage_threshold: ReturnType<typeof lvConnectionThreshold>;
}

export interface DemandSummary {
  active_power_kw: number;
  reactive_power_kvar: number;
  apparent_power_kva: number;
  current_a: number;
  /** The current the feeder and its protection are sized for (≥ Ijs, ≥ the largest motor's FLC), A. */
  design_current_a: number;
  installed_power_kw: number;
  largest_unit_kw: number;
  device_count: number;
  organisation_design_required: boolean;
  transformer_rating_kva: number | null;
}

// ---- site-derived policy ----------------------------------------------------------------------------------

export function calendarOf(site: Site): WorkingDayCalendar {
  return { weekend_days: [6, 7], holidays: site.holidays, extra_working_days: [] };
}

const policies = new Map<string, DocumentPolicy>();
const policyOfObject = new WeakMap<Site, DocumentPolicy>();

/**
 * The site's document policy (memoised per policy content: building it parses the policy text; and per site
 * object, since one request asks for it many times).
 */
export function documentPolicyOf(site: Site): DocumentPolicy {
  let p = policyOfObject.get(site);
  if (p) return p;
  const key = `${site.id}|${JSON.stringify(site.document_policy)}`;
  p = policies.get(key);
  if (!p) {
    p = policyFromScenario(site.document_policy, { id: `${site.id}-documents` });
    if (policies.size > 1000) policies.clear();
    policies.set(key, p);
  }
  policyOfObject.set(site, p);
  return p;
}

export function deadlinePolicyOf(site: Site): DeadlinePolicy {
  return deadlinePolicy(documentPolicyOf(site), {
    temporary_supply_term_months: site.temporary_supply_term_months,
  });
}

export function todayAt(site: Site, iso: string): string {
  return localDateOfInstant(Date.parse(iso), site.timezone);
}

function snapshot(a: ApplicationRecord): ApplicationSnapshot {
  return {
    state: a.state,
    return_stack: a.return_stack,
    assigned_point_id: a.point_id,
    deferred_documents: a.deferred.map((d) => ({
      type: d.type,
      due_date: d.due_date,
      ...(d.gates ? { gates: d.gates as 'energisation' | 'approval' } : {}),
      ...(d.supplied_on ? { supplied_on: d.supplied_on } : {}),
    })),
    window_end: a.window.end,
    ...(a.energised_on ? { energised_on: a.energised_on } : {}),
    ...(a.term_extended_until ? { term_extended_until: a.term_extended_until } : {}),
  };
}

// ---- assessment (shared by validate and submit) ---------------------------------------------------------

function summarise(d: DemandResult): DemandSummary {
  return {
    active_power_kw: d.totals.active_power_kw,
    reactive_power_kvar: d.totals.reactive_power_kvar,
    apparent_power_kva: d.totals.apparent_power_kva,
    current_a: d.totals.current_a,
    design_current_a: d.design_current.current_a,
    installed_power_kw: d.installed_power_kw,
    largest_unit_kw: d.largest_unit_kw,
    device_count: d.device_count,
    organisation_design_required: d.organisation_design_required,
    transformer_rating_kva: d.transformer.rating_kva,
  };
}

function shapeOf(site: Site, profile: string | DailyShape): DailyShape | undefined {
  return typeof profile === 'string' ? profileNamed(site.profiles, profile) : profile;
}

function inputIssues(
  site: Site,
  points: SupplyPoint[],
  input: ApplicationInput,
  today: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [
    ...windowIssues(input.window, { start_date: site.horizon.start, end_date: site.horizon.end }, ['window']),
  ];
  if (issues.length === 0 && input.window.end <= today)
    issues.push({
      path: ['window', 'end'],
      message: `the window has already ended (today is ${today} in ${site.timezone})`,
    });
  issues.push(...placementIssues(site, input));
  if (input.requested_point_id && !points.some((p) => p.id === input.requested_point_id))
    issues.push({
      path: ['requested_point_id'],
      message: `no supply point ${input.requested_point_id} on this site`,
    });
  return issues;
}

async function organisationHasOverdue(
  store: Store,
  site: Site,
  organisation: string,
  today: string,
): Promise<boolean> {
  const apps = await store.applications.list(site.id, { organisation, may_be_overdue: true });
  const policy = deadlinePolicyOf(site);
  const cal = calendarOf(site);
  return apps.some(
    (a) =>
      a.state === 'overdue' ||
      (!['rejected', 'withdrawn', 'closed'].includes(a.state) &&
        evaluateDeadlines(snapshot(a), today, policy, cal).overdue_items.length > 0),
  );
}

/** What an assessment decides about documents, as stored on the application: deferrals, findings, notice. */
function documentOutcome(
  assessment: Awaited<ReturnType<typeof assess>>,
): Pick<ApplicationRecord, 'deferred' | 'findings' | 'notice'> {
  return {
    deferred: assessment.documents.deferred.map((d) => ({
      type: d.type,
      due_date: d.due_date,
      ...(d.gates ? { gates: d.gates } : {}),
    })),
    findings: assessment.findings as unknown as Record<string, unknown>[],
    notice: assessment.notice,
  };
}

/** Everything the utility checks on an application, as findings; persists nothing. */
export async function assess(
  deps: Deps,
  timelines: TimelineService,
  store: Store,
  siteId: string,
  input: ApplicationInput,
  nowIso: string,
): Promise<Assessment> {
  const cap = await timelines.get(store, siteId);
  const { site, points } = cap;
  assertNoIssues(inputIssues(site, points, input, todayAt(site, nowIso)));
  const rs = ruleSet(site.rule_set);
  const { load, paths } = loadOfLegacy(input);
  const demandResult = demandOfLoad(load, { ruleSet: rs, at: paths });
  const demand = summarise(demandResult);
  const loadPointer = jsonPointer(isEquipmentLoad(load) ? paths.equipment : paths.load);
  const findings: ValidationFinding[] = demandResult.warnings
    .filter((w) => w.code !== 'above_low_voltage_threshold')
    .map((w) => ({
      code: w.code.toUpperCase(),
      severity: 'info' as const,
      message: w.message,
      path: w.path ? jsonPointer(w.path) : loadPointer,
      rule: 'demand engine',
    }));

  // LV connection limit (DOMAIN.md §5.2, Shanghai 160 kW): only a request for a direct public-LV connection is
  // subject to it, on installed capacity; a request served from the site's own 10/0.4 kV points is not.
  const lv = lvConnectionThreshold(
    site.low_voltage_threshold_kw,
    demand.installed_power_kw,
    input.connection,
  );
  if (lv.exceeded)
    findings.push({
      code: 'LV_THRESHOLD_EXCEEDED',
      severity: 'warning',
      message: `a direct public-LV connection of ${Math.round(lv.value_kw * 10) / 10} kW installed exceeds the ${lv.threshold_kw} kW LV connection limit: it needs a 10 kV connection with its own transformer, or supply from a site point`,
      path: '/connection',
      rule: 'DOMAIN.md §5.2 (Shanghai LV connection limit, installed capacity)',
      values: { actual: lv.value_kw, limit: lv.threshold_kw, unit: 'kW', basis: lv.basis },
    });
  else if (lv.applies)
    findings.push({
      code: 'LV_CONNECTION_PATH',
      severity: 'info',
      message: `a direct public-LV connection of ${Math.round(lv.value_kw * 10) / 10} kW installed is within the ${lv.threshold_kw} kW LV connection limit (≤ is LV)`,
      path: '/connection',
      rule: 'DOMAIN.md §5.2 (Shanghai LV connection limit, installed capacity)',
      values: { actual: lv.value_kw, limit: lv.threshold_kw, unit: 'kW', basis: lv.basis },
    });
  if (demand.organisation_design_required)
    findings.push({
      code: 'R1_ORGANISATION_DESIGN_REQUIRED',
      severity: 'info',
      message: `${demand.device_count} devices / ${Math.round(demand.installed_power_kw * 10) / 10} kW: a temporary-electricity organisation design is required`,
      path: loadPointer,
      rule: rs.organisation_design.clause,
    });

  // Protection and feeder rules on the declared design.
  let feederResult: ReturnType<typeof checkFeeder> | null = null;
  if (input.distribution) {
    const feeder = checkFeeder(
      {
        load: {
          active_power_kw: demand.active_power_kw,
          reactive_power_kvar: demand.reactive_power_kvar,
          design_current_a: demand.design_current_a,
        },
        distribution: input.distribution,
        organisation: {
          device_count: demand.device_count,
          installed_power_kw: demand.installed_power_kw,
          design_provided: input.documents?.organisation_design !== 'missing',
        },
        voltage_drop_budget_percent: site.voltage_drop_budget_percent,
      },
      rs,
    );
    feederResult = feeder;
    findings.push(
      ...feeder.findings
        .filter((f: Finding) => f.rule !== 'R1')
        .map((f: Finding) => ({
          code: f.code,
          severity: f.severity,
          message: f.message,
          path: jsonPointer(f.path),
          rule: `${f.rule} ${f.clause}`,
          values: f.values,
        })),
    );
  }

  // Documents under the site's acceptance policy.
  const today = todayAt(site, nowIso);
  const docs = evaluateDocuments(
    documentPolicyOf(site),
    {
      documents: input.documents,
      organisation_design_required: demand.organisation_design_required,
      organisation_has_overdue_items: await organisationHasOverdue(store, site, input.organisation, today),
      acceptance_date: today,
      service_time_limit_date: input.window.end,
    },
    calendarOf(site),
  );
  findings.push(
    ...docs.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      path: jsonPointer(f.path),
      rule: f.rule,
    })),
  );

  // Capacity over the whole window at the requested or best point (pending counted: the conservative view).
  const shape = shapeOf(site, input.profile)!;
  const check = checkCapacity(
    cap.timelines,
    points.map((p) => ({ id: p.id, position_m: p.position_m })),
    {
      demand_kva: demand.apparent_power_kva,
      active_power_kw: demand.active_power_kw,
      reactive_power_kvar: demand.reactive_power_kvar,
      factors: classFactors(shape),
      window: input.window,
      position_m: input.position_m,
    },
    {
      count_pending: true,
      voltage_drop_budget_percent: site.voltage_drop_budget_percent,
      estimateFeeder: siteFeederEstimator(site),
    },
  );
  const chosenId = input.requested_point_id ?? check.best_point_id;
  const chosen = check.points.find((p) => p.point_id === chosenId);
  const alternatives = check.points
    .filter((p) => p.fits && p.point_id !== chosenId)
    .slice(0, 3)
    .map((p) => ({
      point_id: p.point_id,
      distance_m: Math.round(p.distance_m),
      min_headroom_kva: Math.round(p.min_headroom_kva * 10) / 10,
    }));
  if (chosen && !chosen.fits)
    findings.push({
      code: 'CAPACITY_INSUFFICIENT',
      severity: 'warning',
      message:
        `${chosen.point_id} cannot take ${Math.round(demand.apparent_power_kva * 10) / 10} kVA over the whole window: ${chosen.reasons.map((r) => r.message).join('; ')}` +
        (alternatives.length ? `; points that fit: ${alternatives.map((a) => a.point_id).join(', ')}` : '') +
        (check.earliest_fit
          ? `; earliest start that fits at ${check.earliest_fit.point_id}: ${check.earliest_fit.window.start}`
          : ''),
      path: input.requested_point_id ? '/requested_point_id' : '/window',
      rule: 'capacity over the window (loading cap × rating)',
      values: {
        min_headroom_kva: chosen.min_headroom_kva,
        first_conflict_at: chosen.first_conflict_at && localIso(chosen.first_conflict_at, site.timezone),
      },
    });
  // Fault currents, disconnection and motor starting at the chosen point (issue #17).
  const point = points.find((p) => p.id === chosenId);
  if (point && chosen) {
    const faults = assessFaults(
      site,
      point.rating_kva,
      feederResult,
      input.distribution?.feeder,
      (isEquipmentLoad(load) ? load.equipment : []).map((e) => ({
        type: e.type,
        ...(e.rated_power_kw === undefined ? {} : { rated_power_kw: e.rated_power_kw }),
      })),
      { active_power_kw: demand.active_power_kw, reactive_power_kvar: demand.reactive_power_kvar },
      chosen.limit_kva - chosen.min_headroom_kva - demand.apparent_power_kva,
    );
    findings.push(
      ...faults.findings.map((f: Finding) => ({
        code: f.code,
        // The breaker is the engine's choice, not declared: its assumed breaking capacity is a warning.
        severity: f.code === 'FAULT_BREAKING_CAPACITY' ? ('warning' as const) : f.severity,
        message: `${point.id}: ${f.message}`,
        path: jsonPointer(f.path),
        rule: `${f.rule} ${f.clause}`,
        values: f.values,
      })),
    );
  }
  return {
    outcome: docs.outcome,
    findings,
    demand,
    documents: { required: docs.required, statuses: docs.statuses, deferred: docs.deferred },
    notice: docs.notice ?? null,
    capacity: {
      point_id: chosen?.point_id ?? null,
      fits: chosen?.fits ?? false,
      min_headroom_kva: chosen ? chosen.min_headroom_kva : null,
      first_conflict_at: chosen?.first_conflict_at ? localIso(chosen.first_conflict_at, site.timezone) : null,
      alternatives,
      earliest_fit: check.earliest_fit,
    },
    low_voltage_threshold: lv,
  };
}

/** The workflow event that records an acceptance outcome; `not_accepted` leaves the application submitted. */
function acceptanceEvent(outcome: AcceptanceOutcome): ApplicationEvent | null {
  switch (outcome) {
    case 'accepted':
      return 'accept';
    case 'accepted_with_deferrals':
      return 'accept_with_deferrals';
    case 'rejected':
      return 'reject';
    case 'not_accepted':
      return null;
  }
}

// ---- views ------------------------------------------------------------------------------------------------

export interface ApplicationView {
  id: string;
  site_id: string;
  reference: string | null;
  organisation: string;
  state: ApplicationState;
  point_id: string | null;
  window: DateWindow;
  demand: Record<string, unknown>;
  demand_kva: number;
  deferred_documents: ApplicationRecord['deferred'];
  findings: Record<string, unknown>[];
  notice: Record<string, unknown> | null;
  lv_override: boolean;
  energised_on: string | null;
  term_extended_until: string | null;
  overdue_items: { type: string; due_date: string; days_overdue: number }[];
  allowed_events: ApplicationEvent[];
  stages: { stage: string; entered_at: string; left_at?: string; working_days: number; open: boolean }[];
  payload: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

function view(
  site: Site,
  a: ApplicationRecord,
  events: ApplicationEventRecord[],
  nowIso: string,
): ApplicationView {
  const today = todayAt(site, nowIso);
  const d = evaluateDeadlines(snapshot(a), today, deadlinePolicyOf(site), calendarOf(site));
  const stages = stageDurations(toStageEvents(events), site.timezone, calendarOf(site), nowIso);
  return {
    id: a.id,
    site_id: a.site_id,
    reference: a.reference,
    organisation: a.organisation,
    state: a.state,
    point_id: a.point_id,
    window: a.window,
    demand: a.demand,
    demand_kva: a.demand_kva,
    deferred_documents: a.deferred,
    // Applications stored before findings carried JSON pointers have their paths as key lists.
    findings: a.findings.map((f) =>
      Array.isArray(f.path) ? { ...f, path: jsonPointer(f.path as (string | number)[]) } : f,
    ),
    notice: a.notice,
    lv_override: a.lv_override,
    energised_on: a.energised_on,
    term_extended_until: a.term_extended_until,
    overdue_items: d.overdue_items.map((o) => ({
      type: o.type,
      due_date: o.due_date,
      days_overdue: o.days_overdue,
    })),
    allowed_events: Object.values(WORKFLOW)
      .filter((r) => r.from.includes(a.state))
      .map((r) => r.event),
    stages: stages.map((s) => ({
      stage: s.stage,
      entered_at: s.entered_at,
      ...(s.left_at ? { left_at: s.left_at } : {}),
      working_days: s.working_days,
      open: s.open,
    })),
    payload: a.payload,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

function toStageEvents(events: ApplicationEventRecord[]): StageEvent[] {
  return events
    .filter((e) => e.from_state !== e.to_state)
    .map((e) => ({
      from: (e.from_state as ApplicationState | null) ?? null,
      to: e.to_state as ApplicationState,
      at: e.at,
    }));
}

/** An application the principal may see: contractors only their organisation's (others are 404). */
async function visibleApplication(
  store: Store,
  siteId: string,
  id: string,
  principal: Principal,
): Promise<ApplicationRecord> {
  // Inside a transaction the row is locked, so concurrent transitions of one application run one after another.
  const a = store.inTransaction
    ? await store.applications.getForUpdate(siteId, id)
    : await store.applications.get(siteId, id);
  if (!a || (principal.role === 'contractor' && a.organisation !== principal.organisation))
    throw new DomainError('not_found', `Application ${id} does not exist on site ${siteId}`);
  return a;
}

// ---- events and effects ---------------------------------------------------------------------------------

interface Actor {
  role: 'engineer' | 'contractor' | 'system';
  key_id: string | null;
  organisation: string | null;
}

function actorOf(p: Principal): Actor {
  return { role: p.role === 'viewer' ? 'engineer' : p.role, key_id: p.key_id, organisation: p.organisation };
}

const SYSTEM: Actor = { role: 'system', key_id: null, organisation: null };

async function record(
  deps: Deps,
  tx: Store,
  a: ApplicationRecord,
  actor: Actor,
  event: string,
  from: string | null,
  to: string,
  reason: string | null,
  data: Record<string, unknown> | null,
  at: string,
) {
  await tx.events.append({
    id: deps.ids.next(),
    application_id: a.id,
    at,
    actor_key_id: actor.key_id,
    actor_role: actor.role,
    event,
    from_state: from,
    to_state: to,
    reason,
    data,
  });
}

function reservationFor(
  deps: Deps,
  site: Site,
  a: ApplicationRecord,
  pointId: string,
  state: ReservationState,
  at: string,
): ReservationRecord {
  const shape = shapeOf(site, (a.payload.profile as string | DailyShape | undefined) ?? 'continuous');
  return {
    id: deps.ids.next(),
    site_id: site.id,
    point_id: pointId,
    source: 'application',
    source_id: a.id,
    state,
    demand_kva: a.demand_kva,
    window: {
      start: a.window.start,
      end:
        a.term_extended_until && a.term_extended_until > a.window.end ? a.term_extended_until : a.window.end,
    },
    shape: shape ?? { hourly_factor: Array<number>(24).fill(1), weekend_factor: 1 },
    created_at: at,
    released_at: null,
  };
}

/**
 * Headroom of *reserved* load at one point over the application's window, as of the point's state in this
 * transaction (the caller holds the point's lock). When the process's cached timelines hold exactly that
 * state — same site version and same capacity version of the point, read here under the lock — their
 * reserved series is used; otherwise the point's overlapping reserved rows are read and summed.
 */
async function reservedHeadroom(
  tx: Store,
  site: Site,
  point: SupplyPoint,
  candidate: ReservationRecord,
  timelines?: TimelineService,
) {
  const cached = timelines?.cachedPoint(site.id, await tx.points.capacityKey(site.id), point.id);
  let tl: SiteTimelines | undefined;
  // The candidate's own earlier reserved rows must not count against it (rare: re-reservation): read then.
  if (
    cached &&
    !timelines!
      .reservationsOf(cached, candidate.source_id)
      .some((r) => r.point_id === point.id && r.state === 'reserved')
  )
    tl = cached.timelines;
  if (!tl) {
    // Only reserved rows whose window overlaps the candidate's can bind (windows are [start, end) local dates).
    const rows = (await tx.reservations.listReservedOverlapping(site.id, point.id, candidate.window)).filter(
      (r) => r.source_id !== candidate.source_id,
    );
    tl = buildSiteTimelines(
      gridOf(site),
      [
        {
          id: point.id,
          rating_kva: point.rating_kva,
          loading_cap: site.loading_cap,
          energised_from: point.energised_from,
        },
      ],
      rows.map(timelineLoad),
    );
  }
  const res = checkCapacity(
    tl,
    [{ id: point.id, position_m: point.position_m }],
    {
      demand_kva: candidate.demand_kva,
      active_power_kw: 0,
      reactive_power_kvar: 0,
      factors: classFactors(candidate.shape),
      window: candidate.window,
      position_m: point.position_m,
    },
    { count_pending: false },
  );
  return res.points[0]!;
}

async function applyEffects(
  deps: Deps,
  tx: Store,
  site: Site,
  a: ApplicationRecord,
  effects: EffectId[],
  at: string,
  options: { lv_override?: boolean; timelines?: TimelineService } = {},
) {
  for (const effect of effects) {
    switch (effect) {
      case 'reserve_capacity': {
        // Pending placement at the assigned point (not for a load above the LV threshold without override).
        if (a.point_id) {
          await tx.reservations.insert(reservationFor(deps, site, a, a.point_id, 'pending', at));
          await tx.points.bumpVersion(site.id, a.point_id);
        }
        break;
      }
      case 'confirm_reservation': {
        const pointId = a.point_id!;
        if ((await tx.points.lockForUpdate(site.id, pointId)) === undefined)
          throw new DomainError('not_found', `Supply point ${pointId} does not exist`);
        const point = (await tx.points.get(site.id, pointId))!;
        // Read the site under the point's lock: a site update locks every point before it changes the loading cap.
        site = await requireSite(tx, site.id);
        const lv = lvConnectionThreshold(
          site.low_voltage_threshold_kw,
          (a.demand as unknown as DemandSummary).installed_power_kw,
          (a.payload as { connection?: ConnectionKind }).connection,
        );
        if (lv.exceeded && !(options.lv_override ?? a.lv_override))
          throw new DomainError(
            'conflict',
            `a direct public-LV connection of ${Math.round(lv.value_kw * 10) / 10} kW installed exceeds the ${lv.threshold_kw} kW LV connection limit: approve with lv_override (engineer) to supply it from a site point, or connect it at 10 kV`,
            {
              details: { rule: 'LV_THRESHOLD_EXCEEDED' },
            },
          );
        const candidate = reservationFor(deps, site, a, pointId, 'reserved', at);
        const fit = await reservedHeadroom(tx, site, point, candidate, options.timelines);
        if (!fit.fits)
          throw new DomainError(
            'capacity_exceeded',
            `${pointId} has no headroom for ${Math.round(a.demand_kva * 10) / 10} kVA over ${a.window.start}…${a.window.end}: ${fit.reasons.map((r) => r.message).join('; ')}`,
            {
              details: {
                point_id: pointId,
                min_headroom_kva: fit.min_headroom_kva,
                first_conflict_at: fit.first_conflict_at,
                limit_kva: fit.limit_kva,
              },
            },
          );
        await tx.reservations.releaseBySource('application', a.id, at);
        await tx.reservations.insert(candidate);
        await tx.points.bumpVersion(site.id, pointId);
        break;
      }
      case 'release_capacity': {
        for (const p of await tx.reservations.releaseBySource('application', a.id, at))
          await tx.points.bumpVersion(site.id, p);
        break;
      }
      case 'extend_reservation': {
        const current = await tx.reservations.listBySource('application', a.id);
        const state: ReservationState = current[0]?.state ?? 'reserved';
        for (const p of await tx.reservations.releaseBySource('application', a.id, at))
          await tx.points.bumpVersion(site.id, p);
        if (a.point_id) {
          const candidate = reservationFor(deps, site, a, a.point_id, state, at);
          if (state === 'reserved') {
            await tx.points.lockForUpdate(site.id, a.point_id);
            site = await requireSite(tx, site.id);
            const fit = await reservedHeadroom(
              tx,
              site,
              (await tx.points.get(site.id, a.point_id))!,
              candidate,
            );
            if (!fit.fits)
              throw new DomainError(
                'capacity_exceeded',
                `${a.point_id} has no headroom for the extension: ${fit.reasons.map((r) => r.message).join('; ')}`,
                {
                  details: {
                    point_id: a.point_id,
                    min_headroom_kva: fit.min_headroom_kva,
                    first_conflict_at: fit.first_conflict_at,
                  },
                },
              );
          }
          await tx.reservations.insert(candidate);
          await tx.points.bumpVersion(site.id, a.point_id);
        }
        break;
      }
      case 'energise_supply':
        a.energised_on = todayAt(site, at);
        break;
      case 'disconnect_supply':
      case 'reconnect_supply':
      case 'issue_deferral_notice':
      case 'schedule_deadline_checks':
      case 'cancel_deadline_checks':
      case 'notify_applicant':
      case 'alert_engineer':
        // Recorded in the event's data: the event log is the notification outbox.
        break;
    }
  }
}

/** Runs one workflow event on an application inside a transaction; returns the updated record. */
async function fire(
  deps: Deps,
  tx: Store,
  site: Site,
  a: ApplicationRecord,
  event: ApplicationEvent,
  actor: Actor,
  at: string,
  opts: {
    reason?: string | null;
    extend_until?: string;
    lv_override?: boolean;
    data?: Record<string, unknown>;
    /** The process's cached timelines, for the headroom check of a reservation. */
    timelines?: TimelineService;
  } = {},
): Promise<ApplicationRecord> {
  const result = transition(snapshot(a), event, {
    actor: {
      role: actor.role,
      is_applicant: actor.role === 'contractor' && actor.organisation === a.organisation,
    },
    today: todayAt(site, at),
    calendar: calendarOf(site),
    policy: deadlinePolicyOf(site),
    ...(opts.extend_until ? { extend_until: opts.extend_until } : {}),
  });
  if (!result.ok) {
    const code = result.code === 'forbidden' ? 'forbidden' : 'illegal_transition';
    throw new DomainError(code, result.message, {
      details: {
        event,
        state: a.state,
        allowed_events: result.allowed_events,
        failed_guards: result.failed_guards,
      },
    });
  }
  const next: ApplicationRecord = {
    ...a,
    state: result.to,
    return_stack: result.application.return_stack,
    updated_at: at,
    ...(event === 'extend' && opts.extend_until ? { term_extended_until: opts.extend_until } : {}),
    ...(opts.lv_override !== undefined ? { lv_override: opts.lv_override } : {}),
  };
  await applyEffects(deps, tx, site, next, result.effects, at, {
    lv_override: opts.lv_override,
    timelines: opts.timelines,
  });
  await tx.applications.update(next);
  await record(
    deps,
    tx,
    next,
    actor,
    event,
    result.from,
    result.to,
    opts.reason ?? null,
    { effects: result.effects, ...(opts.data ?? {}) },
    at,
  );
  return next;
}

/**
 * Brings an application's state up to date with its deadlines (overdue, reservation release after grace,
 * expiry), as the system actor. Evaluated on every read and by the periodic sweep, so no state is stale.
 */
async function catchUp(
  deps: Deps,
  tx: Store,
  site: Site,
  a: ApplicationRecord,
  at: string,
): Promise<ApplicationRecord> {
  let cur = a;
  for (let i = 0; i < 4; i++) {
    const d = evaluateDeadlines(snapshot(cur), todayAt(site, at), deadlinePolicyOf(site), calendarOf(site));
    const event: ApplicationEvent | null =
      d.should_expire && cur.state !== 'expired'
        ? 'expire'
        : d.should_release_reservation && cur.state === 'overdue'
          ? 'release_reservation'
          : d.should_mark_overdue && cur.state !== 'overdue'
            ? 'mark_overdue'
            : null;
    if (!event) return cur;
    const r = transition(snapshot(cur), event, {
      actor: { role: 'system' },
      today: todayAt(site, at),
      calendar: calendarOf(site),
      policy: deadlinePolicyOf(site),
    });
    if (!r.ok) return cur;
    cur = await fire(deps, tx, site, cur, event, SYSTEM, at, { reason: 'deadline evaluation' });
  }
  return cur;
}

// ---- use cases ---------------------------------------------------------------------------------------------

export async function validateApplication(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  principal: Principal,
  input: ApplicationInput,
) {
  scopeOrganisation(principal, input);
  return assess(deps, timelines, deps.store, siteId, input, deps.clock.now());
}

function scopeOrganisation(principal: Principal, input: ApplicationInput): void {
  if (principal.role === 'contractor' && input.organisation !== principal.organisation)
    throw new DomainError('forbidden', `This key submits for "${principal.organisation ?? ''}" only`, {
      issues: [{ path: ['organisation'], message: `must be "${principal.organisation ?? ''}" for this key` }],
    });
}

export interface SubmitResult {
  status: number;
  body: { application: ApplicationView; assessment: Assessment };
  replayed: boolean;
}

class IdempotencyReplay extends Error {}

export async function submitApplication(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  principal: Principal,
  input: ApplicationInput,
  idempotencyKey?: string,
): Promise<SubmitResult> {
  scopeOrganisation(principal, input);
  const requestHash = sha256(canonicalJson({ siteId, input }));
  const replay = async (): Promise<SubmitResult> => {
    const rec = await deps.store.idempotency.get(principal.key_id, idempotencyKey!);
    if (!rec || rec.status_code === 0)
      throw new DomainError('conflict', 'A submission with this Idempotency-Key is still in progress; retry');
    if (rec.request_sha256 !== requestHash)
      throw new DomainError(
        'idempotency_mismatch',
        'This Idempotency-Key was used with a different request body',
        { details: { idempotency_key: idempotencyKey } },
      );
    return { status: rec.status_code, body: rec.response as SubmitResult['body'], replayed: true };
  };
  if (idempotencyKey) {
    const existing = await deps.store.idempotency.get(principal.key_id, idempotencyKey);
    if (existing) return replay();
  }
  // The assessment only reads (and its capacity figures are advice: approval enforces capacity under a lock),
  // so it runs on the cached timelines before the write transaction opens.
  const at = deps.clock.now();
  const assessment = await assess(deps, timelines, deps.store, siteId, input, at);
  try {
    return await deps.store.transaction(async (tx) => {
      if (idempotencyKey) {
        const claimed = await tx.idempotency.insert({
          principal_key_id: principal.key_id,
          idempotency_key: idempotencyKey,
          request_sha256: requestHash,
          status_code: 0,
          response: null,
          created_at: at,
        });
        if (!claimed) throw new IdempotencyReplay();
      }
      const site = await requireSite(tx, siteId);
      const actor = actorOf(principal);
      const lvBlocked = assessment.low_voltage_threshold.exceeded;
      let a: ApplicationRecord = {
        id: deps.ids.next(),
        site_id: siteId,
        organisation: input.organisation,
        reference: input.reference ?? null,
        state: 'submitted',
        return_stack: [],
        payload: input as unknown as Record<string, unknown>,
        demand: assessment.demand as unknown as Record<string, unknown>,
        demand_kva: assessment.demand.apparent_power_kva,
        window: input.window,
        point_id: lvBlocked && !input.requested_point_id ? null : assessment.capacity.point_id,
        ...documentOutcome(assessment),
        energised_on: null,
        term_extended_until: null,
        lv_override: false,
        submitted_by: principal.key_id,
        created_at: at,
        updated_at: at,
      };
      await tx.applications.insert(a);
      await record(
        deps,
        tx,
        a,
        actor,
        'submit',
        null,
        'submitted',
        null,
        { outcome: assessment.outcome },
        at,
      );
      const event = acceptanceEvent(assessment.outcome);
      if (event)
        a = await fire(deps, tx, site, a, event, SYSTEM, at, {
          reason: `document check: ${assessment.outcome}`,
        });
      const events = await tx.events.list(a.id);
      const body = { application: view(site, a, events, at), assessment };
      const status = 201;
      if (idempotencyKey) await tx.idempotency.complete(principal.key_id, idempotencyKey, status, body);
      return { status, body, replayed: false };
    });
  } catch (e) {
    if (e instanceof IdempotencyReplay || (idempotencyKey && isUnique(e))) return replay();
    throw e;
  }
}

function isUnique(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs `fn` in one transaction on an application the principal may see, locked and brought up to date with
 * its deadlines first.
 */
async function inApplication<T>(
  deps: Deps,
  siteId: string,
  id: string,
  principal: Principal,
  fn: (tx: Store, site: Site, a: ApplicationRecord, at: string) => Promise<T>,
): Promise<T> {
  return deps.store.transaction(async (tx) => {
    const site = await requireSite(tx, siteId);
    const at = deps.clock.now();
    const a = await catchUp(deps, tx, site, await visibleApplication(tx, siteId, id, principal), at);
    return fn(tx, site, a, at);
  });
}

export async function getApplication(
  deps: Deps,
  siteId: string,
  id: string,
  principal: Principal,
): Promise<ApplicationView> {
  return inApplication(deps, siteId, id, principal, async (tx, site, a, at) =>
    view(site, a, await tx.events.list(a.id), at),
  );
}

export async function listApplications(
  deps: Deps,
  siteId: string,
  principal: Principal,
  filter: ApplicationFilter & { overdue?: boolean },
): Promise<ApplicationView[]> {
  const site = await requireSite(deps.store, siteId);
  const at = deps.clock.now();
  await sweepSite(deps, siteId);
  const scoped =
    principal.role === 'contractor'
      ? { ...filter, organisation: principal.organisation ?? '\u0000' }
      : filter;
  const apps = await deps.store.applications.list(siteId, scoped);
  const events = await deps.store.events.listForSite(siteId);
  const byApp = new Map<string, ApplicationEventRecord[]>();
  for (const e of events) byApp.set(e.application_id, [...(byApp.get(e.application_id) ?? []), e]);
  const views = apps.map((a) => view(site, a, byApp.get(a.id) ?? [], at));
  return filter.overdue ? views.filter((v) => v.overdue_items.length > 0) : views;
}

export async function listEvents(
  deps: Deps,
  siteId: string,
  id: string,
  principal: Principal,
): Promise<ApplicationEventRecord[]> {
  const a = await visibleApplication(deps.store, siteId, id, principal);
  return deps.store.events.list(a.id);
}

export interface TransitionInput {
  event:
    | Exclude<ApplicationEvent, 'approve' | 'mark_overdue' | 'documents_completed' | 'release_reservation'>
    | 'approve';
  point_id?: string;
  lv_override?: boolean;
  extend_until?: string;
  reason?: string;
}

/** An engineer or the applicant moves an application through the workflow. */
export async function transitionApplication(
  deps: Deps,
  siteId: string,
  id: string,
  principal: Principal,
  input: TransitionInput,
  timelines?: TimelineService,
): Promise<ApplicationView> {
  return inApplication(deps, siteId, id, principal, async (tx, site, current, at) => {
    let a = current;
    if (input.point_id !== undefined) {
      if (principal.role !== 'engineer')
        throw new DomainError('forbidden', 'Only an engineer assigns the supply point');
      if (!(await tx.points.get(siteId, input.point_id)))
        throw new DomainError('validation_failed', `No supply point ${input.point_id}`, {
          issues: [{ path: ['point_id'], message: 'unknown supply point' }],
        });
      if (input.point_id !== a.point_id) {
        for (const p of await tx.reservations.releaseBySource('application', a.id, at))
          await tx.points.bumpVersion(siteId, p);
        a = { ...a, point_id: input.point_id };
      }
    }
    if (input.lv_override && principal.role !== 'engineer')
      throw new DomainError('forbidden', 'Only an engineer may override the low-voltage threshold');
    a = await fire(deps, tx, site, a, input.event, actorOf(principal), at, {
      reason: input.reason ?? null,
      ...(input.extend_until ? { extend_until: input.extend_until } : {}),
      ...(input.lv_override !== undefined ? { lv_override: input.lv_override } : {}),
      ...(input.point_id ? { data: { point_id: input.point_id } } : {}),
      ...(timelines ? { timelines } : {}),
    });
    return view(site, a, await tx.events.list(a.id), at);
  });
}

export interface MoveInput {
  point_id: string;
  force?: boolean;
  reason?: string;
}

/**
 * An engineer re-points an application and its active reservations (pending or reserved) to another supply
 * point, in one transaction under both points' locks (id order). The moved reserved load must fit the target
 * with everything already reserved there, overcommitted loads included (the check an approval makes); else
 * 409 `capacity_overbooked`, or with `force` the reservations involved are recorded as overcommitted. Marks
 * the moved reservations carried on their old point are cleared; the old point's marks are re-evaluated.
 */
export async function moveApplication(
  deps: Deps,
  siteId: string,
  id: string,
  principal: Principal,
  input: MoveInput,
): Promise<ApplicationView> {
  if (principal.role !== 'engineer')
    throw new DomainError('forbidden', 'Only an engineer moves an application to another supply point');
  return inApplication(deps, siteId, id, principal, async (tx, _site, a, at) => {
    const from = a.point_id;
    if (from === input.point_id)
      throw new DomainError('conflict', `Application ${a.id} is already on ${input.point_id}`, {
        issues: [{ path: ['point_id'], message: 'is the current supply point' }],
      });
    await lockPoints(tx, siteId, from ? [from, input.point_id] : [input.point_id]);
    const site = await requireSite(tx, siteId);
    const target = await tx.points.get(siteId, input.point_id);
    if (!target)
      throw new DomainError('validation_failed', `No supply point ${input.point_id}`, {
        issues: [{ path: ['point_id'], message: 'unknown supply point' }],
      });
    const actor = actorOf(principal);
    const rows = await tx.reservations.listBySource('application', a.id);
    const ids = rows.map((r) => r.id);
    await tx.reservations.movePoint(siteId, ids, target.id);
    await tx.reservations.setOvercommitted(
      siteId,
      rows.filter((r) => r.overcommitted).map((r) => r.id),
      null,
    );
    const forced = await enforceCapacity(deps, tx, site, [target], {
      actor,
      action: 'move',
      candidates: new Set(rows.filter((r) => r.state === 'reserved').map((r) => r.id)),
      ...(input.force ? { force: true } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    });
    const source = from ? await tx.points.get(siteId, from) : undefined;
    if (source) await enforceCapacity(deps, tx, site, [source], { actor, action: 'move' });
    for (const p of from ? [from, target.id] : [target.id]) await tx.points.bumpVersion(siteId, p);
    const next: ApplicationRecord = { ...a, point_id: target.id, updated_at: at };
    await tx.applications.update(next);
    await record(
      deps,
      tx,
      next,
      actor,
      'move',
      a.state,
      a.state,
      input.reason ?? null,
      {
        from_point_id: from,
        to_point_id: target.id,
        reservation_ids: ids,
        ...(forced.length ? { overcommitted: forced.map((f) => f.point_id) } : {}),
      },
      at,
    );
    return view(site, next, await tx.events.list(a.id), at);
  });
}

/** The applicant (or an engineer) supplies deferred or missing documents. */
export async function supplyDocuments(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  id: string,
  principal: Principal,
  documents: Record<string, { file_name?: string; sha256?: string }>,
): Promise<ApplicationView> {
  return inApplication(deps, siteId, id, principal, async (tx, site, current, at) => {
    let a = current;
    if (['rejected', 'withdrawn', 'closed', 'expired'].includes(a.state))
      throw new DomainError(
        'illegal_transition',
        `Documents cannot be supplied to an application that is ${a.state}`,
        { details: { state: a.state, allowed_events: [] } },
      );
    const today = todayAt(site, at);
    const payload = {
      ...a.payload,
      documents: { ...((a.payload.documents as Record<string, DocumentStatus> | undefined) ?? {}) },
    } as Record<string, unknown> & {
      documents: Record<string, DocumentStatus>;
      document_refs?: Record<string, unknown>;
    };
    for (const t of Object.keys(documents)) payload.documents[t] = 'provided';
    payload.document_refs = { ...(payload.document_refs ?? {}), ...documents };
    a = {
      ...a,
      payload,
      deferred: a.deferred.map((d) =>
        documents[d.type] && !d.supplied_on ? { ...d, supplied_on: today } : d,
      ),
      updated_at: at,
    };
    await tx.applications.update(a);
    await record(
      deps,
      tx,
      a,
      actorOf(principal),
      'documents_supplied',
      a.state,
      a.state,
      null,
      { documents },
      at,
    );
    if (a.state === 'submitted') {
      // Not accepted yet (e.g. the commitment letter was missing): assess the documents again.
      const input = a.payload as unknown as ApplicationInput;
      const assessment = await assess(deps, timelines, tx, siteId, input, at);
      a = {
        ...a,
        ...documentOutcome(assessment),
      };
      await tx.applications.update(a);
      const event = acceptanceEvent(assessment.outcome);
      if (event)
        a = await fire(deps, tx, site, a, event, SYSTEM, at, {
          reason: `document check: ${assessment.outcome}`,
        });
    } else if (
      a.deferred.length > 0 &&
      a.deferred.every((d) => d.supplied_on) &&
      WORKFLOW.documents_completed.from.includes(a.state)
    ) {
      a = await fire(deps, tx, site, a, 'documents_completed', SYSTEM, at, {
        reason: 'every deferred document supplied',
      });
    }
    return view(site, a, await tx.events.list(a.id), at);
  });
}

/** Evaluates the deadlines of every live application of a site (the periodic sweep; also run on list reads). */
export async function sweepSite(deps: Deps, siteId: string): Promise<number> {
  const site = await requireSite(deps.store, siteId);
  const at = deps.clock.now();
  const today = todayAt(site, at);
  let changed = 0;
  for (const a of await deps.store.applications.list(siteId)) {
    if (['rejected', 'withdrawn', 'closed', 'submitted'].includes(a.state)) continue;
    const d = evaluateDeadlines(snapshot(a), today, deadlinePolicyOf(site), calendarOf(site));
    const due =
      (d.should_expire && a.state !== 'expired') ||
      (d.should_release_reservation && a.state === 'overdue') ||
      (d.should_mark_overdue && a.state !== 'overdue');
    if (!due) continue;
    await deps.store.transaction(async (tx) => {
      const fresh = await tx.applications.getForUpdate(siteId, a.id);
      if (fresh) {
        const after = await catchUp(deps, tx, site, fresh, at);
        if (after.state !== fresh.state) changed++;
      }
    });
  }
  return changed;
}

export async function sweepAll(deps: Deps): Promise<number> {
  let n = 0;
  for (const s of await deps.store.sites.list()) n += await sweepSite(deps, s.id);
  return n;
}

/**
 * Applications by state, overdue deferred documents and stage-time statistics, for dashboards. With `sweep`
 * (the default) overdue states are brought up to date first; metrics scrapes read without writing.
 */
export async function applicationStats(deps: Deps, siteId: string, options: { sweep?: boolean } = {}) {
  const site = await requireSite(deps.store, siteId);
  if (options.sweep ?? true) await sweepSite(deps, siteId);
  const at = deps.clock.now();
  const today = todayAt(site, at);
  const apps = await deps.store.applications.list(siteId);
  const events = await deps.store.events.listForSite(siteId);
  const byState: Record<string, number> = {};
  for (const a of apps) byState[a.state] = (byState[a.state] ?? 0) + 1;
  const overdue = apps.flatMap((a) =>
    evaluateDeadlines(snapshot(a), today, deadlinePolicyOf(site), calendarOf(site)).overdue_items.map(
      (o) => ({
        application_id: a.id,
        reference: a.reference,
        organisation: a.organisation,
        type: o.type,
        due_date: o.due_date,
        days_overdue: o.days_overdue,
      }),
    ),
  );
  const histories = new Map<string, StageEvent[]>();
  for (const e of events)
    histories.set(e.application_id, [...(histories.get(e.application_id) ?? []), ...toStageEvents([e])]);
  const stage_times = stageStatistics([...histories.values()], site.timezone, calendarOf(site), {
    now: at,
    include_open: true,
  }).map((s) => ({
    stage: s.stage,
    count: s.count,
    median_working_days: s.median_working_days,
    p90_working_days: s.p90_working_days,
  }));
  return {
    site_id: siteId,
    at,
    total: apps.length,
    by_state: byState,
    overdue_item_count: overdue.length,
    overdue_items: overdue,
    stage_times,
  };
}

/**
 * The statistics as a principal may see them: counts and stage times for everyone; overdue items by
 * application id for an engineer all, for a contractor its own organisation's, for a viewer none
 * (`overdue_item_count` counts them all).
 */
export async function applicationStatsFor(deps: Deps, siteId: string, principal: Principal) {
  const stats = await applicationStats(deps, siteId);
  switch (principal.role) {
    case 'engineer':
      return stats;
    case 'viewer':
      return { ...stats, overdue_items: [] };
    case 'contractor':
      return {
        ...stats,
        overdue_items: stats.overdue_items.filter((o) => o.organisation === principal.organisation),
      };
  }
}
