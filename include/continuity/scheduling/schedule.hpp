// continuity/scheduling/schedule.hpp — a schedule (start and finish time of
// every activity, makespan) and a checker that lists every way a schedule
// breaks the project's precedence, release-time and resource constraints.
#pragma once

#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// Start and finish times (hours) of every activity of a project.
template <class Real = double>
class basic_schedule {
public:
  /// The real type used for times.
  using real_type = Real;

  /// An empty schedule.
  basic_schedule() = default;

  /// The schedule with the given start times; finish = start + duration.
  /// `start` must have one entry per activity of `p`.
  basic_schedule(const basic_project<Real>& p, std::vector<Real> start) : start_(std::move(start)) {
    finish_from(p);
  }

  /// Makes this the schedule with the given start times (as the
  /// constructor), reusing its memory.
  void assign(const basic_project<Real>& p, std::span<const Real> start) {
    start_.assign(start.begin(), start.end());
    finish_from(p);
  }

  /// Number of activities.
  std::size_t size() const noexcept { return start_.size(); }
  /// Start time of activity `a`.
  Real start(std::size_t a) const noexcept { return start_[a]; }
  /// Finish time of activity `a`.
  Real finish(std::size_t a) const noexcept { return finish_[a]; }
  /// All start times.
  std::span<const Real> starts() const noexcept { return start_; }
  /// All finish times.
  std::span<const Real> finishes() const noexcept { return finish_; }
  /// Latest finish time (0 for an empty schedule).
  Real makespan() const noexcept { return makespan_; }

private:
  void finish_from(const basic_project<Real>& p) {
    finish_.assign(start_.size(), Real(0));
    makespan_ = 0;
    for (std::size_t a = 0; a < start_.size() && a < p.activity_count(); ++a) {
      finish_[a] = start_[a] + p.duration(a);
      makespan_ = std::max(makespan_, finish_[a]);
    }
  }

  std::vector<Real> start_, finish_;
  Real makespan_ = 0;
};

/// A schedule with the default real type.
using schedule = basic_schedule<double>;

/// What a schedule violates.
enum class violation_kind {
  size,       ///< the schedule has the wrong number of activities
  not_finite, ///< a start time is NaN or infinite
  release,    ///< an activity starts before its release time
  precedence, ///< a precedence relation is broken
  resource    ///< a resource is used beyond its capacity at some time
};

/// One violated constraint of a schedule.
template <class Real = double>
struct basic_schedule_violation {
  violation_kind kind = violation_kind::size; ///< which constraint
  std::size_t activity = 0;                   ///< the activity concerned (successor for precedence)
  std::size_t other = 0;                      ///< the predecessor (precedence only)
  std::size_t resource = 0;                   ///< the resource (resource only)
  Real time = 0;       ///< when it happens (start of the overload for resource)
  std::string message; ///< human-readable description
};

/// A schedule violation with the default real type.
using schedule_violation = basic_schedule_violation<double>;

/// Every violated constraint of `s` against `p`: release times, precedence
/// relations (as start(successor) >= start(predecessor) + delay, with
/// `tolerance` hours of slack for rounding), and resource capacities at every
/// instant (an activity holds its resources on [start, finish); activities of
/// zero duration hold nothing). A resource overload is reported once per
/// overloaded stretch. An empty result means the schedule is feasible.
/// O((n + m) + e log e) for n activities, m precedences and e demand entries.
template <class Real>
std::vector<basic_schedule_violation<Real>> check_schedule(const basic_project<Real>& p,
                                                           const basic_schedule<Real>& s,
                                                           Real tolerance = Real(0)) {
  using violation = basic_schedule_violation<Real>;
  std::vector<violation> out;
  const std::size_t n = p.activity_count();
  if (s.size() != n) {
    out.push_back({violation_kind::size, 0, 0, 0, Real(0),
                   "schedule has " + std::to_string(s.size()) + " activities, project has " +
                       std::to_string(n)});
    return out;
  }
  bool finite = true;
  for (std::size_t a = 0; a < n; ++a)
    if (!std::isfinite(s.start(a))) {
      out.push_back({violation_kind::not_finite, a, 0, 0, Real(0),
                     "activity " + p.activity_label(a) + " has no finite start time"});
      finite = false;
    }
  if (!finite) return out;
  for (std::size_t a = 0; a < n; ++a) {
    if (s.start(a) + tolerance < p.release_time(a))
      out.push_back({violation_kind::release, a, 0, 0, s.start(a),
                     "activity " + p.activity_label(a) + " starts at " +
                         std::to_string(s.start(a)) + " before its release time " +
                         std::to_string(p.release_time(a))});
    for (const auto& q : p.predecessors(a))
      if (s.start(a) + tolerance < s.start(q.activity) + q.delay)
        out.push_back({violation_kind::precedence, a, q.activity, 0, s.start(a),
                       "activity " + p.activity_label(a) + " starts at " +
                           std::to_string(s.start(a)) + " but must wait until " +
                           std::to_string(s.start(q.activity) + q.delay) + " for " +
                           p.activity_label(q.activity)});
  }
  // Resource sweep: at equal times, releases (finish events) come first.
  struct event {
    Real time;
    int release; // 0: finish (frees units), 1: start (takes units)
    std::size_t activity;
  };
  std::vector<event> events;
  for (std::size_t a = 0; a < n; ++a)
    if (p.duration(a) > Real(0) && !p.demands(a).empty()) {
      events.push_back({s.start(a), 1, a});
      events.push_back({s.finish(a), 0, a});
    }
  std::sort(events.begin(), events.end(), [](const event& x, const event& y) {
    return x.time != y.time ? x.time < y.time : x.release < y.release;
  });
  const std::size_t k = p.resource_count();
  std::vector<long long> used(k, 0);
  std::vector<char> overloaded(k, 0);
  for (std::size_t i = 0; i < events.size();) {
    const Real t = events[i].time;
    std::size_t j = i;
    for (; j < events.size() && events[j].time == t; ++j) {
      const long long sign = events[j].release ? 1 : -1;
      for (const auto& d : p.demands(events[j].activity)) used[d.resource] += sign * d.units;
    }
    for (std::size_t r = 0; r < k; ++r) {
      if (used[r] > p.capacity(r)) {
        if (!overloaded[r]) {
          overloaded[r] = 1;
          out.push_back({violation_kind::resource, events[i].activity, 0, r, t,
                         "resource '" + p.resource_name(r) + "' is used " +
                             std::to_string(used[r]) + " > capacity " +
                             std::to_string(p.capacity(r)) + " from time " + std::to_string(t)});
        }
      } else {
        overloaded[r] = 0;
      }
    }
    i = j;
  }
  return out;
}

/// Whether `s` satisfies every constraint of `p` (check_schedule is empty).
template <class Real>
bool is_feasible(const basic_project<Real>& p, const basic_schedule<Real>& s,
                 Real tolerance = Real(0)) {
  return check_schedule(p, s, tolerance).empty();
}

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
