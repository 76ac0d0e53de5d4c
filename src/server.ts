/**
 * Composition root: config → storage → buildApp → listen; graceful shutdown on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from './config.js';
import { ensureBootstrapKey } from './app/keys.js';
import { buildApp } from './http/build-app.js';
import { openDeps, seedIfEmpty, writeOwnerOnly } from './compose.js';

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
  const app = await buildApp({ config, deps });

  const boot = await ensureBootstrapKey(deps, config.bootstrap.apiKey);
  if (boot?.generated) {
    writeOwnerOnly(config.bootstrap.keyFile, `${boot.key}\n`);
    // Printed once, on purpose: the only time this key is shown.
    console.log(
      `\n  tpp: created the first engineer API key (also written to ${config.bootstrap.keyFile}, mode 600):\n\n    ${boot.key}\n`,
    );
  }
  if (config.seed.enabled) {
    const seeded = await seedIfEmpty(deps, config.seed.file);
    if (seeded)
      app.log.info(
        { site: seeded.site.id, supply_points: seeded.supply_points, requests: seeded.requests },
        'loaded the reference site',
      );
  }

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
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
