// Tests of continuity/model/objective_inheritance.hpp: the tightest RTO and
// RPO of the business functions roll down the dependency graph to every
// system they need, transitively, with the function that sets them, and the
// best priority class. Hand-computed small graphs plus a DFS brute force on
// random graphs.
#include <continuity/model/objective_inheritance.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include "support/numbers.hpp"
#include "support/random_graphs.hpp"
#include "support/spec_builders.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace {

using continuity::business_function;
using continuity::cycle_policy;
using continuity::index_t;
using continuity::model;
using continuity::model_spec;
using continuity::no_index;
using continuity::priority_class;
using continuity::requirement;
// The system type, taken from the spec's container (independent of its name).
using sys_t = decltype(continuity::model_spec::systems)::value_type;

using continuity_test::all;
using continuity_test::any;
using continuity_test::inf;
using continuity_test::label;
using continuity_test::make_system;

// A function that needs `needs`, with its own RTO and RPO objectives.
business_function<double> function_with_objectives(std::string name, std::vector<requirement> needs,
                                                   std::optional<double> rto,
                                                   std::optional<double> rpo = {}) {
  business_function<double> f;
  f.name = std::move(name);
  f.needs = std::move(needs);
  f.rto = rto;
  f.rpo = rpo;
  return f;
}

struct view {
  const model& m;
  index_t at(const char* n) const {
    auto i = m.find_system(n);
    REQUIRE(i);
    return *i;
  }
  double rto(const char* n) const { return m.system_objectives().rto[at(n)]; }
  double rpo(const char* n) const { return m.system_objectives().rpo[at(n)]; }
  index_t rto_by(const char* n) const { return m.system_objectives().rto_function[at(n)]; }
  index_t rpo_by(const char* n) const { return m.system_objectives().rpo_function[at(n)]; }
};

} // namespace

TEST_CASE("the tightest RTO and RPO roll down a chain, with the function that sets them") {
  // F0 (RTO 4, RPO 12) needs app; app <- server <- building.
  // F1 (RTO 24, RPO 1) needs server directly.
  // Expected by hand: app {RTO 4 by F0, RPO 12 by F0}; server and building
  // {RTO min(4, 24) = 4 by F0, RPO min(12, 1) = 1 by F1}; spare unused.
  model_spec spec;
  spec.systems = {make_system("app", {all({"server"})}), make_system("server", {all({"building"})}),
                  make_system("building"), make_system("spare")};
  spec.functions = {function_with_objectives("F0", {all({"app"})}, 4.0, 12.0),
                    function_with_objectives("F1", {all({"server"})}, 24.0, 1.0)};
  const model m(spec);
  const view v{m};
  CHECK(v.rto("app") == 4);
  CHECK(v.rto_by("app") == 0);
  CHECK(v.rpo("app") == 12);
  CHECK(v.rpo_by("app") == 0);
  for (const char* s : {"server", "building"}) {
    CHECK(v.rto(s) == 4);
    CHECK(v.rto_by(s) == 0);
    CHECK(v.rpo(s) == 1);
    CHECK(v.rpo_by(s) == 1);
  }
  const auto& in = m.system_objectives();
  const index_t spare = v.at("spare");
  CHECK(std::isinf(in.rto[spare]));
  CHECK(std::isinf(in.rpo[spare]));
  CHECK(in.rto_function[spare] == no_index);
  CHECK(in.rpo_function[spare] == no_index);
  CHECK(in.class_function[spare] == no_index);
  CHECK_FALSE(in.is_needed(spare));
  CHECK(in.is_needed(v.at("building")));
}

TEST_CASE("ties go to the function first by name, whichever path arrives first") {
  // F1 needs X directly; F0 reaches X only through Y. Both RTO 8: X is set by F0.
  model_spec spec;
  spec.systems = {make_system("X"), make_system("Y", {all({"X"})})};
  spec.functions = {function_with_objectives("F0", {all({"Y"})}, 8.0, 6.0),
                    function_with_objectives("F1", {all({"X"})}, 8.0, 6.0)};
  const model m(spec);
  const view v{m};
  CHECK(v.rto_by("X") == 0);
  CHECK(v.rpo_by("X") == 0);
  CHECK(v.rto_by("Y") == 0);
  CHECK(m.system_objectives().class_function[v.at("X")] == 0);

  // swapped declaration order: now F1 (index 1) reaches X through Y and F0 directly
  std::swap(spec.functions[0].needs, spec.functions[1].needs);
  const model m2(spec);
  const view v2{m2};
  CHECK(v2.rto_by("X") == 0);
  CHECK(v2.rto_by("Y") == 1);

  // listed the other way round: still F0, now index 1 (names, not positions)
  std::swap(spec.functions[0], spec.functions[1]);
  const model m3(spec);
  const view v3{m3};
  CHECK(v3.rto_by("X") == 1);
  CHECK(m3.function_at(1).name == "F0");
}

TEST_CASE("every candidate of an any-of or k-of-n requirement inherits") {
  model_spec spec;
  spec.systems = {make_system("P"),  make_system("Q"),  make_system("h1"),
                  make_system("h2"), make_system("h3"), make_system("base")};
  spec.systems[0].depends_on = {all({"base"})};
  spec.functions = {
      function_with_objectives("F", {any({"P", "Q"})}, 2.0),
      function_with_objectives("G", {requirement::k_of_n(2, {"h1", "h2", "h3"})}, 5.0)};
  const model m(spec);
  const view v{m};
  CHECK(v.rto("P") == 2);
  CHECK(v.rto("Q") == 2);
  CHECK(v.rto("base") == 2);
  for (const char* h : {"h1", "h2", "h3"}) {
    CHECK(v.rto(h) == 5);
    CHECK(v.rto_by(h) == 1);
  }
}

TEST_CASE("the members of a dependency cycle share their objectives") {
  // dc <-> dns is one group. F0 (RTO 12) needs dc, F1 (RTO 3) needs dns; both
  // members get 3 from F1, and so does the base both rely on. "top" needs dc
  // but no function needs top: it stays unneeded.
  model_spec spec;
  spec.cycles = cycle_policy::group_strongly_connected;
  spec.systems = {make_system("dc", {all({"dns", "base"})}), make_system("dns", {all({"dc"})}),
                  make_system("base"), make_system("top", {all({"dc"})})};
  spec.functions = {function_with_objectives("F0", {all({"dc"})}, 12.0),
                    function_with_objectives("F1", {all({"dns"})}, 3.0)};
  const model m(spec);
  const view v{m};
  CHECK(v.rto("dc") == 3);
  CHECK(v.rto("dns") == 3);
  CHECK(v.rto_by("dc") == 1);
  CHECK(v.rto("base") == 3);
  CHECK_FALSE(m.system_objectives().is_needed(v.at("top")));
  CHECK(std::isinf(v.rto("top")));
}

TEST_CASE("the inherited priority class is the best class among the functions") {
  // Three-level matrix (docs/domain.md section 3): importance 1, dependency 1 -> D;
  // importance 2, dependency 2 -> B; emergency -> S regardless of levels.
  // RTO table example-1: B 24 h, D none.
  model_spec spec;
  spec.systems = {make_system("shared"), make_system("d_only"), make_system("e_only")};
  auto d = function_with_objectives("low", {all({"shared", "d_only"})}, std::nullopt);
  auto b = function_with_objectives("mid", {all({"shared"})}, std::nullopt);
  b.importance = 2;
  b.system_dependency = 2;
  auto e = function_with_objectives("emergency", {all({"e_only"})}, std::nullopt);
  e.emergency = true;
  spec.functions = {d, b, e};
  const model m(spec);
  const view v{m};
  const auto& in = m.system_objectives();
  CHECK(m.function_class(0) == priority_class::D);
  CHECK(m.function_class(1) == priority_class::B);
  CHECK(m.function_class(2) == priority_class::S);
  CHECK(in.priority[v.at("shared")] == priority_class::B);
  CHECK(in.class_function[v.at("shared")] == 1);
  CHECK(in.priority[v.at("d_only")] == priority_class::D);
  CHECK(in.class_function[v.at("d_only")] == 0);
  CHECK(in.priority[v.at("e_only")] == priority_class::S);
  // RTOs from the class: D has none, so d_only has no RTO but is still needed
  CHECK(std::isinf(v.rto("d_only")));
  CHECK(v.rto_by("d_only") == 0);
  CHECK(in.is_needed(v.at("d_only")));
  CHECK(v.rto("shared") == 24);
  CHECK(v.rto("e_only") == 0); // class S: immediately
}

TEST_CASE("inherit_objectives can be called on a graph with any objectives") {
  // Graph built by hand: systems 0 <- 1 (1 needs 0); function 0 needs 1.
  continuity::dependency_graph g(2, 1, {0, 0, 1, 2}, {1, 1}, {0, 1, 2}, {0, 1});
  const std::vector<double> rto{7}, rpo{inf};
  const std::vector<priority_class> cls{priority_class::C};
  const auto in = continuity::inherit_objectives<double>(g, rto, rpo, cls);
  CHECK(in.rto == std::vector<double>{7, 7});
  CHECK(std::isinf(in.rpo[0]));
  // an infinite RPO is still "set" by the function that needs the system
  CHECK(in.rpo_function[0] == 0);
  CHECK(in.priority[0] == priority_class::C);
}

// ---------------------------------------------------------------------------
// Brute force: for each system, the minimum (value, function index) over the
// functions that reach it by a depth-first search through the requirements.
// Reachability already makes the members of a cycle equal.

namespace {

using continuity_test::splitmix;

struct plain {
  std::vector<std::vector<std::size_t>> sys_deps, fn_needs; // all members, flattened
};

model_spec random_objectives_spec(splitmix& rng, std::size_t ns, std::size_t nf, bool cycles,
                                  plain& p) {
  std::vector<std::size_t> rank(ns);
  for (std::size_t i = 0; i < ns; ++i) rank[i] = i;
  for (std::size_t i = ns; i > 1; --i) std::swap(rank[i - 1], rank[rng.below(i)]);
  model_spec spec;
  if (cycles) spec.cycles = cycle_policy::group_strongly_connected;
  p.sys_deps.assign(ns, {});
  p.fn_needs.assign(nf, {});
  auto make_req = [&](std::vector<std::size_t> cand, std::vector<std::size_t>& flat) {
    for (std::size_t i = cand.size(); i > 1; --i) std::swap(cand[i - 1], cand[rng.below(i)]);
    const std::size_t n = std::min<std::size_t>(1 + rng.below(3), cand.size());
    requirement q;
    for (std::size_t i = 0; i < n; ++i) {
      q.systems.push_back(label('s', cand[i]));
      flat.push_back(cand[i]);
    }
    q.needed = 1 + rng.below(n); // any of .. all of
    return q;
  };
  for (std::size_t s = 0; s < ns; ++s) {
    std::vector<std::size_t> cand;
    for (std::size_t t = 0; t < ns; ++t) {
      if (t == s) continue;
      if ((rank[t] < rank[s] && rank[t] + 25 > rank[s]) ||
          (cycles && rank[t] > rank[s] && rank[t] <= rank[s] + 5 && rng.chance(0.5)))
        cand.push_back(t);
    }
    sys_t sys = make_system(label('s', s));
    if (!cand.empty() && !rng.chance(0.2)) {
      const std::size_t k = 1 + rng.below(2);
      for (std::size_t j = 0; j < k; ++j) sys.depends_on.push_back(make_req(cand, p.sys_deps[s]));
    }
    spec.systems.push_back(sys);
  }
  // Functions need systems from the top ranks mostly, so that some systems
  // low down are needed by many and some by none.
  std::vector<std::size_t> all_sys(ns);
  for (std::size_t i = 0; i < ns; ++i) all_sys[i] = i;
  const double rtos[] = {1, 2, 4, 8, 24, 72};
  for (std::size_t f = 0; f < nf; ++f) {
    auto fn = function_with_objectives(label('f', f), {}, rtos[rng.below(6)]);
    if (rng.chance(0.6)) fn.rpo = rtos[rng.below(6)];
    if (rng.chance(0.3)) fn.rto.reset(); // from the class's RTO (may be none)
    fn.importance = 1 + static_cast<int>(rng.below(3));
    fn.system_dependency = 1 + static_cast<int>(rng.below(3));
    fn.emergency = rng.chance(0.05);
    fn.needs.push_back(make_req(all_sys, p.fn_needs[f]));
    spec.functions.push_back(fn);
  }
  return spec;
}

} // namespace

TEST_CASE("inherited objectives equal a DFS brute force on random graphs") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    splitmix rng{seed * 0xabcdefull};
    const bool cycles = seed > 4;
    plain p;
    const std::size_t ns = 150 + rng.below(100), nf = 12;
    const model m(random_objectives_spec(rng, ns, nf, cycles, p));
    REQUIRE(m.graph().has_cycle() == cycles);
    const auto& in = m.system_objectives();

    // reach[f][s]: function f needs system s directly or transitively
    std::vector<std::vector<std::uint8_t>> reach(nf, std::vector<std::uint8_t>(ns, 0));
    for (std::size_t f = 0; f < nf; ++f) {
      std::vector<std::size_t> stack(p.fn_needs[f]);
      while (!stack.empty()) {
        const auto s = stack.back();
        stack.pop_back();
        if (reach[f][s]) continue;
        reach[f][s] = 1;
        for (auto t : p.sys_deps[s]) stack.push_back(t);
      }
    }
    std::size_t needed = 0, unneeded = 0;
    for (std::size_t s = 0; s < ns; ++s) {
      double rto = inf, rpo = inf;
      index_t rto_f = no_index, rpo_f = no_index, cls_f = no_index;
      priority_class cls = priority_class::D;
      for (index_t f : m.functions_by_name()) {
        if (!reach[f][s]) continue;
        // strict "<" over functions by name keeps the first name among equals
        if (rto_f == no_index || m.function_rto(f) < rto) rto = m.function_rto(f), rto_f = f;
        if (rpo_f == no_index || m.function_rpo(f) < rpo) rpo = m.function_rpo(f), rpo_f = f;
        if (cls_f == no_index || m.function_class(f) < cls) cls = m.function_class(f), cls_f = f;
      }
      INFO("seed " << seed << ", system s" << s);
      CHECK(in.rto[s] == rto);
      CHECK(in.rto_function[s] == rto_f);
      CHECK(in.rpo[s] == rpo);
      CHECK(in.rpo_function[s] == rpo_f);
      CHECK(in.class_function[s] == cls_f);
      CHECK(in.is_needed(static_cast<index_t>(s)) == (cls_f != no_index));
      if (cls_f != no_index) {
        CHECK(in.priority[s] == cls);
        ++needed;
      } else {
        ++unneeded;
      }
    }
    CHECK(needed > 0);
    CHECK(unneeded > 0);
  }
}
