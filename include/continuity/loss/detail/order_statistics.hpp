// continuity/loss/detail/order_statistics.hpp — the order-statistic
// conventions shared by loss_statistics (every trial held) and loss_summary
// (the largest trials held): the rank of a quantile and the Acerbi–Tasche
// tail mean, computed in one fixed order so that both give the same bits.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace continuity::detail {

/// Neumaier's compensated summation: adds x to sum, keeping the rounding
/// error in compensation (the sum is sum + compensation).
template <class Real>
void neumaier_add(Real& sum, Real& compensation, Real x) noexcept {
  const Real t = sum + x;
  if (std::abs(sum) >= std::abs(x))
    compensation += (sum - t) + x;
  else
    compensation += (x - t) + sum;
  sum = t;
}

/// The 1-based rank k = max(1, ⌈n·p⌉) of the p-quantile of n >= 1 sorted
/// values (inverse empirical CDF), with n·p rounded to absorb
/// representation error (0.99·100 is 99.00000000000001 in binary).
template <class Real>
std::uint64_t quantile_rank(std::uint64_t n, Real p) noexcept {
  const Real np = static_cast<Real>(n) * p;
  const Real nearest = std::round(np);
  const Real position =
      std::abs(np - nearest) <= Real(1e-9) * std::max(Real(1), np) ? nearest : std::ceil(np);
  const auto k = static_cast<std::uint64_t>(position);
  return std::clamp<std::uint64_t>(k, 1, n);
}

/// TVaR at `level` of n values of which `largest` holds the largest ones in
/// ascending order: (Σ_{i>k} x_(i) + (k − n·level)·x_(k)) / (n·(1 − level)),
/// k = quantile_rank(n, level). Needs n·(1 − level) > 0 and n − k <
/// largest.size() (the k-th value among those held).
template <class Real>
Real tail_mean_of_largest(std::span<const Real> largest, std::uint64_t n, Real level) noexcept {
  const Real nr = static_cast<Real>(n);
  const Real tail = nr * (1 - level);
  const std::uint64_t k = quantile_rank(n, level);
  // x_(i) is the (n − i)-th from the top: largest[m − 1 − (n − i)].
  const auto at = [&](std::uint64_t i) {
    return largest[largest.size() - 1 - static_cast<std::size_t>(n - i)];
  };
  Real sum = 0, compensation = 0;
  for (std::uint64_t i = n; i > k; --i) neumaier_add(sum, compensation, at(i));
  neumaier_add(sum, compensation, (static_cast<Real>(k) - nr * level) * at(k));
  return (sum + compensation) / tail;
}

} // namespace continuity::detail
