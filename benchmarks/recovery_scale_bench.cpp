// recovery_scale_bench — times recovery planning on a large generated
// inventory: n systems (default 25,000) in layers (a few buildings and
// network cores, then hardware, then software), each depending on one to
// three systems of the layer below, one in four of those as an any-of pair;
// a ransomware scenario damaging every software system (default procedures:
// five steps each, so 100,000+ activities at the default size); ten IT staff;
// n / 10 business functions needing two to four software systems.
//
//   recovery_scale_bench [systems] [seed]
//
// Prints the time to build and validate the model, to build the recovery
// project, to compute the priority list, to run the serial SGS and to
// evaluate capacity over time, then checks the schedule's feasibility.
#include <continuity/recovery.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 25000;
  const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  using clock = std::chrono::steady_clock;
  const auto ms = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi - 1)(rng);
  };

  auto t0 = clock::now();
  continuity::model_spec spec;
  spec.name = "generated";
  spec.resources.push_back({"IT staff", continuity::resource_kind::people, 10});
  const std::size_t base = std::max<std::size_t>(4, n / 1000);
  const std::size_t hardware = std::max<std::size_t>(base + 1, n / 4);
  spec.systems.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    auto& sys = spec.systems[s];
    sys.name = "s" + std::to_string(s);
    if (s < base) {
      sys.layer = continuity::asset_layer::infrastructure;
      continue;
    }
    const bool software = s >= hardware;
    sys.layer = software ? continuity::asset_layer::software : continuity::asset_layer::hardware;
    sys.holds_data = false;
    const std::size_t lo = software ? base : 0, hi = software ? hardware : base;
    const std::size_t k = pick(1, 4);
    std::vector<std::string> all;
    for (std::size_t i = 0; i < k; ++i) all.push_back("s" + std::to_string(pick(lo, hi)));
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    sys.depends_on.push_back(continuity::requirement::all_of(all));
    if (pick(0, 4) == 0) {
      std::string a = "s" + std::to_string(pick(lo, hi)), b = "s" + std::to_string(pick(lo, hi));
      if (a != b && std::find(all.begin(), all.end(), a) == all.end() &&
          std::find(all.begin(), all.end(), b) == all.end())
        sys.depends_on.push_back(continuity::requirement::any_of({a, b}));
    }
  }
  const std::size_t nf = std::max<std::size_t>(1, n / 10);
  for (std::size_t f = 0; f < nf; ++f) {
    continuity::business_function<double> fn;
    fn.name = "f" + std::to_string(f);
    fn.importance = static_cast<int>(pick(1, 4));
    fn.system_dependency = static_cast<int>(pick(1, 4));
    fn.revenue_per_day = 100000;
    std::vector<std::string> needs;
    for (std::size_t i = 0, k = pick(2, 5); i < k; ++i)
      needs.push_back("s" + std::to_string(pick(hardware, n)));
    std::sort(needs.begin(), needs.end());
    needs.erase(std::unique(needs.begin(), needs.end()), needs.end());
    fn.needs.push_back(continuity::requirement::all_of(needs));
    spec.functions.push_back(std::move(fn));
  }
  continuity::incident_scenario<double> sc;
  sc.name = "ransomware";
  sc.kind = continuity::incident_kind::ransomware;
  sc.damage.push_back({{continuity::asset_layer::software}, {}, {}});
  spec.scenarios.push_back(sc);
  const continuity::model m(std::move(spec));
  auto t1 = clock::now();
  auto rp = continuity::build_recovery_project(m, continuity::index_t{0});
  auto t2 = clock::now();
  const auto list = continuity::recovery_priority(m, rp);
  auto t3 = clock::now();
  auto s = continuity::serial_sgs(rp.project(), list);
  auto t4 = clock::now();
  const auto outcome = continuity::evaluate_recovery(m, rp, s.starts(), s.finishes());
  auto t5 = clock::now();
  const bool feasible = continuity::is_feasible(rp.project(), s, 1e-9);
  std::printf("systems=%zu functions=%zu damaged=%zu activities=%zu staff=10\n", n, nf,
              m.damaged_systems(0).size(), rp.project().activity_count());
  std::printf("model_ms=%.1f project_ms=%.1f priority_ms=%.1f sgs_ms=%.1f outcome_ms=%.1f\n",
              ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t5));
  std::printf("makespan_h=%.1f business_impact=%.0f feasible=%s\n", s.makespan(),
              outcome.business_impact, feasible ? "yes" : "no");
  return feasible ? 0 : 1;
}
