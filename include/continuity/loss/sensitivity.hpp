// continuity/loss/sensitivity.hpp — which uncertain inputs drive the cost of
// an incident, two ways:
//  * tornado: each uncertain input (a recovery step's duration, a cost
//    line's amount, the records affected) is set to a low and a high
//    quantile in turn, everything else at its point value, and the cost of
//    one incident is recomputed from a fresh recovery plan; inputs are
//    ranked by the swing between the two costs (one at a time, no
//    interactions);
//  * rank_correlations: occurrences of the incident are simulated with every
//    input random at once (as in the loss simulation, spread included), and
//    each input is ranked by Spearman's rank correlation with the cost — the
//    sensitivity measure of Monte Carlo risk tools, which sees interactions
//    (a long step matters only if it is on the critical path).
#pragma once

#include <continuity/loss/incident_cost.hpp>
#include <continuity/loss/incident_input.hpp>
#include <continuity/loss/incident_simulation.hpp>
#include <continuity/loss/monte_carlo.hpp>
#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_plan.hpp>
#include <continuity/recovery/recovery_project.hpp>

#include <boost/math/statistics/bivariate_statistics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
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
  if (!(low > 0 && low < high && high < 1))
    throw value_error("tornado", {}, "low, high",
                      "need 0 < low < high < 1 (the 0 and 1 quantiles of an unbounded "
                      "distribution are infinite), got " +
                          std::to_string(double(low)) + ", " + std::to_string(double(high)));
  recovery_options<Real> plan_options = options;
  plan_options.improve = false;
  const auto& sc = m.scenario_at(i);
  const auto sit = situation_of(m, i);
  // The cost of one incident with input `varied` at `value`, all else at point values.
  auto cost = [&](const incident_input& varied, Real value) {
    auto rp = build_recovery_project(
        m, sit, [&](index_t s, recovery_phase ph, std::size_t k, const distribution<Real>& d) {
          return varied == incident_input{input_kind::step_duration, s, ph, k} ? value : d.mean();
        });
    auto plan = plan_recovery(m, std::move(rp), plan_options);
    const Real records =
        varied.kind == input_kind::records_affected ? value : sc.records_affected.mean();
    return cost_of_incident(m, i, plan.project, plan.outcome, records,
                            [&](std::size_t line, const distribution<Real>& d) {
                              return varied.kind == input_kind::cost_amount && varied.index == line
                                         ? value
                                         : d.mean();
                            })
        .total;
  };
  std::vector<sensitivity_bar<Real>> bars;
  for (const auto& in : uncertain_inputs(m, i)) {
    sensitivity_bar<Real> b;
    b.input = in.name;
    b.low_input = in.law.quantile(low);
    b.high_input = in.law.quantile(high);
    b.low_cost = cost(in.input, b.low_input);
    b.high_cost = cost(in.input, b.high_input);
    bars.push_back(std::move(b));
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const auto& a, const auto& b) { return a.swing() > b.swing(); });
  return bars;
}

/// One input's rank correlation with the cost of an incident.
template <class Real = double>
struct input_correlation {
  std::string input;     ///< as in uncertain_input::name, or "systems damaged"
  Real rank_correlation; ///< Spearman's ρ between the input and the cost, in [−1, 1]
  std::uint64_t trials;  ///< occurrences in which the input was in play
};

namespace detail {

// Ranks 1..n of `x` (ties get the mean of their ranks).
template <class Real>
std::vector<Real> ranks(const std::vector<Real>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<Real> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const Real mean_rank = Real(i + j + 2) / 2;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

} // namespace detail

/// Spearman's rank correlation of the pairs (x[k], y[k]) (Pearson's
/// correlation of the ranks, ties at their mean rank). NaN when fewer than
/// three pairs or either side is constant.
template <class Real>
Real spearman_correlation(const std::vector<Real>& x, const std::vector<Real>& y) {
  if (x.size() != y.size())
    throw value_error("rank correlation", {}, "y", "needs as many values as x");
  if (x.size() < 3) return std::numeric_limits<Real>::quiet_NaN();
  const auto rx = detail::ranks(x), ry = detail::ranks(y);
  auto constant = [](const std::vector<Real>& r) {
    return std::adjacent_find(r.begin(), r.end(), std::not_equal_to<>()) == r.end();
  };
  if (constant(rx) || constant(ry)) return std::numeric_limits<Real>::quiet_NaN();
  return boost::math::statistics::correlation_coefficient(rx, ry);
}

/// Which inputs drive the cost of scenario `i` of the simulation's model:
/// simulates `trials` occurrences of the incident (occurrence 0 of trials
/// 0 … trials − 1 of a run with `seed`: the same draws as the loss
/// simulation), records every uncertain input of uncertain_inputs() and how
/// many systems were damaged, and returns each input's Spearman correlation
/// with the occurrence's cost, by decreasing |ρ|. A step's duration is in
/// play only in occurrences that damage its system: its ρ is over those.
/// Inputs never in play, or constant, are left out. Parallel (`options`),
/// and the same for any thread count. Throws value_error for an unknown
/// scenario index or fewer than 3 trials.
template <class Real>
std::vector<input_correlation<Real>> rank_correlations(const incident_simulation<Real>& sim,
                                                       index_t i, std::uint64_t trials,
                                                       std::uint64_t seed,
                                                       const run_options& options = {}) {
  const auto& m = sim.model();
  if (i >= m.scenario_count())
    throw value_error("rank correlation", {}, "scenario",
                      "no scenario " + std::to_string(i) + " in the model");
  if (trials < 3)
    throw value_error("rank correlation", m.scenario_at(i).name, "trials",
                      "need at least 3, got " + std::to_string(trials));
  const auto inputs = uncertain_inputs(m, i);
  // Column 0: systems damaged; then one per uncertain input.
  std::vector<std::string> names{"systems damaged"};
  for (const auto& in : inputs) names.push_back(in.name);
  // Each watched input's column, looked up in O(log inputs) per report.
  using input_key = std::tuple<input_kind, index_t, recovery_phase, std::size_t>;
  const auto key = [](const incident_input& in) {
    return input_key{in.kind, in.system, in.phase, in.index};
  };
  std::map<input_key, std::size_t> columns;
  for (std::size_t c = 0; c < inputs.size(); ++c) columns.emplace(key(inputs[c].input), c + 1);
  auto column = [&](const incident_input& in) -> std::size_t {
    if (in.kind == input_kind::systems_damaged) return 0;
    const auto found = columns.find(key(in));
    return found != columns.end() ? found->second : names.size(); // else not watched
  };
  const Real nan = std::numeric_limits<Real>::quiet_NaN();
  auto occurrence = make_trial_model<Real>(names, [&](trial_engine& e, std::span<Real> watched) {
    std::fill(watched.begin(), watched.end(), nan);
    return sim.sample_occurrence(i, e.seed(), e.stream_id(), 0,
                                 [&](const incident_input& in, Real value) {
                                   const std::size_t c = column(in);
                                   if (c < watched.size()) watched[c] = value;
                                 })
        .total;
  });
  const auto result = run(occurrence, trials, seed, options);
  std::vector<input_correlation<Real>> out;
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<Real> x, y;
    for (Eigen::Index t = 0; t < result.annual_loss.size(); ++t) {
      const Real v = result.breakdown(t, static_cast<Eigen::Index>(c));
      if (std::isnan(v)) continue;
      x.push_back(v);
      y.push_back(result.annual_loss(t));
    }
    const Real rho = spearman_correlation(x, y);
    if (std::isnan(rho)) continue;
    out.push_back({names[c], rho, static_cast<std::uint64_t>(x.size())});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::abs(a.rank_correlation) > std::abs(b.rank_correlation);
  });
  return out;
}

} // namespace continuity
