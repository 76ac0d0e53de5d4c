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
import type {
  CutRows,
  MipModel,
  MipSolution,
  MipSolveOptions,
  MipSolver,
  MipStatus,
  RelaxationReply,
} from '../domain/plan/types.js';

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
// Relative gap of the restricted MIP (ratings fixed): it is small, and its optimum, not one within the full
// MIP's tolerance, is what is wanted (at 500 loads it stopped 0.3 % short at the full MIP's 0.5 %).
const SUB_GAP = 1e-4;
/**
 * Dive over unary integer groups (each group: columns c_1 ≥ c_2 ≥ … whose sum is the group's level), on the
 * LP relaxation: until every level is whole, try each fractional group at the level below and above its LP
 * level, fix the group whose better side is worst (the most constrained) at that side, and re-solve. Returns
 * the whole levels and the final LP value, or null when the time ran out or the LP became infeasible. The
 * model's bounds and integrality are restored.
 */
function unaryDive(highs, m, source, groups, limitS, intCols) {
  const t0 = Date.now();
  const deadline = t0 + limitS * 1000;
  const lower = source.col_lower;
  const upper = source.col_upper;
  const inf = highs.infinity;
  const setLevel = (g, k) => { for (let i = 0; i < g.length; i++) { const x = i < k ? 1 : 0; m.changeColBounds(g[i], x, x); } };
  const free = (g) => { for (const j of g) m.changeColBounds(j, lower[j], upper[j] === Infinity ? inf : upper[j]); };
  let solves = 0;
  // LP value, Infinity when infeasible, null when out of time (or any other outcome).
  const solve = () => {
    const left = (deadline - Date.now()) / 1000;
    if (left <= 0) return null;
    m.zeroAllClocks();
    m.options.set({ time_limit: left });
    const r = m.run();
    solves++;
    if (r.modelStatus === 7) return m.getObjectiveValue();
    if (r.modelStatus === 8) return Infinity;
    return null;
  };
  const level = (g, v) => { let s = 0; for (const j of g) s += v[j]; return s; };
  const done = new Array(groups.length).fill(false);
  let result = null;
  m.clearIntegrality();
  try {
    let lp = solve();
    while (lp !== null && lp !== Infinity) {
      const v = m.getSolution().colValue;
      let pick = null;
      let fractional = false;
      let aborted = false;
      for (let gi = 0; gi < groups.length && !aborted; gi++) {
        if (done[gi]) continue;
        const g = groups[gi];
        const s = level(g, v);
        const lo = Math.floor(s + 1e-6);
        const hi = Math.ceil(s - 1e-6);
        if (hi <= lo) continue;
        fractional = true;
        setLevel(g, lo);
        const vlo = solve();
        setLevel(g, hi);
        const vhi = vlo === null ? null : solve();
        free(g);
        if (vlo === null || vhi === null) { aborted = true; break; }
        const score = Math.min(vlo, vhi);
        if (!pick || score > pick.score) pick = { gi, k: vlo <= vhi ? lo : hi, score };
      }
      if (aborted) break;
      if (!fractional) {
        result = { levels: groups.map((g) => Math.round(level(g, v))), lp, solves, time_ms: Date.now() - t0 };
        break;
      }
      if (pick.score === Infinity) break;
      setLevel(groups[pick.gi], pick.k);
      done[pick.gi] = true;
      lp = solve();
    }
  } finally {
    for (const g of groups) free(g);
    if (intCols.length > 0)
      m.changeColsIntegrality({ kind: 'set', indices: Int32Array.from(intCols) }, Int32Array.from(intCols.map(() => 1)));
  }
  return result;
}
let replyWaiter = null;
const nextReply = () => new Promise((resolve) => { replyWaiter = resolve; });
parentPort.on('message', async (msg) => {
  if (msg.type === 'reply') {
    const w = replyWaiter;
    replyWaiter = null;
    if (w) w(msg);
    return;
  }
  try {
    if (!highsPromise) highsPromise = loadHighs();
    const highs = await highsPromise;
    const started = Date.now();
    const model = createModel(highs, msg.model);
    try {
      model.options.set({ output_flag: false, time_limit: msg.time_limit_s, mip_rel_gap: msg.mip_rel_gap });
      if (msg.solver_options) model.options.set(msg.solver_options);
      if (msg.relaxation) model.clearIntegrality();
      const dims = model.getDimensions();
      const names = new Array(dims.numCols);
      for (let i = 0; i < dims.numCols; i++) names[i] = model.getColName(i);
      parentPort.postMessage({ type: 'columns', names });
      const nameIndex = new Map(names.map((n, i) => [n, i]));
      // Cut rounds on the LP relaxation (matrix models only): LP, ask the main thread for cuts, add, repeat.
      let cuts = null;
      let start = msg.initial_solution;
      let fix = null;
      let fixLimit = 0;
      if (msg.separate && !msg.relaxation && typeof msg.model !== 'string') {
        let lastValues = null;
        const intCols = [];
        msg.model.integrality.forEach((v, j) => { if (v === 1) intCols.push(j); });
        const limit = Math.min(msg.cut_time_limit_s, msg.time_limit_s);
        cuts = { lp_before: null, lp_after: null, rounds: 0, rows: 0, time_ms: 0 };
        model.clearIntegrality();
        for (;;) {
          const left = limit - (Date.now() - started) / 1000;
          if (left <= 0) break;
          model.zeroAllClocks();
          model.options.set({ time_limit: left });
          const lp = model.run();
          if (lp.modelStatus !== 7) break;
          const obj = model.getObjectiveValue();
          const gain = cuts.lp_after === null ? Infinity : obj - cuts.lp_after;
          if (cuts.lp_before === null) cuts.lp_before = obj;
          cuts.lp_after = obj;
          lastValues = model.getSolution().colValue;
          if (cuts.rounds >= msg.cut_rounds || (Date.now() - started) / 1000 >= limit) break;
          if (gain < msg.cut_min_gain * Math.max(1, Math.abs(obj))) break;
          parentPort.postMessage({ type: 'lp', objective: obj, values: lastValues });
          const { rows } = await nextReply();
          if (!rows || rows.lower.length === 0) break;
          const numRows = rows.lower.length;
          model.addRows({
            lower: finite(highs, rows.lower),
            upper: finite(highs, rows.upper),
            matrix: { format: 'csr', numRows, numCols: dims.numCols, starts: rows.starts, indices: rows.index, values: rows.value },
          });
          cuts.rounds++;
          cuts.rows += numRows;
        }
        if (intCols.length > 0)
          model.changeColsIntegrality({ kind: 'set', indices: Int32Array.from(intCols) }, Int32Array.from(intCols.map(() => 1)));
        cuts.time_ms = Date.now() - started;
        if (msg.relaxation_hook && lastValues) {
          // The main thread may turn the last LP solution into a better start (e.g. an LP-guided heuristic).
          parentPort.postMessage({ type: 'relaxation', objective: cuts.lp_after, values: lastValues });
          const reply = await nextReply();
          if (reply.start) start = reply.start;
          fix = reply.fix;
          fixLimit = reply.fix_time_limit_s;
          if (reply.dive && reply.dive.groups.length > 0 && reply.dive.time_limit_s > 0) {
            // A dive over unary integer groups; its whole levels replace the restricted MIP's fixed columns
            // when their LP value is below the start's objective.
            const d = unaryDive(highs, model, msg.model, reply.dive.groups, reply.dive.time_limit_s, intCols);
            let startObj = Infinity;
            if (start) {
              startObj = 0;
              for (const [name, v] of Object.entries(start)) { const j = nameIndex.get(name); if (j !== undefined) startObj += msg.model.col_cost[j] * v; }
            }
            if (d && d.lp < startObj - 1e-9) {
              fix = {};
              reply.dive.groups.forEach((g, gi) => { g.forEach((j, i) => { fix[names[j]] = i < d.levels[gi] ? 1 : 0; }); });
            }
            if (cuts) cuts.dive = d ? { lp: d.lp, solves: d.solves, time_ms: d.time_ms, used: d.lp < startObj - 1e-9 } : null;
          }
        }
        model.zeroAllClocks();
        model.options.set({ time_limit: Math.max(0.05, msg.time_limit_s - (Date.now() - started) / 1000) });
      }
      // The start as a sparse solution; set again before each run (a run replaces HiGHS' solution).
      let startSparse = null;
      if (start && !msg.relaxation) {
        const idx = [];
        const val = [];
        for (const [name, v] of Object.entries(start)) {
          const i = nameIndex.get(name);
          if (i !== undefined) { idx.push(i); val.push(v); }
        }
        startSparse = { indices: Int32Array.from(idx), values: Float64Array.from(val) };
      }
      const setStart = () => {
        if (!startSparse) return;
        try { model.setSolution(startSparse); } catch (e) { /* start rejected: solve without it */ }
      };
      setStart();
      if (fix && fixLimit > 0) {
        // Restricted MIP: the given columns fixed, from the start; its best solution becomes the start of the
        // full MIP. Its bound is not one of the full model, so no 'bound' message is posted for it.
        const fixed = [];
        for (const [name, v] of Object.entries(fix)) {
          const j = nameIndex.get(name);
          if (j !== undefined) { fixed.push(j); model.changeColBounds(j, v, v); }
        }
        const subCb = {};
        subCb[highs.constants.callbackType.mipImprovingSolution] = (ev) => {
          if (ev.data.mip_solution) parentPort.postMessage({ type: 'incumbent', objective: ev.data.objective_function_value, values: ev.data.mip_solution });
        };
        model.zeroAllClocks();
        model.options.set({ mip_rel_gap: SUB_GAP, time_limit: Math.min(fixLimit, Math.max(0.05, msg.time_limit_s - (Date.now() - started) / 1000)) });
        model.run(subCb);
        const subSolution = model.info.get('primal_solution_status') === 2 ? model.getSolution().colValue : null;
        for (const j of fixed) model.changeColBounds(j, msg.model.col_lower[j], msg.model.col_upper[j] === Infinity ? highs.infinity : msg.model.col_upper[j]);
        if (subSolution) {
          const cost = msg.model.col_cost;
          const objOf = (get) => { let o = 0; for (let j = 0; j < cost.length; j++) o += cost[j] * get(j); return o; };
          const dense = new Float64Array(cost.length);
          if (startSparse) startSparse.indices.forEach((j, k) => { dense[j] = startSparse.values[k]; });
          if (!startSparse || objOf((j) => subSolution[j]) <= objOf((j) => dense[j]) + 1e-9)
            startSparse = { indices: Int32Array.from(subSolution.map((_, j) => j)), values: Float64Array.from(subSolution) };
        }
        setStart();
        model.zeroAllClocks();
        model.options.set({ mip_rel_gap: msg.mip_rel_gap, time_limit: Math.max(0.05, msg.time_limit_s - (Date.now() - started) / 1000) });
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
        cuts,
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
  cuts: MipSolution['cuts'] | null;
}
type WorkerMessage =
  | { type: 'columns'; names: string[] }
  | { type: 'lp'; objective: number; values: Float64Array }
  | { type: 'relaxation'; objective: number; values: Float64Array }
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

/** The answer of a solve that failed (worker error or crash): no solution, no bound. */
function errorSolution(message: string): Omit<MipSolution, 'time_ms'> {
  return {
    status: 'error',
    raw_status: 'Error',
    has_solution: false,
    objective: null,
    bound: null,
    gap: null,
    values: {},
    message,
  };
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
    let lpBound: number | null = null;
    const best = (a: number | null, b: number | null): number | null =>
      a === null || !Number.isFinite(a) ? b : b === null || !Number.isFinite(b) ? a : Math.max(a, b);
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
          bound: best(lastBound, lpBound),
          gap: relGap(incumbent?.objective ?? null, best(lastBound, lpBound)),
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
          case 'lp': {
            lpBound = msg.objective;
            let rows: CutRows | null = null;
            try {
              rows = options.separator?.(msg.values) ?? null;
            } catch {
              rows = null; // a failing separator ends the cut rounds; the solve goes on
            }
            worker.postMessage({ type: 'reply', rows });
            return;
          }
          case 'relaxation': {
            let reply: RelaxationReply | null = null;
            try {
              reply = options.on_relaxation?.(msg.values, msg.objective) ?? null;
            } catch {
              reply = null; // a failing hook keeps the given start
            }
            worker.postMessage({
              type: 'reply',
              start: reply?.start ?? null,
              fix: reply?.fix ?? null,
              fix_time_limit_s: reply?.fix_time_limit_s ?? 0,
              dive: reply?.dive ?? null,
            });
            return;
          }
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
            const bound = best(msg.bound, msg.cuts?.lp_after ?? null);
            finish({
              status: st.status,
              raw_status: st.text,
              has_solution: msg.has_solution || incumbent !== null,
              objective,
              bound,
              gap: relGap(objective, bound),
              values,
              ...(msg.cuts ? { cuts: msg.cuts } : {}),
            });
            return;
          }
          case 'error':
            finish(errorSolution(msg.message));
            return;
        }
      };
      const onError = (err: Error): void => {
        if (this.worker === worker) this.worker = null;
        finish(errorSolution(err.message));
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
        separate: options.separator !== undefined,
        cut_rounds: options.cut_rounds ?? 30,
        cut_time_limit_s: options.cut_time_limit_s ?? options.time_limit_s / 2,
        cut_min_gain: options.cut_min_gain ?? 5e-5,
        relaxation_hook: options.on_relaxation !== undefined,
      });
    });
  }
}

/** Convenience: a fresh HighsSolver. */
export function createHighsSolver(options: HighsSolverOptions = {}): HighsSolver {
  return new HighsSolver(options);
}
