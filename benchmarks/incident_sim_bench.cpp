// incident_sim_bench — the integrated incident simulation on the library's
// synthetic inventory (continuity/synthetic/inventory.hpp): `systems`
// systems (default 1,000), its ransomware scenario at `rate` incidents a year
// (default 1), `trials` simulated years (default 10^4) with seed 1, run on 1
// and on 2 threads, each the best of `repeats` runs (default 3; on a shared
// machine the best is the steadier figure).
//
//   incident_sim_bench [systems] [rate] [trials] [repeats] [inventory seed]
//
// Prints, per thread count, every run's seconds (wall clock; in brackets the
// processor time of the whole program, the steadier figure on a machine
// shared with other work), the best, the incidents
// simulated, the seconds per incident, the heap allocations per incident in
// the last run (operator new, counted by this program; the run's own result
// arrays and threads included) and the mean annual loss (equal for every
// thread count: the trials do not depend on it), the load averages before
// and after (/proc/loadavg), and whether the best time on 2 threads, scaled
// to 10^4 years, is under the 2 s asked (for 1,000 systems at one incident
// a year).
#include "arguments.hpp"

#include <continuity/loss.hpp>
#include <continuity/synthetic.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <new>
#include <string>
#include <vector>

namespace {

std::atomic<std::uint64_t> allocations{0};

} // namespace

// Every allocation of the program through operator new is counted. (Not
// inlined: GCC would take free() in an inlined delete for a mismatch.)
[[gnu::noinline]] void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string one, five, fifteen;
  f >> one >> five >> fifteen;
  return f ? one + " " + five + " " + fifteen : "unknown";
}

} // namespace

int main(int argc, char** argv) {
  const bench::arguments args(
      argc, argv, "incident_sim_bench [systems] [rate] [trials] [repeats] [inventory seed]", 5);
  continuity::synthetic_inventory_options o;
  o.systems = static_cast<std::size_t>(args.count(1, "systems", 1000, 1));
  o.ransomware_frequency = args.number(2, "rate", 1.0);
  const auto trials = args.count(3, "trials", 10'000, 1);
  const int repeats = static_cast<int>(args.count(4, "repeats", 3, 1));
  o.seed = args.count(5, "inventory seed", 1);
  o.functions = std::max<std::size_t>(10, o.systems / 100);
  const continuity::model m(continuity::generate_inventory(o));
  const continuity::incident_simulation<> sim(m);
  std::printf("incident simulation: %zu systems (inventory seed %llu), %.3g incidents a year, "
              "%llu trials, seed 1; load average before: %s\n",
              o.systems, static_cast<unsigned long long>(o.seed), o.ransomware_frequency,
              static_cast<unsigned long long>(trials), load_average().c_str());
  using clock = std::chrono::steady_clock;
  double best_two = 0;
  for (unsigned threads : {1u, 2u}) {
    continuity::run_options ro;
    ro.threads = threads;
    ro.block_size = 64;
    double best = 1e300, incidents = 0, mean = 0;
    std::uint64_t allocated = 0;
    std::printf("  %u thread%s:", threads, threads == 1 ? " " : "s");
    for (int r = 0; r < repeats; ++r) {
      const std::uint64_t before = allocations.load();
      const std::clock_t c0 = std::clock();
      const auto t0 = clock::now();
      const auto result = continuity::run(sim, trials, 1, ro);
      const double t = std::chrono::duration<double>(clock::now() - t0).count();
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      allocated = allocations.load() - before;
      best = std::min(best, t);
      incidents = result.breakdown.col(static_cast<Eigen::Index>(sim.events_column(0))).sum();
      mean = result.annual_loss.mean();
      std::printf(" %.3f (%.3f)", t, cpu);
      std::fflush(stdout);
    }
    std::printf(" s; best %.3f s, %.0f incidents, %.3f ms per incident, %.1f allocations per "
                "incident, mean annual loss %.6g\n",
                best, incidents, incidents > 0 ? 1e3 * best / incidents : 0.0,
                incidents > 0 ? static_cast<double>(allocated) / incidents : 0.0, mean);
    if (threads == 2) best_two = best;
  }
  std::printf("load average after: %s\n", load_average().c_str());
  // The target of issue "no allocation per incident", scaled to 10^4 years.
  const double scale = 1e4 / static_cast<double>(trials);
  std::printf("target: 10^4 years on 2 threads < 2 s: %.3f s%s: %s\n", best_two * scale,
              trials == 10000 ? "" : " (scaled to 10^4 years)", best_two * scale < 2 ? "met" : "MISSED");
  return 0;
}
