// continuity/model/impact_curve.hpp — how the damage of an outage grows with
// its length, per impact category. Losses are not linear in time: customers
// leave after some days, penalties start after a deadline.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// One step of an impact curve: from `after` hours of outage on, the impact
/// accrues at `rate_per_hour`; when the outage reaches `after` a one-off
/// `lump` is incurred (e.g. a contract penalty, lost customers).
template <class Real = double>
struct impact_step {
  Real after = 0;         ///< hours since the outage began at which this step starts
  Real rate_per_hour = 0; ///< impact per hour of outage from `after` on (until the next step)
  Real lump = 0;          ///< one-off impact incurred once the outage lasts `after` hours

  friend bool operator==(const impact_step&, const impact_step&) = default;
};

/// A step curve of impact over outage time, named by its impact category
/// (a cost category such as "opportunity", or the organisation's own words
/// such as "patients referred elsewhere"). Money by default; with a `unit`
/// ("points", "patients") it is counted in that unit and never added to
/// money. Steps are kept sorted by `after`; the rate before the first step is 0.
template <class Real = double>
struct impact_curve {
  std::string category;                 ///< impact category: the curve's name in results
  std::vector<impact_step<Real>> steps; ///< steps, sorted by `after` (validated)
  /// Unit of the impact: empty (or the model's currency) for money,
  /// otherwise the unit of a score or count, e.g. "points" or "patients".
  std::string unit{};

  /// True if the curve is money in a model whose currency is `currency`.
  bool is_money(std::string_view currency) const noexcept {
    return unit.empty() || unit == currency;
  }

  /// Cumulative impact of an outage lasting `hours`: the rate integrated
  /// over [0, hours] plus every lump whose `after` ≤ hours. Non-decreasing in
  /// `hours` for non-negative rates and lumps.
  Real cumulative(Real hours) const noexcept {
    Real total = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto& s = steps[i];
      if (hours < s.after) break;
      const Real end = i + 1 < steps.size() ? std::min(hours, steps[i + 1].after) : hours;
      total += s.lump + s.rate_per_hour * (end - s.after);
    }
    return total;
  }

  friend bool operator==(const impact_curve&, const impact_curve&) = default;
};

} // namespace continuity
