// continuity/loss/ransom_decision.hpp — pay the ransom or restore without
// paying: the two policies of a model's ransomware scenarios (model/ransom.hpp)
// simulated on the same incidents.
//
// Both runs use one seed, so every draw that does not depend on the policy —
// how often the attack comes, what it reaches, how long each step takes, the
// amounts, whether the data leak (one uniform against the policy's chance) —
// is the same in both (common random numbers: see incident_simulation). The
// difference per trial is then the policy's effect, and its mean has a
// standard error from the paired differences, far smaller than either run's.
#pragma once

#include <continuity/error.hpp>
#include <continuity/loss/incident_simulation.hpp>
#include <continuity/loss/monte_carlo.hpp>
#include <continuity/loss/statistics.hpp>
#include <continuity/model/model.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace continuity {

/// The two ransom policies' annual losses, trial by trial.
template <class Real = double>
struct ransom_decision {
  /// Scenarios with ransom terms that were simulated, by name.
  std::vector<std::string> scenarios;
  simulation_result<Real> restore; ///< every such scenario restored without paying
  simulation_result<Real> pay;     ///< every such scenario paid
  /// Mean over trials of pay − restore annual loss (positive: paying costs
  /// more), and its standard error.
  paired_difference<Real> difference;
  /// Share of trials in which paying lost strictly less than restoring.
  Real pay_cheaper = 0;
  /// Share of trials in which paying lost strictly more.
  Real pay_dearer = 0;
};

/// `m` with every ransom policy set to `pay`.
template <class Real>
basic_model<Real> with_ransom_policy(const basic_model<Real>& m, bool pay) {
  auto spec = m.spec();
  for (auto& sc : spec.scenarios)
    if (sc.ransom) sc.ransom->pay = pay;
  return basic_model<Real>(std::move(spec));
}

/// Simulates `m` with every ransom policy set to "restore" and to "pay",
/// `trials` years each with the same `seed`, and compares them. Throws
/// value_error if no scenario simulated (options.scenarios, or every
/// scenario with a positive frequency) has ransom terms.
template <class Real>
ransom_decision<Real> compare_ransom_policies(const basic_model<Real>& m, std::uint64_t trials,
                                              std::uint64_t seed,
                                              const simulation_options<Real>& options = {},
                                              const run_options& run_opts = {}) {
  ransom_decision<Real> out;
  const basic_model<Real> restore = with_ransom_policy(m, false), pay = with_ransom_policy(m, true);
  const incident_simulation<Real> restore_sim(restore, options);
  for (index_t i : restore_sim.scenarios())
    if (m.scenario_at(i).ransom) out.scenarios.push_back(m.scenario_at(i).name);
  if (out.scenarios.empty())
    throw value_error("model", m.name(), "scenarios",
                      "no simulated scenario has ransom terms: give a ransomware scenario a "
                      "'ransom' object (docs/model-format.md)");
  out.restore = run(restore_sim, trials, seed, run_opts);
  const incident_simulation<Real> pay_sim(pay, options);
  out.pay = run(pay_sim, trials, seed, run_opts);
  out.difference = paired_mean_difference<Real>(out.pay.annual_loss, out.restore.annual_loss);
  const auto n = out.pay.annual_loss.size();
  if (n > 0) {
    const Real count = static_cast<Real>(n);
    out.pay_cheaper = static_cast<Real>((out.pay.annual_loss < out.restore.annual_loss).count()) / count;
    out.pay_dearer = static_cast<Real>((out.pay.annual_loss > out.restore.annual_loss).count()) / count;
  }
  return out;
}

} // namespace continuity
