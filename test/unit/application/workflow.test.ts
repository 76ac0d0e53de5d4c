import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { WEEKEND_ONLY_CALENDAR } from '../../../src/domain/catalog/working-days.js';
import {
  APPLICATION_EVENTS,
  WORKFLOW,
  availableEvents,
  eventsFrom,
  transition,
} from '../../../src/domain/application/workflow.js';
import type {
  ActorRole,
  ApplicationEvent,
  EffectId,
  TransitionContext,
} from '../../../src/domain/application/workflow.js';
import { APPLICATION_STATES, TERMINAL_STATES } from '../../../src/domain/application/model.js';
import type {
  ApplicationSnapshot,
  ApplicationState,
  DeferredDocumentRecord,
} from '../../../src/domain/application/model.js';
import { addDays } from '../../../src/domain/profile/calendar.js';

const policy = { reservation_release_grace_working_days: 5, temporary_supply_term_months: 24 };
const BEFORE_DUE = '2026-01-15';
// outstanding document due Mon 2026-02-09; + 5 working days = Mon 2026-02-16 (hand-computed); released after it
const LATE = '2026-03-02';
const TERM_OVER = '2026-10-31'; // the window end (exclusive): supply term passed

const OUT: DeferredDocumentRecord[] = [{ type: 'site_right_proof', due_date: '2026-02-09' }];
const DONE: DeferredDocumentRecord[] = [
  { type: 'site_right_proof', due_date: '2026-02-09', supplied_on: '2026-02-01' },
];

function app(state: ApplicationState, over: Partial<ApplicationSnapshot> = {}): ApplicationSnapshot {
  return {
    state,
    return_stack: [],
    assigned_point_id: 'SP-01',
    deferred_documents: [],
    window_end: '2026-10-31',
    ...over,
  };
}
function ctx(role: ActorRole, today = BEFORE_DUE, over: Partial<TransitionContext> = {}): TransitionContext {
  return { actor: { role, is_applicant: true }, today, calendar: WEEKEND_ONLY_CALENDAR, policy, ...over };
}
const ENERGISED = { energised_on: '2025-12-01' };

interface Case {
  event: ApplicationEvent;
  app: ApplicationSnapshot;
  ctx: TransitionContext;
  to: ApplicationState;
  effects?: EffectId[];
  stack?: ApplicationState[];
}
const E = 'engineer';
const S = 'system';
const C = 'contractor';
const EXT = { extend_until: '2027-03-31' };

const CASES: Case[] = [
  {
    event: 'accept',
    app: app('submitted'),
    ctx: ctx(S),
    to: 'accepted',
    effects: ['reserve_capacity', 'notify_applicant'],
  },
  {
    event: 'accept_with_deferrals',
    app: app('submitted', { deferred_documents: OUT }),
    ctx: ctx(S),
    to: 'accepted_with_deferrals',
    effects: ['reserve_capacity', 'issue_deferral_notice', 'schedule_deadline_checks'],
  },
  { event: 'reject', app: app('submitted'), ctx: ctx(E), to: 'rejected', effects: ['notify_applicant'] },
  {
    event: 'approve',
    app: app('accepted'),
    ctx: ctx(E),
    to: 'approved',
    effects: ['confirm_reservation', 'notify_applicant'],
  },
  {
    event: 'approve',
    app: app('accepted_with_deferrals', { deferred_documents: OUT }),
    ctx: ctx(E),
    to: 'approved',
  },
  {
    event: 'energise',
    app: app('approved'),
    ctx: ctx(E),
    to: 'energised',
    effects: ['energise_supply', 'notify_applicant'],
  },
  {
    event: 'mark_overdue',
    app: app('accepted_with_deferrals', { deferred_documents: OUT }),
    ctx: ctx(S, LATE),
    to: 'overdue',
    effects: ['notify_applicant'],
    stack: ['accepted_with_deferrals'],
  },
  {
    event: 'mark_overdue',
    app: app('approved', { deferred_documents: OUT }),
    ctx: ctx(S, LATE),
    to: 'overdue',
    stack: ['approved'],
  },
  {
    event: 'mark_overdue',
    app: app('energised', { deferred_documents: OUT, ...ENERGISED }),
    ctx: ctx(S, LATE),
    to: 'overdue',
    effects: ['notify_applicant', 'alert_engineer'],
    stack: ['energised'],
  },
  {
    event: 'documents_completed',
    app: app('accepted_with_deferrals', { deferred_documents: DONE }),
    ctx: ctx(S),
    to: 'accepted',
  },
  {
    event: 'documents_completed',
    app: app('overdue', { deferred_documents: DONE, return_stack: ['accepted_with_deferrals'] }),
    ctx: ctx(E, LATE),
    to: 'accepted',
    stack: [],
  },
  {
    event: 'documents_completed',
    app: app('approved', { deferred_documents: DONE }),
    ctx: ctx(S),
    to: 'approved',
  },
  {
    event: 'documents_completed',
    app: app('energised', { deferred_documents: DONE, ...ENERGISED }),
    ctx: ctx(S),
    to: 'energised',
  },
  {
    event: 'suspend',
    app: app('accepted'),
    ctx: ctx(E),
    to: 'suspended',
    stack: ['accepted'],
    effects: ['notify_applicant'],
  },
  {
    event: 'suspend',
    app: app('accepted_with_deferrals', { deferred_documents: OUT }),
    ctx: ctx(E),
    to: 'suspended',
  },
  { event: 'suspend', app: app('approved'), ctx: ctx(E), to: 'suspended' },
  {
    event: 'suspend',
    app: app('energised', ENERGISED),
    ctx: ctx(E),
    to: 'suspended',
    effects: ['disconnect_supply', 'notify_applicant'],
  },
  {
    event: 'suspend',
    app: app('overdue', { deferred_documents: OUT, return_stack: ['approved'] }),
    ctx: ctx(E, LATE),
    to: 'suspended',
    stack: ['approved', 'overdue'],
  },
  {
    event: 'resume',
    app: app('suspended', { return_stack: ['energised'], ...ENERGISED }),
    ctx: ctx(E),
    to: 'energised',
    effects: ['reconnect_supply', 'notify_applicant'],
    stack: [],
  },
  { event: 'withdraw', app: app('submitted'), ctx: ctx(C), to: 'withdrawn' },
  {
    event: 'withdraw',
    app: app('accepted'),
    ctx: ctx(C),
    to: 'withdrawn',
    effects: ['release_capacity', 'cancel_deadline_checks'],
  },
  {
    event: 'withdraw',
    app: app('accepted_with_deferrals', { deferred_documents: OUT }),
    ctx: ctx(C),
    to: 'withdrawn',
  },
  { event: 'withdraw', app: app('approved'), ctx: ctx(C), to: 'withdrawn' },
  {
    event: 'withdraw',
    app: app('overdue', { deferred_documents: OUT, return_stack: ['accepted_with_deferrals'] }),
    ctx: ctx(C, LATE),
    to: 'withdrawn',
    stack: [],
  },
  { event: 'withdraw', app: app('suspended', { return_stack: ['approved'] }), ctx: ctx(C), to: 'withdrawn' },
  {
    event: 'expire',
    app: app('accepted'),
    ctx: ctx(S, TERM_OVER),
    to: 'expired',
    effects: ['release_capacity', 'notify_applicant'],
  },
  {
    event: 'expire',
    app: app('accepted_with_deferrals', { deferred_documents: OUT }),
    ctx: ctx(S, TERM_OVER),
    to: 'expired',
  },
  { event: 'expire', app: app('approved'), ctx: ctx(S, TERM_OVER), to: 'expired' },
  {
    event: 'expire',
    app: app('energised', ENERGISED),
    ctx: ctx(S, TERM_OVER),
    to: 'expired',
    effects: ['disconnect_supply', 'release_capacity', 'notify_applicant'],
    stack: ['energised'],
  },
  {
    event: 'expire',
    app: app('overdue', { deferred_documents: OUT, return_stack: ['approved'] }),
    ctx: ctx(S, TERM_OVER),
    to: 'expired',
    stack: ['approved', 'overdue'],
  },
  {
    event: 'expire',
    app: app('suspended', { return_stack: ['approved'] }),
    ctx: ctx(S, TERM_OVER),
    to: 'expired',
  },
  {
    event: 'extend',
    app: app('approved'),
    ctx: ctx(E, BEFORE_DUE, EXT),
    to: 'approved',
    effects: ['extend_reservation', 'notify_applicant'],
  },
  { event: 'extend', app: app('energised', ENERGISED), ctx: ctx(E, BEFORE_DUE, EXT), to: 'energised' },
  {
    event: 'extend',
    app: app('overdue', { deferred_documents: OUT, return_stack: ['approved'] }),
    ctx: ctx(E, LATE, EXT),
    to: 'overdue',
    stack: ['approved'],
  },
  {
    event: 'extend',
    app: app('suspended', { return_stack: ['approved'] }),
    ctx: ctx(E, BEFORE_DUE, EXT),
    to: 'suspended',
  },
  {
    event: 'extend',
    app: app('expired', { return_stack: ['energised'], ...ENERGISED }),
    ctx: ctx(E, TERM_OVER, EXT),
    to: 'energised',
    effects: ['reserve_capacity', 'notify_applicant', 'reconnect_supply'],
    stack: [],
  },
  {
    event: 'close',
    app: app('energised', ENERGISED),
    ctx: ctx(E),
    to: 'closed',
    effects: ['disconnect_supply', 'release_capacity', 'cancel_deadline_checks'],
  },
  {
    event: 'close',
    app: app('expired', { return_stack: ['approved'] }),
    ctx: ctx(S, TERM_OVER),
    to: 'closed',
    stack: [],
  },
  {
    event: 'release_reservation',
    app: app('overdue', { deferred_documents: OUT, return_stack: ['accepted_with_deferrals'] }),
    ctx: ctx(S, LATE),
    to: 'closed',
    effects: ['release_capacity', 'cancel_deadline_checks', 'notify_applicant'],
  },
];

describe('workflow table', () => {
  it('the cases below cover every (event, from) pair of the table exactly once', () => {
    const table = APPLICATION_EVENTS.flatMap((e) => WORKFLOW[e].from.map((f) => `${e}:${f}`)).sort();
    const covered = CASES.map((c) => `${c.event}:${c.app.state}`).sort();
    expect(covered).toEqual(table);
    expect(table).toHaveLength(39);
  });

  it('terminal states (rejected, withdrawn, closed) appear in no transition’s from', () => {
    for (const s of TERMINAL_STATES) expect(eventsFrom(s)).toEqual([]);
  });

  for (const c of CASES) {
    it(`when '${c.event}' is applied in '${c.app.state}' by ${c.ctx.actor.role}, then the application is '${c.to}'`, () => {
      const before = structuredClone(c.app);
      const r = transition(c.app, c.event, c.ctx);
      expect(c.app).toEqual(before); // pure: the input snapshot is untouched
      if (!r.ok) throw new Error(r.message);
      expect(r.from).toBe(c.app.state);
      expect(r.to).toBe(c.to);
      expect(r.application.state).toBe(c.to);
      if (c.effects) expect(r.effects).toEqual(c.effects);
      if (c.stack) expect(r.application.return_stack).toEqual(c.stack);
    });
  }

  it('when an application is energised, then its energisation date is recorded and starts the term', () => {
    const r = transition(app('approved'), 'energise', ctx(E, '2026-01-20'));
    expect(r.ok && r.application.energised_on).toBe('2026-01-20');
  });

  it('when the term is extended, then the new end is recorded', () => {
    const r = transition(app('energised', ENERGISED), 'extend', ctx(E, BEFORE_DUE, EXT));
    expect(r.ok && r.application.term_extended_until).toBe('2027-03-31');
  });
});

describe('workflow refusals', () => {
  it('when energise is asked of a submitted application, then it is illegal and the allowed events are listed', () => {
    const r = transition(app('submitted'), 'energise', ctx(E));
    expect(r).toMatchObject({
      ok: false,
      code: 'illegal_transition',
      allowed_events: ['accept', 'accept_with_deferrals', 'reject', 'withdraw'],
    });
  });

  it('when anything is asked of a rejected application, then it is illegal with no allowed events', () => {
    for (const e of APPLICATION_EVENTS) {
      expect(transition(app('rejected'), e, ctx(E))).toMatchObject({
        ok: false,
        code: 'illegal_transition',
        allowed_events: [],
      });
    }
  });

  it('when a contractor approves or an engineer withdraws, then it is forbidden', () => {
    expect(transition(app('accepted'), 'approve', ctx(C))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(transition(app('accepted'), 'withdraw', ctx(E))).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('when a contractor who is not the applicant withdraws, then it is forbidden', () => {
    const r = transition(app('accepted'), 'withdraw', {
      ...ctx(C),
      actor: { role: 'contractor', is_applicant: false },
    });
    expect(r).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('when approval has no assigned point, then the guard fails', () => {
    const r = transition(app('accepted', { assigned_point_id: null }), 'approve', ctx(E));
    expect(r).toMatchObject({ ok: false, code: 'guard_failed', failed_guards: ['point_assigned'] });
  });

  it('when the organisation design (gates energisation) is outstanding, then energise fails; once supplied it works', () => {
    const design: DeferredDocumentRecord = {
      type: 'organisation_design',
      due_date: '2026-02-09',
      gates: 'energisation',
    };
    const blocked = transition(app('approved', { deferred_documents: [design] }), 'energise', ctx(E));
    expect(blocked).toMatchObject({
      ok: false,
      code: 'guard_failed',
      failed_guards: ['no_outstanding_energisation_gate'],
    });
    const supplied = app('approved', { deferred_documents: [{ ...design, supplied_on: '2026-01-10' }] });
    expect(transition(supplied, 'energise', ctx(E)).ok).toBe(true);
    // a non-gating outstanding document does not block energisation
    expect(transition(app('approved', { deferred_documents: OUT }), 'energise', ctx(E)).ok).toBe(true);
  });

  it('when the application was energised, then withdrawal fails and the reservation is not released for overdue items', () => {
    expect(
      transition(app('suspended', { return_stack: ['energised'], ...ENERGISED }), 'withdraw', ctx(C)),
    ).toMatchObject({ ok: false, code: 'guard_failed', failed_guards: ['never_energised'] });
    const overdueEnergised = app('overdue', {
      deferred_documents: OUT,
      return_stack: ['energised'],
      ...ENERGISED,
    });
    expect(transition(overdueEnergised, 'release_reservation', ctx(S, LATE))).toMatchObject({
      ok: false,
      failed_guards: ['never_energised', 'release_grace_passed'],
    });
  });

  it('when the grace has not passed, then the reservation is kept (due 02-09, grace to 02-16, release from 02-17)', () => {
    const a = app('overdue', { deferred_documents: OUT, return_stack: ['approved'] });
    expect(transition(a, 'release_reservation', ctx(S, '2026-02-16')).ok).toBe(false);
    expect(transition(a, 'release_reservation', ctx(S, '2026-02-17')).ok).toBe(true);
  });

  it('when the due date has not passed, then mark_overdue fails; the day after it succeeds', () => {
    const a = app('approved', { deferred_documents: OUT });
    expect(transition(a, 'mark_overdue', ctx(S, '2026-02-09'))).toMatchObject({
      ok: false,
      code: 'guard_failed',
    });
    expect(transition(a, 'mark_overdue', ctx(S, '2026-02-10')).ok).toBe(true);
  });

  it('when documents are still outstanding, then documents_completed and accept fail', () => {
    expect(
      transition(
        app('overdue', { deferred_documents: OUT, return_stack: ['approved'] }),
        'documents_completed',
        ctx(S, LATE),
      ).ok,
    ).toBe(false);
    expect(transition(app('submitted', { deferred_documents: OUT }), 'accept', ctx(S)).ok).toBe(false);
    expect(transition(app('submitted'), 'accept_with_deferrals', ctx(S)).ok).toBe(false);
  });

  it('when energised for 6 of 6 term months, then it expires on the anniversary, not the day before', () => {
    // term from energisation: 2025-08-10 + 6 months = 2026-02-10 (exclusive end), before the window end
    const p6 = { ...policy, temporary_supply_term_months: 6 };
    const a = app('energised', { energised_on: '2025-08-10' });
    expect(transition(a, 'expire', ctx(S, '2026-02-09', { policy: p6 })).ok).toBe(false);
    expect(transition(a, 'expire', ctx(S, '2026-02-10', { policy: p6 })).ok).toBe(true);
  });

  it('when an extension date is not after the current term end, then extend fails', () => {
    const r = transition(
      app('energised', ENERGISED),
      'extend',
      ctx(E, BEFORE_DUE, { extend_until: '2026-10-31' }),
    );
    expect(r).toMatchObject({ ok: false, failed_guards: ['extension_date_valid'] });
    expect(transition(app('energised', ENERGISED), 'extend', ctx(E)).ok).toBe(false);
  });

  it('overdue → suspended → resume → documents completed returns to energised through the recorded states', () => {
    let a = app('energised', { deferred_documents: OUT, ...ENERGISED });
    const steps: [ApplicationEvent, TransitionContext, ApplicationState][] = [
      ['mark_overdue', ctx(S, LATE), 'overdue'],
      ['suspend', ctx(E, LATE), 'suspended'],
      ['resume', ctx(E, LATE), 'overdue'],
    ];
    for (const [e, c, to] of steps) {
      const r = transition(a, e, c);
      if (!r.ok) throw new Error(r.message);
      expect(r.to).toBe(to);
      a = r.application;
    }
    a = { ...a, deferred_documents: DONE };
    const r = transition(a, 'documents_completed', ctx(S, LATE));
    expect(r.ok && r.to).toBe('energised');
    expect(r.ok && r.application.return_stack).toEqual([]);
  });

  it('availableEvents lists what the actor may do now', () => {
    expect(availableEvents(app('submitted'), ctx(C))).toEqual(['withdraw']);
    expect(availableEvents(app('submitted'), ctx(S))).toEqual(['accept', 'reject']);
  });
});

describe('workflow properties (random event sequences)', () => {
  const PAUSE: readonly ApplicationState[] = ['overdue', 'suspended', 'expired'];
  type Step =
    | {
        kind: 'event';
        event: ApplicationEvent;
        role: ActorRole;
        is_applicant: boolean;
        pick_allowed: boolean;
        idx: number;
      }
    | { kind: 'supply' }
    | { kind: 'advance'; days: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('event' as const),
        event: fc.constantFrom(...APPLICATION_EVENTS),
        role: fc.constantFrom<ActorRole>('engineer', 'contractor', 'system'),
        is_applicant: fc.boolean(),
        pick_allowed: fc.boolean(),
        idx: fc.nat(),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'supply' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 120 }) }),
    },
  );
  const docsArb = fc.array(
    fc.record({
      type: fc.constantFrom('site_right_proof', 'organisation_design', 'billing_account'),
      due_date: fc.integer({ min: 0, max: 200 }).map((k) => addDays('2026-01-01', k)),
      gates: fc.constantFrom(undefined, 'energisation' as const),
    }),
    { maxLength: 3 },
  );

  function walks(params: fc.Parameters<[unknown, boolean, number, Step[]]>): Set<ApplicationState> {
    const reached = new Set<ApplicationState>();
    fc.assert(
      fc.property(
        docsArb,
        fc.boolean(),
        fc.integer({ min: 5, max: 400 }),
        fc.array(stepArb, { maxLength: 60 }),
        (docs, hasPoint, windowDays, steps) => {
          let a: ApplicationSnapshot = {
            state: 'submitted',
            return_stack: [],
            assigned_point_id: hasPoint ? 'SP-03' : null,
            deferred_documents: docs.map((d) =>
              d.gates
                ? { type: d.type, due_date: d.due_date, gates: d.gates }
                : { type: d.type, due_date: d.due_date },
            ),
            window_end: addDays('2026-01-01', windowDays),
          };
          let today = '2026-01-01';
          for (const s of steps) {
            if (s.kind === 'supply') {
              const i = a.deferred_documents.findIndex((d) => d.supplied_on === undefined);
              if (i >= 0) {
                a = {
                  ...a,
                  deferred_documents: a.deferred_documents.map((d, j) =>
                    j === i ? { ...d, supplied_on: today } : d,
                  ),
                };
              }
              continue;
            }
            if (s.kind === 'advance') {
              today = addDays(today, s.days);
              continue;
            }
            const allowed = eventsFrom(a.state);
            const contextFor = (role: ActorRole, is_applicant: boolean): TransitionContext => ({
              actor: { role, is_applicant },
              today,
              calendar: WEEKEND_ONLY_CALENDAR,
              policy,
              extend_until: addDays(today, 200),
            });
            const wellFormed = (e: ApplicationEvent): TransitionContext =>
              contextFor(WORKFLOW[e].roles[s.idx % WORKFLOW[e].roles.length]!, true);
            // well-formed steps pick, among the legal events, one whose guards hold now (to walk deep);
            // the others are arbitrary event / role / applicant combinations
            const candidates = allowed.filter((e) => transition(a, e, wellFormed(e)).ok);
            const pool = candidates.length > 0 ? candidates : allowed;
            const event = s.pick_allowed && pool.length > 0 ? pool[s.idx % pool.length]! : s.event;
            const c = s.pick_allowed ? wellFormed(event) : contextFor(s.role, s.is_applicant);
            const gateOutstanding = a.deferred_documents.some(
              (d) => d.supplied_on === undefined && d.gates === 'energisation',
            );
            const r = transition(a, event, c);
            if (TERMINAL_STATES.includes(a.state)) {
              expect(r).toMatchObject({ ok: false, code: 'illegal_transition', allowed_events: [] });
            }
            if (!r.ok) {
              expect(r.allowed_events).toEqual(allowed);
              continue;
            }
            if (event === 'energise') expect(gateOutstanding).toBe(false);
            expect(allowed).toContain(event);
            a = r.application;
            reached.add(a.state);
            expect(APPLICATION_STATES).toContain(a.state);
            expect(a.return_stack.length > 0).toBe(PAUSE.includes(a.state));
            if (a.state === 'energised') expect(a.energised_on).toBeDefined();
          }
        },
      ),
      params,
    );
    return reached;
  }

  it('the state is always a known state; pause states keep a return stack; terminal states accept nothing; energise never passes an outstanding gate', () => {
    walks({ numRuns: 1500 });
  });

  it('the random walks reach every state (fixed seed, so the invariants are not checked on too little)', () => {
    const reached = walks({ numRuns: 1500, seed: 20250627 });
    expect([...reached].sort()).toEqual(APPLICATION_STATES.filter((x) => x !== 'submitted').sort());
  });
});
