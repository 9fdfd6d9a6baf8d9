// continuity/version.hpp — the library version.
#pragma once

/// Major version of continuity.
#define CONTINUITY_VERSION_MAJOR 0
/// Minor version of continuity.
#define CONTINUITY_VERSION_MINOR 1
/// Patch version of continuity.
#define CONTINUITY_VERSION_PATCH 0

namespace continuity {
/// The library version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";
} // namespace continuity
