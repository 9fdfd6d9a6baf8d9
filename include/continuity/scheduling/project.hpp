// continuity/scheduling/project.hpp — a resource-constrained project (RCPSP
// instance): activities with durations and release times, renewable resources
// with integer capacities, integer demands and precedence relations.
//
// A project is assembled with a basic_project_builder and validated once by
// build(); the resulting basic_project is immutable, stores everything in
// contiguous arrays indexed by activity number (successors and predecessors in
// compressed sparse rows) and is accepted by every scheduling algorithm
// without further checks. Time is in hours.
//
// Both kinds of precedence reduce to one form, a start-to-start delay:
//   finish_to_start, lag L:  start(successor) >= start(predecessor) + duration(predecessor) + L
//   start_to_start,  lag L:  start(successor) >= start(predecessor) + L
#pragma once

#include <continuity/error.hpp>
#include <continuity/scheduling/detail/ready_set.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// How a precedence relation ties a successor to its predecessor.
enum class precedence_kind {
  finish_to_start, ///< the successor starts at least `lag` hours after the predecessor finishes
  start_to_start   ///< the successor starts at least `lag` hours after the predecessor starts
};

/// One precedence relation as stated by the user (activity indices).
template <class Real = double>
struct basic_precedence {
  std::size_t predecessor = 0;                             ///< the activity that comes first
  std::size_t successor = 0;                               ///< the activity that waits
  precedence_kind kind = precedence_kind::finish_to_start; ///< what the lag is measured from
  Real lag = 0;                                            ///< minimum time lag in hours, >= 0
};

/// A precedence relation with the default real type.
using precedence = basic_precedence<double>;

/// One edge of the precedence graph in its reduced form: the neighbouring
/// activity and the start-to-start delay, i.e. start(successor) >=
/// start(predecessor) + delay.
template <class Real = double>
struct basic_precedence_arc {
  std::size_t activity = 0; ///< the activity at the other end of the edge
  Real delay = 0;           ///< minimum distance between the two start times, >= 0
};

/// What one activity needs of one renewable resource while it runs.
struct resource_demand {
  std::size_t resource = 0; ///< resource index
  int units = 0;            ///< units held for the whole duration, > 0
};

template <class Real>
class basic_project_builder;

/// A validated resource-constrained project. Build it with
/// basic_project_builder; all accessors are O(1) or O(degree) and never throw
/// on valid indices.
template <class Real = double>
class basic_project {
  static_assert(std::is_floating_point_v<Real>, "Real must be a floating-point type");

public:
  /// The real type used for times.
  using real_type = Real;
  /// A reduced precedence edge.
  using arc_type = basic_precedence_arc<Real>;
  /// A user-level precedence relation.
  using precedence_type = basic_precedence<Real>;

  /// An empty project (no activities, no resources).
  basic_project() = default;

  /// Number of activities.
  std::size_t activity_count() const noexcept { return duration_.size(); }
  /// Number of renewable resources.
  std::size_t resource_count() const noexcept { return capacity_.size(); }

  /// Duration of activity `a` in hours.
  Real duration(std::size_t a) const noexcept { return duration_[a]; }
  /// All durations, indexed by activity.
  std::span<const Real> durations() const noexcept { return duration_; }
  /// Earliest allowed start of activity `a` (release time), in hours; 0 if none.
  Real release_time(std::size_t a) const noexcept { return release_[a]; }
  /// All release times, indexed by activity.
  std::span<const Real> release_times() const noexcept { return release_; }
  /// Name of activity `a` as given (may be empty).
  const std::string& activity_name(std::size_t a) const noexcept { return name_[a]; }
  /// A label for messages: "'<name>'" if named, otherwise "#<index>".
  std::string activity_label(std::size_t a) const { return label(name_[a], a); }

  /// Name of resource `r`.
  const std::string& resource_name(std::size_t r) const noexcept { return resource_name_[r]; }
  /// Capacity (units available at any time) of resource `r`.
  int capacity(std::size_t r) const noexcept { return capacity_[r]; }
  /// All capacities, indexed by resource.
  std::span<const int> capacities() const noexcept { return capacity_; }

  /// Non-zero demands of activity `a`, sorted by resource index.
  std::span<const resource_demand> demands(std::size_t a) const noexcept {
    return {demand_.data() + demand_offset_[a], demand_.data() + demand_offset_[a + 1]};
  }
  /// Units of resource `r` that activity `a` needs (0 if none).
  int demand(std::size_t a, std::size_t r) const noexcept {
    for (const auto& d : demands(a))
      if (d.resource == r) return d.units;
    return 0;
  }

  /// Reduced edges to the direct successors of activity `a`.
  std::span<const arc_type> successors(std::size_t a) const noexcept {
    return {successor_.data() + successor_offset_[a], successor_.data() + successor_offset_[a + 1]};
  }
  /// Reduced edges from the direct predecessors of activity `a`.
  std::span<const arc_type> predecessors(std::size_t a) const noexcept {
    return {predecessor_.data() + predecessor_offset_[a],
            predecessor_.data() + predecessor_offset_[a + 1]};
  }
  /// Every activity's predecessor edges (as predecessors() gives them), one
  /// activity after another: those of activity `a` are entries
  /// predecessor_offsets()[a] … predecessor_offsets()[a + 1] − 1.
  std::span<const arc_type> predecessor_arcs() const noexcept { return predecessor_; }
  /// Where each activity's edges begin in predecessor_arcs() (activity_count() + 1 entries).
  std::span<const std::size_t> predecessor_offsets() const noexcept { return predecessor_offset_; }
  /// The precedence relations as given, in the order they were added.
  std::span<const precedence_type> precedences() const noexcept { return precedence_; }

  /// The activities in one topological order of the precedence graph (every
  /// predecessor before its successors; among the ready ones, lower index first).
  std::span<const std::size_t> topological_order() const noexcept { return topological_; }
  /// Position of activity `a` in topological_order().
  std::size_t topological_rank(std::size_t a) const noexcept { return rank_[a]; }

private:
  friend class basic_project_builder<Real>;

  static std::string label(const std::string& name, std::size_t a) {
    std::string s;
    if (name.empty()) {
      s = "#";
      s += std::to_string(a);
    } else {
      s = "'";
      s += name;
      s += "'";
    }
    return s;
  }

  std::vector<Real> duration_, release_;
  std::vector<std::string> name_;
  std::vector<std::string> resource_name_;
  std::vector<int> capacity_;
  std::vector<std::size_t> demand_offset_{0};
  std::vector<resource_demand> demand_;
  std::vector<std::size_t> successor_offset_{0}, predecessor_offset_{0};
  std::vector<arc_type> successor_, predecessor_;
  std::vector<precedence_type> precedence_;
  std::vector<std::size_t> topological_, rank_;
};

/// A project with the default real type.
using project = basic_project<double>;

/// Collects activities, resources, demands and precedences, then validates
/// them all at once in build(). Indices are handed out in the order of the
/// add_ calls, starting at 0.
template <class Real = double>
class basic_project_builder {
public:
  /// The project type this builder makes.
  using project_type = basic_project<Real>;

  /// Reserves room for `activities` activities and `precedences` relations.
  void reserve(std::size_t activities, std::size_t precedences) {
    duration_.reserve(activities);
    release_.reserve(activities);
    name_.reserve(activities);
    precedence_.reserve(precedences);
  }

  /// Adds a renewable resource (e.g. the staff of one skill) with `capacity`
  /// units available at any time; returns its index.
  std::size_t add_resource(std::string name, int capacity) {
    resource_name_.push_back(std::move(name));
    capacity_.push_back(capacity);
    return capacity_.size() - 1;
  }

  /// Sets the capacity of resource `resource` (as added).
  void set_capacity(std::size_t resource, int capacity) {
    if (resource >= capacity_.size())
      throw reference_error("resource", "#" + std::to_string(resource), "capacity",
                            "no resource with index " + std::to_string(resource) + " (there are " +
                                std::to_string(capacity_.size()) + ")");
    capacity_[resource] = capacity;
  }

  /// Adds an activity of `duration` hours; returns its index.
  std::size_t add_activity(Real duration, std::string name = {}) {
    duration_.push_back(duration);
    release_.push_back(Real(0));
    name_.push_back(std::move(name));
    return duration_.size() - 1;
  }

  /// Sets the release time (earliest start, e.g. a hardware lead time) of `activity`.
  void set_release_time(std::size_t activity, Real release) {
    check_activity(activity, "release_time");
    release_[activity] = release;
  }

  /// Sets how many units of `resource` the activity holds while it runs
  /// (a later call for the same pair replaces an earlier one).
  void set_demand(std::size_t activity, std::size_t resource, int units) {
    check_activity(activity, "demand");
    demand_.push_back({activity, resource, units, demand_.size()});
  }

  /// Adds "`successor` starts at least `lag` hours after `predecessor` finishes".
  void add_finish_to_start(std::size_t predecessor, std::size_t successor, Real lag = Real(0)) {
    precedence_.push_back({predecessor, successor, precedence_kind::finish_to_start, lag});
  }

  /// Adds "`successor` starts at least `lag` hours after `predecessor` starts".
  void add_start_to_start(std::size_t predecessor, std::size_t successor, Real lag = Real(0)) {
    precedence_.push_back({predecessor, successor, precedence_kind::start_to_start, lag});
  }

  /// Adds a precedence relation.
  void add_precedence(const basic_precedence<Real>& p) { precedence_.push_back(p); }

  /// Number of activities added so far.
  std::size_t activity_count() const noexcept { return duration_.size(); }
  /// Number of resources added so far.
  std::size_t resource_count() const noexcept { return capacity_.size(); }
  /// Name of resource `r` (as added).
  const std::string& resource_name(std::size_t r) const noexcept { return resource_name_[r]; }

  /// Validates everything and returns the project.
  /// Throws value_error for a negative, NaN or infinite duration, release
  /// time or lag, or a negative demand or capacity; reference_error for an
  /// index that names no activity or resource; scheduling_error for a
  /// precedence cycle (naming the activities on it) and for an activity that
  /// demands more of a resource than its capacity.
  project_type build() const {
    project_type p;
    scratch s;
    assemble(p, s);
    return p;
  }

  /// build() into an existing project `p`, reusing its memory and the
  /// builder's own (for a project rebuilt many times, e.g. once per
  /// simulated incident). Throws as build(); `p` is then left valid but
  /// unspecified.
  void build_into(project_type& p) { assemble(p, scratch_); }

  /// Removes every activity, demand and precedence, keeping the resources
  /// and the memory for the next project.
  void clear_activities() noexcept {
    duration_.clear();
    release_.clear();
    name_.clear();
    demand_.clear();
    precedence_.clear();
  }

  /// Removes every activity, resource, demand and precedence, keeping the
  /// memory for the next project.
  void clear() noexcept {
    clear_activities();
    resource_name_.clear();
    capacity_.clear();
  }

private:
  struct demand_entry {
    std::size_t activity, resource;
    int units;
    std::size_t order; // of the set_demand calls
  };

  // Working memory of build (kept by build_into between projects).
  struct scratch {
    std::vector<demand_entry> demands;
    std::vector<std::size_t> successor_fill, predecessor_fill, missing;
    detail::ready_set ready;
  };

  void assemble(project_type& p, scratch& s) const {
    const std::size_t n = duration_.size();
    const std::size_t k = capacity_.size();
    for (std::size_t r = 0; r < k; ++r)
      if (capacity_[r] < 0)
        throw value_error("resource", resource_name_[r], "capacity",
                          "must be >= 0, got " + std::to_string(capacity_[r]));
    for (std::size_t a = 0; a < n; ++a) {
      check_time(a, "duration", duration_[a]);
      check_time(a, "release_time", release_[a]);
    }
    p.duration_ = duration_;
    p.release_ = release_;
    p.name_ = name_;
    p.resource_name_ = resource_name_;
    p.capacity_ = capacity_;

    build_demands(p, s);
    build_precedences(p, s);
  }

  std::string activity_name(std::size_t a) const {
    if (!name_[a].empty()) return name_[a];
    std::string s = "#";
    s += std::to_string(a);
    return s;
  }

  void check_activity(std::size_t a, const char* field) const {
    if (a >= duration_.size())
      throw reference_error("activity", "#" + std::to_string(a), field,
                            "no activity with index " + std::to_string(a) + " (there are " +
                                std::to_string(duration_.size()) + ")");
  }

  void check_time(std::size_t a, const char* field, Real v) const {
    if (std::isnan(v) || std::isinf(v))
      throw value_error("activity", activity_name(a), field, "must be finite");
    if (v < Real(0))
      throw value_error("activity", activity_name(a), field,
                        "must be >= 0 hours, got " + std::to_string(v));
  }

  void build_demands(project_type& p, scratch& s) const {
    const std::size_t n = duration_.size();
    auto& d = s.demands;
    d.assign(demand_.begin(), demand_.end());
    for (const auto& e : d) {
      if (e.resource >= capacity_.size())
        throw reference_error("activity", activity_name(e.activity), "demand",
                              "no resource with index " + std::to_string(e.resource));
    }
    // Later settings win: sort by (activity, resource, order of the calls),
    // then keep the last of each (activity, resource) run.
    const auto before = [](const demand_entry& x, const demand_entry& y) {
      return std::tie(x.activity, x.resource, x.order) < std::tie(y.activity, y.resource, y.order);
    };
    if (!std::is_sorted(d.begin(), d.end(), before)) std::sort(d.begin(), d.end(), before);
    p.demand_offset_.assign(n + 1, 0);
    p.demand_.clear();
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (i + 1 < d.size() && d[i + 1].activity == d[i].activity &&
          d[i + 1].resource == d[i].resource)
        continue;
      const auto& e = d[i];
      if (e.units < 0)
        throw value_error("activity", activity_name(e.activity),
                          "demand[" + resource_name_[e.resource] + "]",
                          "must be >= 0 units, got " + std::to_string(e.units));
      if (e.units == 0) continue;
      if (e.units > capacity_[e.resource])
        throw scheduling_error(
            "activity '" + activity_name(e.activity) + "' needs " + std::to_string(e.units) +
            " units of resource '" + resource_name_[e.resource] + "' but its capacity is " +
            std::to_string(capacity_[e.resource]) + ": the activity can never be scheduled");
      p.demand_.push_back({e.resource, e.units});
      ++p.demand_offset_[e.activity + 1];
    }
    for (std::size_t a = 0; a < n; ++a) p.demand_offset_[a + 1] += p.demand_offset_[a];
  }

  void build_precedences(project_type& p, scratch& s) const {
    const std::size_t n = duration_.size();
    for (const auto& e : precedence_) {
      for (std::size_t a : {e.predecessor, e.successor})
        if (a >= n)
          throw reference_error("precedence", {}, "activity",
                                "no activity with index " + std::to_string(a));
      if (std::isnan(e.lag) || std::isinf(e.lag) || e.lag < Real(0))
        throw value_error("activity", activity_name(e.successor), "precedence lag",
                          "lag after '" + activity_name(e.predecessor) +
                              "' must be finite and >= 0, got " + std::to_string(e.lag));
    }
    p.precedence_ = precedence_;
    auto& so = p.successor_offset_;
    auto& po = p.predecessor_offset_;
    so.assign(n + 1, 0);
    po.assign(n + 1, 0);
    for (const auto& e : precedence_) {
      ++so[e.predecessor + 1];
      ++po[e.successor + 1];
    }
    for (std::size_t a = 0; a < n; ++a) {
      so[a + 1] += so[a];
      po[a + 1] += po[a];
    }
    p.successor_.resize(precedence_.size());
    p.predecessor_.resize(precedence_.size());
    {
      auto& sfill = s.successor_fill;
      auto& pfill = s.predecessor_fill;
      sfill.assign(so.begin(), so.end() - 1);
      pfill.assign(po.begin(), po.end() - 1);
      for (const auto& e : precedence_) {
        const Real delay =
            e.kind == precedence_kind::finish_to_start ? duration_[e.predecessor] + e.lag : e.lag;
        p.successor_[sfill[e.predecessor]++] = {e.successor, delay};
        p.predecessor_[pfill[e.successor]++] = {e.predecessor, delay};
      }
    }
    // Kahn's algorithm with the lowest ready index first.
    auto& missing = s.missing;
    missing.resize(n);
    auto& ready = s.ready;
    ready.reset(n);
    for (std::size_t a = 0; a < n; ++a) {
      missing[a] = po[a + 1] - po[a];
      if (missing[a] == 0) ready.insert(a);
    }
    p.topological_.clear();
    p.topological_.reserve(n);
    while (!ready.empty()) {
      const std::size_t a = ready.pop_min();
      p.topological_.push_back(a);
      for (const auto& s : p.successors(a))
        if (--missing[s.activity] == 0) ready.insert(s.activity);
    }
    if (p.topological_.size() != n) throw_cycle(p, missing);
    p.rank_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) p.rank_[p.topological_[i]] = i;
  }

  // Every activity left with missing > 0 has a predecessor that is also left
  // (it lies on or behind a cycle); walking predecessors must revisit one.
  [[noreturn]] void throw_cycle(const project_type& p,
                                const std::vector<std::size_t>& missing) const {
    const std::size_t n = duration_.size();
    std::size_t a = 0;
    while (missing[a] == 0) ++a;
    std::vector<std::size_t> seen_at(n, std::numeric_limits<std::size_t>::max());
    std::vector<std::size_t> walk;
    while (seen_at[a] == std::numeric_limits<std::size_t>::max()) {
      seen_at[a] = walk.size();
      walk.push_back(a);
      for (const auto& q : p.predecessors(a))
        if (missing[q.activity] > 0) {
          a = q.activity;
          break;
        }
    }
    // walk[seen_at[a]..] is the cycle, each entry a successor of the next: reverse it.
    std::vector<std::size_t> cycle(walk.begin() + static_cast<std::ptrdiff_t>(seen_at[a]),
                                   walk.end());
    std::reverse(cycle.begin(), cycle.end());
    std::string s = "precedence cycle: ";
    for (std::size_t c : cycle) {
      s += '\'';
      s += activity_name(c);
      s += "' -> ";
    }
    s += '\'';
    s += activity_name(cycle.front());
    s += '\'';
    throw scheduling_error(s);
  }

  std::vector<Real> duration_, release_;
  std::vector<std::string> name_;
  std::vector<std::string> resource_name_;
  std::vector<int> capacity_;
  std::vector<demand_entry> demand_;
  std::vector<basic_precedence<Real>> precedence_;
  scratch scratch_;
};

/// A project builder with the default real type.
using project_builder = basic_project_builder<double>;

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
