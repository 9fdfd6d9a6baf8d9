// Tests of continuity/recovery: the recovery project of an incident, the
// staff-constrained plan, capacity over time and the gap report. Expected
// values are worked out by hand in the comments; small projects are checked
// against brute force over every activity list; every plan is checked for
// feasibility (precedence, release times, capacities).
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

using continuity::index_t;
using continuity::no_activity;
using model_t = continuity::model;

using continuity_test::parse;

// Feasibility of a plan: the schedule checker finds nothing, and no step of
// a system that waits for its dependencies starts before they are back.
void require_feasible(const continuity::recovery_plan<>& plan) {
  const auto& p = plan.project.project();
  const auto v = continuity::check_schedule(p, plan.schedule, 1e-9);
  INFO((v.empty() ? std::string() : v.front().message));
  REQUIRE(v.empty());
  for (std::size_t a = 0; a < p.activity_count(); ++a) {
    const auto& act = plan.project.activity(a);
    if (act.kind != continuity::recovery_activity_kind::step ||
        !continuity::waits_for_dependencies(act.step))
      continue;
    for (index_t d : plan.project.waits_for(act.system))
      REQUIRE(plan.schedule.start(a) >= plan.schedule.finish(plan.project.back_degraded(d)) - 1e-9);
  }
}

// One step of `hours` needing `units` of "IT".
std::string one_step(const std::string& hours, int units = 1, const std::string& kind = "recovery_work") {
  return R"({"emergency": [{"name": "work", "kind": ")" + kind + R"(", "duration": )" + hours +
         R"(, "needs": [{"resource": "IT", "units": )" + std::to_string(units) + "}]}]}";
}

std::string model_text(const std::string& resources, const std::string& functions,
                       const std::string& systems, const std::string& damaged,
                       const std::string& scenario_extra = "") {
  return R"({"name": "t", "rto_table": {"S": "4h", "A": "12h", "B": "1d", "C": "3d", "D": null},
             "resources": )" + resources + R"(, "functions": )" + functions +
         R"(, "systems": )" + systems + R"(, "scenarios": [{"name": "incident", "kind": "ransomware", "damage": [{"systems": )" +
         damaged + "}]" + scenario_extra + "}]}";
}

// Minimum makespan over every precedence-feasible activity list (the serial
// SGS reaches an optimal schedule from some list).
double brute_force_makespan(const continuity::project& p) {
  const std::size_t n = p.activity_count();
  std::vector<std::size_t> perm(n);
  for (std::size_t i = 0; i < n; ++i) perm[i] = i;
  double best = std::numeric_limits<double>::infinity();
  do {
    std::vector<char> done(n, 0);
    bool ok = true;
    for (std::size_t a : perm) {
      for (const auto& q : p.predecessors(a)) ok &= done[q.activity] != 0;
      if (!ok) break;
      done[a] = 1;
    }
    if (ok) best = std::min(best, continuity::serial_sgs(p, perm).makespan());
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

} // namespace

TEST_CASE("two systems, one IT person: recovered one after the other") {
  // X 4 h, Y 6 h, each needing the only IT person: makespan 10; with two, 6.
  for (int staff : {1, 2}) {
    const auto m = parse(model_text(
        R"([{"name": "IT", "capacity": )" + std::to_string(staff) + "}]",
        R"([{"name": "f", "needs": ["X", "Y"]}])",
        R"([{"name": "X", "recovery": )" + one_step("4") + R"(},
            {"name": "Y", "recovery": )" + one_step("6") + "}]",
        R"(["X", "Y"])"));
    const auto plan = continuity::plan_recovery(m, index_t{0});
    require_feasible(plan);
    CHECK(plan.makespan == Approx(staff == 1 ? 10.0 : 6.0));
    // The function runs once both are back.
    CHECK(plan.outcome.functions[0].back_degraded == Approx(plan.makespan));
    CHECK(plan.outcome.functions[0].lost_output_hours == Approx(plan.makespan));
  }
}

TEST_CASE("hand-computed optimum: a two-unit step cannot overlap the long one") {
  // IT capacity 2. J1 1 unit 6 h, J2 1 unit 3 h, J3 2 units 3 h. J3 overlaps
  // nothing, J1 lasts 6 h: the optimum is 6 + 3 = 9 (J1 ∥ J2, then J3).
  const auto m = parse(model_text(R"([{"name": "IT", "capacity": 2}])",
                                  R"([{"name": "f", "needs": ["J1", "J2", "J3"]}])",
                                  R"([{"name": "J1", "recovery": )" + one_step("6") + R"(},
                                      {"name": "J2", "recovery": )" + one_step("3") + R"(},
                                      {"name": "J3", "recovery": )" + one_step("3", 2) + "}]",
                                  R"(["J1", "J2", "J3"])"));
  continuity::plan_options o;
  o.improve = true;
  o.objective = continuity::plan_objective::makespan;
  const auto plan = continuity::plan_recovery(m, index_t{0}, o);
  require_feasible(plan);
  CHECK(plan.makespan == Approx(9.0));
  CHECK(brute_force_makespan(plan.project.project()) == Approx(9.0));
}

TEST_CASE("the improving search reaches the brute-force optimum on small plans") {
  // Three systems with two-step procedures sharing two pools; the search
  // must find the best makespan over all activity lists.
  const std::string proc_a = R"({"emergency": [
      {"name": "survey", "kind": "damage_survey", "duration": 2, "needs": ["IT"]},
      {"name": "work", "kind": "recovery_work", "duration": 5, "needs": ["vendor"]}]})";
  const std::string proc_b = R"({"emergency": [
      {"name": "survey", "kind": "damage_survey", "duration": 4, "needs": ["vendor"]},
      {"name": "work", "kind": "recovery_work", "duration": 3, "needs": ["IT"]}]})";
  const std::string proc_c = R"({"emergency": [
      {"name": "survey", "kind": "damage_survey", "duration": 1, "needs": ["IT", "vendor"]},
      {"name": "work", "kind": "recovery_work", "duration": 4, "needs": ["IT"]}]})";
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 1}, {"name": "vendor", "capacity": 1}])",
      R"([{"name": "f", "needs": ["A", "B", "C"]}])",
      R"([{"name": "A", "recovery": )" + proc_a + R"(}, {"name": "B", "recovery": )" + proc_b +
          R"(}, {"name": "C", "recovery": )" + proc_c + "}]",
      R"(["A", "B", "C"])"));
  continuity::plan_options o;
  o.improve = true;
  o.objective = continuity::plan_objective::makespan;
  const auto plan = continuity::plan_recovery(m, index_t{0}, o);
  require_feasible(plan);
  const double best = brute_force_makespan(plan.project.project());
  CHECK(plan.makespan == Approx(best));
  // No schedule beats the pools' work: IT 2 + 3 + 1 + 4 = 10 h.
  CHECK(best >= 10.0 - 1e-9);
}

TEST_CASE("with staff to spare every step starts as early as its predecessors allow") {
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 20}])",
      R"([{"name": "f", "importance": 3, "system_dependency": 3, "needs": ["app"]},
          {"name": "g", "needs": ["other"]}])",
      R"([{"name": "db"}, {"name": "app", "depends_on": ["db"]}, {"name": "other"}])",
      R"(["db", "app", "other"])", R"(, "detection_time": "2h")"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const auto& p = plan.project.project();
  for (std::size_t a = 0; a < p.activity_count(); ++a)
    CHECK(plan.schedule.start(a) == Approx(plan.unconstrained.start(a)));
  // Nothing starts before detection.
  for (std::size_t a = 0; a < p.activity_count(); ++a)
    if (plan.project.activity(a).kind == continuity::recovery_activity_kind::step)
      CHECK(plan.schedule.start(a) >= 2.0);
}

TEST_CASE("priority: class S before class C, unless the user fixes the order") {
  // One IT person, two systems of 5 h: the one a class-S function needs goes first.
  const std::string text = model_text(
      R"([{"name": "IT", "capacity": 1}])",
      R"([{"name": "low", "importance": 1, "system_dependency": 1, "needs": ["L"]},
          {"name": "high", "importance": 3, "system_dependency": 3, "needs": ["H"]}])",
      R"([{"name": "L", "recovery": )" + one_step("5") + R"(}, {"name": "H", "recovery": )" +
          one_step("5") + "}]",
      R"(["L", "H"])");
  const auto m = parse(text);
  const index_t L = *m.find_system("L"), H = *m.find_system("H");
  auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  CHECK(plan.outcome.systems[H].back_degraded == Approx(5.0));
  CHECK(plan.outcome.systems[L].back_degraded == Approx(10.0));
  REQUIRE(plan.recovery_order.size() == 2);
  CHECK(plan.recovery_order[0] == H);
  continuity::plan_options o;
  o.order = {"L"};
  plan = continuity::plan_recovery(m, index_t{0}, o);
  require_feasible(plan);
  CHECK(plan.outcome.systems[L].back_degraded == Approx(5.0));
  CHECK(plan.outcome.systems[H].back_degraded == Approx(10.0));
  CHECK(plan.recovery_order[0] == L);
  o.order = {"no such system"};
  CHECK_THROWS_AS(continuity::plan_recovery(m, index_t{0}, o), continuity::reference_error);
}

TEST_CASE("nothing is restored before what it needs is up; any-of waits for one candidate") {
  // app depends on db (all-of) and on any of (p, q). db 6 h, p 2 h, q 9 h,
  // staff enough for all: app's recovery work waits for db (6 h) and p (2 h),
  // not q.
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 5}])", R"([{"name": "f", "needs": ["app"]}])",
      R"([{"name": "db", "recovery": )" + one_step("6") + R"(},
          {"name": "p", "recovery": )" + one_step("2") + R"(},
          {"name": "q", "recovery": )" + one_step("9") + R"(},
          {"name": "app", "depends_on": ["db", {"any_of": ["p", "q"]}], "recovery": )" +
          one_step("1") + "}]",
      R"(["db", "p", "q", "app"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const index_t app = *m.find_system("app");
  const auto waits = plan.project.waits_for(app);
  REQUIRE(waits.size() == 2);
  CHECK(waits[0] == *m.find_system("db"));
  CHECK(waits[1] == *m.find_system("p"));
  CHECK(plan.outcome.systems[app].back_degraded == Approx(7.0));
  CHECK(plan.outcome.functions[0].back_degraded == Approx(7.0));
  CHECK(plan.outcome.functions[0].limited_by == app);
}

TEST_CASE("a system down only through its dependencies comes back with them") {
  const auto m = parse(model_text(R"([{"name": "IT", "capacity": 1}])",
                                  R"([{"name": "f", "needs": ["web"]}])",
                                  R"([{"name": "db", "recovery": )" + one_step("3") + R"(},
                                      {"name": "web", "depends_on": ["db"]}])",
                                  R"(["db"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const index_t web = *m.find_system("web"), db = *m.find_system("db");
  CHECK_FALSE(plan.project.is_damaged(web));
  CHECK(plan.project.is_down(web));
  CHECK(plan.outcome.systems[web].back_degraded == Approx(3.0));
  CHECK(plan.outcome.systems[web].limited_by == db);
  CHECK(plan.outcome.functions[0].limited_by == db);
}

TEST_CASE("two phases: degraded capacity, a planned stop for the switch-back, then full") {
  // Emergency 5 h at 50 %; permanent: replacement 100 h (no staff), planned
  // stop 2 h, switch-back 3 h. Output: 0 on [0,5), 0.5 on [5,105), 0 on
  // [105,110), 1 from 110. Lost output: 5 + 0.5·100 + 5 = 60 h.
  const std::string proc = R"({"emergency_capacity": 0.5,
     "emergency": [{"name": "temporary", "kind": "recovery_work", "duration": 5, "needs": ["IT"]}],
     "permanent": [{"name": "replace", "kind": "replace_repair", "duration": 100},
                   {"name": "stop", "kind": "planned_stop", "duration": 2, "needs": ["IT"]},
                   {"name": "switch", "kind": "switch_back", "duration": 3, "needs": ["IT"]}]})";
  const auto m = parse(model_text(R"([{"name": "IT", "capacity": 1}])",
                                  R"([{"name": "f", "revenue_per_day": 2400, "needs": ["X"]}])",
                                  R"([{"name": "X", "recovery": )" + proc + "}]", R"(["X"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const auto& fo = plan.outcome.functions[0];
  CHECK(fo.back_degraded == Approx(5.0));
  CHECK(fo.back_full == Approx(110.0));
  CHECK(fo.output.at(4.9) == 0.0);
  CHECK(fo.output.at(50) == Approx(0.5));
  CHECK(fo.output.at(107) == 0.0);
  CHECK(fo.output.at(110) == 1.0);
  CHECK(fo.lost_output_hours == Approx(60.0));
  // 2400 a day at margin 1, 7 days a week = 100 an hour.
  CHECK(fo.lost_profit == Approx(6000.0));
  CHECK(plan.makespan == Approx(110.0));
}

TEST_CASE("a manual workaround carries the function until it runs out") {
  // Workaround 60 % after 2 h for 10 h; system back at 20 h: output 0 on
  // [0,2), 0.6 on [2,12), 0 on [12,20): lost 2 + 4 + 8 = 14 h, and the gap
  // report says the workaround ran out.
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 1}])",
      R"([{"name": "f", "manual_workaround": {"capacity": 0.6, "setup_time": "2h", "max_duration": "10h"}, "needs": ["X"]}])",
      R"([{"name": "X", "recovery": )" + one_step("20") + "}]", R"(["X"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const auto& fo = plan.outcome.functions[0];
  CHECK(fo.lost_output_hours == Approx(14.0));
  CHECK(fo.workaround_start == Approx(2.0));
  CHECK(fo.workaround_end == Approx(12.0));
  const auto report = continuity::find_gaps(m, plan);
  const auto it = std::find_if(report.gaps.begin(), report.gaps.end(), [](const auto& g) {
    return g.kind == continuity::gap_kind::workaround_exhausted;
  });
  REQUIRE(it != report.gaps.end());
  CHECK(it->objective == Approx(12.0));
  CHECK(it->achieved == Approx(20.0));
}

TEST_CASE("data re-entry: lost records are re-entered by people after the restore") {
  // Ransomware encrypts the online backup; the offline daily one survives:
  // realised RPO 24 h. 10 records an hour → 240 records × 0.1 h = 24 staff
  // hours, by 2 clerks in parallel: 12 h after the system is back (3 h).
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 1}, {"name": "clerks", "capacity": 2}])",
      R"([{"name": "f", "wrt": "1h", "needs": ["db"]}])",
      R"([{"name": "db", "transactions_per_hour": 10, "reentry_hours_per_transaction": 0.1,
           "reentry_by": "clerks", "reentry_staff": 2,
           "backups": [{"interval": "1h", "generations": 5, "mode": "online"},
                       {"interval": "1d", "generations": 3, "mode": "offline", "restore_time": "2h"}],
           "recovery": )" + one_step("3") + "}]",
      R"(["db"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const index_t db = 0;
  const std::size_t re = plan.project.data_reentry(db);
  REQUIRE(re != no_activity);
  CHECK(plan.project.lost_records(db) == Approx(240.0));
  CHECK(plan.project.reentry_hours(db) == Approx(24.0));
  CHECK(plan.project.project().duration(re) == Approx(12.0));
  CHECK(plan.project.project().demand(re, *m.find_resource("clerks")) == 2);
  CHECK(plan.schedule.start(re) >= plan.schedule.finish(plan.project.back_degraded(db)) - 1e-9);
  CHECK(plan.outcome.systems[db].data_ready == Approx(15.0));
  // Normal work resumes after the re-entry plus the 1 h WRT.
  CHECK(plan.outcome.functions[0].resumed == Approx(16.0));
  CHECK(plan.makespan == Approx(15.0));

  // Re-entry by more clerks than there are is rejected with the model; a
  // staff shortage that leaves too few is a finding: the one clerk left
  // re-enters the data alone, in twice the time.
  auto spec = m.spec();
  spec.systems[0].reentry_staff = 3;
  CHECK_THROWS_WITH(model_t(spec), Catch::Contains("reentry_staff") && Catch::Contains("never run"));
  spec.systems[0].reentry_staff = 2;
  spec.scenarios[0].staff_availability = 0.5;
  const model_t short_staffed(spec);
  const auto plan2 = continuity::plan_recovery(short_staffed, index_t{0});
  const auto re2 = plan2.project.data_reentry(db);
  CHECK(plan2.project.project().duration(re2) == Approx(24.0));
  CHECK(plan2.project.project().demand(re2, *short_staffed.find_resource("clerks")) == 1);
  REQUIRE(plan2.project.shortfalls().size() == 1);
  CHECK(plan2.project.shortfalls()[0].needed == 2);
  CHECK(plan2.project.shortfalls()[0].available == 1);
}

TEST_CASE("default procedures give an inventory without procedures a plan") {
  // A software system restored from an offline backup (3 h): default steps
  // settle 1, survey 2, arrange backup 1 (from the survey's start), recovery
  // work 4 + 3, service back 1: back after 1 + 2 + 7 + 1 = 11 h.
  const auto m = parse(R"({"name": "t", "functions": [{"name": "f", "needs": ["db"]}],
    "systems": [{"name": "db", "backups": [{"interval": "1d", "mode": "offline", "generations": 2, "restore_time": "3h"}]},
                {"name": "pc", "layer": "hardware"}],
    "scenarios": [{"name": "i", "kind": "ransomware", "damage": [{"systems": ["db", "pc"]}]}]})");
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  CHECK(plan.project.uses_default_procedure(0));
  const auto& proc = plan.project.procedure(0);
  REQUIRE(proc.emergency.size() == 5);
  CHECK(proc.emergency[3].kind == continuity::step_kind::recovery_work);
  CHECK(proc.emergency[3].duration.mean() == Approx(7.0));
  CHECK(proc.emergency[3].needs.at(0).resource == continuity::default_staff_name);
  // With the one default IT person, the pc (survey 2, work 4, back 1) and db share staff.
  CHECK(plan.outcome.systems[0].own_back >= 11.0 - 1e-9);
  CHECK(plan.outcome.systems[0].unconstrained_back == Approx(11.0));
}

TEST_CASE("gap report: an RTO breach caused by staff, with the cumulative-RTO illusion exposed") {
  // One IT person, two systems of 10 h each, each needed by a function with
  // RTO 12 h (class A by the table). Alone each would be back after 10 h;
  // together the second is back after 20 h, 8 h late, waiting for "IT".
  const auto m = parse(model_text(
      R"([{"name": "IT", "capacity": 1}])",
      R"([{"name": "f1", "importance": 3, "system_dependency": 2, "needs": ["X"]},
          {"name": "f2", "importance": 3, "system_dependency": 2, "needs": ["Y"]}])",
      R"([{"name": "X", "recovery": )" + one_step("10") + R"(}, {"name": "Y", "recovery": )" +
          one_step("10") + "}]",
      R"(["X", "Y"])"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  const auto report = continuity::find_gaps(m, plan);
  REQUIRE(report.gaps.size() == 1);
  const auto& g = report.gaps[0];
  CHECK(g.kind == continuity::gap_kind::rto);
  CHECK(g.objective == Approx(12.0));
  CHECK(g.achieved == Approx(20.0));
  const auto& row = report.functions[g.function];
  CHECK(row.unconstrained_back == Approx(10.0));
  CHECK(row.back_degraded == Approx(20.0));
  // The chain: the late system's milestone ← its work ← waited for IT held by the other's work.
  bool resource_link = false;
  for (const auto& l : g.chain)
    if (l.reason == continuity::delay_reason::resource) {
      resource_link = true;
      CHECK(plan.project.project().resource_name(l.resource) == "IT");
      CHECK(l.waited == Approx(10.0));
    }
  CHECK(resource_link);
  CHECK_THAT(g.cause, Catch::Contains("for 'IT'"));
  CHECK_THAT(g.message, Catch::Contains("if it had the staff to itself"));
}

TEST_CASE("impossible plans give clear errors") {
  const std::string fs = R"([{"name": "f", "needs": ["X"]}])";
  // A step needing a pool of capacity 0: rejected when the model is built.
  CHECK_THROWS_WITH(parse(model_text(R"([{"name": "IT", "capacity": 0}])", fs,
                                     R"([{"name": "X", "recovery": )" + one_step("1") + "}]",
                                     R"(["X"])")),
                    Catch::Contains("can never run") && Catch::Contains("'X'"));
  // A staff shortage never leaves nobody: 40 % of two people is one (it
  // used to be floored to none, and planning failed).
  const auto m = parse(model_text(R"([{"name": "IT", "capacity": 2}])", fs,
                                  R"([{"name": "X", "recovery": )" + one_step("1") + "}]",
                                  R"(["X"])", R"(, "staff_availability": 0.4)"));
  const auto plan = continuity::plan_recovery(m, index_t{0});
  CHECK(plan.project.capacities()[*m.find_resource("IT")] == 1);
  CHECK(std::isfinite(plan.makespan));
  // A step waiting for a later step (a cycle within a procedure) is rejected.
  CHECK_THROWS_AS(
      parse(model_text(R"([{"name": "IT", "capacity": 1}])", fs,
                       R"([{"name": "X", "recovery": {"emergency": [
                             {"name": "a", "duration": 1, "after": ["b"]},
                             {"name": "b", "duration": 1, "after": ["a"]}]}}])",
                       R"(["X"])")),
      continuity::reference_error);
  // A dependency cycle under the default policy.
  CHECK_THROWS_AS(parse(model_text(R"([{"name": "IT", "capacity": 1}])", fs,
                                   R"([{"name": "X", "depends_on": ["Y"]}, {"name": "Y", "depends_on": ["X"]}])",
                                   R"(["X"])")),
                  continuity::cycle_error);
  CHECK_THROWS_AS(continuity::plan_recovery(m, "no such scenario"), continuity::reference_error);
}

TEST_CASE("strongly connected groups come back together") {
  const auto m = parse(R"({"name": "t", "cycle_policy": "group", "resources": [{"name": "IT", "capacity": 2}],
    "functions": [{"name": "f", "needs": ["dns"]}],
    "systems": [{"name": "dc", "depends_on": ["dns"], "recovery": )" + one_step("3") + R"(},
                {"name": "dns", "depends_on": ["dc"], "recovery": )" + one_step("5") + R"(}],
    "scenarios": [{"name": "i", "damage": [{"systems": ["dc", "dns"]}]}]})");
  const auto plan = continuity::plan_recovery(m, index_t{0});
  require_feasible(plan);
  CHECK(plan.project.back_degraded(0) == plan.project.back_degraded(1));
  CHECK(plan.outcome.systems[0].back_degraded == Approx(5.0));
  CHECK(plan.outcome.functions[0].back_degraded == Approx(5.0));
}

TEST_CASE("example models: feasible plans, and the search never does worse than the rule") {
  for (const char* file : {"manufacturer_a.json", "retailer_b.json", "hospital.json"}) {
    const auto m = continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/" + file);
    for (index_t i = 0; i < m.scenario_count(); ++i) {
      const auto fast = continuity::plan_recovery(m, i);
      require_feasible(fast);
      for (auto obj : {continuity::plan_objective::makespan,
                       continuity::plan_objective::weighted_rto_tardiness,
                       continuity::plan_objective::business_impact}) {
        continuity::plan_options o;
        o.improve = true;
        o.objective = obj;
        o.search.schedule_budget = 300;
        const auto better = continuity::plan_recovery(m, i, o);
        INFO(file << " scenario " << i << " objective " << continuity::to_string(obj));
        require_feasible(better);
        CHECK(better.objective(obj) <= fast.objective(obj) + 1e-9 * (1 + fast.objective(obj)));
      }
      // Every function back at some point, never before the incident.
      for (const auto& fo : fast.outcome.functions) {
        CHECK(fo.back_degraded >= 0);
        CHECK(std::isfinite(fo.back_full));
        CHECK(fo.back_full >= fo.back_degraded);
      }
    }
  }
}

TEST_CASE("the hospital plan: paper charts in phase 1, then the switch-back of phase 2") {
  const auto m = continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/hospital.json");
  const auto plan = continuity::plan_recovery(m, "ransomware through the VPN");
  require_feasible(plan);
  const index_t emr = *m.find_system("EMR database");
  const index_t inpatient = *m.find_function("inpatient care");
  const auto& fo = plan.outcome.functions[inpatient];
  // Paper charts (85 %) from 4 h, long before the EMR is back.
  CHECK(fo.output.at(5.0) == Approx(0.85));
  CHECK(fo.back_degraded > 5.0);
  // Degraded capacity after phase 1, zero during the switch-back stop, full afterwards.
  const std::size_t stop = plan.project.stop_begins(emr);
  REQUIRE(stop != no_activity);
  const double in_stop = 0.5 * (plan.schedule.start(stop) + plan.schedule.finish(plan.project.stop_ends(emr)));
  CHECK(plan.outcome.systems[emr].capacity.at(plan.outcome.systems[emr].back_degraded) ==
        Approx(m.system_at(emr).recovery->emergency_capacity));
  CHECK(plan.outcome.systems[emr].capacity.at(in_stop) == 0.0);
  CHECK(plan.outcome.systems[emr].back_full ==
        Approx(plan.schedule.finish(plan.project.back_full(emr))));
  CHECK(plan.outcome.systems[emr].capacity.final_value() == 1.0);
}
