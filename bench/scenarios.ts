/**
 * The HTTP benchmarks: each prepares its request against a running service (reference site loaded).
 */
export interface Prepared {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface Scenario {
  name: string;
  note?: string;
  prepare: (ctx: { url: string; headers: Record<string, string> }) => Promise<Prepared>;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'GET /health/live (common request path; trivial handler)',
    note: "request id, helmet's headers, rate limit, auth hook, zod serializer, metrics: the ceiling of every route",
    prepare: async () => ({ method: 'GET', path: '/health/live' }),
  },
  {
    name: 'GET /v1/sites/{id}/supply-points',
    note: 'reference site, 10 points; auth + SQLite read',
    prepare: async () => ({ method: 'GET', path: '/v1/sites/jinshan-ev-plant/supply-points' }),
  },
];

/** A 200-item equipment list cycling through the reference scenario's types, quantities given with units. */
export function demandBody200(): string {
  const types: [string, Record<string, unknown>][] = [
    ['tower_crane', { rated_power_kw: '45 kW', duty_cycle: 0.4 }],
    ['welder_dc', { rated_power_kw: '20 kW', duty_cycle: 0.6 }],
    ['welder_ac', { rated_apparent_power_kva: '38.6 kVA', duty_cycle: 0.6 }],
    ['water_pump', { rated_power_kw: '4 kW' }],
    ['vibrator', { rated_power_kw: 1.1 }],
    ['concrete_pump', { rated_power_kw: 90 }],
    ['split_air_conditioner', { rated_power_kw: 1.5 }],
    ['floodlight_metal_halide', { rated_power_kw: 3.5 }],
    ['rebar_cutter', { rated_power_kw: 3 }],
    ['air_compressor', { rated_power_kw: 22 }],
  ];
  const items = Array.from({ length: 200 }, (_, i) => {
    const [type, fields] = types[i % types.length]!;
    return { type, quantity: 1 + (i % 4), ...fields };
  });
  return JSON.stringify({ items });
}

SCENARIOS.push({
  name: 'POST /v1/calculations/demand (200 items)',
  note: '200-item list, units as strings; demand engine + trace + provenance',
  prepare: async () => ({ method: 'POST', path: '/v1/calculations/demand', body: demandBody200() }),
});
