// Tests of the operating calendar of lost profit (scenario "starts":
// "week_start"), of annual revenue with operating_days_per_year and the share
// of annual revenue of an incident, and of the incident-response timeline
// (recovery cannot start before containment), against hand computations.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace {

using json = nlohmann::json;

// A weekday shop (5 days a week, 250 a year, 1.2 m yen revenue a day at a
// margin of a quarter: 300,000 yen profit per operating day) whose one
// system takes `hours` of IT work to restore.
json shop(double hours, const char* starts) {
  return json::parse(R"({
    "name": "shop", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "sales", "needs": ["site"], "revenue_per_day": 1200000, "margin": 0.25,
                   "operating_days_per_week": 5, "operating_days_per_year": 250}],
    "systems": [{"name": "site", "recovery": {"emergency": [
      {"name": "fix", "kind": "recovery_work", "duration": )" + std::to_string(hours) + R"(, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "outage", "kind": "it_failure", "starts": ")" + starts + R"(",
                   "damage": [{"systems": ["site"]}],
                   "costs": [{"name": "forensics", "category": "response", "amount": 1000000}]}]})");
}

double lost_profit(double hours, const char* starts) {
  const continuity::model m(continuity::read_model_spec(shop(hours, starts)));
  const auto plan = continuity::plan_recovery(m, "outage");
  return plan.outcome.functions[0].lost_profit;
}

} // namespace

TEST_CASE("lost profit of a weekday business: weekly average, or from the start of a week") {
  const double per_day = 300000;
  // Any time: the weekly average, 5/7 of a day's profit per calendar day.
  CHECK(lost_profit(24, "any_time") == Approx(per_day * 5 / 7));
  CHECK(lost_profit(14 * 24, "any_time") == Approx(per_day * 10));
  // From the start of a week: one day stopped is one operating day; 6 days
  // are 5 (the sixth is a weekend day); 14 days are 10; 8 days are 6; half a
  // day is half a day.
  CHECK(lost_profit(24, "week_start") == Approx(per_day));
  CHECK(lost_profit(12, "week_start") == Approx(per_day / 2));
  CHECK(lost_profit(6 * 24, "week_start") == Approx(per_day * 5));
  CHECK(lost_profit(8 * 24, "week_start") == Approx(per_day * 6));
  CHECK(lost_profit(14 * 24, "week_start") == Approx(per_day * 10));
  CHECK(lost_profit(100 * 7 * 24 + 36, "week_start") == Approx(per_day * (500 + 1.5)));
}

TEST_CASE("annual revenue from operating days per year, and an incident's share of it") {
  const continuity::model m(continuity::read_model_spec(shop(24, "week_start")));
  // 1.2 m a day × 250 days = 300 m; the incident: 1 m forensics + 300,000
  // lost profit = 1.3 m, 0.4333 % of it.
  CHECK(continuity::annual_revenue(m) == Approx(300e6));
  const auto plan = continuity::plan_recovery(m, "outage");
  const auto cost = continuity::cost_of_incident(m, 0, plan);
  CHECK(cost.total == Approx(1.3e6));
  CHECK(continuity::share_of_annual_revenue(m, cost.total) == Approx(1.3e6 / 300e6));
  // Without operating_days_per_year: 5 × 365 / 7 days.
  auto j = shop(24, "any_time");
  j["functions"][0].erase("operating_days_per_year");
  const continuity::model average(continuity::read_model_spec(j));
  CHECK(continuity::annual_revenue(average) == Approx(1.2e6 * 5 * 365 / 7));
  // No revenue: no share.
  j["functions"][0]["revenue_per_day"] = 0;
  const continuity::model none(continuity::read_model_spec(j));
  CHECK(std::isnan(continuity::share_of_annual_revenue(none, 1.0)));
}

TEST_CASE("the response timeline: recovery starts after containment; phases round-trip") {
  auto j = shop(10, "any_time");
  j["scenarios"][0]["detection_time"] = 2;
  j["scenarios"][0]["response"] = json::parse(R"([
    {"name": "crisis headquarters", "kind": "crisis_hq", "at": "9h"},
    {"name": "network isolated", "kind": "containment", "at": "6h"},
    {"name": "press conference", "kind": "press", "at": "15h", "description": "with the town"}])");
  const continuity::model m(continuity::read_model_spec(j));
  CHECK(m.scenario_at(0).recovery_start_time() == 6);
  const auto plan = continuity::plan_recovery(m, "outage");
  // 10 h of work from 6 h: back at 16 h (not at 12 h after detection).
  CHECK(plan.outcome.functions[0].back_degraded == Approx(16));
  const auto again = continuity::read_model_spec(continuity::to_json(m.spec()));
  CHECK(again.scenarios[0] == m.spec().scenarios[0]);
  REQUIRE(again.scenarios[0].response.size() == 3);
  CHECK(again.scenarios[0].response[2].description == "with the town");
  // The crisis HQ and the press do not hold recovery back.
  j["scenarios"][0]["response"].erase(1);
  const continuity::model no_containment(continuity::read_model_spec(j));
  CHECK(continuity::plan_recovery(no_containment, "outage").outcome.functions[0].back_degraded ==
        Approx(12));
}

TEST_CASE("bad timelines and calendars are load errors naming the field") {
  auto fails = [](json j, const std::string& field) {
    try {
      const continuity::model m(continuity::read_model_spec(j));
      FAIL("loaded");
    } catch (const continuity::error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(field) != std::string::npos);
    }
  };
  auto j = shop(10, "any_time");
  j["scenarios"][0]["starts"] = "monday";
  fails(j, "starts");
  j = shop(10, "any_time");
  j["scenarios"][0]["response"] = json::parse(R"([{"name": "x", "kind": "party", "at": 1}])");
  fails(j, "response[0].kind");
  j["scenarios"][0]["response"] = json::parse(R"([{"name": "x", "at": -1}])");
  fails(j, "response[0].at");
  j["scenarios"][0]["response"] = json::parse(R"([{"name": "x"}])");
  fails(j, "response[0].at");
  j["scenarios"][0]["response"] = json::parse(R"([{"name": "x", "at": 1}, {"name": "x", "at": 2}])");
  fails(j, "response[1].name");
  j = shop(10, "any_time");
  j["functions"][0]["operating_days_per_year"] = 400;
  fails(j, "operating_days_per_year");
}
