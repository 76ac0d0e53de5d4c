import type { Generated } from 'kysely';

/**
 * The one Kysely schema shared by both dialects. Booleans are integers, JSON is text, timestamps and dates
 * are ISO-8601 text, quantities are double precision in the canonical unit named by the column.
 */
export interface SitesTable {
  id: string;
  name: string;
  timezone: string;
  horizon_start: string;
  horizon_end: string;
  rule_set: string;
  edition: string;
  total_capacity_cap_kva: number;
  max_supply_points: number;
  loading_cap: number;
  voltage_drop_budget_percent: number;
  low_voltage_threshold_kw: number;
  /** Unused since issue #16 (one LV rule on installed capacity); the column keeps its default. */
  low_voltage_threshold_basis?: string;
  version: Generated<number>;
  temporary_supply_term_months: number;
  nominal_lv_voltage_v: number;
  extent_x_m: number;
  extent_y_m: number;
  area_ha: number | null;
  holidays_json: string;
  profiles_json: string;
  phases_json: string;
  document_policy_json: string;
  created_at: string;
  updated_at: string;
}

export interface SupplyPointsTable {
  site_id: string;
  id: string;
  name: string;
  x_m: number;
  y_m: number;
  rating_kva: number;
  voltage_primary_kv: number;
  voltage_secondary_v: number;
  energised_from: string;
  status: string;
  capacity_version: number;
  created_at: string;
  updated_at: string;
}

export interface LoadRequestsTable {
  site_id: string;
  id: string;
  organisation: string;
  zone: string;
  x_m: number;
  y_m: number;
  window_start: string;
  window_end: string;
  profile: string;
  equipment_json: string;
  documents_json: string | null;
  distribution_json: string | null;
  note: string | null;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  key_hash: string;
  role: string;
  organisation: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface ApplicationsTable {
  id: string;
  site_id: string;
  organisation: string;
  reference: string | null;
  state: string;
  return_stack_json: string;
  payload_json: string;
  demand_json: string;
  demand_kva: number;
  window_start: string;
  window_end: string;
  point_id: string | null;
  deferred_json: string;
  findings_json: string;
  notice_json: string | null;
  energised_on: string | null;
  term_extended_until: string | null;
  lv_override: number;
  submitted_by: string;
  created_at: string;
  updated_at: string;
}

export interface ApplicationEventsTable {
  id: string;
  application_id: string;
  seq: number;
  at: string;
  actor_key_id: string | null;
  actor_role: string;
  event: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  data_json: string | null;
}

export interface ReservationsTable {
  id: string;
  site_id: string;
  point_id: string;
  source: string;
  source_id: string;
  state: string;
  demand_kva: number;
  window_start: string;
  window_end: string;
  shape_json: string;
  created_at: string;
  released_at: string | null;
  overcommitted_at: string | null;
  overcommitted_by: string | null;
  overcommitted_reason: string | null;
}

export interface IdempotencyKeysTable {
  principal_key_id: string;
  idempotency_key: string;
  request_sha256: string;
  status_code: number;
  response_json: string;
  created_at: string;
}

export interface PlansTable {
  id: string;
  site_id: string;
  status: string;
  request_json: string;
  result_json: string | null;
  error: string | null;
  applied_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  reservations: ReservationsTable;
  idempotency_keys: IdempotencyKeysTable;
  plans: PlansTable;
  sites: SitesTable;
  supply_points: SupplyPointsTable;
  load_requests: LoadRequestsTable;
  api_keys: ApiKeysTable;
}
