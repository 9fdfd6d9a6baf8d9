// Tests for continuity/model/impact_curve.hpp and the profit rate of a
// business function.
#include <continuity/model/business_function.hpp>
#include <continuity/model/impact_curve.hpp>

#include <catch2/catch.hpp>

using namespace continuity;

TEST_CASE("cumulative impact integrates the step rates and adds lumps", "[impact_curve]") {
  // 100/h from 0 h; from 72 h 300/h and a lump of 5,000 (customers leave).
  impact_curve<double> c{"customers", {{0, 100, 0}, {72, 300, 5000}}};
  CHECK(c.cumulative(0) == 0);
  CHECK(c.cumulative(10) == Approx(1000));
  CHECK(c.cumulative(71.999) == Approx(7199.9));
  // At 72 h: 72 h × 100 + the lump.
  CHECK(c.cumulative(72) == Approx(7200 + 5000));
  // At 100 h: 7,200 + 5,000 + 28 h × 300.
  CHECK(c.cumulative(100) == Approx(7200 + 5000 + 28 * 300));
}

TEST_CASE("no impact before the first step", "[impact_curve]") {
  impact_curve<double> c{"penalty", {{24, 0, 1000}}};
  CHECK(c.cumulative(23.9) == 0);
  CHECK(c.cumulative(24) == 1000);
  CHECK(c.cumulative(1000) == 1000);
  CHECK(impact_curve<double>{"empty", {}}.cumulative(50) == 0);
}

TEST_CASE("cumulative impact never decreases with a longer outage", "[impact_curve]") {
  impact_curve<double> c{"mixed", {{0, 5, 0}, {10, 0, 50}, {20, 20, 10}, {40, 1, 0}}};
  double previous = 0;
  for (double h = 0; h < 60; h += 0.25) {
    const double v = c.cumulative(h);
    CHECK(v >= previous);
    previous = v;
  }
}

TEST_CASE("profit per hour follows revenue, margin and operating days", "[business_function]") {
  business_function<double> f;
  // Manufacturer A of docs/domain.md §6: 1.0 bn / 250 days = 4 m a day, 10 % margin.
  f.revenue_per_day = 4'000'000;
  f.margin = 0.10;
  f.operating_days_per_week = 7;
  CHECK(f.profit_per_hour() * 24 == Approx(400'000));
  // Retailer B: 1.2 m a day, one third margin, 5 days a week: two calendar
  // weeks are 10 operating days, 4.0 m.
  f.revenue_per_day = 1'200'000;
  f.margin = 1.0 / 3.0;
  f.operating_days_per_week = 5;
  CHECK(f.profit_per_hour() * 14 * 24 == Approx(4'000'000));
}
