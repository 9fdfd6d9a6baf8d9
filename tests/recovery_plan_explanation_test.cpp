// Tests of continuity/recovery/plan_explanation.hpp: an improved plan is
// explained against the priority rule's in business terms; the function
// changes add up to the change of business impact; a plan explained against
// itself changes nothing. Also the model's prepared recovery order
// (recovery_order), which every plan and simulated incident follows.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include "support/examples.hpp"

#include <numeric>
#include <string>

namespace {

using json = nlohmann::json;

json explained_hospital() { return continuity_test::example_json("hospital.json"); }

} // namespace

TEST_CASE("the improved hospital plan, explained against the rule") {
  const continuity::model m(continuity::read_model_spec(explained_hospital()));
  const auto scenario = m.scenario_named("ransomware through the VPN");
  continuity::plan_options options;
  const auto rule = continuity::plan_recovery(m, scenario, options);
  options.improve = true;
  const auto improved = continuity::plan_recovery(m, scenario, options);
  const auto e = continuity::explain_plan(m, rule, improved);
  CHECK(e.objective == continuity::plan_objective::business_impact);
  CHECK(e.reference_value == rule.business_impact);
  CHECK(e.plan_value == improved.business_impact);
  // Medical accounting comes back earlier, and medical billing with it.
  const auto accounting = m.system_named("medical accounting");
  bool moved_up = false;
  for (const auto& c : e.earlier) {
    CHECK(c.plan_back < c.reference_back);
    moved_up = moved_up || c.system == accounting;
  }
  CHECK(moved_up);
  for (const auto& c : e.later) CHECK(c.plan_back > c.reference_back);
  const auto billing = m.function_named("medical billing");
  bool billing_gains = false;
  for (const auto& c : e.functions)
    if (c.function == billing) {
      billing_gains = true;
      CHECK(c.plan_back < c.reference_back);
      CHECK(c.impact_change < -1e6);
    }
  CHECK(billing_gains);
  // The function changes add up to the change of the plan's business impact.
  const double total = std::accumulate(e.functions.begin(), e.functions.end(), 0.0,
                                       [](double s, const auto& c) { return s + c.impact_change; });
  CHECK(total == Approx(improved.business_impact - rule.business_impact).epsilon(1e-9));
  REQUIRE(e.lines.size() >= 3);
  CHECK(e.lines[0].rfind("The plan's business impact is \u00a5" +
                          std::to_string(int(improved.business_impact / 1e6)) + ".",
                          0) == 0);
  CHECK(e.lines[1].find("medical accounting") != std::string::npos);
  bool billing_line = false;
  for (const auto& l : e.lines) billing_line = billing_line || l.rfind("medical billing: back", 0) == 0;
  CHECK(billing_line);
}

TEST_CASE("a plan explained against itself changes nothing") {
  const continuity::model m(continuity::read_model_spec(explained_hospital()));
  const auto plan = continuity::plan_recovery(m, "ransomware through the VPN");
  const auto e = continuity::explain_plan(m, plan, plan);
  CHECK(e.earlier.empty());
  CHECK(e.later.empty());
  CHECK(e.functions.empty());
  REQUIRE(e.lines.size() == 1);
  CHECK(e.lines[0].find("restores every system when the reference plan does") != std::string::npos);
}

TEST_CASE("money and durations in explanations") {
  using continuity::detail::hours_text;
  using continuity::detail::money_text;
  CHECK(money_text(-62.04e6, "JPY", true) == "\u2212\u00a562.0 m");
  CHECK(money_text(5e6, "JPY", true) == "+\u00a55.0 m");
  CHECK(money_text(1.234e9, "USD") == "$1.23 bn");
  CHECK(money_text(950e3, "CHF") == "CHF 950 k");
  CHECK(money_text(120, "EUR") == "\u20ac120");
  CHECK(hours_text(30) == "30.0 h");
  CHECK(hours_text(16.6 * 24) == "16.6 d");
}

TEST_CASE("a prepared recovery order in the model is followed by plans and simulated incidents") {
  json j = explained_hospital();
  const continuity::model plain(continuity::read_model_spec(j));
  const auto s = plain.scenario_named("ransomware through the VPN");
  continuity::plan_options options;
  options.order = {"medical accounting"};
  const auto asked = continuity::plan_recovery(plain, s, options);
  j["recovery_order"] = {"medical accounting"};
  const continuity::model prepared(continuity::read_model_spec(j));
  const auto planned = continuity::plan_recovery(prepared, s);
  CHECK(planned.business_impact == asked.business_impact);
  CHECK(planned.recovery_order == asked.recovery_order);
  CHECK(planned.business_impact < continuity::plan_recovery(plain, s).business_impact);
  // The simulation follows it too: over the same 2,000 years (common random
  // numbers) the mean annual loss falls.
  continuity::simulation_options<> so;
  so.scenarios = {"ransomware through the VPN"};
  const continuity::incident_simulation<> a(plain, so), b(prepared, so);
  const auto ra = continuity::run(a, 2000, 4), rb = continuity::run(b, 2000, 4);
  CHECK(rb.annual_loss.mean() < ra.annual_loss.mean());
  // It survives a round trip; unknown or repeated systems are errors.
  const auto again = continuity::read_model_spec(continuity::to_json(prepared.spec()));
  CHECK(again.recovery_order == std::vector<std::string>{"medical accounting"});
  j["recovery_order"] = {"medical accounting", "SAN"};
  CHECK_THROWS_AS(continuity::model(continuity::read_model_spec(j)), continuity::reference_error);
  j["recovery_order"] = {"DNS", "DNS"};
  CHECK_THROWS_AS(continuity::model(continuity::read_model_spec(j)), continuity::duplicate_error);
  j["recovery_order"] = {1};
  CHECK_THROWS_AS(continuity::read_model_spec(j), continuity::value_error);
}
