import { describe, it, expect } from 'vitest';
import { WEEKEND_ONLY_CALENDAR } from '../../../src/domain/catalog/working-days.js';
import type { WorkingDayCalendar } from '../../../src/domain/catalog/working-days.js';
import { DEFAULT_DOCUMENT_POLICY } from '../../../src/domain/catalog/documents.js';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import {
  addMonths,
  deadlinePolicy,
  evaluateDeadlines,
  supplyTermEnd,
} from '../../../src/domain/application/deadlines.js';
import type { ApplicationSnapshot } from '../../../src/domain/application/model.js';

const policy = { reservation_release_grace_working_days: 5, temporary_supply_term_months: 24 };
const cal = WEEKEND_ONLY_CALENDAR;

function app(over: Partial<ApplicationSnapshot>): ApplicationSnapshot {
  return {
    state: 'accepted_with_deferrals',
    return_stack: [],
    assigned_point_id: 'SP-01',
    deferred_documents: [{ type: 'site_right_proof', due_date: '2026-02-09' }],
    window_end: '2026-10-31',
    ...over,
  };
}

describe('deadline evaluation', () => {
  it('when today is the due date, then nothing is overdue; the next day it is', () => {
    const onDue = evaluateDeadlines(app({}), '2026-02-09', policy, cal);
    expect(onDue.overdue_items).toEqual([]);
    expect(onDue.should_mark_overdue).toBe(false);
    expect(onDue.next_due_date).toBe('2026-02-09');

    const after = evaluateDeadlines(app({}), '2026-02-10', policy, cal);
    expect(after.overdue_items).toEqual([
      {
        type: 'site_right_proof',
        due_date: '2026-02-09',
        days_overdue: 1,
        working_days_overdue: 1,
        gates_energisation: false,
      },
    ]);
    expect(after.should_mark_overdue).toBe(true);
    expect(after.should_release_reservation).toBe(false);
  });

  it('when 5 working days of grace have passed before energisation, then the reservation is released', () => {
    // hand-computed: due Mon 2026-02-09 + 5 working days = Mon 2026-02-16; release from Tue 2026-02-17
    const a = app({ state: 'overdue', return_stack: ['accepted_with_deferrals'] });
    expect(evaluateDeadlines(a, '2026-02-16', policy, cal)).toMatchObject({
      release_after: '2026-02-16',
      should_release_reservation: false,
    });
    expect(evaluateDeadlines(a, '2026-02-17', policy, cal).should_release_reservation).toBe(true);
    // the sweep may see it before it was marked overdue: still released
    expect(evaluateDeadlines(app({ state: 'approved' }), '2026-02-17', policy, cal)).toMatchObject({
      should_mark_overdue: true,
      should_release_reservation: true,
    });
  });

  it('when the grace spans a holiday week, then it counts working days only', () => {
    const oct: WorkingDayCalendar = {
      weekend_days: [6, 7],
      holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
      extra_working_days: ['2025-09-28', '2025-10-11'],
    };
    // hand-computed: due Tue 2025-09-30; working days after it: 9, 10, 11 (make-up), 13, 14 Oct
    const a = app({
      state: 'overdue',
      return_stack: ['approved'],
      deferred_documents: [{ type: 'billing_account', due_date: '2025-09-30' }],
    });
    expect(evaluateDeadlines(a, '2025-10-14', policy, oct)).toMatchObject({
      release_after: '2025-10-14',
      should_release_reservation: false,
    });
    expect(evaluateDeadlines(a, '2025-10-15', policy, oct).should_release_reservation).toBe(true);
  });

  it('when the application is energised and a document is overdue, then the engineer is alerted and nothing is released', () => {
    const e = evaluateDeadlines(
      app({ state: 'energised', energised_on: '2026-01-20' }),
      '2026-03-02',
      policy,
      cal,
    );
    expect(e).toMatchObject({
      should_mark_overdue: true,
      should_alert_engineer: true,
      should_release_reservation: false,
    });
    expect(e.release_after).toBeUndefined();
  });

  it('when every deferred document was supplied, then nothing is overdue even long after the due date', () => {
    const e = evaluateDeadlines(
      app({
        deferred_documents: [{ type: 'site_right_proof', due_date: '2026-02-09', supplied_on: '2026-02-12' }],
      }),
      '2026-05-01',
      policy,
      cal,
    );
    expect(e).toMatchObject({
      overdue_items: [],
      should_mark_overdue: false,
      should_release_reservation: false,
    });
  });

  it('when the window end arrives (exclusive), then a live application should expire; a withdrawn one not', () => {
    expect(
      evaluateDeadlines(app({ state: 'approved', deferred_documents: [] }), '2026-10-30', policy, cal)
        .should_expire,
    ).toBe(false);
    expect(
      evaluateDeadlines(app({ state: 'approved', deferred_documents: [] }), '2026-10-31', policy, cal)
        .should_expire,
    ).toBe(true);
    expect(
      evaluateDeadlines(app({ state: 'withdrawn', deferred_documents: [] }), '2026-12-01', policy, cal)
        .should_expire,
    ).toBe(false);
  });
});

describe('supply term', () => {
  it('when energised on 2025-08-10 under the 6-month rule, then the term ends 2026-02-10, before the window end', () => {
    // DOMAIN.md §5.1: 1996 rules art. 12, ≤ 6 months
    expect(supplyTermEnd({ window_end: '2026-10-31', energised_on: '2025-08-10' }, 6)).toBe('2026-02-10');
  });
  it('when the site was granted 24 months, then the window end comes first', () => {
    // the reference site's temporary_supply_term_months = 24: 2025-08-10 + 24 months = 2027-08-10 > 2026-10-31
    expect(supplyTermEnd({ window_end: '2026-10-31', energised_on: '2025-08-10' }, 24)).toBe('2026-10-31');
  });
  it('when extended, then the extension is the end; before energisation the window end is', () => {
    expect(
      supplyTermEnd(
        { window_end: '2026-10-31', energised_on: '2025-08-10', term_extended_until: '2027-01-31' },
        6,
      ),
    ).toBe('2027-01-31');
    expect(supplyTermEnd({ window_end: '2026-10-31' }, 6)).toBe('2026-10-31');
  });
  it('adds calendar months clamping to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-12-15', 2)).toBe('2026-02-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
  it('the deadline policy takes the grace from the document policy and the term from the rule set', () => {
    expect(deadlinePolicy(DEFAULT_DOCUMENT_POLICY, ruleSet('JGJ46-2005'))).toEqual({
      reservation_release_grace_working_days: 5,
      temporary_supply_term_months: 6,
    });
  });
});
