// continuity/model/notification.hpp — duties to notify after an incident:
// who must be told by when (a regulator's preliminary and final reports,
// the people whose data leaked, a ministry, the police), when the
// organisation's response plan tells them, what it costs and what a late
// notification may cost in sanctions.
//
// Deadlines count from the detection of the incident (the law's "from the
// day it became aware"); the notification time counts from the incident,
// like the response timeline. Presets give the Japanese rules documented in
// docs/notifications.md; every field given in the model overrides them.
#pragma once

#include <continuity/model/detail/same_distribution.hpp>
#include <continuity/random/distribution.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace continuity {

/// One duty to notify after an incident.
template <class Real = double>
struct notification_duty {
  std::string name;   ///< unique within the scenario, e.g. "PPC preliminary report"
  std::string preset; ///< the preset it started from (notification_presets), or empty
  std::string to;     ///< who is notified, e.g. "個人情報保護委員会"
  /// Hours from the detection of the incident by which it is due
  /// (+infinity: no fixed deadline, "promptly").
  Real due = std::numeric_limits<Real>::infinity();
  /// Hours from the incident at which the organisation's plan notifies.
  Real at = 0;
  /// What preparing and sending it costs (money; counted in "notifications").
  distribution<Real> cost;
  /// Chance that a late notification is sanctioned, in [0, 1].
  Real penalty_probability = 0;
  /// What a sanction costs (money; counted in "late notifications").
  distribution<Real> penalty;
  std::string description; ///< free text, e.g. the legal basis

  friend bool operator==(const notification_duty& a, const notification_duty& b) {
    return a.name == b.name && a.preset == b.preset && a.to == b.to && a.due == b.due &&
           a.at == b.at && detail::same_distribution(a.cost, b.cost) &&
           a.penalty_probability == b.penalty_probability &&
           detail::same_distribution(a.penalty, b.penalty) && a.description == b.description;
  }
};

/// A preset of a notification duty: the recipient, the deadline and the
/// legal basis of a rule (docs/notifications.md).
struct notification_preset {
  std::string_view name;  ///< the preset's name in the model format
  std::string_view to;    ///< who is notified
  double due_hours;       ///< deadline from detection (+infinity: "promptly")
  std::string_view basis; ///< the rule it follows
};

/// The presets: Japan's Act on the Protection of Personal Information
/// (APPI) and the guidance for medical institutions.
inline constexpr std::array<notification_preset, 6> notification_presets{{
    {"appi_preliminary", "個人情報保護委員会 (Personal Information Protection Commission)",
     5 * 24.0,
     "APPI art. 26(1), enforcement rules art. 8(1): a preliminary report (速報) promptly; the "
     "Commission's guidelines: within about 3 to 5 days of becoming aware (the outer bound)"},
    {"appi_final", "個人情報保護委員会 (Personal Information Protection Commission)", 30 * 24.0,
     "APPI art. 26(1), enforcement rules art. 8(2): the final report (確報) within 30 days of "
     "becoming aware"},
    {"appi_final_malicious", "個人情報保護委員会 (Personal Information Protection Commission)",
     60 * 24.0,
     "APPI enforcement rules art. 8(2): the final report within 60 days when the leak may have "
     "been done for an unlawful purpose (art. 7(3): unauthorised access, ransomware)"},
    {"appi_individuals", "the people whose data leaked (本人)",
     std::numeric_limits<double>::infinity(),
     "APPI art. 26(2): notify them promptly as the situation allows (no fixed deadline)"},
    {"mhlw_medical", "厚生労働省 (Ministry of Health, Labour and Welfare)",
     std::numeric_limits<double>::infinity(),
     "guidelines on the security of medical information systems: a medical institution reports "
     "a suspected cyber attack to the ministry promptly (no fixed deadline)"},
    {"police", "警察 (the prefectural police)", std::numeric_limits<double>::infinity(),
     "a report or consultation, not a legal duty (no deadline)"},
}};

/// The preset called `name`, if there is one.
constexpr std::optional<notification_preset> find_notification_preset(std::string_view name) noexcept {
  for (const auto& p : notification_presets)
    if (p.name == name) return p;
  return std::nullopt;
}

/// The cost lines a scenario with notification duties adds after its own
/// (and the ransom's): what the notifications cost (response) and what
/// late ones are sanctioned (legal).
inline constexpr std::array<std::string_view, 2> notification_line_names{"notifications",
                                                                         "late notifications"};

/// Number of notification cost lines.
inline constexpr std::size_t notification_line_count = notification_line_names.size();

} // namespace continuity
