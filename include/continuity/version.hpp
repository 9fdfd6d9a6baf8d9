// continuity/version.hpp — the library version. The one place it is written:
// CMake's project version and the Python package's version are read from the
// three numbers below.
#pragma once

/// Major version of continuity.
#define CONTINUITY_VERSION_MAJOR 0
/// Minor version of continuity.
#define CONTINUITY_VERSION_MINOR 1
/// Patch version of continuity.
#define CONTINUITY_VERSION_PATCH 0

#define CONTINUITY_DETAIL_TEXT(x) #x
#define CONTINUITY_DETAIL_NUMBER_TEXT(x) CONTINUITY_DETAIL_TEXT(x)

/// The library version as a string literal, "major.minor.patch".
#define CONTINUITY_VERSION_STRING                                                                  \
  CONTINUITY_DETAIL_NUMBER_TEXT(CONTINUITY_VERSION_MAJOR)                                          \
  "." CONTINUITY_DETAIL_NUMBER_TEXT(CONTINUITY_VERSION_MINOR) "." CONTINUITY_DETAIL_NUMBER_TEXT(   \
      CONTINUITY_VERSION_PATCH)

namespace continuity {
/// The library version as "major.minor.patch".
inline constexpr const char* version_string = CONTINUITY_VERSION_STRING;
} // namespace continuity
