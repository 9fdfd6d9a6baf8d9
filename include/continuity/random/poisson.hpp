// continuity/random/poisson.hpp — the Poisson distribution of event counts.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/detail/inversion.hpp>
#include <continuity/random/rng.hpp>

#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace continuity {
namespace detail {

/// Below this mean Poisson variates come by sequential inversion, above it
/// by transformed rejection.
inline constexpr double poisson_inversion_limit = 10.0;

/// Poisson(mean) by sequential inversion of the CDF given exp(−mean); for
/// mean < poisson_inversion_limit (about mean + 1 multiplications).
template <class Real, class Engine>
std::uint64_t poisson_by_inversion(Engine& engine, Real mean, Real exp_minus_mean) {
  const Real u = uniform01<Real>(engine);
  std::uint64_t k = 0;
  Real p = exp_minus_mean, cumulative = p;
  while (u > cumulative) {
    ++k;
    p *= mean / static_cast<Real>(k);
    if (p == 0) break; // rounding left u above the representable CDF
    cumulative += p;
  }
  return k;
}

/// Poisson(mean) by W. Hörmann's PTRS, "The transformed rejection method for
/// generating Poisson random variables" (1993); for mean >= 10.
template <class Real, class Engine>
std::uint64_t poisson_by_rejection(Engine& engine, Real mean) {
  const Real slam = std::sqrt(mean), loglam = std::log(mean);
  const Real b = Real(0.931) + Real(2.53) * slam;
  const Real a = Real(-0.059) + Real(0.02483) * b;
  const Real inv_alpha = Real(1.1239) + Real(1.1328) / (b - Real(3.4));
  const Real vr = Real(0.9277) - Real(3.6224) / (b - 2);
  for (;;) {
    const Real u = uniform01<Real>(engine) - Real(0.5);
    const Real v = uniform01<Real>(engine);
    const Real us = Real(0.5) - std::fabs(u);
    const Real k = std::floor((2 * a / us + b) * u + mean + Real(0.43));
    // Counts saturate at 2^64 - 1 (rates that large are beyond any model's bounds).
    if (k >= Real(18446744073709551616.0)) return ~std::uint64_t{0};
    if (us >= Real(0.07) && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0 || (us < Real(0.013) && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1))
      return static_cast<std::uint64_t>(k);
  }
}

/// Poisson(mean) for any mean >= 0 (setup per call: for a varying mean).
template <class Real, class Engine>
std::uint64_t poisson_variate(Engine& engine, Real mean) {
  if (!(mean > 0)) return 0;
  if (mean < Real(poisson_inversion_limit))
    return poisson_by_inversion(engine, mean, std::exp(-mean));
  return poisson_by_rejection(engine, mean);
}

} // namespace detail

/// The Poisson distribution with mean λ >= 0: the number of events in a year
/// when they occur independently at rate λ.
template <class Real = double>
class poisson {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "poisson";

  /// The largest mean accepted: from about 3·10^10 Boost.Math's incomplete
  /// gamma function, behind the CDF and the quantiles, gives up (its series
  /// exceeds its iteration limit). A Poisson count with a mean of 10^10
  /// varies by 0.001 % of it (sd = √λ): a fixed count says the same.
  static constexpr Real max_mean = Real(1e10);

  /// mean λ in [0, max_mean] (λ = 0: never any event).
  explicit poisson(Real mean) : mean_(mean) {
    detail::require_non_negative("poisson", "mean", mean);
    detail::require_at_most("poisson", "mean", mean, max_mean,
                            "its quantiles and CDF are computed up to there; a larger count is "
                            "nearly fixed");
    // P(N <= k) for k < table_size, summed exactly as the sequential
    // inversion would, so that the table only saves time.
    Real p = std::exp(-mean), cumulative = p;
    cumulative_[0] = cumulative;
    for (std::size_t k = 1; k < table_size; ++k) {
      p *= mean / static_cast<Real>(k);
      cumulative += p;
      cumulative_[k] = cumulative;
    }
    last_probability_ = p;
  }
  /// The mean (rate) λ.
  Real rate() const noexcept { return mean_; }
  /// P(N <= k) for k = 0, 1, …, 15, summed term by term exactly as the
  /// sequential inversion sums them: the table count() searches when λ < 10
  /// (vectorised samplers search it too, and so draw the same counts).
  const std::array<Real, 16>& inversion_table() const noexcept { return cumulative_; }

  /// One count (inversion from a CDF table for λ < 10, PTRS rejection otherwise).
  template <class Engine>
  std::uint64_t count(Engine& engine) const {
    if (mean_ >= Real(detail::poisson_inversion_limit))
      return detail::poisson_by_rejection(engine, mean_);
    // Inversion: a search of the CDF table, then sequentially beyond it.
    const Real u = uniform01<Real>(engine);
    // The first k with u <= P(N <= k): counted without branches over the
    // first entries of the table (a search branch per entry would be
    // mispredicted for most draws), then sequentially.
    std::uint64_t k = 0;
    for (std::size_t i = 0; i < branchless_entries; ++i) k += u > cumulative_[i] ? 1u : 0u;
    if (k < branchless_entries) return k;
    for (; k < table_size; ++k)
      if (!(u > cumulative_[k])) return k;
    k = table_size - 1;
    Real p = last_probability_, cumulative = cumulative_[table_size - 1];
    while (u > cumulative) {
      ++k;
      p *= mean_ / static_cast<Real>(k);
      if (p == 0) break; // rounding left u above the representable CDF
      cumulative += p;
    }
    return k;
  }
  /// One count as a Real.
  template <class Engine>
  Real operator()(Engine& engine) const {
    return static_cast<Real>(count(engine));
  }
  /// Smallest k with P(N <= k) >= p; quantile(1) = +inf (0 when λ = 0). A
  /// search of the CDF from the Cornish–Fisher approximation
  /// λ + √λ·z + (z² − 1)/6 (detail::smallest_count_at_least).
  Real quantile(Real p) const {
    detail::require_probability("poisson", p);
    if (mean_ == 0 || p == 0) return Real(0);
    if (p == 1) return std::numeric_limits<Real>::infinity();
    const Real z = detail::normal_quantile(p, detail::boost_policy());
    const Real sd = std::sqrt(mean_);
    return detail::smallest_count_at_least([this](Real k) { return cdf(k); }, p,
                                           mean_ + sd * z + (z * z - 1) / 6, sd / 4);
  }
  /// P(N <= x).
  Real cdf(Real x) const {
    if (!(x >= 0)) return Real(0);
    if (mean_ == 0 || std::isinf(x)) return Real(1);
    return boost::math::cdf(boost_type(), std::floor(x));
  }
  /// λ.
  Real mean() const noexcept { return mean_; }
  /// λ.
  Real variance() const noexcept { return mean_; }

private:
  boost::math::poisson_distribution<Real, detail::boost_policy> boost_type() const {
    return boost::math::poisson_distribution<Real, detail::boost_policy>(mean_);
  }
  static constexpr std::size_t table_size = 16;
  static constexpr std::size_t branchless_entries = 8;
  Real mean_;
  std::array<Real, table_size> cumulative_{};
  Real last_probability_ = 0;
};

} // namespace continuity
