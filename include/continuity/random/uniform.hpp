// continuity/random/uniform.hpp — the continuous uniform distribution.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/rng.hpp>

#include <string_view>

namespace continuity {

/// The continuous uniform distribution on [lower, upper].
template <class Real = double>
class uniform {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "uniform";

  /// lower < upper, both finite.
  uniform(Real lower, Real upper) : lower_(lower), upper_(upper) {
    detail::require_finite("uniform", "lower", lower);
    detail::require_finite("uniform", "upper", upper);
    if (!(lower < upper))
      detail::bad_parameter("uniform", "upper", "must be greater than lower", upper);
  }
  /// Lower bound.
  Real lower() const noexcept { return lower_; }
  /// Upper bound.
  Real upper() const noexcept { return upper_; }

  /// One variate.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return lower_ + (upper_ - lower_) * uniform01<Real>(engine);
  }
  /// lower + p·(upper − lower).
  Real quantile(Real p) const {
    detail::require_probability("uniform", p);
    return lower_ + (upper_ - lower_) * p;
  }
  /// P(X <= x).
  Real cdf(Real x) const noexcept {
    if (x <= lower_) return Real(0);
    if (x >= upper_) return Real(1);
    return (x - lower_) / (upper_ - lower_);
  }
  /// (lower + upper)/2.
  Real mean() const noexcept { return (lower_ + upper_) / 2; }
  /// (upper − lower)²/12.
  Real variance() const noexcept { return (upper_ - lower_) * (upper_ - lower_) / 12; }

private:
  Real lower_, upper_;
};

} // namespace continuity
