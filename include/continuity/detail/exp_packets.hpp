// continuity/detail/exp_packets.hpp — exponentials of a buffer in whole SIMD
// packets, so that every value goes through the same code.
//
// The loop is written for the compiler to vectorise it at the width of the
// code it is compiled into: a function marked CONTINUITY_SIMD_DISPATCH gets
// 4-wide AVX2 exponentials in its AVX2 copy. (Eigen's vectorised exp, used
// before, is fixed at the SSE2 width in a baseline build whatever the
// processor, and took a quarter of the W1 kernel's instructions.)
#pragma once

#include <continuity/detail/simd_dispatch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace continuity::detail {

/// A multiple of every SIMD packet size: buffers given to exp_in_packets
/// have this many spare entries after their values.
inline constexpr std::size_t exp_packet_pad = 16;

/// exp(x) of one double, in straight-line code without branches or tables
/// that compilers vectorise over a loop.
///
/// x = k·ln 2 + r with k = round(x / ln 2) and |r| <= ln(2)/2 (Cody–Waite:
/// ln 2 split in two parts, k·ln2_hi exact); exp(r) by its Taylor polynomial
/// of degree 13 (truncation below 2^-57 relative), summed as
/// 1 + (r + r²·q(r)); then 2^k applied as two exact powers of two
/// 2^k1·2^k2, k1 + k2 = k, so that results in the subnormal range and
/// overflow to infinity come out as IEEE arithmetic gives them. Error at
/// most 0.96 ulp in the normal range without FMA contraction (1.004 with it;
/// tested against the x87 expl). x must lie in [-746, 710] (exp is 0, resp.
/// infinite, at and beyond its ends) or be NaN, which propagates;
/// exp_of_doubles clamps to that range in a pass of its own (in one loop,
/// the compiler would fold the clamped ends into constant overflows and then
/// refuse to vectorise). All integer work is on bit patterns (no
/// float-to-int conversion).
inline double exp_in_range(double x) noexcept {
  constexpr double shifter = 0x1.8p52; // x + shifter rounds x to an integer in the low bits
  constexpr std::uint64_t shifter_bits = 0x4338000000000000u;
  constexpr double log2e = 1.4426950408889634074;
  constexpr double ln2_hi = 0x1.62e42fee00000p-1; // fdlibm's split: 21 trailing zero bits
  constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  const double k = (x * log2e + shifter) - shifter; // round(x / ln 2), |k| <= 1077
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  // q(r) = 1/2! + r/3! + … + r^11/13!
  double q = 1.0 / 6227020800.0;
  q = q * r + 1.0 / 479001600.0;
  q = q * r + 1.0 / 39916800.0;
  q = q * r + 1.0 / 3628800.0;
  q = q * r + 1.0 / 362880.0;
  q = q * r + 1.0 / 40320.0;
  q = q * r + 1.0 / 5040.0;
  q = q * r + 1.0 / 720.0;
  q = q * r + 1.0 / 120.0;
  q = q * r + 1.0 / 24.0;
  q = q * r + 1.0 / 6.0;
  q = q * r + 0.5;
  const double p = 1.0 + (r + (r * r) * q);
  // 2^k = 2^k1 · 2^k2, each factor a normal double (|k1|, |k2| <= 539).
  const double k1 = (k * 0.5 + shifter) - shifter;
  const double k2 = k - k1;
  const auto power_of_two = [](double integer) {
    const std::uint64_t biased =
        std::bit_cast<std::uint64_t>(integer + shifter) - shifter_bits + 1023u;
    return std::bit_cast<double>(biased << 52);
  };
  return p * power_of_two(k1) * power_of_two(k2);
}

/// Replaces x[0 … count) by exp(x[i]) (exp_in_range after clamping), in one
/// vectorised loop over the buffer padded with zeros to a multiple of
/// exp_packet_pad (x must hold that many entries), so no value takes a
/// scalar remainder loop: the results are bit-identical whatever the
/// buffer's length or the position of a value in it.
CONTINUITY_SIMD_DISPATCH inline void exp_of_doubles(double* x, std::size_t count) noexcept {
  const std::size_t padded = (count + exp_packet_pad - 1) / exp_packet_pad * exp_packet_pad;
  std::fill(x + count, x + padded, 0.0);
  for (std::size_t i = 0; i < padded; ++i) {
    x[i] = x[i] < -746.0 ? -746.0 : x[i]; // NaN stays NaN
    x[i] = x[i] > 710.0 ? 710.0 : x[i];
  }
  for (std::size_t i = 0; i < padded; ++i) x[i] = exp_in_range(x[i]);
}

/// exp_of_doubles for a buffer of Real (double, or float computed in double
/// and rounded once).
template <class Real>
void exp_in_packets(Real* x, std::size_t count) noexcept {
  if constexpr (std::is_same_v<Real, double>) {
    exp_of_doubles(x, count);
  } else {
    constexpr std::size_t step = 48; // values per chunk, leaving the pad
    alignas(64) std::array<double, step + exp_packet_pad> chunk;
    for (std::size_t begin = 0; begin < count; begin += step) {
      const std::size_t n = std::min(count - begin, step);
      std::copy_n(x + begin, n, chunk.data());
      exp_of_doubles(chunk.data(), n);
      for (std::size_t i = 0; i < n; ++i) x[begin + i] = static_cast<Real>(chunk[i]);
    }
  }
}

} // namespace continuity::detail
