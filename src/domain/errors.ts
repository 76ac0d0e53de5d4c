/**
 * Domain errors carry a stable machine-readable `code` and structured `details`; they never carry an
 * HTTP status (the HTTP adapter maps codes to statuses in one table).
 *
 * Use them for invalid input and broken invariants only. An infeasible plan or an overloaded point is a
 * *result*, not an error.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'unknown_equipment_type'
  | 'invalid_quantity'
  | 'invalid_unit'
  | 'invalid_profile'
  | 'invalid_window'
  | 'not_found'
  | 'conflict'
  | 'capacity_exceeded'
  | 'capacity_overbooked'
  | 'point_has_loads'
  | 'illegal_transition'
  | 'idempotency_mismatch'
  | 'site_rule_violated'
  | 'dependency_exists'
  | 'unauthorised'
  | 'forbidden'
  | 'infeasible_input';

/** One field-level problem: `path` is a JSON-pointer-like list of keys into the caller's input. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;
  readonly issues: FieldIssue[];

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; issues?: FieldIssue[] } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = options.details ?? {};
    this.issues = options.issues ?? [];
  }
}

/** Throws a `validation_failed` error listing every issue, if there are any. */
export function assertNoIssues(issues: FieldIssue[], message = 'The input has invalid fields'): void {
  if (issues.length > 0) throw new DomainError('validation_failed', message, { issues });
}
