// Bindings of damage cost and Monte Carlo loss estimation (loss/).
#include "common.hpp"

#include <continuity/io/detail/json_distribution.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace continuity::python {
namespace {

/// Per-trial results held in NumPy arrays, read-only once filled: the
/// annual loss, the breakdown (trials × columns, each column contiguous),
/// the insured and the retained loss. Without insured columns nothing is
/// insured: `insured` stays None until asked for (zeros, made then) and
/// `retained` is `annual` itself, as split_loss would give it, bit for bit.
struct result_handle {
  std::uint64_t seed = 0, first_trial = 0, trials = 0;
  bool cancelled = false;
  std::vector<std::string> breakdown_names;
  py::array annual, breakdown, retained;
  py::object insured = py::none();
};

/// An incident simulation with the model it refers to.
struct simulation_handle {
  model_ptr m;
  std::unique_ptr<incident_simulation<double>> sim;
};

distribution<double> distribution_from_json(const std::string& text, const std::string& scenario,
                                            const std::string& field) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw value_error("scenario", scenario, field, std::string("invalid JSON: ") + e.what());
  }
  return detail::read_distribution<double>(j, false, [&](const std::string& problem) {
    throw value_error("scenario", scenario, field, problem);
  });
}

loss_scenario<double> make_loss_scenario(const std::string& name, const std::string& frequency,
                                         const std::string& loss, const std::string& aggregation) {
  loss_aggregation a;
  if (aggregation == "compound")
    a = loss_aggregation::compound;
  else if (aggregation == "fair_product_form")
    a = loss_aggregation::fair_product_form;
  else
    throw value_error("scenario", name, "aggregation",
                      "unknown aggregation '" + aggregation +
                          "' (compound or fair_product_form)");
  return loss_scenario<double>(name, distribution_from_json(frequency, name, "frequency"),
                               distribution_from_json(loss, name, "loss_per_event"), a);
}

// Insurance policies from their JSON texts in the model format (as Python
// passes them): errors name the policy and the field.
std::vector<insurance_policy<double>> policies_from_json(const std::vector<std::string>& texts) {
  std::vector<insurance_policy<double>> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(texts[i]);
    } catch (const nlohmann::json::exception& e) {
      throw value_error("insurance policy", "#" + std::to_string(i + 1), "",
                        std::string("invalid JSON: ") + e.what());
    }
    out.push_back(detail::read_insurance_policy<double>(j, i));
  }
  return out;
}

// A progress report for run_options: on the calling thread, after each
// block of trials, reports progress to `progress(done, requested)` (if not
// None) and checks for Ctrl-C; either failing stores the Python exception in
// `failure` and stops the run.
std::function<bool(std::uint64_t, std::uint64_t)>
python_progress(const py::object& progress, std::optional<py::error_already_set>& failure) {
  return [&progress, &failure](std::uint64_t done, std::uint64_t requested) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      failure.emplace();
      return false;
    }
    if (!progress.is_none()) {
      try {
        progress(done, requested);
      } catch (py::error_already_set& e) {
        failure.emplace(std::move(e));
        return false;
      }
    }
    return true;
  };
}

// Large result buffers freed by their arrays, kept for the next run that
// needs about as much: a run writes every entry, and memory it has touched
// before spares it the first-touch page faults and the kernel's zeroing of
// fresh pages (a seventh of the processor time of a 10^6-trial W1 run
// through Python, repeated at every call: freed buffers of this size go
// back to the system, and the next call maps new ones). It keeps at most
// four buffers and 128 MiB, the most recently freed, and hands out a buffer
// only for a request of at least half its size. Freed buffers may be
// returned from any thread (a NumPy array can die anywhere), so it has a
// lock; it is never destroyed (a capsule may outlive static destructors at
// exit).
class result_memory_cache {
public:
  static constexpr std::size_t alignment = std::size_t{2} << 20; // a huge page
  static constexpr std::size_t most_bytes = std::size_t{128} << 20;
  static constexpr std::size_t most_buffers = 4;

  static result_memory_cache& instance() {
    static auto* cache = new result_memory_cache; // deliberately never deleted
    return *cache;
  }
  /// A buffer of `bytes` (a multiple of `alignment`) or more, aligned to
  /// `alignment`, from the cache if one fits, else new; `bytes` becomes its size.
  void* take(std::size_t& bytes) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = free_.rbegin(); it != free_.rend(); ++it)
        if (it->bytes >= bytes && it->bytes / 2 <= bytes) {
          void* p = it->memory;
          bytes = it->bytes;
          held_ -= it->bytes;
          free_.erase(std::next(it).base());
          return p;
        }
    }
    void* p = ::operator new(bytes, std::align_val_t(alignment));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, bytes, MADV_HUGEPAGE); // a hint: its failure is harmless
#endif
    return p;
  }
  /// Gives back a buffer from take(): kept, or freed if it does not fit.
  void give(void* p, std::size_t bytes) noexcept {
    std::vector<void*> release;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (bytes <= most_bytes) {
        try {
          free_.push_back({p, bytes});
          held_ += bytes;
          p = nullptr;
        } catch (...) { // no room for the entry: free the buffer instead
        }
      }
      while (held_ > most_bytes || free_.size() > most_buffers) {
        release.push_back(free_.front().memory); // the least recently freed
        held_ -= free_.front().bytes;
        free_.erase(free_.begin());
      }
    }
    if (p) ::operator delete(p, std::align_val_t(alignment));
    for (void* q : release) ::operator delete(q, std::align_val_t(alignment));
  }

private:
  struct buffer {
    void* memory;
    std::size_t bytes;
  };
  std::mutex mutex_;
  std::vector<buffer> free_; // oldest first
  std::size_t held_ = 0;
};

// Memory for per-trial results, owned by a capsule that frees it with the
// last NumPy array over it. Large buffers are aligned to 2 MiB and advised
// to be backed by transparent huge pages (as NumPy does for its large
// arrays): first touching such memory then costs one page fault per 2 MiB
// rather than per 4 KiB (the faults took a fifth of the time of a
// 10^6-trial run through Python).
class result_memory {
public:
  /// Room for `count` doubles, not initialised.
  explicit result_memory(std::size_t count) : count_(count) {
    std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(double);
    if (bytes < huge_page) {
      void* p = ::operator new(bytes, std::align_val_t(64));
      data_ = static_cast<double*>(p);
      owner_ = py::capsule(p, [](void* q) { ::operator delete(q, std::align_val_t(64)); });
      return;
    }
    bytes = (bytes + huge_page - 1) / huge_page * huge_page;
    auto& cache = result_memory_cache::instance();
    void* p = cache.take(bytes);
    // The capsule holds the buffer and its size, to give both back.
    auto* held = new (std::nothrow) cached_buffer{p, bytes};
    if (!held) {
      cache.give(p, bytes);
      throw std::bad_alloc();
    }
    try {
      owner_ = py::capsule(held, [](void* h) {
        const auto* b = static_cast<cached_buffer*>(h);
        result_memory_cache::instance().give(b->memory, b->bytes);
        delete b;
      });
    } catch (...) {
      cache.give(p, bytes);
      delete held;
      throw;
    }
    data_ = static_cast<double*>(p);
  }
  /// `count` zeros (memory the system zeroes when first touched).
  static result_memory zeros(std::size_t count) { return result_memory(count, zeroed{}); }

  /// The memory, as a span.
  std::span<double> span() const noexcept { return {data_, count_}; }
  /// A read-only 1-D array over the first `n` values.
  py::array vector(std::uint64_t n) const {
    return frozen(py::array_t<double>({static_cast<py::ssize_t>(n)}, {sizeof(double)}, data_, owner_));
  }
  /// A read-only `rows` × `columns` array over the first `rows` values of
  /// each of the columns of `stride` values held one after the other.
  py::array matrix(std::uint64_t rows, std::size_t columns, std::uint64_t stride) const {
    const auto d = static_cast<py::ssize_t>(sizeof(double));
    return frozen(py::array_t<double>(
        {static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(columns)},
        {d, d * static_cast<py::ssize_t>(stride)}, data_, owner_));
  }

private:
  struct zeroed {};
  result_memory(std::size_t count, zeroed) : count_(count) {
    void* p = std::calloc(std::max<std::size_t>(count, 1), sizeof(double));
    if (!p) throw std::bad_alloc();
    data_ = static_cast<double*>(p);
    owner_ = py::capsule(p, [](void* q) { std::free(q); });
  }
  // Marks an array read-only: its memory belongs to a capsule, so that
  // neither it nor a view of it can be made writeable again.
  static py::array frozen(py::array a) {
    a.attr("setflags")(py::arg("write") = false);
    return a;
  }

  struct cached_buffer {
    void* memory;
    std::size_t bytes;
  };
  static constexpr std::size_t huge_page = result_memory_cache::alignment;
  double* data_ = nullptr;
  std::size_t count_ = 0;
  py::capsule owner_;
};

// The memory of a result's arrays: the annual loss, the breakdown and, when
// anything can be insured, the insured and retained loss.
struct result_buffers {
  result_buffers(std::size_t trials, std::size_t columns, bool insured)
      : annual(trials), breakdown(trials * columns) {
    if (insured) {
      insured_loss.emplace(trials);
      retained_loss.emplace(trials);
    }
  }
  /// Gives `h` arrays over the first `rows` of the `stride` trials held in
  /// each buffer (without insurance, the retained loss is the annual loss).
  void hand_to(result_handle& h, std::uint64_t rows, std::size_t columns,
               std::uint64_t stride) const {
    h.annual = annual.vector(rows);
    h.breakdown = breakdown.matrix(rows, columns, stride);
    h.insured = insured_loss ? py::object(insured_loss->vector(rows)) : py::none();
    h.retained = retained_loss ? retained_loss->vector(rows) : h.annual;
  }

  result_memory annual, breakdown;
  std::optional<result_memory> insured_loss, retained_loss;
};

// Runs a trial model with the GIL released, reporting progress, straight
// into the memory of the result's arrays: the breakdown only if
// `keep_breakdown`, the insured and retained loss only if the model has
// insured columns (see result_handle).
template <class TrialModel>
std::shared_ptr<result_handle> run_released(const TrialModel& tm, std::uint64_t trials,
                                            std::uint64_t seed, std::uint64_t first_trial,
                                            unsigned threads, std::uint64_t block_size,
                                            const py::object& progress, bool keep_breakdown) {
  run_options o;
  o.threads = threads;
  o.first_trial = first_trial;
  o.block_size = block_size;
  std::optional<py::error_already_set> failure;
  o.progress = python_progress(progress, failure);
  const std::size_t columns = keep_breakdown ? tm.breakdown_size() : 0;
  const auto [insured_first, insured_last] = detail::insured_range(tm);
  const bool insured = insured_first < insured_last;
  if (trials > static_cast<std::uint64_t>(PY_SSIZE_T_MAX) / sizeof(double) / (columns + 3))
    throw value_error("run options", "", "trials",
                      std::to_string(trials) + " trials of " + std::to_string(columns + 3) +
                          " numbers each cannot be held in memory; run fewer trials, or shards");
  const result_buffers buffers(static_cast<std::size_t>(trials), columns, insured);
  trial_outputs<double> out{buffers.annual.span(), {}, {}, {}};
  if (columns > 0) out.breakdown = buffers.breakdown.span();
  if (insured) {
    out.insured_loss = buffers.insured_loss->span();
    out.retained_loss = buffers.retained_loss->span();
  }
  std::uint64_t done = 0;
  {
    py::gil_scoped_release release;
    done = run_into(tm, trials, seed, o, out);
  }
  if (failure) throw std::move(*failure);
  auto h = std::make_shared<result_handle>();
  h->seed = seed;
  h->first_trial = first_trial;
  h->trials = done; // fewer than asked for if cancelled: the completed prefix
  h->cancelled = done < trials;
  if (keep_breakdown) h->breakdown_names = tm.breakdown_names();
  buffers.hand_to(*h, done, columns, trials);
  return h;
}

// A copy of `from` (any array-like of numbers) in new result memory: 1-D,
// or the 2-D breakdown (0 × 0 for anything else, as results pickled without
// a breakdown had).
py::array copied(const py::handle& from, bool breakdown) {
  if (!breakdown) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(from);
    if (!a || a.ndim() != 1) throw std::runtime_error("invalid SimulationResult state");
    const result_memory m(static_cast<std::size_t>(a.size()));
    std::copy_n(a.data(), a.size(), m.span().data());
    return m.vector(static_cast<std::uint64_t>(a.size()));
  }
  const auto a = py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(from);
  if (!a) throw std::runtime_error("invalid SimulationResult state");
  const auto rows = a.ndim() == 2 ? a.shape(0) : 0, cols = a.ndim() == 2 ? a.shape(1) : 0;
  const result_memory m(static_cast<std::size_t>(rows * cols));
  std::copy_n(a.data(), rows * cols, m.span().data());
  return m.matrix(static_cast<std::uint64_t>(rows), static_cast<std::size_t>(cols),
                  static_cast<std::uint64_t>(rows));
}

// A handle over a result computed in C++ (copied into result memory).
std::shared_ptr<result_handle> handle_of(const simulation_result<double>& r) {
  auto h = std::make_shared<result_handle>();
  h->seed = r.seed;
  h->first_trial = r.first_trial;
  h->trials = r.trials();
  h->cancelled = r.cancelled;
  h->breakdown_names = r.breakdown_names;
  const auto n = static_cast<std::size_t>(r.trials());
  const auto columns = static_cast<std::size_t>(r.breakdown.cols());
  const result_memory annual(n), breakdown(n * columns), insured(n), retained(n);
  std::copy_n(r.annual_loss.data(), n, annual.span().data());
  std::copy_n(r.breakdown.data(), n * columns, breakdown.span().data());
  std::copy_n(r.insured_loss.data(), n, insured.span().data());
  std::copy_n(r.retained_loss.data(), n, retained.span().data());
  h->annual = annual.vector(n);
  h->breakdown = breakdown.matrix(n, columns, n);
  h->insured = insured.vector(n);
  h->retained = retained.vector(n);
  return h;
}

// The insured loss of a result (zeros, made on first use, if nothing is insured).
py::array insured_of(result_handle& h) {
  if (h.insured.is_none()) h.insured = result_memory::zeros(h.trials).vector(h.trials);
  return h.insured;
}

// A new view of one of a result's arrays (read-only, as the array is).
py::array view_of(const py::object& a) { return a.attr("view")(); }

// Merges shards of one simulation (checked as concatenate_shards checks
// them) into new result memory.
std::shared_ptr<result_handle>
concatenate_handles(const std::vector<std::shared_ptr<result_handle>>& shards) {
  std::vector<detail::shard_extent> extents;
  for (const auto& s : shards)
    extents.push_back({s->seed, s->first_trial, s->trials,
                       static_cast<std::size_t>(s->breakdown.ndim() == 2 ? s->breakdown.shape(1) : 0),
                       &s->breakdown_names});
  const auto order = detail::shard_order(extents);
  const auto& front = *shards[order.front()];
  auto h = std::make_shared<result_handle>();
  h->seed = front.seed;
  h->first_trial = front.first_trial;
  h->breakdown_names = front.breakdown_names;
  bool insured = false;
  for (const auto& s : shards) {
    h->trials += s->trials;
    h->cancelled = h->cancelled || s->cancelled;
    insured = insured || !s->insured.is_none();
  }
  const std::size_t columns = extents[order.front()].columns;
  const auto total = static_cast<std::size_t>(h->trials);
  const result_buffers buffers(total, columns, insured);
  const auto copy = [](const py::object& from, double* to) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(from);
    std::copy_n(a.data(), a.size(), to);
  };
  std::size_t at = 0;
  for (const std::size_t i : order) {
    auto& s = *shards[i];
    const auto rows = static_cast<std::size_t>(s.trials);
    copy(s.annual, buffers.annual.span().data() + at);
    if (insured) {
      copy(insured_of(s), buffers.insured_loss->span().data() + at);
      copy(s.retained, buffers.retained_loss->span().data() + at);
    }
    if (columns > 0) {
      const auto b =
          py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(s.breakdown);
      for (std::size_t c = 0; c < columns; ++c)
        std::copy_n(b.data() + c * rows, rows, buffers.breakdown.span().data() + c * total + at);
    }
    at += rows;
  }
  buffers.hand_to(*h, total, columns, total);
  return h;
}

// Runs a comparison of simulations (`compare(simulation options, run
// options)`) of `scenarios` on `threads` threads with the GIL released,
// reporting to the Python `progress` callback; rethrows what the callback
// raised (Ctrl-C).
template <class Compare>
auto run_comparison(std::vector<std::string> scenarios, unsigned threads,
                    const py::object& progress, Compare&& compare) {
  simulation_options<double> so;
  so.scenarios = std::move(scenarios);
  run_options o;
  o.threads = threads;
  std::optional<py::error_already_set> failure;
  o.progress = python_progress(progress, failure);
  auto result = [&] {
    py::gil_scoped_release release;
    return compare(static_cast<const simulation_options<double>&>(so),
                   static_cast<const run_options&>(o));
  }();
  if (failure) throw std::move(*failure);
  return result;
}

py::dict cost_of(const model& m, const std::string& scenario) {
  const index_t i = scenario_index(m, scenario);
  const incident_simulation<double> sim(m);
  const auto c = sim.point_cost(i);
  py::dict category, line, function, d;
  for (std::size_t k = 0; k < cost_category_count; ++k)
    category[py::str(std::string(to_string(static_cast<cost_category>(k))))] = c.by_category[k];
  const auto names = cost_line_names(m, i);
  for (std::size_t l = 0; l < names.size(); ++l) line[py::str(names[l])] = c.by_line[l];
  for (index_t f = 0; f < m.function_count(); ++f)
    function[py::str(m.function_at(f).name)] = c.by_function[f];
  py::dict by_policy;
  for (std::size_t p = 0; p < m.insurance().size(); ++p)
    by_policy[py::str(m.insurance()[p].name)] = c.insured_by_policy[p];
  d["total"] = c.total;
  d["annual_revenue"] = annual_revenue(m);
  d["share_of_annual_revenue"] = share_of_annual_revenue(m, c.total);
  d["insured"] = c.insured;
  d["retained"] = c.retained;
  d["insured_by_policy"] = by_policy;
  d["by_category"] = category;
  d["by_line"] = line;
  d["by_function"] = function;
  return d;
}

py::dict rank_correlations_of(const model& m, const std::string& scenario, std::uint64_t trials,
                              std::uint64_t seed, unsigned threads) {
  const index_t i = scenario_index(m, scenario);
  const auto rows = interruptible([&](const std::atomic<bool>& cancel) {
    const incident_simulation<double> sim(m);
    run_options o;
    o.threads = threads;
    o.cancel = &cancel;
    return rank_correlations(sim, i, trials, seed, o);
  });
  std::vector<std::string> input;
  std::vector<double> rho;
  std::vector<std::int64_t> in_play;
  for (const auto& r : rows) {
    input.push_back(r.input);
    rho.push_back(r.rank_correlation);
    in_play.push_back(static_cast<std::int64_t>(r.trials));
  }
  py::dict d;
  d["input"] = input;
  d["rank_correlation"] = to_numpy(std::move(rho));
  d["trials"] = to_numpy(std::move(in_play));
  return d;
}

py::dict tornado_of(const model& m, const std::string& scenario, double low, double high) {
  const index_t i = scenario_index(m, scenario);
  std::vector<sensitivity_bar<double>> bars;
  {
    py::gil_scoped_release release;
    bars = tornado(m, i, low, high);
  }
  std::vector<std::string> input;
  std::vector<double> li, hi, lc, hc;
  for (const auto& b : bars) {
    input.push_back(b.input);
    li.push_back(b.low_input);
    hi.push_back(b.high_input);
    lc.push_back(b.low_cost);
    hc.push_back(b.high_cost);
  }
  py::dict d;
  d["input"] = input;
  d["low_input"] = to_numpy(std::move(li));
  d["high_input"] = to_numpy(std::move(hi));
  d["low_cost"] = to_numpy(std::move(lc));
  d["high_cost"] = to_numpy(std::move(hc));
  return d;
}

py::dict stats_dict(const loss_statistics<double>& s) {
  py::dict d;
  d["trials"] = s.trials();
  d["mean"] = s.mean();
  d["standard_deviation"] = s.standard_deviation();
  d["standard_error"] = s.standard_error();
  return d;
}

} // namespace

void register_loss(py::module_& m) {
  py::class_<loss_scenario<double>>(m, "LossScenario")
      .def(py::init(&make_loss_scenario), py::arg("name"), py::arg("frequency"),
           py::arg("loss_per_event"), py::arg("aggregation") = "compound")
      .def_property_readonly("name", &loss_scenario<double>::name)
      .def_property_readonly("mean_annual_loss", &loss_scenario<double>::mean_annual_loss);

  py::class_<result_handle, std::shared_ptr<result_handle>>(m, "SimulationResult")
      .def_property_readonly("seed", [](const result_handle& h) { return h.seed; })
      .def_property_readonly("first_trial", [](const result_handle& h) { return h.first_trial; })
      .def_property_readonly("trials", [](const result_handle& h) { return h.trials; })
      .def_property_readonly("cancelled", [](const result_handle& h) { return h.cancelled; })
      .def_property_readonly("breakdown_names",
                             [](const result_handle& h) { return h.breakdown_names; })
      .def_property_readonly("annual_loss", [](const result_handle& h) { return view_of(h.annual); })
      .def_property_readonly("insured_loss",
                             [](result_handle& h) { return view_of(insured_of(h)); })
      .def_property_readonly("retained_loss",
                             [](const result_handle& h) { return view_of(h.retained); })
      .def_property_readonly("breakdown",
                             [](const result_handle& h) { return view_of(h.breakdown); })
      .def(py::pickle(
          [](result_handle& h) {
            return py::make_tuple(h.seed, h.first_trial, h.cancelled, h.breakdown_names,
                                  h.annual, h.breakdown, insured_of(h), h.retained);
          },
          [](const py::tuple& t) {
            // 6 entries: a result pickled before insurance (nothing insured).
            if (t.size() != 6 && t.size() != 8)
              throw std::runtime_error("invalid SimulationResult state");
            auto h = std::make_shared<result_handle>();
            h->seed = t[0].cast<std::uint64_t>();
            h->first_trial = t[1].cast<std::uint64_t>();
            h->cancelled = t[2].cast<bool>();
            h->breakdown_names = t[3].cast<std::vector<std::string>>();
            h->annual = copied(t[4], false);
            h->trials = static_cast<std::uint64_t>(h->annual.size());
            h->breakdown = copied(t[5], true);
            h->retained = h->annual;
            if (t.size() == 8) {
              py::array insured = copied(t[6], false), retained = copied(t[7], false);
              if (insured.size() == h->annual.size() && retained.size() == h->annual.size()) {
                h->insured = insured;
                h->retained = retained;
              }
            }
            return h;
          }));

  m.def("concatenate", &concatenate_handles);

  py::class_<simulation_handle, std::shared_ptr<simulation_handle>>(m, "IncidentSimulation")
      .def(py::init([](const std::shared_ptr<model>& mp, std::vector<std::string> scenarios,
                       std::vector<loss_scenario<double>> top_down,
                       const std::vector<std::string>& top_down_insurance) {
             auto h = std::make_shared<simulation_handle>();
             h->m = mp;
             simulation_options<double> o;
             o.scenarios = std::move(scenarios);
             h->sim = std::make_unique<incident_simulation<double>>(
                 *mp, std::move(o),
                 scenario_portfolio<double>(std::move(top_down),
                                            policies_from_json(top_down_insurance)));
             return h;
           }),
           py::arg("model"), py::arg("scenarios") = std::vector<std::string>{},
           py::arg("top_down") = std::vector<loss_scenario<double>>{},
           py::arg("top_down_insurance") = std::vector<std::string>{})
      .def_property_readonly("breakdown_names",
                             [](const simulation_handle& h) { return h.sim->breakdown_names(); })
      .def("run",
           [](const simulation_handle& h, std::uint64_t trials, std::uint64_t seed,
              std::uint64_t first_trial, unsigned threads, std::uint64_t block_size,
              const py::object& progress, bool breakdown) {
             return run_released(*h.sim, trials, seed, first_trial, threads, block_size, progress,
                                 breakdown);
           },
           py::arg("trials"), py::arg("seed"), py::arg("first_trial") = 0, py::arg("threads") = 0,
           py::arg("block_size") = 4096, py::arg("progress") = py::none(),
           py::arg("breakdown") = true);

  py::class_<scenario_portfolio<double>>(m, "ScenarioPortfolio")
      .def(py::init([](std::vector<loss_scenario<double>> scenarios,
                       const std::vector<std::string>& insurance) {
             return scenario_portfolio<double>(std::move(scenarios), policies_from_json(insurance));
           }),
           py::arg("scenarios"), py::arg("insurance") = std::vector<std::string>{})
      .def_property_readonly("mean_annual_loss", &scenario_portfolio<double>::mean_annual_loss)
      .def_property_readonly("breakdown_names", &scenario_portfolio<double>::breakdown_names)
      .def("run",
           [](const scenario_portfolio<double>& p, std::uint64_t trials, std::uint64_t seed,
              std::uint64_t first_trial, unsigned threads, std::uint64_t block_size,
              const py::object& progress, bool breakdown) {
             return run_released(p, trials, seed, first_trial, threads, block_size, progress,
                                 breakdown);
           },
           py::arg("trials"), py::arg("seed"), py::arg("first_trial") = 0, py::arg("threads") = 0,
           py::arg("block_size") = 4096, py::arg("progress") = py::none(),
           py::arg("breakdown") = true);

  py::class_<loss_statistics<double>>(m, "LossStatistics")
      .def(py::init([](const py::array_t<double, py::array::c_style | py::array::forcecast>& a) {
             if (a.ndim() != 1) throw value_error("loss statistics", {}, "losses", "must be 1-D");
             if (a.size() == 0)
               throw value_error("loss statistics", {}, "losses", "needs at least one trial");
             return loss_statistics<double>(std::span<const double>(a.data(), static_cast<std::size_t>(a.size())));
           }),
           py::arg("losses"))
      .def_property_readonly("trials", &loss_statistics<double>::trials)
      .def_property_readonly("mean", &loss_statistics<double>::mean)
      .def_property_readonly("standard_deviation", &loss_statistics<double>::standard_deviation)
      .def_property_readonly("standard_error", &loss_statistics<double>::standard_error)
      .def_property_readonly("minimum", &loss_statistics<double>::minimum)
      .def_property_readonly("maximum", &loss_statistics<double>::maximum)
      .def_property_readonly("sorted_losses",
                             [](const loss_statistics<double>& s) {
                               const auto v = s.sorted_losses();
                               return to_numpy(std::vector<double>(v.begin(), v.end()));
                             })
      .def("quantile", &loss_statistics<double>::quantile, py::arg("p"))
      .def("value_at_risk", &loss_statistics<double>::value_at_risk, py::arg("level"))
      .def("tail_value_at_risk", &loss_statistics<double>::tail_value_at_risk, py::arg("level"))
      .def("exceedance_probability", &loss_statistics<double>::exceedance_probability,
           py::arg("loss"))
      .def("exceedance_curve", [](const loss_statistics<double>& s, std::size_t points) {
        const auto c = s.exceedance_curve(points);
        std::vector<double> x, p;
        for (const auto& e : c) {
          x.push_back(e.loss);
          p.push_back(e.probability);
        }
        return py::make_tuple(to_numpy(std::move(x)), to_numpy(std::move(p)));
      }, py::arg("points") = std::size_t(100))
      .def("summary", &stats_dict);

  using columns_array = py::array_t<double, py::array::f_style | py::array::forcecast>;
  py::class_<loss_summary>(m, "LossSummary")
      .def(py::init<double, std::size_t, std::vector<std::string>>(),
           py::arg("relative_accuracy") = loss_summary::default_relative_accuracy,
           py::arg("tail") = loss_summary::default_tail,
           py::arg("column_names") = std::vector<std::string>{})
      .def("add",
           [](loss_summary& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& losses,
              const std::optional<columns_array>& columns) {
             if (losses.ndim() != 1) throw value_error("loss summary", {}, "losses", "must be 1-D");
             const auto n = static_cast<std::size_t>(losses.size());
             std::span<const double> values;
             if (columns) {
               const auto rows = columns->ndim() == 2 ? columns->shape(0) : -1;
               const auto cols = columns->ndim() == 2 ? columns->shape(1) : -1;
               if (rows != losses.size() || cols != static_cast<py::ssize_t>(s.column_names().size()))
                 throw value_error("loss summary", {}, "columns",
                                   "must be trials × columns = " + std::to_string(n) + " × " +
                                       std::to_string(s.column_names().size()));
               values = std::span<const double>(columns->data(), n * s.column_names().size());
             }
             py::gil_scoped_release release;
             s.add(std::span<const double>(losses.data(), n), values);
           },
           py::arg("losses"), py::arg("columns") = py::none())
      .def("merge", [](loss_summary& s, const loss_summary& other) { s.merge(other); },
           py::arg("other"))
      .def("copy", [](const loss_summary& s) { return loss_summary(s); })
      .def_property_readonly("trials", &loss_summary::trials)
      .def_property_readonly("zero_trials", &loss_summary::zero_trials)
      .def_property_readonly("relative_accuracy", &loss_summary::relative_accuracy)
      .def_property_readonly("bin_accuracy", &loss_summary::bin_accuracy)
      .def_property_readonly("tail", &loss_summary::tail)
      .def_property_readonly("column_names", &loss_summary::column_names)
      .def_property_readonly("minimum", &loss_summary::minimum)
      .def_property_readonly("maximum", &loss_summary::maximum)
      .def_property_readonly("mean", &loss_summary::mean)
      .def_property_readonly("standard_deviation", &loss_summary::standard_deviation)
      .def_property_readonly("standard_error", &loss_summary::standard_error)
      .def_property_readonly("largest_losses",
                             [](const loss_summary& s) {
                               const auto v = s.largest_losses();
                               return to_numpy(std::vector<double>(v.begin(), v.end()));
                             })
      .def("quantile", &loss_summary::quantile, py::arg("p"))
      .def("value_at_risk", &loss_summary::value_at_risk, py::arg("level"))
      .def("tail_value_at_risk", &loss_summary::tail_value_at_risk, py::arg("level"))
      .def("exact_at", &loss_summary::exact_at, py::arg("level"))
      .def("column_means", [](const loss_summary& s) { return to_numpy(s.column_means()); })
      .def(py::pickle([](const loss_summary& s) { return py::bytes(s.serialise()); },
                      [](const py::bytes& b) {
                        return loss_summary::deserialise(static_cast<std::string>(b));
                      }));

  m.def("incident_cost", [](const std::shared_ptr<model>& mp, const std::string& scenario) {
    return cost_of(*mp, scenario);
  }, py::arg("model"), py::arg("scenario"));
  m.def("tornado", [](const std::shared_ptr<model>& mp, const std::string& scenario, double low,
                      double high) { return tornado_of(*mp, scenario, low, high); },
        py::arg("model"), py::arg("scenario"), py::arg("low") = 0.1, py::arg("high") = 0.9);
  m.def("rank_correlations",
        [](const std::shared_ptr<model>& mp, const std::string& scenario, std::uint64_t trials,
           std::uint64_t seed, unsigned threads) {
          return rank_correlations_of(*mp, scenario, trials, seed, threads);
        },
        py::arg("model"), py::arg("scenario"), py::arg("trials"), py::arg("seed"),
        py::arg("threads") = 0u);

  // Mitigations: each measure arrives as the changed model (built in Python
  // from the changed specification), so no Python code runs in the engine.
  m.def("compare_mitigations",
        [](const std::shared_ptr<model>& base, const std::vector<std::string>& names,
           const std::vector<double>& costs, const std::vector<std::shared_ptr<model>>& changed,
           std::uint64_t trials, std::uint64_t seed, std::vector<std::string> scenarios,
           unsigned threads, const py::object& progress, const std::vector<double>& subsidy_rates,
           const std::vector<double>& subsidy_caps) {
          if (names.size() != costs.size() || names.size() != changed.size() ||
              (!subsidy_rates.empty() && subsidy_rates.size() != names.size()) ||
              (!subsidy_caps.empty() && subsidy_caps.size() != names.size()))
            throw value_error("mitigations", {}, "measures",
                              "names, costs, subsidies and models differ in length");
          std::vector<mitigation<double>> measures;
          for (std::size_t k = 0; k < names.size(); ++k) {
            const auto spec = changed[k]->spec();
            measures.push_back({names[k], costs[k], [spec](model_spec& s) { s = spec; }});
            if (!subsidy_rates.empty()) measures.back().subsidy_rate = subsidy_rates[k];
            if (!subsidy_caps.empty()) measures.back().subsidy_cap = subsidy_caps[k];
          }
          auto cmp = run_comparison(std::move(scenarios), threads, progress,
                                    [&](const simulation_options<double>& so, const run_options& o) {
                                      return compare_mitigations(*base, measures, trials, seed, so, o);
                                    });
          py::list outcomes;
          for (auto& oc : cmp.measures) {
            py::dict d;
            d["name"] = oc.name;
            d["annual_cost"] = oc.annual_cost;
            d["ale_reduction"] = oc.ale_reduction;
            d["ale_reduction_se"] = oc.ale_reduction_se;
            d["rosi"] = oc.rosi;
            d["subsidy"] = oc.subsidy;
            d["net_cost"] = oc.net_cost;
            d["loss"] = py::cast(std::move(oc.loss));
            outcomes.append(d);
          }
          return py::make_tuple(py::cast(std::move(cmp.baseline)), outcomes);
        },
        py::arg("model"), py::arg("names"), py::arg("costs"), py::arg("models"), py::arg("trials"),
        py::arg("seed"), py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("subsidy_rates") = std::vector<double>{},
        py::arg("subsidy_caps") = std::vector<double>{});

  // The ransom decision: both policies' full results (so that analysts can
  // plot and break them down), and their paired difference.
  m.def("compare_ransom_policies",
        [](const std::shared_ptr<model>& mp, std::uint64_t trials, std::uint64_t seed,
           std::vector<std::string> scenarios, unsigned threads, const py::object& progress) {
          auto d = run_comparison(std::move(scenarios), threads, progress,
                                  [&](const simulation_options<double>& so, const run_options& o) {
                                    return compare_ransom_policies(*mp, trials, seed, so, o);
                                  });
          py::dict out;
          out["scenarios"] = d.scenarios;
          const auto restore = handle_of(d.restore), pay = handle_of(d.pay);
          out["restore"] = py::cast(restore);
          out["pay"] = py::cast(pay);
          out["difference"] = d.difference.mean;
          out["difference_se"] = d.difference.standard_error;
          out["pay_cheaper"] = d.pay_cheaper;
          out["pay_dearer"] = d.pay_dearer;
          return out;
        },
        py::arg("model"), py::arg("trials"), py::arg("seed"),
        py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
        py::arg("progress") = py::none());
}

} // namespace continuity::python
