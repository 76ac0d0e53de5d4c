/**
 * Greedy + local-search planner. Gives the MIP its warm start and is the answer when no solver is available
 * or the time budget is tiny.
 *
 * Greedy (four starts: loads by decreasing peak contribution or fewest allowed points first; ratings grown
 * from zero or pre-sized for the everyone-at-the-cheapest-point profile), each load at its cheapest allowed
 * point whose rating can grow (next admissible standard rating) within the total cap and point count. Local
 * search: single moves to a cheaper point and ejection chains (move a blocking load b from the target to its
 * next-best point) while the plan stays feasible on the reduced hours; rating step-downs; and capacity
 * redistribution, which trades rating steps between points (one point down a step, optionally a partner up a
 * step, the affected loads re-placed) — the neighbourhood that decides how the site cap is split. Ratings are
 * kept at the smallest admissible value during the search (leaving cap for moves) and finally re-chosen to
 * minimise the highest utilisation. Deterministic (no randomness, no clock).
 */
import { contribution, type PreparedPlan } from './prepare.js';
import {
  maxOf,
  pointProfiles,
  rebalanceRatings,
  requiredRating,
  scorePlan,
  type PlanState,
} from './state.js';

export interface HeuristicOptions {
  /** Local-search passes over all loads (default 50). */
  passes?: number;
  /** Budget of ejection-chain attempts per pass (default 20 000). */
  ejection_budget?: number;
  /** Rounds of the rating step-down neighbourhood (default 3). */
  shrink_rounds?: number;
  /** Rounds of the capacity-redistribution neighbourhood (default 4). */
  redistribute_rounds?: number;
  /** Local-search passes after each redistribution attempt (default 3). */
  redistribute_passes?: number;
  /** Try swaps (l to b's point, b to l's point) in the ejection chains (default true). */
  swaps?: boolean;
  /** Partner points tried per step-down in the paired redistribution (default 3). */
  redistribute_partners?: number;
}

class Working {
  readonly prof: Float64Array[];
  readonly peak: number[];
  /** A reduced-hour index at which each point's profile reaches its peak (−1 = empty). */
  readonly peakAt: number[];
  readonly rating: number[];
  readonly assign: Int32Array;
  members: Set<number>[];
  /** Highest rating each point may take during a move (Infinity = its admissible maximum). */
  readonly ceiling: number[];
  sumRatings = 0;
  usedCount = 0;
  private readonly coef: Float64Array[];

  constructor(private readonly prep: PreparedPlan) {
    const K = prep.reduced.hours.length;
    const P = prep.problem.points.length;
    this.prof = Array.from({ length: P }, () => new Float64Array(K));
    this.peak = new Array<number>(P).fill(0);
    this.peakAt = new Array<number>(P).fill(-1);
    this.rating = new Array<number>(P).fill(0);
    this.ceiling = new Array<number>(P).fill(Number.POSITIVE_INFINITY);
    this.members = Array.from({ length: P }, () => new Set<number>());
    this.assign = new Int32Array(prep.problem.loads.length).fill(-1);
    this.coef = prep.problem.loads.map((_, l) => {
      const from = prep.kFrom[l] ?? 0;
      const to = prep.kTo[l] ?? 0;
      const c = new Float64Array(Math.max(0, to - from));
      for (let k = from; k < to; k++) c[k - from] = contribution(prep, l, k);
      return c;
    });
    for (let p = 0; p < P; p++) {
      if (prep.mustUse[p]) this.setRating(p, prep.ratingOptions[p]?.[0] ?? 0);
    }
  }

  /** A working copy of a plan (its ratings as given). */
  static from(prep: PreparedPlan, state: PlanState): Working {
    const w = new Working(prep);
    state.rating.forEach((r, p) => w.setRating(p, r));
    state.assign.forEach((p, l) => {
      if (p < 0) return;
      w.apply(l, p, 1);
      w.assign[l] = p;
    });
    w.prof.forEach((row, p) => {
      let m = 0;
      let at = -1;
      row.forEach((v, k) => {
        if (v > m) {
          m = v;
          at = k;
        }
      });
      w.peak[p] = m;
      w.peakAt[p] = at;
    });
    return w;
  }

  /** Starts from given ratings (admissible, within the cap and count) instead of zero. */
  presetRatings(ratings: readonly number[]): void {
    ratings.forEach((r, p) => this.setRating(p, r));
  }

  /** Sets a rating directly (the caller keeps the cap, count and loads consistent). */
  forceRating(p: number, r: number): void {
    this.setRating(p, r);
  }

  private setRating(p: number, r: number): void {
    const old = this.rating[p] ?? 0;
    this.sumRatings += r - old;
    if (old === 0 && r > 0) this.usedCount++;
    if (old > 0 && r === 0) this.usedCount--;
    this.rating[p] = r;
  }

  /** Argmax hour of the last `peakWith`/`peakWithout` call. */
  private lastAt = -1;

  /** Peak of point p with load l added, kVA (O(window of l)). */
  peakWith(l: number, p: number): number {
    const row = this.prof[p];
    const c = this.coef[l];
    const from = this.prep.kFrom[l] ?? 0;
    let m = this.peak[p] ?? 0;
    let at = this.peakAt[p] ?? -1;
    if (row && c)
      for (let i = 0; i < c.length; i++) {
        const v = (row[from + i] ?? 0) + (c[i] ?? 0);
        if (v > m) {
          m = v;
          at = from + i;
        }
      }
    this.lastAt = at;
    return m;
  }

  /**
   * Peak of point p with load l removed, kVA. When l adds nothing at the point's current peak hour the peak
   * stays (every other hour only drops), which avoids the O(K) scan for most loads.
   */
  peakWithout(l: number, p: number): number {
    const row = this.prof[p];
    const c = this.coef[l];
    if (!row || !c) return 0;
    const from = this.prep.kFrom[l] ?? 0;
    const to = from + c.length;
    const at = this.peakAt[p] ?? -1;
    if (at >= 0 && (at < from || at >= to || (c[at - from] ?? 0) === 0)) {
      this.lastAt = at;
      return this.peak[p] ?? 0;
    }
    let m = 0;
    let mAt = -1;
    for (let k = 0; k < row.length; k++) {
      const v = k >= from && k < to ? (row[k] ?? 0) - (c[k - from] ?? 0) : (row[k] ?? 0);
      if (v > m) {
        m = v;
        mAt = k;
      }
    }
    this.lastAt = mAt;
    return m;
  }

  /** Rating point p needs for a peak (0 when it serves nothing and is not fixed); null when impossible. */
  neededRating(p: number, peak: number, members: number): number | null {
    if (members === 0 && !this.prep.mustUse[p]) return 0;
    const r = requiredRating(this.prep, p, peak);
    return r !== null && r > (this.ceiling[p] ?? Number.POSITIVE_INFINITY) ? null : r;
  }

  /**
   * Moves load l to point q (−1 = unserved) if the plan stays feasible; ratings of the two points become
   * the smallest admissible ones.
   */
  tryMove(l: number, q: number, allowGrow = true): boolean {
    const p = this.assign[l] ?? -1;
    if (p === q) return false;
    let newRatingQ = 0;
    let newPeakQ = 0;
    let newAtQ = -1;
    if (q >= 0) {
      newPeakQ = this.peakWith(l, q);
      newAtQ = this.lastAt;
      const r = this.neededRating(q, newPeakQ, (this.members[q]?.size ?? 0) + 1);
      if (r === null) return false;
      newRatingQ = Math.max(r, this.rating[q] ?? 0); // an addition never shrinks the target
      if (!allowGrow && newRatingQ !== (this.rating[q] ?? 0)) return false;
    }
    let newRatingP = 0;
    let newPeakP = 0;
    let newAtP = -1;
    if (p >= 0) {
      newPeakP = this.peakWithout(l, p);
      newAtP = this.lastAt;
      // Leaving never fails on the source's ceiling: its rating only drops or stays.
      const r =
        (this.members[p]?.size ?? 1) - 1 === 0 && !this.prep.mustUse[p]
          ? 0
          : requiredRating(this.prep, p, newPeakP);
      if (r === null) return false;
      newRatingP = r;
    }
    let sum = this.sumRatings;
    let used = this.usedCount;
    if (p >= 0) {
      const old = this.rating[p] ?? 0;
      sum += newRatingP - old;
      if (old === 0 && newRatingP > 0) used++;
      if (old > 0 && newRatingP === 0) used--;
    }
    if (q >= 0) {
      const old = this.rating[q] ?? 0;
      sum += newRatingQ - old;
      if (old === 0 && newRatingQ > 0) used++;
      if (old > 0 && newRatingQ === 0) used--;
    }
    const site = this.prep.problem.site;
    if (sum > site.total_capacity_cap_kva + 1e-9 || used > site.max_supply_points) return false;
    this.apply(l, p, -1);
    if (p >= 0) {
      this.peak[p] = newPeakP;
      this.peakAt[p] = newAtP;
      this.setRating(p, newRatingP);
    }
    if (q >= 0) {
      this.apply(l, q, 1);
      this.peak[q] = newPeakQ;
      this.peakAt[q] = newAtQ;
      this.setRating(q, newRatingQ);
    }
    this.assign[l] = q;
    return true;
  }

  private apply(l: number, p: number, sign: number): void {
    if (p < 0) return;
    const row = this.prof[p];
    const c = this.coef[l];
    if (!row || !c) return;
    const from = this.prep.kFrom[l] ?? 0;
    for (let i = 0; i < c.length; i++) row[from + i] = (row[from + i] ?? 0) + sign * (c[i] ?? 0);
    if (sign > 0) this.members[p]?.add(l);
    else this.members[p]?.delete(l);
  }

  snapshot(): () => void {
    const prof = this.prof.map((r) => Float64Array.from(r));
    const peak = [...this.peak];
    const peakAt = [...this.peakAt];
    const rating = [...this.rating];
    const assign = Int32Array.from(this.assign);
    const members = this.members.map((m) => new Set(m));
    const sum = this.sumRatings;
    const used = this.usedCount;
    return () => {
      prof.forEach((r, p) => this.prof[p]?.set(r));
      peak.forEach((v, p) => (this.peak[p] = v));
      peakAt.forEach((v, p) => (this.peakAt[p] = v));
      rating.forEach((v, p) => (this.rating[p] = v));
      this.assign.set(assign);
      members.forEach((m, p) => (this.members[p] = m));
      this.sumRatings = sum;
      this.usedCount = used;
    };
  }

  /** Σ pair costs + unserved penalties (the balance term is settled by the final ratings). */
  cost(): number {
    let c = 0;
    this.assign.forEach((p, l) => {
      if ((this.prep.allowed[l] ?? []).length > 0) c += costOf(this.prep, l, p);
    });
    return c;
  }

  peakContribution(l: number): number {
    let m = 0;
    for (const v of this.coef[l] ?? []) if (v > m) m = v;
    return m;
  }

  overlaps(a: number, b: number): boolean {
    return (
      (this.prep.kFrom[a] ?? 0) < (this.prep.kTo[b] ?? 0) &&
      (this.prep.kFrom[b] ?? 0) < (this.prep.kTo[a] ?? 0)
    );
  }
}

/** Objective coefficient of load l at point p (−1 = unserved penalty). */
function costOf(prep: PreparedPlan, l: number, p: number): number {
  if (p < 0) return prep.weights.unserved_penalty;
  return prep.allowed[l]?.find((a) => a.point === p)?.cost ?? Number.POSITIVE_INFINITY;
}

/** Loads by decreasing peak contribution; with `fewestFirst`, loads with fewer allowed points come first. */
function loadOrder(prep: PreparedPlan, w: Working, fewestFirst = false): number[] {
  const N = prep.problem.loads.length;
  const order = Array.from({ length: N }, (_, l) => l).filter((l) => (prep.allowed[l] ?? []).length > 0);
  const sizeOf = new Float64Array(N);
  for (const l of order) sizeOf[l] = w.peakContribution(l);
  const options = (l: number): number => (fewestFirst ? (prep.allowed[l]?.length ?? 0) : 0);
  return order.sort((a, b) => options(a) - options(b) || (sizeOf[b] ?? 0) - (sizeOf[a] ?? 0) || a - b);
}

function localSearch(
  prep: PreparedPlan,
  w: Working,
  order: readonly number[],
  options: HeuristicOptions,
): void {
  const passes = options.passes ?? 50;
  const ejectionBudget = options.ejection_budget ?? 20_000;
  for (let pass = 0; pass < passes; pass++) {
    let improved = false;
    let ejections = 0;
    for (const l of order) {
      if ((w.assign[l] ?? -1) < 0) {
        // Unserved: make room at an allowed point by moving every overlapping load that can go elsewhere.
        let served = false;
        for (const pair of prep.allowed[l] ?? []) {
          if (makeRoom(prep, w, l, pair.point)) {
            served = true;
            break;
          }
        }
        improved ||= served;
        continue;
      }
      const current = costOf(prep, l, w.assign[l] ?? -1);
      for (const pair of prep.allowed[l] ?? []) {
        if (pair.cost >= current - 1e-9) break;
        if (w.tryMove(l, pair.point)) {
          improved = true;
          break;
        }
        // Ejection chain: move one overlapping load b off the target to a point costing it less than l gains.
        if (ejections >= ejectionBudget) continue;
        const gain = current - pair.cost;
        let done = false;
        for (const b of [...(w.members[pair.point] ?? [])]) {
          if (!w.overlaps(l, b)) continue;
          const bCost = costOf(prep, b, pair.point);
          for (const alt of prep.allowed[b] ?? []) {
            if (alt.point === pair.point) continue;
            if (alt.cost - bCost >= gain - 1e-9) break;
            ejections++;
            const from = w.assign[l] ?? -1;
            if (alt.point === from && options.swaps !== false) {
              // Swap: l leaves first so that b fits where l was; every step is undone on failure.
              if (!w.tryMove(l, -1)) continue;
              if (w.tryMove(b, from)) {
                if (w.tryMove(l, pair.point)) {
                  done = true;
                  break;
                }
                w.tryMove(b, pair.point);
              }
              w.tryMove(l, from);
              continue;
            }
            if (!w.tryMove(b, alt.point)) continue;
            if (w.tryMove(l, pair.point)) {
              done = true;
              break;
            }
            w.tryMove(b, pair.point); // revert
          }
          if (done || ejections >= ejectionBudget) break;
        }
        if (done) {
          improved = true;
          break;
        }
      }
    }
    if (!improved) break;
  }
}

/**
 * Serves unserved load l at point q by relocating loads at q that overlap it in time (largest first) to
 * their other allowed points until l fits; undoes the relocations when it never fits. The unserved penalty
 * dominates any feeder-cost increase of the relocated loads.
 */
function makeRoom(prep: PreparedPlan, w: Working, l: number, q: number): boolean {
  if (w.tryMove(l, q)) return true;
  const blocking = [...(w.members[q] ?? [])]
    .filter((b) => w.overlaps(l, b))
    .sort((a, b) => w.peakContribution(b) - w.peakContribution(a) || a - b);
  const moved: number[] = [];
  for (const b of blocking) {
    for (const alt of prep.allowed[b] ?? []) {
      if (alt.point !== q && w.tryMove(b, alt.point)) {
        moved.push(b);
        break;
      }
    }
    if (moved.at(-1) === b && w.tryMove(l, q)) return true;
  }
  for (const b of moved.reverse()) w.tryMove(b, q);
  return false;
}

/**
 * Rating step-down: lowers point s by one admissible rating by relocating loads to points with slack under
 * their current ratings, then spends the freed cap on unserved loads and cheaper placements; kept only when
 * the cost (feeder + penalties) drops.
 */
function shrinkSearch(
  prep: PreparedPlan,
  w: Working,
  order: readonly number[],
  options: HeuristicOptions,
): void {
  const P = prep.problem.points.length;
  const beta = prep.loadingCap;
  for (let round = 0; round < (options.shrink_rounds ?? 3); round++) {
    let improved = false;
    for (let s = 0; s < P; s++) {
      const opts = prep.ratingOptions[s] ?? [];
      const r = w.rating[s] ?? 0;
      const idx = opts.indexOf(r);
      if (r === 0 || idx <= 0 || prep.mustUse[s]) continue;
      const limit = beta * (opts[idx - 1] ?? 0);
      const before = w.cost();
      const restore = w.snapshot();
      const loads = [...(w.members[s] ?? [])].sort(
        (a, b) => w.peakContribution(b) - w.peakContribution(a) || a - b,
      );
      for (const l of loads) {
        if ((w.peak[s] ?? 0) <= limit) break;
        for (const alt of prep.allowed[l] ?? []) if (alt.point !== s && w.tryMove(l, alt.point, false)) break;
      }
      if ((w.peak[s] ?? 0) > limit || (w.rating[s] ?? 0) >= r) {
        restore();
        continue;
      }
      for (const l of order) {
        const current = costOf(prep, l, w.assign[l] ?? -1);
        for (const pair of prep.allowed[l] ?? []) {
          if (pair.cost >= current - 1e-9) break;
          if (w.tryMove(l, pair.point)) break;
        }
      }
      if (w.cost() < before - 1e-6) improved = true;
      else restore();
    }
    if (!improved) break;
  }
}

/**
 * One start of the heuristic: ratings preset (or grown from zero), each load (largest peak first, or fewest
 * options first) at its first allowed point that fits — in `preferred` order when given, else cheapest
 * first — then the local search, the rating step-downs and the capacity redistribution.
 */
function greedyStart(
  prep: PreparedPlan,
  initial: readonly number[] | null,
  fewestFirst: boolean,
  preferred: ((l: number) => readonly number[]) | null,
  options: HeuristicOptions,
): PlanState {
  const w = new Working(prep);
  if (initial) w.presetRatings(initial);
  const order = loadOrder(prep, w, fewestFirst);
  for (const l of order) {
    const points = preferred ? preferred(l) : (prep.allowed[l] ?? []).map((a) => a.point);
    for (const p of points) if (w.tryMove(l, p)) break;
  }
  localSearch(prep, w, order, options);
  shrinkSearch(prep, w, order, options);
  localSearch(prep, w, order, options);
  redistribute(prep, w, order, options);
  return rebalanceRatings(prep, { assign: Int32Array.from(w.assign), rating: [...w.rating] });
}

/**
 * A heuristic start guided by an LP relaxation: ratings preset from the LP's rating mix (each point's
 * expected rating Σ R·y, scaled into the cap and rounded up to an admissible rating) and each load placed
 * first at the point where the LP puts most of it. Deterministic; a plan feasible on the reduced hours.
 * @param lpRatingKva expected rating per point in the LP solution, kVA
 * @param lpShare LP share x of (load, point), by load then allowed pair order (`prep.allowed`)
 */
export function lpGuidedPlan(
  prep: PreparedPlan,
  lpRatingKva: readonly number[],
  lpShare: (l: number, p: number) => number,
  options: HeuristicOptions = {},
): PlanState {
  const preferred = (l: number): number[] =>
    (prep.allowed[l] ?? [])
      .map((a, i) => ({ p: a.point, share: lpShare(l, a.point), i }))
      .sort((a, b) => b.share - a.share || a.i - b.i)
      .map((a) => a.p);
  // Two roundings of the LP ratings: to the nearest rating (then fitted to the cap), and up to a rating
  // carrying the LP rating (all scaled down together until they fit); the better plan wins.
  let best: PlanState | null = null;
  let bestTotal = Number.POSITIVE_INFINITY;
  const tried = new Set<string>();
  for (const initial of [
    roundedRatings(prep, lpRatingKva),
    scaledRatings(
      prep,
      lpRatingKva.map((r) => r * prep.loadingCap),
    ),
  ]) {
    const key = initial ? initial.join(',') : '';
    if (tried.has(key)) continue;
    tried.add(key);
    const plan = greedyStart(prep, initial, false, preferred, options);
    const total = scorePlan(prep, plan).total;
    if (total < bestTotal) {
      best = plan;
      bestTotal = total;
    }
  }
  return best ?? greedyStart(prep, null, false, preferred, options);
}

/**
 * Greedy construction then local search. Deterministic (no randomness, no clock).
 * @returns a plan feasible on the reduced hours (hence on the full grid), with ratings re-chosen to minimise
 *   the highest utilisation
 */
export function heuristicPlan(prep: PreparedPlan, options: HeuristicOptions = {}): PlanState {
  // Two starts: ratings grown on demand from zero, and ratings pre-sized for the "everyone at the
  // cheapest point" profile scaled into the cap; the better plan wins.
  let best: PlanState | null = null;
  let bestTotal = Number.POSITIVE_INFINITY;
  const wish = wishRatings(prep);
  const starts: [number[] | null, boolean][] = [
    [null, false],
    [wish, false],
    [null, true],
    [wish, true],
  ];
  for (const [initial, fewestFirst] of starts) {
    const plan = greedyStart(prep, initial, fewestFirst, null, options);
    const total = scorePlan(prep, plan).total;
    if (total < bestTotal) {
      best = plan;
      bestTotal = total;
    }
  }
  return (
    best ?? {
      assign: new Int32Array(prep.problem.loads.length).fill(-1),
      rating: prep.problem.points.map(() => 0),
    }
  );
}

/**
 * Ratings for the profile each point would carry if every load sat at its cheapest allowed point, scaled
 * down (binary search on a factor) until they fit the cap and point count.
 */
function wishRatings(prep: PreparedPlan): number[] | null {
  const wish = new Int32Array(prep.problem.loads.length).fill(-1);
  prep.allowed.forEach((pairs, l) => (wish[l] = pairs[0]?.point ?? -1));
  return scaledRatings(
    prep,
    pointProfiles(prep, wish).map((row) => maxOf(row)),
  );
}

/**
 * Admissible ratings near target ratings (kVA per point): each target rounded to the nearest admissible
 * rating (0 below half the smallest), then, while over the cap or the point count, the point rated most
 * above its target steps down (or closes), and while a step up fits, the point most below its target steps
 * up. Null when even that does not fit.
 */
function roundedRatings(prep: PreparedPlan, target: readonly number[]): number[] | null {
  const site = prep.problem.site;
  const opts = (p: number): readonly number[] => prep.ratingOptions[p] ?? [];
  const rating = target.map((t, p) => {
    const o = opts(p);
    if (prep.mustUse[p]) return o.reduce((b, r) => (Math.abs(r - t) < Math.abs(b - t) ? r : b), o[0] ?? 0);
    if (o.length === 0 || t < (o[0] ?? 0) / 2) return 0;
    return o.reduce((b, r) => (Math.abs(r - t) < Math.abs(b - t) ? r : b), o[0] ?? 0);
  });
  const sum = (): number => rating.reduce((a, b) => a + b, 0);
  const count = (): number => rating.filter((r) => r > 0).length;
  const down = (p: number): number => {
    const o = opts(p);
    const i = o.indexOf(rating[p] ?? 0);
    return i > 0 ? (o[i - 1] ?? 0) : prep.mustUse[p] ? -1 : 0;
  };
  while (sum() > site.total_capacity_cap_kva + 1e-9 || count() > site.max_supply_points) {
    let best = -1;
    let excess = -Infinity;
    rating.forEach((r, p) => {
      if (r <= 0 || down(p) < 0) return;
      const e = r / Math.max(1e-9, target[p] ?? 0);
      if (e > excess) {
        excess = e;
        best = p;
      }
    });
    if (best < 0) return null;
    rating[best] = down(best);
  }
  for (;;) {
    let best = -1;
    let deficit = 1;
    rating.forEach((r, p) => {
      if (r <= 0) return;
      const next = opts(p).find((o) => o > r);
      if (next === undefined || sum() - r + next > site.total_capacity_cap_kva + 1e-9) return;
      const d = (target[p] ?? 0) / r;
      if (d > deficit) {
        deficit = d;
        best = p;
      }
    });
    if (best < 0) break;
    rating[best] = opts(best).find((o) => o > (rating[best] ?? 0)) ?? rating[best] ?? 0;
  }
  return rating;
}

/**
 * The admissible ratings carrying the given peaks (kVA per point), scaled down by a common factor (binary
 * search) until they fit the cap and point count; null when nothing fits.
 */
function scaledRatings(prep: PreparedPlan, peaks: readonly number[]): number[] | null {
  const site = prep.problem.site;
  const ratingsFor = (alpha: number): number[] | null => {
    const out: number[] = [];
    for (let p = 0; p < peaks.length; p++) {
      const pk = (peaks[p] ?? 0) * alpha;
      if (pk <= 0 && !prep.mustUse[p]) {
        out.push(0);
        continue;
      }
      const r = requiredRating(prep, p, pk) ?? (prep.ratingOptions[p] ?? []).at(-1) ?? 0;
      out.push(r);
    }
    const sum = out.reduce((a, b) => a + b, 0);
    const used = out.filter((r) => r > 0).length;
    return sum <= site.total_capacity_cap_kva && used <= site.max_supply_points ? out : null;
  };
  let lo = 0;
  let hi = 1;
  if (ratingsFor(1)) return ratingsFor(1);
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (ratingsFor(mid)) lo = mid;
    else hi = mid;
  }
  return lo > 0 ? ratingsFor(lo) : null;
}

/**
 * Polishes a feasible plan (e.g. a MIP incumbent stopped at its gap or time limit): serves unserved loads
 * where they fit and moves loads to cheaper points while feasible; never makes the objective worse except
 * through the final utilisation-minimising ratings, which only lower the highest utilisation.
 * @param state a plan feasible on the reduced hours
 */
export function improvePlan(prep: PreparedPlan, state: PlanState, options: HeuristicOptions = {}): PlanState {
  const w = Working.from(prep, state);
  const order = loadOrder(prep, w);
  localSearch(prep, w, order, options);
  shrinkSearch(prep, w, order, options);
  localSearch(prep, w, order, options);
  return rebalanceRatings(prep, { assign: Int32Array.from(w.assign), rating: [...w.rating] });
}

/**
 * Capacity redistribution: lowers point s by one admissible rating (or closes it) by unserving the loads
 * whose relocation is cheapest per kVA of peak until s fits the lower rating; with a partner g, raises g by
 * one rating with the freed cap and pulls in the loads that are cheaper there; then re-serves the evicted
 * loads where the cap allows (s is held at its lower rating) and runs the local search. Kept only when the
 * cost (feeder + preference + unserved penalties) drops. These are the moves that trade rating steps between
 * points (e.g. 630 → 500 here, 500 → 630 there), which single-load moves cannot reach because ratings are
 * kept minimal.
 * @returns whether the move was kept
 */
function tryRedistribute(
  prep: PreparedPlan,
  w: Working,
  s: number,
  g: number,
  order: readonly number[],
  options: HeuristicOptions,
): boolean {
  const opts = prep.ratingOptions[s] ?? [];
  const r = w.rating[s] ?? 0;
  const idx = opts.indexOf(r);
  if (prep.mustUse[s] || r === 0 || idx < 0) return false;
  const target = idx > 0 ? (opts[idx - 1] ?? 0) : 0;
  const limit = prep.loadingCap * target;
  const before = w.cost();
  const restore = w.snapshot();
  // Relocation price per kVA of peak: next-cheapest other point's cost minus the current one.
  const members = [...(w.members[s] ?? [])];
  const price = new Map<number, number>();
  for (const l of members) {
    const here = costOf(prep, l, s);
    const alt = (prep.allowed[l] ?? []).find((a) => a.point !== s);
    const extra = alt ? alt.cost - here : prep.weights.unserved_penalty;
    price.set(l, extra / Math.max(1e-9, w.peakContribution(l)));
  }
  members.sort((a, b) => (price.get(a) ?? 0) - (price.get(b) ?? 0) || a - b);
  const evicted: number[] = [];
  for (const l of members) {
    if ((w.rating[s] ?? 0) <= target && (w.peak[s] ?? 0) <= limit * (1 + 1e-12)) break;
    if (w.tryMove(l, -1)) evicted.push(l);
  }
  if ((w.rating[s] ?? 0) > target) {
    restore();
    return false;
  }
  w.ceiling[s] = target;
  if (g >= 0) {
    const next = (prep.ratingOptions[g] ?? []).find((o) => o > (w.rating[g] ?? 0));
    const site = prep.problem.site;
    const grows = (w.rating[g] ?? 0) === 0 ? 1 : 0;
    if (
      next === undefined ||
      w.sumRatings - (w.rating[g] ?? 0) + next > site.total_capacity_cap_kva + 1e-9 ||
      w.usedCount + grows > site.max_supply_points
    ) {
      w.ceiling[s] = Number.POSITIVE_INFINITY;
      restore();
      return false;
    }
    w.forceRating(g, next);
    w.ceiling[g] = next;
  }
  evicted.sort((a, b) => w.peakContribution(b) - w.peakContribution(a) || a - b);
  for (const l of evicted) {
    let placed = false;
    for (const pair of prep.allowed[l] ?? [])
      if (w.tryMove(l, pair.point)) {
        placed = true;
        break;
      }
    if (!placed)
      for (const pair of prep.allowed[l] ?? [])
        if (pair.point !== s && makeRoom(prep, w, l, pair.point)) break;
  }
  if (g >= 0) {
    // Pull into g the loads that gain most by moving there.
    const gains: { l: number; gain: number }[] = [];
    for (const l of order) {
      const at = w.assign[l] ?? -1;
      if (at === g) continue;
      const pair = (prep.allowed[l] ?? []).find((a) => a.point === g);
      if (!pair) continue;
      const gain = costOf(prep, l, at) - pair.cost;
      if (gain > 1e-9) gains.push({ l, gain });
    }
    gains.sort((a, b) => b.gain - a.gain || a.l - b.l);
    for (const { l } of gains) w.tryMove(l, g, false);
    w.ceiling[g] = Number.POSITIVE_INFINITY;
  }
  localSearch(prep, w, order, { ...options, passes: options.redistribute_passes ?? 3 });
  w.ceiling[s] = Number.POSITIVE_INFINITY;
  if (w.cost() < before - 1e-6) return true;
  restore();
  return false;
}

/**
 * Runs the redistribution moves to a local optimum: first single step-downs, then step-down/step-up pairs
 * with the three partners that share most of s's loads (by peak kVA).
 * @returns whether any move was kept
 */
function redistribute(
  prep: PreparedPlan,
  w: Working,
  order: readonly number[],
  options: HeuristicOptions,
): boolean {
  const P = prep.problem.points.length;
  let any = false;
  for (let round = 0; round < (options.redistribute_rounds ?? 6); round++) {
    let improved = false;
    for (let s = 0; s < P; s++) if (tryRedistribute(prep, w, s, -1, order, options)) improved = true;
    if (!improved)
      for (let s = 0; s < P; s++) {
        if ((w.rating[s] ?? 0) === 0) continue;
        const share = new Float64Array(P);
        for (const l of w.members[s] ?? [])
          for (const a of prep.allowed[l] ?? [])
            if (a.point !== s) share[a.point] = (share[a.point] ?? 0) + w.peakContribution(l);
        const partners = Array.from({ length: P }, (_, g) => g)
          .filter((g) => g !== s && (share[g] ?? 0) > 0)
          .sort((a, b) => (share[b] ?? 0) - (share[a] ?? 0) || a - b)
          .slice(0, options.redistribute_partners ?? 3);
        for (const g of partners)
          if (tryRedistribute(prep, w, s, g, order, options)) {
            improved = true;
            break;
          }
      }
    if (!improved) {
      // Unserved loads: raise one of their points by a step, paid for by the points with most slack.
      const slack = (q: number): number => prep.loadingCap * (w.rating[q] ?? 0) - (w.peak[q] ?? 0);
      const donors = Array.from({ length: P }, (_, q) => q)
        .filter((q) => (w.rating[q] ?? 0) > 0)
        .sort((a, b) => slack(b) - slack(a) || a - b)
        .slice(0, options.redistribute_partners ?? 3);
      for (const l of order) {
        if ((w.assign[l] ?? -1) >= 0) continue;
        for (const pair of prep.allowed[l] ?? []) {
          for (const d of donors)
            if (d !== pair.point && tryRedistribute(prep, w, d, pair.point, order, options)) {
              improved = true;
              break;
            }
          if ((w.assign[l] ?? -1) >= 0) break;
        }
      }
    }
    if (!improved) break;
    any = true;
  }
  return any;
}
