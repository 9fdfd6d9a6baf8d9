// Constants shared by the tests.
#pragma once

#include <limits>

namespace continuity_test {

inline constexpr double inf = std::numeric_limits<double>::infinity();

} // namespace continuity_test
