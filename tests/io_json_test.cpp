// Tests of continuity/io/json.hpp and continuity/io/duration.hpp: the example
// models (facts derived by hand from the JSON and docs/domain.md), round trips,
// files, duration strings, and every error path with its exception class and
// a what() that names the object and the field. Also the validation errors
// that continuity/model/model.hpp raises for specifications built in code.
// GCC 12 reports a false -Wrestrict (GCC bug 105329) for `"#" + std::to_string(..)`
// in continuity/io/json.hpp once it is inlined here at -O3.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <continuity/analysis/impact.hpp>
#include <continuity/error.hpp>
#include <continuity/io/duration.hpp>
#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"
#include "support/numbers.hpp"
#include "support/spec_builders.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

namespace {

using continuity::asset_layer;
using continuity::backup_mode;
using continuity::incident_kind;
using continuity::index_t;
using continuity::model;
using continuity::model_spec;
using continuity::priority_class;
using continuity::requirement;
using json = nlohmann::json;
// The system type, taken from the spec's container (independent of its name).
using sys_t = decltype(continuity::model_spec::systems)::value_type;
using fn_t = continuity::business_function<double>;

const std::string examples = CONTINUITY_EXAMPLES_DIR;

using continuity_test::check_names;
using continuity_test::inf;
using continuity_test::make_function;
using continuity_test::make_system;
using continuity_test::read_text;
using continuity_test::thrown;
using continuity_test::thrown_by_json;
using continuity_test::thrown_by_spec;

// A minimal valid model as JSON; tests break one thing at a time.
json minimal_json() {
  return json::parse(R"({
    "name": "M",
    "functions": [{"name": "f", "needs": ["a"]}],
    "systems": [{"name": "a", "layer": "hardware"}, {"name": "b", "layer": "hardware"}],
    "scenarios": [{"name": "s", "kind": "fire", "damage": [{"systems": ["a"]}]}]
  })");
}

// A minimal valid spec built in code.
model_spec minimal_spec() {
  model_spec s;
  s.name = "M";
  s.systems = {make_system("a"), make_system("b")};
  s.functions = {make_function("f", {requirement::all_of({"a"})})};
  return s;
}

std::set<std::string> down_systems(const model& m, index_t scenario) {
  const auto r = continuity::propagate_impact(m, scenario);
  std::set<std::string> out;
  for (index_t s = 0; s < m.system_count(); ++s)
    if (r.is_down(s)) out.insert(m.system_at(s).name);
  return out;
}

// A unique scratch file, removed at the end of the scope.
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(const std::string& stem) {
    path = std::filesystem::temp_directory_path() /
           (stem + "-" + std::to_string(std::random_device{}()) + ".json");
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

} // namespace

// ---------------------------------------------------------------------------
// Example models: facts derived by hand from the JSON and docs/domain.md section 3
// (three-level matrix; RTO tables example-2 = S 3 h, A 6 h, B 24 h, C 72 h,
// D none, and example-3 = S 17 h, A 24 h, B 3 d, C 7 d, D none).

TEST_CASE("Manufacturer A example") {
  const model m = continuity::load_model(examples + "/manufacturer_a.json");
  CHECK(m.name() == "Manufacturer A");
  CHECK(m.spec().currency == "JPY");
  CHECK(m.function_count() == 3);
  CHECK(m.system_count() == 15);
  CHECK(m.scenario_count() == 1);
  CHECK(m.spec().rto_by_class == continuity::rto_table::example_2());
  // production: importance 3, dependency 2 -> A -> 6 h; order processing:
  // 2, 2 -> B -> 24 h; accounting and payroll: 1, 1 -> D -> no RTO.
  CHECK(m.function_class(0) == priority_class::A);
  CHECK(m.function_class(1) == priority_class::B);
  CHECK(m.function_class(2) == priority_class::D);
  CHECK(m.function_rto(0) == 6);
  CHECK(m.function_rto(1) == 24);
  CHECK(std::isinf(m.function_rto(2)));
  CHECK(m.function_rpo(0) == 24);   // "1d"
  CHECK(m.function_mtpd(0) == 120); // "5d"
  CHECK(m.function_at(0).wrt == 4);
  CHECK(std::isinf(m.function_rpo(2)));
  // 4,000,000 yen per operating day x 10 % margin, 5 days a week: on
  // average 400,000 x 5 / 7 yen a day = 11,904.76 yen/h; 250 days a year:
  // 1.0 bn yen of revenue.
  CHECK(m.function_at(0).profit_per_hour() == Approx(400000.0 * 5 / 7 / 24));
  CHECK(m.function_at(0).annual_revenue() == Approx(1.0e9));
  REQUIRE(m.function_at(1).workaround);
  CHECK(m.function_at(1).workaround->capacity == 0.5);
  CHECK(m.function_at(1).workaround->setup_time == 4);
  CHECK(m.function_at(1).workaround->max_duration == 336);      // "2w"
  CHECK(std::isinf(m.function_at(0).workaround->max_duration)); // not given
  // needs: one all-of of the plain names, then the any-of
  const auto& needs = m.function_at(1).needs;
  REQUIRE(needs.size() == 2);
  CHECK(needs[0] == requirement::all_of({"sales management"}));
  CHECK(needs[1] == requirement::any_of({"office PCs", "notebook PC"}));
  // segments: office and factory
  CHECK(m.segment_count() == 2);
  // objectives roll down: power serves production (6 h) and order processing
  const auto& in = m.system_objectives();
  const index_t power = *m.find_system("power");
  CHECK(in.rto[power] == 6);
  CHECK(in.rto_function[power] == 0);
  CHECK(in.priority[power] == priority_class::A);
  CHECK(in.rto[*m.find_system("notebook PC")] == 24);
  CHECK_FALSE(in.is_needed(*m.find_system("part-time IT staff")));
  // the ransomware scenario damages the factory PC and production control
  std::vector<std::string> damaged;
  for (index_t s : m.damaged_systems(0)) damaged.push_back(m.system_at(s).name);
  CHECK(damaged == std::vector<std::string>{"factory PC", "production control"});
  const auto r = continuity::propagate_impact(m, 0);
  CHECK(r.systems_down == 2);
  CHECK(r.function_down == std::vector<std::uint8_t>{1, 0, 0});
  CHECK(m.system_at(r.function_cause[0]).name == "production control");
}

TEST_CASE("Retailer B example") {
  const model m = continuity::load_model(examples + "/retailer_b.json");
  CHECK(m.name() == "Retailer B");
  CHECK(m.spec().rto_by_class == continuity::rto_table::example_3());
  // online shop 3,3 -> S -> 17 h; member support 2,2 -> B -> 72 h; shipping 2,1 -> C -> 168 h
  CHECK(m.function_class(0) == priority_class::S);
  CHECK(m.function_class(1) == priority_class::B);
  CHECK(m.function_class(2) == priority_class::C);
  CHECK(m.function_rto(0) == 17);
  CHECK(m.function_rto(1) == 72);
  CHECK(m.function_rto(2) == 168);
  // 1,200,000 yen/day x 1/3 x 5/7 days / 24 h
  CHECK(m.function_at(0).profit_per_hour() == Approx(1200000.0 / 3 * 5 / 7 / 24));
  CHECK(m.function_at(1).workaround->max_duration == 720); // "1mo" = 30 d
  CHECK_FALSE(m.system_at(*m.find_system("payment service")).has_data());
  CHECK(m.system_at(*m.find_system("member database")).has_data());
  // the breach takes the shop site and the member database offline: the shop
  // and member support stop, shipping (office PC only) goes on
  CHECK(down_systems(m, 0) == std::set<std::string>{"shop site", "member database"});
  CHECK(continuity::propagate_impact(m, 0).function_down == std::vector<std::uint8_t>{1, 1, 0});
}

TEST_CASE("Hospital example") {
  const model m = continuity::load_model(examples + "/hospital.json");
  CHECK(m.spec().cycles == continuity::cycle_policy::group_strongly_connected);
  CHECK(m.system_count() == 23);
  CHECK(m.function_count() == 6);
  // emergency admission: emergency -> S, RTO given 3 h; outpatient 3,3 -> S
  // -> 3 h; inpatient 3,2 -> A -> 6 h; imaging 3,3 -> S; billing 2,3 -> A;
  // payroll 1,2 -> C -> 72 h.
  const std::vector<priority_class> classes(m.function_classes().begin(),
                                            m.function_classes().end());
  using P = priority_class;
  CHECK(classes == std::vector<P>{P::S, P::S, P::A, P::S, P::A, P::C});
  const std::vector<double> rtos(m.function_rtos().begin(), m.function_rtos().end());
  CHECK(rtos == std::vector<double>{3, 3, 6, 3, 6, 72});
  CHECK(m.function_mtpd(2) == 168); // "1w"
  // Two cycles, recovered together: cluster <-> manager, domain controller <-> DNS.
  const auto& g = m.graph();
  CHECK(g.has_cycle());
  CHECK(g.component_count() == 21);
  std::set<std::set<std::string>> groups;
  for (index_t c = 0; c < g.component_count(); ++c) {
    if (g.component_members(c).size() < 2) continue;
    std::set<std::string> names;
    for (index_t s : g.component_members(c)) names.insert(m.system_at(s).name);
    groups.insert(names);
  }
  CHECK(groups ==
        std::set<std::set<std::string>>{{"virtualisation cluster", "virtualisation manager"},
                                        {"domain controller", "DNS"}});
  // the impact curve: 100,000 yen/day from 3 d, 250,000 yen/day and a lump from 2 w
  const auto& curve = m.function_at(1).impact.at(0);
  CHECK(curve.category == "patients referred elsewhere");
  REQUIRE(curve.steps.size() == 2);
  CHECK(curve.steps[0].after == 72);
  CHECK(curve.steps[0].rate_per_hour == Approx(100000.0 / 24));
  CHECK(curve.steps[1].after == 336);
  CHECK(curve.steps[1].rate_per_hour == Approx(250000.0 / 24));
  CHECK(curve.steps[1].lump == 2000000);
  // ransomware: enters through the VPN device and, at point values (a 0.9
  // chance in the one flat segment), reaches every software system in the
  // hospital LAN plus client PCs and medical devices
  const index_t rw = *m.find_scenario("ransomware through the VPN");
  CHECK(m.scenario_at(rw).dwell_time == 72);
  CHECK(m.scenario_at(rw).detection_time == 2);
  const std::set<std::string> hit{"VPN device",
                                  "virtualisation cluster", "virtualisation manager",
                                  "domain controller",      "DNS",
                                  "EMR database",           "electronic medical records",
                                  "medical accounting",     "PACS",
                                  "laboratory system",      "client PCs",
                                  "medical devices"};
  std::set<std::string> damaged;
  for (index_t s : m.damaged_systems(rw)) damaged.insert(m.system_at(s).name);
  CHECK(damaged == hit);
  CHECK(down_systems(m, rw) == hit);
  CHECK(continuity::propagate_impact(m, rw).function_down ==
        std::vector<std::uint8_t>{1, 1, 1, 1, 1, 0});
  // earthquake: the building takes everything but the payroll package and the people
  const index_t eq = *m.find_scenario("earthquake");
  const auto quake = continuity::propagate_impact(m, eq);
  CHECK(quake.systems_down == 20);
  CHECK_FALSE(quake.is_down(*m.find_system("payroll package")));
  CHECK(quake.functions_down == 5);
  // EMR database RPO objective: 1 d, set by inpatient care (first by name of
  // the functions with 1 d, outpatient and inpatient care; emergency
  // admission has none)
  const index_t emr = *m.find_system("EMR database");
  CHECK(m.system_objectives().rpo[emr] == 24);
  CHECK(m.system_objectives().rpo_function[emr] == *m.find_function("inpatient care"));
}

// ---------------------------------------------------------------------------
// Round trips

namespace {

// A specification using every field the format has.
model_spec full_spec() {
  model_spec s;
  s.name = "Everything Ltd";
  s.currency = "EUR";
  // 2-level custom matrix: rows are dependency levels 1, 2; columns importance 1, 2
  s.priorities = continuity::priority_matrix(
      {{priority_class::D, priority_class::B}, {priority_class::C, priority_class::A}});
  s.rto_by_class = continuity::rto_table({0.5, 5, 30, 100, inf}); // D: none
  s.cycles = continuity::cycle_policy::group_strongly_connected;

  fn_t f0 =
      make_function("core", {requirement::all_of({"app"}), requirement::any_of({"pc1", "pc2"}),
                             requirement::k_of_n(2, {"h1", "h2", "h3"})});
  f0.importance = 2;
  f0.system_dependency = 2;
  f0.emergency = true;
  f0.rto = 2.5;
  f0.rpo = 12;
  f0.mtpd = 48;
  f0.wrt = 1.25;
  f0.revenue_per_day = 1.0e6;
  f0.margin = 0.25;
  f0.operating_days_per_week = 5;
  f0.impact = {{"penalties", {{0, 10, 0}, {24, 50.5, 1000}}}, {"reputation", {{72, 0, 3}}}};
  f0.workaround = continuity::manual_workaround<double>{0.5, 3, inf};
  fn_t f1 = make_function("side", {requirement::all_of({"dc"})});
  f1.importance = 1;
  f1.system_dependency = 2;
  f1.workaround = continuity::manual_workaround<double>{0.1, 0, 240};
  s.functions = {f0, f1};

  sys_t building = make_system("building");
  building.layer = asset_layer::building;
  sys_t power = make_system("power", {requirement::all_of({"building"})});
  power.layer = asset_layer::infrastructure;
  power.segment = "utility";
  sys_t h1 = make_system("h1", {requirement::all_of({"power"})});
  sys_t h2 = make_system("h2", {requirement::all_of({"power"})});
  sys_t h3 = make_system("h3", {requirement::all_of({"power"})});
  for (auto* h : {&h1, &h2, &h3}) h->segment = "lan";
  sys_t app = make_system("app", {requirement::k_of_n(2, {"h1", "h2", "h3"})});
  app.layer = asset_layer::software;
  app.segment = "lan";
  app.transactions_per_hour = 12.5;
  app.reentry_hours_per_transaction = 0.1;
  app.backups = {continuity::backup<double>{6, 28, "nas", backup_mode::online, false, 1.5},
                 continuity::backup<double>{24, 7, "tape", backup_mode::offline, true, 8},
                 continuity::backup<double>{168, 4, "cloud", backup_mode::immutable, true, 12}};
  sys_t pc1 = make_system("pc1");
  pc1.side = continuity::asset_side::client;
  pc1.holds_data = true;
  pc1.backups = {continuity::backup<double>{12, 1, "usb", backup_mode::offline, false, 0}};
  sys_t pc2 = make_system("pc2");
  pc2.side = continuity::asset_side::client;
  pc2.holds_data = false;
  sys_t dc = make_system("dc", {requirement::all_of({"dns", "h1"})});
  dc.layer = asset_layer::software;
  dc.holds_data = false;
  sys_t dns = make_system("dns", {requirement::all_of({"dc"})});
  dns.layer = asset_layer::software;
  dns.holds_data = false;
  sys_t staff = make_system("staff");
  staff.layer = asset_layer::people;
  s.systems = {building, power, h1, h2, h3, app, pc1, pc2, dc, dns, staff};

  const incident_kind kinds[] = {incident_kind::earthquake,      incident_kind::fire,
                                 incident_kind::flood,           incident_kind::blackout,
                                 incident_kind::network_failure, incident_kind::ransomware,
                                 incident_kind::it_failure,      incident_kind::staff_shortage,
                                 incident_kind::data_breach,     incident_kind::other};
  double freq = 0.01;
  for (auto k : kinds) {
    continuity::incident_scenario<double> sc;
    sc.name = std::string(to_string(k)) + " scenario";
    sc.kind = k;
    sc.annual_frequency = freq;
    freq *= 1.5;
    sc.damage = {{{asset_layer::software, asset_layer::hardware}, {"lan"}, {}},
                 {{}, {}, {"building", "staff"}},
                 {{asset_layer::infrastructure}, {}, {}}};
    sc.dwell_time = k == incident_kind::ransomware ? 36 : 0;
    sc.staff_availability = k == incident_kind::staff_shortage ? 0.6 : 1;
    sc.detection_time = 0.75;
    s.scenarios.push_back(sc);
  }
  return s;
}

} // namespace

TEST_CASE("read_model_spec(to_json(spec)) == spec for every example") {
  for (const char* file : {"manufacturer_a.json", "retailer_b.json", "hospital.json"}) {
    INFO(file);
    std::ifstream in(examples + "/" + file);
    REQUIRE(in);
    const auto spec = continuity::read_model_spec(continuity::parse_json(in));
    const json j = continuity::to_json(spec);
    CHECK(continuity::read_model_spec(j) == spec);
    // through text too
    CHECK(continuity::read_model_spec(json::parse(j.dump(2))) == spec);
    // the presets are written by name
    CHECK(j.at("priority_matrix") == "three-level");
    CHECK(j.at("rto_table").is_string());
  }
}

TEST_CASE("read_model_spec(to_json(spec)) == spec for a spec using every field") {
  const model_spec spec = full_spec();
  REQUIRE_NOTHROW(model(spec)); // it is a valid model
  CHECK(spec.priorities.preset_name().empty());
  CHECK(spec.rto_by_class.preset_name().empty());
  const json j = continuity::to_json(spec);
  const auto back = continuity::read_model_spec(j);
  CHECK(back == spec);
  CHECK(continuity::read_model_spec(json::parse(j.dump())) == spec);
  // spot checks of the written form: "no objective" and "indefinitely" are null
  CHECK(j.at("rto_table").at("D").is_null());
  CHECK(j.at("functions").at(0).at("manual_workaround").at("max_duration").is_null());
  CHECK(j.at("cycle_policy") == "group");
  CHECK(std::isinf(back.rto_by_class.rto(priority_class::D)));
  CHECK(std::isinf(back.functions[0].workaround->max_duration));
  CHECK(back.functions[0].needs[2] == requirement::k_of_n(2, {"h1", "h2", "h3"}));
}

TEST_CASE("save_model and load_model through a file") {
  temp_file file("continuity-io-json-test");
  const model_spec spec = full_spec();
  continuity::save_model(spec, file.path);
  const model m = continuity::load_model(file.path);
  CHECK(m.spec() == spec);

  const model a = continuity::load_model(examples + "/hospital.json");
  continuity::save_model(a.spec(), file.path);
  CHECK(continuity::load_model(file.path).spec() == a.spec());

  // a directory that does not exist cannot be written
  const auto e = thrown<continuity::io_error>([&] {
    continuity::save_model(spec, std::filesystem::path("/nonexistent-dir-xyz/model.json"));
  });
  REQUIRE(e);
  CHECK(std::string(e->what()).find("/nonexistent-dir-xyz/model.json") != std::string::npos);

  // A full disk: the text of a small model stays in the stream's buffer until
  // the file is closed, and a failure there is an error too (/dev/full
  // accepts the opening and fails every write; Linux).
  if (std::filesystem::exists("/dev/full")) {
    const auto small = continuity::read_model_spec<double>(minimal_json());
    REQUIRE(to_json(small).dump(2).size() < 4096);
    const auto full = thrown<continuity::io_error>([&] {
      continuity::save_model(small, std::filesystem::path("/dev/full"));
    });
    REQUIRE(full);
    CHECK(std::string(full->what()).find("/dev/full") != std::string::npos);
  }
}

TEST_CASE("JSON forms that read the same as the presets and the defaults") {
  // a custom RTO table written out equal to example-1, with D left out (none)
  json j = minimal_json();
  j["rto_table"] = {{"S", "immediate"}, {"A", "12h"}, {"B", "1d"}, {"C", "3d"}};
  j["priority_matrix"] = json::parse(R"([["D","C","B"],["C","B","A"],["B","A","S"]])");
  const model m = read_text(j.dump());
  CHECK(m.spec().rto_by_class == continuity::rto_table::example_1());
  CHECK(m.spec().priorities == continuity::priority_matrix::three_level());
  // a null entry is none as well
  j["rto_table"] = {{"S", 1}, {"A", 2}, {"B", 3}, {"C", 4}, {"D", nullptr}};
  CHECK(std::isinf(read_text(j.dump()).spec().rto_by_class.rto(priority_class::D)));
  // a custom 2-level matrix: dependency 2, importance 2 -> S; dependency 1, importance 2 -> C
  j["priority_matrix"] = json::parse(R"([["D","C"],["B","S"]])");
  const model two = read_text(j.dump());
  CHECK(two.spec().priorities.levels() == 2);
  CHECK(two.spec().priorities.classify(2, 2) == priority_class::S);
  CHECK(two.spec().priorities.classify(2, 1) == priority_class::C);
  // five-level preset accepts level 5
  j = minimal_json();
  j["priority_matrix"] = "five-level";
  j["functions"][0]["importance"] = 5;
  j["functions"][0]["system_dependency"] = 5;
  CHECK(read_text(j.dump()).function_class(0) == priority_class::S);
  // profit_per_day is revenue with margin 1; rate_per_day is rate_per_hour x 24
  j = minimal_json();
  j["functions"][0]["profit_per_day"] = 2400;
  j["functions"][0]["impact"] =
      json::parse(R"([{"category": "c", "steps": [{"after": "1d", "rate_per_day": 48}]}])");
  const model p = read_text(j.dump());
  CHECK(p.function_at(0).revenue_per_day == 2400);
  CHECK(p.function_at(0).margin == 1);
  CHECK(p.function_at(0).impact[0].steps[0].rate_per_hour == 2);
  CHECK(p.function_at(0).impact[0].steps[0].after == 24);
  // "data" is the software layer
  j = minimal_json();
  j["systems"][1]["layer"] = "data";
  CHECK(read_text(j.dump()).system_at(1).layer == asset_layer::software);
}

// ---------------------------------------------------------------------------
// Durations

TEST_CASE("duration strings") {
  using continuity::parse_duration_hours;
  CHECK(parse_duration_hours("90min") == 1.5);
  CHECK(parse_duration_hours("4h") == 4);
  CHECK(parse_duration_hours("3d") == 72);
  CHECK(parse_duration_hours("2w") == 336);
  CHECK(parse_duration_hours("6mo") == 4320); // 6 x 30 d
  CHECK(parse_duration_hours("1y") == 8760);  // 365 d
  CHECK(parse_duration_hours("immediate") == 0);
  CHECK(parse_duration_hours("0") == 0);
  CHECK(parse_duration_hours("12") == 12);
  CHECK(parse_duration_hours("2.5") == 2.5);
  CHECK(parse_duration_hours(" 3 d ") == 72);
  CHECK(parse_duration_hours("2 days") == 48);
  CHECK(parse_duration_hours("-2h") == -2); // returned, for the caller to reject
  CHECK_FALSE(parse_duration_hours("3 fortnights"));
  CHECK_FALSE(parse_duration_hours("abc"));
  CHECK_FALSE(parse_duration_hours(""));
  CHECK_FALSE(parse_duration_hours("h"));
  CHECK_FALSE(parse_duration_hours("3hh"));
  CHECK_FALSE(parse_duration_hours("inf"));
  CHECK_FALSE(parse_duration_hours("1e400")); // not finite
}

TEST_CASE("durations in a model file: numbers are hours, strings have units") {
  json j = minimal_json();
  j["functions"][0]["rto"] = "90min";
  j["functions"][0]["wrt"] = 0.5;
  j["functions"][0]["mtpd"] = "1y";
  const model m = read_text(j.dump());
  CHECK(m.function_rto(0) == 1.5);
  CHECK(m.function_at(0).wrt == 0.5);
  CHECK(m.function_mtpd(0) == 8760);

  j["functions"][0]["rto"] = "3 fortnights";
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "rto",
              {"3 fortnights"});
  j["functions"][0]["rto"] = true;
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "rto");
  // negative: parsed, then rejected by the model's validation
  j["functions"][0]["rto"] = "-3h";
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "rto");
  j = minimal_json();
  j["systems"][0]["backups"] = json::parse(R"([{"interval": -24}])");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "backups[0].interval");
}

// ---------------------------------------------------------------------------
// Error paths of reading

TEST_CASE("malformed JSON: parse_error with source and line") {
  const std::string text = "{\n"
                           "  \"name\": \"M\",\n"
                           "  \"functions\": [\n"
                           "    {\"name\": \"f\" \"needs\": [\"a\"]}\n" // line 4: missing comma
                           "  ]\n"
                           "}\n";
  const auto e = thrown<continuity::parse_error>([&] { (void)read_text(text, "model.json"); });
  REQUIRE(e);
  CHECK(e->line() == 4);
  CHECK(e->source() == "model.json");
  CHECK(std::string(e->what()).rfind("model.json:4:", 0) == 0);

  const auto first = thrown<continuity::parse_error>([&] { (void)read_text("not json"); });
  REQUIRE(first);
  CHECK(first->line() == 1);
  CHECK(first->source() == "<input>");

  // the same from a file names the file
  temp_file file("continuity-io-json-bad");
  {
    std::ofstream out(file.path);
    out << text;
  }
  const auto f = thrown<continuity::parse_error>([&] { (void)continuity::load_model(file.path); });
  REQUIRE(f);
  CHECK(f->line() == 4);
  CHECK(std::string(f->what()).find(file.path.string() + ":4") != std::string::npos);
}

TEST_CASE("missing file: io_error naming the path") {
  const std::string path = "/nonexistent-dir-xyz/no-such-model.json";
  const auto e = thrown<continuity::io_error>([&] { (void)continuity::load_model(path); });
  REQUIRE(e);
  CHECK(std::string(e->what()).find(path) != std::string::npos);
}

TEST_CASE("unknown fields name the object and the field") {
  json j = minimal_json();
  j["colour"] = "red";
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "colour",
              {"unknown field"});
  j = minimal_json();
  j["systems"][1]["colour"] = 1;
  check_names(thrown_by_json<continuity::value_error>(j), "system", "b", "colour",
              {"unknown field"});
  j = minimal_json();
  j["functions"][0]["colour"] = 1;
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "colour");
  j = minimal_json();
  j["systems"][0]["backups"] = json::parse(R"([{"interval": 24, "colour": 1}])");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "backups[0].colour");
  j = minimal_json();
  j["scenarios"][0]["damage"][0]["colour"] = 1;
  check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "s",
              "damage[0].colour");
  j = minimal_json();
  j["functions"][0]["manual_workaround"] = {{"capacity", 0.5}, {"colour", 1}};
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f",
              "manual_workaround.colour");
}

TEST_CASE("wrong types name the object and the field") {
  json j = minimal_json();
  j["functions"][0]["revenue_per_day"] = "lots";
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f",
              "revenue_per_day", {"number"});
  j = minimal_json();
  j["functions"][0]["importance"] = "high";
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "importance",
              {"integer"});
  j = minimal_json();
  j["functions"][0]["emergency"] = "yes";
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "emergency");
  j = minimal_json();
  j["systems"][0]["depends_on"] = "b";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "depends_on", {"array"});
  j = minimal_json();
  j["systems"][0]["name"] = 7;
  check_names(thrown_by_json<continuity::value_error>(j), "system", "#1", "name");
  j = minimal_json();
  j["functions"][0].erase("name");
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "#1", "name",
              {"required"});
  // the model must be a JSON object
  const auto e = thrown<continuity::value_error>([] { (void)read_text("[1, 2]"); });
  REQUIRE(e);
  CHECK(e->object_kind() == "model");
}

TEST_CASE("unknown enumerators and presets") {
  json j = minimal_json();
  j["systems"][0]["layer"] = "basement";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "layer", {"basement"});
  j = minimal_json();
  j["systems"][0]["side"] = "middle";
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "side", {"middle"});
  j = minimal_json();
  j["systems"][0]["backups"] = json::parse(R"([{"interval": 24, "mode": "cloudy"}])");
  check_names(thrown_by_json<continuity::value_error>(j), "system", "a", "backups[0].mode",
              {"cloudy"});
  j = minimal_json();
  j["scenarios"][0]["kind"] = "meteor";
  check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "s", "kind",
              {"meteor"});
  j = minimal_json();
  j["scenarios"][0]["damage"][0]["layers"] = {"basement"};
  check_names(thrown_by_json<continuity::value_error>(j), "incident scenario", "s",
              "damage[0].layers", {"basement"});
  j = minimal_json();
  j["cycle_policy"] = "ignore";
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "cycle_policy", {"ignore"});
  j = minimal_json();
  j["priority_matrix"] = "four-level";
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "priority_matrix",
              {"four-level"});
  j = minimal_json();
  j["priority_matrix"] = json::parse(R"([["D","C"],["B","X"]])");
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "priority_matrix");
  j = minimal_json();
  j["rto_table"] = "example-9";
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "rto_table", {"example-9"});
  j = minimal_json();
  j["format"] = "continuity-model/2";
  check_names(thrown_by_json<continuity::value_error>(j), "model", "M", "format");
}

TEST_CASE("requirement forms: k_of without systems, k_of 0, unknown form") {
  json j = minimal_json();
  j["functions"][0]["needs"] = json::parse(R"([{"k_of": 2}])");
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "needs[0]",
              {"no systems"});
  j["functions"][0]["needs"] = json::parse(R"([{"k_of": 0, "systems": ["a", "b"]}])");
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f",
              "needs[0].k_of");
  j["functions"][0]["needs"] = json::parse(R"([{"k_of": 3, "systems": ["a", "b"]}])");
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "needs[0]");
  j["functions"][0]["needs"] = json::parse(R"([{"systems": ["a"]}])");
  check_names(thrown_by_json<continuity::value_error>(j), "business function", "f", "needs[0]");
  j["functions"][0]["needs"] = json::parse(R"([{"k_of": 2, "systems": ["a", "b"]}])");
  CHECK(read_text(j.dump()).function_at(0).needs[0] == requirement::k_of_n(2, {"a", "b"}));
}

TEST_CASE("duplicate names and unknown references") {
  json j = minimal_json();
  j["systems"][1]["name"] = "a";
  check_names(thrown_by_json<continuity::duplicate_error>(j), "system", "a", "name");
  j = minimal_json();
  j["functions"].push_back({{"name", "f"}});
  check_names(thrown_by_json<continuity::duplicate_error>(j), "business function", "f", "name");
  j = minimal_json();
  j["systems"][0]["depends_on"] = {"b", "ghost"};
  check_names(thrown_by_json<continuity::reference_error>(j), "system", "a", "depends_on[0]",
              {"ghost"});
  j = minimal_json();
  j["functions"][0]["needs"] = json::parse(R"(["a", {"any_of": ["b", "ghost"]}])");
  check_names(thrown_by_json<continuity::reference_error>(j), "business function", "f", "needs[1]",
              {"ghost"});
  j = minimal_json();
  j["scenarios"][0]["damage"][0]["systems"] = {"ghost"};
  check_names(thrown_by_json<continuity::reference_error>(j), "incident scenario", "s",
              "damage[0].systems", {"ghost"});
  j = minimal_json();
  j["scenarios"][0]["damage"][0] = {{"segments", {"dmz"}}};
  check_names(thrown_by_json<continuity::reference_error>(j), "incident scenario", "s",
              "damage[0].segments", {"dmz"});
}

TEST_CASE("a failed load leaves nothing behind") {
  json bad = minimal_json();
  bad["systems"][0]["depends_on"] = {"ghost"};
  std::optional<model> m;
  try {
    m.emplace(read_text(bad.dump()));
  } catch (const continuity::error&) {
  }
  CHECK_FALSE(m.has_value());
  // a failed replacement keeps the model that was there
  m.emplace(read_text(minimal_json().dump()));
  REQUIRE(m);
  try {
    m = read_text(bad.dump());
  } catch (const continuity::error&) {
  }
  REQUIRE(m);
  CHECK(m->system_count() == 2);
  CHECK(m->spec().systems[0].depends_on.empty());
}

// ---------------------------------------------------------------------------
// Validation errors of specifications built in code

TEST_CASE("value_error from the model for out-of-domain values") {
  SECTION("backup interval negative, zero, infinite") {
    for (double v : {-1.0, 0.0, inf}) {
      auto s = minimal_spec();
      s.systems[0].backups = {continuity::backup<double>{}};
      s.systems[0].backups[0].interval = v;
      check_names(thrown_by_spec<continuity::value_error>(s), "system", "a", "backups[0].interval");
    }
  }
  SECTION("generations 0") {
    auto s = minimal_spec();
    s.systems[1].backups = {continuity::backup<double>{}};
    s.systems[1].backups[0].generations = 0;
    check_names(thrown_by_spec<continuity::value_error>(s), "system", "b",
                "backups[0].generations");
  }
  SECTION("margin 1.5 and NaN") {
    for (double v : {1.5, -0.1, std::nan("")}) {
      auto s = minimal_spec();
      s.functions[0].margin = v;
      check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "margin");
    }
  }
  SECTION("importance and dependency outside the matrix levels") {
    for (int v : {0, 4}) {
      auto s = minimal_spec();
      s.functions[0].importance = v;
      check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f",
                  "importance");
      s = minimal_spec();
      s.functions[0].system_dependency = v;
      check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f",
                  "system_dependency");
    }
  }
  SECTION("operating_days_per_week 0 and 8") {
    for (double v : {0.0, 8.0}) {
      auto s = minimal_spec();
      s.functions[0].operating_days_per_week = v;
      check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f",
                  "operating_days_per_week");
    }
  }
  SECTION("impact steps out of order") {
    auto s = minimal_spec();
    s.functions[0].impact = {{"c", {{10, 1, 0}, {5, 1, 0}}}};
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f",
                "impact[0].steps[1].after");
  }
  SECTION("negative or infinite objectives, infinite WRT") {
    auto s = minimal_spec();
    s.functions[0].rto = -1.0;
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "rto");
    s = minimal_spec();
    s.functions[0].rto = inf;
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "rto");
    s = minimal_spec();
    s.functions[0].wrt = inf;
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "wrt");
    s = minimal_spec();
    s.scenarios.assign(1, {});
    s.scenarios[0].name = "sc";
    s.scenarios[0].dwell_time = -5;
    check_names(thrown_by_spec<continuity::value_error>(s), "incident scenario", "sc",
                "dwell_time");
  }
  SECTION("empty requirement, needed > n, needed 0") {
    auto s = minimal_spec();
    s.functions[0].needs = {requirement{}};
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "needs[0]");
    s.functions[0].needs = {requirement::all_of({"a"}), requirement{{"a", "b"}, 3}};
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "needs[1]");
    s.functions[0].needs = {requirement{{"a", "b"}, 0}};
    check_names(thrown_by_spec<continuity::value_error>(s), "business function", "f", "needs[0]");
  }
  SECTION("self-dependency") {
    auto s = minimal_spec();
    s.systems[1].depends_on = {requirement::any_of({"a", "b"})};
    check_names(thrown_by_spec<continuity::value_error>(s), "system", "b", "depends_on[0]",
                {"itself"});
  }
  SECTION("empty model: no business functions") {
    auto s = minimal_spec();
    s.functions.clear();
    check_names(thrown_by_spec<continuity::value_error>(s), "model", "M", "functions");
  }
  SECTION("a damage selector that selects nothing") {
    auto s = minimal_spec();
    s.scenarios.assign(1, {});
    s.scenarios[0].name = "sc";
    s.scenarios[0].damage = {{{}, {}, {"a"}}, {}};
    check_names(thrown_by_spec<continuity::value_error>(s), "incident scenario", "sc", "damage[1]");
  }
  SECTION("empty names") {
    auto s = minimal_spec();
    s.systems[1].name = "";
    const auto e = thrown_by_spec<continuity::value_error>(s);
    REQUIRE(e);
    CHECK(e->field() == "name");
  }
}

TEST_CASE("a system listed twice in one requirement") {
  // The library reports this as a duplicate_error (a validation_error).
  auto s = minimal_spec();
  s.functions[0].needs = {requirement::all_of({"a", "b", "a"})};
  check_names(thrown_by_spec<continuity::duplicate_error>(s), "business function", "f", "needs[0]",
              {"'a'"});
}

TEST_CASE("an unknown segment in a damage selector is a reference_error") {
  auto s = minimal_spec();
  s.systems[0].segment = "lan";
  s.scenarios.assign(1, {});
  s.scenarios[0].name = "sc";
  s.scenarios[0].damage = {{{}, {"wan"}, {}}};
  check_names(thrown_by_spec<continuity::reference_error>(s), "incident scenario", "sc",
              "damage[0].segments", {"wan"});
  s.scenarios[0].damage = {{{}, {"lan"}, {}}};
  const model m(s);
  REQUIRE(m.damaged_systems(0).size() == 1);
  CHECK(m.damaged_systems(0)[0] == 0);
}

TEST_CASE("cycle_error names the systems on the cycle in dependency order") {
  // tail -> A -> B -> C -> A (each needs the next); D stands apart
  auto s = minimal_spec();
  s.systems = {make_system("tail", {requirement::all_of({"A"})}),
               make_system("A", {requirement::all_of({"B"})}),
               make_system("B", {requirement::any_of({"C", "D"})}),
               make_system("C", {requirement::all_of({"A"})}),
               make_system("D"),
               make_system("a")};
  const auto e = thrown_by_spec<continuity::cycle_error>(s);
  REQUIRE(e);
  const auto& c = e->systems();
  REQUIRE(c.size() == 3);
  // a rotation of A, B, C
  const std::vector<std::string> order{"A", "B", "C"};
  const auto start =
      static_cast<std::size_t>(std::find(order.begin(), order.end(), c[0]) - order.begin());
  REQUIRE(start < 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(c[i] == order[(start + i) % 3]);
  CHECK(e->object_kind() == "system");
  CHECK(e->object_name() == c[0]);
  CHECK(e->field() == "depends_on");
  const std::string what = e->what();
  for (const char* n : {"'A'", "'B'", "'C'"}) CHECK(what.find(n) != std::string::npos);
  CHECK(what.find("'tail'") == std::string::npos);
  CHECK(what.find("'D'") == std::string::npos);
  // grouping accepts it
  s.cycles = continuity::cycle_policy::group_strongly_connected;
  CHECK_NOTHROW(model(s));
}

TEST_CASE("objective_error: RTO + WRT longer than the MTPD") {
  auto s = minimal_spec();
  s.functions[0].rto = 10;
  s.functions[0].wrt = 5;
  s.functions[0].mtpd = 12;
  check_names(thrown_by_spec<continuity::objective_error>(s), "business function", "f", "mtpd");
  s.functions[0].mtpd = 15; // 10 + 5 = 15: allowed
  CHECK_NOTHROW(model(s));
  // RTO from the class: importance 1, dependency 1 -> D -> none in example-1
  s.functions[0].rto.reset();
  s.functions[0].wrt = 0;
  s.functions[0].mtpd = 100;
  check_names(thrown_by_spec<continuity::objective_error>(s), "business function", "f", "mtpd",
              {"class D"});
}

TEST_CASE("an RPO no backup can meet is a finding naming the function that set it") {
  // app holds data (software) with daily and weekly backups; "billing" asks
  // for an RPO of 12 h, "sales" for 4 h: 4 h is the tightest and cannot be
  // met. The model loads (a shortfall is what a BIA reports, not an error).
  auto s = minimal_spec();
  sys_t app = make_system("app");
  app.layer = asset_layer::software;
  app.backups = {continuity::backup<double>{}, continuity::backup<double>{}};
  app.backups[0].interval = 24;
  app.backups[1].interval = 168;
  s.systems.push_back(app);
  s.functions = {make_function("billing", {requirement::all_of({"app"})}),
                 make_function("sales", {requirement::all_of({"a", "app"})})};
  s.functions[0].rpo = 12;
  s.functions[1].rpo = 4;
  {
    const model m(s);
    REQUIRE(m.findings().size() == 1);
    const auto& f = m.findings()[0];
    CHECK(f.kind == "rpo_unmeetable");
    CHECK(f.object_kind == "system");
    CHECK(f.object == "app");
    CHECK(f.field == "backups");
    CHECK(f.message.find("'sales'") != std::string::npos);
    CHECK(f.message.find("24 h") != std::string::npos);
    CHECK(f.message.find("'billing'") == std::string::npos);
  }

  // an RPO equal to the shortest interval can be met
  s.functions[1].rpo = 24;
  s.functions[0].rpo = 30;
  CHECK(model(s).findings().empty());

  // a data-holding system without any backup under a finite RPO
  s.systems.back().backups.clear();
  {
    const model m(s);
    REQUIRE(m.findings().size() == 1);
    CHECK(m.findings()[0].object == "app");
    CHECK(m.findings()[0].message.find("no backup") != std::string::npos);
  }
  // without data there is nothing to back up
  s.systems.back().holds_data = false;
  CHECK(model(s).findings().empty());
}

TEST_CASE("every error is a continuity::error and a std::runtime_error") {
  auto s = minimal_spec();
  s.functions.clear();
  CHECK_THROWS_AS(model(s), continuity::validation_error);
  CHECK_THROWS_AS(model(s), continuity::error);
  CHECK_THROWS_AS(model(s), std::runtime_error);
  CHECK_THROWS_AS(continuity::load_model("/nonexistent-dir-xyz/m.json"), continuity::error);
  CHECK_THROWS_AS(read_text("{"), continuity::io_error);
}
