// continuity/random/detail/check.hpp — parameter checks shared by the
// distribution families, and the Boost.Math policy they use.
#pragma once

#include <continuity/error.hpp>

#include <boost/math/policies/policy.hpp>

#include <charconv>
#include <cmath>
#include <string>

namespace continuity::detail {

/// Boost.Math policy of every family: no promotion to long double (speed),
/// discrete quantiles rounded up (the inverse CDF: smallest k with F(k) >= p),
/// overflow gives infinity instead of throwing (quantile(1) of an unbounded
/// distribution), and a domain error still throws.
using boost_policy = boost::math::policies::policy<
    boost::math::policies::promote_float<false>, boost::math::policies::promote_double<false>,
    boost::math::policies::discrete_quantile<boost::math::policies::integer_round_up>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

/// Shortest round-trip decimal form of x ("-1", "0.25", "inf", "nan").
template <class Real>
std::string format_number(Real x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  if (ec != std::errc{}) return std::to_string(static_cast<double>(x));
  return std::string(buffer, end);
}

/// Throws value_error "<family>: <parameter>: <requirement>, got <x>".
template <class Real>
[[noreturn]] void bad_parameter(const char* family, const char* parameter, const char* requirement,
                                Real got) {
  throw value_error(family, "", parameter,
                    std::string(requirement) + ", got " + format_number(got));
}

/// Requires x finite.
template <class Real>
void require_finite(const char* family, const char* parameter, Real x) {
  if (!std::isfinite(x)) bad_parameter(family, parameter, "must be finite", x);
}

/// Requires x finite and > 0.
template <class Real>
void require_positive(const char* family, const char* parameter, Real x) {
  if (!(std::isfinite(x) && x > 0))
    bad_parameter(family, parameter, "must be positive and finite", x);
}

/// Requires x finite and >= 0.
template <class Real>
void require_non_negative(const char* family, const char* parameter, Real x) {
  if (!(std::isfinite(x) && x >= 0))
    bad_parameter(family, parameter, "must be non-negative and finite", x);
}

/// Requires lowest <= x <= highest; `why` tells why the range is bounded
/// ("<family>: <parameter>: must be from <lowest> to <highest> (<why>), got <x>").
template <class Real>
void require_within(const char* family, const char* parameter, Real x, Real lowest, Real highest,
                    const char* why) {
  if (!(x >= lowest && x <= highest))
    throw value_error(family, "", parameter,
                      "must be from " + format_number(lowest) + " to " + format_number(highest) +
                          " (" + why + "), got " + format_number(x));
}

/// Requires x <= highest; `why` tells why it is bounded
/// ("<family>: <parameter>: must be at most <highest> (<why>), got <x>").
template <class Real>
void require_at_most(const char* family, const char* parameter, Real x, Real highest,
                     const char* why) {
  if (!(x <= highest))
    throw value_error(family, "", parameter,
                      "must be at most " + format_number(highest) + " (" + why + "), got " +
                          format_number(x));
}

/// Requires a probability p in [0, 1] (for quantile arguments).
template <class Real>
void require_probability(const char* family, Real p) {
  if (!(p >= 0 && p <= 1)) bad_parameter(family, "quantile", "probability must be in [0, 1]", p);
}

} // namespace continuity::detail
