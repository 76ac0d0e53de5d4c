/**
 * Seeded synthetic sites shaped like the reference scenario (examples/jinshan-ev-plant.json): ten points on
 * a 1300 m × 870 m site energised July–October 2025, a two-year horizon, loads of 20–250 kVA clustered
 * around the points (more around the northern shops) with the six preset daily shapes, demands of 20–200 kVA
 * (the reference requests' computed demands span 19–188 kVA) at power factors 0.7–0.95. Reproducible: the
 * same options give the same site.
 *
 * Window lengths scale with N so that the expected concurrent peak demand is `load_level` × the usable
 * capacity (cap × β): the capacity binds somewhere, as on the reference site, whatever N is.
 */
import { buildHourGrid, addDays, daysBetween, type HourGrid } from '../profile/calendar.js';
import { PRESET_SHAPES, classFactors } from '../profile/profile.js';
import type { FeederCheck, PlanLoad, PlanPoint, PlanProblem } from './types.js';

/** mulberry32: a small, fast 32-bit seeded PRNG; returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The reference site's ten supply points (examples/jinshan-ev-plant.json `supply_points`). */
export const REFERENCE_POINTS: readonly PlanPoint[] = [
  { id: 'SP-01', position_m: { x: 200, y: 700 }, energised_from: '2025-07-10', reference_rating_kva: 500 },
  { id: 'SP-02', position_m: { x: 550, y: 720 }, energised_from: '2025-08-01', reference_rating_kva: 500 },
  { id: 'SP-03', position_m: { x: 900, y: 720 }, energised_from: '2025-09-01', reference_rating_kva: 500 },
  { id: 'SP-04', position_m: { x: 600, y: 380 }, energised_from: '2025-09-01', reference_rating_kva: 500 },
  { id: 'SP-05', position_m: { x: 950, y: 380 }, energised_from: '2025-10-01', reference_rating_kva: 500 },
  { id: 'SP-06', position_m: { x: 250, y: 300 }, energised_from: '2025-08-01', reference_rating_kva: 500 },
  { id: 'SP-07', position_m: { x: 1180, y: 500 }, energised_from: '2025-10-01', reference_rating_kva: 500 },
  { id: 'SP-08', position_m: { x: 120, y: 480 }, energised_from: '2025-07-10', reference_rating_kva: 500 },
  { id: 'SP-09', position_m: { x: 1230, y: 780 }, energised_from: '2025-07-20', reference_rating_kva: 500 },
  { id: 'SP-10', position_m: { x: 1180, y: 180 }, energised_from: '2025-08-01', reference_rating_kva: 500 },
];

/** Share of the reference requests per preset shape (18 day_shift, 14 two_shift, 4 continuous, 3 night, 2 office, 2 camp). */
const SHAPE_WEIGHTS: readonly [string, number][] = [
  ['day_shift', 18],
  ['two_shift', 14],
  ['continuous', 4],
  ['night_lighting', 3],
  ['office', 2],
  ['camp', 2],
];

export interface SyntheticOptions {
  /** Number of loads (50…5000 in the benchmarks). */
  loads: number;
  seed?: number;
  /** Expected concurrent peak demand / (cap × β) (default 0.6). */
  load_level?: number;
  /** Share of loads above the LV threshold (default 0.02); half of them carry an engineer's override. */
  lv_share?: number;
  /** IANA time zone of the site (default Asia/Shanghai). */
  timezone?: string;
  /** Largest demand, kVA (default 200; demands are uniform in [20, max]). */
  demand_max_kva?: number;
}

export interface SyntheticSite {
  problem: PlanProblem;
  grid: HourGrid;
}

/**
 * Generates a reproducible synthetic site.
 * @param options.loads number of loads; demands uniform in 20–`demand_max_kva` kVA, power factor 0.7–0.95
 */
export function syntheticSite(options: SyntheticOptions): SyntheticSite {
  const rnd = mulberry32(options.seed ?? 1);
  const N = options.loads;
  const start = '2025-06-27';
  const end = '2027-06-30';
  const grid = buildHourGrid({
    timezone: options.timezone ?? 'Asia/Shanghai',
    start_date: start,
    end_date: end,
  });
  const horizonDays = daysBetween(start, end) + 1;
  const cap = 5000;
  const beta = 0.85;
  const demandMax = options.demand_max_kva ?? 200;
  const meanDemand = (20 + demandMax) / 2;
  const level = options.load_level ?? 0.6;
  // Expected concurrency N·d̄/T·S̄ ≈ level·cap·β  →  mean duration d̄.
  const meanDays = Math.max(3, Math.min(540, (level * cap * beta * horizonDays) / (N * meanDemand)));
  const shapes = Object.fromEntries(
    Object.entries(PRESET_SHAPES).map(([k, s]) => [k, classFactors(s)] as const),
  );
  const totalWeight = SHAPE_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const pickShape = (): Float64Array => {
    let r = rnd() * totalWeight;
    for (const [name, w] of SHAPE_WEIGHTS) {
      r -= w;
      if (r < 0) return shapes[name] ?? new Float64Array(72);
    }
    return shapes.day_shift ?? new Float64Array(72);
  };
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  // Cluster weights: the northern shops (SP-01..03) draw more load, as on the reference site.
  const clusterWeights = [3, 3, 3, 1.5, 1.5, 1, 1, 1, 1, 1];
  const clusterTotal = clusterWeights.reduce((a, b) => a + b, 0);
  const lvShare = options.lv_share ?? 0.02;
  const earliest = '2025-07-10';
  const loads: PlanLoad[] = [];
  for (let i = 0; i < N; i++) {
    let position: { x: number; y: number };
    if (rnd() < 0.85) {
      let r = rnd() * clusterTotal;
      let c = 0;
      while (c < clusterWeights.length - 1 && (r -= clusterWeights[c] ?? 1) >= 0) c++;
      const p = REFERENCE_POINTS[c]?.position_m ?? { x: 650, y: 435 };
      position = { x: clamp(p.x + 150 * gauss(), 0, 1300), y: clamp(p.y + 120 * gauss(), 0, 870) };
    } else position = { x: rnd() * 1300, y: rnd() * 870 };
    const duration = Math.max(1, Math.round(meanDays * (0.5 + rnd())));
    const latestStart = Math.max(0, daysBetween(earliest, end) + 1 - duration);
    const s = addDays(earliest, Math.floor(rnd() * (latestStart + 1)));
    const e = addDays(s, duration);
    const demand = Math.round((20 + rnd() * (demandMax - 20)) * 10) / 10;
    const pf = 0.7 + rnd() * 0.25;
    const lv = rnd() < lvShare;
    loads.push({
      id: `L-${String(i + 1).padStart(5, '0')}`,
      demand_kva: demand,
      active_power_kw: demand * pf,
      reactive_power_kvar: demand * Math.sqrt(1 - pf * pf),
      lv_threshold_exceeded: lv,
      ...(lv && rnd() < 0.5 ? { lv_override: true } : {}),
      factors: pickShape(),
      window: { start: s, end: e },
      position_m: position,
    });
  }
  return {
    grid,
    problem: {
      site: {
        total_capacity_cap_kva: cap,
        max_supply_points: 10,
        loading_cap: beta,
        voltage_drop_budget_percent: 5,
        low_voltage_threshold_kw: 160,
      },
      points: REFERENCE_POINTS.map((p) => ({ ...p, position_m: { ...p.position_m } })),
      loads,
    },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * A closed-form stand-in for the network module's feeder check, for tests and benchmarks: the impedance
 * form ΔU% = (P·R0 + Q·X0)·L/(10·Un²) (DOMAIN.md §4.1 form 1) on the largest allowed cable.
 * @param budgetPercent voltage-drop budget, % (DOMAIN.md §4.2: 5)
 * @param crossSectionMm2 the largest allowed Cu cable, mm² (default 240)
 * Constants: R0 = 1000/(γ·S) Ω/km with γCu = 53 m/(Ω·mm²) (DOMAIN.md §4.1 item 3), X0 = 0.08 Ω/km
 * (typical LV cable reactance, an assumption), Un = 0.38 kV.
 */
export function closedFormFeederCheck(budgetPercent = 5, crossSectionMm2 = 240): FeederCheck {
  const r0 = 1000 / (53 * crossSectionMm2);
  const x0 = 0.08;
  const un = 0.38;
  return (distanceM, activePowerKw, reactivePowerKvar) => {
    const du = ((activePowerKw * r0 + reactivePowerKvar * x0) * (distanceM / 1000)) / (10 * un * un);
    return { ok: du <= budgetPercent, cross_section_mm2: crossSectionMm2, voltage_drop_percent: du };
  };
}
