// model_builder_fuzzer — the structure-aware harness: the fuzzer's bytes are
// choices (FuzzedDataProvider) that build a model_spec directly, so that
// most inputs are valid models and reach the analyses (fuzz/analyses.hpp).
//
// It builds: a priority matrix and RTO table preset, a cycle policy (with
// "group", dependencies may point at later systems and form cycles),
// resource pools; systems with layers, sides, segments, dependencies
// (all of / any of / k of n) on earlier systems, backups, data re-entry and
// recovery procedures (two phases, steps of every kind with fixed or
// distributed durations, a duration without backup, resource needs within
// the pools' capacities, finish-to-start and start-to-start links with
// lags); business functions with objectives (kept feasible: an MTPD after
// RTO + WRT, RPOs every backed-up system can meet), revenue, impact curves,
// manual workarounds and needs; scenarios of every kind with damage
// selectors, dwell and detection times, staff availability, records
// affected, cost lines of every driver, attack spread over segments and rank
// correlations. Values come mostly from small sets of typical figures, and
// sometimes from the whole valid range (up to the model's limits).
//
// Each model is validated; a valid model is written with to_json, read back
// with parse_json_text + read_model_spec (must give the same specification)
// and analysed. With CONTINUITY_FUZZ_WRITE_JSON=<dir> the valid models are
// also written there as JSON files (seeds for model_json_fuzzer).
#include "analyses.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

namespace {

using namespace continuity;

struct counters {
  std::uint64_t inputs = 0, valid = 0;
  ~counters() {
    if (inputs)
      std::fprintf(stderr, "fuzz: %llu inputs, %llu valid models (%.1f %%)\n",
                   static_cast<unsigned long long>(inputs), static_cast<unsigned long long>(valid),
                   100.0 * double(valid) / double(inputs));
  }
} stats;

class builder {
public:
  explicit builder(FuzzedDataProvider& p) : p_(p) {}

  template <class T>
  T pick(std::initializer_list<T> values) {
    return *(values.begin() + p_.ConsumeIntegralInRange<std::size_t>(0, values.size() - 1));
  }
  bool coin() { return p_.ConsumeBool(); }
  /// True about once in `n`.
  /// (False once the bytes are used up, like coin().)
  bool rarely(unsigned n = 8) { return p_.ConsumeIntegralInRange<unsigned>(0, n - 1) == n - 1; }
  std::size_t count(std::size_t lo, std::size_t hi) {
    return p_.ConsumeIntegralInRange<std::size_t>(lo, hi);
  }
  double fraction() {
    return rarely(4) ? p_.ConsumeProbability<double>() : pick({0.0, 0.1, 0.25, 0.5, 0.8, 1.0});
  }
  double hours(double limit = max_hours) {
    if (rarely(8)) return p_.ConsumeFloatingPointInRange<double>(0, limit);
    return std::min(limit, pick({0.0, 0.25, 1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0,
                                 720.0, 2160.0}));
  }
  double amount(double limit = max_amount) {
    if (rarely(8)) return p_.ConsumeFloatingPointInRange<double>(0, limit);
    return std::min(limit, pick({0.0, 1.0, 50.0, 1000.0, 2.5e4, 1e6, 3e7, 1e9}));
  }

  /// A non-negative distribution with mean at most about `limit`.
  distribution<double> dist(double limit) {
    const double scale = std::min(limit / 20, pick({1.0, 4.0, 24.0, 100.0, 1e4, 1e6}));
    switch (count(0, 10)) {
    case 0:
      return distribution<double>(coin() ? scale : p_.ConsumeFloatingPointInRange(0.0, limit));
    case 1: {
      const double lo = scale * pick({0.1, 0.5, 1.0}), hi = lo * pick({1.5, 3.0, 10.0});
      return lognormal<double>::from_interval90(lo, hi);
    }
    case 2: {
      const double a = scale * fraction(), b = a + scale * fraction(),
                   c = b + scale * (0.01 + fraction());
      return pert<double>(a, b, c);
    }
    case 3: {
      const double a = scale * fraction(), b = a + scale * fraction(),
                   c = b + scale * (0.01 + fraction());
      return triangular<double>(a, b, c);
    }
    case 4: {
      const double a = scale * fraction();
      return uniform<double>(a, a + scale * (0.01 + fraction()));
    }
    case 5:
      return truncated_normal<double>(scale, scale * (0.01 + fraction()), 0.0,
                                      coin() ? std::numeric_limits<double>::infinity()
                                             : scale * pick({1.0, 2.0, 5.0}));
    case 6:
      return continuity::gamma<double>(pick({0.5, 1.0, 2.0, 9.0}), scale * pick({0.1, 0.5, 1.0}));
    case 7: {
      const double a = pick({0.5, 1.0, 2.0, 5.0}), b = pick({0.5, 1.0, 3.0});
      return continuity::beta<double>(a, b);
    }
    case 8:
      return poisson<double>(scale * fraction());
    case 9: {
      const double mean = scale * pick({0.1, 0.5, 1.0});
      return negative_binomial<double>::from_mean_variance(mean, mean * pick({1.5, 2.0, 10.0}));
    }
    default: {
      std::vector<double> obs(count(1, 5));
      for (auto& x : obs) x = scale * fraction();
      return empirical<double>(std::move(obs));
    }
    }
  }

  requirement needs(const std::vector<std::string>& candidates) {
    std::vector<std::string> pool = candidates, chosen;
    const std::size_t k = count(1, std::min<std::size_t>(4, pool.size()));
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = count(0, pool.size() - 1);
      chosen.push_back(pool[j]);
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(j));
    }
    const std::size_t n = chosen.size();
    switch (count(0, 2)) {
    case 0: return requirement::all_of(std::move(chosen));
    case 1: return requirement::any_of(std::move(chosen));
    default: return requirement::k_of_n(count(1, n), std::move(chosen));
    }
  }

  std::vector<recovery_step<double>> steps(std::size_t n, const std::string& prefix,
                                           std::vector<std::string>& earlier,
                                           const std::vector<resource_pool>& pools) {
    std::vector<recovery_step<double>> out;
    for (std::size_t i = 0; i < n; ++i) {
      recovery_step<double> st;
      st.name = prefix + std::to_string(i);
      st.kind = static_cast<step_kind>(count(0, step_kind_count - 1));
      st.duration = dist(pick({24.0, 720.0, max_hours}));
      if (rarely(4)) st.duration_without_backup = dist(720.0);
      for (std::size_t d = count(0, 2); d > 0 && !pools.empty(); --d) {
        const auto& pool = pools[count(0, pools.size() - 1)];
        if (pool.capacity < 1) continue;
        bool dup = false;
        for (const auto& x : st.needs) dup |= x.resource == pool.name;
        if (dup) continue;
        st.needs.push_back({pool.name, static_cast<int>(count(1, std::size_t(pool.capacity)))});
      }
      for (std::size_t a = coin() ? 0 : count(0, 2); a > 0 && !earlier.empty(); --a) {
        step_link<double> l;
        l.step = earlier[count(0, earlier.size() - 1)];
        l.start_to_start = coin();
        l.lag = rarely(3) ? hours(168) : 0.0;
        st.after.push_back(l);
      }
      earlier.push_back(st.name);
      out.push_back(std::move(st));
    }
    return out;
  }

  model_spec build() {
    model_spec m;
    m.name = "fuzz";
    if (coin()) m.priorities = priority_matrix::five_level();
    m.rto_by_class = *basic_rto_table<double>::preset(pick({"example-1", "example-2", "example-3"}));
    const bool group = rarely(6);
    if (group) m.cycles = cycle_policy::group_strongly_connected;

    // Resource pools.
    const char* pool_names[] = {"IT staff", "vendor", "clerks", "spare server"};
    for (std::size_t r = count(0, 4); r > 0; --r) {
      resource_pool pool;
      pool.name = pool_names[m.resources.size()];
      pool.kind = coin() ? resource_kind::people : resource_kind::equipment;
      pool.capacity = static_cast<int>(rarely(10) ? 0 : count(1, 4));
      m.resources.push_back(pool);
    }
    const std::vector<resource_pool> pools =
        m.resources.empty()
            ? std::vector<resource_pool>{{std::string(default_staff_name), resource_kind::people, 1}}
            : m.resources;

    // Counts first, then the scenarios (so that short inputs reach them too),
    // then the systems and functions they refer to by name.
    const std::size_t ns = count(1, 12);
    std::vector<std::string> names;
    for (std::size_t s = 0; s < ns; ++s) names.push_back("sys" + std::to_string(s));
    const std::size_t nf = count(1, 6);
    std::vector<std::string> function_names;
    for (std::size_t f = 0; f < nf; ++f) function_names.push_back("fn" + std::to_string(f));
    // Segments a scenario may name; those no system ends up in are removed below.
    const std::vector<std::string> segments_used{"office", "dmz", "servers", "plant"};
    // Scenarios.
    for (std::size_t i = count(0, 4); i > 0; --i) {
      incident_scenario<double> sc;
      sc.name = "sc" + std::to_string(m.scenarios.size());
      sc.kind = static_cast<incident_kind>(count(0, incident_kind_count - 1));
      sc.annual_frequency = rarely(8) ? p_.ConsumeFloatingPointInRange(0.0, max_annual_frequency)
                                      : pick({0.0, 0.01, 0.1, 0.5, 1.0, 4.0});
      for (std::size_t d = count(0, 2); d > 0; --d) {
        damage_selector sel;
        if (coin())
          for (std::size_t l = count(1, 2); l > 0; --l)
            sel.layers.push_back(static_cast<asset_layer>(count(0, asset_layer_count - 1)));
        if (rarely(3))
          sel.segments.push_back(segments_used[count(0, segments_used.size() - 1)]);
        if (coin() || (sel.layers.empty() && sel.segments.empty()))
          sel.systems.push_back(names[count(0, names.size() - 1)]);
        sc.damage.push_back(std::move(sel));
      }
      if (sc.kind == incident_kind::ransomware || rarely(4)) sc.dwell_time = hours(720);
      sc.staff_availability = rarely(4) ? fraction() : 1.0;
      sc.detection_time = rarely(3) ? hours(72) : 0.0;
      if (rarely(3)) sc.records_affected = dist(1e6);
      for (std::size_t c = count(0, 4); c > 0; --c) {
        cost_line<double> line;
        line.name = "cost" + std::to_string(sc.costs.size());
        line.category = static_cast<cost_category>(count(0, cost_category_count - 1));
        line.driver = static_cast<cost_driver>(count(0, cost_driver_count - 1));
        line.amount = dist(line.driver == cost_driver::revenue_fraction ? 1.0 : 1e7);
        if ((line.driver == cost_driver::per_outage_hour ||
             line.driver == cost_driver::revenue_fraction) && coin())
          line.function = function_names[count(0, nf - 1)];
        if (line.driver == cost_driver::per_lost_record && coin())
          line.system = names[count(0, names.size() - 1)];
        sc.costs.push_back(std::move(line));
      }
      if (rarely(3)) {
        attack_spread<double> sp;
        for (std::size_t e = count(1, 2); e > 0; --e) sp.entry.push_back(names[count(0, ns - 1)]);
        if (coin()) {
          damage_selector t;
          if (coin()) t.layers.push_back(static_cast<asset_layer>(count(0, asset_layer_count - 1)));
          if (coin() || t.layers.empty()) t.systems.push_back(names[count(0, ns - 1)]);
          sp.targets.push_back(std::move(t));
        }
        sp.within_segment = fraction();
        for (std::size_t c = count(0, 4); c > 0; --c)
          sp.connections.push_back({segments_used[count(0, segments_used.size() - 1)],
                                    segments_used[count(0, segments_used.size() - 1)], fraction()});
        sc.spread = std::move(sp);
      }
      std::vector<std::string> inputs{"records_affected"};
      for (const auto& line : sc.costs) inputs.push_back(line.name);
      for (std::size_t c = inputs.size() > 1 && rarely(3) ? count(1, 3) : 0; c > 0; --c) {
        const std::size_t a = count(0, inputs.size() - 1);
        std::size_t b = count(0, inputs.size() - 2);
        if (b >= a) ++b;
        sc.correlations.push_back({inputs[a], inputs[b], pick({-0.5, 0.3, 0.7, 0.95})});
      }
      m.scenarios.push_back(std::move(sc));
    }
    // Systems.
    std::vector<std::string> segments_in_use;
    for (std::size_t s = 0; s < ns; ++s) {
      it_system<double> x;
      x.name = names[s];
      x.layer = static_cast<asset_layer>(count(0, asset_layer_count - 1));
      x.side = coin() ? asset_side::server : asset_side::client;
      x.segment = pick<std::string>({"", "office", "dmz", "servers", "plant"});
      if (!x.segment.empty()) segments_in_use.push_back(x.segment);
      // Dependencies on earlier systems (any system with the group policy).
      std::vector<std::string> candidates(names.begin(),
                                          names.begin() + static_cast<std::ptrdiff_t>(s));
      if (group)
        for (std::size_t t = s + 1; t < ns; ++t) candidates.push_back(names[t]);
      for (std::size_t d = count(0, 2); d > 0 && !candidates.empty(); --d)
        x.depends_on.push_back(needs(candidates));
      for (std::size_t b = count(0, 2); b > 0; --b) {
        backup<double> bk;
        bk.interval = pick({1.0, 4.0, 12.0, 24.0, 168.0});
        bk.generations = static_cast<unsigned>(count(1, 7));
        bk.medium = pick<std::string>({"disk", "nas", "tape", "cloud", "usb"});
        bk.mode = static_cast<backup_mode>(count(0, 2));
        bk.offsite = coin();
        bk.restore_time = hours(720);
        x.backups.push_back(bk);
      }
      if (rarely(4)) x.holds_data = coin();
      if (coin()) {
        x.transactions_per_hour = amount(1e4);
        x.reentry_hours_per_transaction = hours(1);
      }
      if (rarely(3)) {
        const auto& pool = pools[count(0, pools.size() - 1)];
        if (pool.capacity >= 1) {
          x.reentry_by = pool.name;
          x.reentry_staff = static_cast<int>(count(1, std::size_t(pool.capacity)));
        }
      }
      if (coin()) {
        recovery_procedure<double> proc;
        std::vector<std::string> earlier;
        proc.emergency = steps(count(1, 4), "e", earlier, pools);
        proc.permanent = steps(count(0, 4), "p", earlier, pools);
        proc.emergency_capacity = rarely(4) ? 1.0 : pick({0.1, 0.5, 0.8});
        x.recovery = std::move(proc);
      }
      m.systems.push_back(std::move(x));
    }

    // Business functions.
    const int levels = m.priorities.levels();
    for (std::size_t f = 0; f < nf; ++f) {
      business_function<double> fn;
      fn.name = function_names[f];
      fn.importance = static_cast<int>(count(1, std::size_t(levels)));
      fn.system_dependency = static_cast<int>(count(1, std::size_t(levels)));
      fn.emergency = rarely(6);
      if (coin()) fn.rto = hours(720);
      if (rarely(3)) fn.rpo = pick({4.0, 24.0, 168.0});
      fn.wrt = rarely(3) ? hours(72) : 0.0;
      if (rarely(3)) {
        const auto cls = fn.emergency ? priority_class::S
                                      : m.priorities.classify(fn.importance, fn.system_dependency);
        const double rto = fn.rto ? *fn.rto : m.rto_by_class.rto(cls);
        if (std::isfinite(rto)) fn.mtpd = std::min(max_hours, rto + fn.wrt + hours(720));
        if (fn.mtpd && !(rto + fn.wrt <= *fn.mtpd)) fn.mtpd.reset();
      }
      fn.revenue_per_day = amount(1e12);
      fn.margin = fraction();
      fn.operating_days_per_week = pick({5.0, 6.0, 7.0, 0.5});
      for (std::size_t c = count(0, 2); c > 0; --c) {
        impact_curve<double> curve;
        curve.category = pick<std::string>({"opportunity", "reputation", "liability", "legal"});
        double after = 0;
        for (std::size_t st = count(0, 3); st > 0; --st) {
          after += pick({0.0, 1.0, 4.0, 24.0, 72.0}) + (curve.steps.empty() ? 0.0 : 1.0);
          curve.steps.push_back({after, amount(1e9), rarely(3) ? amount(1e9) : 0.0});
        }
        fn.impact.push_back(std::move(curve));
      }
      if (rarely(3)) fn.workaround = manual_workaround<double>{
          fraction(), hours(72), coin() ? std::numeric_limits<double>::infinity() : hours(2160)};
      for (std::size_t d = count(0, 3); d > 0; --d) fn.needs.push_back(needs(names));
      m.functions.push_back(std::move(fn));
    }
    // RPOs: every system with data that a function with an RPO needs gets a
    // backup that can meet the tightest RPO in the model.
    double tightest = std::numeric_limits<double>::infinity();
    for (const auto& fn : m.functions)
      if (fn.rpo) tightest = std::min(tightest, *fn.rpo);
    if (std::isfinite(tightest))
      for (auto& x : m.systems) {
        if (!x.has_data()) continue;
        if (x.backups.empty()) x.backups.push_back({});
        x.backups.front().interval = std::min(x.backups.front().interval, tightest);
      }
    // Segments no system is in: drop them from damage selectors and spreads.
    auto in_use = [&](const std::string& g) {
      return std::find(segments_in_use.begin(), segments_in_use.end(), g) != segments_in_use.end();
    };
    for (auto& sc : m.scenarios) {
      for (auto& sel : sc.damage) {
        std::erase_if(sel.segments, [&](const std::string& g) { return !in_use(g); });
        if (sel.layers.empty() && sel.segments.empty() && sel.systems.empty())
          sel.systems.push_back(names.front());
      }
      if (sc.spread)
        std::erase_if(sc.spread->connections, [&](const segment_connection<double>& c) {
          return !in_use(c.from) || !in_use(c.to);
        });
    }

    return m;
  }

private:
  FuzzedDataProvider& p_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider p(data, size);
  const std::uint32_t variant = p.ConsumeIntegral<std::uint32_t>();
  ++stats.inputs;
  model_spec spec;
  std::optional<model> m;
  try {
    spec = builder(p).build();
    m.emplace(spec);
  } catch (const continuity::error& e) {
    // An invalid combination of choices (a copula that is not positive
    // definite, ...). CONTINUITY_FUZZ_VERBOSE=1 says which.
    static const bool verbose = std::getenv("CONTINUITY_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "fuzz: not a valid model: %s\n", e.what());
    return 0;
  }
  ++stats.valid;
  // Written and read back: the same specification.
  const std::string written = to_json(m->spec()).dump(1);
  try {
    const auto back = read_model_spec<double>(parse_json_text(written));
    if (!(back == m->spec())) fuzz::property_failed("to_json does not read back equal", written);
    (void)model(back);
  } catch (const continuity::error& e) {
    fuzz::property_failed("a valid model's JSON does not read back", std::string(e.what()) + "\n" + written);
  }
  if (const char* dir = std::getenv("CONTINUITY_FUZZ_WRITE_JSON")) {
    std::ofstream(std::string(dir) + "/model-" + std::to_string(stats.valid) + ".json") << written;
  }
  fuzz::run_analyses(*m, variant);
  return 0;
}
