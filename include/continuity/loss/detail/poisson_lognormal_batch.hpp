// continuity/loss/detail/poisson_lognormal_batch.hpp — the years of many
// Monte Carlo trials of compound Poisson–lognormal scenarios at once, with
// the arithmetic of all the trials side by side (SIMD).
//
// Each trial still draws from its own trial_engine, in the order a
// scenario_portfolio defines (every scenario's count, then every event's
// loss), and gets exactly the loss it would get alone. Trials that leave the
// common path are reported back, and the portfolio computes them one by one:
// the whole year after a count of 8 or more or more than 16 events (0.1 % of
// W1's trials). A normal outside the ziggurat's fast path (1.5 % of draws)
// is finished in place, one trial at a time, within its round.
#pragma once

#include <continuity/detail/exp_packets.hpp>
#include <continuity/detail/simd_dispatch.hpp>
#include <continuity/random/detail/ziggurat.hpp>
#include <continuity/random/normal.hpp>
#include <continuity/random/rng.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace continuity::detail {

/// The least m with unit_interval(b) > c for every draw b with b >> 12 = m
/// (c > 0): as u = (2m + 1)·2^-53, u > c ⇔ 2m + 1 > floor(c·2^53) ⇔
/// m >= ceil(floor(c·2^53) / 2), exactly (c·2^53 is exact, and at most
/// 2^53 + 2 for the c <= 1 + 2^-52 a summed CDF can reach). A uniform
/// variate is then compared with c as one integer comparison of its draw's
/// top 52 bits, without computing the double.
constexpr std::uint64_t unit_interval_threshold(double c) noexcept {
  const auto scaled = static_cast<std::uint64_t>(c * 0x1p53); // floor: c·2^53 >= 0
  return (scaled + 1) / 2;
}

/// A compound Poisson–lognormal scenario as the batch kernel uses it.
struct poisson_lognormal_parameters {
  /// unit_interval_threshold of P(N <= k) for k = 0 … 7 (the CDF exactly as
  /// the Poisson sampler sums it): u > P(N <= k) ⇔ (draw >> 12) >= it.
  std::array<std::uint64_t, 8> thresholds{};
  /// Location and scale of the log of one event's loss.
  double mu = 0, sigma = 1;

  /// The parameters of the scenario with the given CDF table (at least 8
  /// entries) and lognormal location and scale.
  template <class Table>
  static poisson_lognormal_parameters make(const Table& cumulative, double mu, double sigma) noexcept {
    poisson_lognormal_parameters p;
    for (std::size_t i = 0; i < p.thresholds.size(); ++i)
      p.thresholds[i] = unit_interval_threshold(static_cast<double>(cumulative[i]));
    p.mu = mu;
    p.sigma = sigma;
    return p;
  }
};

/// Limits of one call of poisson_lognormal_years.
struct poisson_lognormal_batch {
  /// Trials per call (the Monte Carlo engine's trial group).
  static constexpr std::size_t max_trials = 64;
  /// Scenarios of the portfolio.
  static constexpr std::size_t max_scenarios = 16;
  /// Events of one trial, over all its scenarios.
  static constexpr std::size_t max_events = 16;
};

/// What a call of poisson_lognormal_years leaves to be computed one trial at
/// a time (bit j: trial j).
struct poisson_lognormal_leftovers {
  /// Trials whose whole year is left: their engines and entries are
  /// untouched or partial.
  std::uint64_t years = 0;
};

/// 1 if a < b, else 0, for a, b < 2^63 (also the order of non-negative
/// doubles by their bit patterns); branch-free integer arithmetic.
constexpr std::uint64_t below(std::uint64_t a, std::uint64_t b) noexcept {
  return (a - b) >> 63;
}

/// The year of every trial j < engines.size() of a group over the given
/// scenarios (at most 16): by_scenario[s * stride + j] = the loss of
/// scenario s in trial j, drawn from engines.engine(j) exactly as
/// scenario_portfolio draws a year one trial at a time; lane j is left after
/// its draws. Returns the trials that left the common path, to be finished
/// one by one (their lanes and entries are untouched).
///
/// The trials are stepped side by side in rounds: round r draws the r-th
/// event of every trial that has more than r. They are sorted once by their
/// number of events, most first, so that the trials of round r are the first
/// ones of that order: every round works on a contiguous run of trials,
/// without masks, and its events land contiguously in one queue.
CONTINUITY_SIMD_DISPATCH inline poisson_lognormal_leftovers
poisson_lognormal_years(std::span<const poisson_lognormal_parameters> scenarios,
                        trial_engine_group& engines, double* by_scenario,
                        std::size_t stride) noexcept {
  using limits = poisson_lognormal_batch;
  constexpr std::size_t lanes = limits::max_trials;
  constexpr std::size_t queue = lanes * limits::max_events;
  constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  constexpr std::uint64_t nibbles = 0x1111111111111111u; // 1 in each 4-bit place
  static_assert(limits::max_events <= 16 && limits::max_scenarios <= 16,
                "a trial's scenario of each event fits in a 4-bit place of 64 bits");
  static_assert(trial_engine_group::capacity == lanes);
  const std::size_t n = engines.size();
  const std::size_t scenario_count = std::min(scenarios.size(), limits::max_scenarios);

  // The engines' states side by side (trials past n: events 0, never drawn
  // for nor handed back). The arrays are set in one loop rather than
  // zero-filled first (which compilers make a slow `rep stos`).
  alignas(64) std::array<std::uint64_t, lanes> s0, s1, events, counted;
  for (std::size_t j = 0; j < lanes; ++j) {
    s0[j] = engines.state0[j];
    s1[j] = engines.state1[j];
    events[j] = counted[j] = 0;
  }

  // 1. Every scenario's count: inversion by counting the CDF entries below u
  //    (k = 8 means "8 or more": such trials leave the common path), compared
  //    as integers on the draw's top 52 bits (unit_interval_threshold):
  //    k = 8 - #{i : m < threshold[i]}, arithmetic that vectorises on every
  //    x86-64. ends[s * lanes + j]: trial j's events of scenarios 0 … s.
  alignas(64) std::array<std::uint64_t, lanes * limits::max_scenarios> ends;
  for (std::size_t s = 0; s < scenario_count; ++s) {
    const std::array<std::uint64_t, 8> threshold = scenarios[s].thresholds;
    std::uint64_t* ends_s = ends.data() + s * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const std::uint64_t m = xoroshiro128pp_next(s0[j], s1[j]) >> 12;
      std::uint64_t k = 8;
#pragma GCC unroll 8
      for (std::size_t i = 0; i < threshold.size(); ++i) k -= below(m, threshold[i]);
      events[j] += k;
      ends_s[j] = events[j];
      counted[j] |= k;
    }
  }

  // Trials that leave the common path, and the bits of every trial's number
  // of events (0 … 16; 0 for those trials and past n) as 64-bit masks, one
  // bit a trial: reductions that vectorise.
  constexpr std::size_t count_bits = 5;
  static_assert(limits::max_events < (1u << count_bits));
  std::uint64_t off_path = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0;
  for (std::size_t j = 0; j < lanes; ++j) {
    const bool off = (counted[j] & 8u) != 0 || events[j] > limits::max_events;
    off_path |= std::uint64_t{off && j < n} << j;
    const std::uint64_t e = off || j >= n ? 0 : events[j];
    events[j] = e;
    p0 |= (e & 1u) << j;
    p1 |= ((e >> 1) & 1u) << j;
    p2 |= ((e >> 2) & 1u) << j;
    p3 |= ((e >> 3) & 1u) << j;
    p4 |= ((e >> 4) & 1u) << j;
  }
  const std::array<std::uint64_t, count_bits> plane{p0, p1, p2, p3, p4};

  // 2. The trials by number of events, most first: order[i] is the i-th and
  //    place[j] the place of trial j; above[r] of them have more than r
  //    events. Each number's trials are the set bits of a mask made from the
  //    planes, taken in turn (no counters in memory to update trial by
  //    trial).
  std::array<std::uint8_t, limits::max_events + 1> above{};
  alignas(64) std::array<std::uint8_t, lanes> order;
  alignas(64) std::array<std::uint64_t, lanes> t0, t1, tcode;
  // tcode[i]: in its 4-bit place r, the scenario of the r-th event of the
  // i-th trial (whose events come scenario after scenario): 1 in every place
  // from the end of each scenario's events on.
  std::array<std::uint64_t, limits::max_events + 1> places_below; // 4-bit places 0 … p - 1
  places_below[limits::max_events] = ~std::uint64_t{0};
  for (std::size_t p = 0; p < limits::max_events; ++p) places_below[p] = (std::uint64_t{1} << (4 * p)) - 1;
  std::size_t placed = 0, rounds = 0;
  for (std::size_t e = limits::max_events + 1; e-- > 0;) {
    std::uint64_t trials = ~std::uint64_t{0};
    for (std::size_t b = 0; b < count_bits; ++b) trials &= ((e >> b) & 1u) != 0 ? plane[b] : ~plane[b];
    if (trials != 0 && rounds == 0) rounds = e;
    for (; trials != 0; trials &= trials - 1) {
      const auto j = static_cast<std::size_t>(std::countr_zero(trials));
      order[placed] = static_cast<std::uint8_t>(j);
      t0[placed] = s0[j];
      t1[placed] = s1[j];
      // (Trials without events are placed too, for the way back to trial
      // order, but have no code: the ends of a trial off the common path,
      // or past n, may exceed max_events.)
      std::uint64_t c = 0;
      if (e != 0)
        for (std::size_t s = 0; s + 1 < scenario_count; ++s) c += nibbles & ~places_below[ends[s * lanes + j]];
      tcode[placed] = c;
      ++placed;
    }
    if (e >= 1) above[e - 1] = static_cast<std::uint8_t>(placed);
  }
  const std::size_t with_events = above[0];

  // 3. Round r: the r-th event of the first above[r] trials in that order:
  //    its draw, its standard normal by the ziggurat's fast path (as
  //    standard_normal computes it) and mu + sigma·z of its scenario, queued.
  //    A draw outside the fast path is finished after the round's loop by
  //    standard_normal's own rejection step, on the trial's engine (which
  //    draws more): the trial's later rounds go on from where it left it.
  std::array<double, limits::max_scenarios> mu, sigma;
  for (std::size_t s = 0; s < scenario_count; ++s) {
    mu[s] = scenarios[s].mu;
    sigma[s] = scenarios[s].sigma;
  }
  const auto& zig = ziggurat_tables::get();
  alignas(64) std::array<double, queue + exp_packet_pad> exponent;
  alignas(64) std::array<std::uint64_t, lanes> drawn, slow;
  // With up to 4 scenarios and AVX2 or AVX-512, mu and sigma of an event's
  // scenario are chosen among 4 values by comparisons and blends: compilers
  // emulate a vector gather from mu and sigma with one scalar load and
  // insertion per lane (the gather instruction being slow on some
  // processors), which costs more at those widths. In SSE2 code the emulated
  // gather is the cheaper one. (The same values either way.)
  constexpr std::size_t few = 4;
#if defined(__AVX2__)
  const bool wide_vectors = true;
#elif defined(CONTINUITY_SIMD_DISPATCHED)
  const bool wide_vectors = __builtin_cpu_supports("avx2") != 0; // the AVX2 or x86-64-v4 copy runs
#else
  const bool wide_vectors = false;
#endif
  const bool few_scenarios = wide_vectors && scenario_count <= few;
  std::array<double, few> mu_few, sigma_few;
  for (std::size_t s = 0; s < few; ++s) {
    mu_few[s] = s < scenario_count ? mu[s] : mu[0];
    sigma_few[s] = s < scenario_count ? sigma[s] : sigma[0];
  }
  const auto draw_round = [&](std::size_t active, std::size_t r, double* exponent_r, auto chosen) {
    const unsigned shift = static_cast<unsigned>(4 * r);
    std::uint64_t any_slow = 0;
    for (std::size_t i = 0; i < active; ++i) {
      const std::uint64_t b = xoroshiro128pp_next(t0[i], t1[i]);
      drawn[i] = b;
      const auto layer = static_cast<std::size_t>(b & ziggurat_tables::layer_mask);
      const double u = signed_unit_interval(b);
      const std::uint64_t magnitude = std::bit_cast<std::uint64_t>(u) & ~sign_bit; // |u|
      slow[i] = 1u - below(magnitude, std::bit_cast<std::uint64_t>(zig.ratio[layer]));
      any_slow |= slow[i];
      const auto s = static_cast<std::size_t>((tcode[i] >> shift) & 15u);
      double location, scale;
      if constexpr (chosen) {
        // s compared as the double 2^52 + s: SSE2 compares doubles, not
        // 64-bit integers, for equality.
        const double s_as_double = std::bit_cast<double>(s | 0x4330000000000000u);
        location = mu_few[0];
        scale = sigma_few[0];
#pragma GCC unroll 4
        for (std::size_t k = 1; k < few; ++k) {
          const bool own = s_as_double == 0x1p52 + static_cast<double>(k);
          location = own ? mu_few[k] : location;
          scale = own ? sigma_few[k] : scale;
        }
      } else {
        location = mu[s];
        scale = sigma[s];
      }
      exponent_r[i] = location + scale * (u * zig.x[layer]);
    }
    return any_slow;
  };
  std::size_t m = 0;
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t active = above[r];
    double* exponent_r = exponent.data() + m;
    const std::uint64_t any_slow = few_scenarios
                                       ? draw_round(active, r, exponent_r, std::true_type{})
                                       : draw_round(active, r, exponent_r, std::false_type{});
    if (any_slow != 0) {
      std::uint64_t slow_ones = 0; // as a mask, to visit only them
      for (std::size_t i = 0; i < active; ++i) slow_ones |= slow[i] << i;
      trial_engine engine; // the state is all the rejection step uses
      for (; slow_ones != 0; slow_ones &= slow_ones - 1) {
        const auto i = static_cast<std::size_t>(std::countr_zero(slow_ones));
        trial_engine_state::set(engine, t0[i], t1[i]);
        const double z = ziggurat_rejection<double>(engine, drawn[i]);
        const auto state = trial_engine_state::get(engine);
        t0[i] = state[0];
        t1[i] = state[1];
        const auto s = static_cast<std::size_t>((tcode[i] >> (4 * r)) & 15u);
        exponent_r[i] = mu[s] + sigma[s] * z;
      }
    }
    m += active;
  }

  // 4. The losses exp(mu + sigma·z), in whole SIMD packets (every value
  //    through the same code, as deferred_exp_sums does), then summed per
  //    trial and scenario in round order, which is event order. Round 0 sets
  //    the sums of the trials with events (0.0 + x is x for a loss, never
  //    -0.0); the others' are 0.
  exp_in_packets(exponent.data(), m);
  alignas(64) std::array<double, lanes * limits::max_scenarios> sums;
  const bool side_by_side = scenario_count <= 4; // each scenario's sums updated side by side
  for (std::size_t s = 0; s < scenario_count; ++s) {
    double* sums_s = sums.data() + s * lanes;
    for (std::size_t i = side_by_side ? with_events : 0; i < lanes; ++i) sums_s[i] = 0.0;
  }
  m = 0;
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t active = above[r];
    const double* loss_r = exponent.data() + m;
    const unsigned shift = static_cast<unsigned>(4 * r);
    if (side_by_side && r == 0) {
      for (std::size_t s = 0; s < scenario_count; ++s)
        for (std::size_t i = 0; i < active; ++i) {
          const bool own = ((tcode[i] >> shift) & 15u) == s;
          sums[s * lanes + i] = own ? loss_r[i] : 0.0;
        }
    } else if (side_by_side) {
      for (std::size_t s = 0; s < scenario_count; ++s)
        for (std::size_t i = 0; i < active; ++i) {
          const bool own = ((tcode[i] >> shift) & 15u) == s;
          sums[s * lanes + i] += own ? loss_r[i] : 0.0; // + 0.0 leaves a sum (never -0.0) as it is
        }
    } else {
      for (std::size_t i = 0; i < active; ++i)
        sums[((tcode[i] >> shift) & 15u) * lanes + i] += loss_r[i];
    }
    m += active;
  }

  // 5. Back to trial order.
  for (std::size_t i = 0; i < lanes; ++i) {
    const std::size_t j = order[i];
    if (j >= n) continue;
    for (std::size_t s = 0; s < scenario_count; ++s) by_scenario[s * stride + j] = sums[s * lanes + i];
    if (((off_path >> j) & 1u) == 0) {
      engines.state0[j] = t0[i];
      engines.state1[j] = t1[i];
    }
  }
  return {off_path};
}

} // namespace continuity::detail
