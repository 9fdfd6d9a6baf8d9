// Tests of continuity/detail/workspace_pool.hpp: a workspace given back is
// lent again (its memory reused), two callers at once get two, a copy of a
// pool starts empty, and threads borrowing at once never share one.
#include <continuity/detail/workspace_pool.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <mutex>
#include <thread>
#include <vector>

namespace workspace_pool_test {

struct workspace {
  std::vector<int> memory;
  std::atomic<int> users{0};
};

} // namespace workspace_pool_test

TEST_CASE("workspace pool: a workspace given back is lent again, two at once are two") {
  using pool_type = continuity::detail::workspace_pool<workspace_pool_test::workspace>;
  pool_type pool;
  const workspace_pool_test::workspace* first = nullptr;
  {
    auto lease = pool.borrow();
    lease->memory.assign(100, 7);
    first = &*lease;
  }
  {
    auto a = pool.borrow();
    CHECK(&*a == first);
    CHECK(a->memory.size() == 100); // the memory is kept, not the meaning
    auto b = pool.borrow();
    CHECK(&*b != first);
    auto moved = std::move(b); // a lease can move; only the last holder gives back
    CHECK(&*moved != first);
  }
  {
    auto a = pool.borrow();
    auto b = pool.borrow();
    auto c = pool.borrow(); // a third one is new
    CHECK(&*a != &*b);
    CHECK(&*c != &*a);
    CHECK(&*c != &*b);
  }
  pool_type copy(pool); // starts empty: its first workspace is new
  auto from_copy = copy.borrow();
  CHECK(from_copy->memory.empty());
}

TEST_CASE("workspace pool: threads borrowing at once never share a workspace") {
  continuity::detail::workspace_pool<workspace_pool_test::workspace> pool;
  std::atomic<bool> shared{false};
  std::mutex seen_mutex;
  std::set<const workspace_pool_test::workspace*> seen;
  const unsigned threads = 4;
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back([&] {
        for (int k = 0; k < 2000; ++k) {
          auto lease = pool.borrow();
          if (lease->users.fetch_add(1) != 0) shared = true;
          lease->memory.push_back(k);
          lease->users.fetch_sub(1);
          if (k % 500 == 0) {
            const std::lock_guard lock(seen_mutex);
            seen.insert(&*lease);
          }
        }
      });
  }
  CHECK(!shared);
  CHECK(seen.size() <= threads);
}
