/** Number formatting for the human-readable formula text of a calculation (presentation only). */

/** Fixed decimals, e.g. 56.921 → "56.92". */
export function fixed(value: number, digits = 2): string {
  return value.toFixed(digits);
}

/** A given input value as typed, at most 4 decimals, no trailing zeros: 45 → "45", 38.6 → "38.6". */
export function given(value: number): string {
  return String(Number(value.toFixed(4)));
}
