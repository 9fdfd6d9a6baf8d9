// Tests for continuity/synthetic/inventory.hpp: generated inventories
// validate at every size and with extreme options, the same seed gives the
// same specification (different seeds do not), the counts asked for are the
// counts made, every dependency goes to a lower layer or a shared platform,
// fan-in and fan-out are heavy-tailed, the name-free graph is the model's
// graph, cycles appear only on request, and bad options name their field.
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>
#include <continuity/synthetic.hpp>

#include <catch2/catch.hpp>

#include "support/random_graphs.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

using namespace continuity;

namespace {

synthetic_inventory_options sized(std::size_t systems, std::uint64_t seed = 1) {
  synthetic_inventory_options o;
  o.systems = systems;
  o.functions = std::max<std::size_t>(1, systems / 20);
  o.seed = seed;
  return o;
}

// Regular systems: neither buildings nor shared platforms (those that may
// have redundancy groups).
bool is_regular(const it_system<>& s) {
  return s.layer != asset_layer::building && !is_shared_platform(s.name);
}

std::size_t edge_count(const model_spec& spec) {
  std::size_t n = 0;
  for (const auto& s : spec.systems)
    for (const auto& r : s.depends_on) n += r.systems.size();
  return n;
}

// |observed − expected| within `sigmas` binomial standard deviations.
void require_share(std::size_t hits, std::size_t trials, double p, double sigmas = 5) {
  const double n = static_cast<double>(trials);
  const double sd = std::sqrt(n * p * (1 - p));
  INFO("hits " << hits << " of " << trials << ", expected share " << p);
  REQUIRE(std::abs(static_cast<double>(hits) - n * p) <= sigmas * sd + 1);
}

// The field named by the value_error that generating with `o` throws, or
// "no error".
std::string failing_field(const synthetic_inventory_options& o) {
  try {
    (void)generate_inventory_graph(o);
  } catch (const value_error& e) {
    CHECK(std::string(e.what()).rfind("synthetic inventory options: " + e.field() + ": ", 0) == 0);
    return e.field();
  }
  return "no error";
}

} // namespace

TEST_CASE("generated inventories validate at every size and seed, without cycles") {
  for (std::size_t n : {100u, 1000u, 5000u})
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      INFO("systems " << n << ", seed " << seed);
      const auto spec = generate_inventory(sized(n, seed));
      REQUIRE(spec.cycles == cycle_policy::reject);
      const model m(spec);
      REQUIRE_FALSE(m.graph().has_cycle());
      REQUIRE(m.scenario_count() == 1);
      REQUIRE(m.damaged_systems(0).size() >= 1);
    }
}

TEST_CASE("extreme options still give a valid model and a recovery plan") {
  const std::vector<std::pair<const char*, std::function<void(synthetic_inventory_options&)>>>
      variants{
          {"no redundancy", [](auto& o) { o.any_of_share = o.k_of_n_share = 0; }},
          {"all redundancy", [](auto& o) { o.any_of_share = 0.5, o.k_of_n_share = 0.5; }},
          {"one segment", [](auto& o) { o.segments = 1; }},
          {"two segments", [](auto& o) { o.segments = 2; }},
          {"sparse", [](auto& o) { o.mean_dependencies = 1.5; }},
          {"dense", [](auto& o) { o.mean_dependencies = 16; }},
          {"every system has a procedure", [](auto& o) { o.procedure_share = 1; }},
          {"no backups asked for, no offline or immutable copies",
           [](auto& o) { o.backup_share = o.offline_backup_share = o.immutable_backup_share = 0; }},
          {"every kind of backup", [](auto& o) {
             o.backup_share = o.offline_backup_share = o.immutable_backup_share = 1;
           }},
          {"one IT person and no other pools", [](auto& o) {
             o.it_staff = 1, o.vendor_engineers = o.clerks = o.spare_servers = 0;
           }},
          {"no cost lines, no spread within segments", [](auto& o) {
             o.cost_lines = false, o.spread_within_segment = 0;
           }},
          {"many small platforms", [](auto& o) {
             o.platforms_per_kind = o.systems / 100, o.cluster_hosts = 2;
           }},
          {"one function", [](auto& o) { o.functions = 1; }},
      };
  for (const auto& [what, change] : variants) {
    for (std::size_t n : {100u, 2000u}) {
      INFO(what << ", " << n << " systems");
      auto o = sized(n, 7);
      change(o);
      const model m(generate_inventory(o));
      REQUIRE_FALSE(m.graph().has_cycle());
      const auto plan = plan_recovery(m, index_t{0});
      REQUIRE(check_schedule(plan.project.project(), plan.schedule, 1e-9).empty());
    }
  }
}

TEST_CASE("random options are either rejected naming a field or give a valid model", "[slow]") {
  continuity_test::splitmix rng{2024};
  const auto unit = [&] { return static_cast<double>(rng.below(1001)) / 1000; };
  std::size_t valid = 0;
  for (int round = 0; round < 60; ++round) {
    synthetic_inventory_options o;
    o.systems = 100 + rng.below(3000);
    o.functions = 1 + rng.below(200);
    o.mean_dependencies = 1 + 11 * unit();
    o.any_of_share = unit() / 2;
    o.k_of_n_share = unit() / 2;
    o.platforms_per_kind = rng.below(6);
    o.cluster_hosts = 2 + rng.below(12);
    o.segments = 1 + rng.below(64);
    o.backup_share = unit();
    o.offline_backup_share = unit();
    o.immutable_backup_share = unit();
    o.procedure_share = unit();
    o.it_staff = 1 + static_cast<int>(rng.below(12));
    o.vendor_engineers = static_cast<int>(rng.below(3));
    o.clerks = static_cast<int>(rng.below(3));
    o.spare_servers = static_cast<int>(rng.below(3));
    o.ransomware_frequency = unit();
    o.dwell_time = 200 * unit();
    o.spread_within_segment = unit();
    o.cost_lines = rng.chance(0.5);
    o.cycles = rng.chance(0.3) ? rng.below(5) : 0;
    o.seed = rng.next();
    INFO("round " << round << ": " << o.systems << " systems, mean " << o.mean_dependencies
                  << ", platforms " << o.platforms_per_kind << " x " << o.cluster_hosts
                  << " hosts, cycles " << o.cycles);
    model_spec spec;
    try {
      spec = generate_inventory(o);
    } catch (const value_error& e) {
      INFO(e.what());
      REQUIRE((e.field() == "mean_dependencies" || e.field() == "platforms_per_kind"));
      continue;
    }
    ++valid;
    const model m(spec);
    REQUIRE(m.graph().has_cycle() == (o.cycles > 0));
    REQUIRE(edge_count(spec) ==
            static_cast<std::size_t>(std::llround(o.mean_dependencies * static_cast<double>(o.systems))) +
                2 * o.cycles);
    const auto plan = plan_recovery(m, index_t{0});
    REQUIRE(check_schedule(plan.project.project(), plan.schedule, 1e-9).empty());
  }
  REQUIRE(valid >= 40);
}

TEST_CASE("the same seed gives the same specification, another seed a different one") {
  const auto o = sized(3000, 11);
  const auto a = generate_inventory(o);
  const auto b = generate_inventory(o);
  REQUIRE(a == b);
  REQUIRE(to_json(a) == to_json(b));
  auto other = o;
  other.seed = 12;
  const auto c = generate_inventory(other);
  REQUIRE_FALSE(a == c);
  REQUIRE(c.systems.size() == a.systems.size());
  // Not just the name: the structure differs.
  std::size_t differing = 0;
  for (std::size_t s = 0; s < a.systems.size(); ++s)
    differing += a.systems[s].depends_on != c.systems[s].depends_on;
  REQUIRE(differing > a.systems.size() / 2);
  REQUIRE(generate_inventory_graph(o).requirement_members ==
          generate_inventory_graph(o).requirement_members);
  REQUIRE(generate_inventory_graph(o).requirement_members !=
          generate_inventory_graph(other).requirement_members);
}

TEST_CASE("the specification survives a JSON round trip") {
  const auto spec = generate_inventory(sized(1000, 5));
  REQUIRE(read_model_spec(to_json(spec)) == spec);
}

TEST_CASE("requested counts are the counts made") {
  for (double mean : {2.5, 4.0, 7.3}) {
    auto o = sized(5000, 3);
    o.functions = 123;
    o.mean_dependencies = mean;
    o.segments = 17;
    o.platforms_per_kind = 4;
    o.cluster_hosts = 6;
    o.it_staff = 7;
    o.vendor_engineers = 3;
    o.clerks = 5;
    o.spare_servers = 2;
    o.ransomware_frequency = 0.4;
    o.dwell_time = 48;
    o.spread_within_segment = 0.7;
    INFO("mean dependencies " << mean);
    const auto spec = generate_inventory(o);
    const model m(spec);
    REQUIRE(m.system_count() == 5000);
    REQUIRE(m.function_count() == 123);
    REQUIRE(m.segment_count() == 17);
    REQUIRE(edge_count(spec) == static_cast<std::size_t>(std::llround(mean * 5000)));
    REQUIRE(generate_inventory_graph(o).system_edge_count() == edge_count(spec));
    REQUIRE(spec.resources == std::vector<resource_pool>{{"IT staff", resource_kind::people, 7},
                                                         {"vendor engineers", resource_kind::people, 3},
                                                         {"clerks", resource_kind::people, 5},
                                                         {"spare servers", resource_kind::equipment, 2}});
    std::size_t platforms = 0;
    for (const auto& s : spec.systems) platforms += is_shared_platform(s.name);
    REQUIRE(platforms == 4 * (3 + (6 + 1) + 3));
    for (const char* kind : {"platform:core-3", "platform:cluster-3", "platform:directory-3"})
      REQUIRE(m.find_system(kind));
    REQUIRE(m.find_system("platform:cluster-3/host-5"));
    REQUIRE_FALSE(m.find_system("platform:cluster-3/host-6"));
    REQUIRE_FALSE(m.find_system("platform:core-4"));

    const auto& sc = spec.scenarios.at(0);
    REQUIRE(sc.name == "ransomware");
    REQUIRE(sc.kind == incident_kind::ransomware);
    REQUIRE(sc.annual_frequency == 0.4);
    REQUIRE(sc.dwell_time == 48);
    REQUIRE(sc.spread);
    REQUIRE(sc.spread->within_segment == 0.7);
    REQUIRE(sc.spread->entry.size() == 1);
    REQUIRE(m.system_at(*m.find_system(sc.spread->entry[0])).side == asset_side::client);
    std::set<cost_driver> drivers;
    std::set<cost_category> categories;
    for (const auto& line : sc.costs) drivers.insert(line.driver), categories.insert(line.category);
    REQUIRE(drivers.size() == cost_driver_count);
    REQUIRE(categories.size() == cost_category_count);
  }
}

TEST_CASE("shares of redundancy, procedures and backups follow the options") {
  auto o = sized(20000, 4);
  o.any_of_share = 0.2;
  o.k_of_n_share = 0.1;
  o.procedure_share = 0.07;
  o.offline_backup_share = 0.4;
  o.immutable_backup_share = 0.25;
  const auto spec = generate_inventory(o);
  std::size_t regular = 0, any_of = 0, k_of_n = 0, procedures = 0;
  std::size_t backed_up = 0, offline = 0, immutable = 0, offsite = 0, generations = 0;
  std::set<backup_mode> modes;
  for (const auto& s : spec.systems) {
    procedures += s.recovery.has_value();
    if (!s.backups.empty()) {
      ++backed_up;
      bool off = false, imm = false;
      for (const auto& b : s.backups) {
        off |= b.mode == backup_mode::offline;
        imm |= b.mode == backup_mode::immutable;
        offsite += b.offsite;
        generations += b.generations > 1;
        modes.insert(b.mode);
      }
      offline += off;
      immutable += imm;
    }
    if (!is_regular(s)) continue;
    ++regular;
    for (const auto& r : s.depends_on) {
      any_of += r.needed == 1 && r.systems.size() == 2;
      k_of_n += r.needed > 1 && r.needed < r.systems.size();
    }
  }
  require_share(any_of, regular, 0.2);
  require_share(k_of_n, regular, 0.1);
  require_share(procedures, spec.systems.size(), 0.07);
  require_share(offline, backed_up, 0.4);
  require_share(immutable, backed_up, 0.25);
  REQUIRE(modes.size() == 3);
  REQUIRE(offsite > 0);
  REQUIRE(generations > 0);
  // Procedures: two phases below software, one phase above.
  for (const auto& s : spec.systems) {
    if (!s.recovery) continue;
    REQUIRE(s.recovery->permanent.empty() == (s.layer >= asset_layer::software));
  }
}

TEST_CASE("every dependency goes to a lower layer or a shared platform, at a smaller index") {
  for (std::uint64_t seed : {1u, 2u}) {
    auto o = sized(8000, seed);
    o.mean_dependencies = 5;
    const auto spec = generate_inventory(o);
    const model m(spec);
    std::size_t to_platforms = 0;
    for (index_t s = 0; s < m.system_count(); ++s) {
      const auto& sys = m.system_at(s);
      if (s > 0) REQUIRE(m.system_at(s - 1).layer <= sys.layer);
      if (sys.layer == asset_layer::building) REQUIRE(sys.depends_on.empty());
      for (const auto& r : sys.depends_on)
        for (const auto& name : r.systems) {
          const index_t t = *m.find_system(name);
          const auto& dep = m.system_at(t);
          INFO(sys.name << " -> " << dep.name);
          REQUIRE(t < s);
          REQUIRE((dep.layer < sys.layer || is_shared_platform(dep.name)));
          to_platforms += is_shared_platform(dep.name);
        }
    }
    REQUIRE(to_platforms > m.system_count() / 10);
  }
}

TEST_CASE("fan-in and fan-out are heavy-tailed; shared platforms have heavy fan-in") {
  const auto o = sized(20000, 9);
  const auto g = generate_inventory_graph(o).graph();
  const index_t n = g.system_count();
  std::vector<std::size_t> fan_in(n, 0), fan_out(n, 0);
  std::size_t edges = 0;
  for (index_t r = 0; r < g.requirement_count(); ++r) {
    if (g.owner(r) >= n) continue;
    for (index_t t : g.members(r)) ++fan_in[t], ++fan_out[g.owner(r)], ++edges;
  }
  const double mean = static_cast<double>(edges) / n;
  REQUIRE(static_cast<double>(*std::max_element(fan_out.begin(), fan_out.end())) >= 8 * mean);
  REQUIRE(static_cast<double>(*std::max_element(fan_in.begin(), fan_in.end())) >= 100 * mean);
  // The top 1 % of systems by fan-in take at least a fifth of the edges.
  auto sorted = fan_in;
  std::sort(sorted.rbegin(), sorted.rend());
  std::size_t top = 0;
  for (std::size_t i = 0; i < n / 100; ++i) top += sorted[i];
  REQUIRE(top * 5 >= edges);
  // Each kind's first platform is among the most depended upon.
  const auto spec = generate_inventory(o);
  const model m(spec);
  for (const char* name : {"platform:core-0", "platform:cluster-0", "platform:directory-0"})
    REQUIRE(fan_in[*m.find_system(name)] >= sorted[n / 100]);
}

TEST_CASE("the name-free graph is the model's graph") {
  for (std::uint64_t seed : {1u, 8u}) {
    auto o = sized(4000, seed);
    o.cycles = seed == 8 ? 3 : 0;
    const auto sg = generate_inventory_graph(o);
    const auto spec = generate_inventory(o);
    const model m(spec);
    const auto& g = m.graph();
    REQUIRE(sg.system_count == g.system_count());
    REQUIRE(sg.function_count == g.function_count());
    REQUIRE(sg.needed.size() == g.requirement_count());
    for (index_t v = 0; v < g.node_count(); ++v) {
      const auto [first, last] = g.requirements_of(v);
      REQUIRE(sg.node_requirement_offsets[v] == first);
      REQUIRE(sg.node_requirement_offsets[v + 1] == last);
    }
    for (index_t r = 0; r < g.requirement_count(); ++r) {
      REQUIRE(sg.needed[r] == g.needed(r));
      const auto ms = g.members(r);
      REQUIRE(std::equal(ms.begin(), ms.end(),
                         sg.requirement_members.begin() + sg.requirement_member_offsets[r],
                         sg.requirement_members.begin() + sg.requirement_member_offsets[r + 1]));
    }
    for (index_t s = 0; s < g.system_count(); ++s) {
      REQUIRE(sg.layers[s] == m.system_at(s).layer);
      REQUIRE((sg.shared_platform[s] != 0) == is_shared_platform(m.system_at(s).name));
    }
  }
}

TEST_CASE("cycles appear only on request, between neighbouring software systems") {
  auto o = sized(3000, 6);
  o.cycles = 7;
  const auto spec = generate_inventory(o);
  REQUIRE(spec.cycles == cycle_policy::group_strongly_connected);
  REQUIRE(edge_count(spec) == 4 * 3000 + 2 * 7);
  const model m(spec);
  const auto& g = m.graph();
  REQUIRE(g.has_cycle());
  REQUIRE(g.component_count() == 3000 - 7);
  for (index_t c = 0; c < g.component_count(); ++c) {
    const auto members = g.component_members(c);
    if (members.size() == 1) continue;
    REQUIRE(members.size() == 2);
    const index_t a = std::min(members[0], members[1]), b = std::max(members[0], members[1]);
    REQUIRE(b == a + 1);
    REQUIRE(m.system_at(a).layer == asset_layer::software);
    REQUIRE(m.system_at(b).layer == asset_layer::software);
  }
  // The same inventory with cycle_policy::reject is refused.
  auto strict = spec;
  strict.cycles = cycle_policy::reject;
  REQUIRE_THROWS_AS(model(strict), cycle_error);
}

TEST_CASE("bad options throw value_error naming the field") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, std::function<void(synthetic_inventory_options&)>>>
      cases{
          {"systems", [](auto& o) { o.systems = 99; }},
          {"systems", [](auto& o) { o.systems = 200'000'000; }},
          {"functions", [](auto& o) { o.functions = 0; }},
          {"mean_dependencies", [](auto& o) { o.mean_dependencies = 0.5; }},
          {"mean_dependencies", [=](auto& o) { o.mean_dependencies = nan; }},
          {"mean_dependencies", [](auto& o) { o.mean_dependencies = 65; }},
          {"mean_dependencies", [](auto& o) { o.mean_dependencies = 1; }}, // platforms need more
          {"mean_dependencies", [](auto& o) { o.systems = 100, o.mean_dependencies = 60; }},
          {"any_of_share", [](auto& o) { o.any_of_share = -0.1; }},
          {"any_of_share", [=](auto& o) { o.any_of_share = nan; }},
          {"k_of_n_share", [](auto& o) { o.k_of_n_share = 1.5; }},
          {"k_of_n_share", [](auto& o) { o.any_of_share = 0.6, o.k_of_n_share = 0.6; }},
          {"platforms_per_kind", [](auto& o) { o.platforms_per_kind = 14; }},
          {"cluster_hosts", [](auto& o) { o.cluster_hosts = 1; }},
          {"cluster_hosts", [](auto& o) { o.cluster_hosts = 65; }},
          {"segments", [](auto& o) { o.segments = 0; }},
          {"backup_share", [](auto& o) { o.backup_share = 2; }},
          {"offline_backup_share", [](auto& o) { o.offline_backup_share = -1; }},
          {"immutable_backup_share", [=](auto& o) { o.immutable_backup_share = nan; }},
          {"procedure_share", [](auto& o) { o.procedure_share = 1.01; }},
          {"spread_within_segment", [](auto& o) { o.spread_within_segment = -0.5; }},
          {"it_staff", [](auto& o) { o.it_staff = 0; }},
          {"vendor_engineers", [](auto& o) { o.vendor_engineers = -1; }},
          {"clerks", [](auto& o) { o.clerks = -2; }},
          {"spare_servers", [](auto& o) { o.spare_servers = -1; }},
          {"ransomware_frequency", [](auto& o) { o.ransomware_frequency = -0.1; }},
          {"ransomware_frequency", [=](auto& o) { o.ransomware_frequency = inf; }},
          {"dwell_time", [=](auto& o) { o.dwell_time = nan; }},
          {"cycles", [](auto& o) { o.cycles = 400; }},
      };
  REQUIRE(failing_field(sized(1000)) == "no error");
  for (const auto& [field, change] : cases) {
    auto o = sized(1000);
    change(o);
    INFO("expected an error on " << field);
    CHECK(failing_field(o) == field);
  }
  auto o = sized(1000);
  o.it_staff = 0;
  REQUIRE_THROWS_AS(generate_inventory(o), value_error);
}
