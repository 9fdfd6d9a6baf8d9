// Tests of continuity/loss/sensitivity.hpp: tornado bars against costs
// worked out by hand from the quantiles of the inputs.
#include <continuity/io/json.hpp>
#include <continuity/loss/sensitivity.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace {
continuity::model parse(const std::string& text) {
  return continuity::model(continuity::read_model_spec(nlohmann::json::parse(text)));
}
} // namespace

TEST_CASE("tornado: bars from the inputs' quantiles, largest swing first") {
  // One system, one step uniform(10, 30) h; the function loses 100 an hour.
  // Line a: uniform(0, 1000); line b: fixed 50 (no bar); 7 records × c, c
  // uniform(1, 3); records affected uniform(5, 9).
  const auto m = parse(R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 2400, "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [
       {"name": "w", "kind": "recovery_work", "duration": {"uniform": [10, 30]}, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "records_affected": {"uniform": [5, 9]},
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "amount": {"uniform": [0, 1000]}},
                {"name": "b", "amount": 50},
                {"name": "c", "driver": "per_record", "amount": {"uniform": [1, 3]}}]}]})");
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
