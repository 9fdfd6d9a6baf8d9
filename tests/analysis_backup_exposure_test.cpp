// Tests of continuity/analysis/backup_exposure.hpp: which backups survive each
// kind of incident, the realised recovery point, and the 3-2-1 rule. The
// expectations follow docs/domain.md section 5 and the scenario notes in
// model/scenario.hpp, worked out by hand in the comments.
#include <continuity/analysis/backup_exposure.hpp>
#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

using continuity::backup_mode;
using continuity::incident_kind;
using continuity::index_t;
using continuity::no_index;
using backup_t = continuity::backup<double>;
// The system type, taken from the spec's container (independent of its name).
using sys_t = decltype(continuity::model_spec::systems)::value_type;

backup_t make_backup(double interval, unsigned generations, backup_mode mode, bool offsite,
                     std::string medium = "disk", double restore = 1) {
  backup_t b;
  b.interval = interval;
  b.generations = generations;
  b.mode = mode;
  b.offsite = offsite;
  b.medium = std::move(medium);
  b.restore_time = restore;
  return b;
}

sys_t data_system(std::vector<backup_t> backups) {
  sys_t s;
  s.name = "db";
  s.layer = continuity::asset_layer::software; // holds data by default
  s.backups = std::move(backups);
  return s;
}

constexpr incident_kind all_kinds[] = {
    incident_kind::earthquake,      incident_kind::fire,
    incident_kind::flood,           incident_kind::blackout,
    incident_kind::network_failure, incident_kind::ransomware,
    incident_kind::it_failure,      incident_kind::staff_shortage,
    incident_kind::data_breach,     incident_kind::other};

} // namespace

TEST_CASE("ransomware encrypts online backups; offline and immutable ones survive") {
  using continuity::backup_survives;
  for (bool offsite : {false, true}) {
    CHECK_FALSE(backup_survives(make_backup(24, 30, backup_mode::online, offsite),
                                incident_kind::ransomware, 0.0));
    CHECK(backup_survives(make_backup(24, 1, backup_mode::offline, offsite),
                          incident_kind::ransomware, 0.0));
    CHECK(backup_survives(make_backup(24, 1, backup_mode::immutable, offsite),
                          incident_kind::ransomware, 0.0));
  }
}

TEST_CASE("ransomware dwell time: a clean generation needs (generations - 1) x interval >= dwell") {
  using continuity::backup_survives;
  // Daily backups, 4 generations: in the worst case (a backup was just taken)
  // they are 0, 24, 48 and 72 h old. Generations younger than the dwell time
  // are infected: dwell 72 h leaves the 72 h one clean, 72.5 h leaves none.
  const auto b = make_backup(24, 4, backup_mode::offline, false);
  CHECK(backup_survives(b, incident_kind::ransomware, 0.0));
  CHECK(backup_survives(b, incident_kind::ransomware, 48.0));
  CHECK(backup_survives(b, incident_kind::ransomware, 72.0));
  CHECK_FALSE(backup_survives(b, incident_kind::ransomware, 72.5));
  CHECK_FALSE(backup_survives(b, incident_kind::ransomware, 24.0 * 30));
  // one generation is infected by any dwell time
  const auto one = make_backup(24, 1, backup_mode::immutable, true);
  CHECK(backup_survives(one, incident_kind::ransomware, 0.0));
  CHECK_FALSE(backup_survives(one, incident_kind::ransomware, 0.5));
  // dwell time does not matter for other kinds
  CHECK(backup_survives(one, incident_kind::it_failure, 1000.0));
}

TEST_CASE("physical incidents destroy on-site media, whatever the mode") {
  using continuity::backup_survives;
  for (auto kind : {incident_kind::earthquake, incident_kind::fire, incident_kind::flood}) {
    for (auto mode : {backup_mode::online, backup_mode::offline, backup_mode::immutable}) {
      CHECK_FALSE(backup_survives(make_backup(24, 7, mode, false), kind, 0.0));
      CHECK(backup_survives(make_backup(24, 7, mode, true), kind, 0.0));
    }
  }
}

TEST_CASE("non-physical, non-ransomware incidents leave every backup intact") {
  using continuity::backup_survives;
  for (auto kind : all_kinds) {
    if (kind == incident_kind::ransomware || continuity::is_physical(kind)) continue;
    for (auto mode : {backup_mode::online, backup_mode::offline, backup_mode::immutable})
      for (bool offsite : {false, true})
        CHECK(backup_survives(make_backup(12, 1, mode, offsite), kind, 100.0));
  }
}

TEST_CASE("worst-case age: one interval, plus the dwell time for ransomware") {
  using continuity::worst_case_backup_age;
  const auto b = make_backup(24, 7, backup_mode::offline, true);
  CHECK(worst_case_backup_age(b, incident_kind::fire, 0.0) == 24);
  CHECK(worst_case_backup_age(b, incident_kind::it_failure, 50.0) == 24);
  CHECK(worst_case_backup_age(b, incident_kind::ransomware, 0.0) == 24);
  CHECK(worst_case_backup_age(b, incident_kind::ransomware, 50.0) == 74);
}

TEST_CASE("realised RPO is the minimum worst-case age over surviving backups") {
  using continuity::realised_data_loss;
  // 0: hourly online NAS (on site); 1: daily offline tape off site, 7
  // generations; 2: weekly immutable cloud, off site, 4 generations.
  const auto s = data_system({make_backup(1, 48, backup_mode::online, false, "nas", 1),
                              make_backup(24, 7, backup_mode::offline, true, "tape", 6),
                              make_backup(168, 4, backup_mode::immutable, true, "cloud", 10)});

  SECTION("it_failure: every backup survives, the hourly one is newest") {
    const auto l = realised_data_loss(s, true, incident_kind::it_failure, 0.0);
    CHECK(l.data_destroyed);
    CHECK(l.rpo == 1);
    CHECK(l.backup == 0);
    CHECK(l.restore_time == 1);
  }
  SECTION("fire: the on-site NAS burns, the daily tape is newest") {
    const auto l = realised_data_loss(s, true, incident_kind::fire, 0.0);
    CHECK(l.rpo == 24);
    CHECK(l.backup == 1);
    CHECK(l.restore_time == 6);
  }
  SECTION("ransomware, dwell 2 days: online lost; tape 24 + 48 = 72 h; cloud 168 + 48") {
    const auto l = realised_data_loss(s, true, incident_kind::ransomware, 48.0);
    CHECK(l.rpo == 72);
    CHECK(l.backup == 1);
  }
  SECTION("ransomware, dwell 10 days: tape (6 x 24 = 144 h < 240 h) infected; cloud "
          "(3 x 168 = 504 h) clean at 168 + 240 h") {
    const auto l = realised_data_loss(s, true, incident_kind::ransomware, 240.0);
    CHECK(l.rpo == 408);
    CHECK(l.backup == 2);
    CHECK(l.restore_time == 10);
  }
  SECTION("ransomware, dwell 4 weeks: nothing clean is left") {
    const auto l = realised_data_loss(s, true, incident_kind::ransomware, 24.0 * 28);
    CHECK(l.data_destroyed);
    CHECK(std::isinf(l.rpo));
    CHECK(l.rpo > 0);
    CHECK(l.backup == no_index);
  }
  SECTION("blackout, network failure, staff shortage, breach, other: no data destroyed") {
    for (auto kind :
         {incident_kind::blackout, incident_kind::network_failure, incident_kind::staff_shortage,
          incident_kind::data_breach, incident_kind::other}) {
      const auto l = realised_data_loss(s, true, kind, 0.0);
      CHECK_FALSE(l.data_destroyed);
      CHECK(l.rpo == 0);
      CHECK(l.backup == no_index);
      CHECK(l.restore_time == 0);
    }
  }
  SECTION("a system that is not damaged directly keeps its data") {
    for (auto kind : all_kinds) {
      const auto l = realised_data_loss(s, false, kind, 0.0);
      CHECK_FALSE(l.data_destroyed);
      CHECK(l.rpo == 0);
    }
  }
}

TEST_CASE("no backup at all: a data-destroying incident loses everything") {
  const auto s = data_system({});
  for (auto kind : {incident_kind::fire, incident_kind::ransomware, incident_kind::it_failure}) {
    const auto l = continuity::realised_data_loss(s, true, kind, 0.0);
    CHECK(l.data_destroyed);
    CHECK(std::isinf(l.rpo));
    CHECK(l.backup == no_index);
  }
}

TEST_CASE("a system that holds no data loses none") {
  auto s = data_system({make_backup(24, 1, backup_mode::online, false)});
  s.holds_data = false;
  const auto l = continuity::realised_data_loss(s, true, incident_kind::ransomware, 0.0);
  CHECK_FALSE(l.data_destroyed);
  CHECK(l.rpo == 0);
  // hardware holds no data by default
  sys_t pc;
  pc.layer = continuity::asset_layer::hardware;
  CHECK_FALSE(continuity::realised_data_loss(pc, true, incident_kind::fire, 0.0).data_destroyed);
}

TEST_CASE("equal ages: the backup that restores faster is chosen") {
  const auto s = data_system({make_backup(24, 7, backup_mode::offline, true, "tape", 8),
                              make_backup(24, 7, backup_mode::offline, true, "usb", 3)});
  const auto l = continuity::realised_data_loss(s, true, incident_kind::it_failure, 0.0);
  CHECK(l.rpo == 24);
  CHECK(l.backup == 1);
  CHECK(l.restore_time == 3);
}

TEST_CASE("realised_data_loss of a scenario: only directly damaged systems lose data") {
  // app (software, daily online backup) depends on server (hardware);
  // ransomware damages app and server; report (software, weekly offline
  // backup) depends on app only, so it goes down but keeps its data.
  continuity::model_spec spec;
  sys_t server;
  server.name = "server";
  server.layer = continuity::asset_layer::hardware;
  sys_t app = data_system({make_backup(24, 7, backup_mode::online, false),
                           make_backup(168, 2, backup_mode::offline, true)});
  app.name = "app";
  app.depends_on = {continuity::requirement::all_of({"server"})};
  sys_t report = data_system({make_backup(168, 2, backup_mode::offline, false)});
  report.name = "report";
  report.depends_on = {continuity::requirement::all_of({"app"})};
  spec.systems = {server, app, report};
  continuity::business_function<double> f;
  f.name = "F";
  f.needs = {continuity::requirement::all_of({"report"})};
  spec.functions = {f};
  continuity::incident_scenario<double> sc;
  sc.name = "ransomware";
  sc.kind = incident_kind::ransomware;
  sc.dwell_time = 24;
  sc.damage = {{{}, {}, {"app", "server"}}};
  spec.scenarios = {sc};
  const continuity::model m(spec);
  const auto loss = continuity::realised_data_loss(m, 0);
  REQUIRE(loss.size() == 3);
  CHECK_FALSE(loss[0].data_destroyed); // server: no data
  CHECK(loss[1].data_destroyed);
  // online encrypted; weekly offline, 2 generations: 1 x 168 >= 24, age 168 + 24
  CHECK(loss[1].rpo == 192);
  CHECK(loss[1].backup == 1);
  CHECK_FALSE(loss[2].data_destroyed);
  CHECK(loss[2].rpo == 0);
}

TEST_CASE("hospital example: ransomware destroys the online-only backups") {
  const auto m = continuity::load_model(CONTINUITY_EXAMPLES_DIR "/hospital.json");
  const auto at = [&](const char* n) {
    auto i = m.find_system(n);
    REQUIRE(i);
    return *i;
  };
  const index_t ransomware = *m.find_scenario("ransomware through the VPN");
  const auto loss = continuity::realised_data_loss(m, ransomware);
  // EMR database, medical accounting, PACS and the laboratory system are
  // software in the hospital LAN (damaged directly) and keep only online NAS
  // backups: all encrypted.
  for (const char* s : {"EMR database", "medical accounting", "PACS", "laboratory system"}) {
    INFO(s);
    CHECK(loss[at(s)].data_destroyed);
    CHECK(std::isinf(loss[at(s)].rpo));
    CHECK(loss[at(s)].backup == no_index);
  }
  // the payroll package is in no segment: not damaged
  CHECK_FALSE(loss[at("payroll package")].data_destroyed);
  // damaged, but holds_data is false
  CHECK_FALSE(loss[at("electronic medical records")].data_destroyed);

  // The earthquake damages the building layer only; everything else goes
  // down through its dependencies and keeps its data.
  const auto quake = continuity::realised_data_loss(m, *m.find_scenario("earthquake"));
  for (index_t s = 0; s < m.system_count(); ++s) CHECK_FALSE(quake[s].data_destroyed);
}

TEST_CASE("Manufacturer A: ransomware leaves the daily offline USB disk (RPO 1 day)") {
  const auto m = continuity::load_model(CONTINUITY_EXAMPLES_DIR "/manufacturer_a.json");
  const auto loss = continuity::realised_data_loss(m, 0);
  const index_t pc = *m.find_system("production control");
  CHECK(loss[pc].data_destroyed);
  // The online NAS backup is encrypted; the USB disk rotated daily survives.
  CHECK(loss[pc].rpo == 24);
  CHECK(loss[pc].backup == 1);
  CHECK(loss[pc].restore_time == 3);
  // just meets the production function's RPO objective of one day
  CHECK(loss[pc].rpo == m.system_objectives().rpo[pc]);
  CHECK_FALSE(loss[*m.find_system("factory PC")].data_destroyed); // hardware
}

TEST_CASE("3-2-1: three copies, two media, one offline or immutable off site") {
  using continuity::check_3_2_1;
  const auto good = data_system({make_backup(1, 24, backup_mode::online, false, "nas"),
                                 make_backup(24, 7, backup_mode::online, false, "nas"),
                                 make_backup(168, 4, backup_mode::offline, true, "tape")});
  auto r = check_3_2_1(good);
  CHECK(r.copies == 3);
  CHECK(r.media == 2);
  CHECK(r.offline_offsite);
  CHECK(r.satisfied());

  SECTION("two copies are not enough") {
    auto s = good;
    s.backups.erase(s.backups.begin());
    CHECK(check_3_2_1(s).copies == 2);
    CHECK_FALSE(check_3_2_1(s).satisfied());
  }
  SECTION("one medium is not enough") {
    auto s = good;
    s.backups[2].medium = "nas";
    CHECK(check_3_2_1(s).media == 1);
    CHECK_FALSE(check_3_2_1(s).satisfied());
  }
  SECTION("off site but online does not count") {
    auto s = good;
    s.backups[2].mode = backup_mode::online;
    CHECK_FALSE(check_3_2_1(s).offline_offsite);
    CHECK_FALSE(check_3_2_1(s).satisfied());
  }
  SECTION("offline but on site does not count") {
    auto s = good;
    s.backups[2].offsite = false;
    CHECK_FALSE(check_3_2_1(s).offline_offsite);
    CHECK_FALSE(check_3_2_1(s).satisfied());
  }
  SECTION("immutable off site counts") {
    auto s = good;
    s.backups[2].mode = backup_mode::immutable;
    CHECK(check_3_2_1(s).offline_offsite);
    CHECK(check_3_2_1(s).satisfied());
  }
  SECTION("no backups") {
    const auto e = check_3_2_1(data_system({}));
    CHECK(e.copies == 0);
    CHECK(e.media == 0);
    CHECK_FALSE(e.offline_offsite);
    CHECK_FALSE(e.satisfied());
  }
}

namespace {

// The tabletop exercise of docs/domain.md §8: the gym's member data survive
// only as a copy on a notebook, taken `age` before the attack and switched
// off since, and on an online NAS.
continuity::model gym_model(const std::string& age, const std::string& dwell,
                            const std::string& rpo = "") {
  const std::string objective = rpo.empty() ? "" : R"("rpo": ")" + rpo + R"(", )";
  return continuity::model(continuity::read_model_spec(nlohmann::json::parse(R"({"name": "gym",
    "functions": [{"name": "members", "importance": 2, "system_dependency": 3, )" + objective + R"(
                   "needs": ["member database"]}],
    "systems": [{"name": "member database", "transactions_per_hour": 5, "backups": [
      {"interval": "1d", "generations": 7, "medium": "nas", "mode": "online"},
      {"age": ")" + age + R"(", "medium": "notebook", "mode": "offline", "restore_time": "4h"}]}],
    "scenarios": [{"name": "ransomware", "kind": "ransomware", "dwell_time": ")" + dwell + R"(",
                   "damage": [{"systems": ["member database"]}]}]})")));
}

} // namespace

TEST_CASE("a one-off copy of known age: clean if older than the dwell time, RPO its age") {
  using continuity::realised_data_loss;
  // A 3-day-old offline copy under a 2-day dwell time: the attacker came
  // after it was taken, so it is clean, and the data of the last 72 h are lost.
  const auto m = gym_model("3d", "2d");
  const auto loss = realised_data_loss(m, 0);
  REQUIRE(loss.size() == 1);
  CHECK(loss[0].data_destroyed);
  CHECK(loss[0].rpo == 72);
  CHECK(loss[0].backup == 1);
  CHECK(loss[0].restore_time == 4);
  CHECK(m.findings().empty());
  // A 4-day dwell time: the copy was taken with the attacker inside.
  const auto late = gym_model("3d", "4d");
  CHECK(std::isinf(realised_data_loss(late, 0)[0].rpo));
  REQUIRE(late.findings().size() == 1);
  const auto& f = late.findings()[0];
  CHECK(f.kind == "backups_infected");
  CHECK(f.object_kind == "incident scenario");
  CHECK(f.object == "ransomware");
  CHECK(f.field == "dwell_time");
  CHECK(f.message.find("'member database'") != std::string::npos);
  // The rules directly: age against dwell time, any mode but online; a
  // physical incident spares it only off site.
  backup_t copy;
  copy.age = 72;
  copy.mode = backup_mode::offline;
  CHECK(continuity::backup_survives(copy, incident_kind::ransomware, 72.0));
  CHECK_FALSE(continuity::backup_survives(copy, incident_kind::ransomware, 72.5));
  CHECK(continuity::worst_case_backup_age(copy, incident_kind::ransomware, 10.0) == 72);
  CHECK_FALSE(continuity::backup_survives(copy, incident_kind::fire, 0.0));
  copy.offsite = true;
  CHECK(continuity::backup_survives(copy, incident_kind::fire, 0.0));
  copy.mode = backup_mode::online;
  CHECK_FALSE(continuity::backup_survives(copy, incident_kind::ransomware, 0.0));
}

TEST_CASE("a one-off copy older than the RPO is a finding, not an error") {
  const auto m = gym_model("3d", "1d", "12h");
  REQUIRE(m.findings().size() == 1);
  CHECK(m.findings()[0].kind == "rpo_unmeetable");
  // The NAS's interval (24 h) is the best recovery point on offer.
  CHECK(m.findings()[0].message.find("24") != std::string::npos);
  const auto only_copy = continuity::model(continuity::read_model_spec(nlohmann::json::parse(R"({"name": "gym",
    "functions": [{"name": "members", "rpo": "12h", "needs": ["member database"]}],
    "systems": [{"name": "member database", "backups": [{"age": "3d", "mode": "offline"}]}]})")));
  REQUIRE(only_copy.findings().size() == 1);
  CHECK(only_copy.findings()[0].message.find("the newest copy, 72") != std::string::npos);
}

TEST_CASE("one-off copies: age excludes interval and generations; the file keeps it") {
  auto spec_of = [](const std::string& backup) {
    return nlohmann::json::parse(R"({"name": "g", "functions": [{"name": "f", "needs": ["db"]}],
      "systems": [{"name": "db", "backups": [)" + backup + "]}]}");
  };
  auto error = [&](const std::string& backup) -> std::string {
    try {
      (void)continuity::read_model_spec(spec_of(backup));
    } catch (const continuity::value_error& e) {
      return e.field();
    }
    return "no error";
  };
  CHECK(error(R"({"age": "3d", "interval": "1d"})") == "backups[0].interval");
  CHECK(error(R"({"age": "3d", "generations": 2})") == "backups[0].generations");
  CHECK(error(R"({"mode": "offline"})") == "backups[0].interval");
  CHECK_THROWS_AS(continuity::model(continuity::read_model_spec(spec_of(R"({"age": "-1h"})"))),
                  continuity::error);
  const auto spec = continuity::read_model_spec(spec_of(R"({"age": "3d", "mode": "offline"})"));
  REQUIRE(spec.systems[0].backups[0].age);
  CHECK(*spec.systems[0].backups[0].age == 72);
  const auto again = continuity::read_model_spec(continuity::to_json(spec));
  CHECK(again.systems[0].backups == spec.systems[0].backups);
  // Negative age given in code: rejected by the model, naming the field.
  auto bad = spec;
  bad.systems[0].backups[0].age = -1.0;
  try {
    (void)continuity::model(bad);
    FAIL("a negative age was accepted");
  } catch (const continuity::value_error& e) {
    CHECK(e.field() == "backups[0].age");
  }
}

TEST_CASE("war destroys on-site media like an earthquake; off-site copies survive") {
  const auto war = continuity::parse_incident_kind("war");
  REQUIRE(war);
  CHECK(continuity::to_string(*war) == "war");
  CHECK(continuity::is_physical(*war));
  CHECK(continuity::destroys_data(*war));
  continuity::backup<double> on_site;
  on_site.interval = 24;
  on_site.mode = continuity::backup_mode::offline;
  auto off_site = on_site;
  off_site.offsite = true;
  for (auto kind : {continuity::incident_kind::earthquake, *war}) {
    CHECK_FALSE(continuity::backup_survives(on_site, kind, 0.0));
    CHECK(continuity::backup_survives(off_site, kind, 0.0));
  }
}
