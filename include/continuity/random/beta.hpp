// continuity/random/beta.hpp — the beta distribution on [0, 1].
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/gamma.hpp>

#include <boost/math/distributions/beta.hpp>

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

} // namespace detail

/// The beta distribution with shapes alpha > 0 and beta > 0 on [0, 1].
template <class Real = double>
class beta {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "beta";

  /// alpha > 0 and beta > 0, both finite.
  beta(Real alpha, Real beta) : alpha_(alpha), beta_(beta) {
    detail::require_positive("beta", "alpha", alpha);
    detail::require_positive("beta", "beta", beta);
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
  /// Inverse CDF.
  Real quantile(Real p) const {
    detail::require_probability("beta", p);
    if (p == 0) return Real(0);
    if (p == 1) return Real(1);
    return boost::math::quantile(boost_type(), p);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    if (!(x > 0)) return Real(0);
    if (x >= 1) return Real(1);
    return boost::math::cdf(boost_type(), x);
  }
  /// alpha/(alpha + beta).
  Real mean() const noexcept { return alpha_ / (alpha_ + beta_); }
  /// alpha·beta/((alpha + beta)²(alpha + beta + 1)).
  Real variance() const noexcept {
    const Real s = alpha_ + beta_;
    return alpha_ * beta_ / (s * s * (s + 1));
  }

private:
  boost::math::beta_distribution<Real, detail::boost_policy> boost_type() const {
    return {alpha_, beta_};
  }
  Real alpha_, beta_;
};

} // namespace continuity
