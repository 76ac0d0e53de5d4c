/**
 * Types of the supply-point planner: the problem (site limits, candidate supply points, loads with their
 * hour-class profile and window), the injected feeder check and MIP solver ports, and the plan result.
 *
 * Quantities carry their unit in the field name (DOMAIN.md conventions). Windows are [start, end) local dates.
 */
import type { MotorInput } from '../network/motor-starting.js';
import type { DateWindow } from '../profile/profile.js';

export interface PositionM {
  x: number;
  y: number;
}

export interface PlanSite {
  /** Sum of the ratings of all supply points may not exceed this, kVA (reference site: 5000). */
  total_capacity_cap_kva: number;
  /** At most this many points may be given a non-zero rating (reference site: 10). */
  max_supply_points: number;
  /** β_max, fraction of a rating available for routine allocation (DOMAIN.md §3.3, default 0.85). */
  loading_cap: number;
  /** Voltage-drop budget from the point's LV bus to the load, % (DOMAIN.md §4.2, default 5). */
  voltage_drop_budget_percent: number;
  /** Shanghai LV connection threshold on installed capacity, kW (DOMAIN.md §5.2, default 160). Informational here. */
  low_voltage_threshold_kw: number;
}

export interface PlanPoint {
  id: string;
  position_m: PositionM;
  /** First local date on which the point can supply (`YYYY-MM-DD`). */
  energised_from: string;
  /** Fixed rating, kVA: the point is installed at exactly this rating (counts against the cap and point count). */
  rating_kva?: number;
  /** When the point is used its rating is at least this, kVA (0 = unused stays allowed). */
  min_rating_kva?: number;
  /** The point's rating is at most this, kVA. */
  max_rating_kva?: number;
  /** The utility's reference rating, kVA; used only by the nearest-point baseline. */
  reference_rating_kva?: number;
}

export interface PlanLoad {
  id: string;
  /** Computed demand Sjs, kVA (DOMAIN.md §1.2); the hourly load is demand × hour-class factor. */
  demand_kva: number;
  /** Pjs, kW — used by the feeder (voltage-drop) check. */
  active_power_kw: number;
  /** Qjs, kvar — used by the feeder (voltage-drop) check. */
  reactive_power_kvar: number;
  /** The request's installed capacity exceeds the LV threshold (DOMAIN.md §5.2): needs a dedicated supply. */
  lv_threshold_exceeded: boolean;
  /** An engineer allowed this request on a shared LV point despite the threshold. */
  lv_override?: boolean;
  /** 72 hour-class factors (`classFactors` of its daily shape). */
  factors: Float64Array;
  window: DateWindow;
  position_m: PositionM;
  /** The applicant's preferred point; costs `weights.off_preference_kva_m` when not used. */
  preferred_point_id?: string;
  /** The load's largest motor (≥ 5.5 kW), checked for starting dip at each point (issue #17). */
  largest_motor?: MotorInput & { frequent_starts?: boolean; sensitive_loads?: boolean };
}

/**
 * Objective weights. Total = feeder_cost_per_kva_m·Σ demand_kva·distance_m + balance·U_max
 * + unserved_penalty·(unserved loads) + off_preference_kva_m·(loads not at their preferred point).
 */
export interface PlanWeights {
  /** Multiplier of the feeder cost Σ demand_kva × distance_m (kVA·m). Default 1. */
  feeder_cost_per_kva_m?: number;
  /** Objective units per unit of the highest point utilisation (peak / rating, a fraction). Default 1000. */
  balance?: number;
  /** Objective units per unserved load. Default 100 × the costliest allowed (load, point) feeder cost, at least 1e6. */
  unserved_penalty?: number;
  /** Objective units per load not placed at its preferred point. Default 0. */
  off_preference_kva_m?: number;
}

export interface PlanProblem {
  site: PlanSite;
  points: PlanPoint[];
  loads: PlanLoad[];
  weights?: PlanWeights;
}

/** Result of the injected feeder check for one (load, point) pair. */
export interface FeederCheckResult {
  ok: boolean;
  cross_section_mm2?: number;
  voltage_drop_percent?: number;
}

/**
 * Feeder feasibility for a load at a distance: the network module's cable selection and voltage drop
 * (DOMAIN.md §4). `ok` is false when no allowed cable meets the voltage-drop budget.
 */
export type FeederCheck = (
  distance_m: number,
  active_power_kw: number,
  reactive_power_kvar: number,
) => FeederCheckResult;

/**
 * Starting-dip feasibility of a load's largest motor at a point of rating `rating_kva` over a feeder of
 * `distance_m` with the cross-section the feeder check chose (network/motor-starting.ts). True when the bus
 * and terminal voltages stay within their limits.
 */
export type StartingDipCheck = (
  load: PlanLoad,
  point_id: string,
  rating_kva: number,
  distance_m: number,
  cross_section_mm2: number | undefined,
) => boolean;

export interface MipSolveOptions {
  /** Wall-clock limit for the solve, s. */
  time_limit_s: number;
  /** Relative MIP gap at which the solver stops (HiGHS `mip_rel_gap`). */
  mip_rel_gap: number;
  /** A feasible start (column name → value); the solver may ignore it. */
  initial_solution?: Record<string, number>;
  /** Solve the LP relaxation (integrality dropped); `bound` is then the LP optimum. */
  relaxation?: boolean;
  /** Solver-specific options passed through unchanged (HiGHS option name → value). */
  solver_options?: Record<string, number | boolean | string>;
  /**
   * Cutting planes before the MIP: the solver solves the LP relaxation, calls `separator` with its column
   * values (by column index), adds the rows returned as constraints and repeats, until `separator` returns
   * null, `cut_rounds` rounds are done, a round gained less than `cut_min_gain` or `cut_time_limit_s` has
   * passed; then it solves the MIP with the added rows. Every row returned must be valid for every integer
   * solution. The last LP optimum is a valid lower bound and is reported in `bound` when it is above the
   * MIP's own.
   */
  separator?: (values: Float64Array) => CutRows | null;
  /** Most separation rounds (default 30). */
  cut_rounds?: number;
  /** Wall-clock limit for the separation rounds, s (counted in `time_limit_s`; default half of it). */
  cut_time_limit_s?: number;
  /** The rounds stop when a round raised the LP bound by less than this share of it (default 5e-5). */
  cut_min_gain?: number;
  /**
   * Called once after the cut rounds (with a separator) with the last LP solution (column values by column
   * index) and its objective; may return a start that replaces `initial_solution` and a restricted MIP to
   * solve first. The solver waits for it; the time counts in `time_limit_s`.
   */
  on_relaxation?: (values: Float64Array, objective: number) => RelaxationReply | null;
}

/** What `on_relaxation` may return. */
export interface RelaxationReply {
  /** A feasible start (column name → value) replacing `initial_solution`. */
  start?: Record<string, number>;
  /**
   * Columns to fix (name → value) for a restricted MIP solved before the full one, from the start, for at
   * most `fix_time_limit_s`; its best solution (feasible for the full model) becomes the full MIP's start.
   * Its bound is not reported (it is not a bound of the full model).
   */
  fix?: Record<string, number>;
  fix_time_limit_s?: number;
  /**
   * A dive before the restricted MIP: each group lists the columns of one unary integer (c_1 ≥ c_2 ≥ …, its
   * level the number at 1). On the LP relaxation with the cuts, the solver tries each fractional group one
   * level down and up, fixes the most constrained one at its better side and re-solves, until every level is
   * whole (for at most `time_limit_s`). When that LP is below the start's objective, the restricted MIP fixes
   * the groups at the dive's levels instead of `fix`.
   */
  dive?: { groups: Int32Array[]; time_limit_s: number };
}

/** Rows to add to a model: each row lower ≤ Σ value·column ≤ upper (compressed sparse rows). */
export interface CutRows {
  lower: Float64Array;
  upper: Float64Array;
  starts: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

/**
 * A MIP in matrix form (minimisation): columns with cost, bounds and integrality; rows with bounds and a
 * compressed-sparse-row matrix. What HiGHS' `passModel` reads, without the cost of parsing LP text.
 */
export interface MipModel {
  col_names: string[];
  col_cost: Float64Array;
  col_lower: Float64Array;
  col_upper: Float64Array;
  /** 1 = integer (binary with bounds [0, 1]), 0 = continuous. */
  integrality: Uint8Array;
  row_lower: Float64Array;
  row_upper: Float64Array;
  /** CSR: row i holds entries row_starts[i] … row_starts[i+1]−1 of row_index/row_value. */
  row_starts: Int32Array;
  row_index: Int32Array;
  row_value: Float64Array;
}

export type MipStatus =
  'optimal' | 'time_limit' | 'infeasible' | 'interrupted' | 'killed' | 'error' | 'other';

export interface MipSolution {
  status: MipStatus;
  /** The solver's status text as reported. */
  raw_status: string;
  /** True when `values` hold a feasible solution. */
  has_solution: boolean;
  objective: number | null;
  /** Best proven lower bound (minimisation). */
  bound: number | null;
  /** LP-relaxation optimum before and after the cut rounds, and the rounds and rows added (with a separator). */
  cuts?: {
    lp_before: number | null;
    lp_after: number | null;
    rounds: number;
    rows: number;
    time_ms: number;
    /** The dive after the cut rounds (`RelaxationReply.dive`): final LP, LP solves, time, whether it was used. */
    dive?: { lp: number; solves: number; time_ms: number; used: boolean } | null;
  };
  /** Relative gap (objective − bound)/|objective|, when both are known. */
  gap: number | null;
  /** Non-zero column values by column name. */
  values: Record<string, number>;
  time_ms: number;
  message?: string;
}

/** Port: a MIP solver taking CPLEX LP text or a matrix model. The app layer injects the adapter. */
export interface MipSolver {
  solve(model: string | MipModel, options: MipSolveOptions): Promise<MipSolution>;
}

export type PlanMethod = 'mip' | 'heuristic';

export interface PlanOptions {
  /** Solver wall-clock limit, s (default 10). */
  time_limit_s?: number;
  /** Relative gap at which the solver stops (default 0.005). */
  mip_rel_gap?: number;
  /** Default 'mip' when a solver is given, else 'heuristic'. */
  method?: PlanMethod;
  /** Local-search passes of the heuristic (default 50). */
  heuristic_passes?: number;
  /** Solver-specific options passed to the MIP solver unchanged (e.g. HiGHS `mip_heuristic_effort`). */
  solver_options?: Record<string, number | boolean | string>;
  /** Capacity cover cuts before the MIP (`cuts.ts`; default true). */
  cuts?: boolean;
}

export interface PlanDeps {
  solver?: MipSolver;
  feederCheck: FeederCheck;
  /** Starting-dip check of a load's largest motor; absent → not checked. */
  startingDipCheck?: StartingDipCheck;
  /** Monotonic clock in ms, for timing the domain steps (the domain never reads a clock itself). */
  clock?: () => number;
}

export type UnservedReason =
  | 'no_point_with_headroom'
  | 'voltage_drop_at_every_point_with_headroom'
  | 'starting_dip_at_every_point'
  | 'above_low_voltage_threshold'
  | 'window_before_every_energisation';

export interface UnservedAlternative {
  kind: 'other_point' | 'later_start' | 'larger_rating' | 'dedicated_supply' | 'none';
  point_id?: string;
  /** For `later_start`: the earliest start date (same duration) at which the load fits. */
  start_date?: string;
  /** For `larger_rating`: the rating the point would need, kVA. */
  rating_kva?: number;
  /** For `other_point`: the feeder's voltage drop at that point, %. */
  voltage_drop_percent?: number;
  distance_m?: number;
  note: string;
}

export interface UnservedLoad {
  load_id: string;
  reason: UnservedReason;
  alternative: UnservedAlternative;
}

export type ViolationKind =
  | 'capacity'
  | 'energisation'
  | 'voltage_drop'
  | 'total_capacity_cap'
  | 'point_count'
  | 'low_voltage_threshold'
  | 'rating'
  | 'unrated_point'
  | 'unknown_reference';

export interface Violation {
  kind: ViolationKind;
  point_id?: string;
  load_id?: string;
  /** For `capacity`: the worst hour. */
  hour_iso?: string;
  value?: number;
  limit?: number;
  message: string;
}

/** A plan in its own terms: a rating per point and a point (or none) per load. */
export interface PlanAssignment {
  /** Rating per point id, kVA (0 = unused). */
  ratings: Record<string, number>;
  /** Point id per load id; loads absent from the map are unserved. */
  assignment: Record<string, string>;
}

export interface PlanObjective {
  feeder_cost_kva_m: number;
  /** Highest peak / rating over used points (fraction). */
  max_utilisation: number;
  unserved_count: number;
  /** Weighted objective, in the objective's units (kVA·m by default). */
  total: number;
}

export interface PlanResult {
  ratings: { point_id: string; rating_kva: number }[];
  sum_kva: number;
  cap_headroom_kva: number;
  assignments: {
    load_id: string;
    point_id: string;
    distance_m: number;
    feeder: { cross_section_mm2: number | null; voltage_drop_percent: number | null };
  }[];
  points: {
    point_id: string;
    peak_kva: number;
    peak_hour_iso: string | null;
    utilisation_percent: number | null;
  }[];
  unserved: UnservedLoad[];
  objective: PlanObjective;
  solver: {
    method: PlanMethod;
    status: string;
    gap: number | null;
    bound: number | null;
    time_ms: number;
    /** Reduced-hour model size. */
    model?: { reduced_hours: number; columns: number; rows: number };
    /**
     * Cut rounds before the MIP: rounds, rows added, the LP-relaxation bound before and after (objective
     * units, unservable loads' penalty included like `bound`) and their wall time (ms).
     */
    cuts?: {
      rounds: number;
      rows: number;
      lp_before: number | null;
      lp_after: number | null;
      time_ms: number;
      /**
       * The dive over whole ratings (when the start left a servable load unserved): its final LP (objective
       * units), LP solves, wall time (ms), and whether its ratings were fixed in the restricted MIP.
       */
      dive?: { lp: number; solves: number; time_ms: number; used: boolean };
    };
    /** Objective of the heuristic plan (the warm start) and its gap to the solver's bound. */
    heuristic_objective?: number;
    heuristic_gap?: number | null;
    /** Objective of the LP-guided heuristic start (after the cut rounds) and its gap to the same bound. */
    guided_objective?: number;
    guided_gap?: number | null;
    /** Wall time of each step of the MIP run, ms (when the caller gives a clock). */
    phases_ms?: {
      prepare: number;
      heuristic: number;
      model: number;
      solve: number;
      polish: number;
      report: number;
    };
    note?: string;
  };
  /** Full hourly re-check of the returned plan; empty for every plan the planner returns. */
  violations: Violation[];
  baseline: {
    ratings: { point_id: string; rating_kva: number }[];
    feeder_cost_kva_m: number;
    unserved_load_ids: string[];
    violations: Violation[];
  };
  weights: Required<PlanWeights>;
}
