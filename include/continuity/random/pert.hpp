// continuity/random/pert.hpp — the (modified) PERT distribution for
// three-point estimates.
#pragma once

#include <continuity/random/beta.hpp>
#include <continuity/random/detail/check.hpp>

#include <string_view>

namespace continuity {

/// The PERT distribution: minimum + (maximum − minimum)·B with
/// B ~ Beta(1 + λ(mode − min)/(max − min), 1 + λ(max − mode)/(max − min));
/// λ = 4 is the classic PERT, other λ the "modified PERT" of Vose.
template <class Real = double>
class pert {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "pert";

  /// The largest weight of the mode: the beta's shapes, 1 to 1 + λ, stay
  /// within beta<Real>::max_shape.
  static constexpr Real max_lambda = beta<Real>::max_shape - 1;

  /// minimum <= mode <= maximum, minimum < maximum, all finite; 0 < lambda <= max_lambda.
  pert(Real minimum, Real mode, Real maximum, Real lambda = Real(4))
      : minimum_(minimum), mode_(mode), maximum_(maximum), lambda_(lambda) {
    detail::require_finite("pert", "minimum", minimum);
    detail::require_finite("pert", "mode", mode);
    detail::require_finite("pert", "maximum", maximum);
    detail::require_positive("pert", "lambda", lambda);
    detail::require_at_most("pert", "lambda", lambda, max_lambda,
                            "the shapes of the beta distribution behind it stay within its limits");
    if (!(minimum < maximum))
      detail::bad_parameter("pert", "maximum", "must be greater than minimum", maximum);
    if (!(minimum <= mode && mode <= maximum))
      detail::bad_parameter("pert", "mode", "must lie in [minimum, maximum]", mode);
    const Real width = maximum - minimum;
    alpha_ = 1 + lambda * (mode - minimum) / width;
    beta_ = 1 + lambda * (maximum - mode) / width;
  }
  /// Smallest value.
  Real minimum() const noexcept { return minimum_; }
  /// Most likely value.
  Real mode() const noexcept { return mode_; }
  /// Largest value.
  Real maximum() const noexcept { return maximum_; }
  /// Weight λ of the mode.
  Real lambda() const noexcept { return lambda_; }

  /// One variate.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return minimum_ + (maximum_ - minimum_) * detail::beta_variate(engine, alpha_, beta_);
  }
  /// Inverse CDF.
  Real quantile(Real p) const {
    detail::require_probability("pert", p);
    if (p == 0) return minimum_;
    if (p == 1) return maximum_;
    return minimum_ + (maximum_ - minimum_) * detail::beta_quantile(alpha_, beta_, p);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    if (x <= minimum_) return Real(0);
    if (x >= maximum_) return Real(1);
    return detail::beta_cdf(alpha_, beta_, (x - minimum_) / (maximum_ - minimum_));
  }
  /// (minimum + λ·mode + maximum)/(λ + 2).
  Real mean() const noexcept { return (minimum_ + lambda_ * mode_ + maximum_) / (lambda_ + 2); }
  /// (max − min)²·αβ/((α + β)²(α + β + 1)).
  Real variance() const noexcept {
    const Real s = alpha_ + beta_, w = maximum_ - minimum_;
    return w * w * alpha_ * beta_ / (s * s * (s + 1));
  }

private:
  Real minimum_, mode_, maximum_, lambda_, alpha_, beta_;
};

} // namespace continuity
