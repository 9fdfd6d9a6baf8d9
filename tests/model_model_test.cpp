// Tests for continuity/model/model.hpp: compiling a specification built in
// code — derived objectives, scenario damage selection, name lookup after
// copies and moves, and the model in single precision.
#include <continuity/analysis.hpp>
#include <continuity/model.hpp>

#include <catch2/catch.hpp>

#include "support/errors.hpp"

#include <limits>
#include <optional>

using namespace continuity;

namespace {

template <class Real = double>
it_system<Real> clinic_system(const std::string& name, asset_layer layer,
                              const std::string& segment, std::vector<std::string> deps = {}) {
  it_system<Real> s;
  s.name = name;
  s.layer = layer;
  s.segment = segment;
  if (!deps.empty()) s.depends_on.push_back(requirement::all_of(std::move(deps)));
  return s;
}

template <class Real = double>
basic_model_spec<Real> clinic_spec() {
  basic_model_spec<Real> spec;
  spec.name = "clinic";
  spec.rto_by_class = basic_rto_table<Real>::example_2(); // S 3 h, A 6 h, B 24 h, C 72 h, D none
  spec.systems = {clinic_system<Real>("building", asset_layer::building, ""),
                  clinic_system<Real>("switch", asset_layer::infrastructure, "lan", {"building"}),
                  clinic_system<Real>("server", asset_layer::hardware, "lan", {"switch"}),
                  clinic_system<Real>("records", asset_layer::software, "lan", {"server"}),
                  clinic_system<Real>("website", asset_layer::software, "dmz", {"building"})};
  spec.systems[3].backups.push_back({24, 7, "nas", backup_mode::online, false, 4});
  spec.systems[4].holds_data = false;
  business_function<Real> care;
  care.name = "care";
  care.importance = 3;
  care.system_dependency = 3; // S
  care.rpo = Real(24);
  care.needs = {requirement::all_of({"records"})};
  business_function<Real> web;
  web.name = "web";
  web.importance = 1;
  web.system_dependency = 2; // C
  web.rto = Real(10);        // explicit RTO overrides the class's 72 h
  web.needs = {requirement::all_of({"website"})};
  business_function<Real> hotline;
  hotline.name = "disaster hotline";
  hotline.importance = 1;
  hotline.system_dependency = 1; // D, but emergency work is always S
  hotline.emergency = true;
  spec.functions = {care, web, hotline};
  incident_scenario<Real> ransom;
  ransom.name = "ransomware";
  ransom.kind = incident_kind::ransomware;
  ransom.damage = {damage_selector{{asset_layer::software}, {"lan"}, {}},
                   damage_selector{{}, {}, {"website"}}};
  spec.scenarios = {ransom};
  return spec;
}

} // namespace

TEST_CASE("objectives come from the class, an explicit RTO, or the emergency flag", "[model]") {
  const model m(clinic_spec());
  REQUIRE(m.function_count() == 3);
  CHECK(m.function_class(0) == priority_class::S);
  CHECK(m.function_rto(0) == 3); // class S of example-2
  CHECK(m.function_rpo(0) == 24);
  CHECK(m.function_class(1) == priority_class::C);
  CHECK(m.function_rto(1) == 10);
  CHECK(m.function_rpo(1) == std::numeric_limits<double>::infinity());
  CHECK(m.function_class(2) == priority_class::S);
  CHECK(m.function_rto(2) == 3);
  CHECK(m.function_mtpd(2) == std::numeric_limits<double>::infinity());
}

TEST_CASE("scenario damage is the union of its selectors", "[model]") {
  const model m(clinic_spec());
  // Software in segment "lan" (records) plus the website by name; the
  // server is hardware in "lan" and is not selected.
  const auto hit = m.damaged_systems(0);
  REQUIRE(hit.size() == 2);
  CHECK(m.system_at(hit[0]).name == "records");
  CHECK(m.system_at(hit[1]).name == "website");
  CHECK(m.segment_count() == 2);
  CHECK(m.segment_name(m.segment_of(*m.find_system("server"))) == "lan");
  CHECK(m.segment_of(*m.find_system("building")) == no_index);
}

TEST_CASE("lookups by name that throw name what is missing", "[model]") {
  const model m(clinic_spec());
  CHECK(m.system_named("records") == *m.find_system("records"));
  CHECK(m.function_named("web") == *m.find_function("web"));
  CHECK(m.scenario_named("ransomware") == *m.find_scenario("ransomware"));
  const auto e = continuity_test::thrown<reference_error>([&] { (void)m.scenario_named("flood"); });
  REQUIRE(e);
  CHECK(e->object_kind() == "model");
  CHECK(e->field() == "scenarios");
  CHECK(std::string(e->what()) == "model: scenarios: unknown incident scenario 'flood'");
  const auto s = continuity_test::thrown<reference_error>([&] { (void)m.system_named("SAN"); });
  REQUIRE(s);
  CHECK(std::string(s->what()) == "model: systems: unknown system 'SAN'");
  const auto f = continuity_test::thrown<reference_error>([&] { (void)m.function_named(""); });
  REQUIRE(f);
  CHECK(f->field() == "functions");
}

TEST_CASE("name lookup survives copies and moves", "[model]") {
  std::optional<model> original(std::in_place, clinic_spec());
  model copy = *original;
  model moved = std::move(*original);
  original.reset();
  for (const model* m : {&copy, &moved}) {
    REQUIRE(m->find_system("records").has_value());
    CHECK(m->system_at(*m->find_system("records")).name == "records");
    CHECK(m->find_function("web").value() == 1);
    CHECK(m->find_scenario("ransomware").value() == 0);
    CHECK_FALSE(m->find_system("mainframe").has_value());
  }
  model assigned(clinic_spec());
  assigned = copy;
  CHECK(assigned.find_system("website").value() == 4);
}

TEST_CASE("the model works in single precision", "[model]") {
  const basic_model<float> m(clinic_spec<float>());
  CHECK(m.function_rto(0) == 3.0f);
  const auto hit = propagate_impact(m, 0);
  CHECK(hit.systems_down == 2);
  CHECK(hit.functions_down == 2); // care (records) and web (website)
  const auto loss = realised_data_loss(m, 0);
  // Ransomware encrypts the only, online backup of the records.
  CHECK(loss[*m.find_system("records")].rpo == std::numeric_limits<float>::infinity());
}

TEST_CASE("a model needs at least one business function", "[model][errors]") {
  auto spec = clinic_spec();
  spec.functions.clear();
  CHECK_THROWS_AS(model(spec), value_error);
  CHECK_THROWS_WITH(model(spec), Catch::Contains("model 'clinic'") && Catch::Contains("functions"));
}

TEST_CASE("the RPO objective rolls down to the data it needs", "[model][errors]") {
  auto spec = clinic_spec();
  // The records' only backup is daily: a 4-hour RPO can never be met. The
  // model loads; the shortfall is a finding.
  spec.functions[0].rpo = 4.0;
  {
    const model m(spec);
    REQUIRE(m.findings().size() == 1);
    CHECK(m.findings()[0].message.find("system 'records'") != std::string::npos);
    CHECK(m.findings()[0].field == "backups");
    CHECK(m.findings()[0].message.find("'care'") != std::string::npos);
  }
  // Hourly backups meet it.
  spec.systems[3].backups.push_back({1, 24, "disk", backup_mode::online, false, 1});
  CHECK(model(spec).findings().empty());
}
