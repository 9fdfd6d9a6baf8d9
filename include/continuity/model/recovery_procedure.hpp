// continuity/model/recovery_procedure.hpp — how one system is brought back:
// the steps of emergency (temporary) recovery and of permanent restoration
// (docs/domain.md §4), each with a duration, the resources it holds and the steps
// it waits for.
#pragma once

#include <continuity/model/detail/same_distribution.hpp>
#include <continuity/random/distribution.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// The two phases of recovery.
enum class recovery_phase : std::uint8_t {
  emergency, ///< phase 1: emergency / temporary recovery, usually on degraded capacity
  permanent, ///< phase 2: complete / permanent restoration, ending with the switch-back
};

/// "emergency" or "permanent".
constexpr std::string_view to_string(recovery_phase p) noexcept {
  return p == recovery_phase::emergency ? "emergency" : "permanent";
}

/// What a recovery step does. The kind gives a step its meaning for the
/// planner: steps of kind recovery_work, restore and switch_back wait until
/// the systems the system depends on are back; the first planned_stop (or,
/// without one, the switch_back) of the permanent phase takes the system
/// down again until the phase ends.
enum class step_kind : std::uint8_t {
  settle,                ///< confirm the situation has settled (no secondary damage)
  damage_survey,         ///< survey the damage
  arrange_backup,        ///< arrange backup media, spare hardware, an emergency site
  recovery_work,         ///< the recovery work itself (rebuild, restore from backup)
  service_back,          ///< IT service restored, business resumes
  replace_repair,        ///< replace or repair damaged resources (may wait months for hardware)
  planned_stop,          ///< planned stop of business for the switch-back
  backup_emergency_data, ///< back up the data created on the emergency system
  restore,               ///< restore applications and data on the permanent system
  verify,                ///< verify operation
  switch_back,           ///< switch back to the permanent system
  resume,                ///< business continues on the permanent system
  data_reentry,          ///< re-enter data lost since the last surviving backup
  other,                 ///< anything else
};

/// Number of step kinds.
inline constexpr std::size_t step_kind_count = 14;

/// Lower-case name with underscores: "damage_survey", "switch_back", ...
constexpr std::string_view to_string(step_kind k) noexcept {
  constexpr std::array<std::string_view, step_kind_count> names{
      "settle",      "damage_survey", "arrange_backup", "recovery_work", "service_back",
      "replace_repair", "planned_stop", "backup_emergency_data", "restore", "verify",
      "switch_back", "resume",        "data_reentry",   "other"};
  return names[static_cast<std::size_t>(k)];
}

/// Parses a name written by to_string(step_kind).
constexpr std::optional<step_kind> parse_step_kind(std::string_view s) noexcept {
  for (std::size_t i = 0; i < step_kind_count; ++i)
    if (to_string(static_cast<step_kind>(i)) == s) return static_cast<step_kind>(i);
  return std::nullopt;
}

/// True for the kinds that cannot start before the system's dependencies are
/// back (nothing is restored before what it needs is up).
constexpr bool waits_for_dependencies(step_kind k) noexcept {
  return k == step_kind::recovery_work || k == step_kind::restore ||
         k == step_kind::switch_back;
}

/// Units of one resource pool that a step holds while it runs.
struct step_demand {
  std::string resource; ///< name of a resource pool of the model
  int units = 1;        ///< units held for the whole step (≥ 1)

  friend bool operator==(const step_demand&, const step_demand&) = default;
};

/// "Start this step only after `step`": finish-to-start by default, or
/// start-to-start ("arrange the backup may start as soon as the survey starts").
template <class Real = double>
struct step_link {
  std::string step;            ///< name of an earlier step of the same procedure
  bool start_to_start = false; ///< measure the lag from the other step's start, not its end
  Real lag = 0;                ///< minimum hours in between (≥ 0)

  friend bool operator==(const step_link&, const step_link&) = default;
};

/// One step of a recovery procedure. Times are hours.
template <class Real = double>
struct recovery_step {
  std::string name;                 ///< unique within the procedure
  step_kind kind = step_kind::other; ///< what it does (gives it its meaning to the planner)
  /// Duration in hours: a fixed value, or a distribution (triangular, PERT,
  /// lognormal, ...) that a Monte Carlo trial samples; a single plan uses
  /// its mean. Must not take negative values. A long wait with no work (a
  /// replacement server on back-order for months) is a step with no demands.
  distribution<Real> duration;
  /// Duration instead of `duration` when the incident destroyed the
  /// system's data and no backup survives (rebuild from scratch, re-create
  /// from paper); empty: `duration` either way.
  std::optional<distribution<Real>> duration_without_backup;
  std::vector<step_demand> needs; ///< resources held while it runs
  /// Steps it waits for. Empty: the step before it in its phase (the first
  /// step of the permanent phase: the last step of the emergency phase; the
  /// first emergency step: nothing, it starts when the incident is detected).
  std::vector<step_link<Real>> after;

  friend bool operator==(const recovery_step& a, const recovery_step& b) {
    return a.name == b.name && a.kind == b.kind && a.needs == b.needs && a.after == b.after &&
           detail::same_distribution(a.duration, b.duration) &&
           a.duration_without_backup.has_value() == b.duration_without_backup.has_value() &&
           (!a.duration_without_backup ||
            detail::same_distribution(*a.duration_without_backup, *b.duration_without_backup));
  }
};

/// How a system is recovered after it is damaged: the emergency phase brings
/// it back at `emergency_capacity`; the permanent phase (if any) stops it
/// again from its planned stop until the switch-back, after which it runs at
/// full capacity. Without a permanent phase, the emergency recovery is final
/// and restores full capacity.
template <class Real = double>
struct recovery_procedure {
  std::vector<recovery_step<Real>> emergency; ///< phase 1 steps (at least one)
  std::vector<recovery_step<Real>> permanent; ///< phase 2 steps (may be empty)
  /// Fraction of normal capacity the system gives after the emergency phase
  /// while a permanent phase is still to come, in (0, 1].
  Real emergency_capacity = 1;

  friend bool operator==(const recovery_procedure&, const recovery_procedure&) = default;
};

} // namespace continuity
