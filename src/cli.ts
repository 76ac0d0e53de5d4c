#!/usr/bin/env node
/**
 * tpp command line: migrate, import a scenario, manage API keys.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { createKey, listKeys, revokeKey, ROLES } from './app/keys.js';
import type { Role } from './app/ports.js';
import { openDeps, importScenarioFile } from './compose.js';
import { DomainError } from './domain/errors.js';
import { isIsoDate } from './domain/profile/calendar.js';
import { HighsSolver } from './solver/highs-solver.js';
import { PlanService } from './app/plans.js';
import type { PlanResult } from './domain/plan/index.js';
import { localIso } from './app/wire-format.js';

/** A plan as a readable table for the terminal; times on the site's clock (ISO 8601 with its offset). */
export function formatPlan(r: PlanResult, timeZone = 'UTC'): string {
  const pad = (v: string | number, n: number) => String(v).padEnd(n);
  const lines = [
    `ratings: ${r.sum_kva} kVA of the cap (headroom ${r.cap_headroom_kva} kVA); solver ${r.solver.method} ${r.solver.status}, gap ${r.solver.gap === null ? '-' : (r.solver.gap * 100).toFixed(2) + ' %'}, ${r.solver.time_ms} ms`,
    `feeder cost ${Math.round(r.objective.feeder_cost_kva_m)} kVA·m (nearest-point baseline ${Math.round(r.baseline.feeder_cost_kva_m)} kVA·m, ${r.baseline.violations.length} violations); highest utilisation ${(r.objective.max_utilisation * 100).toFixed(1)} %`,
    '',
    `${pad('point', 8)}${pad('rating kVA', 12)}${pad('peak kVA', 10)}${pad('util %', 8)}${pad('peak at (site time)', 24)}loads`,
  ];
  for (const p of r.points) {
    const rating = r.ratings.find((x) => x.point_id === p.point_id)?.rating_kva ?? 0;
    const loads = r.assignments.filter((a) => a.point_id === p.point_id).map((a) => a.load_id);
    lines.push(
      `${pad(p.point_id, 8)}${pad(rating, 12)}${pad(p.peak_kva.toFixed(1), 10)}${pad(p.utilisation_percent === null ? '-' : p.utilisation_percent.toFixed(1), 8)}${pad(p.peak_hour_iso ? localIso(p.peak_hour_iso, timeZone) : '-', 24)}${loads.join(' ')}`,
    );
  }
  if (r.unserved.length) {
    lines.push('', 'unserved:');
    for (const u of r.unserved) lines.push(`  ${pad(u.load_id, 8)}${pad(u.reason, 44)}${u.alternative.note}`);
  }
  return lines.join('\n');
}

/** The package version (package.json two folders up from src/cli.ts and from dist/src/cli.js alike). */
function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tpp' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

const program = new Command()
  .name('tpp')
  .description('Temporary Power Planner command line')
  .version(packageVersion(), '-V, --version', 'print the version');

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
  .option(
    '--shift-to <YYYY-MM-DD>',
    'move every date of the scenario by the same number of days so that ground-breaking (the horizon start) falls on this day',
  )
  .description('import a site with its supply points and requests (one transaction)')
  .action((file: string, opts: { shiftTo?: string }) =>
    withDeps(async (deps) => {
      if (opts.shiftTo !== undefined && !isIsoDate(opts.shiftTo))
        throw new Error(`--shift-to must be a date YYYY-MM-DD, got "${opts.shiftTo}"`);
      const r = await importScenarioFile(deps, file, { shiftTo: opts.shiftTo });
      console.log(
        `imported site ${r.site.id}: ${r.supply_points} supply points (${r.site.sum_of_ratings_kva} kVA), ${r.requests} requests` +
          (r.shifted_by_days
            ? `; every date moved by ${r.shifted_by_days} days (horizon ${r.site.horizon.start} … ${r.site.horizon.end})`
            : ''),
      );
    }),
  );

program
  .command('plan')
  .argument('<file>', 'scenario JSON file')
  .option('--method <method>', 'mip or heuristic', 'mip')
  .option('--time-limit <seconds>', 'solver time budget', '10')
  .option('--keep-ratings', 'keep the file’s reference ratings instead of sizing the points')
  .option('--lv-override <ids>', 'comma-separated request ids whose LV threshold an engineer overrides', '')
  .option('--json', 'print the whole plan result as JSON instead of the table')
  .description(
    'plan a scenario file (no database needed) and print the ratings, assignments and unserved loads',
  )
  .action(
    async (
      file: string,
      opts: { method: string; timeLimit: string; keepRatings?: boolean; lvOverride: string; json?: boolean },
    ) => {
      const deps = await openDeps(loadConfig({ TPP_DB_PATH: ':memory:' }));
      const solver = new HighsSolver();
      try {
        const { site } = await importScenarioFile(deps, file);
        const svc = new PlanService(
          deps,
          opts.method === 'heuristic' ? undefined : solver,
          Number(opts.timeLimit),
        );
        const rec = await svc.create(site.id, {
          method: opts.method === 'heuristic' ? 'heuristic' : 'mip',
          mip_rel_gap: 0.005,
          keep_ratings: Boolean(opts.keepRatings),
          lv_overrides: opts.lvOverride ? opts.lvOverride.split(',') : [],
        });
        await svc.idle();
        const done = await deps.store.plans.get(site.id, rec.id);
        if (!done?.result) throw new Error(done?.error ?? 'the plan did not finish');
        const result = done.result as unknown as PlanResult;
        console.log(opts.json ? JSON.stringify(result, null, 2) : formatPlan(result, site.timezone));
      } finally {
        await solver.close();
        await deps.store.close();
      }
    },
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
    console.log(['id', 'role', 'organisation', 'label', 'created_at', 'status'].join('\t'));
    for (const k of await listKeys(deps))
      console.log(
        [
          k.id,
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
