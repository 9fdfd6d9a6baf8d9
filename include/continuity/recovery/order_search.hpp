// continuity/recovery/order_search.hpp — recovery orders of systems: the
// ranks a preferred order gives every system (each system after what it
// still waits for), and a search over orders of the damaged systems for the
// one whose plan minimises an objective such as the business impact.
//
// An order of systems is decoded into a plan by the priority rule of
// recovery_plan.hpp with the order's ranks in second place (after the phase):
// the serial schedule generation scheme then starts each activity at its
// earliest feasible time, so an order is a priority, never an idle wait, and
// every order gives a feasible plan. The search is an iterated local search
// over orders: random moves kept when the plan is no worse — move the
// systems a business function waits for forward together (chosen by its
// business impact per hour), move one system (its prerequisites follow it,
// through the decoding), swap two, move a block — and, after a stall, a
// kick of a few moves from the best order found. Its chains start from the
// priority rule's orders and from the business functions in the order of
// Smith's rule (impact per hour of recovery work ahead of them), under a
// budget of plan evaluations and, optionally, of seconds.
//
// Reproducible: each chain draws from its own stream keyed by (seed, chain);
// the chains and their budgets do not depend on the number of threads, so
// the same seed gives the same order on any machine with any thread count
// (a time budget, when given, can end chains earlier on a slower machine).
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/random/rng.hpp>
#include <continuity/random/stream_key.hpp>
#include <continuity/recovery/recovery_outcome.hpp>
#include <continuity/recovery/recovery_project.hpp>
#include <continuity/scheduling/critical_path.hpp>
#include <continuity/scheduling/schedule.hpp>
#include <continuity/scheduling/serial_sgs.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <span>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

namespace continuity {

/// One unit of a recovery order: the emergency or the permanent phase of a
/// system's recovery.
struct recovery_unit {
  index_t system = no_index;                       ///< the system
  recovery_phase phase = recovery_phase::emergency; ///< which phase of its recovery

  /// Same unit.
  friend bool operator==(const recovery_unit&, const recovery_unit&) = default;
};

namespace detail {

/// Working memory of unit_ranks, kept between calls.
struct unit_rank_scratch {
  /// A system (or its group) whose prerequisites are being ranked.
  struct frame {
    index_t system;         ///< the system
    bool whole;             ///< the whole group, or the system alone
    std::size_t waits = 0;  ///< first of what it waits for in `waits`
    std::size_t next = 0;   ///< next of them to rank
  };
  std::vector<std::uint8_t> seen; ///< by system
  std::vector<frame> stack;       ///< the depth-first search
  std::vector<index_t> waits;     ///< what the frames wait for, frame after frame
  std::vector<index_t> group;     ///< a group's members by name
  std::vector<recovery_unit> units; ///< an order of systems as units (order_ranks)
};

/// unit_ranks into `rank`, reusing its memory and that of `scratch`.
template <class Real>
void unit_ranks(const basic_model<Real>& m, const recovery_project<Real>& rp,
                std::span<const recovery_unit> order, bool whole_groups,
                std::vector<std::size_t>& rank, unit_rank_scratch& scratch) {
  constexpr std::size_t unranked = std::numeric_limits<std::size_t>::max();
  const auto& g = m.graph();
  const std::size_t ns = m.system_count();
  rank.assign(2 * ns, unranked);
  auto& seen = scratch.seen;
  seen.assign(ns, 0);
  std::size_t next = 0;
  // Iterative depth-first search over "waits for": prerequisites first.
  auto& stack = scratch.stack;
  auto& waits = scratch.waits;
  stack.clear();
  waits.clear();
  // A group's members in the order of their names (the graph lists them by
  // index), so the ranks never depend on the order of the model's arrays.
  auto& group = scratch.group;
  auto members = [&](const index_t& s, bool whole) -> std::span<const index_t> {
    if (!whole) return {&s, 1};
    const auto all = g.component_members(g.component_of(s));
    if (all.size() == 1) return all;
    group.assign(all.begin(), all.end());
    std::sort(group.begin(), group.end(),
              [&](index_t a, index_t b) { return m.system_rank(a) < m.system_rank(b); });
    return group;
  };
  auto open = [&](index_t s, bool whole) {
    stack.push_back({s, whole, waits.size(), waits.size()});
    for (index_t x : members(s, whole)) {
      seen[x] = 1;
      for (index_t y : rp.waits_for(x)) waits.push_back(y);
    }
  };
  auto emergency = [&](index_t root) {
    if (seen[root]) return;
    open(root, whole_groups);
    while (!stack.empty()) {
      auto& top = stack.back();
      // The frame's waits run to the end of `waits` (the frames above it are closed).
      if (top.next < waits.size()) {
        const index_t y = waits[top.next++];
        if (!seen[y]) open(y, true);
        continue;
      }
      for (index_t x : members(top.system, top.whole))
        if (rank[2 * x] == unranked) rank[2 * x] = next;
      ++next;
      waits.resize(top.waits);
      stack.pop_back();
    }
  };
  for (const auto& u : order) {
    emergency(u.system);
    if (u.phase == recovery_phase::permanent && rank[2 * u.system + 1] == unranked)
      rank[2 * u.system + 1] = next++;
  }
  for (std::size_t x = 0; x < ns; ++x) {
    if (rank[2 * x] == unranked) rank[2 * x] = next;
    if (rank[2 * x + 1] == unranked) rank[2 * x + 1] = next + 1;
  }
}

/// order_ranks into `rank`, reusing its memory and that of `scratch`.
template <class Real>
void order_ranks(const basic_model<Real>& m, const recovery_project<Real>& rp,
                 std::span<const index_t> order, std::vector<std::size_t>& rank,
                 unit_rank_scratch& scratch) {
  auto& units = scratch.units;
  units.clear();
  for (index_t s : order) units.push_back({s, recovery_phase::emergency});
  unit_ranks(m, rp, std::span<const recovery_unit>(units), true, rank, scratch);
}

} // namespace detail

/// The rank of every unit for a preferred order of units: entry 2s is the
/// rank of system s's emergency work, 2s + 1 that of its permanent work.
/// Each emergency unit comes right after the emergency work of what it still
/// waits for (the systems it needs that are down, recursively, each before
/// what needs it), together with the members of its strongly connected
/// group; a permanent unit after its own emergency unit. Units not reached
/// come last: emergency before permanent. So "medical accounting first"
/// also restores, first, the virtualisation cluster, domain controller and
/// DNS it runs on. With `whole_groups` false, a unit of the order ranks its
/// own system only (its group's other members when they are listed, or
/// last), while prerequisites still come as whole groups: the finer orders
/// the order search explores. O(systems + dependencies).
template <class Real>
std::vector<std::size_t> unit_ranks(const basic_model<Real>& m, const recovery_project<Real>& rp,
                                    std::span<const recovery_unit> order,
                                    bool whole_groups = true) {
  std::vector<std::size_t> rank;
  detail::unit_rank_scratch scratch;
  detail::unit_ranks(m, rp, order, whole_groups, rank, scratch);
  return rank;
}

/// unit_ranks of an order of systems (their emergency units): the ranks of
/// a user's preferred order (recovery_options::order).
template <class Real>
std::vector<std::size_t> order_ranks(const basic_model<Real>& m, const recovery_project<Real>& rp,
                                     std::span<const index_t> order) {
  std::vector<std::size_t> rank;
  detail::unit_rank_scratch scratch;
  detail::order_ranks(m, rp, order, rank, scratch);
  return rank;
}

/// A group of systems worth restoring together, for the order search: the
/// damaged systems a business function waits for, and what its outage costs.
struct recovery_group {
  index_t function = no_index;  ///< the business function
  std::vector<index_t> systems; ///< damaged systems, each once
  double weight = 0;            ///< business impact per hour of the function's outage, ≥ 0
};

/// The recovery groups of the business functions that `reference` (an
/// outcome of a plan of `rp`) leaves with a business impact: for each, in
/// the order of the functions' names, the damaged systems it needs directly
/// or through their dependencies (every candidate of an any-of or k-of-n
/// requirement), weighted by its business impact per hour until it is back.
/// O(functions × (systems + dependencies)) at worst.
template <class Real>
std::vector<recovery_group> function_groups(const basic_model<Real>& m,
                                            const recovery_project<Real>& rp,
                                            const recovery_outcome<Real>& reference) {
  const auto& g = m.graph();
  std::vector<recovery_group> groups;
  std::vector<index_t> seen(m.system_count(), no_index), stack;
  for (index_t f : m.functions_by_name()) {
    const auto& fo = reference.functions[f];
    const double impact = static_cast<double>(fo.business_impact());
    if (!fo.down || !(impact > 0) || !std::isfinite(impact)) continue;
    recovery_group group;
    group.function = f;
    auto visit = [&](index_t node) {
      const auto [r0, r1] = g.requirements_of(node);
      for (index_t r = r0; r < r1; ++r)
        for (index_t s : g.members(r))
          if (seen[s] != f) {
            seen[s] = f;
            stack.push_back(s);
            if (rp.is_damaged(s)) group.systems.push_back(s);
          }
    };
    visit(g.function_node(f));
    while (!stack.empty()) {
      const index_t s = stack.back();
      stack.pop_back();
      visit(s);
    }
    if (group.systems.empty()) continue;
    group.weight = impact / std::max(1.0, static_cast<double>(fo.back_degraded));
    groups.push_back(std::move(group));
  }
  return groups;
}

namespace detail {

// The parts of the priority rule's key that do not depend on an order of
// systems: (phase, class, RTO slack, latest finish) of every activity.
template <class Real>
using rule_key_part = std::tuple<int, int, Real, Real>;

// The bits of a real number (not NaN) as an unsigned integer of the same
// order: equal numbers (0 and -0 too) give equal integers.
template <class Real>
std::uint64_t ordered_bits(Real x) noexcept {
  static_assert(sizeof(Real) == 8 || sizeof(Real) == 4, "Real must be a 64- or 32-bit float");
  using bits = std::conditional_t<sizeof(Real) == 8, std::uint64_t, std::uint32_t>;
  constexpr bits sign = bits{1} << (8 * sizeof(Real) - 1);
  const bits b = std::bit_cast<bits>(x + Real(0)); // (-0 + 0 is +0)
  return (b & sign) ? static_cast<bits>(~b) : static_cast<bits>(b | sign);
}

// The key of an activity in the rule's list: the tuple (rank of the
// activity's unit, phase, class, RTO slack, latest finish), packed into
// integers that compare in the same order (the rank, phase and class in
// one; the two times as ordered_bits), so that the list takes fewer and
// cheaper comparisons.
struct rule_key {
  std::uint64_t unit = 0;   // rank << 8 | phase << 4 | class
  std::uint64_t slack = 0;  // ordered_bits of the RTO slack
  std::uint64_t latest = 0; // ordered_bits of the latest finish

  friend bool operator<(const rule_key& a, const rule_key& b) noexcept {
    if (a.unit != b.unit) return a.unit < b.unit;
    if (a.slack != b.slack) return a.slack < b.slack;
    return a.latest < b.latest;
  }
};

// Working memory of rule_key_parts and ranked_list, kept between lists.
template <class Real>
struct rule_scratch {
  basic_critical_path<Real> cp;
  std::vector<Real> due;
  std::vector<rule_key> keys;
  priority_list_scratch list;
};

// rule_key_parts into `parts`, reusing memory.
template <class Real>
void rule_key_parts(const basic_model<Real>& m, const recovery_project<Real>& rp,
                    std::vector<rule_key_part<Real>>& parts, rule_scratch<Real>& scratch) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  const auto& p = rp.project();
  const std::size_t n = p.activity_count();
  auto& cp = scratch.cp;
  critical_path(p, cp);
  // Latest starts that meet the RTOs: backwards from each milestone's deadline.
  auto& due = scratch.due;
  due.assign(n, inf);
  const auto& inh = m.system_objectives();
  for (index_t s = 0; s < m.system_count(); ++s)
    if (rp.back_degraded(s) != no_activity)
      due[rp.back_degraded(s)] = std::min(due[rp.back_degraded(s)], inh.rto[s]);
  const auto topo = p.topological_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    const std::size_t a = *it;
    Real ls = due[a] - p.duration(a);
    for (const auto& s : p.successors(a)) ls = std::min(ls, due[s.activity] - s.delay);
    due[a] = ls + p.duration(a);
  }
  parts.resize(n);
  for (std::size_t a = 0; a < n; ++a) {
    const auto& act = rp.activity(a);
    const index_t s = act.system;
    const int phase = act.phase == recovery_phase::permanent ? 1 : 0;
    const int cls = inh.is_needed(s) ? static_cast<int>(inh.priority[s])
                                     : static_cast<int>(priority_class_count);
    const Real latest_start = due[a] - p.duration(a);
    const Real slack = latest_start - cp.earliest_start[a];
    parts[a] = {phase, cls, std::isnan(slack) ? inf : slack, cp.latest_start[a] + p.duration(a)};
  }
}

template <class Real>
std::vector<rule_key_part<Real>> rule_key_parts(const basic_model<Real>& m,
                                                const recovery_project<Real>& rp) {
  std::vector<rule_key_part<Real>> parts;
  rule_scratch<Real> scratch;
  rule_key_parts(m, rp, parts, scratch);
  return parts;
}

// ranked_list into `list`, reusing memory.
template <class Real>
void ranked_list(const recovery_project<Real>& rp, std::span<const rule_key_part<Real>> parts,
                 std::span<const std::size_t> rank, std::vector<std::size_t>& list,
                 rule_scratch<Real>& scratch) {
  auto& keys = scratch.keys;
  keys.resize(parts.size());
  for (std::size_t a = 0; a < parts.size(); ++a) {
    const auto& [phase, cls, slack, lft] = parts[a];
    const std::size_t unit = 2 * std::size_t{rp.activity(a).system} + static_cast<std::size_t>(phase);
    // (ranks are below 2^55, phases 0 or 1, classes at most priority_class_count)
    keys[a] = {std::uint64_t{rank[unit]} << 8 | static_cast<std::uint64_t>(phase) << 4 |
                   static_cast<std::uint64_t>(cls),
               ordered_bits(slack), ordered_bits(lft)};
  }
  priority_list(rp.project(), std::span<const rule_key>(keys), list, scratch.list);
}

// The activity list of the rule with unit ranks `rank` (see unit_ranks):
// keys (rank of the activity's unit, phase, class, RTO slack, latest finish).
template <class Real>
std::vector<std::size_t> ranked_list(const recovery_project<Real>& rp,
                                     const std::vector<rule_key_part<Real>>& parts,
                                     const std::vector<std::size_t>& rank) {
  std::vector<std::size_t> list;
  rule_scratch<Real> scratch;
  ranked_list(rp, std::span<const rule_key_part<Real>>(parts), std::span<const std::size_t>(rank),
              list, scratch);
  return list;
}

} // namespace detail


/// Settings of search_recovery_order.
struct order_search_options {
  /// Plans evaluated in all (each is one serial schedule and its outcome),
  /// shared evenly by the chains. At least one per start is always spent.
  std::size_t evaluations = 2000;
  /// Wall-clock budget in seconds (0: none). Results then depend on speed.
  double seconds = 0;
  /// Seed of the search.
  std::uint64_t seed = 0;
  /// Worker threads (0: every core). The result does not depend on it.
  unsigned threads = 0;
  /// Independent search chains, each starting from one of the starting
  /// orders in turn, the best first. 0: one chain per 2,000 evaluations, at
  /// most 4 (a long chain finds far better orders than several short ones
  /// on the same budget; more chains use more cores on larger budgets).
  std::size_t chains = 0;
  /// Cooperative cancellation: the search stops soon after it becomes true
  /// and returns the best order found so far. May be null.
  const std::atomic<bool>* cancel = nullptr;
};

/// Outcome of search_recovery_order.
template <class Real = double>
struct order_search_result {
  /// The phases of the damaged systems' recovery, in the order found.
  std::vector<recovery_unit> order;
  std::vector<std::size_t> activity_list; ///< the priority list it decodes to
  basic_schedule<Real> schedule;          ///< the plan's schedule (feasible)
  Real objective = 0;                     ///< its objective value
  std::size_t evaluations = 0;            ///< plans evaluated
};

namespace detail {

// Decodes orders of systems into schedules (allocation reused).
template <class Real, class Objective>
class order_decoder {
public:
  order_decoder(const basic_model<Real>& m, const recovery_project<Real>& rp,
                const std::vector<rule_key_part<Real>>& parts, Objective& objective)
      : m_(m), rp_(rp), parts_(parts), objective_(objective) {}

  // The objective of `order`, keeping the schedule if `keep`.
  Real operator()(std::span<const recovery_unit> order, basic_schedule<Real>* keep = nullptr,
                  std::vector<std::size_t>* list = nullptr) {
    const auto rank = unit_ranks(m_, rp_, order, false);
    auto l = ranked_list(rp_, parts_, rank);
    auto s = serial_sgs(rp_.project(), std::span<const std::size_t>(l));
    const Real v = static_cast<Real>(objective_(s));
    if (keep) *keep = std::move(s);
    if (list) *list = std::move(l);
    return v;
  }

private:
  const basic_model<Real>& m_;
  const recovery_project<Real>& rp_;
  const std::vector<rule_key_part<Real>>& parts_;
  Objective& objective_;
};

// Random moves on an order of units whose emergency units come first (the
// first `split`). Each move changes the order (when it has two units to
// reorder) and keeps emergency units before permanent ones.
template <class Engine>
class order_moves {
public:
  order_moves(Engine& rng, std::span<const recovery_group> groups) : rng_(rng), groups_(groups) {
    double total = 0;
    for (const auto& g : groups) cumulative_.push_back(total += g.weight);
  }

  // One random move on `order` (emergency units in [0, split)).
  void operator()(std::vector<recovery_unit>& order, std::size_t split) {
    const std::size_t n = order.size();
    const double u = uniform01<double>(rng_);
    if (!groups_.empty() && split >= 2 && u < 0.4 && group_forward(order, split)) return;
    // Nineteen moves in twenty reorder the emergency part: when systems
    // first come back decides most of the business impact.
    const bool emergency = split >= 2 && (n - split < 2 || uniform01<double>(rng_) < 0.95);
    const std::size_t lo = emergency ? 0 : split, hi = emergency ? split : n, width = hi - lo;
    if (width < 2) return;
    const std::size_t i = lo + below(width);
    std::size_t j = lo + below(width - 1);
    if (j >= i) ++j; // another place
    if (u < 0.8) { // move one unit to another place (its prerequisites follow it)
      const recovery_unit x = order[i];
      order.erase(order.begin() + static_cast<std::ptrdiff_t>(i));
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(j), x);
    } else if (u < 0.9) { // swap two
      std::swap(order[i], order[j]);
    } else { // move a block of 2 to 8
      const std::size_t len = std::min<std::size_t>(2 + below(7), hi - i);
      std::vector<recovery_unit> block(order.begin() + static_cast<std::ptrdiff_t>(i),
                                       order.begin() + static_cast<std::ptrdiff_t>(i + len));
      order.erase(order.begin() + static_cast<std::ptrdiff_t>(i),
                  order.begin() + static_cast<std::ptrdiff_t>(i + len));
      const std::size_t at = lo + (width > len ? below(width - len + 1) : 0);
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), block.begin(), block.end());
    }
  }

private:
  std::size_t below(std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform01<double>(rng_) * static_cast<double>(n)));
  }

  // Moves the emergency units of a group (chosen by weight, or at random one
  // time in three) together, in their order, to a random place before the
  // first of them: "this business function first, with what it needs".
  bool group_forward(std::vector<recovery_unit>& order, std::size_t split) {
    std::size_t g;
    if (uniform01<double>(rng_) < 1.0 / 3 || !(cumulative_.back() > 0)) {
      g = below(groups_.size());
    } else {
      const double x = uniform01<double>(rng_) * cumulative_.back();
      g = static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                                   cumulative_.begin());
      g = std::min(g, groups_.size() - 1);
    }
    member_.clear();
    for (index_t s : groups_[g].systems) {
      if (member_.size() <= s) member_.resize(std::size_t{s} + 1, 0);
      member_[s] = 1;
    }
    // The group's emergency units in their order, the others in theirs;
    // `first`: the place of the first member.
    moved_.clear();
    rest_.clear();
    std::size_t first = split;
    for (std::size_t k = 0; k < split; ++k) {
      const index_t x = order[k].system;
      const bool in_group = x < member_.size() && member_[x] != 0;
      if (in_group && moved_.empty()) first = k;
      (in_group ? moved_ : rest_).push_back(order[k]);
    }
    for (index_t s : groups_[g].systems) member_[s] = 0;
    const std::size_t count = moved_.size();
    if (count == 0 || count == split) return false;
    // Where to: before the first member, or anywhere if they lead already.
    const std::size_t at = first > 0 ? below(first + 1) : below(split - count + 1);
    std::copy(rest_.begin(), rest_.begin() + static_cast<std::ptrdiff_t>(at), order.begin());
    std::copy(moved_.begin(), moved_.end(), order.begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(rest_.begin() + static_cast<std::ptrdiff_t>(at), rest_.end(),
              order.begin() + static_cast<std::ptrdiff_t>(at + moved_.size()));
    return true;
  }

  Engine& rng_;
  std::span<const recovery_group> groups_;
  std::vector<double> cumulative_;
  std::vector<std::uint8_t> member_;
  std::vector<recovery_unit> moved_, rest_;
};

// One chain of iterated local search from `start`: random moves kept when
// the plan is no worse; after a stall, a kick of a few moves from the best
// order found. Returns (value, order, evaluations).
template <class Real, class Decoder>
std::tuple<Real, std::vector<recovery_unit>, std::size_t>
search_order_chain(Decoder& decode, std::vector<recovery_unit> current,
                   std::span<const recovery_group> groups, std::size_t budget, std::uint64_t seed,
                   std::size_t chain, const order_search_options& o,
                   std::chrono::steady_clock::time_point deadline) {
  trial_engine rng(seed, chain, stream_key(0x6f72646572ull).then("order search").value());
  // Emergency work before permanent work, as the rule and a user's order
  // have it: moves stay within the emergency part or the permanent part
  // (permanent work moved early stops systems for their switch-back while
  // others still wait for their first return, which never pays).
  std::stable_partition(current.begin(), current.end(), [](const recovery_unit& u) {
    return u.phase == recovery_phase::emergency;
  });
  const std::size_t split = static_cast<std::size_t>(
      std::count_if(current.begin(), current.end(),
                    [](const recovery_unit& u) { return u.phase == recovery_phase::emergency; }));
  Real value = decode(std::span<const recovery_unit>(current));
  std::size_t used = 1;
  std::vector<recovery_unit> best = current;
  Real best_value = value;
  const std::size_t n = current.size();
  if (n < 2 || !(value > 0) || (split < 2 && n - split < 2)) return {best_value, best, used};
  order_moves<trial_engine> move(rng, groups);
  // Evaluations without a better plan before a kick.
  const std::size_t patience = std::max<std::size_t>(50, budget / 10);
  std::size_t stalled = 0;
  std::vector<recovery_unit> candidate;
  while (used < budget) {
    if (o.cancel && o.cancel->load(std::memory_order_relaxed)) break;
    if (o.seconds > 0 && std::chrono::steady_clock::now() > deadline) break;
    const bool kick = stalled >= patience;
    candidate = kick ? best : current;
    const std::size_t moves = kick ? 3 + static_cast<std::size_t>(uniform01<double>(rng) * 3) : 1;
    for (std::size_t k = 0; k < moves; ++k) move(candidate, split);
    const Real v = decode(std::span<const recovery_unit>(candidate));
    ++used;
    ++stalled;
    if (kick || v <= value) {
      current.swap(candidate);
      value = v;
      if (kick) stalled = 0;
      if (value < best_value) {
        best_value = value;
        best = current;
        stalled = 0;
      }
    }
  }
  return {best_value, best, used};
}

} // namespace detail

/// The recovery units of the damaged systems of `rp` that have work, in the
/// order in which `list` (a complete activity list) first reaches each.
template <class Real>
std::vector<recovery_unit> order_of_list(const recovery_project<Real>& rp,
                                         std::span<const std::size_t> list) {
  std::vector<recovery_unit> order;
  std::vector<std::uint8_t> taken(2 * rp.situation().data.size(), 0);
  auto take = [&](index_t s, recovery_phase ph) {
    const std::size_t u = 2 * std::size_t{s} + static_cast<std::size_t>(ph);
    if (taken[u]) return;
    taken[u] = 1;
    order.push_back({s, ph});
  };
  // Only units with work: the list reaches each of them. (Units without
  // work would only change where the search's random moves land.)
  for (std::size_t a : list) {
    const auto& act = rp.activity(a);
    if (act.system != no_index && rp.is_damaged(act.system)) take(act.system, act.phase);
  }
  return order;
}

/// The recovery units of the damaged systems of `rp` that have work, in the
/// order in which `schedule` finishes their last activity (ties: in the
/// order of order_of_list of the activities by start).
template <class Real>
std::vector<recovery_unit> order_of_completion(const recovery_project<Real>& rp,
                                               const basic_schedule<Real>& schedule) {
  const std::size_t units = 2 * rp.situation().data.size();
  std::vector<Real> done(units, -std::numeric_limits<Real>::infinity());
  std::vector<std::size_t> by_start(rp.project().activity_count());
  for (std::size_t a = 0; a < by_start.size(); ++a) by_start[a] = a;
  std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) {
    return schedule.starts()[a] < schedule.starts()[b];
  });
  auto order = order_of_list(rp, std::span<const std::size_t>(by_start));
  for (std::size_t a = 0; a < by_start.size(); ++a) {
    const auto& act = rp.activity(a);
    if (act.system == no_index) continue;
    Real& d = done[2 * std::size_t{act.system} + static_cast<std::size_t>(act.phase)];
    d = std::max(d, schedule.finishes()[a]);
  }
  std::stable_sort(order.begin(), order.end(), [&](const recovery_unit& x, const recovery_unit& y) {
    return done[2 * std::size_t{x.system} + static_cast<std::size_t>(x.phase)] <
           done[2 * std::size_t{y.system} + static_cast<std::size_t>(y.phase)];
  });
  return order;
}

/// A start for the order search: the groups one after another, first the
/// one with the most weight per hour of recovery work still ahead of it
/// (Smith's rule, weighted shortest processing time first, applied greedily
/// to groups that share systems; work is staff-hours as a share of each
/// pool), each bringing its not yet placed emergency units in the order of
/// `base`; then the rest of `base` in its order. O(groups² + Σ group sizes).
template <class Real>
std::vector<recovery_unit> order_by_groups(const recovery_project<Real>& rp,
                                           std::span<const recovery_unit> base,
                                           std::span<const recovery_group> groups) {
  const auto& p = rp.project();
  const std::size_t ns = rp.situation().data.size();
  // Emergency work of each system, in hours of its pools' whole capacity.
  std::vector<double> work(ns, 0);
  for (std::size_t a = 0; a < p.activity_count(); ++a) {
    const auto& act = rp.activity(a);
    if (act.system == no_index || act.phase != recovery_phase::emergency) continue;
    double share = 0;
    for (std::size_t r = 0; r < p.resource_count(); ++r)
      if (p.capacity(r) > 0)
        share = std::max(share, double(p.demand(a, r)) / double(p.capacity(r)));
    work[act.system] += static_cast<double>(p.duration(a)) * std::max(share, 1e-3);
  }
  std::vector<std::size_t> position(ns, std::numeric_limits<std::size_t>::max());
  for (std::size_t k = 0; k < base.size(); ++k)
    if (base[k].phase == recovery_phase::emergency) position[base[k].system] = k;
  std::vector<std::vector<std::size_t>> groups_of(ns);
  std::vector<double> ahead(groups.size(), 0);
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (index_t s : groups[g].systems)
      if (position[s] != std::numeric_limits<std::size_t>::max()) {
        groups_of[s].push_back(g);
        ahead[g] += work[s];
      }
  std::vector<std::uint8_t> placed(ns, 0), done(groups.size(), 0);
  std::vector<recovery_unit> order;
  order.reserve(base.size());
  std::vector<index_t> bring;
  for (;;) {
    std::size_t pick = groups.size();
    double best = -1;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (done[g]) continue;
      const double ratio = groups[g].weight / (ahead[g] + 1e-9);
      if (ratio > best) {
        best = ratio;
        pick = g;
      }
    }
    if (pick == groups.size()) break;
    done[pick] = 1;
    bring.clear();
    for (index_t s : groups[pick].systems)
      if (position[s] != std::numeric_limits<std::size_t>::max() && !placed[s]) bring.push_back(s);
    std::sort(bring.begin(), bring.end(),
              [&](index_t a, index_t b) { return position[a] < position[b]; });
    for (index_t s : bring) {
      placed[s] = 1;
      order.push_back({s, recovery_phase::emergency});
      for (std::size_t g : groups_of[s]) ahead[g] -= work[s];
    }
  }
  for (const auto& u : base)
    if (u.phase != recovery_phase::emergency || !placed[u.system]) order.push_back(u);
  return order;
}

/// Searches orders of the recovery units of the damaged systems of `rp` (a
/// project of `m`) for the plan minimising `objective(schedule)` (see the
/// header comment). `starts` are complete orders of the units to start from
/// (at least one; chain c starts from starts[c mod size]; see
/// order_of_list). Never worse than the best start.
template <class Real, class Objective>
order_search_result<Real> search_recovery_order(const basic_model<Real>& m,
                                                const recovery_project<Real>& rp,
                                                Objective objective,
                                                std::span<const std::vector<recovery_unit>> starts,
                                                const order_search_options& o = {},
                                                std::span<const recovery_group> groups = {}) {
  const auto parts = detail::rule_key_parts(m, rp);
  const std::size_t chains =
      o.chains ? o.chains : std::clamp<std::size_t>(o.evaluations / 2000, 1, 4);
  // The starts ranked by their value (ties: in the order given): chain c
  // starts from the c-th best, in turn.
  std::vector<std::size_t> ranked(starts.size());
  std::size_t used = 0;
  {
    std::vector<Real> value(starts.size());
    detail::order_decoder<Real, Objective> decode(m, rp, parts, objective);
    for (std::size_t k = 0; k < starts.size(); ++k) {
      ranked[k] = k;
      value[k] = starts.size() > 1 ? decode(std::span<const recovery_unit>(starts[k])) : Real(0);
    }
    if (starts.size() > 1) used += starts.size();
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](std::size_t a, std::size_t b) { return value[a] < value[b]; });
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(std::max(o.seconds, 0.0)));
  struct chain_result {
    Real value = std::numeric_limits<Real>::infinity();
    std::vector<recovery_unit> order;
    std::size_t used = 0;
  };
  std::vector<chain_result> results(chains);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    try {
      Objective local = objective; // each thread its own copy
      detail::order_decoder<Real, Objective> decode(m, rp, parts, local);
      for (std::size_t c; (c = next.fetch_add(1)) < chains;) {
        const std::size_t total = o.evaluations > used ? o.evaluations - used : 0;
        const std::size_t budget = total / chains + (c < total % chains ? 1 : 0);
        auto [v, order, spent] = detail::search_order_chain<Real>(
            decode, starts[ranked[c % ranked.size()]], groups, std::max<std::size_t>(budget, 1),
            o.seed, c, o, deadline);
        results[c] = {v, std::move(order), spent};
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, chains));
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
  std::size_t best = 0;
  for (std::size_t c = 0; c < chains; ++c) {
    used += results[c].used;
    if (results[c].value < results[best].value) best = c;
  }
  order_search_result<Real> out;
  out.order = std::move(results[best].order);
  detail::order_decoder<Real, Objective> decode(m, rp, parts, objective);
  out.objective =
      decode(std::span<const recovery_unit>(out.order), &out.schedule, &out.activity_list);
  out.evaluations = used;
  return out;
}

} // namespace continuity
