// Tests of continuity/scheduling/serial_sgs.hpp. Every schedule produced is
// passed through the feasibility checker.
#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

using namespace continuity;

namespace {

schedule checked(const project& p, const schedule& s) {
  const auto v = check_schedule(p, s);
  INFO((v.empty() ? std::string("feasible") : v.front().message));
  REQUIRE(v.empty());
  return s;
}

// A random project: each activity has up to three predecessors among the
// previous 20, finish-to-start or start-to-start with random lags, random
// release times on a few activities, and demands on three skills.
project random_project(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dur(0.0, 8.0), lag(0.0, 2.0), unit(0.0, 1.0);
  std::uniform_int_distribution<int> units(0, 3);
  const int capacity[] = {3, 4, 2};
  project_builder b;
  b.add_resource("network", capacity[0]);
  b.add_resource("server", capacity[1]);
  b.add_resource("database", capacity[2]);
  for (std::size_t a = 0; a < n; ++a) {
    b.add_activity(unit(rng) < 0.1 ? 0.0 : dur(rng), "step " + std::to_string(a));
    for (std::size_t r = 0; r < 3; ++r) b.set_demand(a, r, std::min(units(rng), capacity[r]));
    if (unit(rng) < 0.1) b.set_release_time(a, 10.0 * unit(rng));
    if (a == 0) continue;
    std::uniform_int_distribution<std::size_t> pick(a > 20 ? a - 20 : 0, a - 1);
    const int k = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int i = 0; i < k; ++i) {
      if (unit(rng) < 0.7)
        b.add_finish_to_start(pick(rng), a, unit(rng) < 0.5 ? 0.0 : lag(rng));
      else
        b.add_start_to_start(pick(rng), a, unit(rng) < 0.5 ? 0.0 : lag(rng));
    }
  }
  return b.build();
}

} // namespace

TEST_CASE("one staff member works through independent steps in priority order") {
  // Capacity 1 and no precedences: the steps run back to back in list
  // order, so the makespan is the sum of durations, 2 + 3 + 4 = 9 (optimal:
  // the single person is busy all the time).
  project_builder b;
  b.add_resource("admin", 1);
  for (double d : {2.0, 3.0, 4.0}) b.set_demand(b.add_activity(d), 0, 1);
  const auto p = b.build();

  const std::vector<double> key{3.0, 1.0, 2.0}; // smallest key first: 1, 2, 0
  const auto list = priority_list(p, key);
  CHECK(list == std::vector<std::size_t>{1, 2, 0});
  const auto s = checked(p, serial_sgs(p, list));
  CHECK(s.start(1) == 0.0);
  CHECK(s.start(2) == 3.0);
  CHECK(s.start(0) == 7.0);
  CHECK(s.makespan() == 9.0);

  // Equal keys: lower index first.
  const std::vector<double> ties{1.0, 1.0, 1.0};
  CHECK(priority_list(p, ties) == std::vector<std::size_t>{0, 1, 2});
  CHECK_THROWS_AS(priority_list(p, std::vector<double>{1.0}), value_error);
}

TEST_CASE("with free resources every activity starts at its earliest start") {
  auto p = random_project(200, 7);
  project_builder b;
  // Same structure with ample capacity: the schedule must equal the forward pass.
  for (std::size_t a = 0; a < p.activity_count(); ++a) {
    b.add_activity(p.duration(a));
    b.set_release_time(a, p.release_time(a));
  }
  for (const auto& e : p.precedences()) b.add_precedence(e);
  const auto free = b.build();
  const auto cp = critical_path(free);
  for (auto rule : {priority_rule::latest_finish_time, priority_rule::most_total_successors}) {
    const auto s = checked(free, serial_sgs(free, rule));
    for (std::size_t a = 0; a < free.activity_count(); ++a)
      CHECK(s.start(a) == cp.earliest_start[a]);
    CHECK(s.makespan() == cp.length);
  }
}

TEST_CASE("start-to-start relations, lags and release times by hand") {
  // staff 2. survey [0,2) with 1 person; arrange backup may start with the
  // survey (SS, lag 0) and takes 1 h with 1 person: [0,1). Restore needs 2
  // people after the survey and after arrange + 0.5 h lag: start max(2, 1.5)
  // = 2, [2,5). Makespan 5 = critical path, so optimal.
  project_builder b;
  const auto staff = b.add_resource("staff", 2);
  const auto survey = b.add_activity(2.0, "survey");
  const auto arrange = b.add_activity(1.0, "arrange backup");
  const auto restore = b.add_activity(3.0, "restore");
  b.set_demand(survey, staff, 1);
  b.set_demand(arrange, staff, 1);
  b.set_demand(restore, staff, 2);
  b.add_start_to_start(survey, arrange);
  b.add_finish_to_start(survey, restore);
  b.add_finish_to_start(arrange, restore, 0.5);
  {
    const auto p = b.build();
    const auto s = checked(p, serial_sgs(p));
    CHECK(s.start(arrange) == 0.0);
    CHECK(s.start(restore) == 2.0);
    CHECK(s.makespan() == 5.0);
  }
  // The backup hardware arrives at 4 h: arrange [4,5), restore waits for
  // 5.5 (lag), [5.5, 8.5).
  b.set_release_time(arrange, 4.0);
  const auto p = b.build();
  const auto s = checked(p, serial_sgs(p));
  CHECK(s.start(arrange) == 4.0);
  CHECK(s.start(restore) == 5.5);
  CHECK(s.makespan() == 8.5);
}

TEST_CASE("the SGS fills gaps in continuous time") {
  // staff 2: a [0, 2.5) takes both; b (1 person, 0.75 h) listed after c
  // (1 person, 1.5 h, after a): c [2.5, 4); b fits at 2.5 next to c.
  // d (2 people, 0.25 h) must wait until c finishes at 4.
  project_builder b;
  b.add_resource("staff", 2);
  const auto a = b.add_activity(2.5);
  const auto bb = b.add_activity(0.75);
  const auto c = b.add_activity(1.5);
  const auto d = b.add_activity(0.25);
  b.set_demand(a, 0, 2);
  b.set_demand(bb, 0, 1);
  b.set_demand(c, 0, 1);
  b.set_demand(d, 0, 2);
  b.add_finish_to_start(a, c);
  const auto p = b.build();
  const std::vector<std::size_t> list{a, c, bb, d};
  const auto s = checked(p, serial_sgs(p, list));
  CHECK(s.start(c) == 2.5);
  CHECK(s.start(bb) == 2.5);
  CHECK(s.start(d) == 4.0);
  CHECK(s.makespan() == 4.25);
}

TEST_CASE("an activity list must be a precedence-feasible permutation") {
  project_builder b;
  const auto x = b.add_activity(1.0, "x");
  const auto y = b.add_activity(1.0, "y");
  b.add_finish_to_start(x, y);
  const auto p = b.build();
  CHECK_THROWS_AS(serial_sgs(p, std::vector<std::size_t>{y, x}), value_error);
  CHECK_THROWS_AS(serial_sgs(p, std::vector<std::size_t>{x}), value_error);
  CHECK_THROWS_AS(serial_sgs(p, std::vector<std::size_t>{x, x}), value_error);
  CHECK_THROWS_AS(serial_sgs(p, std::vector<std::size_t>{x, 5}), value_error);
  CHECK(serial_sgs(p, std::vector<std::size_t>{x, y}).makespan() == 2.0);
}

namespace serial_sgs_list_check_test {

// The message of check_activity_list's error for `list`, or "" if it accepts it.
std::string check_message(const project& p, const std::vector<std::size_t>& list) {
  try {
    check_activity_list(p, std::span<const std::size_t>(list));
  } catch (const value_error& e) {
    return e.what();
  }
  return {};
}

} // namespace serial_sgs_list_check_test

TEST_CASE("serial_sgs checks the list during its pass as check_activity_list does") {
  // serial_sgs no longer checks the list in a pass of its own: the schedule
  // pass refuses the first entry out of range, listed twice or before a
  // predecessor, then check_activity_list names it. Lists near valid ones
  // (an entry swapped, repeated or out of range, the list cut short) must
  // give check_activity_list's error, word for word; valid ones the same
  // starts as the unchecked pass.
  using serial_sgs_list_check_test::check_message;
  std::mt19937_64 rng(77);
  std::size_t refused = 0, accepted = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto p = random_project(60, seed);
    const auto valid = priority_list(p, priority_rule::latest_finish_time);
    for (int variant = 0; variant < 6; ++variant) {
      auto list = valid;
      std::uniform_int_distribution<std::size_t> place(0, list.size() - 1);
      switch (variant) {
      case 0: break;
      case 1: std::swap(list[place(rng)], list[place(rng)]); break;
      case 2: list[place(rng)] = list[place(rng)]; break;
      case 3: list[place(rng)] = list.size() + place(rng); break;
      case 4: std::reverse(list.begin(), list.end()); break;
      default: list.pop_back(); break;
      }
      const std::string expected = check_message(p, list);
      INFO("seed " << seed << ", variant " << variant << ": " << expected);
      if (expected.empty()) {
        ++accepted;
        const auto s = checked(p, serial_sgs(p, list));
        detail::serial_sgs_engine<double> unchecked;
        std::vector<double> start;
        unchecked.run(detail::make_forward_network(p), list, start);
        for (std::size_t a = 0; a < p.activity_count(); ++a) CHECK(s.start(a) == start[a]);
      } else {
        ++refused;
        CHECK_THROWS_WITH(serial_sgs(p, list), expected);
      }
    }
  }
  CHECK(accepted >= 40); // every variant 0, and swaps that keep the order feasible
  CHECK(refused >= 150);
}

TEST_CASE("priority rules by hand") {
  // 0 -> 1 -> 3, 0 -> 2, 2 -> 3, 2 -> 4. Total successors: 0: {1,2,3,4} = 4,
  // 1: 1, 2: 2, 3: 0, 4: 0. GRPW = own + direct successors' durations.
  project_builder b;
  for (double d : {1.0, 5.0, 2.0, 1.0, 3.0}) b.add_activity(d);
  b.add_finish_to_start(0, 1);
  b.add_finish_to_start(1, 3);
  b.add_finish_to_start(0, 2);
  b.add_finish_to_start(2, 3);
  b.add_finish_to_start(2, 4);
  const auto p = b.build();
  CHECK(total_successor_counts(p) == std::vector<std::size_t>{4, 1, 2, 0, 0});
  const auto grpw = priority_keys(p, priority_rule::greatest_rank_positional_weight);
  CHECK(grpw == std::vector<double>{-8.0, -6.0, -6.0, -1.0, -3.0});
  // LFT: length 7 (0,1,3); LF: 3: 7, 4: 7, 1: 6, 2: min(6, 4) = 4, 0: 1.
  const auto lft = priority_keys(p, priority_rule::latest_finish_time);
  CHECK(lft == std::vector<double>{1.0, 6.0, 4.0, 7.0, 7.0});
  CHECK(priority_list(p, priority_rule::latest_finish_time) ==
        std::vector<std::size_t>{0, 2, 1, 3, 4});
  CHECK(priority_list(p, priority_rule::most_total_successors) ==
        std::vector<std::size_t>{0, 2, 1, 3, 4});
  CHECK(priority_list(p, priority_rule::greatest_rank_positional_weight) ==
        std::vector<std::size_t>{0, 1, 2, 4, 3});
  const auto lst = priority_keys(p, priority_rule::latest_start_time);
  CHECK(lst == std::vector<double>{0.0, 1.0, 2.0, 6.0, 4.0});
}

TEST_CASE("every priority rule gives feasible schedules on random projects") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto p = random_project(300, seed);
    const auto lb = critical_path_length(p);
    for (auto rule :
         {priority_rule::latest_finish_time, priority_rule::latest_start_time,
          priority_rule::most_total_successors, priority_rule::greatest_rank_positional_weight}) {
      const auto s = checked(p, serial_sgs(p, rule));
      CHECK(s.makespan() >= lb);
    }
  }
}

TEST_CASE("serial SGS with LFT on J30 instances is feasible and above the optimum") {
  const std::string dir = CONTINUITY_TEST_DATA_DIR "/psplib/";
  const auto opt = read_psplib_solutions_file(dir + "j30opt.sm");
  for (int par : {1, 13, 25, 37, 48}) {
    const auto p = read_psplib_sm_file(dir + "j30" + std::to_string(par) + "_1.sm");
    const int best = opt.at({par, 1});
    for (auto rule :
         {priority_rule::latest_finish_time, priority_rule::latest_start_time,
          priority_rule::most_total_successors, priority_rule::greatest_rank_positional_weight}) {
      const auto s = checked(p, serial_sgs(p, rule));
      CHECK(s.makespan() >= best);
      CHECK(s.makespan() <= 1.5 * best);
    }
  }
}

TEST_CASE("zero-duration activities hold no resources") {
  project_builder b;
  b.add_resource("staff", 1);
  const auto milestone = b.add_activity(0.0, "decision");
  const auto work = b.add_activity(2.0, "work");
  b.set_demand(milestone, 0, 1);
  b.set_demand(work, 0, 1);
  const auto p = b.build();
  const auto s = checked(p, serial_sgs(p, std::vector<std::size_t>{work, milestone}));
  CHECK(s.start(milestone) == 0.0);
  CHECK(s.makespan() == 2.0);
}

namespace priority_list_test {

// The definition, one activity at a time: among the activities whose
// predecessors are all listed, the one with the smallest key, ties by index.
std::vector<std::size_t> by_definition(const project& p, const std::vector<double>& key) {
  const std::size_t n = p.activity_count();
  std::vector<char> listed(n, 0);
  std::vector<std::size_t> list;
  while (list.size() < n) {
    std::size_t best = n;
    for (std::size_t a = 0; a < n; ++a) {
      if (listed[a]) continue;
      bool ready = true;
      for (const auto& q : p.predecessors(a)) ready = ready && listed[q.activity];
      if (ready && (best == n || key[a] < key[best])) best = a;
    }
    listed[best] = 1;
    list.push_back(best);
  }
  return list;
}

} // namespace priority_list_test

TEST_CASE("priority lists are those of the definition, with ties and with keys along the chains") {
  // Random small keys (many ties), random reals, keys rising and falling
  // with the index (activities that the last one listed made ready then go
  // next, or last).
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto p = random_project(300, seed);
    std::mt19937_64 rng(seed);
    const std::size_t n = p.activity_count();
    std::vector<std::vector<double>> keys(4, std::vector<double>(n));
    for (std::size_t a = 0; a < n; ++a) {
      keys[0][a] = static_cast<double>(rng() % 4);
      keys[1][a] = std::uniform_real_distribution<double>(-1.0, 1.0)(rng);
      keys[2][a] = static_cast<double>(a);
      keys[3][a] = -static_cast<double>(a);
    }
    for (const auto& key : keys)
      CHECK(priority_list(p, key) == priority_list_test::by_definition(p, key));
  }
}
