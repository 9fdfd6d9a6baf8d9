// continuity/model/cost.hpp — the cost lines of an incident in the damage-cost
// taxonomy of docs/domain.md §6, each with what drives its amount.
#pragma once

#include <continuity/model/detail/same_distribution.hpp>
#include <continuity/random/distribution.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace continuity {

/// The four categories of incident damage cost (IPA taxonomy).
enum class cost_category : std::uint8_t {
  liability,   ///< 損害賠償: damages and litigation for people harmed
  response,    ///< 対応費用: investigation and recovery, customer response, notices, legal advice
  opportunity, ///< 機会損失: lost profit from interrupted business, lost trust
  legal,       ///< 法的制裁: fines, penalties, suspension from bidding
};

/// Number of cost categories.
inline constexpr std::size_t cost_category_count = 4;

/// "liability", "response", "opportunity" or "legal".
constexpr std::string_view to_string(cost_category c) noexcept {
  constexpr std::array<std::string_view, cost_category_count> names{"liability", "response",
                                                                    "opportunity", "legal"};
  return names[static_cast<std::size_t>(c)];
}

/// Parses a name written by to_string(cost_category).
constexpr std::optional<cost_category> parse_cost_category(std::string_view s) noexcept {
  for (std::size_t i = 0; i < cost_category_count; ++i)
    if (to_string(static_cast<cost_category>(i)) == s) return static_cast<cost_category>(i);
  return std::nullopt;
}

/// Category of an impact curve: the cost category its name names
/// ("liability", "response", "opportunity", "legal"), else opportunity
/// (business impact such as patients referred elsewhere is lost business).
inline cost_category impact_curve_category(const std::string& name) noexcept {
  return parse_cost_category(name).value_or(cost_category::opportunity);
}

/// What a cost line's amount is multiplied by.
enum class cost_driver : std::uint8_t {
  fixed,            ///< the amount itself, once per incident
  per_record,       ///< per affected record (the scenario's records_affected)
  per_outage_hour,  ///< per hour of lost output of `function` (net of its manual workaround)
  per_lost_record,  ///< per lost data record to re-enter (of `system`, or of every system)
  revenue_fraction, ///< a fraction of annual revenue (of `function`, or of every function)
  per_damaged_system, ///< per system the incident damaged directly (restoration effort)
};

/// Number of cost drivers.
inline constexpr std::size_t cost_driver_count = 6;

/// "fixed", "per_record", "per_outage_hour", "per_lost_record",
/// "revenue_fraction" or "per_damaged_system".
constexpr std::string_view to_string(cost_driver d) noexcept {
  constexpr std::array<std::string_view, cost_driver_count> names{
      "fixed",           "per_record",       "per_outage_hour",
      "per_lost_record", "revenue_fraction", "per_damaged_system"};
  return names[static_cast<std::size_t>(d)];
}

/// Parses a name written by to_string(cost_driver).
constexpr std::optional<cost_driver> parse_cost_driver(std::string_view s) noexcept {
  for (std::size_t i = 0; i < cost_driver_count; ++i)
    if (to_string(static_cast<cost_driver>(i)) == s) return static_cast<cost_driver>(i);
  return std::nullopt;
}

/// One cost line of an incident scenario: `amount` (a fixed value or a
/// distribution) times the quantity its driver measures. Lost profit is not a
/// cost line: it follows from each function's revenue, margin and outage.
template <class Real = double>
struct cost_line {
  std::string name;                                  ///< e.g. "investigation and recovery"
  cost_category category = cost_category::response;  ///< taxonomy category
  cost_driver driver = cost_driver::fixed;           ///< what the amount is multiplied by
  distribution<Real> amount;                         ///< amount per unit of the driver
  /// For per_outage_hour and revenue_fraction: the business function; empty
  /// means every function.
  std::string function;
  /// For per_lost_record: the system whose lost records count; empty means
  /// every system.
  std::string system;

  friend bool operator==(const cost_line& a, const cost_line& b) {
    return a.name == b.name && a.category == b.category && a.driver == b.driver &&
           a.function == b.function && a.system == b.system &&
           detail::same_distribution(a.amount, b.amount);
  }
};

} // namespace continuity
