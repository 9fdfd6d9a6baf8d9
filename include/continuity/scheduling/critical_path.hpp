// continuity/scheduling/critical_path.hpp — forward and backward pass over the
// precedence graph, ignoring resources: earliest and latest start times and
// the critical-path length, a lower bound on every feasible makespan.
#pragma once

#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace continuity {

/// Earliest and latest start times of every activity without resource limits.
template <class Real = double>
struct basic_critical_path {
  std::vector<Real> earliest_start; ///< forward pass (respects release times)
  std::vector<Real> latest_start;   ///< backward pass from `horizon`
  Real length = 0;                  ///< critical-path length: max earliest finish
  Real horizon = 0;                 ///< deadline the latest times are computed from

  /// Slack of activity `a`: latest_start - earliest_start (0 on a critical path
  /// when horizon == length).
  Real total_float(std::size_t a) const { return latest_start[a] - earliest_start[a]; }
};

/// The critical-path analysis with the default real type.
using critical_path_analysis = basic_critical_path<double>;

/// Forward and backward pass into `cp`, reusing its memory (see
/// critical_path).
template <class Real>
void critical_path(const basic_project<Real>& p, basic_critical_path<Real>& cp,
                   Real horizon = Real(0)) {
  const std::size_t n = p.activity_count();
  cp.earliest_start.assign(n, Real(0));
  cp.latest_start.assign(n, Real(0));
  Real length = 0;
  for (std::size_t a : p.topological_order()) {
    Real es = p.release_time(a);
    for (const auto& q : p.predecessors(a))
      es = std::max(es, cp.earliest_start[q.activity] + q.delay);
    cp.earliest_start[a] = es;
    length = std::max(length, es + p.duration(a));
  }
  cp.length = length;
  cp.horizon = std::max(horizon, length);
  const auto order = p.topological_order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::size_t a = *it;
    Real ls = cp.horizon - p.duration(a);
    for (const auto& s : p.successors(a)) ls = std::min(ls, cp.latest_start[s.activity] - s.delay);
    cp.latest_start[a] = ls;
  }
}

/// Forward and backward pass. Latest times are computed against `horizon`,
/// or against the critical-path length when `horizon` is less than it (the
/// default). latest_finish = latest_start + duration. O(activities + precedences).
template <class Real>
basic_critical_path<Real> critical_path(const basic_project<Real>& p, Real horizon = Real(0)) {
  basic_critical_path<Real> cp;
  critical_path(p, cp, horizon);
  return cp;
}

/// The critical-path lower bound on the makespan (release times included).
template <class Real>
Real critical_path_length(const basic_project<Real>& p) {
  return critical_path(p).length;
}

} // namespace continuity
