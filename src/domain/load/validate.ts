/**
 * Validation of a demand-calculation input that may come from anywhere (HTTP body, scenario file, CLI).
 * Every bad field is listed with its path in ONE DomainError; nothing else throws.
 */
import { DomainError, type FieldIssue } from '../errors.js';
import type { EquipmentCatalogue, EquipmentType, PhaseConnection } from '../catalog/equipment.js';
import { findEquipmentType } from '../catalog/equipment.js';
import type { RuleSet } from '../catalog/rule-sets.js';
import type {
  DemandGroupInput,
  DemandMethod,
  EquipmentItemInput,
  HandbookOptions,
  LinePair,
  Phase,
} from './types.js';
import { LINE_PAIRS, PHASES } from './types.js';

/** Plausibility bounds: beyond these an input is a typing error, not a construction site. */
export const MAX_QUANTITY = 1_000_000;
export const MAX_RATING = 1_000_000;
export const MAX_ITEMS = 100_000;

const METHODS: readonly DemandMethod[] = ['demand_coefficient', 'handbook_a', 'handbook_b'];
const CONNECTIONS: readonly PhaseConnection[] = ['three_phase', 'line_to_line', 'line_to_neutral'];

export interface ValidItem {
  index: number;
  input: EquipmentItemInput;
  type: EquipmentType;
  phase_connection: PhaseConnection;
}

export interface ValidDemandInput {
  items: ValidItem[];
  groups: DemandGroupInput[];
  simultaneity_factor: number | undefined;
  method: DemandMethod;
  loading_cap: number | undefined;
  handbook: HandbookOptions | undefined;
}

type Path = (string | number)[];
type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(obj: Rec, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function present(obj: Rec, key: string): boolean {
  const v = own(obj, key);
  return v !== undefined && v !== null;
}

interface NumberRule {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  integer?: boolean;
  required?: boolean;
}

class Checker {
  readonly issues: FieldIssue[] = [];

  add(path: Path, message: string, code: string): void {
    this.issues.push({ path, message, code });
  }

  number(obj: Rec, key: string, path: Path, rule: NumberRule): number | undefined {
    const v = own(obj, key);
    const p = [...path, key];
    if (v === undefined || v === null) {
      if (rule.required) this.add(p, `${key} is required`, 'required');
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(p, `${key} must be a finite number`, 'invalid_type');
      return undefined;
    }
    if (rule.integer && !Number.isInteger(v)) {
      this.add(p, `${key} must be an integer`, 'not_integer');
      return undefined;
    }
    const lowOk = rule.min === undefined || (rule.minExclusive ? v > rule.min : v >= rule.min);
    const highOk = rule.max === undefined || v <= rule.max;
    if (!lowOk || !highOk) {
      const lo = rule.min === undefined ? '' : `${rule.minExclusive ? '>' : '≥'} ${rule.min}`;
      const hi = rule.max === undefined ? '' : `≤ ${rule.max}`;
      this.add(p, `${key} must be ${[lo, hi].filter((s) => s !== '').join(' and ')}`, 'out_of_range');
      return undefined;
    }
    return v;
  }

  string(obj: Rec, key: string, path: Path, required = false): string | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) {
      if (required) this.add([...path, key], `${key} is required`, 'required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add([...path, key], `${key} must be a string`, 'invalid_type');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(obj: Rec, key: string, path: Path, allowed: readonly T[]): T | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.add([...path, key], `${key} must be one of ${allowed.join(', ')}`, 'invalid_enum');
      return undefined;
    }
    return v as T;
  }
}

const FRACTION: NumberRule = { min: 0, max: 1, minExclusive: true };

function validateGroups(c: Checker, raw: unknown): DemandGroupInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    c.add(['groups'], 'groups must be an array', 'invalid_type');
    return [];
  }
  const out: DemandGroupInput[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    const g: unknown = raw[i];
    const path: Path = ['groups', i];
    if (!isRecord(g)) {
      c.add(path, 'a group must be an object', 'invalid_type');
      continue;
    }
    const name = c.string(g, 'name', path, true);
    if (name !== undefined && name.trim() === '')
      c.add([...path, 'name'], 'name must not be empty', 'required');
    else if (name !== undefined && seen.has(name))
      c.add([...path, 'name'], `group name "${name}" is declared twice`, 'duplicate');
    if (name !== undefined) seen.add(name);
    const group: DemandGroupInput = { name: name ?? '' };
    const kx = c.number(g, 'demand_factor', path, FRACTION);
    const pf = c.number(g, 'power_factor', path, FRACTION);
    const tan = c.number(g, 'tan_phi', path, { min: 0, max: 100 });
    if (kx !== undefined) group.demand_factor = kx;
    if (pf !== undefined) group.power_factor = pf;
    if (tan !== undefined) group.tan_phi = tan;
    out.push(group);
  }
  return out;
}

function validateHandbook(c: Checker, raw: unknown): HandbookOptions | undefined {
  if (raw === undefined || raw === null) return undefined;
  const path: Path = ['handbook'];
  if (!isRecord(raw)) {
    c.add(path, 'handbook must be an object', 'invalid_type');
    return undefined;
  }
  const h: HandbookOptions = {};
  const k = c.number(raw, 'k', path, { min: 1, max: 1.5 });
  if (k !== undefined) h.k = k;
  for (const key of ['k1', 'k2', 'k3', 'k4'] as const) {
    const v = c.number(raw, key, path, FRACTION);
    if (v !== undefined) h[key] = v;
  }
  const pf = c.number(raw, 'power_factor', path, FRACTION);
  if (pf !== undefined) h.power_factor = pf;
  const nu = c.number(raw, 'non_uniformity_factor', path, { min: 1, max: 1.5 });
  if (nu !== undefined) h.non_uniformity_factor = nu;
  const loss = c.number(raw, 'loss_factor', path, { min: 1, max: 1.5 });
  if (loss !== undefined) h.loss_factor = loss;
  const sf = own(raw, 'short_form');
  if (sf !== undefined && sf !== null) {
    if (typeof sf !== 'boolean')
      c.add([...path, 'short_form'], 'short_form must be a boolean', 'invalid_type');
    else h.short_form = sf;
  }
  return h;
}

function validateItem(
  c: Checker,
  raw: unknown,
  index: number,
  catalogue: EquipmentCatalogue,
  groupNames: ReadonlySet<string>,
): ValidItem | undefined {
  const path: Path = ['items', index];
  if (!isRecord(raw)) {
    c.add(path, 'an item must be an object', 'invalid_type');
    return undefined;
  }
  const before = c.issues.length;
  const typeId = c.string(raw, 'type', path, true);
  let type: EquipmentType | undefined;
  if (typeId !== undefined) {
    type = findEquipmentType(catalogue, typeId);
    if (!type)
      c.add(
        [...path, 'type'],
        `unknown equipment type "${typeId}" (catalogue ${catalogue.version})`,
        'unknown_equipment_type',
      );
  }
  const quantity = c.number(raw, 'quantity', path, {
    min: 1,
    max: MAX_QUANTITY,
    integer: true,
    required: true,
  });
  const rating: NumberRule = { min: 0, max: MAX_RATING, minExclusive: true };
  const kw = c.number(raw, 'rated_power_kw', path, rating);
  const kva = c.number(raw, 'rated_apparent_power_kva', path, rating);
  const duty = c.number(raw, 'duty_cycle', path, FRACTION);
  const pf = c.number(raw, 'power_factor', path, FRACTION);
  const kx = c.number(raw, 'demand_factor', path, FRACTION);
  const tan = c.number(raw, 'tan_phi', path, { min: 0, max: 100 });
  const note = c.string(raw, 'note', path);
  const label = c.string(raw, 'label', path);
  const group = c.string(raw, 'group', path);
  if (group !== undefined && !groupNames.has(group))
    c.add([...path, 'group'], `group "${group}" is not declared in groups`, 'unknown_group');
  const connection = c.oneOf(raw, 'phase_connection', path, CONNECTIONS);
  const phase = c.oneOf<Phase | LinePair>(raw, 'phase', path, [...PHASES, ...LINE_PAIRS]);

  if (type) {
    if (type.rated_quantity === 'active_power_kw') {
      if (present(raw, 'rated_apparent_power_kva'))
        c.add(
          [...path, 'rated_apparent_power_kva'],
          `${type.id} is rated in kW: give rated_power_kw, not rated_apparent_power_kva`,
          'wrong_rated_quantity',
        );
      if (!present(raw, 'rated_power_kw'))
        c.add([...path, 'rated_power_kw'], `rated_power_kw is required for ${type.id}`, 'required');
    } else {
      if (present(raw, 'rated_power_kw'))
        c.add(
          [...path, 'rated_power_kw'],
          `${type.id} is rated in kVA: give rated_apparent_power_kva, not rated_power_kw`,
          'wrong_rated_quantity',
        );
      if (!present(raw, 'rated_apparent_power_kva'))
        c.add(
          [...path, 'rated_apparent_power_kva'],
          `rated_apparent_power_kva is required for ${type.id}`,
          'required',
        );
    }
  }
  const effective = connection ?? type?.phase_connection;
  if (phase !== undefined && effective !== undefined) {
    const ok =
      (effective === 'line_to_neutral' && (PHASES as readonly string[]).includes(phase)) ||
      (effective === 'line_to_line' && (LINE_PAIRS as readonly string[]).includes(phase));
    if (!ok)
      c.add(
        [...path, 'phase'],
        effective === 'three_phase'
          ? 'phase applies only to single-phase (line_to_neutral or line_to_line) items'
          : `phase must be ${effective === 'line_to_neutral' ? PHASES.join(', ') : LINE_PAIRS.join(', ')} for a ${effective} item`,
        'invalid_enum',
      );
  }
  if (
    c.issues.length > before ||
    !type ||
    typeId === undefined ||
    quantity === undefined ||
    effective === undefined
  )
    return undefined;

  const input: EquipmentItemInput = { type: typeId, quantity };
  if (kw !== undefined) input.rated_power_kw = kw;
  if (kva !== undefined) input.rated_apparent_power_kva = kva;
  if (duty !== undefined) input.duty_cycle = duty;
  if (pf !== undefined) input.power_factor = pf;
  if (kx !== undefined) input.demand_factor = kx;
  if (tan !== undefined) input.tan_phi = tan;
  if (note !== undefined) input.note = note;
  if (label !== undefined) input.label = label;
  if (group !== undefined) input.group = group;
  if (connection !== undefined) input.phase_connection = connection;
  if (phase !== undefined) input.phase = phase;
  return { index, input, type, phase_connection: effective };
}

/**
 * Checks a demand input of unknown shape against the catalogue and the rule set.
 * @param raw the caller's input (any JSON-like value)
 * @param catalogue equipment catalogue (types must exist in it)
 * @param rules rule set giving the accepted K∑ range (JGJ 46-2005: 0.5–1.0)
 * @throws DomainError `unknown_equipment_type` when the only problems are unknown types, else
 *   `validation_failed`; `issues` lists every bad field with its path, e.g. ['items', 3, 'duty_cycle']
 */
export function validateDemandInput(
  raw: unknown,
  catalogue: EquipmentCatalogue,
  rules: RuleSet,
): ValidDemandInput {
  const c = new Checker();
  if (!isRecord(raw)) {
    c.add([], 'the input must be an object with an items array', 'invalid_type');
    throw fail(c);
  }
  const groups = validateGroups(c, own(raw, 'groups'));
  const groupNames = new Set(groups.map((g) => g.name));
  const rawItems = own(raw, 'items');
  const items: ValidItem[] = [];
  if (!Array.isArray(rawItems))
    c.add(['items'], 'items must be an array', rawItems === undefined ? 'required' : 'invalid_type');
  else if (rawItems.length === 0) c.add(['items'], 'items must hold at least one equipment item', 'required');
  else if (rawItems.length > MAX_ITEMS)
    c.add(['items'], `items must hold at most ${MAX_ITEMS} entries`, 'out_of_range');
  else
    for (let i = 0; i < rawItems.length; i++) {
      const item = validateItem(c, rawItems[i], i, catalogue, groupNames);
      if (item) items.push(item);
    }
  const sf = rules.simultaneity_factor;
  const simultaneity = c.number(raw, 'simultaneity_factor', [], { min: sf.min, max: sf.max });
  const method = c.oneOf(raw, 'method', [], METHODS) ?? 'demand_coefficient';
  const loadingCap = c.number(raw, 'loading_cap', [], FRACTION);
  const handbook = validateHandbook(c, own(raw, 'handbook'));
  if (c.issues.length > 0) throw fail(c);
  return { items, groups, simultaneity_factor: simultaneity, method, loading_cap: loadingCap, handbook };
}

function fail(c: Checker): DomainError {
  const onlyUnknown = c.issues.every((i) => i.code === 'unknown_equipment_type');
  return onlyUnknown
    ? new DomainError('unknown_equipment_type', 'The equipment list names unknown equipment types', {
        issues: c.issues,
      })
    : new DomainError('validation_failed', `The demand input has ${c.issues.length} invalid field(s)`, {
        issues: c.issues,
      });
}
