// continuity/random/negative_binomial.hpp — the negative binomial
// distribution: over-dispersed event counts.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/detail/inversion.hpp>
#include <continuity/random/gamma.hpp>
#include <continuity/random/poisson.hpp>

#include <boost/math/distributions/negative_binomial.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace continuity {

/// The negative binomial distribution: the number of failures before the
/// r-th success in trials of success probability p (r may be fractional).
/// Equivalently Poisson(Λ) with Λ ~ Gamma(r, (1 − p)/p): event counts whose
/// yearly rate itself is uncertain. Mean r(1 − p)/p, variance r(1 − p)/p².
template <class Real = double>
class negative_binomial {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "negative binomial";

  /// The largest number of successes accepted: beyond it Boost.Math's
  /// incomplete beta function, behind the CDF and the quantiles, loses
  /// accuracy and speed (with 10^14 successes and a mean of 10^18 the median
  /// is off by 1 % of a standard deviation, and a quantile takes 60 ms). With
  /// r that large the count is a Poisson count (variance/mean − 1 = mean/r):
  /// use poisson.
  static constexpr Real max_successes = Real(1e10);

  /// successes r in (0, max_successes], success probability p in (0, 1]
  /// with a finite mean r(1 − p)/p.
  negative_binomial(Real successes, Real probability)
      : successes_(successes), probability_(probability) {
    detail::require_positive("negative binomial", "successes", successes);
    detail::require_at_most("negative binomial", "successes", successes, max_successes,
                            "its quantiles and CDF are computed accurately up to there; a "
                            "count with more successes is a Poisson count");
    if (!(probability > 0 && probability <= 1))
      detail::bad_parameter("negative binomial", "probability", "must be in (0, 1]", probability);
    rate_scale_ = (1 - probability) / probability;
    if (!std::isfinite(successes * rate_scale_))
      detail::bad_parameter("negative binomial", "probability",
                            "is too small: the mean successes·(1 − p)/p is not finite",
                            probability);
  }

  /// From the mean and variance of the count (variance > mean > 0):
  /// p = mean/variance, r = mean²/(variance − mean), which must not exceed
  /// max_successes (the variance must exceed the mean by mean²/max_successes).
  static negative_binomial from_mean_variance(Real mean, Real variance) {
    detail::require_positive("negative binomial", "mean", mean);
    detail::require_positive("negative binomial", "variance", variance);
    if (!(variance > mean))
      detail::bad_parameter("negative binomial", "variance",
                            "must exceed the mean (use poisson when equal)", variance);
    const Real successes = mean * mean / (variance - mean);
    if (!(successes <= max_successes))
      detail::bad_parameter("negative binomial", "variance",
                            "is too close to the mean: the count is a Poisson count (use "
                            "poisson), or the variance must exceed the mean by at least "
                            "mean²/10^10",
                            variance);
    return negative_binomial(successes, mean / variance);
  }

  /// Number of successes r.
  Real successes() const noexcept { return successes_; }
  /// Success probability p.
  Real probability() const noexcept { return probability_; }

  /// One count (gamma–Poisson mixture).
  template <class Engine>
  std::uint64_t count(Engine& engine) const {
    if (rate_scale_ == 0) return 0;
    const Real rate = rate_scale_ * detail::gamma_variate(engine, successes_);
    return detail::poisson_variate(engine, rate);
  }
  /// One count as a Real.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return static_cast<Real>(count(engine));
  }
  /// Smallest k with P(N <= k) >= p; quantile(1) = +inf. A search of the
  /// CDF from the Cornish–Fisher approximation mean + sd·(z + γ(z² − 1)/6),
  /// γ the skewness (detail::smallest_count_at_least): Boost.Math's own
  /// quantile takes seconds to minutes for a large variance.
  Real quantile(Real p) const {
    detail::require_probability("negative binomial", p);
    if (rate_scale_ == 0 || p == 0) return Real(0);
    if (p == 1) return std::numeric_limits<Real>::infinity();
    const Real z = detail::normal_quantile(p, detail::boost_policy());
    const Real sd = std::sqrt(variance());
    const Real skewness = (2 - probability_) / std::sqrt(successes_ * (1 - probability_));
    return detail::smallest_count_at_least([this](Real k) { return cdf(k); }, p,
                                           mean() + sd * (z + skewness * (z * z - 1) / 6),
                                           sd / 4);
  }
  /// P(N <= x).
  Real cdf(Real x) const {
    if (!(x >= 0)) return Real(0);
    if (rate_scale_ == 0 || std::isinf(x)) return Real(1);
    return boost::math::cdf(boost_type(), std::floor(x));
  }
  /// r(1 − p)/p.
  Real mean() const noexcept { return successes_ * rate_scale_; }
  /// r(1 − p)/p².
  Real variance() const noexcept { return successes_ * rate_scale_ / probability_; }

private:
  boost::math::negative_binomial_distribution<Real, detail::boost_policy> boost_type() const {
    return {successes_, probability_};
  }
  Real successes_, probability_, rate_scale_;
};

} // namespace continuity
