// continuity/loss/detail/poisson_lognormal_batch.hpp — the years of many
// Monte Carlo trials of compound Poisson–lognormal scenarios at once, with
// the arithmetic of all the trials side by side (SIMD).
//
// Each trial still draws from its own trial_engine, in the order a
// scenario_portfolio defines (every scenario's count, then every event's
// loss), and gets exactly the loss it would get alone. Trials that leave the
// common path (a count of 8 or more, more than 16 events, a ziggurat draw
// outside its fast path: about 4 % of W1's trials) are reported back, and the
// portfolio computes them one by one.
#pragma once

#include <continuity/detail/exp_packets.hpp>
#include <continuity/detail/simd_dispatch.hpp>
#include <continuity/random/detail/ziggurat.hpp>
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

/// 1 if a < b, else 0, for a, b < 2^63 (also the order of non-negative
/// doubles by their bit patterns); branch-free integer arithmetic.
constexpr std::uint64_t below(std::uint64_t a, std::uint64_t b) noexcept {
  return (a - b) >> 63;
}

/// The year of every trial j < engines.size() (at most 64) over the given
/// scenarios (at most 16): by_scenario[s * stride + j] = the loss of
/// scenario s in trial j, drawn from engines[j] exactly as scenario_portfolio
/// draws a year one trial at a time; engines[j] is left after its draws.
/// Returns the set of trials (bit j) that left the common path: their
/// engines and entries are untouched or partial, and must be computed one by
/// one.
CONTINUITY_SIMD_DISPATCH inline std::uint64_t
poisson_lognormal_years(std::span<const poisson_lognormal_parameters> scenarios,
                        std::span<trial_engine> engines, double* by_scenario,
                        std::size_t stride) noexcept {
  using limits = poisson_lognormal_batch;
  constexpr std::size_t lanes = limits::max_trials;
  constexpr std::size_t queue = lanes * limits::max_events;
  constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  constexpr std::uint64_t head = 4; // events placed without a data-dependent branch
  const std::size_t n = std::min(engines.size(), lanes);
  const std::size_t scenario_count = std::min(scenarios.size(), limits::max_scenarios);

  // The engines' states side by side.
  alignas(64) std::array<std::uint64_t, lanes> s0, s1, events, counted;
  for (std::size_t j = 0; j < n; ++j) {
    const auto state = trial_engine_state::get(engines[j]);
    s0[j] = state[0];
    s1[j] = state[1];
    events[j] = 0;
    counted[j] = 0;
  }

  // 1. Every scenario's count: inversion by counting the CDF entries below u
  //    (k = 8 means "8 or more": such trials leave the common path). The
  //    comparisons are made on the bit patterns, which order positive
  //    doubles as their values: integer arithmetic that vectorises on every
  //    x86-64.
  // ends[s * lanes + j]: trial j's events of scenarios 0 … s.
  alignas(64) std::array<std::uint64_t, lanes * limits::max_scenarios> ends;
  for (std::size_t s = 0; s < scenario_count; ++s) {
    std::array<std::uint64_t, 8> cdf;
    for (std::size_t i = 0; i < cdf.size(); ++i)
      cdf[i] = std::bit_cast<std::uint64_t>(scenarios[s].cumulative[i]);
    std::uint64_t* ends_s = ends.data() + s * lanes;
    for (std::size_t j = 0; j < n; ++j) {
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
  std::uint64_t off_path = 0, rounds = 0;
  for (std::size_t j = 0; j < n; ++j) {
    if ((counted[j] & 8u) != 0 || events[j] > limits::max_events) {
      off_path |= std::uint64_t{1} << j;
      events[j] = 0;
    }
    rounds = std::max(rounds, events[j]);
  }
  rounds = std::max<std::uint64_t>(rounds, head); // step 3 reads the first rows

  // 2. The events' draws: round r draws the r-th for every trial with more
  //    than r events (the others keep their state).
  alignas(64) std::array<std::uint64_t, queue> raw;
  for (std::uint64_t r = 0; r < rounds; ++r) {
    std::uint64_t* raw_r = raw.data() + r * lanes;
    for (std::size_t j = 0; j < n; ++j) {
      std::uint64_t a = s0[j], b = s1[j];
      raw_r[j] = xoroshiro128pp_next(a, b);
      const std::uint64_t drawn = 0 - below(r, events[j]); // all ones when r < events[j]
      s0[j] = (a & drawn) | (s0[j] & ~drawn);
      s1[j] = (b & drawn) | (s1[j] & ~drawn);
    }
  }

  // 3. The events in trial order, each with its scenario. Trial j's r-th
  //    event belongs to the scenario s with ends[s-1] <= r < ends[s]. The
  //    first `head` places of a trial are written whatever its number of
  //    events (the next trial overwrites the surplus): few trials have more,
  //    so the loop rarely branches on the data.
  alignas(64) std::array<std::uint64_t, queue + head> bits;
  std::array<std::uint8_t, queue + head> scenario, trial;
  std::size_t m = 0;
  const auto place = [&](std::size_t j, std::uint64_t r) {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i + 1 < scenario_count; ++i) s += 1u - below(r, ends[i * lanes + j]);
    bits[m + r] = raw[r * lanes + j];
    scenario[m + r] = static_cast<std::uint8_t>(s);
    trial[m + r] = static_cast<std::uint8_t>(j);
  };
  for (std::size_t j = 0; j < n; ++j) {
    if ((off_path >> j) & 1u) continue;
    for (std::uint64_t r = 0; r < head; ++r) place(j, r);
    for (std::uint64_t r = head; r < events[j]; ++r) place(j, r);
    m += events[j];
  }

  // 4. Each event's standard normal by the ziggurat's fast path (as
  //    standard_normal computes it), then mu + sigma·z.
  std::array<double, limits::max_scenarios> mu, sigma;
  for (std::size_t s = 0; s < scenario_count; ++s) {
    mu[s] = scenarios[s].mu;
    sigma[s] = scenarios[s].sigma;
  }
  const auto& zig = ziggurat_tables::get();
  alignas(64) std::array<double, queue + exp_packet_pad> exponent;
  alignas(64) std::array<std::uint64_t, queue> rejected;
  for (std::size_t e = 0; e < m; ++e) {
    const std::uint64_t b = bits[e];
    const auto layer = static_cast<std::size_t>(b & ziggurat_tables::layer_mask);
    const double u = signed_unit_interval(b);
    const std::uint64_t magnitude = std::bit_cast<std::uint64_t>(u) & ~sign_bit; // |u|
    rejected[e] = 1u - below(magnitude, std::bit_cast<std::uint64_t>(zig.ratio[layer]));
    exponent[e] = mu[scenario[e]] + sigma[scenario[e]] * (u * zig.x[layer]);
  }

  // 5. The losses exp(mu + sigma·z), in whole SIMD packets (every value
  //    through the same code, as deferred_exp_sums does), summed per
  //    scenario in event order.
  exp_in_packets(exponent.data(), m);
  for (std::size_t s = 0; s < scenario_count; ++s)
    std::fill_n(by_scenario + s * stride, n, 0.0);
  for (std::size_t e = 0; e < m; ++e) {
    by_scenario[scenario[e] * stride + trial[e]] += exponent[e];
    off_path |= rejected[e] << trial[e];
  }

  for (std::size_t j = 0; j < n; ++j)
    if (((off_path >> j) & 1u) == 0) trial_engine_state::set(engines[j], s0[j], s1[j]);
  return off_path;
}

} // namespace continuity::detail
