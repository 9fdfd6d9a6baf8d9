// continuity/random/lognormal.hpp — the lognormal distribution, the usual
// model of a single incident's loss.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/normal.hpp>

#include <boost/math/distributions/lognormal.hpp>

#include <cmath>
#include <limits>
#include <string_view>

namespace continuity {

/// The lognormal distribution: exp(mu + sigma·Z), Z standard normal.
template <class Real = double>
class lognormal {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "lognormal";

  /// z such that P(Z <= z) = 0.95 for a standard normal Z: half-width in
  /// standard deviations of a central 90 % interval.
  static constexpr Real z95 = Real(1.6448536269514722);

  /// From the mean mu (finite) and standard deviation sigma (> 0) of log X.
  lognormal(Real mu, Real sigma) : mu_(mu), sigma_(sigma) {
    detail::require_finite("lognormal", "mu", mu);
    detail::require_positive("lognormal", "sigma", sigma);
  }

  /// From the mean and standard deviation of X itself (both > 0):
  /// sigma² = ln(1 + sd²/mean²), mu = ln(mean) − sigma²/2.
  static lognormal from_mean_sd(Real mean, Real sd) {
    detail::require_positive("lognormal", "mean", mean);
    detail::require_positive("lognormal", "sd", sd);
    const Real s2 = std::log1p((sd / mean) * (sd / mean));
    return lognormal(std::log(mean) - s2 / 2, std::sqrt(s2));
  }

  /// From a 90 % interval: `lo` is the 5th and `hi` the 95th percentile
  /// (0 < lo < hi): mu = (ln lo + ln hi)/2, sigma = (ln hi − ln lo)/(2·1.6448536269514722).
  static lognormal from_interval90(Real lo, Real hi) {
    detail::require_positive("lognormal", "lo", lo);
    detail::require_positive("lognormal", "hi", hi);
    if (!(lo < hi)) detail::bad_parameter("lognormal", "hi", "must be greater than lo", hi);
    const Real a = std::log(lo), b = std::log(hi);
    return lognormal((a + b) / 2, (b - a) / (2 * z95));
  }

  /// Location of log X.
  Real mu() const noexcept { return mu_; }
  /// Scale of log X.
  Real sigma() const noexcept { return sigma_; }

  /// One variate (ziggurat normal, then exp).
  template <class Engine>
  Real operator()(Engine& engine) const {
    return std::exp(mu_ + sigma_ * standard_normal<Real>(engine));
  }
  /// Inverse CDF; quantile(0) = 0, quantile(1) = +inf.
  Real quantile(Real p) const {
    detail::require_probability("lognormal", p);
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
  /// exp(mu + sigma²/2).
  Real mean() const { return std::exp(mu_ + sigma_ * sigma_ / 2); }
  /// (exp(sigma²) − 1)·exp(2mu + sigma²).
  Real variance() const {
    return std::expm1(sigma_ * sigma_) * std::exp(2 * mu_ + sigma_ * sigma_);
  }

private:
  boost::math::lognormal_distribution<Real, detail::boost_policy> boost_type() const {
    return {mu_, sigma_};
  }
  Real mu_, sigma_;
};

} // namespace continuity
