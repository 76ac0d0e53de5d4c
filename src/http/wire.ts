/**
 * Domain results are richer than their documented wire schema (readonly arrays, extra trace detail). The
 * zod serializer checks every response against the route's schema at run time (a mismatch is a logged 500,
 * and the HTTP tests exercise every route), so handlers hand domain objects over through this one cast.
 */
export function wire<T>(value: T): never {
  return value as never;
}
