// Tests of the model's bounds on magnitudes (max_amount, max_hours,
// max_records, max_annual_frequency in continuity/model/model.hpp) and of
// the loss engines' argument checks: a figure so large that the analyses
// would overflow to infinity is a value_error naming the object and field
// when the model is built, and a model at the bounds gives finite results.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace {

using json = nlohmann::json;

// A small valid model: function f needs system X (one 10 h step), one scenario.
json limits_base() {
  return json::parse(R"({"name": "limits", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 1000, "margin": 0.5, "needs": ["X"]}],
    "systems": [{"name": "X", "transactions_per_hour": 10,
                 "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 2,
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "driver": "fixed", "amount": 100}]}]})");
}

// The value_error of model `j` names the object and field and says "at most".
void check_limit(const json& j, const std::string& kind, const std::string& name,
                 const std::string& field) {
  continuity_test::check_names(continuity_test::thrown_by_json<continuity::value_error>(j), kind,
                               name, field, {"at most"});
}

} // namespace

TEST_CASE("figures that would overflow are value_errors naming object and field") {
  json j = limits_base();
  j["functions"][0]["revenue_per_day"] = 1e308;
  check_limit(j, "business function", "f", "revenue_per_day");

  j = limits_base();
  j["scenarios"][0]["costs"][0]["amount"] = 1e308;
  check_limit(j, "incident scenario", "s", "costs[0] ('a').amount");

  j = limits_base();
  j["scenarios"][0]["costs"][0]["amount"] = json::parse(R"({"lognormal": {"mean": 1e30, "sd": 1e30}})");
  check_limit(j, "incident scenario", "s", "costs[0] ('a').amount");

  j = limits_base();
  j["systems"][0]["recovery"]["emergency"][0]["duration"] = 1e300;
  check_limit(j, "system", "X", "recovery.emergency[0] ('w').duration");

  j = limits_base();
  j["functions"][0]["rto"] = 1e300;
  check_limit(j, "business function", "f", "rto");

  j = limits_base();
  j["scenarios"][0]["annual_frequency"] = 1e9;
  check_limit(j, "incident scenario", "s", "annual_frequency");

  j = limits_base();
  j["scenarios"][0]["records_affected"] = 1e15;
  check_limit(j, "incident scenario", "s", "records_affected");
}

TEST_CASE("a model at the bounds gives finite costs and simulated losses") {
  json j = limits_base();
  j["functions"][0]["revenue_per_day"] = continuity::max_amount;
  j["functions"][0]["margin"] = 1;
  j["scenarios"][0]["records_affected"] = continuity::max_records;
  j["scenarios"][0]["costs"] = json::parse(R"([
    {"name": "a", "driver": "fixed", "amount": 1e18},
    {"name": "b", "driver": "per_record", "amount": 1e18},
    {"name": "c", "driver": "per_outage_hour", "amount": 1e18},
    {"name": "d", "driver": "revenue_fraction", "amount": 1}])");
  const continuity::model m(continuity::read_model_spec(j));
  const continuity::incident_simulation<> sim(m);
  const auto c = sim.point_cost(0);
  CHECK(std::isfinite(c.total));
  // Closed form of the largest line: 10^18 per record × 10^12 records.
  CHECK(c.by_line[1] == Approx(1e30));
  const auto r = continuity::run(sim, 100, 1);
  CHECK(r.annual_loss.isFinite().all());
}

TEST_CASE("top-down scenarios: negative or infinite losses and frequencies are value_errors") {
  using continuity::loss_scenario;
  using continuity::poisson;
  using continuity::uniform;
  const auto lognormal = continuity::lognormal<>::from_interval90(1e3, 1e5);
  CHECK_THROWS_AS(loss_scenario<>("x", poisson<>(2), continuity::truncated_normal<>(0, 1)),
                  continuity::value_error);
  const auto negative = continuity_test::thrown<continuity::value_error>(
      [&] { loss_scenario<>("x", poisson<>(2), uniform<>(-5, 5)); });
  REQUIRE(negative);
  CHECK(negative->field() == "loss_per_event");
  CHECK(negative->object_name() == "x");
  CHECK_THROWS_AS(loss_scenario<>("x", uniform<>(-1, 3), lognormal,
                                  continuity::loss_aggregation::fair_product_form),
                  continuity::value_error);
  CHECK_NOTHROW(loss_scenario<>("x", poisson<>(2), lognormal));
}

TEST_CASE("a scenario listed twice in the simulation options is a duplicate_error") {
  const continuity::model m(continuity::read_model_spec(limits_base()));
  continuity::simulation_options<> options;
  options.scenarios = {"s", "s"};
  const auto e = continuity_test::thrown<continuity::duplicate_error>(
      [&] { const continuity::incident_simulation<> sim(m, options); });
  REQUIRE(e);
  CHECK(e->field() == "scenarios[1]");
  CHECK(std::string(e->what()).find("twice") != std::string::npos);
}

TEST_CASE("a run whose results cannot be held in memory is a value_error naming trials") {
  const continuity::model m(continuity::read_model_spec(limits_base()));
  const continuity::incident_simulation<> sim(m);
  const auto e = continuity_test::thrown<continuity::value_error>(
      [&] { (void)continuity::run(sim, std::uint64_t{1} << 62, 1); });
  REQUIRE(e);
  CHECK(e->field() == "trials");
  CHECK(std::string(e->what()).find("memory") != std::string::npos);
}

TEST_CASE("tornado levels must lie strictly inside (0, 1)") {
  const continuity::model m(continuity::read_model_spec(limits_base()));
  CHECK_THROWS_AS(continuity::tornado(m, 0, 0.0, 0.9), continuity::value_error);
  CHECK_THROWS_AS(continuity::tornado(m, 0, 0.1, 1.0), continuity::value_error);
  CHECK_NOTHROW(continuity::tornado(m, 0, 0.1, 0.9));
}

TEST_CASE("counts beyond 2^64 saturate instead of overflowing") {
  continuity::trial_engine e(1, 2);
  const continuity::distribution<> huge(1e308);
  CHECK(huge.sample_count(e) == ~std::uint64_t{0});
  const continuity::distribution<> small(3.7);
  CHECK(small.sample_count(e) == 3);
}

TEST_CASE("distribution parameters beyond the families' limits are value_errors naming the field") {
  // Boost.Math's quantiles threw or asserted beyond them (docs/fuzzing.md, finding 1).
  json j = limits_base();
  j["scenarios"][0]["costs"][0]["amount"] = json::parse(R"({"beta": {"alpha": 1e50, "beta": 2}})");
  continuity_test::check_names(continuity_test::thrown_by_json<continuity::value_error>(j),
                               "incident scenario", "s", "costs[0].amount",
                               {"alpha", "must be from 1e-06 to 1e+06"});

  j = limits_base();
  j["scenarios"][0]["records_affected"] = json::parse(R"({"poisson": 1e11})");
  continuity_test::check_names(continuity_test::thrown_by_json<continuity::value_error>(j),
                               "incident scenario", "s", "records_affected",
                               {"mean", "at most 1e+10"});

  j = limits_base();
  j["systems"][0]["recovery"]["emergency"][0]["duration"] =
      json::parse(R"({"gamma": {"shape": 1e12, "scale": 1e-11}})");
  continuity_test::check_names(continuity_test::thrown_by_json<continuity::value_error>(j),
                               "system", "X", "recovery.emergency[0].duration",
                               {"shape", "must be from 1e-300 to 1e+10"});
}

TEST_CASE("a model whose distributions sit at the families' limits: every analysis runs") {
  // Correlated draws ask for quantiles, the model's operator== compares them.
  json j = limits_base();
  j["systems"][0]["recovery"]["emergency"][0]["duration"] =
      json::parse(R"({"gamma": {"shape": 1e10, "scale": 1e-9}})");
  j["scenarios"][0]["records_affected"] = json::parse(R"({"poisson": 1e10})");
  j["scenarios"][0]["costs"] = json::parse(R"([
    {"name": "a", "driver": "fixed", "amount": {"negative_binomial": {"mean": 2, "variance": 4.87e11}}},
    {"name": "b", "driver": "revenue_fraction", "amount": {"beta": {"alpha": 0.5, "beta": 2}}},
    {"name": "c", "driver": "per_record", "amount": {"beta": {"alpha": 1e6, "beta": 1e-6}}},
    {"name": "d", "driver": "per_outage_hour", "amount": {"beta": {"alpha": 1e-6, "beta": 1e6}}}])");
  j["scenarios"][0]["correlations"] = json::parse(R"([
    {"between": ["a", "b"], "rank_correlation": 0.8},
    {"between": ["c", "records_affected"], "rank_correlation": -0.9},
    {"between": ["b", "d"], "rank_correlation": 0.3}])");
  const auto spec = continuity::read_model_spec(j);
  const continuity::model m(spec);
  CHECK(continuity::read_model_spec(continuity::to_json(spec)) == spec);
  const continuity::incident_simulation<> sim(m);
  for (std::uint64_t trial = 0; trial < 40; ++trial) {
    const auto c = sim.sample_occurrence(0, 7, trial, 0, [](const auto&, double) {});
    CHECK(std::isfinite(c.total));
  }
  const auto r = continuity::run(sim, 20, 1);
  CHECK(r.annual_loss.isFinite().all());
  // Boost.Math's inverse gave up on Beta(0.5, 2) at 10^-9.
  CHECK_NOTHROW(continuity::tornado(m, 0, 1e-9, 1 - 1e-9));
}
