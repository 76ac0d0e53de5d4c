/**
 * Wiring shared by the server, the CLI and the tests: config → storage → deps; seeding from a scenario file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Deps, Store } from './app/ports.js';
import { importScenario, type ImportOptions, type ImportResult } from './app/import.js';
import { seedLiveScenario, type LiveSeedResult } from './app/seed.js';
import { TimelineService } from './app/timelines.js';
import { DomainError } from './domain/errors.js';
import { openStore } from './storage/index.js';
import { ScenarioFile } from '../schemas/scenario.js';

export const systemClock = { now: (): string => new Date().toISOString() };
export const uuidIds = { next: (): string => crypto.randomUUID() };

export async function openDeps(config: Readonly<Config>, options: { poolSize?: number } = {}): Promise<Deps> {
  const store: Store = await openStore(config.database, options);
  return { store, clock: systemClock, ids: uuidIds, limits: { ...config.limits } };
}

/** Parses a scenario JSON text with the wire schema; a bad file is a validation DomainError with paths. */
export function parseScenario(text: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DomainError(
      'validation_failed',
      `The scenario file is not valid JSON: ${(e as Error).message}`,
    );
  }
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success)
    throw new DomainError('validation_failed', 'The scenario file has invalid fields; nothing was imported', {
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    });
  return parsed.data;
}

export async function importScenarioFile(
  deps: Deps,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return importScenario(deps, parseScenario(fs.readFileSync(file, 'utf8')), undefined, options);
}

/**
 * Loads the seed scenario into an empty database (no sites yet). `live`: moved so that today falls in its
 * structure phase, planned, its requests submitted as applications and the started ones approved
 * (src/app/seed.ts); otherwise imported as the file is.
 */
export async function seedIfEmpty(
  deps: Deps,
  file: string,
  options: { live: boolean },
): Promise<{ live: LiveSeedResult } | { imported: ImportResult } | undefined> {
  if ((await deps.store.sites.list()).length > 0) return undefined;
  const scenario = parseScenario(fs.readFileSync(path.resolve(file), 'utf8'));
  if (options.live) return { live: await seedLiveScenario(deps, new TimelineService(), scenario) };
  return { imported: await importScenario(deps, scenario) };
}

/** Writes a secret to a file readable only by its owner. */
export function writeOwnerOnly(file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
