// Tests of continuity/analysis/impact.hpp: propagation of initial damage
// through all-of, any-of and k-of-n requirements, cause chains, strongly
// connected groups, and a property test against a naive fixpoint reference.
#include <continuity/analysis/impact.hpp>
#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include "support/random_graphs.hpp"
#include "support/spec_builders.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using continuity::business_function;
using continuity::cycle_policy;
using continuity::index_t;
using continuity::model;
using continuity::model_spec;
using continuity::no_index;
using continuity::propagate_impact;
using continuity::requirement;
// The system type, taken from the spec's container (independent of its name).
using sys_t = decltype(continuity::model_spec::systems)::value_type;

using continuity_test::all;
using continuity_test::any;
using continuity_test::make_function;
using continuity_test::make_system;

index_t sys_index(const model& m, const std::string& n) {
  auto i = m.find_system(n);
  REQUIRE(i);
  return *i;
}

continuity::impact_result hit(const model& m, const std::vector<std::string>& names) {
  std::vector<index_t> d;
  for (const auto& n : names) d.push_back(sys_index(m, n));
  return propagate_impact(m.graph(), d);
}

} // namespace

TEST_CASE("all-of: losing any one member stops the function") {
  model_spec spec;
  spec.systems = {make_system("A"), make_system("B")};
  spec.functions = {make_function("F", {all({"A", "B"})})};
  const model m(spec);
  const index_t A = sys_index(m, "A"), B = sys_index(m, "B");

  auto r = hit(m, {"B"});
  CHECK(r.function_down[0] == 1);
  CHECK(r.function_cause[0] == B);
  CHECK(r.is_down(B));
  CHECK_FALSE(r.is_down(A));
  CHECK(r.system_cause[A] == no_index);
  CHECK(r.system_cause[B] == B); // damaged directly: its own cause
  CHECK(r.systems_down == 1);
  CHECK(r.functions_down == 1);

  auto none = hit(m, {});
  CHECK(none.function_down[0] == 0);
  CHECK(none.function_cause[0] == no_index);
  CHECK(none.systems_down == 0);
  CHECK(none.functions_down == 0);
}

TEST_CASE("any-of: one alternative left keeps the function running") {
  model_spec spec;
  spec.systems = {make_system("A"), make_system("B"), make_system("C")};
  spec.functions = {make_function("F", {any({"A", "B", "C"})})};
  const model m(spec);
  CHECK(hit(m, {"A"}).functions_down == 0);
  CHECK(hit(m, {"A", "C"}).functions_down == 0);
  auto r = hit(m, {"A", "B", "C"});
  CHECK(r.functions_down == 1);
  // the cause is one of the lost alternatives
  CHECK(r.function_cause[0] != no_index);
  CHECK(r.is_down(r.function_cause[0]));
}

TEST_CASE("k-of-n: a 2-of-3 cluster survives one host and fails with two") {
  model_spec spec;
  spec.systems = {make_system("switch"), make_system("h1", {all({"switch"})}),
                  make_system("h2", {all({"switch"})}), make_system("h3", {all({"switch"})}),
                  make_system("cluster", {requirement::k_of_n(2, {"h1", "h2", "h3"})})};
  spec.functions = {make_function("F", {all({"cluster"})})};
  const model m(spec);
  const index_t cluster = sys_index(m, "cluster");

  for (const char* h : {"h1", "h2", "h3"}) {
    auto r = hit(m, {h});
    CHECK_FALSE(r.is_down(cluster));
    CHECK(r.functions_down == 0);
    CHECK(r.systems_down == 1);
  }
  auto two = hit(m, {"h1", "h3"});
  CHECK(two.is_down(cluster));
  CHECK((two.system_cause[cluster] == sys_index(m, "h1") ||
         two.system_cause[cluster] == sys_index(m, "h3")));
  CHECK_FALSE(two.is_down(sys_index(m, "h2")));
  CHECK(two.function_down[0] == 1);
  CHECK(two.function_cause[0] == cluster);
  CHECK(two.systems_down == 3);

  // the switch takes all three hosts, hence the cluster and the function
  auto sw = hit(m, {"switch"});
  CHECK(sw.systems_down == 5);
  CHECK(sw.functions_down == 1);
}

TEST_CASE("a chain propagates to the top with a cause chain back to the damage") {
  // building <- power <- switch <- server <- app <- F; "spare" depends on nothing
  model_spec spec;
  spec.systems = {make_system("app", {all({"server"})}),
                  make_system("server", {all({"switch"})}),
                  make_system("switch", {all({"power"})}),
                  make_system("power", {all({"building"})}),
                  make_system("building"),
                  make_system("spare")};
  spec.functions = {make_function("F", {all({"app"})}), make_function("G", {all({"spare"})})};
  const model m(spec);
  auto r = hit(m, {"building"});
  CHECK(r.systems_down == 5);
  CHECK(r.functions_down == 1);
  CHECK(r.function_down[1] == 0);
  CHECK_FALSE(r.is_down(sys_index(m, "spare")));

  // F <- app <- server <- switch <- power <- building (its own cause)
  std::vector<std::string> chain;
  index_t s = r.function_cause[0];
  for (int guard = 0; guard < 10; ++guard) {
    chain.push_back(m.system_at(s).name);
    if (r.system_cause[s] == s) break;
    s = r.system_cause[s];
  }
  CHECK(chain == std::vector<std::string>{"app", "server", "switch", "power", "building"});

  // damage in the middle leaves what is below it up
  auto mid = hit(m, {"switch"});
  CHECK(mid.is_down(sys_index(m, "app")));
  CHECK(mid.is_down(sys_index(m, "server")));
  CHECK_FALSE(mid.is_down(sys_index(m, "power")));
  CHECK_FALSE(mid.is_down(sys_index(m, "building")));
  CHECK(mid.systems_down == 3);
}

TEST_CASE("a system listed twice in the damage is counted once") {
  model_spec spec;
  spec.systems = {make_system("A"), make_system("B", {all({"A"})})};
  spec.functions = {make_function("F", {all({"B"})})};
  const model m(spec);
  auto r = hit(m, {"A", "A", "B"});
  CHECK(r.systems_down == 2);
  CHECK(r.functions_down == 1);
}

TEST_CASE("a function with several requirements needs every one of them") {
  model_spec spec;
  spec.systems = {make_system("A"), make_system("B"), make_system("C")};
  spec.functions = {make_function("F", {any({"A", "B"}), all({"C"})})};
  const model m(spec);
  CHECK(hit(m, {"A"}).functions_down == 0);
  CHECK(hit(m, {"C"}).functions_down == 1);
  CHECK(hit(m, {"C"}).function_cause[0] == sys_index(m, "C"));
  CHECK(hit(m, {"A", "B"}).functions_down == 1);
}

TEST_CASE("group_strongly_connected: one member down takes the whole group down") {
  // A needs any one of {B, Z}; B needs A. Without grouping, losing B would
  // leave A up (Z is still there); as a group, A and B fail together, and
  // C, which needs A, follows.
  model_spec spec;
  spec.cycles = cycle_policy::group_strongly_connected;
  spec.systems = {make_system("A", {any({"B", "Z"})}), make_system("B", {all({"A"})}),
                  make_system("Z"), make_system("C", {all({"A"})}), make_system("D")};
  spec.functions = {make_function("F", {all({"C"})}), make_function("G", {all({"D"})})};
  const model m(spec);
  const index_t A = sys_index(m, "A"), B = sys_index(m, "B"), C = sys_index(m, "C");
  REQUIRE(m.graph().component_of(A) == m.graph().component_of(B));

  auto r = hit(m, {"B"});
  CHECK(r.is_down(A));
  CHECK(r.is_down(B));
  CHECK(r.is_down(C));
  CHECK_FALSE(r.is_down(sys_index(m, "Z")));
  CHECK(r.system_cause[B] == B);
  CHECK(r.system_cause[A] == B); // down because its group member B is
  CHECK(r.system_cause[C] == A);
  CHECK(r.function_down[0] == 1);
  CHECK(r.function_down[1] == 0);
  CHECK(r.systems_down == 3);

  // losing Z alone breaks nothing: A still has B
  auto z = hit(m, {"Z"});
  CHECK(z.systems_down == 1);
  CHECK(z.functions_down == 0);

  // the same graph under the default policy is rejected
  spec.cycles = cycle_policy::reject;
  CHECK_THROWS_AS(model(spec), continuity::cycle_error);
}

TEST_CASE("propagate_impact on a model scenario uses the scenario's damage selectors") {
  model_spec spec;
  sys_t lan = make_system("lan");
  lan.layer = continuity::asset_layer::infrastructure;
  sys_t db = make_system("db", {all({"lan"})});
  db.segment = "office";
  db.layer = continuity::asset_layer::software;
  db.holds_data = false;
  sys_t pc = make_system("pc", {all({"lan"})});
  pc.segment = "office";
  spec.systems = {lan, db, pc};
  spec.functions = {make_function("sales", {all({"db"})}), make_function("mail", {all({"pc"})})};
  continuity::incident_scenario<double> sc;
  sc.name = "software in the office";
  sc.damage = {{{continuity::asset_layer::software}, {"office"}, {}}};
  spec.scenarios = {sc};
  const model m(spec);
  auto r = propagate_impact(m, 0);
  CHECK(r.is_down(sys_index(m, "db")));
  CHECK_FALSE(r.is_down(sys_index(m, "pc")));
  CHECK_FALSE(r.is_down(sys_index(m, "lan")));
  CHECK(r.function_down[0] == 1);
  CHECK(r.function_down[1] == 0);
}

// ---------------------------------------------------------------------------
// Property test: random DAGs against a naive fixpoint written from the
// definition ("a node is down if damaged or if one of its requirements has
// fewer than `needed` members up"), iterated until nothing changes.

namespace {

using continuity_test::splitmix;

struct plain_req {
  std::vector<std::size_t> members;
  std::size_t needed;
};

struct plain_graph {
  std::vector<std::vector<plain_req>> sys, fn;
};

// A random requirement over distinct candidates: all-of, any-of or k-of-n.
plain_req random_plain_req(splitmix& rng, std::vector<std::size_t> cand) {
  for (std::size_t i = cand.size(); i > 1; --i) std::swap(cand[i - 1], cand[rng.below(i)]);
  plain_req q;
  const std::size_t kind = rng.below(3);
  std::size_t n = kind == 0 ? 1 + rng.below(2) : kind == 1 ? 2 + rng.below(2) : 3 + rng.below(2);
  n = std::min(n, cand.size());
  q.members.assign(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(n));
  if (kind == 0)
    q.needed = n;
  else if (kind == 1)
    q.needed = 1;
  else
    q.needed = n >= 3 ? 2 + rng.below(n - 2) : n; // 2 .. n-1
  return q;
}

// Systems get a random rank; a system depends only on lower-ranked ones, so
// the graph is acyclic while system indices are not in topological order.
plain_graph random_dag(splitmix& rng, std::size_t ns, std::size_t nf) {
  std::vector<std::size_t> rank(ns);
  for (std::size_t i = 0; i < ns; ++i) rank[i] = i;
  for (std::size_t i = ns; i > 1; --i) std::swap(rank[i - 1], rank[rng.below(i)]);
  plain_graph g;
  g.sys.resize(ns);
  g.fn.resize(nf);
  for (std::size_t s = 0; s < ns; ++s) {
    std::vector<std::size_t> cand;
    for (std::size_t t = 0; t < ns; ++t)
      if (rank[t] < rank[s] && rank[t] + 40 > rank[s]) cand.push_back(t); // local, deep chains
    if (cand.empty() || rng.chance(0.15)) continue;
    const std::size_t k = 1 + rng.below(3);
    for (std::size_t j = 0; j < k; ++j) g.sys[s].push_back(random_plain_req(rng, cand));
  }
  std::vector<std::size_t> all_sys(ns);
  for (std::size_t i = 0; i < ns; ++i) all_sys[i] = i;
  for (std::size_t f = 0; f < nf; ++f) {
    const std::size_t k = 1 + rng.below(3);
    for (std::size_t j = 0; j < k; ++j) g.fn[f].push_back(random_plain_req(rng, all_sys));
  }
  return g;
}

using continuity_test::label;

model_spec to_spec(const plain_graph& g) {
  model_spec spec;
  auto conv = [](const std::vector<plain_req>& rs) {
    std::vector<requirement> out;
    for (const auto& q : rs) {
      requirement r;
      for (auto m : q.members) r.systems.push_back(label('s', m));
      r.needed = q.needed;
      out.push_back(r);
    }
    return out;
  };
  for (std::size_t s = 0; s < g.sys.size(); ++s)
    spec.systems.push_back(make_system(label('s', s), conv(g.sys[s])));
  for (std::size_t f = 0; f < g.fn.size(); ++f)
    spec.functions.push_back(make_function(label('f', f), conv(g.fn[f])));
  return spec;
}

struct reference_state {
  std::vector<std::uint8_t> sys, fn;
};

reference_state naive_fixpoint(const plain_graph& g, const std::vector<std::size_t>& damaged) {
  reference_state st;
  st.sys.assign(g.sys.size(), 0);
  for (auto d : damaged) st.sys[d] = 1;
  auto fails = [&](const plain_req& q) {
    std::size_t up = 0;
    for (auto m : q.members) up += st.sys[m] ? 0 : 1;
    return up < q.needed;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t s = 0; s < g.sys.size(); ++s) {
      if (st.sys[s]) continue;
      for (const auto& q : g.sys[s])
        if (fails(q)) {
          st.sys[s] = 1;
          changed = true;
          break;
        }
    }
  }
  st.fn.assign(g.fn.size(), 0);
  for (std::size_t f = 0; f < g.fn.size(); ++f)
    for (const auto& q : g.fn[f])
      if (fails(q)) st.fn[f] = 1;
  return st;
}

} // namespace

TEST_CASE("propagate_impact equals a naive fixpoint on random DAGs") {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    splitmix rng{seed * 0x1234567ull};
    const std::size_t ns = 250 + rng.below(100), nf = 40;
    const plain_graph g = random_dag(rng, ns, nf);
    const model m(to_spec(g));
    REQUIRE(m.system_count() == ns);
    REQUIRE_FALSE(m.graph().has_cycle());
    std::size_t total_down = 0, total_fn_down = 0;
    for (int trial = 0; trial < 60; ++trial) {
      std::vector<std::size_t> damaged;
      const std::size_t k = rng.below(8);
      for (std::size_t i = 0; i < k; ++i) damaged.push_back(rng.below(ns));
      const auto ref = naive_fixpoint(g, damaged);
      std::vector<index_t> d(damaged.begin(), damaged.end());
      for (auto& x : d) x = *m.find_system(label('s', x));
      const auto r = propagate_impact(m.graph(), d);
      INFO("seed " << seed << ", trial " << trial);
      REQUIRE(r.system_down == ref.sys);
      REQUIRE(r.function_down == ref.fn);
      const auto down = static_cast<index_t>(std::count(ref.sys.begin(), ref.sys.end(), 1));
      CHECK(r.systems_down == down);
      CHECK(r.functions_down == static_cast<index_t>(std::count(ref.fn.begin(), ref.fn.end(), 1)));
      total_down += down;
      total_fn_down += r.functions_down;

      // Causes: a down system is its own cause iff damaged; otherwise its cause
      // is down and a member of one of its requirements that fails. Following
      // causes ends at a damaged system.
      std::vector<std::uint8_t> is_damaged(ns, 0);
      for (auto x : damaged) is_damaged[x] = 1;
      auto member_of_failed = [&](const std::vector<plain_req>& reqs, std::size_t c) {
        for (const auto& q : reqs) {
          std::size_t up = 0;
          bool has = false;
          for (auto mm : q.members) {
            up += ref.sys[mm] ? 0 : 1;
            has |= mm == c;
          }
          if (has && up < q.needed) return true;
        }
        return false;
      };
      for (std::size_t s = 0; s < ns; ++s) {
        if (!ref.sys[s]) {
          CHECK(r.system_cause[s] == no_index);
          continue;
        }
        const index_t c = r.system_cause[s];
        REQUIRE(c < ns);
        if (is_damaged[s]) {
          CHECK(c == s);
        } else {
          CHECK(ref.sys[c] == 1);
          CHECK(member_of_failed(g.sys[s], c));
        }
        index_t x = static_cast<index_t>(s);
        for (std::size_t steps = 0; steps <= ns && r.system_cause[x] != x; ++steps)
          x = r.system_cause[x];
        CHECK(is_damaged[x] == 1);
      }
      for (std::size_t f = 0; f < nf; ++f) {
        if (!ref.fn[f]) {
          CHECK(r.function_cause[f] == no_index);
        } else {
          REQUIRE(r.function_cause[f] < ns);
          CHECK(member_of_failed(g.fn[f], r.function_cause[f]));
        }
      }
    }
    // the random graphs are not trivial: damage does spread
    CHECK(total_down > 60);
    CHECK(total_fn_down > 0);
  }
}
