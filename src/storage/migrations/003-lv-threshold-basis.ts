import type { Kysely, Migration } from 'kysely';

/**
 * The basis of a site's low-voltage threshold (largest unit / installed / demand; existing sites keep the
 * default), and a site version counter bumped by every update (cached timelines compare it: a timestamp can
 * repeat within a millisecond).
 */
export const m003LvThresholdBasis: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('sites')
      .addColumn('low_voltage_threshold_basis', 'text', (c) => c.notNull().defaultTo('largest_unit'))
      .execute();
    await db.schema
      .alterTable('sites')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
