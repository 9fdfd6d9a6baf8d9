// continuity/loss/incident_cost.hpp — the damage cost of one incident, by
// the taxonomy of docs/domain.md §6: the scenario's cost lines, each amount times
// what its driver measures in the recovery (records affected, hours of lost
// output, lost records to re-enter, annual revenue), plus the lost profit and
// the impact curves of every business function, which follow from the
// recovery plan's capacity over time; and what the model's insurance
// policies recover of it (loss/incident_insurance.hpp).
#pragma once

#include <continuity/loss/incident_insurance.hpp>
#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_outcome.hpp>
#include <continuity/recovery/recovery_plan.hpp>
#include <continuity/recovery/recovery_project.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace continuity {

/// The cost of one incident.
template <class Real = double>
struct incident_cost {
  Real total = 0; ///< every line and the lost profit
  /// Total by category (liability, response, opportunity, legal).
  std::array<Real, cost_category_count> by_category{};
  /// By line: the scenario's cost lines in order, then the ransom's lines
  /// ("ransom payment", "data leak", "sanctions") if it has ransom terms,
  /// then "lost profit" (every function's lost output × profit), then
  /// "impact curves" (the functions' impact-over-time curves).
  std::vector<Real> by_line;
  /// By function: its lost profit, impact curves and per_outage_hour lines.
  std::vector<Real> by_function;
  /// What the model's insurance policies recover of `total` for this
  /// incident alone in a year (loss/insurance.hpp); 0 without policies.
  Real insured = 0;
  /// What the organisation bears: insured + retained == total exactly.
  Real retained = 0;
  /// By policy (the model's, in order): what its per-event terms recover
  /// for this incident, before its annual aggregate limit and before other
  /// policies pay (what a simulated year settles).
  std::vector<Real> recoverable;
  /// By policy: what it pays for this incident alone in a year.
  std::vector<Real> insured_by_policy;
};

/// Names of incident_cost::by_line for scenario i: its cost lines, the
/// ransom's if it has ransom terms, then "lost profit" and "impact curves".
template <class Real>
std::vector<std::string> cost_line_names(const basic_model<Real>& m, index_t i) {
  std::vector<std::string> names;
  const auto& sc = m.scenario_at(i);
  for (const auto& line : sc.costs) names.push_back(line.name);
  if (sc.ransom)
    for (auto name : ransom_line_names) names.emplace_back(name);
  if (!sc.notifications.empty())
    for (auto name : notification_line_names) names.emplace_back(name);
  names.emplace_back("lost profit");
  names.emplace_back("impact curves");
  return names;
}

/// Annual revenue of the organisation: the sum over its business functions,
/// in the order of their names.
template <class Real>
Real annual_revenue(const basic_model<Real>& m) noexcept {
  Real total = 0;
  for (index_t f : m.functions_by_name()) total += m.function_at(f).annual_revenue();
  return total;
}

/// `cost` as a share of the organisation's annual revenue (the sources'
/// "about 1 % of annual sales"); NaN if the model has no revenue.
template <class Real>
Real share_of_annual_revenue(const basic_model<Real>& m, Real cost) noexcept {
  const Real revenue = annual_revenue(m);
  return revenue > 0 ? cost / revenue : std::numeric_limits<Real>::quiet_NaN();
}

/// What the notification duties of one occurrence cost.
template <class Real = double>
struct notification_costs {
  Real notifications = 0; ///< preparing and sending them (the "notifications" line)
  Real late = 0;          ///< sanctions of late ones (the "late notifications" line)
};

/// The notification costs of one simulated occurrence of scenario `i` of
/// `m`: `sample(duty, d)` draws duty `duty`'s cost (distribution `d`) and
/// `sanction(duty, p)` a sanction of chance `p` for a late one (its amount,
/// or 0). Summed in the order of the duties' names.
template <class Real, class Sample, class Sanction>
notification_costs<Real> sample_notification_costs(const basic_model<Real>& m, index_t i,
                                                   Sanction&& sanction, Sample&& sample) {
  const auto& sc = m.scenario_at(i);
  notification_costs<Real> c;
  for (std::size_t d : m.notifications_by_name(i)) {
    const auto& duty = sc.notifications[d];
    c.notifications += duty.cost.is_fixed() ? duty.cost.mean() : sample(d, duty.cost);
    if (sc.is_late(duty) && duty.penalty_probability > 0)
      c.late += sanction(d, duty.penalty_probability);
  }
  return c;
}

/// The notification costs of scenario `i` of `m` at point values: every
/// cost at its mean, and each late duty's sanction at its expected cost
/// (chance × mean amount).
template <class Real>
notification_costs<Real> point_notification_costs(const basic_model<Real>& m, index_t i) {
  const auto& sc = m.scenario_at(i);
  return sample_notification_costs(
      m, i, [&](std::size_t d, Real p) { return p * sc.notifications[d].penalty.mean(); },
      [](std::size_t, const distribution<Real>& d) { return d.mean(); });
}

/// Cost-line amounts at their point values (the mean). The default of
/// cost_of_incident; a Monte Carlo trial samples instead.
struct point_amounts {
  /// The mean of line `line`'s amount.
  template <class Real>
  Real operator()(std::size_t /*line*/, const distribution<Real>& amount) const {
    return amount.mean();
  }
};

namespace detail {

/// Working memory of cost_of_incident, kept between incidents.
template <class Real>
struct cost_scratch {
  std::vector<Real> line_amounts;  ///< per cost line, for insurance's waiting periods
  incident_insurance<Real> cover;  ///< what the policies recover
  insurance_scratch<Real> insurance;
};

/// cost_of_incident into `c`, reusing its memory and that of `scratch`.
template <class Real, class Amounts>
void cost_of_incident(const basic_model<Real>& m, index_t i, const recovery_project<Real>& rp,
                      const recovery_outcome<Real>& outcome, Real records, Amounts&& amounts,
                      const std::optional<notification_costs<Real>>& notices,
                      incident_cost<Real>& c, cost_scratch<Real>& scratch) {
  const auto& sc = m.scenario_at(i);
  c.total = 0;
  c.by_category.fill(Real(0));
  c.by_line.assign(sc.line_count() + 2, Real(0));
  c.by_function.assign(m.function_count(), Real(0));
  // Every sum runs over functions, systems and lines in the order of their
  // names, so the figures never depend on the order of the model's arrays.
  auto add = [&](std::size_t line, cost_category cat, Real v) {
    c.by_line[line] += v;
    c.by_category[static_cast<std::size_t>(cat)] += v;
  };
  auto& line_amounts = scratch.line_amounts; // for insurance's waiting periods
  line_amounts.assign(sc.costs.size(), Real(0));
  for (std::size_t l : m.cost_lines_by_name(i)) {
    const auto& line = sc.costs[l];
    const Real amount = static_cast<Real>(amounts(l, line.amount));
    line_amounts[l] = amount;
    // The model validated the names: no_index means "every function / system".
    const index_t fn = line.function.empty() ? no_index : *m.find_function(line.function);
    const index_t sys = line.system.empty() ? no_index : *m.find_system(line.system);
    switch (line.driver) {
    case cost_driver::fixed: add(l, line.category, amount); break;
    case cost_driver::per_record: add(l, line.category, amount * records); break;
    case cost_driver::per_outage_hour:
      for (index_t f : m.functions_by_name()) {
        if (fn != no_index && fn != f) continue;
        const Real v = amount * outcome.functions[f].lost_output_hours;
        add(l, line.category, v);
        c.by_function[f] += v;
      }
      break;
    case cost_driver::per_lost_record:
      for (index_t s : m.systems_by_name())
        if (sys == no_index || sys == s) add(l, line.category, amount * rp.lost_records(s));
      break;
    case cost_driver::per_damaged_system:
      add(l, line.category, amount * static_cast<Real>(rp.situation().damaged.size()));
      break;
    case cost_driver::revenue_fraction:
      for (index_t f : m.functions_by_name())
        if (fn == no_index || fn == f) add(l, line.category, amount * m.function_at(f).annual_revenue());
      break;
    }
  }
  if (sc.ransom) {
    // The situation carries the outcome it was planned with; a situation
    // built by hand gets the point values.
    const auto& sit = rp.situation();
    const auto ro = sit.ransom ? *sit.ransom : point_ransom_outcome(*sc.ransom);
    const std::size_t first = sc.costs.size();
    add(first, cost_category::response, ro.payment);
    add(first + 1, cost_category::liability, ro.leak_cost);
    add(first + 2, cost_category::legal, ro.sanctions_cost);
  }
  if (!sc.notifications.empty()) {
    const auto nc = notices ? *notices : point_notification_costs(m, i);
    const std::size_t first = sc.costs.size() + (sc.ransom ? ransom_line_count : 0);
    add(first, cost_category::response, nc.notifications);
    add(first + 1, cost_category::legal, nc.late);
  }
  const std::size_t profit_line = sc.line_count(), curve_line = profit_line + 1;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = outcome.functions[f];
    if (!fo.down) continue;
    add(profit_line, cost_category::opportunity, fo.lost_profit);
    c.by_function[f] += fo.lost_profit;
    for (std::size_t k : m.impact_curves_in_order(f)) {
      if (!m.impact_in_money(f, k)) continue; // points, patients, ...
      const Real v = fo.curve_impacts[k];
      add(curve_line, impact_curve_category(m.function_at(f).impact[k].category), v);
      c.by_function[f] += v;
    }
  }
  for (std::size_t l : m.cost_lines_by_name(i)) c.total += c.by_line[l];
  for (std::size_t l = sc.costs.size(); l < sc.line_count(); ++l) c.total += c.by_line[l];
  c.total += c.by_line[profit_line];
  c.total += c.by_line[curve_line];
  auto& cover = scratch.cover;
  insure_incident(m, i, outcome, std::span<const Real>(line_amounts),
                  std::span<const Real, cost_category_count>(c.by_category), c.total, cover,
                  scratch.insurance);
  c.insured = cover.insured;
  c.retained = cover.retained;
  c.recoverable = cover.recoverable;
  c.insured_by_policy = cover.insured_by_policy;
}

} // namespace detail


/// The cost of an incident of scenario `i` of `m` whose recovery is `rp`
/// with outcome `outcome`, `records` records affected, cost-line amounts
/// from `amounts(line index, amount distribution)` and notification costs
/// `notices` (default: point_notification_costs).
template <class Real, class Amounts = point_amounts>
incident_cost<Real> cost_of_incident(const basic_model<Real>& m, index_t i,
                                     const recovery_project<Real>& rp,
                                     const recovery_outcome<Real>& outcome, Real records,
                                     Amounts&& amounts = {},
                                     std::optional<notification_costs<std::type_identity_t<Real>>>
                                         notices = std::nullopt) {
  incident_cost<Real> c;
  detail::cost_scratch<Real> scratch;
  detail::cost_of_incident(m, i, rp, outcome, records, std::forward<Amounts>(amounts),
                           notices, c, scratch);
  return c;
}

/// The cost of scenario `i` at its point values, given its recovery plan:
/// every amount and the records affected at their means.
template <class Real>
incident_cost<Real> cost_of_incident(const basic_model<Real>& m, index_t i,
                                     const recovery_plan<Real>& plan) {
  return cost_of_incident(m, i, plan.project, plan.outcome, m.scenario_at(i).records_affected.mean());
}

} // namespace continuity
