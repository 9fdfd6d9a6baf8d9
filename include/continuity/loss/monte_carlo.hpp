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
#include <condition_variable>
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
///  * optional `m.evaluate_group(engines, annual, breakdown)`: the same on a
///    trial_engine_group (the engines' states side by side, for kernels that
///    step them in SIMD); preferred to evaluate_batch when both exist;
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

/// Storage owned by the caller that run_into writes a run's per-trial
/// results to, in trial order (entry t: trial first_trial + t). The annual
/// loss is required; the others may be left empty, and are then neither
/// written nor allocated: e.g. the annual loss alone, when that is all that
/// is wanted of a large run. The insured and retained loss are computed from
/// the insured breakdown columns whether or not the breakdown is kept.
template <class Real = double>
struct trial_outputs {
  /// Total loss of each trial: one entry per trial.
  std::span<Real> annual_loss{};
  /// Breakdown, trials × the model's breakdown_size() columns, column-major
  /// (entry c · trials + t); or empty.
  std::span<Real> breakdown{};
  /// Insured loss of each trial (as simulation_result::insured_loss), or empty.
  std::span<Real> insured_loss{};
  /// Retained loss of each trial (as simulation_result::retained_loss), or empty.
  std::span<Real> retained_loss{};
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

// The insured breakdown columns [first, last) of a model (none without
// insured_columns()).
template <class Model>
std::pair<std::size_t, std::size_t> insured_range(const Model& model) {
  if constexpr (insured_trial_model<Model>)
    return model.insured_columns();
  else
    return {0, 0};
}

// Where run_block writes: the caller's outputs, and the model's insured
// columns.
template <class Real>
struct block_outputs {
  Real* annual;
  Real* breakdown; // null: not kept
  Real* insured;   // null: not kept
  Real* retained;  // null: not kept
  std::uint64_t trials; // rows of the breakdown
  std::size_t insured_first, insured_last;
};

// The insured and retained loss of trial t, whose breakdown columns are
// row[c * stride]: the sum of the insured columns (in column order) split
// with split_loss. (Called only when either is kept.)
template <class Real>
void split_trial(const block_outputs<Real>& out, std::uint64_t t, const Real* row,
                 std::size_t stride) {
  Real insured = 0;
  for (std::size_t c = out.insured_first; c < out.insured_last; ++c) insured += row[c * stride];
  const auto s = split_loss(out.annual[t], insured);
  if (out.insured) out.insured[t] = s.insured;
  if (out.retained) out.retained[t] = s.retained;
}

template <class Model, class Real>
concept group_trial_model =
    requires(const Model& m, trial_engine_group& engines, std::span<Real> out) {
      m.evaluate_group(engines, out, out);
    };

template <class Model, class Real>
concept batch_trial_model =
    requires(const Model& m, std::span<trial_engine> engines, std::span<Real> out) {
      m.evaluate_batch(engines, out, out);
    };

// Runs trials [begin, end) into `out`; returns false if `stop` cut the
// block short (its results are then incomplete).
template <class Real, class Model>
bool run_block(const Model& model, std::uint64_t seed, std::uint64_t first_trial,
               std::uint64_t begin, std::uint64_t end, const block_outputs<Real>& out,
               std::span<Real> scratch, const std::atomic<bool>& stop,
               const std::atomic<bool>* cancel) {
  const auto stopped = [&] {
    return stop.load(std::memory_order_relaxed) ||
           (cancel && cancel->load(std::memory_order_relaxed));
  };
  const std::size_t columns = scratch.size() / trial_group;
  static_assert(trial_group == trial_engine_group::capacity);
  constexpr bool grouped = group_trial_model<Model, Real>;
  constexpr bool batched = !grouped && batch_trial_model<Model, Real>;
  std::array<trial_engine, grouped ? 0 : trial_group> engines; // (a group model keys its own lanes)
  for (std::uint64_t g = begin; g < end; g += trial_group) {
    const auto n = static_cast<std::size_t>(std::min(trial_group, end - g));
    const std::span<Real> annual(out.annual + g, n);
    if constexpr (grouped) {
      trial_engine_group group(seed, first_trial + g, n);
      model.evaluate_group(group, annual, scratch.first(n * columns));
    } else if constexpr (batched) {
      trial_engine::make(seed, first_trial + g, n, engines.data());
      model.evaluate_batch(std::span<trial_engine>(engines.data(), n), annual,
                           scratch.first(n * columns));
    } else {
      trial_engine::make(seed, first_trial + g, n, engines.data());
      const auto row = scratch.first(columns);
      for (std::size_t j = 0; j < n; ++j) {
        if (stopped()) return false;
        const std::uint64_t t = g + j;
        if constexpr (stoppable_trial_model<Model, Real>)
          out.annual[t] = static_cast<Real>(model(engines[j], row, stop));
        else
          out.annual[t] = static_cast<Real>(model(engines[j], row));
        if (out.breakdown)
          for (std::size_t c = 0; c < columns; ++c) out.breakdown[c * out.trials + t] = row[c];
        if (out.insured || out.retained) split_trial(out, t, row.data(), 1);
      }
    }
    if constexpr (grouped || batched) { // the group's columns, scratch[c * n + j], to the outputs
      if (out.breakdown)
        for (std::size_t c = 0; c < columns; ++c)
          std::copy_n(scratch.data() + c * n, n, out.breakdown + c * out.trials + g);
      if (out.insured || out.retained)
        for (std::size_t j = 0; j < n; ++j) split_trial(out, g + j, scratch.data() + j, n);
    }
    if (stopped()) return false;
  }
  return true;
}

} // namespace detail

/// Runs `trials` trials of `model` with `seed`, in parallel, into storage
/// owned by the caller (see trial_outputs: each span given must have room
/// for `trials` entries, the breakdown for trials × model.breakdown_size()).
/// Trial t of the outputs is trial options.first_trial + t of the simulation
/// and uses stream(seed, first_trial + t): the same numbers whatever the
/// thread count, block size or sharding, and the same as run() gives.
/// Returns the number of trials completed: `trials`, or fewer when the run
/// was cancelled (the outputs then hold that completed prefix, itself a
/// valid shard, and are unspecified beyond it). Throws value_error for spans
/// of the wrong size. The hot loop does not allocate; exceptions thrown by
/// the model stop the run and are rethrown here.
template <class Model, class Real = model_real_t<Model>>
requires trial_model<Model, Real> std::uint64_t
run_into(const Model& model, std::uint64_t trials, std::uint64_t seed,
         const run_options& options, const trial_outputs<Real>& outputs) {
  if (options.block_size == 0)
    throw value_error("run options", "", "block_size", "must be positive, got 0");
  if (trials > std::numeric_limits<std::uint64_t>::max() - options.first_trial)
    throw value_error("run options", "", "first_trial", "first_trial + trials overflows");
  const std::size_t columns = static_cast<std::size_t>(model.breakdown_size());
  const auto check_size = [&](std::span<Real> s, const char* name, std::uint64_t per_trial,
                              bool required) {
    if (!required && s.empty()) return;
    const bool fits = per_trial == 0 ? s.empty()
                                     : trials <= std::numeric_limits<std::uint64_t>::max() / per_trial &&
                                           s.size() == trials * per_trial;
    if (!fits)
      throw value_error("run outputs", "", name,
                        "must hold " + std::to_string(trials) + " × " +
                            std::to_string(per_trial) + " entries, got " +
                            std::to_string(s.size()));
  };
  check_size(outputs.annual_loss, "annual_loss", 1, true);
  check_size(outputs.breakdown, "breakdown", columns, false);
  check_size(outputs.insured_loss, "insured_loss", 1, false);
  check_size(outputs.retained_loss, "retained_loss", 1, false);
  if (trials == 0) return 0;

  const auto [insured_first, insured_last] = detail::insured_range(model);
  const auto data = [](std::span<Real> s) { return s.empty() ? nullptr : s.data(); };
  const detail::block_outputs<Real> out{outputs.annual_loss.data(),
                                        columns == 0 ? nullptr : data(outputs.breakdown),
                                        data(outputs.insured_loss),
                                        data(outputs.retained_loss),
                                        trials,
                                        insured_first,
                                        insured_last};
  const std::uint64_t block = options.block_size;
  const std::uint64_t blocks = (trials + block - 1) / block;
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = static_cast<unsigned>(std::clamp<std::uint64_t>(threads, 1, blocks));

  std::atomic<std::uint64_t> next_block{0}, completed{0};
  std::atomic<bool> stop{false};
  unsigned running = threads; // workers not yet done, under `running_mutex`
  std::mutex running_mutex;
  std::condition_variable all_done;
  std::vector<unsigned char> block_done(static_cast<std::size_t>(blocks), 0);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  // With a progress report or a cancellation flag, the calling thread
  // watches (reports, and passes a cancellation on within a trial).
  const bool watching = static_cast<bool>(options.progress) || options.cancel != nullptr;

  auto work = [&] {
    try {
      std::vector<Real> scratch(columns * detail::trial_group); // once per worker
      for (;;) {
        if (stop.load(std::memory_order_relaxed)) break;
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
          stop = true;
          break;
        }
        const std::uint64_t b = next_block.fetch_add(1, std::memory_order_relaxed);
        if (b >= blocks) break;
        const std::uint64_t begin = b * block, end = std::min(trials, begin + block);
        if (!detail::run_block<Real>(model, seed, options.first_trial, begin, end, out,
                                     std::span<Real>(scratch), stop, options.cancel))
          break;
        block_done[static_cast<std::size_t>(b)] = 1;
        completed.fetch_add(end - begin);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    {
      std::lock_guard lock(running_mutex);
      --running;
    }
    all_done.notify_all();
  };

  {
    std::vector<std::jthread> workers;
    const unsigned helpers = watching ? threads : threads - 1;
    workers.reserve(helpers);
    for (unsigned w = 0; w < helpers; ++w) workers.emplace_back(work);
    if (!watching) {
      work();
    } else {
      // Watch: report progress (and let the caller cancel) every interval,
      // waking as soon as the workers are done; an external cancellation
      // flag is looked at every 2 ms and passed on to the workers at once.
      using clock = std::chrono::steady_clock;
      const auto interval = std::chrono::duration_cast<clock::duration>(
          std::chrono::duration<double>(std::max(options.progress_interval, 0.001)));
      const auto poll = std::chrono::milliseconds(2);
      std::unique_lock lock(running_mutex);
      while (running > 0) {
        const auto until = clock::now() + interval;
        while (running > 0 && clock::now() < until) {
          if (options.cancel && options.cancel->load(std::memory_order_relaxed)) stop = true;
          all_done.wait_until(lock, options.cancel ? std::min(until, clock::now() + poll) : until);
        }
        if (running == 0) break;
        lock.unlock();
        if (!stop.load() && options.progress && !options.progress(completed.load(), trials))
          stop = true;
        lock.lock();
      }
      lock.unlock();
      if (!stop.load() && options.progress) options.progress(completed.load(), trials);
    }
  } // jthreads join here
  if (failure) std::rethrow_exception(failure);

  if (completed.load() == trials) return trials;
  std::uint64_t prefix_blocks = 0; // cancelled: the completed prefix
  while (prefix_blocks < blocks && block_done[static_cast<std::size_t>(prefix_blocks)])
    ++prefix_blocks;
  return std::min(trials, prefix_blocks * block);
}

/// Runs `trials` trials of `model` with `seed`, in parallel. Trial t of the
/// result is trial options.first_trial + t of the simulation and uses
/// stream(seed, first_trial + t): the same numbers whatever the thread count,
/// block size or sharding. The hot loop does not allocate. Exceptions thrown
/// by the model stop the run and are rethrown here. (run_into does the same
/// into storage of the caller's.)
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
  const auto whole = [](auto& a) { return std::span<Real>(a.data(), static_cast<std::size_t>(a.size())); };
  const std::uint64_t done =
      run_into(model, trials, seed, options,
               trial_outputs<Real>{whole(result.annual_loss), whole(result.breakdown),
                                   whole(result.insured_loss), whole(result.retained_loss)});
  if (done < trials) { // cancelled: keep the completed prefix
    result.cancelled = true;
    const auto kept = static_cast<Eigen::Index>(done);
    result.annual_loss.conservativeResize(kept);
    result.breakdown.conservativeResize(kept, static_cast<Eigen::Index>(columns));
    result.insured_loss.conservativeResize(kept);
    result.retained_loss.conservativeResize(kept);
  }
  return result;
}

namespace detail {

/// What concatenate_shards checks of a shard (the names are not copied).
struct shard_extent {
  /// The seed of the run.
  std::uint64_t seed = 0;
  /// Its first trial.
  std::uint64_t first_trial = 0;
  /// Its number of trials.
  std::uint64_t trials = 0;
  /// Its breakdown columns.
  std::size_t columns = 0;
  /// Their names (not null).
  const std::vector<std::string>* breakdown_names = nullptr;
};

/// The shards' indices in the order of their first trials, after checking
/// that they are shards of one simulation (same seed and breakdown) that
/// together cover a contiguous range of trials; throws value_error otherwise.
inline std::vector<std::size_t> shard_order(std::span<const shard_extent> shards) {
  if (shards.empty()) throw value_error("shards", "", "", "nothing to merge");
  std::vector<std::size_t> order(shards.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return shards[a].first_trial < shards[b].first_trial;
  });
  const shard_extent& front = shards[order.front()];
  for (std::size_t i = 0; i < order.size(); ++i) {
    const shard_extent& s = shards[order[i]];
    if (s.seed != front.seed)
      throw value_error("shards", "", "seed", "shards come from runs with different seeds");
    if (s.columns != front.columns || *s.breakdown_names != *front.breakdown_names)
      throw value_error("shards", "", "breakdown", "shards have different breakdown columns");
    if (i > 0 && s.first_trial != shards[order[i - 1]].first_trial + shards[order[i - 1]].trials)
      throw value_error(
          "shards", "", "first_trial",
          "shards do not cover a contiguous range of trials (gap or overlap at trial " +
              std::to_string(s.first_trial) + ")");
  }
  return order;
}

} // namespace detail

/// Merges shards of one simulation (same seed and breakdown, together
/// covering a contiguous range of trials, in any order) into one result by
/// concatenation: bit-identical to a single run over the whole range.
/// Throws value_error when the shards do not fit together.
template <class Real>
simulation_result<Real> concatenate_shards(std::span<const simulation_result<Real>> shards) {
  std::vector<detail::shard_extent> extents;
  for (const auto& s : shards)
    extents.push_back({s.seed, s.first_trial, s.trials(),
                       static_cast<std::size_t>(s.breakdown.cols()), &s.breakdown_names});
  std::vector<const simulation_result<Real>*> order;
  for (const std::size_t i : detail::shard_order(extents)) order.push_back(&shards[i]);
  const auto columns = order.front()->breakdown.cols();
  Eigen::Index total = 0;
  for (const auto* s : order) total += s->annual_loss.size();
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
