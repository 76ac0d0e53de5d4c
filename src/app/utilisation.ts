/**
 * Capacity utilisation for dashboards, one point's full timeline, and the "would it fit" check.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../domain/errors.js';
import { ruleSet } from '../domain/catalog/rule-sets.js';
import { hourIndexOfDate, hourToIso, isIsoDate, type HourGrid } from '../domain/profile/calendar.js';
import {
  classFactors,
  resolveShape,
  shapeIssues,
  windowIssues,
  type DailyShape,
  type DateWindow,
} from '../domain/profile/profile.js';
import { siteFeederEstimator } from './feeders.js';
import { demandOfLoad, isEquipmentLoad, type LoadInput } from './load.js';
import { warningWithPointer } from './pointer.js';
import { forWire, localIso } from './wire-format.js';
import {
  bucketSeries,
  pointUtilisation,
  seriesPeak,
  siteSeries,
  siteUtilisation,
  type BucketResolution,
} from '../domain/utilisation/summary.js';
import { combinedSeries } from '../domain/utilisation/timeline.js';
import { checkCapacity } from '../domain/utilisation/capacity-check.js';
import { profileNamed, type Site } from '../domain/site.js';
import type { Deps, Principal, ReservationRecord } from './ports.js';
import type { SiteCapacity, TimelineService } from './timelines.js';

export interface RangeQuery {
  from?: string;
  to?: string;
  resolution: BucketResolution;
  at?: string;
}

/**
 * Most buckets one series of a utilisation read may hold: hourly over ~2.3 years (the reference horizon, 734
 * days, is 17,616 hours); daily and weekly over any allowed horizon. Bounds the size and the work of a read.
 */
export const MAX_SERIES_BUCKETS = 20_000;

function bucketLimitIssues(from: number, to: number, resolution: BucketResolution): FieldIssue[] {
  // Day and week buckets are never more than the hours / 23: only an hourly read can pass the limit.
  if (resolution !== 'hour' || to - from <= MAX_SERIES_BUCKETS) return [];
  return [
    {
      path: ['to'],
      code: 'range_too_large',
      message: `an hourly read covers at most ${MAX_SERIES_BUCKETS} hours; this range has ${to - from}: narrow from/to or use resolution=day`,
    },
  ];
}

function rangeHours(grid: HourGrid, q: { from?: string; to?: string }): { from: number; to: number } {
  const issues: FieldIssue[] = [];
  if (q.from !== undefined && (!isIsoDate(q.from) || q.from < grid.start_date || q.from > grid.end_date))
    issues.push({
      path: ['from'],
      message: `must be a date within the site horizon ${grid.start_date}…${grid.end_date}`,
    });
  if (q.to !== undefined && (!isIsoDate(q.to) || q.to < grid.start_date))
    issues.push({ path: ['to'], message: `must be a date after the horizon start ${grid.start_date}` });
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from)
    issues.push({ path: ['to'], message: 'must be after from' });
  assertNoIssues(issues, 'Invalid range');
  return {
    from: q.from ? hourIndexOfDate(grid, q.from) : 0,
    to: q.to ? hourIndexOfDate(grid, q.to) : grid.hours,
  };
}

function nowHour(grid: HourGrid, at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms))
    throw new DomainError('validation_failed', 'Invalid "at"', {
      issues: [{ path: ['at'], message: 'must be an ISO-8601 instant' }],
    });
  return Math.floor((ms - grid.start_ms) / 3_600_000);
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** `series[from…to)` rounded to 0.1 kVA (docs/nomenclature.md) as a plain array (a 10-year point timeline is 87,648 hours). */
function roundedSlice(series: Float64Array, from: number, to: number): number[] {
  const out = new Array<number>(Math.max(0, to - from));
  for (let h = from; h < to; h++) out[h - from] = Math.round((series[h] ?? 0) * 10) / 10;
  return out;
}

/**
 * Which loads a principal may see by id (tenancy): an engineer all of them; a contractor those of its own
 * organisation (its applications and its requests placed by a plan); a viewer none. Loads not visible count
 * only in the aggregates (series, peaks, counts). `key` names the scope for caches.
 */
export interface LoadScope {
  key: string;
  sees: (r: ReservationRecord | undefined) => boolean;
}

export const ALL_LOADS: LoadScope = { key: 'all', sees: () => true };

export async function loadScopeOf(deps: Deps, siteId: string, principal: Principal): Promise<LoadScope> {
  switch (principal.role) {
    case 'engineer':
      return ALL_LOADS;
    case 'viewer':
      return { key: 'none', sees: () => false };
    case 'contractor': {
      const org = principal.organisation;
      if (org === null) return { key: 'none', sees: () => false };
      const [apps, requests] = await Promise.all([
        deps.store.applications.list(siteId, { organisation: org }),
        deps.store.loadRequests.list(siteId),
      ]);
      const appIds = new Set(apps.map((a) => a.id));
      const requestIds = new Set(requests.filter((r) => r.organisation === org).map((r) => r.id));
      return {
        key: `org:${org}`,
        sees: (r) =>
          r !== undefined &&
          ((r.source === 'application' && appIds.has(r.source_id)) ||
            (r.source === 'plan' && requestIds.has(r.source_id))),
      };
    }
  }
}

/**
 * The utilisation read as JSON text, computed once per timeline version, range, resolution and current hour
 * (dashboards poll the same view; any reservation change bumps the version).
 */
export async function readUtilisationJson(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  q: RangeQuery,
  scope: LoadScope = ALL_LOADS,
): Promise<Buffer> {
  const at = q.at ?? deps.clock.now();
  const cap = await timelines.get(deps.store, siteId);
  const { from, to } = rangeHours(cap.grid, q);
  assertNoIssues(bucketLimitIssues(from, to, q.resolution), 'Invalid range');
  const now = nowHour(cap.grid, at);
  // A load's organisation never changes and every change of the loads bumps the version: a body cached per
  // scope stays exact.
  const key = `utilisation|${from}|${to}|${q.resolution}|${now}|${scope.key}`;
  // Cached as UTF-8 bytes: a whole-horizon body is large, and encoding (and measuring) the string again on
  // every request cost more than everything else in the read. Built point by point, yielding between points.
  const body = await timelines.derivedAsync(deps.store, siteId, key, async (c, pause) => {
    const { at: _at, points, ...rest } = await utilisationOf(c, q, from, to, now, scope, pause);
    await pause();
    const timeZone = c.site.timezone;
    const parts: string[] = [JSON.stringify(forWire(rest, { timeZone })).slice(1, -1), ',"points":['];
    for (const [i, p] of points.entries()) {
      await pause();
      parts.push(i > 0 ? ',' : '', JSON.stringify(forWire(p, { timeZone })));
    }
    parts.push(']}');
    return Buffer.from(parts.join(''), 'utf8');
  });
  const local = localIso(new Date(Date.parse(at)).toISOString(), cap.site.timezone);
  return Buffer.concat([Buffer.from(`{"at":${JSON.stringify(local)},`, 'utf8'), body]);
}

export async function readUtilisation(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  q: RangeQuery,
  scope: LoadScope = ALL_LOADS,
) {
  const cap = await timelines.get(deps.store, siteId);
  const { from, to } = rangeHours(cap.grid, q);
  assertNoIssues(bucketLimitIssues(from, to, q.resolution), 'Invalid range');
  const at = q.at ?? deps.clock.now();
  return forWire(
    { ...(await utilisationOf(cap, q, from, to, nowHour(cap.grid, at), scope)), at },
    { timeZone: cap.site.timezone },
  );
}

/** The ids (reservation ids) among `ids` that the scope may see. */
function visibleIds(cap: SiteCapacity, scope: LoadScope, ids: string[]): string[] {
  return scope === ALL_LOADS ? ids : ids.filter((id) => scope.sees(cap.reservations.get(id)));
}

/** Whole-horizon figures of one point, as `GET …/utilisation` reports them (the metrics' gauges). */
export interface PointFigures {
  point_id: string;
  peak_kva: number;
  headroom_kva: number;
  utilisation_percent: number;
  /** Reservations kept with force above the point's limit. */
  overcommitted: { count: number; demand_kva: number };
}

/**
 * The whole-horizon peak, headroom and utilisation of every point of a site, computed once per timeline
 * version (they do not depend on "now"), yielding between points. Same numbers as the utilisation read.
 */
export async function readPointFigures(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
): Promise<PointFigures[]> {
  return timelines.derivedAsync(deps.store, siteId, 'figures', async (cap, pause) => {
    const out: PointFigures[] = [];
    for (const p of cap.points) {
      await pause();
      const pt = cap.timelines.point(p.id);
      const peak = seriesPeak(combinedSeries(pt, true), 0, cap.grid.hours).peak_kva;
      let count = 0;
      let kva = 0;
      for (const r of cap.reservations.values())
        if (r.point_id === p.id && r.overcommitted) {
          count++;
          kva += r.demand_kva;
        }
      out.push({
        point_id: p.id,
        peak_kva: peak,
        headroom_kva: r3(pt.limit_kva - peak),
        utilisation_percent: (peak / p.rating_kva) * 100,
        overcommitted: { count, demand_kva: r3(kva) },
      });
    }
    return out;
  });
}

async function utilisationOf(
  cap: SiteCapacity,
  q: RangeQuery,
  from: number,
  to: number,
  now: number,
  scope: LoadScope,
  pause: () => Promise<void> = () => Promise.resolve(),
) {
  const { grid, site } = cap;
  const at = hourToIso(grid, Math.max(0, Math.min(grid.hours - 1, now)));
  const points = [];
  for (const p of cap.points) {
    await pause();
    points.push(pointEntry(p));
  }
  await pause();
  function pointEntry(p: SiteCapacity['points'][number]) {
    const u = pointUtilisation(cap.timelines, p.id, { from_hour: from, to_hour: to, now_hour: now });
    const pt = cap.timelines.point(p.id);
    const reserved = bucketSeries(pt.reserved, grid, from, to, q.resolution);
    const total = bucketSeries(combinedSeries(pt, true), grid, from, to, q.resolution);
    const loads = cap.timelines.loads(p.id);
    const overcommitted = [...cap.reservations.values()].filter(
      (r) => r.point_id === p.id && r.overcommitted,
    );
    return {
      point_id: p.id,
      name: p.name,
      status: p.status,
      position_m: p.position_m,
      rating_kva: p.rating_kva,
      loading_cap: site.loading_cap,
      limit_kva: u.limit_kva,
      energised_from: p.energised_from,
      reserved: u.reserved,
      total: u.total,
      peak_kva: u.total.peak_kva,
      peak_at: u.total.peak_at,
      headroom_kva: r3(u.limit_kva - u.total.peak_kva),
      utilisation_percent: u.total.utilisation_of_rating_percent,
      utilisation_of_limit_percent: u.total.utilisation_of_limit_percent,
      hours_above_limit: u.hours_above_limit,
      now: u.now,
      forecast_peak_kva: u.forecast_after_now.peak_kva,
      forecast_peak_at: u.forecast_after_now.peak_at,
      next_conflict_at: u.next_conflict_at,
      loads: {
        reserved: loads.filter((l) => l.load.state === 'reserved').length,
        pending: loads.filter((l) => l.load.state === 'pending').length,
      },
      loads_before_energisation: visibleIds(cap, scope, u.loads_before_energisation),
      overcommitted: {
        count: overcommitted.length,
        demand_kva: r3(overcommitted.reduce((sum, r) => sum + r.demand_kva, 0)),
        reservation_ids: visibleIds(
          cap,
          scope,
          overcommitted.map((r) => r.id),
        ),
      },
      series: reserved.map((b, i) => ({
        start: b.start,
        reserved_kva: r3(b.max_kva),
        total_kva: r3(total[i]?.max_kva ?? 0),
      })),
    };
  }
  const s = siteUtilisation(cap.timelines, {
    cap_kva: site.total_capacity_cap_kva,
    from_hour: from,
    to_hour: to,
  });
  await pause();
  const siteReserved = bucketSeries(siteSeries(cap.timelines, false), grid, from, to, q.resolution);
  const siteTotal = bucketSeries(siteSeries(cap.timelines, true), grid, from, to, q.resolution);
  return {
    site_id: site.id,
    timezone: site.timezone,
    from: q.from ?? grid.start_date,
    to: q.to ?? grid.end_date,
    resolution: q.resolution,
    at,
    now_at: now >= 0 && now < grid.hours ? hourToIso(grid, now) : null,
    site: {
      cap_kva: site.total_capacity_cap_kva,
      rating_sum_kva: s.rating_sum_kva,
      limit_sum_kva: s.limit_sum_kva,
      cap_headroom_kva: s.cap_headroom_kva,
      ratings_within_cap: s.ratings_within_cap,
      coincident_peak_kva: s.coincident_peak_kva,
      coincident_peak_at: s.coincident_peak_at,
      coincident_peak_of_cap_percent: s.coincident_peak_of_cap_percent,
      sum_of_point_peaks_kva: s.sum_of_point_peaks_kva,
      series: siteReserved.map((b, i) => ({
        start: b.start,
        reserved_kva: r3(b.max_kva),
        total_kva: r3(siteTotal[i]?.max_kva ?? 0),
      })),
    },
    points,
  };
}

export async function readPointTimeline(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  pointId: string,
  q: { from?: string; to?: string },
  scope: LoadScope = ALL_LOADS,
) {
  const cap = await timelines.get(deps.store, siteId);
  const point = cap.points.find((p) => p.id === pointId);
  if (!point) throw new DomainError('not_found', `Supply point ${pointId} does not exist on site ${siteId}`);
  const { grid } = cap;
  const { from, to } = rangeHours(grid, q);
  const pt = cap.timelines.point(pointId);
  const now = nowHour(grid, deps.clock.now());
  const u = pointUtilisation(cap.timelines, pointId, { from_hour: from, to_hour: to, now_hour: now });
  const all = cap.timelines.loads(pointId);
  const reserved = roundedSlice(pt.reserved, from, to);
  const pending = roundedSlice(pt.pending, from, to);
  const head = forWire(
    {
      site_id: siteId,
      point_id: pointId,
      rating_kva: point.rating_kva,
      limit_kva: pt.limit_kva,
      energised_from: point.energised_from,
      start_at: hourToIso(grid, from),
      start_at_utc: hourToIso(grid, from),
      hours: to - from,
      step_s: 3600,
      summary: { ...u, loads_before_energisation: visibleIds(cap, scope, u.loads_before_energisation) },
      load_counts: {
        reserved: all.filter((l) => l.load.state === 'reserved').length,
        pending: all.filter((l) => l.load.state === 'pending').length,
      },
      loads: all.flatMap((l) => {
        const rec = cap.reservations.get(l.load.id);
        if (!scope.sees(rec)) return [];
        return {
          reservation_id: l.load.id,
          state: l.load.state,
          demand_kva: l.load.demand_kva,
          window: l.load.window,
          source: rec?.source ?? null,
          source_id: rec?.source_id ?? null,
          before_energisation: l.before_energisation,
          overcommitted: Boolean(rec?.overcommitted),
        };
      }),
    },
    { timeZone: cap.site.timezone },
  );
  // The two hourly series are rounded as they are sliced (0.1 kVA, as forWire would) — walking 2 × 87,648
  // numbers of a 10-year horizon through the generic rounding would hold the event loop.
  return { ...head, reserved_kva: reserved, pending_kva: pending };
}

/** Problems of where and how a load would be placed: its profile (a site profile or a valid shape) and position. */
export function placementIssues(
  site: Site,
  input: { profile: string | DailyShape; position_m: { x: number; y: number } },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const shape =
    typeof input.profile === 'string' ? profileNamed(site.profiles, input.profile) : input.profile;
  if (!shape)
    issues.push({
      path: ['profile'],
      message: `unknown profile; this site has ${Object.keys(site.profiles).join(', ')}`,
    });
  else if (typeof input.profile !== 'string') issues.push(...shapeIssues(input.profile, ['profile']));
  const { x, y } = input.position_m;
  if (x < 0 || y < 0 || x > site.extent_m.x || y > site.extent_m.y)
    issues.push({ path: ['position_m'], message: 'is outside the site' });
  return issues;
}

export interface CapacityCheckInput {
  load: LoadInput;
  profile: string | DailyShape;
  window: DateWindow;
  position_m: { x: number; y: number };
  count_pending: boolean;
}

export async function capacityCheck(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  input: CapacityCheckInput,
) {
  const cap = await timelines.get(deps.store, siteId);
  const { site, grid } = cap;
  const issues: FieldIssue[] = [
    ...windowIssues(input.window, grid, ['window']),
    ...placementIssues(site, input),
  ];
  const shape =
    typeof input.profile === 'string' ? profileNamed(site.profiles, input.profile) : input.profile;
  assertNoIssues(issues);
  const demand = demandOfLoad(input.load, { ruleSet: ruleSet(site.rule_set) });
  const { active_power_kw: p, reactive_power_kvar: q, apparent_power_kva: s } = demand.totals;
  const budget = site.voltage_drop_budget_percent;
  const result = checkCapacity(
    cap.timelines,
    cap.points.map((pt) => ({ id: pt.id, position_m: pt.position_m })),
    {
      demand_kva: s,
      active_power_kw: p,
      reactive_power_kvar: q,
      factors: classFactors(resolveShape(shape!, {})),
      window: input.window,
      position_m: input.position_m,
    },
    {
      count_pending: input.count_pending,
      voltage_drop_budget_percent: budget,
      estimateFeeder: siteFeederEstimator(site),
    },
  );
  return forWire(
    {
      ...result,
      demand: {
        apparent_power_kva: s,
        active_power_kw: p,
        reactive_power_kvar: q,
        power_factor: demand.totals.power_factor,
        summary: isEquipmentLoad(input.load) ? demand.totals : null,
        warnings: demand.warnings.map((w) => warningWithPointer(w)),
      },
      reserved_nothing: true as const,
    },
    { timeZone: site.timezone },
  );
}
