// recovery_scale_bench — times recovery planning on the library's synthetic
// inventory (continuity/synthetic/inventory.hpp): n systems (default
// 100,000, about 125,000 recovery activities) in five layers with shared
// platforms and redundancy, n / 100 business functions, ten IT staff (plus
// vendor engineers, clerks and spare servers), and its ransomware scenario
// spreading from a client PC through the network segments; systems without
// their own procedure get the default one (five steps).
//
//   recovery_scale_bench [systems] [seed] [repeats]
//
// Prints the time to generate the specification, to build and validate the
// model, to build the recovery project, to compute the priority list, to run
// the serial SGS (the best of `repeats` runs, default 1: on a shared machine
// the best is the steadier figure) and to evaluate capacity over time, then
// checks the schedule's feasibility.
#include "arguments.hpp"

#include <continuity/recovery.hpp>
#include <continuity/synthetic.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  continuity::synthetic_inventory_options o;
  const bench::arguments args(argc, argv, "recovery_scale_bench [systems] [seed] [repeats]", 3);
  o.systems = static_cast<std::size_t>(args.count(1, "systems", 100'000, 1));
  o.seed = args.count(2, "seed", 1);
  const int repeats = static_cast<int>(args.count(3, "repeats", 1, 1));
  o.functions = std::max<std::size_t>(10, o.systems / 100);
  o.it_staff = 10;
  using clock = std::chrono::steady_clock;
  const auto ms = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };

  auto t0 = clock::now();
  auto spec = continuity::generate_inventory(o);
  auto t1 = clock::now();
  const continuity::model m(std::move(spec));
  auto t2 = clock::now();
  auto rp = continuity::build_recovery_project(m, continuity::index_t{0});
  auto t3 = clock::now();
  const auto list = continuity::recovery_priority(m, rp);
  auto t4 = clock::now();
  auto s = continuity::serial_sgs(rp.project(), list);
  auto t5 = clock::now();
  double sgs_ms = ms(t4, t5);
  for (int i = 1; i < repeats; ++i) {
    const auto r0 = clock::now();
    s = continuity::serial_sgs(rp.project(), list);
    sgs_ms = std::min(sgs_ms, ms(r0, clock::now()));
  }
  const auto t6a = clock::now();
  const auto outcome = continuity::evaluate_recovery(m, rp, s.starts(), s.finishes());
  auto t6 = clock::now();
  const bool feasible = continuity::is_feasible(rp.project(), s, 1e-9);
  std::printf("systems=%zu functions=%zu damaged=%zu activities=%zu staff=10\n", o.systems,
              o.functions, m.damaged_systems(0).size(), rp.project().activity_count());
  std::printf("generate_ms=%.1f model_ms=%.1f project_ms=%.1f priority_ms=%.1f sgs_ms=%.1f "
              "outcome_ms=%.1f\n",
              ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), sgs_ms, ms(t6a, t6));
  std::printf("makespan_h=%.1f business_impact=%.0f feasible=%s\n", s.makespan(),
              outcome.business_impact, feasible ? "yes" : "no");
  return feasible ? 0 : 1;
}
