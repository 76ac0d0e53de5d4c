/**
 * Document evaluation of a connection application under missing-document acceptance (容缺受理).
 *
 * Rules (DOMAIN.md "Product decisions" and §5.4):
 * - a core document missing or marked deferred → `rejected` (core documents are never deferrable);
 * - a required non-core document neither provided nor deferred, a non-deferrable document deferred, a deferral
 *   without a provided commitment letter, or a deferral by an organisation that currently has overdue items
 *   (it lost its deferral rights) → `not_accepted`;
 * - otherwise deferrals → `accepted_with_deferrals`, each with a due date and one notice listing every item,
 *   its deadline and the consequence; no deferral → `accepted`.
 *
 * Reading of the `documents` map (scenario README): applications list only their exceptions. An omitted map
 * means every document is provided; an absent entry means provided, except for a document whose requirement
 * is triggered by a deferral (`presumed_provided_when_absent: false`, the commitment letter), which counts only
 * when listed as provided.
 */
import type { DocumentPolicy, DocumentRequirement, DocumentGate } from '../catalog/documents.js';
import { DomainError } from '../errors.js';
import type { FieldIssue } from '../errors.js';
import { addDays, isIsoDate } from '../profile/calendar.js';
import {
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
} from '../catalog/working-days.js';
import type { WorkingDayCalendar } from '../catalog/working-days.js';

export type DocumentStatus = 'provided' | 'deferred' | 'missing';
export const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['provided', 'deferred', 'missing'];

export type DocumentOutcome = 'accepted' | 'accepted_with_deferrals' | 'rejected' | 'not_accepted';

export type DocumentFindingCode =
  /** a core document is missing → rejected */
  | 'DOC_CORE_MISSING'
  /** a core document is marked deferred → rejected */
  | 'DOC_CORE_NOT_DEFERRABLE'
  /** a required non-core document is neither provided nor deferred → not accepted */
  | 'DOC_REQUIRED_MISSING'
  /** a non-core, non-deferrable document is marked deferred → not accepted */
  | 'DOC_NOT_DEFERRABLE'
  /** a document is deferred without a provided commitment letter → not accepted */
  | 'DOC_COMMITMENT_LETTER_MISSING'
  /** the organisation has overdue deferred documents and may not defer → not accepted */
  | 'DOC_DEFERRAL_RIGHTS_SUSPENDED'
  /** the service time limit leaves no time to supply a deferred document → not accepted */
  | 'DOC_DEFERRAL_BEYOND_TIME_LIMIT'
  /** informational: a document is deferred with its due date */
  | 'DOC_DEFERRED'
  /** informational: a document that is not required for this application was marked deferred or missing */
  | 'DOC_NOT_REQUIRED';

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface DocumentFinding {
  code: DocumentFindingCode;
  severity: FindingSeverity;
  message: string;
  path: ['documents', string];
  /** The policy rule (and its source) the finding applies. */
  rule: string;
}

export interface DeferredDocument {
  type: string;
  label: string;
  /** Last local date on which the document may be supplied (inclusive). */
  due_date: string;
  gates?: DocumentGate;
  consequence: string;
}

export interface DeferralNotice {
  text: string;
  items: { type: string; label: string; due_date: string; consequence: string }[];
}

export interface DocumentEvaluation {
  outcome: DocumentOutcome;
  findings: DocumentFinding[];
  /** Deferred documents with due dates (filled only when the outcome is `accepted_with_deferrals`). */
  deferred: DeferredDocument[];
  /** The one-time notice to the applicant (only for `accepted_with_deferrals`). */
  notice?: DeferralNotice;
  /** Codes of the documents required for this application. */
  required: string[];
  /** The status used for every required document after reading absent entries. */
  statuses: Record<string, DocumentStatus>;
}

export interface DocumentEvaluationInput {
  /** Exceptions only; omitted = every document provided. */
  documents?: Readonly<Record<string, DocumentStatus>>;
  /** Whether the application needs a temporary-electricity organisation design (see {@link organisationDesignRequirement}). */
  organisation_design_required: boolean;
  /** Whether the applicant's organisation currently has overdue deferred documents (it loses deferral rights). */
  organisation_has_overdue_items: boolean;
  /** Local date of acceptance, `YYYY-MM-DD`; deadlines run from it. */
  acceptance_date: string;
  /**
   * Service time limit as a local date (inclusive), e.g. the last day of the requested window or of the
   * temporary-supply term: no deadline is set later.
   */
  service_time_limit_date?: string;
}

/** Whether a requirement applies to an application, given the two conditions the policy knows. */
function applies(
  req: DocumentRequirement,
  organisationDesignRequired: boolean,
  anyDeferred: boolean,
): boolean {
  switch (req.required_when) {
    case 'always':
      return true;
    case 'organisation_design_required':
      return organisationDesignRequired;
    case 'any_deferred':
      return anyDeferred;
  }
}

/**
 * The consequence stated to the applicant for missing a deferral deadline (DOMAIN.md Product decisions,
 * "missed deadline").
 *
 * @param req the deferred document's requirement
 * @param dueDate local date `YYYY-MM-DD`
 * @param graceWorkingDays working days between the missed deadline and the reservation release
 */
export function deferralConsequence(
  req: DocumentRequirement,
  dueDate: string,
  graceWorkingDays: number,
): string {
  const gate =
    req.gates === 'energisation'
      ? 'Energisation is blocked until it is supplied. '
      : req.gates === 'approval'
        ? 'Approval is blocked until it is supplied. '
        : '';
  return (
    `${gate}If it is not supplied by ${dueDate}: the application becomes overdue; before energisation the ` +
    `capacity reservation is released ${graceWorkingDays} working days after the deadline; after energisation ` +
    `the site engineer is alerted; while any item is overdue the organisation loses the right to defer documents.`
  );
}

/**
 * Due date of a deferral accepted on `acceptanceDate`: `deferral_days` in the policy's basis (calendar days move
 * to the next working day when the last day is off, PRC Civil Code art. 203), capped at `max_deferral_days`
 * calendar days and at the service time limit (moved back to the last working day before the cap).
 * Returns undefined when the cap leaves no working day after acceptance.
 *
 * @param acceptanceDate local date `YYYY-MM-DD`
 * @param deferralDays days in `policy.deferral_day_basis`
 * @param policy the document policy (basis, cap)
 * @param calendar the site's working-day calendar
 * @param serviceTimeLimitDate optional local date (inclusive) no deadline may pass
 */
export function deferralDueDate(
  acceptanceDate: string,
  deferralDays: number,
  policy: Pick<DocumentPolicy, 'deferral_day_basis' | 'max_deferral_days'>,
  calendar: WorkingDayCalendar,
  serviceTimeLimitDate?: string,
): string | undefined {
  const raw =
    policy.deferral_day_basis === 'calendar'
      ? nextWorkingDayOnOrAfter(addDays(acceptanceDate, deferralDays), calendar)
      : addWorkingDays(acceptanceDate, deferralDays, calendar);
  let cap = addDays(acceptanceDate, policy.max_deferral_days);
  if (serviceTimeLimitDate !== undefined && serviceTimeLimitDate < cap) cap = serviceTimeLimitDate;
  if (raw <= cap) return raw;
  const capped = previousWorkingDayOnOrBefore(cap, calendar);
  return capped > acceptanceDate ? capped : undefined;
}

/**
 * Evaluates an application's documents against a policy at acceptance.
 *
 * @param policy the document policy (catalog/documents.ts)
 * @param input the application's document exceptions, conditions and acceptance date (local dates)
 * @param calendar the site's working-day calendar (deadline roll-over and working-day deferrals)
 * @throws DomainError `validation_failed` for document codes the policy does not know, bad statuses or dates
 */
export function evaluateDocuments(
  policy: DocumentPolicy,
  input: DocumentEvaluationInput,
  calendar: WorkingDayCalendar,
): DocumentEvaluation {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(input.acceptance_date)) issues.push({ path: ['acceptance_date'], message: 'not a date' });
  if (input.service_time_limit_date !== undefined && !isIsoDate(input.service_time_limit_date)) {
    issues.push({ path: ['service_time_limit_date'], message: 'not a date' });
  }
  const given = input.documents ?? {};
  for (const [code, status] of Object.entries(given)) {
    if (!policy.requirements.some((r) => r.code === code)) {
      issues.push({ path: ['documents', code], message: `unknown document type: ${code}` });
    }
    if (!DOCUMENT_STATUSES.includes(status)) {
      issues.push({ path: ['documents', code], message: `unknown status: ${String(status)}` });
    }
  }
  if (issues.length > 0) throw new DomainError('validation_failed', 'The documents are invalid', { issues });

  const statusOf = (req: DocumentRequirement): DocumentStatus =>
    given[req.code] ??
    (input.documents === undefined || req.presumed_provided_when_absent ? 'provided' : 'missing');

  const findings: DocumentFinding[] = [];
  const finding = (
    req: DocumentRequirement,
    code: DocumentFindingCode,
    severity: FindingSeverity,
    message: string,
    rule: string,
  ): void => {
    findings.push({
      code,
      severity,
      message,
      path: ['documents', req.code],
      rule: `${rule} (${req.source})`,
    });
  };

  const anyDeferred = policy.requirements.some(
    (r) => statusOf(r) === 'deferred' && applies(r, input.organisation_design_required, false),
  );
  const required = policy.requirements.filter((r) =>
    applies(r, input.organisation_design_required, anyDeferred),
  );
  const statuses: Record<string, DocumentStatus> = {};
  for (const r of required) statuses[r.code] = statusOf(r);

  let rejected = false;
  let notAccepted = false;
  const toDefer: DocumentRequirement[] = [];

  for (const req of policy.requirements) {
    const status = statusOf(req);
    const isRequired = required.includes(req);
    if (!isRequired) {
      if (status !== 'provided' && given[req.code] !== undefined) {
        finding(
          req,
          'DOC_NOT_REQUIRED',
          'info',
          `${req.label} is not required for this application`,
          'required_when',
        );
      }
      continue;
    }
    if (req.core) {
      if (status === 'missing') {
        rejected = true;
        finding(
          req,
          'DOC_CORE_MISSING',
          'error',
          `core document missing: ${req.label}`,
          'core documents are required at acceptance',
        );
      } else if (status === 'deferred') {
        rejected = true;
        finding(
          req,
          'DOC_CORE_NOT_DEFERRABLE',
          'error',
          `core document cannot be deferred: ${req.label}`,
          'core documents are never deferrable',
        );
      }
      continue;
    }
    if (status === 'missing') {
      notAccepted = true;
      if (req.required_when === 'any_deferred') {
        finding(
          req,
          'DOC_COMMITMENT_LETTER_MISSING',
          'error',
          `documents are deferred without a signed ${req.label}`,
          'a commitment letter is required whenever a document is deferred',
        );
      } else {
        finding(
          req,
          'DOC_REQUIRED_MISSING',
          'error',
          `required document missing: ${req.label} (provide it or defer it under a commitment letter)`,
          'required documents must be provided or deferred',
        );
      }
    } else if (status === 'deferred') {
      if (!req.deferrable) {
        notAccepted = true;
        finding(
          req,
          'DOC_NOT_DEFERRABLE',
          'error',
          `${req.label} cannot be deferred`,
          'only deferrable documents may be deferred',
        );
      } else {
        toDefer.push(req);
      }
    }
  }

  if (toDefer.length > 0 && input.organisation_has_overdue_items) {
    notAccepted = true;
    for (const req of toDefer) {
      finding(
        req,
        'DOC_DEFERRAL_RIGHTS_SUSPENDED',
        'error',
        `the organisation has overdue deferred documents and may not defer ${req.label} until they are supplied`,
        'an organisation with overdue items loses deferral rights',
      );
    }
  }

  const deferred: DeferredDocument[] = [];
  for (const req of toDefer) {
    const due = deferralDueDate(
      input.acceptance_date,
      req.deferral_days ?? 0,
      policy,
      calendar,
      input.service_time_limit_date,
    );
    if (due === undefined) {
      notAccepted = true;
      finding(
        req,
        'DOC_DEFERRAL_BEYOND_TIME_LIMIT',
        'error',
        `${req.label} cannot be deferred: the service time limit leaves no working day to supply it`,
        'no deferral beyond the service time limit',
      );
      continue;
    }
    const consequence = deferralConsequence(req, due, policy.reservation_release_grace_working_days);
    deferred.push({
      type: req.code,
      label: req.label,
      due_date: due,
      ...(req.gates ? { gates: req.gates } : {}),
      consequence,
    });
    finding(
      req,
      'DOC_DEFERRED',
      'info',
      `${req.label} deferred until ${due}`,
      'deferrable under a commitment letter',
    );
  }

  const outcome: DocumentOutcome = rejected
    ? 'rejected'
    : notAccepted
      ? 'not_accepted'
      : deferred.length > 0
        ? 'accepted_with_deferrals'
        : 'accepted';

  if (outcome !== 'accepted_with_deferrals') {
    return { outcome, findings, deferred: [], required: required.map((r) => r.code), statuses };
  }
  const items = deferred.map((d) => ({
    type: d.type,
    label: d.label,
    due_date: d.due_date,
    consequence: d.consequence,
  }));
  const text =
    `Your application was accepted on ${input.acceptance_date} with ${items.length} deferred document(s) (容缺受理) ` +
    `under your signed commitment letter. Supply each by its deadline:\n` +
    items.map((i) => `- ${i.label} (${i.type}): by ${i.due_date}. ${i.consequence}`).join('\n');
  return {
    outcome,
    findings,
    deferred,
    notice: { text, items },
    required: required.map((r) => r.code),
    statuses,
  };
}

export interface EquipmentForThreshold {
  quantity: number;
  rated_power_kw?: number;
  rated_apparent_power_kva?: number;
  power_factor?: number;
}

/**
 * Whether a request needs a temporary-electricity organisation design (JGJ 46-2005 3.1.1, rule R1: ≥ 5 devices
 * or ≥ 50 kW installed). Devices = Σ quantity; installed power = Σ quantity × nameplate kW; an item rated
 * only in kVA (welders) counts kVA × power factor, with power factor 1 when none is given (conservative: it
 * can only make the design required, never waive it).
 *
 * @param equipment the request's equipment list (rated_power_kw in kW, rated_apparent_power_kva in kVA)
 * @param threshold `RuleSet.organisation_design` (min_devices, min_power_kw in kW)
 */
export function organisationDesignRequirement(
  equipment: readonly EquipmentForThreshold[],
  threshold: { min_devices: number; min_power_kw: number },
): { required: boolean; device_count: number; installed_power_kw: number } {
  let devices = 0;
  let powerKw = 0;
  for (const e of equipment) {
    devices += e.quantity;
    const unitKw = e.rated_power_kw ?? (e.rated_apparent_power_kva ?? 0) * (e.power_factor ?? 1);
    powerKw += e.quantity * unitKw;
  }
  return {
    required: devices >= threshold.min_devices || powerKw >= threshold.min_power_kw,
    device_count: devices,
    installed_power_kw: powerKw,
  };
}
