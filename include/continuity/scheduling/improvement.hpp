// continuity/scheduling/improvement.hpp — an improving search over activity
// lists: an activity-list genetic algorithm (Hartmann 1998: two-point
// crossover, adjacent-swap mutation, survival of the best) whose schedules are
// decoded by the serial SGS and improved by forward-backward justification
// (Valls, Ballestin & Quintanilla 2005: right-justify every activity against
// the makespan, then left-justify again).
//
// The search spends a budget of generated schedules: every SGS pass counts,
// so one evaluation with justification costs three. It minimises an objective
// over the schedule — the makespan by default, or any callable
// Real(const basic_schedule<Real>&) such as weighted tardiness against due
// dates or the total business impact of a recovery plan. The SGS builds
// active schedules, which contain an optimum for every regular objective
// (one that never improves when an activity finishes later).
//
// The result depends only on the project, the options and the seed: the
// search uses its own std::mt19937_64, seeded from options.seed.
#pragma once

#include <continuity/scheduling/critical_path.hpp>
#include <continuity/scheduling/detail/sgs_engine.hpp>
#include <continuity/scheduling/project.hpp>
#include <continuity/scheduling/schedule.hpp>
#include <continuity/scheduling/serial_sgs.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace continuity {

/// Settings of improve_schedule.
struct improvement_options {
  /// Maximum number of schedules generated (each SGS pass, forward or
  /// backward, counts one). At least one schedule is always generated.
  std::size_t schedule_budget = 5000;
  /// Seed of the search's random engine; equal seeds give equal results.
  std::uint64_t seed = 0;
  /// Number of activity lists kept between generations (>= 2).
  std::size_t population_size = 40;
  /// Probability that mutation swaps an activity with its list neighbour.
  double mutation_probability = 0.05;
  /// Whether to improve each decoded schedule by forward-backward justification.
  bool forward_backward = true;
  /// Cooperative cancellation: once it is true the search stops after the
  /// schedule it is generating and returns the best found so far. May be null.
  const std::atomic<bool>* cancel = nullptr;
};

/// Outcome of improve_schedule.
template <class Real = double>
struct basic_improvement_result {
  basic_schedule<Real> best;              ///< the best schedule found (always feasible)
  std::vector<std::size_t> activity_list; ///< a list whose serial SGS gives `best`
  Real objective = 0;                     ///< objective value of `best`
  std::size_t schedules_generated = 0;    ///< SGS passes spent
};

/// Improvement result with the default real type.
using improvement_result = basic_improvement_result<double>;

/// The makespan objective (the default of improve_schedule).
struct makespan_objective {
  /// Returns s.makespan().
  template <class Real>
  Real operator()(const basic_schedule<Real>& s) const {
    return s.makespan();
  }
};

namespace detail {

template <class Real, class Objective>
class activity_list_search {
public:
  activity_list_search(const basic_project<Real>& p, const improvement_options& o, Objective f,
                       std::span<const std::vector<std::size_t>> seeds = {})
      : p_(p), o_(o), f_(std::move(f)), rng_(o.seed), seeds_(seeds) {
    n_ = p.activity_count();
    forward_ = make_forward_network(p);
    backward_ = make_backward_network(p, backward_store_, zero_release_);
    taken_.assign(n_, 0);
  }

  basic_improvement_result<Real> run() {
    basic_improvement_result<Real> result;
    const std::size_t budget = std::max<std::size_t>(o_.schedule_budget, 1);
    const std::size_t pop = std::max<std::size_t>(o_.population_size, 2);
    const std::size_t cost = o_.forward_backward ? 3 : 1;

    // Initial population: the LFT list, then regret-based biased random sampling on LFT.
    const auto cp = critical_path(p_);
    lft_.resize(n_);
    for (std::size_t a = 0; a < n_; ++a) lft_[a] = cp.latest_start[a] + p_.duration(a);
    std::vector<individual> population;
    population.push_back(evaluate(priority_list(p_, std::span<const Real>(lft_))));
    // True while `need` more schedules fit the budget and nobody cancelled.
    const auto more = [&](std::size_t need) {
      return used_ + need <= budget && !(o_.cancel && o_.cancel->load(std::memory_order_relaxed));
    };
    for (const auto& seed : seeds_)
      if (more(cost)) population.push_back(evaluate(seed));
    while (population.size() < pop && more(cost))
      population.push_back(evaluate(biased_sample()));
    sort_population(population);

    std::vector<individual> children;
    std::vector<std::size_t> order(population.size());
    while (more(2 * cost) && n_ > 1) {
      children.clear();
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::shuffle(order.begin(), order.end(), rng_);
      for (std::size_t i = 0; i + 1 < order.size() && more(2 * cost); i += 2) {
        const auto& mother = population[order[i]].list;
        const auto& father = population[order[i + 1]].list;
        std::uniform_int_distribution<std::size_t> cut(0, n_);
        std::size_t q1 = cut(rng_), q2 = cut(rng_);
        if (q1 > q2) std::swap(q1, q2);
        auto daughter = crossover(mother, father, q1, q2);
        auto son = crossover(father, mother, q1, q2);
        mutate(daughter);
        mutate(son);
        children.push_back(evaluate(std::move(daughter)));
        children.push_back(evaluate(std::move(son)));
      }
      for (auto& c : children) population.push_back(std::move(c));
      sort_population(population);
      remove_duplicates(population);
      if (population.size() > pop) population.resize(pop);
      // A population that has collapsed to few distinct schedules gets fresh samples.
      while (population.size() < pop && more(cost))
        population.push_back(evaluate(biased_sample()));
      sort_population(population);
      order.resize(population.size());
      if (children.empty() || population.size() < 2) break;
    }

    auto& best = population.front();
    result.best = std::move(best.schedule);
    result.activity_list = std::move(best.list);
    result.objective = best.objective;
    result.schedules_generated = used_;
    return result;
  }

private:
  struct individual {
    std::vector<std::size_t> list;
    basic_schedule<Real> schedule;
    Real objective;
  };

  // Decodes `list`, justifies the schedule if asked, keeps the better one and
  // replaces the list by the order of the kept schedule's start times.
  individual evaluate(std::vector<std::size_t> list) {
    engine_.run(forward_, list, start_);
    ++used_;
    basic_schedule<Real> s(p_, start_);
    Real value = static_cast<Real>(f_(s));
    if (o_.forward_backward && n_ > 0) {
      // Right-justify: latest finish first, in the time-reversed network.
      const Real horizon = s.makespan();
      ordered(
          reverse_list_, [&](std::size_t a) { return horizon - s.finish(a); }, true);
      engine_.run(backward_, reverse_list_, back_start_);
      ++used_;
      // Left-justify: earliest start of the right-justified schedule first.
      ordered(
          justified_list_, [&](std::size_t a) { return -(back_start_[a] + p_.duration(a)); },
          false);
      engine_.run(forward_, justified_list_, start_);
      ++used_;
      basic_schedule<Real> j(p_, start_);
      const Real jv = static_cast<Real>(f_(j));
      if (jv <= value) {
        s = std::move(j);
        value = jv;
      }
    }
    sort_by(list, [&](std::size_t a) { return s.start(a); });
    return {std::move(list), std::move(s), value};
  }

  // Fills `out` with all activities ordered by key(a), ties in topological
  // order. With key = start time of a feasible schedule the list is
  // precedence-feasible, as every precedence delay is >= 0.
  template <class Key>
  void sort_by(std::vector<std::size_t>& out, Key key) {
    keyed_.resize(n_);
    for (std::size_t a = 0; a < n_; ++a) keyed_[a] = {key(a), p_.topological_rank(a), a};
    std::sort(keyed_.begin(), keyed_.end(), [](const auto& x, const auto& y) {
      return x.key != y.key ? x.key < y.key : x.tie < y.tie;
    });
    out.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) out[i] = keyed_[i].activity;
  }

  // Fills `out` with a precedence-feasible list (when `reversed`: feasible in
  // the time-reversed network, every activity after all its successors),
  // taking among the ready activities the smallest key(a), ties in
  // topological (reversed: reverse topological) order. Sorting by time alone
  // is not enough: with a start-to-start relation a successor may finish
  // before its predecessor, and times mapped back from the reversed network
  // may be rounded.
  template <class Key>
  void ordered(std::vector<std::size_t>& out, Key key, bool reversed) {
    heap_.clear();
    missing_.resize(n_);
    const auto later = [](const keyed& x, const keyed& y) {
      return x.key != y.key ? x.key > y.key : x.tie > y.tie;
    };
    const auto tie = [&](std::size_t a) {
      return reversed ? n_ - 1 - p_.topological_rank(a) : p_.topological_rank(a);
    };
    for (std::size_t a = 0; a < n_; ++a) {
      missing_[a] = reversed ? p_.successors(a).size() : p_.predecessors(a).size();
      if (missing_[a] == 0) heap_.push_back({key(a), tie(a), a});
    }
    std::make_heap(heap_.begin(), heap_.end(), later);
    out.clear();
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), later);
      const std::size_t a = heap_.back().activity;
      heap_.pop_back();
      out.push_back(a);
      for (const auto& q : reversed ? p_.predecessors(a) : p_.successors(a))
        if (--missing_[q.activity] == 0) {
          heap_.push_back({key(q.activity), tie(q.activity), q.activity});
          std::push_heap(heap_.begin(), heap_.end(), later);
        }
    }
  }

  // Hartmann's two-point crossover: positions [0, q1) from `first`, then the
  // activities of `second` not yet taken up to position q2, then the rest of
  // `first`. Both parents are precedence-feasible, so the child is.
  std::vector<std::size_t> crossover(const std::vector<std::size_t>& first,
                                     const std::vector<std::size_t>& second, std::size_t q1,
                                     std::size_t q2) {
    std::vector<std::size_t> child;
    child.reserve(n_);
    ++stamp_;
    if (stamp_ == 0) {
      std::fill(taken_.begin(), taken_.end(), 0);
      stamp_ = 1;
    }
    for (std::size_t i = 0; i < q1; ++i) take(child, first[i]);
    for (std::size_t i = 0; i < n_ && child.size() < q2; ++i) take(child, second[i]);
    for (std::size_t i = 0; i < n_ && child.size() < n_; ++i) take(child, first[i]);
    return child;
  }

  void take(std::vector<std::size_t>& child, std::size_t a) {
    if (taken_[a] == stamp_) return;
    taken_[a] = stamp_;
    child.push_back(a);
  }

  // Swaps neighbours with the mutation probability unless the first precedes the second.
  void mutate(std::vector<std::size_t>& list) {
    std::bernoulli_distribution flip(o_.mutation_probability);
    for (std::size_t i = 0; i + 1 < list.size(); ++i) {
      if (!flip(rng_)) continue;
      const std::size_t a = list[i], b = list[i + 1];
      bool linked = false;
      for (const auto& s : p_.successors(a))
        if (s.activity == b) {
          linked = true;
          break;
        }
      if (!linked) std::swap(list[i], list[i + 1]);
    }
  }

  // Regret-based biased random sampling: among the eligible activities pick
  // a with probability proportional to (max eligible LFT - LFT(a) + 1).
  std::vector<std::size_t> biased_sample() {
    std::vector<std::size_t> list;
    list.reserve(n_);
    missing_.resize(n_);
    eligible_.clear();
    for (std::size_t a = 0; a < n_; ++a) {
      missing_[a] = p_.predecessors(a).size();
      if (missing_[a] == 0) eligible_.push_back(a);
    }
    std::uniform_real_distribution<double> u(0.0, 1.0);
    while (!eligible_.empty()) {
      Real worst = lft_[eligible_.front()];
      for (std::size_t a : eligible_) worst = std::max(worst, lft_[a]);
      double total = 0;
      for (std::size_t a : eligible_) total += static_cast<double>(worst - lft_[a]) + 1.0;
      double x = u(rng_) * total;
      std::size_t pick = eligible_.size() - 1;
      for (std::size_t i = 0; i < eligible_.size(); ++i) {
        x -= static_cast<double>(worst - lft_[eligible_[i]]) + 1.0;
        if (x < 0) {
          pick = i;
          break;
        }
      }
      const std::size_t a = eligible_[pick];
      eligible_[pick] = eligible_.back();
      eligible_.pop_back();
      list.push_back(a);
      for (const auto& s : p_.successors(a))
        if (--missing_[s.activity] == 0) eligible_.push_back(s.activity);
    }
    return list;
  }

  static void sort_population(std::vector<individual>& population) {
    std::stable_sort(
        population.begin(), population.end(),
        [](const individual& x, const individual& y) { return x.objective < y.objective; });
  }

  // Drops individuals whose start times equal those of a better-ranked one
  // (the population is sorted, so equal schedules have equal objectives and
  // sit next to each other within a run of equal objectives).
  void remove_duplicates(std::vector<individual>& population) {
    std::vector<individual> kept;
    kept.reserve(population.size());
    for (auto& c : population) {
      bool dup = false;
      for (auto it = kept.rbegin(); it != kept.rend() && it->objective == c.objective; ++it)
        if (std::equal(it->schedule.starts().begin(), it->schedule.starts().end(),
                       c.schedule.starts().begin())) {
          dup = true;
          break;
        }
      if (!dup) kept.push_back(std::move(c));
    }
    population = std::move(kept);
  }

  struct keyed {
    Real key;
    std::size_t tie, activity;
  };

  const basic_project<Real>& p_;
  improvement_options o_;
  Objective f_;
  std::mt19937_64 rng_;
  std::span<const std::vector<std::size_t>> seeds_;
  std::size_t n_ = 0;
  std::size_t used_ = 0;
  network_storage<Real> backward_store_;
  std::vector<Real> zero_release_;
  sgs_network<Real> forward_, backward_;
  serial_sgs_engine<Real> engine_;
  std::vector<Real> start_, back_start_, lft_;
  std::vector<std::size_t> reverse_list_, justified_list_, missing_, eligible_;
  std::vector<keyed> keyed_, heap_;
  std::vector<std::uint32_t> taken_;
  std::uint32_t stamp_ = 0;
};

} // namespace detail

/// Searches for a schedule of `p` that minimises `objective` (a callable
/// taking const basic_schedule<Real>& and returning a number), spending at
/// most options.schedule_budget SGS passes. Deterministic for a given seed.
/// Every schedule it returns is feasible. Does not throw for a valid project
/// (except std::bad_alloc and what `objective` throws).
template <class Real, class Objective>
requires std::invocable < Objective&, const basic_schedule<Real>
& > basic_improvement_result<Real> improve_schedule(const basic_project<Real>& p,
                                                    const improvement_options& options,
                                                    Objective objective) {
  detail::activity_list_search<Real, Objective> search(p, options, std::move(objective));
  return search.run();
}

/// improve_schedule with activity lists to start from (e.g. a priority
/// rule's): each joins the initial population, so the result is never worse
/// than their schedules when the budget allows evaluating them. Throws
/// value_error if a list is not a precedence-feasible permutation.
template <class Real, class Objective>
requires std::invocable < Objective&, const basic_schedule<Real>
& > basic_improvement_result<Real> improve_schedule(
        const basic_project<Real>& p, const improvement_options& options, Objective objective,
        std::span<const std::vector<std::size_t>> initial_lists) {
  for (const auto& l : initial_lists) check_activity_list(p, std::span<const std::size_t>(l));
  detail::activity_list_search<Real, Objective> search(p, options, std::move(objective),
                                                       initial_lists);
  return search.run();
}

/// Searches for a schedule of `p` with the smallest makespan.
template <class Real>
basic_improvement_result<Real> improve_schedule(const basic_project<Real>& p,
                                                const improvement_options& options = {}) {
  return improve_schedule(p, options, makespan_objective{});
}

} // namespace continuity
