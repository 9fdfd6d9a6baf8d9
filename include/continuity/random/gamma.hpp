// continuity/random/gamma.hpp — the gamma distribution.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/normal.hpp>

#include <boost/math/distributions/gamma.hpp>

#include <cmath>
#include <limits>
#include <string_view>

namespace continuity {
namespace detail {

/// A Gamma(shape, 1) variate by Marsaglia & Tsang, "A simple method for
/// generating gamma variables" (2000); shape < 1 through
/// Gamma(shape + 1)·U^(1/shape).
template <class Real, class Engine>
Real gamma_variate(Engine& engine, Real shape) {
  if (shape < 1) {
    const Real g = gamma_variate(engine, shape + 1);
    return g * std::pow(uniform01<Real>(engine), 1 / shape);
  }
  const Real d = shape - Real(1) / 3;
  const Real c = 1 / std::sqrt(9 * d);
  for (;;) {
    Real x, v;
    do {
      x = standard_normal<Real>(engine);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const Real u = uniform01<Real>(engine);
    const Real x2 = x * x;
    if (u < 1 - Real(0.0331) * x2 * x2) return d * v;
    if (std::log(u) < x2 / 2 + d * (1 - v + std::log(v))) return d * v;
  }
}

} // namespace detail

/// The gamma distribution with shape k > 0 and scale theta > 0
/// (mean k·theta, variance k·theta²).
template <class Real = double>
class gamma {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "gamma";

  /// shape > 0 and scale > 0, both finite.
  gamma(Real shape, Real scale) : shape_(shape), scale_(scale) {
    detail::require_positive("gamma", "shape", shape);
    detail::require_positive("gamma", "scale", scale);
  }
  /// Shape k.
  Real shape() const noexcept { return shape_; }
  /// Scale theta.
  Real scale() const noexcept { return scale_; }

  /// One variate.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return scale_ * detail::gamma_variate(engine, shape_);
  }
  /// Inverse CDF; quantile(1) = +inf.
  Real quantile(Real p) const {
    detail::require_probability("gamma", p);
    if (p == 0) return Real(0);
    if (p == 1) return std::numeric_limits<Real>::infinity();
    return boost::math::quantile(boost_type(), p);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    if (!(x > 0)) return Real(0);
    if (std::isinf(x)) return Real(1);
    return boost::math::cdf(boost_type(), x);
  }
  /// k·theta.
  Real mean() const noexcept { return shape_ * scale_; }
  /// k·theta².
  Real variance() const noexcept { return shape_ * scale_ * scale_; }

private:
  boost::math::gamma_distribution<Real, detail::boost_policy> boost_type() const {
    return {shape_, scale_};
  }
  Real shape_, scale_;
};

} // namespace continuity
