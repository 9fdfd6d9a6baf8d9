// continuity/random/beta.hpp — the beta distribution on [0, 1].
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/detail/inversion.hpp>
#include <continuity/random/gamma.hpp>

#include <boost/math/special_functions/beta.hpp>

#include <string_view>

namespace continuity {
namespace detail {

/// A Beta(alpha, beta) variate as X/(X + Y), X ~ Gamma(alpha), Y ~ Gamma(beta).
template <class Real, class Engine>
Real beta_variate(Engine& engine, Real alpha, Real beta) {
  for (;;) {
    const Real x = gamma_variate(engine, alpha);
    const Real y = gamma_variate(engine, beta);
    if (x + y > 0) return x / (x + y); // both underflow only for tiny shapes
  }
}

/// Below this probability beta_quantile bisects the CDF without asking
/// Boost.Math's inverse of the incomplete beta function, which in the far
/// lower tail can trip an assertion (Beta(10, 10) near 10^-221) as well as
/// give up.
inline constexpr double beta_bisection_below = 1e-20;

/// P(X <= x) for X ~ Beta(alpha, beta), x in [0, 1].
template <class Real>
Real beta_cdf(Real alpha, Real beta, Real x) {
  if (!(x > 0)) return Real(0);
  if (x >= 1) return Real(1);
  return boost::math::ibeta(alpha, beta, x, boost_policy());
}

/// The smallest x with P(X <= x) >= p for X ~ Beta(alpha, beta), p in
/// [0, 1]: Boost.Math's inverse of the incomplete beta function (Newton and
/// Halley steps from Temme's approximations), or a bisection of the CDF over
/// the floating-point numbers of [0, 1] (at most 64 evaluations) below
/// beta_bisection_below and wherever Boost.Math gives up
/// (detail::inverse_or_bisection). It gives up at ordinary shapes and
/// probabilities: Beta(0.5, 2) at p = 10^-9 (its root finding exceeds 200
/// iterations) and 10^-16 (it asks for the CDF at x = 7657), Beta(2, 0.5)
/// near p = 1, Beta(2, 10) at 10^-100. Quantiles are non-decreasing in p.
template <class Real>
Real beta_quantile(Real alpha, Real beta, Real p) {
  if (p == 0) return Real(0);
  if (p == 1) return Real(1);
  const auto cdf = [&](Real x) { return beta_cdf(alpha, beta, x); };
  if (p < Real(beta_bisection_below)) return smallest_at_least(cdf, p, Real(0), Real(1));
  return inverse_or_bisection(
      [&](Real q) { return boost::math::ibeta_inv(alpha, beta, q, boost_policy()); }, cdf, p,
      Real(1));
}

} // namespace detail

/// The beta distribution with shapes alpha > 0 and beta > 0 on [0, 1].
template <class Real = double>
class beta {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "beta";

  /// The smallest shape accepted. Below it Boost.Math's incomplete beta
  /// function asserts or returns NaN (at 2.5·10^-323 and 5·10^-324); a beta
  /// with a shape this small already has nearly all its mass at 0 or 1.
  static constexpr Real min_shape = Real(1e-6);
  /// The largest shape accepted. Beyond it the quantile and the CDF lose
  /// accuracy (10^-8 relative from 10^7) and then fail (throw from 10^12);
  /// a beta with both shapes this large varies by less than 0.05 % of [0, 1]:
  /// a fixed value says the same.
  static constexpr Real max_shape = Real(1e6);

  /// alpha and beta in [min_shape, max_shape].
  beta(Real alpha, Real beta) : alpha_(alpha), beta_(beta) {
    detail::require_positive("beta", "alpha", alpha);
    detail::require_positive("beta", "beta", beta);
    detail::require_within("beta", "alpha", alpha, min_shape, max_shape, shape_limits);
    detail::require_within("beta", "beta", beta, min_shape, max_shape, shape_limits);
  }
  /// First shape.
  Real alpha() const noexcept { return alpha_; }
  /// Second shape.
  Real beta_shape() const noexcept { return beta_; }

  /// One variate.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return detail::beta_variate(engine, alpha_, beta_);
  }
  /// Inverse CDF (detail::beta_quantile).
  Real quantile(Real p) const {
    detail::require_probability("beta", p);
    return detail::beta_quantile(alpha_, beta_, p);
  }
  /// P(X <= x).
  Real cdf(Real x) const { return detail::beta_cdf(alpha_, beta_, x); }
  /// alpha/(alpha + beta).
  Real mean() const noexcept { return alpha_ / (alpha_ + beta_); }
  /// alpha·beta/((alpha + beta)²(alpha + beta + 1)).
  Real variance() const noexcept {
    const Real s = alpha_ + beta_;
    return alpha_ * beta_ / (s * s * (s + 1));
  }

private:
  static constexpr const char* shape_limits =
      "the quantiles and the CDF are computed accurately there; outside, a beta distribution is "
      "nearly a fixed value";
  Real alpha_, beta_;
};

} // namespace continuity
