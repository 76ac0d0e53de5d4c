/**
 * Property (issue #14): whatever sequence of edits an engineer makes — approvals, point create / update /
 * delete, site updates (loading cap, horizon), plan apply, moves, deadline sweeps that release capacity,
 * re-imports over the site — at every step and every hour each supply point's reserved load that is not
 * marked overcommitted stays ≤ rating × loading cap, no reservation points at a missing point, a mark appears
 * only on a step sent with `force`, and a refused step changes nothing. Run on SQLite and PostgreSQL through
 * the use cases (the same transactions and locks the HTTP routes use), a fresh tiny site per sequence.
 *
 * The oracle sums every reservation hour by hour (demand × its shape's hour-class factor) on its own, without
 * the timelines or `findOverbooking` the implementation uses.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import { uuidIds } from '../../src/compose.js';
import { DomainError } from '../../src/domain/errors.js';
import { classFactors } from '../../src/domain/profile/profile.js';
import { addDays, hourIndexOfDate } from '../../src/domain/profile/calendar.js';
import { createPoint, createSite, deletePoint, updatePoint, updateSite } from '../../src/app/sites.js';
import { moveApplication, sweepSite, transitionApplication } from '../../src/app/applications.js';
import { applyPlan } from '../../src/app/plans.js';
import { importScenario, type ScenarioInput } from '../../src/app/import.js';
import { gridOf } from '../../src/app/timelines.js';
import type { Deps, Principal, Store } from '../../src/app/ports.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { fixedClock } from '../support/app.js';

const RUNS = Number(process.env.INVARIANT_RUNS ?? 1000);
const START = '2026-03-02';
const DAYS = 4;
const NOW = '2026-02-20T02:00:00Z';
const POINTS = ['P1', 'P2', 'P3'] as const;
const RATINGS = [100, 160, 250, 315] as const;
const ORG = 'Org A';
const ENGINEER: Principal = { key_id: 'key-engineer', role: 'engineer', organisation: null };
const CONTRACTOR: Principal = { key_id: 'key-contractor', role: 'contractor', organisation: ORG };

const day = fc.integer({ min: 0, max: DAYS - 1 });
const point = fc.constantFrom(...POINTS);
const rating = fc.constantFrom(...RATINGS);
const force = fc.boolean();
const Op = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('approve' as const),
      point: fc.constantFrom('P1', 'P2'),
      demand_kva: fc.integer({ min: 10, max: 150 }),
      start: day,
      days: fc.integer({ min: 1, max: DAYS }),
      shape: fc.constantFrom('continuous', 'day_shift'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('point_update' as const),
      point: fc.constantFrom('P1', 'P2'),
      rating,
      force,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('point_create' as const), point, rating, force }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('point_delete' as const), point }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('site_update' as const),
      loading_cap: fc.constantFrom(0.5, 0.7, 0.85, 1),
      shrink_days: fc.integer({ min: 0, max: 2 }),
      force,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('plan_apply' as const),
      ratings: fc.tuple(rating, rating, rating),
      force,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), pick: fc.nat(), point, force }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deadline_sweep' as const),
      days_later: fc.integer({ min: 1, max: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'import_over' as const }) },
);
type Op = typeof Op extends fc.Arbitrary<infer T> ? T : never;

const EXPECTED_REFUSALS = new Set([
  'capacity_overbooked',
  'capacity_exceeded',
  'point_has_loads',
  'conflict',
  'validation_failed',
  'not_found',
  'illegal_transition',
  'forbidden',
]);

interface State {
  key: string;
  marks: Set<string>;
}

/** What a refused step must leave unchanged, and the overcommitted marks; checks the invariant on the way. */
async function checkInvariant(store: Store, siteId: string): Promise<State> {
  const site = (await store.sites.get(siteId))!;
  const points = await store.points.list(siteId);
  const rows = await store.reservations.listActive(siteId);
  const byId = new Map(points.map((p) => [p.id, p]));
  const grid = gridOf(site);
  const series = new Map(points.map((p) => [p.id, new Float64Array(grid.hours)]));
  for (const r of rows) {
    expect(byId.has(r.point_id), `reservation ${r.id} on missing point ${r.point_id}`).toBe(true);
    if (r.overcommitted) expect(r.overcommitted.reason.length).toBeGreaterThan(0);
    if (r.state !== 'reserved' || r.overcommitted) continue;
    const f = classFactors(r.shape);
    const s = series.get(r.point_id)!;
    const to = hourIndexOfDate(grid, r.window.end);
    for (let h = hourIndexOfDate(grid, r.window.start); h < to; h++)
      s[h] = (s[h] ?? 0) + r.demand_kva * (f[grid.hour_class[h]!] ?? 0);
  }
  for (const p of points) {
    const limit = p.rating_kva * site.loading_cap;
    const s = series.get(p.id)!;
    let peak = 0;
    for (const v of s) peak = Math.max(peak, v);
    expect(peak, `${p.id}: reserved ${peak} kVA > limit ${limit} kVA`).toBeLessThanOrEqual(limit + 1e-6);
  }
  const key = JSON.stringify({
    cap: site.loading_cap,
    horizon: site.horizon,
    points: points.map((p) => [p.id, p.rating_kva]),
    rows: rows.map((r) => [r.id, r.point_id, r.state, Boolean(r.overcommitted)]).sort(),
  });
  return { key, marks: new Set(rows.filter((r) => r.overcommitted).map((r) => r.id)) };
}

function siteInput(id: string) {
  return {
    id,
    name: id,
    timezone: 'Asia/Shanghai',
    horizon: { start: START, end: addDays(START, DAYS - 1) },
    rule_set: 'JGJ46-2005' as const,
    total_capacity_cap_kva: 5000,
    max_supply_points: 3,
    loading_cap: 0.85,
    voltage_drop_budget_percent: 5,
    low_voltage_threshold_kw: 160,
    low_voltage_threshold_basis: 'largest_unit' as const,
    temporary_supply_term_months: 1,
    nominal_lv_voltage_v: 380,
    extent_m: { x: 200, y: 200 },
    area_ha: null,
    holidays: [],
    profiles: {},
    phases: {},
  };
}

function pointInput(id: string, rating_kva: number) {
  return {
    id,
    name: id,
    position_m: { x: 10 * id.length, y: 10 },
    rating_kva,
    voltage_primary_kv: 10,
    voltage_secondary_v: 400,
    energised_from: START,
    status: 'planned' as const,
  };
}

/** Runs one operation; returns whether it was sent with force. Refusals are expected DomainErrors. */
async function run(deps: Deps, clock: ReturnType<typeof fixedClock>, siteId: string, o: Op, n: number) {
  const store = deps.store;
  const apps = async () =>
    (await store.applications.list(siteId)).filter(
      (a) => !['rejected', 'withdrawn', 'closed'].includes(a.state),
    );
  switch (o.op) {
    case 'approve': {
      // An accepted application at the point (inserted as submission would leave it), approved by the engineer.
      const at = clock.now();
      const start = addDays(START, o.start);
      const end = addDays(start, Math.min(o.days, DAYS - o.start));
      const id = `${siteId}-A${n}`;
      await store.applications.insert({
        id,
        site_id: siteId,
        organisation: ORG,
        reference: null,
        state: 'accepted',
        return_stack: [],
        payload: { profile: o.shape },
        demand: { apparent_power_kva: o.demand_kva, largest_unit_kw: 1, installed_power_kw: 1 },
        demand_kva: o.demand_kva,
        window: { start, end },
        point_id: o.point,
        deferred: [],
        findings: [],
        notice: null,
        energised_on: null,
        term_extended_until: null,
        lv_override: true,
        submitted_by: ENGINEER.key_id,
        created_at: at,
        updated_at: at,
      });
      await transitionApplication(deps, siteId, id, ENGINEER, { event: 'approve', lv_override: true });
      return false;
    }
    case 'point_update':
      await updatePoint(deps, siteId, o.point, { rating_kva: o.rating }, { actor: ENGINEER, force: o.force });
      return o.force;
    case 'point_create':
      await createPoint(deps, siteId, pointInput(o.point, o.rating), { actor: ENGINEER, force: o.force });
      return o.force;
    case 'point_delete':
      await deletePoint(deps, siteId, o.point);
      return false;
    case 'site_update': {
      const site = (await store.sites.get(siteId))!;
      await updateSite(
        deps,
        siteId,
        {
          loading_cap: o.loading_cap,
          horizon: { start: site.horizon.start, end: addDays(START, DAYS - 1 - o.shrink_days) },
        },
        { actor: ENGINEER, force: o.force },
      );
      return o.force;
    }
    case 'plan_apply': {
      // A finished plan as the planner stores one (ratings, no placements): `applyPlan` reads only these.
      const points = await store.points.list(siteId);
      const ratings = points.map((p, i) => ({ point_id: p.id, rating_kva: o.ratings[i % 3]! }));
      const id = `${siteId}-plan${n}`;
      const at = clock.now();
      await store.plans.insert({
        id,
        site_id: siteId,
        status: 'done',
        request: { method: 'heuristic' },
        result: { ratings, sum_kva: ratings.reduce((s, r) => s + r.rating_kva, 0), assignments: [] },
        error: null,
        applied_at: null,
        created_at: at,
        updated_at: at,
      });
      await applyPlan(deps, siteId, id, { actor: ENGINEER, force: o.force });
      return o.force;
    }
    case 'move': {
      const live = await apps();
      if (live.length === 0) return false;
      const a = live[o.pick % live.length]!;
      await moveApplication(deps, siteId, a.id, ENGINEER, {
        point_id: o.point,
        force: o.force,
        reason: 'rebalance',
      });
      return o.force;
    }
    case 'release': {
      const live = await apps();
      if (live.length === 0) return false;
      await transitionApplication(deps, siteId, live[o.pick % live.length]!.id, CONTRACTOR, {
        event: 'withdraw',
      });
      return false;
    }
    case 'deadline_sweep': {
      // The term passes: the sweep expires applications and releases their capacity.
      const before = clock.now();
      clock.set(new Date(Date.parse(before) + o.days_later * 86_400_000).toISOString());
      try {
        await sweepSite(deps, siteId);
      } finally {
        clock.set(before);
      }
      return false;
    }
    case 'import_over': {
      const { max_supply_points: _m, area_ha: _a, profiles: _p, phases: _ph, ...s } = siteInput(siteId);
      const file: ScenarioInput = {
        site: { ...s, supply_point_count: 3 },
        supply_points: POINTS.map((id) => ({
          ...pointInput(id, 50),
          reference_rating_kva: 50,
        })),
        profiles: {},
        requests: [],
        phases: {},
      };
      await importScenario(deps, file);
      return false;
    }
  }
}

for (const db of DATABASES) {
  describe(`capacity invariant under random edit sequences (${db.name})`, () => {
    let store: KyselyStore;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const opened = await db.open();
      store = opened.store;
      drop = opened.drop;
    });
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    it(`holds after every step of ${RUNS} random sequences`, async () => {
      const clock = fixedClock(NOW);
      const deps: Deps = { store, clock, ids: uuidIds };
      let seq = 0;
      let steps = 0;
      const refusals = new Map<string, number>();
      let forcedMarks = 0;
      const t0 = performance.now();
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(rating, rating),
          fc.array(Op, { minLength: 2, maxLength: 6 }),
          async (initial, ops) => {
            const siteId = `${db.name}-s${++seq}`;
            await createSite(deps, siteInput(siteId));
            await createPoint(deps, siteId, pointInput('P1', initial[0]));
            await createPoint(deps, siteId, pointInput('P2', initial[1]));
            let state = await checkInvariant(store, siteId);
            for (const [i, o] of ops.entries()) {
              let forced = false;
              let refused = false;
              try {
                forced = await run(deps, clock, siteId, o, i);
              } catch (e) {
                if (!(e instanceof DomainError) || !EXPECTED_REFUSALS.has(e.code)) throw e;
                refused = true;
                refusals.set(e.code, (refusals.get(e.code) ?? 0) + 1);
              }
              steps++;
              const next = await checkInvariant(store, siteId);
              // `approve` and `plan_apply` write their application / plan row before the refused transaction.
              if (refused && o.op !== 'approve' && o.op !== 'plan_apply') expect(next.key).toBe(state.key);
              const added = [...next.marks].filter((m) => !state.marks.has(m));
              if (!forced) expect(added, `${o.op} without force marked reservations`).toEqual([]);
              forcedMarks += added.length;
              state = next;
            }
          },
        ),
        { numRuns: RUNS },
      );
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `[invariant ${db.name}] ${seq} sequences, ${steps} steps in ${seconds.toFixed(1)} s; ` +
          `refusals ${JSON.stringify(Object.fromEntries(refusals))}; reservations marked overcommitted with force: ${forcedMarks}`,
      );
      expect(seq).toBeGreaterThanOrEqual(RUNS);
      // The sequences must reach the interesting cases, or the property says little.
      expect(refusals.get('capacity_overbooked') ?? 0).toBeGreaterThan(0);
      expect(refusals.get('point_has_loads') ?? 0).toBeGreaterThan(0);
      expect(forcedMarks).toBeGreaterThan(0);
    }, 600_000);
  });
}
