/**
 * Numbered, forward-only migrations, written once with Kysely's schema builder so both dialects get the same
 * tables. Applied at start-up and by `tpp migrate`.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { m001Foundation } from './001-foundation.js';
import { m002Applications } from './002-applications.js';
import { m003LvThresholdBasis } from './003-lv-threshold-basis.js';
import { m004Overcommitted } from './004-overcommitted.js';
import { m005KeysAndRateLimits } from './005-keys-and-rate-limits.js';

export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': m001Foundation,
  '002-applications': m002Applications,
  '003-lv-threshold-basis': m003LvThresholdBasis,
  '004-overcommitted': m004Overcommitted,
  '005-keys-and-rate-limits': m005KeysAndRateLimits,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

export type AnyKysely = Kysely<unknown>;
