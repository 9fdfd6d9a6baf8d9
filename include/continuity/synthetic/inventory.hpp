// continuity/synthetic/inventory.hpp — a seeded synthetic inventory of any
// size (10^3 to 10^6 systems and beyond) for benchmarks, tests and
// demonstrations: a layered IT estate with shared platforms, redundancy,
// backups, recovery procedures, network segments, staff and one ransomware
// scenario, as a model_spec that always validates.
//
// Topology. Systems are numbered layer by layer from the ground up, the
// shared platforms first in their layer. Every dependency points to a system
// with a smaller index, so the graph is acyclic (unless `cycles` asks for
// some), and every dependency goes to a lower layer or to a shared platform:
//
//   layer           share of systems   a regular system depends on (all of)
//   building        0.1 % (≥ 1)        —
//   infrastructure  4 %                buildings; half of them the network core
//   hardware        30 %               buildings 10 %, infrastructure 90 %; 60 % the network core
//   software/data   the rest (≈ 56 %)  buildings 2 %, infrastructure 8 %, hardware 90 %;
//                                      60 % a virtualisation cluster, 40 % a directory
//   people          10 %               buildings 40 %, hardware 40 %, software 20 %; 30 % a directory
//
// Shared platforms (`platforms_per_kind` of each kind, named with the prefix
// shared_platform_prefix, all in the first network segment):
//   network core            two core switches (each in a building) and the core, any one of the two;
//   virtualisation cluster  `cluster_hosts` hosts (each needs a building and a network core) and the
//                           cluster, which needs all hosts but one;
//   directory               two domain controllers (virtual machines on two clusters) and the
//                           directory, any one of the two.
//
// Heavy tails. Each dependency target is drawn as floor(n·u³) over the
// candidates (u uniform), so the first systems of a layer — and the first
// platform of each kind — collect most of the dependants: fan-in follows a
// power law (the number of systems with fan-in ≥ f falls like f^−1.5).
// Fan-out is 1 + min(floor(X), 255) plain dependencies with X Lomax with
// tail index 2 (P(X ≥ x) = (1 + x/λ)^−2), plus the platform dependencies and
// the redundancy group; λ is set so that the systems' dependency edges (every
// candidate of every requirement, cycles aside) total exactly
// round(mean_dependencies × systems).
//
// Redundancy. A share of the regular systems has an any-of pair of
// alternatives (two power feeds, two hosts of an HA pair), another share a
// k-of-n cluster (3 to 5 members, a majority needed), drawn from the layer
// below (buildings for infrastructure, infrastructure for hardware, hardware
// for software and people).
//
// Everything else. Hardware is client (PCs) or server side half and half;
// software runs in the segment of its first hardware dependency. Software
// holds data (30 % of the regular software does not); a share of the
// data-holding systems has backups mixing online disk or NAS, offline tape
// and immutable cloud copies, on and off site, with generations; every
// system that inherits a recovery point objective has a backup meeting it.
// A share of the systems has its own two-phase (building, infrastructure,
// hardware) or one-phase (software, people) recovery procedure with
// triangular or PERT step durations, staffed from the resource pools; the
// rest get the default procedure. Business functions need 1 to 6
// applications and a team, a quarter of them an any-of pair of applications
// and a fifth k of n hardware devices; importance, dependency level,
// objectives, revenue (Pareto, tail index 2), workarounds and impact curves
// are drawn. The ransomware scenario enters through a client PC of the
// office network (segment 1, the largest client segment), spreads
// within reached segments with `spread_within_segment` and across the
// connections out of every segment: to the main server segment with chance
// 0.6 and to one more (the management segment with chance 0.1, another
// with 0.1, 0.3 or 0.6); detection takes 12 h; its cost lines cover each
// driver.
//
// Reproducible: every random quantity comes from its own Philox stream keyed
// by the seed, what it is for and the index of the system or function it
// belongs to, and only +, −, ×, ÷ and √ (correctly rounded in IEEE
// arithmetic) turn the draws into numbers. The same options give the same
// specification on every platform and standard library. Generation is
// linear in the size: about 1.5–3 s per million systems with names, 0.3–0.6 s
// for the graph alone (benchmarks/README.md).
#pragma once

#include <continuity/model/objective_inheritance.hpp>
#include <continuity/error.hpp>
#include <continuity/model/model.hpp>
#include <continuity/random/distribution.hpp>
#include <continuity/random/rng.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace continuity {

/// What to generate. Every field is checked by generate_inventory, which
/// throws value_error naming the field ("synthetic inventory options:
/// <field>: ...") for a value outside its range.
struct synthetic_inventory_options {
  /// Number of systems, in [100, 10^8]; meant for 10^3 … 10^6.
  std::size_t systems = 1000;
  /// Number of business functions, in [1, 10^7].
  std::size_t functions = 100;
  /// Dependency edges per system: the systems' requirements list exactly
  /// round(mean_dependencies × systems) candidates in all (cycle edges
  /// aside). In [1, 64]; it must leave one per regular system after the
  /// platforms' own edges, and fit the candidates there are.
  double mean_dependencies = 4;
  /// Share of regular systems (not buildings, not platforms) with an any-of
  /// pair of alternatives, in [0, 1].
  double any_of_share = 0.15;
  /// Share of regular systems with a k-of-n cluster requirement, in [0, 1];
  /// any_of_share + k_of_n_share ≤ 1.
  double k_of_n_share = 0.05;
  /// Shared platforms of each kind (network core, virtualisation cluster,
  /// directory); 0: max(1, round(√systems / 10)). The platforms must fit in
  /// their layers with at least one regular system left in each.
  std::size_t platforms_per_kind = 0;
  /// Hosts per virtualisation cluster, in [2, 64].
  std::size_t cluster_hosts = 8;
  /// Network segments, in [1, 10^6]; at most one per regular hardware
  /// system (fewer are made for small inventories). Segment 0 is the
  /// management segment of the platforms, odd ones hold clients, even ones
  /// servers; every segment has at least one system.
  std::size_t segments = 32;
  /// Share of data-holding systems with backups, in [0, 1] (those that
  /// inherit a recovery point objective always get one).
  double backup_share = 0.85;
  /// Share of backed-up systems with an offline tape copy, in [0, 1].
  double offline_backup_share = 0.3;
  /// Share of backed-up systems with an immutable cloud copy, in [0, 1].
  double immutable_backup_share = 0.2;
  /// Share of systems with their own recovery procedure, in [0, 1].
  double procedure_share = 0.05;
  /// People in the "IT staff" pool (the default procedures' staff), ≥ 1.
  int it_staff = 10;
  /// People in the "vendor engineers" pool, ≥ 0 (0: no such pool).
  int vendor_engineers = 2;
  /// People in the "clerks" pool who re-enter lost data, ≥ 0 (0: no pool;
  /// re-entry is then done by the users).
  int clerks = 4;
  /// Units of the "spare servers" equipment pool, ≥ 0 (0: no pool).
  int spare_servers = 4;
  /// Expected ransomware incidents per year, finite and ≥ 0.
  double ransomware_frequency = 0.2;
  /// Hours the attacker is inside before encrypting, finite and ≥ 0.
  double dwell_time = 72;
  /// Chance that each software system of a reached segment is hit, in [0, 1].
  double spread_within_segment = 0.8;
  /// Whether the ransomware scenario gets cost lines (one per driver and
  /// category; lost profit is counted from the functions either way).
  bool cost_lines = true;
  /// Dependency cycles to add, each between two neighbouring regular software
  /// systems (1 or 2 extra edges, not counted in mean_dependencies); with any,
  /// the specification groups strongly connected systems. At most half the
  /// regular software systems.
  std::size_t cycles = 0;
  /// Seed of every random choice.
  std::uint64_t seed = 1;
};

/// Names of shared-platform systems start with this prefix
/// ("platform:core-0", "platform:cluster-3/host-2", ...). Every dependency
/// of a generated inventory goes to a lower layer or to such a system.
inline constexpr std::string_view shared_platform_prefix = "platform:";

/// True if `system_name` names a shared-platform system of a generated inventory.
constexpr bool is_shared_platform(std::string_view system_name) noexcept {
  return system_name.substr(0, shared_platform_prefix.size()) == shared_platform_prefix;
}

/// The dependency structure of a generated inventory without names or
/// attributes: the compressed sparse row arrays of dependency_graph
/// (systems, then functions, as nodes). Identical to the graph of
/// model(generate_inventory(options)) for the same options.
struct synthetic_graph {
  index_t system_count = 0;                      ///< number of systems
  index_t function_count = 0;                    ///< number of business functions
  std::vector<asset_layer> layers;               ///< layer of each system
  std::vector<std::uint8_t> shared_platform;     ///< 1 if system s belongs to a shared platform
  std::vector<index_t> node_requirement_offsets; ///< requirements of node v: [v] … [v+1]−1
  std::vector<index_t> needed;                   ///< candidates needed of each requirement
  std::vector<index_t> requirement_member_offsets; ///< members of requirement r: [r] … [r+1]−1
  std::vector<index_t> requirement_members;        ///< candidate systems, concatenated

  /// Number of dependency edges of the systems (candidates of their
  /// requirements; the functions' needs not counted).
  std::size_t system_edge_count() const noexcept {
    return system_count == 0 ? 0
                             : requirement_member_offsets[node_requirement_offsets[system_count]];
  }
  /// The dependency graph (copies the arrays; computes the strongly
  /// connected components).
  dependency_graph graph() const {
    return dependency_graph(system_count, function_count, node_requirement_offsets, needed,
                            requirement_member_offsets, requirement_members);
  }
};

namespace detail {

// What a Philox stream of the generator is for (the upper 16 bits of its id).
enum class synthetic_purpose : std::uint64_t {
  fanout = 1,    // item: system
  targets,       // item: system
  adjust,        // item: 0 (where the adjusting sweeps start)
  cycles,        // item: cycle
  function_needs, // item: function
  function_values, // item: function
  backups,       // item: system
  procedure,     // item: system
  data,          // item: system
  scenario,      // item: 0
  connections,   // item: segment
};

// Draws of one stream.
class synthetic_draw {
public:
  synthetic_draw(std::uint64_t seed, synthetic_purpose purpose, std::uint64_t item) noexcept
      : engine_(seed, (static_cast<std::uint64_t>(purpose) << 48) | item) {}
  double unit() noexcept { return uniform01<double>(engine_); }
  bool chance(double p) noexcept { return unit() < p; }
  // Uniform in [0, n), n ≥ 1.
  index_t below(index_t n) noexcept {
    const auto v = static_cast<index_t>(unit() * static_cast<double>(n));
    return v < n ? v : n - 1;
  }
  // floor(n·u³) in [0, n): low indices far more often (heavy fan-in).
  index_t skewed(index_t n) noexcept {
    const double u = unit();
    const auto v = static_cast<index_t>(u * u * u * static_cast<double>(n));
    return v < n ? v : n - 1;
  }
  // min(floor(X), cap) with X Lomax of tail index 2 and scale lambda.
  index_t heavy_count(double lambda, index_t cap) noexcept {
    const double u = unit();
    if (!(lambda > 0) || cap == 0) return 0;
    const double x = lambda * (1 / std::sqrt(u) - 1);
    return x >= static_cast<double>(cap) ? cap : static_cast<index_t>(x);
  }
  // One of `values`.
  template <class T, std::size_t N>
  T pick(const std::array<T, N>& values) noexcept {
    return values[below(static_cast<index_t>(N))];
  }

private:
  philox_engine engine_;
};

inline constexpr index_t synthetic_max_plain = 256; // plain dependencies per system at most
inline constexpr std::size_t synthetic_layers = asset_layer_count;

// Rules of the regular systems of a layer.
struct synthetic_layer_rule {
  std::array<double, synthetic_layers> weight; // plain dependencies by target layer
  std::size_t group_layer;                     // layer of the redundancy groups
  std::array<double, 3> platform;              // chance of core, cluster, directory
};

inline constexpr std::array<synthetic_layer_rule, synthetic_layers> synthetic_rules{{
    {{0, 0, 0, 0, 0}, 0, {0, 0, 0}},            // building: nothing
    {{1, 0, 0, 0, 0}, 0, {0.5, 0, 0}},          // infrastructure
    {{0.1, 0.9, 0, 0, 0}, 1, {0.6, 0, 0}},      // hardware
    {{0.02, 0.08, 0.9, 0, 0}, 2, {0, 0.6, 0.4}}, // software
    {{0.4, 0, 0.4, 0.2, 0}, 2, {0, 0, 0.3}},    // people
}};

// Where everything is.
struct synthetic_layout {
  index_t n = 0, functions = 0;
  std::array<index_t, synthetic_layers + 1> start{}; // layer l: [start[l], start[l+1])
  std::array<index_t, synthetic_layers> regular{};   // first regular system of layer l
  index_t platforms = 0, hosts = 0, segments = 1;

  index_t regular_count(std::size_t l) const noexcept { return start[l + 1] - regular[l]; }
  index_t core_switch(index_t p, index_t j) const noexcept { return start[1] + 3 * p + j; }
  index_t core(index_t p) const noexcept { return start[1] + 3 * p + 2; }
  index_t host(index_t p, index_t h) const noexcept { return start[2] + (hosts + 1) * p + h; }
  index_t cluster(index_t p) const noexcept { return start[2] + (hosts + 1) * p + hosts; }
  index_t controller(index_t p, index_t j) const noexcept { return start[3] + 3 * p + j; }
  index_t directory(index_t p) const noexcept { return start[3] + 3 * p + 2; }
  index_t platform_of(std::size_t kind, index_t p) const noexcept {
    return kind == 0 ? core(p) : kind == 1 ? cluster(p) : directory(p);
  }
  std::size_t layer_of(index_t s) const noexcept {
    std::size_t l = 0;
    while (s >= start[l + 1]) ++l;
    return l;
  }
  // Candidates of the plain dependencies of a regular system of layer l.
  index_t plain_candidates(std::size_t l) const noexcept {
    index_t c = 0;
    for (std::size_t t = 0; t < synthetic_layers; ++t)
      if (synthetic_rules[l].weight[t] > 0) c += regular_count(t);
    return c;
  }
  // Redundancy groups a regular system of layer l can have: any-of pairs,
  // k-of-n clusters (up to 5 members); each leaves a plain candidate.
  bool any_of_fits(std::size_t l) const noexcept {
    const index_t g = regular_count(synthetic_rules[l].group_layer);
    return g >= 2 && plain_candidates(l) >= 3;
  }
  bool k_of_n_fits(std::size_t l) const noexcept {
    const index_t g = regular_count(synthetic_rules[l].group_layer);
    return g >= 5 && plain_candidates(l) >= 6;
  }
  std::size_t platform_kinds(std::size_t l) const noexcept {
    std::size_t k = 0;
    for (double p : synthetic_rules[l].platform) k += p > 0;
    return k;
  }
  index_t platform_edges() const noexcept { return platforms * (8 + 3 * hosts); }
  index_t client_segment(synthetic_draw& d) const noexcept {
    if (segments == 1) return 0;
    return 2 * d.skewed(segments / 2) + 1;
  }
  index_t server_segment(synthetic_draw& d) const noexcept {
    const index_t count = (segments - 1) / 2; // even segments from 2 on
    if (count == 0) return 0;
    return 2 * d.skewed(count) + 2;
  }
};

[[noreturn]] inline void bad_synthetic_option(const char* field, const std::string& problem) {
  throw value_error("synthetic inventory options", {}, field, problem);
}

inline std::string number_text(double v) {
  std::string s = std::to_string(v);
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

inline void check_synthetic_share(double v, const char* field) {
  if (!(v >= 0 && v <= 1))
    bad_synthetic_option(field, "must be a share in [0, 1], got " + number_text(v));
}

// Checks the options and lays the systems out in layers.
inline synthetic_layout synthetic_layout_of(const synthetic_inventory_options& o) {
  if (o.systems < 100 || o.systems > 100'000'000)
    bad_synthetic_option("systems",
                         "must be between 100 and 100000000, got " + std::to_string(o.systems));
  if (o.functions < 1 || o.functions > 10'000'000)
    bad_synthetic_option("functions",
                         "must be between 1 and 10000000, got " + std::to_string(o.functions));
  if (!(o.mean_dependencies >= 1 && o.mean_dependencies <= 64))
    bad_synthetic_option("mean_dependencies",
                         "must be between 1 and 64, got " + number_text(o.mean_dependencies));
  check_synthetic_share(o.any_of_share, "any_of_share");
  check_synthetic_share(o.k_of_n_share, "k_of_n_share");
  if (o.any_of_share + o.k_of_n_share > 1)
    bad_synthetic_option("k_of_n_share", "any_of_share + k_of_n_share must not exceed 1, got " +
                                             number_text(o.any_of_share + o.k_of_n_share));
  if (o.cluster_hosts < 2 || o.cluster_hosts > 64)
    bad_synthetic_option("cluster_hosts",
                         "must be between 2 and 64, got " + std::to_string(o.cluster_hosts));
  check_synthetic_share(o.backup_share, "backup_share");
  check_synthetic_share(o.offline_backup_share, "offline_backup_share");
  check_synthetic_share(o.immutable_backup_share, "immutable_backup_share");
  check_synthetic_share(o.procedure_share, "procedure_share");
  check_synthetic_share(o.spread_within_segment, "spread_within_segment");
  if (o.it_staff < 1)
    bad_synthetic_option("it_staff", "must be at least 1, got " + std::to_string(o.it_staff));
  if (o.vendor_engineers < 0)
    bad_synthetic_option("vendor_engineers",
                         "must be non-negative, got " + std::to_string(o.vendor_engineers));
  if (o.clerks < 0)
    bad_synthetic_option("clerks", "must be non-negative, got " + std::to_string(o.clerks));
  if (o.spare_servers < 0)
    bad_synthetic_option("spare_servers",
                         "must be non-negative, got " + std::to_string(o.spare_servers));
  if (!(std::isfinite(o.ransomware_frequency) && o.ransomware_frequency >= 0))
    bad_synthetic_option("ransomware_frequency", "must be a finite non-negative rate, got " +
                                                     number_text(o.ransomware_frequency));
  if (!(std::isfinite(o.dwell_time) && o.dwell_time >= 0))
    bad_synthetic_option("dwell_time", "must be a finite non-negative number of hours, got " +
                                           number_text(o.dwell_time));

  synthetic_layout L;
  L.n = static_cast<index_t>(o.systems);
  L.functions = static_cast<index_t>(o.functions);
  L.hosts = static_cast<index_t>(o.cluster_hosts);
  const double n = static_cast<double>(o.systems);
  const auto part = [n](double share) { return static_cast<index_t>(std::floor(share * n)); };
  const index_t buildings = std::max<index_t>(1, part(0.001)), infra = part(0.04),
                hardware = part(0.30), people = part(0.10);
  const index_t software = L.n - buildings - infra - hardware - people;
  const std::array<index_t, synthetic_layers> count{buildings, infra, hardware, software, people};
  for (std::size_t l = 0; l < synthetic_layers; ++l) L.start[l + 1] = L.start[l] + count[l];
  std::size_t platforms = o.platforms_per_kind;
  if (platforms == 0)
    platforms = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(std::sqrt(n) / 10 + 0.5)));
  // Each layer keeps at least one regular system.
  const std::size_t fit = std::min({std::size_t(infra - 1) / 3,
                                    std::size_t(hardware - 1) / (o.cluster_hosts + 1),
                                    std::size_t(software - 1) / 3});
  if (platforms > fit)
    bad_synthetic_option("platforms_per_kind",
                         std::to_string(platforms) + " platforms of each kind do not fit in " +
                             std::to_string(o.systems) + " systems (at most " +
                             std::to_string(fit) + " with " + std::to_string(o.cluster_hosts) +
                             " cluster hosts)");
  L.platforms = static_cast<index_t>(platforms);
  L.regular = {L.start[0], L.start[1] + 3 * L.platforms, L.start[2] + (L.hosts + 1) * L.platforms,
               L.start[3] + 3 * L.platforms, L.start[4]};
  if (o.segments < 1 || o.segments > 1'000'000)
    bad_synthetic_option("segments",
                         "must be between 1 and 1000000, got " + std::to_string(o.segments));
  L.segments = static_cast<index_t>(std::min<std::size_t>(o.segments, L.regular_count(2)));
  if (o.cycles > L.regular_count(3) / 2)
    bad_synthetic_option("cycles", "at most " + std::to_string(L.regular_count(3) / 2) +
                                       " (half the regular software systems), got " +
                                       std::to_string(o.cycles));
  return L;
}

// Σ_{j=1}^{cap} (1 + j/λ)^−2: the mean of min(floor(X), cap), X Lomax(2, λ).
inline double capped_lomax_mean(double lambda, index_t cap) {
  double sum = 0;
  for (index_t j = 1; j <= cap; ++j) {
    const double t = 1 + static_cast<double>(j) / lambda;
    sum += 1 / (t * t);
  }
  return sum;
}

// The scale λ whose capped mean is `mean` (bisection; 0 if mean ≤ 0).
inline double lomax_scale_for(double mean, index_t cap) {
  if (!(mean > 0)) return 0;
  double lo = 0, hi = 1;
  while (capped_lomax_mean(hi, cap) < mean && hi < 1e9) hi *= 2;
  for (int i = 0; i < 80; ++i) {
    const double mid = (lo + hi) / 2;
    (capped_lomax_mean(mid, cap) < mean ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// The generator's working state: the graph plus what the specification
// needs to name and describe it.
struct synthetic_build {
  synthetic_layout layout;
  synthetic_graph graph;
  std::vector<index_t> segment;       // per system; no_index: none
  std::vector<std::uint8_t> client;   // per system: 1 if client side
  std::vector<std::uint8_t> group;    // per system: size of its redundancy group (0: none)
  std::vector<index_t> cycle_first;   // t of every cycle pair (t, t + 1), ascending
};

// Structure of the regular systems (pass 1): plain dependencies, platform
// kinds (bits) and redundancy group size, adjusted to the exact edge total.
inline void synthetic_fanout(const synthetic_inventory_options& o, const synthetic_layout& L,
                             std::vector<index_t>& plain, std::vector<std::uint8_t>& kinds,
                             std::vector<std::uint8_t>& group) {
  const std::uint64_t seed = o.seed;
  const double total = std::floor(o.mean_dependencies * static_cast<double>(L.n) + 0.5);
  const double budget = total - static_cast<double>(L.platform_edges());
  double regular = 0, most = 0, expected = 0;
  for (std::size_t l = 1; l < synthetic_layers; ++l) {
    const double r = static_cast<double>(L.regular_count(l));
    const auto& rule = synthetic_rules[l];
    double structure = 0;
    for (double p : rule.platform) structure += p;
    if (L.any_of_fits(l)) structure += 2 * o.any_of_share;
    if (L.k_of_n_fits(l)) structure += 4 * o.k_of_n_share;
    regular += r;
    expected += r * (1 + structure);
    most += r * static_cast<double>(std::min(synthetic_max_plain, L.plain_candidates(l)) +
                                    L.platform_kinds(l));
  }
  if (budget < regular)
    bad_synthetic_option("mean_dependencies",
                         "too small: the platforms and one dependency per regular system need " +
                             number_text((regular + L.platform_edges()) / L.n) +
                             " per system, got " + number_text(o.mean_dependencies));
  if (budget > most)
    bad_synthetic_option("mean_dependencies",
                         "too large: " + std::to_string(o.systems) + " systems have room for " +
                             number_text((most + L.platform_edges()) / L.n) +
                             " per system, got " + number_text(o.mean_dependencies));
  const double lambda = lomax_scale_for((budget - expected) / regular, synthetic_max_plain - 1);

  plain.assign(L.n, 0);
  kinds.assign(L.n, 0);
  group.assign(L.n, 0);
  const auto edges_of = [&](index_t s) {
    return static_cast<double>(plain[s]) + static_cast<double>(group[s]) +
           static_cast<double>(std::popcount(static_cast<unsigned>(kinds[s])));
  };
  const auto plain_cap = [&](std::size_t l, index_t s) {
    return std::min<index_t>(synthetic_max_plain, L.plain_candidates(l) - group[s]);
  };
  double sum = 0;
  for (std::size_t l = 1; l < synthetic_layers; ++l) {
    const auto& rule = synthetic_rules[l];
    const bool any_fits = L.any_of_fits(l), k_fits = L.k_of_n_fits(l);
    for (index_t s = L.regular[l]; s < L.start[l + 1]; ++s) {
      synthetic_draw d(seed, synthetic_purpose::fanout, s);
      const double r = d.unit();
      if (r < o.any_of_share) {
        if (any_fits) group[s] = 2;
      } else if (r < o.any_of_share + o.k_of_n_share) {
        if (k_fits) group[s] = static_cast<std::uint8_t>(3 + d.below(3));
      }
      for (std::size_t k = 0; k < 3; ++k)
        if (d.chance(rule.platform[k])) kinds[s] = static_cast<std::uint8_t>(kinds[s] | (1u << k));
      plain[s] = 1 + d.heavy_count(lambda, plain_cap(l, s) - 1);
      sum += edges_of(s);
    }
  }
  // Sweep from a random start, one edge per system and pass, until the
  // total is exact: remove plain extras first, then platform edges, then
  // redundancy groups; add plain dependencies, then platform edges.
  const index_t first = L.regular[1], count = L.n - first;
  synthetic_draw d(seed, synthetic_purpose::adjust, 0);
  index_t at = d.below(count);
  const auto is_regular = [&](index_t s) { return s >= L.regular[L.layer_of(s)]; };
  while (sum > budget) {
    const index_t s = first + at;
    at = at + 1 == count ? 0 : at + 1;
    if (!is_regular(s)) continue;
    if (plain[s] > 1) {
      --plain[s];
      sum -= 1;
    } else if (kinds[s]) {
      kinds[s] = static_cast<std::uint8_t>(kinds[s] & (kinds[s] - 1));
      sum -= 1;
    } else if (group[s]) {
      sum -= group[s];
      group[s] = 0;
    }
  }
  index_t idle = 0; // systems in a row that could take nothing
  while (sum < budget) {
    const index_t s = first + at;
    at = at + 1 == count ? 0 : at + 1;
    const std::size_t l = L.layer_of(s);
    bool added = false;
    if (!is_regular(s)) {
      // a platform system: its dependencies are fixed
    } else if (plain[s] < plain_cap(l, s)) {
      ++plain[s];
      added = true;
    } else {
      for (std::size_t k = 0; k < 3 && !added; ++k)
        if (synthetic_rules[l].platform[k] > 0 && !(kinds[s] >> k & 1u)) {
          kinds[s] = static_cast<std::uint8_t>(kinds[s] | (1u << k));
          added = true;
        }
    }
    if (added) {
      sum += 1;
      idle = 0;
    } else if (++idle == count) {
      bad_synthetic_option("mean_dependencies",
                           "too large for the candidates of " + std::to_string(o.systems) +
                               " systems, got " + number_text(o.mean_dependencies));
    }
  }
}

// Appends one requirement of `members` needing `needed`.
inline void add_synthetic_requirement(synthetic_graph& g, const index_t* members, std::size_t size,
                                      index_t needed) {
  g.requirement_members.insert(g.requirement_members.end(), members, members + size);
  g.needed.push_back(needed);
  g.requirement_member_offsets.push_back(static_cast<index_t>(g.requirement_members.size()));
}

// Picks a system of [lo, lo + n) not yet in `taken` (n > taken in that range):
// skewed draws first, then a scan from a random point.
inline index_t pick_new(synthetic_draw& d, index_t lo, index_t n, const std::vector<index_t>& taken) {
  const auto fresh = [&](index_t s) {
    return std::find(taken.begin(), taken.end(), s) == taken.end();
  };
  for (int attempt = 0; attempt < 16; ++attempt) {
    const index_t s = lo + d.skewed(n);
    if (fresh(s)) return s;
  }
  index_t i = d.below(n);
  while (!fresh(lo + i)) i = i + 1 == n ? 0 : i + 1;
  return lo + i;
}

// The whole structure: layout, dependencies of systems and functions, segments.
inline synthetic_build build_synthetic(const synthetic_inventory_options& o) {
  synthetic_build b;
  b.layout = synthetic_layout_of(o);
  const synthetic_layout& L = b.layout;
  const std::uint64_t seed = o.seed;
  std::vector<index_t> plain;
  std::vector<std::uint8_t> kinds;
  synthetic_fanout(o, L, plain, kinds, b.group);

  // Cycle pairs (t, t + 1) spread over the regular software.
  if (o.cycles > 0) {
    const index_t block = L.regular_count(3) / static_cast<index_t>(o.cycles);
    for (index_t j = 0; j < o.cycles; ++j) {
      synthetic_draw d(seed, synthetic_purpose::cycles, j);
      b.cycle_first.push_back(L.regular[3] + j * block + d.below(block - 1));
    }
  }

  synthetic_graph& g = b.graph;
  g.system_count = L.n;
  g.function_count = L.functions;
  g.layers.resize(L.n);
  g.shared_platform.assign(L.n, 0);
  for (std::size_t l = 0; l < synthetic_layers; ++l) {
    std::fill(g.layers.begin() + L.start[l], g.layers.begin() + L.start[l + 1],
              static_cast<asset_layer>(l));
    std::fill(g.shared_platform.begin() + L.start[l], g.shared_platform.begin() + L.regular[l],
              std::uint8_t{1});
  }
  const double mean = o.mean_dependencies;
  g.node_requirement_offsets.reserve(std::size_t(L.n) + L.functions + 1);
  g.node_requirement_offsets.assign(1, 0);
  g.requirement_member_offsets.assign(1, 0);
  g.needed.reserve(static_cast<std::size_t>(1.4 * static_cast<double>(L.n)));
  g.requirement_member_offsets.reserve(g.needed.capacity() + 1);
  g.requirement_members.reserve(static_cast<std::size_t>(mean * static_cast<double>(L.n)) + 8);
  b.segment.assign(L.n, no_index);
  b.client.assign(L.n, 0);
  const auto end_node = [&] {
    g.node_requirement_offsets.push_back(static_cast<index_t>(g.needed.size()));
  };
  const auto one = [&](index_t target) { add_synthetic_requirement(g, &target, 1, 1); };

  // Buildings depend on nothing; then the network cores: two switches in
  // (different) buildings, the core needs either.
  const index_t buildings = L.regular_count(0);
  std::vector<index_t> members;
  for (index_t s = L.start[0]; s < L.start[1]; ++s) end_node();
  for (index_t p = 0; p < L.platforms; ++p) {
    synthetic_draw d(seed, synthetic_purpose::targets, L.core_switch(p, 0));
    const index_t first = L.start[0] + d.skewed(buildings);
    index_t second = first;
    if (buildings > 1)
      while (second == first) second = L.start[0] + d.below(buildings);
    one(first);
    end_node();
    one(second);
    end_node();
    const index_t pair[2] = {L.core_switch(p, 0), L.core_switch(p, 1)};
    add_synthetic_requirement(g, pair, 2, 1);
    end_node();
    for (index_t j = 0; j < 3; ++j) b.segment[L.core_switch(p, 0) + j] = 0;
  }
  // Regular systems of one layer, in index order.
  const auto regular_pass = [&](std::size_t l) {
    const auto& rule = synthetic_rules[l];
    const std::size_t gl = rule.group_layer;
    for (index_t s = L.regular[l]; s < L.start[l + 1]; ++s) {
      synthetic_draw d(seed, synthetic_purpose::targets, s);
      members.clear();
      std::array<index_t, synthetic_layers> used{};
      const index_t grp = b.group[s];
      for (index_t j = 0; j < grp; ++j)
        members.push_back(pick_new(d, L.regular[gl], L.regular_count(gl), members));
      used[gl] += grp;
      for (index_t j = 0; j < plain[s]; ++j) {
        double u = d.unit();
        std::size_t t = 0;
        while (t + 1 < synthetic_layers && (u >= rule.weight[t] || rule.weight[t] == 0)) {
          u -= rule.weight[t];
          ++t;
        }
        // A layer this system has exhausted: the next one with room.
        for (std::size_t tries = 0; tries < synthetic_layers; ++tries) {
          if (rule.weight[t] > 0 && used[t] < L.regular_count(t)) break;
          t = (t + 1) % synthetic_layers;
        }
        members.push_back(pick_new(d, L.regular[t], L.regular_count(t), members));
        ++used[t];
      }
      for (std::size_t k = 0; k < 3; ++k)
        if (kinds[s] >> k & 1u) members.push_back(L.platform_of(k, d.skewed(L.platforms)));
      // Requirements: the plain and platform dependencies (all of), then the group.
      add_synthetic_requirement(g, members.data() + grp, members.size() - grp,
                                static_cast<index_t>(members.size() - grp));
      if (grp == 2) add_synthetic_requirement(g, members.data(), 2, 1);
      if (grp > 2) add_synthetic_requirement(g, members.data(), grp, grp / 2 + 1);
      if (!b.cycle_first.empty() && l == 3) {
        if (std::binary_search(b.cycle_first.begin(), b.cycle_first.end(), s)) one(s + 1);
        if (std::binary_search(b.cycle_first.begin(), b.cycle_first.end(), s - 1) &&
            std::find(members.begin(), members.end(), s - 1) == members.end())
          one(s - 1);
      }
      end_node();
      // Side and segment.
      if (l == 1) {
        if (d.chance(0.5)) b.segment[s] = L.server_segment(d);
      } else if (l == 2) {
        b.client[s] = d.chance(0.5);
        b.segment[s] = b.client[s] ? L.client_segment(d) : L.server_segment(d);
      } else if (l == 3) {
        index_t host = no_index;
        for (index_t m : members)
          if (m >= L.start[2] && m < L.start[3]) {
            host = m;
            break;
          }
        if (host != no_index) {
          b.segment[s] = b.segment[host];
          b.client[s] = b.client[host];
        } else {
          b.segment[s] = L.server_segment(d);
        }
      } else if (l == 4) {
        b.client[s] = 1;
      }
    }
  };
  regular_pass(1);
  // Hardware platforms: hosts need a building and a network core; the
  // cluster needs all hosts but one.
  for (index_t p = 0; p < L.platforms; ++p) {
    for (index_t h = 0; h < L.hosts; ++h) {
      synthetic_draw d(seed, synthetic_purpose::targets, L.host(p, h));
      const index_t two[2] = {L.start[0] + d.skewed(buildings), L.core(d.skewed(L.platforms))};
      add_synthetic_requirement(g, two, 2, 2);
      end_node();
      b.segment[L.host(p, h)] = 0;
    }
    members.clear();
    for (index_t h = 0; h < L.hosts; ++h) members.push_back(L.host(p, h));
    add_synthetic_requirement(g, members.data(), L.hosts, L.hosts - 1);
    end_node();
    b.segment[L.cluster(p)] = 0;
  }
  regular_pass(2);
  // Every segment gets a system: move hardware out of segments that have others.
  {
    std::vector<index_t> count(L.segments, 0);
    for (index_t s = L.start[0]; s < L.start[3]; ++s)
      if (b.segment[s] != no_index) ++count[b.segment[s]];
    index_t c = L.regular[2];
    for (index_t i = 0; i < L.segments; ++i) {
      if (count[i] > 0) continue;
      while (c < L.start[3] && count[b.segment[c]] < 2) ++c;
      if (c == L.start[3]) break; // cannot happen: segments ≤ regular hardware
      --count[b.segment[c]];
      b.segment[c] = i;
      ++count[i];
      ++c;
    }
  }
  // Software platforms: two domain controllers on two clusters, the directory
  // needs either.
  for (index_t p = 0; p < L.platforms; ++p) {
    one(L.cluster(p));
    end_node();
    one(L.cluster((p + 1) % L.platforms));
    end_node();
    const index_t pair[2] = {L.controller(p, 0), L.controller(p, 1)};
    add_synthetic_requirement(g, pair, 2, 1);
    end_node();
    for (index_t j = 0; j < 3; ++j) b.segment[L.controller(p, 0) + j] = 0;
  }
  regular_pass(3);
  regular_pass(4);

  // Business functions: applications and a team (all of); a quarter an
  // any-of pair of applications; a fifth k of n hardware devices.
  const index_t apps = L.regular_count(3), teams = L.regular_count(4),
                devices = L.regular_count(2);
  for (index_t f = 0; f < L.functions; ++f) {
    synthetic_draw d(seed, synthetic_purpose::function_needs, f);
    members.clear();
    const index_t n_apps = std::min<index_t>(apps, 1 + d.heavy_count(0.8, 5));
    for (index_t j = 0; j < n_apps; ++j)
      members.push_back(pick_new(d, L.regular[3], apps, members));
    if (teams > 0) members.push_back(L.regular[4] + d.skewed(teams));
    add_synthetic_requirement(g, members.data(), members.size(),
                              static_cast<index_t>(members.size()));
    const std::size_t all = members.size();
    if (d.chance(0.25) && apps >= n_apps + 2) {
      for (int j = 0; j < 2; ++j) members.push_back(pick_new(d, L.regular[3], apps, members));
      add_synthetic_requirement(g, members.data() + all, 2, 1);
    }
    if (d.chance(0.2) && devices >= 3) {
      const index_t n = std::min<index_t>(devices, 3 + d.below(4));
      const std::size_t from = members.size();
      for (index_t j = 0; j < n; ++j) {
        index_t s = pick_new(d, L.regular[2], devices, members);
        for (int attempt = 0; attempt < 4 && !b.client[s]; ++attempt)
          s = pick_new(d, L.regular[2], devices, members);
        members.push_back(s);
      }
      add_synthetic_requirement(g, members.data() + from, n, (n + 1) / 2);
    }
    end_node();
  }
  return b;
}

} // namespace detail

/// The dependency structure of generate_inventory(options) alone — no
/// names, backups, procedures or scenario — for analyses at scales where
/// the named specification would not fit or is not needed. Throws
/// value_error naming the field for invalid options.
inline synthetic_graph generate_inventory_graph(const synthetic_inventory_options& options) {
  return std::move(detail::build_synthetic(options).graph);
}

namespace detail {

inline std::string synthetic_system_name(const synthetic_layout& L, index_t s) {
  static constexpr std::array<const char*, synthetic_layers> prefix{"building-", "infra-", "hw-",
                                                                    "sw-", "team-"};
  const std::size_t l = L.layer_of(s);
  if (s >= L.regular[l]) return prefix[l] + std::to_string(s);
  std::string name(shared_platform_prefix);
  if (l == 1) {
    const index_t p = (s - L.start[1]) / 3, j = (s - L.start[1]) % 3;
    name += "core-" + std::to_string(p);
    if (j < 2) name += j == 0 ? "/switch-a" : "/switch-b";
  } else if (l == 2) {
    const index_t p = (s - L.start[2]) / (L.hosts + 1), h = (s - L.start[2]) % (L.hosts + 1);
    name += "cluster-" + std::to_string(p);
    if (h < L.hosts) name += "/host-" + std::to_string(h);
  } else {
    const index_t p = (s - L.start[3]) / 3, j = (s - L.start[3]) % 3;
    name += "directory-" + std::to_string(p);
    if (j < 2) name += j == 0 ? "/dc-a" : "/dc-b";
  }
  return name;
}

// A step of a generated procedure.
inline recovery_step<double> synthetic_step(std::string name, step_kind kind,
                                            distribution<double> duration,
                                            std::vector<step_demand> needs,
                                            std::vector<step_link<double>> after = {}) {
  recovery_step<double> st;
  st.name = std::move(name);
  st.kind = kind;
  st.duration = std::move(duration);
  st.needs = std::move(needs);
  st.after = std::move(after);
  return st;
}

// The recovery procedure of system s of layer l.
inline recovery_procedure<double> synthetic_procedure(const synthetic_inventory_options& o,
                                                      std::size_t l, bool data, index_t s) {
  synthetic_draw d(o.seed, synthetic_purpose::procedure, s);
  const std::string staff(default_staff_name);
  const std::vector<step_demand> one{{staff, 1}};
  std::vector<step_demand> work{{staff, o.it_staff >= 2 && d.chance(0.5) ? 2 : 1}};
  if (o.vendor_engineers > 0 && d.chance(0.3)) work.push_back({"vendor engineers", 1});
  std::vector<step_demand> arrange;
  if (l == 2 && o.spare_servers > 0) arrange.push_back({"spare servers", 1});
  static constexpr std::array<std::array<double, 3>, synthetic_layers> arrange_hours{
      {{24, 72, 336}, {4, 24, 72}, {2, 24, 72}, {0.5, 1, 4}, {4, 24, 72}}};
  static constexpr std::array<std::array<double, 3>, synthetic_layers> work_hours{
      {{8, 24, 72}, {4, 8, 24}, {2, 4, 12}, {2, 6, 24}, {1, 4, 8}}};
  const auto& ah = arrange_hours[l];
  const auto& wh = work_hours[l];
  recovery_procedure<double> p;
  p.emergency.push_back(synthetic_step("settle", step_kind::settle, l == 0 ? 4.0 : 1.0, {}));
  p.emergency.push_back(synthetic_step("damage survey", step_kind::damage_survey,
                                       triangular<>(1, 2, 6), one));
  p.emergency.push_back(synthetic_step("arrange backup", step_kind::arrange_backup,
                                       pert<>(ah[0], ah[1], ah[2]), arrange,
                                       {{"damage survey", true, 0}}));
  auto rw = synthetic_step("recovery work", step_kind::recovery_work,
                           triangular<>(wh[0], wh[1], wh[2]), work,
                           {{"damage survey", false, 0}, {"arrange backup", false, 0}});
  if (data) rw.duration_without_backup = distribution<double>(pert<>(24, 40, 160));
  p.emergency.push_back(std::move(rw));
  p.emergency.push_back(synthetic_step("service back", step_kind::service_back, 1.0, one));
  if (l <= 2) {
    static constexpr std::array<double, 3> capacity{0.5, 0.7, 0.9};
    p.emergency_capacity = d.pick(capacity);
    std::vector<step_demand> restore = one;
    if (o.vendor_engineers > 0) restore.push_back({"vendor engineers", 1});
    p.permanent.push_back(synthetic_step("replace or repair", step_kind::replace_repair,
                                         pert<>(168, 720, 2160), {}));
    p.permanent.push_back(synthetic_step("planned stop", step_kind::planned_stop, 2.0, one));
    p.permanent.push_back(synthetic_step("restore", step_kind::restore,
                                         triangular<>(2, 4, 12), restore));
    p.permanent.push_back(synthetic_step("verify", step_kind::verify, 2.0, one));
    p.permanent.push_back(synthetic_step("switch back", step_kind::switch_back, 1.0, one));
  }
  return p;
}

// The backups of a data-holding system that must meet `rpo` (hours,
// +infinity: none), or none if it draws none and needs none.
inline std::vector<backup<double>> synthetic_backups(const synthetic_inventory_options& o,
                                                     index_t s, double rpo) {
  synthetic_draw d(o.seed, synthetic_purpose::backups, s);
  std::vector<backup<double>> out;
  const bool needed = std::isfinite(rpo);
  if (!d.chance(o.backup_share) && !needed) return out;
  const bool offline = d.chance(o.offline_backup_share);
  const bool immutable = d.chance(o.immutable_backup_share);
  if (d.chance(0.8) || needed || (!offline && !immutable)) {
    static constexpr std::array<double, 4> interval{1, 4, 12, 24};
    static constexpr std::array<double, 9> meets{72, 24, 12, 8, 4, 2, 1, 0.5, 0.25};
    backup<double> b;
    b.interval = d.pick(interval);
    if (b.interval > rpo)
      for (double v : meets)
        if (v <= rpo) {
          b.interval = v;
          break;
        }
    b.generations = 7 + d.below(24);
    b.medium = d.chance(0.5) ? "nas" : "disk";
    b.mode = backup_mode::online;
    b.offsite = d.chance(0.1);
    b.restore_time = 1 + d.below(8);
    out.push_back(std::move(b));
  }
  if (offline) {
    backup<double> b;
    b.interval = d.chance(0.6) ? 24 : 168;
    b.generations = 4 + d.below(49);
    b.medium = "tape";
    b.mode = backup_mode::offline;
    b.offsite = d.chance(0.7);
    b.restore_time = 4 + d.below(21);
    out.push_back(std::move(b));
  }
  if (immutable) {
    backup<double> b;
    b.interval = d.chance(0.5) ? 4 : 24;
    b.generations = 14 + d.below(77);
    b.medium = "cloud";
    b.mode = backup_mode::immutable;
    b.offsite = true;
    b.restore_time = 2 + d.below(11);
    out.push_back(std::move(b));
  }
  return out;
}

} // namespace detail

/// Generates a synthetic inventory (see the header comment): systems in five
/// layers with shared platforms, redundancy, segments, backups and
/// procedures, business functions, resource pools and one ransomware
/// scenario called "ransomware". The result always validates (constructing
/// a model from it does not throw) and is acyclic unless options.cycles > 0.
/// Equal options give equal specifications. Linear in systems + functions.
/// Throws value_error naming the field for invalid options.
inline model_spec generate_inventory(const synthetic_inventory_options& options) {
  const auto& o = options;
  detail::synthetic_build b = detail::build_synthetic(o);
  const detail::synthetic_layout& L = b.layout;
  const synthetic_graph& g = b.graph;
  using detail::synthetic_draw;
  using detail::synthetic_purpose;
  constexpr double inf = std::numeric_limits<double>::infinity();

  model_spec spec;
  spec.name = "synthetic inventory (" + std::to_string(o.systems) + " systems, seed " +
              std::to_string(o.seed) + ")";
  if (!b.cycle_first.empty()) spec.cycles = cycle_policy::group_strongly_connected;
  spec.resources.push_back({std::string(default_staff_name), resource_kind::people, o.it_staff});
  if (o.vendor_engineers > 0)
    spec.resources.push_back({"vendor engineers", resource_kind::people, o.vendor_engineers});
  if (o.clerks > 0) spec.resources.push_back({"clerks", resource_kind::people, o.clerks});
  if (o.spare_servers > 0)
    spec.resources.push_back({"spare servers", resource_kind::equipment, o.spare_servers});

  std::vector<std::string> names(L.n);
  for (index_t s = 0; s < L.n; ++s) names[s] = detail::synthetic_system_name(L, s);
  const auto requirements_of = [&](index_t node) {
    std::vector<requirement> out;
    for (index_t r = g.node_requirement_offsets[node]; r < g.node_requirement_offsets[node + 1];
         ++r) {
      requirement q;
      q.needed = g.needed[r];
      q.systems.reserve(g.requirement_member_offsets[r + 1] - g.requirement_member_offsets[r]);
      for (index_t i = g.requirement_member_offsets[r]; i < g.requirement_member_offsets[r + 1];
           ++i)
        q.systems.push_back(names[g.requirement_members[i]]);
      out.push_back(std::move(q));
    }
    return out;
  };

  // Functions: levels, objectives, value, workaround, impact, needs.
  const auto rto_table = spec.rto_by_class;
  std::vector<double> function_rpo(L.functions, inf);
  spec.functions.resize(L.functions);
  for (index_t f = 0; f < L.functions; ++f) {
    synthetic_draw d(o.seed, synthetic_purpose::function_values, f);
    auto& fn = spec.functions[f];
    fn.name = "function-" + std::to_string(f);
    fn.importance = 1 + static_cast<int>(d.below(3));
    fn.system_dependency = 1 + static_cast<int>(d.below(3));
    fn.emergency = d.chance(0.02);
    const priority_class cls =
        fn.emergency ? priority_class::S : spec.priorities.classify(fn.importance, fn.system_dependency);
    static constexpr std::array<double, 3> rto_factor{0.5, 0.75, 1};
    const double class_rto = rto_table.rto(cls);
    if (std::isfinite(class_rto) && d.chance(0.2)) fn.rto = class_rto * d.pick(rto_factor);
    static constexpr std::array<double, 5> wrt{0, 1, 2, 4, 8};
    fn.wrt = d.pick(wrt);
    const double rto = fn.rto ? *fn.rto : class_rto;
    static constexpr std::array<double, 4> tolerance{24, 72, 168, 720};
    if (std::isfinite(rto) && d.chance(0.5)) fn.mtpd = rto + fn.wrt + d.pick(tolerance);
    static constexpr std::array<double, priority_class_count> rpo_by_class{1, 4, 24, 72, 168};
    if (d.chance(0.7)) fn.rpo = rpo_by_class[static_cast<std::size_t>(cls)];
    function_rpo[f] = fn.rpo.value_or(inf);
    fn.revenue_per_day = std::floor(std::min(1e10, 100'000 / std::sqrt(d.unit())));
    fn.margin = static_cast<double>(5 + d.below(36)) / 100;
    fn.operating_days_per_week = d.chance(0.6) ? 5 : 7;
    if (d.chance(0.3)) {
      impact_curve<double> c;
      c.category = d.chance(0.5) ? "reputation" : "contract penalties";
      c.steps.push_back({24, static_cast<double>(1 + d.below(10)) * 1000, 0});
      c.steps.push_back({72, static_cast<double>(1 + d.below(10)) * 5000,
                         static_cast<double>(1 + d.below(10)) * 1'000'000});
      fn.impact.push_back(std::move(c));
    }
    if (d.chance(0.4)) {
      static constexpr std::array<double, 4> setup{1, 2, 4, 8};
      static constexpr std::array<double, 5> lasts{24, 72, 168, 720, inf};
      fn.workaround = manual_workaround<double>{static_cast<double>(1 + d.below(6)) / 10,
                                                d.pick(setup), d.pick(lasts)};
    }
    fn.needs = requirements_of(L.n + f);
  }

  // Inherited recovery point objectives (every edge points to a smaller
  // index; a cycle pair (t, t + 1) shares its objective), so that every
  // system that must meet one gets a backup that can.
  std::vector<double> rpo(L.n, inf);
  const auto push = [&](index_t node, double v) {
    for (index_t r = g.node_requirement_offsets[node]; r < g.node_requirement_offsets[node + 1]; ++r)
      for (index_t i = g.requirement_member_offsets[r]; i < g.requirement_member_offsets[r + 1]; ++i)
        rpo[g.requirement_members[i]] = std::min(rpo[g.requirement_members[i]], v);
  };
  for (index_t f = 0; f < L.functions; ++f)
    if (std::isfinite(function_rpo[f])) push(L.n + f, function_rpo[f]);
  for (index_t s = L.n; s-- > 0;) {
    if (!b.cycle_first.empty() && s > 0 &&
        std::binary_search(b.cycle_first.begin(), b.cycle_first.end(), s - 1))
      rpo[s] = rpo[s - 1] = std::min(rpo[s], rpo[s - 1]);
    if (std::isfinite(rpo[s])) push(s, rpo[s]);
  }

  // Systems.
  std::vector<std::string> segment_names(L.segments);
  for (index_t i = 0; i < L.segments; ++i) segment_names[i] = "segment-" + std::to_string(i);
  spec.systems.resize(L.n);
  for (index_t s = 0; s < L.n; ++s) {
    auto& sys = spec.systems[s];
    const std::size_t l = L.layer_of(s);
    const bool platform = s < L.regular[l];
    sys.name = std::move(names[s]);
    sys.layer = static_cast<asset_layer>(l);
    sys.side = b.client[s] ? asset_side::client : asset_side::server;
    if (b.segment[s] != no_index) sys.segment = segment_names[b.segment[s]];
    bool data = l == 3;
    if (l == 3) {
      synthetic_draw d(o.seed, synthetic_purpose::data, s);
      const bool service = platform && s == L.directory((s - L.start[3]) / 3);
      if (service || (!platform && d.chance(0.3))) {
        sys.holds_data = false;
        data = false;
      }
      if (data && !platform && d.chance(0.1)) {
        sys.transactions_per_hour = 1 + d.below(50);
        sys.reentry_hours_per_transaction = static_cast<double>(2 + d.below(9)) / 100;
        if (o.clerks > 0) {
          sys.reentry_by = "clerks";
          sys.reentry_staff = 1 + static_cast<int>(d.below(static_cast<index_t>(std::min(2, o.clerks))));
        }
      }
    }
    if (data) sys.backups = detail::synthetic_backups(o, s, rpo[s]);
    synthetic_draw pd(o.seed, synthetic_purpose::procedure, std::uint64_t{1} << 40 | s);
    if (pd.chance(o.procedure_share)) sys.recovery = detail::synthetic_procedure(o, l, data, s);
  }
  // Requirements (names were moved into the systems: refer to them there).
  for (index_t s = 0; s < L.n; ++s) {
    auto& reqs = spec.systems[s].depends_on;
    for (index_t r = g.node_requirement_offsets[s]; r < g.node_requirement_offsets[s + 1]; ++r) {
      requirement q;
      q.needed = g.needed[r];
      q.systems.reserve(g.requirement_member_offsets[r + 1] - g.requirement_member_offsets[r]);
      for (index_t i = g.requirement_member_offsets[r]; i < g.requirement_member_offsets[r + 1]; ++i)
        q.systems.push_back(spec.systems[g.requirement_members[i]].name);
      reqs.push_back(std::move(q));
    }
  }

  // The ransomware scenario: in through a client PC, across the segments.
  incident_scenario<double> sc;
  sc.name = "ransomware";
  sc.kind = incident_kind::ransomware;
  sc.annual_frequency = o.ransomware_frequency;
  sc.dwell_time = o.dwell_time;
  sc.detection_time = 12;
  attack_spread<double> spread;
  {
    synthetic_draw d(o.seed, synthetic_purpose::scenario, 0);
    // A client PC of the office network (segment 1, the largest client
    // segment), or any client PC, or any hardware.
    const index_t hw = L.regular_count(2), office = L.segments > 1 ? 1 : 0;
    index_t entry = no_index;
    for (int pass = 0; pass < 3 && entry == no_index; ++pass)
      for (index_t k = 0, i = d.below(hw); k < hw; ++k, i = i + 1 == hw ? 0 : i + 1) {
        const index_t s = L.regular[2] + i;
        if (pass == 2 || (b.client[s] && (pass == 1 || b.segment[s] == office))) {
          entry = s;
          break;
        }
      }
    spread.entry.push_back(spec.systems[entry].name);
  }
  spread.within_segment = o.spread_within_segment;
  if (L.segments > 1)
    for (index_t from = 0; from < L.segments; ++from) {
      synthetic_draw d(o.seed, synthetic_purpose::connections, from);
      // To the main server segment (2) with chance 0.6, and to one more
      // segment (skewed towards the low, large ones).
      const index_t main = L.segments > 2 ? 2 : 0;
      if (from != main) spread.connections.push_back({segment_names[from], segment_names[main], 0.6});
      index_t to = d.skewed(L.segments - 1);
      if (to >= from) ++to;
      static constexpr std::array<double, 3> chance{0.1, 0.3, 0.6};
      const double p = to == 0 ? 0.1 : d.pick(chance);
      if (to != main) spread.connections.push_back({segment_names[from], segment_names[to], p});
    }
  sc.spread = std::move(spread);
  if (o.cost_lines) {
    sc.records_affected = pert<>(1'000, 20'000, 1'000'000);
    auto line = [&](std::string name, cost_category cat, cost_driver drv,
                    distribution<double> amount, std::string function = {}) {
      cost_line<double> c;
      c.name = std::move(name);
      c.category = cat;
      c.driver = drv;
      c.amount = std::move(amount);
      c.function = std::move(function);
      sc.costs.push_back(std::move(c));
    };
    line("forensics and rebuild", cost_category::response, cost_driver::per_damaged_system,
         pert<>(200'000, 500'000, 3'000'000));
    line("incident response team", cost_category::response, cost_driver::fixed,
         triangular<>(5'000'000, 10'000'000, 40'000'000));
    line("breach notification", cost_category::response, cost_driver::per_record,
         uniform<>(50, 150));
    line("compensation", cost_category::liability, cost_driver::per_record,
         triangular<>(0, 500, 3'000));
    line("data re-entry overtime", cost_category::response, cost_driver::per_lost_record, 300.0);
    line("contract penalties", cost_category::opportunity, cost_driver::revenue_fraction,
         pert<>(0, 0.002, 0.02));
    line("overtime of function-0", cost_category::response, cost_driver::per_outage_hour,
         20'000.0, "function-0");
    line("regulatory fine", cost_category::legal, cost_driver::fixed,
         pert<>(0, 1'000'000, 50'000'000));
  }
  spec.scenarios.push_back(std::move(sc));
  return spec;
}

} // namespace continuity
