// Tests of continuity/analysis/single_points_of_failure.hpp: order-1 cut sets
// per business function, the ranking of single points of failure, and a
// brute-force property test (s is a single point of failure of f iff losing s
// alone stops f) on random DAGs and on random cyclic graphs with groups.
#include <continuity/analysis/impact.hpp>
#include <continuity/analysis/single_points_of_failure.hpp>
#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include "support/random_graphs.hpp"
#include "support/spec_builders.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace {

using continuity::business_function;
using continuity::cycle_policy;
using continuity::index_t;
using continuity::model;
using continuity::model_spec;
using continuity::priority_class;
using continuity::requirement;
// The system type, taken from the spec's container (independent of its name).
using sys_t = decltype(continuity::model_spec::systems)::value_type;

using continuity_test::all;
using continuity_test::any;
using continuity_test::label;
using continuity_test::make_system;

// A function that needs `needs`, with its priority class inputs and revenue.
business_function<double> ranked_function(std::string name, std::vector<requirement> needs,
                                          int importance = 1, int dependency = 1,
                                          double revenue_per_day = 0) {
  business_function<double> f;
  f.name = std::move(name);
  f.needs = std::move(needs);
  f.importance = importance;
  f.system_dependency = dependency;
  f.revenue_per_day = revenue_per_day;
  return f;
}

// Names of the single points of failure of function f, as a set.
std::set<std::string> spof_names(const model& m, index_t f) {
  const auto by = continuity::single_points_by_function(m.graph());
  REQUIRE(by.offsets.size() == std::size_t(m.function_count()) + 1);
  std::set<std::string> out;
  for (index_t i = by.offsets[f]; i < by.offsets[f + 1]; ++i)
    out.insert(m.system_at(by.systems[i]).name);
  return out;
}

} // namespace

TEST_CASE("redundant pair in one building: the building is a SPOF, the servers are not") {
  model_spec spec;
  spec.systems = {make_system("building"), make_system("srv1", {all({"building"})}),
                  make_system("srv2", {all({"building"})})};
  spec.functions = {ranked_function("F", {any({"srv1", "srv2"})})};
  const model m(spec);
  CHECK(spof_names(m, 0) == std::set<std::string>{"building"});
}

TEST_CASE("2-of-3 cluster: no host is a SPOF, the shared switch and the cluster are") {
  model_spec spec;
  spec.systems = {make_system("switch"), make_system("h1", {all({"switch"})}),
                  make_system("h2", {all({"switch"})}), make_system("h3", {all({"switch"})}),
                  make_system("cluster", {requirement::k_of_n(2, {"h1", "h2", "h3"})})};
  spec.functions = {ranked_function("F", {all({"cluster"})})};
  const model m(spec);
  CHECK(spof_names(m, 0) == std::set<std::string>{"switch", "cluster"});

  // 3 of 3: every host becomes a SPOF
  spec.systems[4].depends_on = {requirement::k_of_n(3, {"h1", "h2", "h3"})};
  CHECK(spof_names(model(spec), 0) == std::set<std::string>{"switch", "cluster", "h1", "h2", "h3"});
}

TEST_CASE("a shared dependency of two redundant paths is a SPOF only if both use it") {
  // F needs any of {a, b}; a needs x and y; b needs y and z: only y is common.
  model_spec spec;
  spec.systems = {make_system("x"), make_system("y"), make_system("z"),
                  make_system("a", {all({"x", "y"})}), make_system("b", {all({"y", "z"})})};
  spec.functions = {ranked_function("F", {any({"a", "b"})}),
                    ranked_function("G", {requirement::k_of_n(2, {"x", "a", "b"})})};
  const model m(spec);
  CHECK(spof_names(m, 0) == std::set<std::string>{"y"});
  // G needs 2 of {x, a, b}: losing y takes a and b (two) -> stops; losing x
  // takes x and a (two) -> stops; losing z takes only b; a or b alone: one.
  CHECK(spof_names(m, 1) == std::set<std::string>{"x", "y"});
}

TEST_CASE("a strongly connected group fails as a unit") {
  model_spec spec;
  spec.cycles = cycle_policy::group_strongly_connected;
  spec.systems = {make_system("dc", {all({"dns"})}), make_system("dns", {all({"dc"})}),
                  make_system("app", {any({"dc", "other"})}), make_system("other")};
  spec.functions = {ranked_function("F", {all({"dns"})}), ranked_function("G", {all({"app"})})};
  const model m(spec);
  CHECK(spof_names(m, 0) == std::set<std::string>{"dc", "dns"});
  CHECK(spof_names(m, 1) == std::set<std::string>{"app"});
}

TEST_CASE("single_points_of_failure ranks by class, then function count, then profit") {
  // Three-level matrix: (importance 3, dependency 3) -> S; (2, 2) -> B; (1, 2) -> C.
  // Profit per hour with margin 1 and 7 operating days = revenue_per_day / 24.
  model_spec spec;
  spec.systems = {make_system("V"), make_system("W"),  make_system("X"), make_system("Y"),
                  make_system("Z"), make_system("U2"), make_system("U1")};
  spec.functions = {
      ranked_function("fS", {all({"X"})}, 3, 3, 2400),       // S, 100/h
      ranked_function("fB1", {all({"Y", "Z"})}, 2, 2, 2400), // B, 100/h
      ranked_function("fB2", {all({"Y"})}, 2, 2, 240),       // B, 10/h
      ranked_function("fB3", {all({"W"})}, 2, 2, 4800),      // B, 200/h
      ranked_function("fC", {all({"V"})}, 1, 2, 24000),      // C, 1000/h
      ranked_function("fB4", {all({"U1"})}, 2, 2, 480),      // B, 20/h
      ranked_function("fB5", {all({"U2"})}, 2, 2, 480),      // B, 20/h
  };
  const model m(spec);
  const auto r = continuity::single_points_of_failure(m);
  std::vector<std::string> order;
  for (const auto& p : r) order.push_back(m.system_at(p.system).name);
  // X: class S. Y: class B with two functions. Then class B with one function
  // by profit: W 200, Z 100, then U1/U2 at 20 each, tied: by name (U1 first,
  // although U2 is declared before it). Last V: class C although its profit
  // is the highest.
  CHECK(order == std::vector<std::string>{"X", "Y", "W", "Z", "U1", "U2", "V"});
  REQUIRE(r.size() == 7);
  CHECK(r[0].worst_class == priority_class::S);
  CHECK(r[1].worst_class == priority_class::B);
  CHECK(r[1].functions == std::vector<index_t>{1, 2});
  CHECK(r[1].profit_per_hour == Approx(110.0));
  CHECK(r[2].profit_per_hour == Approx(200.0));
  CHECK(r[6].worst_class == priority_class::C);
  CHECK(r[6].profit_per_hour == Approx(1000.0));
}

TEST_CASE("single points of failure of Manufacturer A, ranked (derived from the JSON by hand)") {
  const model m = continuity::load_model(CONTINUITY_EXAMPLES_DIR "/manufacturer_a.json");
  // production (class A: importance 3, dependency 2) needs production control,
  // line operators, factory building; production control <- factory PC <-
  // factory LAN <- {power, factory building}; power <- head office.
  // order processing (class B) needs sales management <- file server <- office
  // LAN <- power <- head office, and any of {office PCs, notebook PC}.
  // accounting and payroll (class D) needs accounting package <- office PCs <-
  // office LAN <- power <- head office.
  CHECK(spof_names(m, 0) == std::set<std::string>{"production control", "factory PC", "factory LAN",
                                                  "power", "head office", "factory building",
                                                  "line operators"});
  CHECK(spof_names(m, 1) == std::set<std::string>{"sales management", "file server", "office LAN",
                                                  "power", "head office"});
  CHECK(spof_names(m, 2) == std::set<std::string>{"accounting package", "office PCs", "office LAN",
                                                  "power", "head office"});
  const auto r = continuity::single_points_of_failure(m);
  std::vector<std::string> order;
  for (const auto& p : r) order.push_back(m.system_at(p.system).name);
  // Class A first: head office and power stop all three functions (equal
  // money at risk: the name decides); then the class-A systems of production
  // alone, by name (byte order: capitals first). Class B: office LAN (two
  // functions) before file server and sales management. Class D: accounting
  // package, office PCs.
  CHECK(order == std::vector<std::string>{"head office", "power", "factory LAN", "factory PC",
                                          "factory building", "line operators",
                                          "production control", "office LAN", "file server",
                                          "sales management", "accounting package", "office PCs"});
  // production: 4,000,000 yen per operating day x 10 %, 5 days a week
  // (the weekly average) / 24 h
  CHECK(r[0].profit_per_hour == Approx(4000000.0 * 0.10 * 5 / 7 / 24));
  CHECK(r[0].impact_at_horizon == Approx(24 * r[0].profit_per_hour));
  CHECK(r[0].functions == std::vector<index_t>{0, 1, 2});
}

TEST_CASE("hospital: the redundant power feeds and the cluster hosts are not SPOFs") {
  const model m = continuity::load_model(CONTINUITY_EXAMPLES_DIR "/hospital.json");
  const auto f = *m.find_function("emergency admission");
  const auto s = spof_names(m, f);
  CHECK(s.count("hospital building") == 1);
  CHECK(s.count("power supply") == 1);
  CHECK(s.count("core switch") == 1);
  CHECK(s.count("virtualisation manager") == 1); // grouped with the cluster
  CHECK(s.count("DNS") == 1);                    // grouped with the domain controller
  CHECK(s.count("grid power") == 0);
  CHECK(s.count("emergency generator") == 0);
  CHECK(s.count("host 1") == 0);
  CHECK(s.count("client PCs") == 0); // emergency admission does not need them
}

// ---------------------------------------------------------------------------
// Property test. The reference is the definition: s is a single point of
// failure of f iff propagate_impact with the damage {s} alone stops f.

namespace {

using continuity_test::splitmix;

requirement random_requirement(splitmix& rng, std::vector<std::size_t> cand) {
  for (std::size_t i = cand.size(); i > 1; --i) std::swap(cand[i - 1], cand[rng.below(i)]);
  const std::size_t kind = rng.below(3);
  std::size_t n = kind == 0 ? 1 + rng.below(2) : kind == 1 ? 2 + rng.below(2) : 3 + rng.below(2);
  n = std::min(n, cand.size());
  requirement q;
  for (std::size_t i = 0; i < n; ++i) q.systems.push_back(label('s', cand[i]));
  q.needed = kind == 0 ? n : kind == 1 ? 1 : (n >= 3 ? 2 + rng.below(n - 2) : n);
  return q;
}

// Random graph: systems ranked at random, dependencies mostly on lower ranks
// (a DAG); with back_edge_chance > 0 some dependencies point up the ranks and
// make cycles (only to nearby ranks, so that the groups stay small).
model_spec random_spof_spec(splitmix& rng, std::size_t ns, std::size_t nf,
                            double back_edge_chance) {
  std::vector<std::size_t> rank(ns);
  for (std::size_t i = 0; i < ns; ++i) rank[i] = i;
  for (std::size_t i = ns; i > 1; --i) std::swap(rank[i - 1], rank[rng.below(i)]);
  model_spec spec;
  if (back_edge_chance > 0) spec.cycles = cycle_policy::group_strongly_connected;
  for (std::size_t s = 0; s < ns; ++s) {
    std::vector<std::size_t> cand;
    for (std::size_t t = 0; t < ns; ++t) {
      if (t == s) continue;
      const bool lower = rank[t] < rank[s] && rank[t] + 30 > rank[s];
      if (lower || (rank[t] > rank[s] && rank[t] <= rank[s] + 5 && rng.chance(back_edge_chance)))
        cand.push_back(t);
    }
    std::vector<requirement> deps;
    if (!cand.empty() && !rng.chance(0.15)) {
      const std::size_t k = 1 + rng.below(3);
      for (std::size_t j = 0; j < k; ++j) deps.push_back(random_requirement(rng, cand));
    }
    spec.systems.push_back(make_system(label('s', s), std::move(deps)));
  }
  std::vector<std::size_t> all_sys(ns);
  for (std::size_t i = 0; i < ns; ++i) all_sys[i] = i;
  for (std::size_t f = 0; f < nf; ++f) {
    std::vector<requirement> needs;
    const std::size_t k = 1 + rng.below(2);
    for (std::size_t j = 0; j < k; ++j) needs.push_back(random_requirement(rng, all_sys));
    spec.functions.push_back(ranked_function(label('f', f), std::move(needs)));
  }
  return spec;
}

void check_against_brute_force(const model& m, std::size_t& spof_pairs) {
  const auto& g = m.graph();
  const auto by = continuity::single_points_by_function(g);
  REQUIRE(by.offsets.size() == std::size_t(g.function_count()) + 1);
  // expected[f][s] from one propagation per system
  std::vector<std::vector<std::uint8_t>> expected(g.function_count(),
                                                  std::vector<std::uint8_t>(g.system_count(), 0));
  for (index_t s = 0; s < g.system_count(); ++s) {
    const index_t d[] = {s};
    const auto r = continuity::propagate_impact(g, d);
    for (index_t f = 0; f < g.function_count(); ++f) expected[f][s] = r.function_down[f];
  }
  for (index_t f = 0; f < g.function_count(); ++f) {
    std::vector<std::uint8_t> got(g.system_count(), 0);
    for (index_t i = by.offsets[f]; i < by.offsets[f + 1]; ++i) {
      CHECK(got[by.systems[i]] == 0); // no duplicates
      got[by.systems[i]] = 1;
      if (i > by.offsets[f]) CHECK(by.systems[i - 1] < by.systems[i]); // ascending
    }
    INFO("function " << f);
    REQUIRE(got == expected[f]);
    spof_pairs += by.offsets[f + 1] - by.offsets[f];
  }
  // the ranked list agrees: system s lists exactly the functions it stops
  for (const auto& p : continuity::single_points_of_failure(m)) {
    std::vector<index_t> fs;
    for (index_t f = 0; f < g.function_count(); ++f)
      if (expected[f][p.system]) fs.push_back(f);
    CHECK(p.functions == fs);
  }
}

} // namespace

TEST_CASE("single_points_by_function equals single-damage propagation on random DAGs") {
  for (std::uint64_t seed : {11u, 12u, 13u, 14u, 15u, 16u}) {
    splitmix rng{seed * 0x9876543ull};
    const model m(random_spof_spec(rng, 150 + rng.below(100), 30, 0.0));
    REQUIRE_FALSE(m.graph().has_cycle());
    std::size_t pairs = 0;
    INFO("seed " << seed);
    check_against_brute_force(m, pairs);
    CHECK(pairs > 0); // non-trivial
  }
}

TEST_CASE("single_points_by_function equals single-damage propagation on cyclic graphs") {
  for (std::uint64_t seed : {21u, 22u, 23u, 24u, 25u, 26u, 27u, 28u}) {
    splitmix rng{seed * 0x5555aaaull};
    const double back = seed % 2 ? 0.5 : 1.0;
    const model m(random_spof_spec(rng, 80 + rng.below(80), 25, back));
    // there are groups of several sizes, and not everything is one group
    REQUIRE(m.graph().has_cycle());
    REQUIRE(m.graph().component_count() > 10);
    std::size_t largest = 0, grouped = 0;
    for (index_t c = 0; c < m.graph().component_count(); ++c) {
      const auto size = m.graph().component_members(c).size();
      largest = std::max(largest, size);
      if (size > 1) grouped += size;
    }
    CHECK(largest < m.system_count() / 2);
    CHECK(grouped >= 2);
    std::size_t pairs = 0;
    INFO("seed " << seed);
    check_against_brute_force(m, pairs);
    CHECK(pairs > 0);
  }
}

TEST_CASE("money impact curves count in the ranking; curves in other units do not") {
  // Medical billing has no profit (revenue 0) but its curve loses 550,000 yen
  // a day from the first hour: medical accounting, which only billing needs,
  // puts 550,000 at risk in the first day of an outage.
  auto spec = continuity::load_model(CONTINUITY_EXAMPLES_DIR "/hospital.json").spec();
  auto at_risk = [](const model& m, const std::string& system) {
    for (const auto& p : continuity::single_points_of_failure(m))
      if (m.system_at(p.system).name == system) return p.impact_at_horizon;
    return -1.0;
  };
  const model m(spec);
  CHECK(at_risk(m, "medical accounting") == Approx(550000.0));
  for (auto& f : spec.functions)
    if (f.name == "medical billing") {
      continuity::impact_curve<double> points;
      points.category = "reputation";
      points.unit = "points";
      points.steps = {{0, 100, 50}};
      f.impact.push_back(points);
    }
  CHECK(at_risk(model(spec), "medical accounting") == Approx(550000.0));
  // Over a week the first week's fees are at risk.
  for (const auto& p : continuity::single_points_of_failure(m, 168.0))
    if (m.system_at(p.system).name == "medical accounting")
      CHECK(p.impact_at_horizon == Approx(7 * 550000.0));
}
