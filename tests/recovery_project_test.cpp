// Tests of continuity/recovery/recovery_project.hpp under staff shortage:
// a step that needs more people than an incident leaves runs with those
// there are, for longer, and is reported as a staff_shortfall gap; external
// pools are not reduced; a one-person team is never rounded down to nobody;
// planning and the Monte Carlo never throw for a valid model, whatever the
// availability. A project rebuilt in reused memory (as the simulation does
// for every occurrence) is the project built afresh.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>
#include <continuity/synthetic.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"
#include "support/same_project.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;

json staff_hospital() {
  std::ifstream in(std::string(CONTINUITY_EXAMPLES_DIR) + "/hospital.json");
  return json::parse(in);
}

continuity::model staff_model(const json& j) {
  return continuity::model(continuity::read_model_spec(j));
}

int shortfall_gaps(const continuity::model& m, const continuity::recovery_plan<>& plan) {
  int n = 0;
  for (const auto& g : continuity::find_gaps(m, plan).gaps)
    if (g.kind == continuity::gap_kind::staff_shortfall) {
      ++n;
      CHECK(g.achieved < g.objective);
      CHECK(g.message.find("needs") != std::string::npos);
    }
  return n;
}

} // namespace

TEST_CASE("people available: the expected head count, never rounded down to nobody") {
  using continuity::people_available;
  CHECK(people_available(1, 0.7) == 1);
  CHECK(people_available(1, 0.05) == 1);
  CHECK(people_available(2, 0.5) == 1);
  CHECK(people_available(10, 0.5) == 5);
  CHECK(people_available(10, 0.74) == 7);
  CHECK(people_available(10, 0.76) == 8);
  CHECK(people_available(3, 1.0) == 3);
  CHECK(people_available(0, 0.5) == 0);
}

TEST_CASE("hospital ransomware at half the IT staff: a plan with a staff_shortfall gap") {
  // 're-install hypervisors' needs 2 of the 2 IT staff; half of them are
  // left. It used to be "the recovery plan is impossible" (and the whole
  // simulation failed); now it runs with one person for twice as long.
  json j = staff_hospital();
  const auto full = staff_model(j);
  const auto base = continuity::plan_recovery(full, "ransomware through the VPN");
  for (auto& sc : j["scenarios"]) sc["staff_availability"] = 0.5;
  const auto m = staff_model(j);
  const auto plan = continuity::plan_recovery(m, "ransomware through the VPN");
  CHECK(shortfall_gaps(m, plan) >= 1);
  CHECK(plan.makespan >= base.makespan);
  CHECK(plan.business_impact >= base.business_impact);
  const auto& rp = plan.project;
  bool hypervisors = false;
  for (const auto& sf : rp.shortfalls())
    if (rp.label(sf.activity).find("re-install hypervisors") != std::string::npos) {
      hypervisors = true;
      CHECK(sf.needed == 2);
      CHECK(sf.available == 1);
    }
  CHECK(hypervisors);
  // The vendor's engineers are outside help only if marked so: mark them and
  // they keep their full number.
  for (auto& pool : j["resources"])
    if (pool["name"] == "vendor engineers") pool["external"] = true;
  const auto with_vendor = staff_model(j);
  const auto plan2 = continuity::plan_recovery(with_vendor, "ransomware through the VPN");
  const auto vendor = *with_vendor.find_resource("vendor engineers");
  CHECK(plan2.project.capacities()[vendor] == with_vendor.resources()[vendor].capacity);
  CHECK(plan.project.capacities()[vendor] <= m.resources()[vendor].capacity);
  // A year of simulation succeeds.
  const continuity::incident_simulation<> sim(m);
  const auto r = continuity::run(sim, 200, 3);
  CHECK(r.annual_loss.isFinite().all());
}

TEST_CASE("availabilities from 0.05 to 0.99 never throw, in planning or simulation") {
  json j = staff_hospital();
  for (double a = 0.05; a < 1.0; a += 0.047) {
    INFO("availability " << a);
    for (auto& sc : j["scenarios"]) {
      sc["staff_availability"] = a;
      sc["annual_frequency"] = 2;
    }
    const auto m = staff_model(j);
    for (continuity::index_t i = 0; i < m.scenario_count(); ++i) {
      const auto plan = continuity::plan_recovery(m, i);
      CHECK(std::isfinite(plan.business_impact));
      (void)continuity::find_gaps(m, plan);
    }
    const continuity::incident_simulation<> sim(m);
    CHECK(continuity::run(sim, 20, 1).annual_loss.isFinite().all());
  }
}

TEST_CASE("a one-person IT team at 0.7 availability gets a plan") {
  const auto m = staff_model(json::parse(R"({"name": "SME", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "orders", "revenue_per_day": 100000, "needs": ["server"]}],
    "systems": [{"name": "server", "recovery": {"emergency": [{"name": "rebuild", "kind": "recovery_work", "duration": 8, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "failure", "kind": "it_failure", "staff_availability": 0.7, "damage": [{"systems": ["server"]}]}]})"));
  const auto plan = continuity::plan_recovery(m, "failure");
  CHECK(plan.makespan == Approx(8));
  CHECK(shortfall_gaps(m, plan) == 0);
}

TEST_CASE("no staff at all is a value_error when the model is built") {
  json j = staff_hospital();
  j["scenarios"][0]["staff_availability"] = 0;
  const auto e = continuity_test::thrown_by_json<continuity::value_error>(j);
  REQUIRE(e);
  CHECK(e->field() == "staff_availability");
}

TEST_CASE("a default procedure never needs a pool of nobody") {
  // An "IT staff" pool of capacity 0 and a system without a procedure: the
  // default procedure takes its staff from the clerks (planning used to
  // throw: the step needed one of 'IT staff', which had none).
  const auto m = staff_model(json::parse(R"({"name": "zero", "resources": [
      {"name": "IT staff", "capacity": 0}, {"name": "clerks", "capacity": 2}],
    "functions": [{"name": "orders", "needs": ["server"]}],
    "systems": [{"name": "server"}],
    "scenarios": [{"name": "failure", "kind": "it_failure", "annual_frequency": 1,
                   "damage": [{"systems": ["server"]}]}]})"));
  const auto plan = continuity::plan_recovery(m, "failure");
  CHECK(std::isfinite(plan.makespan));
  const auto clerks = *m.find_resource("clerks");
  bool staffed = false;
  for (std::size_t a = 0; a < plan.project.project().activity_count(); ++a)
    staffed |= plan.project.project().demand(a, clerks) > 0;
  CHECK(staffed);
  const continuity::incident_simulation<> sim(m);
  CHECK(continuity::run(sim, 20, 1).annual_loss.isFinite().all());
}

TEST_CASE("staff availability per pool: {\"IT staff\": 0.5} on the hospital plans and simulates") {
  json j = staff_hospital();
  for (auto& sc : j["scenarios"]) sc["staff_availability"] = json{{"IT staff", 0.5}};
  const auto m = staff_model(j);
  const auto it = *m.find_resource("IT staff"), vendor = *m.find_resource("vendor engineers");
  const auto i = m.scenario_named("ransomware through the VPN");
  CHECK(m.pool_availability(i, it) == 0.5);
  CHECK(m.pool_availability(i, vendor) == 1.0); // not named: full, whatever its kind
  const auto plan = continuity::plan_recovery(m, i);
  CHECK(plan.project.capacities()[it] == 1);
  CHECK(plan.project.capacities()[vendor] == m.resources()[vendor].capacity);
  CHECK(shortfall_gaps(m, plan) >= 1);
  const continuity::incident_simulation<> sim(m);
  const auto r = continuity::run(sim, 2000, 5);
  CHECK(r.annual_loss.isFinite().all());
  CHECK(r.annual_loss.size() == 2000);
  // A pool named explicitly is reduced even when it is outside help.
  for (auto& pool : j["resources"])
    if (pool["name"] == "vendor engineers") pool["external"] = true;
  for (auto& sc : j["scenarios"]) sc["staff_availability"] = json{{"vendor engineers", 0.5}};
  const auto v = staff_model(j);
  const auto vplan = continuity::plan_recovery(v, "ransomware through the VPN");
  CHECK(vplan.project.capacities()[vendor] ==
        continuity::people_available(v.resources()[vendor].capacity, 0.5));
  CHECK(vplan.project.capacities()[it] == v.resources()[it].capacity);
}

TEST_CASE("staff availability per pool: bad entries are errors naming the pool") {
  json j = staff_hospital();
  j["scenarios"][0]["staff_availability"] = json{{"night shift", 0.5}};
  const auto unknown = continuity_test::thrown_by_json<continuity::reference_error>(j);
  REQUIRE(unknown);
  CHECK(unknown->field() == "staff_availability['night shift']");
  j["scenarios"][0]["staff_availability"] = json{{"IT staff", 0}};
  const auto zero = continuity_test::thrown_by_json<continuity::value_error>(j);
  REQUIRE(zero);
  CHECK(zero->field() == "staff_availability['IT staff']");
  j["scenarios"][0]["staff_availability"] = json{{"IT staff", 1.5}};
  CHECK(continuity_test::thrown_by_json<continuity::value_error>(j));
  j["scenarios"][0]["staff_availability"] = json{{"IT staff", "half"}};
  const auto text = continuity_test::thrown_by_json<continuity::value_error>(j);
  REQUIRE(text);
  CHECK(text->field() == "staff_availability['IT staff']");
  j["scenarios"][0]["staff_availability"] = json::array({0.5});
  CHECK(continuity_test::thrown_by_json<continuity::value_error>(j));
  // The same pool twice (possible in a specification built in code).
  auto spec = continuity::read_model_spec(staff_hospital());
  spec.scenarios[0].pools_available = {{"IT staff", 0.5}, {"IT staff", 0.6}};
  const auto twice = continuity_test::thrown_by_spec<continuity::duplicate_error>(spec);
  REQUIRE(twice);
  CHECK(twice->field() == "staff_availability['IT staff']");
}

TEST_CASE("staff availability per pool survives a JSON round trip, with the overall share") {
  auto spec = continuity::read_model_spec(staff_hospital());
  spec.scenarios[0].staff_availability = 0.5;
  spec.scenarios[0].pools_available = {{"vendor engineers", 0.8}};
  const continuity::model before(spec);
  const continuity::model after(continuity::read_model_spec(continuity::to_json(spec)));
  for (continuity::index_t r = 0; r < before.resources().size(); ++r)
    CHECK(after.pool_availability(0, r) == before.pool_availability(0, r));
  const auto a = continuity::plan_recovery(before, 0), b = continuity::plan_recovery(after, 0);
  CHECK(a.business_impact == b.business_impact);
  CHECK(std::equal(a.project.capacities().begin(), a.project.capacities().end(),
                   b.project.capacities().begin(), b.project.capacities().end()));
}

TEST_CASE("the Monte Carlo draws who is there person by person: E[outage] of a 10-person step") {
  // One step of 1 h that needs all 10 of a pool at availability 0.5: with K
  // people there (K ~ Binomial(10, 0.5), at least 1) it takes 10 / K hours.
  // The outage's exact mean is Σ_k P(K = k) · 10 / max(k, 1); the expected
  // head count of the point plan (5 people) would give 2 h for every trial.
  const auto m = staff_model(json::parse(R"({"name": "ten", "resources": [{"name": "crew", "capacity": 10}],
    "functions": [{"name": "f", "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [{"name": "all hands", "kind": "recovery_work", "duration": 1, "needs": [{"resource": "crew", "units": 10}]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 1, "staff_availability": 0.5,
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "outage", "driver": "per_outage_hour", "function": "f", "amount": 1}]}]})"));
  CHECK(continuity::plan_recovery(m, "s").makespan == Approx(2.0));
  double exact_mean = 0, exact_second = 0, choose = 1;
  for (int k = 0; k <= 10; ++k) {
    if (k > 0) choose = choose * (10 - k + 1) / k;
    const double p = choose / 1024.0, hours = 10.0 / std::max(k, 1);
    exact_mean += p * hours;
    exact_second += p * hours * hours;
  }
  const double exact_sd = std::sqrt(exact_second - exact_mean * exact_mean);
  const continuity::incident_simulation<> sim(m);
  constexpr int trials = 4000;
  double sum = 0;
  auto ignore = [](const continuity::incident_input&, double) {};
  for (std::uint64_t t = 0; t < trials; ++t) sum += sim.sample_occurrence(0, 11, t, 0, ignore).total;
  // Mean 2.30 h (not 2 h); standard error sd / sqrt(4000) ≈ 0.018 h; tolerance 5 SE.
  CHECK(std::abs(sum / trials - exact_mean) < 5 * exact_sd / std::sqrt(double(trials)));
  CHECK(exact_mean - 2.0 > 10 * exact_sd / std::sqrt(double(trials)));
}

namespace project_rebuild_test {

// Every field of two recovery projects but the labels and procedures (a
// project rebuilt for a simulation has neither), compared exactly.
void require_same(const continuity::model& m, const continuity::recovery_project<>& a,
                  const continuity::recovery_project<>& b) {
  continuity_test::require_same_project(a.project(), b.project(), false);
  for (std::size_t x = 0; x < a.project().activity_count(); ++x) {
    const auto& u = a.activity(x);
    const auto& v = b.activity(x);
    CHECK((u.system == v.system && u.kind == v.kind && u.phase == v.phase && u.step == v.step &&
           u.index == v.index));
  }
  for (continuity::index_t s = 0; s < m.system_count(); ++s) {
    INFO("system " << m.system_at(s).name);
    CHECK(a.is_damaged(s) == b.is_damaged(s));
    CHECK(a.is_down(s) == b.is_down(s));
    CHECK(a.back_degraded(s) == b.back_degraded(s));
    CHECK(a.back_full(s) == b.back_full(s));
    CHECK(a.stop_begins(s) == b.stop_begins(s));
    CHECK(a.stop_ends(s) == b.stop_ends(s));
    CHECK(a.data_reentry(s) == b.data_reentry(s));
    CHECK(a.lost_records(s) == b.lost_records(s));
    CHECK(a.reentry_hours(s) == b.reentry_hours(s));
    CHECK(a.emergency_capacity(s) == b.emergency_capacity(s));
    if (a.is_damaged(s)) CHECK(a.uses_default_procedure(s) == b.uses_default_procedure(s));
    const auto wa = a.waits_for(s);
    const auto wb = b.waits_for(s);
    CHECK(std::vector<continuity::index_t>(wa.begin(), wa.end()) ==
          std::vector<continuity::index_t>(wb.begin(), wb.end()));
  }
  REQUIRE(a.shortfalls().size() == b.shortfalls().size());
  for (std::size_t k = 0; k < a.shortfalls().size(); ++k) {
    const auto& x = a.shortfalls()[k];
    const auto& y = b.shortfalls()[k];
    CHECK((x.system == y.system && x.phase == y.phase && x.activity == y.activity &&
           x.resource == y.resource && x.needed == y.needed && x.available == y.available));
  }
  CHECK(a.situation().damaged == b.situation().damaged);
  CHECK(a.situation().release == b.situation().release);
  CHECK(a.impact().system_down == b.impact().system_down);
  CHECK(a.impact().function_down == b.impact().function_down);
}

// Situations of scenario i of m that differ in every way a simulation
// varies them: the damage (all, or every other damaged system), the staff
// there, ransom release times, and the step durations (scaled).
std::vector<continuity::recovery_situation<>> situations(const continuity::model& m,
                                                         continuity::index_t i) {
  std::vector<continuity::recovery_situation<>> out;
  const auto all = continuity::situation_of(m, i);
  out.push_back(all);
  auto some = all;
  some.damaged.clear();
  for (std::size_t k = 0; k < all.damaged.size(); k += 2) some.damaged.push_back(all.damaged[k]);
  some.staff_availability = 0.4;
  some.pool_capacity.clear();
  out.push_back(some);
  auto released = all;
  released.release.assign(m.system_count(), 0.0);
  for (std::size_t k = 0; k < all.damaged.size(); k += 3)
    released.release[all.damaged[k]] = 30.0 + static_cast<double>(k);
  for (auto& c : released.pool_capacity) c = c > 1 ? c - 1 : c;
  out.push_back(released);
  return out;
}

} // namespace project_rebuild_test

TEST_CASE("a recovery project rebuilt in reused memory is the project built afresh") {
  // One workspace (project and working memory) for every situation of
  // several models' scenarios in turn, larger and smaller, with sampled
  // durations: nothing of an earlier project may remain in a later one.
  continuity::synthetic_inventory_options o;
  o.systems = 300;
  o.functions = 10;
  o.cycles = 6;
  std::vector<continuity::model> models;
  models.push_back(staff_model(staff_hospital()));
  models.push_back(continuity::model(continuity::generate_inventory(o)));
  for (const auto& m : models) {
    continuity::detail::procedure_plans<double> plans(m);
    plans.prepare_all();
    continuity::detail::recovery_build_scratch<double> scratch;
    continuity::recovery_project<> reused;
    continuity::recovery_situation<> spare;
    int round = 0;
    for (continuity::index_t i = 0; i < m.scenario_count(); ++i)
      for (const auto& sit : project_rebuild_test::situations(m, i)) {
        ++round;
        const double scale = 1.0 + 0.25 * round;
        auto durations = [scale](continuity::index_t s, continuity::recovery_phase ph,
                                 std::size_t step, const continuity::distribution<double>& d) {
          return d.mean() * scale + 0.01 * static_cast<double>(s % 7) +
                 (ph == continuity::recovery_phase::permanent ? 0.5 : 0.0) +
                 0.001 * static_cast<double>(step);
        };
        const auto fresh = continuity::build_recovery_project(m, sit, durations);
        spare = sit;
        continuity::detail::rebuild_recovery_project(m, plans, spare, durations, scratch, reused,
                                                     false);
        INFO("model with " << m.system_count() << " systems, scenario " << i << ", round " << round);
        project_rebuild_test::require_same(m, reused, fresh);
        CHECK(reused.project().activity_name(0).empty()); // no labels in a simulation's project
        // With labels, it is the project afresh to the letter.
        spare = sit;
        continuity::detail::rebuild_recovery_project(m, plans, spare, durations, scratch, reused,
                                                     true);
        for (std::size_t a = 0; a < fresh.project().activity_count(); ++a)
          CHECK(reused.label(a) == fresh.label(a));
      }
  }
}
