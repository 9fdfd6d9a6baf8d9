// Tests for continuity/model/dependency_graph.hpp: CSR layout, reverse
// edges, strongly connected components and their order.
#include <continuity/model/dependency_graph.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace continuity;

namespace {
// Builds a graph where each system s needs all of deps[s] (one requirement).
dependency_graph all_of_graph(const std::vector<std::vector<index_t>>& deps) {
  std::vector<index_t> node{0}, needed, req{0}, members;
  for (const auto& d : deps) {
    if (!d.empty()) {
      needed.push_back(static_cast<index_t>(d.size()));
      members.insert(members.end(), d.begin(), d.end());
      req.push_back(static_cast<index_t>(members.size()));
    }
    node.push_back(static_cast<index_t>(needed.size()));
  }
  return dependency_graph(static_cast<index_t>(deps.size()), 0, node, needed, req, members);
}
} // namespace

TEST_CASE("dependency order puts every system after what it needs", "[dependency_graph]") {
  // 0 needs 1 and 2; 1 needs 3; 2 needs 3.
  const auto g = all_of_graph({{1, 2}, {3}, {3}, {}});
  CHECK_FALSE(g.has_cycle());
  CHECK(g.component_count() == 4);
  const auto order = g.dependency_order();
  auto pos = [&](index_t s) { return std::find(order.begin(), order.end(), s) - order.begin(); };
  CHECK(pos(3) < pos(1));
  CHECK(pos(3) < pos(2));
  CHECK(pos(1) < pos(0));
  CHECK(pos(2) < pos(0));
  // Reverse edges: system 3 is a member of the requirements of 1 and 2.
  CHECK(g.requirements_containing(3).size() == 2);
  CHECK(g.requirements_containing(0).empty());
  CHECK(g.find_cycle().empty());
}

TEST_CASE("cycles become components and find_cycle names one", "[dependency_graph]") {
  // 0 -> 1 -> 2 -> 0 is a cycle; 3 needs 0; 2 also needs 4.
  const auto g = all_of_graph({{1}, {2}, {0, 4}, {0}, {}});
  CHECK(g.has_cycle());
  CHECK(g.component_count() == 3);
  CHECK(g.component_of(0) == g.component_of(1));
  CHECK(g.component_of(1) == g.component_of(2));
  CHECK(g.component_of(3) != g.component_of(0));
  // Component numbers follow dependencies: 4 before the cycle, the cycle before 3.
  CHECK(g.component_of(4) < g.component_of(0));
  CHECK(g.component_of(0) < g.component_of(3));
  const auto cycle = g.find_cycle();
  REQUIRE(cycle.size() == 3);
  // Each system on the reported cycle needs the next one.
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const index_t a = cycle[i], b = cycle[(i + 1) % cycle.size()];
    bool needs = false;
    auto [first, last] = g.requirements_of(a);
    for (index_t r = first; r < last; ++r)
      for (index_t m : g.members(r)) needs |= m == b;
    CHECK(needs);
  }
}

TEST_CASE("component order is a topological order on random graphs", "[dependency_graph]") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const index_t n = 200;
    std::vector<std::vector<index_t>> deps(n);
    for (index_t s = 0; s < n; ++s)
      for (int k = 0; k < 3; ++k) {
        const index_t t = static_cast<index_t>(rng() % n);
        if (t != s && std::find(deps[s].begin(), deps[s].end(), t) == deps[s].end())
          deps[s].push_back(t);
      }
    const auto g = all_of_graph(deps);
    std::size_t covered = 0;
    for (index_t c = 0; c < g.component_count(); ++c) covered += g.component_members(c).size();
    CHECK(covered == n);
    // Every edge goes to the same or an earlier component.
    for (index_t s = 0; s < n; ++s)
      for (index_t t : deps[s]) CHECK(g.component_of(t) <= g.component_of(s));
  }
}

TEST_CASE("inconsistent CSR arrays are rejected", "[dependency_graph][errors]") {
  // needed 3 of 2 members
  CHECK_THROWS_AS(dependency_graph(2, 0, {0, 1, 1}, {3}, {0, 2}, {0, 1}), value_error);
  // member out of range
  CHECK_THROWS_AS(dependency_graph(2, 0, {0, 1, 1}, {1}, {0, 1}, {5}), value_error);
  // offsets of the wrong length
  CHECK_THROWS_AS(dependency_graph(2, 0, {0, 1}, {1}, {0, 1}, {1}), value_error);
}
