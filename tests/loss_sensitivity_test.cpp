// Tests of continuity/loss/sensitivity.hpp: tornado bars against costs
// worked out by hand from the quantiles of the inputs; rank correlations
// against hand-computed values and an independent sample of the cost.
#include <continuity/io/json.hpp>
#include <continuity/loss/sensitivity.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace {
using continuity_test::parse;
// One system, one step uniform(10, 30) h; the function loses 100 an hour.
// Line a: uniform(0, 1000); line b: fixed 50; records affected uniform(5, 9)
// × c, c uniform(1, 3). So the cost is 100·D + A + 50 + R·C.
const char* const formula_model =
    R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
        "functions": [{"name": "f", "revenue_per_day": 2400, "needs": ["X"]}],
        "systems": [{"name": "X", "recovery": {"emergency": [
           {"name": "w", "kind": "recovery_work", "duration": {"uniform": [10, 30]}, "needs": ["IT"]}]}}],
        "scenarios": [{"name": "s", "kind": "it_failure", "records_affected": {"uniform": [5, 9]},
          "damage": [{"systems": ["X"]}],
          "costs": [{"name": "a", "amount": {"uniform": [0, 1000]}},
                    {"name": "b", "amount": 50},
                    {"name": "c", "driver": "per_record", "amount": {"uniform": [1, 3]}}]}]})";
} // namespace

TEST_CASE("tornado: bars from the inputs' quantiles, largest swing first") {
  // The formula model: line b is fixed (no bar); 7 records at point value.
  const auto m = parse(formula_model);
  const auto bars = continuity::tornado(m, 0);
  REQUIRE(bars.size() == 4);
  // Point cost: 20 h × 100 + 500 + 50 + 7 × 2 = 2564.
  // duration: q10 = 12, q90 = 28 → 1200 + 564 = 1764 and 2800 + 564 = 3364 (swing 1600).
  CHECK(bars[0].input == "duration: X: w");
  CHECK(bars[0].low_input == Approx(12));
  CHECK(bars[0].high_input == Approx(28));
  CHECK(bars[0].low_cost == Approx(1764));
  CHECK(bars[0].high_cost == Approx(3364));
  // a: 100 and 900 instead of 500 → swing 800.
  CHECK(bars[1].input == "amount: a");
  CHECK(bars[1].low_cost == Approx(2164));
  CHECK(bars[1].high_cost == Approx(2964));
  // records: 5.4 and 8.6 instead of 7, × 2 → swing 6.4; c: 1.2 and 2.8 × 7 → swing 11.2.
  CHECK(bars[2].input == "amount: c");
  CHECK(bars[2].swing() == Approx(11.2));
  CHECK(bars[3].input == "records affected");
  CHECK(bars[3].swing() == Approx(6.4));
  CHECK_THROWS_AS(continuity::tornado(m, 0, 0.9, 0.1), continuity::value_error);
}

TEST_CASE("spearman_correlation: ties at their mean rank, degenerate cases NaN") {
  // Ranks x: 1, 2.5, 2.5, 4; y: 1, 3, 2, 4 → ρ = 4.5 / sqrt(4.5 · 5) = 3 / sqrt(10).
  CHECK(continuity::spearman_correlation<double>({1, 2, 2, 3}, {1, 3, 2, 4}) ==
        Approx(3 / std::sqrt(10.0)).epsilon(1e-12));
  // Any strictly monotone relation is ±1.
  CHECK(continuity::spearman_correlation<double>({1, 2, 3, 4, 5}, {1, 8, 27, 64, 125}) ==
        Approx(1.0));
  CHECK(continuity::spearman_correlation<double>({1, 2, 3, 4, 5}, {5, 3, 2, 0, -7}) ==
        Approx(-1.0));
  CHECK(std::isnan(continuity::spearman_correlation<double>({1, 2}, {1, 2})));
  CHECK(std::isnan(continuity::spearman_correlation<double>({1, 1, 1}, {1, 2, 3})));
  CHECK_THROWS_AS(continuity::spearman_correlation<double>({1, 2, 3}, {1, 2}),
                  continuity::value_error);
}

TEST_CASE("rank_correlations: the simulated inputs against an independent sample of the cost",
          "[slow]") {
  // The tornado model: cost = 100·D + A + 50 + R·C with D ~ U(10, 30),
  // A ~ U(0, 1000), R ~ U(5, 9), C ~ U(1, 3), all independent, one system
  // always damaged. The reference correlations come from 200,000 draws of
  // that formula with std::mt19937_64 (not the library's engine, planner or
  // cost model); the library's from 20,000 simulated occurrences. Standard
  // errors are below 0.007, so the tolerance is 0.02.
  const auto m = parse(formula_model);
  std::mt19937_64 gen(12345);
  std::uniform_real_distribution<double> u(0, 1);
  const int n = 200'000;
  std::vector<double> d(n), a(n), r(n), c(n), cost(n);
  for (std::size_t k = 0; k < d.size(); ++k) {
    d[k] = 10 + 20 * u(gen);
    a[k] = 1000 * u(gen);
    r[k] = 5 + 4 * u(gen);
    c[k] = 1 + 2 * u(gen);
    cost[k] = 100 * d[k] + a[k] + 50 + r[k] * c[k];
  }
  const continuity::incident_simulation<double> sim(m);
  continuity::run_options o;
  o.threads = 2;
  const auto rho = continuity::rank_correlations(sim, 0, 20'000, 7, o);
  REQUIRE(rho.size() == 4); // the damage is fixed: "systems damaged" is constant, left out
  CHECK(rho[0].input == "duration: X: w");
  CHECK(rho[0].rank_correlation == Approx(continuity::spearman_correlation(d, cost)).margin(0.02));
  CHECK(rho[1].input == "amount: a");
  CHECK(rho[1].rank_correlation == Approx(continuity::spearman_correlation(a, cost)).margin(0.02));
  for (const auto& x : rho) CHECK(x.trials == 20'000);
  for (std::size_t k = 2; k < 4; ++k) {
    const bool is_c = rho[k].input == "amount: c";
    CHECK((is_c || rho[k].input == "records affected"));
    CHECK(rho[k].rank_correlation ==
          Approx(continuity::spearman_correlation(is_c ? c : r, cost)).margin(0.02));
  }
  // The same for one thread; errors name the problem.
  o.threads = 1;
  const auto again = continuity::rank_correlations(sim, 0, 20'000, 7, o);
  REQUIRE(again.size() == rho.size());
  for (std::size_t k = 0; k < rho.size(); ++k)
    CHECK(again[k].rank_correlation == rho[k].rank_correlation);
  CHECK_THROWS_AS(continuity::rank_correlations(sim, 0, 2, 7), continuity::value_error);
  CHECK_THROWS_AS(continuity::rank_correlations(sim, 5, 100, 7), continuity::value_error);
}

TEST_CASE("rank_correlations: the blast radius drives a spreading attack's cost") {
  // Ransomware enters at A and reaches B and C each with probability 1/2;
  // every damaged system takes a fixed 10 h of the one IT person and stops
  // its own function (1,000 an hour each). Cost = 10,000 × (the sum of the
  // finish times), which rises strictly with the number of systems damaged,
  // so ρ(systems damaged, cost) = 1 over the occurrences.
  const auto m = parse(R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "fa", "revenue_per_day": 24000, "needs": ["A"]},
                  {"name": "fb", "revenue_per_day": 24000, "needs": ["B"]},
                  {"name": "fc", "revenue_per_day": 24000, "needs": ["C"]}],
    "systems": [
      {"name": "A", "segment": "s1", "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}},
      {"name": "B", "segment": "s2", "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}},
      {"name": "C", "segment": "s3", "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "r", "kind": "ransomware", "spread": {"entry": ["A"],
      "targets": [{"systems": ["A", "B", "C"]}],
      "connections": [{"from": "s1", "to": "s2", "probability": 0.5},
                      {"from": "s1", "to": "s3", "probability": 0.5}]}}]})");
  const continuity::incident_simulation<double> sim(m);
  const auto rho = continuity::rank_correlations(sim, 0, 2'000, 3);
  REQUIRE(rho.size() == 1);
  CHECK(rho[0].input == "systems damaged");
  CHECK(rho[0].rank_correlation == Approx(1.0));
}
