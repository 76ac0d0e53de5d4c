/**
 * Deadline evaluation of one application at a given local date: deferred documents past due, the reservation
 * release after the grace period, and expiry of the temporary-supply term. Pure, so it runs on read (no stale
 * state) and in a periodic sweep alike.
 *
 * Sources: DOMAIN.md "Product decisions" (missed deadline: `overdue`; before energisation the reservation is
 * released after a grace period; after energisation the engineer is alerted) and §5.1 (temporary-supply term,
 * 1996 rules art. 12: ≤ 6 months unless the utility approves otherwise; on expiry without extension supply is
 * terminated).
 */
import type { DocumentPolicy } from '../catalog/documents.js';
import type { RuleSet } from '../catalog/rule-sets.js';
import { addWorkingDays, workingDaysBetween } from '../catalog/working-days.js';
import type { WorkingDayCalendar } from '../catalog/working-days.js';
import { DomainError } from '../errors.js';
import { daysBetween, isIsoDate } from '../profile/calendar.js';
import { outstandingDocuments } from './model.js';
import type { ApplicationSnapshot, ApplicationState } from './model.js';

export interface DeadlinePolicy {
  /** Working days after the earliest missed deadline before an un-energised application's reservation is released. */
  reservation_release_grace_working_days: number;
  /** Temporary-supply term counted from energisation, months (RuleSet / site, e.g. 24 on the reference site). */
  temporary_supply_term_months: number;
}

/**
 * The deadline policy from a document policy and a rule set (or a site's term override).
 *
 * @param documents the document policy (grace in working days)
 * @param term `RuleSet.temporary_supply_term_months` or the site's granted term, months
 */
export function deadlinePolicy(
  documents: Pick<DocumentPolicy, 'reservation_release_grace_working_days'>,
  term: Pick<RuleSet, 'temporary_supply_term_months'>,
): DeadlinePolicy {
  return {
    reservation_release_grace_working_days: documents.reservation_release_grace_working_days,
    temporary_supply_term_months: term.temporary_supply_term_months,
  };
}

/**
 * The local date `months` calendar months after `date`, the day clamped to the month's length
 * (2026-01-31 + 1 month = 2026-02-28).
 *
 * @param date local date `YYYY-MM-DD`
 * @param months whole months (may be negative)
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const lastDay = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ny, nm, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/**
 * End of the temporary supply (exclusive local date): the engineer's extension if any; otherwise the earlier of
 * the window end and energisation + term (1996 rules art. 12 via DOMAIN.md §5.1).
 *
 * @param app window end, energisation date and extension (local dates)
 * @param termMonths temporary-supply term, months
 */
export function supplyTermEnd(
  app: Pick<ApplicationSnapshot, 'window_end' | 'energised_on' | 'term_extended_until'>,
  termMonths: number,
): string {
  if (app.term_extended_until !== undefined) return app.term_extended_until;
  if (app.energised_on === undefined) return app.window_end;
  const byTerm = addMonths(app.energised_on, termMonths);
  return byTerm < app.window_end ? byTerm : app.window_end;
}

export interface OverdueItem {
  type: string;
  due_date: string;
  /** Calendar days since the due date (≥ 1). */
  days_overdue: number;
  /** Working days since the due date, on the site calendar. */
  working_days_overdue: number;
  gates_energisation: boolean;
}

export interface DeadlineEvaluation {
  overdue_items: OverdueItem[];
  /** The application is in a state that becomes `overdue` and a deferred document is past due. */
  should_mark_overdue: boolean;
  /** Never energised, overdue (or about to be), and the grace after the earliest missed deadline has passed. */
  should_release_reservation: boolean;
  /** Energised and a deferred document is past due: the engineer is alerted (supply continues). */
  should_alert_engineer: boolean;
  /** The term (window end or energisation + term, unless extended) has passed in a live state. */
  should_expire: boolean;
  /** Exclusive local end of the supply term. */
  term_end: string;
  /** Last local date of the grace period; the reservation is released after it. */
  release_after?: string;
  /** Earliest due date still ahead (inclusive), for reminders. */
  next_due_date?: string;
}

const OVERDUE_FROM: readonly ApplicationState[] = ['accepted_with_deferrals', 'approved', 'energised'];
const EXPIRABLE: readonly ApplicationState[] = [
  'accepted',
  'accepted_with_deferrals',
  'approved',
  'energised',
  'overdue',
  'suspended',
];

/**
 * Evaluates the deadlines of one application on `today`. A document is overdue from the day after its due
 * date. The release grace counts working days from the earliest missed due date.
 *
 * @param app the application snapshot (local dates)
 * @param today local date `YYYY-MM-DD` in the site's time zone (the caller's clock)
 * @param policy grace (working days) and term (months)
 * @param calendar the site's working-day calendar
 */
export function evaluateDeadlines(
  app: ApplicationSnapshot,
  today: string,
  policy: DeadlinePolicy,
  calendar: WorkingDayCalendar,
): DeadlineEvaluation {
  if (!isIsoDate(today)) {
    throw new DomainError('validation_failed', 'today must be a local date', {
      issues: [{ path: ['today'], message: `not a date: ${today}` }],
    });
  }
  const outstanding = outstandingDocuments(app);
  const overdue_items: OverdueItem[] = outstanding
    .filter((d) => d.due_date < today)
    .map((d) => ({
      type: d.type,
      due_date: d.due_date,
      days_overdue: daysBetween(d.due_date, today),
      working_days_overdue: workingDaysBetween(d.due_date, today, calendar),
      gates_energisation: d.gates === 'energisation',
    }))
    .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : 0));
  const upcoming = outstanding
    .filter((d) => d.due_date >= today)
    .map((d) => d.due_date)
    .sort();

  const hasOverdue = overdue_items.length > 0;
  const should_mark_overdue = hasOverdue && OVERDUE_FROM.includes(app.state);
  const liveOverdue = app.state === 'overdue' || should_mark_overdue;
  const earliest = overdue_items[0]?.due_date;
  const release_after =
    earliest !== undefined && app.energised_on === undefined
      ? addWorkingDays(earliest, policy.reservation_release_grace_working_days, calendar)
      : undefined;
  const should_release_reservation =
    liveOverdue && hasOverdue && release_after !== undefined && today > release_after;
  const should_alert_engineer = liveOverdue && hasOverdue && app.energised_on !== undefined;
  const term_end = supplyTermEnd(app, policy.temporary_supply_term_months);
  const should_expire = EXPIRABLE.includes(app.state) && today >= term_end;

  return {
    overdue_items,
    should_mark_overdue,
    should_release_reservation,
    should_alert_engineer,
    should_expire,
    term_end,
    ...(release_after !== undefined ? { release_after } : {}),
    ...(upcoming[0] !== undefined ? { next_due_date: upcoming[0] } : {}),
  };
}
