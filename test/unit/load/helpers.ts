import { expect } from 'vitest';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { DomainError } from '../../../src/domain/errors.js';
import { calculateDemand } from '../../../src/domain/load/index.js';
import type { DemandInput, DemandResult } from '../../../src/domain/load/index.js';

export const JGJ = ruleSet('JGJ46-2005');

export function demand(input: DemandInput): DemandResult {
  return calculateDemand(input, { ruleSet: JGJ });
}

/** A computed value reproduces a printed one when it rounds to it at the printed number of decimals. */
export function expectPrinted(value: number, printed: number, decimals: number): void {
  expect(Math.abs(value - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}

/** The DomainError thrown by `fn` (fails the test when nothing or something else is thrown). */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

export function relClose(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
