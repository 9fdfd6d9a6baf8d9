// Tests of the default recovery procedure's rebuild (recovery/default_procedure.hpp)
// with backups of the system itself (backup_content::system: a disk image,
// software and settings): it replaces the layer's hours and the rebuild from
// scratch when it survives, and holds no data (no RPO, no 3-2-1).
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace default_procedure_test {

using json = nlohmann::json;

// A records server (software, data) and a PC (hardware), both hit; the
// server's data have a nightly offline backup restored in 6 h.
json office(const std::vector<json>& server_backups, const std::vector<json>& pc_backups,
            const char* kind) {
  json j = json::parse(R"({
    "name": "office", "functions": [{"name": "billing", "needs": ["server", "pc"]}],
    "systems": [{"name": "server", "transactions_per_hour": 1}, {"name": "pc", "layer": "hardware"}],
    "scenarios": [{"name": "attack", "damage": [{"systems": ["server", "pc"]}]}]})");
  j["systems"][0]["backups"] = json(server_backups);
  j["systems"][1]["backups"] = json(pc_backups);
  j["scenarios"][0]["kind"] = kind;
  return j;
}

const json nightly = json::parse(R"({"interval": 24, "generations": 7, "mode": "offline", "restore_time": 6})");

json image(const char* mode, double restore, bool offsite = false) {
  return {{"interval", 168}, {"generations", 2}, {"mode", mode}, {"offsite", offsite},
          {"restore_time", restore}, {"content", "system"}};
}

// Hours of the default procedure's "recovery work" step of system s.
double rebuild_hours(const json& j, continuity::index_t s) {
  const continuity::model m(continuity::read_model_spec(j));
  const auto plan = continuity::plan_recovery(m, "attack");
  const auto& steps = plan.project.procedure(s).emergency;
  for (const auto& st : steps)
    if (st.kind == continuity::step_kind::recovery_work) return st.duration.mean();
  FAIL("no recovery work step");
  return 0;
}

} // namespace default_procedure_test

using namespace default_procedure_test;

TEST_CASE("a surviving system backup replaces the layer's rebuild hours") {
  // Without system backups: software 4 h + the data's 6 h; hardware 4 h.
  CHECK(rebuild_hours(office({nightly}, {}, "ransomware"), 0) == 10);
  CHECK(rebuild_hours(office({nightly}, {}, "ransomware"), 1) == 4);
  // An offline system backup of the server (3 h) and an image of the PC (1.5 h).
  const auto both = office({nightly, image("offline", 3)}, {image("offline", 1.5)}, "ransomware");
  CHECK(rebuild_hours(both, 0) == 3 + 6);
  CHECK(rebuild_hours(both, 1) == 1.5);
  // An online image is encrypted with the PC: the layer's hours again.
  CHECK(rebuild_hours(office({nightly}, {image("online", 1.5)}, "ransomware"), 1) == 4);
  // An earthquake destroys on-site media: only the off-site image helps.
  CHECK(rebuild_hours(office({nightly}, {image("offline", 1.5)}, "earthquake"), 1) == 4);
  CHECK(rebuild_hours(office({nightly}, {image("offline", 1.5, true)}, "earthquake"), 1) == 1.5);
  // Of two surviving images, the quicker.
  CHECK(rebuild_hours(office({nightly}, {image("offline", 2.5), image("immutable", 0.5)}, "ransomware"), 1) == 0.5);
}

TEST_CASE("a system backup holds no data: the data are lost, the rebuild is quick") {
  // Only a system backup of the server: its data are unrecoverable (RPO
  // infinite), but the system comes back from it in 3 h, not 40 h from scratch.
  const auto j = office({image("offline", 3)}, {}, "ransomware");
  CHECK(rebuild_hours(j, 0) == 3);
  const continuity::model m(continuity::read_model_spec(j));
  const auto loss = continuity::realised_data_loss(m, 0);
  CHECK(std::isinf(loss[0].rpo));
  CHECK(loss[0].backup == continuity::no_index);
  CHECK(loss[0].system_backup == 0);
  // With the nightly data backup beside it, the RPO is the data backup's.
  const continuity::model both(continuity::read_model_spec(office({image("offline", 3), nightly}, {}, "ransomware")));
  const auto loss2 = continuity::realised_data_loss(both, 0);
  CHECK(loss2[0].rpo == 24);
  CHECK(loss2[0].backup == 1);
  // Incidents that leave the contents (a blackout): no rebuild from it.
  CHECK(rebuild_hours(office({nightly}, {image("offline", 1.5)}, "blackout"), 1) == 4);
}

TEST_CASE("system backups do not count for the 3-2-1 rule or RPO findings; JSON") {
  auto sys = continuity::read_model_spec(office({nightly, image("offline", 3, true), image("immutable", 3)},
                                                {}, "ransomware"))
                 .systems[0];
  const auto r = continuity::check_3_2_1(sys);
  CHECK(r.copies == 1);
  CHECK(r.media == 1);
  CHECK_FALSE(r.offline_offsite); // the only off-site copy is a system backup
  // An RPO objective with only a system backup: the finding says no backup meets it.
  auto j = office({image("offline", 3)}, {}, "ransomware");
  j["functions"][0]["rpo"] = 24;
  const continuity::model m(continuity::read_model_spec(j));
  REQUIRE(m.findings().size() == 1);
  CHECK(m.findings()[0].message.find("no backup can meet") != std::string::npos);
  // JSON: written only when not data; an unknown content names its field.
  const auto spec = continuity::read_model_spec(j);
  const auto text = continuity::to_json(spec);
  CHECK(text["systems"][0]["backups"][0]["content"] == "system");
  CHECK(continuity::read_model_spec(text) == spec);
  auto bad = office({image("offline", 3)}, {}, "ransomware");
  bad["systems"][0]["backups"][0]["content"] = "settings";
  CHECK_THROWS_WITH(continuity::read_model_spec(bad), Catch::Contains("backups[0].content"));
}
