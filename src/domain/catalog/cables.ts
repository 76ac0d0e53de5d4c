/**
 * LV cable catalogue: ampacity, derating factors, resistance/reactance per length and mechanical minimum
 * sizes, as typed data with source and confidence (DOMAIN.md §4.3, §2 R8/R14).
 *
 * Scope: 0.6/1 kV multicore cables, three loaded conductors (a balanced three-phase circuit; the N and
 * PE cores of a five-core cable are not counted as loaded). Installation methods of IEC 60364-5-52:
 * `clipped` = method C (clipped direct on a wall), `air` = method E (multicore in free air, tray or
 * ladder), `buried` = method D (direct in ground). XLPE ≈ YJV (90 °C), PVC ≈ VV (70 °C).
 */
import { DomainError } from '../errors.js';

export type Conductor = 'Cu' | 'Al';
export type Insulation = 'XLPE' | 'PVC';
export type Installation = 'clipped' | 'air' | 'buried';
export type Confidence = 'high' | 'medium' | 'low';

export const CONDUCTORS: readonly Conductor[] = ['Cu', 'Al'];
export const INSULATIONS: readonly Insulation[] = ['XLPE', 'PVC'];
export const INSTALLATIONS: readonly Installation[] = ['clipped', 'air', 'buried'];

/** Where a table comes from and how far to trust it. */
export interface DataSource {
  source: string;
  confidence: Confidence;
  note?: string;
}

export const CABLE_CATALOGUE = {
  version: 'tpp-cables-2026.1',
  source:
    'Schneider Electric (Merlin Gerin) Electrical Installation Guide 2007 ch. G Fig. G21a / G22 (simplified IEC 60364-5-52), ' +
    'as transcribed in TomLXXVI/python-electric; IEC 60228 class 2 resistances; see each table for its own source',
} as const;

/** Standard cross-sections the catalogue knows, mm², ascending. */
export const CROSS_SECTIONS_MM2 = [
  1.5, 2.5, 4, 6, 10, 16, 25, 35, 50, 70, 95, 120, 150, 185, 240, 300,
] as const;

/**
 * Largest number of identical cables run in parallel per phase that the engine sizes (IEC 60364-5-52 523.7 /
 * 433.4: equal material, section, length and routing; the group derated as n circuits). Above 300 mm² LV
 * multicore cables are not made in the common ranges: larger mains are parallel cables.
 */
export const MAX_PARALLEL_CABLES = 6;
/** Smallest section run in parallel by the sizing engine, mm² (an engineering choice: no paralleled small cables). */
export const MIN_PARALLEL_CROSS_SECTION_MM2 = 50;

type Column = readonly (number | null)[];

/**
 * Base ampacity (A) at the reference conditions, aligned with {@link CROSS_SECTIONS_MM2}; `null` = not
 * tabulated. Columns: in air = Fig. G21a "PVC3"/"XLPE3" columns of methods C and E (python-electric
 * `ampacity/unburied.py`, column indices C: PVC3 4, XLPE3 7; E: PVC3 5, XLPE3 8); buried = Fig. G22
 * "PVC3"/"XLPE3" (`ampacity/buried.py`). 16…240 mm² re-checked against DOMAIN.md §4.3; 1.5…10 mm² are rows
 * of the same transcribed tables (same source, same confidence). Aluminium has no 1.5 mm² row.
 * 300 mm²: buried = Fig. G22's 300 mm² row (python-electric `buried.py`); clipped/air are **derived** — the
 * 240 mm² value × the buried table's 300/240 ratio (≈ 1.13; ampacity grows more slowly underground than in air,
 * so the ratio is conservative) — low confidence, see {@link AMPACITY_300_NOTE}.
 */
const AMPACITY_A: Record<Conductor, Record<Insulation, Record<Installation, Column>>> = {
  Cu: {
    XLPE: {
      clipped: [22, 30, 40, 51, 70, 94, 119, 147, 179, 229, 278, 322, 371, 424, 500, 564],
      air: [23, 31, 42, 54, 75, 100, 127, 158, 192, 246, 298, 346, 395, 450, 538, 607],
      buried: [22, 29, 37, 46, 61, 79, 101, 122, 144, 178, 211, 240, 271, 304, 351, 396],
    },
    PVC: {
      clipped: [17, 23, 31, 40, 54, 73, 95, 117, 141, 179, 216, 249, 285, 324, 380, 430],
      air: [18.5, 25, 34, 43, 60, 80, 101, 126, 153, 196, 238, 276, 318, 362, 424, 480],
      buried: [18, 24, 31, 39, 52, 67, 86, 103, 122, 151, 179, 203, 230, 258, 297, 336],
    },
  },
  Al: {
    XLPE: {
      clipped: [null, 23, 31, 39, 54, 73, 90, 112, 136, 174, 211, 245, 283, 323, 382, 433],
      air: [null, 24, 32, 42, 58, 77, 97, 120, 146, 187, 227, 263, 304, 347, 409, 463],
      buried: [null, 22, 29, 36, 47, 61, 78, 94, 112, 138, 164, 186, 210, 236, 272, 308],
    },
    PVC: {
      clipped: [null, 18.5, 25, 32, 44, 58, 73, 90, 110, 140, 170, 197, 226, 256, 300, 339],
      air: [null, 19.5, 26, 33, 46, 61, 78, 96, 117, 150, 183, 212, 245, 280, 330, 373],
      buried: [null, 18.5, 24, 30, 40, 52, 66, 80, 94, 117, 138, 157, 178, 200, 230, 260],
    },
  },
};

export const AMPACITY_300_NOTE =
  '300 mm² in air (methods C/E): derived as I(240 mm²) × I_buried(300)/I_buried(240) from Fig. G22 — not tabulated in Fig. G21a; low confidence';

export const AMPACITY_SOURCE: DataSource = {
  source:
    'Schneider EIG 2007 Fig. G21a (in air, methods C/E) and Fig. G22 (buried, method D), simplified IEC 60364-5-52; ' +
    'TomLXXVI/python-electric src/python_electric/sizing/cable/ampacity/{unburied,buried}.py; DOMAIN.md §4.3',
  confidence: 'medium',
  note:
    'Reference conditions of IEC 60364-5-52 (30 °C air, 20 °C ground, soil 2.5 K·m/W) — not re-verified; the detailed ' +
    'IEC tables differ by a few amperes for some sizes; use the maker’s data for final design',
};

/** Maximum continuous conductor temperature, °C (XLPE 90, PVC 70 — IEC 60364-5-52 Table 52.1). */
export const MAX_CONDUCTOR_TEMPERATURE_C: Record<Insulation, number> = { XLPE: 90, PVC: 70 };

/** Reference ambient of the ampacity tables, °C: air 30, ground 20 (IEC 60364-5-52). */
export function referenceAmbientC(installation: Installation): number {
  return installation === 'buried' ? 20 : 30;
}

interface FactorTable {
  temperatures_c: readonly number[];
  factors: Record<Insulation, readonly number[]>;
  source: DataSource;
}

/**
 * Ambient-temperature correction factors. Air (reference 30 °C): XLPE row from DOMAIN.md §4.3; PVC row
 * from IEC 60364-5-52 Table B.52.14 as remembered. Ground (reference 20 °C): IEC 60364-5-52 Table B.52.15 as
 * remembered. Both remembered rows agree to ±0.01 with k = √((θmax − θa)/(θmax − θref)), the rule coded in
 * python-electric `sizing/cable/sizing.py::_temperature_correction`.
 */
export const AMBIENT_FACTORS: Record<'air' | 'ground', FactorTable> = {
  air: {
    temperatures_c: [10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60],
    factors: {
      XLPE: [1.15, 1.12, 1.08, 1.04, 1.0, 0.96, 0.91, 0.87, 0.82, 0.76, 0.71],
      PVC: [1.22, 1.17, 1.12, 1.06, 1.0, 0.94, 0.87, 0.79, 0.71, 0.61, 0.5],
    },
    source: {
      source:
        'XLPE: DOMAIN.md §4.3 (10–50 °C; 55/60 °C IEC 60364-5-52 B.52.14 as remembered); PVC: IEC 60364-5-52 B.52.14 as remembered',
      confidence: 'medium',
      note: 'PVC and 55–60 °C values: cross-checked with √((θmax−θa)/(θmax−30)), not read from the standard',
    },
  },
  ground: {
    temperatures_c: [10, 15, 20, 25, 30, 35, 40, 45, 50],
    factors: {
      XLPE: [1.07, 1.04, 1.0, 0.96, 0.93, 0.89, 0.85, 0.8, 0.76],
      PVC: [1.1, 1.05, 1.0, 0.95, 0.89, 0.84, 0.77, 0.71, 0.63],
    },
    source: {
      source: 'IEC 60364-5-52 Table B.52.15 as remembered',
      confidence: 'low',
      note: 'cross-checked with √((θmax−θa)/(θmax−20)); not read from the standard',
    },
  },
};

/**
 * Ambient-temperature factor for an installation. Between tabulated temperatures the next higher
 * temperature is used (conservative); below the table the lowest temperature's factor; above it the
 * cable is not rated → DomainError `invalid_quantity`.
 *
 * @param insulation XLPE or PVC
 * @param installation clipped / air (air table) or buried (ground table)
 * @param ambientC ambient air or ground temperature, °C
 */
export function ambientTemperatureFactor(
  insulation: Insulation,
  installation: Installation,
  ambientC: number,
): { factor: number; table_temperature_c: number; source: DataSource } {
  const table = AMBIENT_FACTORS[installation === 'buried' ? 'ground' : 'air'];
  const temps = table.temperatures_c;
  const factors = table.factors[insulation];
  for (let i = 0; i < temps.length; i += 1) {
    const t = temps[i] as number;
    if (ambientC <= t) return { factor: factors[i] as number, table_temperature_c: t, source: table.source };
  }
  throw new DomainError(
    'invalid_quantity',
    `ambient ${ambientC} °C is above the tabulated range for ${insulation}`,
    {
      issues: [
        { path: ['ambient_temperature_c'], message: `must be ≤ ${String(temps[temps.length - 1])} °C` },
      ],
    },
  );
}

interface GroupingTable {
  circuits: readonly number[];
  factors: readonly number[];
  description: string;
  source: DataSource;
}

/**
 * Grouping (several circuits / multicore cables side by side) reduction factors per installation, for 1…20
 * circuits (the column heads of IEC 60364-5-52 Table B.52.17: 1–9, 12, 16, 20).
 * clipped: Table B.52.17 row 2 "single layer on wall, floor or unperforated tray"; air: row 4 "single layer on
 * a perforated horizontal or vertical tray" — 1…9 as coded in python-electric `sizing/cable/sizing.py`
 * (`_create_unburied_group_correction_table`); for these rows the table's note 1 gives "no further reduction
 * factor for more than nine circuits or multicore cables", so 12/16/20 carry the 9-circuit value.
 * buried: Table B.52.18 (multicore cables direct in ground, touching) for 1…6, as remembered; B.52.18 stops at
 * 6 circuits, so 7…20 take the lower of the 6-circuit value and Table B.52.17 row 1 (bunched: 0.54, 0.52,
 * 0.50, 0.45, 0.41, 0.38) — an engineering choice, conservative.
 * DOMAIN.md §4.3 quotes a third, unnamed set (0.85, 0.78, 0.73…) that matches none of these rows exactly.
 */
export const GROUPING_FACTORS: Record<Installation, GroupingTable> = {
  clipped: {
    circuits: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 20],
    factors: [1.0, 0.85, 0.79, 0.75, 0.73, 0.72, 0.72, 0.71, 0.7, 0.7, 0.7, 0.7],
    description: 'single layer on wall, floor or unperforated tray, touching',
    source: {
      source:
        'IEC 60364-5-52 Table B.52.17 row 2 (1–9 via TomLXXVI/python-electric sizing/cable/sizing.py; note 1: no further reduction above 9)',
      confidence: 'medium',
    },
  },
  air: {
    circuits: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 20],
    factors: [1.0, 0.88, 0.82, 0.77, 0.75, 0.73, 0.73, 0.72, 0.72, 0.72, 0.72, 0.72],
    description: 'single layer on perforated tray, touching',
    source: {
      source:
        'IEC 60364-5-52 Table B.52.17 row 4 (1–9 via TomLXXVI/python-electric sizing/cable/sizing.py; note 1: no further reduction above 9)',
      confidence: 'medium',
    },
  },
  buried: {
    circuits: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 20],
    factors: [1.0, 0.75, 0.65, 0.6, 0.55, 0.5, 0.5, 0.5, 0.5, 0.45, 0.41, 0.38],
    description: 'multicore cables direct in ground, touching',
    source: {
      source:
        'IEC 60364-5-52 Table B.52.18 (nil spacing, 1–6) as remembered; 7–20: min(0.50, Table B.52.17 row 1 bunched) — engineering choice',
      confidence: 'low',
    },
  },
};

/** Most circuits a grouping factor is tabulated for. */
export const MAX_GROUPED_CIRCUITS = 20;

/**
 * Grouping factor for `circuits` circuits (this one included) laid together. Between tabulated counts the
 * next larger count is used (conservative); above {@link MAX_GROUPED_CIRCUITS} → DomainError `invalid_quantity`.
 *
 * @param installation clipped / air / buried
 * @param circuits number of loaded circuits or multicore cables in the group, ≥ 1 (parallel cables count each)
 */
export function groupingFactor(
  installation: Installation,
  circuits: number,
): { factor: number; table_circuits: number; source: DataSource } {
  const table = GROUPING_FACTORS[installation];
  for (let i = 0; i < table.circuits.length; i += 1) {
    const n = table.circuits[i] as number;
    if (circuits <= n) return { factor: table.factors[i] as number, table_circuits: n, source: table.source };
  }
  throw new DomainError(
    'invalid_quantity',
    `grouping of ${circuits} circuits is not tabulated for ${installation}`,
    {
      issues: [
        {
          path: ['grouped_circuits'],
          message: `must be ≤ ${String(table.circuits[table.circuits.length - 1])} (parallel cables included)`,
        },
      ],
    },
  );
}

/**
 * Maximum DC resistance at 20 °C, Ω/km, class 2 (stranded) conductors per IEC 60228 Table 2 (plain copper,
 * aluminium), aligned with {@link CROSS_SECTIONS_MM2}. Aluminium 2.5–6 mm² are not in IEC 60228 class 2:
 * derived as ρ20/S with ρ20 = 0.02826 Ω·mm²/m (IEC 60287-1-1 Table 1) — low confidence, `derived`.
 */
const R20_OHM_PER_KM: Record<Conductor, Column> = {
  Cu: [
    12.1, 7.41, 4.61, 3.08, 1.83, 1.15, 0.727, 0.524, 0.387, 0.268, 0.193, 0.153, 0.124, 0.0991, 0.0754,
    0.0601,
  ],
  Al: [null, 11.3, 7.07, 4.71, 3.08, 1.91, 1.2, 0.868, 0.641, 0.443, 0.32, 0.253, 0.206, 0.164, 0.125, 0.1],
};

export const RESISTANCE_SOURCE: DataSource = {
  source:
    'IEC 60228 Table 2 class 2 max DC resistance at 20 °C (widely reproduced values, not re-read from the standard)',
  confidence: 'medium',
  note: 'Al 2.5/4/6 mm² derived from ρ20 = 0.02826 Ω·mm²/m (low confidence). AC skin effect ignored (< 3 % up to 240 mm², ≈ 4 % at 300 mm², at 50 Hz)',
};

/** Temperature coefficient of resistance at 20 °C, 1/K (IEC 60287-1-1 Table 1: Cu 3.93e-3, Al 4.03e-3). */
export const TEMPERATURE_COEFFICIENT_PER_K: Record<Conductor, number> = { Cu: 0.00393, Al: 0.00403 };

/**
 * Positive-sequence reactance of an LV multicore cable, Ω/km: 0.08 for every size — the value Schneider's
 * EIG uses "in the absence of other information" and python-electric `CABLE_UNIT_REACTANCES['multicore']`
 * (0.08 mΩ/m). Real multicore cables range ≈ 0.07–0.09 Ω/km (e.g. lbl-srg/modelica-buildings Cu95: 0.072).
 */
export const REACTANCE_OHM_PER_KM = 0.08;
export const REACTANCE_SOURCE: DataSource = {
  source:
    'Schneider EIG ch. G (0.08 mΩ/m typical); TomLXXVI/python-electric sizing/cable/sizing.py CABLE_UNIT_REACTANCES',
  confidence: 'medium',
  note: 'constant for every size; larger cables have slightly lower X0, small ones slightly higher',
};

function sizeIndex(crossSectionMm2: number): number {
  return (CROSS_SECTIONS_MM2 as readonly number[]).indexOf(crossSectionMm2);
}

/** Whether `crossSectionMm2` is a standard size of the catalogue. */
export function isStandardCrossSection(crossSectionMm2: number): boolean {
  return sizeIndex(crossSectionMm2) >= 0;
}

/**
 * Base (tabulated) ampacity, A, at the reference conditions, or `null` when the combination is not tabulated.
 *
 * @param crossSectionMm2 conductor cross-section, mm²
 */
export function baseAmpacityA(
  conductor: Conductor,
  insulation: Insulation,
  installation: Installation,
  crossSectionMm2: number,
): number | null {
  const i = sizeIndex(crossSectionMm2);
  if (i < 0) return null;
  return AMPACITY_A[conductor][insulation][installation][i] ?? null;
}

/** Cross-sections, mm² ascending, that have both an ampacity and a resistance for this combination. */
export function tabulatedCrossSections(
  conductor: Conductor,
  insulation: Insulation,
  installation: Installation,
): number[] {
  return CROSS_SECTIONS_MM2.filter(
    (s) =>
      baseAmpacityA(conductor, insulation, installation, s) !== null &&
      resistance20OhmPerKm(conductor, s) !== null,
  );
}

/**
 * Conductor resistance at 20 °C, Ω/km (IEC 60228 class 2), or `null` when not tabulated.
 *
 * @param crossSectionMm2 conductor cross-section, mm²
 */
export function resistance20OhmPerKm(conductor: Conductor, crossSectionMm2: number): number | null {
  const i = sizeIndex(crossSectionMm2);
  if (i < 0) return null;
  return R20_OHM_PER_KM[conductor][i] ?? null;
}

/**
 * Conductor resistance at `temperatureC`, Ω/km: R_θ = R20·(1 + α·(θ − 20)), α per
 * {@link TEMPERATURE_COEFFICIENT_PER_K}. Returns `null` when the size is not tabulated.
 *
 * @param crossSectionMm2 conductor cross-section, mm²
 * @param temperatureC conductor temperature, °C (default basis: the insulation's maximum, 90 °C XLPE / 70 °C PVC)
 */
export function resistanceOhmPerKm(
  conductor: Conductor,
  crossSectionMm2: number,
  temperatureC: number,
): number | null {
  const r20 = resistance20OhmPerKm(conductor, crossSectionMm2);
  if (r20 === null) return null;
  return r20 * (1 + TEMPERATURE_COEFFICIENT_PER_K[conductor] * (temperatureC - 20));
}

/** Where a mechanical minimum cross-section applies (JGJ 46-2005 R8 / R14, DOMAIN.md §2). */
export type MechanicalContext = 'overhead' | 'overhead_crossing' | 'indoor' | 'none';

/**
 * Mechanical minimum cross-sections, mm² (JGJ 46-2005 7.1.3 = R8 for overhead lines; 7.3.5 = R14 for
 * indoor wiring; DOMAIN.md §2). `none`: no JGJ minimum applies (buried cables), the catalogue's smallest size.
 */
export const MECHANICAL_MINIMUM_MM2: Record<
  MechanicalContext,
  { Cu: number; Al: number; rule: string; clause: string }
> = {
  overhead: { Cu: 10, Al: 16, rule: 'R8', clause: '7.1.3' },
  overhead_crossing: { Cu: 16, Al: 25, rule: 'R8', clause: '7.1.3' },
  indoor: { Cu: 1.5, Al: 2.5, rule: 'R14', clause: '7.3.5' },
  none: { Cu: 1.5, Al: 2.5, rule: 'none', clause: '' },
};

/**
 * The mechanical context assumed for an installation when the caller does not say: free air on a site is
 * an overhead/catenary run (R8), clipped is indoor wiring (R14), buried has no JGJ minimum. An assumption
 * of this service, not a clause.
 */
export function defaultMechanicalContext(installation: Installation): MechanicalContext {
  switch (installation) {
    case 'air':
      return 'overhead';
    case 'clipped':
      return 'indoor';
    case 'buried':
      return 'none';
  }
}

/**
 * Load-moment constant C for ε% = Σ(P·L)/(C·S), P kW, L m, S mm², three-phase four-wire 380/220 V:
 * Cu 77, Al 46.3 (https://360docs.net/doc/50775180.html, DOMAIN.md §4.1). C = 10·U²·γ, so for another voltage
 * the service scales it by (U/380)² (derived).
 */
export const LOAD_MOMENT_C_380V: Record<Conductor, number> = { Cu: 77, Al: 46.3 };
