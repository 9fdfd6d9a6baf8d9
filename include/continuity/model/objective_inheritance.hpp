// continuity/model/objective_inheritance.hpp — RTO and RPO roll down the
// dependency graph: each system gets the tightest objectives of the business
// functions that need it directly or transitively, and the best priority
// class among them. Linear in the size of the graph.
#pragma once

#include <continuity/model/dependency_graph.hpp>
#include <continuity/model/priority.hpp>

#include <limits>
#include <span>
#include <vector>

namespace continuity {

/// Objectives inherited by each system.
template <class Real = double>
struct inherited_objectives {
  std::vector<Real> rto; ///< tightest RTO in hours (+infinity: no function needs it in time)
  std::vector<Real> rpo; ///< tightest RPO in hours (+infinity: none)
  std::vector<index_t> rto_function;   ///< function that sets rto, or no_index
  std::vector<index_t> rpo_function;   ///< function that sets rpo, or no_index
  std::vector<index_t> class_function; ///< function that sets priority, or no_index
  /// Best (most urgent) priority class of the functions that need the system;
  /// meaningful only where class_function != no_index.
  std::vector<priority_class> priority;

  /// True if some business function needs system s.
  bool is_needed(index_t s) const noexcept { return class_function[s] != no_index; }
};

namespace detail {
// Keeps the smaller (value, function) pair; ties go to the function that
// comes first in `rank` (by index if rank is empty).
inline bool earlier(index_t f, index_t g, std::span<const index_t> rank) noexcept {
  return rank.empty() ? f < g : rank[f] < rank[g];
}
template <class Real>
inline bool tighten(Real& value, index_t& source, Real v, index_t f,
                    std::span<const index_t> rank) noexcept {
  if (f == no_index) return false;
  if (source == no_index || v < value || (v == value && earlier(f, source, rank))) {
    value = v;
    source = f;
    return true;
  }
  return false;
}
} // namespace detail

/// Rolls each function's RTO, RPO and priority class down to every system it
/// needs, directly or transitively (all candidates of an any-of or k-of-n
/// requirement inherit too: any of them may have to carry the load). The
/// members of a strongly connected component share their objectives.
/// Between functions with equal objectives the one first in `function_rank`
/// (a place per function, e.g. basic_model::function_rank) is named as the
/// source; by index if `function_rank` is empty. O(systems + functions + edges).
template <class Real>
inherited_objectives<Real> inherit_objectives(const dependency_graph& g,
                                              std::span<const Real> function_rto,
                                              std::span<const Real> function_rpo,
                                              std::span<const priority_class> function_class,
                                              std::span<const index_t> function_rank = {}) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  const index_t nc = g.component_count();
  // Per component first, then copied to the members.
  std::vector<Real> crto(nc, inf), crpo(nc, inf);
  std::vector<index_t> crto_f(nc, no_index), crpo_f(nc, no_index), cclass_f(nc, no_index);
  std::vector<priority_class> cclass(nc, priority_class::D);
  auto push = [&](index_t c, Real rto, index_t rto_f, Real rpo, index_t rpo_f, priority_class pc,
                  index_t pc_f) {
    detail::tighten(crto[c], crto_f[c], rto, rto_f, function_rank);
    detail::tighten(crpo[c], crpo_f[c], rpo, rpo_f, function_rank);
    if (pc_f != no_index &&
        (cclass_f[c] == no_index || pc < cclass[c] ||
         (pc == cclass[c] && detail::earlier(pc_f, cclass_f[c], function_rank)))) {
      cclass[c] = pc;
      cclass_f[c] = pc_f;
    }
  };
  for (index_t f = 0; f < g.function_count(); ++f) {
    auto [first, last] = g.requirements_of(g.function_node(f));
    for (index_t r = first; r < last; ++r)
      for (index_t m : g.members(r))
        push(g.component_of(m), function_rto[f], f, function_rpo[f], f, function_class[f], f);
  }
  // Dependents have larger component numbers: walk from the last component down.
  for (index_t c = nc; c-- > 0;) {
    for (index_t s : g.component_members(c)) {
      auto [first, last] = g.requirements_of(s);
      for (index_t r = first; r < last; ++r)
        for (index_t m : g.members(r)) {
          const index_t d = g.component_of(m);
          if (d != c) push(d, crto[c], crto_f[c], crpo[c], crpo_f[c], cclass[c], cclass_f[c]);
        }
    }
  }
  inherited_objectives<Real> out;
  const index_t n = g.system_count();
  out.rto.resize(n);
  out.rpo.resize(n);
  out.rto_function.resize(n);
  out.rpo_function.resize(n);
  out.class_function.resize(n);
  out.priority.resize(n);
  for (index_t s = 0; s < n; ++s) {
    const index_t c = g.component_of(s);
    out.rto[s] = crto[c];
    out.rpo[s] = crpo[c];
    out.rto_function[s] = crto_f[c];
    out.rpo_function[s] = crpo_f[c];
    out.class_function[s] = cclass_f[c];
    out.priority[s] = cclass[c];
  }
  return out;
}

} // namespace continuity
