import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { placeNearest } from '../../src/app/placements.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ seed: false });
});
afterAll(async () => t.close());

const DEMAND = {
  load: {
    equipment: [
      { type: 'tower_crane', quantity: 2, rated_power_kw: '55 kW', duty_cycle: 0.4 },
      { type: 'concrete_pump', quantity: 3, rated_power_kw: 30 },
      {
        type: 'welder_ac',
        quantity: 4,
        rated_apparent_power_kva: '38.6 kVA',
        duty_cycle: 0.5,
        power_factor: 0.45,
      },
    ],
  },
};

async function pdfText(body: Buffer): Promise<{ text: string; pages: number }> {
  const doc = await getDocumentProxy(new Uint8Array(body));
  const { text, totalPages } = await extractText(doc, { mergePages: true });
  return { text: text.replace(/\s+/g, ' '), pages: totalPages };
}

describe('POST /v1/calculations/demand/book', () => {
  it('answers the book as JSON by default, with the same numbers as the calculation', async () => {
    const calc = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('contractor'),
      payload: DEMAND,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand/book?lang=en',
      headers: t.auth('contractor'),
      payload: DEMAND,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const book = res.json();
    expect(book.format).toBe('tpp-calculation-book/1');
    expect(book.lang).toBe('en');
    // The calculation's answer is rounded for the wire (0.1 kW…, docs/nomenclature.md); the book keeps the exact
    // result its hash covers, and prints it rounded.
    for (const [k, v] of Object.entries(calc.json().totals as Record<string, number | string>))
      if (typeof v === 'number') expect(book.source.result.totals[k], k).toBeCloseTo(v, 1);
    expect(book.provenance.input_sha256).toBe(calc.json().provenance.input_sha256);
    expect(book.cover.author).toMatch(/^contractor · /);
  });

  it('takes the language from Accept-Language when ?lang is absent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand/book',
      headers: { ...t.auth('viewer'), 'accept-language': 'en-GB,en;q=0.9' },
      payload: DEMAND,
    });
    expect(res.json().lang).toBe('en');
    const zh = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand/book',
      headers: t.auth('viewer'),
      payload: DEMAND,
    });
    expect(zh.json().lang).toBe('zh-CN');
  });

  it('renders HTML with a print stylesheet and MathML formulas', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand/book?lang=zh-CN',
      headers: { ...t.auth('engineer'), accept: 'text/html' },
      payload: DEMAND,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('@page { size: A4');
    expect(res.body).toContain('<math');
    expect(res.body).toContain('需要系数法');
    expect(res.body).toContain('<thead>');
  });

  it('renders a PDF with embedded fonts whose searchable text holds the JSON’s key values', async () => {
    const json = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/calculations/demand/book?lang=zh-CN',
        headers: t.auth('engineer'),
        payload: DEMAND,
      })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand/book?lang=zh-CN',
      headers: { ...t.auth('engineer'), accept: 'application/pdf' },
      payload: DEMAND,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Fonts are embedded (FontFile2/FontFile3 streams) and subset, never referenced by name only.
    const raw = res.rawPayload.toString('latin1');
    expect(raw).toMatch(/\/FontFile[23]/);
    const { text, pages } = await pdfText(res.rawPayload);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain('施工临时用电负荷计算书');
    expect(text).toContain('需要系数法');
    const totals = json.source.result.totals;
    const fmt = (v: number, d: number) =>
      v.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
    expect(text).toContain(fmt(totals.apparent_power_kva, 2));
    expect(text).toContain(fmt(totals.current_a, 1));
    expect(text).toContain(json.provenance.result_sha256);
    expect(text).toContain(`第 1 页 / 共 ${pages} 页`);
  });
});

describe('POST /v1/calculations/feeder/book', () => {
  it('makes the feeder book', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder/book?lang=en',
      headers: t.auth('engineer'),
      payload: {
        load: { active_power_kw: '80 kW', reactive_power_kvar: 60 },
        feeder: { length_m: '120 m', conductor: 'Cu', insulation: 'XLPE', installation: 'buried' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().kind).toBe('feeder');
    expect(JSON.stringify(res.json().sections)).toContain('151.9');
  });
});

describe('POST /v1/calculation-books/verify', () => {
  it('answers match for a book as it was issued, and 400 naming the field for a broken input', async () => {
    const book = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/calculations/demand/book',
        headers: t.auth('engineer'),
        payload: DEMAND,
      })
    ).json();
    const v = await t.app.inject({
      method: 'POST',
      url: '/v1/calculation-books/verify',
      headers: t.auth('viewer'),
      payload: book,
    });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ status: 'match', result_sha256: book.provenance.result_sha256 });

    book.source.input.load.equipment[0].quantity = -1;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/calculation-books/verify',
      headers: t.auth('viewer'),
      payload: book,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(bad.json())).toContain('/source/input/load/equipment/0/quantity');
  });

  it('answers changed with the values that moved when the stated result differs', async () => {
    const book = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/calculations/demand/book',
        headers: t.auth('engineer'),
        payload: DEMAND,
      })
    ).json();
    book.source.result.totals.apparent_power_kva = 1;
    book.provenance.result_sha256 = '0'.repeat(64);
    const v = await t.app.inject({
      method: 'POST',
      url: '/v1/calculation-books/verify',
      headers: t.auth('viewer'),
      payload: book,
    });
    expect(v.json().status).toBe('changed');
    expect(v.json().changes.map((c: { path: string }) => c.path)).toEqual(['/totals/apparent_power_kva']);
  });
});

describe('GET /assets/fonts', () => {
  it('serves the book web fonts and nothing else', async () => {
    const ok = await t.app.inject({ url: '/assets/fonts/noto-sans-sc-chinese-simplified-400-normal.woff2' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('font/woff2');
    const no = await t.app.inject({ url: '/assets/fonts/..%2Fpackage.json' });
    expect(no.statusCode).toBe(404);
  });
});

describe('GET /v1/sites/{siteId}/book', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await makeTestApp();
    // Place the reference requests at their nearest points (pending) so the schedule has load.
    await placeNearest(s.deps, SITE, 'pending');
  });
  afterAll(async () => s.close());

  it('is for engineers only (it lists every organisation’s loads)', async () => {
    for (const role of ['contractor', 'viewer'] as const) {
      const res = await s.app.inject({ url: '/v1/sites/jinshan-ev-plant/book', headers: s.auth(role) });
      expect(res.statusCode).toBe(403);
    }
  });

  it('holds points, phases, feeders and a summary, and verifies as match', async () => {
    const res = await s.app.inject({
      url: '/v1/sites/jinshan-ev-plant/book?lang=en',
      headers: s.auth('engineer'),
    });
    expect(res.statusCode).toBe(200);
    const book = res.json();
    expect(book.kind).toBe('site');
    expect(book.cover.issued_at).toMatch(/\+08:00$/);
    expect(book.sections.map((x: { id: string }) => x.id)).toEqual([
      'inputs',
      'method',
      'schedule',
      'loading',
      'loads',
      'feeders',
      'findings',
      'summary',
      'conclusion',
      'provenance',
    ]);
    expect(book.source.input.points).toHaveLength(10);
    expect(book.source.input.phases.length).toBeGreaterThanOrEqual(3);
    const v = await s.app.inject({
      method: 'POST',
      url: '/v1/calculation-books/verify',
      headers: s.auth('engineer'),
      payload: book,
    });
    expect(v.json()).toMatchObject({ status: 'match' });
  });

  it('renders as PDF in Chinese', async () => {
    const res = await s.app.inject({
      url: '/v1/sites/jinshan-ev-plant/book?lang=zh-CN',
      headers: { ...s.auth('engineer'), accept: 'application/pdf' },
    });
    expect(res.statusCode).toBe(200);
    const { text } = await pdfText(res.rawPayload);
    expect(text).toContain('施工现场临时用电计算书');
    expect(text).toContain('SP-01');
  });
});
