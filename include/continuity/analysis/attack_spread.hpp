// continuity/analysis/attack_spread.hpp — which systems one incident of a
// scenario damages when its attack spreads by chance (attack_spread): the
// certain damage plus the targets in the segments the attack reaches.
#pragma once

#include <continuity/model/model.hpp>

#include <cstdint>
#include <vector>

namespace continuity {

/// What a chance of the spread is about, for the `chance` callback of
/// sample_damage (so that each chance can have its own random stream).
enum class spread_chance : std::uint8_t {
  connection, ///< the attack crosses connection `index` of the scenario's spread
  system,     ///< target system `index` (a system index) in a reached segment is hit
};

/// The systems incident scenario `i` of `m` damages in one occurrence,
/// ascending, written to `out`: its certain damage, plus each target in a
/// reached segment for which `chance(spread_chance::system, s, p)` is true;
/// a connection out of a reached segment is crossed when
/// `chance(spread_chance::connection, c, p)` is true (asked at most once per
/// connection). `chance` returns whether an event of probability p happens.
/// `reached`, `hit` and `queue` are scratch buffers (resized here).
/// O(systems + segments + connections).
template <class Real, class Chance>
void sample_damage(const basic_model<Real>& m, index_t i, Chance&& chance,
                   std::vector<index_t>& out, std::vector<std::uint8_t>& reached,
                   std::vector<std::uint8_t>& hit, std::vector<index_t>& queue) {
  const auto certain = m.certain_damage(i);
  out.assign(certain.begin(), certain.end());
  const auto* sp = m.spread_of(i);
  if (!sp) return;
  reached.assign(m.segment_count(), 0);
  queue.assign(sp->entry_segments.begin(), sp->entry_segments.end());
  for (index_t g : queue) reached[g] = 1;
  for (std::size_t h = 0; h < queue.size(); ++h)
    for (index_t c : sp->connections_from(queue[h]))
      if (!reached[sp->to[c]] && chance(spread_chance::connection, c, sp->probability[c])) {
        reached[sp->to[c]] = 1;
        queue.push_back(sp->to[c]);
      }
  hit.assign(m.system_count(), 0);
  for (index_t s : out) hit[s] = 1;
  bool added = false;
  for (index_t s : sp->targets)
    if (!hit[s] && reached[m.segment_of(s)] && chance(spread_chance::system, s, sp->within_segment)) {
      hit[s] = 1;
      added = true;
    }
  if (!added) return;
  out.clear();
  for (index_t s = 0; s < m.system_count(); ++s)
    if (hit[s]) out.push_back(s);
}

/// sample_damage with its own queue of segments.
template <class Real, class Chance>
void sample_damage(const basic_model<Real>& m, index_t i, Chance&& chance,
                   std::vector<index_t>& out, std::vector<std::uint8_t>& reached,
                   std::vector<std::uint8_t>& hit) {
  std::vector<index_t> queue;
  sample_damage(m, i, chance, out, reached, hit, queue);
}

/// sample_damage with its own scratch buffers.
template <class Real, class Chance>
std::vector<index_t> sample_damage(const basic_model<Real>& m, index_t i, Chance&& chance) {
  std::vector<index_t> out;
  std::vector<std::uint8_t> reached, hit;
  sample_damage(m, i, chance, out, reached, hit);
  return out;
}

} // namespace continuity
