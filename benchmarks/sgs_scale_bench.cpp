// sgs_scale_bench — times the serial SGS on a large generated recovery
// project: n activities (default 100,000), staff of three skills with 10
// people in all (4 network, 4 server, 2 database), every activity needing 1–3
// people of one or two skills, up to three finish-to-start or start-to-start
// predecessors among the previous 50 activities, continuous durations of
// 0.25–8 h and release times on 1 % of the activities.
//
//   sgs_scale_bench [activities] [seed] [repeats]      (1e6-style numbers accepted)
//
// Prints the time to build the project, to compute the LFT list, to run the
// SGS (the best of `repeats` runs, default 1) and to check the schedule.
#include "arguments.hpp"

#include <continuity/scheduling.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

int main(int argc, char** argv) {
  const bench::arguments args(argc, argv, "sgs_scale_bench [activities] [seed] [repeats]", 3);
  const auto n = static_cast<std::size_t>(args.count(1, "activities", 100'000, 1));
  const std::uint64_t seed = args.count(2, "seed", 1);
  const int repeats = static_cast<int>(args.count(3, "repeats", 1, 1));
  using clock = std::chrono::steady_clock;
  const auto ms = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };

  auto t0 = clock::now();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> hours(0.25, 8.0), unit(0.0, 1.0);
  continuity::project_builder b;
  b.reserve(n, 2 * n);
  const int capacity[] = {4, 4, 2};
  b.add_resource("network staff", capacity[0]);
  b.add_resource("server staff", capacity[1]);
  b.add_resource("database staff", capacity[2]);
  for (std::size_t a = 0; a < n; ++a) {
    b.add_activity(hours(rng));
    const std::size_t skill = std::uniform_int_distribution<std::size_t>(0, 2)(rng);
    b.set_demand(a, skill, std::uniform_int_distribution<int>(1, capacity[skill])(rng));
    if (unit(rng) < 0.3) b.set_demand(a, (skill + 1) % 3, 1);
    if (unit(rng) < 0.01) b.set_release_time(a, 1000.0 * unit(rng));
    if (a == 0) continue;
    std::uniform_int_distribution<std::size_t> pick(a > 50 ? a - 50 : 0, a - 1);
    const int k = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int i = 0; i < k; ++i) {
      if (unit(rng) < 0.8)
        b.add_finish_to_start(pick(rng), a);
      else
        b.add_start_to_start(pick(rng), a, unit(rng));
    }
  }
  const auto p = b.build();
  auto t1 = clock::now();
  const auto list = continuity::priority_list(p, continuity::priority_rule::latest_finish_time);
  auto t2 = clock::now();
  auto s = continuity::serial_sgs(p, list);
  auto t3 = clock::now();
  double sgs_ms = ms(t2, t3);
  for (int i = 1; i < repeats; ++i) {
    const auto r0 = clock::now();
    s = continuity::serial_sgs(p, list);
    sgs_ms = std::min(sgs_ms, ms(r0, clock::now()));
  }
  t3 = clock::now();
  const bool feasible = continuity::is_feasible(p, s);
  auto t4 = clock::now();

  std::printf("activities=%zu resources=%zu staff=10 precedences=%zu\n", p.activity_count(),
              p.resource_count(), p.precedences().size());
  std::printf("build_ms=%.1f lft_list_ms=%.1f sgs_ms=%.1f check_ms=%.1f\n", ms(t0, t1), ms(t1, t2),
              sgs_ms, ms(t3, t4));
  std::printf("makespan_h=%.1f critical_path_h=%.1f feasible=%s\n", s.makespan(),
              continuity::critical_path_length(p), feasible ? "yes" : "NO");
  return feasible ? 0 : 1;
}
