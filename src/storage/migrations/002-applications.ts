import type { Kysely, Migration } from 'kysely';

const DOUBLE = 'double precision';

/**
 * Applications, their events, capacity reservations (also the planner's pending placements), idempotency
 * keys and plan runs.
 */
export const m002Applications: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('applications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('return_stack_json', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('demand_json', 'text', (c) => c.notNull())
      .addColumn('demand_kva', DOUBLE, (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('point_id', 'text')
      .addColumn('deferred_json', 'text', (c) => c.notNull())
      .addColumn('findings_json', 'text', (c) => c.notNull())
      .addColumn('notice_json', 'text')
      .addColumn('energised_on', 'text')
      .addColumn('term_extended_until', 'text')
      .addColumn('lv_override', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('applications_site_state')
      .on('applications')
      .columns(['site_id', 'state'])
      .execute();
    await db.schema
      .createIndex('applications_site_org')
      .on('applications')
      .columns(['site_id', 'organisation'])
      .execute();

    await db.schema
      .createTable('application_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_key_id', 'text')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('data_json', 'text')
      .addUniqueConstraint('application_events_seq', ['application_id', 'seq'])
      .execute();

    await db.schema
      .createTable('reservations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('point_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('demand_kva', DOUBLE, (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('shape_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('released_at', 'text')
      .execute();
    await db.schema
      .createIndex('reservations_site_point')
      .on('reservations')
      .columns(['site_id', 'point_id', 'released_at'])
      .execute();
    await db.schema
      .createIndex('reservations_source')
      .on('reservations')
      .columns(['source', 'source_id'])
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('principal_key_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request_sha256', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer', (c) => c.notNull())
      .addColumn('response_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal_key_id', 'idempotency_key'])
      .execute();

    await db.schema
      .createTable('plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('result_json', 'text')
      .addColumn('error', 'text')
      .addColumn('applied_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
