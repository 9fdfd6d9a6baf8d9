// continuity/model/insurance_policy.hpp — the terms of an insurance policy
// against incident losses: a deductible and a limit per event, an annual
// aggregate limit, a waiting period for business interruption, sub-limits by
// cost category, and the scenarios it covers. How the terms turn an event's
// loss into an insured and a retained part is in loss/insurance.hpp.
#pragma once

#include <continuity/error.hpp>
#include <continuity/model/cost.hpp>
#include <continuity/model/magnitudes.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace continuity {

/// An insurance policy against incident losses. Every amount is in the
/// model's currency; +infinity means "no limit".
template <class Real = double>
struct insurance_policy {
  std::string name; ///< unique among the policies, e.g. "cyber"
  /// Per event: the part of the covered loss of each event the insured bears.
  Real deductible = 0;
  /// Per event: the most the policy pays for one event (after the deductible).
  Real limit = std::numeric_limits<Real>::infinity();
  /// Per year: the most the policy pays for all the events of a year together.
  Real aggregate_limit = std::numeric_limits<Real>::infinity();
  /// Business interruption: the opportunity cost that accrues in the first
  /// this many hours after an incident is not covered.
  Real waiting_period = 0;
  /// Per event and cost category (by cost_category): the most of that
  /// category's loss the policy counts as covered.
  std::array<Real, cost_category_count> sublimits = {
      std::numeric_limits<Real>::infinity(), std::numeric_limits<Real>::infinity(),
      std::numeric_limits<Real>::infinity(), std::numeric_limits<Real>::infinity()};
  /// Names of the scenarios it covers; empty: every scenario.
  std::vector<std::string> scenarios;

  /// True if it covers the scenario called `scenario`.
  bool covers(std::string_view scenario) const noexcept {
    return scenarios.empty() ||
           std::find(scenarios.begin(), scenarios.end(), scenario) != scenarios.end();
  }
  /// The sub-limit of category `c`.
  Real sublimit(cost_category c) const noexcept { return sublimits[static_cast<std::size_t>(c)]; }

  /// Same terms.
  friend bool operator==(const insurance_policy&, const insurance_policy&) = default;
};

namespace detail {

inline std::string insurance_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

// A finite amount in [0, max_amount], or, with `none_allowed`, +infinity.
template <class Real>
void check_policy_amount(Real v, const std::string& policy, const std::string& field,
                         bool none_allowed) {
  const auto d = static_cast<double>(v);
  if (none_allowed && d == std::numeric_limits<double>::infinity()) return;
  if (!(d >= 0) || !std::isfinite(d))
    throw value_error("insurance policy", policy, field,
                      std::string("must be a finite non-negative amount") +
                          (none_allowed ? " (or none, for no limit)" : "") + ", got " +
                          insurance_number(d));
  if (d > max_amount)
    throw value_error("insurance policy", policy, field,
                      "must be at most " + insurance_number(max_amount) + ", got " +
                          insurance_number(d) + " (larger figures would overflow the loss arithmetic)");
}

} // namespace detail

/// Checks the terms of policy `p` (not the names of its scenarios): a
/// non-empty name; a finite non-negative deductible; limits, aggregate
/// limit and sub-limits non-negative (+infinity: none); a finite
/// non-negative waiting period in hours; amounts at most max_amount, hours
/// at most max_hours. Throws value_error naming the policy (or, without a
/// name, `position`, e.g. "#2") and the field.
template <class Real>
void check_insurance_policy(const insurance_policy<Real>& p, const std::string& position) {
  if (p.name.empty()) throw value_error("insurance policy", position, "name", "must not be empty");
  detail::check_policy_amount(p.deductible, p.name, "deductible", false);
  detail::check_policy_amount(p.limit, p.name, "limit", true);
  detail::check_policy_amount(p.aggregate_limit, p.name, "aggregate_limit", true);
  for (std::size_t c = 0; c < cost_category_count; ++c)
    detail::check_policy_amount(
        p.sublimits[c], p.name,
        "sublimits." + std::string(to_string(static_cast<cost_category>(c))), true);
  const auto w = static_cast<double>(p.waiting_period);
  if (!(w >= 0) || !std::isfinite(w))
    throw value_error("insurance policy", p.name, "waiting_period",
                      "must be a finite non-negative number of hours, got " +
                          detail::insurance_number(w));
  if (w > max_hours)
    throw value_error("insurance policy", p.name, "waiting_period",
                      "must be at most " + detail::insurance_number(max_hours) +
                          " hours (114 years), got " + detail::insurance_number(w));
}

/// Checks a list of policies: each one's terms (check_insurance_policy),
/// unique names (duplicate_error), and that each names only scenarios for
/// which `is_scenario(name)` is true (reference_error "unknown <what>"),
/// each once (duplicate_error).
template <class Real, class IsScenario>
void check_insurance(std::span<const insurance_policy<Real>> policies, IsScenario&& is_scenario,
                     const std::string& what) {
  std::unordered_set<std::string_view> names, listed; // hash sets: linear in the names
  for (std::size_t k = 0; k < policies.size(); ++k) {
    const auto& p = policies[k];
    std::string position = "#"; // (appended, not concatenated: GCC 12's false -Wrestrict)
    position += std::to_string(k + 1);
    check_insurance_policy(p, position);
    if (!names.insert(p.name).second)
      throw duplicate_error("insurance policy", p.name, "name",
                            "another insurance policy has this name");
    listed.clear();
    for (std::size_t s = 0; s < p.scenarios.size(); ++s) {
      const std::string field = "scenarios[" + std::to_string(s) + "]";
      if (!is_scenario(p.scenarios[s]))
        throw reference_error("insurance policy", p.name, field,
                              "unknown " + what + " '" + p.scenarios[s] + "'");
      if (!listed.insert(p.scenarios[s]).second)
        throw duplicate_error("insurance policy", p.name, field,
                              "lists '" + p.scenarios[s] + "' twice");
    }
  }
}

} // namespace continuity
