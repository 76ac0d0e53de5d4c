import type { Kysely, Migration } from 'kysely';

const DOUBLE = 'double precision';

export const m001Foundation: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('horizon_start', 'text', (c) => c.notNull())
      .addColumn('horizon_end', 'text', (c) => c.notNull())
      .addColumn('rule_set', 'text', (c) => c.notNull())
      .addColumn('edition', 'text', (c) => c.notNull())
      .addColumn('total_capacity_cap_kva', DOUBLE, (c) => c.notNull())
      .addColumn('max_supply_points', 'integer', (c) => c.notNull())
      .addColumn('loading_cap', DOUBLE, (c) => c.notNull())
      .addColumn('voltage_drop_budget_percent', DOUBLE, (c) => c.notNull())
      .addColumn('low_voltage_threshold_kw', DOUBLE, (c) => c.notNull())
      .addColumn('temporary_supply_term_months', 'integer', (c) => c.notNull())
      .addColumn('nominal_lv_voltage_v', DOUBLE, (c) => c.notNull())
      .addColumn('extent_x_m', DOUBLE, (c) => c.notNull())
      .addColumn('extent_y_m', DOUBLE, (c) => c.notNull())
      .addColumn('area_ha', DOUBLE)
      .addColumn('holidays_json', 'text', (c) => c.notNull())
      .addColumn('profiles_json', 'text', (c) => c.notNull())
      .addColumn('phases_json', 'text', (c) => c.notNull())
      .addColumn('document_policy_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('supply_points')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('x_m', DOUBLE, (c) => c.notNull())
      .addColumn('y_m', DOUBLE, (c) => c.notNull())
      .addColumn('rating_kva', DOUBLE, (c) => c.notNull())
      .addColumn('voltage_primary_kv', DOUBLE, (c) => c.notNull())
      .addColumn('voltage_secondary_v', DOUBLE, (c) => c.notNull())
      .addColumn('energised_from', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('capacity_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('supply_points_pk', ['site_id', 'id'])
      .execute();

    await db.schema
      .createTable('load_requests')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('x_m', DOUBLE, (c) => c.notNull())
      .addColumn('y_m', DOUBLE, (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('profile', 'text', (c) => c.notNull())
      .addColumn('equipment_json', 'text', (c) => c.notNull())
      .addColumn('documents_json', 'text')
      .addColumn('distribution_json', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('load_requests_pk', ['site_id', 'id'])
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text')
      .addColumn('label', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
  },
};
