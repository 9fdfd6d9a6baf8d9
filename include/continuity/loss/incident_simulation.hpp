// continuity/loss/incident_simulation.hpp — one simulated year of a model's
// incident scenarios, bottom-up: how often each scenario happens; for each
// occurrence which systems the attack reaches, which backups survive (so the
// realised RPO and the data to re-enter), how long each recovery step takes,
// the staff-constrained recovery schedule and the capacity over time it
// gives, and every cost line. Top-down scenarios (a frequency and a loss per
// event) can join the same portfolio. A trial model for continuity::run.
//
// Common random numbers: every random quantity of a trial has its own
// sub-stream, trial_engine(seed, trial, key), whose key (stream_key) names
// what it is (frequency, connection, target system, step duration, records,
// cost amount), the scenario by name, the occurrence within the year and the
// object it belongs to by name (system, the two segments of a connection,
// cost line) or by place in a procedure (phase, step). Nothing is keyed by
// an object's position in the model's arrays and nothing wraps around, so
// the results do not depend on the order of a model file, and a change to
// the model — a mitigation — leaves the draws of everything it does not
// touch unchanged: comparing two models with one seed measures the change,
// not the noise.
#pragma once

#include <continuity/analysis/attack_spread.hpp>
#include <continuity/analysis/backup_exposure.hpp>
#include <continuity/detail/workspace_pool.hpp>
#include <continuity/loss/incident_cost.hpp>
#include <continuity/loss/incident_input.hpp>
#include <continuity/loss/top_down.hpp>
#include <continuity/random/poisson.hpp>
#include <continuity/random/rng.hpp>
#include <continuity/random/stream_key.hpp>
#include <continuity/recovery/recovery_plan.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace continuity {

/// What a sub-stream of a trial draws: the role that starts its stream_key.
enum class draw_purpose : std::uint8_t {
  frequency,  ///< occurrences of a scenario in the year (key: scenario)
  connection, ///< an attack crossing a connection (key: scenario, occurrence, from, to segment)
  target,     ///< a target system being hit (key: scenario, occurrence, system)
  duration,   ///< a recovery step's duration (key: scenario, occurrence, system, phase, step)
  records,    ///< records affected (key: scenario, occurrence)
  amount,     ///< a cost line's amount (key: scenario, occurrence, line name)
  top_down,   ///< the top-down part of the portfolio (key: the role alone)
  correlated, ///< the copula's uniforms for a scenario's correlated inputs (key: scenario, occurrence)
  staff,      ///< who of a resource pool is available (key: scenario, occurrence, pool name)
  ransom,     ///< the ransom policy's outcome (key: scenario, occurrence, ransom_draw[, system])
  notification, ///< a notification's cost or sanction (key: scenario, occurrence, duty name, role)
};

/// The key of a draw of `purpose` for the scenario whose name hashes to
/// `scenario_hash` (stream_key::hash_name), in occurrence `occurrence` of
/// the year; the draw's own components (system, step, line, ...) follow.
constexpr stream_key draw_key(draw_purpose purpose, std::uint64_t scenario_hash,
                              std::uint64_t occurrence) noexcept {
  return stream_key(static_cast<std::uint64_t>(purpose)).then_hash(scenario_hash).then(occurrence);
}

/// Settings of an incident simulation.
template <class Real = double>
struct simulation_options {
  /// Bottom-up scenarios to simulate, by name; empty: every scenario of the
  /// model with a positive annual frequency.
  std::vector<std::string> scenarios;
  /// How each occurrence's recovery is scheduled (the fast priority-rule
  /// schedule; `improve` is ignored inside a simulation).
  recovery_options<Real> plan;
};

/// One simulated year of a model's scenarios (see the header comment). The
/// breakdown columns, in order: the four cost categories; each scenario
/// (bottom-up, then top-down); each business function's share of the cost;
/// per function the number of occurrences breaching its RTO, then its MTPD;
/// per bottom-up scenario its number of occurrences; then every cost line
/// of every bottom-up scenario (its lines, lost profit, impact curves);
/// then what each insurance policy paid in the year: the model's policies
/// (on the bottom-up occurrences of the scenarios they cover, in occurrence
/// order), then the top-down portfolio's (on its events).
template <class Real = double>
class incident_simulation {
public:
  /// The real type of losses.
  using real_type = Real;

  /// Simulates the scenarios of `m` (kept by reference: it must outlive the
  /// simulation) and the top-down `portfolio`. Throws reference_error for an
  /// unknown scenario name or an unknown system in options.plan.order, duplicate_error for a top-down scenario named
  /// like a bottom-up one, or a portfolio's insurance policy named like one
  /// of the model's.
  explicit incident_simulation(const basic_model<Real>& m, simulation_options<Real> options = {},
                               scenario_portfolio<Real> portfolio = {})
      : m_(m), options_(std::move(options)), portfolio_(std::move(portfolio)) {
    options_.plan.improve = false;
    if (options_.scenarios.empty()) {
      for (index_t i = 0; i < m.scenario_count(); ++i)
        if (m.scenario_at(i).annual_frequency > 0) scenarios_.push_back(i);
    } else {
      for (std::size_t k = 0; k < options_.scenarios.size(); ++k) {
        const auto i = m.find_scenario(options_.scenarios[k]);
        if (!i)
          throw reference_error("simulation options", {}, "scenarios[" + std::to_string(k) + "]",
                                "unknown incident scenario '" + options_.scenarios[k] + "'");
        if (std::find(scenarios_.begin(), scenarios_.end(), *i) != scenarios_.end())
          throw duplicate_error("simulation options", {}, "scenarios[" + std::to_string(k) + "]",
                                "lists '" + options_.scenarios[k] +
                                    "' twice (each scenario is simulated once, at its own "
                                    "annual frequency)");
        scenarios_.push_back(*i);
      }
    }
    for (const auto& td : portfolio_.scenarios())
      for (index_t i : scenarios_)
        if (m.scenario_at(i).name == td.name())
          throw duplicate_error("scenario", td.name(), "name",
                                "a top-down scenario has the name of a model scenario");
    for (const auto& tp : portfolio_.insurance())
      for (const auto& mp : m.insurance())
        if (mp.name == tp.name)
          throw duplicate_error("insurance policy", tp.name, "name",
                                "a policy of the top-down portfolio has the name of a policy "
                                "of the model");
    // Scenarios are added up in the order of their names.
    for (std::size_t k = 0; k < scenarios_.size(); ++k) visit_.push_back(k);
    std::sort(visit_.begin(), visit_.end(), [&](std::size_t a, std::size_t b) {
      return m.scenario_rank(scenarios_[a]) < m.scenario_rank(scenarios_[b]);
    });
    system_hash_.reserve(m.system_count());
    for (index_t x = 0; x < m.system_count(); ++x)
      system_hash_.push_back(stream_key::hash_name(m.system_at(x).name));
    for (index_t g = 0; g < m.segment_count(); ++g)
      segment_hash_.push_back(stream_key::hash_name(m.segment_name(g)));
    for (const auto& pool : m.resources()) pool_hash_.push_back(stream_key::hash_name(pool.name));
    // Every scenario, not only those simulated: sample_occurrence takes any.
    scenario_hash_.assign(m.scenario_count(), 0);
    line_hash_.resize(m.scenario_count());
    notice_hash_.resize(m.scenario_count());
    for (index_t i = 0; i < m.scenario_count(); ++i) {
      scenario_hash_[i] = stream_key::hash_name(m.scenario_at(i).name);
      for (const auto& line : m.scenario_at(i).costs)
        line_hash_[i].push_back(stream_key::hash_name(line.name));
      for (const auto& duty : m.scenario_at(i).notifications)
        notice_hash_[i].push_back(stream_key::hash_name(duty.name));
    }
    for (index_t i : scenarios_) {
      const Real rate = m.scenario_at(i).annual_frequency;
      frequency_.push_back(rate > 0 ? std::optional<poisson<Real>>(poisson<Real>(rate))
                                    : std::nullopt);
    }
    // Everything about the recovery that no draw changes, resolved once.
    auto plans = std::make_shared<detail::procedure_plans<Real>>(m);
    plans->prepare_all();
    plans_ = std::move(plans);
    order_ = detail::user_order(m, options_.plan.order);
    const std::size_t nf = m.function_count(), ns = scenarios_.size();
    col_scenario_ = cost_category_count;
    col_function_ = col_scenario_ + ns + portfolio_.size();
    col_rto_ = col_function_ + nf;
    col_mtpd_ = col_rto_ + nf;
    col_events_ = col_mtpd_ + nf;
    col_lines_ = col_events_ + ns;
    std::size_t c = col_lines_;
    for (index_t i : scenarios_) {
      line_offset_.push_back(c);
      c += m.scenario_at(i).line_count() + 2;
    }
    col_insured_ = c;
    columns_ = c + m.insurance().size() + portfolio_.insurance().size();
  }

  /// The model.
  const basic_model<Real>& model() const noexcept { return m_; }
  /// The bottom-up scenarios simulated, by index.
  std::span<const index_t> scenarios() const noexcept { return scenarios_; }
  /// The top-down part.
  const scenario_portfolio<Real>& portfolio() const noexcept { return portfolio_; }

  /// First breakdown column of each group.
  std::size_t category_column(cost_category c) const noexcept { return static_cast<std::size_t>(c); }
  /// Column of bottom-up scenario k (position in scenarios()), or of top-down
  /// scenario scenarios().size() + j.
  std::size_t scenario_column(std::size_t k) const noexcept { return col_scenario_ + k; }
  /// Column of function f's share of the cost.
  std::size_t function_column(index_t f) const noexcept { return col_function_ + f; }
  /// Column counting occurrences that breach function f's RTO.
  std::size_t rto_breach_column(index_t f) const noexcept { return col_rto_ + f; }
  /// Column counting occurrences that breach function f's MTPD.
  std::size_t mtpd_breach_column(index_t f) const noexcept { return col_mtpd_ + f; }
  /// Column counting occurrences of bottom-up scenario k.
  std::size_t events_column(std::size_t k) const noexcept { return col_events_ + k; }
  /// Column of cost line `line` (of cost_line_names) of bottom-up scenario k.
  std::size_t line_column(std::size_t k, std::size_t line) const noexcept {
    return line_offset_[k] + line;
  }

  /// Column of what insurance policy p paid: the model's policies first,
  /// then the top-down portfolio's (p = model().insurance().size() + q).
  std::size_t insured_column(std::size_t p) const noexcept { return col_insured_ + p; }

  /// Trial-model interface: number of breakdown columns.
  std::size_t breakdown_size() const noexcept { return columns_; }
  /// Trial-model interface: the column names ("category:response",
  /// "scenario:<name>", "function:<name>", "rto_breaches:<name>",
  /// "mtpd_breaches:<name>", "events:<name>", "line:<scenario>/<line>",
  /// "insured:<policy>").
  std::vector<std::string> breakdown_names() const {
    std::vector<std::string> n;
    for (std::size_t c = 0; c < cost_category_count; ++c)
      n.push_back("category:" + std::string(to_string(static_cast<cost_category>(c))));
    for (index_t i : scenarios_) n.push_back("scenario:" + m_.scenario_at(i).name);
    for (const auto& td : portfolio_.scenarios()) n.push_back("scenario:" + td.name());
    for (const char* g : {"function:", "rto_breaches:", "mtpd_breaches:"})
      for (index_t f = 0; f < m_.function_count(); ++f) n.push_back(g + m_.function_at(f).name);
    for (index_t i : scenarios_) n.push_back("events:" + m_.scenario_at(i).name);
    for (index_t i : scenarios_)
      for (const auto& line : cost_line_names(m_, i))
        n.push_back("line:" + m_.scenario_at(i).name + "/" + line);
    for (const auto& p : m_.insurance()) n.push_back("insured:" + p.name);
    for (const auto& p : portfolio_.insurance()) n.push_back("insured:" + p.name);
    return n;
  }
  /// Trial-model interface: the columns of what each policy paid.
  std::pair<std::size_t, std::size_t> insured_columns() const noexcept {
    return {col_insured_, columns_};
  }

  /// Trial-model interface: one year. Draws only from sub-streams of the
  /// engine's (seed, stream) and fills `out` (breakdown_size() entries).
  template <class Engine>
  Real operator()(Engine& engine, std::span<Real> out) const {
    static const std::atomic<bool> never{false};
    return (*this)(engine, out, never);
  }

  /// The same, returning early (with an incomplete year) once `stop` is
  /// true: it is checked before every occurrence, so a year of many
  /// incidents can be interrupted.
  template <class Engine>
  Real operator()(Engine& engine, std::span<Real> out, const std::atomic<bool>& stop) const {
    const std::uint64_t seed = engine.seed(), trial = engine.stream_id();
    std::fill(out.begin(), out.end(), Real(0));
    Real total = 0;
    std::optional<typename detail::workspace_pool<workspace>::lease> ws; // at the first occurrence
    for (std::size_t k : visit_) {
      const index_t i = scenarios_[k];
      trial_engine fe(seed, trial, draw_key(draw_purpose::frequency, scenario_hash_[i], 0).value());
      const std::uint64_t events = frequency_[k] ? frequency_[k]->count(fe) : 0;
      out[col_events_ + k] = static_cast<Real>(events);
      for (std::uint64_t occ = 0; occ < events; ++occ) {
        if (stop.load(std::memory_order_relaxed)) return total;
        if (!ws) ws.emplace(workspaces_.borrow());
        out[col_scenario_ + k] += occurrence(i, k, seed, trial, occ, out, **ws);
      }
      total += out[col_scenario_ + k];
    }
    if (portfolio_.size() > 0) {
      trial_engine te(seed, trial, stream_key(static_cast<std::uint64_t>(draw_purpose::top_down)).value());
      const std::span<Real> td = out.subspan(col_scenario_ + scenarios_.size(), portfolio_.size());
      const Real loss = portfolio_.year(
          te, td, out.subspan(col_insured_ + m_.insurance().size(), portfolio_.insurance().size()));
      // Top-down losses have no cost categories: they are reported by scenario only.
      total += loss;
    }
    return total;
  }

  /// The cost of one occurrence of scenario i at point values (every
  /// duration, chance, record count and amount at its point value): the
  /// deterministic figure.
  incident_cost<Real> point_cost(index_t i) const {
    const auto plan = plan_recovery(m_, i, options_.plan);
    return cost_of_incident(m_, i, plan);
  }

  /// Occurrence number `occurrence` (from 0) of bottom-up scenario `i` in
  /// trial `trial` of a run with `seed`, exactly as the simulation draws it:
  /// its cost. Every uncertain input it samples is reported to
  /// `observe(const incident_input&, Real value)`: how many systems were
  /// damaged, each step duration drawn, the records affected and each cost
  /// line's amount. For sensitivity analyses (rank_correlations).
  template <class Observer>
  incident_cost<Real> sample_occurrence(index_t i, std::uint64_t seed, std::uint64_t trial,
                                        std::uint64_t occurrence, Observer&& observe) const {
    const auto ws = workspaces_.borrow();
    simulate_occurrence(i, seed, trial, occurrence, *ws, observe);
    return ws->cost;
  }

private:
  // The working memory of an occurrence, kept for the next (no allocation
  // per occurrence once it has grown to the largest one).
  struct workspace {
    std::vector<index_t> segments;
    std::vector<std::uint8_t> reached, hit;
    recovery_situation<Real> situation;
    detail::recovery_build_scratch<Real> build;
    recovery_project<Real> project;
    detail::recovery_priority_scratch<Real> priority;
    std::vector<std::size_t> list;
    detail::serial_sgs_scratch<Real> sgs;
    basic_schedule<Real> schedule;
    detail::outcome_scratch<Real> evaluation;
    recovery_outcome<Real> outcome;
    std::vector<Real> uniforms;
    detail::cost_scratch<Real> costing;
    incident_cost<Real> cost;
  };

  // Simulates occurrence `occ` of scenario i into ws.cost and ws.outcome.
  template <class Observer>
  void simulate_occurrence(index_t i, std::uint64_t seed, std::uint64_t trial, std::uint64_t occ,
                           workspace& ws, Observer& observe) const {
    const auto& sc = m_.scenario_at(i);
    const std::uint64_t sh = scenario_hash_[i];
    auto& sit = ws.situation;
    auto& damaged = sit.damaged;
    sample_damage(
        m_, i,
        [&](spread_chance what, index_t item, Real p) {
          stream_key key = draw_key(draw_purpose::target, sh, occ);
          if (what == spread_chance::connection) {
            const auto& sp = *m_.spread_of(i);
            key = draw_key(draw_purpose::connection, sh, occ)
                      .then_hash(segment_hash_[sp.from[item]])
                      .then_hash(segment_hash_[sp.to[item]]);
          } else {
            key = key.then_hash(system_hash_[item]);
          }
          trial_engine e(seed, trial, key.value());
          return uniform01<Real>(e) < p;
        },
        damaged, ws.reached, ws.hit, ws.segments);
    observe(incident_input{input_kind::systems_damaged}, static_cast<Real>(damaged.size()));
    sit.scenario = i;
    sit.data.assign(m_.system_count(), data_loss<Real>{});
    for (index_t s : damaged)
      sit.data[s] = realised_data_loss(m_.system_at(s), true, sc.kind, sc.dwell_time);
    sit.detection_time = sc.recovery_start_time();
    sit.staff_availability = sc.staff_availability;
    sit.release.clear();
    sit.ransom.reset();
    if (sc.ransom) {
      auto key = [&](ransom_draw role) {
        return draw_key(draw_purpose::ransom, sh, occ).then(static_cast<std::uint64_t>(role));
      };
      const auto ro = sample_ransom_outcome(
          *sc.ransom,
          [&](ransom_draw role) {
            trial_engine e(seed, trial, key(role).value());
            return uniform01<Real>(e);
          },
          [&](ransom_draw role, const distribution<Real>& d) {
            if (d.is_fixed()) return d.mean();
            trial_engine e(seed, trial, key(role).value());
            return d.sample(e);
          });
      const auto& decryption = sc.ransom->decryption;
      apply_ransom(sit, ro, [&](index_t s) {
        if (decryption.is_fixed()) return decryption.mean();
        trial_engine e(seed, trial, key(ransom_draw::decryption).then_hash(system_hash_[s]).value());
        return decryption.sample(e);
      });
    }
    // Each person of a pool short of staff is there with the pool's
    // availability, independently (at least one, as in the point plan);
    // pools of more than max_drawn_pool take the expected head count.
    constexpr int max_drawn_pool = 4096;
    const auto pools = m_.resources();
    sit.pool_capacity.resize(pools.size());
    for (std::size_t r = 0; r < pools.size(); ++r) {
      const Real a = m_.pool_availability(i, static_cast<index_t>(r));
      int there = pools[r].capacity;
      if (a < 1 && there > max_drawn_pool) {
        there = people_available(there, static_cast<double>(a));
      } else if (a < 1 && there > 0) {
        trial_engine e(seed, trial,
                       draw_key(draw_purpose::staff, sh, occ).then_hash(pool_hash_[r]).value());
        int present = 0;
        for (int person = 0; person < there; ++person) present += uniform01<Real>(e) < a;
        there = std::max(present, 1);
      }
      sit.pool_capacity[r] = there;
    }
    auto durations = [&](index_t s, recovery_phase ph, std::size_t step,
                         const distribution<Real>& d) {
      if (d.is_fixed()) return d.mean();
      trial_engine e(seed, trial,
                     draw_key(draw_purpose::duration, sh, occ)
                         .then_hash(system_hash_[s])
                         .then(static_cast<std::uint64_t>(ph))
                         .then(step)
                         .value());
      const Real value = d.sample(e);
      observe(incident_input{input_kind::step_duration, s, ph, step}, value);
      return value;
    };
    // (The situation goes into the project; `sit` gets the project's old one.)
    detail::rebuild_recovery_project(m_, *plans_, sit, durations, ws.build, ws.project, false);
    const auto& rp = ws.project;
    detail::recovery_priority(m_, rp, std::span<const index_t>(order_), ws.list, ws.priority);
    detail::serial_sgs(rp.project(), std::span<const std::size_t>(ws.list), ws.schedule, ws.sgs);
    detail::evaluate_recovery(m_, rp, ws.schedule.starts(), ws.schedule.finishes(), {},
                              ws.outcome, ws.evaluation);
    // Correlated inputs come from the copula's uniforms through their quantiles.
    const auto* corr = m_.correlations_of(i);
    auto& u = ws.uniforms;
    auto correlated = [&](std::size_t input) -> const Real* {
      if (!corr) return nullptr;
      for (std::size_t j = 0; j < corr->inputs.size(); ++j)
        if (corr->inputs[j] == input) return &u[j];
      return nullptr;
    };
    if (corr) {
      u.resize(corr->inputs.size());
      trial_engine ce(seed, trial, draw_key(draw_purpose::correlated, sh, occ).value());
      corr->copula.sample(ce, std::span<Real>(u));
    }
    Real records = sc.records_affected.mean();
    if (const Real* uj = correlated(records_affected_input)) {
      records = sc.records_affected.quantile(*uj);
    } else if (!sc.records_affected.is_fixed()) {
      trial_engine re(seed, trial, draw_key(draw_purpose::records, sh, occ).value());
      records = sc.records_affected.sample(re);
    }
    if (!sc.records_affected.is_fixed())
      observe(incident_input{input_kind::records_affected}, records);
    // Notifications: a cost per duty (role 0), and for a late one whether
    // it is sanctioned (role 1) and what the sanction costs (role 2).
    auto notice_key = [&](std::size_t d, std::uint64_t role) {
      return draw_key(draw_purpose::notification, sh, occ)
          .then_hash(notice_hash_[i][d])
          .then(role)
          .value();
    };
    const auto notices = sample_notification_costs(
        m_, i,
        [&](std::size_t d, Real p) {
          trial_engine e(seed, trial, notice_key(d, 1));
          if (!(uniform01<Real>(e) < p)) return Real(0);
          const auto& penalty = sc.notifications[d].penalty;
          if (penalty.is_fixed()) return penalty.mean();
          trial_engine a(seed, trial, notice_key(d, 2));
          return penalty.sample(a);
        },
        [&](std::size_t d, const distribution<Real>& dist) {
          trial_engine e(seed, trial, notice_key(d, 0));
          return dist.sample(e);
        });
    auto amounts = [&](std::size_t line, const distribution<Real>& d) {
      Real value;
      if (const Real* uj = correlated(line)) {
        value = d.quantile(*uj);
      } else if (d.is_fixed()) {
        return d.mean();
      } else {
        trial_engine e(seed, trial,
                       draw_key(draw_purpose::amount, sh, occ).then_hash(line_hash_[i][line]).value());
        value = d.sample(e);
      }
      observe(incident_input{input_kind::cost_amount, no_index, recovery_phase::emergency, line},
              value);
      return value;
    };
    detail::cost_of_incident(m_, i, rp, ws.outcome, records, amounts,
                             std::optional<notification_costs<Real>>(notices), ws.cost, ws.costing);
  }

  Real occurrence(index_t i, std::size_t k, std::uint64_t seed, std::uint64_t trial,
                  std::uint64_t occ, std::span<Real> out, workspace& ws) const {
    auto ignore = [](const incident_input&, Real) {};
    simulate_occurrence(i, seed, trial, occ, ws, ignore);
    const auto& cost = ws.cost;
    const auto& outcome = ws.outcome;
    for (std::size_t c = 0; c < cost_category_count; ++c) out[c] += cost.by_category[c];
    for (index_t f = 0; f < m_.function_count(); ++f) {
      out[col_function_ + f] += cost.by_function[f];
      const auto& fo = outcome.functions[f];
      if (!fo.down) continue;
      if (fo.back_degraded > m_.function_rto(f)) out[col_rto_ + f] += 1;
      if (fo.resumed > m_.function_mtpd(f)) out[col_mtpd_ + f] += 1;
    }
    for (std::size_t l = 0; l < cost.by_line.size(); ++l) out[line_offset_[k] + l] += cost.by_line[l];
    settle_event(m_.insurance(), cost.total, [&](std::size_t p) { return cost.recoverable[p]; },
                 [&](std::size_t p) -> Real& { return out[col_insured_ + p]; });
    return cost.total;
  }

  const basic_model<Real>& m_;
  simulation_options<Real> options_;
  scenario_portfolio<Real> portfolio_;
  std::vector<index_t> scenarios_;
  std::vector<std::optional<poisson<Real>>> frequency_; // events per year, by scenario
  std::size_t col_scenario_ = 0, col_function_ = 0, col_rto_ = 0, col_mtpd_ = 0, col_events_ = 0,
              col_lines_ = 0, col_insured_ = 0, columns_ = 0;
  std::vector<std::size_t> line_offset_;
  // Name hashes (stream_key::hash_name) keying the sub-streams.
  std::vector<std::size_t> visit_; // positions in scenarios_, by name
  std::vector<std::uint64_t> system_hash_, segment_hash_, scenario_hash_, pool_hash_;
  std::vector<std::vector<std::uint64_t>> line_hash_;   // by scenario, by cost line
  std::vector<std::vector<std::uint64_t>> notice_hash_; // by scenario, by notification duty
  // The procedures of every system, resolved (shared by copies of the simulation).
  std::shared_ptr<const detail::procedure_plans<Real>> plans_;
  std::vector<index_t> order_; // options_.plan.order, resolved
  mutable detail::workspace_pool<workspace> workspaces_;
};

} // namespace continuity
