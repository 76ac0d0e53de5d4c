/**
 * The connection-application workflow as a table: per event, the states it leaves, the state it enters, the
 * actor roles allowed, the guards and the effects the app layer executes (capacity, supply, notices). One pure
 * `transition()` applies it and returns a new snapshot.
 *
 * Sources: DOMAIN.md "Product decisions" (容缺受理 with commitment letter; missed deadline → overdue; release
 * after a grace period before energisation, engineer alert after; temporary-supply term with extension by an
 * engineer) and §5.1 (1996 rules art. 12: supply terminated on expiry without extension), §5.4 (block
 * energising while a gating deferred document is outstanding). Deferral rights of an organisation are derived
 * on read (it has an application in `overdue`), so no effect stores them.
 */
import type { WorkingDayCalendar } from '../catalog/working-days.js';
import { DomainError } from '../errors.js';
import { isIsoDate } from '../profile/calendar.js';
import { evaluateDeadlines } from './deadlines.js';
import type { DeadlinePolicy } from './deadlines.js';
import { outstandingDocuments, TERMINAL_STATES } from './model.js';
import type { ApplicationSnapshot, ApplicationState } from './model.js';

export const APPLICATION_EVENTS = [
  'accept',
  'accept_with_deferrals',
  'reject',
  'approve',
  'energise',
  'mark_overdue',
  'documents_completed',
  'suspend',
  'resume',
  'withdraw',
  'expire',
  'extend',
  'close',
  'release_reservation',
] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

export type ActorRole = 'engineer' | 'contractor' | 'system';

export type GuardId =
  | 'no_outstanding_documents'
  | 'has_outstanding_documents'
  | 'point_assigned'
  | 'no_outstanding_approval_gate'
  | 'no_outstanding_energisation_gate'
  | 'deadline_passed'
  | 'never_energised'
  | 'release_grace_passed'
  | 'term_passed'
  | 'extension_date_valid';

export type EffectId =
  | 'reserve_capacity'
  | 'confirm_reservation'
  | 'release_capacity'
  | 'extend_reservation'
  | 'energise_supply'
  | 'disconnect_supply'
  | 'reconnect_supply'
  | 'issue_deferral_notice'
  | 'schedule_deadline_checks'
  | 'cancel_deadline_checks'
  | 'notify_applicant'
  | 'alert_engineer';

/** An effect, optionally only when the application has (or has not) been energised. */
export interface EffectSpec {
  effect: EffectId;
  when?: 'energised' | 'not_energised';
}

/** Target of a transition: a state, or `return` to the state saved when the application left it. */
export type TransitionTarget = ApplicationState | 'return';

export interface TransitionRule {
  event: ApplicationEvent;
  from: readonly ApplicationState[];
  to: TransitionTarget;
  roles: readonly ActorRole[];
  /** Only the applicant (a contractor acting for the applicant's organisation) may fire it. */
  applicant_only?: boolean;
  guards: readonly GuardId[];
  effects: readonly EffectSpec[];
  description: string;
}

const LIVE: readonly ApplicationState[] = ['accepted', 'accepted_with_deferrals', 'approved', 'energised'];

/** The workflow table. Terminal states (rejected, withdrawn, closed) appear in no `from`. */
export const WORKFLOW: Readonly<Record<ApplicationEvent, TransitionRule>> = {
  accept: {
    event: 'accept',
    from: ['submitted'],
    to: 'accepted',
    roles: ['engineer', 'system'],
    guards: ['no_outstanding_documents'],
    effects: [{ effect: 'reserve_capacity' }, { effect: 'notify_applicant' }],
    description: 'all required documents provided',
  },
  accept_with_deferrals: {
    event: 'accept_with_deferrals',
    from: ['submitted'],
    to: 'accepted_with_deferrals',
    roles: ['engineer', 'system'],
    guards: ['has_outstanding_documents'],
    effects: [
      { effect: 'reserve_capacity' },
      { effect: 'issue_deferral_notice' },
      { effect: 'schedule_deadline_checks' },
    ],
    description: '容缺受理: deferrable documents deferred under a signed commitment letter',
  },
  reject: {
    event: 'reject',
    from: ['submitted'],
    to: 'rejected',
    roles: ['engineer', 'system'],
    guards: [],
    effects: [{ effect: 'notify_applicant' }],
    description: 'a core document is missing, or the engineer refuses the application',
  },
  approve: {
    event: 'approve',
    from: ['accepted', 'accepted_with_deferrals'],
    to: 'approved',
    roles: ['engineer'],
    guards: ['point_assigned', 'no_outstanding_approval_gate'],
    effects: [{ effect: 'confirm_reservation' }, { effect: 'notify_applicant' }],
    description: 'supply scheme approved on an assigned supply point',
  },
  energise: {
    event: 'energise',
    from: ['approved'],
    to: 'energised',
    roles: ['engineer'],
    guards: ['no_outstanding_energisation_gate'],
    effects: [{ effect: 'energise_supply' }, { effect: 'notify_applicant' }],
    description: 'supply connected; the temporary-supply term starts',
  },
  mark_overdue: {
    event: 'mark_overdue',
    from: ['accepted_with_deferrals', 'approved', 'energised'],
    to: 'overdue',
    roles: ['system', 'engineer'],
    guards: ['deadline_passed'],
    effects: [{ effect: 'notify_applicant' }, { effect: 'alert_engineer', when: 'energised' }],
    description: 'a deferred document is past its due date',
  },
  documents_completed: {
    event: 'documents_completed',
    from: ['accepted_with_deferrals', 'overdue', 'approved', 'energised'],
    to: 'return',
    roles: ['engineer', 'system'],
    guards: ['no_outstanding_documents'],
    effects: [{ effect: 'cancel_deadline_checks' }, { effect: 'notify_applicant' }],
    description:
      'every deferred document supplied: accepted_with_deferrals → accepted; overdue → the state it left ' +
      '(accepted if that was accepted_with_deferrals); approved / energised stay',
  },
  suspend: {
    event: 'suspend',
    from: ['accepted', 'accepted_with_deferrals', 'approved', 'energised', 'overdue'],
    to: 'suspended',
    roles: ['engineer'],
    guards: [],
    effects: [{ effect: 'disconnect_supply', when: 'energised' }, { effect: 'notify_applicant' }],
    description: 'held by the engineer (e.g. a safety defect); the reservation is kept',
  },
  resume: {
    event: 'resume',
    from: ['suspended'],
    to: 'return',
    roles: ['engineer'],
    guards: [],
    effects: [{ effect: 'reconnect_supply', when: 'energised' }, { effect: 'notify_applicant' }],
    description: 'back to the state it was suspended from',
  },
  withdraw: {
    event: 'withdraw',
    from: ['submitted', 'accepted', 'accepted_with_deferrals', 'approved', 'overdue', 'suspended'],
    to: 'withdrawn',
    roles: ['contractor'],
    applicant_only: true,
    guards: ['never_energised'],
    effects: [{ effect: 'release_capacity' }, { effect: 'cancel_deadline_checks' }],
    description: 'the applicant withdraws before energisation',
  },
  expire: {
    event: 'expire',
    from: [...LIVE, 'overdue', 'suspended'],
    to: 'expired',
    roles: ['system', 'engineer'],
    guards: ['term_passed'],
    effects: [
      { effect: 'disconnect_supply', when: 'energised' },
      { effect: 'release_capacity' },
      { effect: 'notify_applicant' },
    ],
    description: 'temporary-supply term passed without extension (1996 rules art. 12)',
  },
  extend: {
    event: 'extend',
    from: ['approved', 'energised', 'overdue', 'suspended', 'expired'],
    to: 'return',
    roles: ['engineer'],
    guards: ['extension_date_valid'],
    effects: [{ effect: 'extend_reservation' }, { effect: 'notify_applicant' }],
    description:
      'term extended by the engineer; from expired the application returns to the state it expired from ' +
      '(capacity reserved again, supply reconnected if it had been energised); elsewhere the state is kept',
  },
  close: {
    event: 'close',
    from: ['energised', 'expired'],
    to: 'closed',
    roles: ['engineer', 'system'],
    guards: [],
    effects: [
      { effect: 'disconnect_supply', when: 'energised' },
      { effect: 'release_capacity' },
      { effect: 'cancel_deadline_checks' },
    ],
    description: 'supply ended and the case archived',
  },
  release_reservation: {
    event: 'release_reservation',
    from: ['overdue'],
    to: 'closed',
    roles: ['system', 'engineer'],
    guards: ['never_energised', 'release_grace_passed'],
    effects: [
      { effect: 'release_capacity' },
      { effect: 'cancel_deadline_checks' },
      { effect: 'notify_applicant' },
    ],
    description:
      'deferred documents still missing after the grace period: the case ends and the capacity is freed',
  },
};

export interface TransitionContext {
  actor: { role: ActorRole; /** The actor acts for the applicant's organisation. */ is_applicant?: boolean };
  /** Local date `YYYY-MM-DD` in the site's time zone (the caller's clock). */
  today: string;
  calendar: WorkingDayCalendar;
  policy: DeadlinePolicy;
  /** For `extend`: the new exclusive end of the term. */
  extend_until?: string;
}

export type TransitionFailureCode = 'illegal_transition' | 'guard_failed' | 'forbidden';

export type TransitionResult =
  | {
      ok: true;
      event: ApplicationEvent;
      from: ApplicationState;
      to: ApplicationState;
      effects: EffectId[];
      application: ApplicationSnapshot;
    }
  | {
      ok: false;
      code: TransitionFailureCode;
      event: ApplicationEvent;
      from: ApplicationState;
      /** Events the table allows from the current state (whatever the actor and guards). */
      allowed_events: ApplicationEvent[];
      failed_guards: GuardId[];
      message: string;
    };

/** Events the table allows from `state`, ignoring actor and guards. */
export function eventsFrom(state: ApplicationState): ApplicationEvent[] {
  return APPLICATION_EVENTS.filter((e) => WORKFLOW[e].from.includes(state));
}

function guardHolds(guard: GuardId, app: ApplicationSnapshot, ctx: TransitionContext): boolean {
  const outstanding = outstandingDocuments(app);
  switch (guard) {
    case 'no_outstanding_documents':
      return outstanding.length === 0;
    case 'has_outstanding_documents':
      return outstanding.length > 0;
    case 'point_assigned':
      return typeof app.assigned_point_id === 'string' && app.assigned_point_id.length > 0;
    case 'no_outstanding_approval_gate':
      return !outstanding.some((d) => d.gates === 'approval');
    case 'no_outstanding_energisation_gate':
      return !outstanding.some((d) => d.gates === 'energisation' || d.gates === 'approval');
    case 'deadline_passed':
      return evaluateDeadlines(app, ctx.today, ctx.policy, ctx.calendar).overdue_items.length > 0;
    case 'never_energised':
      return app.energised_on === undefined;
    case 'release_grace_passed':
      return evaluateDeadlines(app, ctx.today, ctx.policy, ctx.calendar).should_release_reservation;
    case 'term_passed':
      return evaluateDeadlines(app, ctx.today, ctx.policy, ctx.calendar).should_expire;
    case 'extension_date_valid': {
      const until = ctx.extend_until;
      if (until === undefined || !isIsoDate(until)) return false;
      const currentEnd = evaluateDeadlines(app, ctx.today, ctx.policy, ctx.calendar).term_end;
      return until > ctx.today && until > currentEnd;
    }
  }
}

function resolveTarget(
  rule: TransitionRule,
  app: ApplicationSnapshot,
): { to: ApplicationState; stack: ApplicationState[] } {
  const stack = [...app.return_stack];
  if (rule.to !== 'return') {
    if (TERMINAL_STATES.includes(rule.to)) return { to: rule.to, stack: [] };
    if (rule.to === 'overdue' || rule.to === 'suspended' || rule.to === 'expired') {
      stack.push(app.state);
    }
    return { to: rule.to, stack };
  }
  // 'return' events leave their own pause state by popping; elsewhere they keep the state.
  const pause: ApplicationState =
    rule.event === 'documents_completed' ? 'overdue' : rule.event === 'resume' ? 'suspended' : 'expired';
  if (app.state !== pause) {
    const to =
      rule.event === 'documents_completed' && app.state === 'accepted_with_deferrals'
        ? 'accepted'
        : app.state;
    return { to, stack };
  }
  const popped = stack.pop();
  if (popped === undefined) {
    throw new DomainError('illegal_transition', `application in ${app.state} has no state to return to`, {
      details: { state: app.state, event: rule.event },
    });
  }
  const to =
    rule.event === 'documents_completed' && popped === 'accepted_with_deferrals' ? 'accepted' : popped;
  return { to, stack };
}

function effectsOf(rule: TransitionRule, app: ApplicationSnapshot, to: ApplicationState): EffectId[] {
  const energised = app.energised_on !== undefined;
  const out: EffectId[] = [];
  for (const spec of rule.effects) {
    if (spec.when === 'energised' && !energised) continue;
    if (spec.when === 'not_energised' && energised) continue;
    out.push(spec.effect);
  }
  // Leaving `expired` by extension: the expiry released the capacity and disconnected the supply.
  if (rule.event === 'extend' && app.state === 'expired') {
    out.splice(out.indexOf('extend_reservation'), 1, 'reserve_capacity');
    if (energised && to === 'energised') out.push('reconnect_supply');
  }
  return out;
}

/**
 * Applies `event` to `app` under the workflow table: checks that the event is legal from the current state,
 * that the actor may fire it, then its guards; returns the new snapshot and the effects to execute, or why
 * not (with the events legal from the current state).
 *
 * @param app the application snapshot (local dates)
 * @param event the event to apply
 * @param ctx the actor, today's local date, the site calendar, the deadline policy, and for `extend` the new
 *   exclusive term end
 */
export function transition(
  app: ApplicationSnapshot,
  event: ApplicationEvent,
  ctx: TransitionContext,
): TransitionResult {
  const rule = WORKFLOW[event];
  const allowed_events = eventsFrom(app.state);
  const fail = (
    code: TransitionFailureCode,
    message: string,
    failed_guards: GuardId[] = [],
  ): TransitionResult => ({
    ok: false,
    code,
    event,
    from: app.state,
    allowed_events,
    failed_guards,
    message,
  });
  if (!rule.from.includes(app.state)) {
    return fail(
      'illegal_transition',
      `'${event}' is not allowed from '${app.state}'; allowed: ${allowed_events.join(', ') || 'none'}`,
    );
  }
  if (!rule.roles.includes(ctx.actor.role)) {
    return fail('forbidden', `'${event}' may be done by ${rule.roles.join(' or ')}, not ${ctx.actor.role}`);
  }
  if (rule.applicant_only === true && ctx.actor.is_applicant !== true) {
    return fail('forbidden', `only the applicant may ${event}`);
  }
  const failed = rule.guards.filter((g) => !guardHolds(g, app, ctx));
  if (failed.length > 0) return fail('guard_failed', `'${event}' blocked: ${failed.join(', ')}`, failed);

  const { to, stack } = resolveTarget(rule, app);
  const application: ApplicationSnapshot = {
    ...app,
    state: to,
    return_stack: stack,
    deferred_documents: app.deferred_documents.map((d) => ({ ...d })),
    ...(event === 'energise' ? { energised_on: ctx.today } : {}),
    ...(event === 'extend' && ctx.extend_until !== undefined
      ? { term_extended_until: ctx.extend_until }
      : {}),
  };
  return { ok: true, event, from: app.state, to, effects: effectsOf(rule, app, to), application };
}

/**
 * Events the actor could fire now (legal from the state, role allowed, guards holding): what a UI offers.
 *
 * @param app the application snapshot
 * @param ctx as for {@link transition}
 */
export function availableEvents(app: ApplicationSnapshot, ctx: TransitionContext): ApplicationEvent[] {
  return eventsFrom(app.state).filter((e) => transition(app, e, ctx).ok);
}
