/**
 * Moving a scenario in time as a whole: every calendar date (the horizon, holidays, supply points'
 * energisation, request windows, phases) shifted by the same number of days, so every duration and every
 * interval between two dates is kept. The reference case lies in 2025–2027; a demonstration on another date
 * moves it rather than refusing windows that have ended (shared scenarios README).
 *
 * Ground-breaking is the horizon start: the earliest date of a scenario (the horizon holds every window and
 * phase). `shiftTo` moves it to a given day.
 */
import { addDays, daysBetween } from './profile/calendar.js';

/** The dated parts of a scenario; every other field is carried unchanged. */
export interface DatedScenario {
  site: { horizon: { start: string; end: string }; holidays?: string[] | undefined };
  supply_points: readonly { energised_from: string }[];
  requests: readonly { window: { start: string; end: string } }[];
  phases: Readonly<Record<string, readonly [string, string]>>;
}

/** The day construction starts: the horizon start. */
export function groundBreaking(s: DatedScenario): string {
  return s.site.horizon.start;
}

/** A copy of the scenario with every date `days` later (earlier when negative). */
export function shiftScenario<T extends DatedScenario>(s: T, days: number): T {
  if (!Number.isInteger(days)) throw new RangeError(`a shift is a whole number of days, got ${days}`);
  const d = (date: string) => addDays(date, days);
  const window = <W extends { start: string; end: string }>(w: W): W => ({
    ...w,
    start: d(w.start),
    end: d(w.end),
  });
  return {
    ...s,
    site: {
      ...s.site,
      horizon: window(s.site.horizon),
      ...(s.site.holidays ? { holidays: s.site.holidays.map(d) } : {}),
    },
    supply_points: s.supply_points.map((p) => ({ ...p, energised_from: d(p.energised_from) })),
    requests: s.requests.map((r) => ({ ...r, window: window(r.window) })),
    phases: Object.fromEntries(Object.entries(s.phases).map(([k, [a, b]]) => [k, [d(a), d(b)]])),
  };
}

/** The scenario moved so that ground-breaking falls on `date`, and the number of days it moved. */
export function shiftScenarioTo<T extends DatedScenario>(s: T, date: string): { scenario: T; days: number } {
  const days = daysBetween(groundBreaking(s), date);
  return { scenario: shiftScenario(s, days), days };
}

/** How far into the phase "today" lands: two weeks (or the middle of a shorter phase). */
export const LIVE_DAYS_INTO_PHASE = 14;

/**
 * The ground-breaking date that puts `today` two weeks into a phase (the reference site's `structure`
 * phase), or into the horizon when the scenario has no such phase. On the reference site that day has
 * requests running, requests still to come, and no request window ended yet.
 */
export function groundBreakingFor(s: DatedScenario, today: string, phase = 'structure'): string {
  const [from, to] = s.phases[phase] ?? [s.site.horizon.start, s.site.horizon.end];
  const into = Math.min(LIVE_DAYS_INTO_PHASE, Math.floor(daysBetween(from, to) / 2));
  return addDays(groundBreaking(s), daysBetween(addDays(from, into), today));
}
