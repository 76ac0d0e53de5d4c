/**
 * Deterministic JSON for provenance hashes (the app layer computes SHA-256 of it): object keys sorted by
 * code unit, `undefined` / functions / symbols dropped from objects (null in arrays, as JSON.stringify does),
 * non-finite numbers as null, -0 as 0, `toJSON` honoured.
 */
import { DomainError } from './errors.js';

/** Version of the calculation engine, carried in every result's provenance. */
export const ENGINE_VERSION = '0.1.0';

/**
 * Serialises a JSON-like value deterministically.
 * @param value any JSON-like value
 * @throws DomainError `validation_failed` on a cycle or a BigInt (not representable in JSON)
 */
export function canonicalJson(value: unknown): string {
  const out = encode(value, new Set<object>());
  return out ?? 'null';
}

function encode(value: unknown, stack: Set<object>): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function')
    return encode((value.toJSON as () => unknown).call(value), stack);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new DomainError('validation_failed', 'canonicalJson: BigInt is not representable in JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      if (stack.has(value))
        throw new DomainError('validation_failed', 'canonicalJson: the value contains a cycle');
      stack.add(value);
      let text: string;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) parts.push(encode(value[i] as unknown, stack) ?? 'null');
        text = `[${parts.join(',')}]`;
      } else {
        const rec = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const key of Object.keys(rec).sort()) {
          const v = encode(rec[key], stack);
          if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
        }
        text = `{${parts.join(',')}}`;
      }
      stack.delete(value);
      return text;
    }
  }
}
