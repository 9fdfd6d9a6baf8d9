// w1_bench — speed of the Monte Carlo engine on the W1 reference workload
// (three compound Poisson–lognormal scenarios, tests/data/w1.md) and
// its figures against the reference values: run() with every result, and
// run_into with the annual loss alone in reused memory (the kernel's speed).
//
// Usage: w1_bench [trials] [threads]   (default 10^6 trials, all cores;
//        trials given as e.g. 1e4 … 1e7).
#include "arguments.hpp"

#include <continuity/loss.hpp>
#include <continuity/random.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

using namespace continuity;

namespace {

scenario_portfolio<> w1() {
  scenario_portfolio<> p;
  p.add({"ransomware", poisson<>(0.30), lognormal<>::from_interval90(50'000.0, 2'000'000.0)});
  p.add({"data_leak", poisson<>(0.50), lognormal<>::from_interval90(20'000.0, 500'000.0)});
  p.add({"outage", poisson<>(2.00), lognormal<>::from_interval90(5'000.0, 100'000.0)});
  return p;
}

// The best time of `min_runs` runs or more of `run_once`: runs go on until
// they have taken `min_seconds` in all, so that a burst of load from other
// processes on a shared machine does not decide the figure (the usual "best
// of N" of timeit). Writes the number of runs to `runs` and the least
// processor time of a run (all threads: on a loaded machine, the steadier
// figure) to `processor_seconds`.
template <class Run>
double seconds_of_best_run(const Run& run_once, int min_runs, double min_seconds, int& runs,
                           double& processor_seconds) {
  double best = 1e300, total = 0;
  processor_seconds = 1e300;
  for (runs = 0; runs < min_runs || total < min_seconds; ++runs) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t processor_start = std::clock();
    run_once();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    processor_seconds = std::min(
        processor_seconds, static_cast<double>(std::clock() - processor_start) / CLOCKS_PER_SEC);
    best = std::min(best, elapsed.count());
    total += elapsed.count();
  }
  return best;
}

} // namespace

int main(int argc, char** argv) {
  const bench::arguments args(argc, argv, "w1_bench [trials] [threads]", 2);
  const std::uint64_t trials = args.count(1, "trials", 1'000'000, 1);
  const auto requested = static_cast<unsigned>(args.count(2, "threads", 0, 0));
  const unsigned threads =
      requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  const auto portfolio = w1();

  // Variates per trial: 3 Poisson counts + on average Σλ = 2.8 lognormal losses.
  const double variates_per_trial = 3 + 0.30 + 0.50 + 2.00;
  const int min_runs = trials <= 1'000'000 ? 5 : 1;
  const double min_seconds = trials <= 1'000'000 ? 2.0 : 0.0;
  std::printf("W1, %llu trials, best of at least %d runs taking %.0f s or more\n",
              static_cast<unsigned long long>(trials), min_runs, min_seconds);
  // run(): every result (annual, insured and retained loss, breakdown) in
  // new memory; run_into: the annual loss alone, into memory reused from run
  // to run (the kernel's own speed).
  std::vector<double> annual(trials);
  for (const bool alone : {false, true}) {
    std::printf(alone ? "annual loss alone (run_into, memory reused):\n"
                      : "every result (run, new memory each run):\n");
    for (unsigned t : {1u, threads}) {
      run_options o;
      o.threads = t;
      const auto run_once = [&] {
        const std::uint64_t done =
            alone ? run_into(portfolio, trials, 1, o, trial_outputs<double>{annual})
                  : run(portfolio, trials, 1, o).trials();
        if (done != trials) std::abort();
      };
      int runs = 0;
      double processor = 0;
      const double s = seconds_of_best_run(run_once, min_runs, min_seconds, runs, processor);
      std::printf("  threads %u: %.4f s (best of %d), %.3g trials/s, %.1f ns per sampled variate "
                  "(per thread); processor time %.4f s\n",
                  t, s, runs, double(trials) / s,
                  s * 1e9 * t / (double(trials) * variates_per_trial), processor);
      if (t == threads) break;
    }
  }

  run_options o;
  o.threads = threads;
  const auto result = run(portfolio, trials, 1, o);
  const loss_statistics<> s(result.annual_loss);
  std::printf("figure        simulated      reference\n");
  std::printf("mean       %12.2f   %12.2f (closed form; ± %.2f standard error)\n", s.mean(),
              326'293.12, s.standard_error());
  const struct {
    const char* name;
    double value, reference;
  } rows[] = {{"VaR 90 %", s.value_at_risk(0.90), 777'750},
              {"VaR 95 %", s.value_at_risk(0.95), 1'234'750},
              {"VaR 99 %", s.value_at_risk(0.99), 2'842'250},
              {"VaR 99.9 %", s.value_at_risk(0.999), 7'035'500},
              {"TVaR 95 %", s.tail_value_at_risk(0.95), 2'336'000},
              {"TVaR 99 %", s.tail_value_at_risk(0.99), 4'620'000}};
  for (const auto& r : rows)
    std::printf("%-10s %12.0f   %12.0f (%+.2f %%)\n", r.name, r.value, r.reference,
                100 * (r.value / r.reference - 1));
  return 0;
}
