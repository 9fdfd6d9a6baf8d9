// continuity/loss/statistics.hpp — statistics of simulated annual losses:
// mean, spread, percentiles, value at risk, tail value at risk, the loss
// exceedance curve and the annualised loss expectancy.
//
// Conventions (n trials, losses sorted ascending x_(1) <= ... <= x_(n)):
//  * quantile(p) = VaR_p = the inverse empirical CDF, x_(k) with k = max(1, ⌈n·p⌉):
//    the smallest simulated loss L with P_n(loss <= L) >= p (Hyndman–Fan type 1);
//  * TVaR_p = the expected loss in the worst (1 − p) of the trials (Acerbi–Tasche
//    expected shortfall): (Σ_{i>k} x_(i) + (k − n·p)·x_(k)) / (n·(1 − p)). For a
//    continuous loss this is E[L | L >= VaR_p]; it is coherent, and TVaR_p >= VaR_p;
//  * exceedance probability of x = P_n(L > x), the fraction of trials losing
//    strictly more than x.
// Every figure is computed from the sorted losses in a fixed order, so the
// statistics of merged shards are bit-identical to those of one run.
#pragma once

#include <continuity/error.hpp>
#include <continuity/loss/detail/order_statistics.hpp>
#include <continuity/random/detail/check.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace continuity {

/// One point of a loss exceedance curve.
template <class Real = double>
struct exceedance_point {
  /// A loss amount.
  Real loss;
  /// Fraction of trials whose loss exceeds `loss`: P(L > loss).
  Real probability;
};

/// The levels usually reported: P50, P75, P90, P95, P99, P99.5, P99.9.
inline constexpr double standard_levels[] = {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999};

/// Statistics of per-trial (annual) losses. Holds the sorted losses.
template <class Real = double>
class loss_statistics {
public:
  /// From per-trial losses (at least one, all finite; any order).
  explicit loss_statistics(std::span<const Real> losses) : sorted_(losses.begin(), losses.end()) {
    if (sorted_.empty())
      throw value_error("loss statistics", "", "losses", "needs at least one trial");
    for (std::size_t i = 0; i < sorted_.size(); ++i)
      if (!std::isfinite(sorted_[i]))
        throw value_error("loss statistics", "", "losses[" + std::to_string(i) + "]",
                          "must be finite, got " + detail::format_number(sorted_[i]));
    std::sort(sorted_.begin(), sorted_.end());
    compute_moments();
  }
  /// From an Eigen array of per-trial losses (e.g. simulation_result::annual_loss).
  explicit loss_statistics(const Eigen::Array<Real, Eigen::Dynamic, 1>& losses)
      : loss_statistics(
            std::span<const Real>(losses.data(), static_cast<std::size_t>(losses.size()))) {}

  /// The statistics of the union of both shards' trials; bit-identical to
  /// the statistics of one run over all of them (the sorted losses are merged).
  static loss_statistics merge(const loss_statistics& a, const loss_statistics& b) {
    loss_statistics m;
    m.sorted_.resize(a.sorted_.size() + b.sorted_.size());
    std::merge(a.sorted_.begin(), a.sorted_.end(), b.sorted_.begin(), b.sorted_.end(),
               m.sorted_.begin());
    m.compute_moments();
    return m;
  }

  /// Number of trials.
  std::size_t trials() const noexcept { return sorted_.size(); }
  /// The losses in ascending order.
  std::span<const Real> sorted_losses() const noexcept { return sorted_; }
  /// Mean loss per trial.
  Real mean() const noexcept { return mean_; }
  /// Sample standard deviation (divisor n − 1; 0 for one trial).
  Real standard_deviation() const noexcept { return standard_deviation_; }
  /// Standard error of the mean: standard_deviation / sqrt(n).
  Real standard_error() const noexcept {
    return standard_deviation_ / std::sqrt(static_cast<Real>(sorted_.size()));
  }
  /// Smallest loss.
  Real minimum() const noexcept { return sorted_.front(); }
  /// Largest loss.
  Real maximum() const noexcept { return sorted_.back(); }

  /// Annualised loss expectancy: mean loss per year, when each trial covers
  /// `years_per_trial` years (1: each trial is one year).
  Real annualised_loss_expectancy(Real years_per_trial = Real(1)) const {
    detail::require_positive("loss statistics", "years_per_trial", years_per_trial);
    return mean_ / years_per_trial;
  }

  /// The p-quantile (p in [0, 1]) in the inverse-empirical-CDF convention:
  /// the smallest simulated loss L with P_n(loss <= L) >= p. quantile(0.99) is P99.
  Real quantile(Real p) const {
    check_level(p);
    return sorted_[index_of(p) - 1];
  }
  /// Quantiles at several levels.
  std::vector<Real> quantiles(std::span<const double> levels) const {
    std::vector<Real> out;
    out.reserve(levels.size());
    for (double p : levels) out.push_back(quantile(static_cast<Real>(p)));
    return out;
  }
  /// Value at risk at confidence `level` in [0, 1]: the level-quantile of the loss.
  Real value_at_risk(Real level) const { return quantile(level); }
  /// Tail value at risk at `level` in [0, 1]: the mean loss in the worst
  /// (1 − level) of the trials (Acerbi–Tasche; see the header comment).
  /// TVaR(0) is the mean; TVaR(1) the maximum.
  Real tail_value_at_risk(Real level) const {
    check_level(level);
    const Real tail = static_cast<Real>(sorted_.size()) * (1 - level);
    if (!(tail > 0)) return sorted_.back();
    return detail::tail_mean_of_largest<Real>(sorted_, sorted_.size(), level);
  }

  /// P_n(L > x): the fraction of trials losing strictly more than x.
  Real exceedance_probability(Real x) const {
    const auto above = sorted_.end() - std::upper_bound(sorted_.begin(), sorted_.end(), x);
    return static_cast<Real>(above) / static_cast<Real>(sorted_.size());
  }
  /// The loss exceedance curve at the given loss amounts.
  std::vector<exceedance_point<Real>> exceedance_curve(std::span<const Real> losses) const {
    std::vector<exceedance_point<Real>> curve;
    curve.reserve(losses.size());
    for (Real x : losses) curve.push_back({x, exceedance_probability(x)});
    return curve;
  }
  /// The loss exceedance curve at about `points` (>= 2) simulated losses,
  /// spread evenly on a log scale of exceedance probability from 1 down to
  /// 1/n (so the tail is well resolved); duplicates are dropped, losses ascend.
  std::vector<exceedance_point<Real>> exceedance_curve(std::size_t points = 100) const {
    if (points < 2)
      throw value_error("loss statistics", "", "points",
                        "must be at least 2, got " + std::to_string(points));
    const Real n = static_cast<Real>(sorted_.size());
    std::vector<exceedance_point<Real>> curve;
    curve.reserve(points);
    for (std::size_t j = 0; j < points; ++j) {
      const Real target =
          std::pow(n, -static_cast<Real>(j) / static_cast<Real>(points - 1)); // 1 … 1/n
      const Real x = quantile(std::clamp(1 - target, Real(0), Real(1)));
      if (!curve.empty() && curve.back().loss == x) continue;
      curve.push_back({x, exceedance_probability(x)});
    }
    return curve;
  }

private:
  loss_statistics() = default;
  static void check_level(Real p) {
    if (!(p >= 0 && p <= 1))
      detail::bad_parameter("loss statistics", "level", "must be in [0, 1]", p);
  }
  std::size_t index_of(Real p) const {
    return static_cast<std::size_t>(detail::quantile_rank<Real>(sorted_.size(), p));
  }
  void compute_moments() {
    Real sum = 0, compensation = 0;
    for (Real x : sorted_) detail::neumaier_add(sum, compensation, x);
    const Real n = static_cast<Real>(sorted_.size());
    mean_ = (sum + compensation) / n;
    Real squares = 0, c2 = 0;
    for (Real x : sorted_) detail::neumaier_add(squares, c2, (x - mean_) * (x - mean_));
    standard_deviation_ = sorted_.size() > 1 ? std::sqrt((squares + c2) / (n - 1)) : Real(0);
  }

  std::vector<Real> sorted_;
  Real mean_ = 0, standard_deviation_ = 0;
};

/// The mean of paired differences and its standard error.
template <class Real = double>
struct paired_difference {
  Real mean = 0;           ///< mean over trials of a[t] − b[t]
  Real standard_error = 0; ///< standard error of that mean (0 for fewer than 2 trials)
};

/// The mean of a[t] − b[t] over the trials of two runs with the same seed
/// (common random numbers) and its standard error, from the paired
/// differences (Welford's update, in trial order). Throws value_error if the
/// runs hold different numbers of trials.
template <class Real, class ArrayA, class ArrayB>
paired_difference<Real> paired_mean_difference(const ArrayA& a, const ArrayB& b) {
  if (a.size() != b.size())
    throw value_error("paired difference", "", "trials",
                      "the two runs hold " + std::to_string(a.size()) + " and " +
                          std::to_string(b.size()) + " trials");
  Real mean = 0, m2 = 0;
  const auto n = a.size();
  for (decltype(a.size()) t = 0; t < n; ++t) {
    const Real d = static_cast<Real>(a[t]) - static_cast<Real>(b[t]);
    const Real delta = d - mean;
    mean += delta / static_cast<Real>(t + 1);
    m2 += delta * (d - mean);
  }
  const Real se = n > 1 ? std::sqrt(m2 / static_cast<Real>(n - 1) / static_cast<Real>(n)) : Real(0);
  return {mean, se};
}

} // namespace continuity
