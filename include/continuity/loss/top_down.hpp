// continuity/loss/top_down.hpp — top-down (FAIR-style) loss scenarios: how
// often an incident happens and how much each one costs, without modelling
// the business underneath.
#pragma once

#include <continuity/detail/exp_packets.hpp>
#include <continuity/error.hpp>
#include <continuity/loss/detail/poisson_lognormal_batch.hpp>
#include <continuity/loss/insurance.hpp>
#include <continuity/random/distribution.hpp>
#include <continuity/random/normal.hpp>


#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace continuity {

namespace detail {

/// Sums of exp(x) over events, deferred so that the exponentials run in SIMD
/// batches (detail::exp_in_packets): add(slot, x) queues exp(x) for
/// sums[slot]; flush() (also when the queue is full) adds them in queue
/// order. Every value goes through the same packet code, however the events
/// fall into batches (the batch is padded to whole packets), so the sums are
/// bit-identical for any grouping of trials. No allocation.
template <class Real>
class deferred_exp_sums {
public:
  /// Sums to add to (indexed by slot; not cleared here).
  explicit deferred_exp_sums(Real* sums) noexcept : sums_(sums) {}
  deferred_exp_sums(const deferred_exp_sums&) = delete;
  deferred_exp_sums& operator=(const deferred_exp_sums&) = delete;
  ~deferred_exp_sums() = default;

  /// Queues sums[slot] += exp(x).
  void add(std::uint32_t slot, Real x) {
    exponent_[used_] = x;
    slot_[used_] = slot;
    if (++used_ == capacity) flush();
  }
  /// Adds every queued exp(x) to its sum, in queue order.
  void flush() {
    if (used_ == 0) return;
    exp_in_packets(exponent_.data(), used_);
    for (std::size_t i = 0; i < used_; ++i) sums_[slot_[i]] += exponent_[i];
    used_ = 0;
  }

private:
  static constexpr std::size_t capacity = 256;
  alignas(64) std::array<Real, capacity + exp_packet_pad> exponent_; // written before read
  std::array<std::uint32_t, capacity> slot_;
  std::size_t used_ = 0;
  Real* sums_;
};

/// total[j] = (…(0 + columns[j]) + columns[n + j]) + … over `count` columns
/// of n entries, in column order; compiled for AVX2 and AVX-512 too.
CONTINUITY_SIMD_DISPATCH inline void add_columns(double* total, const double* columns, std::size_t n,
                                                 std::size_t count) noexcept {
  std::fill_n(total, n, 0.0);
  for (std::size_t c = 0; c < count; ++c)
    for (std::size_t j = 0; j < n; ++j) total[j] += columns[c * n + j];
}

} // namespace detail

/// How a scenario turns a year's frequency and magnitudes into its annual loss.
enum class loss_aggregation {
  /// Compound (collective risk) model: N events from the frequency, each with
  /// its own independent loss; annual loss = X_1 + … + X_N.
  compound,
  /// The FAIR product form used by several FAIR tools: annual loss = one
  /// frequency draw × one magnitude draw. Same mean as the compound model,
  /// but a fatter tail (every event in a year shares one magnitude) and the
  /// frequency may be a continuous rate. For comparison with such tools.
  fair_product_form,
};

template <class Real>
class scenario_portfolio;

/// One top-down incident scenario (e.g. "ransomware"): a frequency of events
/// per year and a per-event loss distribution.
template <class Real = double>
class loss_scenario {
public:
  /// A scenario named `name`. For loss_aggregation::compound the frequency
  /// must be a count distribution (poisson, negative binomial, a fixed
  /// non-negative integer, resampled integer data); for the FAIR product form
  /// any distribution of non-negative mean. Throws value_error otherwise.
  loss_scenario(std::string name, distribution<Real> frequency, distribution<Real> loss_per_event,
                loss_aggregation aggregation = loss_aggregation::compound)
      : name_(std::move(name)), frequency_(std::move(frequency)),
        loss_per_event_(std::move(loss_per_event)), aggregation_(aggregation) {
    if (aggregation_ == loss_aggregation::compound && !frequency_.is_count())
      throw value_error("scenario", name_, "frequency",
                        "must be a count distribution (poisson, negative binomial, a fixed "
                        "non-negative integer or integer data), got " +
                            std::string(frequency_.name()));
    if (!(frequency_.mean() >= 0) || !std::isfinite(frequency_.mean()))
      throw value_error("scenario", name_, "frequency",
                        "must have a finite non-negative mean, got " +
                            detail::format_number(frequency_.mean()));
    if (!(frequency_.quantile(Real(0)) >= 0))
      throw value_error("scenario", name_, "frequency",
                        "must not take negative values; the " + std::string(frequency_.name()) +
                            " given can take " + detail::format_number(frequency_.quantile(Real(0))));
    if (!(loss_per_event_.quantile(Real(0)) >= 0))
      throw value_error("scenario", name_, "loss_per_event",
                        "must not take negative values (a loss is a cost); the " +
                            std::string(loss_per_event_.name()) + " given can take " +
                            detail::format_number(loss_per_event_.quantile(Real(0))));
    if (!std::isfinite(loss_per_event_.mean()))
      throw value_error("scenario", name_, "loss_per_event",
                        "must have a finite mean; the " + std::string(loss_per_event_.name()) +
                            " given has none");
  }

  /// The scenario's name (its column in per-scenario results).
  const std::string& name() const noexcept { return name_; }
  /// Events per year.
  const distribution<Real>& frequency() const noexcept { return frequency_; }
  /// Loss of one event.
  const distribution<Real>& loss_per_event() const noexcept { return loss_per_event_; }
  /// Compound or FAIR product form.
  loss_aggregation aggregation() const noexcept { return aggregation_; }

  /// One year's loss of this scenario: the frequency draw (the number of
  /// events, or the product form's frequency), then the events' losses.
  template <class Engine>
  Real annual_loss(Engine& engine) const {
    Real loss = 0;
    detail::deferred_exp_sums<Real> sums(&loss);
    const Real events = sample_frequency(engine);
    loss += sample_losses(engine, events, sums, 0);
    sums.flush();
    return loss;
  }
  /// Expected annual loss E[N]·E[X] (both aggregation forms; Wald's identity).
  Real mean_annual_loss() const { return frequency_.mean() * loss_per_event_.mean(); }

private:
  friend class scenario_portfolio<Real>;

  // The first part of a year: the number of events (compound), or the
  // frequency (product form).
  template <class Engine>
  Real sample_frequency(Engine& engine) const {
    if (aggregation_ == loss_aggregation::fair_product_form) return frequency_.sample(engine);
    const auto* pois = std::get_if<poisson<Real>>(&frequency_.family());
    return static_cast<Real>(pois ? pois->count(engine) : frequency_.sample_count(engine));
  }
  // One event's loss of a compound scenario, drawn and computed exactly as
  // sample_losses draws and adds it (a lognormal's exponential through
  // exp_in_packets, in `buffer`, whose padding must be initialised).
  template <class Engine>
  Real sample_event(Engine& engine, std::array<Real, 1 + detail::exp_packet_pad>& buffer) const {
    if (const auto* logn = std::get_if<lognormal<Real>>(&loss_per_event_.family())) {
      buffer[0] = logn->mu() + logn->sigma() * standard_normal<Real>(engine);
      detail::exp_in_packets(buffer.data(), 1);
      return buffer[0];
    }
    return loss_per_event_.sample(engine);
  }
  // The second part: the loss of `events` events. Lognormal event losses
  // exp(mu + sigma·z) are queued on `sums` at `slot` (added when it is
  // flushed) and 0 is returned; other losses are returned.
  template <class Engine>
  Real sample_losses(Engine& engine, Real events, detail::deferred_exp_sums<Real>& sums,
                     std::uint32_t slot) const {
    if (aggregation_ == loss_aggregation::fair_product_form)
      return events == 0 ? Real(0) : events * loss_per_event_.sample(engine);
    const auto count = static_cast<std::uint64_t>(events);
    // The common lognormal case without the variant dispatch per draw, its
    // exponentials batched.
    if (const auto* logn = std::get_if<lognormal<Real>>(&loss_per_event_.family())) {
      for (std::uint64_t k = 0; k < count; ++k)
        sums.add(slot, logn->mu() + logn->sigma() * standard_normal<Real>(engine));
      return 0;
    }
    Real total = 0;
    for (std::uint64_t k = 0; k < count; ++k) total += loss_per_event_.sample(engine);
    return total;
  }

  std::string name_;
  distribution<Real> frequency_, loss_per_event_;
  loss_aggregation aggregation_;
};

/// A scenario in FAIR product form: annual loss = frequency × one magnitude.
template <class Real = double>
loss_scenario<Real> fair_product_form(std::string name, distribution<Real> frequency,
                                      distribution<Real> magnitude) {
  return loss_scenario<Real>(std::move(name), std::move(frequency), std::move(magnitude),
                             loss_aggregation::fair_product_form);
}

/// A portfolio of independent top-down scenarios; the annual loss is the sum
/// of the scenarios' annual losses. A trial model for continuity::run: the
/// breakdown of a trial is the loss of each scenario, then what each of the
/// portfolio's insurance policies paid ("insured:<policy>").
///
/// A year draws, from the trial's engine, first every scenario's frequency
/// (in scenario order), then every scenario's event losses (in scenario
/// order). For a single scenario this is loss_scenario::annual_loss.
/// Insurance policies (loss/insurance.hpp) apply to each event of the
/// scenarios they cover, in that order; they draw nothing, so a portfolio's
/// losses are the same with and without them.
template <class Real = double>
class scenario_portfolio {
public:
  /// The real type of losses.
  using real_type = Real;

  /// An empty portfolio.
  scenario_portfolio() = default;
  /// A portfolio of `scenarios` (names must be unique: duplicate_error).
  explicit scenario_portfolio(std::vector<loss_scenario<Real>> scenarios) {
    for (auto& s : scenarios) add(std::move(s));
  }

  /// A portfolio of `scenarios` insured by `policies` (see insure).
  scenario_portfolio(std::vector<loss_scenario<Real>> scenarios,
                     std::vector<insurance_policy<Real>> policies)
      : scenario_portfolio(std::move(scenarios)) {
    for (auto& p : policies) insure(std::move(p));
  }

  /// Adds a scenario (throws duplicate_error if its name is taken, and
  /// value_error for a scenario in FAIR product form when an insurance
  /// policy covers every scenario).
  scenario_portfolio& add(loss_scenario<Real> scenario) {
    for (const auto& s : scenarios_)
      if (s.name() == scenario.name())
        throw duplicate_error("scenario", scenario.name(), "name",
                              "another scenario of the portfolio has this name");
    if (scenario.aggregation() == loss_aggregation::fair_product_form)
      for (const auto& p : policies_)
        if (p.scenarios.empty())
          throw value_error("scenario", scenario.name(), "aggregation",
                            "is the FAIR product form, whose years have no events of their "
                            "own, and insurance policy '" + p.name +
                                "' covers every scenario of the portfolio");
    scenarios_.push_back(std::move(scenario));
    cover_scenarios();
    prepare_batch_kernel();
    return *this;
  }
  /// Adds an insurance policy covering the scenarios it names (every
  /// scenario of the portfolio, present and future, if it names none), per
  /// event. A top-down event has no cost categories and no outage: its
  /// whole loss is covered loss (sub-limits and the waiting period do not
  /// apply). Throws value_error for invalid terms (check_insurance_policy)
  /// or a scenario in FAIR product form among those it covers,
  /// duplicate_error for a name taken, reference_error for an unknown
  /// scenario; each names the policy and the field.
  scenario_portfolio& insure(insurance_policy<Real> policy) {
    policies_.push_back(std::move(policy));
    try {
      check_insurance(std::span<const insurance_policy<Real>>(policies_),
                      [&](const std::string& n) { return scenario_index(n) != scenarios_.size(); },
                      "scenario of the portfolio");
      const auto& p = policies_.back();
      for (const auto& s : scenarios_)
        if (s.aggregation() == loss_aggregation::fair_product_form && p.covers(s.name()))
          throw value_error("insurance policy", p.name, "scenarios",
                            "covers scenario '" + s.name() +
                                "' in FAIR product form, whose years have no events of their "
                                "own to insure; name the scenarios the policy covers");
    } catch (...) {
      policies_.pop_back();
      throw;
    }
    cover_scenarios();
    prepare_batch_kernel();
    return *this;
  }
  /// The scenarios in order.
  std::span<const loss_scenario<Real>> scenarios() const noexcept { return scenarios_; }
  /// Number of scenarios.
  std::size_t size() const noexcept { return scenarios_.size(); }
  /// The insurance policies in order.
  std::span<const insurance_policy<Real>> insurance() const noexcept { return policies_; }

  /// Expected annual loss: the sum of the scenarios' E[N]·E[X].
  Real mean_annual_loss() const {
    Real total = 0;
    for (const auto& s : scenarios_) total += s.mean_annual_loss();
    return total;
  }

  /// Trial-model interface: one column per scenario, then one per
  /// insurance policy.
  std::size_t breakdown_size() const noexcept { return scenarios_.size() + policies_.size(); }
  /// Trial-model interface: the scenario names, then "insured:<policy>".
  std::vector<std::string> breakdown_names() const {
    std::vector<std::string> names;
    names.reserve(breakdown_size());
    for (const auto& s : scenarios_) names.push_back(s.name());
    for (const auto& p : policies_) names.push_back("insured:" + p.name);
    return names;
  }
  /// Trial-model interface: the columns of what each policy paid.
  std::pair<std::size_t, std::size_t> insured_columns() const noexcept {
    return {scenarios_.size(), breakdown_size()};
  }
  /// Trial-model interface: one year; writes each scenario's loss, then
  /// what each policy paid, to `breakdown` (size breakdown_size()) and
  /// returns the total loss.
  template <class Engine>
  Real operator()(Engine& engine, std::span<Real> breakdown) const {
    Real total = 0;
    evaluate_batch(std::span<Engine>(&engine, 1), std::span<Real>(&total, 1), breakdown);
    return total;
  }
  /// One year, as operator() computes it, with the scenarios' losses
  /// written to `by_scenario` (size()) and what each policy paid to
  /// `by_policy` (insurance().size()): for a portfolio within a larger
  /// trial model. Returns the total loss.
  template <class Engine>
  Real year(Engine& engine, std::span<Real> by_scenario, std::span<Real> by_policy) const {
    if (policies_.empty()) return (*this)(engine, by_scenario);
    sample_insured_year(engine, by_scenario.data(), by_policy.data(), 1, 0);
    Real total = 0;
    add_up(1, std::span<Real>(&total, 1), by_scenario);
    return total;
  }
  /// Trial-model batch interface: the years of several trials at once, trial
  /// j from engines[j]; writes its total to annual[j], its loss of
  /// scenario s to by_scenario[s * n + j] (n = engines.size()) and what
  /// policy p paid to by_scenario[(size() + p) * n + j]. Exactly the
  /// results of operator() on each engine, computed faster: the
  /// exponentials of all the trials' events run in SIMD batches, and when
  /// every scenario is compound Poisson (λ < 10) – lognormal, the trials'
  /// draws are made side by side too. (With insurance, each event's loss is
  /// needed on its own: the events are computed one by one, to the same
  /// figures.)
  template <class Engine>
  void evaluate_batch(std::span<Engine> engines, std::span<Real> annual,
                      std::span<Real> by_scenario) const {
    const std::size_t n = engines.size();
    if (!policies_.empty()) {
      Real* by_policy = by_scenario.data() + scenarios_.size() * n;
      for (std::size_t j = 0; j < n; ++j)
        sample_insured_year(engines[j], by_scenario.data(), by_policy, n, j);
      add_up(n, annual, by_scenario);
      return;
    }
    detail::deferred_exp_sums<Real> sums(by_scenario.data());
    bool side_by_side = false;
    if constexpr (std::is_same_v<Engine, trial_engine> && std::is_same_v<Real, double>) {
      side_by_side = !batch_kernel_.empty();
      if (side_by_side) {
        for (std::size_t first = 0; first < n; first += trial_engine_group::capacity) {
          const std::size_t size = std::min(trial_engine_group::capacity, n - first);
          trial_engine_group group(std::span<const trial_engine>(engines.subspan(first, size)));
          kernel_years(group, by_scenario.data(), n, first, sums);
          for (std::size_t j = 0; j < size; ++j)
            detail::trial_engine_state::set(engines[first + j], group.state0[j], group.state1[j]);
        }
      }
    }
    if (!side_by_side)
      for (std::size_t j = 0; j < n; ++j) sample_year(engines[j], by_scenario.data(), n, j, sums);
    sums.flush();
    add_up(n, annual, by_scenario);
  }
  /// Trial-model group interface: evaluate_batch on the engines of a
  /// trial_engine_group (n = engines.size()), without an array of engine
  /// objects when the batch kernel applies. The lanes are left after their
  /// draws.
  void evaluate_group(trial_engine_group& engines, std::span<Real> annual,
                      std::span<Real> by_scenario) const {
    const std::size_t n = engines.size();
    if (!std::is_same_v<Real, double> || batch_kernel_.empty() || !policies_.empty()) {
      std::array<trial_engine, trial_engine_group::capacity> one_by_one;
      for (std::size_t j = 0; j < n; ++j) one_by_one[j] = engines.engine(j);
      evaluate_batch(std::span<trial_engine>(one_by_one.data(), n), annual, by_scenario);
      for (std::size_t j = 0; j < n; ++j) engines.set(j, one_by_one[j]);
      return;
    }
    if constexpr (std::is_same_v<Real, double>) {
      detail::deferred_exp_sums<Real> sums(by_scenario.data());
      kernel_years(engines, by_scenario.data(), n, 0, sums);
      sums.flush();
      add_up(n, annual, by_scenario);
    }
  }

private:
  // The years of trials first .. first + group.size() (of n) by the batch
  // kernel (Real = double, no insurance); the trials it leaves over are
  // sampled one by one, each from its lane of `group`, which is left after
  // its trial's draws.
  void kernel_years(trial_engine_group& group, Real* by_scenario, std::size_t n,
                    std::size_t first, detail::deferred_exp_sums<Real>& sums) const
    requires std::is_same_v<Real, double> {
    const auto left = detail::poisson_lognormal_years(batch_kernel_, group, by_scenario + first, n);
    for (std::uint64_t rest = left.years; rest != 0; rest &= rest - 1) {
      const auto k = static_cast<std::size_t>(std::countr_zero(rest));
      trial_engine engine = group.engine(k);
      sample_year(engine, by_scenario, n, first + k, sums);
      group.set(k, engine);
    }
  }
  // Trial j's year, one draw after another: by_scenario[s * n + j] is set
  // to scenario s's loss once `sums` (which adds to by_scenario) is flushed.
  template <class Engine>
  void sample_year(Engine& engine, Real* by_scenario, std::size_t n, std::size_t j,
                   detail::deferred_exp_sums<Real>& sums) const {
    for (std::size_t s = 0; s < scenarios_.size(); ++s) // the frequencies, kept in place meanwhile
      by_scenario[s * n + j] = scenarios_[s].sample_frequency(engine);
    sample_year_losses(engine, by_scenario, n, j, sums);
  }
  // The second part of trial j's year: by_scenario[s * n + j] holds scenario
  // s's frequency, and becomes its loss.
  template <class Engine>
  void sample_year_losses(Engine& engine, Real* by_scenario, std::size_t n, std::size_t j,
                          detail::deferred_exp_sums<Real>& sums) const {
    const std::size_t count = scenarios_.size();
    for (std::size_t s = 0; s < count; ++s) {
      const auto slot = static_cast<std::uint32_t>(s * n + j);
      const Real events = by_scenario[slot];
      by_scenario[slot] = 0;
      by_scenario[slot] += scenarios_[s].sample_losses(engine, events, sums, slot);
    }
  }
  // Trial j's year with insurance: as sample_year, each event's loss
  // computed on its own (to the same figure) and settled with the policies
  // covering its scenario; what policy p paid goes to by_policy[p * n + j].
  template <class Engine>
  void sample_insured_year(Engine& engine, Real* by_scenario, Real* by_policy, std::size_t n,
                           std::size_t j) const {
    const std::size_t count = scenarios_.size();
    for (std::size_t s = 0; s < count; ++s)
      by_scenario[s * n + j] = scenarios_[s].sample_frequency(engine);
    for (std::size_t p = 0; p < policies_.size(); ++p) by_policy[p * n + j] = 0;
    alignas(64) std::array<Real, 1 + detail::exp_packet_pad> buffer{};
    const std::span<const insurance_policy<Real>> policies(policies_);
    for (std::size_t s = 0; s < count; ++s) {
      const auto& sc = scenarios_[s];
      Real& loss = by_scenario[s * n + j];
      const Real events = loss;
      loss = 0;
      if (sc.aggregation() == loss_aggregation::fair_product_form) { // never insured
        detail::deferred_exp_sums<Real> unused(&loss);
        loss += sc.sample_losses(engine, events, unused, 0);
        continue;
      }
      const auto k_events = static_cast<std::uint64_t>(events);
      for (std::uint64_t k = 0; k < k_events; ++k) {
        const Real x = sc.sample_event(engine, buffer);
        loss += x;
        settle_event(
            policies, x,
            [&](std::size_t p) { return cover_[p * count + s] ? insured_event(policies_[p], x) : Real(0); },
            [&](std::size_t p) -> Real& { return by_policy[p * n + j]; });
      }
    }
  }
  // Index of the scenario called `name`, or size().
  std::size_t scenario_index(const std::string& name) const {
    for (std::size_t s = 0; s < scenarios_.size(); ++s)
      if (scenarios_[s].name() == name) return s;
    return scenarios_.size();
  }
  // cover_[p * size() + s]: whether policy p covers scenario s.
  void cover_scenarios() {
    cover_.clear();
    for (const auto& p : policies_)
      for (const auto& s : scenarios_) cover_.push_back(p.covers(s.name()) ? 1 : 0);
  }
  // annual[j] = the sum of trial j's scenario losses, in scenario order.
  void add_up(std::size_t n, std::span<Real> annual, std::span<const Real> by_scenario) const {
    if constexpr (std::is_same_v<Real, double>) {
      detail::add_columns(annual.data(), by_scenario.data(), n, scenarios_.size());
      return;
    }
    std::fill_n(annual.begin(), n, Real(0));
    for (std::size_t s = 0; s < scenarios_.size(); ++s)
      for (std::size_t j = 0; j < n; ++j) annual[j] += by_scenario[s * n + j];
  }
  // The batch kernel's parameters when every scenario suits it (compound,
  // Poisson with λ < 10, lognormal losses, at most 16 scenarios), else none.
  void prepare_batch_kernel() {
    batch_kernel_.clear();
    if constexpr (std::is_same_v<Real, double>) {
      if (scenarios_.size() > detail::poisson_lognormal_batch::max_scenarios) return;
      std::vector<detail::poisson_lognormal_parameters> kernel;
      for (const auto& s : scenarios_) {
        const auto* pois = std::get_if<poisson<Real>>(&s.frequency().family());
        const auto* logn = std::get_if<lognormal<Real>>(&s.loss_per_event().family());
        if (s.aggregation() != loss_aggregation::compound || !pois || !logn ||
            !(pois->rate() < detail::poisson_inversion_limit))
          return;
        kernel.push_back(detail::poisson_lognormal_parameters::make(pois->inversion_table(),
                                                                    logn->mu(), logn->sigma()));
      }
      batch_kernel_ = std::move(kernel);
    }
  }

  std::vector<loss_scenario<Real>> scenarios_;
  std::vector<insurance_policy<Real>> policies_;
  std::vector<std::uint8_t> cover_; // per policy × scenario: 1 if it covers it
  std::vector<detail::poisson_lognormal_parameters> batch_kernel_;
};

} // namespace continuity
