// Tests of continuity/scheduling/detail/resource_profile.hpp: the indexed
// profile must find exactly the starts that the block-by-block scan it
// replaced found (tests/support/linear_scan_profile.hpp, kept unchanged as the
// reference), bit for bit, for every sequence of searches and reservations:
// on random reservation sequences (with small blocks and small nodes too, so
// that short sequences build deep trees), on whole serial SGS runs over random
// projects in both directions, and on the PSPLIB J30 instances. Every start is
// also checked against the definition by brute force: the window fits, and
// where the definition's earliest start differs, it is one that the scan's
// block rule passes over (counted, so that the test shows the rule is met).
#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>
#include <continuity/scheduling/detail/resource_profile.hpp>
#include <continuity/scheduling/detail/sgs_engine.hpp>

#include "support/linear_scan_profile.hpp"
#include "support/random_graphs.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace continuity;
using continuity_test::linear_scan_profile;
using continuity_test::splitmix;

namespace {

// Bitwise equality (no tolerance: the schedules must not change at all).
template <class Real>
bool same_bits(Real a, Real b) {
  return std::memcmp(&a, &b, sizeof(Real)) == 0;
}

// The profile as a plain list of reservations, and the definition of a fit:
// [t, t + d) fits if the step containing t and every step starting before
// t + d (computed in Real) leave room for the demand.
template <class Real>
struct brute_profile {
  struct reservation {
    Real start, finish;
    std::vector<resource_demand> demand;
  };
  std::vector<int> capacity;
  std::vector<reservation> held;

  int usage(std::size_t r, Real x) const {
    int u = 0;
    for (const auto& h : held)
      if (h.start <= x && x < h.finish)
        for (const auto& d : h.demand)
          if (d.resource == r) u += d.units;
    return u;
  }
  bool room_at(Real x, const std::vector<resource_demand>& demand) const {
    for (const auto& d : demand)
      if (usage(d.resource, x) + d.units > capacity[d.resource]) return false;
    return true;
  }
  // The breakpoints: 0 and every start and finish.
  std::vector<Real> breakpoints() const {
    std::vector<Real> b{Real(0)};
    for (const auto& h : held) {
      b.push_back(h.start);
      b.push_back(h.finish);
    }
    std::sort(b.begin(), b.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    return b;
  }
  bool fits(Real t, Real d, const std::vector<resource_demand>& demand,
            const std::vector<Real>& b) const {
    // The step containing t starts at the last breakpoint <= t.
    const Real step = *(std::upper_bound(b.begin(), b.end(), t) - 1);
    const Real end = t + d;
    if (step < end && !room_at(step, demand)) return false;
    for (Real x : b)
      if (x > t && x < end && !room_at(x, demand)) return false;
    return true;
  }
  Real earliest(Real est, Real d, const std::vector<resource_demand>& demand) const {
    const auto b = breakpoints();
    if (d <= Real(0) || demand.empty() || fits(est, d, demand, b)) return est;
    for (Real x : b)
      if (x > est && fits(x, d, demand, b)) return x;
    return std::numeric_limits<Real>::infinity(); // unreachable
  }
};

// Durations that produce exact fits and rounding ties: zero, tiny, thirds and
// tenths of hours (inexact in binary), quarter hours (exact), and arbitrary.
template <class Real>
Real random_duration(splitmix& g) {
  switch (g.below(6)) {
  case 0: return Real(0);
  case 1: return Real(static_cast<double>(1 + g.below(5)) / 3.0);
  case 2: return Real(static_cast<double>(1 + g.below(12)) / 10.0);
  case 3: return Real(static_cast<double>(1 + g.below(16)) / 4.0);
  case 4: return g.chance(0.1) ? Real(1e-9) : Real(static_cast<double>(g.below(1000)) / 997.0);
  default: return Real(static_cast<double>(g.next() >> 11) * 0x1.0p-53 * 6.0);
  }
}

struct fit_counts {
  std::size_t searches = 0, ruled = 0; // ruled: the block rule passed over the definition's start
};

// One random sequence of searches and reservations on a profile of type P and
// on the reference; every search must give the same start in both.
template <class Real, class P, std::size_t MaxBlock>
void compare_sequence(std::uint64_t seed, std::size_t length, bool brute, fit_counts& counts) {
  splitmix g{seed};
  const std::size_t k = 1 + g.below(5);
  std::vector<int> capacity(k);
  for (auto& c : capacity) c = g.chance(0.1) ? 100 : 1 + static_cast<int>(g.below(6));
  P indexed;
  linear_scan_profile<Real, MaxBlock> reference;
  indexed.reset(capacity);
  reference.reset(capacity);
  brute_profile<Real> plain{capacity, {}};
  std::vector<Real> finishes{Real(0)};
  for (std::size_t i = 0; i < length; ++i) {
    std::vector<resource_demand> demand;
    for (std::size_t r = 0; r < k; ++r)
      if (g.chance(demand.empty() ? 0.6 : 0.25))
        demand.push_back({r, 1 + static_cast<int>(g.below(static_cast<std::size_t>(
                                     std::min(capacity[r], 4))))});
    if (g.chance(0.03)) demand.clear();
    const Real d = random_duration<Real>(g);
    // Earliest starts: at 0, at an earlier finish (exact fits into gaps), or anywhere.
    Real est = Real(0);
    if (g.chance(0.5))
      est = finishes[g.below(finishes.size())];
    else if (g.chance(0.5))
      est = finishes.back() * Real(static_cast<double>(g.below(1000)) / 1000.0);
    const Real a = indexed.earliest_fit(est, d, demand);
    const Real b = reference.earliest_fit(est, d, demand);
    INFO("blocks of " << MaxBlock << ", seed " << seed << ", search " << i << ": est " << est
                      << ", duration " << d << "; indexed " << a << ", scan " << b);
    REQUIRE(same_bits(a, b));
    ++counts.searches;
    if (brute) {
      REQUIRE(a >= est);
      REQUIRE((d <= Real(0) || demand.empty() || plain.fits(a, d, demand, plain.breakpoints())));
      if (plain.earliest(est, d, demand) < a) ++counts.ruled;
      plain.held.push_back({a, a + d, demand});
    }
    indexed.reserve(a, a + d, demand);
    reference.reserve(a, a + d, demand);
    REQUIRE(indexed.breakpoint_count() == reference.breakpoint_count());
    finishes.push_back(a + d);
  }
}

// A random project with `k` resources, precedences (finish-to-start and
// start-to-start, some with lags), release times, zero and inexact durations.
project random_rcpsp(std::size_t n, std::uint64_t seed) {
  splitmix g{seed};
  const std::size_t k = 1 + g.below(6);
  project_builder b;
  std::vector<int> capacity(k);
  for (std::size_t r = 0; r < k; ++r) {
    capacity[r] = g.chance(0.1) ? 80 : 1 + static_cast<int>(g.below(10));
    std::string name = "resource ";
    name += std::to_string(r);
    b.add_resource(std::move(name), capacity[r]);
  }
  for (std::size_t a = 0; a < n; ++a) {
    b.add_activity(random_duration<double>(g));
    for (std::size_t r = 0; r < k; ++r)
      if (g.chance(r == a % k ? 0.9 : 0.15))
        b.set_demand(a, r, 1 + static_cast<int>(g.below(static_cast<std::size_t>(capacity[r]))));
    if (g.chance(0.05)) b.set_release_time(a, static_cast<double>(g.below(200)) / 3.0);
    if (a == 0) continue;
    const std::size_t window = std::min<std::size_t>(a, 40);
    for (std::size_t j = g.below(4); j > 0; --j) {
      const std::size_t pred = a - 1 - g.below(window);
      const double lag = g.chance(0.7) ? 0.0 : static_cast<double>(g.below(10)) / 10.0;
      if (g.chance(0.8))
        b.add_finish_to_start(pred, a, lag);
      else
        b.add_start_to_start(pred, a, lag);
    }
  }
  return b.build();
}

// A random precedence-feasible list: repeatedly a random activity whose
// predecessors are all listed.
std::vector<std::size_t> random_list(const project& p, splitmix& g) {
  const std::size_t n = p.activity_count();
  std::vector<std::size_t> missing(n), ready, list;
  for (std::size_t a = 0; a < n; ++a)
    if ((missing[a] = p.predecessors(a).size()) == 0) ready.push_back(a);
  while (!ready.empty()) {
    const std::size_t i = g.below(ready.size());
    const std::size_t a = ready[i];
    ready[i] = ready.back();
    ready.pop_back();
    list.push_back(a);
    for (const auto& s : p.successors(a))
      if (--missing[s.activity] == 0) ready.push_back(s.activity);
  }
  return list;
}

// Runs the SGS with the indexed profile and with the reference on `list`, on
// the forward network and (ordered by finish) on the backward network, as the
// improving search does; the starts must agree bit for bit.
void compare_sgs(const project& p, const std::vector<std::size_t>& list) {
  detail::network_storage<double> bs;
  std::vector<double> zero;
  const auto forward = detail::make_forward_network(p);
  const auto backward = detail::make_backward_network(p, bs, zero);
  detail::serial_sgs_engine<double> indexed;
  detail::serial_sgs_engine<double, linear_scan_profile<double>> reference;
  std::vector<double> a, b;
  indexed.run(forward, list, a);
  reference.run(forward, list, b);
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("forward, activity " << i);
    REQUIRE(same_bits(a[i], b[i]));
  }
  // Backward: the list reversed (successors first, as the reversed network needs).
  const std::vector<std::size_t> back(list.rbegin(), list.rend());
  indexed.run(backward, back, a);
  reference.run(backward, back, b);
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("backward, activity " << i);
    REQUIRE(same_bits(a[i], b[i]));
  }
}

// Random sequences with seeds [first, last] (short ones with small blocks
// and nodes, checked by brute force too) and [first, long_last] (long ones
// with the scheduler's sizes).
fit_counts run_sequences(std::uint64_t first, std::uint64_t last, std::uint64_t long_last) {
  fit_counts counts;
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    // Blocks of 2 to 8 steps and nodes of 2 to 4 children: deep trees from
    // short sequences.
    compare_sequence<double, detail::resource_profile<double, 2, 2>, 2>(seed, 150, true, counts);
    compare_sequence<double, detail::resource_profile<double, 4, 3>, 4>(seed, 150, true, counts);
    compare_sequence<double, detail::resource_profile<double, 8, 4>, 8>(seed, 150, true, counts);
    // Demands on several resources searched one resource at a time.
    compare_sequence<double, detail::resource_profile<double, 4, 2, 0>, 4>(seed, 150, true, counts);
    // Single precision.
    compare_sequence<float, detail::resource_profile<float, 4, 2>, 4>(seed, 300, true, counts);
  }
  for (std::uint64_t seed = first; seed <= long_last; ++seed)
    compare_sequence<double, detail::resource_profile<double>, 128>(seed, 3000, false, counts);
  return counts;
}

// Projects with seeds [first, last]: 50 to 650 activities, 3000 for every
// tenth seed; LFT and random lists.
void compare_projects(std::uint64_t first, std::uint64_t last) {
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    splitmix g{seed * 7919};
    const std::size_t n = seed % 10 == 0 ? 3000 : 50 + g.below(600);
    const auto p = random_rcpsp(n, seed);
    INFO("seed " << seed << ", " << n << " activities");
    compare_sgs(p, priority_list(p, priority_rule::latest_finish_time));
    compare_sgs(p, random_list(p, g));
  }
}

} // namespace

TEST_CASE("the indexed profile finds the block-by-block scan's starts on random sequences") {
  const auto counts = run_sequences(1, 10, 0);
  INFO(counts.searches << " searches, the block rule passed over the definition's start in "
                       << counts.ruled);
  CHECK(counts.ruled > 0); // the rule is exercised, and kept
}

TEST_CASE("the indexed profile finds the scan's starts on more random sequences", "[slow]") {
  const auto counts = run_sequences(11, 400, 40);
  INFO(counts.searches << " searches, the block rule passed over the definition's start in "
                       << counts.ruled);
  CHECK(counts.ruled > 0);
}

TEST_CASE("the block rule is kept: a gap that fits exactly but measures short is passed over") {
  // One unit of a resource, busy on [0, 5) and from 5 + 0.3 (as a double sum)
  // to 10, then short activities with gaps of 0.1 h: the gap [5, 5 + 0.3) is
  // exactly long enough for a 0.3 h step by its end time, but measures
  // (5 + 0.3) - 5 = 0.29999999999999982 < 0.3. The block-by-block scan passed
  // over such a start when the gap was not the last free run of its block
  // (so with 200 short activities, not with 20); the indexed profile does too.
  for (const int fillers : {20, 200}) {
    const double t = 5.0, d = 0.3;
    const std::vector<int> capacity{1};
    const std::vector<resource_demand> one{{0, 1}};
    detail::resource_profile<double> indexed;
    linear_scan_profile<double> reference;
    indexed.reset(capacity);
    reference.reset(capacity);
    const auto hold = [&](double s, double f) {
      indexed.reserve(s, f, one);
      reference.reserve(s, f, one);
    };
    hold(0.0, t);
    hold(t + d, 10.0);
    for (int i = 0; i < fillers; ++i) hold(10.0 + 0.6 * i, 10.0 + 0.6 * i + 0.5);
    const double a = indexed.earliest_fit(0.0, d, one);
    CHECK(same_bits(a, reference.earliest_fit(0.0, d, one)));
    if (fillers == 20)
      CHECK(a == t);
    else
      CHECK(a > 10.0);
  }
}

TEST_CASE("serial SGS schedules are bit-identical to the block-by-block scan on random projects") {
  compare_projects(1, 10);
}

TEST_CASE("serial SGS schedules are bit-identical to the scan on more random projects", "[slow]") {
  compare_projects(11, 300);
}

TEST_CASE("serial SGS schedules are bit-identical to the block-by-block scan on J30") {
  const std::filesystem::path dir = CONTINUITY_TEST_DATA_DIR "/psplib";
  std::size_t instances = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("j30", 0) != 0 || name.find('_') == std::string::npos) continue;
    const auto p = read_psplib_sm_file(entry.path().string());
    INFO(name);
    compare_sgs(p, priority_list(p, priority_rule::latest_finish_time));
    ++instances;
  }
  CHECK(instances == 480);
}
