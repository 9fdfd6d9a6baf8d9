// continuity/model/dependency_tier.hpp — the organisation's tier of
// dependency on its systems, 松竹梅 (pine, bamboo, plum: docs/domain.md §2),
// and the size of its IT department by company size (§9).
//
// The tier says how far the business can carry on by hand when its systems
// stop, and so how strict and costly its measures must be. A model that
// names its tier gets the tier's system dependency as the default of every
// business function that does not give its own, and the tier's recommended
// measures (recommended_measures) to check itself against.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace continuity {

/// The tiers of dependency on systems.
enum class dependency_tier : std::uint8_t {
  pine,   ///< 松, high: if the systems stop there is no manual way to carry on
  bamboo, ///< 竹, middle: manual work stands in as long as the data survive
  plum,   ///< 梅, low: expects to manage somehow on the day
};

/// "pine", "bamboo" or "plum".
constexpr std::string_view to_string(dependency_tier t) noexcept {
  constexpr std::array<std::string_view, 3> names{"pine", "bamboo", "plum"};
  return names[static_cast<std::size_t>(t)];
}

/// Parses "pine", "bamboo", "plum" or the kanji 松, 竹, 梅.
constexpr std::optional<dependency_tier> parse_dependency_tier(std::string_view s) noexcept {
  if (s == "pine" || s == "松") return dependency_tier::pine;
  if (s == "bamboo" || s == "竹") return dependency_tier::bamboo;
  if (s == "plum" || s == "梅") return dependency_tier::plum;
  return std::nullopt;
}

/// The system dependency (a level of the priority matrix, 1..levels) a
/// business function of an organisation of tier `t` gets by default: the
/// highest level for pine, the middle one for bamboo, the lowest for plum.
constexpr int default_system_dependency(dependency_tier t, int levels) noexcept {
  if (levels < 1) return 1;
  switch (t) {
  case dependency_tier::pine: return levels;
  case dependency_tier::bamboo: return (levels + 1) / 2;
  case dependency_tier::plum: return 1;
  }
  return 1;
}

namespace detail {
inline constexpr std::array<std::string_view, 6> pine_measures{
    "an information security management system (ISMS)",
    "full compliance with the cybersecurity management guidelines for executives",
    "zero-trust network design",
    "targeted e-mail attack drills",
    "vulnerability assessments",
    "a register of every system and cloud service, with 3-2-1 backups of each"};
inline constexpr std::array<std::string_view, 6> bamboo_measures{
    "follow the public security guidelines for SMEs, with a risk assessment",
    "e-learning for every member of staff",
    "treat e-mail, social media and the web site as critical systems",
    "a file server with its own backup",
    "paper fallbacks for the work that must go on (invoices as attachments, "
    "the payroll ledger on paper in a safe)",
    "backups that survive ransomware: offline or immutable, a generation older "
    "than an attacker's dwell time"};
inline constexpr std::array<std::string_view, 5> plum_measures{
    "the five basic security rules for SMEs (updates, anti-virus, strong "
    "passwords, sharing settings, knowing the threats)",
    "backups on external media, kept disconnected",
    "a small generator or battery for the one PC that does everything",
    "log-ons and procedures written down so that someone else can take over",
    "a vendor's remote backup service"};
} // namespace detail

/// The measures docs/domain.md §2 recommends for tier `t`.
constexpr std::span<const std::string_view> recommended_measures(dependency_tier t) noexcept {
  switch (t) {
  case dependency_tier::pine: return detail::pine_measures;
  case dependency_tier::bamboo: return detail::bamboo_measures;
  case dependency_tier::plum: return detail::plum_measures;
  }
  return {};
}

/// Regular IT staff of a company of `employees` people, by the survey of
/// 2022 quoted in docs/domain.md §9 (3.9 below 100 employees ... 112.8 above
/// 10,000), rounded to whole people and at least one: the default size of
/// the in-house IT pool of a model that gives its head count and no pools.
constexpr int typical_it_staff(long long employees) noexcept {
  struct row {
    long long up_to;
    double staff;
  };
  constexpr std::array<row, 7> table{{{99, 3.9},
                                      {500, 4.1},
                                      {1000, 9.8},
                                      {3000, 21.0},
                                      {5000, 95.4},
                                      {10000, 98.2},
                                      {-1, 112.8}}};
  double staff = table.back().staff;
  for (const auto& r : table)
    if (r.up_to >= 0 && employees <= r.up_to) {
      staff = r.staff;
      break;
    }
  const auto whole = static_cast<int>(staff + 0.5);
  return whole < 1 ? 1 : whole;
}

} // namespace continuity
