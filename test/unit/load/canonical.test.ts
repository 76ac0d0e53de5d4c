import { describe, expect, it } from 'vitest';
import { canonicalJson, ENGINE_VERSION } from '../../../src/domain/canonical.js';
import { DomainError } from '../../../src/domain/errors.js';

describe('canonicalJson', () => {
  it('when two objects differ only in key order, then their canonical JSON is identical and sorted', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [2, 1] }, b: 1 })).toBe(
      canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } }),
    );
  });

  it('when values are undefined or not finite, then they are dropped from objects and null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, Number.NaN, -0, 1.5], c: Infinity })).toBe(
      '{"b":[null,null,0,1.5],"c":null}',
    );
  });

  it('when the value is cyclic or a BigInt, then a DomainError is thrown', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(DomainError);
    expect(() => canonicalJson({ n: 1n })).toThrow(DomainError);
  });

  it('when a plain value is serialised, then it parses back to an equal value', () => {
    const v = { z: [1, { y: true, x: null }], s: 'ü"\n' };
    expect(JSON.parse(canonicalJson(v))).toEqual(v);
  });

  it('exports the engine version', () => {
    expect(ENGINE_VERSION).toBe('0.1.0');
  });
});
