// continuity/scheduling/detail/sgs_engine.hpp — the serial schedule
// generation kernel and its continuous-time resource profile. Unstable
// internals: use serial_sgs.hpp and improvement.hpp instead.
#pragma once

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

/// Resource usage over continuous time as a step function: sorted
/// breakpoints, each with the units in use of every resource from it up to
/// the next breakpoint. The last step always has zero usage and extends to
/// infinity. Lookups are binary searches; a reservation inserts at most two
/// breakpoints (a vector insert, cheap when it lands near the end, as in a
/// serial SGS that proceeds roughly in time order).
template <class Real>
class resource_profile {
public:
  void reset(std::span<const int> capacity) {
    capacity_ = capacity;
    k_ = capacity.size();
    time_.assign(1, Real(0));
    used_.assign(k_, 0);
  }

  std::size_t breakpoint_count() const { return time_.size(); }

  /// Earliest t >= est (est >= 0) such that `demand` fits on [t, t + duration).
  Real earliest_fit(Real est, Real duration, std::span<const resource_demand> demand) const {
    if (duration <= Real(0) || demand.empty()) return est;
    Real t = est;
    std::size_t q = segment_of(t);
    const std::size_t m = time_.size();
    for (;;) {
      const Real end = t + duration;
      bool fits = true;
      while (q < m && time_[q] < end) {
        const int* u = used_.data() + q * k_;
        bool ok = true;
        for (const auto& d : demand)
          if (u[d.resource] + d.units > capacity_[d.resource]) {
            ok = false;
            break;
          }
        if (!ok) {
          // The last step is empty, so a conflicting step is never the last one.
          t = time_[q + 1];
          ++q;
          fits = false;
          break;
        }
        ++q;
      }
      if (fits) return t;
    }
  }

  /// Adds `demand` on [start, finish).
  void reserve(Real start, Real finish, std::span<const resource_demand> demand) {
    if (!(finish > start) || demand.empty()) return;
    const std::size_t first = split_at(start);
    const std::size_t last = split_at(finish);
    for (std::size_t q = first; q < last; ++q) {
      int* u = used_.data() + q * k_;
      for (const auto& d : demand) u[d.resource] += d.units;
    }
  }

private:
  std::size_t segment_of(Real t) const {
    const auto it = std::upper_bound(time_.begin(), time_.end(), t);
    return static_cast<std::size_t>(it - time_.begin()) - 1;
  }

  // Makes `t` a breakpoint and returns its index.
  std::size_t split_at(Real t) {
    const std::size_t q = segment_of(t);
    if (time_[q] == t) return q;
    const std::size_t pos = q + 1;
    time_.insert(time_.begin() + static_cast<std::ptrdiff_t>(pos), t);
    scratch_.assign(used_.begin() + static_cast<std::ptrdiff_t>(q * k_),
                    used_.begin() + static_cast<std::ptrdiff_t>(pos * k_));
    used_.insert(used_.begin() + static_cast<std::ptrdiff_t>(pos * k_), scratch_.begin(),
                 scratch_.end());
    return pos;
  }

  std::span<const int> capacity_;
  std::size_t k_ = 0;
  std::vector<Real> time_;
  std::vector<int> used_;
  std::vector<int> scratch_;
};

/// The serial schedule generation scheme: takes the activities in list order
/// and starts each at its earliest precedence-, release- and resource-feasible
/// time. The list must be a precedence-feasible permutation (unchecked).
template <class Real>
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
  resource_profile<Real> profile_;
};

} // namespace continuity::detail
