// continuity/random/rng.hpp — the counter-based random generator.
//
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011) is a keyed bijection of a 128-bit counter. A
// stream is a key (the 64-bit seed) plus a stream id placed in the upper half
// of the counter; the lower 64 bits of the counter count blocks inside the
// stream. So `stream(seed, i)` always yields the same numbers whatever thread
// or process draws them.
//
// Monte Carlo trial i of a run with seed s draws from trial_engine(s, i): a
// xoroshiro128++ generator whose state is the Philox block of (s, i), so the
// trial is reproducible on its own, independently of every other trial, and
// its draws cost about a nanosecond each.
//
// There is no global engine anywhere in continuity: randomness is passed in.
#pragma once

#include <continuity/detail/simd_dispatch.hpp>
#include <continuity/random/detail/philox_avx512.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <span>
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
    std::array<std::uint64_t, 1> low{std::uint64_t{counter[0]} | (std::uint64_t{counter[1]} << 32)};
    std::array<std::uint64_t, 1> high{std::uint64_t{counter[2]} | (std::uint64_t{counter[3]} << 32)};
    generate_wide(low, high, std::uint64_t{key[0]} | (std::uint64_t{key[1]} << 32));
    return {static_cast<std::uint32_t>(low[0]), static_cast<std::uint32_t>(low[0] >> 32),
            static_cast<std::uint32_t>(high[0]), static_cast<std::uint32_t>(high[0] >> 32)};
  }

  /// Encrypts N counters under the key `key` in place, each given as two
  /// 64-bit halves: counter j is (low[j], high[j]) with words (low[j] mod
  /// 2^32, low[j] / 2^32, high[j] mod 2^32, high[j] / 2^32), and so is the
  /// result. The same function as generate(); the words travel in 64-bit
  /// lanes, so that compilers turn the rounds into SIMD 32×32→64-bit
  /// multiplications.
  template <std::size_t N>
  [[gnu::always_inline]] static constexpr void generate_wide(std::array<std::uint64_t, N>& low,
                                      std::array<std::uint64_t, N>& high,
                                      std::uint64_t key) noexcept {
    constexpr std::uint64_t word = 0xFFFFFFFFu;
    std::array<std::uint64_t, N> c0, c1, c2, c3;
    for (std::size_t j = 0; j < N; ++j) {
      c0[j] = low[j] & word;
      c1[j] = low[j] >> 32;
      c2[j] = high[j] & word;
      c3[j] = high[j] >> 32;
    }
    std::uint64_t k0 = key & word, k1 = key >> 32;
    for (int r = 0; r < rounds; ++r) {
      for (std::size_t j = 0; j < N; ++j) {
        const std::uint64_t p0 = multiplier0 * c0[j];
        const std::uint64_t p1 = multiplier1 * c2[j];
        const std::uint64_t n0 = (p1 >> 32) ^ c1[j] ^ k0;
        const std::uint64_t n2 = (p0 >> 32) ^ c3[j] ^ k1;
        c1[j] = p1 & word;
        c3[j] = p0 & word;
        c0[j] = n0;
        c2[j] = n2;
      }
      k0 = (k0 + weyl0) & word;
      k1 = (k1 + weyl1) & word;
    }
    for (std::size_t j = 0; j < N; ++j) {
      low[j] = c0[j] | (c1[j] << 32);
      high[j] = c2[j] | (c3[j] << 32);
    }
  }

private:
  static constexpr std::uint64_t multiplier0 = 0xD2511F53u;
  static constexpr std::uint64_t multiplier1 = 0xCD9E8D57u;
  static constexpr std::uint64_t weyl0 = 0x9E3779B9u; // golden ratio
  static constexpr std::uint64_t weyl1 = 0xBB67AE85u; // sqrt(3) - 1
};

/// A random engine over one Philox stream. Satisfies
/// std::uniform_random_bit_generator with 64-bit results; each counter block
/// gives two results, in counter order, computed when the previous block is
/// used up. Cheap to construct (nothing is computed until the first draw),
/// and discard() is O(1). Monte Carlo trials and their keyed sub-streams use
/// the faster trial_engine.
class philox_engine {
public:
  /// 64-bit unsigned results spanning the full range.
  using result_type = std::uint64_t;

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
    if (used_ == per_block) refill();
    const std::size_t i = 2 * used_++;
    return std::uint64_t{buffer_[i]} | (std::uint64_t{buffer_[i + 1]} << 32);
  }

  /// Skips `n` results (O(1)).
  constexpr void discard(std::uint64_t n) noexcept {
    const std::uint64_t left = per_block - used_;
    if (n < left) {
      used_ += static_cast<std::uint32_t>(n);
      return;
    }
    n -= left; // results to skip after the buffer: whole blocks, then a half
    advance_block_counter(n / per_block);
    refill();
    used_ = static_cast<std::uint32_t>(n % per_block);
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
  static constexpr std::uint32_t per_block = 2; // results per counter block

  constexpr void advance_block_counter(std::uint64_t n) noexcept {
    const std::uint64_t low = (std::uint64_t{counter_[0]} | (std::uint64_t{counter_[1]} << 32)) + n;
    counter_[0] = static_cast<std::uint32_t>(low);
    counter_[1] = static_cast<std::uint32_t>(low >> 32);
  }

  // The next block.
  constexpr void refill() noexcept {
    buffer_ = philox4x32::generate(counter_, key_);
    advance_block_counter(1);
    used_ = 0;
  }

  philox4x32::key_type key_;
  philox4x32::counter_type counter_; // the next block to compute
  std::uint32_t used_ = per_block;   // results of buffer_ already handed out
  philox4x32::counter_type buffer_{};
};

/// The engine of stream `stream_id` under `seed`. The Monte Carlo engine uses
/// stream_id = trial index, so trial i of a run with seed s always draws the
/// same numbers.
constexpr philox_engine stream(std::uint64_t seed, std::uint64_t stream_id) noexcept {
  return philox_engine(seed, stream_id);
}

namespace detail {

/// One step of xoroshiro128++ (Blackman & Vigna) on the state (s0, s1): the
/// next output. A free function so that vectorised code can step many
/// trials' states side by side exactly as trial_engine does.
constexpr std::uint64_t xoroshiro128pp_next(std::uint64_t& s0, std::uint64_t& s1) noexcept {
  const std::uint64_t a = s0;
  std::uint64_t b = s1;
  const std::uint64_t result = std::rotl(a + b, 17) + a;
  b ^= a;
  s0 = std::rotl(a, 49) ^ b ^ (b << 21);
  s1 = std::rotl(b, 28);
  return result;
}

/// The top 52 bits of `bits` as a double, exactly: double(bits >> 12),
/// computed through the exponent field (no integer conversion instruction,
/// so loops over it vectorise on every x86-64).
constexpr double top52_as_double(std::uint64_t bits) noexcept {
  return std::bit_cast<double>((bits >> 12) | 0x4330000000000000u) - 0x1p52;
}

/// The top 52 bits of `bits` as a point strictly inside (0, 1), centred in
/// its cell: (k + 1/2)·2^-52, exactly representable (uniform01's double).
constexpr double unit_interval(std::uint64_t bits) noexcept {
  return (top52_as_double(bits) + 0.5) * 0x1p-52;
}

/// The top 52 bits of `bits` as a point strictly inside (-1, 1), centred in
/// its cell: (k + 1/2)·2^-51 - 1, exactly representable (the ziggurat's
/// signed abscissa; the low bits stay free for its layer).
constexpr double signed_unit_interval(std::uint64_t bits) noexcept {
  return (top52_as_double(bits) + 0.5) * 0x1p-51 - 1.0;
}

struct trial_engine_state;

/// Trials whose Philox blocks are computed together.
inline constexpr std::size_t philox_group = 64;

/// The Philox blocks of (seed, first + j) for j < 64 (counter words 0, 0,
/// trial mod 2^32, trial / 2^32): block j is (low[j], high[j]) as in
/// philox4x32::generate_wide.
[[gnu::always_inline]] constexpr void
philox_trial_blocks_constexpr(std::uint64_t seed, std::uint64_t first,
                                             std::array<std::uint64_t, philox_group>& low,
                                             std::array<std::uint64_t, philox_group>& high) noexcept {
  for (std::size_t j = 0; j < philox_group; ++j) {
    low[j] = 0;
    high[j] = first + j;
  }
  philox4x32::generate_wide(low, high, seed);
}

/// The same, compiled for AVX2 as well where the processor has it.
CONTINUITY_SIMD_DISPATCH inline void
philox_trial_blocks_compiled(std::uint64_t seed, std::uint64_t first,
                             std::array<std::uint64_t, philox_group>& low,
                             std::array<std::uint64_t, philox_group>& high) noexcept {
  philox_trial_blocks_constexpr(seed, first, low, high);
}

/// Philox blocks as trial engines' states: the one forbidden state (0, 0)
/// replaced as trial_engine does (p = 2^-128), lanes from `used` on (0, 0).
CONTINUITY_SIMD_DISPATCH inline void trial_group_states(std::size_t used,
                                                        std::array<std::uint64_t, philox_group>& s0,
                                                        std::array<std::uint64_t, philox_group>& s1) noexcept {
  for (std::size_t j = 0; j < philox_group; ++j) {
    const std::uint64_t zero = (s0[j] | s1[j]) == 0 ? 1u : 0u;
    const std::uint64_t keep = j < used ? ~std::uint64_t{0} : 0u;
    s0[j] = (s0[j] | zero) & keep;
    s1[j] &= keep;
  }
}

/// The same, with AVX-512's 32-bit multiplications where the processor has
/// them (detail/philox_avx512.hpp), else as compiled above.
inline void philox_trial_blocks(std::uint64_t seed, std::uint64_t first,
                                std::array<std::uint64_t, philox_group>& low,
                                std::array<std::uint64_t, philox_group>& high) noexcept {
#ifdef CONTINUITY_PHILOX_AVX512
  if (__builtin_cpu_supports("avx512f")) {
    philox_trial_blocks_avx512(seed, first, low, high);
    return;
  }
#endif
  philox_trial_blocks_compiled(seed, first, low, high);
}

} // namespace detail

/// The engine of one Monte Carlo trial: a short, fast stream that depends on
/// (seed, trial) only. Its 128-bit state is the Philox4x32-10 encryption of
/// the trial index under the seed (the same block philox_engine(seed, trial)
/// starts with), so the states of different trials are unrelated, whatever
/// their indices; the draws then come from xoroshiro128++ (Blackman & Vigna,
/// "Scrambled linear pseudorandom number generators", ACM TOMS 2021), which
/// passes BigCrush and costs about a nanosecond per 64-bit result. The
/// chance that two trials' draws overlap is about trials² × draws / 2^128:
/// nil. Trial t of a run with seed s therefore draws the same numbers on any
/// thread, in any shard. Satisfies std::uniform_random_bit_generator.
class trial_engine {
public:
  /// 64-bit unsigned results spanning the full range.
  using result_type = std::uint64_t;

  /// A placeholder to assign to (e.g. the output array of make()); it is not
  /// the engine of any trial.
  constexpr trial_engine() noexcept = default;
  /// The engine of trial `trial` of the run with `seed`, at its first draw.
  constexpr trial_engine(std::uint64_t seed, std::uint64_t trial) noexcept
      : trial_engine(seed, trial, 0) {}
  /// The engine of sub-stream `substream` of trial `trial` of the run with
  /// `seed`: its state is the Philox block of the counter (substream, trial)
  /// under the seed, so every (seed, trial, substream) has its own unrelated
  /// stream of unlimited length (sub-stream 0 is the trial's own stream).
  /// See continuity/random/stream_key.hpp for keys naming what a sub-stream
  /// draws for.
  constexpr trial_engine(std::uint64_t seed, std::uint64_t trial, std::uint64_t substream) noexcept
      : seed_(seed), trial_(trial) {
    const auto block =
        philox4x32::generate({static_cast<std::uint32_t>(substream),
                              static_cast<std::uint32_t>(substream >> 32),
                              static_cast<std::uint32_t>(trial),
                              static_cast<std::uint32_t>(trial >> 32)},
                             {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
    set_state(std::uint64_t{block[0]} | (std::uint64_t{block[1]} << 32),
              std::uint64_t{block[2]} | (std::uint64_t{block[3]} << 32));
  }

  /// Smallest result.
  static constexpr result_type min() noexcept { return 0; }
  /// Largest result.
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// The next 64 random bits (xoroshiro128++).
  constexpr result_type operator()() noexcept {
    return detail::xoroshiro128pp_next(state_[0], state_[1]);
  }

  /// Skips `n` results (O(n); trials draw few numbers).
  constexpr void discard(std::uint64_t n) noexcept {
    while (n-- > 0) (*this)();
  }

  /// The engines of trials first, first + 1, …, first + count − 1 of the run
  /// with `seed`, written to `out`: the same engines as the constructor
  /// gives, with the Philox rounds of several trials interleaved (faster).
  static constexpr void make(std::uint64_t seed, std::uint64_t first, std::size_t count,
                             trial_engine* out) noexcept {
    constexpr std::size_t lanes = detail::philox_group;
    for (std::size_t done = 0; done < count; done += lanes) {
      std::array<std::uint64_t, lanes> state0, state1;
      if (std::is_constant_evaluated())
        detail::philox_trial_blocks_constexpr(seed, first + done, state0, state1);
      else
        detail::philox_trial_blocks(seed, first + done, state0, state1);
      for (std::size_t j = 0; j < std::min(lanes, count - done); ++j) {
        trial_engine& e = out[done + j];
        e.seed_ = seed;
        e.trial_ = first + done + j;
        e.set_state(state0[j], state1[j]);
      }
    }
  }

  /// The seed of the run.
  constexpr std::uint64_t seed() const noexcept { return seed_; }
  /// The trial index.
  constexpr std::uint64_t stream_id() const noexcept { return trial_; }

  /// Equal engines produce the same results from here on.
  friend constexpr bool operator==(const trial_engine&, const trial_engine&) noexcept = default;

private:
  friend struct detail::trial_engine_state;

  constexpr void set_state(std::uint64_t s0, std::uint64_t s1) noexcept {
    state_ = {s0, s1};
    if ((s0 | s1) == 0) state_[0] = 1; // the one forbidden state (p = 2^-128)
  }

  std::uint64_t seed_ = 0, trial_ = 0;
  std::array<std::uint64_t, 2> state_{1u, 0u};
};

namespace detail {

/// Read and write access to a trial engine's xoroshiro128++ state, for
/// kernels that step many trials' engines side by side (SIMD) and hand them
/// back exactly where one-by-one drawing would have left them.
struct trial_engine_state {
  static constexpr std::array<std::uint64_t, 2> get(const trial_engine& engine) noexcept {
    return engine.state_;
  }
  static constexpr void set(trial_engine& engine, std::uint64_t s0, std::uint64_t s1) noexcept {
    engine.state_ = {s0, s1};
  }
  /// The engine of trial `trial` of the run with `seed` at state (s0, s1).
  static constexpr trial_engine make(std::uint64_t seed, std::uint64_t trial, std::uint64_t s0,
                                     std::uint64_t s1) noexcept {
    trial_engine e;
    e.seed_ = seed;
    e.trial_ = trial;
    e.state_ = {s0, s1};
    return e;
  }
};

} // namespace detail

/// The engines of up to 64 consecutive trials of a run, as their
/// xoroshiro128++ states side by side (two arrays of 64-bit words, one lane a
/// trial): what a kernel that steps many trials at once (SIMD) reads and
/// writes, without an array of trial_engine objects to gather them from and
/// scatter them back to. engine(j) is trial_engine(seed, first + j) after
/// whatever lane j has drawn. Lanes past size() hold the state (0, 0), which
/// is no engine's and never drawn for.
class trial_engine_group {
public:
  /// Trials a group holds at most.
  static constexpr std::size_t capacity = detail::philox_group;

  /// The engines of trials first, …, first + count − 1 of the run with
  /// `seed` at their first draw (count <= capacity; more are ignored).
  trial_engine_group(std::uint64_t seed, std::uint64_t first, std::size_t count) noexcept
      : seed_(seed), first_(first), size_(std::min(count, capacity)) {
    detail::philox_trial_blocks(seed, first, state0, state1);
    detail::trial_group_states(size_, state0, state1);
  }
  /// The engines of the given trials of one run (at most capacity; their
  /// seed and first trial are engines[0]'s; the others are taken to follow
  /// it), at their current states.
  explicit trial_engine_group(std::span<const trial_engine> engines) noexcept
      : seed_(engines.empty() ? 0 : engines[0].seed()),
        first_(engines.empty() ? 0 : engines[0].stream_id()),
        size_(std::min(engines.size(), capacity)) {
    for (std::size_t j = 0; j < capacity; ++j) {
      const auto state = j < size_ ? detail::trial_engine_state::get(engines[j])
                                   : std::array<std::uint64_t, 2>{};
      state0[j] = state[0];
      state1[j] = state[1];
    }
  }

  /// Trials in the group.
  std::size_t size() const noexcept { return size_; }
  /// The seed of the run.
  std::uint64_t seed() const noexcept { return seed_; }
  /// The index of the group's first trial.
  std::uint64_t first_trial() const noexcept { return first_; }
  /// The engine of the group's j-th trial at its current state (j < size()).
  trial_engine engine(std::size_t j) const noexcept {
    return detail::trial_engine_state::make(seed_, first_ + j, state0[j], state1[j]);
  }
  /// Sets lane j to the state of `engine` (j < size()).
  void set(std::size_t j, const trial_engine& engine) noexcept {
    const auto state = detail::trial_engine_state::get(engine);
    state0[j] = state[0];
    state1[j] = state[1];
  }

  /// The two words of the lanes' states (read and written by kernels).
  alignas(64) std::array<std::uint64_t, capacity> state0, state1;

private:
  std::uint64_t seed_, first_;
  std::size_t size_;
};

/// A uniform variate strictly inside (0, 1): the top 52 bits (23 for float)
/// of one engine result, centred in their cell: (k + 1/2)·2^-52, exactly
/// representable. Never 0 or 1, so log(u) and quantile(u) are always finite.
template <class Real = double, class Engine>
inline Real uniform01(Engine& engine) noexcept {
  static_assert(std::is_floating_point_v<Real>);
  static_assert(sizeof(typename Engine::result_type) == 8, "uniform01 needs a 64-bit engine");
  if constexpr (std::numeric_limits<Real>::digits >= 53) {
    return detail::unit_interval(engine());
  } else {
    return (static_cast<Real>(engine() >> 41) + Real(0.5)) * Real(0x1p-23);
  }
}

} // namespace continuity
