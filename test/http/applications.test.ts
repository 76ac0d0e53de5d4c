/**
 * Online applications under missing-document acceptance, through HTTP, on the reference site.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, ORG_A, ORG_B, SCENARIO, SITE, type TestApp } from '../support/app.js';

interface ScenarioRequest {
  id: string;
  organisation: string;
  equipment: Record<string, unknown>[];
  note?: string;
  [k: string]: unknown;
}
const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as { requests: ScenarioRequest[] };
const body = (r: ScenarioRequest) => {
  const { id, note: _n, equipment, ...rest } = r;
  return { reference: id, ...rest, load: { equipment: equipment.map(({ note: _x, ...e }) => e) } };
};
const req = (id: string) => scenario.requests.find((r) => r.id === id)!;

// Submissions are made on 2025-07-01 (before every window starts), as the utility received them.
const clock = fixedClock('2025-07-01T02:00:00Z');
let t: TestApp;
// Response bodies are checked field by field below; `any` keeps those reads short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const submitted = new Map<string, { application: Json; assessment: Json }>();

beforeAll(async () => {
  t = await makeTestApp({ clock });
  for (const r of scenario.requests) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications`,
      headers: t.auth('engineer'),
      payload: body(r),
    });
    if (res.statusCode !== 201) throw new Error(`${r.id}: ${res.statusCode} ${res.body}`);
    submitted.set(r.id, res.json());
  }
});
afterAll(async () => t.close());

const codes = (id: string) =>
  (submitted.get(id)!.assessment.findings as { code: string }[]).map((f) => f.code);

describe('submitting the 43 reference requests (examples/jinshan-ev-plant.json; outcomes from shared/scenarios/README.md)', () => {
  it('rejects R-029 for its missing core document, naming it', () => {
    const s = submitted.get('R-029')!;
    expect(s.application.state).toBe('rejected');
    expect(s.assessment.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'DOC_CORE_MISSING', path: '/documents/applicant_identity' }),
      ]),
    );
  });

  it('does not accept R-037, which defers a document without a commitment letter', () => {
    const s = submitted.get('R-037')!;
    expect(s.assessment.outcome).toBe('not_accepted');
    expect(s.application.state).toBe('submitted');
    expect(codes('R-037')).toContain('DOC_COMMITMENT_LETTER_MISSING');
  });

  it('accepts R-006, R-011, R-020, R-043 with deferred documents, deadlines and a one-time notice', () => {
    for (const id of ['R-006', 'R-011', 'R-020', 'R-043']) {
      const s = submitted.get(id)!;
      expect(s.application.state, id).toBe('accepted_with_deferrals');
      expect(s.application.deferred_documents.length, id).toBeGreaterThan(0);
      for (const d of s.application.deferred_documents)
        expect(d.due_date > '2025-07-01' && d.due_date < s.application.window.end, id).toBe(true);
      expect(s.assessment.notice.items.length, id).toBe(s.application.deferred_documents.length);
      expect(s.assessment.notice.text, id).toMatch(/consequence|released|deadline/i);
    }
    expect(
      submitted.get('R-011')!.application.deferred_documents.map((d: { type: string }) => d.type),
    ).toEqual(['organisation_design']);
  });

  it('accepts the other 37 outright', () => {
    const special = ['R-029', 'R-037', 'R-006', 'R-011', 'R-020', 'R-043'];
    const others = scenario.requests.filter((r) => !special.includes(r.id));
    expect(others).toHaveLength(37);
    for (const r of others) expect(submitted.get(r.id)!.application.state, r.id).toBe('accepted');
  });

  it('flags no request with the LV connection limit: every reference request is served from a site point (issue #16)', () => {
    // scenario README: connect to the site's own 10/0.4 kV points like every other request
    const flagged = scenario.requests
      .filter((r) => codes(r.id).includes('LV_THRESHOLD_EXCEEDED'))
      .map((r) => r.id);
    expect(flagged).toEqual([]);
  });

  it('finds the protection-rule breaks of R-003, R-018, R-021, R-036 and the feeder problems of R-029 and R-012', () => {
    expect(codes('R-003')).toContain('R3A_SWITCH_BOX_RCD_WET');
    expect(codes('R-018')).toContain('R3_SWITCH_BOX_RCD_CURRENT');
    expect(codes('R-021')).toContain('R4_MAIN_BOX_RCD_PRODUCT');
    expect(codes('R-036')).toContain('R2_EARTHING_SYSTEM');
    expect(codes('R-029')).toContain('FEEDER_VOLTAGE_DROP');
    expect(codes('R-012')).toContain('FEEDER_AMPACITY');
    const ruleBreakers = scenario.requests
      .filter((r) => codes(r.id).some((c) => /^R\d/.test(c) && c !== 'R1_ORGANISATION_DESIGN_REQUIRED'))
      .map((r) => r.id);
    expect(ruleBreakers).toEqual(['R-003', 'R-018', 'R-021', 'R-036']);
  });

  it('places accepted applications as pending load at a point, visible in the utilisation read', async () => {
    const u = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/utilisation?at=2025-07-01T02:00:00Z`,
        headers: t.auth('viewer'),
      })
    ).json();
    const pending = u.points.reduce((s: number, p: { loads: { pending: number } }) => s + p.loads.pending, 0);
    const placed = [...submitted.values()].filter(
      (s) => ['accepted', 'accepted_with_deferrals'].includes(s.application.state) && s.application.point_id,
    ).length;
    expect(pending).toBe(placed);
  });
});

describe('the workflow through HTTP', () => {
  it('approves an accepted application on its point, reserving capacity, and records every event', async () => {
    const id = submitted.get('R-001')!.application.id;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/approve`,
      headers: t.auth('engineer'),
      payload: { reason: 'scheme approved' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ state: 'approved', point_id: 'SP-08' });
    const ev = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications/${id}/events`,
        headers: t.auth('engineer'),
      })
    ).json().items;
    expect(
      ev.map(
        (e: { event: string; from_state: string | null; to_state: string }) =>
          `${e.event}:${e.from_state}->${e.to_state}`,
      ),
    ).toEqual(['submit:null->submitted', 'accept:submitted->accepted', 'approve:accepted->approved']);
    expect(ev[2]).toMatchObject({ actor_role: 'engineer', reason: 'scheme approved' });
    const tl = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/supply-points/SP-08/timeline`,
        headers: t.auth('engineer'),
      })
    ).json();
    expect(
      tl.loads
        .filter((l: { source_id: string; state: string }) => l.source_id === id)
        .map((l: { state: string }) => l.state),
    ).toEqual(['reserved']);
  });

  it('answers an illegal transition with 409 naming the allowed events', async () => {
    const id = submitted.get('R-029')!.application.id;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/approve`,
      headers: t.auth('engineer'),
      payload: {},
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'illegal_transition', allowed_events: [] });
  });

  it('approves R-042 (a 180 kW heater bank served from a site point) without any LV override (issue #16)', async () => {
    const id = submitted.get('R-042')!.application.id;
    const yes = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/approve`,
      headers: t.auth('engineer'),
      payload: { point_id: 'SP-03' },
    });
    expect(yes.statusCode, yes.body).toBe(200);
    expect(yes.json()).toMatchObject({ state: 'approved', lv_override: false });
  });

  it('blocks energising R-011 while its organisation design is outstanding, and allows it once supplied', async () => {
    const id = submitted.get('R-011')!.application.id;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/sites/${SITE}/applications/${id}/approve`,
          headers: t.auth('engineer'),
          payload: {},
        })
      ).statusCode,
    ).toBe(200);
    const blocked = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/transitions`,
      headers: t.auth('engineer'),
      payload: { event: 'energise' },
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().failed_guards).toContain('no_outstanding_energisation_gate');
    const docs = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/documents`,
      headers: t.auth('contractor'),
      payload: {
        documents: { organisation_design: { file_name: 'org-design.pdf', sha256: 'a'.repeat(64) } },
      },
    });
    expect(docs.statusCode, docs.body).toBe(200);
    expect(docs.json().deferred_documents[0].supplied_on).toBe('2025-07-01');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/transitions`,
      headers: t.auth('engineer'),
      payload: { event: 'energise' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'energised', energised_on: '2025-07-01' });
  });

  it('accepts R-037 once the commitment letter arrives', async () => {
    const id = submitted.get('R-037')!.application.id;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/documents`,
      headers: t.auth('contractor'),
      payload: { documents: { commitment_letter: { file_name: 'commitment.pdf' } } },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().state).toBe('accepted_with_deferrals');
  });

  it('moves a late application to overdue on read, suspends its organisation’s deferral rights, and releases its capacity after the grace period', async () => {
    const id = submitted.get('R-043')!.application.id;
    const due = submitted.get('R-043')!.application.deferred_documents[0].due_date as string;
    // Noon (Shanghai) of the day after the due date.
    clock.set(new Date(Date.parse(`${due}T04:00:00Z`) + 86_400_000).toISOString());
    const late = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications/${id}`,
        headers: t.auth('engineer'),
      })
    ).json();
    expect(late.state).toBe('overdue');
    expect(late.overdue_items[0]).toMatchObject({ type: 'billing_account', due_date: due });
    // Its organisation may not defer documents while it has an overdue item.
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/validate`,
      headers: t.auth('engineer'),
      payload: { ...body(req('R-043')), reference: 'R-043b' },
    });
    expect(again.json().findings.map((f: { code: string }) => f.code)).toContain(
      'DOC_DEFERRAL_RIGHTS_SUSPENDED',
    );
    clock.set('2027-01-20T04:00:00Z');
    const released = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications/${id}`,
        headers: t.auth('engineer'),
      })
    ).json();
    expect(released.state).toBe('closed');
    const ev = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications/${id}/events`,
        headers: t.auth('engineer'),
      })
    ).json().items;
    expect(ev.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['mark_overdue', 'release_reservation']),
    );
    expect(ev.find((e: { event: string }) => e.event === 'mark_overdue').actor_role).toBe('system');
    clock.set('2025-07-01T02:00:00Z');
  });

  it('serves statistics: applications by state, overdue items and stage times', async () => {
    const s = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications/stats`,
        headers: t.auth('viewer'),
      })
    ).json();
    expect(s.total).toBe(43);
    expect(Object.values(s.by_state as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(43);
    expect(s.by_state.rejected).toBe(1);
    expect(s.stage_times.map((x: { stage: string }) => x.stage)).toEqual(
      expect.arrayContaining(['accepted']),
    );
  });

  it('validates without storing anything', async () => {
    const before = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications`,
        headers: t.auth('engineer'),
      })
    ).json().items.length;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/validate`,
      headers: t.auth('engineer'),
      payload: body(req('R-036')),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().findings.map((f: { code: string }) => f.code)).toContain('R2_EARTHING_SYSTEM');
    const after = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications`,
        headers: t.auth('engineer'),
      })
    ).json().items.length;
    expect(after).toBe(before);
  });
});

describe('the LV connection limit applies to direct public-LV connections only (issue #16)', () => {
  it('does not flag R-006 or R-011 served from site points; flags R-011 asked as a public-LV connection (334 kW installed)', async () => {
    const validate = async (id: string, extra: Record<string, unknown> = {}) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/sites/${SITE}/applications/validate`,
          headers: t.auth('engineer'),
          payload: { ...body(req(id)), ...extra },
        })
      ).json();
    for (const id of ['R-006', 'R-011']) {
      const v = await validate(id);
      expect(v.low_voltage_threshold, id).toMatchObject({ applies: false, exceeded: false });
      expect(v.findings.map((f: { code: string }) => f.code)).not.toContain('LV_THRESHOLD_EXCEEDED');
    }
    const publicLv = await validate('R-011', { connection: 'public_lv' });
    // R-011 installed: 2 × 45 + 10 × 20 + 2 × 22 = 334 kW > 160 kW → 10 kV path.
    expect(publicLv.low_voltage_threshold).toMatchObject({
      applies: true,
      exceeded: true,
      basis: 'installed',
      value_kw: 334,
      threshold_kw: 160,
      path: '10kv',
    });
    expect(publicLv.findings.map((f: { code: string }) => f.code)).toContain('LV_THRESHOLD_EXCEEDED');
    // the old per-site basis setting is gone: one rule
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/sites/${SITE}`,
      headers: t.auth('engineer'),
      payload: { low_voltage_threshold_basis: 'largest_unit' },
    });
    expect(patch.statusCode).toBe(400);
  });
});

describe('tenancy', () => {
  it('lets a contractor see only its own organisation’s applications, and 404s the others', async () => {
    const mine = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/applications`,
        headers: t.auth('contractor'),
      })
    ).json().items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a: { organisation: string }) => a.organisation === ORG_A)).toBe(true);
    const theirs = submitted.get('R-003')!.application.id; // Huadong Foundation Engineering
    expect(submitted.get('R-003')!.application.organisation).toBe(ORG_B);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/v1/sites/${SITE}/applications/${theirs}`,
          headers: t.auth('contractor'),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/v1/sites/${SITE}/applications/${theirs}/events`,
          headers: t.auth('contractor'),
        })
      ).statusCode,
    ).toBe(404);
    const change = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${theirs}/transitions`,
      headers: t.auth('contractor'),
      payload: { event: 'withdraw' },
    });
    expect(change.statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/v1/sites/${SITE}/applications/${theirs}`,
          headers: t.auth('otherContractor'),
        })
      ).statusCode,
    ).toBe(200);
  });

  it('forbids contractors to approve (403) and to submit for another organisation', async () => {
    const own = submitted.get('R-012')!.application.id;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/sites/${SITE}/applications/${own}/approve`,
          headers: t.auth('contractor'),
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications`,
      headers: t.auth('contractor'),
      payload: body(req('R-003')),
    });
    expect(r.statusCode).toBe(403);
  });

  it('lets the applicant withdraw its own application before energisation, releasing the capacity', async () => {
    const id = submitted.get('R-013')!.application.id;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/${id}/transitions`,
      headers: t.auth('contractor'),
      payload: { event: 'withdraw', reason: 'scope moved' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().state).toBe('withdrawn');
    const tl = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/supply-points/SP-03/timeline`,
        headers: t.auth('engineer'),
      })
    ).json();
    expect(tl.loads.some((l: { source_id: string }) => l.source_id === id)).toBe(false);
  });
});
