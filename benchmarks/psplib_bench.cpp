// psplib_bench — runs the improving search on every PSPLIB single-mode
// instance in a directory and compares with a solution list.
//
//   psplib_bench <dir of .sm files> <solution file> <schedules per instance> [seed]
//
// Instance files are named j<set><parameter>_<instance>.sm with set 30, 60,
// 90 or 120. Prints one line per instance (name, reference, makespan,
// deviation %, feasible, ms) and a summary line
//   instances=N feasible=N mean_dev_pct=X max_dev_pct=Y mean_ms=Z
// Instances are spread over two threads; each instance's search is seeded
// from the seed and the instance key only, so results do not depend on the
// thread that ran it.
#include "arguments.hpp"

#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

struct instance_run {
  std::string name;
  std::filesystem::path path;
  continuity::psplib_instance_key key;
  int reference = 0;
  double makespan = 0;
  bool feasible = false;
  double ms = 0;
  std::string failure;
};

// Parses "j<set><par>_<inst>.sm" with set one of 30, 60, 90, 120.
bool parse_name(const std::string& name, continuity::psplib_instance_key& key) {
  if (name.size() < 6 || name[0] != 'j' || !name.ends_with(".sm")) return false;
  const std::string body = name.substr(1, name.size() - 4);
  for (const std::string set : {"120", "30", "60", "90"}) {
    if (!body.starts_with(set)) continue;
    const std::string rest = body.substr(set.size());
    const auto us = rest.find('_');
    if (us == std::string::npos || us == 0 || us + 1 == rest.size()) return false;
    const std::string par = rest.substr(0, us), inst = rest.substr(us + 1);
    const auto digits = [](const std::string& s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(par) || !digits(inst)) return false;
    key = {std::stoi(par), std::stoi(inst)};
    return true;
  }
  return false;
}

} // namespace

int main(int argc, char** argv) {
  const bench::arguments args(
      argc, argv, "psplib_bench <dir of .sm files> <solution file> <schedules per instance> [seed]", 4);
  if (!args.has(3)) bench::usage_exit(args.usage(), "three arguments at least");
  const auto budget = static_cast<std::size_t>(args.count(3, "schedules per instance", 0, 1));
  const std::uint64_t seed = args.count(4, "seed", 1);
  try {
    const std::filesystem::path dir = argv[1];
    const auto reference = continuity::read_psplib_solutions_file(argv[2]);

    std::vector<instance_run> runs;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      instance_run r;
      r.name = entry.path().filename().string();
      if (!entry.is_regular_file() || !parse_name(r.name, r.key)) continue;
      const auto it = reference.find(r.key);
      if (it == reference.end()) continue; // no reference value: not part of the comparison
      r.path = entry.path();
      r.reference = it->second;
      runs.push_back(std::move(r));
    }
    std::sort(runs.begin(), runs.end(),
              [](const instance_run& a, const instance_run& b) { return a.key < b.key; });
    if (runs.empty()) {
      std::fprintf(stderr, "no instances with a reference value in %s\n", dir.string().c_str());
      return 1;
    }

    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      for (std::size_t i = next++; i < runs.size(); i = next++) {
        auto& r = runs[i];
        try {
          const auto t0 = std::chrono::steady_clock::now();
          const auto p = continuity::read_psplib_sm_file(r.path);
          continuity::improvement_options o;
          o.schedule_budget = budget;
          o.seed = seed * 1000003u + static_cast<std::uint64_t>(r.key.parameter) * 1009u +
                   static_cast<std::uint64_t>(r.key.instance);
          const auto result = continuity::improve_schedule(p, o);
          r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count();
          r.makespan = result.best.makespan();
          r.feasible = continuity::is_feasible(p, result.best);
        } catch (const std::exception& e) {
          r.failure = e.what();
        }
      }
    };
    std::thread helper(worker);
    worker();
    helper.join();

    double sum_dev = 0, max_dev = 0, sum_ms = 0;
    std::size_t feasible = 0;
    std::printf("%-14s %9s %9s %8s %9s %9s\n", "instance", "reference", "makespan", "dev_pct",
                "feasible", "ms");
    for (const auto& r : runs) {
      if (!r.failure.empty()) {
        std::printf("%-14s error: %s\n", r.name.c_str(), r.failure.c_str());
        continue;
      }
      const double dev = 100.0 * (r.makespan - r.reference) / r.reference;
      sum_dev += dev;
      max_dev = std::max(max_dev, dev);
      sum_ms += r.ms;
      feasible += r.feasible ? 1 : 0;
      std::printf("%-14s %9d %9g %8.3f %9s %9.2f\n", r.name.c_str(), r.reference, r.makespan, dev,
                  r.feasible ? "yes" : "NO", r.ms);
    }
    const double n = static_cast<double>(runs.size());
    std::printf("instances=%zu feasible=%zu mean_dev_pct=%.4f max_dev_pct=%.4f mean_ms=%.2f\n",
                runs.size(), feasible, sum_dev / n, max_dev, sum_ms / n);
    return feasible == runs.size() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "psplib_bench: %s\n", e.what());
    return 1;
  }
}
