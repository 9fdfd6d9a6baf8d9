// Tests of continuity/scheduling/improvement.hpp. Every schedule produced is
// passed through the feasibility checker.
#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

using namespace continuity;

namespace {

void require_feasible(const project& p, const schedule& s) {
  const auto v = check_schedule(p, s);
  INFO((v.empty() ? std::string("feasible") : v.front().message));
  REQUIRE(v.empty());
}

// Two identical staff, five independent tasks of 3, 3, 2, 2 and 4 hours.
// Total work 14 person-hours on 2 people: makespan >= 7, reached by
// {3, 4} and {3, 2, 2}; so 7 is optimal. All LFTs are equal (critical path
// 4), so the LFT list is 0,1,2,3,4: 3|3 on [0,3), 2|2 on [3,5), 4 on [5,9):
// makespan 9.
project two_staff_project() {
  project_builder b;
  b.add_resource("staff", 2);
  for (double d : {3.0, 3.0, 2.0, 2.0, 4.0}) b.set_demand(b.add_activity(d), 0, 1);
  return b.build();
}

} // namespace

TEST_CASE("the search finds the optimum that the LFT rule misses") {
  const auto p = two_staff_project();
  const auto lft = serial_sgs(p);
  require_feasible(p, lft);
  CHECK(lft.makespan() == 9.0);
  improvement_options o;
  o.schedule_budget = 500;
  o.seed = 42;
  const auto r = improve_schedule(p, o);
  require_feasible(p, r.best);
  CHECK(r.best.makespan() == 7.0);
  CHECK(r.objective == 7.0);
  CHECK(r.schedules_generated <= o.schedule_budget);
  // The returned list reproduces the returned schedule.
  const auto again = serial_sgs(p, r.activity_list);
  CHECK(again.makespan() == 7.0);
}

TEST_CASE("the search minimises a user objective: weighted tardiness") {
  // One administrator. "restore ERP" takes 4 h, due at 4 h, weight 1;
  // "restore mail" takes 1 h, due at 1 h, weight 10. Both orders give
  // makespan 5. ERP first: mail is 4 h late, cost 40. Mail first: ERP
  // finishes at 5, 1 h late, cost 1 — the optimum.
  project_builder b;
  b.add_resource("admin", 1);
  const auto erp = b.add_activity(4.0, "restore ERP");
  const auto mail = b.add_activity(1.0, "restore mail");
  b.set_demand(erp, 0, 1);
  b.set_demand(mail, 0, 1);
  const auto p = b.build();
  const std::vector<double> due{4.0, 1.0}, weight{1.0, 10.0};
  const auto tardiness = [&](const schedule& s) {
    double cost = 0;
    for (std::size_t a = 0; a < s.size(); ++a)
      cost += weight[a] * std::max(0.0, s.finish(a) - due[a]);
    return cost;
  };
  CHECK(tardiness(serial_sgs(p)) == 40.0); // LFT ties: lower index (ERP) first
  for (bool fb : {true, false}) {
    improvement_options o;
    o.schedule_budget = 200;
    o.forward_backward = fb;
    const auto r = improve_schedule(p, o, tardiness);
    require_feasible(p, r.best);
    CHECK(r.objective == 1.0);
    CHECK(r.best.start(mail) == 0.0);
    CHECK(r.best.start(erp) == 1.0);
  }
}

TEST_CASE("the search is deterministic for a seed and respects the budget") {
  const std::string dir = CONTINUITY_TEST_DATA_DIR "/psplib/";
  const auto p = read_psplib_sm_file(dir + "j3013_3.sm");
  improvement_options o;
  o.schedule_budget = 600;
  o.seed = 2024;
  const auto a = improve_schedule(p, o);
  const auto b = improve_schedule(p, o);
  CHECK(a.activity_list == b.activity_list);
  CHECK(std::equal(a.best.starts().begin(), a.best.starts().end(), b.best.starts().begin()));
  CHECK(a.schedules_generated <= 600);
  CHECK(a.schedules_generated > 500);
  require_feasible(p, a.best);
  o.schedule_budget = 1;
  const auto tiny = improve_schedule(p, o);
  require_feasible(p, tiny.best);
  CHECK(tiny.schedules_generated <= 3); // one evaluation, forward-backward
  o.schedule_budget = 1;
  o.forward_backward = false;
  CHECK(improve_schedule(p, o).schedules_generated == 1);
}

TEST_CASE("start-to-start relations and release times survive the search") {
  // Forward-backward justification reverses time; start-to-start relations
  // with short successors and release times must still hold afterwards.
  project_builder b;
  b.add_resource("staff", 2);
  b.add_resource("vendor", 1);
  const auto survey = b.add_activity(5.0, "damage survey");
  const auto arrange = b.add_activity(1.0, "arrange backup");
  const auto deliver = b.add_activity(2.0, "deliver server");
  const auto install = b.add_activity(3.0, "install server");
  const auto restore = b.add_activity(2.5, "restore data");
  const auto verify = b.add_activity(1.0, "verify");
  b.set_demand(survey, 0, 1);
  b.set_demand(arrange, 0, 1);
  b.set_demand(deliver, 1, 1);
  b.set_demand(install, 0, 2);
  b.set_demand(restore, 0, 1);
  b.set_demand(verify, 0, 2);
  b.add_start_to_start(survey, arrange, 0.5);
  b.add_finish_to_start(arrange, deliver);
  b.set_release_time(deliver, 6.0); // lead time of the replacement
  b.add_finish_to_start(deliver, install);
  b.add_start_to_start(install, restore, 1.0);
  b.add_finish_to_start(restore, verify);
  b.add_finish_to_start(install, verify);
  b.add_finish_to_start(survey, verify);
  const auto p = b.build();
  improvement_options o;
  o.schedule_budget = 300;
  const auto r = improve_schedule(p, o);
  require_feasible(p, r.best);
  // Survey [0,5), arrange [0.5,1.5), deliver waits for its release: [6,8),
  // install [8,11) holds both staff, so restore (SS +1 after install, could
  // start at 9) starts at 11: [11,13.5); verify [13.5,14.5). Nothing can
  // start install earlier and restore cannot overlap it: 14.5 is optimal.
  CHECK(r.best.makespan() == 14.5);
  CHECK(r.best.start(deliver) >= 6.0);
  CHECK(r.best.start(arrange) >= r.best.start(survey) + 0.5);
}

TEST_CASE("J30: improved schedules are feasible and close to the optimum", "[slow]") {
  const std::string dir = CONTINUITY_TEST_DATA_DIR "/psplib/";
  const auto opt = read_psplib_solutions_file(dir + "j30opt.sm");
  double total_dev = 0;
  int count = 0;
  for (const auto& [par, inst] : {std::pair{1, 1}, std::pair{5, 3}, std::pair{13, 7},
                                  std::pair{29, 2}, std::pair{41, 9}, std::pair{46, 4}}) {
    const auto p =
        read_psplib_sm_file(dir + "j30" + std::to_string(par) + "_" + std::to_string(inst) + ".sm");
    improvement_options o;
    o.schedule_budget = 5000;
    o.seed = 7;
    const auto r = improve_schedule(p, o);
    require_feasible(p, r.best);
    const double best = opt.at({par, inst});
    INFO("j30" << par << "_" << inst << ": " << r.best.makespan() << " vs optimum " << best);
    CHECK(r.best.makespan() >= best);
    CHECK(r.best.makespan() <= 1.05 * best);
    CHECK(r.best.makespan() >= critical_path_length(p));
    total_dev += (r.best.makespan() - best) / best;
    ++count;
  }
  CHECK(total_dev / count <= 0.02);
}
