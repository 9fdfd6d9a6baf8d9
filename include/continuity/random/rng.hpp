// continuity/random/rng.hpp — the counter-based random generator.
//
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011) is a keyed bijection of a 128-bit counter. A
// stream is a key (the 64-bit seed) plus a stream id placed in the upper half
// of the counter; the lower 64 bits of the counter count blocks inside the
// stream. So `stream(seed, i)` always yields the same numbers whatever thread
// or process draws them: Monte Carlo trial i of a run with seed s is
// reproducible on its own, independently of every other trial.
//
// There is no global engine anywhere in continuity: randomness is passed in.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace continuity {

/// The Philox4x32-10 block function: maps a 128-bit counter (four 32-bit
/// words) and a 64-bit key (two words) to 128 random-looking bits. This is
/// the published algorithm; it reproduces the Random123 known-answer vectors.
class philox4x32 {
public:
  /// Four 32-bit words: the counter and the output block.
  using counter_type = std::array<std::uint32_t, 4>;
  /// Two 32-bit words: the key.
  using key_type = std::array<std::uint32_t, 2>;

  /// Number of rounds (10: the Random123 default, "Crush-resistant" with margin).
  static constexpr int rounds = 10;

  /// Encrypts `counter` under `key`.
  static constexpr counter_type generate(counter_type counter, key_type key) noexcept {
    for (int r = 0; r < rounds; ++r) {
      if (r > 0) {
        key[0] += weyl0;
        key[1] += weyl1;
      }
      const std::uint64_t p0 = std::uint64_t{multiplier0} * counter[0];
      const std::uint64_t p1 = std::uint64_t{multiplier1} * counter[2];
      counter = {static_cast<std::uint32_t>(p1 >> 32) ^ counter[1] ^ key[0],
                 static_cast<std::uint32_t>(p1),
                 static_cast<std::uint32_t>(p0 >> 32) ^ counter[3] ^ key[1],
                 static_cast<std::uint32_t>(p0)};
    }
    return counter;
  }

private:
  static constexpr std::uint32_t multiplier0 = 0xD2511F53u;
  static constexpr std::uint32_t multiplier1 = 0xCD9E8D57u;
  static constexpr std::uint32_t weyl0 = 0x9E3779B9u; // golden ratio
  static constexpr std::uint32_t weyl1 = 0xBB67AE85u; // sqrt(3) - 1
};

/// A random engine over one Philox stream. Satisfies
/// std::uniform_random_bit_generator with 64-bit results; each counter block
/// gives two results, in counter order. Blocks are computed blocks_per_refill
/// at a time (the results do not depend on it): one, because a Monte Carlo
/// trial typically needs only a few results and computing ahead is wasted
/// (W1: 10 % fewer instructions than two interleaved blocks).
/// Cheap to construct (nothing is computed until the first draw), so one
/// engine per Monte Carlo trial costs nothing.
class philox_engine {
public:
  /// 64-bit unsigned results spanning the full range.
  using result_type = std::uint64_t;
  /// Counter blocks computed per refill.
  static constexpr std::size_t blocks_per_refill = 1;

  /// The engine of stream `stream_id` under key `seed`, positioned at its start.
  constexpr philox_engine(std::uint64_t seed, std::uint64_t stream_id) noexcept
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        counter_{0u, 0u, static_cast<std::uint32_t>(stream_id),
                 static_cast<std::uint32_t>(stream_id >> 32)} {}

  /// Smallest result.
  static constexpr result_type min() noexcept { return 0; }
  /// Largest result.
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// The next 64 random bits.
  constexpr result_type operator()() noexcept {
    if (used_ == buffered) refill();
    const std::size_t i = 2 * used_++;
    return std::uint64_t{buffer_[i]} | (std::uint64_t{buffer_[i + 1]} << 32);
  }

  /// Skips `n` results (O(1)).
  constexpr void discard(std::uint64_t n) noexcept {
    const std::uint64_t left = buffered - used_;
    if (n < left) {
      used_ += static_cast<std::uint32_t>(n);
      return;
    }
    n -= left; // results to skip after the buffer: whole blocks, then a half
    advance_block_counter(n / 2);
    refill();
    used_ = static_cast<std::uint32_t>(n % 2);
  }

  /// The key: the seed of the run.
  constexpr std::uint64_t seed() const noexcept {
    return std::uint64_t{key_[0]} | (std::uint64_t{key_[1]} << 32);
  }
  /// The stream id (the upper half of the counter).
  constexpr std::uint64_t stream_id() const noexcept {
    return std::uint64_t{counter_[2]} | (std::uint64_t{counter_[3]} << 32);
  }

  /// Two engines are equal when they will produce the same results (the
  /// buffer is a function of key and counter).
  friend constexpr bool operator==(const philox_engine& a, const philox_engine& b) noexcept {
    return a.key_ == b.key_ && a.counter_ == b.counter_ && a.used_ == b.used_;
  }

private:
  static constexpr std::uint32_t buffered = 2 * blocks_per_refill; // results per refill

  constexpr void advance_block_counter(std::uint64_t n) noexcept {
    const std::uint64_t low = (std::uint64_t{counter_[0]} | (std::uint64_t{counter_[1]} << 32)) + n;
    counter_[0] = static_cast<std::uint32_t>(low);
    counter_[1] = static_cast<std::uint32_t>(low >> 32);
  }
  // The next blocks_per_refill blocks: the Philox4x32-10 rounds of
  // philox4x32::generate, lane by lane, written for instruction-level parallelism.
  constexpr void refill() noexcept {
    constexpr std::size_t n = blocks_per_refill;
    std::uint32_t c0[n], c1[n], c2[n], c3[n];
    const std::uint64_t low = std::uint64_t{counter_[0]} | (std::uint64_t{counter_[1]} << 32);
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t l = low + j;
      c0[j] = static_cast<std::uint32_t>(l);
      c1[j] = static_cast<std::uint32_t>(l >> 32);
      c2[j] = counter_[2];
      c3[j] = counter_[3];
    }
    std::uint32_t k0 = key_[0], k1 = key_[1];
    for (int r = 0; r < philox4x32::rounds; ++r) {
      if (r > 0) {
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      for (std::size_t j = 0; j < n; ++j) {
        const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c0[j];
        const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c2[j];
        const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[j] ^ k0;
        const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[j] ^ k1;
        c1[j] = static_cast<std::uint32_t>(p1);
        c3[j] = static_cast<std::uint32_t>(p0);
        c0[j] = n0;
        c2[j] = n2;
      }
    }
    for (std::size_t j = 0; j < n; ++j) {
      buffer_[4 * j] = c0[j];
      buffer_[4 * j + 1] = c1[j];
      buffer_[4 * j + 2] = c2[j];
      buffer_[4 * j + 3] = c3[j];
    }
    advance_block_counter(n);
    used_ = 0;
  }

  philox4x32::key_type key_;
  philox4x32::counter_type counter_; // the next block to compute
  std::uint32_t used_ = buffered;    // results of buffer_ already handed out
  std::array<std::uint32_t, 4 * blocks_per_refill> buffer_{};
};

/// The engine of stream `stream_id` under `seed`. The Monte Carlo engine uses
/// stream_id = trial index, so trial i of a run with seed s always draws the
/// same numbers.
constexpr philox_engine stream(std::uint64_t seed, std::uint64_t stream_id) noexcept {
  return philox_engine(seed, stream_id);
}

/// A uniform variate strictly inside (0, 1): the top 52 bits (23 for float)
/// of one engine result, centred in their cell: (k + 1/2)·2^-52, exactly
/// representable. Never 0 or 1, so log(u) and quantile(u) are always finite.
template <class Real = double, class Engine>
inline Real uniform01(Engine& engine) noexcept {
  static_assert(std::is_floating_point_v<Real>);
  static_assert(sizeof(typename Engine::result_type) == 8, "uniform01 needs a 64-bit engine");
  if constexpr (std::numeric_limits<Real>::digits >= 53) {
    return (static_cast<Real>(engine() >> 12) + Real(0.5)) * Real(0x1p-52);
  } else {
    return (static_cast<Real>(engine() >> 41) + Real(0.5)) * Real(0x1p-23);
  }
}

} // namespace continuity
