/**
 * The example flow (examples/client-flow.ts) through the generated typed client against a listening server:
 * the client's types and the server's answers agree end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTppClient } from '../../client/index.js';
import { clientFlow, type FlowResult } from '../../examples/client-flow.js';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';

let t: TestApp;
let flow: FlowResult;
const lines: string[] = [];

beforeAll(async () => {
  t = await makeTestApp();
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  flow = await clientFlow(createTppClient(address, t.keys.engineer), SITE, (line) => lines.push(line));
}, 120_000);
afterAll(async () => t.close());

describe('the client flow example over HTTP', () => {
  it('reads the site and checks capacity on every supply point', () => {
    expect(flow.site.id).toBe(SITE);
    expect(flow.check.points).toHaveLength(flow.site.supply_point_count);
    expect(flow.check.fits).toBe(true);
    expect(flow.check.best_point_id).toEqual(expect.any(String));
  });

  it('validates, submits once (the retry with the same Idempotency-Key replays) and approves on the best point', () => {
    expect(flow.assessment.outcome).toBe('accepted');
    expect(flow.submitted.application.state).toBe('accepted');
    expect(flow.replayed).toBe(true);
    expect(flow.approved).toMatchObject({ state: 'approved', point_id: flow.check.best_point_id });
  });

  it('sees the reservation in the utilisation and finishes a planning run', () => {
    const point = flow.utilisation.points.find((p) => p.point_id === flow.check.best_point_id);
    expect(point?.loads.reserved).toBeGreaterThanOrEqual(1);
    expect(flow.plan.status).toBe('done');
    expect(flow.plan.result?.assignments.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toMatch(new RegExp(`^plan ${flow.plan.id}: done, \\d+ assignments$`));
  });
});
