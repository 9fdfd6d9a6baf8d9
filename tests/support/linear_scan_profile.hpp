// The resource profile of the serial SGS as it was before the profile got an
// index (continuity/scheduling/detail/resource_profile.hpp): the same blocks
// of breakpoints and per-block summaries, searched block by block from the
// earliest start to the end of the busy horizon. Kept as the reference that
// the indexed profile must agree with bit for bit (scheduling_profile_test).
// The block size is a parameter here so that small blocks can be tested; the
// code is otherwise unchanged (only the class name).
#pragma once

#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace continuity_test {

using continuity::resource_demand;

/// Resource usage over continuous time as a step function: sorted
/// breakpoints, each with the units in use of every resource from it up to
/// the next breakpoint. The last step always has zero usage and extends to
/// infinity. The steps are kept in blocks of at most `max_block` steps; each
/// block knows the least and the greatest usage of every resource over its
/// steps, so a search skips whole blocks that are saturated (every step
/// conflicts) or free (no step conflicts). Locating a time is two binary
/// searches; a reservation inserts at most two breakpoints into one block.
template <class Real, std::size_t MaxBlock = 128>
class linear_scan_profile {
public:
  void reset(std::span<const int> capacity) {
    capacity_ = capacity;
    k_ = capacity.size();
    blocks_.assign(1, block{});
    blocks_[0].time.assign(1, Real(0));
    blocks_[0].used.assign(k_, 0);
    blocks_[0].lo.assign(k_, 0);
    blocks_[0].hi.assign(k_, 0);
    block_start_.assign(1, Real(0));
    level_offset_.assign(k_ + 1, 0);
    for (std::size_t r = 0; r < k_; ++r)
      level_offset_[r + 1] =
          level_offset_[r] +
          (capacity[r] <= max_levels ? static_cast<std::size_t>(capacity[r]) : 0);
    refresh_all(0);
  }

  std::size_t breakpoint_count() const {
    std::size_t c = 0;
    for (const auto& b : blocks_) c += b.time.size();
    return c;
  }

  /// Earliest t >= est (est >= 0) such that `demand` fits on [t, t + duration).
  Real earliest_fit(Real est, Real duration, std::span<const resource_demand> demand) const {
    if (duration <= Real(0) || demand.empty()) return est;
    Real t = est;
    auto [b, q] = locate(t);
    for (;;) {
      // Windows that start in block b before `jump` are too short for some resource.
      const Real jump = earliest_window_start(b, duration, demand);
      if (jump > t) {
        if (b + 1 < blocks_.size() && jump >= block_start_[b + 1]) {
          ++b;
          q = 0;
          t = block_start_[b];
          continue;
        }
        t = jump;
        const auto& time = blocks_[b].time;
        q = static_cast<std::size_t>(std::upper_bound(time.begin(), time.end(), t) - time.begin()) -
            1;
      }
      const Real end = t + duration;
      if (!find_conflict(b, q, end, demand)) return t;
      // (b, q) conflicts: move to the next step with room; the last step is free.
      next_fitting(b, q, demand);
      t = blocks_[b].time[q];
    }
  }

  /// Adds `demand` on [start, finish).
  void reserve(Real start, Real finish, std::span<const resource_demand> demand) {
    if (!(finish > start) || demand.empty()) return;
    split_at(start);
    split_at(finish);
    auto [b, q] = locate(start);
    for (;;) {
      block& blk = blocks_[b];
      for (; q < blk.time.size() && blk.time[q] < finish; ++q) {
        int* u = blk.used.data() + q * k_;
        for (const auto& d : demand) u[d.resource] += d.units;
      }
      refresh(b, demand);
      if (q < blk.time.size() || b + 1 == blocks_.size() || block_start_[b + 1] >= finish) break;
      ++b;
      q = 0;
    }
  }

private:
  static constexpr std::size_t max_block = MaxBlock;
  // Resources with at most this capacity get free-run summaries per level.
  static constexpr int max_levels = 64;

  struct block {
    std::vector<Real> time;
    std::vector<int> used;   // k per step
    std::vector<int> lo, hi; // per resource: least and greatest usage over the steps
    // Per resource r and level l < capacity (index level_offset_[r] + l): the
    // longest stretch of time inside the block with usage <= l, and where the
    // stretch that reaches the block's end starts (infinity if none does).
    // Computed on demand: `summary_valid` marks the entries that are current.
    mutable std::vector<Real> longest_run, last_run_start;
    mutable std::vector<char> summary_valid;
  };

  struct position {
    std::size_t b, q;
  };

  position locate(Real t) const {
    const auto bi = std::upper_bound(block_start_.begin(), block_start_.end(), t);
    const std::size_t b = static_cast<std::size_t>(bi - block_start_.begin()) - 1;
    const auto& time = blocks_[b].time;
    const auto qi = std::upper_bound(time.begin(), time.end(), t);
    return {b, static_cast<std::size_t>(qi - time.begin()) - 1};
  }

  bool conflicts(const block& blk, std::size_t q, std::span<const resource_demand> demand) const {
    const int* u = blk.used.data() + q * k_;
    for (const auto& d : demand)
      if (u[d.resource] + d.units > capacity_[d.resource]) return true;
    return false;
  }
  bool all_fit(const block& blk, std::span<const resource_demand> demand) const {
    for (const auto& d : demand)
      if (blk.hi[d.resource] + d.units > capacity_[d.resource]) return false;
    return true;
  }
  bool none_fit(const block& blk, std::span<const resource_demand> demand) const {
    for (const auto& d : demand)
      if (blk.lo[d.resource] + d.units > capacity_[d.resource]) return true;
    return false;
  }

  // Looks for a conflicting step in [time(b, q), end); on success leaves
  // (b, q) at it and returns true.
  bool find_conflict(std::size_t& b, std::size_t& q, Real end,
                     std::span<const resource_demand> demand) const {
    for (;;) {
      const block& blk = blocks_[b];
      if (!all_fit(blk, demand)) {
        for (; q < blk.time.size(); ++q) {
          if (blk.time[q] >= end) return false;
          if (conflicts(blk, q, demand)) return true;
        }
      }
      if (b + 1 == blocks_.size() || block_start_[b + 1] >= end) return false;
      ++b;
      q = 0;
    }
  }

  // Moves (b, q) to the first step after it where `demand` fits.
  void next_fitting(std::size_t& b, std::size_t& q, std::span<const resource_demand> demand) const {
    ++q;
    for (;;) {
      const block& blk = blocks_[b];
      if (q < blk.time.size() && !none_fit(blk, demand)) {
        for (; q < blk.time.size(); ++q)
          if (!conflicts(blk, q, demand)) return;
      }
      ++b;
      q = 0;
    }
  }

  // The earliest time in block b at which a window of `duration` may start
  // judging by the free-run summaries (block start if no summary rules
  // anything out; the next block's start if no window can start in b).
  Real earliest_window_start(std::size_t b, Real duration,
                             std::span<const resource_demand> demand) const {
    if (blocks_.size() == 1) return blocks_[0].time.front();
    const block& blk = blocks_[b];
    Real jump = blk.time.front();
    for (const auto& d : demand) {
      const std::size_t r = d.resource;
      if (level_offset_[r + 1] == level_offset_[r]) continue;
      const std::size_t i = level_offset_[r] + static_cast<std::size_t>(capacity_[r] - d.units);
      if (!blk.summary_valid[i]) summarise(b, r, i);
      if (blk.longest_run[i] < duration) jump = std::max(jump, blk.last_run_start[i]);
    }
    if (jump == std::numeric_limits<Real>::infinity() && b + 1 < blocks_.size())
      jump = block_start_[b + 1];
    return jump;
  }

  // Free-run summary of resource r at level i - level_offset_[r] in block b.
  void summarise(std::size_t b, std::size_t r, std::size_t i) const {
    const block& blk = blocks_[b];
    const int level = static_cast<int>(i - level_offset_[r]);
    const Real inf = std::numeric_limits<Real>::infinity();
    const Real block_end = b + 1 < blocks_.size() ? block_start_[b + 1] : inf;
    Real longest = 0, run_start = inf;
    if (blk.hi[r] <= level) {
      longest = block_end - blk.time.front();
      run_start = blk.time.front();
    } else if (blk.lo[r] <= level) {
      for (std::size_t q = 0; q < blk.time.size(); ++q) {
        if (blk.used[q * k_ + r] <= level) {
          if (run_start == inf) run_start = blk.time[q];
          const Real step_end = q + 1 < blk.time.size() ? blk.time[q + 1] : block_end;
          longest = std::max(longest, step_end - run_start);
        } else {
          run_start = inf;
        }
      }
    }
    blk.longest_run[i] = longest;
    blk.last_run_start[i] = run_start;
    blk.summary_valid[i] = 1;
  }

  void refresh_resource(std::size_t b, std::size_t r) {
    block& blk = blocks_[b];
    int lo = blk.used[r], hi = lo;
    for (std::size_t q = 1; q < blk.time.size(); ++q) {
      const int u = blk.used[q * k_ + r];
      lo = std::min(lo, u);
      hi = std::max(hi, u);
    }
    blk.lo[r] = lo;
    blk.hi[r] = hi;
    std::fill(blk.summary_valid.begin() + static_cast<std::ptrdiff_t>(level_offset_[r]),
              blk.summary_valid.begin() + static_cast<std::ptrdiff_t>(level_offset_[r + 1]), 0);
  }

  void refresh(std::size_t b, std::span<const resource_demand> demand) {
    for (const auto& d : demand) refresh_resource(b, d.resource);
  }

  void refresh_all(std::size_t b) {
    block& blk = blocks_[b];
    blk.lo.assign(k_, 0);
    blk.hi.assign(k_, 0);
    blk.longest_run.assign(level_offset_[k_], Real(0));
    blk.last_run_start.assign(level_offset_[k_], Real(0));
    blk.summary_valid.assign(level_offset_[k_], 0);
    for (std::size_t r = 0; r < k_; ++r) refresh_resource(b, r);
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
    if (blk.time.size() > max_block) {
      const std::size_t half = blk.time.size() / 2;
      block right;
      right.time.assign(blk.time.begin() + static_cast<std::ptrdiff_t>(half), blk.time.end());
      right.used.assign(blk.used.begin() + static_cast<std::ptrdiff_t>(half * k_), blk.used.end());
      blk.time.resize(half);
      blk.used.resize(half * k_);
      const Real right_start = right.time.front();
      blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b + 1), std::move(right));
      block_start_.insert(block_start_.begin() + static_cast<std::ptrdiff_t>(b + 1), right_start);
      refresh_all(b);
      refresh_all(b + 1);
    }
  }

  std::span<const int> capacity_;
  std::size_t k_ = 0;
  std::vector<block> blocks_;
  std::vector<Real> block_start_;
  std::vector<std::size_t> level_offset_;
  std::vector<int> scratch_;
};

} // namespace continuity_test
