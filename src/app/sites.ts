/**
 * Use cases for sites and supply points.
 */
import { DomainError, assertNoIssues } from '../domain/errors.js';
import { ruleSet } from '../domain/catalog/rule-sets.js';
import { DEFAULT_DOCUMENT_TYPES } from '../domain/catalog/document-types.js';
import { isValidTimeZone } from '../domain/profile/calendar.js';
import { PRESET_SHAPES } from '../domain/profile/profile.js';
import {
  DEFAULT_MAX_HORIZON_YEARS,
  siteIssues,
  supplyPointSetIssues,
  type HorizonLimits,
  type Site,
  type SupplyPoint,
} from '../domain/site.js';
import { windowIssues } from '../domain/profile/profile.js';
import type { Deps, Store } from './ports.js';
import { enforceCapacity, loadsOnPoint, lockPoints, type CapacityActor } from './capacity.js';

export type SiteInput = Omit<Site, 'created_at' | 'updated_at' | 'edition' | 'document_policy'> & {
  document_policy?: Site['document_policy'];
};
export type PointInput = Omit<SupplyPoint, 'site_id' | 'created_at' | 'updated_at'>;

/**
 * How an edit that can overbook a supply point is made: by whom, and whether an overbooking is kept (`force`:
 * the reservations involved are recorded as overcommitted, with `reason`) or refused (409, the default).
 */
export interface EditOptions {
  actor?: CapacityActor;
  force?: boolean;
  reason?: string;
}

const ENGINEER_ACTOR: CapacityActor = { key_id: null, role: 'engineer' };

function capacityOptions(options: EditOptions, action: string) {
  return {
    actor: options.actor ?? ENGINEER_ACTOR,
    action,
    ...(options.force ? { force: true } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
}

export interface SiteView extends Site {
  supply_point_count: number;
  sum_of_ratings_kva: number;
}

/** The horizon limits of the deployment (config), in the domain's terms. */
export function horizonLimits(deps: Pick<Deps, 'limits'>): HorizonLimits {
  return { max_horizon_years: deps.limits?.maxHorizonYears ?? DEFAULT_MAX_HORIZON_YEARS };
}

function timezoneIssues(tz: string) {
  return isValidTimeZone(tz) ? [] : [{ path: ['timezone'], message: `"${tz}" is not an IANA time zone` }];
}

export async function requireSite(store: Store, siteId: string): Promise<Site> {
  const site = await store.sites.get(siteId);
  if (!site)
    throw new DomainError('not_found', `Site ${siteId} does not exist`, { details: { site_id: siteId } });
  return site;
}

export async function requirePoint(store: Store, siteId: string, pointId: string): Promise<SupplyPoint> {
  const p = await store.points.get(siteId, pointId);
  if (!p)
    throw new DomainError('not_found', `Supply point ${pointId} does not exist on site ${siteId}`, {
      details: { site_id: siteId, point_id: pointId },
    });
  return p;
}

async function view(store: Store, site: Site): Promise<SiteView> {
  const points = await store.points.list(site.id);
  return {
    ...site,
    supply_point_count: points.length,
    sum_of_ratings_kva: points.reduce((s, p) => s + (p.status === 'decommissioned' ? 0 : p.rating_kva), 0),
  };
}

/** Builds a full Site from input (defaults: edition from the rule set, preset profiles, default policy). */
export function siteFromInput(input: SiteInput, now: string): Site {
  return {
    ...input,
    edition: ruleSet(input.rule_set).edition,
    profiles: { ...PRESET_SHAPES, ...input.profiles },
    document_policy: input.document_policy ?? DEFAULT_DOCUMENT_TYPES,
    created_at: now,
    updated_at: now,
  };
}

export async function createSite(deps: Deps, input: SiteInput): Promise<SiteView> {
  assertNoIssues([...timezoneIssues(input.timezone), ...siteIssues(input, [], horizonLimits(deps))]);
  const site = siteFromInput(input, deps.clock.now());
  return deps.store.transaction(async (tx) => {
    if (await tx.sites.get(site.id))
      throw new DomainError('conflict', `Site ${site.id} already exists`, {
        issues: [{ path: ['id'], message: 'already exists' }],
      });
    await tx.sites.insert(site);
    return view(tx, site);
  });
}

export async function getSite(deps: Deps, siteId: string): Promise<SiteView> {
  return view(deps.store, await requireSite(deps.store, siteId));
}

export async function listSites(deps: Deps): Promise<SiteView[]> {
  const sites = await deps.store.sites.list();
  return Promise.all(sites.map((s) => view(deps.store, s)));
}

/**
 * Updates a site. A new loading cap, horizon, time zone or holiday list changes every point's limit or its
 * loads' hourly series: the points are locked and the change is refused (409) when a point's reserved load
 * would exceed its limit in any hour, unless forced, and when an active reservation would fall outside the
 * horizon.
 */
export async function updateSite(
  deps: Deps,
  siteId: string,
  patch: Partial<SiteInput>,
  options: EditOptions = {},
): Promise<SiteView> {
  return deps.store.transaction(async (tx) => {
    await requireSite(tx, siteId);
    // Lock the points before reading the site: an approval locks its point and then reads the site.
    await lockPoints(
      tx,
      siteId,
      (await tx.points.list(siteId)).map((p) => p.id),
    );
    const site = await requireSite(tx, siteId);
    const next: Site = {
      ...site,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      updated_at: deps.clock.now(),
    };
    if (patch.rule_set) next.edition = ruleSet(patch.rule_set).edition;
    if (patch.profiles) next.profiles = { ...PRESET_SHAPES, ...patch.profiles };
    const points = await tx.points.list(siteId);
    assertNoIssues(
      [
        ...timezoneIssues(next.timezone),
        ...siteIssues(next, [], horizonLimits(deps)),
        ...supplyPointSetIssues(next, points, (i) => ['supply_points', points[i]?.id ?? i]),
      ],
      'The change would make the site invalid',
    );
    const outside = (await tx.reservations.listActive(siteId)).filter(
      (r) =>
        windowIssues(r.window, { start_date: next.horizon.start, end_date: next.horizon.end }).length > 0,
    );
    if (outside.length > 0)
      throw new DomainError(
        'conflict',
        `${outside.length} active reservations would fall outside the horizon ${next.horizon.start}…${next.horizon.end}; release or move them first`,
        {
          issues: [{ path: ['horizon'], message: 'would leave active reservations outside the horizon' }],
          details: {
            reservations: outside.map((r) => ({
              reservation_id: r.id,
              point_id: r.point_id,
              source: r.source,
              source_id: r.source_id,
              window: r.window,
            })),
          },
        },
      );
    await enforceCapacity(deps, tx, next, points, capacityOptions(options, 'site_update'));
    await tx.sites.update(next);
    return view(tx, next);
  });
}

export async function deleteSite(deps: Deps, siteId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await requireSite(tx, siteId);
    const dependants = await siteDependants(tx, siteId);
    if (dependants > 0)
      throw new DomainError(
        'dependency_exists',
        `Site ${siteId} has ${dependants} load requests or reservations; it cannot be deleted`,
        {
          details: { dependants },
        },
      );
    await tx.sites.delete(siteId);
  });
}

/** Records that depend on a site (imported requests; applications and reservations once they exist). */
async function siteDependants(store: Store, siteId: string): Promise<number> {
  return store.loadRequests.countForSite(siteId);
}

// ---- supply points --------------------------------------------------------------------------------------

function pointPathOf(points: { id: string }[], changedId: string) {
  return (i: number): (string | number)[] =>
    points[i]?.id === changedId ? [] : ['existing_supply_points', points[i]?.id ?? i];
}

export async function listPoints(deps: Deps, siteId: string): Promise<SupplyPoint[]> {
  await requireSite(deps.store, siteId);
  return deps.store.points.list(siteId);
}

export async function getPoint(deps: Deps, siteId: string, pointId: string): Promise<SupplyPoint> {
  return requirePoint(deps.store, siteId, pointId);
}

export async function createPoint(
  deps: Deps,
  siteId: string,
  input: PointInput,
  options: EditOptions = {},
): Promise<SupplyPoint> {
  return deps.store.transaction(async (tx) => {
    const site = await requireSite(tx, siteId);
    const existing = await tx.points.list(siteId);
    if (existing.some((p) => p.id === input.id))
      throw new DomainError('conflict', `Supply point ${input.id} already exists on site ${siteId}`, {
        issues: [{ path: ['id'], message: 'duplicate code', code: 'duplicate_code' }],
      });
    const now = deps.clock.now();
    const point: SupplyPoint = { ...input, site_id: siteId, created_at: now, updated_at: now };
    const all = [...existing, point];
    assertNoIssues(
      supplyPointSetIssues(site, all, pointPathOf(all, point.id)),
      'The supply point breaks a site rule',
    );
    await tx.points.insert(point);
    // Reservations left on this id by an older version of the service (a point deleted with its loads) count.
    await lockPoints(tx, siteId, [point.id]);
    await enforceCapacity(deps, tx, site, [point], capacityOptions(options, 'point_create'));
    return point;
  });
}

export async function updatePoint(
  deps: Deps,
  siteId: string,
  pointId: string,
  patch: Partial<PointInput>,
  options: EditOptions = {},
): Promise<SupplyPoint> {
  return deps.store.transaction(async (tx) => {
    await lockPoints(tx, siteId, [pointId]);
    const site = await requireSite(tx, siteId);
    const current = await requirePoint(tx, siteId, pointId);
    const next: SupplyPoint = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      id: pointId,
      updated_at: deps.clock.now(),
    };
    const all = (await tx.points.list(siteId)).map((p) => (p.id === pointId ? next : p));
    assertNoIssues(
      supplyPointSetIssues(site, all, pointPathOf(all, pointId)),
      'The change breaks a site rule',
    );
    await enforceCapacity(deps, tx, site, [next], capacityOptions(options, 'point_update'));
    await tx.points.update(next);
    return next;
  });
}

/**
 * Deletes a supply point that carries no load: refused (409 `point_has_loads`) while active reservations
 * (reserved or pending) or live applications are on it — move them first (`moveApplication`).
 */
export async function deletePoint(deps: Deps, siteId: string, pointId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await lockPoints(tx, siteId, [pointId]);
    await requirePoint(tx, siteId, pointId);
    const loads = await loadsOnPoint(tx, siteId, pointId);
    if (loads.reservations.length > 0 || loads.applications.length > 0) {
      const reserved = loads.reservations
        .filter((r) => r.state === 'reserved')
        .reduce((s, r) => s + r.demand_kva, 0);
      throw new DomainError(
        'point_has_loads',
        `Supply point ${pointId} carries ${loads.reservations.length} active reservations (${Math.round(reserved * 10) / 10} kVA reserved) and ${loads.applications.length} live applications; move them to another point (POST /v1/sites/${siteId}/applications/{applicationId}/move) or release them first`,
        { details: { point_id: pointId, reserved_kva: reserved, ...loads } },
      );
    }
    await tx.points.delete(siteId, pointId);
  });
}
