/**
 * Planning runs: size the supply points within the site's cap and allocate every load (stored requests by
 * default) with the planner (MIP through the injected solver, heuristic warm start and fallback). A run is
 * queued and executed in the background of this process; `apply` turns a finished plan into point ratings and
 * pending placements in one transaction, refusing when approved reservations would no longer fit.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../domain/errors.js';
import { classFactors, type DailyShape } from '../domain/profile/profile.js';
import { estimateFeeder } from '../domain/network/index.js';
import {
  planSite,
  type FeederCheck,
  type MipSolver,
  type PlanLoad,
  type PlanMethod,
  type PlanProblem,
  type PlanResult,
  type PlanWeights,
  type StartingDipCheck,
} from '../domain/plan/index.js';
import {
  lvConnectionThreshold,
  profileNamed,
  supplyPointSetIssues,
  type Site,
  type SupplyPoint,
} from '../domain/site.js';
import { forWire } from './wire-format.js';
import { largestMotorOf, startingDipCheckFor } from './faults.js';
import type { MotorToCheck } from '../domain/network/feeder-faults.js';
import type { Deps, PlanRecord } from './ports.js';
import { requireSite } from './sites.js';
import { loadOfRecord, requestsWithDemand } from './placements.js';
import { isEquipmentLoad } from './load.js';
import { enforceCapacity, lockPoints, type CapacityActor } from './capacity.js';
import { gridOf } from './timelines.js';

export interface PlanRequest {
  method: PlanMethod;
  time_limit_s?: number;
  mip_rel_gap: number;
  /** Keep the points' current ratings instead of sizing them. */
  keep_ratings: boolean;
  points?: { id: string; rating_kva?: number; min_rating_kva?: number; max_rating_kva?: number }[];
  /** Request ids whose low-voltage threshold an engineer overrides. */
  lv_overrides: string[];
  weights?: PlanWeights;
}

function withoutPath(m: MotorToCheck): NonNullable<PlanLoad['largest_motor']> {
  const { label: _l, path: _p, ...rest } = m;
  return rest;
}

/** The planner's starting-dip check: a pair passes when the load's largest motor starts within the limits. */
export function planStartingDipCheck(site: Site): StartingDipCheck {
  const check = startingDipCheckFor(site);
  return (load, _pointId, ratingKva, distanceM, crossSectionMm2) =>
    check(load, ratingKva, distanceM, crossSectionMm2)?.ok ?? true;
}

export function feederCheckFor(site: Site): FeederCheck {
  return (distance, p, q) => {
    const e = estimateFeeder(distance, p, q, {
      voltage_v: site.nominal_lv_voltage_v,
      voltage_drop_budget_percent: site.voltage_drop_budget_percent,
    });
    return e
      ? { ok: true, cross_section_mm2: e.cross_section_mm2, voltage_drop_percent: e.voltage_drop_percent }
      : { ok: false };
  };
}

/** The planning problem of a site: its points and its stored requests with their computed demand. */
export async function buildProblem(
  deps: Deps,
  siteId: string,
  req: PlanRequest,
): Promise<{ site: Site; points: SupplyPoint[]; problem: PlanProblem }> {
  const { site, items } = await requestsWithDemand(deps.store, siteId);
  const points = await deps.store.points.list(siteId);
  const issues: FieldIssue[] = [];
  (req.points ?? []).forEach((o, i) => {
    if (!points.some((p) => p.id === o.id))
      issues.push({ path: ['points', i, 'id'], message: `no supply point ${o.id} on this site` });
  });
  req.lv_overrides.forEach((id, i) => {
    if (!items.some((x) => x.request.id === id))
      issues.push({ path: ['lv_overrides', i], message: `no request ${id} on this site` });
  });
  assertNoIssues(issues);
  if (items.length === 0)
    throw new DomainError('infeasible_input', `Site ${siteId} has no stored requests to plan`);
  const loads: PlanLoad[] = items.map(({ request, demand }) => {
    const stored = loadOfRecord(request.equipment);
    const motor = largestMotorOf(
      (isEquipmentLoad(stored) ? stored.equipment : []).map((e) => ({
        type: String(e.type),
        ...(typeof e.rated_power_kw === 'number' ? { rated_power_kw: e.rated_power_kw } : {}),
      })),
    );
    const shape: DailyShape | undefined = profileNamed(site.profiles, request.profile);
    if (!shape)
      throw new DomainError(
        'invalid_profile',
        `Request ${request.id} uses an unknown profile ${request.profile}`,
      );
    return {
      id: request.id,
      demand_kva: demand.totals.apparent_power_kva,
      active_power_kw: demand.totals.active_power_kw,
      reactive_power_kvar: demand.totals.reactive_power_kvar,
      // The site's stored requests are served from its own 10/0.4 kV points: the LV connection limit (direct
      // public-LV connections only) does not apply to them (DOMAIN.md "Product decisions").
      lv_threshold_exceeded: lvConnectionThreshold(
        site.low_voltage_threshold_kw,
        demand.installed_power_kw,
        'site_point',
      ).exceeded,
      lv_override: req.lv_overrides.includes(request.id),
      factors: classFactors(shape),
      window: request.window,
      position_m: request.position_m,
      ...(motor === undefined ? {} : { largest_motor: withoutPath(motor) }),
    };
  });
  const problem: PlanProblem = {
    site: {
      total_capacity_cap_kva: site.total_capacity_cap_kva,
      max_supply_points: site.max_supply_points,
      loading_cap: site.loading_cap,
      voltage_drop_budget_percent: site.voltage_drop_budget_percent,
      low_voltage_threshold_kw: site.low_voltage_threshold_kw,
    },
    points: points.map((p) => {
      const o = req.points?.find((x) => x.id === p.id);
      return {
        id: p.id,
        position_m: p.position_m,
        energised_from: p.energised_from,
        reference_rating_kva: p.rating_kva,
        ...(req.keep_ratings ? { rating_kva: p.rating_kva } : {}),
        ...(o?.rating_kva !== undefined ? { rating_kva: o.rating_kva } : {}),
        ...(o?.min_rating_kva !== undefined ? { min_rating_kva: o.min_rating_kva } : {}),
        ...(o?.max_rating_kva !== undefined ? { max_rating_kva: o.max_rating_kva } : {}),
      };
    }),
    loads,
    ...(req.weights ? { weights: req.weights } : {}),
  };
  return { site, points, problem };
}

export class PlanService {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly solver: MipSolver | undefined,
    private readonly defaultTimeLimitS: number,
  ) {}

  /** Creates a queued run and starts it in the background; returns the record. */
  async create(siteId: string, req: PlanRequest): Promise<PlanRecord> {
    await buildProblem(this.deps, siteId, req); // validate now: a bad request is a 4xx, not a failed run
    const now = this.deps.clock.now();
    const rec: PlanRecord = {
      id: this.deps.ids.next(),
      site_id: siteId,
      status: 'queued',
      request: req as unknown as Record<string, unknown>,
      result: null,
      error: null,
      applied_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.deps.store.plans.insert(rec);
    this.running = this.running.then(() => this.execute(rec)).catch(() => undefined);
    return rec;
  }

  /** Waits for every queued run of this process (tests, shutdown). */
  idle(): Promise<void> {
    return this.running;
  }

  private async execute(rec: PlanRecord): Promise<void> {
    const store = this.deps.store;
    const req = rec.request as unknown as PlanRequest;
    await store.plans.update({ ...rec, status: 'running', updated_at: this.deps.clock.now() });
    try {
      const { site, problem } = await buildProblem(this.deps, rec.site_id, req);
      const grid = gridOf(site);
      const result = await planSite(
        problem,
        grid,
        {
          solver: this.solver,
          feederCheck: feederCheckFor(site),
          startingDipCheck: planStartingDipCheck(site),
        },
        {
          method: this.solver ? req.method : 'heuristic',
          time_limit_s: req.time_limit_s ?? this.defaultTimeLimitS,
          mip_rel_gap: req.mip_rel_gap,
        },
      );
      await store.plans.update({
        ...rec,
        status: 'done',
        result: result as unknown as Record<string, unknown>,
        updated_at: this.deps.clock.now(),
      });
    } catch (e) {
      const message =
        e instanceof DomainError ? `${e.code}: ${e.message}` : 'the planner failed; see the server log';
      await store.plans.update({
        ...rec,
        status: 'failed',
        error: message,
        updated_at: this.deps.clock.now(),
      });
    }
  }
}

export async function getPlan(deps: Deps, siteId: string, planId: string): Promise<PlanRecord> {
  await requireSite(deps.store, siteId);
  const p = await deps.store.plans.get(siteId, planId);
  if (!p) throw new DomainError('not_found', `Plan ${planId} does not exist on site ${siteId}`);
  return p;
}

/** A site's planning runs, newest first, each with the headline figures of its result. */
export async function listPlans(deps: Deps, siteId: string) {
  await requireSite(deps.store, siteId);
  const plans = await deps.store.plans.list(siteId);
  return plans
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
    .map(({ result, ...p }) => {
      const r = result as unknown as PlanResult | null;
      return {
        ...p,
        summary: r
          ? {
              sum_kva: r.sum_kva,
              cap_headroom_kva: r.cap_headroom_kva,
              assigned: r.assignments.length,
              unserved: r.unserved.length,
              method: r.solver.method,
              solver_status: r.solver.status,
            }
          : null,
      };
    });
}

/** A planning run as the API shows it: quantities rounded, instants in the site's offset. */
export async function viewPlan(deps: Deps, siteId: string, planId: string): Promise<PlanRecord> {
  const site = await requireSite(deps.store, siteId);
  return forWire(await getPlan(deps, siteId, planId), { timeZone: site.timezone });
}

/** Marks runs left `queued`/`running` by a process that stopped as failed (called at start-up). */
export async function failInterruptedPlans(deps: Deps): Promise<number> {
  let n = 0;
  for (const s of await deps.store.sites.list())
    for (const p of await deps.store.plans.list(s.id))
      if (p.status === 'queued' || p.status === 'running') {
        await deps.store.plans.update({
          ...p,
          status: 'failed',
          error: 'interrupted: the server stopped before the run finished',
          updated_at: deps.clock.now(),
        });
        n++;
      }
  return n;
}

/**
 * Applies a finished plan: point ratings and pending placements of the planned requests, in one transaction.
 * Refuses (409 `capacity_overbooked`) when an approved reservation would exceed a point's new limit in any
 * hour, unless forced (the reservations involved are then recorded as overcommitted).
 */
export async function applyPlan(
  deps: Deps,
  siteId: string,
  planId: string,
  options: { force?: boolean; reason?: string; actor?: CapacityActor } = {},
) {
  return deps.store.transaction(async (tx) => {
    const site = await requireSite(tx, siteId);
    const plan = await tx.plans.get(siteId, planId);
    if (!plan) throw new DomainError('not_found', `Plan ${planId} does not exist on site ${siteId}`);
    if (plan.status !== 'done' || !plan.result)
      throw new DomainError(
        'conflict',
        `Plan ${planId} is ${plan.status}; only a finished plan can be applied`,
      );
    if (plan.applied_at)
      throw new DomainError('conflict', `Plan ${planId} was already applied at ${plan.applied_at}`);
    const result = plan.result as unknown as PlanResult;
    const at = deps.clock.now();
    await lockPoints(
      tx,
      siteId,
      (await tx.points.list(siteId)).map((p) => p.id),
    );
    const points = await tx.points.list(siteId);
    const rated = points.map((p) => ({
      ...p,
      rating_kva: result.ratings.find((r) => r.point_id === p.id)?.rating_kva ?? p.rating_kva,
      updated_at: at,
    }));
    const unused = rated.filter((p) => p.rating_kva === 0).map((p) => p.id);
    const kept = rated.filter((p) => p.rating_kva > 0);
    assertNoIssues(
      supplyPointSetIssues(site, kept, (i) => ['ratings', kept[i]?.id ?? i]),
      'The plan no longer fits the site rules',
    );
    // Approved (reserved) load must still fit every point's new limit (or the engineer forces it).
    const onUnused = (await tx.reservations.listActive(siteId)).filter(
      (r) => r.state === 'reserved' && unused.includes(r.point_id),
    );
    if (onUnused.length)
      throw new DomainError(
        'point_has_loads',
        `Approved reservations sit on points the plan leaves unused: ${[...new Set(onUnused.map((r) => r.point_id))].join(', ')}; move or release them first`,
        {
          details: {
            reservations: onUnused.map((r) => ({
              reservation_id: r.id,
              point_id: r.point_id,
              source: r.source,
              source_id: r.source_id,
              demand_kva: r.demand_kva,
              window: r.window,
            })),
          },
        },
      );
    const overcommitted = await enforceCapacity(deps, tx, site, kept, {
      actor: options.actor ?? { key_id: null, role: 'engineer' },
      action: 'plan_apply',
      ...(options.force ? { force: true } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    });
    for (const p of rated) if (p.rating_kva > 0) await tx.points.update(p);
    for (const id of unused)
      await tx.points.update({
        ...points.find((p) => p.id === id)!,
        status: 'decommissioned',
        updated_at: at,
      });
    const touched = new Set(await tx.reservations.releaseAllOfKind(siteId, 'plan', at));
    const { items } = await requestsWithDemand(tx, siteId);
    let placed = 0;
    for (const a of result.assignments) {
      const item = items.find((x) => x.request.id === a.load_id);
      const shape = item && profileNamed(site.profiles, item.request.profile);
      if (!item || !shape) continue;
      await tx.reservations.insert({
        id: deps.ids.next(),
        site_id: siteId,
        point_id: a.point_id,
        source: 'plan',
        source_id: a.load_id,
        state: 'pending',
        demand_kva: item.demand.totals.apparent_power_kva,
        window: item.request.window,
        shape,
        created_at: at,
        released_at: null,
      });
      touched.add(a.point_id);
      placed++;
    }
    for (const p of touched) await tx.points.bumpVersion(siteId, p);
    await tx.plans.update({ ...plan, applied_at: at, updated_at: at });
    return {
      plan_id: planId,
      applied_at: at,
      ratings: result.ratings,
      sum_kva: result.sum_kva,
      placements: placed,
      decommissioned: unused,
      overcommitted: overcommitted.map((o) => ({
        point_id: o.point_id,
        over_kva: o.over_kva,
        worst_at: o.worst_at,
        reservation_ids: o.reservations.map((r) => r.reservation_id),
      })),
    };
  });
}
