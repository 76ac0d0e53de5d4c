/**
 * Overload protection of a feeder (DOMAIN.md §4.4; IEC 60364-4-43 433.1, GB 50054-2011 6.3.3 — GB clause
 * number unconfirmed):  Ib ≤ In ≤ Iz  and  I2 ≤ 1.45·Iz.
 */
import {
  BREAKER_RATINGS_A,
  BREAKER_RATINGS_SOURCE,
  CONVENTIONAL_TRIPPING_FACTOR,
  defaultBreakerStandard,
} from '../catalog/breakers.js';
import type { BreakerStandard } from '../catalog/breakers.js';
import type { FuseCategory } from '../catalog/fuses.js';
import { fuseConventionalFusingCurrentA, JGJ46_FUSE_MAX_AMPACITY_MULTIPLE } from '../catalog/fuses.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';

export type OverloadCondition = 'ib_le_in' | 'in_le_iz' | 'i2_le_1_45_iz';

export const OVERLOAD_CONDITION_TEXT: Record<OverloadCondition, string> = {
  ib_le_in: 'Ib ≤ In',
  in_le_iz: 'In ≤ Iz',
  i2_le_1_45_iz: 'I2 ≤ 1.45·Iz',
};

export interface BreakerCheck {
  /** In, A; `null` when no standard rating satisfies every condition. */
  rated_current_a: number | null;
  declared: boolean;
  standard: BreakerStandard | null;
  /** I2, A. */
  conventional_tripping_current_a: number | null;
  design_current_a: number;
  /** Iz, A; `null` when the cable is not known (only Ib ≤ In can be checked). */
  ampacity_a: number | null;
  /** Each condition: true/false, or null when it cannot be evaluated (no Iz or no In). */
  conditions: Record<OverloadCondition, boolean | null>;
  /**
   * The condition that binds: the first violated one, or — when all hold — the one with the least relative
   * margin (an automatic choice is always the smallest standard In ≥ Ib).
   */
  binding: OverloadCondition | null;
  ok: boolean;
  message: string;
}

export interface BreakerRequest {
  /** Ib, A. */
  design_current_a: number;
  /** Iz, A (after derating); omit when there is no cable to protect. */
  ampacity_a?: number | null;
  /** A declared breaker to check instead of choosing one. */
  declared?: { rated_current_a: number; standard?: BreakerStandard };
  /** Rating list, A ascending (default {@link BREAKER_RATINGS_A}). */
  ratings_a?: readonly number[];
}

function evaluate(
  ib: number,
  iz: number | null,
  inA: number,
  standard: BreakerStandard,
): {
  conditions: Record<OverloadCondition, boolean | null>;
  margins: Record<OverloadCondition, number | null>;
  i2: number;
} {
  const i2 = CONVENTIONAL_TRIPPING_FACTOR[standard] * inA;
  const conditions: Record<OverloadCondition, boolean | null> = {
    ib_le_in: ib <= inA,
    in_le_iz: iz === null ? null : inA <= iz,
    i2_le_1_45_iz: iz === null ? null : i2 <= 1.45 * iz,
  };
  // Relative margins (limit − actual)/limit, used to name the tightest condition when all hold.
  const margins: Record<OverloadCondition, number | null> = {
    ib_le_in: inA > 0 ? (inA - ib) / inA : null,
    in_le_iz: iz === null || iz <= 0 ? null : (iz - inA) / iz,
    i2_le_1_45_iz: iz === null || iz <= 0 ? null : (1.45 * iz - i2) / (1.45 * iz),
  };
  return { conditions, margins, i2 };
}

const ORDER: OverloadCondition[] = ['ib_le_in', 'in_le_iz', 'i2_le_1_45_iz'];

function bindingOf(
  conditions: Record<OverloadCondition, boolean | null>,
  margins: Record<OverloadCondition, number | null>,
): OverloadCondition | null {
  const violated = ORDER.find((c) => conditions[c] === false);
  if (violated !== undefined) return violated;
  let best: OverloadCondition | null = null;
  let bestMargin = Number.POSITIVE_INFINITY;
  for (const c of ORDER) {
    const m = margins[c];
    if (conditions[c] === true && m !== null && m < bestMargin) {
      best = c;
      bestMargin = m;
    }
  }
  return best;
}

/**
 * Chooses the smallest standard In with Ib ≤ In ≤ Iz and I2 ≤ 1.45·Iz, or checks a declared breaker against
 * the same conditions (DOMAIN.md §4.4). I2 = 1.45·In for IEC 60898 MCBs (≤ 125 A, the default there) and
 * 1.3·In for IEC 60947-2 MCCBs (the default above 125 A).
 *
 * @param request Ib (A), Iz (A, optional), optional declared breaker (In A, standard)
 */
export function selectBreaker(request: BreakerRequest): BreakerCheck {
  const issues: FieldIssue[] = [];
  const ib = request.design_current_a;
  const iz = request.ampacity_a ?? null;
  if (!Number.isFinite(ib) || ib < 0)
    issues.push({ path: ['design_current_a'], message: 'must be a finite number ≥ 0' });
  if (iz !== null && (!Number.isFinite(iz) || iz < 0))
    issues.push({ path: ['ampacity_a'], message: 'must be ≥ 0' });
  if (request.declared !== undefined) {
    const r = request.declared.rated_current_a;
    if (!Number.isFinite(r) || r <= 0)
      issues.push({ path: ['breaker', 'rated_current_a'], message: 'must be > 0' });
  }
  assertNoIssues(issues);

  if (request.declared !== undefined) {
    const inA = request.declared.rated_current_a;
    const standard = request.declared.standard ?? defaultBreakerStandard(inA);
    const { conditions, margins, i2 } = evaluate(ib, iz, inA, standard);
    const binding = bindingOf(conditions, margins);
    const ok = ORDER.every((c) => conditions[c] !== false);
    return {
      rated_current_a: inA,
      declared: true,
      standard,
      conventional_tripping_current_a: i2,
      design_current_a: ib,
      ampacity_a: iz,
      conditions,
      binding,
      ok,
      message: ok
        ? `declared ${String(inA)} A breaker satisfies ${ORDER.filter((c) => conditions[c] === true)
            .map((c) => OVERLOAD_CONDITION_TEXT[c])
            .join(', ')}`
        : `declared ${String(inA)} A breaker violates ${binding === null ? '' : OVERLOAD_CONDITION_TEXT[binding]}`,
    };
  }

  const ratings = request.ratings_a ?? BREAKER_RATINGS_A;
  const candidate = ratings.find((r) => r >= ib);
  if (candidate === undefined) {
    return {
      rated_current_a: null,
      declared: false,
      standard: null,
      conventional_tripping_current_a: null,
      design_current_a: ib,
      ampacity_a: iz,
      conditions: { ib_le_in: false, in_le_iz: null, i2_le_1_45_iz: null },
      binding: 'ib_le_in',
      ok: false,
      message: `Ib ${ib.toFixed(1)} A exceeds the largest standard rating (${String(ratings[ratings.length - 1])} A; ${BREAKER_RATINGS_SOURCE.note ?? ''})`,
    };
  }
  const standard = defaultBreakerStandard(candidate);
  const { conditions, margins, i2 } = evaluate(ib, iz, candidate, standard);
  const ok = ORDER.every((c) => conditions[c] !== false);
  const binding = bindingOf(conditions, margins);
  return {
    rated_current_a: ok ? candidate : null,
    declared: false,
    standard: ok ? standard : null,
    conventional_tripping_current_a: ok ? i2 : null,
    design_current_a: ib,
    ampacity_a: iz,
    conditions,
    binding,
    ok,
    message: ok
      ? `smallest standard In ≥ Ib: ${String(candidate)} A` +
        (iz === null ? ' (no cable given: In ≤ Iz not checked)' : ` ≤ Iz ${iz.toFixed(1)} A`)
      : `no standard rating fits: the smallest In ≥ Ib ${ib.toFixed(1)} A is ${String(candidate)} A, which violates ${
          binding === null ? '' : OVERLOAD_CONDITION_TEXT[binding]
        } (Iz ${iz === null ? '?' : iz.toFixed(1)} A)`,
  };
}

/** The conditions a declared gG fuse is checked against. */
export type FuseCondition = OverloadCondition | 'jgj_in_le_2_5_iz';

export const FUSE_CONDITION_TEXT: Record<FuseCondition, string> = {
  ...OVERLOAD_CONDITION_TEXT,
  jgj_in_le_2_5_iz: 'In ≤ 2.5·Iz (JGJ 46 short-circuit fuse)',
};

export interface FuseRequest {
  /** Ib, A. */
  design_current_a: number;
  /** Iz, A; null when there is no cable to protect. */
  ampacity_a: number | null;
  /** In of the gG fuse-link, A. */
  rated_current_a: number;
  /**
   * Whether the fuse is the circuit's overload protection (default true: Ib ≤ In ≤ Iz and I2 = 1.6·In ≤
   * 1.45·Iz). False: short-circuit protection only (overload protected elsewhere), judged by JGJ 46's
   * In ≤ 2.5·Iz.
   */
  overload_protection?: boolean;
}

export interface FuseCheck {
  category: FuseCategory;
  rated_current_a: number;
  /** I2 = 1.6·In (In ≥ 16 A), A — IEC 60269-1 Table 2. */
  conventional_fusing_current_a: number;
  overload_protection: boolean;
  design_current_a: number;
  ampacity_a: number | null;
  /** true/false, or null when not evaluated (no Iz, or an overload condition on a short-circuit-only fuse). */
  conditions: Record<FuseCondition, boolean | null>;
  /** The first violated condition, or null. */
  violated: FuseCondition | null;
  ok: boolean;
  message: string;
}

/**
 * Checks a declared gG fuse (IEC 60269-1; DOMAIN.md §4.4): as overload protection Ib ≤ In ≤ Iz and
 * I2 = 1.6·In ≤ 1.45·Iz (IEC 60364-4-43 433.1); always In ≤ 2.5·Iz (JGJ 46-2005 7.3.5, DOMAIN.md §2 R14).
 * @param request Ib (A), Iz (A or null), In (A), role
 */
export function checkFuse(request: FuseRequest): FuseCheck {
  const issues: FieldIssue[] = [];
  const inA = request.rated_current_a;
  if (!Number.isFinite(inA) || inA <= 0)
    issues.push({ path: ['fuse', 'rated_current_a'], message: 'must be > 0' });
  assertNoIssues(issues);
  const ib = request.design_current_a;
  const iz = request.ampacity_a;
  const overload = request.overload_protection ?? true;
  const i2 = fuseConventionalFusingCurrentA(inA);
  const conditions: Record<FuseCondition, boolean | null> = {
    ib_le_in: ib <= inA,
    in_le_iz: !overload || iz === null ? null : inA <= iz,
    i2_le_1_45_iz: !overload || iz === null ? null : i2 <= 1.45 * iz,
    jgj_in_le_2_5_iz: iz === null ? null : inA <= JGJ46_FUSE_MAX_AMPACITY_MULTIPLE * iz,
  };
  const order: FuseCondition[] = ['ib_le_in', 'in_le_iz', 'i2_le_1_45_iz', 'jgj_in_le_2_5_iz'];
  const violated = order.find((c) => conditions[c] === false) ?? null;
  return {
    category: 'gG',
    rated_current_a: inA,
    conventional_fusing_current_a: i2,
    overload_protection: overload,
    design_current_a: ib,
    ampacity_a: iz,
    conditions,
    violated,
    ok: violated === null,
    message:
      violated === null
        ? `declared ${String(inA)} A gG fuse satisfies ${order
            .filter((c) => conditions[c] === true)
            .map((c) => FUSE_CONDITION_TEXT[c])
            .join(', ')}`
        : `declared ${String(inA)} A gG fuse violates ${FUSE_CONDITION_TEXT[violated]} (Ib ${ib.toFixed(1)} A, Iz ${iz === null ? '?' : iz.toFixed(1)} A, I2 ${i2.toFixed(1)} A)`,
  };
}

/**
 * Current a cable must carry so that a declared gG fuse can protect it, A: as overload protection
 * max(Ib, In, I2/1.45); short-circuit only max(Ib, In/2.5).
 * @param ib design current, A
 * @param fuse the declared fuse
 */
export function requiredCurrentForFuseA(
  ib: number,
  fuse: { rated_current_a: number; overload_protection?: boolean },
): number {
  const inA = fuse.rated_current_a;
  return (fuse.overload_protection ?? true)
    ? Math.max(ib, inA, fuseConventionalFusingCurrentA(inA) / 1.45)
    : Math.max(ib, inA / JGJ46_FUSE_MAX_AMPACITY_MULTIPLE);
}
