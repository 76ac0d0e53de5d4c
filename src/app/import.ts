/**
 * Importing a scenario file: the site, its supply points and the contractors' requests, in one transaction.
 * Every problem is reported with its JSON path in the file; a bad file changes nothing.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../domain/errors.js';
import { ruleSet, type RuleSetId } from '../domain/catalog/rule-sets.js';
import type { EquipmentItemInput } from '../domain/load/index.js';
import { demandOfLoad, type LoadInput } from './load.js';
import { isValidTimeZone } from '../domain/profile/calendar.js';
import { PRESET_SHAPES, windowIssues } from '../domain/profile/profile.js';
import {
  profileNamed,
  siteIssues,
  supplyPointSetIssues,
  type DocumentTypeSpec,
  type Position,
  type SupplyPoint,
} from '../domain/site.js';
import type { DailyShape } from '../domain/profile/profile.js';
import { shiftScenarioTo } from '../domain/scenario-shift.js';
import type { Deps, LoadRequestRecord } from './ports.js';
import { horizonLimits, siteFromInput, type SiteView } from './sites.js';

/** The parsed scenario (wire schema output); kept structural so the app layer does not import zod. */
export interface ScenarioInput {
  site: {
    id: string;
    name: string;
    timezone: string;
    area_ha?: number;
    extent_m: Position;
    horizon: { start: string; end: string };
    rule_set: string;
    total_capacity_cap_kva: number;
    supply_point_count: number;
    nominal_lv_voltage_v: number;
    loading_cap: number;
    temporary_supply_term_months: number;
    low_voltage_threshold_kw: number;
    voltage_drop_budget_percent: number;
    holidays?: string[];
  };
  supply_points: {
    id: string;
    name: string;
    position_m: Position;
    energised_from: string;
    reference_rating_kva: number;
    voltage_primary_kv: number;
    voltage_secondary_v: number;
  }[];
  profiles: Record<string, DailyShape>;
  requests: {
    id: string;
    organisation: string;
    zone: string;
    position_m: Position;
    window: { start: string; end: string };
    profile: string;
    load?: LoadInput;
    /** Deprecated (one release): the equipment list before `load`. */
    equipment?: Record<string, unknown>[];
    documents?: Record<string, string>;
    distribution?: Record<string, unknown>;
    note?: string;
  }[];
  document_types?: Record<string, DocumentTypeSpec>;
  phases: Record<string, [string, string]>;
}

export interface ImportResult {
  site: SiteView;
  supply_points: number;
  requests: number;
  /** Days every date of the file was moved by (0 without `shift_to`). */
  shifted_by_days: number;
}

export interface ImportOptions {
  /** Move the scenario as a whole so that ground-breaking (the horizon start) falls on this date. */
  shiftTo?: string | undefined;
}

/** Extra validation of stored requests (e.g. equipment types against the catalogue), injected by the caller. */
export type RequestValidator = (
  request: ScenarioInput['requests'][number],
  path: (string | number)[],
) => FieldIssue[];

export async function importScenario(
  deps: Deps,
  input: ScenarioInput,
  validateRequest?: RequestValidator,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { scenario: file, days } = options.shiftTo
    ? shiftScenarioTo(input, options.shiftTo)
    : { scenario: input, days: 0 };
  const now = deps.clock.now();
  const s = file.site;
  const site = siteFromInput(
    {
      id: s.id,
      name: s.name,
      timezone: s.timezone,
      horizon: s.horizon,
      rule_set: s.rule_set as RuleSetId,
      total_capacity_cap_kva: s.total_capacity_cap_kva,
      max_supply_points: s.supply_point_count,
      loading_cap: s.loading_cap,
      voltage_drop_budget_percent: s.voltage_drop_budget_percent,
      low_voltage_threshold_kw: s.low_voltage_threshold_kw,
      temporary_supply_term_months: s.temporary_supply_term_months,
      nominal_lv_voltage_v: s.nominal_lv_voltage_v,
      extent_m: s.extent_m,
      area_ha: s.area_ha ?? null,
      holidays: s.holidays ?? [],
      profiles: file.profiles,
      phases: file.phases,
      document_policy: file.document_types,
    },
    now,
  );
  const points: SupplyPoint[] = file.supply_points.map((p) => ({
    site_id: site.id,
    id: p.id,
    name: p.name,
    position_m: p.position_m,
    rating_kva: p.reference_rating_kva,
    voltage_primary_kv: p.voltage_primary_kv,
    voltage_secondary_v: p.voltage_secondary_v,
    energised_from: p.energised_from,
    status: 'planned',
    created_at: now,
    updated_at: now,
  }));

  const issues: FieldIssue[] = [];
  if (!isValidTimeZone(s.timezone))
    issues.push({ path: ['site', 'timezone'], message: `"${s.timezone}" is not an IANA time zone` });
  issues.push(...siteIssues(site, ['site'], horizonLimits(deps)));
  issues.push(
    ...supplyPointSetIssues(site, points, (i) => ['supply_points', i]).map((iss) => ({
      ...iss,
      path: iss.path.map((k) => (k === 'rating_kva' ? 'reference_rating_kva' : k)),
    })),
  );
  const horizon = { start_date: site.horizon.start, end_date: site.horizon.end };
  const profiles = { ...PRESET_SHAPES, ...file.profiles };
  const seenIds = new Set<string>();
  file.requests.forEach((r, i) => {
    const path = ['requests', i];
    if (seenIds.has(r.id)) issues.push({ path: [...path, 'id'], message: `duplicate request id ${r.id}` });
    seenIds.add(r.id);
    issues.push(...windowIssues(r.window, horizon, [...path, 'window']));
    if (!profileNamed(profiles, r.profile))
      issues.push({
        path: [...path, 'profile'],
        message: `unknown profile "${r.profile}"; known: ${Object.keys(profiles).join(', ')}`,
      });
    if (
      r.position_m.x < 0 ||
      r.position_m.x > site.extent_m.x ||
      r.position_m.y < 0 ||
      r.position_m.y > site.extent_m.y
    )
      issues.push({ path: [...path, 'position_m'], message: 'is outside the site' });
    if (r.documents && file.document_types) {
      for (const t of Object.keys(r.documents))
        if (!file.document_types[t])
          issues.push({ path: [...path, 'documents', t], message: `unknown document type "${t}"` });
    }
    // The load through the demand engine: an unknown equipment type points at its field in the file.
    const given = r.load ?? { equipment: r.equipment as unknown as EquipmentItemInput[] };
    const at = r.load
      ? { equipment: [...path, 'load', 'equipment'], load: [...path, 'load'] }
      : { equipment: [...path, 'equipment'], load: path };
    try {
      demandOfLoad(given, { ruleSet: ruleSet(site.rule_set), at });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      issues.push(...err.issues);
    }
    if (validateRequest) issues.push(...validateRequest(r, path));
  });
  assertNoIssues(issues, 'The scenario file has invalid fields; nothing was imported');

  return deps.store.transaction(async (tx) => {
    if (await tx.sites.get(site.id))
      throw new DomainError(
        'conflict',
        `Site ${site.id} already exists; delete it first or import under another id`,
        {
          issues: [{ path: ['site', 'id'], message: 'already exists' }],
        },
      );
    await tx.sites.insert(site);
    for (const p of points) await tx.points.insert(p);
    for (const r of file.requests) {
      const rec: LoadRequestRecord = {
        site_id: site.id,
        id: r.id,
        organisation: r.organisation,
        zone: r.zone,
        position_m: r.position_m,
        window: r.window,
        profile: r.profile,
        equipment: (r.load ?? r.equipment ?? []) as LoadRequestRecord['equipment'],
        documents: r.documents ?? null,
        distribution: r.distribution ?? null,
        note: r.note ?? null,
        created_at: now,
      };
      await tx.loadRequests.insert(rec);
    }
    return {
      site: {
        ...site,
        supply_point_count: points.length,
        sum_of_ratings_kva: points.reduce((a, p) => a + p.rating_kva, 0),
      },
      supply_points: points.length,
      requests: file.requests.length,
      shifted_by_days: days,
    };
  });
}
