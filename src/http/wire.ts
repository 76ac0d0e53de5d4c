import { forWire } from '../app/wire-format.js';

/**
 * Domain results are richer than their documented wire schema (readonly arrays, extra trace detail). The
 * zod serializer checks every response against the route's schema at run time (a mismatch is a logged 500,
 * and the HTTP tests exercise every route), so handlers hand domain objects over through this one cast —
 * which also rounds their quantities by the one rule of src/app/wire-format.ts. Pre-serialised bytes pass as
 * they are (their producer formatted them).
 */
export function wire<T>(value: T): never {
  return (value instanceof Uint8Array ? value : forWire(value)) as never;
}
