// psplib_fuzzer — bytes as a PSPLIB file, read both as a single-mode
// instance (read_psplib_sm) and as a solution list (read_psplib_solutions).
// A project that reads is scheduled: critical path, the serial schedule
// generation scheme with one of the priority rules, and for one input in
// four a few generations of the improving search; every schedule must pass
// check_schedule (precedence and resource limits).
//
// parse_error (any continuity::error) is expected; std::bad_alloc or any
// other exception, a crash, a sanitizer report, a leak or a hang is a finding.
#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

[[noreturn]] void property_failed(const char* what) {
  std::fprintf(stderr, "fuzz: property failed: %s\n", what);
  std::abort();
}

void check(const continuity::project& p, const continuity::schedule& s) {
  const auto v = continuity::check_schedule(p, s, 1e-9);
  if (!v.empty()) {
    std::fprintf(stderr, "fuzz: infeasible schedule: %s\n", v.front().message.c_str());
    std::abort();
  }
}

void schedule(const continuity::project& p, std::uint64_t choice) {
  using namespace continuity;
  const auto cp = critical_path(p);
  if (!std::isfinite(cp.length) || cp.length < 0) property_failed("critical path length");
  // One priority rule per input (the reader is the target; scheduling every
  // instance four times would halve the rate).
  constexpr priority_rule rules[] = {
      priority_rule::latest_finish_time, priority_rule::latest_start_time,
      priority_rule::most_total_successors, priority_rule::greatest_rank_positional_weight};
  const auto s = serial_sgs(p, rules[choice % 4]);
  check(p, s);
  if (s.makespan() + 1e-9 < cp.length) property_failed("schedule shorter than the critical path");
  if ((choice >> 2) % 4 == 0) {
    improvement_options o;
    o.schedule_budget = 8;
    o.population_size = 2;
    o.seed = choice;
    const auto r = improve_schedule(p, o);
    check(p, r.best);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    std::istringstream in(text);
    const auto p = continuity::read_psplib_sm(in, "<fuzz>");
    std::uint64_t choice = size;
    for (std::size_t i = 0; i < size; i += 64) choice = choice * 31 + data[i];
    schedule(p, choice);
  } catch (const continuity::error&) {
  }
  try {
    std::istringstream in(text);
    const auto sol = continuity::read_psplib_solutions(in, "<fuzz>");
    for (const auto& [key, makespan] : sol)
      if (makespan < 0) property_failed("negative makespan read");
  } catch (const continuity::error&) {
  }
  return 0;
}
