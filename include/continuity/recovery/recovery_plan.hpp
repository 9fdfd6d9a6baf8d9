// continuity/recovery/recovery_plan.hpp — plan the recovery from an incident
// under limited staff: a fast priority-rule schedule, optionally improved by
// a search against an objective, with each system's and function's outcome.
//
// The fast schedule is the serial schedule generation scheme over an activity
// list built by a priority rule. The default rule (recovery_priority):
//   1. the user's preferred order, if given: the emergency work of the systems
//      listed first, in that order, each preceded by what it still waits for
//      (order_ranks);
//   2. the emergency phase and data re-entry before any permanent-phase work;
//   3. the priority class the system inherits from the functions needing it
//      (S first; systems no function needs last);
//   4. RTO slack: the latest start that still meets the inherited RTOs
//      (computed backwards from every "back" milestone's RTO, without
//      resource limits) minus the earliest start;
//   5. tie-break: the latest finish time against the critical path, then the
//      activity's index: systems in basic_model::dependency_order_by_name(),
//      steps in procedure order (never the order of the model's arrays).
// The serial SGS starts each activity in list order at its earliest feasible
// time, so later activities still fill idle staff: the list is a priority,
// not a sequence.
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/recovery/order_search.hpp>
#include <continuity/recovery/recovery_outcome.hpp>
#include <continuity/recovery/recovery_project.hpp>
#include <continuity/scheduling/critical_path.hpp>
#include <continuity/scheduling/improvement.hpp>
#include <continuity/scheduling/schedule.hpp>
#include <continuity/scheduling/serial_sgs.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace continuity {

/// What the improving search minimises.
enum class plan_objective : std::uint8_t {
  makespan,               ///< time until every step is done
  weighted_rto_tardiness, ///< Σ over functions of class weight × hours late past the RTO
  business_impact,        ///< Σ over functions of lost profit + impact curves over the outage
};

/// "makespan", "weighted_rto_tardiness" or "business_impact".
constexpr std::string_view to_string(plan_objective o) noexcept {
  return o == plan_objective::makespan                 ? "makespan"
         : o == plan_objective::weighted_rto_tardiness ? "weighted_rto_tardiness"
                                                       : "business_impact";
}

/// Parses a name written by to_string(plan_objective).
constexpr std::optional<plan_objective> parse_plan_objective(std::string_view s) noexcept {
  for (auto o : {plan_objective::makespan, plan_objective::weighted_rto_tardiness,
                 plan_objective::business_impact})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

/// Settings of plan_recovery.
template <class Real = double>
struct recovery_options {
  /// Run the improving search after the fast schedule (the result is never
  /// worse than the fast schedule for `objective`).
  bool improve = false;
  /// What the search minimises.
  plan_objective objective = plan_objective::business_impact;
  /// Budget (generated schedules: 2,000 by default), seed and cancellation
  /// of the search.
  improvement_options search = [] {
    improvement_options o;
    o.schedule_budget = 2000;
    return o;
  }();
  /// Systems to recover first, in this order (names), each with what it
  /// still waits for (order_ranks); the rest follow the rule. Empty: the
  /// model's prepared recovery order (basic_model::prepared_order()).
  std::vector<std::string> order;
  /// Threads of the improving search (0: every core); the plan does not
  /// depend on it.
  unsigned threads = 0;
  /// Wall-clock budget of the improving search in seconds, on top of its
  /// schedule budget (0: none). With a time budget the plan can depend on
  /// the machine's speed.
  double seconds = 0;
  /// Weight of an hour late per class S, A, B, C, D (weighted_rto_tardiness).
  std::array<Real, priority_class_count> class_weights{16, 8, 4, 2, 1};
};

/// Options in double precision.
using plan_options = recovery_options<double>;

/// A recovery plan: the project, its schedule and what it means.
template <class Real = double>
struct recovery_plan {
  recovery_project<Real> project;     ///< what has to be done
  basic_schedule<Real> schedule;      ///< when (always feasible)
  std::vector<std::size_t> activity_list; ///< the list the serial SGS turned into `schedule`
  basic_schedule<Real> unconstrained; ///< earliest times without resource limits
  recovery_outcome<Real> outcome;     ///< systems and functions over time
  /// Damaged systems in the order they are back (ties: by name).
  std::vector<index_t> recovery_order;
  Real makespan = 0;                  ///< hours until all recovery work is done
  Real weighted_rto_tardiness = 0;    ///< Σ class weight × hours late past the RTO
  Real business_impact = 0;           ///< Σ business impact of the functions
  /// A lower bound on `objective`'s value over every feasible plan: its value
  /// when every activity starts at its earliest time without staff limits
  /// (no plan brings anything back sooner, and costs grow with every hour a
  /// function waits). The plan is within (value − bound) of the optimum.
  Real lower_bound = 0;
  plan_objective objective_used = plan_objective::business_impact; ///< the objective of lower_bound
  std::size_t schedules_generated = 1; ///< schedules the planner generated

  /// The value of objective `o` for this plan.
  Real objective(plan_objective o) const noexcept {
    return o == plan_objective::makespan                 ? makespan
           : o == plan_objective::weighted_rto_tardiness ? weighted_rto_tardiness
                                                         : business_impact;
  }
};

namespace detail {

template <class Real>
Real weighted_tardiness(const basic_model<Real>& m, const recovery_outcome<Real>& o,
                        const std::array<Real, priority_class_count>& w) {
  Real total = 0;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = o.functions[f];
    const Real rto = m.function_rto(f);
    if (!fo.down || !std::isfinite(rto) || fo.back_degraded <= rto) continue;
    total += w[static_cast<std::size_t>(m.function_class(f))] * (fo.back_degraded - rto);
  }
  return total;
}

// The systems named in `order`, resolved; reference_error for an unknown one.
// An empty order is the model's prepared recovery order.
template <class Real>
std::vector<index_t> user_order(const basic_model<Real>& m, const std::vector<std::string>& order) {
  if (order.empty()) return {m.prepared_order().begin(), m.prepared_order().end()};
  std::vector<index_t> systems;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto s = m.find_system(order[i]);
    if (!s)
      throw reference_error("recovery options", {}, "order[" + std::to_string(i) + "]",
                            "unknown system '" + order[i] + "'");
    systems.push_back(*s);
  }
  return systems;
}

/// Working memory of recovery_priority, kept between lists.
template <class Real>
struct recovery_priority_scratch {
  std::vector<rule_key_part<Real>> parts;
  std::vector<std::size_t> rank;
  unit_rank_scratch units;
  rule_scratch<Real> rule;
};

/// recovery_priority into `list`, with the user's order resolved (`order`,
/// see user_order), reusing memory.
template <class Real>
void recovery_priority(const basic_model<Real>& m, const recovery_project<Real>& rp,
                       std::span<const index_t> order, std::vector<std::size_t>& list,
                       recovery_priority_scratch<Real>& scratch) {
  rule_key_parts(m, rp, scratch.parts, scratch.rule);
  order_ranks(m, rp, order, scratch.rank, scratch.units);
  ranked_list(rp, std::span<const rule_key_part<Real>>(scratch.parts),
              std::span<const std::size_t>(scratch.rank), list, scratch.rule);
}

} // namespace detail

/// The activity list of the default priority rule (see the header comment).
/// Throws reference_error for an unknown system in options.order.
template <class Real>
std::vector<std::size_t> recovery_priority(const basic_model<Real>& m,
                                           const recovery_project<Real>& rp,
                                           const recovery_options<Real>& options = {}) {
  const auto order = detail::user_order(m, options.order);
  std::vector<std::size_t> list;
  detail::recovery_priority_scratch<Real> scratch;
  detail::recovery_priority(m, rp, std::span<const index_t>(order), list, scratch);
  return list;
}

namespace detail {

template <class Real>
recovery_plan<Real> finish_plan(const basic_model<Real>& m, recovery_project<Real> rp,
                                basic_schedule<Real> s, std::vector<std::size_t> list,
                                const recovery_options<Real>& options) {
  recovery_plan<Real> plan;
  const auto& p = rp.project();
  const auto cp = critical_path(p);
  plan.unconstrained = basic_schedule<Real>(p, cp.earliest_start);
  plan.outcome = evaluate_recovery(m, rp, s.starts(), s.finishes(), plan.unconstrained.finishes());
  plan.makespan = s.makespan();
  plan.weighted_rto_tardiness = weighted_tardiness(m, plan.outcome, options.class_weights);
  plan.business_impact = plan.outcome.business_impact;
  plan.objective_used = options.objective;
  switch (options.objective) {
  case plan_objective::makespan: plan.lower_bound = plan.unconstrained.makespan(); break;
  case plan_objective::weighted_rto_tardiness:
  case plan_objective::business_impact: {
    const auto free = evaluate_recovery(m, rp, plan.unconstrained.starts(),
                                        plan.unconstrained.finishes());
    plan.lower_bound = options.objective == plan_objective::business_impact
                           ? free.business_impact
                           : weighted_tardiness(m, free, options.class_weights);
    break;
  }
  }
  for (index_t x = 0; x < m.system_count(); ++x)
    if (rp.is_damaged(x)) plan.recovery_order.push_back(x);
  std::sort(plan.recovery_order.begin(), plan.recovery_order.end(), [&](index_t a, index_t b) {
    const Real ta = plan.outcome.systems[a].back_degraded, tb = plan.outcome.systems[b].back_degraded;
    return ta != tb ? ta < tb : m.system_rank(a) < m.system_rank(b);
  });
  plan.schedule = std::move(s);
  plan.activity_list = std::move(list);
  plan.project = std::move(rp);
  return plan;
}

} // namespace detail

/// Plans the recovery of `rp` (a project of model `m`): the fast schedule of
/// the priority rule, then, if options.improve, the improving search seeded
/// with it. Throws reference_error for an unknown system in options.order.
template <class Real>
recovery_plan<Real> plan_recovery(const basic_model<Real>& m, recovery_project<Real> rp,
                                  const recovery_options<Real>& options = {}) {
  const auto& p = rp.project();
  auto list = recovery_priority(m, rp, options);
  auto fast = serial_sgs(p, std::span<const std::size_t>(list));
  std::size_t generated = 1;
  if (options.improve && p.activity_count() > 1) {
    const auto objective = [&](const basic_schedule<Real>& s) -> Real {
      switch (options.objective) {
      case plan_objective::makespan: return s.makespan();
      case plan_objective::weighted_rto_tardiness:
        return detail::weighted_tardiness(m, evaluate_recovery(m, rp, s.starts(), s.finishes()),
                                          options.class_weights);
      case plan_objective::business_impact:
        return evaluate_recovery(m, rp, s.starts(), s.finishes()).business_impact;
      }
      return s.makespan();
    };
    if (options.objective == plan_objective::makespan) {
      // Activity lists (genetic algorithm): best on makespans.
      const std::vector<std::vector<std::size_t>> seeds{list};
      auto r = improve_schedule(p, options.search, objective, seeds);
      generated += r.schedules_generated;
      if (r.objective < objective(fast)) {
        fast = std::move(r.best);
        list = std::move(r.activity_list);
      }
    } else {
      // Orders of systems: what to restore first, for the business objectives.
      order_search_options so;
      so.evaluations = options.search.schedule_budget;
      so.seed = options.search.seed;
      so.cancel = options.search.cancel;
      so.threads = options.threads;
      so.seconds = options.seconds;
      // Three starts: the order in which the rule's list reaches the units,
      // the order in which the rule's plan finishes them, and the business
      // functions by their impact per hour of work ahead (each with the
      // systems it needs); the search moves the functions' groups forward.
      const auto groups =
          function_groups(m, rp, evaluate_recovery(m, rp, fast.starts(), fast.finishes()));
      auto completion = order_of_completion(rp, fast);
      auto by_groups = order_by_groups(rp, std::span<const recovery_unit>(completion),
                                       std::span<const recovery_group>(groups));
      const std::vector<std::vector<recovery_unit>> starts{
          order_of_list(rp, std::span<const std::size_t>(list)), std::move(completion),
          std::move(by_groups)};
      auto r = search_recovery_order(m, rp, objective,
                                     std::span<const std::vector<recovery_unit>>(starts), so,
                                     std::span<const recovery_group>(groups));
      generated += r.evaluations;
      if (r.objective < objective(fast)) {
        fast = std::move(r.schedule);
        list = std::move(r.activity_list);
      }
    }
  }
  auto plan = detail::finish_plan(m, std::move(rp), std::move(fast), std::move(list), options);
  plan.schedules_generated = generated;
  return plan;
}

/// Plans the recovery from scenario `i` of `m` at point durations.
template <class Real>
recovery_plan<Real> plan_recovery(const basic_model<Real>& m, index_t i,
                                  const recovery_options<Real>& options = {}) {
  return plan_recovery(m, build_recovery_project(m, i), options);
}

/// Plans the recovery from the scenario of `m` called `scenario`. Throws
/// reference_error if there is none.
template <class Real>
recovery_plan<Real> plan_recovery(const basic_model<Real>& m, std::string_view scenario,
                                  const recovery_options<Real>& options = {}) {
  const auto i = m.find_scenario(scenario);
  if (!i)
    throw reference_error("recovery plan", {}, "scenario",
                          "unknown incident scenario '" + std::string(scenario) + "'");
  return plan_recovery(m, *i, options);
}

} // namespace continuity
