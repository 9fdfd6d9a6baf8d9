// continuity/analysis/impact.hpp — impact propagation: given what an incident
// damages, which systems and business functions are down. Honours all-of,
// any-of and k-of-n requirements; linear in the size of the graph.
#pragma once

#include <continuity/model/objective_inheritance.hpp>
#include <continuity/model/dependency_graph.hpp>
#include <continuity/model/model.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace continuity {

/// What is down after an incident.
struct impact_result {
  std::vector<std::uint8_t> system_down;   ///< 1 if system s is down
  std::vector<std::uint8_t> function_down; ///< 1 if function f is down
  /// Why system s is down: itself if damaged directly, else the system whose
  /// loss broke one of its requirements (follow the chain to a damaged
  /// system); no_index if up.
  std::vector<index_t> system_cause;
  /// The system whose loss stopped function f; no_index if it runs.
  std::vector<index_t> function_cause;
  index_t systems_down = 0;   ///< number of systems down
  index_t functions_down = 0; ///< number of functions down

  /// True if system s is down.
  bool is_down(index_t s) const noexcept { return system_down[s] != 0; }
};

/// Working memory of propagate_impact, kept between calls.
struct impact_scratch {
  std::vector<index_t> up;    ///< candidates still up, by requirement
  std::vector<index_t> queue; ///< systems down, in the order found
};

/// propagate_impact into `out`, reusing its memory and that of `scratch`
/// (for many incidents in a row).
inline void propagate_impact(const dependency_graph& g, std::span<const index_t> damaged,
                             impact_result& out, impact_scratch& scratch) {
  const index_t ns = g.system_count();
  out.system_down.assign(ns, 0);
  out.system_cause.assign(ns, no_index);
  out.function_down.assign(g.function_count(), 0);
  out.function_cause.assign(g.function_count(), no_index);
  out.systems_down = 0;
  out.functions_down = 0;
  auto& up = scratch.up;
  up.resize(g.requirement_count());
  for (index_t r = 0; r < g.requirement_count(); ++r)
    up[r] = static_cast<index_t>(g.members(r).size());
  auto& queue = scratch.queue;
  queue.clear();
  auto mark = [&](index_t s, index_t cause) {
    if (out.system_down[s]) return;
    for (index_t m : g.component_members(g.component_of(s))) {
      if (out.system_down[m]) continue;
      out.system_down[m] = 1;
      out.system_cause[m] = m == s ? cause : s;
      queue.push_back(m);
    }
  };
  for (index_t s : damaged) mark(s, s);
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const index_t s = queue[head];
    for (index_t r : g.requirements_containing(s)) {
      if (up[r]-- != g.needed(r)) continue; // fails exactly when it drops below needed
      const index_t o = g.owner(r);
      if (o < ns) {
        mark(o, s);
      } else if (!out.function_down[o - ns]) {
        out.function_down[o - ns] = 1;
        out.function_cause[o - ns] = s;
      }
    }
  }
  out.systems_down = static_cast<index_t>(queue.size());
  for (auto d : out.function_down) out.functions_down += d;
}

/// Propagates initial damage through the graph. A system is down if it is
/// damaged, or if fewer than needed(r) candidates of one of its requirements
/// r are up; a business function likewise. Within a strongly connected
/// group (cycle_policy::group_strongly_connected) one member down takes the
/// group down. Systems not affected stay up (the greatest consistent state).
/// O(systems + functions + edges).
inline impact_result propagate_impact(const dependency_graph& g, std::span<const index_t> damaged) {
  impact_result out;
  impact_scratch scratch;
  propagate_impact(g, damaged, out, scratch);
  return out;
}

/// What scenario i of a model takes down.
template <class Real>
impact_result propagate_impact(const basic_model<Real>& m, index_t scenario) {
  return propagate_impact(m.graph(), m.damaged_systems(scenario));
}

} // namespace continuity
