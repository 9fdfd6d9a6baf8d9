// continuity/model/scenario.hpp — incident scenarios: what an incident
// damages initially and how often it happens.
#pragma once

#include <continuity/model/cost.hpp>
#include <continuity/model/layer.hpp>
#include <continuity/model/notification.hpp>
#include <continuity/model/ransom.hpp>
#include <continuity/random/distribution.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// The kind of incident; it decides which backups survive (docs/domain.md §5).
enum class incident_kind : std::uint8_t {
  earthquake,      ///< physical: on-site backups of damaged systems are lost
  fire,            ///< physical: on-site backups of damaged systems are lost
  flood,           ///< physical: on-site backups of damaged systems are lost
  blackout,        ///< long power failure: systems stop, data survives
  network_failure, ///< communication lost: systems unreachable, data survives
  ransomware,      ///< online backups of damaged systems are encrypted too
  it_failure,      ///< hardware or software failure: the system's data is lost, backups survive
  staff_shortage,  ///< epidemic, strike: people unavailable, data survives
  data_breach,     ///< unauthorised access: systems taken offline, data survives
  other,           ///< anything else: systems stop, data survives
  /// war or armed conflict (有事): physical, like an earthquake (on-site
  /// backups of damaged systems are lost), usually with staff unavailable
  /// and outside help cut off (give staff_availability)
  war,
};

/// Number of incident kinds.
inline constexpr std::size_t incident_kind_count = 11;

/// Lower-case name with underscores: "earthquake", "network_failure", ...
constexpr std::string_view to_string(incident_kind k) noexcept {
  constexpr std::array<std::string_view, incident_kind_count> names{
      "earthquake", "fire",       "flood",          "blackout",    "network_failure",
      "ransomware", "it_failure", "staff_shortage", "data_breach", "other", "war"};
  return names[static_cast<std::size_t>(k)];
}

/// Parses a name written by to_string(incident_kind).
constexpr std::optional<incident_kind> parse_incident_kind(std::string_view s) noexcept {
  for (std::size_t i = 0; i < incident_kind_count; ++i)
    if (to_string(static_cast<incident_kind>(i)) == s) return static_cast<incident_kind>(i);
  return std::nullopt;
}

/// True if the kind destroys or encrypts the data of the systems it damages,
/// so that they must be restored from a backup.
constexpr bool destroys_data(incident_kind k) noexcept {
  return k == incident_kind::earthquake || k == incident_kind::fire || k == incident_kind::flood ||
         k == incident_kind::ransomware || k == incident_kind::it_failure || k == incident_kind::war;
}

/// True if the kind physically destroys on-site media.
constexpr bool is_physical(incident_kind k) noexcept {
  return k == incident_kind::earthquake || k == incident_kind::fire || k == incident_kind::flood ||
         k == incident_kind::war;
}

/// Selects initially damaged systems: those named in `systems`, plus — if
/// `layers` or `segments` is given — every system whose layer is in `layers`
/// (any layer if empty) and whose segment is in `segments` (any segment if
/// empty).
struct damage_selector {
  std::vector<asset_layer> layers;   ///< layers hit
  std::vector<std::string> segments; ///< network segments hit
  std::vector<std::string> systems;  ///< systems hit by name

  friend bool operator==(const damage_selector&, const damage_selector&) = default;
};

/// An allowed network connection from one segment to another along which an
/// attack can move, and the chance that it does in one incident.
template <class Real = double>
struct segment_connection {
  std::string from;     ///< segment the attack is in
  std::string to;       ///< segment it can reach from there
  Real probability = 1; ///< chance it gets through in one incident, in [0, 1]

  friend bool operator==(const segment_connection&, const segment_connection&) = default;
};

/// How an attack (ransomware) spreads from its entry point: it reaches the
/// entry systems' segments, then crosses each allowed connection out of a
/// reached segment with its probability; in every reached segment each
/// target system is hit with `within_segment`. Entry systems are always hit.
/// Zoning (more segments, fewer connections) limits the blast radius. A
/// single plan at point values takes every chance of at least 1/2 as
/// happening and every smaller one as not.
template <class Real = double>
struct attack_spread {
  std::vector<std::string> entry; ///< systems the attacker comes in through
  /// Which systems it can damage (layers and names; segments are ignored:
  /// the spread decides them). Empty: every software system.
  std::vector<damage_selector> targets;
  Real within_segment = 1; ///< chance each target in a reached segment is hit, in [0, 1]
  std::vector<segment_connection<Real>> connections; ///< allowed moves between segments

  friend bool operator==(const attack_spread&, const attack_spread&) = default;
};

/// A rank (Spearman) correlation between two uncertain inputs of a scenario:
/// cost lines by name, or "records_affected".
template <class Real = double>
struct rank_correlation {
  std::string first;  ///< a cost line's name, or "records_affected"
  std::string second; ///< another one
  Real value = 0;     ///< Spearman rank correlation in [−1, 1]

  friend bool operator==(const rank_correlation&, const rank_correlation&) = default;
};

/// The share of one resource pool available during an incident.
template <class Real = double>
struct pool_availability {
  std::string pool;  ///< a resource pool's name
  Real fraction = 1; ///< share of its capacity available, in (0, 1]

  friend bool operator==(const pool_availability&, const pool_availability&) = default;
};

/// When in the week an incident strikes, for functions that operate on
/// fewer than 7 days a week.
enum class incident_start : std::uint8_t {
  /// At any time: lost profit accrues at the weekly average rate (expected
  /// value over the day of the week).
  any_time,
  /// At the start of the first operating day of a week: the first
  /// operating_days_per_week days of each week from then on are operating
  /// days, the rest are not (a one-day stop of a weekday business loses one
  /// day's profit; a two-week closure ten).
  week_start,
};

/// "any_time" or "week_start".
constexpr std::string_view to_string(incident_start s) noexcept {
  return s == incident_start::week_start ? "week_start" : "any_time";
}

/// The kind of a phase of the response to an incident.
enum class response_kind : std::uint8_t {
  detection,      ///< the incident is found; recovery work cannot start before
  crisis_hq,      ///< the crisis headquarters (対策本部) is set up
  containment,    ///< the attack is contained (network isolated); recovery cannot start before
  notification,   ///< authorities, customers or patients are notified
  press,          ///< press release or press conference
  recovery_start, ///< recovery work is cleared to start; it cannot start before
  other,          ///< anything else on the timeline
};

/// Number of response kinds.
inline constexpr std::size_t response_kind_count = 7;

/// "detection", "crisis_hq", "containment", "notification", "press",
/// "recovery_start" or "other".
constexpr std::string_view to_string(response_kind k) noexcept {
  constexpr std::array<std::string_view, response_kind_count> names{
      "detection", "crisis_hq", "containment", "notification", "press", "recovery_start", "other"};
  return names[static_cast<std::size_t>(k)];
}

/// Parses a name written by to_string(response_kind).
constexpr std::optional<response_kind> parse_response_kind(std::string_view s) noexcept {
  for (std::size_t i = 0; i < response_kind_count; ++i)
    if (to_string(static_cast<response_kind>(i)) == s) return static_cast<response_kind>(i);
  return std::nullopt;
}

/// True if recovery work cannot start before a phase of kind `k`.
constexpr bool gates_recovery(response_kind k) noexcept {
  return k == response_kind::detection || k == response_kind::containment ||
         k == response_kind::recovery_start;
}

/// One phase of the incident-response timeline (crisis HQ after 9 h, press
/// conference after 15 h, ...).
template <class Real = double>
struct response_phase {
  std::string name;                          ///< what happens
  response_kind kind = response_kind::other; ///< which phase
  Real at = 0;                               ///< hours from the incident
  std::string description;                   ///< free text

  friend bool operator==(const response_phase&, const response_phase&) = default;
};

/// An incident scenario.
template <class Real = double>
struct incident_scenario {
  std::string name;                          ///< unique name
  incident_kind kind = incident_kind::other; ///< what happens
  Real annual_frequency = 0;                 ///< expected occurrences per year (≥ 0)
  std::vector<damage_selector> damage;       ///< what is damaged initially (a union)
  /// Ransomware: hours the attacker was inside before encrypting; backup
  /// generations younger than this are assumed infected and unusable.
  Real dwell_time = 0;
  /// Share of the organisation's own people available during recovery, in
  /// (0, 1] (a staff shortage): it scales every in-house people pool, not
  /// external pools (vendors) or equipment.
  Real staff_availability = 1;
  /// Shares of named pools available (any pool, external or equipment too):
  /// a pool listed here takes its fraction instead of staff_availability.
  std::vector<pool_availability<Real>> pools_available{};
  /// Hours from the incident until it is detected and recovery can start.
  Real detection_time = 0;
  /// When in the week it strikes (for lost profit of functions operating on
  /// fewer than 7 days a week).
  incident_start starts = incident_start::any_time;
  /// The incident-response timeline, in the order given (validated: names
  /// unique, times finite and ≥ 0).
  std::vector<response_phase<Real>> response;
  /// Records affected per occurrence (members' data leaked), for
  /// cost_driver::per_record lines.
  distribution<Real> records_affected;
  /// Cost lines of one occurrence (lost profit is added from the functions).
  std::vector<cost_line<Real>> costs;
  /// How the attack spreads beyond `damage`, if it does (ransomware).
  std::optional<attack_spread<Real>> spread;
  /// Rank correlations between its uncertain inputs (a Gaussian copula);
  /// pairs not listed are independent.
  std::vector<rank_correlation<Real>> correlations;
  /// Ransomware: the ransom demanded and whether the organisation pays it
  /// (model/ransom.hpp); none: nothing is demanded or paid.
  std::optional<ransom_terms<Real>> ransom;
  /// Duties to notify after an occurrence (model/notification.hpp), in the
  /// order given (validated: names unique).
  std::vector<notification_duty<Real>> notifications;

  friend bool operator==(const incident_scenario& a, const incident_scenario& b) {
    return a.name == b.name && a.kind == b.kind && a.annual_frequency == b.annual_frequency &&
           a.damage == b.damage && a.dwell_time == b.dwell_time &&
           a.staff_availability == b.staff_availability &&
           a.pools_available == b.pools_available && a.detection_time == b.detection_time &&
           a.starts == b.starts && a.response == b.response &&
           detail::same_distribution(a.records_affected, b.records_affected) && a.costs == b.costs &&
           a.spread == b.spread && a.correlations == b.correlations && a.ransom == b.ransom &&
           a.notifications == b.notifications;
  }

  /// Hours from the incident until recovery work can start: the detection
  /// time, or later if a detection, containment or recovery-start phase of
  /// the response timeline comes later.
  Real recovery_start_time() const noexcept {
    Real t = detection_time;
    for (const auto& p : response)
      if (gates_recovery(p.kind) && p.at > t) t = p.at;
    return t;
  }

  /// Hours from the incident until it is detected: the detection time, or
  /// a later detection phase of the response timeline. Notification
  /// deadlines count from here.
  Real detected_at() const noexcept {
    Real t = detection_time;
    for (const auto& p : response)
      if (p.kind == response_kind::detection && p.at > t) t = p.at;
    return t;
  }

  /// True if the plan gives notification duty `d` after its deadline.
  bool is_late(const notification_duty<Real>& d) const noexcept {
    return d.at > detected_at() + d.due;
  }

  /// Number of cost lines of one occurrence: its own, then the ransom's
  /// (ransom_line_names) if it has ransom terms, then the notifications'
  /// (notification_line_names) if it has notification duties.
  std::size_t line_count() const noexcept {
    return costs.size() + (ransom ? ransom_line_count : 0) +
           (notifications.empty() ? 0 : notification_line_count);
  }
};

} // namespace continuity
