/**
 * Load profiles: a load's demand over time is its computed demand (kVA) × a daily shape (24 hourly factors,
 * a weekend factor, a holiday factor) over its window [start, end) in the site's time zone.
 */
import { DomainError, type FieldIssue } from '../errors.js';
import { addDays, HOUR_CLASSES, hourIndexOfDate, isIsoDate, type HourGrid } from './calendar.js';

export interface DailyShape {
  /** 24 factors of the load's demand, local hours 0…23; each in [0, 1.5]. */
  hourly_factor: number[];
  /** Multiplier applied on weekend days; in [0, 1.5]. */
  weekend_factor: number;
  /** Multiplier applied on holidays; defaults to the weekend factor. */
  holiday_factor?: number;
  description?: string;
}

/** Maximum factor a shape may use (an hour may exceed the computed demand by at most 50 %). */
export const MAX_SHAPE_FACTOR = 1.5;

/** Preset shapes: the reference scenario's six (examples/jinshan-ev-plant.json `profiles`). */
export const PRESET_SHAPES: Record<string, DailyShape> = {
  day_shift: {
    hourly_factor: [
      0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1,
    ],
    weekend_factor: 0.6,
    description: '07:00-19:00 works, 10 % standby at night',
  },
  two_shift: {
    hourly_factor: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.1, 0.1],
    weekend_factor: 0.8,
    description: '06:00-22:00 works',
  },
  continuous: {
    hourly_factor: Array<number>(24).fill(1),
    weekend_factor: 1,
    description: '24 h (dewatering, batching standby)',
  },
  office: {
    hourly_factor: [
      0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.4, 0.4, 0.2, 0.2, 0.2, 0.2,
    ],
    weekend_factor: 0.4,
    description: '08:00-18:00 offices with air conditioning',
  },
  camp: {
    hourly_factor: [
      0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 1, 1, 1, 1, 1,
      0.8,
    ],
    weekend_factor: 1,
    description: 'dormitories: evening peak, night air conditioning',
  },
  night_lighting: {
    hourly_factor: [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
    weekend_factor: 1,
    description: 'floodlights 18:00-06:00',
  },
};

/** Lists every problem of a shape (length, range), with paths relative to the shape. */
export function shapeIssues(shape: DailyShape, path: (string | number)[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (shape.hourly_factor.length !== 24)
    issues.push({
      path: [...path, 'hourly_factor'],
      message: `must have 24 hourly factors, has ${shape.hourly_factor.length}`,
    });
  shape.hourly_factor.forEach((f, i) => {
    if (!Number.isFinite(f) || f < 0 || f > MAX_SHAPE_FACTOR)
      issues.push({
        path: [...path, 'hourly_factor', i],
        message: `must be between 0 and ${MAX_SHAPE_FACTOR}`,
      });
  });
  for (const key of ['weekend_factor', 'holiday_factor'] as const) {
    const f = shape[key];
    if (f !== undefined && (!Number.isFinite(f) || f < 0 || f > MAX_SHAPE_FACTOR))
      issues.push({ path: [...path, key], message: `must be between 0 and ${MAX_SHAPE_FACTOR}` });
  }
  return issues;
}

/**
 * The shape's factor for each of the 72 hour classes (weekday/weekend/holiday × 24 h). Precomputed once per
 * shape so that a series costs one multiply per hour.
 */
export function classFactors(shape: DailyShape): Float64Array {
  const out = new Float64Array(HOUR_CLASSES);
  const holiday = shape.holiday_factor ?? shape.weekend_factor;
  for (let h = 0; h < 24; h++) {
    const f = shape.hourly_factor[h] ?? 0;
    out[h] = f;
    out[24 + h] = f * shape.weekend_factor;
    out[48 + h] = f * holiday;
  }
  return out;
}

export interface DateWindow {
  /** First local date (inclusive), `YYYY-MM-DD`. */
  start: string;
  /** Local date the window ends at (exclusive), `YYYY-MM-DD`. */
  end: string;
}

/** Lists every problem of a window against a horizon: bad dates, empty or inverted, outside the horizon. */
export function windowIssues(
  window: DateWindow,
  grid: Pick<HourGrid, 'start_date' | 'end_date'>,
  path: (string | number)[] = [],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(window.start))
    issues.push({ path: [...path, 'start'], message: 'must be a date YYYY-MM-DD' });
  if (!isIsoDate(window.end)) issues.push({ path: [...path, 'end'], message: 'must be a date YYYY-MM-DD' });
  if (issues.length > 0) return issues;
  if (window.end <= window.start)
    issues.push({
      path: [...path, 'end'],
      message: `must be after start (${window.start}); windows are [start, end)`,
    });
  if (window.start < grid.start_date)
    issues.push({ path: [...path, 'start'], message: `is before the site horizon (${grid.start_date})` });
  if (window.end > addDays(grid.end_date, 1))
    issues.push({ path: [...path, 'end'], message: `is after the site horizon (${grid.end_date})` });
  return issues;
}

/** Hour range [from, to) of a window on the grid. */
export function windowHours(grid: HourGrid, window: DateWindow): { from: number; to: number } {
  return { from: hourIndexOfDate(grid, window.start), to: hourIndexOfDate(grid, window.end) };
}

/**
 * Adds `sign × demand × factor(hour)` to `target` over [from, to). `target` is indexed by grid hour.
 * @param demandKva the load's computed demand, kVA
 */
export function addLoad(
  target: Float64Array,
  grid: HourGrid,
  from: number,
  to: number,
  demandKva: number,
  factors: Float64Array,
  sign = 1,
): void {
  const hc = grid.hour_class;
  const k = sign * demandKva;
  const end = Math.min(to, grid.hours);
  for (let h = Math.max(0, from); h < end; h++) target[h] = (target[h] ?? 0) + k * (factors[hc[h] ?? 0] ?? 0);
}

/** The load's series over the whole grid (zero outside its window), kVA per hour. */
export function loadSeries(
  grid: HourGrid,
  window: DateWindow,
  demandKva: number,
  shape: DailyShape,
): Float64Array {
  const out = new Float64Array(grid.hours);
  const { from, to } = windowHours(grid, window);
  addLoad(out, grid, from, to, demandKva, classFactors(shape));
  return out;
}

/** Resolves a profile given by preset name or as a custom shape; throws for an unknown preset. */
export function resolveShape(
  profile: string | DailyShape,
  presets: Record<string, DailyShape> = PRESET_SHAPES,
): DailyShape {
  if (typeof profile !== 'string') return profile;
  const shape = presets[profile];
  if (!shape)
    throw new DomainError('invalid_profile', `Unknown profile "${profile}"`, {
      issues: [{ path: ['profile'], message: `unknown preset; known: ${Object.keys(presets).join(', ')}` }],
    });
  return shape;
}
