/**
 * Stage clocks: how long each application spent in each workflow state, in working days of the site calendar,
 * and per-site statistics (median, p90) for dashboards of time-to-connect per stage (DOMAIN.md "Product
 * decisions": stage time limits in working days; §5.3 State Grid limits; §5.5 B-READY "time to obtain an
 * electrical connection").
 *
 * A stage's length is the number of working days d with entered < d ≤ left, on local dates in the site's time
 * zone (a stage entered and left on the same day takes 0; Friday → Monday takes 1). Whole working days are how
 * utilities count stage limits (§5.3).
 */
import { workingDaysBetween } from '../catalog/working-days.js';
import type { WorkingDayCalendar } from '../catalog/working-days.js';
import { localDateOfInstant } from '../profile/calendar.js';
import { DomainError } from '../errors.js';
import type { FieldIssue } from '../errors.js';
import { APPLICATION_STATES, TERMINAL_STATES } from './model.js';
import type { ApplicationState } from './model.js';

/** One recorded transition; the first event of a history has `from: null` (creation in `submitted`). */
export interface StageEvent {
  from: ApplicationState | null;
  to: ApplicationState;
  /** ISO-8601 instant with offset or Z. */
  at: string;
}

export interface StageDuration {
  stage: ApplicationState;
  entered_at: string;
  /** Absent while the application is still in the stage and no `now` was given. */
  left_at?: string;
  working_days: number;
  elapsed_hours: number;
  /** The application is still in this stage (measured up to `now`). */
  open: boolean;
}

function parseInstant(at: string): number {
  return /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : Number.NaN;
}

/**
 * Time spent in each stage of one application's history.
 *
 * @param history transitions in time order (ISO instants); each `from` must equal the previous `to`
 * @param timezone the site's IANA time zone (local dates for working-day counts)
 * @param calendar the site's working-day calendar
 * @param now optional ISO instant: measure the current (last) stage up to it (reported `open`); without it the
 *   last stage is omitted. A terminal last state (rejected, withdrawn, closed) is never measured.
 * @throws DomainError `validation_failed` for unparseable instants, out-of-order or inconsistent events
 */
export function stageDurations(
  history: readonly StageEvent[],
  timezone: string,
  calendar: WorkingDayCalendar,
  now?: string,
): StageDuration[] {
  const issues: FieldIssue[] = [];
  const times = history.map((e) => parseInstant(e.at));
  history.forEach((e, i) => {
    if (!APPLICATION_STATES.includes(e.to))
      issues.push({ path: ['history', i, 'to'], message: `unknown state ${e.to}` });
    const t = times[i] ?? Number.NaN;
    if (Number.isNaN(t)) issues.push({ path: ['history', i, 'at'], message: 'not an ISO instant' });
    if (i > 0) {
      const prev = history[i - 1];
      if (prev && e.from !== prev.to) {
        issues.push({ path: ['history', i, 'from'], message: `expected ${prev.to}, got ${String(e.from)}` });
      }
      if (t < (times[i - 1] ?? Number.NaN))
        issues.push({ path: ['history', i, 'at'], message: 'events out of order' });
    }
  });
  const nowMs = now === undefined ? undefined : parseInstant(now);
  if (nowMs !== undefined && Number.isNaN(nowMs))
    issues.push({ path: ['now'], message: 'not an ISO instant' });
  if (issues.length > 0)
    throw new DomainError('validation_failed', 'The stage history is invalid', { issues });

  const out: StageDuration[] = [];
  for (let i = 0; i < history.length; i++) {
    const e = history[i];
    const t0 = times[i];
    if (!e || t0 === undefined) continue;
    const next = history[i + 1];
    if (!next && TERMINAL_STATES.includes(e.to)) continue;
    const t1 = next ? times[i + 1] : nowMs;
    if (t1 === undefined) continue;
    out.push({
      stage: e.to,
      entered_at: e.at,
      ...(next ? { left_at: next.at } : {}),
      working_days: workingDaysBetween(
        localDateOfInstant(t0, timezone),
        localDateOfInstant(t1, timezone),
        calendar,
      ),
      elapsed_hours: (t1 - t0) / 3_600_000,
      open: next === undefined,
    });
  }
  return out;
}

/**
 * Working days from the first `submitted` to the first `energised` (time to connect), or undefined when the
 * application was never energised.
 *
 * @param history transitions in time order (ISO instants)
 * @param timezone the site's IANA time zone
 * @param calendar the site's working-day calendar
 */
export function timeToEnergiseWorkingDays(
  history: readonly StageEvent[],
  timezone: string,
  calendar: WorkingDayCalendar,
): number | undefined {
  const start = history.find((e) => e.to === 'submitted');
  const end = history.find((e) => e.to === 'energised');
  if (!start || !end) return undefined;
  return workingDaysBetween(
    localDateOfInstant(parseInstant(start.at), timezone),
    localDateOfInstant(parseInstant(end.at), timezone),
    calendar,
  );
}

export interface StageStatistics {
  stage: ApplicationState;
  /** Number of completed stays (open stays are excluded unless `include_open`). */
  count: number;
  median_working_days: number;
  /** Nearest-rank 90th percentile (a value that occurred). */
  p90_working_days: number;
  max_working_days: number;
}

/**
 * Median of sorted values (mean of the two middle values for an even count).
 *
 * @param sorted ascending numbers, non-empty
 */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least p·n values ≤ it.
 *
 * @param sorted ascending numbers, non-empty
 * @param p fraction in (0, 1]
 */
export function nearestRankPercentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

/**
 * Per-stage statistics over a site's applications, in working days.
 *
 * @param histories one history per application (ISO instants)
 * @param timezone the site's IANA time zone
 * @param calendar the site's working-day calendar
 * @param options `now` (ISO instant) and `include_open` to count stays still in progress up to `now`
 */
export function stageStatistics(
  histories: readonly (readonly StageEvent[])[],
  timezone: string,
  calendar: WorkingDayCalendar,
  options: { now?: string; include_open?: boolean } = {},
): StageStatistics[] {
  const byStage = new Map<ApplicationState, number[]>();
  for (const h of histories) {
    const durations = stageDurations(
      h,
      timezone,
      calendar,
      options.include_open === true ? options.now : undefined,
    );
    for (const d of durations) {
      if (d.open && options.include_open !== true) continue;
      const list = byStage.get(d.stage) ?? [];
      list.push(d.working_days);
      byStage.set(d.stage, list);
    }
  }
  const out: StageStatistics[] = [];
  for (const stage of APPLICATION_STATES) {
    const values = byStage.get(stage);
    if (!values || values.length === 0) continue;
    const sorted = [...values].sort((a, b) => a - b);
    out.push({
      stage,
      count: sorted.length,
      median_working_days: median(sorted),
      p90_working_days: nearestRankPercentile(sorted, 0.9),
      max_working_days: sorted[sorted.length - 1] ?? 0,
    });
  }
  return out;
}
