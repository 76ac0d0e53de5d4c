/**
 * Numbers and times at the wire edge (docs/nomenclature.md, "Numbers and times"). The domain keeps full
 * precision; what leaves the service is rounded by one rule on the field's name, and a site-scoped answer gives
 * its instants in the site's offset:
 *
 * | field name | rounded to |
 * |---|---|
 * | `*_kw`, `*_kvar`, `*_kva` (and arrays under such a name) | 0.1 |
 * | `*_percent` | 0.01 |
 * | `*_a` (current), `*_v`, `*_m`, `*_kva_m` | 0.1 |
 * | fractions: `power_factor`, `tan_phi`, `kx`, `duty_cycle`, `loading_cap`, `warning_band`, `*_factor`, `*_fraction` | 0.001 |
 *
 * Other numbers (counts, ids, hours, ratings from a table) pass unchanged. `trace`, `provenance` and the echoes
 * of a request (`request`, `payload`) keep full precision, so an engineer can reproduce a calculation.
 *
 * Instants: with a time zone, every UTC instant string (`…Z`) except the record stamps (`created_at`,
 * `updated_at`, `applied_at`) and fields named `*_utc` (kept in UTC for machines) becomes ISO 8601 with the site's offset, minutes precision when the seconds are
 * zero (`2026-12-04T14:00+08:00`): the same instant, readable as the site's wall clock. One name per concept:
 * the planner's `peak_hour_iso` is `peak_at`, `hour_iso` is `at`, its `max_utilisation` (a fraction) is
 * `max_utilisation_fraction`; hour indices of the internal grid
 * (`peak_hour`, `coincident_peak_hour`) are not part of the contract and are dropped.
 */

type Rule = number | null;

const FRACTIONS = new Set([
  'power_factor',
  'tan_phi',
  'kx',
  'duty_cycle',
  'loading_cap',
  'warning_band',
  'max_utilisation_fraction',
]);

/** Decimals for a field name; null: leave as is. */
export function decimalsFor(key: string): Rule {
  if (/_(kw|kvar|kva)$/.test(key)) return 1;
  if (key.endsWith('_percent')) return 2;
  if (/_(a|v|m|kva_m)$/.test(key)) return 1;
  if (FRACTIONS.has(key) || key.endsWith('_factor') || key.endsWith('_fraction')) return 3;
  return null;
}

/** Rounds half away from zero to `digits` decimals; -0 becomes 0. */
export function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  const r = (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
  return r === 0 ? 0 : r;
}

const KEEP = new Set(['trace', 'provenance', 'request', 'payload']);
const RECORD_STAMPS = new Set(['created_at', 'updated_at', 'applied_at']);
const RENAME: Record<string, string> = {
  peak_hour_iso: 'peak_at',
  hour_iso: 'at',
  max_utilisation: 'max_utilisation_fraction',
};
const DROP = new Set(['peak_hour', 'coincident_peak_hour']);
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

export interface WireOptions {
  /** IANA zone of the site: instants are given in its offset. */
  timeZone?: string;
}

/** A copy of `value` with numbers rounded and instants localised as the module comment says. */
export function forWire<T>(value: T, options: WireOptions = {}): T {
  return walk(value, null, options.timeZone) as T;
}

const decimalsOfKey = new Map<string, Rule>();
function decimalsCached(key: string): Rule {
  let d = decimalsOfKey.get(key);
  if (d === undefined) {
    d = decimalsFor(key);
    if (decimalsOfKey.size < 10_000) decimalsOfKey.set(key, d);
  }
  return d;
}

function walk(value: unknown, key: string | null, tz: string | undefined): unknown {
  if (typeof value === 'number') {
    const d = key === null ? null : decimalsCached(key);
    return d === null ? value : roundTo(value, d);
  }
  if (typeof value === 'string') {
    if (tz && key !== null && !RECORD_STAMPS.has(key) && !key.endsWith('_utc') && UTC_INSTANT.test(value))
      return localIso(value, tz);
    return value;
  }
  if (Array.isArray(value)) {
    const d = key === null ? null : decimalsCached(key);
    return value.map((v) => (typeof v === 'number' ? (d === null ? v : roundTo(v, d)) : walk(v, key, tz)));
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (DROP.has(k)) continue;
    const name = RENAME[k] ?? k;
    out[name] = KEEP.has(k) ? v : walk(v, name, tz);
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const OFFSETS_MAX = 200_000;

/** The zone's offset from UTC at an instant, in minutes (cached per zone and UTC hour). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / 3_600_000);
  const id = `${timeZone}|${hour}`;
  let off = offsets.get(id);
  if (off === undefined) {
    let f = formatters.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      formatters.set(timeZone, f);
    }
    const at = hour * 3_600_000;
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(new Date(at))) p[part.type] = part.value;
    const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
    off = Math.round((wall - at) / 60_000);
    if (offsets.size >= OFFSETS_MAX) offsets.clear();
    offsets.set(id, off);
  }
  return off;
}

/** An instant as ISO 8601 with the zone's offset: `2026-12-04T06:00:00Z` in Asia/Shanghai → `2026-12-04T14:00+08:00`. */
export function localIso(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const off = offsetMinutes(ms, timeZone);
  const wall = new Date(ms + off * 60_000).toISOString();
  const seconds = wall.slice(16, 23);
  const body = seconds === ':00.000' ? wall.slice(0, 16) : wall.slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${body}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
