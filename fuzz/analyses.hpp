// fuzz/analyses.hpp — runs the analyses of a valid model, for the model
// harnesses (model_json_fuzzer, model_builder_fuzzer).
//
// A model that exists is valid, and its analyses must not throw (error.hpp).
// Nothing here catches an exception: one escaping an analysis reaches
// libFuzzer as an uncaught exception, a finding. (continuity::scheduling_error
// from recovery planning was caught and counted while a staff shortage that
// left a step fewer people than it needed made planning throw; since steps
// run with the people there are, for longer, it is a finding like any other.)
#pragma once

#include <continuity/continuity.hpp>
#include <continuity/io.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace fuzz {

/// Stops the run with a message: a property of the library does not hold.
[[noreturn]] inline void property_failed(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz: property failed: %s %s\n", what, detail.c_str());
  std::abort();
}

/// Scenarios with at most this many occurrences a year take part in the
/// two-trial simulation: a year of a scenario at 10^6 a year plans 10^6
/// recoveries (a long run by design, not a finding).
inline constexpr double simulated_frequency_limit = 8;

/// Runs every analysis of a valid model. `variant` varies the options and seeds.
inline void run_analyses(const continuity::model& m, std::uint32_t variant = 0) {
  using namespace continuity;
  // Objectives and priorities (computed at construction; read them all).
  const auto& inh = m.system_objectives();
  volatile double sink = 0;
  for (index_t s = 0; s < m.system_count(); ++s)
    if (inh.is_needed(s)) sink = sink + inh.rto[s] + inh.rpo[s];
  for (index_t f = 0; f < m.function_count(); ++f)
    sink = sink + m.function_rto(f) + m.function_rpo(f) + m.function_mtpd(f);
  (void)m.graph().dependency_order();

  // Single points of failure; 3-2-1 of every system's backups.
  const auto spof = single_points_of_failure(m);
  sink = sink + static_cast<double>(spof.size());
  for (index_t s = 0; s < m.system_count(); ++s) (void)check_3_2_1(m.system_at(s));

  for (index_t i = 0; i < m.scenario_count(); ++i) {
    // Impact propagation and the backups that survive.
    const auto hit = propagate_impact(m, i);
    if (hit.systems_down > m.system_count() || hit.functions_down > m.function_count())
      property_failed("propagate_impact counts more than the model has");
    for (index_t f = 0; f < m.function_count(); ++f) {
      if (!hit.function_down[f]) continue;
      // Follow the chain of causes back to a directly damaged system.
      index_t s = hit.function_cause[f];
      for (index_t steps = 0;; ++steps) {
        if (s >= m.system_count()) property_failed("impact cause out of range");
        if (hit.system_cause[s] == s) break;
        if (steps > m.system_count()) property_failed("impact cause chain does not end");
        s = hit.system_cause[s];
      }
    }
    const auto loss = realised_data_loss(m, i);
    if (loss.size() != m.system_count()) property_failed("realised_data_loss size");

    // Damage of one occurrence with every chance at 1/2 or above happening.
    (void)sample_damage(m, i, [](auto, auto, auto p) { return p >= 0.5; });

    // The staff-constrained recovery plan, its gaps and its cost.
    {
      plan_options o;
      const auto plan = plan_recovery(m, i, o);
      if (!std::isfinite(plan.makespan) || plan.makespan < 0)
        property_failed("plan makespan", std::to_string(plan.makespan));
      const auto gaps = find_gaps(m, plan);
      for (const auto& g : gaps.gaps) sink = sink + static_cast<double>(g.message.size());
      const auto cost = cost_of_incident(m, i, plan);
      if (std::isnan(cost.total)) property_failed("incident cost is NaN");
      if (variant & 1u) {
        plan_options better;
        better.improve = true;
        better.search.schedule_budget = 16;
        better.search.population_size = 4;
        better.search.seed = variant;
        better.objective = static_cast<plan_objective>((variant >> 1) % 3);
        const auto improved = plan_recovery(m, i, better);
        (void)find_gaps(m, improved);
      }
    }
  }

  // One sampled occurrence of each scenario with a positive frequency (what a
  // Monte Carlo trial draws: spread, step durations, records, amounts, the
  // copula), then two simulated years of the scenarios at most
  // simulated_frequency_limit times a year.
  const incident_simulation<double> all(m);
  for (index_t i : all.scenarios()) {
    const auto c = all.sample_occurrence(i, variant, 1, 0, [](const auto&, double) {});
    if (!std::isfinite(c.total)) property_failed("sampled occurrence cost", std::to_string(c.total));
  }
  simulation_options<double> so;
  for (index_t i : all.scenarios())
    if (m.scenario_at(i).annual_frequency <= simulated_frequency_limit)
      so.scenarios.push_back(m.scenario_at(i).name);
  if (!so.scenarios.empty()) {
    const incident_simulation<double> sim(m, so);
    run_options ro;
    ro.threads = 1;
    const auto r = run(sim, 2, variant, ro);
    for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t)
      if (!std::isfinite(r.annual_loss[t]))
        property_failed("annual loss", std::to_string(r.annual_loss[t]));
  }
  (void)sink;
}

} // namespace fuzz
