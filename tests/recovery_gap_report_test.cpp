// Tests of continuity/recovery/gap_report.hpp: every function whose data
// objective is breached gets its own gap, not only the function that set the
// inherited objective.
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("every function with an RPO gets its own RPO gap") {
  // Two functions need the same database, both with an RPO of 12 h; the
  // daily offline backup survives ransomware: 24 h of data are lost. Both
  // functions are in breach (formerly only the one that set the objective).
  // A third function needs it through an application, with an RPO of 48 h:
  // met, no gap; a fourth has no RPO.
  const continuity::model m(continuity::read_model_spec(nlohmann::json::parse(R"({
    "name": "rpo", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [
      {"name": "sales", "rpo": 12, "needs": ["db"]},
      {"name": "billing", "rpo": 12, "needs": ["db"]},
      {"name": "reporting", "rpo": 48, "needs": ["app"]},
      {"name": "archive", "needs": ["app"]}],
    "systems": [
      {"name": "db", "backups": [{"interval": "1d", "generations": 3, "mode": "offline"}]},
      {"name": "app", "depends_on": ["db"]}],
    "scenarios": [{"name": "ransomware", "kind": "ransomware", "damage": [{"systems": ["db"]}]}]})")));
  const auto plan = continuity::plan_recovery(m, "ransomware");
  const auto report = continuity::find_gaps(m, plan);
  int rpo_gaps = 0;
  for (const auto& g : report.gaps) {
    if (g.kind != continuity::gap_kind::rpo) continue;
    ++rpo_gaps;
    const auto& name = m.function_at(g.function).name;
    CHECK((name == "sales" || name == "billing"));
    CHECK(g.system == *m.find_system("db"));
    CHECK(g.objective == 12.0);
    CHECK(g.achieved == 24.0);
  }
  CHECK(rpo_gaps == 2);
  for (const auto& row : report.functions) CHECK(row.realised_rpo == 24.0);
}
