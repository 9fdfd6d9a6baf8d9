// continuity/random/fixed.hpp — the degenerate distribution: a fixed amount.
#pragma once

#include <continuity/random/detail/check.hpp>

#include <string_view>

namespace continuity {

/// A degenerate distribution: always `value`. Lets a field hold "a fixed
/// amount or a distribution" with one type.
template <class Real = double>
class fixed_value {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "fixed";

  /// Always `value` (must be finite).
  explicit fixed_value(Real value) : value_(value) {
    detail::require_finite("fixed", "value", value);
  }

  /// The fixed amount.
  Real value() const noexcept { return value_; }

  /// Returns the value; draws nothing from the engine.
  template <class Engine>
  Real operator()(Engine&) const noexcept {
    return value_;
  }
  /// The value, for every p in [0, 1].
  Real quantile(Real p) const {
    detail::require_probability("fixed", p);
    return value_;
  }
  /// 0 below the value, 1 from it on.
  Real cdf(Real x) const noexcept { return x < value_ ? Real(0) : Real(1); }
  /// The value.
  Real mean() const noexcept { return value_; }
  /// Zero.
  Real variance() const noexcept { return Real(0); }

private:
  Real value_;
};

} // namespace continuity
