// The order of a model file's arrays carries no meaning: every example model,
// with its systems, functions, resources, scenarios and every unordered list
// inside them shuffled, gives bit-identical recovery plans, gap reports and
// simulated trials (matched by name). Procedure steps and impact-curve steps
// are sequences, and keep their order.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using json = nlohmann::json;

json read_example(const std::string& file) {
  std::ifstream in(std::string(CONTINUITY_EXAMPLES_DIR) + "/" + file);
  return json::parse(in);
}

void shuffle_array(json& a, std::mt19937_64& rng) {
  if (!a.is_array() || a.size() < 2) return;
  std::vector<json> v(a.begin(), a.end());
  std::shuffle(v.begin(), v.end(), rng);
  a = json(v);
}

void shuffle_field(json& object, const char* field, std::mt19937_64& rng) {
  if (object.is_object() && object.contains(field)) shuffle_array(object[field], rng);
}

// A requirement list: its entries, and the candidates of each any_of / k_of_n / all_of.
void shuffle_requirements(json& object, const char* field, std::mt19937_64& rng) {
  if (!object.is_object() || !object.contains(field)) return;
  auto& list = object[field];
  shuffle_array(list, rng);
  for (auto& q : list)
    if (q.is_object())
      for (auto& [key, value] : q.items())
        if (value.is_array()) shuffle_array(value, rng);
}

json shuffled(json model, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const char* top : {"functions", "systems", "resources", "scenarios"})
    shuffle_field(model, top, rng);
  if (model.contains("functions"))
    for (auto& f : model["functions"]) {
      shuffle_requirements(f, "needs", rng);
      shuffle_field(f, "impact", rng);
    }
  if (model.contains("systems"))
    for (auto& s : model["systems"]) {
      shuffle_requirements(s, "depends_on", rng);
      shuffle_field(s, "backups", rng);
    }
  if (model.contains("scenarios"))
    for (auto& sc : model["scenarios"]) {
      shuffle_field(sc, "costs", rng);
      shuffle_field(sc, "damage", rng);
      shuffle_field(sc, "correlations", rng);
      if (sc.contains("spread")) {
        shuffle_field(sc["spread"], "targets", rng);
        shuffle_field(sc["spread"], "connections", rng);
        shuffle_field(sc["spread"], "entry", rng);
      }
    }
  return model;
}

using activity_times = std::map<std::string, std::pair<double, double>>;

activity_times times_of(const continuity::recovery_plan<>& plan) {
  activity_times t;
  const auto& p = plan.project.project();
  for (std::size_t a = 0; a < p.activity_count(); ++a) {
    const auto [it, fresh] =
        t.emplace(p.activity_label(a), std::pair(plan.schedule.start(a), plan.schedule.finish(a)));
    CHECK(fresh);
  }
  return t;
}

std::vector<std::string> order_names(const continuity::model& m,
                                     const continuity::recovery_plan<>& plan) {
  std::vector<std::string> names;
  for (auto s : plan.recovery_order) names.push_back(m.system_at(s).name);
  return names;
}

using gap_row = std::tuple<std::string, std::string, std::string, double, double, std::string,
                           std::string>;

std::vector<gap_row> gaps_of(const continuity::model& m, const continuity::gap_report<>& r) {
  std::vector<gap_row> rows;
  for (const auto& g : r.gaps)
    rows.emplace_back(std::string(to_string(g.kind)),
                      g.function == continuity::no_index ? "" : m.function_at(g.function).name,
                      g.system == continuity::no_index ? "" : m.system_at(g.system).name,
                      g.objective, g.achieved, g.cause, g.message);
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::map<std::string, std::vector<double>> capabilities_of(const continuity::model& m,
                                                           const continuity::gap_report<>& r) {
  std::map<std::string, std::vector<double>> rows;
  for (const auto& f : r.functions)
    rows[m.function_at(f.function).name] = {f.back_degraded, f.back_full, f.unconstrained_back,
                                            f.resumed, f.realised_rpo, f.down ? 1.0 : 0.0};
  return rows;
}

std::map<std::string, std::vector<double>> columns_of(const continuity::simulation_result<>& r) {
  std::map<std::string, std::vector<double>> columns;
  for (Eigen::Index c = 0; c < r.breakdown.cols(); ++c) {
    const auto col = r.breakdown.col(c);
    columns[r.breakdown_names[static_cast<std::size_t>(c)]] =
        std::vector<double>(col.data(), col.data() + col.size());
  }
  return columns;
}

} // namespace

TEST_CASE("shuffled example models: bit-identical plans, gap reports and simulated trials") {
  for (const char* file : {"hospital.json", "manufacturer_a.json", "retailer_b.json"}) {
    const json original = read_example(file);
    const continuity::model base(continuity::read_model_spec(original));
    const continuity::incident_simulation<> base_sim(base);
    const auto base_run = continuity::run(base_sim, 200, 17);
    for (std::uint64_t shuffle = 1; shuffle <= 8; ++shuffle) {
      INFO(file << ", shuffle " << shuffle);
      const continuity::model m(continuity::read_model_spec(shuffled(original, shuffle)));
      REQUIRE(m.scenario_count() == base.scenario_count());
      for (continuity::index_t i = 0; i < base.scenario_count(); ++i) {
        const auto& name = base.scenario_at(i).name;
        INFO("scenario " << name);
        const auto p0 = continuity::plan_recovery(base, name);
        const auto p1 = continuity::plan_recovery(m, name);
        CHECK(times_of(p1) == times_of(p0));
        CHECK(order_names(m, p1) == order_names(base, p0));
        CHECK(p1.business_impact == p0.business_impact);
        CHECK(p1.weighted_rto_tardiness == p0.weighted_rto_tardiness);
        CHECK(p1.makespan == p0.makespan);
        // The improving search too (a small budget).
        continuity::plan_options improve;
        improve.improve = true;
        improve.search.schedule_budget = 200;
        const auto q0 = continuity::plan_recovery(base, name, improve);
        const auto q1 = continuity::plan_recovery(m, name, improve);
        CHECK(times_of(q1) == times_of(q0));
        CHECK(q1.business_impact == q0.business_impact);
        const auto g0 = continuity::find_gaps(base, p0), g1 = continuity::find_gaps(m, p1);
        CHECK(gaps_of(m, g1) == gaps_of(base, g0));
        CHECK(capabilities_of(m, g1) == capabilities_of(base, g0));
      }
      const continuity::incident_simulation<> sim(m);
      const auto r = continuity::run(sim, 200, 17);
      CHECK((r.annual_loss == base_run.annual_loss).all());
      CHECK(columns_of(r) == columns_of(base_run));
    }
  }
}

TEST_CASE("shuffled cost lines and rank correlations: bit-identical simulated trials") {
  const json original = json::parse(R"({"name": "correlated",
    "functions": [{"name": "f", "revenue_per_day": 24000, "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [{"name": "w", "kind": "recovery_work",
                 "duration": {"pert": [2, 5, 20]}}]}}],
    "scenarios": [{"name": "s", "kind": "data_breach", "annual_frequency": 3,
      "records_affected": {"lognormal": {"p5": 100, "p95": 10000}},
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "a", "driver": "fixed", "amount": {"lognormal": {"p5": 1000, "p95": 50000}}},
                {"name": "b", "driver": "per_record", "amount": {"pert": [10, 20, 60]}},
                {"name": "c", "driver": "fixed", "amount": {"uniform": [100, 900]}}],
      "correlations": [{"between": ["a", "b"], "rank_correlation": 0.6},
                       {"between": ["records_affected", "c"], "rank_correlation": -0.3},
                       {"between": ["b", "c"], "rank_correlation": 0.2}]}]})");
  const continuity::model base(continuity::read_model_spec(original));
  const continuity::incident_simulation<> base_sim(base);
  const auto base_run = continuity::run(base_sim, 500, 3);
  for (std::uint64_t shuffle = 1; shuffle <= 8; ++shuffle) {
    INFO("shuffle " << shuffle);
    json changed = shuffled(original, shuffle);
    // Pairs written the other way round mean the same.
    std::mt19937_64 swap(shuffle);
    for (auto& pair : changed["scenarios"][0]["correlations"]) shuffle_array(pair["between"], swap);
    const continuity::model m(continuity::read_model_spec(changed));
    const continuity::incident_simulation<> sim(m);
    const auto r = continuity::run(sim, 500, 3);
    CHECK((r.annual_loss == base_run.annual_loss).all());
    CHECK(columns_of(r) == columns_of(base_run));
  }
}
