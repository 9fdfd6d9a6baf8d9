// continuity/model/layer.hpp — the five layers of an IT estate and the
// client/server side of an asset (docs/domain.md §5).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace continuity {

/// The layer an asset belongs to, from the ground up. Which layers an
/// incident damages depends on its kind (an earthquake hits buildings, a
/// ransomware attack hits software and data, an epidemic hits people).
enum class asset_layer : std::uint8_t {
  building,       ///< office, workplace, data-centre building
  infrastructure, ///< power, gas, water, communication lines and equipment
  hardware,       ///< PCs, printers, servers, storage, network devices
  software,       ///< applications, data, system images and settings
  people,         ///< operators, operations staff, run books, chain of command
};

/// Whether an asset serves users directly (client) or other systems (server).
enum class asset_side : std::uint8_t {
  client, ///< PCs, terminals, operator-facing devices
  server, ///< servers, shared platforms, data-centre equipment
};

/// Number of asset layers.
inline constexpr std::size_t asset_layer_count = 5;

/// The lower-case name of a layer: "building", "infrastructure", "hardware",
/// "software", "people".
constexpr std::string_view to_string(asset_layer l) noexcept {
  constexpr std::array<std::string_view, asset_layer_count> names{"building", "infrastructure",
                                                                  "hardware", "software", "people"};
  return names[static_cast<std::size_t>(l)];
}

/// The lower-case name of a side: "client" or "server".
constexpr std::string_view to_string(asset_side s) noexcept {
  return s == asset_side::client ? "client" : "server";
}

/// Parses a layer name as written by to_string(asset_layer); also accepts
/// "data" and "software/data" for the software layer.
constexpr std::optional<asset_layer> parse_asset_layer(std::string_view s) noexcept {
  for (std::size_t i = 0; i < asset_layer_count; ++i)
    if (to_string(static_cast<asset_layer>(i)) == s) return static_cast<asset_layer>(i);
  if (s == "data" || s == "software/data") return asset_layer::software;
  return std::nullopt;
}

/// Parses "client" or "server".
constexpr std::optional<asset_side> parse_asset_side(std::string_view s) noexcept {
  if (s == "client") return asset_side::client;
  if (s == "server") return asset_side::server;
  return std::nullopt;
}

} // namespace continuity
