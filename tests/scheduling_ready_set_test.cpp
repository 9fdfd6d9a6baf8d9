// Tests of continuity/scheduling/detail/ready_set.hpp: random insertions and
// removals of the smallest against std::set, for sizes around the word and
// level boundaries (64, 64², 64³ indices; the largest tagged [slow]), and
// reuse after reset.
#include <continuity/scheduling/detail/ready_set.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <set>
#include <vector>

namespace ready_set_test {

// Random operations on a ready_set of indices below n and on a std::set, the
// reference; every smallest taken must agree.
void compare_with_set(continuity::detail::ready_set& ready, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  ready.reset(n);
  std::set<std::size_t> reference;
  std::vector<std::size_t> absent(n);
  for (std::size_t i = 0; i < n; ++i) absent[i] = i;
  const std::size_t operations = 3 * n + 10;
  for (std::size_t k = 0; k < operations; ++k) {
    REQUIRE(ready.empty() == reference.empty());
    const bool insert = !absent.empty() && (reference.empty() || random() % 3 != 0);
    if (insert) {
      const std::size_t at = random() % absent.size();
      const std::size_t i = absent[at];
      absent[at] = absent.back();
      absent.pop_back();
      ready.insert(i);
      reference.insert(i);
    } else if (!reference.empty()) {
      const std::size_t smallest = *reference.begin();
      reference.erase(reference.begin());
      REQUIRE(ready.pop_min() == smallest);
      absent.push_back(smallest);
    }
  }
  while (!reference.empty()) {
    REQUIRE(ready.pop_min() == *reference.begin());
    reference.erase(reference.begin());
  }
  CHECK(ready.empty());
}

} // namespace ready_set_test

TEST_CASE("ready set: the smallest index first, as std::set, across word and level boundaries") {
  continuity::detail::ready_set ready; // reused: a reset forgets everything
  std::uint64_t seed = 1;
  for (std::size_t n : {1u, 2u, 63u, 64u, 65u, 127u, 128u, 4095u, 4096u, 4097u, 20000u, 5u})
    ready_set_test::compare_with_set(ready, n, seed++);
}

TEST_CASE("ready set: as std::set at the fourth level (64³ indices and more)", "[slow]") {
  continuity::detail::ready_set ready;
  std::uint64_t seed = 100;
  for (std::size_t n : {262144u, 262145u, 300000u, 7u})
    ready_set_test::compare_with_set(ready, n, seed++);
}

TEST_CASE("ready set: every index of a full set comes out in order") {
  continuity::detail::ready_set ready;
  const std::size_t n = 5000;
  ready.reset(n);
  for (std::size_t i = n; i-- > 0;) ready.insert(i);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(ready.pop_min() == i);
  CHECK(ready.empty());
  ready.reset(0);
  CHECK(ready.empty());
}
