// Tests of continuity/loss/incident_cost.hpp, incident_simulation.hpp and
// mitigation.hpp: the deterministic costs of the GIAJ cases (docs/domain.md §6),
// the mean of a simulated year against Wald's identity, the spread's hit
// probability against its closed form, bit-identical results for any thread
// count and sharding and whatever years were simulated before (the working
// memory reused between occurrences), and mitigations measured with common
// random numbers.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using continuity::index_t;
using model_t = continuity::model;

model_t example(const char* file) {
  return continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/" + file);
}

using continuity_test::parse;

bool same_losses(const continuity::simulation_result<>& a, const continuity::simulation_result<>& b) {
  return a.annual_loss.size() == b.annual_loss.size() && (a.annual_loss == b.annual_loss).all() &&
         a.breakdown.rows() == b.breakdown.rows() && a.breakdown.cols() == b.breakdown.cols() &&
         (a.breakdown == b.breakdown).all();
}

double line(const continuity::incident_cost<>& c, const model_t& m, index_t i, const std::string& name) {
  const auto names = continuity::cost_line_names(m, i);
  for (std::size_t l = 0; l < names.size(); ++l)
    if (names[l] == name) return c.by_line[l];
  FAIL("no cost line " << name);
  return 0;
}

} // namespace

TEST_CASE("manufacturer A at point values: 10,400,000 yen, as in the GIAJ case") {
  const auto m = example("manufacturer_a.json");
  const continuity::incident_simulation<> sim(m);
  const auto c = sim.point_cost(0);
  // The plan brings production back after 24 h: 1 day × 4.0 m × 10 % margin.
  CHECK(line(c, m, 0, "lost profit") == 400000.0);
  CHECK(line(c, m, 0, "investigation and recovery") == 10000000.0);
  CHECK(c.total == 10400000.0);
  using continuity::cost_category;
  CHECK(c.by_category[static_cast<std::size_t>(cost_category::response)] == 10000000.0);
  CHECK(c.by_category[static_cast<std::size_t>(cost_category::opportunity)] == 400000.0);
  CHECK(c.by_function[*m.find_function("production")] == 400000.0);
}

TEST_CASE("retailer B at point values: 35,700,000 yen with the seven lines of the case") {
  const auto m = example("retailer_b.json");
  const continuity::incident_simulation<> sim(m);
  const auto c = sim.point_cost(0);
  CHECK(line(c, m, 0, "damages") == 1000000.0);
  CHECK(line(c, m, 0, "litigation") == 3000000.0);
  CHECK(line(c, m, 0, "investigation and recovery") == 16500000.0);
  CHECK(line(c, m, 0, "customer response") == 6000000.0);
  CHECK(line(c, m, 0, "newspaper notice") == 5000000.0);
  CHECK(line(c, m, 0, "legal advice") == 200000.0);
  // The site is closed two weeks = 10 operating days × 0.4 m profit a day.
  CHECK(line(c, m, 0, "lost profit") == 4000000.0);
  CHECK(c.total == 35700000.0);
  using continuity::cost_category;
  CHECK(c.by_category[static_cast<std::size_t>(cost_category::liability)] == 4000000.0);
  CHECK(c.by_category[static_cast<std::size_t>(cost_category::response)] == 27700000.0);
  CHECK(c.by_category[static_cast<std::size_t>(cost_category::opportunity)] == 4000000.0);
}

TEST_CASE("every cost driver multiplies its amount by what it measures") {
  // One system X of 10 h with one IT person; function f: 2,400 a day (100 an
  // hour), no workaround. Data: ransomware leaves the daily offline backup:
  // 24 h × 5 records an hour = 120 lost records. 3 records affected.
  const auto m = parse(R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 2400, "operating_days_per_week": 7, "needs": ["X"]}],
    "systems": [{"name": "X", "transactions_per_hour": 5,
                 "backups": [{"interval": "1d", "generations": 3, "mode": "offline"}],
                 "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "ransomware", "annual_frequency": 1, "records_affected": 3,
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "driver": "fixed", "amount": 7},
                {"name": "b", "category": "liability", "driver": "per_record", "amount": 11},
                {"name": "c", "driver": "per_outage_hour", "function": "f", "amount": 13},
                {"name": "d", "driver": "per_lost_record", "amount": 17},
                {"name": "e", "category": "legal", "driver": "revenue_fraction", "amount": 0.01},
                {"name": "g", "driver": "per_damaged_system", "amount": 19}]}]})");
  const continuity::incident_simulation<> sim(m);
  const auto c = sim.point_cost(0);
  CHECK(line(c, m, 0, "a") == Approx(7));
  CHECK(line(c, m, 0, "b") == Approx(33));
  CHECK(line(c, m, 0, "c") == Approx(130));
  CHECK(line(c, m, 0, "d") == Approx(17 * 120));
  CHECK(line(c, m, 0, "e") == Approx(0.01 * 2400 * 365));
  CHECK(line(c, m, 0, "g") == Approx(19));
  CHECK(line(c, m, 0, "lost profit") == Approx(1000));
  CHECK(c.total == Approx(7 + 33 + 130 + 2040 + 8760 + 19 + 1000));
  CHECK(c.by_category[static_cast<std::size_t>(continuity::cost_category::liability)] == Approx(33));
  CHECK(c.by_category[static_cast<std::size_t>(continuity::cost_category::legal)] == Approx(8760));
  CHECK(c.by_function[0] == Approx(1130));
}

TEST_CASE("mean annual loss: Wald's identity when only amounts and counts are random", "[slow]") {
  // Fixed durations and a certain spread, so each event costs a fixed lost
  // profit plus random amounts: E[annual] = λ · E[cost of one event].
  const auto m = parse(R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 24000, "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 5, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 1.7,
      "records_affected": {"poisson": 40},
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "driver": "fixed", "amount": {"lognormal": {"p5": 1000, "p95": 50000}}},
                {"name": "b", "driver": "per_record", "amount": {"pert": [10, 20, 60]}}]}]})");
  const continuity::incident_simulation<> sim(m);
  const double per_event = sim.point_cost(0).total;
  const auto r = continuity::run(sim, 200000, 3);
  const continuity::loss_statistics<> st(r.annual_loss);
  INFO("mean " << st.mean() << " se " << st.standard_error() << " expected " << 1.7 * per_event);
  CHECK(std::abs(st.mean() - 1.7 * per_event) < 3 * st.standard_error());
  // The events column averages λ.
  CHECK(r.breakdown.col(static_cast<Eigen::Index>(sim.events_column(0))).mean() ==
        Approx(1.7).epsilon(0.01));
}

TEST_CASE("attack spread: hit frequency matches the closed form") {
  // Entry in segment A; connection A→B with 0.3; target t in B hit with 0.5
  // once B is reached: P(t hit) = 0.15. Target u in A: 0.5.
  const auto m = parse(R"({"name": "t", "functions": [{"name": "f", "needs": ["t", "u"]}],
    "systems": [{"name": "vpn", "layer": "infrastructure", "segment": "A"},
                {"name": "u", "segment": "A"}, {"name": "t", "segment": "B"}],
    "scenarios": [{"name": "s", "kind": "ransomware",
      "spread": {"entry": ["vpn"], "within_segment": 0.5,
                 "connections": [{"from": "A", "to": "B", "probability": 0.3}]}}]})");
  // At point values: A reached, 0.5 ≥ 1/2 so u is hit; 0.3 < 1/2 so B is not.
  std::vector<std::string> point;
  for (index_t s : m.damaged_systems(0)) point.push_back(m.system_at(s).name);
  CHECK(point == std::vector<std::string>{"vpn", "u"});
  const index_t t = *m.find_system("t"), u = *m.find_system("u");
  const int n = 200000;
  int hit_t = 0, hit_u = 0;
  for (int k = 0; k < n; ++k) {
    auto e = continuity::stream(11, static_cast<std::uint64_t>(k));
    const auto d = continuity::sample_damage(m, 0, [&](continuity::spread_chance, index_t, double p) {
      return continuity::uniform01<double>(e) < p;
    });
    for (index_t s : d) {
      hit_t += s == t;
      hit_u += s == u;
    }
  }
  // Binomial standard deviations: sqrt(0.15·0.85/n) ≈ 8e-4, sqrt(0.25/n) ≈ 1.1e-3; 4 sd.
  CHECK(std::abs(hit_t / double(n) - 0.15) < 4 * std::sqrt(0.15 * 0.85 / n));
  CHECK(std::abs(hit_u / double(n) - 0.5) < 4 * std::sqrt(0.25 / n));
}

TEST_CASE("attack spread over several hops, connections listed in any order") {
  // A → B (0.5) → C (0.4) → D (1), and D → A; listed out of path order, with
  // a connection out of a segment no path reaches (E → B). Every target of a
  // reached segment is hit: P(b) = 0.5, P(c) = P(d) = 0.2, P(e) = 0.
  const auto m = parse(R"({"name": "t", "functions": [{"name": "f", "needs": ["b", "c", "d", "e"]}],
    "systems": [{"name": "vpn", "layer": "infrastructure", "segment": "A"},
                {"name": "b", "segment": "B"}, {"name": "c", "segment": "C"},
                {"name": "d", "segment": "D"}, {"name": "e", "segment": "E"}],
    "scenarios": [{"name": "s", "kind": "ransomware",
      "spread": {"entry": ["vpn"], "within_segment": 1,
                 "connections": [{"from": "C", "to": "D", "probability": 1},
                                 {"from": "E", "to": "B", "probability": 1},
                                 {"from": "B", "to": "C", "probability": 0.4},
                                 {"from": "A", "to": "B", "probability": 0.5},
                                 {"from": "D", "to": "A", "probability": 1}]}}]})");
  // The connections by the segment they leave: each once, ascending.
  const auto& sp = *m.spread_of(0);
  std::size_t listed = 0;
  for (index_t g = 0; g < m.segment_count(); ++g) {
    const auto out = sp.connections_from(g);
    CHECK(std::is_sorted(out.begin(), out.end()));
    for (index_t c : out) CHECK(sp.from[c] == g);
    listed += out.size();
  }
  CHECK(listed == 5);
  // At point values: B is reached (0.5 ≥ 1/2), C is not (0.4).
  std::vector<std::string> point;
  for (index_t s : m.damaged_systems(0)) point.push_back(m.system_at(s).name);
  CHECK(point == std::vector<std::string>{"vpn", "b"});
  const int n = 100000;
  std::map<std::string, int> hits;
  for (int k = 0; k < n; ++k) {
    auto e = continuity::stream(12, static_cast<std::uint64_t>(k));
    const auto d = continuity::sample_damage(m, 0, [&](continuity::spread_chance, index_t, double p) {
      return continuity::uniform01<double>(e) < p;
    });
    for (index_t s : d) ++hits[m.system_at(s).name];
  }
  // Binomial standard deviations at n = 10^5: 1.6e-3 (0.5), 1.3e-3 (0.2); 4 sd.
  CHECK(std::abs(hits["b"] / double(n) - 0.5) < 4 * std::sqrt(0.25 / n));
  CHECK(std::abs(hits["c"] / double(n) - 0.2) < 4 * std::sqrt(0.16 / n));
  CHECK(std::abs(hits["d"] / double(n) - 0.2) < 4 * std::sqrt(0.16 / n));
  CHECK(hits["c"] == hits["d"]); // D is reached exactly when C is
  CHECK(hits["e"] == 0);
  CHECK(hits["vpn"] == n);
}

TEST_CASE("same seed: identical results for 1 and 2 threads, and for 1 run vs 4 shards") {
  const auto m = example("hospital.json");
  const continuity::incident_simulation<> sim(m);
  const std::uint64_t trials = 3000, seed = 5;
  continuity::run_options one, two;
  one.threads = 1;
  two.threads = 2;
  two.block_size = 97;
  const auto a = continuity::run(sim, trials, seed, one);
  const auto b = continuity::run(sim, trials, seed, two);
  CHECK(same_losses(a, b));
  std::vector<continuity::simulation_result<>> shards;
  const std::uint64_t bounds[] = {0, 700, 1500, 2999, trials};
  for (int k = 3; k >= 0; --k) {
    continuity::run_options o;
    o.first_trial = bounds[k];
    shards.push_back(continuity::run(sim, bounds[k + 1] - bounds[k], seed, o));
  }
  CHECK(same_losses(a, continuity::concatenate_shards(shards)));
  // Something happened: ransomware at 0.08 a year in 3,000 years.
  CHECK((a.annual_loss > 0).count() > 100);
  // The breakdown adds up: categories sum to the total of the bottom-up scenarios.
  for (Eigen::Index t = 0; t < a.annual_loss.size(); ++t) {
    double cat = 0;
    for (std::size_t c = 0; c < continuity::cost_category_count; ++c) cat += a.breakdown(t, static_cast<Eigen::Index>(c));
    REQUIRE(cat == Approx(a.annual_loss[t]).margin(1e-6));
  }
}

TEST_CASE("a top-down scenario joins the bottom-up ones in one portfolio") {
  const auto m = example("manufacturer_a.json");
  continuity::scenario_portfolio<> td;
  td.add(continuity::loss_scenario<>("outage", continuity::poisson<>(2.0),
                                     continuity::lognormal<>::from_interval90(5000, 100000)));
  const continuity::incident_simulation<> sim(m, {}, td);
  const auto r = continuity::run(sim, 20000, 9);
  for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t)
    REQUIRE(r.annual_loss[t] == Approx(r.breakdown(t, static_cast<Eigen::Index>(sim.scenario_column(0))) +
                                        r.breakdown(t, static_cast<Eigen::Index>(sim.scenario_column(1))))
                                     .margin(1e-6));
  // The top-down column's mean is λ·E[X] within 3 standard errors.
  const Eigen::ArrayXd col = r.breakdown.col(static_cast<Eigen::Index>(sim.scenario_column(1)));
  const double mean = col.mean();
  const double se = std::sqrt((col - mean).square().sum() / double(col.size() - 1) / double(col.size()));
  CHECK(std::abs(mean - td.mean_annual_loss()) < 3 * se);
  std::vector<continuity::loss_scenario<>> clash{continuity::loss_scenario<>(
      "ransomware on a factory PC", continuity::poisson<>(1.0), continuity::distribution<>(1.0))};
  CHECK_THROWS_AS(continuity::incident_simulation<>(m, {}, continuity::scenario_portfolio<>(clash)),
                  continuity::duplicate_error);
}

TEST_CASE("mitigations: common random numbers make the comparison exact where nothing changes") {
  const auto m = example("hospital.json");
  using mit = continuity::mitigation<>;
  std::vector<mit> measures{
      {"nothing", 0.0, [](continuity::model_spec&) {}},
      {"offline backups", 3000000.0,
       [](continuity::model_spec& s) {
         for (auto& sys : s.systems)
           if (sys.has_data() && sys.layer == continuity::asset_layer::software) {
             continuity::backup<double> b;
             b.interval = 24;
             b.generations = 14;
             b.medium = "tape";
             b.mode = continuity::backup_mode::offline;
             b.offsite = true;
             b.restore_time = 12;
             sys.backups.push_back(b);
           }
       }},
      {"no VPN attack at all", 1000000.0,
       [](continuity::model_spec& s) { s.scenarios[0].annual_frequency = 0; }}};
  const auto cmp = continuity::compare_mitigations(m, measures, 4000, 21);
  REQUIRE(cmp.measures.size() == 3);
  // A change that changes nothing gives exactly the baseline, trial by trial.
  CHECK(cmp.measures[0].ale_reduction == 0.0);
  CHECK(cmp.measures[0].ale_reduction_se == 0.0);
  CHECK(std::isnan(cmp.measures[0].rosi));
  // Offline backups lower the loss (data no longer lost, restore instead of rebuild).
  CHECK(cmp.measures[1].ale_reduction > 3 * cmp.measures[1].ale_reduction_se);
  CHECK(cmp.measures[1].loss.mean() < cmp.baseline.mean());
  CHECK(cmp.measures[1].rosi ==
        Approx((cmp.measures[1].ale_reduction - 3000000.0) / 3000000.0));
  // Removing the scenario removes exactly its share of the loss.
  const continuity::incident_simulation<> sim(m);
  const auto base = continuity::run(sim, 4000, 21);
  const double share = base.breakdown.col(static_cast<Eigen::Index>(sim.scenario_column(0))).mean();
  CHECK(cmp.measures[2].ale_reduction == Approx(share).epsilon(1e-12));
  std::vector<mit> bad{{"free lunch", -1.0, [](continuity::model_spec&) {}}};
  CHECK_THROWS_AS(continuity::compare_mitigations(m, bad, 10, 1), continuity::value_error);
  // A subsidy of 40 % up to 0.5 m a year on a 1 m control: 0.4 m paid, 0.6 m
  // net; a cap below the rate's share binds; ROSI on the net cost.
  mit subsidised{"no VPN attack, subsidised", 1000000.0,
                 [](continuity::model_spec& s) { s.scenarios[0].annual_frequency = 0; }};
  subsidised.subsidy_rate = 0.4;
  subsidised.subsidy_cap = 500000.0;
  CHECK(subsidised.subsidy() == Approx(400000.0));
  CHECK(subsidised.net_cost() == Approx(600000.0));
  subsidised.subsidy_cap = 250000.0;
  CHECK(subsidised.net_cost() == Approx(750000.0));
  const auto with_subsidy = continuity::compare_mitigations(m, std::vector<mit>{subsidised}, 4000, 21);
  CHECK(with_subsidy.measures[0].ale_reduction == Approx(share).epsilon(1e-12));
  CHECK(with_subsidy.measures[0].net_cost == Approx(750000.0));
  CHECK(with_subsidy.measures[0].rosi == Approx((share - 750000.0) / 750000.0));
  subsidised.subsidy_rate = 1.5;
  CHECK_THROWS_WITH(continuity::compare_mitigations(m, std::vector<mit>{subsidised}, 10, 1),
                    Catch::Contains("subsidy_rate"));
  std::vector<mit> broken{{"typo", 1.0, [](continuity::model_spec& s) { s.systems[0].name = s.systems[1].name; }}};
  CHECK_THROWS_AS(continuity::compare_mitigations(m, broken, 10, 1), continuity::duplicate_error);
}

TEST_CASE("correlated cost amounts: the simulated rank correlation is the one asked for",
          "[slow]") {
  // Two amounts with different marginals, rank correlation 0.7; the
  // per-line columns of the breakdown must show it (Spearman of 20,000 pairs:
  // standard error about (1 − ρ²)/√n ≈ 0.004; tolerance 0.03).
  const std::string text = R"({"name": "t", "functions": [{"name": "f", "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [{"name": "w", "duration": 1}]}}],
    "scenarios": [{"name": "s", "kind": "other", "annual_frequency": 1, "records_affected": {"poisson": 50},
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "amount": {"lognormal": {"p5": 10, "p95": 1000}}},
                {"name": "b", "amount": {"uniform": [0, 5]}},
                {"name": "c", "driver": "per_record", "amount": 1}],
      "correlations": [{"between": ["a", "b"], "rank_correlation": 0.7}]}]})";
  const auto m = parse(text);
  continuity::simulation_options<> o;
  const continuity::incident_simulation<> sim(m, o);
  const auto r = continuity::run(sim, 20000, 4);
  // Keep the years with exactly one event so each row is one pair.
  std::vector<double> a, b;
  const auto events = r.breakdown.col(static_cast<Eigen::Index>(sim.events_column(0)));
  for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t)
    if (events[t] == 1) {
      a.push_back(r.breakdown(t, static_cast<Eigen::Index>(sim.line_column(0, 0))));
      b.push_back(r.breakdown(t, static_cast<Eigen::Index>(sim.line_column(0, 1))));
    }
  auto ranks = [](const std::vector<double>& v) {
    std::vector<std::size_t> idx(v.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (std::size_t k = 0; k < idx.size(); ++k) r[idx[k]] = double(k);
    return r;
  };
  const auto ra = ranks(a), rb = ranks(b);
  const double n = double(ra.size()), mean = (n - 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < ra.size(); ++k) {
    sab += (ra[k] - mean) * (rb[k] - mean);
    saa += (ra[k] - mean) * (ra[k] - mean);
    sbb += (rb[k] - mean) * (rb[k] - mean);
  }
  REQUIRE(a.size() > 5000);
  CHECK(sab / std::sqrt(saa * sbb) == Approx(0.7).margin(0.03));
  // An invalid matrix (a ↔ b 0.9, b ↔ c 0.9, a ↔ c −0.9) is rejected naming the field.
  auto bad = nlohmann::json::parse(text);
  bad["scenarios"][0]["correlations"] = nlohmann::json::parse(
      R"([{"between": ["a", "b"], "rank_correlation": 0.9}, {"between": ["b", "c"], "rank_correlation": 0.9},
          {"between": ["a", "c"], "rank_correlation": -0.9}])");
  CHECK_THROWS_WITH(model_t(continuity::read_model_spec(bad)),
                    Catch::Contains("correlations") && Catch::Contains("'s'"));
  bad["scenarios"][0]["correlations"] =
      nlohmann::json::parse(R"([{"between": ["a", "nope"], "rank_correlation": 0.5}])");
  CHECK_THROWS_AS(model_t(continuity::read_model_spec(bad)), continuity::reference_error);
}

namespace simulation_reuse_test {

// The years `trials` (in that order) of `sim` with seed 3, each with its
// total in the last entry.
std::vector<std::vector<double>> years(const continuity::incident_simulation<>& sim,
                                       const std::vector<std::uint64_t>& trials) {
  std::vector<std::vector<double>> out;
  for (std::uint64_t t : trials) {
    std::vector<double> row(sim.breakdown_size() + 1);
    continuity::trial_engine e(3, t);
    row.back() = sim(e, std::span<double>(row.data(), sim.breakdown_size()));
    out.push_back(std::move(row));
  }
  return out;
}

} // namespace simulation_reuse_test

TEST_CASE("a simulated year does not depend on the years simulated before it") {
  // Each occurrence reuses the working memory of earlier ones: the years of
  // a fresh simulation, of one that ran them backwards, and of a copy made
  // after them must agree bit for bit. Three incidents a year on average,
  // on the hospital (own procedures, two phases, ransom) and on the gym
  // (default procedures, insurance).
  for (const char* file : {"hospital.json", "gym.json"}) {
    INFO(file);
    auto spec = example(file).spec();
    for (auto& sc : spec.scenarios)
      if (sc.annual_frequency > 0) sc.annual_frequency = 3;
    const model_t m(std::move(spec));
    std::vector<std::uint64_t> forward(60), backward;
    for (std::uint64_t t = 0; t < forward.size(); ++t) forward[t] = t;
    backward.assign(forward.rbegin(), forward.rend());
    const continuity::incident_simulation<> fresh(m), used(m);
    const auto a = simulation_reuse_test::years(fresh, forward);
    auto b = simulation_reuse_test::years(used, backward);
    std::reverse(b.begin(), b.end());
    const continuity::incident_simulation<> copy(used); // starts without working memory
    const auto c = simulation_reuse_test::years(copy, forward);
    std::size_t occurrences = 0;
    for (std::size_t t = 0; t < a.size(); ++t) {
      CHECK(a[t] == b[t]);
      CHECK(a[t] == c[t]);
      occurrences += static_cast<std::size_t>(a[t][fresh.events_column(0)]);
    }
    CHECK(occurrences > 100);
  }
}

TEST_CASE("an incident's cost into reused memory is its cost afresh, insurance included") {
  const auto m = example("gym.json");
  REQUIRE(!m.insurance().empty());
  continuity::incident_cost<> reused;
  continuity::detail::cost_scratch<double> scratch;
  for (double records : {0.0, 250.0, 1e6, 3.0})
    for (index_t i = 0; i < m.scenario_count(); ++i) {
      const auto plan = continuity::plan_recovery(m, i);
      const std::optional<continuity::notification_costs<double>> notices;
      continuity::detail::cost_of_incident(m, i, plan.project, plan.outcome, records,
                                           continuity::point_amounts{}, notices, reused, scratch);
      const auto fresh =
          continuity::cost_of_incident(m, i, plan.project, plan.outcome, records);
      CHECK(reused.total == fresh.total);
      CHECK(reused.by_category == fresh.by_category);
      CHECK(reused.by_line == fresh.by_line);
      CHECK(reused.by_function == fresh.by_function);
      CHECK(reused.insured == fresh.insured);
      CHECK(reused.retained == fresh.retained);
      CHECK(reused.recoverable == fresh.recoverable);
      CHECK(reused.insured_by_policy == fresh.insured_by_policy);
    }
}
