/**
 * Sites and supply points, and the rules that keep a site's set of points valid: ratings from the standard
 * series (DOMAIN.md §3.1), the sum of ratings within the site's approved capacity, no more points than
 * allowed, positions inside the site, energisation inside the horizon, unique codes.
 */
import type { FieldIssue } from './errors.js';
import type { RuleSetId } from './catalog/rule-sets.js';
import { isStandardRating, TRANSFORMER_RATINGS_KVA } from './catalog/transformers.js';
import type { DailyShape } from './profile/profile.js';

/**
 * The site's daily shape named `name`, or undefined: an own entry only, so a name such as "valueOf" or
 * "__proto__" never resolves to something inherited from Object.prototype.
 */
export function profileNamed(
  profiles: Readonly<Record<string, DailyShape>>,
  name: string,
): DailyShape | undefined {
  return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
}

export interface Position {
  x: number;
  y: number;
}

export interface Site {
  id: string;
  name: string;
  timezone: string;
  horizon: { start: string; end: string };
  rule_set: RuleSetId;
  edition: string;
  total_capacity_cap_kva: number;
  max_supply_points: number;
  loading_cap: number;
  voltage_drop_budget_percent: number;
  low_voltage_threshold_kw: number;
  temporary_supply_term_months: number;
  nominal_lv_voltage_v: number;
  extent_m: Position;
  area_ha: number | null;
  holidays: string[];
  /** Named daily shapes of this site (presets plus the site's own). */
  profiles: Record<string, DailyShape>;
  phases: Record<string, [string, string]>;
  /** The site's document acceptance policy, by document type (scenario `document_types` format). */
  document_policy: Record<string, DocumentTypeSpec>;
  created_at: string;
  updated_at: string;
}

/** One document type of a site's acceptance policy, as written in scenario files. */
export interface DocumentTypeSpec {
  core: boolean;
  deferrable_days?: number;
  required_when?: string;
  gates?: string;
  description?: string;
}

export type SupplyPointStatus = 'planned' | 'energised' | 'decommissioned';

export interface SupplyPoint {
  site_id: string;
  id: string;
  name: string;
  position_m: Position;
  rating_kva: number;
  voltage_primary_kv: number;
  voltage_secondary_v: number;
  energised_from: string;
  status: SupplyPointStatus;
  created_at: string;
  updated_at: string;
}

/** The fields of a point that the site rules look at. */
export type PointShape = Pick<SupplyPoint, 'id' | 'position_m' | 'rating_kva' | 'energised_from'> & {
  status?: SupplyPointStatus;
};
export type SiteShape = Pick<Site, 'total_capacity_cap_kva' | 'max_supply_points' | 'extent_m' | 'horizon'>;

/**
 * Every rule a site's set of points must satisfy, as field issues. `pathOf(i)` gives the input path of
 * point i (so the same rules serve a single create, an update and a whole imported file).
 */
export function supplyPointSetIssues(
  site: SiteShape,
  points: readonly PointShape[],
  pathOf: (index: number) => (string | number)[] = (i) => ['supply_points', i],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  points.forEach((p, i) => {
    const path = pathOf(i);
    if (!isStandardRating(p.rating_kva))
      issues.push({
        path: [...path, 'rating_kva'],
        code: 'rating_not_standard',
        message: `${p.rating_kva} kVA is not a standard rating; use one of ${TRANSFORMER_RATINGS_KVA.join(', ')}`,
      });
    if (
      p.position_m.x < 0 ||
      p.position_m.x > site.extent_m.x ||
      p.position_m.y < 0 ||
      p.position_m.y > site.extent_m.y
    )
      issues.push({
        path: [...path, 'position_m'],
        code: 'position_outside_site',
        message: `(${p.position_m.x}, ${p.position_m.y}) m is outside the site (0…${site.extent_m.x}, 0…${site.extent_m.y}) m`,
      });
    if (p.energised_from < site.horizon.start || p.energised_from > site.horizon.end)
      issues.push({
        path: [...path, 'energised_from'],
        code: 'date_outside_horizon',
        message: `${p.energised_from} is outside the site horizon ${site.horizon.start}…${site.horizon.end}`,
      });
    const prior = seen.get(p.id);
    if (prior !== undefined)
      issues.push({
        path: [...path, 'id'],
        code: 'duplicate_code',
        message: `code ${p.id} is already used by another supply point`,
      });
    else seen.set(p.id, i);
  });
  // A decommissioned point no longer counts against the site's point count or approved capacity.
  const live = points.filter((p) => p.status !== 'decommissioned');
  if (live.length > site.max_supply_points)
    issues.push({
      path: pathOf(points.length - 1),
      code: 'too_many_points',
      message: `the site allows at most ${site.max_supply_points} supply points; this makes ${live.length}`,
    });
  const total = live.reduce((s, p) => s + p.rating_kva, 0);
  if (total > site.total_capacity_cap_kva + 1e-9)
    issues.push({
      path: pathOf(points.length - 1).concat('rating_kva'),
      code: 'capacity_cap_exceeded',
      message: `the ratings sum to ${total} kVA, above the site's approved capacity of ${site.total_capacity_cap_kva} kVA`,
    });
  return issues;
}

/** Earliest and latest date a site horizon may contain (bounds the work of every timeline, §"bounded work"). */
export const HORIZON_FIRST_DATE = '2000-01-01';
export const HORIZON_LAST_DATE = '2100-12-31';
/** Default longest horizon, years (`TPP_MAX_HORIZON_YEARS`): a temporary supply rarely runs past 3–5 years. */
export const DEFAULT_MAX_HORIZON_YEARS = 10;

/** Limits on a site's horizon. */
export interface HorizonLimits {
  /** Longest horizon, whole years: `end` must fall before `start` + this many years. */
  max_horizon_years: number;
}

/** `YYYY-MM-DD` plus whole years (29 February goes to 1 March in a common year). */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/**
 * Issues of the site's own fields (horizon order, bounds and length, loading cap range, cap positive).
 * Dates are well-formed `YYYY-MM-DD` (checked by the wire schema).
 * @param limits longest horizon in years (default `DEFAULT_MAX_HORIZON_YEARS`)
 */
export function siteIssues(
  site: Omit<SiteShape, 'max_supply_points'> & { loading_cap: number },
  path: (string | number)[] = [],
  limits: HorizonLimits = { max_horizon_years: DEFAULT_MAX_HORIZON_YEARS },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const k of ['start', 'end'] as const) {
    const date = site.horizon[k];
    if (date < HORIZON_FIRST_DATE || date > HORIZON_LAST_DATE)
      issues.push({
        path: [...path, 'horizon', k],
        code: 'date_out_of_range',
        message: `must be a date within ${HORIZON_FIRST_DATE}…${HORIZON_LAST_DATE}`,
      });
  }
  if (site.horizon.end <= site.horizon.start)
    issues.push({ path: [...path, 'horizon', 'end'], message: 'must be after the horizon start' });
  else if (site.horizon.end >= addYears(site.horizon.start, limits.max_horizon_years))
    issues.push({
      path: [...path, 'horizon', 'end'],
      code: 'horizon_too_long',
      message: `the horizon may span at most ${limits.max_horizon_years} years: end must be before ${addYears(site.horizon.start, limits.max_horizon_years)}`,
    });
  if (site.loading_cap < 0.5 || site.loading_cap > 1)
    issues.push({
      path: [...path, 'loading_cap'],
      message: 'must be between 0.5 and 1.0 (0.85 by GB 51348-2019 §4.3.2)',
    });
  return issues;
}

/** How a request is to be supplied: from the site's own 10/0.4 kV points, or directly from the public LV network. */
export type ConnectionKind = 'site_point' | 'public_lv';
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['site_point', 'public_lv'];

export const LV_CONNECTION_RULE =
  'DOMAIN.md §5.2 and "Product decisions" (LV connection limit): a direct public-LV connection with installed capacity (Σ nameplate) ≤ 160 kW ("及以下") may take the LV path; above it a 10 kV connection with its own transformer. Requests served from the site\'s own 10/0.4 kV points are not subject to it';

/**
 * The low-voltage connection threshold (Shanghai 160 kW, DOMAIN.md §5.2), one rule everywhere: it decides
 * the utility connection path of a request for a **direct public-LV connection**, on the installed capacity
 * applied for; "≤ 160 kW" is LV. A request served from the site's own 10/0.4 kV supply points is not subject
 * to it (`applies: false`, never `exceeded`).
 * @param thresholdKw the site's (or rule set's) threshold, kW
 * @param installedPowerKw Σ nameplate kW of the request
 * @param connection how the request is to be supplied (default from a site point)
 */
export function lvConnectionThreshold(
  thresholdKw: number,
  installedPowerKw: number,
  connection: ConnectionKind = 'site_point',
): {
  applies: boolean;
  exceeded: boolean;
  connection: ConnectionKind;
  basis: 'installed';
  value_kw: number;
  threshold_kw: number;
  /** The utility connection path of a public-LV request; null for a site-point request. */
  path: 'lv' | '10kv' | null;
  rule: string;
} {
  const applies = connection === 'public_lv';
  const above = installedPowerKw > thresholdKw;
  return {
    applies,
    exceeded: applies && above,
    connection,
    basis: 'installed',
    value_kw: installedPowerKw,
    threshold_kw: thresholdKw,
    path: applies ? (above ? '10kv' : 'lv') : null,
    rule: LV_CONNECTION_RULE,
  };
}

/** Euclidean distance between two site-grid positions, m. */
export function distanceM(a: Position, b: Position): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
