import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from '../../src/domain/profile/calendar.js';
import {
  groundBreaking,
  groundBreakingFor,
  shiftScenario,
  shiftScenarioTo,
  type DatedScenario,
} from '../../src/domain/scenario-shift.js';

const REFERENCE = JSON.parse(fs.readFileSync('examples/jinshan-ev-plant.json', 'utf8')) as DatedScenario;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every date string in a JSON value with its path, in document order. */
function datesOf(v: unknown, path = ''): [string, string][] {
  if (typeof v === 'string') return DATE.test(v) ? [[path, v]] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => datesOf(x, `${path}/${i}`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => datesOf(x, `${path}/${k}`));
  return [];
}

/** Everything but the dates, to check nothing else changes. */
function withoutDates(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && DATE.test(x) ? 'D' : x)));
}

const day = fc
  .integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2090, 0, 1) / 86_400_000 })
  .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
const span = fc
  .tuple(day, fc.integer({ min: 0, max: 900 }))
  .map(([a, n]) => ({ start: a, end: addDays(a, n) }));

const scenario: fc.Arbitrary<DatedScenario> = fc.record({
  site: fc.record({
    horizon: span,
    holidays: fc.option(fc.array(day, { maxLength: 5 }), { nil: undefined }),
    name: fc.string(),
  }),
  supply_points: fc.array(fc.record({ id: fc.string(), energised_from: day }), { maxLength: 5 }),
  requests: fc.array(fc.record({ id: fc.string(), window: span, equipment: fc.array(fc.nat()) }), {
    maxLength: 8,
  }),
  phases: fc.dictionary(
    fc.string({ minLength: 1 }),
    span.map((w) => [w.start, w.end] as const),
    { maxKeys: 4 },
  ),
});

describe('moving a scenario in time', () => {
  it('moves every date by the same number of days and changes nothing else (property)', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -20_000, max: 20_000 }), (s, days) => {
        const moved = shiftScenario(s, days);
        const before = datesOf(s);
        const after = datesOf(moved);
        expect(after.map(([p]) => p)).toEqual(before.map(([p]) => p));
        after.forEach(([, d], i) => expect(daysBetween(before[i]![1], d)).toBe(days));
        expect(withoutDates(moved)).toEqual(withoutDates(s));
        // Durations: every window and phase keeps its length; the input is not modified.
        moved.requests.forEach((r, i) =>
          expect(daysBetween(r.window.start, r.window.end)).toBe(
            daysBetween(s.requests[i]!.window.start, s.requests[i]!.window.end),
          ),
        );
        expect(datesOf(shiftScenario(moved, -days))).toEqual(before);
      }),
    );
  });

  it('puts ground-breaking on the given day (property)', () => {
    fc.assert(
      fc.property(scenario, day, (s, to) => {
        const { scenario: moved, days } = shiftScenarioTo(s, to);
        expect(groundBreaking(moved)).toBe(to);
        expect(days).toBe(daysBetween(groundBreaking(s), to));
      }),
    );
  });

  it('the reference file: every one of its dates moves, so ground-breaking 2025-06-27 → 2026-12-01 is +522 days', () => {
    // hand-computed: 2025-06-27 → 2026-06-27 is 365 days, → 2026-12-01 another 157 (3+31+31+30+31+30+1);
    // structure 2025-11-01 + 365 + 157 = 2027-04-07, 2026-09-30 + 365 + 157 = 2028-03-05 (2028 is a leap year)
    const { scenario: moved, days } = shiftScenarioTo(REFERENCE, '2026-12-01');
    expect(days).toBe(522);
    const before = datesOf(REFERENCE);
    expect(before.length).toBeGreaterThan(100); // horizon, 10 energisations, 43 windows, 5 phases
    datesOf(moved).forEach(([p, d], i) => expect(daysBetween(before[i]![1], d), p).toBe(522));
    expect(moved.phases.structure).toEqual(['2027-04-07', '2028-03-05']);
  });

  it('the live day: today lands two weeks into the structure phase', () => {
    // The reference structure phase starts 2025-11-01; two weeks in is 2025-11-15, 141 days after 2025-06-27.
    expect(groundBreakingFor(REFERENCE, '2025-11-15')).toBe('2025-06-27');
    const start = groundBreakingFor(REFERENCE, '2026-12-04');
    expect(daysBetween(start, '2026-12-04')).toBe(141);
    const moved = shiftScenarioTo(REFERENCE, start).scenario;
    expect(addDays(moved.phases.structure![0], 14)).toBe('2026-12-04');
    // No request window has ended by then (the earliest ends 2025-11-30, i.e. 15 days later).
    expect(moved.requests.every((r) => r.window.end > '2026-12-04')).toBe(true);
  });
});
