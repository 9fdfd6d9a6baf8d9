// continuity/detail/workspace_pool.hpp — working memory lent to the threads
// that call a shared, const object (a trial model): each call borrows a
// workspace and gives it back, so that the memory is reused by the next call
// instead of being allocated again. Unstable internals.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace continuity::detail {

/// Workspaces of type T (default-constructible), lent one at a time to each
/// caller; as many exist as callers ever held one at once. Thread-safe. A
/// copy of a pool starts empty (workspaces hold no results, only memory).
template <class T>
class workspace_pool {
public:
  /// A borrowed workspace, given back when the lease ends.
  class lease {
  public:
    /// Takes over `other`'s workspace.
    lease(lease&& other) noexcept = default;
    lease& operator=(lease&&) = delete;
    ~lease() {
      if (item_) pool_->give_back(std::move(item_));
    }
    /// The workspace.
    T& operator*() const noexcept { return *item_; }
    /// The workspace.
    T* operator->() const noexcept { return item_.get(); }

  private:
    friend class workspace_pool;
    lease(workspace_pool& pool, std::unique_ptr<T> item) : pool_(&pool), item_(std::move(item)) {}
    workspace_pool* pool_;
    std::unique_ptr<T> item_;
  };

  workspace_pool() = default;
  /// An empty pool.
  workspace_pool(const workspace_pool&) noexcept {}
  /// Keeps this pool's workspaces.
  workspace_pool& operator=(const workspace_pool&) noexcept { return *this; }
  ~workspace_pool() = default;

  /// Borrows a workspace: one given back earlier, or a new one.
  lease borrow() {
    {
      const std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto item = std::move(free_.back());
        free_.pop_back();
        return lease(*this, std::move(item));
      }
    }
    return lease(*this, std::make_unique<T>());
  }

private:
  void give_back(std::unique_ptr<T> item) noexcept {
    try {
      const std::lock_guard lock(mutex_);
      free_.push_back(std::move(item));
    } catch (...) {
      // No room to keep it: the workspace is freed instead.
    }
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<T>> free_;
};

} // namespace continuity::detail
