import type { Kysely, Migration } from 'kysely';

/**
 * A reservation an engineer kept although its point's limit no longer covers it (an edit sent with
 * `force: true`): when, by whom and why it was recorded as overcommitted. Null on every other reservation.
 */
export const m004Overcommitted: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('reservations').addColumn('overcommitted_at', 'text').execute();
    await db.schema.alterTable('reservations').addColumn('overcommitted_by', 'text').execute();
    await db.schema.alterTable('reservations').addColumn('overcommitted_reason', 'text').execute();
  },
};
