// continuity/model/dependency_graph.hpp — the compact dependency graph of a
// model: systems and business functions as nodes, requirements ("k of these
// systems") as edges, in contiguous index_t arrays (CSR), with its strongly
// connected components. Built once by basic_model; every analysis runs on it.
#pragma once

#include <continuity/error.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace continuity {

/// Index of a system, function, requirement or component.
using index_t = std::uint32_t;

/// Marks "no such index_t" (no function, no system).
inline constexpr index_t no_index = ~index_t(0);

/// The dependency graph in compressed sparse row form.
///
/// Nodes 0 … system_count()−1 are systems, then come the business functions
/// (node system_count() + f is function f). Each node owns requirements; a
/// requirement r holds for its owner when at least needed(r) of members(r)
/// are up. Functions are never members: nothing depends on a function.
///
/// Strongly connected components are computed on construction; components
/// are numbered so that a component's dependencies have smaller numbers
/// (component 0 depends on nothing outside itself), which makes
/// 0, 1, 2, … a valid recovery order.
class dependency_graph {
public:
  dependency_graph() = default;

  /// Builds the graph from CSR arrays: requirements of node v are
  /// node_requirement_offsets[v] … [v+1]−1; members of requirement r are
  /// requirement_members[requirement_member_offsets[r] … [r+1]−1]. The
  /// arrays must be consistent (basic_model checks the user's input before
  /// calling this); a malformed array throws value_error.
  dependency_graph(index_t system_count, index_t function_count,
                   std::vector<index_t> node_requirement_offsets, std::vector<index_t> needed,
                   std::vector<index_t> requirement_member_offsets,
                   std::vector<index_t> requirement_members)
      : systems_(system_count), functions_(function_count),
        node_req_offsets_(std::move(node_requirement_offsets)), needed_(std::move(needed)),
        req_member_offsets_(std::move(requirement_member_offsets)),
        members_(std::move(requirement_members)) {
    check_shape();
    build_owner_and_reverse();
    build_components();
  }

  /// Number of systems.
  index_t system_count() const noexcept { return systems_; }
  /// Number of business functions.
  index_t function_count() const noexcept { return functions_; }
  /// Number of nodes (systems + functions).
  index_t node_count() const noexcept { return systems_ + functions_; }
  /// Number of requirements.
  index_t requirement_count() const noexcept { return static_cast<index_t>(needed_.size()); }
  /// Number of dependency edges (requirement memberships).
  std::size_t edge_count() const noexcept { return members_.size(); }
  /// Node of function f.
  index_t function_node(index_t f) const noexcept { return systems_ + f; }

  /// Requirements owned by node v, as a range of requirement indices [first, last).
  std::pair<index_t, index_t> requirements_of(index_t v) const noexcept {
    return {node_req_offsets_[v], node_req_offsets_[v + 1]};
  }
  /// How many members of requirement r must be up.
  index_t needed(index_t r) const noexcept { return needed_[r]; }
  /// The node owning requirement r.
  index_t owner(index_t r) const noexcept { return owner_[r]; }
  /// Candidate systems of requirement r.
  std::span<const index_t> members(index_t r) const noexcept {
    return {members_.data() + req_member_offsets_[r], members_.data() + req_member_offsets_[r + 1]};
  }
  /// Requirements that list system s as a candidate (reverse edges).
  std::span<const index_t> requirements_containing(index_t s) const noexcept {
    return {containing_.data() + containing_offsets_[s],
            containing_.data() + containing_offsets_[s + 1]};
  }

  /// Number of strongly connected components of the system graph.
  index_t component_count() const noexcept {
    return static_cast<index_t>(comp_offsets_.size() - 1);
  }
  /// Component of system s.
  index_t component_of(index_t s) const noexcept { return comp_of_[s]; }
  /// Systems of component c.
  std::span<const index_t> component_members(index_t c) const noexcept {
    return {comp_members_.data() + comp_offsets_[c], comp_members_.data() + comp_offsets_[c + 1]};
  }
  /// True if some component has more than one system (the graph has a cycle).
  bool has_cycle() const noexcept { return component_count() != systems_; }

  /// Systems in an order where every system comes after all it depends on
  /// (members of one component are adjacent). Valid recovery order.
  std::span<const index_t> dependency_order() const noexcept { return comp_members_; }

  /// One dependency cycle, as the systems on it (each needs the next, the
  /// last needs the first); empty if the graph is acyclic.
  std::vector<index_t> find_cycle() const {
    for (index_t c = 0; c < component_count(); ++c) {
      auto m = component_members(c);
      if (m.size() < 2) continue;
      // Walk successors inside the component until a system repeats; the
      // walk from the first repetition on is a cycle.
      std::unordered_map<index_t, std::size_t> position;
      std::vector<index_t> path;
      index_t v = m[0];
      while (true) {
        if (auto it = position.find(v); it != position.end())
          return {path.begin() + static_cast<std::ptrdiff_t>(it->second), path.end()};
        position.emplace(v, path.size());
        path.push_back(v);
        v = successor_in_component(v, c);
      }
    }
    return {};
  }

  /// Bytes used by the graph's arrays.
  std::size_t memory_bytes() const noexcept {
    return sizeof(index_t) *
           (node_req_offsets_.size() + needed_.size() + owner_.size() + req_member_offsets_.size() +
            members_.size() + containing_offsets_.size() + containing_.size() + comp_of_.size() +
            comp_offsets_.size() + comp_members_.size());
  }

private:
  void check_shape() const {
    const auto fail = [](const std::string& what) {
      throw value_error("dependency graph", "", what, "inconsistent array");
    };
    if (node_req_offsets_.size() != std::size_t(node_count()) + 1 ||
        node_req_offsets_.front() != 0 || node_req_offsets_.back() != needed_.size())
      fail("node_requirement_offsets");
    if (req_member_offsets_.size() != needed_.size() + 1 || req_member_offsets_.front() != 0 ||
        req_member_offsets_.back() != members_.size())
      fail("requirement_member_offsets");
    for (std::size_t i = 0; i + 1 < node_req_offsets_.size(); ++i)
      if (node_req_offsets_[i] > node_req_offsets_[i + 1]) fail("node_requirement_offsets");
    for (std::size_t r = 0; r < needed_.size(); ++r) {
      if (req_member_offsets_[r] > req_member_offsets_[r + 1]) fail("requirement_member_offsets");
      const index_t n = req_member_offsets_[r + 1] - req_member_offsets_[r];
      if (needed_[r] < 1 || needed_[r] > n) fail("needed");
    }
    for (index_t m : members_)
      if (m >= systems_) fail("requirement_members");
  }

  void build_owner_and_reverse() {
    owner_.resize(needed_.size());
    for (index_t v = 0; v < node_count(); ++v)
      for (index_t r = node_req_offsets_[v]; r < node_req_offsets_[v + 1]; ++r) owner_[r] = v;
    containing_offsets_.assign(std::size_t(systems_) + 1, 0);
    for (index_t m : members_) ++containing_offsets_[m + 1];
    for (std::size_t i = 1; i < containing_offsets_.size(); ++i)
      containing_offsets_[i] += containing_offsets_[i - 1];
    containing_.resize(members_.size());
    std::vector<index_t> fill(containing_offsets_.begin(), containing_offsets_.end() - 1);
    for (index_t r = 0; r < requirement_count(); ++r)
      for (index_t m : members(r)) containing_[fill[m]++] = r;
  }

  // Iterative Tarjan over system -> member edges. Components complete in
  // reverse topological order of "depends on", i.e. dependencies first.
  void build_components() {
    constexpr index_t unvisited = ~index_t(0);
    const index_t n = systems_;
    std::vector<index_t> low(n), num(n, unvisited), stack;
    std::vector<bool> on_stack(n, false);
    comp_of_.assign(n, unvisited);
    comp_members_.clear();
    comp_members_.reserve(n);
    comp_offsets_.assign(1, 0);
    struct frame {
      index_t v, req, pos; // system, current requirement, position in its members
    };
    std::vector<frame> call;
    index_t counter = 0;
    for (index_t root = 0; root < n; ++root) {
      if (num[root] != unvisited) continue;
      call.push_back({root, node_req_offsets_[root], 0});
      num[root] = low[root] = counter++;
      stack.push_back(root);
      on_stack[root] = true;
      while (!call.empty()) {
        frame& f = call.back();
        const index_t v = f.v;
        bool descended = false;
        while (f.req < node_req_offsets_[v + 1]) {
          auto ms = members(f.req);
          if (f.pos >= ms.size()) {
            ++f.req;
            f.pos = 0;
            continue;
          }
          const index_t w = ms[f.pos++];
          if (num[w] == unvisited) {
            num[w] = low[w] = counter++;
            stack.push_back(w);
            on_stack[w] = true;
            call.push_back({w, node_req_offsets_[w], 0});
            descended = true;
            break;
          }
          if (on_stack[w] && num[w] < low[v]) low[v] = num[w];
        }
        if (descended) continue;
        if (low[v] == num[v]) {
          const index_t c = static_cast<index_t>(comp_offsets_.size() - 1);
          index_t w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            comp_of_[w] = c;
            comp_members_.push_back(w);
          } while (w != v);
          comp_offsets_.push_back(static_cast<index_t>(comp_members_.size()));
        }
        call.pop_back();
        if (!call.empty()) {
          const index_t p = call.back().v;
          if (low[v] < low[p]) low[p] = low[v];
        }
      }
    }
  }

  index_t successor_in_component(index_t v, index_t c) const noexcept {
    for (index_t r = node_req_offsets_[v]; r < node_req_offsets_[v + 1]; ++r)
      for (index_t m : members(r))
        if (comp_of_[m] == c) return m;
    return v; // unreachable for a component of two or more systems
  }

  index_t systems_ = 0, functions_ = 0;
  std::vector<index_t> node_req_offsets_{0}, needed_, owner_, req_member_offsets_{0}, members_;
  std::vector<index_t> containing_offsets_{0}, containing_;
  std::vector<index_t> comp_of_, comp_offsets_{0}, comp_members_;
};

} // namespace continuity
