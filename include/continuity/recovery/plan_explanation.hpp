// continuity/recovery/plan_explanation.hpp — what a recovery plan does
// differently from a reference plan (typically: the improved plan against the
// priority rule's), and what that buys in business terms: which systems come
// back earlier or later, and which business functions gain or lose how much.
#pragma once

#include <continuity/recovery/gap_report.hpp>
#include <continuity/recovery/recovery_plan.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// A damaged system that comes back at a different time than in the
/// reference plan.
template <class Real = double>
struct system_change {
  index_t system = no_index; ///< the system
  Real reference_back = 0;   ///< hours until it runs again (any capacity) in the reference plan
  Real plan_back = 0;        ///< the same in the plan
};

/// A business function whose return or impact differs from the reference plan.
template <class Real = double>
struct function_change {
  index_t function = no_index; ///< the function
  Real reference_back = 0;     ///< hours until it runs again (any capacity) in the reference plan
  Real plan_back = 0;          ///< the same in the plan
  /// The plan's business impact of the function minus the reference's, in
  /// the model's currency (negative: the plan saves this much).
  Real impact_change = 0;
};

/// What a plan changes against a reference plan of the same incident.
template <class Real = double>
struct plan_explanation {
  plan_objective objective = plan_objective::business_impact; ///< the plan's objective
  Real reference_value = 0; ///< the reference plan's value of `objective`
  Real plan_value = 0;      ///< the plan's value of `objective`
  /// Systems back earlier than in the reference, by how much earlier (most first).
  std::vector<system_change<Real>> earlier;
  /// Systems back later than in the reference, by how much later (most first).
  std::vector<system_change<Real>> later;
  /// Functions whose impact or return changed, by the size of the change in
  /// impact (largest first), then by the change in return time.
  std::vector<function_change<Real>> functions;
  /// The explanation in a few sentences, for a report.
  std::vector<std::string> lines;
};

namespace detail {

// "¥62.0 m", "$1.20 bn", "EUR 950 k": the currency's sign where it has a
// common one, its code otherwise; sign only when `signed_` (+/−).
inline std::string money_text(double v, std::string_view currency, bool signed_ = false) {
  const char* sign = v < 0 ? "\u2212" : (signed_ ? "+" : "");
  const double a = std::abs(v);
  std::string unit = currency == "JPY"   ? "\u00a5"
                     : currency == "USD" ? "$"
                     : currency == "EUR" ? "\u20ac"
                     : currency == "GBP" ? "\u00a3"
                                         : std::string(currency) + " ";
  char buf[64];
  if (a >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2f bn", a / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1f m", a / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%.0f k", a / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", a);
  return sign + unit + buf;
}

template <class Real>
std::string objective_text(plan_objective o, Real v, std::string_view currency, bool signed_ = false) {
  if (o == plan_objective::business_impact) return money_text(double(v), currency, signed_);
  const std::string sign = v < 0 ? "\u2212" : (signed_ ? "+" : "");
  if (o == plan_objective::makespan) return sign + hours_text(std::abs(double(v)));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f", std::abs(double(v)));
  return sign + buf + " weighted hours";
}

} // namespace detail

/// Explains `plan` against `reference`, two plans of the same incident of
/// `m` (the same damaged systems): what comes back earlier or later, and
/// what each business function gains or loses. Changes of less than
/// `tolerance_hours` (default half an hour) are left out.
template <class Real>
plan_explanation<Real> explain_plan(const basic_model<Real>& m, const recovery_plan<Real>& reference,
                                    const recovery_plan<Real>& plan, Real tolerance_hours = Real(0.5)) {
  plan_explanation<Real> out;
  out.objective = plan.objective_used;
  out.reference_value = reference.objective(out.objective);
  out.plan_value = plan.objective(out.objective);
  const auto& ro = reference.outcome;
  const auto& po = plan.outcome;
  for (index_t s : m.systems_by_name()) {
    const Real a = ro.systems[s].back_degraded, b = po.systems[s].back_degraded;
    if (!po.systems[s].damaged || !(std::abs(b - a) > tolerance_hours)) continue;
    (b < a ? out.earlier : out.later).push_back({s, a, b});
  }
  auto by_shift = [](const system_change<Real>& x, const system_change<Real>& y) {
    return std::abs(x.plan_back - x.reference_back) > std::abs(y.plan_back - y.reference_back);
  };
  std::stable_sort(out.earlier.begin(), out.earlier.end(), by_shift);
  std::stable_sort(out.later.begin(), out.later.end(), by_shift);
  for (index_t f : m.functions_by_name()) {
    const auto& a = ro.functions[f];
    const auto& b = po.functions[f];
    if (!a.down && !b.down) continue;
    const Real d = b.business_impact() - a.business_impact();
    const Real shift = b.back_degraded - a.back_degraded;
    if (!(std::abs(shift) > tolerance_hours) && !(std::abs(d) > Real(0))) continue;
    out.functions.push_back({f, a.back_degraded, b.back_degraded, d});
  }
  std::stable_sort(out.functions.begin(), out.functions.end(),
                   [](const function_change<Real>& x, const function_change<Real>& y) {
                     if (std::abs(x.impact_change) != std::abs(y.impact_change))
                       return std::abs(x.impact_change) > std::abs(y.impact_change);
                     return std::abs(x.plan_back - x.reference_back) >
                            std::abs(y.plan_back - y.reference_back);
                   });

  const std::string_view cur = m.currency();
  std::string what = std::string(to_string(out.objective)); // "business impact", ...
  std::replace(what.begin(), what.end(), '_', ' ');
  const Real diff = out.plan_value - out.reference_value;
  if (out.earlier.empty() && out.later.empty()) {
    out.lines.push_back("The plan restores every system when the reference plan does (" + what +
                        " " + detail::objective_text(out.objective, out.plan_value, cur) + ").");
    return out;
  }
  std::string head = "The plan's " + what + " is " +
                     detail::objective_text(out.objective, out.plan_value, cur) + " against " +
                     detail::objective_text(out.objective, out.reference_value, cur) +
                     " for the reference plan";
  if (out.reference_value != 0) {
    const double share = 100.0 * double(diff / out.reference_value);
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f %%", std::abs(share));
    head += ": " + detail::objective_text(out.objective, diff, cur, true) + " (" +
            (share < 0 ? "\u2212" : "+") + pct + ")";
  }
  out.lines.push_back(head + ".");
  auto systems_text = [&](const std::vector<system_change<Real>>& v) {
    std::string s;
    const std::size_t shown = std::min<std::size_t>(v.size(), 5);
    for (std::size_t k = 0; k < shown; ++k) {
      if (k) s += ", ";
      s += m.system_at(v[k].system).name + " (" + detail::hours_text(double(v[k].plan_back)) +
           " instead of " + detail::hours_text(double(v[k].reference_back)) + ")";
    }
    if (v.size() > shown) s += " and " + std::to_string(v.size() - shown) + " more";
    return s;
  };
  if (!out.earlier.empty()) out.lines.push_back("It restores earlier: " + systems_text(out.earlier) + ".");
  if (!out.later.empty()) out.lines.push_back("It restores later: " + systems_text(out.later) + ".");
  const std::size_t shown = std::min<std::size_t>(out.functions.size(), 6);
  for (std::size_t k = 0; k < shown; ++k) {
    const auto& c = out.functions[k];
    const Real shift = c.plan_back - c.reference_back;
    std::string line = m.function_at(c.function).name + ": ";
    if (std::abs(shift) > tolerance_hours)
      line += "back " + detail::hours_text(std::abs(double(shift))) +
              (shift < 0 ? " earlier" : " later");
    else
      line += "back at the same time";
    line += ", business impact " + detail::money_text(double(c.impact_change), cur, true) + ".";
    out.lines.push_back(std::move(line));
  }
  return out;
}

} // namespace continuity
