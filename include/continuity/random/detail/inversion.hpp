// continuity/random/detail/inversion.hpp — inverse CDFs by search: the
// smallest value whose CDF reaches a probability, for the tails and the count
// families where Boost.Math's own inverses give up, assert or crawl.
#pragma once

#include <boost/math/policies/error_handling.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <type_traits>

namespace continuity::detail {

/// The smallest x in [lo, hi] with cdf(x) >= p, for a non-decreasing `cdf`
/// with 0 <= lo <= hi and cdf(hi) >= p (hi is the answer otherwise): a
/// bisection over the floating-point numbers between lo and hi (the bit
/// patterns of non-negative IEEE numbers are ordered as their values), so at
/// most 64 evaluations of `cdf` for double (32 for float) at any scale: a
/// quantile near 10^-300 costs no more than one near 0.5.
template <class Real, class Cdf>
Real smallest_at_least(const Cdf& cdf, Real p, Real lo, Real hi) {
  static_assert(std::numeric_limits<Real>::is_iec559 && (sizeof(Real) == 4 || sizeof(Real) == 8),
                "IEEE float or double");
  using bits = std::conditional_t<sizeof(Real) == 8, std::uint64_t, std::uint32_t>;
  if (cdf(lo) >= p) return lo;
  // cdf(a) < p; the answer is in (a, b].
  bits a = std::bit_cast<bits>(lo + Real(0)), b = std::bit_cast<bits>(hi); // lo + 0: -0 to +0
  while (b - a > 1) {
    const bits m = a + (b - a) / 2;
    if (cdf(std::bit_cast<Real>(m)) >= p)
      b = m;
    else
      a = m;
  }
  return std::bit_cast<Real>(b);
}

/// The quantile at p in (0, 1) by Boost.Math's inverse of the CDF,
/// `inverse(p)`, where it gives a normal (not subnormal) number; otherwise
/// — Boost.Math gave up (threw boost::math::evaluation_error or
/// std::domain_error), or the quantile is subnormal or underflowed to 0 — by
/// smallest_at_least(cdf, p, 0, hi), which rounds a tiny quantile as it
/// rounds those of smaller p, so that quantiles stay non-decreasing in p.
template <class Real, class Inverse, class Cdf>
Real inverse_or_bisection(const Inverse& inverse, const Cdf& cdf, Real p, Real hi) {
  try {
    const Real x = inverse(p);
    if (x >= std::numeric_limits<Real>::min()) return x;
  } catch (const boost::math::evaluation_error&) {
  } catch (const std::domain_error&) {
  }
  return smallest_at_least(cdf, p, Real(0), hi);
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1).
template <class Real, class Policy>
Real normal_quantile(Real p, const Policy& policy) {
  return -std::numbers::sqrt2_v<Real> * boost::math::erfc_inv(2 * p, policy);
}

/// The smallest integer k >= 0 with cdf(k) >= p, for p in (0, 1) and the
/// non-decreasing `cdf` of a count: steps from `guess` that double from
/// `step` (at least 1) bracket k, then a bisection finds it — about
/// 2·log2(|k − guess|/step) + log2(step) + 2 evaluations of `cdf`, however
/// heavy the tail. Beyond 2^53, where not every integer is a double, the
/// answer is the smallest double found with cdf >= p; +inf if even the
/// largest finite one stays below p.
template <class Real, class Cdf>
Real smallest_count_at_least(const Cdf& cdf, Real p, Real guess, Real step) {
  constexpr Real largest = std::numeric_limits<Real>::max();
  guess = std::isfinite(guess) ? std::floor(std::clamp(guess, Real(0), largest)) : Real(0);
  step = std::isfinite(step) ? std::max(std::floor(step), Real(1)) : Real(1);
  // cdf(lo) < p <= cdf(hi); lo = -1 stands for "below 0".
  Real lo = -1, hi = guess;
  if (cdf(guess) >= p) {
    while (hi > 0) {
      const Real next = std::max(hi - step, Real(0));
      if (cdf(next) < p) {
        lo = next;
        break;
      }
      hi = next;
      step *= 2;
    }
  } else {
    lo = guess;
    for (;;) {
      const Real next = lo < largest - step ? lo + step : largest;
      if (cdf(next) >= p) {
        hi = next;
        break;
      }
      if (next == largest) return std::numeric_limits<Real>::infinity();
      lo = next;
      step *= 2;
    }
  }
  for (;;) {
    const Real middle = std::floor(lo + (hi - lo) / 2);
    if (!(middle > lo && middle < hi)) return hi;
    if (cdf(middle) >= p)
      hi = middle;
    else
      lo = middle;
  }
}

} // namespace continuity::detail
