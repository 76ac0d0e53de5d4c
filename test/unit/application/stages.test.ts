import { describe, it, expect } from 'vitest';
import { WEEKEND_ONLY_CALENDAR } from '../../../src/domain/catalog/working-days.js';
import { localDateOfInstant } from '../../../src/domain/profile/calendar.js';
import {
  median,
  nearestRankPercentile,
  stageDurations,
  stageStatistics,
  timeToEnergiseWorkingDays,
} from '../../../src/domain/application/stages.js';
import type { StageEvent } from '../../../src/domain/application/stages.js';

const TZ = 'Asia/Shanghai';
const cal = WEEKEND_ONLY_CALENDAR;

// Fri 27 Jun 2025 09:00 local → accepted Mon 30 Jun 00:30 local (still Sunday in UTC) → approved Fri 4 Jul
// → energised Mon 7 Jul 09:00 local
const HISTORY: StageEvent[] = [
  { from: null, to: 'submitted', at: '2025-06-27T09:00:00+08:00' },
  { from: 'submitted', to: 'accepted', at: '2025-06-29T16:30:00Z' },
  { from: 'accepted', to: 'approved', at: '2025-07-04T16:00:00+08:00' },
  { from: 'approved', to: 'energised', at: '2025-07-07T01:00:00Z' },
];

describe('stage clocks', () => {
  it('measures each stage in working days between local dates of the site time zone', () => {
    // hand-computed: submitted Fri 27 → Mon 30 Jun local: 1 WD (it would be 0 on UTC dates: Fri → Sun);
    // accepted Mon 30 Jun → Fri 4 Jul: 4 WD; approved Fri 4 → Mon 7 Jul: 1 WD
    expect(localDateOfInstant(Date.parse('2025-06-29T16:30:00Z'), TZ)).toBe('2025-06-30');
    const d = stageDurations(HISTORY, TZ, cal);
    expect(d.map((x) => [x.stage, x.working_days])).toEqual([
      ['submitted', 1],
      ['accepted', 4],
      ['approved', 1],
    ]);
    // hand-computed: 27 Jun 01:00Z → 29 Jun 16:30Z = 63.5 h
    expect(d[0]?.elapsed_hours).toBeCloseTo(63.5, 9);
  });

  it('when now is given, then the current stage is measured and marked open', () => {
    const d = stageDurations(HISTORY, TZ, cal, '2025-07-11T10:00:00+08:00');
    expect(d.at(-1)).toMatchObject({ stage: 'energised', working_days: 4, open: true });
  });

  it('a terminal last state is never measured', () => {
    const h: StageEvent[] = [
      ...HISTORY.slice(0, 2),
      { from: 'accepted', to: 'withdrawn', at: '2025-07-01T10:00:00+08:00' },
    ];
    expect(stageDurations(h, TZ, cal, '2025-08-01T00:00:00Z').map((x) => x.stage)).toEqual([
      'submitted',
      'accepted',
    ]);
  });

  it('time to energise is counted from submission (hand-computed: Fri 27 Jun → Mon 7 Jul = 6 WD)', () => {
    expect(timeToEnergiseWorkingDays(HISTORY, TZ, cal)).toBe(6);
    expect(timeToEnergiseWorkingDays(HISTORY.slice(0, 3), TZ, cal)).toBeUndefined();
  });

  it('when the history is inconsistent or out of order, then it is invalid input', () => {
    expect(() =>
      stageDurations(
        [HISTORY[0]!, { from: 'approved', to: 'energised', at: '2025-06-26T00:00:00Z' }],
        TZ,
        cal,
      ),
    ).toThrow(/invalid/);
  });
});

describe('stage statistics', () => {
  it('median and nearest-rank p90 per stage over a site', () => {
    expect(median([1, 4, 10])).toBe(4);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    // nearest rank: ceil(0.9 × 3) = 3rd value; ceil(0.9 × 4) = 4th; ceil(0.9 × 20) = 18th
    expect(nearestRankPercentile([1, 4, 10], 0.9)).toBe(10);
    expect(nearestRankPercentile([1, 2, 3, 4], 0.9)).toBe(4);
    expect(
      nearestRankPercentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.9,
      ),
    ).toBe(18);

    // three applications accepted on Mon 30 Jun and approved 1, 4 and 10 working days later
    const approvedAt = [
      '2025-07-01T10:00:00+08:00',
      '2025-07-04T10:00:00+08:00',
      '2025-07-14T10:00:00+08:00',
    ];
    const histories = approvedAt.map((at): StageEvent[] => [
      { from: null, to: 'submitted', at: '2025-06-27T09:00:00+08:00' },
      { from: 'submitted', to: 'accepted', at: '2025-06-30T09:00:00+08:00' },
      { from: 'accepted', to: 'approved', at },
    ]);
    const stats = stageStatistics(histories, TZ, cal);
    expect(stats).toEqual([
      { stage: 'submitted', count: 3, median_working_days: 1, p90_working_days: 1, max_working_days: 1 },
      { stage: 'accepted', count: 3, median_working_days: 4, p90_working_days: 10, max_working_days: 10 },
    ]);
    // with open stays counted up to now (Fri 18 Jul), the approved stage appears: 13, 10 and 4 WD (hand-computed)
    const open = stageStatistics(histories, TZ, cal, {
      now: '2025-07-18T12:00:00+08:00',
      include_open: true,
    });
    expect(open.find((s) => s.stage === 'approved')).toEqual({
      stage: 'approved',
      count: 3,
      median_working_days: 10,
      p90_working_days: 13,
      max_working_days: 13,
    });
  });
});
