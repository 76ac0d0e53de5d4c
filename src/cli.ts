#!/usr/bin/env node
/**
 * tpp command line: migrate, import a scenario, manage API keys.
 */
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { createKey, listKeys, revokeKey, ROLES } from './app/keys.js';
import type { Role } from './app/ports.js';
import { openDeps, importScenarioFile } from './compose.js';
import { DomainError } from './domain/errors.js';

const program = new Command().name('tpp').description('Temporary Power Planner command line');

async function withDeps<T>(fn: (deps: Awaited<ReturnType<typeof openDeps>>) => Promise<T>): Promise<T> {
  const deps = await openDeps(loadConfig(process.env), { poolSize: 2 });
  try {
    return await fn(deps);
  } finally {
    await deps.store.close();
  }
}

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() => withDeps(() => Promise.resolve(console.log('migrations applied'))));

program
  .command('import')
  .argument('<file>', 'scenario JSON file (format of examples/jinshan-ev-plant.json)')
  .description('import a site with its supply points and requests (one transaction)')
  .action((file: string) =>
    withDeps(async (deps) => {
      const r = await importScenarioFile(deps, file);
      console.log(
        `imported site ${r.site.id}: ${r.supply_points} supply points (${r.site.sum_of_ratings_kva} kVA), ${r.requests} requests`,
      );
    }),
  );

const keys = program.command('keys').description('manage API keys');
keys
  .command('create')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--organisation <name>', 'organisation a contractor key is bound to')
  .option('--label <text>', 'a note to recognise the key by')
  .action((opts: { role: string; organisation?: string; label?: string }) =>
    withDeps(async (deps) => {
      if (!ROLES.includes(opts.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      const k = await createKey(deps, {
        role: opts.role as Role,
        organisation: opts.organisation,
        label: opts.label,
      });
      console.log(
        `id ${k.record.id}  role ${k.record.role}${k.record.organisation ? `  organisation ${k.record.organisation}` : ''}`,
      );
      console.log(`key (shown once): ${k.key}`);
    }),
  );
keys.command('list').action(() =>
  withDeps(async (deps) => {
    for (const k of await listKeys(deps))
      console.log(
        [
          k.id,
          k.key_prefix + '…',
          k.role,
          k.organisation ?? '-',
          k.label ?? '-',
          k.created_at,
          k.revoked_at ? `revoked ${k.revoked_at}` : 'active',
        ].join('\t'),
      );
  }),
);
keys
  .command('revoke')
  .argument('<id>')
  .action((id: string) =>
    withDeps(async (deps) => {
      await revokeKey(deps, id);
      console.log(`revoked ${id}`);
    }),
  );

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof DomainError) {
    console.error(`${err.code}: ${err.message}`);
    for (const i of err.issues) console.error(`  ${i.path.join('.')}: ${i.message}`);
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
