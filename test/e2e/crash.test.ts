/**
 * Crash safety of the embedded database: the real server runs on a SQLite file while the test streams
 * submissions and approvals at it, logging every acknowledged answer; it is killed with SIGKILL at a random
 * moment, restarted on the same file (taking over the dead process's lock file), and every acknowledged
 * application and reservation must be there, nothing half-written, the timelines agreeing with the records.
 * 20 rounds (CRASH_ROUNDS overrides). CRASH_SEED=<n> replays the random kill moments and choices of a failing
 * run. The time is dominated by the 21 server starts (2–4 s each on 2 cores).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/domain/plan/synthetic.js';
import {
  addDays,
  applicationBody,
  createSmallSite,
  fetchCall,
  mapLimit,
  startServer,
  type ApplicationBody,
  type Call,
  type ServerProcess,
  type SmallSite,
  type SubmitBody,
  type TimelineBody,
} from '../concurrency/support.js';

const KEY = 'tpp_crash_test_engineer_key_0123456789';
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const WORKERS = 4;
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface EventBody {
  items: { event: string; from_state: string | null; to_state: string }[];
}

describe('the embedded database survives SIGKILL mid-stream', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-crash-'));
  const dbPath = path.join(dir, 'tpp.db');
  const lockPath = `${dbPath}.lock`;
  const env = {
    TPP_DB_PATH: dbPath,
    TPP_SEED: '0',
    TPP_BOOTSTRAP_API_KEY: KEY,
    TPP_BOOTSTRAP_KEY_FILE: path.join(dir, 'bootstrap-key.txt'),
    TPP_DEADLINE_SWEEP_INTERVAL_S: '0',
  };
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged submission and approval across ${ROUNDS} kills (seed ${SEED})`, async () => {
    const random = mulberry32(SEED); // seeded, so a failing run can be replayed with CRASH_SEED
    const t0 = Date.now();
    server = await startServer(env);
    let call: Call = fetchCall(server.url, `Bearer ${KEY}`);
    // A 2500 kVA point (limit 2125 kVA) and 1 kW loads: room for every approval of the run.
    const site: SmallSite = await createSmallSite(call, {
      siteId: 'crash',
      rating_kva: 2500,
      today: new Date().toISOString(),
    });
    const acknowledged = { submitted: new Map<string, number>(), approved: new Set<string>() };
    const eventsChecked = new Set<string>();
    let demand_kva = 0;
    const stats: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // ---- stream until the kill -----------------------------------------------------------------------
      const unexpected: string[] = [];
      let sent = 0;
      const worker = async (w: number) => {
        for (let i = 0; ; i++) {
          try {
            sent++;
            const s = await call(
              'POST',
              '/v1/sites/crash/applications',
              applicationBody(site, {
                reference: `R${round}-${w}-${i}`,
                organisation: `Org ${round}`,
                rated_power_kw: 1,
              }),
            );
            if (s.status !== 201) {
              unexpected.push(`submit ${s.status} ${JSON.stringify(s.body)}`);
              continue;
            }
            const a = (s.body as SubmitBody).application;
            acknowledged.submitted.set(a.id, round);
            demand_kva = a.demand_kva;
            if (random() < 0.6) {
              sent++;
              const r = await call('POST', `/v1/sites/crash/applications/${a.id}/approve`, {});
              if (r.status === 200) acknowledged.approved.add(a.id);
              else unexpected.push(`approve ${r.status} ${JSON.stringify(r.body)}`);
            }
          } catch {
            return; // the server is gone: this request was not acknowledged
          }
        }
      };
      const streaming = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      const killAfterMs = 100 + Math.floor(random() * 400);
      await new Promise((r) => setTimeout(r, killAfterMs));
      const killed = await server.kill('SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      await streaming;
      expect(unexpected).toEqual([]);

      // ---- restart on the same file: the dead process's lock file is taken over --------------------------
      expect(fs.existsSync(lockPath)).toBe(true);
      expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(server.pid)); // left behind by the killed process
      const tStart = Date.now();
      server = await startServer(env);
      const startMs = Date.now() - tStart;
      expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(server.pid));
      call = fetchCall(server.url, `Bearer ${KEY}`);

      // ---- every acknowledged record is there, nothing half-written ----------------------------------------
      const tVerify = Date.now();
      const list = await call('GET', '/v1/sites/crash/applications');
      const listMs = Date.now() - tVerify;
      expect(list.status).toBe(200);
      const items = (list.body as { items: ApplicationBody[] }).items;
      const byId = new Map(items.map((a) => [a.id, a]));
      const missing = [...acknowledged.submitted.keys()].filter((id) => !byId.has(id));
      expect(missing).toEqual([]);
      for (const id of acknowledged.approved) {
        expect(byId.get(id)?.state, id).toBe('approved');
        expect(byId.get(id)?.point_id, id).toBe('P1');
      }
      for (const a of items) {
        // Submit and the document check's accept are one transaction: `submitted` would be half-written.
        expect(['accepted', 'approved'], `${a.id} is ${a.state}`).toContain(a.state);
        expect(a.point_id).toBe('P1');
        expect(a.stages[0]?.stage).toBe('submitted');
      }
      const fresh = items.filter((a) => !eventsChecked.has(a.id));
      await mapLimit(fresh, 8, async (a) => {
        if (acknowledged.submitted.get(a.id) === round) {
          const g = await call('GET', `/v1/sites/crash/applications/${a.id}`);
          expect(g.status).toBe(200);
          expect((g.body as ApplicationBody).state).toBe(a.state);
        }
        const ev = (await call('GET', `/v1/sites/crash/applications/${a.id}/events`)).body as EventBody;
        const names = ev.items.map((e) => e.event);
        expect(names[0], a.id).toBe('submit');
        expect(
          names.filter((n) => n === 'accept'),
          a.id,
        ).toHaveLength(1);
        expect(
          names.filter((n) => n === 'approve'),
          a.id,
        ).toHaveLength(a.state === 'approved' ? 1 : 0);
        eventsChecked.add(a.id);
      });

      // ---- the point's loads and timelines agree with the records -----------------------------------------
      const tl = (
        await call(
          'GET',
          `/v1/sites/crash/supply-points/P1/timeline?from=${site.window.start}&to=${addDays(site.window.start, 1)}`,
        )
      ).body as TimelineBody;
      const loadsOf = new Map<string, { reserved: number; pending: number }>();
      for (const l of tl.loads) {
        expect(l.source).toBe('application');
        expect(byId.has(l.source_id ?? ''), `load ${l.reservation_id} of unknown ${l.source_id}`).toBe(true);
        const c = loadsOf.get(l.source_id!) ?? { reserved: 0, pending: 0 };
        if (l.state === 'reserved') c.reserved++;
        else if (l.state === 'pending') c.pending++;
        loadsOf.set(l.source_id!, c);
      }
      for (const a of items) {
        const c = loadsOf.get(a.id) ?? { reserved: 0, pending: 0 };
        expect(c, `${a.id} (${a.state})`).toEqual(
          a.state === 'approved' ? { reserved: 1, pending: 0 } : { reserved: 0, pending: 1 },
        );
      }
      const approved = items.filter((a) => a.state === 'approved');
      const reservedSum = tl.loads
        .filter((l) => l.state === 'reserved')
        .reduce((s, l) => s + l.demand_kva, 0);
      const pendingSum = tl.loads.filter((l) => l.state === 'pending').reduce((s, l) => s + l.demand_kva, 0);
      // Continuous profile (factor 1 every hour): each hour of the window carries the plain sum.
      for (const v of tl.reserved_kva) expect(v).toBeCloseTo(reservedSum, 3);
      for (const v of tl.pending_kva) expect(v).toBeCloseTo(pendingSum, 3);
      const u = (
        await call('GET', `/v1/sites/crash/utilisation?from=${site.window.start}&to=${site.window.end}`)
      ).body as {
        points: {
          point_id: string;
          reserved: { peak_kva: number };
          total: { peak_kva: number };
          limit_kva: number;
          loads: { reserved: number; pending: number };
        }[];
      };
      const p1 = u.points.find((p) => p.point_id === 'P1')!;
      expect(p1.loads).toEqual({ reserved: approved.length, pending: items.length - approved.length });
      expect(p1.reserved.peak_kva).toBeCloseTo(reservedSum, 3);
      expect(p1.total.peak_kva).toBeCloseTo(reservedSum + pendingSum, 3);
      expect(p1.reserved.peak_kva).toBeLessThanOrEqual(p1.limit_kva);

      const unackedApproved = approved.filter((a) => !acknowledged.approved.has(a.id)).length;
      stats.push(
        `r${round}: kill@${killAfterMs}ms, restart ${startMs} ms, list ${listMs} ms, verify ${Date.now() - tVerify} ms; sent ${sent}, total ${items.length} apps / ${approved.length} approved ` +
          `(+${items.length - acknowledged.submitted.size} unacked submits, +${unackedApproved} unacked approvals)`,
      );
    }
    expect(demand_kva).toBeGreaterThan(0);
    console.log(
      `[crash] seed ${SEED}: ${ROUNDS} rounds in ${Date.now() - t0} ms; ${acknowledged.submitted.size} acked submissions, ` +
        `${acknowledged.approved.size} acked approvals\n  ${stats.join('\n  ')}`,
    );
  }, 170_000);
});
