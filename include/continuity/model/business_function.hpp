// continuity/model/business_function.hpp — a unit of the organisation's work
// (業務): its importance, objectives, value at risk and the systems it needs.
#pragma once

#include <continuity/model/impact_curve.hpp>
#include <continuity/model/requirement.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace continuity {

/// Working by hand while systems are down: a fraction of normal output after
/// a set-up time, for a limited time (paper charts, paper order forms).
template <class Real = double>
struct manual_workaround {
  Real capacity = 0;   ///< fraction of normal output possible by hand, in [0, 1]
  Real setup_time = 0; ///< hours from the outage until manual work starts
  /// Hours manual work can be sustained once started (+infinity: indefinitely).
  Real max_duration = std::numeric_limits<Real>::infinity();

  friend bool operator==(const manual_workaround&, const manual_workaround&) = default;
};

/// "At least this share of normal output by this time": one point of a
/// function's minimum business continuity objective (MBCO, ISO 22301), the
/// answer to いつまでにどれくらいの量の復旧が必要か — how much recovery by when.
template <class Real = double>
struct capacity_objective {
  Real by = 0;       ///< hours from the outage on which the output must stay at least `capacity`
  Real capacity = 1; ///< share of normal output, in (0, 1]

  friend bool operator==(const capacity_objective&, const capacity_objective&) = default;
};

/// A business function. All times are hours. Optional objectives left empty
/// are derived (RTO from the priority matrix and RTO table) or mean "no
/// objective".
template <class Real = double>
struct business_function {
  std::string name; ///< unique name
  /// Business importance level, 1 (not urgent) to the matrix's level count
  /// (core of the response, life and safety).
  int importance = 1;
  /// System dependency level, 1 (paper can substitute) to the matrix's level
  /// count (cannot be done without the system).
  int system_dependency = 1;
  /// Emergency (disaster-response) functions always get class S.
  bool emergency = false;

  std::optional<Real> rto;  ///< recovery time objective; empty: from the RTO table of its class
  std::optional<Real> rpo;  ///< recovery point objective (data loss tolerated); empty: none
  std::optional<Real> mtpd; ///< maximum tolerable period of disruption; empty: none
  Real wrt = 0; ///< work recovery time after systems are back (verify, re-enter, resume)
  /// Minimum capacity by time (MBCO), in strictly increasing order of `by`:
  /// from each `by` on, the function's output (systems and manual work)
  /// must stay at least that entry's capacity. Empty: none.
  std::vector<capacity_objective<Real>> minimum_capacity;

  Real revenue_per_day = 0; ///< revenue per operating day
  Real margin = 1;          ///< profit margin on that revenue, in [0, 1]
  /// Operating days per week (loss accrues on those): 7 for continuous
  /// operation, 5 for a weekday business. In (0, 7].
  Real operating_days_per_week = 7;
  /// Operating days per year, for its annual revenue (holidays off, as the
  /// sources count: 250 for a weekday business); empty:
  /// operating_days_per_week × 365 / 7. In (0, 366].
  std::optional<Real> operating_days_per_year;

  /// Non-linear impact of an outage over time, per impact category.
  std::vector<impact_curve<Real>> impact;
  /// Manual workaround, if the function has one.
  std::optional<manual_workaround<Real>> workaround;
  /// The systems it needs; every requirement must hold for it to run.
  std::vector<requirement> needs;

  /// Lost profit per hour of complete outage:
  /// revenue_per_day × margin × operating_days_per_week / 7 / 24.
  Real profit_per_hour() const noexcept {
    return revenue_per_day * margin * operating_days_per_week / Real(7) / Real(24);
  }

  /// Annual revenue: revenue per operating day × operating days per year.
  Real annual_revenue() const noexcept {
    return revenue_per_day *
           operating_days_per_year.value_or(operating_days_per_week * Real(365) / Real(7));
  }

  friend bool operator==(const business_function&, const business_function&) = default;
};

} // namespace continuity
