// Shared helpers of the continuity._core bindings.
#pragma once

#include "register.hpp"

#include <continuity/continuity.hpp>
#include <continuity/io.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace continuity::python {

/// Models are shared: plans and simulations keep the model they refer to alive.
using model_ptr = std::shared_ptr<const model>;

/// Moves a vector into a NumPy array that owns it (no copy of the elements).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

/// A NumPy bool array from 0/1 bytes.
inline py::array_t<bool> to_bool_numpy(const std::vector<std::uint8_t>& v) {
  py::array_t<bool> out(static_cast<py::ssize_t>(v.size()));
  auto w = out.mutable_unchecked<1>();
  for (std::size_t i = 0; i < v.size(); ++i) w(static_cast<py::ssize_t>(i)) = v[i] != 0;
  return out;
}

/// What a worker thread and the thread that waits for it share: the
/// cancellation flag the work watches, and its result or exception.
template <class Result>
struct shared_work {
  std::atomic<bool> cancel{false};
  std::mutex lock;
  std::condition_variable done;
  bool finished = false;
  std::optional<Result> result;
  std::exception_ptr failure;

  /// Runs `work(cancel)` (on the worker thread) and says it has finished.
  template <class Work>
  void run(Work& work) {
    try {
      result.emplace(work(cancel));
    } catch (...) {
      failure = std::current_exception();
    }
    const std::lock_guard<std::mutex> hold(lock);
    finished = true;
    done.notify_one();
  }

  /// Waits with the GIL released until the work has finished, checking for
  /// Ctrl-C (and other signals) every 20 ms: a signal sets `cancel`. Returns
  /// the signal's Python exception, if one came: at once if `leave` (the
  /// work then finishes on its own), otherwise once the work has returned.
  std::optional<py::error_already_set> wait(bool leave) {
    std::optional<py::error_already_set> signal;
    py::gil_scoped_release release;
    for (;;) {
      {
        std::unique_lock<std::mutex> hold(lock);
        // Returns as soon as the work is done (short work costs no waiting).
        if (done.wait_for(hold, std::chrono::milliseconds(20), [&] { return finished; })) break;
      }
      if (signal) continue;
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {
        signal.emplace();
        cancel = true;
        if (leave) break;
      }
    }
    return signal;
  }

  /// The result, or the work's exception rethrown.
  Result get() {
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
  }
};

/// Runs `work(cancel)` on a worker thread with the GIL released, while this
/// thread checks for Ctrl-C (and other signals) every 20 ms; a signal sets
/// `cancel`, which long C++ work watches, and is raised as the Python
/// exception (KeyboardInterrupt) once `work` has returned. Exceptions of
/// `work` are rethrown here. For work that Ctrl-C must stop within a second.
template <class Work>
auto interruptible(Work&& work) {
  using result_type = decltype(work(std::declval<const std::atomic<bool>&>()));
  shared_work<result_type> shared;
  std::optional<py::error_already_set> signal;
  {
    std::jthread worker([&] { shared.run(work); });
    signal = shared.wait(false);
  }
  if (signal) throw std::move(*signal);
  return shared.get();
}

/// As interruptible, for work that owns everything it uses (it captures by
/// value, and touches no Python object): on Ctrl-C the KeyboardInterrupt is
/// raised at once, and the work, which watches `cancel`, stops and frees its
/// memory on its own thread (freeing the document of a model of a million
/// steps takes about a second).
template <class Work>
auto interruptible_detached(Work work) {
  using result_type = decltype(work(std::declval<const std::atomic<bool>&>()));
  auto shared = std::make_shared<shared_work<result_type>>();
  std::thread([shared, work = std::move(work)]() mutable { shared->run(work); }).detach();
  if (auto signal = shared->wait(true)) throw std::move(*signal);
  return shared->get();
}

/// The scenario of `m` called `name`; reference_error if there is none.
inline index_t scenario_index(const model& m, const std::string& name) {
  const auto i = m.find_scenario(name);
  if (!i)
    throw reference_error("model", m.name(), "scenario", "unknown incident scenario '" + name + "'");
  return *i;
}

/// The function of `m` called `name`; reference_error if there is none.
inline index_t function_index(const model& m, const std::string& name) {
  const auto f = m.find_function(name);
  if (!f)
    throw reference_error("model", m.name(), "function", "unknown business function '" + name + "'");
  return *f;
}

/// Name of system s, or "" for no_index.
inline std::string system_name(const model& m, index_t s) {
  return s == no_index ? std::string{} : m.system_at(s).name;
}

/// Name of function f, or "" for no_index.
inline std::string function_name(const model& m, index_t f) {
  return f == no_index ? std::string{} : m.function_at(f).name;
}

} // namespace continuity::python
