// Tests of continuity/recovery/impact_escalation.hpp: the escalation levels
// of an impact curve against a hand computation from the function's output
// over time, and their consistency with the curve's total in the outcome.
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

TEST_CASE("impact escalation levels: reached or not, missing output, impact by then") {
  // One IT person restores 'a': 30 h to 50 % output, 40 h more to full
  // output (70 h). 'sales' works by hand at 20 % from 2 h. Its output: 0
  // until 2 h, 20 % until 30 h, 50 % until 70 h, then 100 %.
  const continuity::model m(continuity::read_model_spec(nlohmann::json::parse(R"({
    "name": "escalation", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [
      {"name": "sales", "needs": ["a"], "revenue_per_day": 2400,
       "manual_workaround": {"capacity": 0.2, "setup_time": "2h"},
       "impact": [{"category": "reputation", "unit": "points",
                   "steps": [{"after": "1h", "lump": 2}, {"after": "12h", "rate_per_hour": 1, "lump": 3},
                             {"after": "50h", "lump": 10}, {"after": "100h", "lump": 99}]}]},
      {"name": "archive", "needs": ["b"],
       "impact": [{"category": "fines", "steps": [{"after": 0, "lump": 5}]}]}],
    "systems": [
      {"name": "a", "recovery": {
        "emergency_capacity": 0.5,
        "emergency": [{"name": "fix", "kind": "recovery_work", "duration": "30h", "needs": ["IT"]}],
        "permanent": [{"name": "rebuild", "kind": "recovery_work", "duration": "40h", "needs": ["IT"]}]}},
      {"name": "b"}],
    "scenarios": [{"name": "failure", "kind": "it_failure", "damage": [{"systems": ["a"]}]}]})")));
  const auto plan = continuity::plan_recovery(m, "failure");
  const auto levels = continuity::impact_escalation(m, plan.outcome);
  // By hand: at 1 h all output is missing: 2 points. At 12 h 80 % missing:
  // 2 + 3 × 0.8 = 4.4. At 50 h 50 % missing: 4.4 + 10 × 0.5 + the rate of
  // 1 point an hour from 12 h until the next step sets the rate to 0 at
  // 50 h, 0.8 × 18 h + 0.5 × 20 h = 24.4, so 33.8. At 100 h the function is
  // back: not reached, still 33.8. 'archive' is not stopped: no levels.
  struct expected {
    double after;
    bool reached;
    double missing, impact;
  };
  const expected want[] = {{1, true, 1, 2}, {12, true, 0.8, 4.4}, {50, true, 0.5, 33.8},
                           {100, false, 0, 33.8}};
  REQUIRE(levels.size() == std::size(want));
  for (std::size_t j = 0; j < levels.size(); ++j) {
    INFO("step " << j);
    CHECK(levels[j].function == m.function_named("sales"));
    CHECK(levels[j].curve == 0);
    CHECK(levels[j].step == j);
    CHECK(levels[j].after == Approx(want[j].after));
    CHECK(levels[j].reached == want[j].reached);
    CHECK(levels[j].missing == Approx(want[j].missing));
    CHECK(levels[j].impact == Approx(want[j].impact));
  }
  // Nothing accrues once the function is back: the last level's impact is
  // the curve's total, and points are never added to money.
  const auto& fo = plan.outcome.functions[m.function_named("sales")];
  CHECK(fo.curve_impacts[0] == Approx(33.8));
  CHECK(fo.curve_impact == 0);
}

TEST_CASE("business impact until a time: by hand, and the whole at +infinity") {
  // 'f' earns 2,400 yen of profit a day (100 an hour), needs 'a' (10 h of
  // work from 2 h: back at 12 h) and has a money curve of 50 yen an hour from
  // 4 h and a lump of 1,000 at 8 h.
  const continuity::model m(continuity::read_model_spec(nlohmann::json::parse(R"({
    "name": "until", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "needs": ["a"], "profit_per_day": 2400,
                   "impact": [{"category": "penalties", "steps": [{"after": 4, "rate_per_hour": 50},
                                                                  {"after": 8, "rate_per_hour": 50, "lump": 1000}]}]}],
    "systems": [{"name": "a", "recovery": {"emergency": [
      {"name": "fix", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "detection_time": 2,
                   "damage": [{"systems": ["a"]}]}]})")));
  const auto plan = continuity::plan_recovery(m, "s");
  auto until = [&](double h) {
    return continuity::business_impact_until(m, plan.project, plan.outcome, h);
  };
  CHECK(until(0) == 0);
  CHECK(until(3) == Approx(300));                   // profit only
  CHECK(until(6) == Approx(600 + 2 * 50));          // and 2 h of the curve
  CHECK(until(10) == Approx(1000 + 6 * 50 + 1000)); // the lump at 8 h
  CHECK(until(100) == Approx(1200 + 8 * 50 + 1000));
  CHECK(until(std::numeric_limits<double>::infinity()) == Approx(plan.business_impact));
  CHECK(plan.business_impact == Approx(1200 + 8 * 50 + 1000));
}
