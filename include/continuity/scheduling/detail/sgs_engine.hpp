// continuity/scheduling/detail/sgs_engine.hpp — the serial schedule
// generation kernel (its resource profile is in resource_profile.hpp).
// Unstable internals: use serial_sgs.hpp and improvement.hpp instead.
#pragma once

#include <continuity/scheduling/detail/resource_profile.hpp>
#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace continuity::detail {

/// The problem as the SGS kernel sees it: for every activity its duration,
/// release time, predecessor edges (start-to-start delays, which may be
/// negative in a time-reversed network) and demands.
template <class Real>
struct sgs_network {
  std::span<const Real> duration;
  std::span<const Real> release;
  std::span<const std::size_t> predecessor_offset;
  std::span<const basic_precedence_arc<Real>> predecessor;
  std::span<const int> capacity;
  const basic_project<Real>* demands_of = nullptr; // demands are read from the project

  std::span<const basic_precedence_arc<Real>> predecessors(std::size_t a) const {
    return predecessor.subspan(predecessor_offset[a],
                               predecessor_offset[a + 1] - predecessor_offset[a]);
  }
};

/// The forward network of a project (shares its storage).
template <class Real>
struct forward_network_storage {
  std::vector<std::size_t> offset;
  std::vector<basic_precedence_arc<Real>> arcs;
};

/// Builds the predecessor CSR of `p` in flat arrays.
template <class Real>
sgs_network<Real> make_forward_network(const basic_project<Real>& p,
                                       forward_network_storage<Real>& store) {
  const std::size_t n = p.activity_count();
  store.offset.assign(n + 1, 0);
  store.arcs.clear();
  for (std::size_t a = 0; a < n; ++a) {
    for (const auto& q : p.predecessors(a)) store.arcs.push_back(q);
    store.offset[a + 1] = store.arcs.size();
  }
  return {p.durations(), p.release_times(), store.offset, store.arcs, p.capacities(), &p};
}

/// The time-reversed network: time runs backwards from a deadline, every
/// successor becomes a predecessor, and start'(a) = deadline - finish(a). A
/// relation start(j) >= start(i) + delay becomes
/// start'(i) >= start'(j) + duration(j) - duration(i) + delay.
/// Release times are dropped (they bind only the forward direction).
template <class Real>
sgs_network<Real> make_backward_network(const basic_project<Real>& p,
                                        forward_network_storage<Real>& store,
                                        std::vector<Real>& zero_release) {
  const std::size_t n = p.activity_count();
  store.offset.assign(n + 1, 0);
  store.arcs.clear();
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& s : p.successors(i))
      store.arcs.push_back({s.activity, p.duration(s.activity) - p.duration(i) + s.delay});
    store.offset[i + 1] = store.arcs.size();
  }
  zero_release.assign(n, Real(0));
  return {p.durations(), zero_release, store.offset, store.arcs, p.capacities(), &p};
}

/// The serial schedule generation scheme: takes the activities in list order
/// and starts each at its earliest precedence-, release- and resource-feasible
/// time. The list must be a precedence-feasible permutation (unchecked).
/// `Profile` is the resource profile it searches (the tests put a reference
/// implementation there).
template <class Real, class Profile = resource_profile<Real>>
class serial_sgs_engine {
public:
  void run(const sgs_network<Real>& net, std::span<const std::size_t> list,
           std::vector<Real>& start) {
    profile_.reset(net.capacity);
    start.resize(net.duration.size());
    for (std::size_t a : list) {
      Real est = std::max(Real(0), net.release[a]);
      for (const auto& q : net.predecessors(a)) est = std::max(est, start[q.activity] + q.delay);
      const auto demand = net.demands_of->demands(a);
      const Real d = net.duration[a];
      const Real t = profile_.earliest_fit(est, d, demand);
      start[a] = t;
      profile_.reserve(t, t + d, demand);
    }
  }

private:
  Profile profile_;
};

} // namespace continuity::detail
