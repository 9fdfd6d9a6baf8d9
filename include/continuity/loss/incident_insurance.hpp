// continuity/loss/incident_insurance.hpp — what the model's insurance
// policies recover of one bottom-up incident (the rules of
// loss/insurance.hpp), given its recovery outcome.
//
// Waiting period: business interruption cover typically excludes the first
// hours of an interruption. The opportunity cost that accrues during the
// first `waiting_period` hours after the incident is not covered: each
// function's lost profit (on the operating days of the week for a scenario
// that starts at week_start) and its per_outage_hour cost
// lines in the opportunity category for the output lost before then, and its money impact
// curves in the opportunity category up to then (rates until then, lumps of
// steps before then). These are exact, from the functions' output over time.
// Opportunity costs that do not accrue with time (fixed, per-record and
// revenue-fraction lines) are covered whole.
#pragma once

#include <continuity/loss/insurance.hpp>
#include <continuity/model/cost.hpp>
#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_outcome.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace continuity {

namespace detail {

/// Working memory of opportunity_cost_within and insure_incident.
template <class Real>
struct insurance_scratch {
  std::vector<Real> curves, rate_time, rate;
};

/// opportunity_cost_within with working memory `scratch`.
template <class Real>
Real opportunity_cost_within(const basic_model<Real>& m, index_t i,
                             const recovery_outcome<Real>& outcome,
                             std::span<const Real> line_amounts, Real hours,
                             insurance_scratch<Real>& scratch) {
  if (!(hours > 0)) return Real(0);
  const auto& sc = m.scenario_at(i);
  const bool week_start = sc.starts == incident_start::week_start;
  Real total = 0, profit = 0;
  auto& curves = scratch.curves;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = outcome.functions[f];
    if (!fo.down) continue;
    const auto& fn = m.function_at(f);
    // The lost profit and the curves' impacts as evaluate_recovery accrues
    // them, up to the end of the waiting period.
    accrue_impacts(m, f, fo.output, week_start, hours, profit, curves, scratch.rate_time,
                   scratch.rate);
    total += profit;
    const Real early = fo.output.lost_hours(hours);
    for (std::size_t l : m.cost_lines_by_name(i)) {
      const auto& line = sc.costs[l];
      if (line.driver != cost_driver::per_outage_hour ||
          line.category != cost_category::opportunity)
        continue;
      if (!line.function.empty() && line.function != fn.name) continue;
      total += line_amounts[l] * early;
    }
    for (std::size_t k : m.impact_curves_in_order(f))
      if (m.impact_in_money(f, k) &&
          impact_curve_category(fn.impact[k].category) == cost_category::opportunity)
        total += curves[k];
  }
  return total;
}

} // namespace detail

/// The opportunity cost of an incident of scenario `i` of `m` with outcome
/// `outcome` that accrues during its first `hours` hours (see the header
/// comment): the functions' lost profit and their per_outage_hour cost
/// lines of the opportunity category (amount per hour of line l:
/// line_amounts[l]) for the output lost before then, and their money impact
/// curves of the opportunity category up to then. Sums in name order.
template <class Real>
Real opportunity_cost_within(const basic_model<Real>& m, index_t i,
                             const recovery_outcome<Real>& outcome,
                             std::span<const Real> line_amounts, Real hours) {
  detail::insurance_scratch<Real> scratch;
  return detail::opportunity_cost_within(m, i, outcome, line_amounts, hours, scratch);
}

/// The insurance of one incident.
template <class Real = double>
struct incident_insurance {
  /// By policy (the model's, in order): what its per-event terms recover
  /// for this incident (insured_event; 0 if it does not cover the
  /// scenario), before its aggregate limit and before other policies pay.
  std::vector<Real> recoverable;
  /// By policy: what it pays for this incident alone in a year
  /// (settle_event from nothing paid).
  std::vector<Real> insured_by_policy;
  /// What the policies pay together for this incident alone in a year.
  Real insured = 0;
  /// The rest of the gross loss: insured + retained == gross exactly.
  Real retained = 0;
};

namespace detail {

/// insure_incident into `out`, reusing its memory and that of `scratch`.
template <class Real>
void insure_incident(const basic_model<Real>& m, index_t i, const recovery_outcome<Real>& outcome,
                     std::span<const Real> line_amounts,
                     std::span<const Real, cost_category_count> by_category, Real gross,
                     incident_insurance<Real>& out, insurance_scratch<Real>& scratch) {
  const auto policies = m.insurance();
  out.recoverable.assign(policies.size(), Real(0));
  out.insured_by_policy.assign(policies.size(), Real(0));
  for (std::size_t p = 0; p < policies.size(); ++p) {
    if (!m.insurance_covers(p, i)) continue;
    const Real waiting = opportunity_cost_within(m, i, outcome, line_amounts,
                                                 policies[p].waiting_period, scratch);
    out.recoverable[p] = insured_event(policies[p], by_category, waiting);
  }
  settle_event(policies, gross, [&](std::size_t p) { return out.recoverable[p]; },
               [&](std::size_t p) -> Real& { return out.insured_by_policy[p]; });
  Real insured = 0;
  for (Real v : out.insured_by_policy) insured += v;
  const auto split = split_loss(gross, insured);
  out.insured = split.insured;
  out.retained = split.retained;
}

} // namespace detail

/// The insurance under the model's policies of an incident of scenario `i`
/// with outcome `outcome`, gross loss `gross` of which `by_category` by cost
/// category, and per_outage_hour amounts `line_amounts` (by cost line).
template <class Real>
incident_insurance<Real> insure_incident(const basic_model<Real>& m, index_t i,
                                         const recovery_outcome<Real>& outcome,
                                         std::span<const Real> line_amounts,
                                         std::span<const Real, cost_category_count> by_category,
                                         Real gross) {
  incident_insurance<Real> out;
  detail::insurance_scratch<Real> scratch;
  detail::insure_incident(m, i, outcome, line_amounts, by_category, gross, out, scratch);
  return out;
}

} // namespace continuity
