// Tests of continuity/io/json.hpp and continuity/io/detail/json_distribution.hpp
// for resource pools, recovery procedures, data reentry, affected records and
// cost lines: what is read (values derived by hand from the JSON), the forms
// a distribution may take, round trips through to_json, and every error path
// of the reading code with its exception class and a what() that names the
// object and the field.
// GCC 12 reports a false -Wrestrict (GCC bug 105329) for `"#" + std::to_string(..)`
// in continuity/io/json.hpp once it is inlined here at -O3.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <continuity/error.hpp>
#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"
#include "support/numbers.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

namespace {

using continuity::asset_layer;
using continuity::cost_category;
using continuity::cost_driver;
using continuity::incident_kind;
using continuity::index_t;
using continuity::model;
using continuity::model_spec;
using continuity::requirement;
using continuity::resource_kind;
using continuity::step_kind;
using json = nlohmann::json;
using dist_t = continuity::distribution<double>;
using step_t = continuity::recovery_step<double>;
using link_t = continuity::step_link<double>;
using line_t = continuity::cost_line<double>;
using proc_t = continuity::recovery_procedure<double>;

using continuity_test::check_names;
using continuity_test::inf;
using continuity_test::read_text;
using continuity_test::thrown;
using continuity_test::thrown_by_json;

// A valid model using every new field; tests break one thing at a time.
json shop_json() {
  return json::parse(R"({
    "name": "Shop",
    "resources": [
      {"name": "in-house IT", "capacity": 2},
      {"name": "spare server", "kind": "equipment", "capacity": 1, "description": "a cold spare"},
      {"name": "clerks", "kind": "people", "capacity": 3},
      {"name": "vendor"}
    ],
    "functions": [{"name": "orders", "revenue_per_day": 1000000, "needs": ["app"]}],
    "systems": [
      {"name": "server", "layer": "hardware"},
      {"name": "app", "depends_on": ["server"], "transactions_per_hour": 20,
       "reentry_hours_per_transaction": "3min", "reentry_by": "clerks", "reentry_staff": 2,
       "recovery": {
         "emergency_capacity": 0.5,
         "emergency": [
           {"name": "survey", "kind": "damage_survey", "duration": "2h", "needs": ["in-house IT"],
            "description": "walk the floor"},
           {"name": "arrange", "kind": "arrange_backup", "duration": {"pert": [1, 2, 6]},
            "needs": [{"resource": "spare server"}],
            "after": [{"step": "survey", "start_to_start": true, "lag": "30min"}]},
           {"name": "rebuild", "kind": "recovery_work",
            "duration": {"triangular": ["4h", "8h", "1d"]},
            "needs": [{"resource": "in-house IT", "units": 2}, "spare server"],
            "after": ["arrange"]},
           {"name": "back", "kind": "service_back", "duration": 0}
         ],
         "permanent": [
           {"name": "order hardware", "kind": "replace_repair",
            "duration": {"lognormal": {"p5": "1d", "p95": "1mo"}}},
           {"name": "restore", "kind": "restore", "duration": 6,
            "needs": ["in-house IT", {"resource": "vendor", "units": 1}],
            "after": [{"step": "order hardware"}, {"step": "back", "lag": 12}]},
           {"name": "switch back", "kind": "switch_back", "duration": {"fixed": "90min"}},
           {"name": "tidy up", "duration": 1.5}
         ]
       }}
    ],
    "scenarios": [{
      "name": "breach", "kind": "data_breach", "damage": [{"systems": ["app"]}],
      "records_affected": {"poisson": 2000},
      "costs": [
        {"name": "forensics", "category": "response", "driver": "fixed",
         "amount": {"lognormal": {"p5": 1000000, "p95": 5000000}}, "description": "outsourced"},
        {"name": "notices", "driver": "per_record", "amount": 120},
        {"name": "lost orders", "category": "opportunity", "driver": "per_outage_hour",
         "amount": 5000, "function": "orders"},
        {"name": "re-entry", "driver": "per_lost_record", "amount": {"uniform": [200, 400]},
         "system": "app"},
        {"name": "fine", "category": "legal", "amount": {"pert": [0, 100000, 1000000]}},
        {"name": "damages", "category": "liability", "driver": "revenue_fraction",
         "amount": 0.01}
      ]
    }]
  })");
}

// The JSON of a step of app's procedure.
json& app_step(json& j, const char* phase, std::size_t i) {
  return j["systems"][1]["recovery"][phase][i];
}

// The distribution read from `d` as the duration of a step (durations allowed).
dist_t read_duration(const json& d) {
  json j = shop_json();
  app_step(j, "emergency", 0)["duration"] = d;
  return continuity::read_model_spec(j).systems[1].recovery->emergency[0].duration;
}

// The distribution read from `d` as the amount of a cost line (plain numbers).
dist_t read_amount(const json& d) {
  json j = shop_json();
  j["scenarios"][0]["costs"][0]["amount"] = d;
  return continuity::read_model_spec(j).scenarios[0].costs[0].amount;
}

step_t make_step(std::string name, step_kind kind, dist_t duration,
                 std::vector<continuity::step_demand> needs = {}, std::vector<link_t> after = {}) {
  step_t s;
  s.name = std::move(name);
  s.kind = kind;
  s.duration = std::move(duration);
  s.needs = std::move(needs);
  s.after = std::move(after);
  return s;
}

link_t make_link(std::string step, bool start_to_start, double lag) {
  link_t l;
  l.step = std::move(step);
  l.start_to_start = start_to_start;
  l.lag = lag;
  return l;
}

line_t make_line(std::string name, cost_category category, cost_driver driver, dist_t amount,
                 std::string function = {}, std::string system = {}) {
  line_t c;
  c.name = std::move(name);
  c.category = category;
  c.driver = driver;
  c.amount = std::move(amount);
  c.function = std::move(function);
  c.system = std::move(system);
  return c;
}

} // namespace

// ---------------------------------------------------------------------------
// What is read

TEST_CASE("resource pools: names, kinds and capacities, with their defaults") {
  const model m = read_text(shop_json().dump());
  REQUIRE(m.resources().size() == 4);
  CHECK(m.resources()[0].name == "in-house IT");
  CHECK(m.resources()[0].kind == resource_kind::people); // the default kind
  CHECK(m.resources()[0].capacity == 2);
  CHECK(m.resources()[1].kind == resource_kind::equipment);
  CHECK(m.resources()[1].capacity == 1);
  CHECK(m.resources()[2].kind == resource_kind::people);
  CHECK(m.resources()[2].capacity == 3);
  CHECK(m.resources()[3].name == "vendor");
  CHECK(m.resources()[3].capacity == 1); // the default capacity
  CHECK(m.find_resource("clerks") == index_t{2});
  CHECK_FALSE(m.find_resource("IT staff").has_value());

  // capacity 0 is allowed (nobody available) as long as no step needs the pool
  json j = shop_json();
  j["resources"][3]["capacity"] = 0;
  app_step(j, "permanent", 1)["needs"] = {"in-house IT"};
  CHECK(read_text(j.dump()).resources()[3].capacity == 0);
}

TEST_CASE("no resources, or an empty list: the default pool of one IT staff") {
  json j = shop_json();
  j.erase("resources");
  j["systems"][1].erase("recovery");
  j["systems"][1]["reentry_by"] = "IT staff";
  j["systems"][1]["reentry_staff"] = 1; // the default pool has one person
  for (bool empty_list : {false, true}) {
    if (empty_list) j["resources"] = json::array();
    const model m = read_text(j.dump());
    CHECK(m.spec().resources.empty());
    REQUIRE(m.resources().size() == 1);
    CHECK(m.resources()[0].name == "IT staff");
    CHECK(m.resources()[0].kind == resource_kind::people);
    CHECK(m.resources()[0].capacity == 1);
    CHECK(m.system_at(1).reentry_by == "IT staff");
  }
}

TEST_CASE("reentry fields of a system, with their defaults") {
  const model m = read_text(shop_json().dump());
  const auto& app = m.system_at(1);
  CHECK(app.transactions_per_hour == 20);
  CHECK(app.reentry_hours_per_transaction == Approx(0.05)); // "3min"
  CHECK(app.reentry_by == "clerks");
  CHECK(app.reentry_staff == 2);
  const auto& server = m.system_at(0);
  CHECK(server.reentry_by.empty());
  CHECK(server.reentry_staff == 1);
  CHECK_FALSE(server.recovery.has_value());
}

TEST_CASE("a recovery procedure: steps, kinds, durations, needs and after-links") {
  const model m = read_text(shop_json().dump());
  REQUIRE(m.system_at(1).recovery);
  const proc_t& p = *m.system_at(1).recovery;
  CHECK(p.emergency_capacity == 0.5);
  REQUIRE(p.emergency.size() == 4);
  REQUIRE(p.permanent.size() == 4);

  const auto& survey = p.emergency[0];
  CHECK(survey.name == "survey");
  CHECK(survey.kind == step_kind::damage_survey);
  CHECK(survey.duration.is_fixed());
  CHECK(survey.duration.mean() == 2);
  REQUIRE(survey.needs.size() == 1);
  CHECK(survey.needs[0].resource == "in-house IT"); // a plain name: one unit
  CHECK(survey.needs[0].units == 1);
  CHECK(survey.after.empty());

  const auto& arrange = p.emergency[1];
  CHECK(arrange.kind == step_kind::arrange_backup);
  REQUIRE(arrange.duration.holds<continuity::pert<double>>());
  const auto& pe = arrange.duration.get<continuity::pert<double>>();
  CHECK(pe.minimum() == 1);
  CHECK(pe.mode() == 2);
  CHECK(pe.maximum() == 6);
  CHECK(arrange.needs == std::vector<continuity::step_demand>{{"spare server", 1}});
  REQUIRE(arrange.after.size() == 1);
  CHECK(arrange.after[0].step == "survey");
  CHECK(arrange.after[0].start_to_start);
  CHECK(arrange.after[0].lag == 0.5); // "30min"

  const auto& rebuild = p.emergency[2];
  CHECK(rebuild.kind == step_kind::recovery_work);
  REQUIRE(rebuild.duration.holds<continuity::triangular<double>>());
  const auto& tr = rebuild.duration.get<continuity::triangular<double>>();
  CHECK(tr.minimum() == 4);
  CHECK(tr.mode() == 8);
  CHECK(tr.maximum() == 24); // "1d"
  CHECK(rebuild.needs ==
        std::vector<continuity::step_demand>{{"in-house IT", 2}, {"spare server", 1}});
  REQUIRE(rebuild.after.size() == 1);
  CHECK(rebuild.after[0] == make_link("arrange", false, 0)); // a plain name: finish-to-start

  CHECK(p.emergency[3].kind == step_kind::service_back);
  CHECK(p.emergency[3].duration.is_fixed());
  CHECK(p.emergency[3].duration.mean() == 0);

  const auto& order = p.permanent[0];
  CHECK(order.kind == step_kind::replace_repair);
  REQUIRE(order.duration.holds<continuity::lognormal<double>>());
  CHECK(order.duration.quantile(0.05) == Approx(24));  // "1d"
  CHECK(order.duration.quantile(0.95) == Approx(720)); // "1mo"
  CHECK(order.needs.empty());

  const auto& restore = p.permanent[1];
  CHECK(restore.kind == step_kind::restore);
  CHECK(restore.duration.mean() == 6);
  CHECK(restore.needs == std::vector<continuity::step_demand>{{"in-house IT", 1}, {"vendor", 1}});
  CHECK(restore.after ==
        std::vector<link_t>{make_link("order hardware", false, 0), make_link("back", false, 12)});

  CHECK(p.permanent[2].kind == step_kind::switch_back);
  CHECK(p.permanent[2].duration.is_fixed());
  CHECK(p.permanent[2].duration.mean() == 1.5); // {"fixed": "90min"}
  CHECK(p.permanent[3].kind == step_kind::other); // no kind given
  CHECK(p.permanent[3].duration.mean() == 1.5);
}

TEST_CASE("a procedure with only an emergency phase and the default capacity") {
  json j = shop_json();
  j["systems"][0]["recovery"] =
      json::parse(R"({"emergency": [{"name": "replace", "kind": "replace_repair",
                                     "duration": "2w"}]})");
  const model m = read_text(j.dump());
  REQUIRE(m.system_at(0).recovery);
  const proc_t& p = *m.system_at(0).recovery;
  CHECK(p.permanent.empty());
  CHECK(p.emergency_capacity == 1);
  REQUIRE(p.emergency.size() == 1);
  CHECK(p.emergency[0].duration.mean() == 336);
}

TEST_CASE("records affected and cost lines, with their defaults") {
  const model m = read_text(shop_json().dump());
  const auto& sc = m.scenario_at(0);
  REQUIRE(sc.records_affected.holds<continuity::poisson<double>>());
  CHECK(sc.records_affected.mean() == 2000);
  CHECK(sc.records_affected.is_count());
  REQUIRE(sc.costs.size() == 6);

  CHECK(sc.costs[0].name == "forensics");
  CHECK(sc.costs[0].category == cost_category::response);
  CHECK(sc.costs[0].driver == cost_driver::fixed);
  REQUIRE(sc.costs[0].amount.holds<continuity::lognormal<double>>());
  CHECK(sc.costs[0].amount.quantile(0.05) == Approx(1e6));
  CHECK(sc.costs[0].amount.quantile(0.95) == Approx(5e6));

  // no category: response; given driver
  CHECK(sc.costs[1].category == cost_category::response);
  CHECK(sc.costs[1].driver == cost_driver::per_record);
  CHECK(sc.costs[1].amount.mean() == 120);

  CHECK(sc.costs[2].category == cost_category::opportunity);
  CHECK(sc.costs[2].driver == cost_driver::per_outage_hour);
  CHECK(sc.costs[2].function == "orders");
  CHECK(sc.costs[2].system.empty());

  CHECK(sc.costs[3].driver == cost_driver::per_lost_record);
  CHECK(sc.costs[3].system == "app");
  CHECK(sc.costs[3].function.empty());
  CHECK(sc.costs[3].amount.mean() == 300);

  // no driver: fixed
  CHECK(sc.costs[4].category == cost_category::legal);
  CHECK(sc.costs[4].driver == cost_driver::fixed);
  CHECK(sc.costs[4].amount.holds<continuity::pert<double>>());

  CHECK(sc.costs[5].category == cost_category::liability);
  CHECK(sc.costs[5].driver == cost_driver::revenue_fraction);
  CHECK(sc.costs[5].amount.mean() == 0.01);

  // a scenario without them: no records, no cost lines
  json j = shop_json();
  j["scenarios"][0].erase("records_affected");
  j["scenarios"][0].erase("costs");
  const model bare = read_text(j.dump());
  CHECK(bare.scenario_at(0).records_affected.is_fixed());
  CHECK(bare.scenario_at(0).records_affected.mean() == 0);
  CHECK(bare.scenario_at(0).costs.empty());
}

// ---------------------------------------------------------------------------
// Distribution forms

TEST_CASE("distribution forms: fixed values, numbers and duration strings") {
  for (const auto& [text, hours] : std::vector<std::pair<const char*, double>>{
           {"4", 4}, {"\"4h\"", 4}, {"\"2d\"", 48}, {"\"immediate\"", 0},
           {"{\"fixed\": 3}", 3}, {"{\"fixed\": \"1w\"}", 168}, {"2.25", 2.25}}) {
    INFO(text);
    const dist_t d = read_duration(json::parse(text));
    CHECK(d.is_fixed());
    CHECK(d.mean() == hours);
    CHECK(d.variance() == 0);
  }
  // duration strings inside a family
  const dist_t p = read_duration(json::parse(R"({"pert": ["1h", "1d", "1w"]})"));
  REQUIRE(p.holds<continuity::pert<double>>());
  CHECK(p.get<continuity::pert<double>>().minimum() == 1);
  CHECK(p.get<continuity::pert<double>>().mode() == 24);
  CHECK(p.get<continuity::pert<double>>().maximum() == 168);
  // amounts are plain numbers
  CHECK(read_amount(json::parse("250000")).mean() == 250000);
  CHECK(read_amount(json::parse(R"({"fixed": 7})")).mean() == 7);
}

TEST_CASE("distribution forms: every family") {
  SECTION("lognormal from a 90 % interval, mean and sd, or mu and sigma") {
    const dist_t a = read_amount(json::parse(R"({"lognormal": {"p5": 2, "p95": 50}})"));
    CHECK(a.name() == "lognormal");
    CHECK(a.quantile(0.05) == Approx(2));
    CHECK(a.quantile(0.95) == Approx(50));
    const dist_t b = read_amount(json::parse(R"({"lognormal": {"mean": 10, "sd": 5}})"));
    CHECK(b.mean() == Approx(10));
    CHECK(b.variance() == Approx(25));
    const dist_t c = read_amount(json::parse(R"({"lognormal": {"mu": 0, "sigma": 1}})"));
    CHECK(c.mean() == Approx(std::exp(0.5)));
    CHECK(c.quantile(0.5) == Approx(1));
  }
  SECTION("pert, triangular, uniform") {
    const dist_t p = read_amount(json::parse(R"({"pert": [1, 2, 6]})"));
    CHECK(p.name() == "pert");
    CHECK(p.mean() == Approx(2.5)); // (1 + 4·2 + 6)/6: the classic PERT weight
    const dist_t t = read_amount(json::parse(R"({"triangular": [1, 2, 6]})"));
    CHECK(t.name() == "triangular");
    CHECK(t.mean() == Approx(3));
    const dist_t u = read_amount(json::parse(R"({"uniform": [2, 4]})"));
    CHECK(u.name() == "uniform");
    CHECK(u.mean() == Approx(3));
    CHECK(u.quantile(0) == 2);
    CHECK(u.quantile(1) == 4);
  }
  SECTION("truncated normal with one or two bounds") {
    const dist_t a =
        read_amount(json::parse(R"({"truncated_normal": {"mu": 5, "sigma": 1, "lower": 0}})"));
    CHECK(a.name() == "truncated normal");
    CHECK(a.quantile(0) == 0);
    CHECK(a.quantile(1) == inf);
    CHECK(a.quantile(0.5) == Approx(5).epsilon(1e-3));
    const dist_t b = read_amount(
        json::parse(R"({"truncated_normal": {"mu": 5, "sigma": 1, "lower": 3, "upper": 7}})"));
    CHECK(b.quantile(0) == Approx(3));
    CHECK(b.quantile(1) == Approx(7));
    CHECK(b.mean() == Approx(5));
  }
  SECTION("gamma and beta") {
    const dist_t g = read_amount(json::parse(R"({"gamma": {"shape": 2, "scale": 3}})"));
    CHECK(g.name() == "gamma");
    CHECK(g.mean() == Approx(6));
    CHECK(g.variance() == Approx(18));
    const dist_t b = read_amount(json::parse(R"({"beta": {"alpha": 2, "beta": 6}})"));
    CHECK(b.name() == "beta");
    CHECK(b.mean() == Approx(0.25));
  }
  SECTION("count distributions") {
    const dist_t p = read_amount(json::parse(R"({"poisson": 7})"));
    CHECK(p.name() == "poisson");
    CHECK(p.mean() == Approx(7));
    CHECK(p.is_count());
    const dist_t a =
        read_amount(json::parse(R"({"negative_binomial": {"mean": 10, "variance": 30}})"));
    CHECK(a.mean() == Approx(10));
    CHECK(a.variance() == Approx(30));
    CHECK(a.is_count());
    const dist_t b = read_amount(
        json::parse(R"({"negative_binomial": {"successes": 2, "probability": 0.5}})"));
    CHECK(b.mean() == Approx(2)); // r(1 − p)/p
    CHECK(b.variance() == Approx(4));
  }
  SECTION("empirical data") {
    const dist_t e = read_amount(json::parse(R"({"empirical": [3, 1, 2]})"));
    CHECK(e.name() == "empirical");
    CHECK(e.mean() == Approx(2));
    CHECK(e.quantile(0) == 1);
    CHECK(e.quantile(1) == 3);
    const dist_t one = read_duration(json::parse(R"({"empirical": ["2h", "1d"]})"));
    CHECK(one.quantile(1) == 24);
  }
}

// ---------------------------------------------------------------------------
// Round trips

namespace {

// A specification using every new field and every distribution family.
model_spec recovery_spec() {
  model_spec s;
  s.name = "Round trip";
  s.resources = {{"in-house IT", resource_kind::people, 2},
                 {"spare server", resource_kind::equipment, 1},
                 {"clerks", resource_kind::people, 4},
                 {"nobody", resource_kind::people, 0}};
  continuity::it_system<double> server;
  server.name = "server";
  server.layer = asset_layer::hardware;
  continuity::it_system<double> app;
  app.name = "app";
  app.depends_on = {requirement::all_of({"server"})};
  app.transactions_per_hour = 12.5;
  app.reentry_hours_per_transaction = 0.1;
  app.reentry_by = "clerks";
  app.reentry_staff = 4;
  proc_t p;
  p.emergency_capacity = 0.3;
  p.emergency = {
      make_step("settle", step_kind::settle, 0.75),
      make_step("survey", step_kind::damage_survey, continuity::pert<double>(1, 2, 6),
                {{"in-house IT", 1}}),
      make_step("arrange", step_kind::arrange_backup, continuity::triangular<double>(2, 4, 10),
                {{"spare server", 1}}, {make_link("survey", true, 0.5)}),
      make_step("rebuild", step_kind::recovery_work, continuity::uniform<double>(3, 9),
                {{"in-house IT", 2}, {"spare server", 1}}),
      make_step("back", step_kind::service_back,
                continuity::lognormal<double>::from_interval90(0.5, 3)),
  };
  p.permanent = {
      make_step("order", step_kind::replace_repair,
                continuity::truncated_normal<double>(720, 240, 168)),
      make_step("stop", step_kind::planned_stop, continuity::truncated_normal<double>(2, 1, 0, 8),
                {}, {make_link("order", false, 0), make_link("rebuild", false, 24)}),
      make_step("save", step_kind::backup_emergency_data, continuity::gamma<double>(2, 1.5),
                {{"in-house IT", 1}}),
      make_step("restore", step_kind::restore, continuity::beta<double>(2, 5)),
      make_step("verify", step_kind::verify, continuity::poisson<double>(3)),
      make_step("switch", step_kind::switch_back,
                continuity::negative_binomial<double>::from_mean_variance(2, 6)),
      make_step("resume", step_kind::resume, 0.0),
      make_step("re-enter", step_kind::data_reentry,
                continuity::empirical<double>(std::vector<double>{8, 2, 5, 5}), {{"clerks", 4}},
                {make_link("resume", true, 1.25)}),
      make_step("other", step_kind::other, 1.0),
  };
  app.recovery = p;
  s.systems = {server, app};
  continuity::business_function<double> orders;
  orders.name = "orders";
  orders.revenue_per_day = 2e5;
  orders.needs = {requirement::all_of({"app"})};
  s.functions = {orders};
  continuity::incident_scenario<double> breach;
  breach.name = "breach";
  breach.kind = incident_kind::data_breach;
  breach.damage = {{{}, {}, {"app"}}};
  breach.records_affected = continuity::negative_binomial<double>(3, 0.002);
  breach.costs = {
      make_line("forensics", cost_category::response, cost_driver::fixed,
                continuity::lognormal<double>(14, 0.6)),
      make_line("notices", cost_category::response, cost_driver::per_record, 120.0),
      make_line("lost orders", cost_category::opportunity, cost_driver::per_outage_hour,
                continuity::gamma<double>(4, 1250), "orders"),
      make_line("all outages", cost_category::opportunity, cost_driver::per_outage_hour, 10.0),
      make_line("re-entry", cost_category::response, cost_driver::per_lost_record,
                continuity::uniform<double>(200, 400), "", "app"),
      make_line("damages", cost_category::liability, cost_driver::per_record,
                continuity::empirical<double>(std::vector<double>{0, 500, 2000})),
      make_line("lost trust", cost_category::opportunity, cost_driver::revenue_fraction,
                continuity::beta<double>(1, 50), "orders"),
      make_line("fine", cost_category::legal, cost_driver::fixed,
                continuity::pert<double>(0, 1e5, 1e6)),
  };
  continuity::incident_scenario<double> fire;
  fire.name = "fire";
  fire.kind = incident_kind::fire;
  fire.damage = {{{asset_layer::hardware}, {}, {}}};
  fire.records_affected = continuity::poisson<double>(0.5);
  s.scenarios = {breach, fire};
  return s;
}

} // namespace

TEST_CASE("read_model_spec(to_json(spec)) == spec with procedures, pools and cost lines") {
  const model_spec spec = recovery_spec();
  REQUIRE_NOTHROW(model(spec)); // it is a valid model
  const json j = continuity::to_json(spec);
  CHECK(continuity::read_model_spec(j) == spec);
  CHECK(continuity::read_model_spec(json::parse(j.dump())) == spec);
  CHECK(read_text(j.dump(2)).spec() == spec);

  // spot checks of the written form
  REQUIRE(j.at("resources").size() == 4);
  CHECK(j.at("resources").at(1).at("kind") == "equipment");
  CHECK(j.at("resources").at(3).at("capacity") == 0);
  const json& app = j.at("systems").at(1);
  CHECK(app.at("reentry_by") == "clerks");
  CHECK(app.at("reentry_staff") == 4);
  CHECK(app.at("recovery").at("emergency").size() == 5);
  CHECK(app.at("recovery").at("emergency").at(0).at("kind") == "settle");
  CHECK(app.at("recovery").at("emergency").at(0).at("duration") == 0.75); // a plain number
  CHECK(app.at("recovery").at("emergency").at(1).at("duration") ==
        json::parse(R"({"pert": [1, 2, 6]})"));
  CHECK(app.at("recovery").at("permanent").at(1).at("kind") == "planned_stop");
  CHECK_FALSE(j.at("systems").at(0).contains("recovery"));
  CHECK_FALSE(j.at("systems").at(0).contains("reentry_by"));
  const json& costs = j.at("scenarios").at(0).at("costs");
  CHECK(costs.at(2).at("function") == "orders");
  CHECK_FALSE(costs.at(3).contains("function"));
  CHECK(costs.at(4).at("system") == "app");
  CHECK(costs.at(7).at("category") == "legal");
  CHECK(costs.at(7).at("driver") == "fixed");
}

TEST_CASE("the round trip notices a change in any new field") {
  const model_spec spec = recovery_spec();
  const json j = continuity::to_json(spec);
  auto changed = [&](auto&& edit) {
    json k = j;
    edit(k);
    return !(continuity::read_model_spec(k) == spec);
  };
  CHECK(changed([](json& k) { k["resources"][2]["capacity"] = 5; }));
  CHECK(changed([](json& k) { k["resources"][0]["kind"] = "equipment"; }));
  CHECK(changed([](json& k) { k["systems"][1]["reentry_staff"] = 3; }));
  CHECK(changed([](json& k) { k["systems"][1].erase("reentry_by"); }));
  CHECK(changed([](json& k) { k["systems"][1]["recovery"]["emergency_capacity"] = 0.4; }));
  CHECK(changed([](json& k) { k["systems"][1]["recovery"]["emergency"][1]["kind"] = "other"; }));
  CHECK(changed([](json& k) {
    k["systems"][1]["recovery"]["emergency"][1]["duration"] = json::parse(R"({"pert":[1,3,6]})");
  }));
  CHECK(changed([](json& k) {
    k["systems"][1]["recovery"]["emergency"][1]["duration"] =
        json::parse(R"({"triangular":[1,2,6]})");
  }));
  CHECK(changed([](json& k) {
    k["systems"][1]["recovery"]["emergency"][2]["after"][0]["start_to_start"] = false;
  }));
  CHECK(changed(
      [](json& k) { k["systems"][1]["recovery"]["emergency"][2]["after"][0]["lag"] = 1; }));
  CHECK(changed([](json& k) {
    k["systems"][1]["recovery"]["emergency"][3]["needs"][0]["units"] = 1;
  }));
  CHECK(changed([](json& k) { k["scenarios"][0]["records_affected"] = 100; }));
  CHECK(changed([](json& k) { k["scenarios"][0]["costs"][1]["amount"] = 121; }));
  CHECK(changed([](json& k) { k["scenarios"][0]["costs"][4].erase("system"); }));
  CHECK(changed([](json& k) { k["scenarios"][0]["costs"][0]["category"] = "legal"; }));
  CHECK_FALSE(changed([](json&) {}));
}

TEST_CASE("a spec without the new fields round-trips without gaining any") {
  json j = shop_json();
  j.erase("resources");
  j["systems"][1].erase("recovery");
  j["systems"][1].erase("reentry_by");
  j["systems"][1].erase("reentry_staff");
  j["scenarios"][0].erase("costs");
  j["scenarios"][0].erase("records_affected");
  const model_spec spec = continuity::read_model_spec(j);
  const json out = continuity::to_json(spec);
  CHECK(out.at("resources").empty());
  CHECK_FALSE(out.at("systems").at(1).contains("recovery"));
  CHECK(out.at("scenarios").at(0).at("costs").empty());
  const model_spec back = continuity::read_model_spec(out);
  CHECK(back == spec);
  CHECK(back.resources.empty());
  CHECK(back.systems[1].reentry_staff == 1);
}

// ---------------------------------------------------------------------------
// Error paths: resource pools

TEST_CASE("resource pool errors in JSON") {
  SECTION("unknown field") {
    json j = shop_json();
    j["resources"][1]["colour"] = "grey";
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "spare server",
                "colour", {"unknown field"});
  }
  SECTION("unknown kind") {
    json j = shop_json();
    j["resources"][1]["kind"] = "robots";
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "spare server", "kind",
                {"unknown resource kind 'robots'"});
  }
  SECTION("capacity out of range or not an integer") {
    for (const char* v : {"-1", "1000001", "1.5", "\"two\"", "true"}) {
      INFO("capacity " << v);
      json j = shop_json();
      j["resources"][0]["capacity"] = json::parse(v);
      check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "in-house IT",
                  "capacity");
    }
    json j = shop_json();
    j["resources"][0]["capacity"] = -1; // rejected by the reader, before the model
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "in-house IT",
                "capacity", {"from 0 to 1000000"});
    j["resources"][0]["capacity"] = 1000000; // the largest accepted
    CHECK(read_text(j.dump()).resources()[0].capacity == 1000000);
  }
  SECTION("no name, a name that is not a string, not an object") {
    json j = shop_json();
    j["resources"][2].erase("name");
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "#3", "name",
                {"required"});
    j = shop_json();
    j["resources"][0]["name"] = 7;
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "#1", "name",
                {"string"});
    j = shop_json();
    j["resources"][1] = "spare server";
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "#2", "",
                {"JSON object"});
    j = shop_json();
    j["resources"] = {{"name", "IT"}};
    check_names(thrown_by_json<continuity::value_error>(j), "model", "Shop", "resources",
                {"array"});
  }
  SECTION("duplicate and empty names come from the model") {
    json j = shop_json();
    j["resources"][2]["name"] = "in-house IT";
    check_names(thrown_by_json<continuity::duplicate_error>(j), "resource pool", "in-house IT",
                "name");
    j = shop_json();
    j["resources"][3]["name"] = "";
    check_names(thrown_by_json<continuity::value_error>(j), "resource pool", "#4", "name");
  }
}

// ---------------------------------------------------------------------------
// Error paths: reentry fields

TEST_CASE("reentry_staff and reentry_by errors") {
  for (const char* v : {"0", "-2", "1000001", "2.5", "\"two\""}) {
    INFO("reentry_staff " << v);
    json j = shop_json();
    j["systems"][1]["reentry_staff"] = json::parse(v);
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "reentry_staff");
  }
  json j = shop_json();
  j["systems"][1]["reentry_staff"] = 0;
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "reentry_staff",
              {"from 1 to 1000000"});
  j = shop_json();
  j["systems"][1]["reentry_by"] = 3;
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "reentry_by",
              {"string"});
  j = shop_json();
  j["systems"][1]["reentry_by"] = "nurses";
  check_names(thrown_by_json<continuity::reference_error>(j), "system", "app", "reentry_by",
              {"'nurses'"});
}

// ---------------------------------------------------------------------------
// Error paths: recovery procedures

TEST_CASE("recovery procedure errors: structure and unknown fields") {
  SECTION("unknown fields at every level") {
    json j = shop_json();
    j["systems"][1]["recovery"]["phases"] = 2;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "recovery.phases",
                {"unknown field"});
    j = shop_json();
    app_step(j, "permanent", 2)["owner"] = "IT";
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.permanent[2].owner", {"unknown field"});
    j = shop_json();
    app_step(j, "emergency", 2)["needs"][0]["shift"] = "night";
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[2].needs[0].shift", {"unknown field"});
    j = shop_json();
    app_step(j, "emergency", 1)["after"][0]["finish_to_finish"] = true;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[1].after[0].finish_to_finish", {"unknown field"});
  }
  SECTION("wrong shapes") {
    json j = shop_json();
    j["systems"][1]["recovery"]["emergency"] = {{"name", "survey"}};
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "recovery.emergency",
                {"array"});
    j = shop_json();
    app_step(j, "emergency", 0)["needs"] = "in-house IT";
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[0].needs", {"array"});
    j = shop_json();
    j["systems"][1]["recovery"]["emergency_capacity"] = "half";
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency_capacity", {"number"});
  }
  SECTION("step names") {
    json j = shop_json();
    app_step(j, "emergency", 3).erase("name");
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[3].name", {"required"});
    j = shop_json();
    app_step(j, "emergency", 3)["name"] = 4;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[3].name", {"string"});
    j = shop_json();
    app_step(j, "permanent", 3)["name"] = "survey";
    check_names(thrown_by_json<continuity::duplicate_error>(j), "system", "app",
                "recovery.permanent[3] ('survey').name");
  }
  SECTION("the model's checks of a procedure read from JSON") {
    json j = shop_json();
    j["systems"][1]["recovery"].erase("emergency");
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "recovery.emergency",
                {"no steps"});
    j = shop_json();
    j["systems"][1]["recovery"]["emergency_capacity"] = 0;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency_capacity", {"(0, 1]"});
  }
}

// A nested entry that is not an object must be named by its own field
// ("recovery.permanent[0]"); json_object_reader currently adds its prefix
// twice ("recovery.permanent[0].recovery.permanent[0]"), so the case may fail
// until that is fixed (the tag keeps the failures visible without failing the run).
TEST_CASE("an entry that is not a JSON object is named by its field") {
  json j = shop_json();
  j["systems"][1]["recovery"] = json::array();
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app", "recovery",
              {"JSON object"});
  j = shop_json();
  app_step(j, "permanent", 0) = "order hardware";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.permanent[0]", {"JSON object"});
  j = shop_json();
  app_step(j, "emergency", 0)["needs"] = json::parse("[2]");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[0].needs[0]", {"JSON object"});
  j = shop_json();
  app_step(j, "emergency", 2)["after"] = json::parse(R"([["arrange"]])");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[2].after[0]", {"JSON object"});
  j = shop_json();
  j["scenarios"][0]["costs"][1] = 120;
  check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
              "costs[1]", {"JSON object"});
}

// A distribution's error names the object and the field once; the problems
// that read_distribution finds itself (wrong arity, missing or unknown
// parameters) are currently wrapped a second time, and a duration string too
// large for a double escapes unnamed, so the case may fail until that is fixed.
TEST_CASE("a distribution error names the object and the field exactly once") {
  auto count = [](const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + 1)) ++n;
    return n;
  };
  for (const char* text : {R"({"pert": [1, 2]})", R"({"lognormal": [1, 2]})",
                           R"({"gamma": {"shape": 2}})", R"("1e306y")"}) {
    INFO("duration " << text);
    json j = shop_json();
    app_step(j, "emergency", 1)["duration"] = json::parse(text);
    const auto e = thrown_by_json<continuity::value_error>(j);
    REQUIRE(e);
    const std::string what = e->what();
    INFO("what(): " << what);
    CHECK(e->object_name() == "app");
    CHECK(e->field().rfind("recovery.emergency[1]", 0) == 0);
    CHECK(count(what, "system 'app'") == 1);
    CHECK(count(what, "recovery.emergency[1]") == 1);
  }
}

TEST_CASE("recovery procedure errors: step kinds") {
  json j = shop_json();
  app_step(j, "emergency", 0)["kind"] = "reboot";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[0].kind", {"unknown step kind 'reboot'"});
  j["systems"][1]["recovery"]["emergency"][0]["kind"] = "Damage_Survey";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[0].kind", {"'Damage_Survey'"});
  j["systems"][1]["recovery"]["emergency"][0]["kind"] = 3;
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[0].kind", {"string"});
}

TEST_CASE("recovery procedure errors: durations") {
  SECTION("missing or null") {
    json j = shop_json();
    app_step(j, "emergency", 1).erase("duration");
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[1].duration", {"required"});
    app_step(j, "emergency", 1)["duration"] = nullptr;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[1].duration", {"required"});
  }
  SECTION("malformed distributions") {
    const std::vector<std::pair<const char*, const char*>> cases{
        {R"("soon")", "a duration"},
        {R"("3 fortnights")", "a duration"},
        {"true", "one distribution family"},
        {"[1, 2, 6]", "one distribution family"},
        {"{}", "one distribution family"},
        {R"({"pert": [1, 2, 6], "uniform": [1, 2]})", "one distribution family"},
        {R"({"weibull": [1, 2]})", "unknown distribution family 'weibull'"},
        {R"({"pert": [1, 2]})", "array of 3 numbers"},
        {R"({"triangular": 5})", "array of 3 numbers"},
        {R"({"uniform": [1, 2, 3]})", "array of 2 numbers"},
        {R"({"pert": [6, 2, 1]})", "invalid pert distribution"},
        {R"({"pert": [1, "2 fortnights", 6]})", "must be a number or a duration"},
        {R"({"uniform": [4, 2]})", "invalid uniform distribution"},
        {R"({"lognormal": [1, 2]})", "takes an object"},
        {R"({"lognormal": {"p5": 1}})", "needs 'p95'"},
        {R"({"lognormal": {"p5": 10, "p95": 1}})", "invalid lognormal distribution"},
        {R"({"lognormal": {"p5": 1, "p95": 10, "mu": 0}})", "unknown field 'mu'"},
        {R"({"lognormal": {"mean": 10}})", "needs 'sd'"},
        {R"({"lognormal": {"mu": 1, "sigma": 0}})", "invalid lognormal distribution"},
        {R"({"truncated_normal": {"mu": 5}})", "needs 'sigma'"},
        {R"({"truncated_normal": {"mu": 5, "sigma": 1, "lower": 7, "upper": 3}})",
         "invalid truncated_normal distribution"},
        {R"({"gamma": {"shape": "x", "scale": 1}})", "must be a number"},
        {R"({"gamma": {"shape": 2, "rate": 1}})", "unknown field 'rate'"},
        {R"({"beta": {"alpha": 0, "beta": 1}})", "invalid beta distribution"},
        {R"({"poisson": -1})", "invalid poisson distribution"},
        {R"({"negative_binomial": {"mean": 10, "variance": 5}})",
         "invalid negative_binomial distribution"},
        {R"({"negative_binomial": {"successes": 2}})", "needs 'probability'"},
        {R"({"empirical": []})", "non-empty array"},
        {R"({"empirical": [1, "x"]})", "must be a number"},
    };
    for (const auto& [text, fragment] : cases) {
      INFO("duration " << text);
      json j = shop_json();
      app_step(j, "emergency", 1)["duration"] = json::parse(text);
      check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                  "recovery.emergency[1].duration", {fragment});
    }
  }
  SECTION("negative values, caught by the model") {
    for (const char* text : {R"("-2h")", "-1", R"({"triangular": [-1, 2, 4]})",
                             R"({"truncated_normal": {"mu": 5, "sigma": 1}})"}) {
      INFO("duration " << text);
      json j = shop_json();
      app_step(j, "emergency", 1)["duration"] = json::parse(text);
      check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                  "recovery.emergency[1] ('arrange').duration", {"non-negative"});
    }
  }
}

TEST_CASE("recovery procedure errors: needs") {
  SECTION("units out of range or not an integer") {
    for (const char* v : {"0", "-1", "1000001", "1.5", "\"two\""}) {
      INFO("units " << v);
      json j = shop_json();
      app_step(j, "emergency", 2)["needs"][0]["units"] = json::parse(v);
      check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                  "recovery.emergency[2].needs[0].units");
    }
    json j = shop_json();
    app_step(j, "emergency", 2)["needs"][0]["units"] = 0;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[2].needs[0].units", {"from 1 to 1000000"});
  }
  SECTION("more units than the pool has") {
    json j = shop_json();
    app_step(j, "emergency", 2)["needs"][0]["units"] = 3;
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[2] ('rebuild').needs[0].units", {"only 2"});
  }
  SECTION("no resource, or an unknown one") {
    json j = shop_json();
    app_step(j, "emergency", 2)["needs"][0].erase("resource");
    check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
                "recovery.emergency[2].needs[0].resource", {"required"});
    j = shop_json();
    app_step(j, "emergency", 0)["needs"] = {"in-house IT", "forklift"};
    check_names(thrown_by_json<continuity::reference_error>(j), "system", "app",
                "recovery.emergency[0] ('survey').needs[1]", {"'forklift'"});
    j = shop_json();
    app_step(j, "permanent", 1)["needs"][1]["resource"] = "vendors";
    check_names(thrown_by_json<continuity::reference_error>(j), "system", "app",
                "recovery.permanent[1] ('restore').needs[1]", {"'vendors'"});
  }
}

TEST_CASE("recovery procedure errors: after-links") {
  json j = shop_json();
  app_step(j, "emergency", 1)["after"][0].erase("step");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[1].after[0].step", {"required"});
  j = shop_json();
  app_step(j, "emergency", 1)["after"][0]["lag"] = "a while";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[1].after[0].lag", {"not a duration"});
  j = shop_json();
  app_step(j, "emergency", 1)["after"][0]["lag"] = "-1h";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[1] ('arrange').after[0].lag", {"non-negative"});
  j = shop_json();
  app_step(j, "emergency", 1)["after"][0]["start_to_start"] = "yes";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "app",
              "recovery.emergency[1].after[0].start_to_start", {"true or false"});
  j = shop_json();
  app_step(j, "emergency", 2)["after"] = json::parse(R"(["tidy up"])"); // a later step
  check_names(thrown_by_json<continuity::reference_error>(j), "system", "app",
              "recovery.emergency[2] ('rebuild').after[0]", {"'tidy up'"});
  j = shop_json();
  app_step(j, "permanent", 1)["after"][1] = {{"step", "ghost"}};
  check_names(thrown_by_json<continuity::reference_error>(j), "system", "app",
              "recovery.permanent[1] ('restore').after[1]", {"'ghost'"});
}

// ---------------------------------------------------------------------------
// Error paths: records affected and cost lines

TEST_CASE("records_affected errors") {
  for (const auto& [text, fragment] : std::vector<std::pair<const char*, const char*>>{
           {R"("many")", "must be a number"},
           {R"("10h")", "must be a number"}, // counts take no duration strings
           {R"({"poisson": "5h"})", "must be a number"},
           {R"({"poisson": [5]})", "must be a number"},
           {R"({"binomial": 5})", "unknown distribution family"}}) {
    INFO("records_affected " << text);
    json j = shop_json();
    j["scenarios"][0]["records_affected"] = json::parse(text);
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "records_affected", {fragment});
  }
  json j = shop_json();
  j["scenarios"][0]["records_affected"] = -5;
  check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
              "records_affected", {"number of records"});
}

TEST_CASE("cost line errors in JSON") {
  SECTION("unknown field, wrong shapes") {
    json j = shop_json();
    j["scenarios"][0]["costs"][1]["per"] = "letter";
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[1].per", {"unknown field"});
    j = shop_json();
    j["scenarios"][0]["costs"] = {{"name", "x"}, {"amount", 1}};
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach", "costs",
                {"array"});
    j = shop_json();
    j["scenarios"][0]["costs"][2]["function"] = json::array({"orders"});
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[2].function", {"string"});
  }
  SECTION("unknown category or driver") {
    json j = shop_json();
    j["scenarios"][0]["costs"][0]["category"] = "fines";
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[0].category", {"unknown cost category 'fines'"});
    j = shop_json();
    j["scenarios"][0]["costs"][0]["driver"] = "per_day";
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[0].driver", {"unknown cost driver 'per_day'"});
  }
  SECTION("missing name or amount") {
    json j = shop_json();
    j["scenarios"][0]["costs"][3].erase("name");
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[3].name", {"required"});
    j = shop_json();
    j["scenarios"][0]["costs"][3].erase("amount");
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[3].amount", {"required"});
    j = shop_json();
    j["scenarios"][0]["costs"][3]["amount"] = nullptr;
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[3].amount", {"required"});
  }
  SECTION("a bad amount") {
    for (const auto& [text, fragment] : std::vector<std::pair<const char*, const char*>>{
             {R"("100")", "must be a number"},
             {R"("1d")", "must be a number"}, // amounts take no duration strings
             {R"({"uniform": ["1h", "2h"]})", "must be a number"},
             {R"({"pert": [3, 2, 1]})", "invalid pert distribution"},
             {R"({"lognormal": {"p5": 1, "p95": 2, "p50": 1.5}})", "unknown field 'p50'"},
             {R"({"gauss": {"mu": 1}})", "unknown distribution family 'gauss'"}}) {
      INFO("amount " << text);
      json j = shop_json();
      j["scenarios"][0]["costs"][0]["amount"] = json::parse(text);
      check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                  "costs[0].amount", {fragment});
    }
    json j = shop_json();
    j["scenarios"][0]["costs"][0]["amount"] = -1;
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[0] ('forensics').amount", {"non-negative amount"});
  }
  SECTION("references and drivers, checked by the model") {
    json j = shop_json();
    j["scenarios"][0]["costs"][2]["function"] = "shipping";
    check_names(thrown_by_json<continuity::reference_error>(j), "incident scenario", "breach",
                "costs[2] ('lost orders').function", {"'shipping'"});
    j = shop_json();
    j["scenarios"][0]["costs"][3]["system"] = "mainframe";
    check_names(thrown_by_json<continuity::reference_error>(j), "incident scenario", "breach",
                "costs[3] ('re-entry').system", {"'mainframe'"});
    j = shop_json();
    j["scenarios"][0]["costs"][1]["function"] = "orders"; // a per_record line
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[1] ('notices').function", {"per_outage_hour"});
    j = shop_json();
    j["scenarios"][0]["costs"][0]["system"] = "app"; // a fixed line
    check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "breach",
                "costs[0] ('forensics').system", {"per_lost_record"});
  }
}

// ---------------------------------------------------------------------------
// Malformed JSON and a model in single precision

TEST_CASE("malformed JSON in the new sections is a parse_error with the line") {
  const std::string text = "{\n"
                           "  \"name\": \"M\",\n"
                           "  \"resources\": [{\"name\": \"IT\", \"capacity\": 2}],\n"
                           "  \"functions\": [{\"name\": \"f\", \"needs\": [\"a\"]}],\n"
                           "  \"systems\": [{\"name\": \"a\", \"recovery\": {\n"
                           "    \"emergency\": [{\"name\": \"fix\", \"duration\": 4,}]\n" // line 6
                           "  }}]\n"
                           "}\n";
  const auto e = thrown<continuity::parse_error>([&] { (void)read_text(text, "shop.json"); });
  REQUIRE(e);
  CHECK(e->line() == 6);
  CHECK(e->source() == "shop.json");
  CHECK(std::string(e->what()).rfind("shop.json:6:", 0) == 0);

  // a number too large for a double
  const auto big = thrown<continuity::parse_error>([] {
    (void)read_text(R"({"name": "M", "functions": [{"name": "f"}],
                        "resources": [{"name": "IT", "capacity": 1e400}]})");
  });
  REQUIRE(big);
  CHECK(big->source() == "<input>");
}

TEST_CASE("procedures and cost lines read in single precision") {
  std::istringstream in(shop_json().dump());
  const continuity::basic_model<float> m = continuity::read_model<float>(in);
  REQUIRE(m.system_at(1).recovery);
  const auto& p = *m.system_at(1).recovery;
  CHECK(p.emergency_capacity == 0.5f);
  CHECK(p.emergency[1].duration.mean() == Approx(2.5f));
  CHECK(p.emergency[1].after[0].lag == 0.5f);
  CHECK(m.scenario_at(0).costs[2].amount.mean() == 5000.0f);
  CHECK(m.find_resource("vendor") == index_t{3});
}
