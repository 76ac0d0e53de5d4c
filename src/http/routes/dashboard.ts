/**
 * The capacity dashboard: `GET /dashboard` serves web/index.html; its script, styles and the uPlot chart
 * library are static files under /dashboard/. The page itself is public and holds no data: it reads the
 * public API with the viewer (or higher) key the user gives it, so the API's roles apply unchanged.
 *
 * Files are listed at start-up (`wildcard: false`): only what is in web/ and uPlot's dist/ is served.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import { PublicErrorResponses } from '../../../schemas/common.js';

/** The repository (or image) root: the nearest ancestor of this module holding web/index.html. */
export function findWebRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'web');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`web/index.html not found above ${start}`);
  }
}

/** uPlot's dist folder (the package resolves from node_modules like any import). */
export function uplotDist(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('uplot'));
}

export const dashboardRoutes =
  (options: { webRoot?: string; vendorRoot?: string } = {}): FastifyPluginAsync =>
  async (app) => {
    const webRoot = options.webRoot ?? findWebRoot();
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/dashboard/',
      wildcard: false,
      index: false,
      schemaHide: true,
      cacheControl: false,
      setHeaders: (res) => {
        res.setHeader('cache-control', 'no-cache');
      },
    });
    let vendorRoot = options.vendorRoot;
    try {
      vendorRoot ??= uplotDist();
    } catch (err) {
      // uPlot is a devDependency: a production install (`npm prune --omit=dev`) drops it. The API must still
      // start; the page then shows its tables without charts.
      app.log.warn({ err }, 'dashboard: the uplot package is not installed; charts are unavailable');
    }
    if (vendorRoot)
      await app.register(fastifyStatic, {
        root: vendorRoot,
        prefix: '/dashboard/vendor/',
        wildcard: false,
        index: false,
        schemaHide: true,
        decorateReply: false,
        maxAge: '1d',
      });

    app.get(
      '/dashboard',
      {
        schema: {
          operationId: 'getDashboard',
          tags: ['operations'],
          summary: 'Capacity dashboard (HTML page)',
          description:
            'Per supply point: reserved and pending load against rating and loading limit over the horizon; ' +
            'the site total against its capacity cap; applications by state, overdue deferred documents, ' +
            'stage times. The page is public; its data calls need an API key (viewer and up), given as ' +
            '`/dashboard#key=<key>` (kept in sessionStorage, removed from the address bar) or in its key form.',
          response: {
            200: { description: 'The dashboard page', content: { 'text/html': { schema: z.string() } } },
            ...PublicErrorResponses,
          },
        },
      },
      (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot),
    );
    // The browser keeps the #key fragment across a redirect.
    app.get('/dashboard/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/dashboard'));
  };
