// continuity/scheduling/detail/resource_profile.hpp — the resource usage of a
// partial schedule over continuous time, indexed so that the serial SGS finds
// the earliest start of an activity in logarithmic time. Unstable internals:
// use serial_sgs.hpp and improvement.hpp instead.
#pragma once

#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace continuity::detail {

/// Resource usage over continuous time as a step function, and the search for
/// the earliest window in which an activity's demand fits.
///
/// Steps. Sorted breakpoints, each with the units in use of every resource
/// from it up to the next breakpoint; the last step always has zero usage and
/// extends to infinity. The steps are kept in blocks of at most `MaxBlock`
/// steps (a block that outgrows it splits into two halves); a reservation
/// inserts at most two breakpoints.
///
/// Index. The blocks are the leaves of a B+-tree ordered by time, each inner
/// node with at most `Fanout` children and the time span it covers. For every
/// demand that a search has asked about (a slot: the units it needs of each
/// of its resources; a step is free for it when every one of them fits),
/// every block and node has a run_summary of its free time: where its first
/// busy step starts, where the free run that reaches its end starts, and a
/// bound on the durations that fit the free runs it encloses (busy steps on
/// both sides inside it). A node keeps its children's start times and, per
/// slot, their summaries side by side. Summaries are recomputed lazily: a
/// reservation marks the summaries of the blocks in which a step turns busy
/// for a slot, and of their ancestors, stale in that slot, and a search
/// recomputes the stale ones it reads (a stale summary's ancestors are
/// always stale too). A slot costs memory in proportion to the blocks, so
/// demands on several resources get a slot of their own only up to
/// `JointSlots` distinct ones; the others are searched one resource at a
/// time.
///
/// Search. A window [t, t + duration) fits a resource when no busy step
/// starts before t + duration (computed in Real, as the window's end) from
/// the step containing t on. The earliest fitting start at or after `est` is
/// `est` itself or the start of a free run. The search goes down from the
/// root towards est until a subtree's enclosed runs cannot hold the duration
/// (then only est's own run can, which the summary settles) or to est's
/// block (whose steps it follows), then follows the subtrees to the right in
/// time order, skipping every subtree in which no enclosed run can hold the
/// duration (each run's bound on the durations it holds is tight to a unit
/// in the last place, so that runs a rounding error too short are skipped as
/// well). Runs that cross the boundaries of a subtree are checked exactly
/// from the times in the summaries. Without a slot of its own, a demand on
/// several resources is searched resource by resource from the latest
/// candidate until all agree.
/// Cost per search: at most one block's steps at each end plus
/// O(Fanout × height) summaries, and the stale summaries it recomputes (each
/// paid for by the reservation that made it stale).
///
/// One more rule keeps the schedules exactly as the block-by-block scan that
/// this index replaced produced them. That scan judged each block by its
/// longest free run at the demand's level, measured as a difference of two
/// times: when that was shorter than the duration for some resource (of
/// capacity at most `ruled_capacity`), it passed over every start in the
/// block before the free run that reaches the block's end (the whole block
/// if there is none). A free run exactly as long as the duration can measure
/// a few units in the last place short while a window at its start still
/// fits by its end time, so in such rare floating-point ties that scan
/// started the activity later; which ties depends on where the blocks
/// begin. The search applies the same rule to the block of the start it
/// finds and, if the rule passes over that start, searches on from where the
/// scan would have resumed. For durations of at most half a unit in the last
/// place of the latest breakpoint, where a window at a breakpoint t can be
/// empty (t + duration == t) and that scan took the start of a block after a
/// block it passed over even when busy, the profile runs that scan itself
/// (linear in the blocks; no real duration is that short).
template <class Real, std::size_t MaxBlock = 128, std::size_t Fanout = 16,
          std::size_t JointSlots = 32>
class resource_profile {
  static_assert(MaxBlock >= 2 && Fanout >= 2, "blocks and nodes split into two halves");
  static_assert(Fanout < 64, "a node marks its stale children in 64 bits");

public:
  /// Resources of at most this capacity are subject to the rule above.
  static constexpr int ruled_capacity = 64;

  /// Empties the profile for resources of the given capacities (kept by
  /// reference: `capacity` must outlive the profile's use). Keeps the memory
  /// of earlier runs.
  void reset(std::span<const int> capacity) {
    capacity_ = capacity;
    k_ = capacity.size();
    block_count_ = 0;
    node_count_ = 0;
    slot_count_ = 0;
    joint_count_ = 0;
    latest_ = Real(0);
    slots_of_.resize(k_);
    for (auto& list : slots_of_) list.clear();
    const id b = new_block();
    blocks_[b].time.assign(1, Real(0));
    blocks_[b].used.assign(k_, 0);
    block_start_[b] = Real(0);
    block_end_[b] = infinity;
    root_ = new_node();
    node& root = nodes_[root_];
    root.start = Real(0);
    root.end = infinity;
    root.height = 1;
    root.count = 1;
    root.child[0] = b;
    root.child_start[0] = Real(0);
    block_parent_[b] = root_;
    block_place_[b] = 0;
  }

  /// Number of breakpoints (steps) in the profile.
  std::size_t breakpoint_count() const {
    std::size_t c = 0;
    for (std::size_t b = 0; b < block_count_; ++b) c += blocks_[b].time.size();
    return c;
  }

  /// Earliest t >= est (est >= 0) such that `demand` fits on [t, t + duration),
  /// but for the rule of the class comment.
  Real earliest_fit(Real est, Real duration, std::span<const resource_demand> demand) {
    if (duration <= Real(0) || demand.empty()) return est;
    if (block_count_ > 1 && !(duration > (next_up(latest_) - latest_) / 2))
      return scan_blocks(est, duration, demand);
    id joint = find_slot(demand);
    const bool whole = demand.size() == 1 || joint != none || joint_count_ < JointSlots;
    Real t = est;
    for (;;) {
      if (whole) {
        t = first_fit(demand, joint, t, duration);
      } else {
        // One resource at a time: each search gives a lower bound for all;
        // stop once all of them accept the same start.
        std::size_t agreed = 0;
        for (std::size_t i = 0; agreed < demand.size(); i = i + 1 < demand.size() ? i + 1 : 0) {
          id s = none;
          const Real u = first_fit(demand.subspan(i, 1), s, t, duration);
          if (u == t) {
            ++agreed;
          } else {
            t = u;
            agreed = 1;
          }
        }
      }
      const Real resume = ruled_out_until(t, duration, demand);
      if (!(resume > t)) return t;
      t = resume;
    }
  }

  /// Adds `demand` on [start, finish).
  void reserve(Real start, Real finish, std::span<const resource_demand> demand) {
    if (!(finish > start) || demand.empty()) return;
    split_at(start);
    split_at(finish);
    latest_ = std::max(latest_, finish);
    auto [b, q] = locate(start);
    for (;;) {
      block& blk = blocks_[b];
      for (; q < blk.time.size() && blk.time[q] < finish; ++q) {
        int* u = blk.used.data() + q * k_;
        for (const auto& d : demand) {
          // The block's summaries change in the slots for which the step turns busy.
          for (const auto& use : slots_of_[d.resource])
            if (u[d.resource] <= use.level && u[d.resource] + d.units > use.level)
              stale_block(use.slot, b);
          u[d.resource] += d.units;
        }
      }
      if (q < blk.time.size() || block_next_[b] == none || block_end_[b] >= finish) break;
      b = block_next_[b];
      q = 0;
    }
  }

private:
  using id = std::uint32_t;
  static constexpr id none = ~id(0);
  static constexpr Real infinity = std::numeric_limits<Real>::infinity();

  struct block {
    std::vector<Real> time; // breakpoints, ascending
    std::vector<int> used;  // k per step
  };

  struct node {
    Real start = 0, end = 0;     // the time span of the subtree
    id parent = none;
    std::uint32_t place = 0;     // its index among its parent's children
    std::uint32_t height = 1;    // 1: the children are blocks
    std::uint32_t count = 0;     // children in use
    std::array<id, Fanout + 1> child{}; // one more while a full node takes a child before it splits
    std::array<Real, Fanout + 1> child_start{}; // where each child's span starts
  };

  /// Free time of one block or subtree at one level (infinity: none).
  struct run_summary {
    Real first_busy = infinity;      // start of the first busy step
    Real last_free_start = infinity; // start of the free run reaching the end
    // Over the free runs with busy steps on both sides inside: the greatest
    // fit_bound, so no duration above it fits any of them (0 if none).
    Real enclosed_fit = 0;
  };

  /// The summaries of one demand: for every node, those of its children's
  /// spans side by side, and which of them are stale.
  struct slot {
    std::vector<resource_demand> need; // sorted by resource, as a project's demands
    std::vector<run_summary> of_child; // Fanout + 1 per node
    std::vector<std::uint64_t> stale;  // per node: bit i while child i's summary is stale
  };

  struct position {
    id b;
    std::size_t q;
  };

  // ------------------------------------------------------------ the search

  // The first start t >= t0 at which `need` fits: t0 or the start of a free
  // run. `s`: the slot of `need`, created here if none and the index is needed.
  Real first_fit(std::span<const resource_demand> need, id& s, Real t0, Real duration) {
    Real found = 0;
    if (block_count_ == 1) { // no index yet; the last step is free up to infinity
      const auto [b, q] = locate(t0);
      const block& blk = blocks_[b];
      Real open = t0; // the start of the run being followed
      if (busy(blk.used.data() + q * k_, need)) {
        if (blk.time[q] >= t0 + duration) return t0; // an empty window at a breakpoint
        open = infinity;
      }
      scan_block(b, q + 1, need, duration, open, found);
      return found;
    }
    if (s == none) s = slot_of(need);
    // Down from the root to the first subtree around t0 in which no enclosed
    // run can hold the window (its steps are then not read: t0's own run, if
    // any, is the one before its first busy step or the one reaching its
    // end), or to t0's block. No window here is empty: earliest_fit leaves
    // durations that short to scan_blocks.
    id p = root_;
    std::size_t i = 0;
    Real open = infinity;
    for (;;) {
      const node& n = nodes_[p];
      i = n.count - 1;
      while (i > 0 && n.child_start[i] > t0) --i;
      const run_summary m = child_summary(s, p, i);
      const Real end = i + 1 < n.count ? n.child_start[i + 1] : n.end;
      if (m.enclosed_fit < duration) {
        const bool reaches_end =
            m.first_busy == infinity || (m.last_free_start != infinity && t0 >= m.last_free_start);
        if (reaches_end) {
          open = t0;
        } else {
          if (t0 < m.first_busy && m.first_busy >= t0 + duration) return t0;
          open = m.last_free_start;
        }
        if (ends_in_fit(open, duration, end, found)) return found;
        break;
      }
      if (n.height == 1) {
        const id b = n.child[i];
        const std::size_t q = step_of(b, t0);
        open = busy(blocks_[b].used.data() + q * k_, need) ? infinity : t0;
        if (scan_block(b, q + 1, need, duration, open, found)) return found;
        break;
      }
      p = n.child[i];
    }
    // The subtrees to the right, level by level up to the root.
    for (;;) {
      const node& n = nodes_[p];
      for (std::size_t j = i + 1; j < n.count; ++j)
        if (visit(s, p, j, duration, open, found)) return found;
      if (n.parent == none) return open; // unreachable: the last step is free up to infinity
      i = n.place;
      p = n.parent;
    }
  }

  // Whether a step with `used` units in use has no room for `need`.
  bool busy(const int* used, std::span<const resource_demand> need) const {
    for (const auto& d : need)
      if (used[d.resource] + d.units > capacity_[d.resource]) return true;
    return false;
  }

  // Calls f with busy() for `need` as a function of a step's usage, unrolled
  // for needs of one and two resources.
  template <class F>
  decltype(auto) with_busy(std::span<const resource_demand> need, F&& f) const {
    if (need.size() == 1) {
      const std::size_t r = need[0].resource;
      const int level = capacity_[r] - need[0].units;
      return f([r, level](const int* used) { return used[r] > level; });
    }
    if (need.size() == 2) {
      const std::size_t r0 = need[0].resource, r1 = need[1].resource;
      const int level0 = capacity_[r0] - need[0].units, level1 = capacity_[r1] - need[1].units;
      return f([=](const int* used) { return used[r0] > level0 || used[r1] > level1; });
    }
    return f([this, need](const int* used) { return busy(used, need); });
  }

  // Follows the steps of block b from step `from`, with `open` the start of
  // the free run reaching `from` (infinity if none).
  bool scan_block(id b, std::size_t from, std::span<const resource_demand> need, Real duration,
                  Real& open, Real& found) const {
    const block& blk = blocks_[b];
    const bool fit = with_busy(need, [&](auto busy_at) {
      for (std::size_t q = from; q < blk.time.size(); ++q) {
        if (busy_at(blk.used.data() + q * k_)) {
          if (open != infinity && blk.time[q] >= open + duration) {
            found = open;
            return true;
          }
          open = infinity;
        } else if (open == infinity) {
          open = blk.time[q];
        }
      }
      return false;
    });
    return fit || ends_in_fit(open, duration, block_end_[b], found);
  }

  // The run from `open` reaches at least `end`: a window from `open` fits if
  // it ends by then.
  static bool ends_in_fit(Real open, Real duration, Real end, Real& found) {
    if (open == infinity || !(end >= open + duration)) return false;
    found = open;
    return true;
  }

  // Follows child i of node p (a block or a node) in slot s, as scan_block does.
  bool visit(id s, id p, std::size_t i, Real duration, Real& open, Real& found) {
    const run_summary m = child_summary(s, p, i);
    const node& n = nodes_[p];
    const id x = n.child[i];
    const Real start = n.child_start[i];
    const Real end = i + 1 < n.count ? n.child_start[i + 1] : n.end;
    if (m.first_busy == infinity) { // free throughout
      if (open == infinity) open = start;
      return ends_in_fit(open, duration, end, found);
    }
    // The run that the first busy step ends.
    const Real head = open != infinity ? open : m.first_busy > start ? start : infinity;
    if (head != infinity && m.first_busy >= head + duration) {
      found = head;
      return true;
    }
    if (m.enclosed_fit >= duration) { // an enclosed run may be long enough: look inside
      if (n.height == 1) return scan_block(x, 0, slots_[s].need, duration, open, found);
      for (std::size_t j = 0; j < nodes_[x].count; ++j)
        if (visit(s, x, j, duration, open, found)) return true;
      return false;
    }
    open = m.last_free_start;
    return ends_in_fit(open, duration, end, found);
  }

  // An upper bound, tight to a unit in the last place of the duration, on
  // the durations d that fit the free run [from, to): fl(from + d) <= to
  // implies from + d <= to + h (h: half the gap from `to` to the next
  // double), so d <= (to - from) + h. The difference is exact when from >=
  // to / 2 (Sterbenz) and otherwise off by at most h; the sum is rounded up.
  static Real fit_bound(Real from, Real to) {
    const Real length = to - from;
    const Real h = (next_up(to) - to) / 2;
    const Real slack = from >= to / 2 ? h : 2 * h;
    const Real sum = length + slack;
    const Real error = slack - (sum - length); // exact: length >= slack
    return error > 0 ? next_up(sum) : sum;
  }

  // The next Real above x (x >= 0, finite).
  static Real next_up(Real x) {
    if constexpr (sizeof(Real) == sizeof(std::uint64_t) && std::numeric_limits<Real>::is_iec559) {
      return std::bit_cast<Real>(std::bit_cast<std::uint64_t>(x) + 1);
    } else if constexpr (sizeof(Real) == sizeof(std::uint32_t) &&
                         std::numeric_limits<Real>::is_iec559) {
      return std::bit_cast<Real>(std::bit_cast<std::uint32_t>(x) + 1);
    } else {
      return std::nextafter(x, infinity);
    }
  }

  // Where the block-by-block scan would resume if it passed over the fitting
  // start t (see the class comment); t itself if it would not.
  Real ruled_out_until(Real t, Real duration, std::span<const resource_demand> demand) const {
    if (block_count_ == 1) return t;
    // The rule passes over t only for a resource whose longest free run in
    // the block measures less than the duration. t's own run [from, to) ends
    // at or after t + duration and measures at least (t + duration) - t; if
    // that is not less than the duration, or the window reaches the end of
    // the block (the run is then the last one, which the rule keeps), the
    // rule keeps t.
    if (!((t + duration) - t < duration)) return t;
    const id b = locate(t).b;
    if (t + duration >= block_end_[b]) return t;
    const Real resume = rule_start(b, duration, demand);
    return resume == infinity ? block_end_[b] : resume;
  }

  // The earliest start in block b that the rule keeps: the block's start, or
  // the start of the last free run of a resource whose longest free run
  // measures less than the duration (infinity: none in the block; never for
  // the last block, whose last free run is endless).
  Real rule_start(id b, Real duration, std::span<const resource_demand> demand) const {
    Real start = block_start_[b];
    for (const auto& d : demand) {
      const std::size_t r = d.resource;
      if (capacity_[r] > ruled_capacity) continue;
      const auto [longest, last_run_start] = longest_run(b, r, capacity_[r] - d.units);
      if (longest < duration) start = std::max(start, last_run_start);
    }
    return start;
  }

  // The longest free run in block b at `level`, measured as the scan measured
  // it (for each step, its end minus the start of its run; the last step ends
  // where the next block starts), and the start of the run reaching the
  // block's end (infinity if none).
  std::pair<Real, Real> longest_run(id b, std::size_t r, int level) const {
    const block& blk = blocks_[b];
    const Real end = block_end_[b];
    Real longest = 0, run_start = infinity;
    for (std::size_t q = 0; q < blk.time.size(); ++q) {
      if (blk.used[q * k_ + r] <= level) {
        if (run_start == infinity) run_start = blk.time[q];
        const Real step_end = q + 1 < blk.time.size() ? blk.time[q + 1] : end;
        longest = std::max(longest, step_end - run_start);
      } else {
        run_start = infinity;
      }
    }
    return {longest, run_start};
  }

  // The block-by-block scan (for durations that can leave a window empty).
  Real scan_blocks(Real est, Real duration, std::span<const resource_demand> demand) const {
    Real t = est;
    auto [b, q] = locate(t);
    for (;;) {
      const Real jump = rule_start(b, duration, demand);
      if (jump > t) {
        if (jump == infinity) {
          b = block_next_[b];
          q = 0;
          t = block_start_[b];
          continue;
        }
        t = jump;
        q = step_of(b, t);
      }
      // The first busy step from (b, q) on that starts before the window's end.
      const Real end = t + duration;
      for (;;) {
        const block& blk = blocks_[b];
        while (q < blk.time.size() && blk.time[q] < end && !busy(blk.used.data() + q * k_, demand))
          ++q;
        if (q < blk.time.size() || !(block_end_[b] < end)) break;
        b = block_next_[b];
        q = 0;
      }
      const block& blk = blocks_[b];
      if (q == blk.time.size() || !(blk.time[q] < end)) return t;
      // The next step with room; the last step is free.
      for (++q;; q = 0, b = block_next_[b]) {
        const block& next = blocks_[b];
        while (q < next.time.size() && busy(next.used.data() + q * k_, demand)) ++q;
        if (q < next.time.size()) break;
      }
      t = blocks_[b].time[q];
    }
  }

  // ----------------------------------------------------------- summaries

  id find_slot(std::span<const resource_demand> need) const {
    for (const auto& use : slots_of_[need.front().resource]) {
      const id s = use.slot;
      const auto& have = slots_[s].need;
      if (std::equal(have.begin(), have.end(), need.begin(), need.end(),
                     [](const resource_demand& x, const resource_demand& y) {
                       return x.resource == y.resource && x.units == y.units;
                     }))
        return s;
    }
    return none;
  }

  // The slot of `need`, created (with every summary stale) on first use.
  id slot_of(std::span<const resource_demand> need) {
    if (const id found = find_slot(need); found != none) return found;
    const id s = static_cast<id>(slot_count_++);
    if (slots_.size() < slot_count_) slots_.emplace_back();
    slot& sl = slots_[s];
    sl.need.assign(need.begin(), need.end());
    for (const auto& d : need)
      slots_of_[d.resource].push_back({s, capacity_[d.resource] - d.units});
    if (need.size() > 1) ++joint_count_;
    sl.of_child.resize(nodes_.size() * (Fanout + 1));
    sl.stale.assign(nodes_.size(), 0);
    for (std::size_t x = 0; x < node_count_; ++x) sl.stale[x] = low_bits(nodes_[x].count);
    return s;
  }

  // The summary of child i of node p in slot s, recomputed if stale.
  run_summary child_summary(id s, id p, std::size_t i) {
    slot& sl = slots_[s];
    const std::size_t at = p * (Fanout + 1) + i;
    if (sl.stale[p] >> i & 1) {
      const node& n = nodes_[p];
      const id c = n.child[i];
      run_summary m;
      if (n.height == 1) {
        m = summarise_block(c, sl.need);
      } else {
        // The stale summaries of c's children first, then all of them in
        // time order from where they are kept side by side.
        const node& below = nodes_[c];
        for (std::uint64_t st = sl.stale[c] & low_bits(below.count); st != 0; st &= st - 1)
          (void)child_summary(s, c, static_cast<std::size_t>(std::countr_zero(st)));
        const run_summary* kids = sl.of_child.data() + c * (Fanout + 1);
        m = kids[0];
        for (std::size_t j = 1; j < below.count; ++j) append(m, kids[j], below.child_start[j]);
      }
      sl.of_child[at] = m;
      sl.stale[p] &= ~(std::uint64_t{1} << i);
    }
    return sl.of_child[at];
  }

  static std::uint64_t low_bits(std::size_t n) {
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  }

  run_summary summarise_block(id b, std::span<const resource_demand> need) const {
    const block& blk = blocks_[b];
    return with_busy(need, [&](auto busy_at) {
      run_summary m;
      Real open = infinity;
      for (std::size_t q = 0; q < blk.time.size(); ++q) {
        if (busy_at(blk.used.data() + q * k_)) {
          if (m.first_busy == infinity)
            m.first_busy = blk.time[q];
          else if (open != infinity)
            m.enclosed_fit = std::max(m.enclosed_fit, fit_bound(open, blk.time[q]));
          open = infinity;
        } else if (open == infinity) {
          open = blk.time[q];
        }
      }
      m.last_free_start = open;
      return m;
    });
  }

  // The summary of a span followed by the adjacent span `next` starting at `next_start`.
  static void append(run_summary& acc, const run_summary& next, Real next_start) {
    if (acc.first_busy != infinity && next.first_busy != infinity) {
      // The run between acc's last busy step and next's first one.
      const Real from = acc.last_free_start != infinity ? acc.last_free_start : next_start;
      if (next.first_busy > from)
        acc.enclosed_fit = std::max(acc.enclosed_fit, fit_bound(from, next.first_busy));
    }
    acc.enclosed_fit = std::max(acc.enclosed_fit, next.enclosed_fit);
    if (acc.first_busy == infinity) acc.first_busy = next.first_busy;
    if (!(next.first_busy == infinity && acc.last_free_start != infinity))
      acc.last_free_start = next.last_free_start;
  }

  // Marks the summary of block b in slot s stale, and those of its ancestors.
  void stale_block(id s, id b) { stale_up(slots_[s], block_parent_[b], block_place_[b]); }

  // Marks the summary of child `place` of node p stale, and those of p's
  // ancestors, up to the first that is stale already (whose ancestors are
  // stale too).
  void stale_up(slot& sl, id p, std::size_t place) const {
    for (; p != none; place = nodes_[p].place, p = nodes_[p].parent) {
      const std::uint64_t bit = std::uint64_t{1} << place;
      if (sl.stale[p] & bit) return;
      sl.stale[p] |= bit;
    }
  }

  // ----------------------------------------------------------- structure

  position locate(Real t) const {
    id x = root_;
    for (std::uint32_t h = nodes_[root_].height; h > 0; --h) {
      const node& n = nodes_[x];
      std::size_t i = n.count - 1;
      while (i > 0 && n.child_start[i] > t) --i;
      x = n.child[i];
    }
    return {x, step_of(x, t)};
  }

  // The step of block b that contains t (t at or after the block's start).
  std::size_t step_of(id b, Real t) const {
    const auto& time = blocks_[b].time;
    return static_cast<std::size_t>(std::upper_bound(time.begin(), time.end(), t) - time.begin()) -
           1;
  }

  id new_block() {
    const id b = static_cast<id>(block_count_++);
    if (blocks_.size() < block_count_) {
      blocks_.emplace_back();
      block_start_.push_back(Real(0));
      block_end_.push_back(Real(0));
      block_next_.push_back(none);
      block_parent_.push_back(none);
      block_place_.push_back(0);
    }
    block_next_[b] = none;
    block_parent_[b] = none;
    return b;
  }

  id new_node() {
    const id x = static_cast<id>(node_count_++);
    if (nodes_.size() < node_count_) nodes_.emplace_back();
    nodes_[x] = node{};
    for (std::size_t s = 0; s < slot_count_; ++s) {
      slots_[s].of_child.resize(nodes_.size() * (Fanout + 1));
      slots_[s].stale.resize(nodes_.size());
      slots_[s].stale[x] = 0;
    }
    return x;
  }

  // Makes `t` a breakpoint (the new step copies the usage of the one it splits).
  void split_at(Real t) {
    const auto [b, q] = locate(t);
    block& blk = blocks_[b];
    if (blk.time[q] == t) return;
    const std::size_t pos = q + 1;
    blk.time.insert(blk.time.begin() + static_cast<std::ptrdiff_t>(pos), t);
    scratch_.assign(blk.used.begin() + static_cast<std::ptrdiff_t>(q * k_),
                    blk.used.begin() + static_cast<std::ptrdiff_t>(pos * k_));
    blk.used.insert(blk.used.begin() + static_cast<std::ptrdiff_t>(pos * k_), scratch_.begin(),
                    scratch_.end());
    // The new step repeats its neighbour's usage: the free runs stay as they were.
    if (blk.time.size() > MaxBlock) split_block(b);
  }

  // Moves the upper half of block b's steps into a new block after it.
  void split_block(id b) {
    const id nb = new_block();
    block& left = blocks_[b];
    block& right = blocks_[nb];
    const std::size_t half = left.time.size() / 2;
    right.time.assign(left.time.begin() + static_cast<std::ptrdiff_t>(half), left.time.end());
    right.used.assign(left.used.begin() + static_cast<std::ptrdiff_t>(half * k_), left.used.end());
    left.time.resize(half);
    left.used.resize(half * k_);
    block_start_[nb] = right.time.front();
    block_end_[nb] = block_end_[b];
    block_end_[b] = block_start_[nb];
    block_next_[nb] = block_next_[b];
    block_next_[b] = nb;
    insert_child(block_parent_[b], b, nb);
  }

  // Puts `c` (a block if p has height 1, else a node), the upper half split
  // off `after`, into p right after it; the summaries of both are stale.
  void insert_child(id p, id after, id c) {
    node& n = nodes_[p];
    const std::size_t pos = (n.height == 1 ? block_place_[after] : nodes_[after].place) + 1;
    for (std::size_t i = n.count; i > pos; --i) {
      n.child[i] = n.child[i - 1];
      n.child_start[i] = n.child_start[i - 1];
    }
    n.child[pos] = c;
    n.child_start[pos] = n.height == 1 ? block_start_[c] : nodes_[c].start;
    for (std::size_t s = 0; s < slot_count_; ++s) {
      slot& sl = slots_[s];
      run_summary* row = sl.of_child.data() + p * (Fanout + 1);
      std::copy_backward(row + pos, row + n.count, row + n.count + 1);
      const std::uint64_t bits = sl.stale[p];
      sl.stale[p] = (bits & low_bits(pos)) | (bits >> pos << (pos + 1)) |
                    std::uint64_t{3} << (pos - 1);
      stale_up(sl, n.parent, n.place);
    }
    ++n.count;
    for (std::size_t i = pos; i < n.count; ++i) set_parent(n.child[i], n.height, p, i);
    if (n.count > Fanout) split_node(p);
  }

  // Makes c (a block if the parent has height 1, else a node) child `place` of p.
  void set_parent(id c, std::uint32_t parent_height, id p, std::size_t place) {
    if (parent_height == 1) {
      block_parent_[c] = p;
      block_place_[c] = static_cast<std::uint32_t>(place);
    } else {
      nodes_[c].parent = p;
      nodes_[c].place = static_cast<std::uint32_t>(place);
    }
  }

  // Moves the upper half of node p's children into a new node after it.
  void split_node(id p) {
    const id np = new_node();
    node& n = nodes_[p];
    node& m = nodes_[np];
    const std::size_t half = n.count / 2;
    m.height = n.height;
    m.count = static_cast<std::uint32_t>(n.count - half);
    for (std::size_t i = half; i < n.count; ++i) {
      m.child[i - half] = n.child[i];
      m.child_start[i - half] = n.child_start[i];
      set_parent(n.child[i], n.height, np, i - half);
    }
    for (std::size_t s = 0; s < slot_count_; ++s) {
      slot& sl = slots_[s];
      const run_summary* row = sl.of_child.data() + p * (Fanout + 1);
      std::copy(row + half, row + n.count, sl.of_child.data() + np * (Fanout + 1));
      sl.stale[np] = sl.stale[p] >> half;
      sl.stale[p] &= low_bits(half);
    }
    n.count = static_cast<std::uint32_t>(half);
    m.start = m.child_start[0];
    m.end = n.end;
    n.end = m.start;
    if (n.parent == none) {
      const id root = new_node();
      node& top = nodes_[root];
      node& left = nodes_[p]; // new_node may have moved the nodes
      top.start = left.start;
      top.end = infinity;
      top.height = left.height + 1;
      top.count = 2;
      top.child[0] = p;
      top.child[1] = np;
      top.child_start[0] = left.start;
      top.child_start[1] = nodes_[np].start;
      left.parent = root;
      left.place = 0;
      nodes_[np].parent = root;
      nodes_[np].place = 1;
      root_ = root;
      for (std::size_t s = 0; s < slot_count_; ++s) slots_[s].stale[root] = 3;
    } else {
      m.parent = n.parent;
      insert_child(n.parent, p, np);
    }
  }

  std::span<const int> capacity_;
  std::size_t k_ = 0;
  // Blocks and nodes by id (ids stay valid; the vectors keep the memory of
  // earlier runs beyond the counts in use).
  std::vector<block> blocks_;
  std::vector<Real> block_start_, block_end_; // block_end_: the next block's start, or infinity
  std::vector<id> block_next_, block_parent_;
  std::vector<std::uint32_t> block_place_; // a block's index among its parent's children
  std::size_t block_count_ = 0;
  std::vector<node> nodes_;
  std::size_t node_count_ = 0;
  id root_ = none;
  std::vector<slot> slots_;
  std::size_t slot_count_ = 0, joint_count_ = 0; // slots in use; those on several resources
  struct slot_use {
    id slot;
    int level; // the slot's units of the resource fit while the usage is at most this
  };
  std::vector<std::vector<slot_use>> slots_of_; // per resource: the slots that need it
  Real latest_ = 0; // the latest breakpoint
  std::vector<int> scratch_;
};

} // namespace continuity::detail
