/**
 * `npm run bench [-- --only name,name] [-- --duration 5]`: HTTP benchmarks as ratios of a bare Fastify route
 * measured in the same run; writes rows to BENCHMARKS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_KEY, load, recordRows, startBare, startTpp, type Row } from './harness.js';
import { SCENARIOS } from './scenarios.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : undefined;
const durationS = args.includes('--duration') ? Number(args[args.indexOf('--duration') + 1]) : 5;
const command = `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`;

const tpp = await startTpp(38_301);
const auth = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };
const rows: Row[] = [];
try {
  for (const s of SCENARIOS.filter((x) => !only || only.includes(x.name))) {
    const prepared = await s.prepare({ url: tpp.url, headers: auth });
    // The baseline answers the same bytes the API answers for this request.
    const sample = await fetch(tpp.url + prepared.path, {
      method: prepared.method,
      headers: auth,
      body: prepared.body,
    });
    const bytes = Buffer.from(await sample.arrayBuffer());
    if (sample.status >= 400)
      throw new Error(`${s.name}: sample request failed ${sample.status} ${bytes.toString()}`);
    const bodyFile = path.join(os.tmpdir(), `tpp-bench-${s.name.replace(/[^\w-]+/g, '_')}.json`);
    fs.writeFileSync(bodyFile, bytes);
    const bare = await startBare(38_302, bodyFile);
    try {
      await load(`${bare.url}/bare`, {
        method: prepared.method,
        headers: auth,
        body: prepared.body,
        durationS: 1,
      });
      const b = await load(`${bare.url}/bare`, {
        method: prepared.method,
        headers: auth,
        body: prepared.body,
        durationS,
      });
      await load(tpp.url + prepared.path, {
        method: prepared.method,
        headers: auth,
        body: prepared.body,
        durationS: 1,
      });
      const a = await load(tpp.url + prepared.path, {
        method: prepared.method,
        headers: auth,
        body: prepared.body,
        durationS,
      });
      if (a.non2xx > 0 || a.errors > 0) console.warn(`${s.name}: ${a.non2xx} non-2xx, ${a.errors} errors`);
      const row = {
        name: s.name,
        api_rps: a.rps,
        bare_rps: b.rps,
        ratio: a.rps / b.rps,
        p99_ms: a.p99_ms,
        note: s.note,
      };
      rows.push(row);
      console.log(
        `${s.name}: ${a.rps.toFixed(0)} req/s vs bare ${b.rps.toFixed(0)} req/s → ${(row.ratio * 100).toFixed(1)} %`,
      );
    } finally {
      await bare.stop();
    }
  }
} finally {
  await tpp.stop();
}
recordRows(rows, command);
