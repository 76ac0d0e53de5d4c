/**
 * Calculation books: run a calculation, hash its input and result, ask whether the newer rule-set edition
 * would change it, and build the book (domain/book). `verifyBook` recomputes a book from the input it carries
 * and says whether the result is the same, and if not, which values changed and why.
 */
import { canonicalJson, ENGINE_VERSION } from '../domain/canonical.js';
import type { RuleSetId } from '../domain/catalog/rule-sets.js';
import { DomainError } from '../domain/errors.js';
import { buildDemandBook, buildFeederBook, type BookMeta } from '../domain/book/build.js';
import type { Book, BookKind, BookLang, BookProvenance } from '../domain/book/model.js';
import { localIsoWithOffset } from '../domain/book/format.js';
import {
  runDemand,
  runFeeder,
  sha256,
  type DemandRequestInput,
  type FeederRequestInput,
  type Provenance,
} from './calculations.js';

/** tpp's release version, printed on every book. */
export const TPP_VERSION = '0.1.0';

/** The newer edition of a rule set, when there is one (JGJ 46-2005 → JGJ/T 46-2024). */
const NEWER_EDITION: Partial<Record<RuleSetId, RuleSetId>> = { 'JGJ46-2005': 'JGJ/T46-2024' };

export interface BookContext {
  lang: BookLang;
  author: string;
  /** The instant of issue (ISO 8601 UTC) and the time zone the book prints it in. */
  now: string;
  timezone?: string;
  project?: string | null;
  site?: string | null;
}

/** The part of a result that its hash covers: everything but its provenance block. */
function resultBody(result: { provenance?: unknown }): unknown {
  const { provenance: _p, ...rest } = result;
  return rest;
}

/** The result without the labels that name the rule set, so two editions' results can be compared. */
function withoutEditionLabels(result: unknown): unknown {
  return JSON.parse(
    canonicalJson(result).replaceAll('JGJ/T46-2024', 'JGJ46-2005').replaceAll('JGJ/T 46-2024', 'JGJ 46-2005'),
  ) as unknown;
}

export function resultSha256(result: { provenance?: unknown }): string {
  return sha256(canonicalJson(resultBody(result)));
}

type Runner = (input: never) => { provenance: Provenance };

const RUNNERS: Record<BookKind, Runner> = {
  demand: runDemand,
  feeder: runFeeder,
};

function run(kind: BookKind, input: unknown): { provenance: Provenance } {
  return RUNNERS[kind](input as never);
}

function bookProvenance(
  kind: BookKind,
  input: { rule_set: RuleSetId },
  result: { provenance: Provenance },
): BookProvenance {
  const newerId = NEWER_EDITION[input.rule_set];
  let newer: BookProvenance['newer_edition'] = null;
  if (newerId) {
    const other = run(kind, { ...input, rule_set: newerId });
    newer = {
      rule_set: other.provenance.rule_set,
      edition: other.provenance.edition,
      changes_result:
        canonicalJson(withoutEditionLabels(resultBody(other))) !==
        canonicalJson(withoutEditionLabels(resultBody(result))),
    };
  }
  return {
    tpp_version: TPP_VERSION,
    engine_version: result.provenance.engine_version || ENGINE_VERSION,
    rule_set: result.provenance.rule_set,
    edition: result.provenance.edition,
    catalogue_version: result.provenance.catalogue_version,
    input_sha256: result.provenance.input_sha256,
    result_sha256: resultSha256(result),
    newer_edition: newer,
  };
}

function meta(ctx: BookContext, provenance: BookProvenance): BookMeta {
  const timezone = ctx.timezone ?? 'Asia/Shanghai';
  return {
    lang: ctx.lang,
    author: ctx.author,
    issued_at: localIsoWithOffset(ctx.now, timezone),
    timezone,
    project: ctx.project ?? null,
    site: ctx.site ?? null,
    provenance,
  };
}

export interface BookResult<R> {
  book: Book & { source: { kind: BookKind; input: unknown; result: R } };
  result: R;
}

/** The demand calculation and its book. */
export function demandBook(
  input: DemandRequestInput,
  ctx: BookContext,
): BookResult<ReturnType<typeof runDemand>> {
  const result = runDemand(input);
  const provenance = bookProvenance('demand', input, result);
  const built = buildDemandBook(input, result, meta(ctx, provenance));
  return { book: { ...built, source: { kind: 'demand', input, result } }, result };
}

/** The feeder calculation and its book. */
export function feederBook(
  input: FeederRequestInput,
  ctx: BookContext,
): BookResult<ReturnType<typeof runFeeder>> {
  const result = runFeeder(input);
  const provenance = bookProvenance('feeder', input, result);
  const built = buildFeederBook(input, result, meta(ctx, provenance));
  return { book: { ...built, source: { kind: 'feeder', input, result } }, result };
}

export interface ValueChange {
  /** JSON pointer into the result. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface VerifyOutcome {
  status: 'match' | 'changed' | 'recomputed';
  kind: BookKind;
  /** The result hash the book states (null when only an input was sent). */
  expected_result_sha256: string | null;
  result_sha256: string;
  input_sha256: string;
  /** Why the result differs: which of rule set, edition, catalogue or engine version moved (may be empty). */
  reasons: string[];
  /** The values that differ, at most 200, JSON pointers into the result. */
  changes: ValueChange[];
  changes_truncated: boolean;
  provenance: { before: Partial<BookProvenance> | null; after: BookProvenance };
}

function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.set(path, Array.isArray(value) ? [] : {});
    for (const [k, v] of entries) leaves(v, `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, out);
  } else out.set(path, value);
}

function diff(
  before: unknown,
  after: unknown,
  limit: number,
): { changes: ValueChange[]; truncated: boolean } {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(JSON.parse(canonicalJson(before)) as unknown, '', a);
  leaves(JSON.parse(canonicalJson(after)) as unknown, '', b);
  const changes: ValueChange[] = [];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  let truncated = false;
  for (const k of keys) {
    const x = a.has(k) ? a.get(k) : null;
    const y = b.has(k) ? b.get(k) : null;
    if (canonicalJson(x) === canonicalJson(y)) continue;
    if (changes.length >= limit) {
      truncated = true;
      break;
    }
    changes.push({ path: k, before: x, after: y });
  }
  return { changes, truncated };
}

/**
 * Recomputes a book (or a bare `{kind, input}`) and compares. `match`: the recomputed result hash equals the
 * book's; `changed`: it does not (with the differing values and the versions that moved); `recomputed`: no
 * book was sent, only an input.
 */
export function verifyBook(body: {
  kind: BookKind;
  input: unknown;
  result?: unknown;
  provenance?: Partial<BookProvenance> | null;
}): VerifyOutcome {
  const input = body.input as { rule_set: RuleSetId };
  let result: { provenance: Provenance };
  try {
    result = run(body.kind, input);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('validation_failed', 'The book’s input cannot be recomputed', {
      issues: [{ path: ['input'], message: err instanceof Error ? err.message : String(err) }],
    });
  }
  const after = bookProvenance(body.kind, input, result);
  const before = body.provenance ?? null;
  const expected = before?.result_sha256 ?? null;
  const status = expected === null ? 'recomputed' : expected === after.result_sha256 ? 'match' : 'changed';
  const reasons: string[] = [];
  if (before && status === 'changed') {
    const fields = ['rule_set', 'edition', 'catalogue_version', 'engine_version', 'tpp_version'] as const;
    for (const f of fields)
      if (before[f] !== undefined && before[f] !== after[f])
        reasons.push(`${f}: ${String(before[f])} → ${after[f]}`);
    if (before.input_sha256 !== undefined && before.input_sha256 !== after.input_sha256)
      reasons.push('the input differs from the one the book was made from');
    if (reasons.length === 0)
      reasons.push(
        'same versions, different result: catalogue data or the engine changed without a version change',
      );
  }
  const { changes, truncated } =
    status === 'changed' && body.result !== undefined
      ? diff(resultBody(body.result as { provenance?: unknown }), resultBody(result), 200)
      : { changes: [], truncated: false };
  return {
    status,
    kind: body.kind,
    expected_result_sha256: expected,
    result_sha256: after.result_sha256,
    input_sha256: after.input_sha256,
    reasons,
    changes,
    changes_truncated: truncated,
    provenance: { before, after },
  };
}
