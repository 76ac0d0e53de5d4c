/**
 * JSON pointers (RFC 6901) on the wire. The domain speaks paths as key lists (`['load', 'equipment', 0]`);
 * every path a response carries — findings and problem+json `errors[].pointer` alike — is one pointer string
 * (`/load/equipment/0`), the empty string meaning the whole body.
 */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.length === 0
    ? ''
    : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** A finding with its path as a JSON pointer. */
export function withPointer<T extends { path: readonly (string | number)[] }>(
  f: T,
): Omit<T, 'path'> & { path: string } {
  return { ...f, path: jsonPointer(f.path) };
}

/** A warning whose path is optional, with its path (when it has one) as a JSON pointer. */
export function warningWithPointer<T extends { path?: readonly (string | number)[] }>(
  w: T,
): Omit<T, 'path'> & { path?: string } {
  const { path, ...rest } = w;
  return path === undefined ? rest : { ...rest, path: jsonPointer(path) };
}
