// continuity/random/distribution.hpp — one value type for "a fixed amount or
// a distribution", over every family of continuity/random.
#pragma once

#include <continuity/random/beta.hpp>
#include <continuity/random/empirical.hpp>
#include <continuity/random/histogram.hpp>
#include <continuity/random/fixed.hpp>
#include <continuity/random/gamma.hpp>
#include <continuity/random/lognormal.hpp>
#include <continuity/random/negative_binomial.hpp>
#include <continuity/random/pert.hpp>
#include <continuity/random/poisson.hpp>
#include <continuity/random/triangular.hpp>
#include <continuity/random/truncated_normal.hpp>
#include <continuity/random/uniform.hpp>

#include <cmath>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

namespace continuity {

/// A probability distribution of any family, or a fixed amount, as a value.
/// Parameters were validated when the family object was built, so sampling
/// never throws. Cheap to copy (empirical data are shared).
template <class Real = double>
class distribution {
public:
  /// The closed set of families.
  using variant_type =
      std::variant<fixed_value<Real>, lognormal<Real>, pert<Real>, triangular<Real>, uniform<Real>,
                   truncated_normal<Real>, gamma<Real>, beta<Real>, poisson<Real>,
                   negative_binomial<Real>, empirical<Real>, histogram<Real>>;

  /// The fixed amount 0.
  distribution() : family_(fixed_value<Real>(Real(0))) {}
  /// A fixed amount (must be finite).
  distribution(Real amount) : family_(fixed_value<Real>(amount)) {}
  /// Any family.
  template <class Family>
  requires std::is_constructible_v<variant_type, Family> &&
      (!std::is_arithmetic_v<std::remove_cvref_t<Family>>)&&(
          !std::is_same_v<std::remove_cvref_t<Family>, distribution>)distribution(Family&& family)
      : family_(std::forward<Family>(family)) {}

  /// One variate.
  template <class Engine>
  Real sample(Engine& engine) const {
    return std::visit([&engine](const auto& f) -> Real { return f(engine); }, family_);
  }
  /// One variate (same as sample()).
  template <class Engine>
  Real operator()(Engine& engine) const {
    return sample(engine);
  }
  /// One count, for a count distribution (see is_count()); for any other
  /// family the variate rounded down, negative values giving 0.
  template <class Engine>
  std::uint64_t sample_count(Engine& engine) const {
    return std::visit(
        [&engine](const auto& f) -> std::uint64_t {
          using F = std::remove_cvref_t<decltype(f)>;
          if constexpr (std::is_same_v<F, poisson<Real>> ||
                        std::is_same_v<F, negative_binomial<Real>>) {
            return f.count(engine);
          } else {
            // Counts saturate at 2^64 - 1 (a cast of a larger value is undefined).
            const Real x = f(engine);
            if (!(x > 0)) return 0;
            if (x >= Real(18446744073709551616.0)) return ~std::uint64_t{0};
            return static_cast<std::uint64_t>(x);
          }
        },
        family_);
  }
  /// Inverse CDF at p in [0, 1] (throws value_error otherwise); for the
  /// discrete families the smallest k with P(N <= k) >= p. Used with
  /// correlated uniforms from a Gaussian copula.
  Real quantile(Real p) const {
    return std::visit([p](const auto& f) -> Real { return f.quantile(p); }, family_);
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    return std::visit([x](const auto& f) -> Real { return f.cdf(x); }, family_);
  }
  /// The expected value.
  Real mean() const {
    return std::visit([](const auto& f) -> Real { return f.mean(); }, family_);
  }
  /// The variance.
  Real variance() const {
    return std::visit([](const auto& f) -> Real { return f.variance(); }, family_);
  }
  /// Family name for messages: "fixed", "lognormal", "pert", ...
  std::string_view name() const {
    return std::visit([](const auto& f) -> std::string_view { return f.name; }, family_);
  }
  /// True for a fixed amount.
  bool is_fixed() const noexcept { return std::holds_alternative<fixed_value<Real>>(family_); }
  /// True when every variate is a non-negative integer: poisson, negative
  /// binomial, a fixed non-negative integer, or resampled integer data.
  bool is_count() const {
    return std::visit(
        [](const auto& f) -> bool {
          using F = std::remove_cvref_t<decltype(f)>;
          if constexpr (std::is_same_v<F, poisson<Real>> ||
                        std::is_same_v<F, negative_binomial<Real>>)
            return true;
          else if constexpr (std::is_same_v<F, fixed_value<Real>>)
            return f.value() >= 0 && std::floor(f.value()) == f.value();
          else if constexpr (std::is_same_v<F, empirical<Real>>)
            return f.is_count();
          else
            return false;
        },
        family_);
  }
  /// True when the family is `Family`.
  template <class Family>
  bool holds() const noexcept {
    return std::holds_alternative<Family>(family_);
  }
  /// The family object (throws std::bad_variant_access if it is not `Family`).
  template <class Family>
  const Family& get() const {
    return std::get<Family>(family_);
  }
  /// The underlying variant, for std::visit.
  const variant_type& family() const noexcept { return family_; }

private:
  variant_type family_;
};

} // namespace continuity
