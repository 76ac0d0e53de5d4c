/**
 * Single-phase loads on the three-phase system (DOMAIN.md §1.1, last row, and notes).
 *
 * If the single-phase setting capacity is below 15 % of the three-phase setting capacity the load is treated
 * as balanced. Otherwise:
 * - line-to-neutral units: equivalent three-phase Pe = 3 × the most loaded phase (https://yakdoc.com/html/392689.html);
 * - line-to-line units: the 工业与民用配电设计手册 rule for loads between lines, Pe = √3·P_max pair +
 *   (3 − √3)·P_middle pair, which is √3 × Pe for a single device (DOMAIN.md §1.6 example C: 16.77 kW →
 *   29 kW) and 3·P (= the total) for three equally loaded pairs (DOMAIN.md §7.6 leaves √3 vs 3 open);
 * - when both kinds are present their equivalents are added (conservative).
 * Units with a given `phase` are placed there; the others are spread unit by unit onto the then least-loaded
 * phase (or line pair), the largest units first, so the result does not depend on the order of the list.
 */
import { SQRT3 } from '../units.js';
import type { LinePair, Phase } from './types.js';
import { LINE_PAIRS, PHASES } from './types.js';

/** Threshold of the balanced-treatment rule, fraction of the three-phase capacity. */
export const UNBALANCE_THRESHOLD = 0.15;

/** Absolute slack for comparisons that must not flip when every rating is scaled by the same factor. */
const RELATIVE_EPS = 1e-9;

export interface SinglePhaseBlock {
  /** Sort key making placement independent of list order (type id). */
  key: string;
  connection: 'line_to_neutral' | 'line_to_line';
  unit_pe_kw: number;
  quantity: number;
  /** Fixed phase / line pair, when the item gives one. */
  slot?: Phase | LinePair;
}

export interface UnbalanceOutcome {
  single_phase_pe_kw: number;
  three_phase_pe_kw: number;
  ratio: number | null;
  applied: boolean;
  phase_loads_kw: Record<Phase, number>;
  line_pair_loads_kw: Record<LinePair, number>;
  line_to_neutral_equivalent_kw: number;
  line_to_line_equivalent_kw: number;
  /** Multiplier on each line-to-neutral item's Pe (equivalent / Σ Pe); 1 when not applied. */
  line_to_neutral_multiplier: number;
  /** Multiplier on each line-to-line item's Pe; 1 when not applied. */
  line_to_line_multiplier: number;
}

type Slots = [number, number, number];

function slotIndex(names: readonly string[], slot: string | undefined): 0 | 1 | 2 {
  const i = slot === undefined ? 0 : names.indexOf(slot);
  return i === 1 || i === 2 ? i : 0;
}

/**
 * Spreads `quantity` identical units of `unitKw` onto three slots, each unit onto the then least-loaded slot
 * (ties: lowest index), computed in bulk so that large quantities cost O(1).
 * @param loads current slot loads, kW (mutated)
 * @param unitKw one unit's Pe, kW (> 0)
 * @param quantity number of units
 */
export function spreadUnits(loads: Slots, unitKw: number, quantity: number): void {
  let rest = quantity;
  for (let guard = 0; rest > 0 && guard < 64; guard++) {
    const [a, b, c] = ([0, 1, 2] as const).slice().sort((x, y) => loads[x] - loads[y] || x - y) as [
      0 | 1 | 2,
      0 | 1 | 2,
      0 | 1 | 2,
    ];
    const fitAB = Math.floor((loads[b] - loads[a]) / unitKw + RELATIVE_EPS);
    if (fitAB >= 1) {
      const k = Math.min(fitAB, rest);
      loads[a] += k * unitKw;
      rest -= k;
      continue;
    }
    const fitBC = Math.floor((loads[c] - loads[b]) / unitKw + RELATIVE_EPS);
    if (fitBC >= 1) {
      const k = Math.min(fitBC, Math.floor(rest / 2));
      if (k >= 1) {
        loads[a] += k * unitKw;
        loads[b] += k * unitKw;
        rest -= 2 * k;
      } else {
        loads[a] += unitKw;
        rest -= 1;
      }
      continue;
    }
    const k = Math.floor(rest / 3);
    if (k >= 1) {
      for (const i of [0, 1, 2] as const) loads[i] += k * unitKw;
      rest -= 3 * k;
    } else {
      loads[a] += unitKw;
      rest -= 1;
    }
  }
  if (rest > 0) for (const i of [0, 1, 2] as const) loads[i] += (rest * unitKw) / 3;
}

/**
 * Equivalent three-phase Pe of loads connected between lines (工业与民用配电设计手册):
 * Pe = √3·P_max + (3 − √3)·P_mid over the three line-pair loads.
 * @param pairLoadsKw loads of L1-L2, L2-L3, L3-L1, kW
 */
export function lineToLineEquivalentKw(pairLoadsKw: readonly number[]): number {
  const s = [...pairLoadsKw].sort((x, y) => y - x);
  return SQRT3 * (s[0] ?? 0) + (3 - SQRT3) * (s[1] ?? 0);
}

/**
 * Applies the 15 % rule to a list of single-phase blocks.
 * @param blocks single-phase items (Pe per unit in kW, quantity)
 * @param threePhasePeKw Σ Pe of the three-phase items, kW
 */
export function assessUnbalance(
  blocks: readonly SinglePhaseBlock[],
  threePhasePeKw: number,
): UnbalanceOutcome {
  const phase: Slots = [0, 0, 0];
  const pair: Slots = [0, 0, 0];
  let lnSum = 0;
  let llSum = 0;
  for (const b of blocks) {
    const pe = b.unit_pe_kw * b.quantity;
    if (b.connection === 'line_to_neutral') lnSum += pe;
    else llSum += pe;
  }
  const single = lnSum + llSum;
  const ratio = threePhasePeKw > 0 ? single / threePhasePeKw : null;
  const applied = single > 0 && (ratio === null || ratio >= UNBALANCE_THRESHOLD * (1 - RELATIVE_EPS));

  const fixedBlocks = blocks.filter((b) => b.slot !== undefined);
  const free = blocks
    .filter((b) => b.slot === undefined)
    .slice()
    .sort(
      (x, y) =>
        y.unit_pe_kw - x.unit_pe_kw ||
        (x.key < y.key ? -1 : x.key > y.key ? 1 : 0) ||
        y.quantity - x.quantity,
    );
  for (const b of fixedBlocks) {
    const pe = b.unit_pe_kw * b.quantity;
    if (b.connection === 'line_to_neutral') phase[slotIndex(PHASES, b.slot)] += pe;
    else pair[slotIndex(LINE_PAIRS, b.slot)] += pe;
  }
  for (const b of free)
    spreadUnits(b.connection === 'line_to_neutral' ? phase : pair, b.unit_pe_kw, b.quantity);

  const lnEq = 3 * Math.max(...phase);
  const llEq = lineToLineEquivalentKw(pair);
  return {
    single_phase_pe_kw: single,
    three_phase_pe_kw: threePhasePeKw,
    ratio,
    applied,
    phase_loads_kw: { L1: phase[0], L2: phase[1], L3: phase[2] },
    line_pair_loads_kw: { 'L1-L2': pair[0], 'L2-L3': pair[1], 'L3-L1': pair[2] },
    line_to_neutral_equivalent_kw: lnEq,
    line_to_line_equivalent_kw: llEq,
    line_to_neutral_multiplier: applied && lnSum > 0 ? lnEq / lnSum : 1,
    line_to_line_multiplier: applied && llSum > 0 ? llEq / llSum : 1,
  };
}
