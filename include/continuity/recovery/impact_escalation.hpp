// continuity/recovery/impact_escalation.hpp — impact escalation levels of a
// recovery plan: for every step of every impact curve of a stopped business
// function (a BIA's impact level at a time of outage: "after 1 day: 3
// points; after 1 week: 5 more"), whether the plan's outage reaches it, how
// much output is missing then, and the impact accumulated by then in the
// curve's own unit (money, points, patients, ...).
//
// business_impact_until gives the money a plan's outage costs in its first
// hours or days ("what the first two months cost").
//
// The impact by a step's time counts as evaluate_recovery does: every rate
// and lump weighted by the share of output missing when it accrues. So the
// last step's accumulated impact plus what accrues after it is the curve's
// total in recovery_outcome::function_outcome::curve_impacts.
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_outcome.hpp>

#include <cstddef>
#include <vector>

namespace continuity {

/// One escalation level of one impact curve in a plan.
template <class Real = double>
struct escalation_level {
  index_t function = no_index; ///< the business function
  std::size_t curve = 0;       ///< index of the curve in the function's `impact`
  std::size_t step = 0;        ///< index of the step in the curve (level step + 1)
  Real after = 0;              ///< hours of outage at which the level begins
  bool reached = false;        ///< the function's output is below normal then
  Real missing = 0;            ///< share of normal output missing then, in [0, 1]
  /// The curve's impact accumulated up to `after`, this step's lump
  /// included, in the curve's unit.
  Real impact = 0;
};

/// The escalation levels of every impact curve of every business function
/// that `outcome` (of a plan of `m`) leaves stopped: functions in the order
/// of their names, curves and steps in their order. O(steps² × breakpoints)
/// per curve (curves have a handful of steps).
template <class Real>
std::vector<escalation_level<Real>> impact_escalation(const basic_model<Real>& m,
                                                      const recovery_outcome<Real>& outcome) {
  std::vector<escalation_level<Real>> levels;
  std::vector<Real> rt, rv;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = outcome.functions[f];
    if (!fo.down) continue;
    const auto& curves = m.function_at(f).impact;
    for (std::size_t k = 0; k < curves.size(); ++k) {
      const auto& steps = curves[k].steps;
      Real lumps = 0;
      for (std::size_t j = 0; j < steps.size(); ++j) {
        escalation_level<Real> l;
        l.function = f;
        l.curve = k;
        l.step = j;
        l.after = steps[j].after;
        l.missing = Real(1) - fo.output.at(l.after);
        l.reached = l.missing > 0;
        lumps += steps[j].lump * l.missing;
        // The rates of the steps before this one, stopped at its time.
        rt.clear();
        rv.clear();
        for (std::size_t i = 0; i < j; ++i) {
          rt.push_back(steps[i].after);
          rv.push_back(steps[i].rate_per_hour);
        }
        rt.push_back(l.after);
        rv.push_back(Real(0));
        l.impact = lumps + fo.output.weighted_lost(rt, rv);
        levels.push_back(l);
      }
    }
  }
  return levels;
}

/// The business impact (lost profit and the money impact curves) that the
/// plan with outcome `outcome` of project `rp` (of `m`) accrues in the first
/// `hours` after the incident (+infinity: outcome.business_impact), summed
/// over the functions in the order of their names: "what the first two
/// months cost".
template <class Real>
Real business_impact_until(const basic_model<Real>& m, const recovery_project<Real>& rp,
                           const recovery_outcome<Real>& outcome, Real hours) {
  const bool week_start = detail::starts_at_week_start(m, rp);
  Real total = 0, lost_profit = 0;
  std::vector<Real> curves;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = outcome.functions[f];
    if (!fo.down) continue;
    detail::accrue_impacts(m, f, fo.output, week_start, hours, lost_profit, curves);
    total += lost_profit;
    for (std::size_t k : m.impact_curves_in_order(f))
      if (m.impact_in_money(f, k)) total += curves[k];
  }
  return total;
}

} // namespace continuity
