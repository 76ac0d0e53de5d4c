/**
 * Shared result types of the feeder and protection engine.
 */

/** One table value or intermediate result used by a calculation, with where it came from. */
export interface TraceEntry {
  name: string;
  value: number | string | boolean | null;
  unit: string | null;
  source: string;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Rule identifiers: DOMAIN.md §2 numbers, plus the overload-coordination rule of IEC 60364-4-43, the fault
 * checks (breaking capacity, disconnection time) and the motor-starting dip.
 */
export type RuleId =
  | 'R1'
  | 'R2'
  | 'R3'
  | 'R3a'
  | 'R4'
  | 'R5'
  | 'R5a'
  | 'R8'
  | 'R9'
  | 'R10'
  | 'R11'
  | 'R13'
  | 'R14'
  | 'OVERLOAD'
  | 'FAULT'
  | 'MOTOR_START';

/** One finding of a check. `path` points into the caller's input. */
export interface Finding {
  code: string;
  rule: RuleId;
  severity: Severity;
  message: string;
  path: (string | number)[];
  clause: string;
  edition: string;
  values: {
    actual: number | string | boolean | null;
    limit: number | string | string[] | null;
    unit: string | null;
  };
}

/** A rule that could not be checked because its inputs were not declared (or it is not in the rule set). */
export interface RuleNotChecked {
  rule: RuleId;
  reason: string;
}
