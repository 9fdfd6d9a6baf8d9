// Tests for continuity/model/priority.hpp: the importance × dependency
// matrices and the RTO tables of docs/domain.md §3.
#include <continuity/model/priority.hpp>

#include <catch2/catch.hpp>

#include <limits>

using namespace continuity;

TEST_CASE("three-level matrix reproduces docs/domain.md section 3", "[priority]") {
  const auto m = priority_matrix::three_level();
  CHECK(m.levels() == 3);
  // Rows of the published table: dependency high / mid / low; columns
  // importance low / mid / high.
  using P = priority_class;
  const P high[] = {P::B, P::A, P::S}, mid[] = {P::C, P::B, P::A}, low[] = {P::D, P::C, P::B};
  for (int i = 1; i <= 3; ++i) {
    CHECK(m.classify(i, 3) == high[i - 1]);
    CHECK(m.classify(i, 2) == mid[i - 1]);
    CHECK(m.classify(i, 1) == low[i - 1]);
  }
  CHECK(m.preset_name() == "three-level");
}

TEST_CASE("five-level matrix agrees with the three-level one on corners and centre", "[priority]") {
  const auto five = priority_matrix::five_level();
  const auto three = priority_matrix::three_level();
  CHECK(five.levels() == 5);
  // Level 1, 3, 5 of five levels correspond to level 1, 2, 3 of three.
  for (int i : {1, 2, 3})
    for (int d : {1, 2, 3}) CHECK(five.classify(2 * i - 1, 2 * d - 1) == three.classify(i, d));
  // Monotone: more importance or more dependency never gives a later class.
  for (int i = 1; i <= 5; ++i)
    for (int d = 1; d <= 5; ++d) {
      if (i < 5) CHECK(five.classify(i + 1, d) <= five.classify(i, d));
      if (d < 5) CHECK(five.classify(i, d + 1) <= five.classify(i, d));
    }
  CHECK(five.preset_name() == "five-level");
}

TEST_CASE("custom matrices are checked", "[priority][errors]") {
  using P = priority_class;
  const priority_matrix custom({{P::C, P::B}, {P::A, P::S}});
  CHECK(custom.levels() == 2);
  CHECK(custom.classify(2, 2) == P::S);
  CHECK(custom.classify(1, 2) == P::A);
  CHECK(custom.preset_name().empty());
  CHECK_THROWS_AS(priority_matrix({{P::S}}), value_error);
  CHECK_THROWS_AS(priority_matrix({{P::S, P::A}, {P::B}}), value_error);
  CHECK_THROWS_WITH(priority_matrix({{P::S, P::A}, {P::B}}), Catch::Contains("row 2"));
}

TEST_CASE("RTO table presets hold the published values", "[priority]") {
  constexpr double none = std::numeric_limits<double>::infinity();
  using P = priority_class;
  const auto e1 = rto_table::example_1(), e2 = rto_table::example_2(), e3 = rto_table::example_3();
  // Example 1: S 0 (immediately), A 12 h, B 24 h, C 3 days, D risk accepted.
  CHECK(e1.rto(P::S) == 0);
  CHECK(e1.rto(P::A) == 12);
  CHECK(e1.rto(P::B) == 24);
  CHECK(e1.rto(P::C) == 72);
  CHECK(e1.rto(P::D) == none);
  // Example 2: 3 h, 6 h, 24 h, 72 h, not set.
  CHECK(e2.rto(P::S) == 3);
  CHECK(e2.rto(P::A) == 6);
  CHECK(e2.rto(P::C) == 72);
  CHECK(e2.rto(P::D) == none);
  // Example 3: 17 h, 24 h, 3 days, 7 days, after 7 days.
  CHECK(e3.rto(P::S) == 17);
  CHECK(e3.rto(P::B) == 72);
  CHECK(e3.rto(P::C) == 168);
  CHECK(e3.rto(P::D) == none);
  CHECK(rto_table::preset("example-2") == e2);
  CHECK_FALSE(rto_table::preset("example-4").has_value());
  CHECK(e3.preset_name() == "example-3");
}

TEST_CASE("RTO tables reject negative, NaN and inverted entries", "[priority][errors]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(rto_table({-1, 2, 3, 4, 5}), value_error);
  CHECK_THROWS_AS(rto_table({1, nan, 3, 4, 5}), value_error);
  CHECK_THROWS_WITH(rto_table({1, 12, 6, 24, 48}), Catch::Contains("B"));
  CHECK_NOTHROW(rto_table({1, 1, 1, 1, 1}));
}

TEST_CASE("class names round-trip", "[priority]") {
  for (auto c : {priority_class::S, priority_class::A, priority_class::B, priority_class::C,
                 priority_class::D})
    CHECK(parse_priority_class(to_string(c)) == c);
  CHECK_FALSE(parse_priority_class("E").has_value());
}
