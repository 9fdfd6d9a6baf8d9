// Tests of continuity/scheduling/project.hpp, critical_path.hpp and the
// feasibility checker of schedule.hpp.
#include <continuity/scheduling.hpp>

#include <catch2/catch.hpp>

#include "support/same_project.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace continuity;

namespace {

// The recovery steps of a small incident: survey the damage, arrange the
// backup (may start when the survey starts), restore, verify.
project incident_project() {
  project_builder b;
  const auto staff = b.add_resource("IT staff", 2);
  const auto survey = b.add_activity(2.0, "damage survey");
  const auto arrange = b.add_activity(1.0, "arrange backup");
  const auto restore = b.add_activity(3.0, "restore data");
  const auto verify = b.add_activity(0.5, "verify operation");
  b.set_demand(survey, staff, 1);
  b.set_demand(arrange, staff, 1);
  b.set_demand(restore, staff, 2);
  b.set_demand(verify, staff, 1);
  b.add_start_to_start(survey, arrange);
  b.add_finish_to_start(survey, restore);
  b.add_finish_to_start(arrange, restore, 0.5);
  b.add_finish_to_start(restore, verify);
  return b.build();
}

} // namespace

TEST_CASE("a project stores activities, demands and precedences in compact form") {
  const auto p = incident_project();
  REQUIRE(p.activity_count() == 4);
  REQUIRE(p.resource_count() == 1);
  CHECK(p.resource_name(0) == "IT staff");
  CHECK(p.capacity(0) == 2);
  CHECK(p.duration(2) == 3.0);
  CHECK(p.activity_name(1) == "arrange backup");
  CHECK(p.activity_label(1) == "'arrange backup'");
  CHECK(p.demand(2, 0) == 2);
  REQUIRE(p.demands(0).size() == 1);
  CHECK(p.demands(0)[0].units == 1);
  REQUIRE(p.successors(0).size() == 2);
  CHECK(p.successors(0)[0].activity == 1);
  CHECK(p.successors(0)[0].delay == 0.0); // start-to-start, lag 0
  CHECK(p.successors(0)[1].activity == 2);
  CHECK(p.successors(0)[1].delay == 2.0); // finish-to-start: duration of the survey
  REQUIRE(p.predecessors(2).size() == 2);
  CHECK(p.predecessors(2)[1].delay == 1.5); // arrange (1 h) + lag 0.5 h
  CHECK(p.precedences().size() == 4);
  const std::vector<std::size_t> topo(p.topological_order().begin(), p.topological_order().end());
  CHECK(topo == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(p.topological_rank(3) == 3);
}

TEST_CASE("later demands replace earlier ones and zero demands are dropped") {
  project_builder b;
  b.add_resource("staff", 3);
  b.add_resource("vendor", 1);
  const auto a = b.add_activity(1.0);
  b.set_demand(a, 0, 1);
  b.set_demand(a, 0, 3);
  b.set_demand(a, 1, 0);
  const auto p = b.build();
  REQUIRE(p.demands(a).size() == 1);
  CHECK(p.demand(a, 0) == 3);
  CHECK(p.demand(a, 1) == 0);
  CHECK(p.activity_label(a) == "#0");
}

TEST_CASE("invalid durations, release times and lags are value errors naming activity and field") {
  project_builder b;
  b.add_resource("staff", 1);
  const auto a = b.add_activity(1.0, "restore");
  const auto c = b.add_activity(1.0, "verify");

  SECTION("negative duration") {
    project_builder bad = b;
    bad.add_activity(-1.0, "replace disk");
    try {
      bad.build();
      FAIL("no exception");
    } catch (const value_error& e) {
      CHECK(e.object_name() == "replace disk");
      CHECK(e.field() == "duration");
      CHECK(std::string(e.what()).find("replace disk") != std::string::npos);
    }
  }
  SECTION("NaN and infinite durations") {
    project_builder bad = b;
    bad.add_activity(std::numeric_limits<double>::quiet_NaN(), "nan");
    CHECK_THROWS_AS(bad.build(), value_error);
    project_builder inf = b;
    inf.add_activity(std::numeric_limits<double>::infinity(), "inf");
    CHECK_THROWS_AS(inf.build(), value_error);
  }
  SECTION("negative release time") {
    b.set_release_time(a, -2.0);
    try {
      b.build();
      FAIL("no exception");
    } catch (const value_error& e) {
      CHECK(e.field() == "release_time");
      CHECK(e.object_name() == "restore");
    }
  }
  SECTION("negative lag") {
    b.add_finish_to_start(a, c, -1.0);
    CHECK_THROWS_AS(b.build(), value_error);
  }
  SECTION("negative demand and capacity") {
    b.set_demand(a, 0, -1);
    CHECK_THROWS_AS(b.build(), value_error);
    project_builder neg;
    neg.add_resource("staff", -1);
    CHECK_THROWS_AS(neg.build(), value_error);
  }
  SECTION("unknown indices") {
    CHECK_THROWS_AS(b.set_demand(7, 0, 1), reference_error);
    CHECK_THROWS_AS(b.set_release_time(7, 1.0), reference_error);
    project_builder r1 = b;
    r1.set_demand(a, 5, 1);
    CHECK_THROWS_AS(r1.build(), reference_error);
    project_builder r2 = b;
    r2.add_finish_to_start(a, 9);
    CHECK_THROWS_AS(r2.build(), reference_error);
  }
}

TEST_CASE("a demand above capacity is a scheduling error") {
  project_builder b;
  b.add_resource("DBA", 0); // nobody with this skill
  b.add_resource("staff", 2);
  const auto a = b.add_activity(4.0, "restore database");
  b.set_demand(a, 0, 1);
  try {
    b.build();
    FAIL("no exception");
  } catch (const scheduling_error& e) {
    const std::string m = e.what();
    CHECK(m.find("restore database") != std::string::npos);
    CHECK(m.find("DBA") != std::string::npos);
    CHECK(m.find("capacity is 0") != std::string::npos);
  }
  project_builder b2;
  b2.add_resource("staff", 2);
  b2.set_demand(b2.add_activity(1.0, "move racks"), 0, 3);
  CHECK_THROWS_AS(b2.build(), scheduling_error);
}

TEST_CASE("a precedence cycle is a scheduling error naming the activities on it") {
  project_builder b;
  const auto start = b.add_activity(0.0, "incident");
  const auto x = b.add_activity(1.0, "survey");
  const auto y = b.add_activity(1.0, "order hardware");
  const auto z = b.add_activity(1.0, "install");
  const auto w = b.add_activity(1.0, "unrelated");
  b.add_finish_to_start(start, x);
  b.add_finish_to_start(x, y);
  b.add_start_to_start(y, z);
  b.add_finish_to_start(z, x);
  b.add_finish_to_start(start, w);
  try {
    b.build();
    FAIL("no exception");
  } catch (const scheduling_error& e) {
    const std::string m = e.what();
    CHECK(m.find("cycle") != std::string::npos);
    CHECK(m.find("'survey'") != std::string::npos);
    CHECK(m.find("'order hardware'") != std::string::npos);
    CHECK(m.find("'install'") != std::string::npos);
    CHECK(m.find("unrelated") == std::string::npos);
    CHECK(m.find("incident") == std::string::npos);
  }
  project_builder self;
  const auto s = self.add_activity(1.0, "loop");
  self.add_start_to_start(s, s, 1.0);
  CHECK_THROWS_WITH(self.build(), Catch::Contains("'loop' -> 'loop'"));
}

TEST_CASE("critical path: earliest and latest starts by hand") {
  // survey [0,2); arrange SS after survey: ES 0; restore waits for survey
  // (2) and arrange + 0.5 (1.5): ES 2; verify ES 5; length 5.5.
  // Backward from 5.5: verify LS 5, restore LS 2, arrange LS 2 - 1.5 = 0.5,
  // survey LS min(3.5 - 2 = 1.5 via horizon, 0.5 - 0, 2 - 2) = 0.
  const auto p = incident_project();
  const auto cp = critical_path(p);
  CHECK(cp.length == 5.5);
  CHECK(cp.earliest_start == std::vector<double>{0, 0, 2, 5});
  CHECK(cp.latest_start == std::vector<double>{0, 0.5, 2, 5});
  CHECK(cp.total_float(1) == 0.5);
  CHECK(critical_path_length(p) == 5.5);
  const auto later = critical_path(p, 10.0);
  CHECK(later.horizon == 10.0);
  CHECK(later.latest_start[3] == 9.5);
}

TEST_CASE("critical path respects release times") {
  project_builder b;
  const auto order = b.add_activity(1.0, "order server");
  const auto install = b.add_activity(2.0, "install server");
  b.set_release_time(install, 24.0); // hardware lead time
  b.add_finish_to_start(order, install);
  const auto cp = critical_path(b.build());
  CHECK(cp.earliest_start[1] == 24.0);
  CHECK(cp.length == 26.0);
}

TEST_CASE("the checker lists precedence, release and resource violations") {
  auto p = incident_project();
  SECTION("a feasible schedule has none") {
    const schedule s(p, {0, 0, 2, 5});
    CHECK(check_schedule(p, s).empty());
    CHECK(is_feasible(p, s));
    CHECK(s.makespan() == 5.5);
    CHECK(s.finish(2) == 5.0);
  }
  SECTION("precedence") {
    const schedule s(p, {0, 0, 1, 5}); // restore starts before arrange + 0.5 and survey finish
    const auto v = check_schedule(p, s);
    REQUIRE(v.size() >= 2);
    CHECK(v[0].kind == violation_kind::precedence);
    CHECK(v[0].activity == 2);
  }
  SECTION("resource") {
    const schedule s(p, {0, 0, 2, 4.5}); // verify overlaps restore: 3 staff on [4.5, 5)
    const auto v = check_schedule(p, s);
    REQUIRE(v.size() == 2); // verify also starts before restore finishes
    bool resource = false;
    for (const auto& x : v)
      if (x.kind == violation_kind::resource) {
        resource = true;
        CHECK(x.time == 4.5);
        CHECK(x.resource == 0);
      }
    CHECK(resource);
  }
  SECTION("release") {
    project_builder b;
    const auto a = b.add_activity(1.0, "install");
    b.set_release_time(a, 3.0);
    const auto q = b.build();
    const auto v = check_schedule(q, schedule(q, {2.0}));
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == violation_kind::release);
    CHECK(is_feasible(q, schedule(q, {3.0})));
  }
  SECTION("size and non-finite times") {
    CHECK(check_schedule(p, schedule(p, {0, 0})).at(0).kind == violation_kind::size);
    const schedule s(p, {0, std::numeric_limits<double>::quiet_NaN(), 2, 5});
    CHECK(check_schedule(p, s).at(0).kind == violation_kind::not_finite);
  }
  SECTION("back-to-back use is not an overload") {
    project_builder b;
    b.add_resource("staff", 1);
    b.set_demand(b.add_activity(1.0), 0, 1);
    b.set_demand(b.add_activity(1.0), 0, 1);
    const auto q = b.build();
    CHECK(is_feasible(q, schedule(q, {0.0, 1.0})));
    CHECK_FALSE(is_feasible(q, schedule(q, {0.0, 0.5})));
  }
}

namespace project_reuse_test {

// Adds a chain of `n` activities on `staff` and `vendor`, with demands set
// out of order and one of them replaced, and a kick-off after them that the
// chain waits for.
void add_chain(project_builder& b, std::size_t n, std::size_t staff, std::size_t vendor) {
  const std::size_t first = b.activity_count();
  for (std::size_t k = 0; k < n; ++k) b.add_activity(0.5 * static_cast<double>(k + 1));
  for (std::size_t k = n; k-- > 0;) {
    b.set_demand(first + k, vendor, 1);
    b.set_demand(first + k, staff, 1 + static_cast<int>(k % 2));
  }
  b.set_demand(first, staff, 2);
  for (std::size_t k = 1; k < n; ++k) b.add_finish_to_start(first + k - 1, first + k, 0.25);
  // A kick-off added last that the chain waits for: not in index order.
  const std::size_t kick_off = b.add_activity(0.0);
  b.add_start_to_start(kick_off, first, 1.0);
}

} // namespace project_reuse_test

TEST_CASE("a builder reused with build_into, clear and clear_activities gives fresh builds") {
  using project_reuse_test::add_chain;
  using continuity_test::require_same_project;
  project_builder reused;
  project into;
  // First a larger project, then a smaller one with other resources, then
  // the same resources with another capacity: nothing of the earlier
  // projects may remain.
  reused.add_resource("IT staff", 3);
  reused.add_resource("vendor", 2);
  add_chain(reused, 7, 0, 1);
  reused.build_into(into);
  require_same_project(into, reused.build());
  // Clerks, spares and IT staff (resource 2) of the given number.
  auto pools = [](project_builder& b, int it_staff) {
    b.add_resource("clerks", 2);
    b.add_resource("spares", 1);
    b.add_resource("IT staff", it_staff);
  };
  // A chain of n added to `reused`, built into `into`: as if built afresh.
  auto same_as_fresh = [&](int it_staff, std::size_t n) {
    add_chain(reused, n, 2, 1);
    reused.build_into(into);
    project_builder fresh;
    pools(fresh, it_staff);
    add_chain(fresh, n, 2, 1);
    require_same_project(into, fresh.build());
  };
  reused.clear();
  pools(reused, 4);
  same_as_fresh(4, 3);
  reused.clear_activities();
  CHECK(reused.resource_count() == 3);
  CHECK(reused.resource_name(2) == "IT staff");
  reused.set_capacity(2, 2);
  same_as_fresh(2, 5);
  CHECK_THROWS_AS(reused.set_capacity(3, 1), reference_error);
}
