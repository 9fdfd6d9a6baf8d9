// continuity/model/backup.hpp — one backup arrangement of a system's data
// or of the system itself: how often, how many generations, where and how
// reachable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace continuity {

/// How reachable a backup is from the systems it protects.
enum class backup_mode : std::uint8_t {
  online,    ///< reachable over the network (NAS, second disk, sync): ransomware can encrypt it
  offline,   ///< disconnected media (tape or disk in a safe, a laptop switched off)
  immutable, ///< write-once / object-locked: online but cannot be altered
};

/// "online", "offline" or "immutable".
constexpr std::string_view to_string(backup_mode m) noexcept {
  return m == backup_mode::online ? "online" : m == backup_mode::offline ? "offline" : "immutable";
}

/// Parses "online", "offline" or "immutable".
constexpr std::optional<backup_mode> parse_backup_mode(std::string_view s) noexcept {
  if (s == "online") return backup_mode::online;
  if (s == "offline") return backup_mode::offline;
  if (s == "immutable") return backup_mode::immutable;
  return std::nullopt;
}

/// What a backup holds.
enum class backup_content : std::uint8_t {
  data,   ///< the system's data: restores them as of the copy (sets the RPO)
  /// the system itself: its installed software and settings (a server's
  /// system backup, a PC's disk image, an environment kept in the cloud); it
  /// shortens the rebuild of the default procedure, and holds no data
  system,
};

/// "data" or "system".
constexpr std::string_view to_string(backup_content c) noexcept {
  return c == backup_content::system ? "system" : "data";
}

/// Parses "data" or "system".
constexpr std::optional<backup_content> parse_backup_content(std::string_view s) noexcept {
  if (s == "data") return backup_content::data;
  if (s == "system") return backup_content::system;
  return std::nullopt;
}

/// A backup of a system. Times are hours. Either periodic (a copy every
/// `interval`, the newest `generations` kept) or a one-off copy of known
/// `age` (a copy on a notebook taken before the incident and switched off
/// since), for which interval and generations do not apply.
template <class Real = double>
struct backup {
  Real interval = 24;                     ///< hours between two backups (> 0)
  unsigned generations = 1;               ///< generations kept (≥ 1)
  std::string medium = "disk";            ///< medium: "disk", "nas", "tape", "cloud", "usb", ...
  backup_mode mode = backup_mode::online; ///< reachability
  bool offsite = false;  ///< kept at another site (survives the loss of the building)
  Real restore_time = 0; ///< hours to restore from it (≥ 0)
  /// A one-off copy: its age in hours at the time of the incident (≥ 0);
  /// empty for a periodic backup.
  std::optional<Real> age{};
  /// What it holds: the data (the default) or the system itself.
  backup_content content = backup_content::data;

  /// True for a one-off copy (age given), false for a periodic backup.
  bool is_one_off() const noexcept { return age.has_value(); }

  friend bool operator==(const backup&, const backup&) = default;
};

} // namespace continuity
