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
    mode_fraction_ = (mode - minimum) / (maximum - minimum);
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
    return boost::math::cdf(
        boost::math::triangular_distribution<Real, detail::boost_policy>(minimum_, mode_, maximum_),
        x);
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
    const Real width = maximum_ - minimum_;
    if (u <= mode_fraction_) return minimum_ + std::sqrt(u * width * (mode_ - minimum_));
    return maximum_ - std::sqrt((1 - u) * width * (maximum_ - mode_));
  }
  Real minimum_, mode_, maximum_, mode_fraction_;
};

} // namespace continuity
