// continuity/random/gamma.hpp — the gamma distribution.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/detail/inversion.hpp>
#include <continuity/random/normal.hpp>

#include <boost/math/special_functions/gamma.hpp>

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

  /// The smallest shape accepted: below it (at subnormal shapes) Boost.Math's
  /// inverse of the incomplete gamma function returns NaN.
  static constexpr Real min_shape = Real(1e-300);
  /// The largest shape accepted: from about 3·10^10 Boost.Math's incomplete
  /// gamma function (behind the quantile and the CDF) gives up (its series
  /// exceeds its iteration limit). A gamma with a shape of 10^10 varies by
  /// 0.001 % of its mean (sd/mean = 1/√shape): a fixed value says the same.
  static constexpr Real max_shape = Real(1e10);

  /// shape in [min_shape, max_shape]; scale > 0 and finite.
  gamma(Real shape, Real scale) : shape_(shape), scale_(scale) {
    detail::require_positive("gamma", "shape", shape);
    detail::require_within("gamma", "shape", shape, min_shape, max_shape,
                           "the quantiles and the CDF are computed there; a larger shape is a "
                           "nearly fixed value");
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
  /// Inverse CDF; quantile(1) = +inf. Boost.Math's inverse of the
  /// incomplete gamma function, or a bisection of the CDF where it gives up
  /// (at p = 5·10^-324 from a shape of about 40) or the quantile is
  /// subnormal (detail::inverse_or_bisection).
  Real quantile(Real p) const {
    detail::require_probability("gamma", p);
    if (p == 0) return Real(0);
    if (p == 1) return std::numeric_limits<Real>::infinity();
    return scale_ * detail::inverse_or_bisection(
                        [this](Real q) {
                          return boost::math::gamma_p_inv(shape_, q, detail::boost_policy());
                        },
                        [this](Real x) { return standard_cdf(x); }, p,
                        std::numeric_limits<Real>::max());
  }
  /// P(X <= x).
  Real cdf(Real x) const { return standard_cdf(x / scale_); }
  /// k·theta.
  Real mean() const noexcept { return shape_ * scale_; }
  /// k·theta².
  Real variance() const noexcept { return shape_ * scale_ * scale_; }

private:
  /// P(X/scale <= x).
  Real standard_cdf(Real x) const {
    if (!(x > 0)) return Real(0);
    if (std::isinf(x)) return Real(1);
    return boost::math::gamma_p(shape_, x, detail::boost_policy());
  }
  Real shape_, scale_;
};

} // namespace continuity
