// continuity/analysis/single_points_of_failure.hpp — systems whose loss alone
// stops a business function (order-1 cut sets), ranked by the importance of
// what they stop.
#pragma once

#include <continuity/model/objective_inheritance.hpp>
#include <continuity/model/dependency_graph.hpp>
#include <continuity/model/model.hpp>

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace continuity {

/// For each business function, the systems whose loss alone stops it, in
/// CSR form: systems of function f are systems[offsets[f] … offsets[f+1]−1],
/// ascending.
struct function_single_points {
  std::vector<index_t> offsets{0}; ///< per function, into systems
  std::vector<index_t> systems;    ///< concatenated, ascending per function
};

namespace detail {

// Order-1 cut sets on the condensation of the graph (a strongly connected
// group fails as a unit). With D(x) = the components whose single failure
// takes x down:
//   D(component c)  = {c} ∪ D(every requirement of its members that leaves c)
//   D(requirement r) = ∪ D(members)               if one lost member breaks it
//                    = {c : c ∈ D(m) for ≥ t members}, t = |members| − needed + 1, otherwise.
// A traversal follows requirements that one loss breaks and adds the
// (memoised, already closed) set of each redundant requirement it meets, so
// the cost is proportional to the size of the answer plus the redundant
// requirements' member sets.
class single_point_solver {
public:
  explicit single_point_solver(const dependency_graph& g) : g_(g) {}

  std::vector<index_t> of_function(index_t f) {
    auto [first, last] = g_.requirements_of(g_.function_node(f));
    return traverse(0, no_index, first, last);
  }

private:
  std::vector<index_t> traverse(std::size_t depth, index_t start_component, index_t first_req,
                                index_t last_req) {
    if (marks_.size() <= depth) {
      marks_.emplace_back(g_.component_count(), 0);
      epochs_.push_back(0);
    }
    const index_t epoch = ++epochs_[depth];
    std::vector<index_t> result, stack;
    auto add = [&](index_t c, bool expand) {
      if (marks_[depth][c] == epoch) return;
      marks_[depth][c] = epoch;
      result.push_back(c);
      if (expand) stack.push_back(c);
    };
    auto requirement = [&](index_t r) {
      const auto ms = g_.members(r);
      const std::size_t t = ms.size() - g_.needed(r) + 1;
      if (t == 1) {
        for (index_t m : ms) add(g_.component_of(m), true);
      } else {
        for (index_t c : gate(r, t, depth + 1)) add(c, false);
      }
    };
    if (start_component != no_index) add(start_component, true);
    for (index_t r = first_req; r < last_req; ++r) requirement(r);
    while (!stack.empty()) {
      const index_t c = stack.back();
      stack.pop_back();
      for (index_t s : g_.component_members(c)) {
        auto [a, b] = g_.requirements_of(s);
        for (index_t r = a; r < b; ++r) {
          bool leaves = false;
          for (index_t m : g_.members(r)) leaves |= g_.component_of(m) != c;
          if (leaves) requirement(r);
        }
      }
    }
    return result;
  }

  const std::vector<index_t>& gate(index_t r, std::size_t t, std::size_t depth) {
    if (auto it = memo_.find(r); it != memo_.end()) return it->second;
    std::unordered_map<index_t, std::size_t> count;
    const index_t o = g_.owner(r);
    const index_t own = o < g_.system_count() ? g_.component_of(o) : no_index;
    for (index_t m : g_.members(r)) {
      const index_t c = g_.component_of(m);
      // A member in the owner's own group fails only with the group itself.
      if (c == own) continue;
      // Members sharing a component fail together: each of them counts.
      for (index_t x : traverse(depth, c, 0, 0)) ++count[x];
    }
    std::vector<index_t> out;
    for (auto [c, n] : count)
      if (n >= t) out.push_back(c);
    std::sort(out.begin(), out.end());
    return memo_.emplace(r, std::move(out)).first->second;
  }

  const dependency_graph& g_;
  std::vector<std::vector<index_t>> marks_;
  std::vector<index_t> epochs_;
  std::unordered_map<index_t, std::vector<index_t>> memo_;
};

} // namespace detail

/// The single points of failure of every business function: systems whose
/// loss alone stops it (with all-of, any-of and k-of-n requirements honoured;
/// a strongly connected group fails as a unit). Cost proportional to the
/// size of the answer, not to systems × functions.
inline function_single_points single_points_by_function(const dependency_graph& g) {
  function_single_points out;
  detail::single_point_solver solver(g);
  for (index_t f = 0; f < g.function_count(); ++f) {
    const std::size_t start = out.systems.size();
    for (index_t c : solver.of_function(f))
      for (index_t s : g.component_members(c)) out.systems.push_back(s);
    std::sort(out.systems.begin() + static_cast<std::ptrdiff_t>(start), out.systems.end());
    out.offsets.push_back(static_cast<index_t>(out.systems.size()));
  }
  return out;
}

/// A system whose loss alone stops one or more business functions.
template <class Real = double>
struct single_point_of_failure {
  index_t system = no_index;                      ///< the system
  std::vector<index_t> functions;                 ///< functions it stops, ascending
  priority_class worst_class = priority_class::D; ///< most urgent class among them
  Real profit_per_hour = 0; ///< lost profit per hour of the functions it stops
  /// Money the functions it stops lose in the first `horizon_hours` of an
  /// outage (one day by default): their lost profit plus their money impact
  /// curves (fees not collected, penalties; not curves in other units).
  Real impact_at_horizon = 0;
};

/// Single points of failure ranked by what they stop: most urgent priority
/// class first, then more functions stopped, then more money lost in the
/// first `horizon_hours` of an outage (profit and money impact curves), then
/// the system's name. Sums follow the functions' names, so the order of the
/// model's arrays does not change a figure.
template <class Real>
std::vector<single_point_of_failure<Real>> single_points_of_failure(const basic_model<Real>& m,
                                                                    Real horizon_hours = Real(24)) {
  const auto by_function = single_points_by_function(m.graph());
  std::vector<index_t> slot(m.system_count(), no_index);
  std::vector<single_point_of_failure<Real>> out;
  for (index_t f : m.functions_by_name()) {
    const auto& fn = m.function_at(f);
    Real at_horizon = fn.profit_per_hour() * horizon_hours;
    for (std::size_t k : m.impact_curves_in_order(f))
      if (m.impact_in_money(f, k)) at_horizon += fn.impact[k].cumulative(horizon_hours);
    for (index_t i = by_function.offsets[f]; i < by_function.offsets[f + 1]; ++i) {
      const index_t s = by_function.systems[i];
      if (slot[s] == no_index) {
        slot[s] = static_cast<index_t>(out.size());
        out.push_back({s, {}, priority_class::D, 0, 0});
      }
      auto& e = out[slot[s]];
      e.functions.push_back(f);
      e.worst_class = std::min(e.worst_class, m.function_class(f));
      e.profit_per_hour += fn.profit_per_hour();
      e.impact_at_horizon += at_horizon;
    }
  }
  for (auto& e : out) std::sort(e.functions.begin(), e.functions.end());
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    if (a.worst_class != b.worst_class) return a.worst_class < b.worst_class;
    if (a.functions.size() != b.functions.size()) return a.functions.size() > b.functions.size();
    if (a.impact_at_horizon != b.impact_at_horizon) return a.impact_at_horizon > b.impact_at_horizon;
    return m.system_rank(a.system) < m.system_rank(b.system);
  });
  return out;
}

} // namespace continuity
