// Tests of continuity/random/rng.hpp: the Philox4x32-10 block function
// against the published known-answer vectors, the stream engine, uniform01.
#include <continuity/random/rng.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using continuity::philox4x32;

// Known-answer vectors of Random123 (D. E. Shaw Research), file
// examples/kat_vectors, lines "philox4x32 10 <counter x4> <key x2> <result x4>".
TEST_CASE("philox4x32-10 reproduces the Random123 known-answer vectors") {
  struct kat {
    philox4x32::counter_type counter;
    philox4x32::key_type key;
    philox4x32::counter_type expected;
  };
  const kat vectors[] = {
      {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
       {0x00000000, 0x00000000},
       {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const auto& v : vectors) CHECK(philox4x32::generate(v.counter, v.key) == v.expected);
  // usable at compile time (checked by GCC: clang 14 will not evaluate the
  // always-inline member template generate_wide in a constant expression)
#if !defined(__clang__)
  static_assert(philox4x32::generate({0, 0, 0, 0}, {0, 0})[0] == 0x6627e8d5u);
#endif
}

TEST_CASE("philox_engine is a UniformRandomBitGenerator over the stream's blocks") {
  static_assert(std::uniform_random_bit_generator<continuity::philox_engine>);
  const std::uint64_t seed = 0x299f31d0a4093822ull, id = 0x0370734413198a2eull;
  auto engine = continuity::stream(seed, id);
  CHECK(engine.seed() == seed);
  CHECK(engine.stream_id() == id);
  // The first block of stream (seed, id) is philox(counter = {0, 0, id_lo, id_hi}, key = seed).
  const auto block = philox4x32::generate({0, 0, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0});
  CHECK(engine() == (std::uint64_t{block[0]} | std::uint64_t{block[1]} << 32));
  CHECK(engine() == (std::uint64_t{block[2]} | std::uint64_t{block[3]} << 32));
  const auto next = philox4x32::generate({1, 0, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0});
  CHECK(engine() == (std::uint64_t{next[0]} | std::uint64_t{next[1]} << 32));
}

TEST_CASE("streams are reproducible and distinct; discard skips exactly") {
  auto a = continuity::stream(42, 7), b = continuity::stream(42, 7);
  auto other_stream = continuity::stream(42, 8), other_seed = continuity::stream(43, 7);
  std::vector<std::uint64_t> xs(100), ys(100), zs(100), ws(100);
  for (int i = 0; i < 100; ++i) {
    const auto k = static_cast<std::size_t>(i);
    xs[k] = a();
    ys[k] = b();
    zs[k] = other_stream();
    ws[k] = other_seed();
  }
  CHECK(xs == ys);
  CHECK(xs != zs);
  CHECK(xs != ws);
  CHECK(a == b);
  for (std::uint64_t skip : {0u, 1u, 2u, 3u, 7u, 64u}) {
    auto c = continuity::stream(42, 7), d = continuity::stream(42, 7);
    c.discard(skip);
    for (std::uint64_t i = 0; i < skip; ++i) d();
    CHECK(c() == d());
    CHECK(c() == d());
    CHECK(c() == d());
  }
}

TEST_CASE("trial_engine: Philox-keyed xoroshiro128++ against independent known answers") {
  static_assert(std::uniform_random_bit_generator<continuity::trial_engine>);
  // The state of trial 0 under seed 0 is the Random123 known-answer block
  // philox4x32-10(counter 0, key 0) = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
  // 0x9b00dbd8}; its first four xoroshiro128++ outputs were computed with an
  // independent implementation (the randomgen package's
  // Xoroshiro128(plusplus=True) with s = {0xe169c58d6627e8d5, 0x9b00dbd8bc57ac4c}).
  continuity::trial_engine e(0, 0);
  CHECK(e.seed() == 0);
  CHECK(e.stream_id() == 0);
  CHECK(e() == 0x24360a8c906ae1aaull);
  CHECK(e() == 0x8f2a4670f7c20717ull);
  CHECK(e() == 0x4c2dfe7664b67395ull);
  CHECK(e() == 0x1ed71799a848e4a3ull);
}

TEST_CASE("trial_engine::make gives the engines the constructor gives") {
  for (std::size_t count : {1u, 7u, 63u, 64u, 65u, 130u}) { // groups of 64
    const std::uint64_t seed = 0x243f6a8885a308d3ull, first = 0xfffffffffull - 5; // crosses 2^32
    std::vector<continuity::trial_engine> made(count);
    continuity::trial_engine::make(seed, first, count, made.data());
    for (std::size_t i = 0; i < count; ++i) {
      continuity::trial_engine fresh(seed, first + i);
      CHECK(made[i] == fresh);
      CHECK(made[i].stream_id() == first + i);
      for (int k = 0; k < 5; ++k) CHECK(made[i]() == fresh());
    }
  }
}

TEST_CASE("the Philox blocks of 64 trials: every compiled version gives the portable blocks") {
  // philox_trial_blocks runs the AVX-512 version (detail/philox_avx512.hpp)
  // on processors that have it, else a compiled copy of the portable rounds:
  // both must give philox4x32::generate's blocks, bit for bit, for any key
  // and any trial index (including words that wrap).
  std::mt19937_64 pick(20261206);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cases = {
      {0, 0}, {~0ull, ~0ull - 63}, {~0ull, ~0ull - 10}, {0x243f6a8885a308d3ull, 0xffffffffull - 31},
      {0xffffffff00000000ull, 0x1'0000'0000ull - 64}, {0x00000000ffffffffull, 0x7fffffffffffffffull}};
  for (int i = 0; i < 200; ++i) cases.emplace_back(pick(), pick() >> (pick() % 64));
  using blocks = std::array<std::uint64_t, continuity::detail::philox_group>;
  for (const auto& [seed, first] : cases) {
    blocks low, high;
    continuity::detail::philox_trial_blocks(seed, first, low, high);
    for (std::size_t j = 0; j < low.size(); ++j) {
      const std::uint64_t trial = first + j; // wraps as the trial index does
      const auto block = philox4x32::generate(
          {0, 0, static_cast<std::uint32_t>(trial), static_cast<std::uint32_t>(trial >> 32)},
          {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
      const std::uint64_t want_low = block[0] | (std::uint64_t{block[1]} << 32),
                          want_high = block[2] | (std::uint64_t{block[3]} << 32);
      if (low[j] != want_low || high[j] != want_high) {
        INFO("seed " << seed << ", trial " << trial);
        CHECK(low[j] == want_low);
        CHECK(high[j] == want_high);
      }
    }
#ifdef CONTINUITY_PHILOX_AVX512
    if (__builtin_cpu_supports("avx512f")) { // the AVX-512 version itself, whatever runs above
      blocks low512, high512;
      continuity::detail::philox_trial_blocks_avx512(seed, first, low512, high512);
      CHECK(low512 == low);
      CHECK(high512 == high);
    }
#endif
    blocks low_compiled, high_compiled;
    continuity::detail::philox_trial_blocks_compiled(seed, first, low_compiled, high_compiled);
    CHECK(low_compiled == low);
    CHECK(high_compiled == high);
  }
}

TEST_CASE("trial_engine_group: the engines of up to 64 trials side by side") {
  const std::uint64_t seed = 0x9e3779b97f4a7c15ull, first = 0xffffffffull - 20; // crosses 2^32
  for (std::size_t count : {1u, 37u, 64u, 65u}) {
    continuity::trial_engine_group group(seed, first, count);
    REQUIRE(group.size() == std::min<std::size_t>(count, 64));
    CHECK(group.seed() == seed);
    CHECK(group.first_trial() == first);
    for (std::size_t j = 0; j < group.size(); ++j) {
      continuity::trial_engine fresh(seed, first + j), lane = group.engine(j);
      CHECK(lane == fresh);
      for (int k = 0; k < 3; ++k) CHECK(lane() == fresh());
      group.set(j, lane); // after its draws
      CHECK(group.engine(j) == fresh);
    }
    for (std::size_t j = group.size(); j < 64; ++j) {
      CHECK(group.state0[j] == 0);
      CHECK(group.state1[j] == 0);
    }
    // From engine objects: the same lanes.
    std::vector<continuity::trial_engine> engines;
    for (std::size_t j = 0; j < group.size(); ++j) engines.push_back(group.engine(j));
    const continuity::trial_engine_group again{std::span<const continuity::trial_engine>(engines)};
    CHECK(again.state0 == group.state0);
    CHECK(again.state1 == group.state1);
    CHECK(again.first_trial() == first);
  }
  // The forbidden all-zero state (a Philox block of p = 2^-128) becomes
  // (1, 0), as trial_engine makes it; lanes from `used` on become (0, 0).
  std::array<std::uint64_t, 64> s0{}, s1{};
  s0[1] = 5;
  s1[2] = 7;
  s0[40] = 9;
  continuity::detail::trial_group_states(10, s0, s1);
  CHECK(s0[0] == 1);
  CHECK(s1[0] == 0);
  CHECK(s0[1] == 5);
  CHECK(s0[2] == 0);
  CHECK(s1[2] == 7);
  CHECK(s0[9] == 1);
  CHECK(s0[40] == 0);
  CHECK(s0[10] == 0);
}

TEST_CASE("trial_engine::make in a constant expression gives the run-time engines") {
  constexpr auto made = [] {
    std::array<continuity::trial_engine, 3> out{};
    continuity::trial_engine::make(99, 1'000, out.size(), out.data());
    return out;
  }();
  for (std::size_t i = 0; i < made.size(); ++i) {
    std::array<continuity::trial_engine, 1> run_time{};
    continuity::trial_engine::make(99, 1'000 + i, 1, run_time.data());
    CHECK(made[i] == run_time[0]);
    CHECK(made[i] == continuity::trial_engine(99, 1'000 + i));
  }
}

TEST_CASE("trial engines are reproducible, distinct per trial and seed; discard skips") {
  continuity::trial_engine a(42, 7), b(42, 7), other_trial(42, 8), other_seed(43, 7);
  std::vector<std::uint64_t> xs(100), ys(100), zs(100), ws(100);
  for (std::size_t k = 0; k < 100; ++k) {
    xs[k] = a();
    ys[k] = b();
    zs[k] = other_trial();
    ws[k] = other_seed();
  }
  CHECK(xs == ys);
  CHECK(xs != zs);
  CHECK(xs != ws);
  CHECK(a == b);
  for (std::uint64_t skip : {0u, 1u, 5u}) {
    continuity::trial_engine c(42, 7), d(42, 7);
    c.discard(skip);
    for (std::uint64_t i = 0; i < skip; ++i) d();
    CHECK(c == d);
    CHECK(c() == d());
  }
  // Uniformity of the first draw across consecutive trials (the case the
  // Philox keying is for): a chi-square test on 16 bins of the top bits.
  std::array<double, 16> bins{};
  const int n = 64'000;
  for (int t = 0; t < n; ++t) bins[continuity::trial_engine(1, static_cast<std::uint64_t>(t))() >> 60] += 1;
  double chi2 = 0;
  for (double o : bins) chi2 += (o - n / 16.0) * (o - n / 16.0) / (n / 16.0);
  CHECK(chi2 < 37.7); // chi-square(15) upper 0.1 % point
}

TEST_CASE("uniform01 lies strictly inside (0, 1) and is uniform") {
  auto engine = continuity::stream(20240601, 0);
  const int n = 1'000'000, bins = 100;
  std::vector<int> counts(bins, 0);
  double sum = 0, sum_sq = 0, lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double u = continuity::uniform01(engine);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
    sum_sq += u * u;
    ++counts[static_cast<std::size_t>(u * bins)];
  }
  CHECK(lo > 0);
  CHECK(hi < 1);
  // Mean 1/2 and variance 1/12, within 5 standard errors: sqrt(1/12/n) =
  // 2.9e-4 for the mean, sqrt((mu4 − sigma^4)/n) = sqrt((1/80 − 1/144)/n) =
  // 7.5e-5 for the variance.
  CHECK(std::abs(sum / n - 0.5) < 5 * 2.9e-4);
  CHECK(std::abs(sum_sq / n - sum * sum / n / n - 1.0 / 12) < 5 * 7.5e-5);
  // Chi-square over 100 equal bins, 99 degrees of freedom: the 0.999 quantile is 148.2.
  double chi2 = 0;
  const double expected = double(n) / bins;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  CHECK(chi2 < 148.2);
  // Serial pairs (u_2k, u_2k+1) over a 10x10 grid, 99 degrees of freedom, same bound.
  std::vector<int> grid(100, 0);
  for (int i = 0; i < n / 2; ++i) {
    const auto x = static_cast<std::size_t>(continuity::uniform01(engine) * 10);
    const auto y = static_cast<std::size_t>(continuity::uniform01(engine) * 10);
    ++grid[10 * x + y];
  }
  double chi2_pairs = 0;
  const double expected_pairs = double(n / 2) / 100;
  for (int c : grid) chi2_pairs += (c - expected_pairs) * (c - expected_pairs) / expected_pairs;
  CHECK(chi2_pairs < 148.2);
  // float variant: also strictly inside (0, 1)
  auto e2 = continuity::stream(1, 2);
  for (int i = 0; i < 1000; ++i) {
    const float f = continuity::uniform01<float>(e2);
    CHECK((f > 0.0f && f < 1.0f));
  }
}

TEST_CASE("uniform01 extremes stay inside (0, 1)") {
  struct constant_engine {
    using result_type = std::uint64_t;
    std::uint64_t value;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~std::uint64_t{0}; }
    result_type operator()() { return value; }
  };
  constant_engine zero{0}, ones{~std::uint64_t{0}};
  CHECK(continuity::uniform01(zero) > 0.0);
  CHECK(continuity::uniform01(ones) < 1.0);
  CHECK(continuity::uniform01<float>(zero) > 0.0f);
  CHECK(continuity::uniform01<float>(ones) < 1.0f);
}
