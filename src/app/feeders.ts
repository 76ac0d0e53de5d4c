/**
 * The quick feeder estimate used by the capacity check, the application assessment and the planner, for a
 * site's voltage and voltage-drop budget. The estimate is a pure function of its inputs; results are memoised
 * (bounded) because dashboards and contractors repeat the same checks, and sizing walks the cable catalogue.
 */
import { estimateFeeder } from '../domain/network/index.js';
import type { FeederEstimate } from '../domain/utilisation/capacity-check.js';

const MEMO_LIMIT = 20_000;
const memo = new Map<string, ReturnType<typeof estimateFeeder>>();

/** The feeder estimator of a site (memoised on distance to 0.1 m and P, Q to 0.001). */
export function siteFeederEstimator(site: {
  nominal_lv_voltage_v: number;
  voltage_drop_budget_percent: number;
}) {
  const options = {
    voltage_v: site.nominal_lv_voltage_v,
    voltage_drop_budget_percent: site.voltage_drop_budget_percent,
  };
  return (
    distanceM: number,
    activePowerKw: number,
    reactivePowerKvar: number,
  ): (FeederEstimate & Record<string, unknown>) | null => {
    const key = `${options.voltage_v}|${options.voltage_drop_budget_percent}|${distanceM.toFixed(1)}|${activePowerKw.toFixed(3)}|${reactivePowerKvar.toFixed(3)}`;
    let r = memo.get(key);
    if (r === undefined) {
      r = estimateFeeder(distanceM, activePowerKw, reactivePowerKvar, options);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, r);
    }
    return r as (FeederEstimate & Record<string, unknown>) | null;
  };
}
