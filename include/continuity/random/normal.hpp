// continuity/random/normal.hpp — the fast standard normal sampler used by
// every family that needs normal variates (lognormal, truncated normal,
// gamma, the Gaussian copula).
#pragma once

#include <continuity/random/detail/ziggurat.hpp>
#include <continuity/random/rng.hpp>

#include <cmath>
#include <cstdint>

namespace continuity {

namespace detail {

// The ziggurat beyond its fast path: `bits` (the draw that chose `layer`)
// fell outside the layer's inner rectangle. Same draws as one loop would make.
template <class Real, class Engine>
Real ziggurat_rejection(Engine& engine, std::uint64_t bits) {
  const auto& z = ziggurat_tables::get();
  for (;;) {
    const auto layer = static_cast<std::size_t>(bits & ziggurat_tables::layer_mask);
    const double u = signed_unit_interval(bits);
    if (std::fabs(u) < z.ratio[layer]) return static_cast<Real>(u * z.x[layer]);
    if (layer == 0) { // the tail beyond R (Marsaglia 1964)
      const double r = ziggurat_tables::tail_start;
      double x, y;
      do {
        x = std::log(uniform01<double>(engine)) / r;
        y = std::log(uniform01<double>(engine));
      } while (-2.0 * y < x * x);
      return static_cast<Real>(u < 0 ? x - r : r - x);
    }
    const double x = u * z.x[layer];
    const double f0 = std::exp(-0.5 * (z.x[layer] * z.x[layer] - x * x));
    const double f1 = std::exp(-0.5 * (z.x[layer + 1] * z.x[layer + 1] - x * x));
    if (f1 + uniform01<double>(engine) * (f0 - f1) < 1.0) return static_cast<Real>(x);
    bits = engine();
  }
}

} // namespace detail

/// A standard normal variate N(0, 1) by the ziggurat method (about one
/// 64-bit draw per variate; the exact normal law, no approximation). The
/// fast path (98.5 % of draws) is inline; the rest is out of line.
template <class Real = double, class Engine>
inline Real standard_normal(Engine& engine) {
  const auto& z = detail::ziggurat_tables::get();
  const std::uint64_t bits = engine();
  const auto layer = static_cast<std::size_t>(bits & detail::ziggurat_tables::layer_mask);
  // Signed abscissa in (-1, 1) from the top 52 bits (disjoint from the layer bits).
  const double u = detail::signed_unit_interval(bits);
  if (std::fabs(u) < z.ratio[layer]) [[likely]]
    return static_cast<Real>(u * z.x[layer]);
  return detail::ziggurat_rejection<Real>(engine, bits);
}

} // namespace continuity
