/**
 * The capacity invariant as a rule of every write: each use case that changes a supply point's limit
 * (rating × loading cap, the site's calendar) or the reservations on it calls `enforceCapacity` inside its
 * transaction, after locking the points (`lockPoints`: PostgreSQL `SELECT … FOR UPDATE` in id order, so two
 * edits never deadlock; SQLite has one writer). The change commits only when, at every hour, every point's
 * reserved load that is not marked overcommitted stays within its limit; otherwise it is refused with
 * `capacity_overbooked` (409) listing each overbooked point, its first and worst hour, the kVA over and the
 * reservations involved, and the remedies. With `force` the involved reservations are marked overcommitted
 * (who, when, why) and an `overcommitted` event is recorded on each application; once a point's whole
 * reserved load fits again the marks are cleared (`overcommit_cleared`).
 */
import { DomainError } from '../domain/errors.js';
import type { Site, SupplyPoint } from '../domain/site.js';
import { findOverbooking, type Overbooking } from '../domain/utilisation/overbooking.js';
import type { Deps, ReservationRecord, Store } from './ports.js';
import { gridOf, timelineLoad } from './timelines.js';

/** Who makes the change, and whether (and why) overbooking is accepted. */
export interface CapacityActor {
  key_id: string | null;
  role: string;
}

export interface CapacityOptions {
  actor: CapacityActor;
  /** Keep the change although it overbooks: the reservations involved are marked overcommitted. */
  force?: boolean;
  /** Recorded with each overcommitted mark and event. */
  reason?: string;
  /** What the change is, for messages and events (e.g. `point_update`). */
  action: string;
  /**
   * Check only whether these reservations (just placed on their point) take part in an overbooking of the
   * point's whole reserved load — overcommitted reservations included, as an approval counts them. Without
   * it the invariant is checked: reserved load not marked overcommitted ≤ limit.
   */
  candidates?: ReadonlySet<string>;
}

export interface OverbookedReservation {
  reservation_id: string;
  source: string;
  source_id: string;
  /** The application holding the reservation, when it is one. */
  application_id: string | null;
  demand_kva: number;
  window: { start: string; end: string };
  /** Its demand at the point's worst hour, kVA. */
  at_worst_kva: number;
  overcommitted: boolean;
}

export interface OverbookedPoint {
  point_id: string;
  limit_kva: number;
  hours_over: number;
  first_at: string;
  worst_at: string;
  worst_reserved_kva: number;
  over_kva: number;
  reservations: OverbookedReservation[];
}

/** Locks the points of a site for the rest of the transaction, in id order; returns the ids that exist. */
export async function lockPoints(tx: Store, siteId: string, ids: Iterable<string>): Promise<Set<string>> {
  const found = new Set<string>();
  for (const id of [...new Set(ids)].sort())
    if ((await tx.points.lockForUpdate(siteId, id)) !== undefined) found.add(id);
  return found;
}

function describe(ob: Overbooking, rows: Map<string, ReservationRecord>): OverbookedPoint {
  return {
    point_id: ob.point_id,
    limit_kva: ob.limit_kva,
    hours_over: ob.hours_over,
    first_at: ob.first_at,
    worst_at: ob.worst_at,
    worst_reserved_kva: ob.worst_reserved_kva,
    over_kva: ob.over_kva,
    reservations: ob.loads.map((l) => {
      const r = rows.get(l.id)!;
      return {
        reservation_id: r.id,
        source: r.source,
        source_id: r.source_id,
        application_id: r.source === 'application' ? r.source_id : null,
        demand_kva: r.demand_kva,
        window: r.window,
        at_worst_kva: l.at_worst_kva,
        overcommitted: Boolean(r.overcommitted),
      };
    }),
  };
}

/** The remedies a refusal lists (paths relative to the site). */
export function remedies(siteId: string) {
  return [
    {
      action: 'move',
      description: 'move the loads to another supply point with headroom',
      request: `POST /v1/sites/${siteId}/applications/{applicationId}/move {"point_id": "…"}`,
    },
    {
      action: 'release',
      description: 'release the loads (withdraw, close or expire the applications)',
      request: `POST /v1/sites/${siteId}/applications/{applicationId}/transitions {"event": "withdraw" | "close" | "expire"}`,
    },
    {
      action: 'force',
      description:
        'resend the same request with "force": true (and a "reason"): the reservations involved are kept and recorded as overcommitted',
    },
  ];
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Checks the capacity invariant of `points` (their definitions as they will be after the change, with the
 * site as it will be) against the active reserved reservations the transaction sees, and refuses or records
 * an overbooking. The caller holds the points' locks. Returns the overbooked points that were forced.
 * @throws DomainError `capacity_overbooked` when a point is overbooked and `force` is not set
 */
export async function enforceCapacity(
  deps: Deps,
  tx: Store,
  site: Site,
  points: readonly SupplyPoint[],
  options: CapacityOptions,
): Promise<OverbookedPoint[]> {
  const grid = gridOf(site);
  const found: { point: SupplyPoint; ob: Overbooking; rows: Map<string, ReservationRecord> }[] = [];
  const perPoint: { point: SupplyPoint; rows: ReservationRecord[] }[] = [];
  for (const point of points) {
    const rows = (await tx.reservations.listActive(site.id, point.id)).filter((r) => r.state === 'reserved');
    perPoint.push({ point, rows });
    if (rows.length === 0) continue;
    const tp = {
      id: point.id,
      rating_kva: point.rating_kva,
      loading_cap: site.loading_cap,
      energised_from: point.energised_from,
    };
    const counted = options.candidates ? rows : rows.filter((r) => !r.overcommitted);
    const ob = findOverbooking(grid, tp, counted.map(timelineLoad));
    if (!ob) continue;
    if (options.candidates && !ob.loads.some((l) => options.candidates!.has(l.id))) continue;
    found.push({ point, ob, rows: new Map(rows.map((r) => [r.id, r])) });
  }
  const described = found.map((f) => describe(f.ob, f.rows));
  if (found.length > 0 && !options.force) {
    const text = described
      .map(
        (d) =>
          `${d.point_id} would carry ${round1(d.worst_reserved_kva)} kVA reserved against a ${round1(d.limit_kva)} kVA limit ` +
          `(${round1(d.over_kva)} kVA over at ${d.worst_at}, first at ${d.first_at}; ${d.reservations.length} reservations involved)`,
      )
      .join('; ');
    throw new DomainError(
      'capacity_overbooked',
      `The change would overbook: ${text}. Move or release the loads, or resend with "force": true to record them as overcommitted`,
      { details: { action: options.action, overbooked: described, remedies: remedies(site.id) } },
    );
  }
  const at = deps.clock.now();
  const bump = new Set<string>();
  if (found.length > 0) {
    const mark = {
      at,
      by: options.actor.key_id,
      reason: options.reason ?? `forced ${options.action}`,
    };
    for (const [i, f] of found.entries()) {
      const fresh = described[i]!.reservations.filter((r) => !r.overcommitted);
      await tx.reservations.setOvercommitted(
        site.id,
        fresh.map((r) => r.reservation_id),
        mark,
      );
      for (const r of fresh) {
        const row = f.rows.get(r.reservation_id)!;
        row.overcommitted = mark;
        if (r.application_id)
          await recordOnApplication(
            deps,
            tx,
            site.id,
            r.application_id,
            options.actor,
            'overcommitted',
            mark.reason,
            {
              action: options.action,
              point_id: f.point.id,
              reservation_id: r.reservation_id,
              limit_kva: f.ob.limit_kva,
              over_kva: f.ob.over_kva,
              worst_at: f.ob.worst_at,
            },
            at,
          );
      }
      if (fresh.length > 0) bump.add(f.point.id);
    }
  }
  // Marks that no longer hold: a point whose whole reserved load fits again is cleared.
  for (const { point, rows } of perPoint) {
    const marked = rows.filter((r) => r.overcommitted);
    if (marked.length === 0) continue;
    const tp = {
      id: point.id,
      rating_kva: point.rating_kva,
      loading_cap: site.loading_cap,
      energised_from: point.energised_from,
    };
    if (findOverbooking(grid, tp, rows.map(timelineLoad))) continue;
    await tx.reservations.setOvercommitted(
      site.id,
      marked.map((r) => r.id),
      null,
    );
    for (const r of marked)
      if (r.source === 'application')
        await recordOnApplication(
          deps,
          tx,
          site.id,
          r.source_id,
          options.actor,
          'overcommit_cleared',
          null,
          {
            action: options.action,
            point_id: point.id,
            reservation_id: r.id,
          },
          at,
        );
    bump.add(point.id);
  }
  for (const p of bump) await tx.points.bumpVersion(site.id, p);
  return options.force ? described : [];
}

async function recordOnApplication(
  deps: Deps,
  tx: Store,
  siteId: string,
  applicationId: string,
  actor: CapacityActor,
  event: string,
  reason: string | null,
  data: Record<string, unknown>,
  at: string,
): Promise<void> {
  const a = await tx.applications.get(siteId, applicationId);
  if (!a) return;
  await tx.events.append({
    id: deps.ids.next(),
    application_id: a.id,
    at,
    actor_key_id: actor.key_id,
    actor_role: actor.role,
    event,
    from_state: a.state,
    to_state: a.state,
    reason,
    data,
  });
}

/**
 * The loads that depend on a point: active reservations (reserved or pending, any source) and applications
 * that name it and can still hold capacity there. A point with any of them is not deleted.
 */
export async function loadsOnPoint(tx: Store, siteId: string, pointId: string) {
  const reservations = await tx.reservations.listActive(siteId, pointId);
  const apps = (await tx.applications.list(siteId, { point_id: pointId })).filter(
    (a) => !['rejected', 'withdrawn', 'closed'].includes(a.state),
  );
  return {
    reservations: reservations.map((r) => ({
      reservation_id: r.id,
      source: r.source,
      source_id: r.source_id,
      state: r.state,
      demand_kva: r.demand_kva,
      window: r.window,
    })),
    applications: apps.map((a) => ({ application_id: a.id, state: a.state, demand_kva: a.demand_kva })),
  };
}
