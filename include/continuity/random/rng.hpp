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

#include <algorithm>
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
/// gives two results, in counter order. Blocks are computed one at a time
/// when the buffer runs dry (a Monte Carlo trial typically needs only a few
/// results, and computing ahead is wasted), or prefilled for several engines
/// at once with prefill(), whose interleaved rounds run several times faster
/// per block than one latency-bound block. Results never depend on how the
/// blocks were computed. Cheap to construct (nothing is computed until the
/// first draw), so one engine per Monte Carlo trial costs nothing.
class philox_engine {
public:
  /// 64-bit unsigned results spanning the full range.
  using result_type = std::uint64_t;
  /// Most counter blocks held ahead (by prefill).
  static constexpr std::size_t max_buffered_blocks = 2;

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
    if (used_ == available_) refill();
    const std::size_t i = 2 * used_++;
    return std::uint64_t{buffer_[i]} | (std::uint64_t{buffer_[i + 1]} << 32);
  }

  /// Skips `n` results (O(1)).
  constexpr void discard(std::uint64_t n) noexcept {
    const std::uint64_t left = available_ - used_;
    if (n < left) {
      used_ += static_cast<std::uint32_t>(n);
      return;
    }
    n -= left; // results to skip after the buffer: whole blocks, then a half
    advance_block_counter(n / 2);
    refill();
    used_ = static_cast<std::uint32_t>(n % 2);
  }

  /// Computes the next `blocks` (≤ max_buffered_blocks) blocks of each of
  /// `count` engines that have drawn nothing yet (fresh from stream()), the
  /// rounds of all of them interleaved. Draws then give exactly the results
  /// they would have given without it.
  static constexpr void prefill(philox_engine* engines, std::size_t count,
                                std::size_t blocks) noexcept {
    constexpr std::size_t lanes = 16; // engines × blocks per pass
    std::uint32_t c0[lanes], c1[lanes], c2[lanes], c3[lanes], k0[lanes], k1[lanes];
    blocks = std::min(blocks, max_buffered_blocks);
    const std::size_t per_pass = lanes / max_buffered_blocks;
    for (std::size_t first = 0; first < count; first += per_pass) {
      const std::size_t n = std::min(per_pass, count - first) * blocks;
      for (std::size_t j = 0; j < n; ++j) {
        const philox_engine& e = engines[first + j / blocks];
        const std::uint64_t low =
            (std::uint64_t{e.counter_[0]} | (std::uint64_t{e.counter_[1]} << 32)) + j % blocks;
        c0[j] = static_cast<std::uint32_t>(low);
        c1[j] = static_cast<std::uint32_t>(low >> 32);
        c2[j] = e.counter_[2];
        c3[j] = e.counter_[3];
        k0[j] = e.key_[0];
        k1[j] = e.key_[1];
      }
      rounds(c0, c1, c2, c3, k0, k1, n);
      for (std::size_t j = 0; j < n; ++j) {
        philox_engine& e = engines[first + j / blocks];
        const std::size_t b = 4 * (j % blocks);
        e.buffer_[b] = c0[j];
        e.buffer_[b + 1] = c1[j];
        e.buffer_[b + 2] = c2[j];
        e.buffer_[b + 3] = c3[j];
      }
      for (std::size_t i = first; i < first + n / blocks; ++i) {
        engines[i].advance_block_counter(blocks);
        engines[i].used_ = 0;
        engines[i].available_ = static_cast<std::uint32_t>(2 * blocks);
      }
    }
  }

  /// The key: the seed of the run.
  constexpr std::uint64_t seed() const noexcept {
    return std::uint64_t{key_[0]} | (std::uint64_t{key_[1]} << 32);
  }
  /// The stream id (the upper half of the counter).
  constexpr std::uint64_t stream_id() const noexcept {
    return std::uint64_t{counter_[2]} | (std::uint64_t{counter_[3]} << 32);
  }

  /// Two engines are equal when they will produce the same results: same
  /// key, stream and position in it (however much is buffered).
  friend constexpr bool operator==(const philox_engine& a, const philox_engine& b) noexcept {
    return a.key_ == b.key_ && a.counter_[2] == b.counter_[2] && a.counter_[3] == b.counter_[3] &&
           a.position() == b.position();
  }

private:
  // Index in the stream of the next result.
  constexpr std::uint64_t position() const noexcept {
    const std::uint64_t block = std::uint64_t{counter_[0]} | (std::uint64_t{counter_[1]} << 32);
    return 2 * block - available_ + used_;
  }

  constexpr void advance_block_counter(std::uint64_t n) noexcept {
    const std::uint64_t low = (std::uint64_t{counter_[0]} | (std::uint64_t{counter_[1]} << 32)) + n;
    counter_[0] = static_cast<std::uint32_t>(low);
    counter_[1] = static_cast<std::uint32_t>(low >> 32);
  }

  // The Philox4x32-10 rounds of philox4x32::generate on n independent lanes,
  // lane by lane within each round for instruction-level parallelism.
  static constexpr void rounds(std::uint32_t* c0, std::uint32_t* c1, std::uint32_t* c2,
                               std::uint32_t* c3, std::uint32_t* k0, std::uint32_t* k1,
                               std::size_t n) noexcept {
    for (int r = 0; r < philox4x32::rounds; ++r) {
      for (std::size_t j = 0; j < n; ++j) {
        if (r > 0) {
          k0[j] += 0x9E3779B9u;
          k1[j] += 0xBB67AE85u;
        }
        const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c0[j];
        const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c2[j];
        const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[j] ^ k0[j];
        const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[j] ^ k1[j];
        c1[j] = static_cast<std::uint32_t>(p1);
        c3[j] = static_cast<std::uint32_t>(p0);
        c0[j] = n0;
        c2[j] = n2;
      }
    }
  }

  // The next block, on demand.
  constexpr void refill() noexcept {
    std::uint32_t c0 = counter_[0], c1 = counter_[1], c2 = counter_[2], c3 = counter_[3];
    std::uint32_t k0 = key_[0], k1 = key_[1];
    rounds(&c0, &c1, &c2, &c3, &k0, &k1, 1);
    buffer_[0] = c0;
    buffer_[1] = c1;
    buffer_[2] = c2;
    buffer_[3] = c3;
    advance_block_counter(1);
    used_ = 0;
    available_ = 2;
  }

  philox4x32::key_type key_;
  philox4x32::counter_type counter_; // the next block to compute
  std::uint32_t used_ = 0;           // results of buffer_ already handed out
  std::uint32_t available_ = 0;      // results in buffer_
  std::array<std::uint32_t, 4 * max_buffered_blocks> buffer_{};
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
