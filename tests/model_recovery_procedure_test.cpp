// Tests for continuity/model/recovery_procedure.hpp, resource.hpp and cost.hpp,
// and for the checks continuity/model/model.hpp makes of them: the names and
// parsers of the enumerations, the default resource pool, find_resource, and
// every validation error of resource pools, recovery procedures, the
// data-reentry fields of a system and the cost lines of a scenario (exception
// class, object, field, and a what() that shows them).
#include <continuity/error.hpp>
#include <continuity/model/cost.hpp>
#include <continuity/model/model.hpp>
#include <continuity/model/recovery_procedure.hpp>
#include <continuity/model/resource.hpp>
#include <continuity/model/scenario.hpp>
#include <continuity/model/system.hpp>

#include <catch2/catch.hpp>

#include "support/errors.hpp"
#include "support/numbers.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

using namespace continuity;

namespace {

using continuity_test::check_names;
using continuity_test::inf;
using continuity_test::thrown;
using continuity_test::thrown_by_spec;

using step_t = recovery_step<double>;
using link_t = step_link<double>;
using line_t = cost_line<double>;

resource_pool pool(std::string name, resource_kind kind, int capacity) {
  resource_pool p;
  p.name = std::move(name);
  p.kind = kind;
  p.capacity = capacity;
  return p;
}

step_t step(std::string name, step_kind kind, distribution<double> duration,
            std::vector<step_demand> needs = {}, std::vector<link_t> after = {}) {
  step_t s;
  s.name = std::move(name);
  s.kind = kind;
  s.duration = std::move(duration);
  s.needs = std::move(needs);
  s.after = std::move(after);
  return s;
}

link_t link(std::string step, bool start_to_start = false, double lag = 0) {
  link_t l;
  l.step = std::move(step);
  l.start_to_start = start_to_start;
  l.lag = lag;
  return l;
}

line_t line(std::string name, cost_category category, cost_driver driver,
            distribution<double> amount, std::string function = {}, std::string system = {}) {
  line_t c;
  c.name = std::move(name);
  c.category = category;
  c.driver = driver;
  c.amount = std::move(amount);
  c.function = std::move(function);
  c.system = std::move(system);
  return c;
}

// The procedure of the order system "app": an emergency rebuild on a spare
// server, then a permanent restoration on new hardware.
recovery_procedure<double> app_procedure() {
  recovery_procedure<double> p;
  p.emergency = {
      step("survey", step_kind::damage_survey, 2.0, {{"in-house IT", 1}}),
      step("arrange", step_kind::arrange_backup, pert<double>(1, 2, 6), {{"spare server", 1}},
           {link("survey", true, 0.5)}),
      step("rebuild", step_kind::recovery_work, triangular<double>(4, 8, 16),
           {{"in-house IT", 2}, {"spare server", 1}}),
      step("back", step_kind::service_back, 0.0),
  };
  p.permanent = {
      step("order hardware", step_kind::replace_repair,
           lognormal<double>::from_interval90(24, 720)),
      step("stop", step_kind::planned_stop, 1.0, {}, {link("order hardware")}),
      step("restore", step_kind::restore, 6.0, {{"in-house IT", 1}, {"vendor engineer", 1}}),
      step("verify", step_kind::verify, 2.0, {{"in-house IT", 1}}),
      step("switch back", step_kind::switch_back, 1.0, {{"in-house IT", 2}},
           {link("verify"), link("survey", false, 0)}),
      step("resume", step_kind::resume, 0.0),
      step("re-enter", step_kind::data_reentry, uniform<double>(4, 12), {{"clerks", 3}}),
  };
  p.emergency_capacity = 0.5;
  return p;
}

// A valid specification using every new field; tests break one thing at a time.
model_spec base_spec() {
  model_spec s;
  s.name = "Shop";
  it_system<double> server;
  server.name = "server";
  server.layer = asset_layer::hardware;
  it_system<double> app;
  app.name = "app";
  app.layer = asset_layer::software;
  app.depends_on = {requirement::all_of({"server"})};
  app.transactions_per_hour = 20;
  app.reentry_hours_per_transaction = 0.05;
  app.reentry_by = "clerks";
  app.reentry_staff = 3;
  app.recovery = app_procedure();
  s.systems = {server, app};
  business_function<double> orders;
  orders.name = "orders";
  orders.revenue_per_day = 1e6;
  orders.needs = {requirement::all_of({"app"})};
  s.functions = {orders};
  s.resources = {pool("in-house IT", resource_kind::people, 2),
                 pool("vendor engineer", resource_kind::people, 1),
                 pool("spare server", resource_kind::equipment, 1),
                 pool("clerks", resource_kind::people, 3)};
  incident_scenario<double> breach;
  breach.name = "breach";
  breach.kind = incident_kind::data_breach;
  breach.damage = {damage_selector{{}, {}, {"app"}}};
  breach.records_affected = poisson<double>(2000);
  breach.costs = {
      line("forensics", cost_category::response, cost_driver::fixed,
           lognormal<double>::from_interval90(1e6, 5e6)),
      line("notices", cost_category::response, cost_driver::per_record, 120.0),
      line("lost orders", cost_category::opportunity, cost_driver::per_outage_hour, 5000.0,
           "orders"),
      line("re-entry", cost_category::response, cost_driver::per_lost_record, 300.0, "", "app"),
      line("damages", cost_category::liability, cost_driver::per_record,
           triangular<double>(0, 500, 5000)),
      line("lost trust", cost_category::opportunity, cost_driver::revenue_fraction, 0.02),
      line("fine", cost_category::legal, cost_driver::fixed, uniform<double>(0, 1e6)),
  };
  s.scenarios = {breach};
  return s;
}

// The recovery procedure of "app" in a spec.
recovery_procedure<double>& proc(model_spec& s) { return *s.systems[1].recovery; }

} // namespace

// ---------------------------------------------------------------------------
// Enumerations: names, parsers, predicates

TEST_CASE("step kinds: every name parses back to its kind", "[recovery_procedure]") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < step_kind_count; ++i) {
    const auto k = static_cast<step_kind>(i);
    const std::string_view n = to_string(k);
    INFO("step kind " << i << ": " << n);
    CHECK_FALSE(n.empty());
    CHECK(n.find(' ') == std::string_view::npos);
    CHECK(parse_step_kind(n) == k);
    names.insert(n);
  }
  CHECK(names.size() == step_kind_count); // all distinct
  CHECK(to_string(step_kind::settle) == "settle");
  CHECK(to_string(step_kind::damage_survey) == "damage_survey");
  CHECK(to_string(step_kind::backup_emergency_data) == "backup_emergency_data");
  CHECK(to_string(step_kind::switch_back) == "switch_back");
  CHECK(to_string(step_kind::data_reentry) == "data_reentry");
  CHECK(to_string(step_kind::other) == "other");
  CHECK(parse_step_kind("replace_repair") == step_kind::replace_repair);
  CHECK_FALSE(parse_step_kind("switch back").has_value());
  CHECK_FALSE(parse_step_kind("Restore").has_value());
  CHECK_FALSE(parse_step_kind("").has_value());
  CHECK_FALSE(parse_step_kind("restore ").has_value());
  STATIC_REQUIRE(parse_step_kind("verify") == step_kind::verify);
  STATIC_REQUIRE(to_string(step_kind::planned_stop) == "planned_stop");
}

TEST_CASE("only recovery work, restore and switch-back wait for dependencies",
          "[recovery_procedure]") {
  std::set<step_kind> waiting;
  for (std::size_t i = 0; i < step_kind_count; ++i)
    if (waits_for_dependencies(static_cast<step_kind>(i)))
      waiting.insert(static_cast<step_kind>(i));
  CHECK(waiting == std::set<step_kind>{step_kind::recovery_work, step_kind::restore,
                                       step_kind::switch_back});
  // the steps around them do not: surveys, orders and the switch-back's preparations
  CHECK_FALSE(waits_for_dependencies(step_kind::damage_survey));
  CHECK_FALSE(waits_for_dependencies(step_kind::replace_repair));
  CHECK_FALSE(waits_for_dependencies(step_kind::planned_stop));
  CHECK_FALSE(waits_for_dependencies(step_kind::data_reentry));
  STATIC_REQUIRE(waits_for_dependencies(step_kind::restore));
}

TEST_CASE("recovery phases have names", "[recovery_procedure]") {
  CHECK(to_string(recovery_phase::emergency) == "emergency");
  CHECK(to_string(recovery_phase::permanent) == "permanent");
}

TEST_CASE("cost categories and drivers: every name parses back", "[cost]") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < cost_category_count; ++i) {
    const auto c = static_cast<cost_category>(i);
    INFO("category " << i << ": " << to_string(c));
    CHECK(parse_cost_category(to_string(c)) == c);
    names.insert(to_string(c));
  }
  CHECK(names == std::set<std::string_view>{"liability", "response", "opportunity", "legal"});
  CHECK(parse_cost_category("legal") == cost_category::legal);
  CHECK_FALSE(parse_cost_category("fines").has_value());
  CHECK_FALSE(parse_cost_category("Legal").has_value());

  names.clear();
  for (std::size_t i = 0; i < cost_driver_count; ++i) {
    const auto d = static_cast<cost_driver>(i);
    INFO("driver " << i << ": " << to_string(d));
    CHECK(parse_cost_driver(to_string(d)) == d);
    names.insert(to_string(d));
  }
  CHECK(names == std::set<std::string_view>{"fixed", "per_record", "per_outage_hour",
                                            "per_lost_record", "revenue_fraction",
                                            "per_damaged_system"});
  CHECK(parse_cost_driver("per_outage_hour") == cost_driver::per_outage_hour);
  CHECK_FALSE(parse_cost_driver("per outage hour").has_value());
  CHECK_FALSE(parse_cost_driver("").has_value());
  STATIC_REQUIRE(parse_cost_driver("revenue_fraction") == cost_driver::revenue_fraction);
}

TEST_CASE("resource kinds: people and equipment", "[resource]") {
  for (auto k : {resource_kind::people, resource_kind::equipment})
    CHECK(parse_resource_kind(to_string(k)) == k);
  CHECK(to_string(resource_kind::people) == "people");
  CHECK(to_string(resource_kind::equipment) == "equipment");
  CHECK_FALSE(parse_resource_kind("staff").has_value());
  CHECK_FALSE(parse_resource_kind("People").has_value());
  CHECK_FALSE(parse_resource_kind("").has_value());
  STATIC_REQUIRE(parse_resource_kind("equipment") == resource_kind::equipment);
}

TEST_CASE("defaults of a step, a link, a demand, a procedure and a cost line",
          "[recovery_procedure][cost]") {
  const step_t st;
  CHECK(st.kind == step_kind::other);
  CHECK(st.duration.is_fixed());
  CHECK(st.duration.mean() == 0);
  CHECK(st.needs.empty());
  CHECK(st.after.empty());
  const link_t l;
  CHECK_FALSE(l.start_to_start);
  CHECK(l.lag == 0);
  CHECK(step_demand{}.units == 1);
  const recovery_procedure<double> p;
  CHECK(p.emergency_capacity == 1);
  const line_t c;
  CHECK(c.category == cost_category::response);
  CHECK(c.driver == cost_driver::fixed);
  CHECK(c.amount.mean() == 0);
  const resource_pool r;
  CHECK(r.kind == resource_kind::people);
  CHECK(r.capacity == 1);
  const it_system<double> s;
  CHECK(s.reentry_by.empty());
  CHECK(s.reentry_staff == 1);
  CHECK_FALSE(s.recovery.has_value());
  const incident_scenario<double> sc;
  CHECK(sc.records_affected.mean() == 0);
  CHECK(sc.costs.empty());
}

TEST_CASE("steps, procedures, cost lines and scenarios compare by value",
          "[recovery_procedure][cost]") {
  // Distributions compare by family and defining figures.
  const auto a = step("s", step_kind::restore, pert<double>(1, 2, 6), {{"IT", 1}});
  CHECK(a == step("s", step_kind::restore, pert<double>(1, 2, 6), {{"IT", 1}}));
  CHECK_FALSE(a == step("s", step_kind::restore, pert<double>(1, 3, 6), {{"IT", 1}}));
  CHECK_FALSE(a == step("s", step_kind::restore, triangular<double>(1, 2, 6), {{"IT", 1}}));
  CHECK_FALSE(a == step("s", step_kind::verify, pert<double>(1, 2, 6), {{"IT", 1}}));
  CHECK_FALSE(a == step("t", step_kind::restore, pert<double>(1, 2, 6), {{"IT", 1}}));
  CHECK_FALSE(a == step("s", step_kind::restore, pert<double>(1, 2, 6), {{"IT", 2}}));
  CHECK_FALSE(a == step("s", step_kind::restore, pert<double>(1, 2, 6), {{"IT", 1}},
                        {link("x")}));
  CHECK_FALSE(link("x") == link("x", true));
  CHECK_FALSE(link("x") == link("x", false, 1));
  CHECK(step("s", step_kind::other, 2.5) == step("s", step_kind::other, 2.5));
  CHECK_FALSE(step("s", step_kind::other, 2.5) == step("s", step_kind::other, 2.0));

  auto p = app_procedure();
  CHECK(p == app_procedure());
  p.emergency_capacity = 0.75;
  CHECK_FALSE(p == app_procedure());
  p = app_procedure();
  p.permanent.pop_back();
  CHECK_FALSE(p == app_procedure());

  const auto c = line("x", cost_category::legal, cost_driver::fixed, 10.0);
  CHECK(c == line("x", cost_category::legal, cost_driver::fixed, 10.0));
  CHECK_FALSE(c == line("x", cost_category::liability, cost_driver::fixed, 10.0));
  CHECK_FALSE(c == line("x", cost_category::legal, cost_driver::per_record, 10.0));
  CHECK_FALSE(c == line("x", cost_category::legal, cost_driver::fixed, 11.0));
  CHECK_FALSE(c == line("x", cost_category::legal, cost_driver::fixed, 10.0, "f"));
  CHECK_FALSE(c == line("x", cost_category::legal, cost_driver::fixed, 10.0, "", "s"));

  const model_spec s = base_spec();
  auto t = base_spec();
  CHECK(t == s);
  t.scenarios[0].records_affected = poisson<double>(2001);
  CHECK_FALSE(t == s);
  t = base_spec();
  t.scenarios[0].costs[1].amount = 121.0;
  CHECK_FALSE(t == s);
  t = base_spec();
  t.systems[1].reentry_staff = 2;
  CHECK_FALSE(t == s);
  t = base_spec();
  t.systems[1].reentry_by = "in-house IT";
  CHECK_FALSE(t == s);
  t = base_spec();
  t.systems[1].recovery.reset();
  CHECK_FALSE(t == s);
  t = base_spec();
  t.resources[3].capacity = 4;
  CHECK_FALSE(t == s);
  t = base_spec();
  t.resources[2].kind = resource_kind::people;
  CHECK_FALSE(t == s);
}

// ---------------------------------------------------------------------------
// Resource pools in the model

TEST_CASE("a valid model keeps its resource pools, procedures and cost lines", "[model]") {
  const model m(base_spec());
  REQUIRE(m.resources().size() == 4);
  CHECK(m.resources()[0] == pool("in-house IT", resource_kind::people, 2));
  CHECK(m.resources()[2] == pool("spare server", resource_kind::equipment, 1));
  CHECK(m.find_resource("in-house IT") == index_t{0});
  CHECK(m.find_resource("vendor engineer") == index_t{1});
  CHECK(m.find_resource("spare server") == index_t{2});
  CHECK(m.find_resource("clerks") == index_t{3});
  // pools listed: no default pool is added
  CHECK_FALSE(m.find_resource(default_staff_name).has_value());
  CHECK_FALSE(m.find_resource("Clerks").has_value());
  CHECK_FALSE(m.find_resource("").has_value());
  const auto& app = m.system_at(*m.find_system("app"));
  REQUIRE(app.recovery);
  CHECK(*app.recovery == app_procedure());
  CHECK(app.reentry_by == "clerks");
  CHECK(app.reentry_staff == 3);
  CHECK(m.scenario_at(0).costs.size() == 7);
  CHECK(m.spec() == base_spec());
}

TEST_CASE("a model that lists no resource pools gets one IT staff person", "[model][resource]") {
  auto s = base_spec();
  s.resources.clear();
  // the procedure and the reentry may then only use the default pool
  s.systems[1].recovery.reset();
  s.systems[1].reentry_by.clear();
  const model m(s);
  CHECK(default_staff_name == "IT staff");
  REQUIRE(m.resources().size() == 1);
  CHECK(m.resources()[0].name == "IT staff");
  CHECK(m.resources()[0].kind == resource_kind::people);
  CHECK(m.resources()[0].capacity == 1);
  CHECK(m.find_resource("IT staff") == index_t{0});
  CHECK_FALSE(m.find_resource("in-house IT").has_value());
  // the specification itself is left as written
  CHECK(m.spec().resources.empty());

  // steps and reentry can name the default pool ...
  s.systems[1].reentry_by = "IT staff";
  s.systems[1].reentry_staff = 1; // the default pool has one person
  s.systems[1].recovery = recovery_procedure<double>{};
  s.systems[1].recovery->emergency = {
      step("fix", step_kind::recovery_work, 4.0, {{"IT staff", 1}})};
  CHECK_NOTHROW(model(s));
  // ... but it has one person
  s.systems[1].recovery->emergency[0].needs[0].units = 2;
  check_names(thrown_by_spec<value_error>(s), "system", "app",
              "recovery.emergency[0] ('fix').needs[0].units", {"'IT staff'", "only 1"});
}

TEST_CASE("find_resource survives copies and moves", "[model][resource]") {
  for (bool listed : {true, false}) {
    INFO("pools listed: " << listed);
    auto s = base_spec();
    if (!listed) {
      s.resources.clear();
      s.systems[1].recovery.reset();
      s.systems[1].reentry_by.clear();
    }
    const std::string probe = listed ? "clerks" : "IT staff";
    const index_t expected = listed ? 3 : 0;
    std::optional<model> original(std::in_place, s);
    model copy = *original;
    model moved = std::move(*original);
    original.reset();
    model assigned(base_spec());
    assigned = copy;
    for (const model* m : {&copy, &moved, &assigned}) {
      CHECK(m->find_resource(probe) == expected);
      CHECK(m->resources()[expected].name == probe);
      CHECK_FALSE(m->find_resource("ghost").has_value());
    }
  }
}

TEST_CASE("resource pool errors", "[model][resource][errors]") {
  SECTION("an empty name is named by its position") {
    auto s = base_spec();
    s.resources[1].name.clear();
    check_names(thrown_by_spec<value_error>(s), "resource pool", "#2", "name", {"empty"});
  }
  SECTION("two pools with one name") {
    auto s = base_spec();
    s.resources[3].name = "in-house IT";
    check_names(thrown_by_spec<duplicate_error>(s), "resource pool", "in-house IT", "name");
  }
  SECTION("a negative capacity") {
    auto s = base_spec();
    s.resources[1].capacity = -1;
    check_names(thrown_by_spec<value_error>(s), "resource pool", "vendor engineer", "capacity",
                {"non-negative", "-1"});
  }
  SECTION("an unknown kind") {
    auto s = base_spec();
    s.resources[2].kind = static_cast<resource_kind>(7);
    check_names(thrown_by_spec<value_error>(s), "resource pool", "spare server", "kind",
                {"unknown"});
  }
  SECTION("capacity 0 is valid, but no step can need the pool") {
    auto s = base_spec();
    s.resources[1].capacity = 0; // the vendor cannot come
    proc(s).permanent[2].needs = {{"in-house IT", 1}};
    CHECK_NOTHROW(model(s));
    proc(s).permanent[2].needs = {{"in-house IT", 1}, {"vendor engineer", 1}};
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.permanent[2] ('restore').needs[1].units",
                {"'vendor engineer'", "only 0", "never run"});
  }
}

// ---------------------------------------------------------------------------
// Data reentry of a system

TEST_CASE("reentry_by and reentry_staff", "[model][errors]") {
  SECTION("an unknown pool is a reference_error") {
    auto s = base_spec();
    s.systems[1].reentry_by = "nurses";
    check_names(thrown_by_spec<reference_error>(s), "system", "app", "reentry_by",
                {"unknown resource pool 'nurses'"});
  }
  SECTION("the default pool does not exist once pools are listed") {
    auto s = base_spec();
    s.systems[1].reentry_by = "IT staff";
    check_names(thrown_by_spec<reference_error>(s), "system", "app", "reentry_by",
                {"'IT staff'"});
  }
  SECTION("empty: the system's users, no pool") {
    auto s = base_spec();
    s.systems[1].reentry_by.clear();
    CHECK_NOTHROW(model(s));
  }
  SECTION("reentry_staff 0 and negative") {
    for (int v : {0, -3}) {
      auto s = base_spec();
      s.systems[0].reentry_staff = v;
      check_names(thrown_by_spec<value_error>(s), "system", "server", "reentry_staff",
                  {"at least 1", "got " + std::to_string(v)});
    }
  }
}

// ---------------------------------------------------------------------------
// Recovery procedures

TEST_CASE("recovery procedure: phases and emergency capacity",
          "[model][recovery_procedure][errors]") {
  SECTION("no emergency steps") {
    auto s = base_spec();
    proc(s).emergency.clear();
    check_names(thrown_by_spec<value_error>(s), "system", "app", "recovery.emergency",
                {"no steps"});
  }
  SECTION("no permanent phase is valid: the emergency recovery is final") {
    auto s = base_spec();
    proc(s).permanent.clear();
    CHECK_NOTHROW(model(s));
  }
  SECTION("emergency_capacity outside (0, 1]") {
    for (double v : {0.0, -0.25, 1.5, std::nan(""), inf}) {
      INFO("emergency_capacity " << v);
      auto s = base_spec();
      proc(s).emergency_capacity = v;
      check_names(thrown_by_spec<value_error>(s), "system", "app", "recovery.emergency_capacity",
                  {"(0, 1]"});
    }
  }
  SECTION("emergency_capacity at the edges of (0, 1]") {
    for (double v : {1.0, 1e-6}) {
      auto s = base_spec();
      proc(s).emergency_capacity = v;
      CHECK_NOTHROW(model(s));
    }
  }
}

TEST_CASE("recovery steps: names and kinds", "[model][recovery_procedure][errors]") {
  SECTION("an empty step name") {
    auto s = base_spec();
    proc(s).emergency[1].name.clear();
    check_names(thrown_by_spec<value_error>(s), "system", "app", "recovery.emergency[1].name",
                {"empty"});
    s = base_spec();
    proc(s).permanent[0].name.clear();
    check_names(thrown_by_spec<value_error>(s), "system", "app", "recovery.permanent[0].name");
  }
  SECTION("two steps with one name in a phase") {
    auto s = base_spec();
    proc(s).emergency[2].name = "survey";
    check_names(thrown_by_spec<duplicate_error>(s), "system", "app",
                "recovery.emergency[2] ('survey').name", {"another step"});
  }
  SECTION("names are unique across both phases") {
    auto s = base_spec();
    proc(s).permanent[3].name = "rebuild";
    check_names(thrown_by_spec<duplicate_error>(s), "system", "app",
                "recovery.permanent[3] ('rebuild').name");
  }
  SECTION("the same step name in two systems is fine") {
    auto s = base_spec();
    s.systems[0].recovery = recovery_procedure<double>{};
    s.systems[0].recovery->emergency = {step("survey", step_kind::damage_survey, 1.0),
                                        step("rebuild", step_kind::recovery_work, 3.0)};
    CHECK_NOTHROW(model(s));
  }
  SECTION("an unknown step kind") {
    auto s = base_spec();
    proc(s).permanent[1].kind = static_cast<step_kind>(step_kind_count);
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.permanent[1] ('stop').kind", {"unknown step kind"});
  }
  SECTION("the errors name the system that has the procedure") {
    auto s = base_spec();
    s.systems[0].recovery = recovery_procedure<double>{};
    s.systems[0].recovery->emergency = {step("", step_kind::other, 1.0)};
    check_names(thrown_by_spec<value_error>(s), "system", "server", "recovery.emergency[0].name");
  }
}

TEST_CASE("recovery steps: durations", "[model][recovery_procedure][errors]") {
  SECTION("a negative fixed duration") {
    auto s = base_spec();
    proc(s).emergency[0].duration = -2.0;
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.emergency[0] ('survey').duration", {"non-negative", "-2"});
  }
  SECTION("a distribution that can take negative values") {
    auto s = base_spec();
    proc(s).permanent[2].duration = triangular<double>(-1, 2, 4);
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.permanent[2] ('restore').duration", {"triangular", "-1"});
    s = base_spec();
    // a normal distribution without a lower bound is unbounded below
    proc(s).permanent[2].duration = truncated_normal<double>(6, 1);
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.permanent[2] ('restore').duration", {"truncated normal"});
  }
  SECTION("the same distribution bounded at zero is valid") {
    auto s = base_spec();
    proc(s).permanent[2].duration = truncated_normal<double>(6, 1, 0);
    CHECK_NOTHROW(model(s));
    proc(s).permanent[2].duration = continuity::gamma<double>(2, 3);
    CHECK_NOTHROW(model(s));
    proc(s).permanent[2].duration = empirical<double>(std::vector<double>{3, 0, 5});
    CHECK_NOTHROW(model(s));
  }
  SECTION("a distribution with an infinite mean") {
    auto s = base_spec();
    // exp(709 + 2²/2) overflows a double
    const lognormal<double> huge(709, 2);
    REQUIRE(std::isinf(huge.mean()));
    proc(s).emergency[3].duration = huge;
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.emergency[3] ('back').duration", {"finite mean", "lognormal"});
  }
}

TEST_CASE("recovery steps: resource demands", "[model][recovery_procedure][errors]") {
  SECTION("an unknown pool is a reference_error") {
    auto s = base_spec();
    proc(s).emergency[2].needs[1].resource = "spare PC";
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.emergency[2] ('rebuild').needs[1]", {"unknown resource pool 'spare PC'"});
  }
  SECTION("units below 1") {
    for (int u : {0, -1}) {
      auto s = base_spec();
      proc(s).permanent[6].needs[0].units = u;
      check_names(thrown_by_spec<value_error>(s), "system", "app",
                  "recovery.permanent[6] ('re-enter').needs[0].units",
                  {"at least 1", "got " + std::to_string(u)});
    }
  }
  SECTION("more units than the pool has") {
    auto s = base_spec();
    proc(s).emergency[2].needs[0].units = 3; // in-house IT has 2
    check_names(thrown_by_spec<value_error>(s), "system", "app",
                "recovery.emergency[2] ('rebuild').needs[0].units",
                {"needs 3 of 'in-house IT'", "only 2"});
  }
  SECTION("all of a pool is fine") {
    auto s = base_spec();
    proc(s).permanent[6].needs[0].units = 3; // all the clerks
    proc(s).emergency[2].needs[0].units = 2;
    CHECK_NOTHROW(model(s));
  }
}

TEST_CASE("recovery steps: after-links", "[model][recovery_procedure][errors]") {
  SECTION("an unknown step") {
    auto s = base_spec();
    proc(s).emergency[1].after[0].step = "triage";
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.emergency[1] ('arrange').after[0]", {"'triage'", "earlier step"});
  }
  SECTION("a later step of the same phase") {
    auto s = base_spec();
    proc(s).emergency[1].after = {link("rebuild")};
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.emergency[1] ('arrange').after[0]", {"'rebuild'"});
  }
  SECTION("the step itself") {
    auto s = base_spec();
    proc(s).permanent[1].after.push_back(link("stop"));
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.permanent[1] ('stop').after[1]", {"'stop'"});
  }
  SECTION("an emergency step cannot wait for a permanent one") {
    auto s = base_spec();
    proc(s).emergency[3].after = {link("verify")};
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.emergency[3] ('back').after[0]", {"'verify'"});
  }
  SECTION("a permanent step may wait for an emergency one") {
    auto s = base_spec();
    proc(s).permanent[0].after = {link("rebuild", true, 2)};
    CHECK_NOTHROW(model(s));
  }
  SECTION("a step of another system's procedure") {
    auto s = base_spec();
    s.systems[0].recovery = recovery_procedure<double>{};
    s.systems[0].recovery->emergency = {step("replace", step_kind::replace_repair, 48.0)};
    proc(s).emergency[2].after = {link("replace")};
    check_names(thrown_by_spec<reference_error>(s), "system", "app",
                "recovery.emergency[2] ('rebuild').after[0]", {"'replace'"});
  }
  SECTION("a negative, infinite or NaN lag") {
    for (double lag : {-0.5, inf, std::nan("")}) {
      INFO("lag " << lag);
      auto s = base_spec();
      proc(s).emergency[1].after[0].lag = lag;
      check_names(thrown_by_spec<value_error>(s), "system", "app",
                  "recovery.emergency[1] ('arrange').after[0].lag", {"hours"});
    }
  }
}

// ---------------------------------------------------------------------------
// Scenario cost lines and affected records

TEST_CASE("records_affected must be a non-negative count", "[model][cost][errors]") {
  auto s = base_spec();
  s.scenarios[0].records_affected = -10.0;
  check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach", "records_affected",
              {"number of records", "-10"});
  s.scenarios[0].records_affected = uniform<double>(-5, 5);
  check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach", "records_affected",
              {"uniform"});
  s.scenarios[0].records_affected = negative_binomial<double>::from_mean_variance(1000, 5000);
  CHECK_NOTHROW(model(s));
}

TEST_CASE("cost line errors", "[model][cost][errors]") {
  SECTION("an empty name") {
    auto s = base_spec();
    s.scenarios[0].costs[2].name.clear();
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach", "costs[2].name",
                {"empty"});
  }
  SECTION("an unknown category or driver") {
    auto s = base_spec();
    s.scenarios[0].costs[0].category = static_cast<cost_category>(cost_category_count);
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                "costs[0] ('forensics').category", {"unknown cost category"});
    s = base_spec();
    s.scenarios[0].costs[6].driver = static_cast<cost_driver>(200);
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                "costs[6] ('fine').driver", {"unknown cost driver"});
  }
  SECTION("a negative amount, or one that can be negative") {
    auto s = base_spec();
    s.scenarios[0].costs[1].amount = -120.0;
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                "costs[1] ('notices').amount", {"non-negative amount", "-120"});
    s = base_spec();
    s.scenarios[0].costs[4].amount = triangular<double>(-100, 500, 5000);
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                "costs[4] ('damages').amount", {"triangular"});
    s = base_spec();
    s.scenarios[0].costs[0].amount = lognormal<double>(709, 2); // infinite mean
    check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                "costs[0] ('forensics').amount", {"finite mean"});
  }
  SECTION("an unknown function or system is a reference_error") {
    auto s = base_spec();
    s.scenarios[0].costs[2].function = "deliveries";
    check_names(thrown_by_spec<reference_error>(s), "incident scenario", "breach",
                "costs[2] ('lost orders').function", {"unknown business function 'deliveries'"});
    s = base_spec();
    s.scenarios[0].costs[3].system = "mainframe";
    check_names(thrown_by_spec<reference_error>(s), "incident scenario", "breach",
                "costs[3] ('re-entry').system", {"unknown system 'mainframe'"});
  }
  SECTION("only per_outage_hour and revenue_fraction lines name a function") {
    for (auto d : {cost_driver::fixed, cost_driver::per_record, cost_driver::per_lost_record}) {
      INFO("driver " << to_string(d));
      auto s = base_spec();
      s.scenarios[0].costs[2].driver = d;
      check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                  "costs[2] ('lost orders').function",
                  {"only per_outage_hour and revenue_fraction"});
    }
    auto s = base_spec();
    s.scenarios[0].costs[5].function = "orders"; // revenue_fraction of one function
    CHECK_NOTHROW(model(s));
  }
  SECTION("only per_lost_record lines name a system") {
    for (auto d : {cost_driver::fixed, cost_driver::per_record, cost_driver::per_outage_hour,
                   cost_driver::revenue_fraction}) {
      INFO("driver " << to_string(d));
      auto s = base_spec();
      s.scenarios[0].costs[3].driver = d;
      check_names(thrown_by_spec<value_error>(s), "incident scenario", "breach",
                  "costs[3] ('re-entry').system", {"only per_lost_record"});
    }
  }
  SECTION("lines with no function or system apply to every one") {
    auto s = base_spec();
    s.scenarios[0].costs[2].function.clear();
    s.scenarios[0].costs[3].system.clear();
    CHECK_NOTHROW(model(s));
  }
  SECTION("cost line names are unique within a scenario (correlations and results name them)") {
    auto s = base_spec();
    s.scenarios[0].costs[1].name = "forensics";
    check_names(thrown_by_spec<continuity::duplicate_error>(s), "incident scenario", "breach",
                "costs[1] ('forensics').name", {"another cost line"});
  }
}

TEST_CASE("the new checks work in single precision", "[model][recovery_procedure]") {
  basic_model_spec<float> s;
  s.name = "tiny";
  it_system<float> sys;
  sys.name = "pc";
  sys.layer = asset_layer::hardware;
  sys.recovery = recovery_procedure<float>{};
  recovery_step<float> fix;
  fix.name = "fix";
  fix.kind = step_kind::replace_repair;
  fix.duration = pert<float>(1, 2, 6);
  fix.needs = {{"IT staff", 1}};
  sys.recovery->emergency = {fix};
  s.systems = {sys};
  business_function<float> f;
  f.name = "f";
  f.needs = {requirement::all_of({"pc"})};
  s.functions = {f};
  const basic_model<float> m(s);
  CHECK(m.find_resource("IT staff") == index_t{0});
  CHECK(m.system_at(0).recovery->emergency[0].duration.mean() == Approx(2.5f));
  s.systems[0].recovery->emergency[0].needs[0].units = 2;
  CHECK_THROWS_AS(basic_model<float>(s), value_error);
  CHECK_THROWS_WITH(basic_model<float>(s),
                    Catch::Contains("system 'pc'") && Catch::Contains("needs[0].units"));
}
