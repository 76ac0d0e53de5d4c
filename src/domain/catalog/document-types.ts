/**
 * The default document acceptance policy (容缺受理) in the scenario-file format: core documents are never
 * deferrable; secondary ones may follow under a commitment letter within a deadline. Source: DOMAIN.md
 * "Product decisions" and §5.4 (core items are an inference, unconfirmed; deferral periods configurable).
 */
import type { DocumentTypeSpec } from '../site.js';

export const DEFAULT_DOCUMENT_TYPES: Record<string, DocumentTypeSpec> = {
  application_form: { core: true, description: 'application with load, period and location' },
  applicant_identity: {
    core: true,
    description: 'business licence or ID; authorisation letter for an agent',
  },
  equipment_list: { core: true, description: 'equipment with nameplate ratings' },
  site_right_proof: { core: false, deferrable_days: 30, description: 'proof of the right to use the site' },
  construction_permit: {
    core: false,
    deferrable_days: 30,
    description: 'project approval or construction permit',
  },
  contractor_qualification: {
    core: false,
    deferrable_days: 30,
    description: 'contractor qualification certificate',
  },
  billing_account: { core: false, deferrable_days: 30, description: 'bank account for electricity billing' },
  organisation_design: {
    core: false,
    deferrable_days: 30,
    required_when: '>= 5 devices or >= 50 kW',
    gates: 'energisation',
    description: 'temporary-electricity organisation design (JGJ 46 3.1.1)',
  },
  commitment_letter: {
    core: false,
    required_when: 'any document is deferred',
    description: 'signed commitment to supply deferred documents by their deadlines',
  },
};
