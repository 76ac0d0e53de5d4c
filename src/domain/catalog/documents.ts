/**
 * Document policy for online connection applications under missing-document acceptance (容缺受理), as data.
 *
 * Sources: DOMAIN.md "Product decisions" (core / deferrable / conditional documents, commitment letter, missed
 * deadline) and §5.4 (document checklist; State Grid 一证受理 with a 《客户承诺书》; deferral periods for
 * utility applications were NOT found, so every deadline is configurable per document).
 *
 * Deferral basis (a product choice, documented here): the scenario gives `deferrable_days: 30` without a unit
 * qualifier, so deferrals count CALENDAR days by default (`deferral_day_basis: 'calendar'`); a policy may say
 * `'working'`. A calendar-day deadline that falls on a day off moves to the next working day (PRC Civil Code
 * art. 203). No deadline is ever later than `max_deferral_days` calendar days after acceptance nor later than
 * the caller's service time limit (e.g. the end of the temporary-supply term).
 */
import { DomainError } from '../errors.js';
import type { FieldIssue } from '../errors.js';

/** When a document is required for an application. */
export type DocumentRequiredWhen =
  /** every application */
  | 'always'
  /** the application needs a temporary-electricity organisation design (JGJ 46-2005 3.1.1: ≥ 5 devices or ≥ 50 kW) */
  | 'organisation_design_required'
  /** at least one other document is deferred (the commitment letter) */
  | 'any_deferred';

/** A workflow step that may not happen while the document is outstanding. */
export type DocumentGate = 'energisation' | 'approval';

export type DeferralDayBasis = 'calendar' | 'working';

export type SourceConfidence = 'sourced' | 'inferred' | 'unconfirmed';

export interface DocumentRequirement {
  /** Stable document type code, the key used in an application's `documents` map. */
  code: string;
  label: string;
  /** Core documents are needed to accept at all and are never deferrable. */
  core: boolean;
  /** May be supplied after acceptance under a signed commitment letter. Always false for a core document. */
  deferrable: boolean;
  /** Default deferral period, in the policy's `deferral_day_basis` days; present when `deferrable`. */
  deferral_days?: number;
  required_when: DocumentRequiredWhen;
  /** While this document is outstanding, the named step is blocked. */
  gates?: DocumentGate;
  /**
   * How an entry missing from the application's `documents` map is read. Applications list only their
   * exceptions (scenario README), so an absent entry means "provided" — except for a document that is only
   * required BECAUSE of an exception (the commitment letter accompanies a deferral): it must be listed.
   */
  presumed_provided_when_absent: boolean;
  /** Where the requirement comes from. */
  source: string;
  confidence: SourceConfidence;
}

export interface DocumentPolicy {
  id: string;
  requirements: readonly DocumentRequirement[];
  deferral_day_basis: DeferralDayBasis;
  /** Hard cap on any deferral, calendar days after acceptance (the service time limit). */
  max_deferral_days: number;
  /** Working days after a missed deadline before an un-energised application's reservation is released. */
  reservation_release_grace_working_days: number;
  source: string;
}

const PRODUCT = 'DOMAIN.md Product decisions';

/**
 * The default policy: the reference scenario's `document_types` (examples/jinshan-ev-plant.json) and the
 * product decisions. Core set is an inference from State Grid practice (§5.4, unconfirmed); 30-day deferral and
 * the 180-day cap (the 6-month construction-permit analogue, §5.4) are unconfirmed and configurable; the
 * 5-working-day release grace is a product default (unconfirmed).
 */
export const DEFAULT_DOCUMENT_POLICY: DocumentPolicy = {
  id: 'tpp-default-2025',
  deferral_day_basis: 'calendar',
  max_deferral_days: 180,
  reservation_release_grace_working_days: 5,
  source: `${PRODUCT}; DOMAIN.md §5.4; examples/jinshan-ev-plant.json document_types`,
  requirements: [
    {
      code: 'application_form',
      label: 'application with load, period and location',
      core: true,
      deferrable: false,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 1 (用电申请书)',
      confidence: 'inferred',
    },
    {
      code: 'applicant_identity',
      label: 'business licence or ID; authorisation letter for an agent',
      core: true,
      deferrable: false,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 2; State Grid 一证受理 accepts on identity proof alone',
      confidence: 'inferred',
    },
    {
      code: 'equipment_list',
      label: 'equipment with nameplate ratings',
      core: true,
      deferrable: false,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 5 (needed for the load calculation)',
      confidence: 'inferred',
    },
    {
      code: 'site_right_proof',
      label: 'proof of the right to use the site',
      core: false,
      deferrable: true,
      deferral_days: 30,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 3; 一证受理 with a 《客户承诺书》',
      confidence: 'sourced',
    },
    {
      code: 'construction_permit',
      label: 'project approval or construction permit',
      core: false,
      deferrable: true,
      deferral_days: 30,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 4',
      confidence: 'unconfirmed',
    },
    {
      code: 'contractor_qualification',
      label: 'contractor qualification certificate',
      core: false,
      deferrable: true,
      deferral_days: 30,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 7',
      confidence: 'unconfirmed',
    },
    {
      code: 'billing_account',
      label: 'bank account for electricity billing',
      core: false,
      deferrable: true,
      deferral_days: 30,
      required_when: 'always',
      presumed_provided_when_absent: true,
      source: 'DOMAIN.md §5.4 item 6',
      confidence: 'unconfirmed',
    },
    {
      code: 'organisation_design',
      label: 'temporary-electricity organisation design',
      core: false,
      deferrable: true,
      deferral_days: 30,
      required_when: 'organisation_design_required',
      gates: 'energisation',
      presumed_provided_when_absent: true,
      source: 'JGJ 46-2005 3.1.1 / 3.1.5 (R1: ≥ 5 devices or ≥ 50 kW); DOMAIN.md Product decisions',
      confidence: 'sourced',
    },
    {
      code: 'commitment_letter',
      label: 'signed commitment to supply deferred documents by their deadlines',
      core: false,
      deferrable: false,
      required_when: 'any_deferred',
      presumed_provided_when_absent: false,
      source: 'DOMAIN.md §5.4 (《客户承诺书》, government 告知承诺制 practice)',
      confidence: 'sourced',
    },
  ],
};

/** One entry of the scenario file's `document_types` map. */
export interface ScenarioDocumentType {
  core?: boolean;
  /** Deferral period in days (the policy's basis); absent = not deferrable. */
  deferrable_days?: number;
  /** Free text, e.g. ">= 5 devices or >= 50 kW" or "any document is deferred"; absent = always. */
  required_when?: string;
  gates?: string;
  description?: string;
  /** Optional provenance. */
  source?: string;
}

export interface PolicyFromScenarioOptions {
  id?: string;
  deferral_day_basis?: DeferralDayBasis;
  max_deferral_days?: number;
  reservation_release_grace_working_days?: number;
}

function parseRequiredWhen(text: string | undefined): DocumentRequiredWhen | undefined {
  if (text === undefined) return 'always';
  const t = text.toLowerCase();
  if (t.includes('deferred')) return 'any_deferred';
  if (t.includes('device') || /\bkw\b/.test(t) || t.includes('organisation design')) {
    return 'organisation_design_required';
  }
  if (t.trim() === 'always') return 'always';
  return undefined;
}

/**
 * Builds a document policy from the scenario format (`document_types` of examples/jinshan-ev-plant.json).
 * `required_when` text is read as: mentions "deferred" → `any_deferred`; mentions devices / kW → the
 * organisation-design condition (JGJ 46-2005 3.1.1, threshold taken from the rule set by the caller); absent
 * → `always`. Unknown conditions or gates are invalid input.
 *
 * @param documentTypes the scenario's `document_types` map (deferrable_days in the policy's day basis)
 * @param options policy-wide settings; defaults from {@link DEFAULT_DOCUMENT_POLICY}
 * @throws DomainError `validation_failed` listing every unreadable entry
 */
export function policyFromScenario(
  documentTypes: Readonly<Record<string, ScenarioDocumentType>>,
  options: PolicyFromScenarioOptions = {},
): DocumentPolicy {
  const issues: FieldIssue[] = [];
  const requirements: DocumentRequirement[] = [];
  for (const [code, t] of Object.entries(documentTypes)) {
    const requiredWhen = parseRequiredWhen(t.required_when);
    if (!requiredWhen) {
      issues.push({
        path: ['document_types', code, 'required_when'],
        message: `unknown condition: ${t.required_when}`,
      });
      continue;
    }
    let gates: DocumentGate | undefined;
    if (t.gates !== undefined) {
      if (t.gates === 'energisation' || t.gates === 'approval') gates = t.gates;
      else issues.push({ path: ['document_types', code, 'gates'], message: `unknown gate: ${t.gates}` });
    }
    const core = t.core === true;
    if (t.deferrable_days !== undefined && (!Number.isInteger(t.deferrable_days) || t.deferrable_days <= 0)) {
      issues.push({
        path: ['document_types', code, 'deferrable_days'],
        message: 'must be a positive whole number',
      });
    }
    if (core && t.deferrable_days !== undefined) {
      issues.push({
        path: ['document_types', code, 'deferrable_days'],
        message: 'a core document is never deferrable',
      });
    }
    const deferrable = !core && t.deferrable_days !== undefined;
    requirements.push({
      code,
      label: t.description ?? code,
      core,
      deferrable,
      ...(deferrable ? { deferral_days: t.deferrable_days } : {}),
      required_when: requiredWhen,
      ...(gates ? { gates } : {}),
      presumed_provided_when_absent: requiredWhen !== 'any_deferred',
      source: t.source ?? 'scenario document_types',
      confidence: 'unconfirmed',
    });
  }
  if (
    !requirements.some((r) => r.required_when === 'any_deferred') &&
    requirements.some((r) => r.deferrable)
  ) {
    issues.push({
      path: ['document_types'],
      message:
        'a policy with deferrable documents needs a document required when any is deferred (commitment letter)',
    });
  }
  if (issues.length > 0) {
    throw new DomainError('validation_failed', 'The document policy has invalid entries', { issues });
  }
  return {
    id: options.id ?? 'scenario',
    requirements,
    deferral_day_basis: options.deferral_day_basis ?? DEFAULT_DOCUMENT_POLICY.deferral_day_basis,
    max_deferral_days: options.max_deferral_days ?? DEFAULT_DOCUMENT_POLICY.max_deferral_days,
    reservation_release_grace_working_days:
      options.reservation_release_grace_working_days ??
      DEFAULT_DOCUMENT_POLICY.reservation_release_grace_working_days,
    source: 'scenario document_types; DOMAIN.md §5.4',
  };
}

/** The requirement for a document code, or undefined. */
export function requirementFor(policy: DocumentPolicy, code: string): DocumentRequirement | undefined {
  return policy.requirements.find((r) => r.code === code);
}
