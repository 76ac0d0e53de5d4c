/**
 * Demand of stored load requests (the same engine as the calculation endpoint) and placing them on supply
 * points as pending or reserved capacity.
 */
import { DomainError } from '../domain/errors.js';
import type { DemandResult, EquipmentItemInput } from '../domain/load/index.js';
import { distanceM, profileNamed, type Site, type SupplyPoint } from '../domain/site.js';
import type { Deps, LoadRequestRecord, ReservationRecord, ReservationState, Store } from './ports.js';
import { requireSite } from './sites.js';
import { ruleSet } from '../domain/catalog/rule-sets.js';
import { demandOfLoad, type LoadInput } from './load.js';
import { enforceCapacity, lockPoints } from './capacity.js';

export interface RequestDemand {
  request: LoadRequestRecord;
  demand: DemandResult;
}

/** Demand of one stored request with its site's rule set. */
export function demandOfRequest(site: Site, request: LoadRequestRecord): DemandResult {
  return demandOfLoad(loadOfRecord(request.equipment), { ruleSet: ruleSet(site.rule_set) });
}

/** A stored request's load: an equipment list (the older shape) or a `Load` object. */
export function loadOfRecord(stored: LoadRequestRecord['equipment']): LoadInput {
  return Array.isArray(stored)
    ? { equipment: stored as unknown as EquipmentItemInput[] }
    : (stored as unknown as LoadInput);
}

export async function requestsWithDemand(
  store: Store,
  siteId: string,
): Promise<{ site: Site; items: RequestDemand[] }> {
  const site = await requireSite(store, siteId);
  const requests = await store.loadRequests.list(siteId);
  return { site, items: requests.map((request) => ({ request, demand: demandOfRequest(site, request) })) };
}

/** The supply point nearest to a position (Euclidean, site grid). */
export function nearestPoint(points: SupplyPoint[], position: { x: number; y: number }): SupplyPoint {
  let best: SupplyPoint | undefined;
  for (const p of points)
    if (!best || distanceM(p.position_m, position) < distanceM(best.position_m, position)) best = p;
  if (!best) throw new DomainError('infeasible_input', 'The site has no supply points');
  return best;
}

export interface Placement {
  request_id: string;
  point_id: string;
}

/**
 * Replaces the site's plan placements with the given ones (one transaction), bumping the capacity version
 * of every point touched so cached timelines rebuild.
 */
export async function replacePlacements(
  deps: Deps,
  siteId: string,
  placements: Placement[],
  state: ReservationState,
  options: { force?: boolean } = {},
): Promise<number> {
  return deps.store.transaction(async (tx) => {
    const { site, items } = await requestsWithDemand(tx, siteId);
    const now = deps.clock.now();
    const touched = new Set(await tx.reservations.releaseAllOfKind(siteId, 'plan', now));
    const byId = new Map(items.map((i) => [i.request.id, i]));
    for (const pl of placements) {
      const item = byId.get(pl.request_id);
      if (!item)
        throw new DomainError('not_found', `Request ${pl.request_id} does not exist on site ${siteId}`);
      const shape = profileNamed(site.profiles, item.request.profile);
      if (!shape)
        throw new DomainError(
          'invalid_profile',
          `Request ${pl.request_id} uses an unknown profile ${item.request.profile}`,
        );
      const r: ReservationRecord = {
        id: deps.ids.next(),
        site_id: siteId,
        point_id: pl.point_id,
        source: 'plan',
        source_id: pl.request_id,
        state,
        demand_kva: item.demand.totals.apparent_power_kva,
        window: item.request.window,
        shape,
        created_at: now,
        released_at: null,
      };
      await tx.reservations.insert(r);
      touched.add(pl.point_id);
    }
    if (state === 'reserved') {
      // Reserved placements are capacity like an approval's: the invariant holds, or with `force` the
      // placements involved are recorded as overcommitted.
      await lockPoints(tx, siteId, touched);
      const points = (await tx.points.list(siteId)).filter((p) => touched.has(p.id));
      await enforceCapacity(deps, tx, site, points, {
        actor: { key_id: null, role: 'system' },
        action: 'placements',
        ...(options.force ? { force: true } : {}),
      });
    }
    for (const p of touched) await tx.points.bumpVersion(siteId, p);
    return placements.length;
  });
}

/** Places every stored request at its nearest supply point (the planner's baseline). */
export async function placeNearest(
  deps: Deps,
  siteId: string,
  state: ReservationState = 'pending',
  options: { force?: boolean } = {},
): Promise<Placement[]> {
  const points = await deps.store.points.list(siteId);
  const requests = await deps.store.loadRequests.list(siteId);
  const placements = requests.map((r) => ({
    request_id: r.id,
    point_id: nearestPoint(points, r.position_m).id,
  }));
  await replacePlacements(deps, siteId, placements, state, options);
  return placements;
}
