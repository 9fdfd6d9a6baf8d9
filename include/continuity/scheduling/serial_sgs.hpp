// continuity/scheduling/serial_sgs.hpp — the serial schedule generation
// scheme (SGS) with priority rules.
//
// An activity list is a permutation of the activities in which every
// predecessor comes before its successors. The serial SGS takes the list in
// order and starts each activity at the earliest time that respects its
// predecessors, its release time and the remaining resource capacity over its
// whole duration (continuous time, no time grid). Every schedule it returns
// is feasible and active for the given list.
//
// Priority rules turn a key per activity into an activity list: among the
// activities whose predecessors are all listed, the one with the smallest key
// goes next; equal keys go lower activity index first.
#pragma once

#include <continuity/error.hpp>
#include <continuity/scheduling/critical_path.hpp>
#include <continuity/scheduling/detail/sgs_engine.hpp>
#include <continuity/scheduling/project.hpp>
#include <continuity/scheduling/schedule.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// Classic priority rules for the RCPSP (Kolisch 1996).
enum class priority_rule {
  latest_finish_time,             ///< LFT: smallest latest finish time first
  latest_start_time,              ///< LST: smallest latest start time first
  most_total_successors,          ///< MTS: most (transitive) successors first
  greatest_rank_positional_weight ///< GRPW: largest own + direct successors' duration first
};

namespace detail {

/// Working memory of priority_list, kept between lists.
struct priority_list_scratch {
  std::vector<std::size_t> missing; ///< predecessors not listed yet
  std::vector<std::size_t> ready;   ///< a heap of the activities ready to be listed
};

/// priority_list into `list`, reusing its memory and that of `scratch`;
/// `key` must have one entry per activity.
template <class Real, class Key>
void priority_list(const basic_project<Real>& p, std::span<const Key> key,
                   std::vector<std::size_t>& list, priority_list_scratch& scratch) {
  const std::size_t n = p.activity_count();
  auto& missing = scratch.missing;
  auto& ready = scratch.ready;
  missing.resize(n);
  ready.clear();
  // The heap's top is the smallest (key, activity).
  const auto later = [key](std::size_t x, std::size_t y) {
    return key[y] < key[x] || (!(key[x] < key[y]) && y < x);
  };
  const auto push = [&](std::size_t a) {
    ready.push_back(a);
    std::push_heap(ready.begin(), ready.end(), later);
  };
  for (std::size_t a = 0; a < n; ++a) {
    missing[a] = p.predecessors(a).size();
    if (missing[a] == 0) push(a);
  }
  list.clear();
  list.reserve(n);
  // `next`, when there is one, is a ready activity before all those in the
  // heap: often one that the last listed made ready, which then goes next
  // without a trip through the heap.
  constexpr std::size_t none = ~std::size_t(0);
  std::size_t next = none;
  while (next != none || !ready.empty()) {
    std::size_t a = next;
    if (a == none) {
      std::pop_heap(ready.begin(), ready.end(), later);
      a = ready.back();
      ready.pop_back();
    }
    next = none;
    list.push_back(a);
    for (const auto& s : p.successors(a)) {
      const std::size_t b = s.activity;
      if (--missing[b] != 0) continue;
      if (next == none) {
        if (ready.empty() || later(ready.front(), b))
          next = b;
        else
          push(b);
      } else if (later(next, b)) {
        push(next);
        next = b;
      } else {
        push(b);
      }
    }
  }
}

} // namespace detail

/// The precedence-feasible activity list that always takes, among the
/// activities whose predecessors are all listed, the one with the smallest
/// `key` (ties: lower index first). `key` has one entry per activity.
/// Throws value_error if `key` has the wrong size. O(n log n + m).
template <class Real, class Key>
std::vector<std::size_t> priority_list(const basic_project<Real>& p, std::span<const Key> key) {
  const std::size_t n = p.activity_count();
  if (key.size() != n)
    throw value_error("priority keys", {}, "size",
                      "expected " + std::to_string(n) + " keys, got " + std::to_string(key.size()));
  std::vector<std::size_t> list;
  detail::priority_list_scratch scratch;
  detail::priority_list(p, key, list, scratch);
  return list;
}

/// priority_list for a std::vector of keys.
template <class Real, class Key>
std::vector<std::size_t> priority_list(const basic_project<Real>& p, const std::vector<Key>& key) {
  return priority_list(p, std::span<const Key>(key));
}

/// Number of transitive successors of every activity (exact; bit-parallel,
/// O((n + m) * n / 64) time, O(n) memory).
template <class Real>
std::vector<std::size_t> total_successor_counts(const basic_project<Real>& p) {
  const std::size_t n = p.activity_count();
  std::vector<std::size_t> count(n, 0);
  std::vector<std::uint64_t> mask(n);
  const auto order = p.topological_order();
  for (std::size_t block = 0; block < n; block += 64) {
    std::fill(mask.begin(), mask.end(), 0);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const std::size_t a = *it;
      std::uint64_t m = 0;
      for (const auto& s : p.successors(a)) {
        m |= mask[s.activity];
        if (s.activity >= block && s.activity < block + 64)
          m |= std::uint64_t{1} << (s.activity - block);
      }
      mask[a] = m;
      count[a] += static_cast<std::size_t>(std::popcount(m));
    }
  }
  return count;
}

/// Keys for `rule` in the convention of priority_list (smaller goes first).
template <class Real>
std::vector<Real> priority_keys(const basic_project<Real>& p, priority_rule rule) {
  const std::size_t n = p.activity_count();
  std::vector<Real> key(n);
  switch (rule) {
  case priority_rule::latest_finish_time: {
    const auto cp = critical_path(p);
    for (std::size_t a = 0; a < n; ++a) key[a] = cp.latest_start[a] + p.duration(a);
    break;
  }
  case priority_rule::latest_start_time: {
    const auto cp = critical_path(p);
    key = cp.latest_start;
    break;
  }
  case priority_rule::most_total_successors: {
    const auto c = total_successor_counts(p);
    for (std::size_t a = 0; a < n; ++a) key[a] = -static_cast<Real>(c[a]);
    break;
  }
  case priority_rule::greatest_rank_positional_weight:
    for (std::size_t a = 0; a < n; ++a) {
      Real w = p.duration(a);
      for (const auto& s : p.successors(a)) w += p.duration(s.activity);
      key[a] = -w;
    }
    break;
  }
  return key;
}

/// The activity list of a priority rule.
template <class Real>
std::vector<std::size_t> priority_list(const basic_project<Real>& p, priority_rule rule) {
  const auto key = priority_keys(p, rule);
  return priority_list(p, std::span<const Real>(key));
}

/// Throws value_error unless `list` is a precedence-feasible permutation of
/// the activities of `p`.
template <class Real>
void check_activity_list(const basic_project<Real>& p, std::span<const std::size_t> list) {
  const std::size_t n = p.activity_count();
  if (list.size() != n)
    throw value_error("activity list", {}, "size",
                      "expected " + std::to_string(n) + " activities, got " +
                          std::to_string(list.size()));
  std::vector<char> listed(n, 0);
  const auto field = [](std::size_t i) { return "[" + std::to_string(i) + "]"; }; // on error only
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = list[i];
    if (a >= n) throw value_error("activity list", {}, field(i), "no activity " + std::to_string(a));
    if (listed[a])
      throw value_error("activity list", {}, field(i), "activity " + p.activity_label(a) + " twice");
    for (const auto& q : p.predecessors(a))
      if (!listed[q.activity])
        throw value_error("activity list", {}, field(i),
                          "activity " + p.activity_label(a) + " before its predecessor " +
                              p.activity_label(q.activity));
    listed[a] = 1;
  }
}

namespace detail {

/// Working memory of serial_sgs, kept between schedules.
template <class Real>
struct serial_sgs_scratch {
  serial_sgs_engine<Real> engine;        ///< with its resource profile
  std::vector<Real> start;               ///< start times
};

/// serial_sgs into `out`, reusing its memory and that of `scratch`, without
/// checking the list: it must be a precedence-feasible permutation (as
/// priority_list makes).
template <class Real>
void serial_sgs(const basic_project<Real>& p, std::span<const std::size_t> activity_list,
                basic_schedule<Real>& out, serial_sgs_scratch<Real>& scratch) {
  const auto net = make_forward_network(p);
  scratch.engine.run(net, activity_list, scratch.start);
  out.assign(p, std::span<const Real>(scratch.start));
}

} // namespace detail

/// Serial SGS over an activity list. Throws value_error if the list is not a
/// precedence-feasible permutation. O(n log n + m) for n activities and m
/// precedence arcs: the resource profile is indexed, so each start is found in
/// logarithmic time (detail/resource_profile.hpp gives the cost per search and
/// its exceptions).
template <class Real>
basic_schedule<Real> serial_sgs(const basic_project<Real>& p,
                                std::span<const std::size_t> activity_list) {
  // The list is checked during the pass (a separate pass over it costs as
  // many cache misses again at 10^6 activities); check_activity_list then
  // names what is wrong.
  if (activity_list.size() != p.activity_count()) check_activity_list(p, activity_list);
  detail::serial_sgs_scratch<Real> scratch;
  const auto net = detail::make_forward_network(p);
  const std::size_t refused = scratch.engine.run_checked(net, activity_list, scratch.start);
  if (refused != activity_list.size()) {
    check_activity_list(p, activity_list); // throws, naming the entry and why
    throw value_error("activity list", {}, "[" + std::to_string(refused) + "]",
                      "not a precedence-feasible permutation");
  }
  basic_schedule<Real> out;
  out.assign(p, std::span<const Real>(scratch.start));
  return out;
}

/// Serial SGS over an activity list held in a vector.
template <class Real>
basic_schedule<Real> serial_sgs(const basic_project<Real>& p,
                                const std::vector<std::size_t>& activity_list) {
  return serial_sgs(p, std::span<const std::size_t>(activity_list));
}

/// Serial SGS with a priority rule (LFT by default).
template <class Real>
basic_schedule<Real> serial_sgs(const basic_project<Real>& p,
                                priority_rule rule = priority_rule::latest_finish_time) {
  const auto list = priority_list(p, rule);
  return serial_sgs(p, std::span<const std::size_t>(list));
}

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
