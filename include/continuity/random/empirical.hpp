// continuity/random/empirical.hpp — resampling observed data.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/rng.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <numeric>
#include <span>
#include <string_view>
#include <vector>

namespace continuity {

/// How an empirical distribution treats values between the observations.
enum class empirical_kind {
  /// Resample the observations themselves (the empirical CDF is a step
  /// function; quantile(p) = smallest observation x with F_n(x) >= p).
  resample,
  /// Interpolate linearly between the sorted observations: quantile(p) is at
  /// position p·(n − 1) of the sorted data (Hyndman–Fan type 7); samples are
  /// quantile(U), continuous on [min, max].
  interpolated,
};

/// The empirical distribution of observed data (e.g. past incident losses).
/// The data are shared, immutable, between copies.
template <class Real = double>
class empirical {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "empirical";

  /// At least one observation (two when interpolated), all finite.
  explicit empirical(std::span<const Real> observations,
                     empirical_kind kind = empirical_kind::resample)
      : kind_(kind) {
    if (observations.empty())
      throw value_error("empirical", "", "data", "needs at least one observation");
    if (kind == empirical_kind::interpolated && observations.size() < 2)
      throw value_error("empirical", "", "data", "interpolation needs at least two observations");
    for (std::size_t i = 0; i < observations.size(); ++i)
      if (!std::isfinite(observations[i]))
        throw value_error("empirical", "", "data[" + std::to_string(i) + "]",
                          "must be finite, got " + detail::format_number(observations[i]));
    auto sorted = std::make_shared<std::vector<Real>>(observations.begin(), observations.end());
    std::sort(sorted->begin(), sorted->end());
    sorted_ = std::move(sorted);
  }
  /// Convenience overload for a vector or initializer list.
  explicit empirical(const std::vector<Real>& observations,
                     empirical_kind kind = empirical_kind::resample)
      : empirical(std::span<const Real>(observations), kind) {}

  /// The observations in ascending order.
  std::span<const Real> sorted_data() const noexcept { return *sorted_; }
  /// Resampling or interpolation.
  empirical_kind kind() const noexcept { return kind_; }

  /// One variate.
  template <class Engine>
  Real operator()(Engine& engine) const {
    const Real u = uniform01<Real>(engine);
    if (kind_ == empirical_kind::interpolated) return interpolate(u);
    const auto& d = *sorted_;
    auto i = static_cast<std::size_t>(u * static_cast<Real>(d.size()));
    return d[std::min(i, d.size() - 1)];
  }
  /// Inverse CDF in the convention of kind().
  Real quantile(Real p) const {
    detail::require_probability("empirical", p);
    const auto& d = *sorted_;
    if (kind_ == empirical_kind::interpolated) return interpolate(p);
    // smallest x_(k) with k/n >= p, k >= 1
    const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<Real>(d.size())));
    return d[k == 0 ? 0 : std::min(k, d.size()) - 1];
  }
  /// P(X <= x) (the step ECDF, or the piecewise-linear CDF when interpolated).
  Real cdf(Real x) const {
    const auto& d = *sorted_;
    const Real n = static_cast<Real>(d.size());
    if (kind_ == empirical_kind::resample)
      return static_cast<Real>(std::upper_bound(d.begin(), d.end(), x) - d.begin()) / n;
    if (x < d.front()) return Real(0);
    if (x >= d.back()) return Real(1);
    const auto upper = std::upper_bound(d.begin(), d.end(), x); // d[j-1] <= x < d[j]
    const auto j = static_cast<std::size_t>(upper - d.begin());
    const Real lo = d[j - 1], hi = d[j];
    return (static_cast<Real>(j - 1) + (x - lo) / (hi - lo)) / (n - 1);
  }
  /// Mean of the distribution (the sample mean when resampling).
  Real mean() const {
    const auto& d = *sorted_;
    const Real sum = std::accumulate(d.begin(), d.end(), Real(0));
    if (kind_ == empirical_kind::resample) return sum / static_cast<Real>(d.size());
    return (sum - (d.front() + d.back()) / 2) / static_cast<Real>(d.size() - 1);
  }
  /// Variance of the distribution (divisor n when resampling).
  Real variance() const {
    const auto& d = *sorted_;
    const Real m = mean();
    Real s = 0;
    if (kind_ == empirical_kind::resample) {
      for (Real x : d) s += (x - m) * (x - m);
      return s / static_cast<Real>(d.size());
    }
    // E[(X − m)²] for X uniform on each segment [x_i, x_{i+1}] of weight 1/(n − 1).
    for (std::size_t i = 0; i + 1 < d.size(); ++i) {
      const Real a = d[i] - m, b = d[i + 1] - m;
      s += (a * a + a * b + b * b) / 3;
    }
    return s / static_cast<Real>(d.size() - 1);
  }
  /// True when every observation is a non-negative integer (a count) and the
  /// data are resampled.
  bool is_count() const {
    if (kind_ != empirical_kind::resample) return false;
    return std::all_of(sorted_->begin(), sorted_->end(),
                       [](Real x) { return x >= 0 && std::floor(x) == x; });
  }

private:
  Real interpolate(Real p) const {
    const auto& d = *sorted_;
    const Real h = p * static_cast<Real>(d.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(h), d.size() - 2);
    return d[i] + (h - static_cast<Real>(i)) * (d[i + 1] - d[i]);
  }
  std::shared_ptr<const std::vector<Real>> sorted_;
  empirical_kind kind_;
};

} // namespace continuity
