// continuity/random/truncated_normal.hpp — the normal distribution restricted
// to an interval.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/detail/inversion.hpp>
#include <continuity/random/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string_view>

// GCC 12 reports a false -Wmaybe-uninitialized for these members when
// std::visit inlines the branch of a distribution<> that holds another family
// (the members are always set by the constructor).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace continuity {

/// N(mu, sigma²) conditioned on [lower, upper] (either bound may be infinite).
template <class Real = double>
class truncated_normal {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "truncated normal";

  /// mu finite, sigma > 0, lower < upper; the interval must carry
  /// probability representable in Real (not entirely beyond ~37 sigma).
  truncated_normal(Real mu, Real sigma, Real lower = -std::numeric_limits<Real>::infinity(),
                   Real upper = std::numeric_limits<Real>::infinity())
      : mu_(mu), sigma_(sigma), lower_(lower), upper_(upper) {
    detail::require_finite("truncated normal", "mu", mu);
    detail::require_positive("truncated normal", "sigma", sigma);
    if (std::isnan(lower) || lower == std::numeric_limits<Real>::infinity())
      detail::bad_parameter("truncated normal", "lower", "must be a number below +inf", lower);
    if (std::isnan(upper) || upper == -std::numeric_limits<Real>::infinity())
      detail::bad_parameter("truncated normal", "upper", "must be a number above -inf", upper);
    if (!(lower < upper))
      detail::bad_parameter("truncated normal", "upper", "must be greater than lower", upper);
    a_ = (lower - mu) / sigma;
    b_ = (upper - mu) / sigma;
    // Work on the side where the interval's probabilities are small and
    // therefore precise: mirror when the interval lies above the mean.
    mirrored_ = a_ > 0;
    const Real lo = mirrored_ ? -b_ : a_, hi = mirrored_ ? -a_ : b_;
    phi_lo_ = phi(lo);
    mass_ = phi(hi) - phi_lo_;
    if (!(mass_ > 0))
      detail::bad_parameter("truncated normal", "lower",
                            "interval carries no probability under N(mu, sigma)", lower);
    rejection_ = mass_ >= Real(0.25);
  }
  /// Mean of the untruncated normal.
  Real mu() const noexcept { return mu_; }
  /// Standard deviation of the untruncated normal.
  Real sigma() const noexcept { return sigma_; }
  /// Lower bound.
  Real lower() const noexcept { return lower_; }
  /// Upper bound.
  Real upper() const noexcept { return upper_; }

  /// One variate: rejection from the normal when the interval holds at least
  /// a quarter of the mass, inverse CDF otherwise.
  template <class Engine>
  Real operator()(Engine& engine) const {
    if (rejection_) {
      for (;;) {
        const Real z = standard_normal<Real>(engine);
        if (z >= a_ && z <= b_) return within_bounds(z);
      }
    }
    return from_uniform(uniform01<Real>(engine));
  }
  /// Inverse CDF.
  Real quantile(Real p) const {
    detail::require_probability("truncated normal", p);
    if (p == 0) return lower_;
    if (p == 1) return upper_;
    return from_uniform(p);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    if (x <= lower_) return Real(0);
    if (x >= upper_) return Real(1);
    const Real z = (x - mu_) / sigma_;
    if (!mirrored_) return (phi(z) - phi_lo_) / mass_;
    return 1 - (phi(-z) - phi_lo_) / mass_;
  }
  /// mu + sigma·(φ(a) − φ(b))/Z.
  Real mean() const { return mu_ + sigma_ * (density(a_) - density(b_)) / mass_; }
  /// sigma²·[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²].
  Real variance() const {
    const Real d = (density(a_) - density(b_)) / mass_;
    return sigma_ * sigma_ * (1 + (x_density(a_) - x_density(b_)) / mass_ - d * d);
  }

private:
  static Real phi(Real z) { return std::erfc(-z / std::numbers::sqrt2_v<Real>) / 2; }
  static Real density(Real z) {
    if (std::isinf(z)) return Real(0);
    return std::exp(-z * z / 2) * std::numbers::inv_sqrtpi_v<Real> / std::numbers::sqrt2_v<Real>;
  }
  static Real x_density(Real z) { return std::isinf(z) ? Real(0) : z * density(z); }
  // mu + sigma·z for z in [a, b], which rounding can put just outside
  // [lower, upper] (mu + sigma·(0 − mu)/sigma is −5.6e-17 for mu = 0.47,
  // sigma = 3.03): clamped to them.
  Real within_bounds(Real z) const { return std::clamp(mu_ + sigma_ * z, lower_, upper_); }
  Real from_uniform(Real u) const {
    // Standard-normal quantile of P = Φ(lo) + u·Z on the precise side.
    // When mirrored, X = mu − sigma·Z' with Z' on (−b, −a): P(X <= x) rises
    // as Z' falls, so Z' takes the complementary probability.
    const Real p = phi_lo_ + (mirrored_ ? 1 - u : u) * mass_;
    Real z = detail::normal_quantile(p, detail::boost_policy());
    if (mirrored_) z = -z;
    z = std::clamp(z, a_, b_);
    return within_bounds(z);
  }
  Real mu_, sigma_, lower_, upper_, a_, b_, phi_lo_, mass_;
  bool mirrored_, rejection_;
};

} // namespace continuity

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic pop
#endif
