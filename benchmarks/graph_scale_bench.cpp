// Whole-graph analyses at inventory scale on the library's synthetic
// inventory (continuity/synthetic/inventory.hpp, dependency structure only:
// buildings, infrastructure, hardware, software, people; shared platforms
// with heavy fan-in; heavy-tailed fan-out; any-of and k-of-n redundancy).
// Times the generation, the cycle check (strongly connected components),
// impact propagation, RTO/RPO inheritance and single points of failure, and
// prints the peak RSS.
//
//   graph_scale_bench [systems=1000000] [deps_per_system=4] [functions=1000] [seed=1]
#include "arguments.hpp"

#include <continuity/continuity.hpp>
#include <continuity/synthetic.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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

} // namespace

int main(int argc, char** argv) {
  const bench::arguments args(
      argc, argv, "graph_scale_bench [systems] [mean dependencies] [functions] [seed]", 4);
  synthetic_inventory_options o;
  o.systems = static_cast<std::size_t>(args.count(1, "systems", 1'000'000, 1));
  o.mean_dependencies = args.number(2, "mean dependencies", 4.0);
  o.functions = static_cast<std::size_t>(args.count(3, "functions", 1000, 1));
  o.seed = args.count(4, "seed", 1);
  const auto n = static_cast<index_t>(o.systems);
  const auto functions = static_cast<index_t>(o.functions);

  auto t0 = clock_type::now();
  synthetic_graph a = generate_inventory_graph(o);
  const double t_generate = seconds_since(t0);
  // Every 100th regular software system and the first network core are damaged.
  std::vector<index_t> damaged;
  for (index_t s = 0; s < n; ++s)
    if (a.layers[s] == asset_layer::infrastructure && a.shared_platform[s]) {
      damaged.push_back(s + 2); // platform:core-0 (after its two switches)
      break;
    }
  for (index_t s = 0, k = 0; s < n; ++s)
    if (a.layers[s] == asset_layer::software && !a.shared_platform[s] && k++ % 100 == 0)
      damaged.push_back(s);

  t0 = clock_type::now();
  // Graph construction: reverse edges and the cycle check (Tarjan's strongly
  // connected components).
  const dependency_graph g(n, functions, std::move(a.node_requirement_offsets),
                           std::move(a.needed), std::move(a.requirement_member_offsets),
                           std::move(a.requirement_members));
  const double t_build = seconds_since(t0);

  t0 = clock_type::now();
  std::vector<double> rto(functions), rpo(functions);
  std::vector<priority_class> cls(functions);
  for (index_t f = 0; f < functions; ++f) {
    auto e = stream(o.seed + 1, f);
    cls[f] = static_cast<priority_class>(e() % 5);
    rto[f] = 3.0 * static_cast<double>(1 + e() % 48);
    rpo[f] = 24.0;
  }
  const auto inherited = inherit_objectives<double>(g, rto, rpo, cls);
  const double t_inherit = seconds_since(t0);

  t0 = clock_type::now();
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
