// Tests of continuity/recovery/order_search.hpp and its use by plan_recovery:
// a preferred order brings what a system needs along with it; the search
// reaches the brute-force optimum over orders on small cases, never returns
// a plan worse than the priority rule, and gives the same plan for any
// thread count; the lower bound of a plan is never above any plan found.
#include <continuity/io/json.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using json = nlohmann::json;
using continuity::index_t;

continuity::model order_example(const char* file) {
  return continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/" + file);
}

// "<prefix><k>" (appended: GCC 12 warns falsely about "s" + std::string).
std::string numbered(const char* prefix, int k) {
  std::string name = prefix;
  name += std::to_string(k);
  return name;
}

// A small random model: n systems, each one emergency step of 1-40 h held by
// one of the `staff` IT people; system k may depend on earlier ones; three
// functions with revenue need random systems; one scenario damages all.
json random_recovery_model(std::mt19937_64& rng, int n, int staff, bool permanent) {
  std::uniform_int_distribution<int> hours(1, 40), revenue(1, 100), coin(0, 3);
  json systems = json::array();
  for (int k = 0; k < n; ++k) {
    json s{{"name", numbered("s", k)}};
    json deps = json::array();
    for (int d = 0; d < k; ++d)
      if (coin(rng) == 0) deps.push_back(numbered("s", d));
    if (!deps.empty()) s["depends_on"] = deps;
    json steps = json::array({{{"name", "work"}, {"kind", "recovery_work"},
                               {"duration", hours(rng)}, {"needs", json::array({"IT"})}}});
    s["recovery"] = {{"emergency", steps}};
    if (permanent) {
      s["recovery"]["emergency_capacity"] = 0.5;
      s["recovery"]["permanent"] = json::array(
          {{{"name", "rebuild"}, {"kind", "recovery_work"}, {"duration", hours(rng)},
            {"needs", json::array({"IT"})}}});
    }
    systems.push_back(s);
  }
  json functions = json::array();
  for (int f = 0; f < 3; ++f) {
    json needs = json::array();
    for (int k = 0; k < n; ++k)
      if (coin(rng) == 0) needs.push_back(numbered("s", k));
    if (needs.empty()) needs.push_back(numbered("s", f % n));
    functions.push_back({{"name", numbered("f", f)},
                         {"revenue_per_day", 24000 * revenue(rng)},
                         {"margin", 1},
                         {"operating_days_per_week", 7},
                         {"rto", hours(rng)},
                         {"needs", needs}});
  }
  json all = json::array();
  for (int k = 0; k < n; ++k) all.push_back(numbered("s", k));
  return {{"name", "random"},
          {"resources", json::array({{{"name", "IT"}, {"capacity", staff}}})},
          {"functions", functions},
          {"systems", systems},
          {"scenarios", json::array({{{"name", "all"}, {"kind", "it_failure"},
                                      {"damage", json::array({{{"systems", all}}})}}})}};
}

double business_impact_of(const continuity::model& m, const continuity::recovery_project<>& rp,
                          const continuity::basic_schedule<>& s) {
  return continuity::evaluate_recovery(m, rp, s.starts(), s.finishes()).business_impact;
}

} // namespace

TEST_CASE("a preferred order brings the systems it needs along") {
  // Medical accounting runs on the virtualisation cluster, the domain
  // controller and DNS: "medical accounting first" restores them first too,
  // so medical billing is back long before the EMR rebuild ends.
  const auto m = order_example("hospital.json");
  const std::string scenario = "ransomware through the VPN";
  continuity::plan_options options;
  const auto rule = continuity::plan_recovery(m, scenario, options);
  options.order = {"medical accounting"};
  const auto ordered = continuity::plan_recovery(m, scenario, options);
  const index_t billing = *m.find_function("medical billing");
  const index_t emr = *m.find_system("EMR database");
  CHECK(ordered.outcome.functions[billing].back_degraded <
        rule.outcome.functions[billing].back_degraded);
  CHECK(ordered.outcome.functions[billing].back_degraded <
        ordered.outcome.systems[emr].back_degraded);
  for (const char* prerequisite : {"virtualisation cluster", "domain controller", "DNS"}) {
    const index_t s = *m.find_system(prerequisite);
    CHECK(ordered.outcome.systems[s].back_degraded <=
          ordered.outcome.systems[*m.find_system("medical accounting")].back_degraded);
  }
  CHECK(ordered.business_impact < rule.business_impact);
}

TEST_CASE("hospital ransomware: the improving search finds a far better order than the rule") {
  const auto m = order_example("hospital.json");
  continuity::plan_options options;
  const auto rule = continuity::plan_recovery(m, "ransomware through the VPN", options);
  options.improve = true;
  const auto improved = continuity::plan_recovery(m, "ransomware through the VPN", options);
  // Restoring medical accounting and its prerequisites before the EMR
  // rebuild, as a planner would by hand ("medical accounting first"), is far
  // better than the rule's plan (medical billing back after 2.5 months); the
  // search finds at least as good a plan.
  options.improve = false;
  options.order = {"medical accounting"};
  const auto by_hand = continuity::plan_recovery(m, "ransomware through the VPN", options);
  CHECK(by_hand.business_impact < 0.85 * rule.business_impact);
  CHECK(improved.business_impact <= by_hand.business_impact);
  CHECK(improved.lower_bound <= improved.business_impact);
  CHECK(improved.lower_bound > 0);
}

TEST_CASE("function groups: the damaged systems each business function waits for") {
  std::mt19937_64 rng(4242);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 4 + trial % 9;
    const json spec = random_recovery_model(rng, n, 1 + trial % 2, trial % 3 == 0);
    const continuity::model m(continuity::read_model_spec(spec));
    const auto rp = continuity::build_recovery_project(m, index_t{0});
    const auto rule = continuity::plan_recovery(m, rp);
    const auto groups = continuity::function_groups(m, rp, rule.outcome);
    INFO("trial " << trial);
    // Reference: the closure of "needs" over "depends_on", from the JSON.
    std::size_t with_impact = 0;
    for (const auto& fn : spec["functions"]) {
      const index_t f = m.function_named(fn["name"].get<std::string>());
      std::vector<std::string> todo = fn["needs"].get<std::vector<std::string>>(), closure;
      while (!todo.empty()) {
        const std::string s = todo.back();
        todo.pop_back();
        if (std::find(closure.begin(), closure.end(), s) != closure.end()) continue;
        closure.push_back(s);
        const auto& sys = spec["systems"][std::stoul(s.substr(1))];
        if (sys.contains("depends_on"))
          for (const auto& d : sys["depends_on"]) todo.push_back(d.get<std::string>());
      }
      const auto it = std::find_if(groups.begin(), groups.end(),
                                   [&](const continuity::recovery_group& g) { return g.function == f; });
      if (rule.outcome.functions[f].business_impact() <= 0) {
        CHECK(it == groups.end());
        continue;
      }
      ++with_impact;
      REQUIRE(it != groups.end());
      std::vector<std::string> names;
      for (index_t s : it->systems) names.push_back(m.system_at(s).name);
      std::sort(names.begin(), names.end());
      std::sort(closure.begin(), closure.end());
      CHECK(names == closure); // every system is damaged in this scenario
      CHECK(it->weight > 0);
    }
    CHECK(groups.size() == with_impact);
  }
}

TEST_CASE("the group-first start follows weighted shortest work first") {
  // Two functions of the same business impact per hour, one needing a 10 h
  // restoration, the other a 40 h one, with one IT person: the short one
  // first; with ten times the impact, the long one first.
  for (int heavy : {1, 10}) {
    const json spec{
        {"name", "two"},
        {"resources", json::array({{{"name", "IT"}, {"capacity", 1}}})},
        {"functions",
         json::array({{{"name", "short"}, {"revenue_per_day", 24000}, {"margin", 1},
                       {"operating_days_per_week", 7}, {"needs", json::array({"a"})}},
                      {{"name", "long"}, {"revenue_per_day", 24000 * heavy}, {"margin", 1},
                       {"operating_days_per_week", 7}, {"needs", json::array({"b"})}}})},
        {"systems",
         json::array({{{"name", "a"}, {"recovery", {{"emergency", json::array({{{"name", "w"}, {"kind", "recovery_work"}, {"duration", 10}, {"needs", json::array({"IT"})}}})}}}},
                      {{"name", "b"}, {"recovery", {{"emergency", json::array({{{"name", "w"}, {"kind", "recovery_work"}, {"duration", 40}, {"needs", json::array({"IT"})}}})}}}}})},
        {"scenarios", json::array({{{"name", "all"}, {"kind", "it_failure"},
                                    {"damage", json::array({{{"systems", json::array({"a", "b"})}}})}}})}};
    const continuity::model m(continuity::read_model_spec(spec));
    const auto rp = continuity::build_recovery_project(m, index_t{0});
    const auto rule = continuity::plan_recovery(m, rp);
    const auto groups = continuity::function_groups(m, rp, rule.outcome);
    // Whatever the base order, the start puts the better ratio first.
    for (index_t first : {m.system_named("a"), m.system_named("b")}) {
      const index_t second = first == m.system_named("a") ? m.system_named("b") : m.system_named("a");
      const std::vector<continuity::recovery_unit> base{{first, continuity::recovery_phase::emergency},
                                                        {second, continuity::recovery_phase::emergency}};
      const auto start = continuity::order_by_groups(rp, std::span<const continuity::recovery_unit>(base),
                                                     std::span<const continuity::recovery_group>(groups));
      REQUIRE(start.size() == 2);
      CHECK(m.system_at(start[0].system).name == (heavy == 1 ? "a" : "b"));
    }
    // And the improved plan restores that one first: (10 h × 1 + 50 h × 1)
    // against (40 h × 1 + 50 h × 1) at one impact each; 40 h × 10 + 50 h
    // against 10 h + 50 h × 10 at ten.
    auto options = continuity::plan_options{};
    options.improve = true;
    const auto plan = continuity::plan_recovery(m, rp, options);
    const double per_hour = 1000;
    CHECK(plan.business_impact == Approx(heavy == 1 ? per_hour * (10 + 50) : per_hour * (400 + 50)));
  }
}

namespace {

// Checks, for `trials` random models of `sizes[trial % sizes.size()]`
// systems, that the improved plan reaches the optimum over every order of the
// systems' emergency work.
void check_brute_force_optimum(std::uint64_t seed, int trials, std::initializer_list<int> sizes) {
  std::mt19937_64 rng(seed);
  const std::vector<int> n_of(sizes);
  for (int trial = 0; trial < trials; ++trial) {
    const int n = n_of[static_cast<std::size_t>(trial) % n_of.size()];
    const continuity::model m(continuity::read_model_spec(random_recovery_model(rng, n, 1 + trial % 2, false)));
    INFO("trial " << trial << ", " << n << " systems");
    const auto rp = continuity::build_recovery_project(m, index_t{0});
    auto objective = [&](const continuity::basic_schedule<>& s) { return business_impact_of(m, rp, s); };
    // Every order of the systems' emergency work.
    std::vector<index_t> systems(rp.situation().damaged.begin(), rp.situation().damaged.end());
    std::sort(systems.begin(), systems.end());
    const auto parts = continuity::detail::rule_key_parts(m, rp);
    double optimum = std::numeric_limits<double>::infinity();
    do {
      std::vector<continuity::recovery_unit> units;
      for (index_t s : systems) units.push_back({s, continuity::recovery_phase::emergency});
      const auto rank = continuity::unit_ranks(m, rp, std::span<const continuity::recovery_unit>(units), false);
      const auto list = continuity::detail::ranked_list(rp, parts, rank);
      optimum = std::min(optimum, objective(continuity::serial_sgs(rp.project(), std::span<const std::size_t>(list))));
    } while (std::next_permutation(systems.begin(), systems.end()));
    continuity::plan_options options;
    options.improve = true;
    const auto plan = continuity::plan_recovery(m, rp, options);
    CHECK(plan.business_impact == Approx(optimum).epsilon(1e-12));
    CHECK(plan.lower_bound <= plan.business_impact);
  }
}

} // namespace

TEST_CASE("the order search reaches the brute-force optimum on small cases") {
  check_brute_force_optimum(20261205, 12, {3, 4, 5, 6}); // at most 720 orders
}

// 5,040 and 40,320 orders each: about 2 s in a release build, minutes under
// the sanitizers, which skip [slow] tests.
TEST_CASE("the order search reaches the brute-force optimum on 7 and 8 systems", "[slow]") {
  check_brute_force_optimum(20261206, 4, {7, 8});
}

TEST_CASE("lower bounds are never above a plan, for every objective (property)") {
  std::mt19937_64 rng(7);
  using continuity::plan_objective;
  for (int trial = 0; trial < 30; ++trial) {
    const continuity::model m(continuity::read_model_spec(
        random_recovery_model(rng, 4 + trial % 8, 1 + trial % 3, trial % 2 == 1)));
    INFO("trial " << trial);
    for (auto objective : {plan_objective::makespan, plan_objective::weighted_rto_tardiness,
                           plan_objective::business_impact}) {
      continuity::plan_options options;
      options.objective = objective;
      const auto rule = continuity::plan_recovery(m, "all", options);
      options.improve = true;
      options.search.schedule_budget = 300;
      const auto improved = continuity::plan_recovery(m, "all", options);
      CHECK(rule.lower_bound <= rule.objective(objective) * (1 + 1e-12));
      CHECK(improved.lower_bound == rule.lower_bound);
      CHECK(improved.lower_bound <= improved.objective(objective) * (1 + 1e-12));
      CHECK(improved.objective(objective) <= rule.objective(objective));
    }
  }
}

TEST_CASE("the improved plan is the same for 1 and 2 threads") {
  std::mt19937_64 rng(99);
  const continuity::model m(continuity::read_model_spec(random_recovery_model(rng, 12, 2, true)));
  continuity::plan_options options;
  options.improve = true;
  options.search.schedule_budget = 800;
  options.threads = 1;
  const auto one = continuity::plan_recovery(m, "all", options);
  options.threads = 2;
  const auto two = continuity::plan_recovery(m, "all", options);
  CHECK(one.business_impact == two.business_impact);
  CHECK(one.activity_list == two.activity_list);
  options.search.seed = 1;
  const auto other_seed = continuity::plan_recovery(m, "all", options);
  CHECK(other_seed.business_impact <= continuity::plan_recovery(m, "all", continuity::plan_options{}).business_impact);
}

namespace rule_key_test {

// Reals in increasing order, with the two zeros, the infinities and the
// subnormals.
template <class Real>
std::vector<Real> ordered_reals() {
  using limits = std::numeric_limits<Real>;
  return {-limits::infinity(), -limits::max(), Real(-1e10), Real(-1),
          -limits::min(),      -limits::denorm_min(), Real(-0.0), Real(0.0),
          limits::denorm_min(), limits::min(), Real(0.5), Real(1),
          Real(1) + limits::epsilon(), Real(3e7), limits::max(), limits::infinity()};
}

template <class Real>
void check_ordered_bits() {
  const auto x = ordered_reals<Real>();
  for (Real a : x)
    for (Real b : x) {
      INFO(a << " vs " << b);
      CHECK((a < b) == (continuity::detail::ordered_bits(a) < continuity::detail::ordered_bits(b)));
      CHECK((a == b) == (continuity::detail::ordered_bits(a) == continuity::detail::ordered_bits(b)));
    }
}

} // namespace rule_key_test

TEST_CASE("ordered bits: integers in the order of the reals, equal for equal reals") {
  rule_key_test::check_ordered_bits<double>();
  rule_key_test::check_ordered_bits<float>();
}

TEST_CASE("the rule's packed keys list the activities as the tuples of their definition") {
  // The rule's key is the tuple (rank of the unit, phase, class, RTO
  // slack, latest finish), ties by activity; ranked_list packs it into
  // integers. Random parts with many ties (and both zeros, infinities)
  // on the hospital's project must give the list of the tuples.
  const auto m = order_example("hospital.json");
  const auto rp = continuity::build_recovery_project(m, index_t{0});
  const std::size_t n = rp.project().activity_count();
  std::mt19937_64 rng(20261207);
  const std::vector<double> times{-std::numeric_limits<double>::infinity(), -3.5, -0.0, 0.0, 1.25,
                                  1.25 + 1e-12, 8, std::numeric_limits<double>::infinity()};
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<continuity::detail::rule_key_part<double>> parts(n);
    std::vector<std::size_t> rank(2 * m.system_count());
    for (auto& r : rank) r = rng() % 4 == 0 ? rng() % 1000000 : rng() % 3;
    std::vector<std::tuple<std::size_t, int, int, double, double>> tuples(n);
    for (std::size_t a = 0; a < n; ++a) {
      const int phase = rp.activity(a).phase == continuity::recovery_phase::permanent ? 1 : 0;
      parts[a] = {phase, static_cast<int>(rng() % 6), times[rng() % times.size()],
                  times[rng() % times.size()]};
      const auto& [ph, cls, slack, lft] = parts[a];
      tuples[a] = {rank[2 * std::size_t{rp.activity(a).system} + static_cast<std::size_t>(ph)], ph,
                   cls, slack, lft};
    }
    const auto packed = continuity::detail::ranked_list(rp, parts, rank);
    CHECK(packed == continuity::priority_list(rp.project(), tuples));
  }
}
