// continuity/loss/monte_carlo.hpp — the Monte Carlo engine.
//
// A run evaluates a trial model once per trial. Trial i (counted from 0 over
// the whole simulation) draws from its own counter-based stream
// stream(seed, i), so a trial's result depends on (model, seed, i) only:
// results are bit-identical for any thread count, and a run over trials
// [first_trial, first_trial + n) — a shard — is exactly that slice of a
// single long run; shards merge by concatenation. Within a trial, a model
// gives every random quantity a sub-stream of its own, keyed by what it is for
// (random/stream_key.hpp), never by a position or a counter.
//
// Workers take blocks of trials from a shared counter; the calling thread
// reports progress and watches for cancellation while they run, and a model
// that supports it stops inside a long trial (see run_options).
#pragma once

#include <continuity/error.hpp>
#include <continuity/loss/loss_split.hpp>
#include <continuity/random/rng.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <new>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace continuity {

/// A trial model: given a trial's engine, computes the trial's loss and its
/// breakdown (per scenario, per cost category, ...). Requirements:
///  * `m.breakdown_size()`: number of breakdown columns (may be 0);
///  * `m(engine, breakdown)`: fills `breakdown` (std::span<Real> of that size)
///    and returns the trial's total loss; must not allocate if the run is to
///    stay allocation-free, and must draw randomness only from `engine`;
///  * optional `m.breakdown_names()`: column names (std::vector<std::string>);
///  * optional `Model::real_type`: the real type (double otherwise);
///  * optional `m.evaluate_batch(engines, annual, breakdown)`: several trials
///    at once (std::span<trial_engine>, std::span<Real> of the same size n,
///    and std::span<Real> of n × columns, column-major); must give exactly
///    what `m(engine, ...)` gives for each engine. The engine then calls it
///    instead of `m(...)`, with up to 64 trials;
///  * optional `m(engine, breakdown, stop)` with `const std::atomic<bool>&
///    stop`: the same, for trials that can take long (a simulated year with
///    many incidents); it should return soon once `stop` becomes true (its
///    result is then discarded). The engine calls it instead of `m(engine,
///    breakdown)` when it exists;
///  * optional `m.insured_columns()`: a std::pair of breakdown columns
///    [first, last) holding what each insurance policy paid in the trial;
///    their sum (capped at the trial's loss) is the trial's insured loss.
///    Without it, nothing is insured.
/// The model is shared, const, by all threads.
template <class Model, class Real>
concept trial_model = requires(const Model& m, trial_engine& engine, std::span<Real> breakdown) {
  { m.breakdown_size() } -> std::convertible_to<std::size_t>;
  { m(engine, breakdown) } -> std::convertible_to<Real>;
};

namespace detail {
template <class Model>
struct model_real {
  using type = double;
};
template <class Model>
requires requires { typename Model::real_type; }
struct model_real<Model> {
  using type = typename Model::real_type;
};
} // namespace detail

/// The real type of a trial model (Model::real_type, or double).
template <class Model>
using model_real_t = typename detail::model_real<Model>::type;

/// A trial model from a callable: the way to plug a bottom-up scenario into
/// the engine. `function(trial_engine&, std::span<Real> breakdown) -> Real`
/// fills the breakdown by cost category and returns the trial's loss.
template <class Real, class Function>
class trial_function {
public:
  /// The real type of losses.
  using real_type = Real;
  /// `breakdown_names` names the breakdown columns (and fixes their number).
  trial_function(std::vector<std::string> breakdown_names, Function function)
      : names_(std::move(breakdown_names)), function_(std::move(function)) {}
  /// Number of breakdown columns.
  std::size_t breakdown_size() const noexcept { return names_.size(); }
  /// Names of the breakdown columns.
  const std::vector<std::string>& breakdown_names() const noexcept { return names_; }
  /// One trial.
  Real operator()(trial_engine& engine, std::span<Real> breakdown) const {
    return static_cast<Real>(function_(engine, breakdown));
  }

private:
  std::vector<std::string> names_;
  Function function_;
};

/// Makes a trial_function (Real defaults to double).
template <class Real = double, class Function>
trial_function<Real, std::decay_t<Function>>
make_trial_model(std::vector<std::string> breakdown_names, Function&& function) {
  return {std::move(breakdown_names), std::forward<Function>(function)};
}

/// Options of a Monte Carlo run.
struct run_options {
  /// Worker threads; 0 = std::thread::hardware_concurrency(). Results do not
  /// depend on it.
  unsigned threads = 0;
  /// Index of the run's first trial in the whole simulation (for shards).
  std::uint64_t first_trial = 0;
  /// Trials per work block: the granularity of scheduling, cancellation and
  /// progress reports. Results do not depend on it.
  std::uint64_t block_size = 4096;
  /// Cooperative cancellation: when it becomes true, workers stop within a
  /// trial (between the occurrences of a simulated year, for models that
  /// support it) and the run returns the completed blocks. May be null; when
  /// given, the calling thread watches it instead of working.
  const std::atomic<bool>* cancel = nullptr;
  /// Progress report, called on the calling thread about every
  /// `progress_interval` seconds while the workers run, and once at the end,
  /// with (trials completed, trials requested); returning false cancels the
  /// run, as `cancel` does. May be empty; when given, the calling thread
  /// watches instead of working (so a Ctrl-C check in it is answered within
  /// the interval, however long a trial takes).
  std::function<bool(std::uint64_t, std::uint64_t)> progress;
  /// Seconds between progress reports.
  double progress_interval = 0.1;
};

/// The per-trial results of a run (or shard), in trial order.
template <class Real = double>
struct simulation_result {
  /// The seed of the run.
  std::uint64_t seed = 0;
  /// Index of the first trial held.
  std::uint64_t first_trial = 0;
  /// Total loss of each trial: entry t is trial first_trial + t.
  Eigen::Array<Real, Eigen::Dynamic, 1> annual_loss;
  /// Breakdown of each trial, trials × columns, column-major: each column
  /// (one scenario or cost category) is contiguous.
  Eigen::Array<Real, Eigen::Dynamic, Eigen::Dynamic> breakdown;
  /// Names of the breakdown columns (empty strings if the model gives none).
  std::vector<std::string> breakdown_names;
  /// Insured loss of each trial: what insurance policies recover of its
  /// annual_loss (0 without policies; see trial_model's insured_columns).
  Eigen::Array<Real, Eigen::Dynamic, 1> insured_loss;
  /// Retained loss of each trial: annual_loss − insured_loss, with
  /// insured_loss + retained_loss == annual_loss exactly (split_loss).
  Eigen::Array<Real, Eigen::Dynamic, 1> retained_loss;
  /// True when the run was cancelled: the arrays then hold the completed
  /// prefix of the requested trials, itself a valid shard.
  bool cancelled = false;

  /// Number of trials held.
  std::uint64_t trials() const noexcept { return static_cast<std::uint64_t>(annual_loss.size()); }
};

namespace detail {

/// Trials evaluated together: engines made with interleaved Philox rounds,
/// and batch models' SIMD work shared.
inline constexpr std::uint64_t trial_group = 64;

template <class Model, class Real>
concept stoppable_trial_model =
    requires(const Model& m, trial_engine& engine, std::span<Real> breakdown,
             const std::atomic<bool>& stop) {
      { m(engine, breakdown, stop) } -> std::convertible_to<Real>;
    };

template <class Model>
concept insured_trial_model = requires(const Model& m) {
  { m.insured_columns() } -> std::convertible_to<std::pair<std::size_t, std::size_t>>;
};

// Fills r.insured_loss and r.retained_loss from the annual losses and, for
// a model with insured columns, their per-trial sums.
template <class Real, class Model>
void split_losses(const Model& model, simulation_result<Real>& r) {
  const auto n = r.annual_loss.size();
  r.insured_loss.setZero(n);
  if constexpr (insured_trial_model<Model>) {
    const auto [first, last] = model.insured_columns();
    for (std::size_t c = first; c < last; ++c)
      r.insured_loss += r.breakdown.col(static_cast<Eigen::Index>(c));
  }
  r.retained_loss.resize(n);
  for (Eigen::Index t = 0; t < n; ++t) {
    const auto s = split_loss(r.annual_loss[t], r.insured_loss[t]);
    r.insured_loss[t] = s.insured;
    r.retained_loss[t] = s.retained;
  }
}

template <class Model, class Real>
concept batch_trial_model =
    requires(const Model& m, std::span<trial_engine> engines, std::span<Real> out) {
      m.evaluate_batch(engines, out, out);
    };

// Runs trials [begin, end); returns false if `stop` cut the block short
// (its results are then incomplete).
template <class Real, class Model>
bool run_block(const Model& model, std::uint64_t seed, std::uint64_t first_trial,
               std::uint64_t begin, std::uint64_t end, Real* annual, Real* breakdown,
               std::uint64_t trials, std::span<Real> scratch, const std::atomic<bool>& stop,
               const std::atomic<bool>* cancel) {
  const auto stopped = [&] {
    return stop.load(std::memory_order_relaxed) ||
           (cancel && cancel->load(std::memory_order_relaxed));
  };
  const std::size_t columns = scratch.size() / trial_group;
  std::array<trial_engine, trial_group> engines;
  for (std::uint64_t g = begin; g < end; g += trial_group) {
    const auto n = static_cast<std::size_t>(std::min(trial_group, end - g));
    trial_engine::make(seed, first_trial + g, n, engines.data());
    if constexpr (batch_trial_model<Model, Real>) {
      model.evaluate_batch(std::span<trial_engine>(engines.data(), n),
                           std::span<Real>(annual + g, n), scratch.first(n * columns));
      for (std::size_t c = 0; c < columns; ++c)
        std::copy_n(scratch.data() + c * n, n, breakdown + c * trials + g);
    } else {
      const auto row = scratch.first(columns);
      for (std::size_t j = 0; j < n; ++j) {
        if (stopped()) return false;
        const std::uint64_t t = g + j;
        if constexpr (stoppable_trial_model<Model, Real>)
          annual[t] = static_cast<Real>(model(engines[j], row, stop));
        else
          annual[t] = static_cast<Real>(model(engines[j], row));
        for (std::size_t c = 0; c < columns; ++c) breakdown[c * trials + t] = row[c];
      }
    }
    if (stopped()) return false;
  }
  return true;
}

} // namespace detail

/// Runs `trials` trials of `model` with `seed`, in parallel. Trial t of the
/// result is trial options.first_trial + t of the simulation and uses
/// stream(seed, first_trial + t): the same numbers whatever the thread count,
/// block size or sharding. The hot loop does not allocate. Exceptions thrown
/// by the model stop the run and are rethrown here.
template <class Model, class Real = model_real_t<Model>>
requires trial_model<Model, Real> simulation_result<Real>
run(const Model& model, std::uint64_t trials, std::uint64_t seed, const run_options& options = {}) {
  if (options.block_size == 0)
    throw value_error("run options", "", "block_size", "must be positive, got 0");
  if (trials > std::numeric_limits<std::uint64_t>::max() - options.first_trial)
    throw value_error("run options", "", "first_trial", "first_trial + trials overflows");

  simulation_result<Real> result;
  result.seed = seed;
  result.first_trial = options.first_trial;
  const std::size_t columns = static_cast<std::size_t>(model.breakdown_size());
  if constexpr (requires { model.breakdown_names(); }) {
    for (const auto& name : model.breakdown_names()) result.breakdown_names.emplace_back(name);
  }
  result.breakdown_names.resize(columns);
  // The results must fit in memory: a clear error, not std::bad_alloc.
  // Per trial: the annual, insured and retained loss and the breakdown.
  const double bytes = static_cast<double>(trials) * static_cast<double>(columns + 3) *
                       static_cast<double>(sizeof(Real));
  if (trials > static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max()) / (columns + 3))
    throw value_error("run options", "", "trials",
                      std::to_string(trials) + " trials of " + std::to_string(columns + 3) +
                          " numbers each cannot be held in memory (" + std::to_string(bytes) +
                          " bytes); run fewer trials, or shards");
  const auto n = static_cast<Eigen::Index>(trials);
  try {
    result.annual_loss.resize(n);
    result.breakdown.resize(n, static_cast<Eigen::Index>(columns));
    result.insured_loss.resize(n);
    result.retained_loss.resize(n);
  } catch (const std::bad_alloc&) {
    throw value_error("run options", "", "trials",
                      std::to_string(trials) + " trials need " + std::to_string(bytes / 1e9) +
                          " GB for their results, more than can be allocated; run fewer trials, "
                          "or shards");
  }
  if (trials == 0) return result;

  const std::uint64_t block = options.block_size;
  const std::uint64_t blocks = (trials + block - 1) / block;
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = static_cast<unsigned>(std::clamp<std::uint64_t>(threads, 1, blocks));

  std::atomic<std::uint64_t> next_block{0}, completed{0};
  std::atomic<bool> stop{false};
  std::atomic<unsigned> running{0};
  std::vector<unsigned char> block_done(static_cast<std::size_t>(blocks), 0);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  Real* annual = result.annual_loss.data();
  Real* breakdown = result.breakdown.data();
  // With a progress report or a cancellation flag, the calling thread
  // watches (reports, and passes a cancellation on within a trial).
  const bool watching = static_cast<bool>(options.progress) || options.cancel != nullptr;

  auto work = [&] {
    std::vector<Real> scratch(columns * detail::trial_group); // once per worker
    try {
      for (;;) {
        if (stop.load(std::memory_order_relaxed)) break;
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
          stop = true;
          break;
        }
        const std::uint64_t b = next_block.fetch_add(1, std::memory_order_relaxed);
        if (b >= blocks) break;
        const std::uint64_t begin = b * block, end = std::min(trials, begin + block);
        if (!detail::run_block<Real>(model, seed, options.first_trial, begin, end, annual,
                                     breakdown, trials, std::span<Real>(scratch), stop,
                                     options.cancel))
          break;
        block_done[static_cast<std::size_t>(b)] = 1;
        completed.fetch_add(end - begin);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    running.fetch_sub(1);
  };

  {
    std::vector<std::jthread> workers;
    const unsigned helpers = watching ? threads : threads - 1;
    running = threads;
    workers.reserve(helpers);
    for (unsigned w = 0; w < helpers; ++w) workers.emplace_back(work);
    if (!watching) {
      work();
    } else {
      // Watch: report progress (and let the caller cancel) every interval,
      // and pass an external cancellation on to the workers at once.
      const auto interval = std::chrono::duration<double>(std::max(options.progress_interval, 0.001));
      while (running.load() > 0) {
        const auto until = std::chrono::steady_clock::now() + interval;
        while (running.load() > 0 && std::chrono::steady_clock::now() < until) {
          if (options.cancel && options.cancel->load(std::memory_order_relaxed)) stop = true;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (!stop.load() && options.progress && !options.progress(completed.load(), trials))
          stop = true;
      }
      if (!stop.load() && options.progress) options.progress(completed.load(), trials);
    }
  } // jthreads join here
  if (failure) std::rethrow_exception(failure);

  if (completed.load() < trials) { // cancelled: keep the completed prefix
    result.cancelled = true;
    std::uint64_t prefix_blocks = 0;
    while (prefix_blocks < blocks && block_done[static_cast<std::size_t>(prefix_blocks)])
      ++prefix_blocks;
    const auto kept = static_cast<Eigen::Index>(std::min(trials, prefix_blocks * block));
    result.annual_loss.conservativeResize(kept);
    result.breakdown.conservativeResize(kept, static_cast<Eigen::Index>(columns));
  }
  detail::split_losses(model, result);
  return result;
}

/// Merges shards of one simulation (same seed and breakdown, together
/// covering a contiguous range of trials, in any order) into one result by
/// concatenation: bit-identical to a single run over the whole range.
/// Throws value_error when the shards do not fit together.
template <class Real>
simulation_result<Real> concatenate_shards(std::span<const simulation_result<Real>> shards) {
  if (shards.empty()) throw value_error("shards", "", "", "nothing to merge");
  std::vector<const simulation_result<Real>*> order;
  for (const auto& s : shards) order.push_back(&s);
  std::sort(order.begin(), order.end(),
            [](auto a, auto b) { return a->first_trial < b->first_trial; });
  const auto columns = order.front()->breakdown.cols();
  Eigen::Index total = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& s = *order[i];
    if (s.seed != order.front()->seed)
      throw value_error("shards", "", "seed", "shards come from runs with different seeds");
    if (s.breakdown.cols() != columns || s.breakdown_names != order.front()->breakdown_names)
      throw value_error("shards", "", "breakdown", "shards have different breakdown columns");
    if (i > 0 && s.first_trial != order[i - 1]->first_trial + order[i - 1]->trials())
      throw value_error(
          "shards", "", "first_trial",
          "shards do not cover a contiguous range of trials (gap or overlap at trial " +
              std::to_string(s.first_trial) + ")");
    total += s.annual_loss.size();
  }
  simulation_result<Real> merged;
  merged.seed = order.front()->seed;
  merged.first_trial = order.front()->first_trial;
  merged.breakdown_names = order.front()->breakdown_names;
  merged.annual_loss.resize(total);
  merged.breakdown.resize(total, columns);
  merged.insured_loss.resize(total);
  merged.retained_loss.resize(total);
  Eigen::Index at = 0;
  for (const auto* s : order) {
    const auto rows = s->annual_loss.size();
    merged.annual_loss.segment(at, rows) = s->annual_loss;
    if (s->insured_loss.size() == rows && s->retained_loss.size() == rows) {
      merged.insured_loss.segment(at, rows) = s->insured_loss;
      merged.retained_loss.segment(at, rows) = s->retained_loss;
    } else { // a result made by hand, without them: nothing insured
      merged.insured_loss.segment(at, rows).setZero();
      merged.retained_loss.segment(at, rows) = s->annual_loss;
    }
    merged.breakdown.middleRows(at, rows) = s->breakdown;
    merged.cancelled = merged.cancelled || s->cancelled;
    at += rows;
  }
  return merged;
}

/// concatenate_shards over a vector.
template <class Real>
simulation_result<Real> concatenate_shards(const std::vector<simulation_result<Real>>& shards) {
  return concatenate_shards(std::span<const simulation_result<Real>>(shards));
}

} // namespace continuity
