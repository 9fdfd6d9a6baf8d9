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

namespace continuity::detail {

/// A compound Poisson–lognormal scenario as the batch kernel uses it.
struct poisson_lognormal_parameters {
  /// P(N <= k) for k = 0 … 7, exactly as the Poisson sampler sums them.
  std::array<double, 8> cumulative{};
  /// Location and scale of the log of one event's loss.
  double mu = 0, sigma = 1;
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

/// The year of every trial j < engines.size() (at most 64) over the given
/// scenarios (at most 16): by_scenario[s * stride + j] = the loss of
/// scenario s in trial j, drawn from engines[j] exactly as scenario_portfolio
/// draws a year one trial at a time; engines[j] is left after its draws.
/// Returns the trials that left the common path, to be finished one by one.
///
/// The trials are stepped side by side in rounds: round r draws the r-th
/// event of every trial that has more than r. They are sorted once by their
/// number of events, most first, so that the trials of round r are the first
/// ones of that order: every round works on a contiguous run of trials,
/// without masks, and its events land contiguously in one queue.
CONTINUITY_SIMD_DISPATCH inline poisson_lognormal_leftovers
poisson_lognormal_years(std::span<const poisson_lognormal_parameters> scenarios,
                        std::span<trial_engine> engines, double* by_scenario,
                        std::size_t stride) noexcept {
  using limits = poisson_lognormal_batch;
  constexpr std::size_t lanes = limits::max_trials;
  constexpr std::size_t queue = lanes * limits::max_events;
  constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  constexpr std::uint64_t nibbles = 0x1111111111111111u; // 1 in each 4-bit place
  static_assert(limits::max_events <= 16 && limits::max_scenarios <= 16,
                "a trial's scenario of each event fits in a 4-bit place of 64 bits");
  const std::size_t n = std::min(engines.size(), lanes);
  const std::size_t scenario_count = std::min(scenarios.size(), limits::max_scenarios);

  // The engines' states side by side (trials past n: events 0, never drawn
  // for nor handed back).
  alignas(64) std::array<std::uint64_t, lanes> s0{}, s1{}, events{}, counted{};
  for (std::size_t j = 0; j < n; ++j) {
    const auto state = trial_engine_state::get(engines[j]);
    s0[j] = state[0];
    s1[j] = state[1];
  }

  // 1. Every scenario's count: inversion by counting the CDF entries below u
  //    (k = 8 means "8 or more": such trials leave the common path). The
  //    comparisons are made on the bit patterns, which order positive
  //    doubles as their values: integer arithmetic that vectorises on every
  //    x86-64. ends[s * lanes + j]: trial j's events of scenarios 0 … s.
  alignas(64) std::array<std::uint64_t, lanes * limits::max_scenarios> ends;
  for (std::size_t s = 0; s < scenario_count; ++s) {
    std::array<std::uint64_t, 8> cdf;
    for (std::size_t i = 0; i < cdf.size(); ++i)
      cdf[i] = std::bit_cast<std::uint64_t>(scenarios[s].cumulative[i]);
    std::uint64_t* ends_s = ends.data() + s * lanes;
    for (std::size_t j = 0; j < lanes; ++j) {
      const double u = unit_interval(xoroshiro128pp_next(s0[j], s1[j]));
      const auto u_bits = std::bit_cast<std::uint64_t>(u);
      std::uint64_t k = 0;
#pragma GCC unroll 8
      for (std::size_t i = 0; i < cdf.size(); ++i) k += below(cdf[i], u_bits); // u > cdf[i]
      events[j] += k;
      ends_s[j] = events[j];
      counted[j] |= k;
    }
  }
  std::uint64_t off_path = 0;
  std::array<std::uint8_t, limits::max_events + 2> tally{}; // trials by number of events
  for (std::size_t j = 0; j < n; ++j) {
    const bool off = (counted[j] & 8u) != 0 || events[j] > limits::max_events;
    off_path |= std::uint64_t{off} << j;
    events[j] = off ? 0 : events[j];
    ++tally[events[j]];
  }
  for (std::size_t j = n; j < lanes; ++j) events[j] = 0;

  // 2. The trials with events, by number of events, most first (a counting
  //    sort): order[i] is the i-th; above[r] of them have more than r events.
  std::array<std::uint8_t, limits::max_events + 1> above{}, place{};
  std::uint8_t with_events = 0;
  for (std::size_t e = limits::max_events; e >= 1; --e) {
    place[e] = with_events;
    with_events = static_cast<std::uint8_t>(with_events + tally[e]);
    above[e - 1] = with_events;
  }
  alignas(64) std::array<std::uint8_t, lanes> order;
  alignas(64) std::array<std::uint64_t, lanes> t0, t1, tcode;
  for (std::size_t j = 0; j < n; ++j)
    if (events[j] != 0) order[place[events[j]]++] = static_cast<std::uint8_t>(j);
  // tcode[i]: in its 4-bit place r, the scenario of the r-th event of the
  // i-th trial (whose events come scenario after scenario): 1 in every place
  // from the end of each scenario's events on.
  std::array<std::uint64_t, limits::max_events + 1> places_below; // 4-bit places 0 … p - 1
  places_below[limits::max_events] = ~std::uint64_t{0};
  for (std::size_t p = 0; p < limits::max_events; ++p) places_below[p] = (std::uint64_t{1} << (4 * p)) - 1;
  for (std::size_t i = 0; i < with_events; ++i) {
    const std::size_t j = order[i];
    t0[i] = s0[j];
    t1[i] = s1[j];
    std::uint64_t c = 0;
    for (std::size_t s = 0; s + 1 < scenario_count; ++s) c += nibbles & ~places_below[ends[s * lanes + j]];
    tcode[i] = c;
  }

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
  const std::size_t rounds = with_events == 0 ? 0 : events[order[0]];
  alignas(64) std::array<std::uint64_t, lanes> drawn, slow;
  std::size_t m = 0;
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t active = above[r];
    double* exponent_r = exponent.data() + m;
    std::uint64_t any_slow = 0;
    for (std::size_t i = 0; i < active; ++i) {
      const std::uint64_t b = xoroshiro128pp_next(t0[i], t1[i]);
      drawn[i] = b;
      const auto layer = static_cast<std::size_t>(b & ziggurat_tables::layer_mask);
      const double u = signed_unit_interval(b);
      const std::uint64_t magnitude = std::bit_cast<std::uint64_t>(u) & ~sign_bit; // |u|
      slow[i] = 1u - below(magnitude, std::bit_cast<std::uint64_t>(zig.ratio[layer]));
      any_slow |= slow[i];
      const auto s = static_cast<std::size_t>((tcode[i] >> (4 * r)) & 15u);
      exponent_r[i] = mu[s] + sigma[s] * (u * zig.x[layer]);
    }
    if (any_slow != 0)
      for (std::size_t i = 0; i < active; ++i) {
        if (slow[i] == 0) continue;
        trial_engine& engine = engines[order[i]];
        trial_engine_state::set(engine, t0[i], t1[i]);
        const double z = ziggurat_rejection<double>(engine, drawn[i]);
        const auto state = trial_engine_state::get(engine);
        t0[i] = state[0];
        t1[i] = state[1];
        const auto s = static_cast<std::size_t>((tcode[i] >> (4 * r)) & 15u);
        exponent_r[i] = mu[s] + sigma[s] * z;
      }
    m += active;
  }

  // 4. The losses exp(mu + sigma·z), in whole SIMD packets (every value
  //    through the same code, as deferred_exp_sums does), then summed per
  //    trial and scenario in round order, which is event order.
  exp_in_packets(exponent.data(), m);
  alignas(64) std::array<double, lanes * limits::max_scenarios> sums;
  std::fill_n(sums.begin(), scenario_count * lanes, 0.0);
  m = 0;
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t active = above[r];
    const double* loss_r = exponent.data() + m;
    if (scenario_count <= 4) { // each scenario's sums updated side by side
      for (std::size_t s = 0; s < scenario_count; ++s)
        for (std::size_t i = 0; i < active; ++i) {
          const bool own = ((tcode[i] >> (4 * r)) & 15u) == s;
          sums[s * lanes + i] += own ? loss_r[i] : 0.0; // + 0.0 leaves a sum (never -0.0) as it is
        }
    } else {
      for (std::size_t i = 0; i < active; ++i)
        sums[((tcode[i] >> (4 * r)) & 15u) * lanes + i] += loss_r[i];
    }
    m += active;
  }

  // 5. Back to trial order.
  for (std::size_t s = 0; s < scenario_count; ++s)
    std::fill_n(by_scenario + s * stride, n, 0.0);
  for (std::size_t i = 0; i < with_events; ++i) {
    const std::size_t j = order[i];
    for (std::size_t s = 0; s < scenario_count; ++s) by_scenario[s * stride + j] = sums[s * lanes + i];
    s0[j] = t0[i];
    s1[j] = t1[i];
  }
  for (std::size_t j = 0; j < n; ++j)
    if (((off_path >> j) & 1u) == 0) trial_engine_state::set(engines[j], s0[j], s1[j]);
  return {off_path};
}

} // namespace continuity::detail
