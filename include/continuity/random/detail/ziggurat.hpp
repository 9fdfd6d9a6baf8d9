// continuity/random/detail/ziggurat.hpp — tables of the ziggurat normal sampler.
//
// Marsaglia & Tsang's ziggurat in the formulation of J. A. Doornik, "An
// improved ziggurat method to generate normal random samples" (2005): 128
// layers, R = 3.442619855899, V = 9.91256303526217e-3; the layer index and
// the abscissa come from disjoint bits of one 64-bit draw.
#pragma once

#include <array>
#include <cmath>

namespace continuity::detail {

/// Layer edges x[i] and ratios x[i+1]/x[i] of the 128-layer ziggurat.
struct ziggurat_tables {
  static constexpr int layers = 128;
  static constexpr double tail_start = 3.442619855899;      // R
  static constexpr double layer_area = 9.91256303526217e-3; // V
  std::array<double, layers + 1> x{};
  std::array<double, layers> ratio{};

  ziggurat_tables() {
    double f = std::exp(-0.5 * tail_start * tail_start);
    x[0] = layer_area / f; // the base layer: rectangle plus tail
    x[1] = tail_start;
    x[layers] = 0.0;
    for (int i = 2; i < layers; ++i) {
      const auto k = static_cast<std::size_t>(i);
      x[k] = std::sqrt(-2.0 * std::log(layer_area / x[k - 1] + f));
      f = std::exp(-0.5 * x[k] * x[k]);
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(layers); ++i) ratio[i] = x[i + 1] / x[i];
  }

  /// The process-wide immutable tables (built once, thread-safely).
  static const ziggurat_tables& get() {
    static const ziggurat_tables tables;
    return tables;
  }
};

} // namespace continuity::detail
