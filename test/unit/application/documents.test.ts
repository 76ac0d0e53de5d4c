import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_DOCUMENT_POLICY,
  policyFromScenario,
  requirementFor,
} from '../../../src/domain/catalog/documents.js';
import type { DocumentPolicy, ScenarioDocumentType } from '../../../src/domain/catalog/documents.js';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { WEEKEND_ONLY_CALENDAR } from '../../../src/domain/catalog/working-days.js';
import type { WorkingDayCalendar } from '../../../src/domain/catalog/working-days.js';
import {
  deferralDueDate,
  evaluateDocuments,
  organisationDesignRequirement,
} from '../../../src/domain/application/documents.js';
import type { DocumentStatus, EquipmentForThreshold } from '../../../src/domain/application/documents.js';
import { addDays } from '../../../src/domain/profile/calendar.js';

interface ScenarioRequest {
  id: string;
  window: { start: string; end: string };
  equipment: EquipmentForThreshold[];
  documents?: Record<string, DocumentStatus>;
}
const scenario = JSON.parse(
  readFileSync(new URL('../../../examples/jinshan-ev-plant.json', import.meta.url), 'utf8'),
) as {
  requests: ScenarioRequest[];
  document_types: Record<string, ScenarioDocumentType>;
};

const threshold = ruleSet('JGJ46-2005').organisation_design;
const cal = WEEKEND_ONLY_CALENDAR;

function evaluateRequest(policy: DocumentPolicy, r: ScenarioRequest) {
  return evaluateDocuments(
    policy,
    {
      ...(r.documents ? { documents: r.documents } : {}),
      organisation_design_required: organisationDesignRequirement(r.equipment, threshold).required,
      organisation_has_overdue_items: false,
      // accepted on the first day of the requested window; no deadline after its last day (end is exclusive)
      acceptance_date: r.window.start,
      service_time_limit_date: addDays(r.window.end, -1),
    },
    cal,
  );
}

describe('document evaluation on the reference scenario (examples/jinshan-ev-plant.json)', () => {
  const scenarioPolicy = policyFromScenario(scenario.document_types);

  for (const [name, policy] of [
    ['policy built from the scenario', scenarioPolicy],
    ['default policy', DEFAULT_DOCUMENT_POLICY],
  ] as const) {
    it(`with the ${name}: R-029 rejected, R-037 not accepted, R-006/011/020/043 deferred, 37 accepted`, () => {
      const outcomes = new Map(scenario.requests.map((r) => [r.id, evaluateRequest(policy, r)]));
      expect(scenario.requests).toHaveLength(43);

      const r029 = outcomes.get('R-029')!;
      expect(r029.outcome).toBe('rejected');
      expect(r029.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.path])).toEqual([
        ['DOC_CORE_MISSING', ['documents', 'applicant_identity']],
      ]);

      const r037 = outcomes.get('R-037')!;
      expect(r037.outcome).toBe('not_accepted');
      expect(r037.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.path])).toEqual([
        ['DOC_COMMITMENT_LETTER_MISSING', ['documents', 'commitment_letter']],
      ]);
      expect(r037.notice).toBeUndefined();

      // hand-computed: window start + 30 calendar days (all land on Mon–Fri):
      // 2025-08-10 + 30 = 2025-09-09 (Tue); 2025-11-01 + 30 = 2025-12-01 (Mon);
      // 2026-01-05 + 30 = 2026-02-04 (Wed); 2026-12-01 + 30 = 2026-12-31 (Thu)
      const expectedDeferred: Record<string, [string, string][]> = {
        'R-006': [['site_right_proof', '2025-09-09']],
        'R-011': [['organisation_design', '2025-12-01']],
        'R-020': [
          ['construction_permit', '2026-02-04'],
          ['contractor_qualification', '2026-02-04'],
        ],
        'R-043': [['billing_account', '2026-12-31']],
      };
      for (const [id, items] of Object.entries(expectedDeferred)) {
        const e = outcomes.get(id)!;
        expect(e.outcome, id).toBe('accepted_with_deferrals');
        expect(e.deferred.map((d) => [d.type, d.due_date]).sort()).toEqual(items);
        expect(e.notice?.items.map((i) => [i.type, i.due_date]).sort()).toEqual(items);
        for (const [type, due] of items) expect(e.notice?.text).toContain(`${type}): by ${due}`);
        expect(e.findings.filter((f) => f.severity === 'error')).toEqual([]);
      }
      // R-011 defers the organisation design, which gates energisation
      expect(outcomes.get('R-011')!.deferred[0]?.gates).toBe('energisation');
      expect(outcomes.get('R-011')!.deferred[0]?.consequence).toMatch(/Energisation is blocked/);

      const special = new Set(['R-029', 'R-037', ...Object.keys(expectedDeferred)]);
      const others = scenario.requests.filter((r) => !special.has(r.id));
      expect(others).toHaveLength(37);
      for (const r of others) {
        const e = outcomes.get(r.id)!;
        expect(e.outcome, r.id).toBe('accepted');
        expect(e.findings, r.id).toEqual([]);
      }
    });
  }

  it('every scenario request needs an organisation design (≥ 5 devices or ≥ 50 kW), so it is always required', () => {
    // hand-check of two edges: R-006 has 2 devices but 185 + 22 = 207 kW; R-018's 26 kW passes on 8 devices
    const byId = new Map(scenario.requests.map((r) => [r.id, r]));
    expect(organisationDesignRequirement(byId.get('R-006')!.equipment, threshold)).toEqual({
      required: true,
      device_count: 2,
      installed_power_kw: 207,
    });
    expect(organisationDesignRequirement(byId.get('R-018')!.equipment, threshold).required).toBe(true);
  });
});

describe('organisation design threshold (JGJ 46-2005 3.1.1: ≥ 5 devices or ≥ 50 kW)', () => {
  it('when 4 devices total 49 kW, then no design is required; the 5th device or the 50th kW requires one', () => {
    expect(organisationDesignRequirement([{ quantity: 4, rated_power_kw: 12.25 }], threshold).required).toBe(
      false,
    );
    expect(organisationDesignRequirement([{ quantity: 5, rated_power_kw: 1 }], threshold).required).toBe(
      true,
    );
    expect(organisationDesignRequirement([{ quantity: 1, rated_power_kw: 50 }], threshold).required).toBe(
      true,
    );
  });
  it('when a welder is rated in kVA only, then kVA × power factor (1 if absent) counts as kW', () => {
    // hand-computed: 2 × 30 kVA × 0.8 = 48 kW < 50; without power factor 60 kW ≥ 50
    expect(
      organisationDesignRequirement(
        [{ quantity: 2, rated_apparent_power_kva: 30, power_factor: 0.8 }],
        threshold,
      ).installed_power_kw,
    ).toBeCloseTo(48, 9);
    expect(
      organisationDesignRequirement([{ quantity: 2, rated_apparent_power_kva: 30 }], threshold).required,
    ).toBe(true);
  });
});

describe('document rules', () => {
  const base = {
    organisation_design_required: true,
    organisation_has_overdue_items: false,
    acceptance_date: '2026-01-05',
  };
  const p = DEFAULT_DOCUMENT_POLICY;

  it('when the documents map is omitted, then every document is provided and the application is accepted', () => {
    const e = evaluateDocuments(p, base, cal);
    expect(e.outcome).toBe('accepted');
    expect(e.required).not.toContain('commitment_letter');
    expect(e.required).toContain('organisation_design');
  });

  it('when two core documents are missing, then the application is rejected listing both', () => {
    const e = evaluateDocuments(
      p,
      {
        ...base,
        documents: { application_form: 'missing', equipment_list: 'missing', site_right_proof: 'missing' },
      },
      cal,
    );
    expect(e.outcome).toBe('rejected');
    expect(e.findings.filter((f) => f.code === 'DOC_CORE_MISSING').map((f) => f.path[1])).toEqual([
      'application_form',
      'equipment_list',
    ]);
    expect(e.findings.some((f) => f.code === 'DOC_REQUIRED_MISSING')).toBe(true);
  });

  it('when a core document is marked deferred, then it is rejected even with a commitment letter', () => {
    const e = evaluateDocuments(
      p,
      { ...base, documents: { applicant_identity: 'deferred', commitment_letter: 'provided' } },
      cal,
    );
    expect(e.outcome).toBe('rejected');
    expect(e.findings.map((f) => f.code)).toContain('DOC_CORE_NOT_DEFERRABLE');
  });

  it('when a deferrable document is simply missing, then the application is not accepted and the finding names it', () => {
    const e = evaluateDocuments(p, { ...base, documents: { billing_account: 'missing' } }, cal);
    expect(e.outcome).toBe('not_accepted');
    expect(e.findings).toEqual([
      expect.objectContaining({ code: 'DOC_REQUIRED_MISSING', path: ['documents', 'billing_account'] }),
    ]);
  });

  it('when the organisation has overdue items and tries to defer, then it is not accepted (deferral rights suspended)', () => {
    const e = evaluateDocuments(
      p,
      {
        ...base,
        organisation_has_overdue_items: true,
        documents: { site_right_proof: 'deferred', commitment_letter: 'provided' },
      },
      cal,
    );
    expect(e.outcome).toBe('not_accepted');
    expect(e.findings.map((f) => f.code)).toContain('DOC_DEFERRAL_RIGHTS_SUSPENDED');
    expect(e.deferred).toEqual([]);
    // …but the same organisation may still apply with everything provided
    expect(evaluateDocuments(p, { ...base, organisation_has_overdue_items: true }, cal).outcome).toBe(
      'accepted',
    );
  });

  it('when the commitment letter itself is marked deferred, then it is not accepted', () => {
    const e = evaluateDocuments(
      p,
      { ...base, documents: { site_right_proof: 'deferred', commitment_letter: 'deferred' } },
      cal,
    );
    expect(e.outcome).toBe('not_accepted');
    expect(e.findings.map((f) => f.code)).toContain('DOC_NOT_DEFERRABLE');
  });

  it('when the organisation design is not required, then deferring it needs no commitment letter and is ignored', () => {
    const e = evaluateDocuments(
      p,
      { ...base, organisation_design_required: false, documents: { organisation_design: 'deferred' } },
      cal,
    );
    expect(e.outcome).toBe('accepted');
    expect(e.findings.map((f) => f.code)).toEqual(['DOC_NOT_REQUIRED']);
  });

  it('when a required organisation design is missing, then it is not accepted', () => {
    const e = evaluateDocuments(p, { ...base, documents: { organisation_design: 'missing' } }, cal);
    expect(e.outcome).toBe('not_accepted');
  });

  it('when a document code is unknown, then the input is invalid', () => {
    expect(() => evaluateDocuments(p, { ...base, documents: { passport: 'provided' } }, cal)).toThrow(
      /invalid/,
    );
  });

  it('the notice states the consequence: reservation released after the grace, engineer alerted, rights lost', () => {
    const e = evaluateDocuments(
      p,
      { ...base, documents: { site_right_proof: 'deferred', commitment_letter: 'provided' } },
      cal,
    );
    expect(e.notice?.items).toHaveLength(1);
    expect(e.notice?.text).toMatch(/released 5 working days after the deadline/);
    expect(e.notice?.text).toMatch(/engineer is alerted/);
    expect(e.notice?.text).toMatch(/loses the right to defer/);
  });
});

describe('deferral due dates', () => {
  const OCT_2025: WorkingDayCalendar = {
    weekend_days: [6, 7],
    holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
    extra_working_days: ['2025-09-28', '2025-10-11'],
  };
  const p = DEFAULT_DOCUMENT_POLICY;

  it('when 30 calendar days end on a Sunday, then the deadline moves to Monday (Civil Code art. 203)', () => {
    // hand-computed: 2025-08-29 (Fri) + 30 = 2025-09-28 (Sun) → Mon 2025-09-29; on the holiday calendar
    // 28 Sep is a make-up working day and stays
    expect(deferralDueDate('2025-08-29', 30, p, WEEKEND_ONLY_CALENDAR)).toBe('2025-09-29');
    expect(deferralDueDate('2025-08-29', 30, p, OCT_2025)).toBe('2025-09-28');
  });

  it('when 30 calendar days end inside a holiday week, then the deadline is the first day back', () => {
    // hand-computed: 2025-09-02 + 30 = 2025-10-02 (holiday) → Thu 2025-10-09
    expect(deferralDueDate('2025-09-02', 30, p, OCT_2025)).toBe('2025-10-09');
  });

  it('when the deferral exceeds the 180-day cap or the service time limit, then it is capped', () => {
    // hand-computed: 2025-01-01 + 180 days = 2025-06-30 (Mon)
    expect(deferralDueDate('2025-01-01', 400, p, WEEKEND_ONLY_CALENDAR)).toBe('2025-06-30');
    // limit Sun 2025-01-12 → last working day before it, Fri 2025-01-10
    expect(deferralDueDate('2025-01-01', 30, p, WEEKEND_ONLY_CALENDAR, '2025-01-12')).toBe('2025-01-10');
    // no working day between acceptance and the limit → no deferral possible
    expect(deferralDueDate('2025-01-03', 30, p, WEEKEND_ONLY_CALENDAR, '2025-01-05')).toBeUndefined();
  });

  it('when the service time limit leaves no time, then the deferral is refused', () => {
    const e = evaluateDocuments(
      p,
      {
        organisation_design_required: true,
        organisation_has_overdue_items: false,
        acceptance_date: '2025-01-03',
        service_time_limit_date: '2025-01-05',
        documents: { site_right_proof: 'deferred', commitment_letter: 'provided' },
      },
      WEEKEND_ONLY_CALENDAR,
    );
    expect(e.outcome).toBe('not_accepted');
    expect(e.findings.map((f) => f.code)).toContain('DOC_DEFERRAL_BEYOND_TIME_LIMIT');
  });

  it('when the policy counts working days, then 10 working days from Wed 2025-01-01 is Wed 2025-01-15', () => {
    // hand-computed: Jan 2, 3, 6–10, 13, 14, 15
    expect(
      deferralDueDate('2025-01-01', 10, { ...p, deferral_day_basis: 'working' }, WEEKEND_ONLY_CALENDAR),
    ).toBe('2025-01-15');
  });
});

describe('policyFromScenario', () => {
  it('reads core, deferrable days, conditions and gates from the scenario format', () => {
    const policy = policyFromScenario(scenario.document_types);
    expect(requirementFor(policy, 'applicant_identity')).toMatchObject({ core: true, deferrable: false });
    expect(requirementFor(policy, 'site_right_proof')).toMatchObject({ deferrable: true, deferral_days: 30 });
    expect(requirementFor(policy, 'organisation_design')).toMatchObject({
      required_when: 'organisation_design_required',
      gates: 'energisation',
      deferrable: true,
    });
    expect(requirementFor(policy, 'commitment_letter')).toMatchObject({
      required_when: 'any_deferred',
      deferrable: false,
      presumed_provided_when_absent: false,
    });
    expect(policy.deferral_day_basis).toBe('calendar');
  });

  it('when a condition or gate is unreadable or a core document is deferrable, then every issue is listed', () => {
    try {
      policyFromScenario({
        a: { core: true, deferrable_days: 10 },
        b: { required_when: 'on Tuesdays' },
        c: { gates: 'billing' },
      });
      expect.unreachable();
    } catch (e) {
      const issues = (e as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'));
      expect(issues).toEqual([
        'document_types.a.deferrable_days',
        'document_types.b.required_when',
        'document_types.c.gates',
      ]);
    }
  });
});
