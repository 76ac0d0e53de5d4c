/**
 * Idempotent submission under concurrency: retries with one Idempotency-Key create one application, whatever
 * their interleaving; the key is bound to its body; distinct keys are distinct submissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import { fixedClock, makeTestApp, type TestApp } from '../support/app.js';
import {
  applicationBody,
  createSmallSite,
  injectCall,
  type ApplicationBody,
  type Call,
  type Problem,
  type SmallSite,
  type SubmitBody,
  waitForNoSessions,
} from './support.js';

const NOW = '2026-02-01T02:00:00.000Z';

describe.each(DATABASES)('idempotent submissions under concurrency ($name)', (db) => {
  let t: TestApp;
  let drop: () => Promise<void> = () => Promise.resolve();
  let url: string | undefined;
  let call: Call;
  let site: SmallSite;

  beforeAll(async () => {
    const opened = await db.open({ poolSize: 10 });
    drop = opened.drop;
    url = opened.url;
    t = await makeTestApp({ store: opened.store, seed: false, clock: fixedClock(NOW) });
    call = injectCall(t.app, `Bearer ${t.keys.engineer}`);
    site = await createSmallSite(call, { siteId: 'idem', rating_kva: 100, today: NOW });
  });

  afterAll(async () => {
    await t?.close();
    await waitForNoSessions(url);
    await drop();
  });

  const listOf = async (organisation: string) => {
    const r = await call(
      'GET',
      `/v1/sites/idem/applications?organisation=${encodeURIComponent(organisation)}`,
    );
    expect(r.status).toBe(200);
    return (r.body as { items: ApplicationBody[] }).items;
  };

  it('when 50 retries with the same key arrive at once, then one application exists and all 50 answers name it', async () => {
    const organisation = 'Retry Co';
    const body = applicationBody(site, { reference: 'R-RETRY', organisation });
    const key = 'retry-key-0001';
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call('POST', '/v1/sites/idem/applications', body, { 'idempotency-key': key }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const ids = new Set(answers.map((a) => (a.body as SubmitBody).application.id));
    expect(ids.size).toBe(1);
    // Exactly one of the 50 did the work; the other 49 are replays of its stored answer.
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    const items = await listOf(organisation);
    expect(items.map((a) => a.id)).toEqual([...ids]);
    // One pending placement at the point, not 50.
    const tl = await call('GET', '/v1/sites/idem/supply-points/P1/timeline');
    const loads = (tl.body as { loads: { source_id: string | null }[] }).loads.filter((l) =>
      ids.has(l.source_id ?? ''),
    );
    expect(loads).toHaveLength(1);
  });

  it('when the same key comes with a different body, then 422 idempotency_mismatch and nothing new is stored', async () => {
    const organisation = 'Mismatch Co';
    const key = 'mismatch-key-0001';
    const first = await call(
      'POST',
      '/v1/sites/idem/applications',
      applicationBody(site, { organisation, reference: 'A' }),
      {
        'idempotency-key': key,
      },
    );
    expect(first.status).toBe(201);
    const other = applicationBody(site, { organisation, reference: 'A', rated_power_kw: 11 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', '/v1/sites/idem/applications', other, { 'idempotency-key': key }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 422));
    for (const a of answers) expect((a.body as Problem).code).toBe('idempotency_mismatch');
    expect((await listOf(organisation)).map((a) => a.id)).toEqual([
      (first.body as SubmitBody).application.id,
    ]);
  });

  it('when the same body comes with 20 different keys at once, then 20 different applications are created', async () => {
    const organisation = 'Many Keys Co';
    const body = applicationBody(site, { organisation, reference: 'SAME' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', '/v1/sites/idem/applications', body, { 'idempotency-key': `distinct-key-${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(answers.every((a) => a.headers['idempotent-replayed'] === undefined)).toBe(true);
    const ids = new Set(answers.map((a) => (a.body as SubmitBody).application.id));
    expect(ids.size).toBe(20);
    expect(new Set((await listOf(organisation)).map((a) => a.id))).toEqual(ids);
  });

  it('when a key is replayed after the fact, then the stored answer comes back unchanged', async () => {
    const organisation = 'Late Retry Co';
    const body = applicationBody(site, { organisation });
    const first = await call('POST', '/v1/sites/idem/applications', body, {
      'idempotency-key': 'late-key-0001',
    });
    const again = await call('POST', '/v1/sites/idem/applications', body, {
      'idempotency-key': 'late-key-0001',
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await listOf(organisation)).toHaveLength(1);
  });
});
