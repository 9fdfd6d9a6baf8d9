// Shared by the analysis tests: a small, seedable generator for random test
// graphs (SplitMix64), so that every brute-force property test draws its
// inventories the same way.
#pragma once

#include <cstddef>
#include <cstdint>

namespace continuity_test {

/// SplitMix64: a tiny deterministic generator for test inputs.
struct splitmix {
  std::uint64_t x;
  /// The next 64 random bits.
  std::uint64_t next() {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  /// True with probability p.
  bool chance(double p) { return double(next() >> 11) * 0x1.0p-53 < p; }
};

} // namespace continuity_test
