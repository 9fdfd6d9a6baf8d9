// Tests of continuity/recovery/recovery_outcome.hpp: impact curves in their
// own units. A curve with a unit other than the model's currency (points,
// patients) is reported per curve in that unit and never added to money:
// adding one leaves business impact, incident cost and the simulated annual
// loss unchanged.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include "support/examples.hpp"

#include <string>

namespace {

using json = nlohmann::json;

json outcome_hospital() { return continuity_test::example_json("hospital.json"); }

continuity::model outcome_model(const json& j) { return continuity_test::model_of(j); }

json& function_named(json& j, const std::string& name) {
  for (auto& f : j["functions"])
    if (f["name"] == name) return f;
  FAIL("no function " << name);
  return j;
}

} // namespace

TEST_CASE("a curve in points is reported under its unit and name, and is not money") {
  json j = outcome_hospital();
  const auto before = outcome_model(j);
  // Reputation points: 2 a day from the first day of the outage, plus a lump
  // of 50 points when it lasts a week.
  function_named(j, "outpatient care")["impact"].push_back(
      json{{"category", "reputation"}, {"unit", "points"},
           {"steps", json::array({json{{"after", "1d"}, {"rate_per_day", 2}},
                                  json{{"after", "1w"}, {"rate_per_day", 2}, {"lump", 50}}})}});
  const auto after = outcome_model(j);
  const auto s = after.scenario_named("ransomware through the VPN");
  const auto p0 = continuity::plan_recovery(before, s), p1 = continuity::plan_recovery(after, s);
  CHECK(p1.business_impact == p0.business_impact);
  const auto c0 = continuity::cost_of_incident(before, s, p0);
  const auto c1 = continuity::cost_of_incident(after, s, p1);
  CHECK(c1.total == c0.total);
  CHECK(c1.by_category == c0.by_category);
  const auto f = after.function_named("outpatient care");
  const auto& fo = p1.outcome.functions[f];
  REQUIRE(fo.curve_impacts.size() == 2);
  const auto& curve = after.function_at(f).impact[1];
  CHECK_FALSE(curve.is_money(after.currency()));
  CHECK(after.function_at(f).impact[0].is_money(after.currency()));
  // Outpatient care is down for weeks: at a total loss of output the curve
  // would give 2 points a day after the first day and 50 at a week. Weighted
  // by the share of output lost, the points lie between the lump's share at
  // one week and the full curve.
  const double days_down = fo.back_full / 24;
  REQUIRE(days_down > 7);
  const double full_curve = 2 * (days_down - 1) + 50;
  const double lump_share = 50 * (1 - fo.output.at(168.0));
  REQUIRE(lump_share > 0);
  CHECK(fo.curve_impacts[1] > lump_share);
  CHECK(fo.curve_impacts[1] <= full_curve + 1e-9);
  // Money curves are still money; the sum of the money ones is curve_impact.
  CHECK(fo.curve_impact == Approx(fo.curve_impacts[0]).epsilon(1e-12));
  // A simulated year: the same annual losses, trial by trial.
  const continuity::incident_simulation<> sim0(before), sim1(after);
  const auto r0 = continuity::run(sim0, 300, 8), r1 = continuity::run(sim1, 300, 8);
  CHECK((r0.annual_loss == r1.annual_loss).all());
}

TEST_CASE("a unit equal to the model's currency is money; the unit survives a round trip") {
  json j = outcome_hospital();
  auto& billing = function_named(j, "medical billing");
  billing["impact"][0]["unit"] = j.value("currency", std::string("JPY"));
  const auto same = outcome_model(j);
  const auto base = outcome_model(outcome_hospital());
  const auto s = base.scenario_named("ransomware through the VPN");
  CHECK(continuity::plan_recovery(same, s).business_impact ==
        continuity::plan_recovery(base, s).business_impact);
  billing["impact"][0]["unit"] = "patients";
  const auto spec = continuity::read_model_spec(j);
  const auto again = continuity::read_model_spec(continuity::to_json(spec));
  const auto f = *continuity::model(again).find_function("medical billing");
  CHECK(again.functions[f].impact[0].unit == "patients");
  CHECK(continuity::plan_recovery(continuity::model(again), s).business_impact <
        continuity::plan_recovery(base, s).business_impact);
}

namespace outcome_reuse_test {

void require_same(const continuity::recovery_outcome<>& a, const continuity::recovery_outcome<>& b) {
  REQUIRE(a.systems.size() == b.systems.size());
  for (std::size_t s = 0; s < a.systems.size(); ++s) {
    const auto& x = a.systems[s];
    const auto& y = b.systems[s];
    INFO("system " << s);
    CHECK((x.down == y.down && x.damaged == y.damaged && x.back_degraded == y.back_degraded &&
           x.back_full == y.back_full && x.own_back == y.own_back &&
           x.unconstrained_back == y.unconstrained_back && x.limited_by == y.limited_by &&
           x.data_ready == y.data_ready));
    CHECK(x.capacity == y.capacity);
  }
  REQUIRE(a.functions.size() == b.functions.size());
  for (std::size_t f = 0; f < a.functions.size(); ++f) {
    const auto& x = a.functions[f];
    const auto& y = b.functions[f];
    INFO("function " << f);
    CHECK((x.down == y.down && x.back_degraded == y.back_degraded && x.back_full == y.back_full &&
           x.resumed == y.resumed && x.limited_by == y.limited_by &&
           x.workaround_start == y.workaround_start && x.workaround_end == y.workaround_end &&
           x.lost_output_hours == y.lost_output_hours && x.lost_profit == y.lost_profit &&
           x.curve_impact == y.curve_impact));
    CHECK(x.curve_impacts == y.curve_impacts);
    CHECK(x.system_output == y.system_output);
    CHECK(x.output == y.output);
  }
  CHECK(a.business_impact == b.business_impact);
}

} // namespace outcome_reuse_test

TEST_CASE("an outcome evaluated into reused memory is the outcome evaluated afresh") {
  // The hospital's two scenarios, each with the priority rule's schedule and
  // with the schedule without staff limits, evaluated in turn into one
  // outcome: the systems down in one and not in the next are reset.
  const auto m = outcome_model(outcome_hospital());
  continuity::recovery_outcome<> reused;
  continuity::detail::outcome_scratch<double> scratch;
  for (int round = 0; round < 2; ++round)
    for (continuity::index_t i = 0; i < m.scenario_count(); ++i) {
      const auto rp = continuity::build_recovery_project(m, i);
      const auto list = continuity::recovery_priority(m, rp);
      const auto s = continuity::serial_sgs(rp.project(), list);
      const auto cp = continuity::critical_path(rp.project());
      const continuity::basic_schedule<> free(rp.project(), cp.earliest_start);
      for (const auto* schedule : {&s, &free}) {
        const auto unconstrained = round == 0 ? free.finishes() : std::span<const double>();
        continuity::detail::evaluate_recovery(m, rp, schedule->starts(), schedule->finishes(),
                                              unconstrained, reused, scratch);
        outcome_reuse_test::require_same(
            reused, continuity::evaluate_recovery(m, rp, schedule->starts(), schedule->finishes(),
                                                  unconstrained));
      }
    }
}
