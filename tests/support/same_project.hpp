// Shared by the tests of rebuilding projects in reused memory: two
// scheduling projects compared field by field, exactly.
#pragma once

#include <continuity/scheduling/project.hpp>

#include <catch2/catch.hpp>

#include <cstddef>

namespace continuity_test {

/// Checks that `a` and `b` have the same resources, activities (durations,
/// release times, demands, predecessors and successors with their delays,
/// names unless `names` is false), precedences and topological order.
inline void require_same_project(const continuity::project& a, const continuity::project& b,
                                 bool names = true) {
  REQUIRE(a.activity_count() == b.activity_count());
  REQUIRE(a.resource_count() == b.resource_count());
  for (std::size_t r = 0; r < a.resource_count(); ++r) {
    CHECK(a.resource_name(r) == b.resource_name(r));
    CHECK(a.capacity(r) == b.capacity(r));
  }
  auto same_arcs = [](auto x, auto y) {
    REQUIRE(x.size() == y.size());
    for (std::size_t k = 0; k < x.size(); ++k)
      CHECK((x[k].activity == y[k].activity && x[k].delay == y[k].delay));
  };
  for (std::size_t x = 0; x < a.activity_count(); ++x) {
    INFO("activity " << x);
    CHECK(a.duration(x) == b.duration(x));
    CHECK(a.release_time(x) == b.release_time(x));
    if (names) CHECK(a.activity_name(x) == b.activity_name(x));
    REQUIRE(a.demands(x).size() == b.demands(x).size());
    for (std::size_t d = 0; d < a.demands(x).size(); ++d)
      CHECK((a.demands(x)[d].resource == b.demands(x)[d].resource &&
             a.demands(x)[d].units == b.demands(x)[d].units));
    same_arcs(a.predecessors(x), b.predecessors(x));
    same_arcs(a.successors(x), b.successors(x));
    CHECK(a.topological_order()[x] == b.topological_order()[x]);
    CHECK(a.topological_rank(x) == b.topological_rank(x));
  }
  REQUIRE(a.precedences().size() == b.precedences().size());
  for (std::size_t k = 0; k < a.precedences().size(); ++k) {
    const auto& p = a.precedences()[k];
    const auto& q = b.precedences()[k];
    CHECK((p.predecessor == q.predecessor && p.successor == q.successor && p.kind == q.kind &&
           p.lag == q.lag));
  }
}

} // namespace continuity_test
