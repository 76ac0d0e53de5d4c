/**
 * Numbers and quantities as a book prints them: per locale (Intl), a fixed number of decimals per unit, SI
 * symbols with a no-break space between value and unit (ISO 80000-1 §7.2.1).
 */
import type { BookLang, Cell } from './model.js';

/** Decimals printed per unit (the exact value stays in the cell's `value`). */
const DECIMALS: Record<string, number> = {
  kW: 2,
  kVA: 2,
  kvar: 2,
  A: 1,
  V: 0,
  m: 0,
  'mm²': 0,
  '%': 2,
  Ω: 3,
  kA: 2,
  '': 3,
};

const cache = new Map<string, Intl.NumberFormat>();

function formatter(lang: BookLang, digits: number): Intl.NumberFormat {
  const key = `${lang}|${digits}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    cache.set(key, f);
  }
  return f;
}

/** `value` formatted for `lang` with `digits` decimals (default: by unit). */
export function num(lang: BookLang, value: number, unit = '', digits?: number): string {
  if (!Number.isFinite(value)) return '—';
  const d = digits ?? DECIMALS[unit] ?? 2;
  return formatter(lang, d).format(value);
}

/** A value with its unit symbol: "172.75 kVA", "0.80". */
export function qty(lang: BookLang, value: number, unit: string, digits?: number): string {
  const n = num(lang, value, unit, digits);
  if (!unit) return n;
  return unit === '%' ? `${n} %` : `${n}\u00a0${unit}`;
}

/** A numeric table cell (right-aligned, exact value kept). */
export function numCell(lang: BookLang, value: number, unit = '', digits?: number): Cell {
  return { text: num(lang, value, unit, digits), value, align: 'right' };
}

export function textCell(text: string, align: Cell['align'] = 'left'): Cell {
  return { text, align };
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant (ISO 8601 UTC) as local time in `timezone` with its offset, to the minute:
 * "2026-12-04T22:00+08:00".
 */
export function localIsoWithOffset(utcIso: string, timezone: string): string {
  let f = zoneFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    zoneFormatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(utcIso)).map((p) => [p.type, p.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}${offset}`;
}
