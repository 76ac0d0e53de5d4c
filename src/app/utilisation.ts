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
  siteSeries,
  siteUtilisation,
  type BucketResolution,
} from '../domain/utilisation/summary.js';
import { combinedSeries } from '../domain/utilisation/timeline.js';
import { checkCapacity } from '../domain/utilisation/capacity-check.js';
import type { Site } from '../domain/site.js';
import type { Deps } from './ports.js';
import type { SiteCapacity, TimelineService } from './timelines.js';

export interface RangeQuery {
  from?: string;
  to?: string;
  resolution: BucketResolution;
  at?: string;
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

/**
 * The utilisation read as JSON text, computed once per timeline version, range, resolution and current hour
 * (dashboards poll the same view; any reservation change bumps the version).
 */
export async function readUtilisationJson(
  deps: Deps,
  timelines: TimelineService,
  siteId: string,
  q: RangeQuery,
): Promise<Buffer> {
  const at = q.at ?? deps.clock.now();
  const cap = await timelines.get(deps.store, siteId);
  const { from, to } = rangeHours(cap.grid, q);
  const now = nowHour(cap.grid, at);
  const key = `utilisation|${from}|${to}|${q.resolution}|${now}`;
  // Cached as UTF-8 bytes: a whole-horizon body is large, and encoding (and measuring) the string again on
  // every request cost more than everything else in the read.
  const body = await timelines.derived(deps.store, siteId, key, (c) => {
    const { at: _at, ...rest } = utilisationOf(c, q, from, to, now);
    return Buffer.from(JSON.stringify(forWire(rest, { timeZone: c.site.timezone })).slice(1), 'utf8');
  });
  const local = localIso(new Date(Date.parse(at)).toISOString(), cap.site.timezone);
  return Buffer.concat([Buffer.from(`{"at":${JSON.stringify(local)},`, 'utf8'), body]);
}

export async function readUtilisation(deps: Deps, timelines: TimelineService, siteId: string, q: RangeQuery) {
  const cap = await timelines.get(deps.store, siteId);
  const { from, to } = rangeHours(cap.grid, q);
  const at = q.at ?? deps.clock.now();
  return forWire(
    { ...utilisationOf(cap, q, from, to, nowHour(cap.grid, at)), at },
    { timeZone: cap.site.timezone },
  );
}

function utilisationOf(cap: SiteCapacity, q: RangeQuery, from: number, to: number, now: number) {
  const { grid, site } = cap;
  const at = hourToIso(grid, Math.max(0, Math.min(grid.hours - 1, now)));
  const points = cap.points.map((p) => {
    const u = pointUtilisation(cap.timelines, p.id, { from_hour: from, to_hour: to, now_hour: now });
    const pt = cap.timelines.point(p.id);
    const reserved = bucketSeries(pt.reserved, grid, from, to, q.resolution);
    const total = bucketSeries(combinedSeries(pt, true), grid, from, to, q.resolution);
    const loads = cap.timelines.loads(p.id);
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
      loads_before_energisation: u.loads_before_energisation,
      series: reserved.map((b, i) => ({
        start: b.start,
        reserved_kva: r3(b.max_kva),
        total_kva: r3(total[i]?.max_kva ?? 0),
      })),
    };
  });
  const s = siteUtilisation(cap.timelines, {
    cap_kva: site.total_capacity_cap_kva,
    from_hour: from,
    to_hour: to,
  });
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
) {
  const cap = await timelines.get(deps.store, siteId);
  const point = cap.points.find((p) => p.id === pointId);
  if (!point) throw new DomainError('not_found', `Supply point ${pointId} does not exist on site ${siteId}`);
  const { grid } = cap;
  const { from, to } = rangeHours(grid, q);
  const pt = cap.timelines.point(pointId);
  const now = nowHour(grid, deps.clock.now());
  const u = pointUtilisation(cap.timelines, pointId, { from_hour: from, to_hour: to, now_hour: now });
  const reserved: number[] = [];
  const pending: number[] = [];
  for (let h = from; h < to; h++) {
    reserved.push(r3(pt.reserved[h] ?? 0));
    pending.push(r3(pt.pending[h] ?? 0));
  }
  return forWire(
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
      reserved_kva: reserved,
      pending_kva: pending,
      summary: u,
      loads: cap.timelines.loads(pointId).map((l) => {
        const rec = cap.reservations.get(l.load.id);
        return {
          reservation_id: l.load.id,
          state: l.load.state,
          demand_kva: l.load.demand_kva,
          window: l.load.window,
          source: rec?.source ?? null,
          source_id: rec?.source_id ?? null,
          before_energisation: l.before_energisation,
        };
      }),
    },
    { timeZone: cap.site.timezone },
  );
}

/** Problems of where and how a load would be placed: its profile (a site profile or a valid shape) and position. */
export function placementIssues(
  site: Site,
  input: { profile: string | DailyShape; position_m: { x: number; y: number } },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const shape = typeof input.profile === 'string' ? site.profiles[input.profile] : input.profile;
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
  const shape = typeof input.profile === 'string' ? site.profiles[input.profile] : input.profile;
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
