// continuity/model/model.hpp — the whole model: its specification as the user
// writes it (names as references) and the validated, compiled model that
// every analysis takes.
#pragma once

#include <continuity/model/objective_inheritance.hpp>
#include <continuity/error.hpp>
#include <continuity/model/backup_survival.hpp>
#include <continuity/model/business_function.hpp>
#include <continuity/model/dependency_graph.hpp>
#include <continuity/model/dependency_tier.hpp>
#include <continuity/model/insurance_policy.hpp>
#include <continuity/model/magnitudes.hpp>
#include <continuity/model/priority.hpp>
#include <continuity/model/resource.hpp>
#include <continuity/model/scenario.hpp>
#include <continuity/model/system.hpp>
#include <continuity/random/copula.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace continuity {

/// What to do with dependency cycles between systems.
enum class cycle_policy : std::uint8_t {
  /// A cycle is an error (cycle_error names the systems on it).
  reject,
  /// Each strongly connected component is one group, recovered together:
  /// if one member is down, the whole group is down (a domain controller and
  /// the DNS it hosts; a virtualisation manager on the cluster it manages).
  group_strongly_connected,
};

/// The spread of one scenario's attack, compiled to indices.
template <class Real = double>
struct compiled_spread {
  std::vector<index_t> entry_segments; ///< segments of the entry systems, ascending, unique
  std::vector<index_t> targets;        ///< systems it can damage that have a segment, ascending
  std::vector<index_t> from, to;       ///< connection c goes from segment from[c] to to[c]
  std::vector<Real> probability;       ///< chance of connection c
  Real within_segment = 1;             ///< chance each target in a reached segment is hit
  /// The connections leaving each segment, ascending within a segment: those
  /// of segment g are leaving[leaving_offset[g]] … leaving[leaving_offset[g + 1] − 1].
  std::vector<index_t> leaving_offset, leaving;

  /// The connections leaving segment `g`, ascending.
  std::span<const index_t> connections_from(index_t g) const noexcept {
    return {leaving.data() + leaving_offset[g], leaving.data() + leaving_offset[g + 1]};
  }
};

/// The correlated inputs of one scenario, compiled: which inputs (a cost
/// line's index, or records_affected_input) and their copula.
template <class Real = double>
struct compiled_correlations {
  std::vector<std::size_t> inputs; ///< cost-line index, or records_affected_input
  gaussian_copula<Real> copula;    ///< over `inputs`, in that order
};

/// Marks the records affected among compiled_correlations::inputs.
inline constexpr std::size_t records_affected_input = ~std::size_t(0);

/// A shortfall of a valid model's arrangements found when it is built: an
/// objective they can never meet. A business impact analysis exists to find
/// these, so they are reported (basic_model::findings), never thrown.
struct model_finding {
  /// "rpo_unmeetable": no backup is frequent enough for the RPO;
  /// "backups_infected": a ransomware scenario's dwell time leaves a system's
  /// offline and immutable backups no clean generation.
  std::string kind;
  std::string object_kind; ///< kind of the object concerned, e.g. "system"
  std::string object;      ///< its name
  std::string field;       ///< the field to change, e.g. "backups"
  std::string message;     ///< one line naming the object, the shortfall and its source

  /// Same finding.
  friend bool operator==(const model_finding&, const model_finding&) = default;
};

/// A model as the user writes it: plain values, references by name. Turn it
/// into a basic_model to validate and analyse it.
template <class Real = double>
struct basic_model_spec {
  std::string name;             ///< name of the organisation or model
  std::string currency = "JPY"; ///< currency of every amount
  /// The organisation's tier of dependency on its systems (松竹梅), if given:
  /// its recommended measures (recommended_measures), and the default system
  /// dependency of business functions read from a model file.
  std::optional<dependency_tier> tier{};
  /// Number of employees (0: not given); without resource pools the model
  /// gets an in-house IT pool of typical_it_staff(employees) people.
  long long employees = 0;
  priority_matrix priorities = priority_matrix::three_level(); ///< importance × dependency → class
  basic_rto_table<Real> rto_by_class = basic_rto_table<Real>::example_1(); ///< class → RTO
  cycle_policy cycles = cycle_policy::reject;     ///< treatment of dependency cycles
  std::vector<business_function<Real>> functions; ///< business functions
  std::vector<it_system<Real>> systems;           ///< systems / IT assets
  /// People and equipment available to recovery work; empty: a pool called
  /// default_staff_name ("IT staff") of one person, or of
  /// typical_it_staff(employees) if employees is given.
  std::vector<resource_pool> resources;
  std::vector<incident_scenario<Real>> scenarios; ///< incident scenarios
  /// The organisation's prepared (rehearsed) recovery order: systems to
  /// restore first, in this order, each with what it still waits for; the
  /// rest follow the priority rule. Used by every recovery plan and simulated
  /// incident that is not given an order of its own; empty: the rule alone.
  std::vector<std::string> recovery_order{};
  /// Insurance policies against the incidents' losses (loss/insurance.hpp),
  /// applied in this order; each names the scenarios it covers, or none for
  /// every scenario.
  std::vector<insurance_policy<Real>> insurance{};

  friend bool operator==(const basic_model_spec&, const basic_model_spec&) = default;
};

/// Model specification in double precision.
using model_spec = basic_model_spec<double>;

/// A validated model. Construction checks everything up front and throws a
/// validation_error (naming the object and the field) for any invalid input;
/// a model that exists is valid, and analyses of it do not throw.
template <class Real = double>
class basic_model {
public:
  using real_type = Real;                   ///< the real type
  using spec_type = basic_model_spec<Real>; ///< its specification type

  /// Validates and compiles a specification. Throws validation_error.
  explicit basic_model(spec_type spec) : spec_(std::move(spec)) { compile(); }
  /// The same, cancellable: once `cancel` (may be null) is true, throws
  /// cancelled_error within a fraction of a second, even for a model of a
  /// million systems or steps.
  basic_model(spec_type spec, const std::atomic<bool>* cancel) : spec_(std::move(spec)) {
    cancel_ = cancel;
    compile();
    cancel_ = nullptr;
  }

  basic_model(const basic_model& o) : spec_(o.spec_) { compile(); }
  basic_model(basic_model&&) noexcept = default;
  basic_model& operator=(const basic_model& o) {
    if (this != &o) *this = basic_model(o);
    return *this;
  }
  basic_model& operator=(basic_model&&) noexcept = default;

  /// The specification it was built from.
  const spec_type& spec() const noexcept { return spec_; }
  /// The model's name.
  const std::string& name() const noexcept { return spec_.name; }
  /// The compiled dependency graph.
  const dependency_graph& graph() const noexcept { return graph_; }

  /// Number of systems.
  index_t system_count() const noexcept { return static_cast<index_t>(spec_.systems.size()); }
  /// Number of business functions.
  index_t function_count() const noexcept { return static_cast<index_t>(spec_.functions.size()); }
  /// Number of incident scenarios.
  index_t scenario_count() const noexcept { return static_cast<index_t>(spec_.scenarios.size()); }

  /// System s.
  const it_system<Real>& system_at(index_t s) const noexcept { return spec_.systems[s]; }
  /// Business function f.
  const business_function<Real>& function_at(index_t f) const noexcept {
    return spec_.functions[f];
  }
  /// Scenario i.
  const incident_scenario<Real>& scenario_at(index_t i) const noexcept {
    return spec_.scenarios[i];
  }

  /// Index of the system called `name`, if any.
  std::optional<index_t> find_system(std::string_view name) const {
    return find(system_index_, name);
  }
  /// Index of the function called `name`, if any.
  std::optional<index_t> find_function(std::string_view name) const {
    return find(function_index_, name);
  }
  /// Index of the scenario called `name`, if any.
  std::optional<index_t> find_scenario(std::string_view name) const {
    return find(scenario_index_, name);
  }

  /// Index of the system called `name`; reference_error if there is none.
  index_t system_named(std::string_view name) const {
    return named(system_index_, name, "systems", "system");
  }
  /// Index of the business function called `name`; reference_error if there is none.
  index_t function_named(std::string_view name) const {
    return named(function_index_, name, "functions", "business function");
  }
  /// Index of the incident scenario called `name`; reference_error if there is none.
  index_t scenario_named(std::string_view name) const {
    return named(scenario_index_, name, "scenarios", "incident scenario");
  }

  /// Systems in the byte order of their names (code-point order for UTF-8).
  /// Analyses visit systems in this order wherever a result could depend on
  /// the order of visits (ties, sums), so that the order in which a model
  /// file lists its systems never changes a result.
  std::span<const index_t> systems_by_name() const noexcept { return system_order_; }
  /// Place of system s in systems_by_name().
  index_t system_rank(index_t s) const noexcept { return system_rank_[s]; }
  /// Systems in an order in which every system comes after everything it
  /// depends on, independent of the order of the model's arrays: strongly
  /// connected groups by dependency level (1 + the highest level of what
  /// they depend on), then by the name of their first member; the members
  /// of a group are adjacent, in the order of their names. Recovery
  /// projects are built in this order.
  std::span<const index_t> dependency_order_by_name() const noexcept { return dependency_order_; }
  /// The cost lines of scenario i (indices into its `costs`) in the order of
  /// their names: the order in which costs are added up.
  std::span<const std::size_t> cost_lines_by_name(index_t i) const noexcept {
    return {line_order_.data() + line_offsets_[i], line_order_.data() + line_offsets_[i + 1]};
  }
  /// The notification duties of scenario i (indices into its
  /// `notifications`) in the order of their names: the order in which their
  /// costs are added up.
  std::span<const std::size_t> notifications_by_name(index_t i) const noexcept {
    return {notice_order_.data() + notice_offsets_[i],
            notice_order_.data() + notice_offsets_[i + 1]};
  }
  /// The impact curves of function f (indices into its `impact`) by category,
  /// then by their steps: the order in which their impacts are added up.
  std::span<const std::size_t> impact_curves_in_order(index_t f) const noexcept {
    return {curve_order_.data() + curve_offsets_[f], curve_order_.data() + curve_offsets_[f + 1]};
  }
  /// True if impact curve k of function f is money (no unit, or the
  /// model's currency), false for a score or count (points, patients).
  bool impact_in_money(index_t f, std::size_t k) const noexcept {
    return curve_money_[curve_offsets_[f] + k] != 0;
  }
  /// Business functions in the byte order of their names (as systems_by_name()).
  std::span<const index_t> functions_by_name() const noexcept { return function_order_; }
  /// Place of function f in functions_by_name().
  index_t function_rank(index_t f) const noexcept { return function_rank_[f]; }
  /// Incident scenarios in the byte order of their names (as systems_by_name()).
  std::span<const index_t> scenarios_by_name() const noexcept { return scenario_order_; }
  /// Place of scenario i in scenarios_by_name().
  index_t scenario_rank(index_t i) const noexcept { return scenario_rank_[i]; }

  /// What the model's arrangements can never achieve, found when it was built
  /// (RPO objectives no backup is frequent enough for), by system name. Each
  /// also shows as a gap in the gap report of every incident that destroys
  /// the data.
  const std::vector<model_finding>& findings() const noexcept { return findings_; }
  /// The prepared recovery order (spec().recovery_order), resolved to systems.
  std::span<const index_t> prepared_order() const noexcept { return prepared_order_; }
  /// Currency of every amount of the model.
  const std::string& currency() const noexcept { return spec_.currency; }

  /// Priority class of function f (from the priority matrix; S if emergency).
  priority_class function_class(index_t f) const noexcept { return function_class_[f]; }
  /// Effective RTO of function f in hours: given, or from its class's RTO
  /// (+infinity if that class has none).
  Real function_rto(index_t f) const noexcept { return function_rto_[f]; }
  /// RPO of function f in hours (+infinity: no objective).
  Real function_rpo(index_t f) const noexcept { return function_rpo_[f]; }
  /// MTPD of function f in hours (+infinity: none).
  Real function_mtpd(index_t f) const noexcept { return function_mtpd_[f]; }
  /// Effective RTOs of all functions.
  std::span<const Real> function_rtos() const noexcept { return function_rto_; }
  /// RPOs of all functions.
  std::span<const Real> function_rpos() const noexcept { return function_rpo_; }
  /// Classes of all functions.
  std::span<const priority_class> function_classes() const noexcept { return function_class_; }

  /// Objectives and classes inherited by every system.
  const inherited_objectives<Real>& system_objectives() const noexcept { return inherited_; }

  /// Number of distinct network segments (the empty segment counts as none).
  index_t segment_count() const noexcept { return static_cast<index_t>(segment_names_.size()); }
  /// Name of segment i.
  const std::string& segment_name(index_t i) const noexcept { return segment_names_[i]; }
  /// Segment of system s, or no_index if it has none.
  index_t segment_of(index_t s) const noexcept { return segment_of_[s]; }

  /// The resource pools recovery work can use: the specification's, or one
  /// person of default_staff_name if it lists none.
  std::span<const resource_pool> resources() const noexcept { return resources_; }
  /// Index of the resource pool called `name`, if any.
  std::optional<index_t> find_resource(std::string_view name) const {
    return find(resource_index_, name);
  }
  /// Share of resource pool r available during an incident of scenario i:
  /// the pool's own entry of the scenario's pools_available if it has one,
  /// else its staff_availability for the organisation's own people (an
  /// in-house people pool), else 1 (external pools and equipment).
  Real pool_availability(index_t i, index_t r) const noexcept {
    return pool_share_[std::size_t{i} * resources_.size() + r];
  }

  /// Systems damaged initially by scenario i at point values, ascending:
  /// its damage selectors, its entry systems, and the systems its attack
  /// reaches taking every chance of at least 1/2 (see attack_spread).
  std::span<const index_t> damaged_systems(index_t i) const noexcept {
    return {damaged_.data() + damaged_offsets_[i], damaged_.data() + damaged_offsets_[i + 1]};
  }
  /// Systems scenario i damages whatever happens: its damage selectors and
  /// the entry systems of its attack, ascending.
  std::span<const index_t> certain_damage(index_t i) const noexcept {
    return {certain_.data() + certain_offsets_[i], certain_.data() + certain_offsets_[i + 1]};
  }
  /// The compiled rank correlations of scenario i, or nullptr if it has none.
  const compiled_correlations<Real>* correlations_of(index_t i) const noexcept {
    return correlation_slot_[i] == no_index ? nullptr : &correlations_[correlation_slot_[i]];
  }
  /// The insurance policies (spec().insurance), in their order.
  std::span<const insurance_policy<Real>> insurance() const noexcept { return spec_.insurance; }
  /// True if insurance policy p covers scenario i.
  bool insurance_covers(std::size_t p, index_t i) const noexcept {
    return insurance_cover_[p * spec_.scenarios.size() + i] != 0;
  }
  /// The compiled spread of scenario i's attack, or nullptr if it does not spread.
  const compiled_spread<Real>* spread_of(index_t i) const noexcept {
    return spread_slot_[i] == no_index ? nullptr : &spreads_[spread_slot_[i]];
  }

private:
  using name_index = std::unordered_map<std::string_view, index_t>;
  // Throws cancelled_error if the cancellation flag of the construction is set
  // (every 1024th call of a loop over `i`, or always for i = 0).
  void cancellation_point(std::size_t i = 0) const {
    if (i % 1024 == 0) detail::throw_if_cancelled(cancel_, "building the model");
  }
  static std::optional<index_t> find(const name_index& m, std::string_view n) {
    auto it = m.find(n);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
  static index_t named(const name_index& m, std::string_view n, const char* field,
                       const char* kind) {
    const auto it = m.find(n);
    if (it == m.end())
      throw reference_error("model", {}, field,
                            "unknown " + std::string(kind) + " '" + std::string(n) + "'");
    return it->second;
  }

  static std::string hours_text(Real h) {
    std::string s = std::to_string(static_cast<double>(h));
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s + " h";
  }

  // ---- value checks: each throws value_error naming object and field
  static std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
  }
  static void check_hours(Real v, const char* kind, const std::string& obj,
                          const std::string& field, bool allow_infinite = false) {
    if (std::isnan(v) || v < 0 || (!allow_infinite && std::isinf(v)))
      throw value_error(kind, obj, field,
                        std::string("must be a ") + (allow_infinite ? "" : "finite ") +
                            "non-negative number of hours, got " + std::to_string(double(v)));
    if (std::isfinite(v) && double(v) > max_hours)
      throw value_error(kind, obj, field,
                        "must be at most " + number_text(max_hours) + " hours (114 years), got " +
                            number_text(double(v)));
  }
  static void check_amount(Real v, const char* kind, const std::string& obj,
                           const std::string& field, double limit = max_amount) {
    if (!std::isfinite(v) || v < 0)
      throw value_error(kind, obj, field,
                        "must be a finite non-negative amount, got " + std::to_string(double(v)));
    if (double(v) > limit)
      throw value_error(kind, obj, field,
                        "must be at most " + number_text(limit) + ", got " + number_text(double(v)) +
                            " (larger figures would overflow the loss arithmetic)");
  }
  static void check_fraction(Real v, const char* kind, const std::string& obj,
                             const std::string& field) {
    if (!(v >= 0 && v <= 1))
      throw value_error(kind, obj, field,
                        "must be a fraction in [0, 1], got " + std::to_string(double(v)));
  }

  // The dependency order of the graph made independent of the order of the
  // systems: components by dependency level (1 + the highest level of what
  // they depend on), then by the name of their first member; members by name.
  void order_dependencies_by_name() {
    const auto& g = graph_;
    const index_t nc = g.component_count();
    std::vector<index_t> level(nc, 0), first(nc, 0);
    for (index_t c = 0; c < nc; ++c) { // components are numbered dependencies first
      const auto members = g.component_members(c);
      index_t lv = 0, lowest = system_rank_[members.front()];
      for (index_t x : members) {
        lowest = std::min(lowest, system_rank_[x]);
        const auto [r0, r1] = g.requirements_of(x);
        for (index_t r = r0; r < r1; ++r)
          for (index_t y : g.members(r))
            if (g.component_of(y) != c) lv = std::max(lv, level[g.component_of(y)] + 1);
      }
      level[c] = lv;
      first[c] = lowest;
    }
    std::vector<index_t> comps(nc);
    for (index_t c = 0; c < nc; ++c) comps[c] = c;
    std::sort(comps.begin(), comps.end(), [&](index_t a, index_t b) {
      return level[a] != level[b] ? level[a] < level[b] : first[a] < first[b];
    });
    dependency_order_.clear();
    dependency_order_.reserve(system_count());
    for (index_t c : comps) {
      const auto members = g.component_members(c);
      const auto from = dependency_order_.size();
      dependency_order_.insert(dependency_order_.end(), members.begin(), members.end());
      std::sort(dependency_order_.begin() + static_cast<std::ptrdiff_t>(from), dependency_order_.end(),
                [&](index_t a, index_t b) { return system_rank_[a] < system_rank_[b]; });
    }
  }

  // Each scenario's cost lines by name, each function's impact curves by
  // category (then by their steps): the order of sums over them.
  void order_lines_and_curves() {
    // Appends the positions of `items` in the order of their names.
    auto by_name = [](const auto& items, std::vector<std::size_t>& order,
                      std::vector<std::size_t>& offsets) {
      const std::size_t from = order.size();
      for (std::size_t k = 0; k < items.size(); ++k) order.push_back(k);
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(from), order.end(),
                [&](std::size_t a, std::size_t b) { return items[a].name < items[b].name; });
      offsets.push_back(order.size());
    };
    line_offsets_.assign(1, 0);
    line_order_.clear();
    notice_offsets_.assign(1, 0);
    notice_order_.clear();
    for (const auto& sc : spec_.scenarios) {
      by_name(sc.costs, line_order_, line_offsets_);
      by_name(sc.notifications, notice_order_, notice_offsets_);
    }
    curve_offsets_.assign(1, 0);
    curve_order_.clear();
    curve_money_.clear();
    for (const auto& fn : spec_.functions) {
      const std::size_t from = curve_order_.size();
      for (std::size_t k = 0; k < fn.impact.size(); ++k) {
        curve_order_.push_back(k);
        curve_money_.push_back(fn.impact[k].is_money(spec_.currency) ? 1 : 0);
      }
      auto key = [&](std::size_t k) {
        std::vector<std::array<Real, 3>> steps;
        for (const auto& st : fn.impact[k].steps) steps.push_back({st.after, st.rate_per_hour, st.lump});
        return std::pair(std::string_view(fn.impact[k].category), std::move(steps));
      };
      std::sort(curve_order_.begin() + static_cast<std::ptrdiff_t>(from), curve_order_.end(),
                [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
      curve_offsets_.push_back(curve_order_.size());
    }
  }

  // Indices of `v` in the byte order of their (unique) names; rank[i] is
  // index i's place in that order. (Sorting a million names takes most of a
  // second: the comparisons watch for cancellation.)
  template <class Named>
  std::vector<index_t> order_by_name(const std::vector<Named>& v, std::vector<index_t>& rank) const {
    std::vector<index_t> order(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) order[i] = static_cast<index_t>(i);
    std::size_t compared = 0;
    std::sort(order.begin(), order.end(), [&](index_t a, index_t b) {
      cancellation_point(++compared);
      return v[a].name < v[b].name;
    });
    rank.assign(v.size(), 0);
    for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<index_t>(k);
    return order;
  }

  template <class Named>
  name_index index_names(const std::vector<Named>& v, const char* kind) const {
    name_index m;
    m.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      cancellation_point(i);
      const std::string& n = v[i].name;
      if (n.empty()) {
        std::string label = "#";
        label += std::to_string(i + 1);
        throw value_error(kind, label, "name", "must not be empty");
      }
      if (!m.emplace(n, static_cast<index_t>(i)).second)
        throw duplicate_error(kind, n, "name", "another " + std::string(kind) + " has this name");
    }
    return m;
  }

  // Appends a node's requirements to the CSR arrays, resolving names.
  void add_requirements(const std::vector<requirement>& reqs, const char* kind,
                        const std::string& owner, const char* field, index_t self,
                        std::vector<index_t>& needed, std::vector<index_t>& offsets,
                        std::vector<index_t>& members, std::vector<std::size_t>& listed) const {
    for (std::size_t k = 0; k < reqs.size(); ++k) {
      const auto& q = reqs[k];
      const std::string f = std::string(field) + "[" + std::to_string(k) + "]";
      if (q.systems.empty()) throw value_error(kind, owner, f, "lists no systems");
      if (q.needed < 1 || q.needed > q.systems.size())
        throw value_error(
            kind, owner, f,
            "needs " + std::to_string(q.needed) + " of " + std::to_string(q.systems.size()) +
                " systems; must be between 1 and " + std::to_string(q.systems.size()));
      for (const auto& n : q.systems) {
        auto s = find(system_index_, n);
        if (!s) throw reference_error(kind, owner, f, "unknown system '" + n + "'");
        if (*s == self) throw value_error(kind, owner, f, "depends on itself");
        // listed[s] holds 1 + the number of the requirement that last listed s.
        if (listed[*s] == needed.size() + 1)
          throw duplicate_error(kind, owner, f, "lists '" + n + "' twice");
        listed[*s] = needed.size() + 1;
        members.push_back(*s);
      }
      needed.push_back(static_cast<index_t>(q.needed));
      offsets.push_back(static_cast<index_t>(members.size()));
    }
  }

  void check_function(const business_function<Real>& fn) const {
    static constexpr const char* k = "business function";
    const auto& n = fn.name;
    const int levels = spec_.priorities.levels();
    if (fn.importance < 1 || fn.importance > levels)
      throw value_error(k, n, "importance",
                        "must be a level from 1 to " + std::to_string(levels) + ", got " +
                            std::to_string(fn.importance));
    if (fn.system_dependency < 1 || fn.system_dependency > levels)
      throw value_error(k, n, "system_dependency",
                        "must be a level from 1 to " + std::to_string(levels) + ", got " +
                            std::to_string(fn.system_dependency));
    if (fn.rto) check_hours(*fn.rto, k, n, "rto");
    if (fn.rpo) check_hours(*fn.rpo, k, n, "rpo");
    if (fn.mtpd) check_hours(*fn.mtpd, k, n, "mtpd");
    check_hours(fn.wrt, k, n, "wrt");
    for (std::size_t c = 0; c < fn.minimum_capacity.size(); ++c) {
      const auto& mc = fn.minimum_capacity[c];
      const std::string f = "minimum_capacity[" + std::to_string(c) + "]";
      check_hours(mc.by, k, n, f + ".by");
      if (!(mc.capacity > 0 && mc.capacity <= 1))
        throw value_error(k, n, f + ".capacity",
                          "must be a share of normal output in (0, 1], got " +
                              number_text(double(mc.capacity)));
      if (c > 0 && !(mc.by > fn.minimum_capacity[c - 1].by))
        throw value_error(k, n, f + ".by",
                          "entries must be in strictly increasing order of 'by'");
    }
    check_amount(fn.revenue_per_day, k, n, "revenue_per_day");
    check_fraction(fn.margin, k, n, "margin");
    if (!(fn.operating_days_per_week > 0 && fn.operating_days_per_week <= 7))
      throw value_error(k, n, "operating_days_per_week",
                        "must be in (0, 7], got " +
                            std::to_string(double(fn.operating_days_per_week)));
    if (fn.operating_days_per_year &&
        !(*fn.operating_days_per_year > 0 && *fn.operating_days_per_year <= 366))
      throw value_error(k, n, "operating_days_per_year",
                        "must be in (0, 366], got " +
                            number_text(double(*fn.operating_days_per_year)));
    for (std::size_t c = 0; c < fn.impact.size(); ++c) {
      const auto& curve = fn.impact[c];
      const std::string f = "impact[" + std::to_string(c) + "]";
      if (curve.category.empty()) throw value_error(k, n, f + ".category", "must not be empty");
      for (std::size_t j = 0; j < curve.steps.size(); ++j) {
        const auto& st = curve.steps[j];
        const std::string sf = f + ".steps[" + std::to_string(j) + "]";
        check_hours(st.after, k, n, sf + ".after");
        check_amount(st.rate_per_hour, k, n, sf + ".rate_per_hour");
        check_amount(st.lump, k, n, sf + ".lump");
        if (j > 0 && !(st.after > curve.steps[j - 1].after))
          throw value_error(k, n, sf + ".after",
                            "steps must be in strictly increasing order of 'after'");
      }
    }
    if (fn.workaround) {
      check_fraction(fn.workaround->capacity, k, n, "manual_workaround.capacity");
      check_hours(fn.workaround->setup_time, k, n, "manual_workaround.setup_time");
      check_hours(fn.workaround->max_duration, k, n, "manual_workaround.max_duration", true);
    }
  }

  static void check_distribution(const distribution<Real>& d, const char* kind,
                                 const std::string& obj, const std::string& field,
                                 const char* what, double limit) {
    const Real lo = d.quantile(Real(0));
    if (std::isnan(lo) || lo < 0 || !std::isfinite(d.mean()))
      throw value_error(kind, obj, field,
                        std::string("must be a non-negative ") + what + " with a finite mean; the " +
                            std::string(d.name()) + " given can take " +
                            std::to_string(double(lo)));
    if (double(d.mean()) > limit)
      throw value_error(kind, obj, field,
                        std::string("must be a ") + what + " with a mean of at most " +
                            number_text(limit) + "; the " + std::string(d.name()) +
                            " given has a mean of " + number_text(double(d.mean())));
  }

  void check_procedure(const it_system<Real>& s) const {
    static constexpr const char* k = "system";
    const auto& n = s.name;
    const auto& proc = *s.recovery;
    if (proc.emergency.empty())
      throw value_error(k, n, "recovery.emergency",
                        "lists no steps: emergency recovery needs at least one");
    if (!(proc.emergency_capacity > 0 && proc.emergency_capacity <= 1))
      throw value_error(k, n, "recovery.emergency_capacity",
                        "must be in (0, 1], got " + std::to_string(double(proc.emergency_capacity)));
    std::unordered_set<std::string_view> seen;
    auto check_steps = [&](const std::vector<recovery_step<Real>>& steps, const char* phase) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        cancellation_point(i);
        const auto& st = steps[i];
        std::string f = "recovery.";
        f += phase;
        f += "[" + std::to_string(i) + "]";
        if (st.name.empty()) throw value_error(k, n, f + ".name", "must not be empty");
        f += " ('" + st.name + "')";
        if (seen.count(st.name))
          throw duplicate_error(k, n, f + ".name", "another step of the procedure has this name");
        if (static_cast<std::size_t>(st.kind) >= step_kind_count)
          throw value_error(k, n, f + ".kind", "unknown step kind");
        check_distribution(st.duration, k, n, f + ".duration", "duration in hours", max_hours);
        if (st.duration_without_backup)
          check_distribution(*st.duration_without_backup, k, n, f + ".duration_without_backup",
                             "duration in hours", max_hours);
        for (std::size_t d = 0; d < st.needs.size(); ++d) {
          const auto& dm = st.needs[d];
          const std::string df = f + ".needs[" + std::to_string(d) + "]";
          auto r = find(resource_index_, dm.resource);
          if (!r) throw reference_error(k, n, df, "unknown resource pool '" + dm.resource + "'");
          if (dm.units < 1)
            throw value_error(k, n, df + ".units",
                              "must be at least 1, got " + std::to_string(dm.units));
          if (dm.units > resources_[*r].capacity)
            throw value_error(k, n, df + ".units",
                              "needs " + std::to_string(dm.units) + " of '" + dm.resource +
                                  "', which has only " +
                                  std::to_string(resources_[*r].capacity) +
                                  ": the step can never run");
        }
        for (std::size_t a = 0; a < st.after.size(); ++a) {
          const auto& l = st.after[a];
          const std::string af = f + ".after[" + std::to_string(a) + "]";
          if (!seen.count(l.step))
            throw reference_error(k, n, af,
                                  "'" + l.step +
                                      "' is not an earlier step of this procedure (a step can "
                                      "only wait for steps listed before it)");
          check_hours(l.lag, k, n, af + ".lag");
        }
        seen.insert(st.name);
      }
    };
    check_steps(proc.emergency, "emergency");
    check_steps(proc.permanent, "permanent");
  }

  void check_system(const it_system<Real>& s) const {
    static constexpr const char* k = "system";
    const auto& n = s.name;
    if (static_cast<std::size_t>(s.layer) >= asset_layer_count)
      throw value_error(k, n, "layer", "unknown layer");
    check_amount(s.transactions_per_hour, k, n, "transactions_per_hour");
    check_hours(s.reentry_hours_per_transaction, k, n, "reentry_hours_per_transaction");
    if (!s.reentry_by.empty() && !find(resource_index_, s.reentry_by))
      throw reference_error(k, n, "reentry_by", "unknown resource pool '" + s.reentry_by + "'");
    if (s.reentry_staff < 1)
      throw value_error(k, n, "reentry_staff",
                        "must be at least 1, got " + std::to_string(s.reentry_staff));
    if (!s.reentry_by.empty() &&
        s.reentry_staff > resources_[*find(resource_index_, s.reentry_by)].capacity)
      throw value_error(k, n, "reentry_staff",
                        std::to_string(s.reentry_staff) + " people of '" + s.reentry_by +
                            "', which has only " +
                            std::to_string(resources_[*find(resource_index_, s.reentry_by)].capacity) +
                            ": the re-entry can never run");
    if (s.recovery) check_procedure(s);
    for (std::size_t b = 0; b < s.backups.size(); ++b) {
      const auto& bk = s.backups[b];
      const std::string f = "backups[" + std::to_string(b) + "]";
      if (bk.age) {
        check_hours(*bk.age, k, n, f + ".age");
      } else {
        check_hours(bk.interval, k, n, f + ".interval");
        if (!(bk.interval > 0)) throw value_error(k, n, f + ".interval", "must be positive");
        if (bk.generations < 1) throw value_error(k, n, f + ".generations", "must be at least 1");
      }
      if (bk.medium.empty()) throw value_error(k, n, f + ".medium", "must not be empty");
      check_hours(bk.restore_time, k, n, f + ".restore_time");
    }
  }

  void compile() {
    if (spec_.functions.empty())
      throw value_error("model", spec_.name, "functions",
                        "the model has no business functions: a BIA needs at least one");
    system_index_ = index_names(spec_.systems, "system");
    function_index_ = index_names(spec_.functions, "business function");
    scenario_index_ = index_names(spec_.scenarios, "incident scenario");
    if (spec_.employees < 0 || spec_.employees > 100'000'000)
      throw value_error("model", spec_.name, "employees",
                        "must be a head count from 0 (not given) to 100,000,000, got " +
                            std::to_string(spec_.employees));
    resources_ = spec_.resources;
    if (resources_.empty())
      resources_.push_back({std::string(default_staff_name), resource_kind::people,
                            spec_.employees > 0 ? typical_it_staff(spec_.employees) : 1});
    resource_index_ = index_names(resources_, "resource pool");
    prepared_order_.clear();
    std::vector<std::uint8_t> in_order(spec_.systems.size(), 0);
    for (std::size_t k = 0; k < spec_.recovery_order.size(); ++k) {
      cancellation_point(k);
      const std::string f = "recovery_order[" + std::to_string(k) + "]";
      const auto s = find(system_index_, spec_.recovery_order[k]);
      if (!s)
        throw reference_error("model", spec_.name, f,
                              "unknown system '" + spec_.recovery_order[k] + "'");
      if (in_order[*s])
        throw duplicate_error("model", spec_.name, f,
                              "system '" + spec_.recovery_order[k] + "' is listed twice");
      in_order[*s] = 1;
      prepared_order_.push_back(*s);
    }
    system_order_ = order_by_name(spec_.systems, system_rank_);
    function_order_ = order_by_name(spec_.functions, function_rank_);
    scenario_order_ = order_by_name(spec_.scenarios, scenario_rank_);
    for (const auto& r : resources_) {
      if (static_cast<std::uint8_t>(r.kind) > 1)
        throw value_error("resource pool", r.name, "kind", "unknown resource kind");
      if (r.capacity < 0)
        throw value_error("resource pool", r.name, "capacity",
                          "must be non-negative, got " + std::to_string(r.capacity));
    }
    for (std::size_t s = 0; s < spec_.systems.size(); ++s) {
      cancellation_point(s);
      check_system(spec_.systems[s]);
    }
    for (std::size_t f = 0; f < spec_.functions.size(); ++f) {
      cancellation_point(f);
      check_function(spec_.functions[f]);
    }

    // Dependency graph.
    const index_t ns = system_count(), nf = function_count();
    std::vector<index_t> node_offsets{0}, needed, req_offsets{0}, members;
    std::vector<std::size_t> listed(ns, 0);
    node_offsets.reserve(std::size_t(ns) + nf + 1);
    for (index_t s = 0; s < ns; ++s) {
      cancellation_point(s);
      add_requirements(spec_.systems[s].depends_on, "system", spec_.systems[s].name, "depends_on",
                       s, needed, req_offsets, members, listed);
      node_offsets.push_back(static_cast<index_t>(needed.size()));
    }
    for (index_t f = 0; f < nf; ++f) {
      cancellation_point(f);
      add_requirements(spec_.functions[f].needs, "business function", spec_.functions[f].name,
                       "needs", no_index, needed, req_offsets, members, listed);
      node_offsets.push_back(static_cast<index_t>(needed.size()));
    }
    graph_ = dependency_graph(ns, nf, std::move(node_offsets), std::move(needed),
                              std::move(req_offsets), std::move(members));
    cancellation_point();
    if (spec_.cycles == cycle_policy::reject && graph_.has_cycle()) {
      std::vector<std::string> names;
      for (index_t s : graph_.find_cycle()) names.push_back(spec_.systems[s].name);
      throw cycle_error(std::move(names));
    }
    cancellation_point();
    order_dependencies_by_name();
    cancellation_point();

    // Classes and objectives.
    constexpr Real inf = std::numeric_limits<Real>::infinity();
    function_class_.resize(nf);
    function_rto_.resize(nf);
    function_rpo_.resize(nf);
    function_mtpd_.resize(nf);
    for (index_t f = 0; f < nf; ++f) {
      const auto& fn = spec_.functions[f];
      function_class_[f] = fn.emergency
                               ? priority_class::S
                               : spec_.priorities.classify(fn.importance, fn.system_dependency);
      function_rto_[f] = fn.rto ? *fn.rto : spec_.rto_by_class.rto(function_class_[f]);
      function_rpo_[f] = fn.rpo.value_or(inf);
      function_mtpd_[f] = fn.mtpd.value_or(inf);
      if (fn.mtpd && !(function_rto_[f] + fn.wrt <= *fn.mtpd))
        throw objective_error(
            "business function", fn.name, "mtpd",
            "RTO " + hours_text(function_rto_[f]) + " + WRT " + hours_text(fn.wrt) +
                " exceeds the MTPD of " + hours_text(*fn.mtpd) +
                (fn.rto ? std::string{}
                        : " (RTO from class " + std::string(to_string(function_class_[f])) + ")"));
    }
    cancellation_point();
    inherited_ = inherit_objectives<Real>(graph_, function_rto_, function_rpo_, function_class_,
                                          function_rank_);
    cancellation_point();
    check_rpo_feasible();
    cancellation_point();

    // Segments.
    std::unordered_map<std::string_view, index_t> seg;
    segment_names_.clear();
    segment_of_.assign(ns, no_index);
    for (index_t s = 0; s < ns; ++s) {
      const auto& name = spec_.systems[s].segment;
      if (name.empty()) continue;
      auto [it, fresh] = seg.emplace(name, static_cast<index_t>(segment_names_.size()));
      if (fresh) segment_names_.push_back(name);
      segment_of_[s] = it->second;
    }
    compile_scenarios(seg);
    cancellation_point();
    order_lines_and_curves();
    find_infected_backups();
    share_pools();
    check_insurance(std::span<const insurance_policy<Real>>(spec_.insurance),
                    [&](const std::string& n) { return find(scenario_index_, n).has_value(); },
                    "incident scenario");
    insurance_cover_.clear();
    for (const auto& p : spec_.insurance) {
      const std::size_t from = insurance_cover_.size();
      insurance_cover_.resize(from + spec_.scenarios.size(), p.scenarios.empty() ? 1 : 0);
      for (const auto& name : p.scenarios) insurance_cover_[from + *find(scenario_index_, name)] = 1;
    }
  }

  // pool_share_: each scenario's share of each pool (see pool_availability).
  void share_pools() {
    pool_share_.clear();
    for (const auto& sc : spec_.scenarios) {
      const std::size_t from = pool_share_.size();
      for (const auto& pool : resources_)
        pool_share_.push_back(pool.kind == resource_kind::people && !pool.external
                                  ? sc.staff_availability
                                  : Real(1));
      for (const auto& pa : sc.pools_available)
        pool_share_[from + *find(resource_index_, pa.pool)] = pa.fraction;
    }
  }

  // Findings: ransomware scenarios whose dwell time leaves a damaged system
  // that has offline or immutable backups no clean one.
  void find_infected_backups() {
    for (index_t i : scenarios_by_name()) {
      const auto& sc = spec_.scenarios[i];
      if (sc.kind != incident_kind::ransomware) continue;
      std::vector<index_t> damaged(damaged_systems(i).begin(), damaged_systems(i).end());
      std::sort(damaged.begin(), damaged.end(),
                [&](index_t a, index_t b) { return system_rank_[a] < system_rank_[b]; });
      for (index_t s : damaged) {
        const auto& sys = spec_.systems[s];
        if (!sys.has_data()) continue;
        bool protected_copy = false, clean = false;
        for (const auto& b : sys.backups) {
          if (b.mode == backup_mode::online || b.content != backup_content::data) continue;
          protected_copy = true;
          clean = clean || backup_survives(b, sc.kind, sc.dwell_time);
        }
        if (protected_copy && !clean)
          findings_.push_back(
              {"backups_infected", "incident scenario", sc.name, "dwell_time",
               "incident scenario '" + sc.name + "': a dwell time of " +
                   hours_text(sc.dwell_time) + " leaves none of the offline or immutable backups of system '" +
                   sys.name + "' clean: keep more generations, or older copies"});
      }
    }
  }

  // Findings: RPO objectives that no backup of a system can ever meet.
  void check_rpo_feasible() {
    findings_.clear();
    for (index_t s : systems_by_name()) {
      const auto& sys = spec_.systems[s];
      const Real rpo = inherited_.rpo[s];
      if (!sys.has_data() || !std::isfinite(rpo)) continue;
      const std::string from = " inherited from business function '" +
                               spec_.functions[inherited_.rpo_function[s]].name + "'";
      auto finding = [&](std::string problem) {
        findings_.push_back({"rpo_unmeetable", "system", sys.name, "backups",
                             "system '" + sys.name + "': " + std::move(problem)});
      };
      const bool any_data_backup =
          std::any_of(sys.backups.begin(), sys.backups.end(),
                      [](const auto& b) { return b.content == backup_content::data; });
      if (!any_data_backup) {
        finding("no backup can meet the RPO objective of " + hours_text(rpo) + from);
        continue;
      }
      // The best recovery point any backup of the data can give: a periodic
      // one's interval, a one-off copy's age.
      Real shortest = inf_of();
      bool one_off = false;
      for (const auto& b : sys.backups) {
        if (b.content != backup_content::data) continue;
        const Real best = b.age ? *b.age : b.interval;
        if (best < shortest) {
          shortest = best;
          one_off = b.age.has_value();
        }
      }
      if (shortest > rpo)
        finding((one_off ? "the newest copy, " + hours_text(shortest) + " old, "
                         : "the shortest backup interval, " + hours_text(shortest) + ", ") +
                "can never meet the RPO objective of " + hours_text(rpo) + from);
    }
  }
  static constexpr Real inf_of() { return std::numeric_limits<Real>::infinity(); }

  void compile_scenarios(const std::unordered_map<std::string_view, index_t>& seg) {
    damaged_offsets_.assign(1, 0);
    damaged_.clear();
    certain_offsets_.assign(1, 0);
    certain_.clear();
    spreads_.clear();
    spread_slot_.clear();
    correlations_.clear();
    correlation_slot_.clear();
    std::vector<std::uint8_t> hit(system_count());
    std::unordered_map<std::string_view, std::size_t> first; // name checks of one list
    for (const auto& sc : spec_.scenarios) {
      cancellation_point();
      static constexpr const char* k = "incident scenario";
      const auto& n = sc.name;
      check_amount(sc.annual_frequency, k, n, "annual_frequency", max_annual_frequency);
      check_hours(sc.dwell_time, k, n, "dwell_time");
      check_hours(sc.detection_time, k, n, "detection_time");
      first.clear();
      for (std::size_t p = 0; p < sc.response.size(); ++p) {
        const auto& phase = sc.response[p];
        const std::string f = "response[" + std::to_string(p) + "]";
        if (phase.name.empty()) throw value_error(k, n, f + ".name", "must not be empty");
        check_hours(phase.at, k, n, f + ".at");
        if (const auto [q, fresh] = first.emplace(phase.name, p); !fresh)
          throw value_error(k, n, f + ".name",
                            "'" + phase.name + "' is also response[" + std::to_string(q->second) +
                                "]: phase names must be unique");
      }
      check_fraction(sc.staff_availability, k, n, "staff_availability");
      if (!(sc.staff_availability > 0))
        throw value_error(k, n, "staff_availability",
                          "must be above 0: with none of the organisation's people available "
                          "no recovery can be planned");
      first.clear();
      for (std::size_t a = 0; a < sc.pools_available.size(); ++a) {
        const auto& pa = sc.pools_available[a];
        const std::string f = "staff_availability['" + pa.pool + "']";
        if (!find(resource_index_, pa.pool))
          throw reference_error(k, n, f, "unknown resource pool '" + pa.pool + "'");
        if (!first.emplace(pa.pool, a).second)
          throw duplicate_error(k, n, f, "the pool is listed twice");
        check_fraction(pa.fraction, k, n, f);
        if (!(pa.fraction > 0))
          throw value_error(k, n, f,
                            "must be above 0: with nobody of the pool available the steps that "
                            "need it can never run");
      }
      if (static_cast<std::size_t>(sc.kind) >= incident_kind_count)
        throw value_error(k, n, "kind", "unknown incident kind");
      check_distribution(sc.records_affected, k, n, "records_affected", "number of records",
                         max_records);
      first.clear();
      for (std::size_t c = 0; c < sc.costs.size(); ++c) {
        cancellation_point(c + 1);
        const auto& line = sc.costs[c];
        std::string f = "costs[" + std::to_string(c) + "]";
        if (line.name.empty()) throw value_error(k, n, f + ".name", "must not be empty");
        f += " ('" + line.name + "')";
        if (!first.emplace(line.name, c).second)
          throw duplicate_error(k, n, f + ".name", "another cost line of the scenario has this name");
        if (static_cast<std::size_t>(line.category) >= cost_category_count)
          throw value_error(k, n, f + ".category", "unknown cost category");
        if (static_cast<std::size_t>(line.driver) >= cost_driver_count)
          throw value_error(k, n, f + ".driver", "unknown cost driver");
        check_distribution(line.amount, k, n, f + ".amount", "amount", max_amount);
        if (!line.function.empty() && !find(function_index_, line.function))
          throw reference_error(k, n, f + ".function",
                                "unknown business function '" + line.function + "'");
        if (!line.system.empty() && !find(system_index_, line.system))
          throw reference_error(k, n, f + ".system", "unknown system '" + line.system + "'");
        if (!line.function.empty() && line.driver != cost_driver::per_outage_hour &&
            line.driver != cost_driver::revenue_fraction)
          throw value_error(k, n, f + ".function",
                            "only per_outage_hour and revenue_fraction lines name a function");
        if (!line.system.empty() && line.driver != cost_driver::per_lost_record)
          throw value_error(k, n, f + ".system", "only per_lost_record lines name a system");
        if (sc.ransom)
          for (auto reserved : ransom_line_names)
            if (line.name == reserved)
              throw duplicate_error(k, n, f + ".name",
                                    "is the name of a cost line the ransom terms add");
        if (!sc.notifications.empty())
          for (auto reserved : notification_line_names)
            if (line.name == reserved)
              throw duplicate_error(k, n, f + ".name",
                                    "is the name of a cost line the notification duties add");
      }
      if (sc.ransom) check_ransom(sc);
      check_notifications(sc);
      std::fill(hit.begin(), hit.end(), std::uint8_t{0});
      for (std::size_t d = 0; d < sc.damage.size(); ++d) {
        const auto& sel = sc.damage[d];
        const std::string f = "damage[" + std::to_string(d) + "]";
        if (sel.layers.empty() && sel.segments.empty() && sel.systems.empty())
          throw value_error(k, n, f, "selects nothing: give layers, segments or systems");
        for (const auto& sn : sel.systems) {
          auto s = find(system_index_, sn);
          if (!s) throw reference_error(k, n, f + ".systems", "unknown system '" + sn + "'");
          hit[*s] = 1;
        }
        std::vector<std::uint8_t> seg_hit(segment_names_.size(), 0);
        for (const auto& gn : sel.segments) {
          auto it = seg.find(gn);
          if (it == seg.end())
            throw reference_error(k, n, f + ".segments", "unknown network segment '" + gn + "'");
          seg_hit[it->second] = 1;
        }
        std::array<bool, asset_layer_count> layer_hit{};
        for (auto l : sel.layers) {
          if (static_cast<std::size_t>(l) >= asset_layer_count)
            throw value_error(k, n, f + ".layers", "unknown layer");
          layer_hit[static_cast<std::size_t>(l)] = true;
        }
        if (sel.layers.empty() && sel.segments.empty()) continue;
        for (index_t s = 0; s < system_count(); ++s) {
          const bool layer_ok =
              sel.layers.empty() || layer_hit[static_cast<std::size_t>(spec_.systems[s].layer)];
          const bool seg_ok =
              sel.segments.empty() || (segment_of_[s] != no_index && seg_hit[segment_of_[s]]);
          if (layer_ok && seg_ok) hit[s] = 1;
        }
      }
      spread_slot_.push_back(no_index);
      if (sc.spread) compile_spread(sc, seg, hit);
      correlation_slot_.push_back(no_index);
      if (!sc.correlations.empty()) compile_correlations(sc);
      for (index_t s = 0; s < system_count(); ++s)
        if (hit[s]) certain_.push_back(s);
      certain_offsets_.push_back(static_cast<index_t>(certain_.size()));
      if (const auto* sp = spread_of(static_cast<index_t>(spread_slot_.size() - 1)))
        for (index_t s : spread_at_point_values(*sp)) hit[s] = 1;
      for (index_t s = 0; s < system_count(); ++s)
        if (hit[s]) damaged_.push_back(s);
      damaged_offsets_.push_back(static_cast<index_t>(damaged_.size()));
    }
  }

  // Validates scenario sc's notification duties.
  static void check_notifications(const incident_scenario<Real>& sc) {
    static constexpr const char* k = "incident scenario";
    const auto& n = sc.name;
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t d = 0; d < sc.notifications.size(); ++d) {
      const auto& duty = sc.notifications[d];
      std::string f = "notifications[" + std::to_string(d) + "]";
      if (duty.name.empty()) throw value_error(k, n, f + ".name", "must not be empty");
      if (const auto [it, fresh] = seen.emplace(duty.name, d); !fresh)
        throw duplicate_error(k, n, f + ".name",
                              "'" + duty.name + "' is also notifications[" +
                                  std::to_string(it->second) + "]: names must be unique");
      f += " ('" + duty.name + "')";
      check_hours(duty.due, k, n, f + ".due", true);
      check_hours(duty.at, k, n, f + ".at");
      check_distribution(duty.cost, k, n, f + ".cost", "amount", max_amount);
      check_fraction(duty.penalty_probability, k, n, f + ".penalty_probability");
      check_distribution(duty.penalty, k, n, f + ".penalty", "amount", max_amount);
    }
  }

  // Validates scenario sc's ransom terms.
  static void check_ransom(const incident_scenario<Real>& sc) {
    static constexpr const char* k = "incident scenario";
    const auto& n = sc.name;
    const auto& t = *sc.ransom;
    if (sc.kind != incident_kind::ransomware)
      throw value_error(k, n, "ransom",
                        "only a ransomware scenario has ransom terms (the kind is '" +
                            std::string(to_string(sc.kind)) + "')");
    check_distribution(t.demand, k, n, "ransom.demand", "amount", max_amount);
    check_fraction(t.key_works, k, n, "ransom.key_works");
    check_distribution(t.key_arrival, k, n, "ransom.key_arrival", "duration in hours", max_hours);
    check_distribution(t.decryption, k, n, "ransom.decryption", "duration in hours", max_hours);
    check_fraction(t.leak_if_paid, k, n, "ransom.leak_if_paid");
    check_fraction(t.leak_if_not_paid, k, n, "ransom.leak_if_not_paid");
    check_distribution(t.leak_cost, k, n, "ransom.leak_cost", "amount", max_amount);
    check_fraction(t.sanctions_probability, k, n, "ransom.sanctions_probability");
    check_distribution(t.sanctions_cost, k, n, "ransom.sanctions_cost", "amount", max_amount);
  }

  // Validates and compiles scenario sc's spread; marks its entry systems in `hit`.
  void compile_spread(const incident_scenario<Real>& sc,
                      const std::unordered_map<std::string_view, index_t>& seg,
                      std::vector<std::uint8_t>& hit) {
    static constexpr const char* k = "incident scenario";
    const auto& n = sc.name;
    const auto& sp = *sc.spread;
    compiled_spread<Real> out;
    check_fraction(sp.within_segment, k, n, "spread.within_segment");
    if (sp.entry.empty())
      throw value_error(k, n, "spread.entry", "names no system: an attack needs an entry point");
    for (std::size_t e = 0; e < sp.entry.size(); ++e) {
      auto s = find(system_index_, sp.entry[e]);
      if (!s)
        throw reference_error(k, n, "spread.entry[" + std::to_string(e) + "]",
                              "unknown system '" + sp.entry[e] + "'");
      hit[*s] = 1;
      if (segment_of_[*s] != no_index) out.entry_segments.push_back(segment_of_[*s]);
    }
    std::sort(out.entry_segments.begin(), out.entry_segments.end());
    out.entry_segments.erase(std::unique(out.entry_segments.begin(), out.entry_segments.end()),
                             out.entry_segments.end());
    std::vector<std::uint8_t> target(system_count(), 0);
    if (sp.targets.empty())
      for (index_t s = 0; s < system_count(); ++s)
        target[s] = spec_.systems[s].layer == asset_layer::software;
    for (std::size_t t = 0; t < sp.targets.size(); ++t) {
      const auto& sel = sp.targets[t];
      const std::string f = "spread.targets[" + std::to_string(t) + "]";
      if (!sel.segments.empty())
        throw value_error(k, n, f + ".segments",
                          "targets take layers and systems; the spread decides the segments");
      if (sel.layers.empty() && sel.systems.empty())
        throw value_error(k, n, f, "selects nothing: give layers or systems");
      for (const auto& sn : sel.systems) {
        auto s = find(system_index_, sn);
        if (!s) throw reference_error(k, n, f + ".systems", "unknown system '" + sn + "'");
        target[*s] = 1;
      }
      for (auto l : sel.layers) {
        if (static_cast<std::size_t>(l) >= asset_layer_count)
          throw value_error(k, n, f + ".layers", "unknown layer");
        for (index_t s = 0; s < system_count(); ++s)
          if (spec_.systems[s].layer == l) target[s] = 1;
      }
    }
    for (index_t s = 0; s < system_count(); ++s)
      if (target[s] && segment_of_[s] != no_index) out.targets.push_back(s);
    for (std::size_t c = 0; c < sp.connections.size(); ++c) {
      const auto& con = sp.connections[c];
      const std::string f = "spread.connections[" + std::to_string(c) + "]";
      index_t ends[2];
      const std::string* names[2] = {&con.from, &con.to};
      for (int e = 0; e < 2; ++e) {
        auto it = seg.find(*names[e]);
        if (it == seg.end())
          throw reference_error(k, n, f + (e == 0 ? ".from" : ".to"),
                                "unknown network segment '" + *names[e] + "'");
        ends[e] = it->second;
      }
      check_fraction(con.probability, k, n, f + ".probability");
      out.from.push_back(ends[0]);
      out.to.push_back(ends[1]);
      out.probability.push_back(con.probability);
    }
    // Grouped by the segment they leave (a counting sort, stable), so that a
    // spread visits each connection once rather than every connection for
    // every segment it reaches.
    out.leaving_offset.assign(segment_names_.size() + 1, 0);
    for (index_t g : out.from) ++out.leaving_offset[g + 1];
    for (std::size_t g = 0; g < segment_names_.size(); ++g)
      out.leaving_offset[g + 1] += out.leaving_offset[g];
    out.leaving.resize(out.from.size());
    std::vector<index_t> next(out.leaving_offset.begin(), out.leaving_offset.end() - 1);
    for (std::size_t c = 0; c < out.from.size(); ++c)
      out.leaving[next[out.from[c]]++] = static_cast<index_t>(c);
    out.within_segment = sp.within_segment;
    spread_slot_.back() = static_cast<index_t>(spreads_.size());
    spreads_.push_back(std::move(out));
  }

  // Validates and compiles scenario sc's rank correlations into a copula.
  void compile_correlations(const incident_scenario<Real>& sc) {
    static constexpr const char* k = "incident scenario";
    const auto& n = sc.name;
    std::vector<std::size_t> inputs;
    auto input_of = [&](const std::string& name, const std::string& field) {
      std::size_t id = records_affected_input;
      if (name != "records_affected") {
        id = sc.costs.size();
        for (std::size_t l = 0; l < sc.costs.size(); ++l)
          if (sc.costs[l].name == name) id = l;
        if (id == sc.costs.size())
          throw reference_error(k, n, field,
                                "'" + name + "' is neither a cost line of the scenario nor "
                                "records_affected");
      }
      const auto it = std::find(inputs.begin(), inputs.end(), id);
      if (it != inputs.end()) return static_cast<Eigen::Index>(it - inputs.begin());
      inputs.push_back(id);
      return static_cast<Eigen::Index>(inputs.size() - 1);
    };
    std::vector<std::pair<Eigen::Index, Eigen::Index>> at;
    for (std::size_t c = 0; c < sc.correlations.size(); ++c) {
      const auto& rc = sc.correlations[c];
      const std::string f = "correlations[" + std::to_string(c) + "]";
      const auto a = input_of(rc.first, f + ".first"), b = input_of(rc.second, f + ".second");
      if (a == b) throw value_error(k, n, f, "correlates '" + rc.first + "' with itself");
      if (!(rc.value >= -1 && rc.value <= 1))
        throw value_error(k, n, f + ".value",
                          "must be a rank correlation in [-1, 1], got " +
                              std::to_string(double(rc.value)));
      at.emplace_back(a, b);
    }
    // The inputs in the order of their names, whatever the order of the pairs.
    auto input_name = [&](std::size_t id) -> std::string_view {
      return id == records_affected_input ? std::string_view("records_affected")
                                          : std::string_view(sc.costs[id].name);
    };
    std::vector<std::size_t> sorted = inputs;
    std::sort(sorted.begin(), sorted.end(),
              [&](std::size_t a, std::size_t b) { return input_name(a) < input_name(b); });
    for (auto& [a, b] : at) {
      a = std::find(sorted.begin(), sorted.end(), inputs[static_cast<std::size_t>(a)]) - sorted.begin();
      b = std::find(sorted.begin(), sorted.end(), inputs[static_cast<std::size_t>(b)]) - sorted.begin();
    }
    inputs = std::move(sorted);
    const auto d = static_cast<Eigen::Index>(inputs.size());
    typename gaussian_copula<Real>::matrix_type rho =
        gaussian_copula<Real>::matrix_type::Identity(d, d);
    for (std::size_t c = 0; c < at.size(); ++c) {
      rho(at[c].first, at[c].second) = sc.correlations[c].value;
      rho(at[c].second, at[c].first) = sc.correlations[c].value;
    }
    try {
      correlation_slot_.back() = static_cast<index_t>(correlations_.size());
      correlations_.push_back({std::move(inputs), gaussian_copula<Real>(rho)});
    } catch (const value_error& e) {
      correlation_slot_.back() = no_index;
      throw value_error(k, n, "correlations",
                        std::string("do not form a valid correlation matrix: ") + e.what());
    }
  }

  std::vector<index_t> spread_at_point_values(const compiled_spread<Real>& sp) const {
    std::vector<index_t> out;
    const Real half = Real(1) / Real(2);
    if (sp.within_segment < half) return out;
    std::vector<std::uint8_t> reached(segment_names_.size(), 0);
    std::vector<index_t> queue(sp.entry_segments.begin(), sp.entry_segments.end());
    for (index_t g : queue) reached[g] = 1;
    for (std::size_t h = 0; h < queue.size(); ++h)
      for (index_t c : sp.connections_from(queue[h]))
        if (!reached[sp.to[c]] && sp.probability[c] >= half) {
          reached[sp.to[c]] = 1;
          queue.push_back(sp.to[c]);
        }
    for (index_t s : sp.targets)
      if (reached[segment_of_[s]]) out.push_back(s);
    return out;
  }

  spec_type spec_;
  name_index system_index_, function_index_, scenario_index_, resource_index_;
  // Indices in the order of their names, and each index's place in it.
  std::vector<index_t> system_order_, system_rank_, function_order_, function_rank_,
      scenario_order_, scenario_rank_;
  std::vector<index_t> dependency_order_; // see dependency_order_by_name()
  std::vector<model_finding> findings_;
  std::vector<index_t> prepared_order_;
  std::vector<std::size_t> line_offsets_, line_order_, curve_offsets_, curve_order_;
  std::vector<std::size_t> notice_offsets_, notice_order_; // notification duties by name
  std::vector<std::uint8_t> curve_money_; // per curve (curve_offsets_[f] + k): in money?
  std::vector<Real> pool_share_;          // per scenario × resource pool: share available
  std::vector<std::uint8_t> insurance_cover_; // per policy × scenario: 1 if it covers it
  std::vector<resource_pool> resources_;
  dependency_graph graph_;
  std::vector<priority_class> function_class_;
  std::vector<Real> function_rto_, function_rpo_, function_mtpd_;
  inherited_objectives<Real> inherited_;
  // The cancellation flag of a construction in progress (null otherwise).
  const std::atomic<bool>* cancel_ = nullptr;
  std::vector<std::string> segment_names_;
  std::vector<index_t> segment_of_;
  std::vector<index_t> damaged_offsets_{0}, damaged_;
  std::vector<index_t> certain_offsets_{0}, certain_;
  std::vector<compiled_spread<Real>> spreads_;
  std::vector<index_t> spread_slot_;
  std::vector<compiled_correlations<Real>> correlations_;
  std::vector<index_t> correlation_slot_;
};

/// A validated model in double precision.
using model = basic_model<double>;

} // namespace continuity
