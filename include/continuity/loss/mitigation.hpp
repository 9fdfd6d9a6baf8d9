// continuity/loss/mitigation.hpp — what a security or continuity measure is
// worth: a measure (an offline backup, zoning, MFA on the VPN, a second IT
// person) is a change to the model with an annual cost; simulating the
// changed model with the same seed as the baseline (common random numbers:
// see incident_simulation) gives its loss reduction per trial, whose mean is
// the reduction in annualised loss expectancy, with a standard error from
// the paired differences, and its return on security investment
//   ROSI = (ALE reduction − annual cost) / annual cost.
#pragma once

#include <continuity/error.hpp>
#include <continuity/loss/incident_simulation.hpp>
#include <continuity/loss/monte_carlo.hpp>
#include <continuity/loss/statistics.hpp>
#include <continuity/model/model.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace continuity {

/// A measure: a change to the model, and what it costs per year. A change
/// may lower what an incident does (an offline backup, zoning) or how often
/// it happens (a control such as patching the VPN or multi-factor
/// authentication: a lower annual_frequency), or both.
template <class Real = double>
struct mitigation {
  std::string name;     ///< e.g. "offline backup"
  Real annual_cost = 0; ///< cost per year (amortised investment + running cost), ≥ 0
  /// Applies the measure to a copy of the model's specification.
  std::function<void(basic_model_spec<Real>&)> apply;
  /// Share of the annual cost a subsidy pays (an IT or security subsidy for
  /// small companies), in [0, 1].
  Real subsidy_rate = 0;
  /// Most the subsidy pays per year, ≥ 0 (+infinity: no cap).
  Real subsidy_cap = std::numeric_limits<Real>::infinity();

  /// What the subsidy pays per year: min(rate × annual cost, cap).
  Real subsidy() const noexcept { return std::min(subsidy_rate * annual_cost, subsidy_cap); }
  /// What the organisation pays per year: annual cost − subsidy.
  Real net_cost() const noexcept { return annual_cost - subsidy(); }
};

/// What one measure does to the loss distribution.
template <class Real = double>
struct mitigation_outcome {
  std::string name;            ///< the measure
  Real annual_cost = 0;        ///< its cost per year
  loss_statistics<Real> loss;  ///< annual loss with the measure
  Real ale_reduction = 0;      ///< mean over trials of (baseline − mitigated) annual loss
  Real ale_reduction_se = 0;   ///< standard error of that mean (paired differences)
  /// (ale_reduction − net_cost) / net_cost; +infinity for a measure that
  /// costs nothing net and reduces the loss, NaN for one that does not.
  Real rosi = 0;
  Real subsidy = 0;  ///< what a subsidy pays of the annual cost
  Real net_cost = 0; ///< annual_cost − subsidy: the cost ROSI is measured on
};

/// The baseline and every measure.
template <class Real = double>
struct mitigation_comparison {
  loss_statistics<Real> baseline;                     ///< annual loss without any measure
  std::vector<mitigation_outcome<Real>> measures;     ///< each measure alone, in order
};

/// Simulates `m` and `m` changed by each measure with the same `seed` and
/// `trials`, and compares them. Throws value_error for a measure with no
/// change or a negative cost, and the model's validation_error (naming the
/// object and field) when a measure makes the model invalid.
template <class Real>
mitigation_comparison<Real> compare_mitigations(const basic_model<Real>& m,
                                                std::span<const mitigation<Real>> measures,
                                                std::uint64_t trials, std::uint64_t seed,
                                                const simulation_options<Real>& options = {},
                                                const run_options& run_opts = {}) {
  for (const auto& mm : measures) {
    if (!mm.apply) throw value_error("mitigation", mm.name, "apply", "must change the model");
    if (!(mm.annual_cost >= 0) || !std::isfinite(mm.annual_cost))
      throw value_error("mitigation", mm.name, "annual_cost",
                        "must be a finite non-negative amount");
    if (!(mm.subsidy_rate >= 0 && mm.subsidy_rate <= 1))
      throw value_error("mitigation", mm.name, "subsidy_rate", "must be a share in [0, 1]");
    if (!(mm.subsidy_cap >= 0))
      throw value_error("mitigation", mm.name, "subsidy_cap",
                        "must be a non-negative amount (or +infinity: no cap)");
  }
  const incident_simulation<Real> base_sim(m, options);
  const auto base = run(base_sim, trials, seed, run_opts);
  mitigation_comparison<Real> out{loss_statistics<Real>(base.annual_loss), {}};
  for (const auto& mm : measures) {
    auto spec = m.spec();
    mm.apply(spec);
    const basic_model<Real> changed(std::move(spec));
    const incident_simulation<Real> sim(changed, options);
    const auto r = run(sim, trials, seed, run_opts);
    mitigation_outcome<Real> o{mm.name, mm.annual_cost, loss_statistics<Real>(r.annual_loss)};
    const auto diff = paired_mean_difference<Real>(base.annual_loss, r.annual_loss);
    const Real mean = diff.mean;
    o.ale_reduction = mean;
    o.ale_reduction_se = diff.standard_error;
    o.subsidy = mm.subsidy();
    o.net_cost = mm.net_cost();
    o.rosi = o.net_cost > 0 ? (mean - o.net_cost) / o.net_cost
             : mean > 0     ? std::numeric_limits<Real>::infinity()
                            : std::numeric_limits<Real>::quiet_NaN();
    out.measures.push_back(std::move(o));
  }
  return out;
}

/// compare_mitigations over a vector of measures.
template <class Real>
mitigation_comparison<Real> compare_mitigations(const basic_model<Real>& m,
                                                const std::vector<mitigation<Real>>& measures,
                                                std::uint64_t trials, std::uint64_t seed,
                                                const simulation_options<Real>& options = {},
                                                const run_options& run_opts = {}) {
  return compare_mitigations(m, std::span<const mitigation<Real>>(measures), trials, seed, options,
                             run_opts);
}

} // namespace continuity
