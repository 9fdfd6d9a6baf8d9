// continuity/scheduling/detail/sgs_engine.hpp — the serial schedule
// generation kernel (its resource profile is in resource_profile.hpp).
// Unstable internals: use serial_sgs.hpp and improvement.hpp instead.
#pragma once

#include <continuity/scheduling/detail/resource_profile.hpp>
#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
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

/// The arrays of a network built from a project (the time-reversed one).
template <class Real>
struct network_storage {
  std::vector<std::size_t> offset;
  std::vector<basic_precedence_arc<Real>> arcs;
};

/// The forward network of `p` (its own arrays: nothing is copied).
template <class Real>
sgs_network<Real> make_forward_network(const basic_project<Real>& p) {
  return {p.durations(),           p.release_times(), p.predecessor_offsets(),
          p.predecessor_arcs(),    p.capacities(),    &p};
}

/// The time-reversed network: time runs backwards from a deadline, every
/// successor becomes a predecessor, and start'(a) = deadline - finish(a). A
/// relation start(j) >= start(i) + delay becomes
/// start'(i) >= start'(j) + duration(j) - duration(i) + delay.
/// Release times are dropped (they bind only the forward direction).
template <class Real>
sgs_network<Real> make_backward_network(const basic_project<Real>& p,
                                        network_storage<Real>& store,
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
  /// Starts the activities of `list`, which must be a precedence-feasible
  /// permutation (unchecked), into start[activity].
  void run(const sgs_network<Real>& net, std::span<const std::size_t> list,
           std::vector<Real>& start) {
    (void)pass<false>(net, list, start);
  }
  /// As run, and checks the list on the way (an activity's start is NaN
  /// until it is listed): returns list.size() if the list is a
  /// precedence-feasible permutation, else the first place at which it is
  /// not (an activity out of range, listed twice or before one of its
  /// predecessors; the start times are then incomplete). The list must hold
  /// as many entries as there are activities.
  std::size_t run_checked(const sgs_network<Real>& net, std::span<const std::size_t> list,
                          std::vector<Real>& start) {
    return pass<true>(net, list, start);
  }

private:
  static void prefetch(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
  }

  template <bool Checked>
  std::size_t pass(const sgs_network<Real>& net, std::span<const std::size_t> list,
                   std::vector<Real>& start) {
    const std::size_t n = net.duration.size();
    profile_.reset(net.capacity);
    if constexpr (Checked)
      start.assign(n, std::numeric_limits<Real>::quiet_NaN());
    else
      start.resize(n);
    // The list jumps through the activities' arrays: at 10^6 systems each
    // start would wait for several cache misses. The data of the activity
    // `ahead` places later in the list are requested early, the offsets
    // first and the records they point to half as far ahead.
    constexpr std::size_t ahead = 16;
    const std::size_t count = list.size();
    for (std::size_t i = 0; i < count; ++i) {
      if (i + 2 * ahead < count && (!Checked || list[i + 2 * ahead] < n)) {
        const std::size_t far = list[i + 2 * ahead];
        prefetch(&net.predecessor_offset[far]);
        prefetch(&net.release[far]);
        prefetch(&net.duration[far]);
      }
      if (i + ahead < count && (!Checked || list[i + ahead] < n)) {
        const std::size_t near = list[i + ahead];
        prefetch(net.predecessor.data() + net.predecessor_offset[near]);
        prefetch(net.demands_of->demands(near).data());
      }
      const std::size_t a = list[i];
      if constexpr (Checked)
        if (a >= n || !std::isnan(start[a])) return i;
      Real est = std::max(Real(0), net.release[a]);
      for (const auto& q : net.predecessors(a)) {
        if constexpr (Checked)
          if (std::isnan(start[q.activity])) return i;
        est = std::max(est, start[q.activity] + q.delay);
      }
      const auto demand = net.demands_of->demands(a);
      const Real d = net.duration[a];
      const Real t = profile_.earliest_fit(est, d, demand);
      start[a] = t;
      profile_.reserve(t, t + d, demand);
    }
    return count;
  }

  Profile profile_;
};

} // namespace continuity::detail
