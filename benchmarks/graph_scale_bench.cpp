// Whole-graph analyses at inventory scale: builds a layered synthetic
// inventory (buildings, infrastructure, hardware, software, people; shared
// platforms with heavy fan-in; any-of and k-of-n redundancy) and times the
// cycle check (strongly connected components), impact propagation, RTO/RPO
// inheritance and single points of failure.
//
//   graph_scale_bench [systems=1000000] [deps_per_system=4] [functions=1000] [seed=1]
#include <continuity/continuity.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace {

using namespace continuity;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      long v = 0;
      status >> v;
      return v;
    }
  }
  return -1;
}

// Systems are numbered by layer from the ground up; each depends only on
// systems of lower layers (plus a few shared platforms), so the graph is a
// DAG. Dependencies are drawn with a heavy tail towards the first systems of
// the layer below (shared platforms: network core, virtualisation cluster,
// domain controller).
struct csr_arrays {
  std::vector<index_t> node, needed, req, members;
};

csr_arrays synthetic_inventory(index_t n, double deps_per_system, index_t functions,
                               std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const double share[5] = {0.001, 0.05, 0.25, 0.6, 0.099}; // building .. people
  index_t start[6];
  start[0] = 0;
  for (int l = 0; l < 5; ++l) start[l + 1] = start[l] + static_cast<index_t>(share[l] * n);
  start[5] = n;
  std::vector<index_t> node{0}, needed, req{0}, members;
  members.reserve(static_cast<std::size_t>(n * deps_per_system * 1.1));
  auto heavy = [&](index_t lo, index_t hi) {
    // Pareto-like: low indices (shared platforms) are drawn far more often.
    std::uniform_real_distribution<double> u(0, 1);
    const double x = std::pow(u(rng), 3.0);
    return lo + static_cast<index_t>(x * (hi - lo - 1));
  };
  std::poisson_distribution<int> fan(deps_per_system - 1);
  std::uniform_real_distribution<double> u(0, 1);
  auto add_member = [&](std::size_t from, index_t s) {
    for (std::size_t i = from; i < members.size(); ++i)
      if (members[i] == s) return false;
    members.push_back(s);
    return true;
  };
  for (int l = 0; l < 5; ++l) {
    for (index_t s = start[l]; s < start[l + 1]; ++s) {
      if (l > 0) {
        const index_t lo = start[l == 4 ? 0 : l - 1], hi = start[l];
        const int k = 1 + fan(rng);
        // one all-of requirement ...
        const std::size_t first = members.size();
        for (int j = 0; j < k; ++j) add_member(first, heavy(lo, hi));
        needed.push_back(static_cast<index_t>(members.size() - first));
        req.push_back(static_cast<index_t>(members.size()));
        // ... and sometimes a redundant pair or a 2-of-3 cluster
        if (u(rng) < 0.2) {
          const std::size_t f2 = members.size();
          const int m = u(rng) < 0.5 ? 2 : 3;
          for (int j = 0; j < m; ++j) add_member(f2, heavy(lo, hi));
          const auto cnt = static_cast<index_t>(members.size() - f2);
          needed.push_back(cnt == 3 ? 2 : 1);
          req.push_back(static_cast<index_t>(members.size()));
        }
      }
      node.push_back(static_cast<index_t>(needed.size()));
    }
  }
  for (index_t f = 0; f < functions; ++f) {
    const std::size_t first = members.size();
    for (int j = 0; j < 3; ++j)
      add_member(first, start[3] + static_cast<index_t>(rng() % (start[4] - start[3])));
    needed.push_back(static_cast<index_t>(members.size() - first));
    req.push_back(static_cast<index_t>(members.size()));
    node.push_back(static_cast<index_t>(needed.size()));
  }
  return {std::move(node), std::move(needed), std::move(req), std::move(members)};
}

} // namespace

int main(int argc, char** argv) {
  const index_t n = argc > 1 ? static_cast<index_t>(std::atol(argv[1])) : 1'000'000;
  const double deps = argc > 2 ? std::atof(argv[2]) : 4.0;
  const index_t functions = argc > 3 ? static_cast<index_t>(std::atol(argv[3])) : 1000;
  const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;

  auto t0 = clock_type::now();
  csr_arrays a = synthetic_inventory(n, deps, functions, seed);
  const double t_generate = seconds_since(t0);
  t0 = clock_type::now();
  // Graph construction: reverse edges and the cycle check (Tarjan's strongly
  // connected components).
  const dependency_graph g(n, functions, std::move(a.node), std::move(a.needed), std::move(a.req),
                           std::move(a.members));
  const double t_build = seconds_since(t0);

  t0 = clock_type::now();
  std::vector<double> rto(functions), rpo(functions);
  std::vector<priority_class> cls(functions);
  std::mt19937_64 rng(seed + 1);
  for (index_t f = 0; f < functions; ++f) {
    cls[f] = static_cast<priority_class>(rng() % 5);
    rto[f] = 3.0 * (1 + static_cast<double>(rng() % 48));
    rpo[f] = 24.0;
  }
  const auto inherited = inherit_objectives<double>(g, rto, rpo, cls);
  const double t_inherit = seconds_since(t0);

  t0 = clock_type::now();
  // Damage: one infrastructure system (a network core) and 1 % of software.
  std::vector<index_t> damaged{static_cast<index_t>(0.001 * n)};
  for (index_t s = static_cast<index_t>(0.301 * n); s < n; s += 100) damaged.push_back(s);
  const auto hit = propagate_impact(g, damaged);
  const double t_impact = seconds_since(t0);

  t0 = clock_type::now();
  const auto spof = single_points_by_function(g);
  const double t_spof = seconds_since(t0);

  std::printf("systems=%u edges=%zu requirements=%u functions=%u components=%u graph_mib=%.1f\n", n,
              g.edge_count(), g.requirement_count(), functions, g.component_count(),
              static_cast<double>(g.memory_bytes()) / (1 << 20));
  std::printf("generate_s=%.3f build+cycle_check_s=%.3f inherit_s=%.3f impact_s=%.3f (down=%u, "
              "functions_down=%u) "
              "spof_s=%.3f (pairs=%zu)\n",
              t_generate, t_build, t_inherit, t_impact, hit.systems_down, hit.functions_down,
              t_spof, spof.systems.size());
  std::printf("cycle+impact+inheritance_s=%.3f peak_rss_mib=%.1f systems_no_function_needs=%zu\n",
              t_build + t_inherit + t_impact, static_cast<double>(peak_rss_kib()) / 1024,
              static_cast<std::size_t>(std::count(inherited.class_function.begin(),
                                                  inherited.class_function.end(), no_index)));
  return 0;
}
