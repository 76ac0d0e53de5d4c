/**
 * The live reference site of a first start: the scenario moved in time so that today falls in the middle of
 * its structure phase, planned and the plan applied (point ratings within the cap), every request submitted
 * as a connection application (acceptance outcomes as the document check decides them), and the
 * applications that have started and have every document in approved (their capacity reserved). The
 * applications still waiting — accepted with deferred documents, or not started yet — hold pending capacity.
 * So the dashboard, the utilisation and the applications list show a working site at once, with reserved and
 * pending load on today's date.
 */
import { DomainError } from '../domain/errors.js';
import { localDateOfInstant } from '../domain/profile/calendar.js';
import { groundBreakingFor } from '../domain/scenario-shift.js';
import type { EquipmentItemInput } from '../domain/load/index.js';
import type { DocumentStatus } from '../domain/application/documents.js';
import { importScenario, type RequestValidator, type ScenarioInput } from './import.js';
import { submitApplication, transitionApplication, type AcceptanceOutcome } from './applications.js';
import { applyPlan, PlanService } from './plans.js';
import type { Deps, Principal } from './ports.js';
import type { TimelineService } from './timelines.js';
import type { PlanResult } from '../domain/plan/index.js';
import type { SiteView } from './sites.js';

/** The actor of the seeding steps in the event log. */
export const SEED_PRINCIPAL: Principal = { key_id: 'seed', role: 'engineer', organisation: null };

export interface LiveSeedResult {
  site: SiteView;
  /** The site's local date the scenario was moved to (today at start-up). */
  today: string;
  shifted_by_days: number;
  plan_id: string | null;
  applications: Partial<Record<AcceptanceOutcome, number>>;
  approved: number;
  /** Approvals refused (capacity, workflow): left pending; each with its reason. */
  not_approved: { reference: string; reason: string }[];
}

export async function seedLiveScenario(
  deps: Deps,
  timelines: TimelineService,
  scenario: ScenarioInput,
  validateRequest?: RequestValidator,
): Promise<LiveSeedResult> {
  const today = localDateOfInstant(Date.parse(deps.clock.now()), scenario.site.timezone);
  const imported = await importScenario(deps, scenario, validateRequest, {
    shiftTo: groundBreakingFor(scenario, today),
  });
  const siteId = imported.site.id;

  // Allocate every request within the utility's reference ratings (the fast heuristic: a start-up step).
  // The site's own 10/0.4 kV points serve its large loads: the public-LV threshold is overridden (DOMAIN.md).
  const stored = await deps.store.loadRequests.list(siteId);
  const planner = new PlanService(deps, undefined, 10);
  const plan = await planner.create(siteId, {
    method: 'heuristic',
    mip_rel_gap: 0.005,
    keep_ratings: true,
    lv_overrides: stored.map((r) => r.id),
  });
  await planner.idle();
  const done = await deps.store.plans.get(siteId, plan.id);
  const assignments = new Map<string, string>();
  /** Requests the planner could serve only from a later start (their point is energised after it). */
  const laterStart = new Map<string, { point_id: string; start_date: string }>();
  if (done?.status === 'done' && done.result) {
    await applyPlan(deps, siteId, plan.id);
    const result = done.result as unknown as PlanResult;
    for (const a of result.assignments) assignments.set(a.load_id, a.point_id);
    for (const u of result.unserved)
      if (u.alternative.kind === 'later_start' && u.alternative.point_id && u.alternative.start_date)
        laterStart.set(u.load_id, { point_id: u.alternative.point_id, start_date: u.alternative.start_date });
  }

  // Every request becomes an application at its planned point; its pending capacity replaces the plan's.
  // A request the planner could serve only later takes its advice: it starts when its point is energised.
  const outcomes: LiveSeedResult['applications'] = {};
  const started: { id: string; reference: string; outcome: AcceptanceOutcome }[] = [];
  for (const r of stored) {
    const later = laterStart.get(r.id);
    const point = later?.point_id ?? assignments.get(r.id);
    const window = later ? { ...r.window, start: later.start_date } : r.window;
    const { body } = await submitApplication(deps, timelines, siteId, SEED_PRINCIPAL, {
      reference: r.id,
      organisation: r.organisation,
      zone: r.zone,
      position_m: r.position_m,
      window,
      profile: r.profile,
      equipment: r.equipment as unknown as EquipmentItemInput[],
      ...(point ? { requested_point_id: point } : {}),
      ...(r.distribution ? { distribution: r.distribution } : {}),
      ...(r.documents ? { documents: r.documents as Record<string, DocumentStatus> } : {}),
      ...(later
        ? { note: `starts ${later.start_date}, when ${later.point_id} is energised (planner's advice)` }
        : r.note
          ? { note: r.note }
          : {}),
    });
    const outcome = body.assessment.outcome;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (window.start <= today) started.push({ id: body.application.id, reference: r.id, outcome });
  }
  await deps.store.transaction(async (tx) => {
    for (const p of await tx.reservations.releaseAllOfKind(siteId, 'plan', deps.clock.now()))
      await tx.points.bumpVersion(siteId, p);
  });

  // The engineer has approved what has started with every document in; the rest waits (pending).
  let approved = 0;
  const notApproved: LiveSeedResult['not_approved'] = [];
  for (const a of started.filter((x) => x.outcome === 'accepted')) {
    try {
      await transitionApplication(
        deps,
        siteId,
        a.id,
        SEED_PRINCIPAL,
        { event: 'approve', lv_override: true, reason: 'reference site: started with every document in' },
        timelines,
      );
      approved++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notApproved.push({ reference: a.reference, reason: `${e.code}: ${e.message}` });
    }
  }
  return {
    site: imported.site,
    today,
    shifted_by_days: imported.shifted_by_days,
    plan_id: done?.status === 'done' ? plan.id : null,
    applications: outcomes,
    approved,
    not_approved: notApproved,
  };
}
