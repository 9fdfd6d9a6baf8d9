// continuity/model/published_distributions.hpp — distributions published by
// surveys of real incidents, as presets a model can use by name (in the
// model format: {"histogram": "npa_ransomware_cost_2022h2"}), e.g. as the
// loss per event of a top-down ransomware scenario. docs/presets.md gives
// the sources, the figures and the assumptions added to them.
#pragma once

#include <continuity/random/histogram.hpp>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace continuity {

/// A published distribution: bins with the survey's shares.
struct published_distribution {
  std::string_view name;   ///< preset name
  std::string_view unit;   ///< "money" (yen) or "hours"
  std::string_view source; ///< the survey, and what the preset adds to it
  std::array<double, 6> edges;  ///< bin edges (the first bins' count + 1 used)
  std::array<double, 5> shares; ///< the survey's shares, in per cent
  std::size_t bins;             ///< number of bins used
};

/// The presets (docs/presets.md).
inline constexpr std::array<published_distribution, 2> published_distributions{{
    {"npa_ransomware_cost_2022h2", "money",
     "National Police Agency, ransomware victims' total cost of investigation and recovery, "
     "second half of 2022: under ¥1 m 24 %, ¥1-5 m 16 %, ¥5-10 m 14 %, ¥10-50 m 33 %, ¥50 m "
     "and more 13 %; log-uniform within each range, from ¥100,000 (assumed floor) to ¥500 m "
     "(assumed cap, above Handa hospital's ¥300 m)",
     {1e5, 1e6, 5e6, 1e7, 5e7, 5e8},
     {24, 16, 14, 33, 13},
     5},
    {"npa_ransomware_recovery_2025h1", "hours",
     "National Police Agency, time to recover from ransomware, first half of 2025: within a "
     "week about 21 %, one week to a month about 32 %, one to two months about 15 %, two "
     "months or more about 6 % (the remaining quarter had not recovered when asked: the "
     "shares are normalised over those who had, which understates long recoveries); "
     "log-uniform within each range, from 1 hour (assumed) to 6 months (assumed cap)",
     {1, 168, 720, 1440, 4380, 0},
     {21, 32, 15, 6, 0},
     4},
}};

/// The published distribution called `name`, if there is one.
constexpr std::optional<published_distribution> find_published_distribution(std::string_view name) noexcept {
  for (const auto& p : published_distributions)
    if (p.name == name) return p;
  return std::nullopt;
}

/// The histogram of a published distribution (log-uniform within bins).
template <class Real = double>
histogram<Real> to_histogram(const published_distribution& p) {
  std::vector<Real> edges, shares;
  for (std::size_t k = 0; k <= p.bins; ++k) edges.push_back(static_cast<Real>(p.edges[k]));
  for (std::size_t k = 0; k < p.bins; ++k) shares.push_back(static_cast<Real>(p.shares[k]));
  return histogram<Real>(edges, shares, histogram_scale::log);
}

} // namespace continuity
