// continuity/random/detail/ziggurat.hpp — tables of the ziggurat normal sampler.
//
// Marsaglia & Tsang's ziggurat in the formulation of J. A. Doornik, "An
// improved ziggurat method to generate normal random samples" (2005), with
// 256 layers: R = 3.6541528853610088, V = 4.92867323397465524494e-3 (the
// constants of the 256-layer normal ziggurat, as in Boost.Random). The layer
// index (low 8 bits) and the abscissa (top 52 bits) come from disjoint bits
// of one 64-bit draw; 98.5 % of draws are accepted by the first comparison.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace continuity::detail {

/// Layer edges x[i] and ratios x[i+1]/x[i] of the 256-layer ziggurat.
struct ziggurat_tables {
  static constexpr int layers = 256;
  static constexpr double tail_start = 3.6541528853610088;         // R
  static constexpr double layer_area = 4.92867323397465524494e-3; // V
  std::array<double, layers + 1> x{};
  std::array<double, layers> ratio{};
  /// Mask of the layer index in a draw.
  static constexpr std::uint64_t layer_mask = layers - 1;

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
