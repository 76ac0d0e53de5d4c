/**
 * Quantities at the edge. A numeric field accepts a plain number in the unit its name says
 * (`rated_power_kw: 45`) or a string with a unit parsed by mathjs (`"45 kW"`, `"7.5kW"`, `"38.6 kVA"`,
 * `"12 kvar"`, `"0.38 km"`). The field says which *quantity* it is: mathjs treats kW, kVA and kvar as the same
 * dimension, so a kVA value in a kW field is rejected by unit name, not silently converted.
 */
import { createRequire } from 'node:module';
import type { MathJsInstance, Unit, create as Create, all as All } from 'mathjs';
import { z } from 'zod';

// mathjs takes ~1.5 s to load; load it (synchronously, its CommonJS build) at the first unit string instead
// of at start-up, so the service starts fast and numbers-only traffic never pays for it.
let instance: MathJsInstance | undefined;
function mathjs(): MathJsInstance {
  if (!instance) {
    const { create, all } = createRequire(import.meta.url)('mathjs') as {
      create: typeof Create;
      all: typeof All;
    };
    instance = create(all as NonNullable<typeof all>, {});
    // mathjs' VAR is imaginary (VA·i); register a real-valued reactive-power unit.
    instance.createUnit('var', { definition: '1 VA', prefixes: 'short', aliases: ['vars'] });
  }
  return instance;
}

export type QuantityKind =
  | 'active_power'
  | 'apparent_power'
  | 'reactive_power'
  | 'length'
  | 'cross_section'
  | 'current'
  | 'voltage'
  | 'residual_current'
  | 'time'
  | 'resistance'
  | 'temperature';

interface KindSpec {
  unit: string;
  label: string;
  base: string;
  names?: string[];
}

const KINDS: Record<QuantityKind, KindSpec> = {
  active_power: { unit: 'kW', label: 'an active power (kW)', base: 'W', names: ['W', 'hp'] },
  apparent_power: { unit: 'kVA', label: 'an apparent power (kVA)', base: 'W', names: ['VA'] },
  reactive_power: { unit: 'kvar', label: 'a reactive power (kvar)', base: 'W', names: ['var', 'vars'] },
  length: { unit: 'm', label: 'a length (m)', base: 'm' },
  cross_section: { unit: 'mm^2', label: 'a cross-section (mm²)', base: 'm^2' },
  current: { unit: 'A', label: 'a current (A)', base: 'A' },
  voltage: { unit: 'V', label: 'a voltage (V)', base: 'V' },
  residual_current: { unit: 'mA', label: 'a residual current (mA)', base: 'A' },
  time: { unit: 's', label: 'a time (s)', base: 's' },
  resistance: { unit: 'ohm', label: 'a resistance (Ω)', base: 'ohm' },
  temperature: { unit: 'degC', label: 'a temperature (°C)', base: 'degC' },
};

const baseUnits = new Map<string, Unit>();
function baseOf(kind: QuantityKind): Unit {
  let u = baseUnits.get(kind);
  if (!u) {
    u = mathjs().unit(KINDS[kind].base);
    baseUnits.set(kind, u);
  }
  return u;
}

type Parsed = { value: number } | { error: string };
// Parsing is pure and requests repeat the same few strings ("120 kVA"); mathjs' parser costs ~10 µs a call.
const parsed = new Map<string, Readonly<Parsed>>();
const PARSED_MAX = 10_000;

/** Parses `"45 kW"` as the given kind into the canonical unit; returns an error message on failure. */
export function parseQuantity(text: string, kind: QuantityKind): Readonly<Parsed> {
  const id = `${kind}\u0000${text}`;
  let result = parsed.get(id);
  if (!result) {
    result = Object.freeze(parseUncached(text, kind));
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(id, result);
  }
  return result;
}

function parseUncached(text: string, kind: QuantityKind): Parsed {
  const spec = KINDS[kind];
  let u: Unit;
  try {
    u = mathjs().unit(text.trim());
  } catch {
    return { error: `"${text}" is not a quantity; expected ${spec.label}, e.g. "12 ${spec.unit}"` };
  }
  if (u.units.length === 0) {
    const n = u.toNumber();
    return Number.isFinite(n) ? { value: n } : { error: `"${text}" is not a number` };
  }
  const name = u.units.length === 1 ? u.units[0]?.unit.name : undefined;
  const dimensionOk = u.equalBase(baseOf(kind));
  const nameOk = !spec.names || (name !== undefined && spec.names.includes(name));
  if (!dimensionOk || !nameOk) {
    const given = u.formatUnits();
    return { error: `"${text}" is ${describe(u)} (${given}); expected ${spec.label}` };
  }
  const value = u.toNumber(spec.unit);
  return Number.isFinite(value) ? { value } : { error: `"${text}" is not a finite quantity` };
}

function describe(u: Unit): string {
  for (const [kind, spec] of Object.entries(KINDS) as [QuantityKind, KindSpec][]) {
    if (u.equalBase(baseOf(kind))) {
      const name = u.units[0]?.unit.name;
      if (!spec.names || (name !== undefined && spec.names.includes(name))) return spec.label;
    }
  }
  return 'a different quantity';
}

interface Bounds {
  min?: number;
  max?: number;
  /** Strictly greater than. */
  gt?: number;
}

/**
 * A zod field accepting a number in the kind's canonical unit or a string with a unit; the parsed value is a
 * plain number in the canonical unit.
 */
export function quantity(kind: QuantityKind, bounds: Bounds = {}) {
  const spec = KINDS[kind];
  let num = z.number();
  if (bounds.min !== undefined) num = num.min(bounds.min);
  if (bounds.max !== undefined) num = num.max(bounds.max);
  if (bounds.gt !== undefined) num = num.gt(bounds.gt);
  return z
    .union([z.number(), z.string().max(64)])
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      const r = parseQuantity(v, kind);
      if ('error' in r) {
        ctx.addIssue({ code: 'custom', message: r.error, params: { expected_unit: spec.unit } });
        return z.NEVER;
      }
      return r.value;
    })
    .pipe(num)
    .meta({
      description: `${spec.label}: a number in ${spec.unit}, or a string with a unit such as "12 ${spec.unit}"`,
    });
}
