/**
 * Composition root: config → storage → buildApp → listen; graceful shutdown on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from './config.js';
import { ensureBootstrapKey } from './app/keys.js';
import { buildApp } from './http/build-app.js';
import { StorageHealth } from './app/storage-health.js';
import { openDeps, seedIfEmpty, writeOwnerOnly } from './compose.js';
import { HighsSolver } from './solver/highs-solver.js';
import { failInterruptedPlans } from './app/plans.js';
import { sweepAll } from './app/applications.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const deps = await openDeps(config);
  const solver = new HighsSolver();
  // Integrity first (SQLite quick_check): a damaged file starts the service in a refuse-writes state, with
  // readiness failing and SQLite's message logged, instead of crashing on its first bad page.
  const health = new StorageHealth(deps.store);
  const verdict = await health.check(true);
  const app = await buildApp({ config, deps, solver, health });
  if (!verdict.ok) {
    app.log.error(
      { problems: verdict.problems },
      'the database failed its integrity check (PRAGMA quick_check): readiness fails and writes are refused; restore it from a backup',
    );
    await app.listen({ port: config.server.port, host: config.server.host });
    return;
  }
  const interrupted = await failInterruptedPlans(deps);
  if (interrupted)
    app.log.warn({ interrupted }, 'planning runs interrupted by the last stop were marked failed');

  const boot = await ensureBootstrapKey(deps, config.bootstrap.apiKey);
  if (boot?.generated) {
    writeOwnerOnly(config.bootstrap.keyFile, `${boot.key}\n`);
    // Printed once, on purpose: the only time this key is shown.
    console.log(
      `\n  tpp: created the first engineer API key (also written to ${config.bootstrap.keyFile}, mode 600):\n\n    ${boot.key}\n`,
    );
  }
  if (config.seed.enabled) {
    const seeded = await seedIfEmpty(deps, config.seed.file, { live: config.seed.live });
    if (seeded && 'live' in seeded) {
      const s = seeded.live;
      app.log.info(
        {
          site: s.site.id,
          today: s.today,
          shifted_by_days: s.shifted_by_days,
          plan: s.plan_id,
          applications: s.applications,
          approved: s.approved,
        },
        'loaded the reference site, live: today is in its structure phase',
      );
      if (s.not_approved.length) app.log.warn({ not_approved: s.not_approved }, 'seed approvals refused');
    } else if (seeded)
      app.log.info(
        { site: seeded.imported.site.id, requests: seeded.imported.requests },
        'loaded the seed scenario as it is',
      );
  }

  // Deadlines are also evaluated on every read; the sweep keeps idle applications current.
  const sweep =
    config.deadlines.sweepIntervalS > 0
      ? setInterval(() => {
          sweepAll(deps).catch((err: unknown) => app.log.error({ err }, 'deadline sweep failed'));
        }, config.deadlines.sweepIntervalS * 1000)
      : undefined;
  sweep?.unref();

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      if (sweep) clearInterval(sweep);
      await app.close();
      await solver.close();
      await deps.store.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.server.port, host: config.server.host });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
