/**
 * The whole flow through the typed client (client/): read a site, check whether a load fits, validate and
 * submit a connection application (with an Idempotency-Key, retried once to show the replay), approve it on
 * the best supply point, read the utilisation, and run a planning job to its end.
 *
 *   TPP_URL=http://127.0.0.1:3000 TPP_KEY=tpp_… npx tsx examples/client-flow.ts [siteId]
 *
 * The key must be an engineer's (approval and planning are the engineer's). test/http/client-flow.test.ts runs
 * this against a listening server.
 */
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createTppClient, type Schemas, type TppClient } from '../client/index.js';

export interface FlowResult {
  site: Schemas['Site'];
  check: Schemas['CapacityCheck'];
  assessment: Schemas['Assessment'];
  submitted: Schemas['SubmittedApplication'];
  replayed: boolean;
  approved: Schemas['Application'] | null;
  utilisation: Schemas['Utilisation'];
  plan: Schemas['Plan'];
}

/** Throws with the problem's code and detail when a call did not succeed. */
function must<T>(r: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (r.data === undefined) {
    const p = r.error as { code?: string; detail?: string } | undefined;
    throw new Error(`${what}: HTTP ${r.response.status} ${p?.code ?? ''} ${p?.detail ?? ''}`.trim());
  }
  return r.data;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function clientFlow(
  tpp: TppClient,
  siteId: string,
  log: (line: string) => void = () => undefined,
  today = new Date().toISOString().slice(0, 10),
): Promise<FlowResult> {
  const path = { siteId };

  // 1. The site: its horizon bounds the window asked for below.
  const site = must(await tpp.GET('/v1/sites/{siteId}', { params: { path } }), 'read site');
  log(
    `site ${site.id}: ${site.name}, ${site.supply_point_count} supply points, horizon ${site.horizon.start} … ${site.horizon.end}`,
  );
  const start = [addDays(today, 14), site.horizon.start].sort().at(-1) ?? today;
  const end = [addDays(start, 90), site.horizon.end].sort()[0] ?? start;

  // 2. Would a 22 kW compressor fit, and where?
  const load = { equipment: [{ type: 'air_compressor', rated_power_kw: 22 }] };
  const position_m = { x: site.extent_m.x / 2, y: site.extent_m.y / 2 };
  const check = must(
    await tpp.POST('/v1/sites/{siteId}/capacity-check', {
      params: { path },
      body: { load, profile: 'day_shift', window: { start, end }, position_m },
    }),
    'capacity check',
  );
  log(`capacity check ${start} … ${end}: fits=${check.fits}, best point ${check.best_point_id ?? 'none'}`);

  // 3. The application: a dry run, then the submission (retried with the same key: the stored answer replays).
  const application = {
    reference: 'CLIENT-FLOW-1',
    organisation: 'Client Flow Example Ltd',
    zone: 'Site compound',
    position_m,
    window: { start, end },
    profile: 'day_shift',
    equipment: load.equipment,
    ...(check.best_point_id ? { requested_point_id: check.best_point_id } : {}),
  };
  const assessment = must(
    await tpp.POST('/v1/sites/{siteId}/applications/validate', { params: { path }, body: application }),
    'validate',
  );
  log(`validation: ${assessment.outcome}, ${assessment.findings.length} findings`);
  const key = crypto.randomUUID();
  const submit = () =>
    tpp.POST('/v1/sites/{siteId}/applications', {
      params: { path, header: { 'idempotency-key': key } },
      body: application,
    });
  const submitted = must(await submit(), 'submit');
  const retry = await submit();
  const replayed = retry.response.headers.get('idempotent-replayed') === 'true';
  const id = submitted.application.id;
  log(`submitted ${id}: ${submitted.application.state}; retry replayed=${replayed}`);

  // 4. Approval reserves the capacity on the point (a 409 with the headroom when it does not fit).
  let approved: Schemas['Application'] | null = null;
  if (submitted.application.allowed_events.includes('approve')) {
    approved = must(
      await tpp.POST('/v1/sites/{siteId}/applications/{applicationId}/approve', {
        params: { path: { siteId, applicationId: id } },
        body: { reason: 'approved by the client-flow example' },
      }),
      'approve',
    );
    log(`approved ${id} on ${approved.point_id ?? '?'}: ${approved.state}`);
  }

  // 5. Utilisation over the application's window, a day per bucket.
  const utilisation = must(
    await tpp.GET('/v1/sites/{siteId}/utilisation', {
      params: { path, query: { from: start, to: end, resolution: 'day' } },
    }),
    'utilisation',
  );
  log(
    `utilisation: coincident peak ${utilisation.site.coincident_peak_kva.toFixed(1)} kVA ` +
      `(${utilisation.site.coincident_peak_of_cap_percent.toFixed(1)} % of the cap)`,
  );

  // 6. A planning run (the heuristic: quick), polled until it ends.
  let plan = must(
    await tpp.POST('/v1/sites/{siteId}/plans', { params: { path }, body: { method: 'heuristic' } }),
    'create plan',
  );
  for (let i = 0; (plan.status === 'queued' || plan.status === 'running') && i < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    plan = must(
      await tpp.GET('/v1/sites/{siteId}/plans/{planId}', { params: { path: { siteId, planId: plan.id } } }),
      'read plan',
    );
  }
  log(
    `plan ${plan.id}: ${plan.status}${plan.result ? `, ${plan.result.assignments.length} assignments` : ''}`,
  );

  return { site, check, assessment, submitted, replayed, approved, utilisation, plan };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.TPP_URL ?? 'http://127.0.0.1:3000';
  const key = process.env.TPP_KEY;
  if (!key) {
    console.error('Set TPP_KEY to an engineer API key (see the README: keys create --role engineer)');
    process.exit(2);
  }
  await clientFlow(createTppClient(url, key), process.argv[2] ?? 'jinshan-ev-plant', (line) =>
    console.log(line),
  );
}
