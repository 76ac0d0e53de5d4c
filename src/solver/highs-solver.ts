/**
 * MipSolver adapter: HiGHS (WebAssembly, npm `highs`) in a `worker_threads` Worker so that a long solve
 * never blocks the event loop, with `time_limit` / `mip_rel_gap` set and a hard kill when the worker
 * overruns the limit.
 *
 * The worker's code is an inline CommonJS script (`eval: true`) that `require`s the absolute path of the
 * `highs` CommonJS build resolved here: it runs the same under vitest/tsx (TypeScript sources) and from the
 * compiled JavaScript, with no separate worker file to locate next to the compiled output.
 *
 * The model is CPLEX LP text or a matrix model (`MipModel`, passed to HiGHS' `passModel` without parsing).
 * Protocol: the worker posts `columns` (names) once the model is loaded, `incumbent` for every improving MIP
 * solution and `bound` for every MIP progress report (kept here so that a killed solve still returns its best
 * plan and bound) and `done` at the end.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { MipModel, MipSolution, MipSolveOptions, MipSolver, MipStatus } from '../domain/plan/types.js';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const loadHighs = require(workerData.highsPath);
let highsPromise = null;
function finite(highs, arr) {
  const out = Float64Array.from(arr);
  for (let i = 0; i < out.length; i++) {
    if (out[i] === Infinity) out[i] = highs.infinity;
    else if (out[i] === -Infinity) out[i] = -highs.infinity;
  }
  return out;
}
function createModel(highs, m) {
  if (typeof m === 'string') return highs.createModel({ format: 'lp', data: m });
  const numCols = m.col_names.length;
  const numRows = m.row_lower.length;
  return highs.createModel({
    numCols,
    numRows,
    colCost: m.col_cost,
    colLower: finite(highs, m.col_lower),
    colUpper: finite(highs, m.col_upper),
    rowLower: finite(highs, m.row_lower),
    rowUpper: finite(highs, m.row_upper),
    matrix: { format: 'csr', numRows, numCols, starts: m.row_starts, indices: m.row_index, values: m.row_value },
    integrality: Int32Array.from(m.integrality),
    colNames: m.col_names,
  });
}
parentPort.on('message', async (msg) => {
  try {
    if (!highsPromise) highsPromise = loadHighs();
    const highs = await highsPromise;
    const model = createModel(highs, msg.model);
    try {
      model.options.set({ output_flag: false, time_limit: msg.time_limit_s, mip_rel_gap: msg.mip_rel_gap });
      if (msg.solver_options) model.options.set(msg.solver_options);
      if (msg.relaxation) model.clearIntegrality();
      const dims = model.getDimensions();
      const names = new Array(dims.numCols);
      for (let i = 0; i < dims.numCols; i++) names[i] = model.getColName(i);
      parentPort.postMessage({ type: 'columns', names });
      if (msg.initial_solution && !msg.relaxation) {
        const index = new Map(names.map((n, i) => [n, i]));
        const idx = [];
        const val = [];
        for (const [name, v] of Object.entries(msg.initial_solution)) {
          const i = index.get(name);
          if (i !== undefined) { idx.push(i); val.push(v); }
        }
        try { model.setSolution({ indices: Int32Array.from(idx), values: Float64Array.from(val) }); } catch (e) { /* start rejected: solve without it */ }
      }
      const cb = {};
      cb[highs.constants.callbackType.mipImprovingSolution] = (ev) => {
        if (ev.data.mip_solution) parentPort.postMessage({ type: 'incumbent', objective: ev.data.objective_function_value, values: ev.data.mip_solution });
      };
      let lastBound = null;
      cb[highs.constants.callbackType.mipInterrupt] = (ev) => {
        const b = ev.data.mip_dual_bound;
        if (typeof b === 'number' && Number.isFinite(b) && b !== lastBound) { lastBound = b; parentPort.postMessage({ type: 'bound', bound: b }); }
      };
      const run = model.run(cb);
      const status = run.modelStatus;
      const info = (name) => { try { const v = model.info.get(name); return typeof v === 'bigint' ? Number(v) : v; } catch { return null; } };
      const hasSolution = info('primal_solution_status') === 2;
      const objective = hasSolution ? model.getObjectiveValue() : null;
      parentPort.postMessage({
        type: 'done',
        status,
        has_solution: hasSolution,
        objective,
        bound: msg.relaxation ? (status === 7 ? objective : null) : info('mip_dual_bound'),
        values: hasSolution ? model.getSolution().colValue : null,
      });
    } finally {
      model.dispose();
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message ? e.message : e) });
  }
});
`;

/** HiGHS model-status codes (highs `constants.modelStatus`). */
const STATUS: Record<number, { status: MipStatus; text: string }> = {
  7: { status: 'optimal', text: 'Optimal' },
  8: { status: 'infeasible', text: 'Infeasible' },
  13: { status: 'time_limit', text: 'Time limit reached' },
  17: { status: 'interrupted', text: 'Interrupted' },
};

interface DoneMessage {
  type: 'done';
  status: number;
  has_solution: boolean;
  objective: number | null;
  bound: number | null;
  values: Float64Array | null;
}
type WorkerMessage =
  | { type: 'columns'; names: string[] }
  | { type: 'bound'; bound: number }
  | { type: 'incumbent'; objective: number; values: Float64Array }
  | DoneMessage
  | { type: 'error'; message: string };

export interface HighsSolverOptions {
  /** Extra wall-clock allowance after `time_limit_s` before the worker is killed, ms (default max(3000, 50 % of the limit)). */
  kill_grace_ms?: number;
  /** Limit on reading the LP text before the solve starts, ms (default 60 000). */
  load_timeout_ms?: number;
}

function relGap(objective: number | null, bound: number | null): number | null {
  if (objective === null || bound === null || !Number.isFinite(objective) || !Number.isFinite(bound))
    return null;
  const denom = Math.max(Math.abs(objective), 1e-9);
  return Math.max(0, (objective - bound) / denom);
}

function toValues(names: string[], values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  values.forEach((v, i) => {
    if (v !== 0) out[names[i] ?? `c${i}`] = v;
  });
  return out;
}

/**
 * A MipSolver running HiGHS in a worker thread. The worker is started lazily, reused between solves,
 * unref'd (it never keeps the process alive) and replaced after a kill. Call `close()` to stop it.
 */
export class HighsSolver implements MipSolver {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HighsSolverOptions = {}) {}

  solve(model: string | MipModel, options: MipSolveOptions): Promise<MipSolution> {
    const run = this.queue.then(() => this.solveNow(model, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private getWorker(): Worker {
    if (!this.worker) {
      const require = createRequire(import.meta.url);
      const highsPath = require.resolve('highs');
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { highsPath } });
      this.worker.unref();
    }
    return this.worker;
  }

  private solveNow(model: string | MipModel, options: MipSolveOptions): Promise<MipSolution> {
    const started = performance.now();
    const worker = this.getWorker();
    const limitMs = options.time_limit_s * 1000;
    const grace = this.options.kill_grace_ms ?? Math.max(3000, limitMs * 0.5);
    let names: string[] = [];
    let incumbent: { objective: number; values: Float64Array } | null = null;
    let lastBound: number | null = null;
    return new Promise<MipSolution>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const finish = (sol: Omit<MipSolution, 'time_ms'>): void => {
        if (timer) clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve({ ...sol, time_ms: performance.now() - started });
      };
      const killed = (message: string): void => {
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        finish({
          status: 'killed',
          raw_status: 'Killed',
          has_solution: incumbent !== null,
          objective: incumbent?.objective ?? null,
          bound: lastBound,
          gap: relGap(incumbent?.objective ?? null, lastBound),
          values: incumbent ? toValues(names, incumbent.values) : {},
          message,
        });
      };
      const arm = (ms: number, message: string): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => killed(message), ms);
      };
      const onMessage = (msg: WorkerMessage): void => {
        switch (msg.type) {
          case 'columns':
            names = msg.names;
            arm(limitMs + grace, `solver overran its ${options.time_limit_s} s limit and was stopped`);
            return;
          case 'incumbent':
            incumbent = { objective: msg.objective, values: msg.values };
            return;
          case 'bound':
            lastBound = msg.bound;
            return;
          case 'done': {
            const st = STATUS[msg.status] ?? {
              status: 'other' as const,
              text: `HiGHS model status ${msg.status}`,
            };
            const values = msg.values
              ? toValues(names, msg.values)
              : incumbent
                ? toValues(names, incumbent.values)
                : {};
            const objective = msg.objective ?? incumbent?.objective ?? null;
            finish({
              status: st.status,
              raw_status: st.text,
              has_solution: msg.has_solution || incumbent !== null,
              objective,
              bound: msg.bound,
              gap: relGap(objective, msg.bound),
              values,
            });
            return;
          }
          case 'error':
            finish({
              status: 'error',
              raw_status: 'Error',
              has_solution: false,
              objective: null,
              bound: null,
              gap: null,
              values: {},
              message: msg.message,
            });
            return;
        }
      };
      const onError = (err: Error): void => {
        if (this.worker === worker) this.worker = null;
        finish({
          status: 'error',
          raw_status: 'Error',
          has_solution: false,
          objective: null,
          bound: null,
          gap: null,
          values: {},
          message: err.message,
        });
      };
      const onExit = (): void => {
        if (this.worker === worker) this.worker = null;
        killed('solver worker exited');
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      arm(this.options.load_timeout_ms ?? 60_000, 'solver did not finish reading the model in time');
      worker.postMessage({
        model,
        time_limit_s: options.time_limit_s,
        mip_rel_gap: options.mip_rel_gap,
        initial_solution: options.initial_solution,
        relaxation: options.relaxation ?? false,
        solver_options: options.solver_options,
      });
    });
  }
}

/** Convenience: a fresh HighsSolver. */
export function createHighsSolver(options: HighsSolverOptions = {}): HighsSolver {
  return new HighsSolver(options);
}
