import { describe, expect, it } from 'vitest';
import { BOOK_LANGS } from '../../../src/domain/book/model.js';
import { MESSAGE_KEYS, MESSAGE_TABLE, msg } from '../../../src/domain/book/messages.js';
import { localIsoWithOffset, num, qty } from '../../../src/domain/book/format.js';
import { demandBook, feederBook, verifyBook } from '../../../src/app/books.js';
import { EQUIPMENT_CATALOGUE } from '../../../src/domain/catalog/equipment.js';

const PUMPS = {
  rule_set: 'JGJ46-2005' as const,
  method: 'demand_coefficient' as const,
  // 3 pumps of 30 kW: Kx 0.7 and cos φ 0.8 from the catalogue (DOMAIN.md Table 1.4-D) → one group, no K∑.
  items: [{ type: 'concrete_pump', quantity: 3, rated_power_kw: 30 }],
};
const CTX = { lang: 'zh-CN' as const, author: 'engineer (key k1)', now: '2026-12-04T06:00:00.000Z' };

function allText(book: { sections: { blocks: unknown[] }[] }): string {
  return JSON.stringify(book.sections);
}

describe('calculation book: message catalogue and formatting', () => {
  it('has every message in both languages, none empty', () => {
    for (const key of MESSAGE_KEYS)
      for (const lang of BOOK_LANGS) expect(MESSAGE_TABLE[key]?.[lang], `${key} ${lang}`).toMatch(/\S/);
  });

  it('uses the standard Chinese terms of the calculation suites', () => {
    const zh = MESSAGE_KEYS.map((k) => msg('zh-CN', k)).join('\n');
    for (const term of [
      '需要系数法',
      '计算负荷',
      '同期系数',
      '电压损失',
      '载流量',
      '计算电流',
      '需要系数 Kx',
    ])
      expect(zh).toContain(term);
  });

  it('formats numbers per locale with SI symbols and a no-break space', () => {
    expect(qty('en', 1234.5678, 'kVA')).toBe('1,234.57\u00a0kVA');
    expect(qty('zh-CN', 1234.5678, 'kVA')).toBe('1,234.57\u00a0kVA');
    expect(qty('en', 171.16, 'A')).toBe('171.2\u00a0A');
    expect(qty('en', 2.671, '%')).toBe('2.67 %');
    expect(num('en', Number.NaN)).toBe('—');
  });

  it('prints the issue time in the site time zone with its offset', () => {
    expect(localIsoWithOffset('2026-12-04T14:00:00Z', 'Asia/Shanghai')).toBe('2026-12-04T22:00+08:00');
    expect(localIsoWithOffset('2026-07-01T00:30:00Z', 'Europe/London')).toBe('2026-07-01T01:30+01:00');
    expect(localIsoWithOffset('2026-01-01T00:30:00Z', 'UTC')).toBe('2026-01-01T00:30+00:00');
  });
});

describe('demand book', () => {
  it('shows the hand-checked group values: ΣPe = 90 kW, Pjs = 0.7·90 = 63 kW, Qjs = 63·0.75 = 47.25 kvar', () => {
    const { book, result } = demandBook(PUMPS, CTX);
    // Sjs = √(63² + 47.25²) = 78.75 kVA; Ijs = 78.75/(√3·0.38) = 119.65 A (DOMAIN.md §1.2).
    expect(result.groups[0]?.apparent_power_kva).toBeCloseTo(78.75, 6);
    const text = allText(book);
    for (const shown of ['90.00', '63.00', '47.25', '78.75', '119.6']) expect(text).toContain(shown);
    expect(book.cover.issued_at).toBe('2026-12-04T14:00+08:00');
    expect(book.title).toBe('施工临时用电负荷计算书');
    expect(book.sections.map((s) => s.id)).toEqual([
      'inputs',
      'method',
      'steps',
      'results',
      'findings',
      'conclusion',
      'provenance',
    ]);
    const formulas = book.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'formula');
    expect(formulas.length).toBeGreaterThanOrEqual(5);
    for (const f of formulas) expect(f.clause).toMatch(/JGJ|GB|DOMAIN|IEC/);
  });

  it('is the same book in English with the same numbers', () => {
    const zh = demandBook(PUMPS, CTX).book;
    const en = demandBook(PUMPS, { ...CTX, lang: 'en' }).book;
    expect(en.title).toMatch(/demand calculation book/);
    expect(en.provenance).toEqual(zh.provenance);
    const values = (b: typeof zh) =>
      b.sections
        .flatMap((s) => s.blocks)
        .flatMap((bl) => (bl.type === 'table' ? bl.rows.flat().map((c) => c.value) : []))
        .filter((v) => v !== undefined);
    expect(values(en)).toEqual(values(zh));
  });

  it('carries provenance: input and result hashes that a recomputation reproduces', () => {
    const a = demandBook(PUMPS, CTX).book;
    const b = demandBook(PUMPS, { ...CTX, lang: 'en', now: '2027-01-01T00:00:00Z' }).book;
    expect(a.provenance.input_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.provenance.result_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.provenance.result_sha256).toBe(a.provenance.result_sha256);
    expect(a.provenance.newer_edition).toEqual({
      rule_set: 'JGJ/T46-2024',
      edition: 'JGJ/T 46-2024',
      changes_result: false,
    });
  });
});

describe('verify', () => {
  it('answers match for an unchanged book', () => {
    const { book } = demandBook(PUMPS, CTX);
    const v = verifyBook({
      kind: 'demand',
      input: book.source.input,
      result: book.source.result,
      provenance: book.provenance,
    });
    expect(v.status).toBe('match');
    expect(v.changes).toEqual([]);
  });

  it('answers changed with the differing values when a catalogue value is altered', () => {
    const { book } = demandBook(PUMPS, CTX);
    const pump = EQUIPMENT_CATALOGUE.types.find((t) => t.id === 'concrete_pump');
    if (!pump) throw new Error('catalogue has no concrete_pump');
    const kx = pump.demand_factor;
    (pump as { demand_factor: number }).demand_factor = 0.6;
    try {
      const v = verifyBook({
        kind: 'demand',
        input: book.source.input,
        result: book.source.result,
        provenance: book.provenance,
      });
      expect(v.status).toBe('changed');
      const kxChange = v.changes.find((c) => c.path === '/groups/0/kx');
      expect(kxChange).toEqual({ path: '/groups/0/kx', before: 0.7, after: 0.6 });
      // Pjs = 0.6·90 = 54 kW after, 63 kW before.
      expect(v.changes.find((c) => c.path === '/groups/0/active_power_kw')?.after).toBeCloseTo(54, 9);
      expect(v.reasons.join(' ')).toMatch(/catalogue data or the engine changed/);
    } finally {
      (pump as { demand_factor: number }).demand_factor = kx;
    }
  });

  it('answers recomputed for a bare input', () => {
    const v = verifyBook({ kind: 'demand', input: PUMPS });
    expect(v.status).toBe('recomputed');
  });
});

describe('feeder book', () => {
  it('shows design current Ib = √(80² + 60²)/(√3·0.38) = 151.9 A and the chosen cable', () => {
    const { book, result } = feederBook(
      {
        rule_set: 'JGJ46-2005',
        load: { active_power_kw: 80, reactive_power_kvar: 60 },
        feeder: { length_m: 120, conductor: 'Cu', insulation: 'XLPE', installation: 'buried' },
      } as never,
      { ...CTX, lang: 'en' },
    );
    expect(result.design_current_a).toBeCloseTo(100 / (Math.sqrt(3) * 0.38), 6);
    const text = allText(book);
    expect(text).toContain('151.9');
    expect(text).toContain(`${result.cable?.cross_section_mm2}\u00a0mm²`);
    expect(book.conclusion.compliant).toBe(result.compliant);
  });
});
