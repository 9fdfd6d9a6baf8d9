// continuity/random/triangular.hpp — the triangular distribution (three-point
// estimate: minimum, most likely, maximum).
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/rng.hpp>

#include <boost/math/distributions/triangular.hpp>

#include <cmath>
#include <string_view>

namespace continuity {

/// The triangular distribution on [minimum, maximum] with its peak at `mode`.
template <class Real = double>
class triangular {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "triangular";

  /// minimum <= mode <= maximum, minimum < maximum, all finite.
  triangular(Real minimum, Real mode, Real maximum)
      : minimum_(minimum), mode_(mode), maximum_(maximum) {
    detail::require_finite("triangular", "minimum", minimum);
    detail::require_finite("triangular", "mode", mode);
    detail::require_finite("triangular", "maximum", maximum);
    if (!(minimum < maximum))
      detail::bad_parameter("triangular", "maximum", "must be greater than minimum", maximum);
    if (!(minimum <= mode && mode <= maximum))
      detail::bad_parameter("triangular", "mode", "must lie in [minimum, maximum]", mode);
    // In halves, which never overflow (and give the same quotient).
    mode_fraction_ = (mode / 2 - minimum / 2) / (maximum / 2 - minimum / 2);
  }
  /// Smallest value.
  Real minimum() const noexcept { return minimum_; }
  /// Most likely value.
  Real mode() const noexcept { return mode_; }
  /// Largest value.
  Real maximum() const noexcept { return maximum_; }

  /// One variate (inverse CDF in closed form).
  template <class Engine>
  Real operator()(Engine& engine) const {
    return invert(uniform01<Real>(engine));
  }
  /// Inverse CDF.
  Real quantile(Real p) const {
    detail::require_probability("triangular", p);
    return invert(p);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    if (x <= minimum_) return Real(0);
    if (x >= maximum_) return Real(1);
    const Real f = boost::math::cdf(
        boost::math::triangular_distribution<Real, detail::boost_policy>(minimum_, mode_, maximum_),
        x);
    if (!std::isnan(f)) return f;
    // Widths beyond 10^154 overflow Boost.Math's products: ratios of halves.
    const Real half_width = maximum_ / 2 - minimum_ / 2;
    if (x <= mode_) {
      const Real from = x / 2 - minimum_ / 2;
      return from / half_width * (from / (mode_ / 2 - minimum_ / 2));
    }
    const Real to = maximum_ / 2 - x / 2;
    return 1 - to / half_width * (to / (maximum_ / 2 - mode_ / 2));
  }
  /// (minimum + mode + maximum)/3.
  Real mean() const noexcept { return (minimum_ + mode_ + maximum_) / 3; }
  /// (a² + b² + c² − ab − ac − bc)/18.
  Real variance() const noexcept {
    const Real a = minimum_, b = maximum_, c = mode_;
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
  }

private:
  Real invert(Real u) const {
    if (u <= mode_fraction_) return minimum_ + root(u, mode_ - minimum_, mode_ / 2 - minimum_ / 2);
    // maximum − width·√y, y = (1 − u)(1 − mode fraction) ...
    const Real y = (1 - u) * (1 - mode_fraction_);
    if (y <= Real(0.5)) return maximum_ - root(1 - u, maximum_ - mode_, maximum_ / 2 - mode_ / 2);
    // ... loses the digits of 1 − √y as y nears 1 (a mode near the minimum
    // and u just above it): minimum + width·(1 − y)/(1 + √y), in halves.
    const Real half = (maximum_ / 2 - minimum_ / 2) *
                      ((u + mode_fraction_ - u * mode_fraction_) / (1 + std::sqrt(y)));
    return minimum_ + half + half;
  }
  // sqrt(v·(maximum − minimum)·side); where the product overflows (widths
  // beyond 10^154) from the halves of the widths instead.
  Real root(Real v, Real side, Real half_side) const {
    const Real product = v * (maximum_ - minimum_) * side;
    if (std::isfinite(product)) return std::sqrt(product);
    return 2 * std::sqrt(v) * std::sqrt(maximum_ / 2 - minimum_ / 2) * std::sqrt(half_side);
  }
  Real minimum_, mode_, maximum_, mode_fraction_;
};

} // namespace continuity
