// continuity/model/resource.hpp — what recovery work needs besides time:
// people by skill (in-house IT, vendor engineers, clerks who re-enter data)
// and equipment (spare servers, replacement PCs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace continuity {

/// Whether a resource pool is people (scaled by a scenario's staff
/// availability) or equipment.
enum class resource_kind : std::uint8_t {
  people,    ///< staff with one skill; an epidemic or strike reduces it
  equipment, ///< spare hardware, rooms, licences; not affected by staff shortage
};

/// "people" or "equipment".
constexpr std::string_view to_string(resource_kind k) noexcept {
  return k == resource_kind::people ? "people" : "equipment";
}

/// Parses "people" or "equipment".
constexpr std::optional<resource_kind> parse_resource_kind(std::string_view s) noexcept {
  if (s == "people") return resource_kind::people;
  if (s == "equipment") return resource_kind::equipment;
  return std::nullopt;
}

/// A renewable resource available to recovery work: `capacity` units can be
/// busy at the same time (two IT staff, one vendor engineer, three clerks).
struct resource_pool {
  std::string name;                           ///< unique name, e.g. "in-house IT"
  resource_kind kind = resource_kind::people; ///< people or equipment
  int capacity = 1;                           ///< units available at any time (≥ 0)
  /// Outside help (a vendor's or contractor's engineers): a scenario's
  /// staff_availability, which describes the organisation's own people, does
  /// not reduce it.
  bool external = false;

  friend bool operator==(const resource_pool&, const resource_pool&) = default;
};

/// Name of the resource pool a model gets when it lists none: §9 of the
/// domain reference — many small firms have a single, part-time IT person.
inline constexpr std::string_view default_staff_name = "IT staff";

} // namespace continuity
