// continuity/loss/sensitivity.hpp — which uncertain inputs drive the cost of
// an incident: a tornado analysis. Each uncertain input (a recovery step's
// duration, a cost line's amount, the records affected) is set to a low and
// a high quantile in turn, everything else at its point value, and the cost
// of one incident is recomputed from a fresh recovery plan; inputs are
// ranked by the swing between the two costs.
#pragma once

#include <continuity/loss/incident_cost.hpp>
#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_plan.hpp>
#include <continuity/recovery/recovery_project.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace continuity {

/// One bar of a tornado chart.
template <class Real = double>
struct sensitivity_bar {
  std::string input;     ///< "duration: <system>: <step>", "amount: <line>" or "records affected"
  Real low_input = 0;    ///< the input at the low quantile
  Real high_input = 0;   ///< the input at the high quantile
  Real low_cost = 0;     ///< cost of one incident with the input low
  Real high_cost = 0;    ///< cost of one incident with the input high
  /// |high_cost − low_cost|.
  Real swing() const noexcept { return std::abs(high_cost - low_cost); }
};

/// The tornado of scenario `i` of `m`: one bar per uncertain input (fixed
/// ones are skipped), sorted by decreasing swing, with the inputs at their
/// `low` and `high` quantiles (default 10 % and 90 %). Also returns nothing
/// for a scenario without uncertain inputs. Throws value_error unless
/// 0 ≤ low < high ≤ 1. Costs 2 plans per input.
template <class Real>
std::vector<sensitivity_bar<Real>> tornado(const basic_model<Real>& m, index_t i,
                                           Real low = Real(0.1), Real high = Real(0.9),
                                           const recovery_options<Real>& options = {}) {
  if (!(low >= 0 && low < high && high <= 1))
    throw value_error("tornado", {}, "low, high",
                      "need 0 <= low < high <= 1, got " + std::to_string(double(low)) + ", " +
                          std::to_string(double(high)));
  recovery_options<Real> plan_options = options;
  plan_options.improve = false;
  const auto& sc = m.scenario_at(i);
  const auto sit = situation_of(m, i);
  // The input varied: kind 0 a step (system, phase, step), 1 a line, 2 the records.
  struct which {
    int kind = -1;
    index_t system = no_index;
    recovery_phase phase = recovery_phase::emergency;
    std::size_t index = 0;
    Real value = 0;
  };
  auto cost = [&](const which& w) {
    auto rp = build_recovery_project(
        m, sit, [&](index_t s, recovery_phase ph, std::size_t k, const distribution<Real>& d) {
          return w.kind == 0 && w.system == s && w.phase == ph && w.index == k ? w.value
                                                                               : d.mean();
        });
    auto plan = plan_recovery(m, std::move(rp), plan_options);
    const Real records = w.kind == 2 ? w.value : sc.records_affected.mean();
    return cost_of_incident(m, i, plan.project, plan.outcome, records,
                            [&](std::size_t line, const distribution<Real>& d) {
                              return w.kind == 1 && w.index == line ? w.value : d.mean();
                            })
        .total;
  };
  std::vector<sensitivity_bar<Real>> bars;
  auto bar = [&](std::string name, which w, const distribution<Real>& d) {
    if (d.is_fixed()) return;
    sensitivity_bar<Real> b;
    b.input = std::move(name);
    b.low_input = d.quantile(low);
    b.high_input = d.quantile(high);
    w.value = b.low_input;
    b.low_cost = cost(w);
    w.value = b.high_input;
    b.high_cost = cost(w);
    bars.push_back(std::move(b));
  };
  // The steps of the point plan's procedures (defaults have fixed durations).
  const auto rp = build_recovery_project(m, sit);
  for (index_t s = 0; s < m.system_count(); ++s) {
    if (!rp.is_damaged(s)) continue;
    const auto& proc = rp.procedure(s);
    const auto& loss = sit.data[s];
    const bool no_backup = loss.data_destroyed && loss.backup == no_index;
    for (auto ph : {recovery_phase::emergency, recovery_phase::permanent}) {
      const auto& steps = ph == recovery_phase::emergency ? proc.emergency : proc.permanent;
      for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto& d = no_backup && steps[k].duration_without_backup
                            ? *steps[k].duration_without_backup
                            : steps[k].duration;
        bar("duration: " + m.system_at(s).name + ": " + steps[k].name, {0, s, ph, k, 0}, d);
      }
    }
  }
  for (std::size_t l = 0; l < sc.costs.size(); ++l)
    bar("amount: " + sc.costs[l].name, {1, no_index, recovery_phase::emergency, l, 0},
        sc.costs[l].amount);
  bar("records affected", {2, no_index, recovery_phase::emergency, 0, 0}, sc.records_affected);
  std::stable_sort(bars.begin(), bars.end(),
                   [](const auto& a, const auto& b) { return a.swing() > b.swing(); });
  return bars;
}

} // namespace continuity
