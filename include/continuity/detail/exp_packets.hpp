// continuity/detail/exp_packets.hpp — exponentials of a buffer in whole SIMD
// packets, so that every value goes through the same code.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>

namespace continuity::detail {

/// A multiple of every SIMD packet size: buffers given to exp_in_packets
/// have this many spare entries after their values.
inline constexpr std::size_t exp_packet_pad = 16;

/// Replaces x[0 … count) by exp(x[i]) with Eigen's vectorised exp. The
/// buffer is padded with zeros to a multiple of exp_packet_pad (x must be
/// 64-byte aligned and hold that many entries), so no value takes Eigen's
/// scalar tail: exp(x) is bit-identical whatever the buffer's length.
template <class Real>
void exp_in_packets(Real* x, std::size_t count) {
  const std::size_t padded = (count + exp_packet_pad - 1) / exp_packet_pad * exp_packet_pad;
  std::fill(x + count, x + padded, Real(0));
  Eigen::Map<Eigen::Array<Real, Eigen::Dynamic, 1>, Eigen::Aligned64> values(
      x, static_cast<Eigen::Index>(padded));
  values = values.exp();
}

} // namespace continuity::detail
