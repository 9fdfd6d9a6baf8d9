// Tests for continuity/recovery/capacity_profile.hpp: the step function of
// capacity over time. Hand-made cases check each member on small profiles;
// property tests build random profiles with a fixed-seed SplitMix64 and compare
// every member with an independent reference model (the raw list of set_from
// calls, evaluated by a linear scan) and with brute-force numerical
// integration on a fine grid.
#include <continuity/recovery/capacity_profile.hpp>

#include "support/numbers.hpp"
#include "support/random_graphs.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

using namespace continuity;
using continuity_test::splitmix;

namespace {

using profile = capacity_profile<double>;
using continuity_test::inf;

// ---------------------------------------------------------------------------
// Reference model: the profile as the initial value plus the raw list of
// set_from calls, in call order (times never decrease). "From time t on,
// value v" means the value at time s is that of the last call with t <= s, or
// the initial value if there is none; t < 0 counts as 0.

struct call {
  double t, v;
};

struct reference {
  double initial = 1;
  std::vector<call> calls;

  double at(double s) const {
    s = std::max(s, 0.0);
    double v = initial;
    for (const auto& c : calls)
      if (c.t <= s) v = c.v;
    return v;
  }
  /// Every time at which the value may change: 0 and all call times, sorted, unique.
  std::vector<double> candidate_times() const {
    std::vector<double> ts{0};
    for (const auto& c : calls) ts.push_back(std::max(c.t, 0.0));
    std::sort(ts.begin(), ts.end());
    ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
    return ts;
  }
  double last_time() const { return candidate_times().back(); }
  double final_value() const { return at(inf); }
  /// Builds the profile under test by replaying the calls.
  profile build() const {
    profile p = initial == 1 ? profile{} : profile::constant(initial);
    for (const auto& c : calls) p.set_from(c.t, c.v);
    return p;
  }
};

/// The shortest form of any function f that can only change at the sorted
/// times `ts` (ts[0] == 0): the times at which f changes, with its values.
struct form {
  std::vector<double> times, values;
};

form shortest_form(const std::vector<double>& ts, const std::function<double(double)>& f) {
  form out;
  for (double t : ts) {
    const double v = f(t);
    if (out.values.empty() || v != out.values.back()) {
      out.times.push_back(t);
      out.values.push_back(v);
    }
  }
  return out;
}

std::vector<double> to_vector(std::span<const double> s) { return {s.begin(), s.end()}; }

/// The structural invariants of any profile: first time 0, times strictly
/// increasing, neighbouring values different, as many values as times.
void check_invariants(const profile& p) {
  const auto ts = p.times();
  const auto vs = p.values();
  REQUIRE(ts.size() == vs.size());
  REQUIRE(p.size() == ts.size());
  REQUIRE(p.size() >= 1);
  CHECK(ts[0] == 0);
  for (std::size_t i = 1; i < ts.size(); ++i) {
    CHECK(ts[i] > ts[i - 1]);
    CHECK(vs[i] != vs[i - 1]);
  }
}

/// The profile's breakpoints equal the shortest form of the reference exactly.
void check_form(const profile& p, const form& expected) {
  CHECK(to_vector(p.times()) == expected.times);
  CHECK(to_vector(p.values()) == expected.values);
}

// ---------------------------------------------------------------------------
// Random generators (fixed seeds).

double uniform01(splitmix& rng) { return double(rng.next() >> 11) * 0x1.0p-53; }

/// Values from a small set so that equal neighbours (merges) are common.
double grid_value(splitmix& rng) {
  static constexpr double values[] = {0, 0.25, 0.5, 0.75, 1};
  return values[rng.below(5)];
}

/// A random reference profile. With `on_grid`, times are multiples of 0.25
/// and values multiples of 0.25 (many coincidences, exact arithmetic);
/// otherwise times and values are arbitrary reals (values still drawn from
/// the small set now and then so that merges happen).
reference random_reference(splitmix& rng, bool on_grid, std::size_t max_calls = 12) {
  reference r;
  if (rng.chance(0.3)) r.initial = on_grid ? grid_value(rng) : uniform01(rng);
  const std::size_t n = rng.below(max_calls + 1);
  double t = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Sometimes the same time again (replacement), sometimes time 0 itself.
    if (!rng.chance(0.2)) t += on_grid ? 0.25 * double(1 + rng.below(12)) : 3 * uniform01(rng);
    double v = on_grid || rng.chance(0.4) ? grid_value(rng) : uniform01(rng);
    // Now and then end on full capacity, so that integrals to infinity are finite.
    if (i + 1 == n && rng.chance(0.5)) v = 1;
    r.calls.push_back({t, v});
  }
  return r;
}

/// Midpoint-rule integral of f over [0, horizon] with about `cells_per_hour`
/// cells per hour (the cell width divides the horizon exactly).
double integrate(const std::function<double(double)>& f, double horizon, double cells_per_hour) {
  if (horizon <= 0) return 0;
  const auto n = static_cast<std::size_t>(std::ceil(horizon * cells_per_hour));
  const double h = horizon / double(n);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += f((double(i) + 0.5) * h) * h;
  return total;
}

/// A random step rate: ascending breakpoints (duplicates allowed, sometimes
/// starting at 0) with non-negative rates, zero now and then.
struct rate_function {
  std::vector<double> time, rate;
  double at(double s) const {
    double r = 0;
    for (std::size_t j = 0; j < time.size(); ++j)
      if (time[j] <= s) r = rate[j];
    return r;
  }
  double final_rate() const { return rate.empty() ? 0 : rate.back(); }
};

rate_function random_rate(splitmix& rng, bool on_grid) {
  rate_function f;
  const std::size_t n = rng.below(6);
  double t = rng.chance(0.4) ? 0 : (on_grid ? 0.25 * double(rng.below(20)) : 5 * uniform01(rng));
  for (std::size_t j = 0; j < n; ++j) {
    if (j > 0 && !rng.chance(0.1)) t += on_grid ? 0.25 * double(1 + rng.below(16)) : 4 * uniform01(rng);
    static constexpr double rates[] = {0, 1, 2.5, 10, 100};
    f.time.push_back(t);
    f.rate.push_back(on_grid || rng.chance(0.5) ? rates[rng.below(5)] : 50 * uniform01(rng));
  }
  if (rng.chance(0.3) && !f.rate.empty()) f.rate.back() = 0;
  return f;
}

/// Brute-force k-th largest (1-based) of the references' values at time s.
double kth_at(const std::vector<reference>& refs, std::size_t k, double s) {
  std::vector<double> v;
  for (const auto& r : refs) v.push_back(r.at(s));
  std::sort(v.begin(), v.end(), std::greater<>());
  return v[k - 1];
}

/// Every input breakpoint, the midpoints between neighbouring ones, and
/// points beyond the last one.
std::vector<double> probe_points(const std::vector<reference>& refs) {
  std::vector<double> ts;
  for (const auto& r : refs)
    for (double t : r.candidate_times()) ts.push_back(t);
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  std::vector<double> out = ts;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) out.push_back((ts[i] + ts[i + 1]) / 2);
  out.push_back(ts.back() + 0.5);
  out.push_back(ts.back() + 1000);
  return out;
}

std::vector<double> union_times(const std::vector<reference>& refs) {
  std::vector<double> ts;
  for (const auto& r : refs)
    for (double t : r.candidate_times()) ts.push_back(t);
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  return ts;
}

} // namespace

// ===========================================================================
// Construction and set_from

TEST_CASE("a default profile is full capacity; constant() holds one value", "[capacity_profile]") {
  const profile full;
  CHECK(full.size() == 1);
  CHECK(to_vector(full.times()) == std::vector<double>{0});
  CHECK(to_vector(full.values()) == std::vector<double>{1});
  CHECK(full.at(0) == 1);
  CHECK(full.at(1e9) == 1);
  CHECK(full.final_value() == 1);

  const auto half = profile::constant(0.5);
  CHECK(half.size() == 1);
  CHECK(to_vector(half.times()) == std::vector<double>{0});
  CHECK(to_vector(half.values()) == std::vector<double>{0.5});
  CHECK(half.at(-3) == 0.5);
  CHECK(half.at(0) == 0.5);
  CHECK(half.at(77) == 0.5);
  CHECK(half.final_value() == 0.5);

  CHECK(profile::constant(1) == full);
  CHECK_FALSE(half == full);
  CHECK(profile::constant(0).values()[0] == 0);
}

TEST_CASE("set_from appends breakpoints and ignores a repeated value", "[capacity_profile]") {
  auto p = profile::constant(0);
  p.set_from(2, 0.5);
  p.set_from(3, 0.5); // same value as the last one: no breakpoint
  p.set_from(5, 1);
  p.set_from(9, 1); // again the same value
  CHECK(to_vector(p.times()) == std::vector<double>{0, 2, 5});
  CHECK(to_vector(p.values()) == std::vector<double>{0, 0.5, 1});
  check_invariants(p);

  // On a default profile, setting 1 anywhere changes nothing.
  profile q;
  q.set_from(4, 1);
  CHECK(q == profile{});
  CHECK(q.size() == 1);
}

TEST_CASE("set_from at the time of the last breakpoint replaces it", "[capacity_profile]") {
  profile p;
  p.set_from(3, 0.25);
  p.set_from(3, 0.75); // replaces the value from 3 on
  CHECK(to_vector(p.times()) == std::vector<double>{0, 3});
  CHECK(to_vector(p.values()) == std::vector<double>{1, 0.75});

  // Replacing with the value before the breakpoint removes the breakpoint.
  p.set_from(3, 1);
  CHECK(to_vector(p.times()) == std::vector<double>{0});
  CHECK(to_vector(p.values()) == std::vector<double>{1});
  CHECK(p == profile{});

  // A later breakpoint after such a removal is a fresh one.
  p.set_from(3, 0.5);
  p.set_from(6, 0);
  CHECK(to_vector(p.times()) == std::vector<double>{0, 3, 6});
  CHECK(to_vector(p.values()) == std::vector<double>{1, 0.5, 0});

  // Removing the last of three breakpoints keeps the other two.
  p.set_from(6, 0.5);
  CHECK(to_vector(p.times()) == std::vector<double>{0, 3});
  CHECK(to_vector(p.values()) == std::vector<double>{1, 0.5});

  // At time 0 the first value is replaced, and the profile stays one breakpoint.
  profile z;
  z.set_from(0, 0.4);
  CHECK(to_vector(z.times()) == std::vector<double>{0});
  CHECK(to_vector(z.values()) == std::vector<double>{0.4});
  z.set_from(0, 0.6);
  CHECK(to_vector(z.values()) == std::vector<double>{0.6});
  CHECK(z == profile::constant(0.6));
}

TEST_CASE("set_from keeps the shortest form and matches the reference model on random calls",
          "[capacity_profile][property]") {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    splitmix rng{seed * 0x9e3779b97f4a7c15ull};
    const auto ref = random_reference(rng, seed % 2 == 0);
    const auto p = ref.build();
    INFO("seed " << seed);
    check_invariants(p);
    const auto ts = ref.candidate_times();
    check_form(p, shortest_form(ts, [&](double s) { return ref.at(s); }));
    // Pointwise: at every candidate time, between them, before 0 and beyond.
    for (double s : probe_points({ref})) CHECK(p.at(s) == ref.at(s));
    CHECK(p.at(-1) == ref.at(0));
    CHECK(p.final_value() == ref.final_value());
  }
}

// ===========================================================================
// at, final_value, first_above, settled_at

TEST_CASE("at is right-continuous and treats t < 0 as 0", "[capacity_profile]") {
  auto p = profile::constant(0);
  p.set_from(4, 0.5);
  p.set_from(10, 1);
  CHECK(p.at(-5) == 0);
  CHECK(p.at(0) == 0);
  CHECK(p.at(3.999) == 0);
  CHECK(p.at(4) == 0.5); // the new value holds from the breakpoint itself
  CHECK(p.at(9.999) == 0.5);
  CHECK(p.at(10) == 1);
  CHECK(p.at(1e12) == 1);
  CHECK(p.at(inf) == 1);
  CHECK(p.final_value() == 1);

  auto q = profile::constant(0.3);
  q.set_from(1, 0.2);
  CHECK(q.final_value() == 0.2);
  CHECK(q.at(-inf) == 0.3);
}

TEST_CASE("first_above is the first time the value exceeds a level", "[capacity_profile]") {
  auto p = profile::constant(0);
  p.set_from(4, 0.5);
  p.set_from(7, 0.2);
  p.set_from(10, 1);
  CHECK(p.first_above(0) == 4);
  CHECK(p.first_above(0.2) == 4);
  CHECK(p.first_above(0.49) == 4);
  CHECK(p.first_above(0.5) == 10); // strictly above: 0.5 itself is not
  CHECK(p.first_above(0.99) == 10);
  CHECK(p.first_above(1) == inf); // never above full capacity
  CHECK(p.first_above(-1) == 0);  // already above at time 0

  // Level never reached.
  CHECK(profile::constant(0).first_above(0) == inf);
  CHECK(profile::constant(0.5).first_above(0.5) == inf);
  CHECK(profile::constant(0.5).first_above(0.4) == 0);
  CHECK(profile{}.first_above(0) == 0);
}

TEST_CASE("settled_at is when the value stays at least a level for ever", "[capacity_profile]") {
  auto p = profile::constant(0);
  p.set_from(4, 0.5);
  p.set_from(7, 0.2);
  p.set_from(10, 1);
  CHECK(p.settled_at(1) == 10);
  CHECK(p.settled_at(0.5) == 10); // drops to 0.2 at 7, back at 10
  CHECK(p.settled_at(0.2) == 4);  // 0.5, 0.2, 1 are all at least 0.2
  CHECK(p.settled_at(0.1) == 4);
  CHECK(p.settled_at(0) == 0); // never drops below 0
  CHECK(p.settled_at(-1) == 0);
  CHECK(p.settled_at(1.5) == inf); // ends below the level

  // Ends below the level: infinity, even if it was above it before.
  auto q = profile::constant(1);
  q.set_from(5, 0.5);
  CHECK(q.settled_at(1) == inf);
  CHECK(q.settled_at(0.75) == inf);
  CHECK(q.settled_at(0.5) == 0); // never below 0.5

  // Constant profiles.
  CHECK(profile{}.settled_at(1) == 0);
  CHECK(profile::constant(0.5).settled_at(0.5) == 0);
  CHECK(profile::constant(0.5).settled_at(0.6) == inf);
}

TEST_CASE("first_above and settled_at match a brute-force scan on random profiles",
          "[capacity_profile][property]") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    splitmix rng{seed * 0xc2b2ae3d27d4eb4full + 7};
    const auto ref = random_reference(rng, true);
    const auto p = ref.build();
    const auto ts = ref.candidate_times();
    INFO("seed " << seed);
    for (double level : {-0.5, 0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0, 1.5}) {
      INFO("level " << level);
      // first_above: the earliest candidate time with a value above the level.
      double first = inf;
      for (double t : ts)
        if (ref.at(t) > level) {
          first = t;
          break;
        }
      CHECK(p.first_above(level) == first);
      // settled_at: the earliest candidate time from which no later candidate
      // time (and no point beyond the last) has a value below the level.
      double settled = inf;
      for (std::size_t i = 0; i < ts.size() && settled == inf; ++i) {
        bool ok = ref.at(ts.back() + 1) >= level;
        for (std::size_t j = i; j < ts.size(); ++j) ok = ok && ref.at(ts[j]) >= level;
        if (ok) settled = ts[i];
      }
      CHECK(p.settled_at(level) == settled);
    }
  }
}

// ===========================================================================
// lost_hours and weighted_lost

TEST_CASE("lost_hours integrates the missing capacity up to a horizon", "[capacity_profile]") {
  // 0 for 4 h, half for 6 h, then full: 4 + 3 = 7 lost hours.
  auto p = profile::constant(0);
  p.set_from(4, 0.5);
  p.set_from(10, 1);
  CHECK(p.lost_hours() == Approx(7));
  CHECK(p.lost_hours(inf) == Approx(7));
  CHECK(p.lost_hours(100) == Approx(7));
  CHECK(p.lost_hours(10) == Approx(7));
  CHECK(p.lost_hours(6) == Approx(4 + 1));
  CHECK(p.lost_hours(4) == Approx(4));
  CHECK(p.lost_hours(2.5) == Approx(2.5));
  CHECK(p.lost_hours(0) == 0);
  CHECK(p.lost_hours(-3) == 0);

  // Constant profiles.
  CHECK(profile{}.lost_hours() == 0);
  CHECK(profile{}.lost_hours(50) == 0);
  CHECK(profile::constant(0.25).lost_hours(8) == Approx(6));
  CHECK(profile::constant(0).lost_hours(8) == Approx(8));
  // Never back to full capacity: infinitely many lost hours.
  CHECK(profile::constant(0.25).lost_hours() == inf);
  auto q = profile::constant(0);
  q.set_from(3, 0.9);
  CHECK(q.lost_hours() == inf);
  CHECK(q.lost_hours(13) == Approx(3 + 0.1 * 10));

  // Capacity that drops later: 1 for 2 h, 0.5 for 3 h, 0 for 1 h, then 1.
  profile r;
  r.set_from(2, 0.5);
  r.set_from(5, 0);
  r.set_from(6, 1);
  CHECK(r.lost_hours() == Approx(1.5 + 1));
  CHECK(r.lost_hours(2) == 0);
  CHECK(r.lost_hours(5.5) == Approx(1.5 + 0.5));
}

TEST_CASE("lost_hours matches numerical integration on random grid profiles",
          "[capacity_profile][property]") {
  // Breakpoints and horizons are multiples of 1/8 h and the midpoint rule uses
  // cells of 1/64 h, so every cell lies inside one step: the numerical
  // integral is exact up to rounding. Tolerance: relative 1e-9, absolute 1e-9.
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    splitmix rng{seed * 0x2545f4914f6cdd1dull};
    const auto ref = random_reference(rng, true);
    const auto p = ref.build();
    const double last = ref.last_time();
    INFO("seed " << seed);
    const auto missing = [&](double s) { return 1 - ref.at(s); };
    for (int k = 0; k < 6; ++k) {
      const double horizon = 0.125 * double(rng.below(static_cast<std::size_t>(8 * (last + 4)) + 1));
      INFO("horizon " << horizon);
      CHECK(p.lost_hours(horizon) ==
            Approx(integrate(missing, horizon, 64)).epsilon(1e-9).margin(1e-9));
    }
    if (ref.final_value() < 1) {
      CHECK(p.lost_hours() == inf);
    } else {
      CHECK(p.lost_hours() == Approx(integrate(missing, last + 1, 64)).epsilon(1e-9).margin(1e-9));
    }
  }
}

TEST_CASE("lost_hours matches numerical integration on random real-valued profiles",
          "[capacity_profile][property]") {
  // Arbitrary real breakpoints: a midpoint cell straddling a breakpoint is off
  // by at most its width times the jump (at most 1), so the tolerance is
  // h × (number of breakpoints + 1) with cell width h ≤ 1e-3 h.
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    splitmix rng{seed * 0xd6e8feb86659fd93ull + 3};
    const auto ref = random_reference(rng, false);
    const auto p = ref.build();
    const double last = ref.last_time();
    const double tolerance = 1e-3 * double(ref.candidate_times().size() + 1);
    INFO("seed " << seed);
    const auto missing = [&](double s) { return 1 - ref.at(s); };
    for (int k = 0; k < 3; ++k) {
      const double horizon = (last + 3) * uniform01(rng);
      INFO("horizon " << horizon);
      CHECK(std::abs(p.lost_hours(horizon) - integrate(missing, horizon, 1000)) <= tolerance);
    }
    if (ref.final_value() < 1)
      CHECK(p.lost_hours() == inf);
    else
      CHECK(std::abs(p.lost_hours() - integrate(missing, last + 1, 1000)) <= tolerance);
  }
}

TEST_CASE("weighted_lost integrates a step rate times the missing capacity", "[capacity_profile]") {
  // Profile: 0 on [0, 4), 0.5 on [4, 10), then 1.
  auto p = profile::constant(0);
  p.set_from(4, 0.5);
  p.set_from(10, 1);

  {
    // 100/h from 0, 300/h from 6: 100·1·4 + 100·0.5·2 + 300·0.5·4 = 1,100.
    const std::vector<double> rt{0, 6}, rv{100, 300};
    CHECK(p.weighted_lost(rt, rv) == Approx(1100));
  }
  {
    // Rate 0 before its first breakpoint at 2: 50·1·2 + 50·0.5·6 = 250.
    const std::vector<double> rt{2}, rv{50};
    CHECK(p.weighted_lost(rt, rv) == Approx(250));
  }
  {
    // Rate only after the profile is back to full: nothing lost.
    const std::vector<double> rt{10, 20}, rv{7, 9};
    CHECK(p.weighted_lost(rt, rv) == 0);
  }
  {
    // Rate that stops (0 from 5): 1·1·4 + 1·0.5·1 = 4.5.
    const std::vector<double> rt{0, 5}, rv{1, 0};
    CHECK(p.weighted_lost(rt, rv) == Approx(4.5));
  }
  {
    // No rate at all.
    CHECK(p.weighted_lost({}, {}) == 0);
  }
  {
    // With a constant rate 1, weighted_lost is lost_hours (= 7, by hand).
    const std::vector<double> rt{0}, rv{1};
    CHECK(p.weighted_lost(rt, rv) == Approx(7));
  }
  {
    // A full-capacity profile loses nothing at any rate.
    const std::vector<double> rt{0, 3}, rv{5, 8};
    CHECK(profile{}.weighted_lost(rt, rv) == 0);
  }
}

TEST_CASE("weighted_lost is +infinity when capacity never returns while the rate runs",
          "[capacity_profile]") {
  const auto half = profile::constant(0.5);
  const std::vector<double> rt{0}, rv{1};
  CHECK(half.weighted_lost(rt, rv) == inf);

  // Returns to 0.9 only: still below 1 for ever.
  auto p = profile::constant(0);
  p.set_from(3, 0.9);
  const std::vector<double> rt2{1, 8}, rv2{2, 4};
  CHECK(p.weighted_lost(rt2, rv2) == inf);

  // A rate that starts only after the last profile breakpoint still runs for ever.
  const std::vector<double> rt3{50}, rv3{0.01};
  CHECK(p.weighted_lost(rt3, rv3) == inf);

  // But a rate that drops to 0 keeps it finite: 2·1·3 + 2·0.1·(8 − 3) = 7.
  const std::vector<double> rt4{0, 8}, rv4{2, 0};
  CHECK(p.weighted_lost(rt4, rv4) == Approx(7));
  // And no rate at all gives 0.
  CHECK(p.weighted_lost({}, {}) == 0);
  // A rate that is 0 throughout gives 0.
  const std::vector<double> rt5{0, 4}, rv5{0, 0};
  CHECK(half.weighted_lost(rt5, rv5) == 0);
}

TEST_CASE("weighted_lost matches numerical integration on random profiles and rates",
          "[capacity_profile][property]") {
  // Grid case: all breakpoints multiples of 1/4 h, cells of 1/64 h, so the
  // numerical integral is exact up to rounding (tolerance relative 1e-9,
  // absolute 1e-9). Real case: tolerance h × (breakpoints of both + 1) × the
  // largest rate, with h ≤ 1e-3 h.
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const bool on_grid = seed % 3 != 0;
    splitmix rng{seed * 0xa0761d6478bd642full + 11};
    const auto ref = random_reference(rng, on_grid);
    const auto rate = random_rate(rng, on_grid);
    const auto p = ref.build();
    INFO("seed " << seed << (on_grid ? " (grid)" : " (real)"));
    const double got = p.weighted_lost(rate.time, rate.rate);
    if (ref.final_value() < 1 && rate.final_rate() != 0) {
      CHECK(got == inf);
      continue;
    }
    const double end = std::max(ref.last_time(), rate.time.empty() ? 0.0 : rate.time.back()) + 1;
    const auto integrand = [&](double s) { return rate.at(s) * (1 - ref.at(s)); };
    if (on_grid) {
      CHECK(got == Approx(integrate(integrand, end, 64)).epsilon(1e-9).margin(1e-9));
    } else {
      double max_rate = 0;
      for (double r : rate.rate) max_rate = std::max(max_rate, r);
      const double tolerance =
          1e-3 * double(ref.candidate_times().size() + rate.time.size() + 1) * max_rate + 1e-9;
      CHECK(std::abs(got - integrate(integrand, end, 1000)) <= tolerance);
    }
    // With a constant rate 1 from 0 it is lost_hours, computed here by
    // numerical integration as well.
    const std::vector<double> one_t{0}, one_r{1};
    if (ref.final_value() < 1) {
      CHECK(p.weighted_lost(one_t, one_r) == inf);
    } else {
      const double lost = integrate([&](double s) { return 1 - ref.at(s); }, ref.last_time() + 1,
                                    on_grid ? 64 : 1000);
      const double tolerance = on_grid ? 1e-9 : 1e-3 * double(ref.candidate_times().size() + 1);
      CHECK(std::abs(p.weighted_lost(one_t, one_r) - lost) <= tolerance + 1e-9 * lost);
    }
  }
}

// A rate breakpoint before time 0 only sets the starting rate: the integral
// runs over [0, ∞). Constant 0.5 until 10, rate 2 from -5: 2·0.5·10 = 10.
TEST_CASE("weighted_lost ignores the part of the rate before time 0", "[capacity_profile]") {
  auto p = profile::constant(0.5);
  p.set_from(10, 1);
  const std::vector<double> rt{-5}, rv{2};
  CHECK(p.weighted_lost(rt, rv) == Approx(10));
  const std::vector<double> rt2{-5, 4}, rv2{2, 6};
  CHECK(p.weighted_lost(rt2, rv2) == Approx(2 * 0.5 * 4 + 6 * 0.5 * 6));
}

// ===========================================================================
// min, max, kth_largest

TEST_CASE("min and max of two hand-made profiles", "[capacity_profile]") {
  auto a = profile::constant(0);
  a.set_from(4, 1);
  auto b = profile::constant(0.5);
  b.set_from(2, 0.25);
  b.set_from(6, 1);
  // min: 0 on [0,4) (a is 0; the breakpoint of b at 2 disappears), 0.25 on
  // [4,6), 1 from 6.
  const auto lo = min(a, b);
  CHECK(to_vector(lo.times()) == std::vector<double>{0, 4, 6});
  CHECK(to_vector(lo.values()) == std::vector<double>{0, 0.25, 1});
  // max: 0.5 on [0,2), 0.25 on [2,4), 1 from 4.
  const auto hi = max(a, b);
  CHECK(to_vector(hi.times()) == std::vector<double>{0, 2, 4});
  CHECK(to_vector(hi.values()) == std::vector<double>{0.5, 0.25, 1});
  check_invariants(lo);
  check_invariants(hi);

  // With a constant.
  CHECK(min(a, profile{}) == a);
  CHECK(max(a, profile{}) == profile{});
  CHECK(max(a, profile::constant(0)) == a);
  CHECK(min(b, profile::constant(0)) == profile::constant(0));
  // Identical breakpoints that cancel out: the result is constant.
  auto c = profile::constant(1);
  c.set_from(4, 0);
  CHECK(max(a, c) == profile{});
  CHECK(min(a, c) == profile::constant(0));
}

TEST_CASE("min and max match pointwise brute force on random profiles",
          "[capacity_profile][property]") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    splitmix rng{seed * 0xbf58476d1ce4e5b9ull + 5};
    const bool on_grid = seed % 4 != 0;
    const std::vector<reference> refs{random_reference(rng, on_grid), random_reference(rng, on_grid)};
    const auto a = refs[0].build();
    const auto b = refs[1].build();
    INFO("seed " << seed);
    const auto lo = min(a, b);
    const auto hi = max(a, b);
    check_invariants(lo);
    check_invariants(hi);
    const auto lo_ref = [&](double s) { return std::min(refs[0].at(s), refs[1].at(s)); };
    const auto hi_ref = [&](double s) { return std::max(refs[0].at(s), refs[1].at(s)); };
    for (double s : probe_points(refs)) {
      INFO("t = " << s);
      CHECK(lo.at(s) == lo_ref(s));
      CHECK(hi.at(s) == hi_ref(s));
    }
    const auto ts = union_times(refs);
    check_form(lo, shortest_form(ts, lo_ref));
    check_form(hi, shortest_form(ts, hi_ref));
    // Symmetric, and idempotent.
    CHECK(min(b, a) == lo);
    CHECK(max(b, a) == hi);
    CHECK(min(a, a) == a);
    CHECK(max(a, a) == a);
  }
}

TEST_CASE("kth_largest of hand-made profiles", "[capacity_profile]") {
  // Three candidates: back at 2, 5 and never (half capacity from 8).
  auto a = profile::constant(0);
  a.set_from(2, 1);
  auto b = profile::constant(0);
  b.set_from(5, 1);
  auto c = profile::constant(0);
  c.set_from(8, 0.5);
  const std::vector<const profile*> ps{&a, &b, &c};

  const auto k1 = profile::kth_largest(ps, 1);
  CHECK(to_vector(k1.times()) == std::vector<double>{0, 2});
  CHECK(to_vector(k1.values()) == std::vector<double>{0, 1});
  const auto k2 = profile::kth_largest(ps, 2);
  CHECK(to_vector(k2.times()) == std::vector<double>{0, 5});
  CHECK(to_vector(k2.values()) == std::vector<double>{0, 1});
  const auto k3 = profile::kth_largest(ps, 3);
  CHECK(to_vector(k3.times()) == std::vector<double>{0, 8});
  CHECK(to_vector(k3.values()) == std::vector<double>{0, 0.5});

  // k exceeding the number of profiles, and k = 0 (outside the documented
  // k ≥ 1; the header guards it the same way): constant 0.
  CHECK(profile::kth_largest(ps, 4) == profile::constant(0));
  CHECK(profile::kth_largest(ps, 100) == profile::constant(0));
  CHECK(profile::kth_largest(ps, 0) == profile::constant(0));
  CHECK(profile::kth_largest({}, 1) == profile::constant(0));

  // A single profile is its own 1st largest.
  const std::vector<const profile*> one{&c};
  CHECK(profile::kth_largest(one, 1) == c);
  // Equal values tie: two full candidates, one down.
  const profile full;
  const auto down = profile::constant(0);
  const std::vector<const profile*> tie{&full, &down, &full};
  CHECK(profile::kth_largest(tie, 2) == full);
  CHECK(profile::kth_largest(tie, 3) == down);
}

TEST_CASE("kth_largest matches pointwise brute force on random profiles",
          "[capacity_profile][property]") {
  for (std::uint64_t seed = 1; seed <= 250; ++seed) {
    splitmix rng{seed * 0x94d049bb133111ebull + 17};
    const bool on_grid = seed % 5 != 0;
    const std::size_t n = 1 + rng.below(6);
    std::vector<reference> refs;
    for (std::size_t i = 0; i < n; ++i) refs.push_back(random_reference(rng, on_grid, 8));
    std::vector<profile> built;
    for (const auto& r : refs) built.push_back(r.build());
    std::vector<const profile*> ptrs;
    for (const auto& p : built) ptrs.push_back(&p);
    INFO("seed " << seed << ", n = " << n);
    const auto ts = union_times(refs);
    const auto probes = probe_points(refs);

    for (std::size_t k = 1; k <= n; ++k) {
      INFO("k = " << k);
      const auto got = profile::kth_largest(ptrs, k);
      check_invariants(got);
      for (double s : probes) {
        INFO("t = " << s);
        CHECK(got.at(s) == kth_at(refs, k, s));
      }
      check_form(got, shortest_form(ts, [&](double s) { return kth_at(refs, k, s); }));
    }

    // k = 1 is the maximum and k = n the minimum, against brute force and
    // against max/min folded pairwise.
    const auto k1 = profile::kth_largest(ptrs, 1);
    const auto kn = profile::kth_largest(ptrs, n);
    profile folded_max = built[0], folded_min = built[0];
    for (std::size_t i = 1; i < n; ++i) {
      folded_max = max(folded_max, built[i]);
      folded_min = min(folded_min, built[i]);
    }
    CHECK(k1 == folded_max);
    CHECK(kn == folded_min);
    for (double s : probes) {
      double hi = 0, lo = 1;
      for (const auto& r : refs) {
        hi = std::max(hi, r.at(s));
        lo = std::min(lo, r.at(s));
      }
      CHECK(k1.at(s) == hi);
      CHECK(kn.at(s) == lo);
    }

    // k > n and k = 0: constant 0.
    CHECK(profile::kth_largest(ptrs, n + 1) == profile::constant(0));
    CHECK(profile::kth_largest(ptrs, n + 7) == profile::constant(0));
    CHECK(profile::kth_largest(ptrs, 0) == profile::constant(0));
  }
}

TEST_CASE("capacity_profile works with float", "[capacity_profile]") {
  auto p = capacity_profile<float>::constant(0.0f);
  p.set_from(2.0f, 0.5f);
  p.set_from(4.0f, 1.0f);
  CHECK(p.at(3.0f) == 0.5f);
  CHECK(p.lost_hours() == Approx(3.0));
  CHECK(p.settled_at(1.0f) == 4.0f);
  CHECK(p.first_above(0.0f) == 2.0f);
  const std::vector<float> rt{0.0f}, rv{2.0f};
  CHECK(p.weighted_lost(rt, rv) == Approx(6.0));
  const std::vector<const capacity_profile<float>*> ps{&p};
  CHECK(capacity_profile<float>::kth_largest(ps, 1) == p);
  CHECK(min(p, capacity_profile<float>{}) == p);
}
