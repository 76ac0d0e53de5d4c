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
    name: 'GET /v1/sites/{id}/supply-points',
    note: 'reference site, 10 points; auth + SQLite read',
    prepare: async () => ({ method: 'GET', path: '/v1/sites/jinshan-ev-plant/supply-points' }),
  },
];
