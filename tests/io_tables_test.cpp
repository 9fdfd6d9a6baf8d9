// Tests of continuity/io/tables.hpp: a model's functions, systems,
// dependencies, backups and impacts read from the columns of its tables,
// checked against the model file's reader (read_model_spec of the same
// inventory written as JSON), and its errors: table_error naming file,
// sheet, row and column, the first in row order.
#include <continuity/io/json.hpp>
#include <continuity/io/tables.hpp>

#include <catch2/catch.hpp>

#include "support/errors.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace io_tables_test {

using namespace continuity;

// Columns built from lists of cells, holding the buffers the table points into.
class sheet {
public:
  sheet(std::string name, std::size_t rows) : name_(std::move(name)), rows_(rows) {}

  // A text column; "" is an empty cell.
  sheet& text(const std::string& column, const std::vector<std::string>& cells) {
    REQUIRE(cells.size() == rows_);
    auto& buffer = texts_.emplace_back();
    auto& offsets = offsets_.emplace_back(1, 0);
    for (const auto& c : cells) {
      buffer += c;
      offsets.push_back(static_cast<std::int64_t>(buffer.size()));
    }
    columns_.push_back({column, "", buffer, offsets, {}});
    return *this;
  }
  // A number column; NaN is an empty cell.
  sheet& numbers(const std::string& column, const std::vector<double>& cells) {
    REQUIRE(cells.size() == rows_);
    const auto& values = numbers_.emplace_back(cells);
    columns_.push_back({column, "", {}, {}, values});
    return *this;
  }
  inventory_table table() const {
    inventory_table t;
    t.file = name_ + ".csv";
    t.sheet = name_;
    t.rows = rows_;
    t.columns = columns_;
    return t;
  }

private:
  std::string name_;
  std::size_t rows_;
  // Lists: the columns' views stay valid as more are added.
  std::list<std::string> texts_;
  std::list<std::vector<std::int64_t>> offsets_;
  std::list<std::vector<double>> numbers_;
  std::vector<table_column> columns_;
};

constexpr double empty = std::numeric_limits<double>::quiet_NaN();

struct inventory {
  sheet functions{"functions", 2}, systems{"systems", 5}, dependencies{"dependencies", 7},
      backups{"backups", 2};
  inventory() {
    functions.text("name", {"ordering", "受付"})
        .text("importance", {"3", "２"})
        .text("rto", {"4h", ""})
        .numbers("revenue_per_day", {1e6, empty})
        .text("workaround_capacity", {"", "0.5"});
    systems.text("name", {"db", " web\u3000", "host a", "host b", "電源"})
        .text("layer", {"software", "Software", "hardware", "HARD-WARE", "infrastructure"})
        .text("holds_data", {"yes", "FALSE", "", "", ""});
    dependencies.text("from", {"ordering", "受付", "web", "web", "web", "db", "受付"})
        .text("kind", {"", "", "", "k_of", "k of", "any_of", ""})
        .text("group", {"", "", "", "1", "1", "", ""})
        .text("k", {"", "", "", "1", "", "", ""})
        .text("to", {"web", "web", "db", "host a", "host b", "電源", "db"});
    backups.text("system", {"db", "db"}).text("interval", {"1d", ""}).text("age", {"", "3d"});
  }
  inventory_tables tables() const {
    return {functions.table(), systems.table(), dependencies.table(), backups.table(),
            std::nullopt};
  }
};

// The same inventory in the model file format.
const char* const inventory_json = R"({
  "functions": [
    {"name": "ordering", "importance": 3, "rto": "4h", "revenue_per_day": 1000000,
     "needs": ["web"]},
    {"name": "受付", "importance": 2, "manual_workaround": {"capacity": 0.5},
     "needs": ["web", "db"]}
  ],
  "systems": [
    {"name": "db", "holds_data": true, "depends_on": [{"any_of": ["電源"]}],
     "backups": [{"interval": "1d"}, {"age": "3d"}]},
    {"name": "web", "holds_data": false,
     "depends_on": ["db", {"k_of": 1, "systems": ["host a", "host b"]}]},
    {"name": "host a", "layer": "hardware"},
    {"name": "host b", "layer": "hardware"},
    {"name": "電源", "layer": "infrastructure"}
  ]
})";

// Whether the edited inventory reads without an error.
template <class Edit>
bool reads(Edit edit) {
  inventory inv;
  edit(inv);
  try {
    (void)read_inventory_tables(inv.tables());
    return true;
  } catch (const error&) {
    return false;
  }
}

template <class Edit>
std::optional<table_error> table_failure(Edit edit) {
  inventory inv;
  edit(inv);
  return continuity_test::thrown<table_error>([&] { (void)read_inventory_tables(inv.tables()); });
}

TEST_CASE("tables give the specification of the model file's reader") {
  const inventory inv;
  const auto spec = read_inventory_tables(inv.tables());
  CHECK(spec == read_model_spec(parse_json_text(inventory_json)));
  const model m(spec);
  CHECK(m.system_count() == 5);
  CHECK(m.function_at(1).needs.front().systems == std::vector<std::string>{"web", "db"});
}

TEST_CASE("tables keep the base's settings and default dependency") {
  inventory inv;
  model_spec base;
  base.name = "base";
  base.tier = dependency_tier::pine;
  base.scenarios.push_back({});
  base.scenarios.back().name = "fire";
  const auto spec = read_inventory_tables(inv.tables(), base);
  CHECK(spec.name == "base");
  CHECK(spec.scenarios.size() == 1);
  CHECK(spec.functions[0].system_dependency ==
        default_system_dependency(dependency_tier::pine, spec.priorities.levels()));
}

TEST_CASE("a bad cell is a table_error naming file, sheet, row and column") {
  const auto e = table_failure([](inventory& inv) {
    inv.systems = sheet("systems", 2);
    inv.systems.text("name", {"db", "web"}).text("layer", {"software", "firmware"});
  });
  REQUIRE(e);
  CHECK(e->file() == "systems.csv");
  CHECK(e->sheet() == "systems");
  CHECK(e->row() == 3);
  CHECK(e->column() == "layer");
  CHECK(std::string(e->what()) ==
        "systems.csv, sheet 'systems', row 3, column 'layer': unknown layer 'firmware' "
        "(expected one of: building, infrastructure, hardware, software, data, software/data, "
        "people)");
}

TEST_CASE("cells of each type that are not of it") {
  auto function_cell = [](const std::string& column, const std::string& value) {
    return table_failure([&](inventory& inv) {
      inv.functions = sheet("functions", 1);
      inv.functions.text("name", {"f"}).text(column, {value});
    });
  };
  auto problem = [](const std::optional<table_error>& e) { return e ? e->problem() : ""; };
  CHECK(problem(function_cell("importance", "2.5")) == "'2.5' is not a whole number");
  CHECK(problem(function_cell("margin", "1,5")) == "'1,5' is not a number");
  CHECK(problem(function_cell("rto", "1 fortnight")) ==
        "'1 fortnight' is not a duration (a number of hours, or a number with min, h, d, w, mo "
        "or y such as '4h' or '3d')");
  CHECK(problem(function_cell("emergency", "maybe")) ==
        "'maybe' is not a yes/no value (TRUE/FALSE, yes/no or 1/0)");
  const auto empty_name = table_failure([](inventory& inv) {
    inv.functions = sheet("functions", 1);
    inv.functions.text("name", {"  "}).text("importance", {"1"});
  });
  CHECK(problem(empty_name) == "'name' is required; the cell is empty");
  auto function_reads = [](const std::string& column, const std::string& value) {
    return reads([&](inventory& inv) {
      inv.functions = sheet("functions", 2);
      inv.functions.text("name", {"ordering", "受付"}).text(column, {value, ""});
    });
  };
  CHECK(function_reads("margin", "+.5e0"));
  CHECK(function_reads("rto", "90 min"));
  CHECK(function_reads("rto", "immediate"));
}

TEST_CASE("number columns: whole numbers, yes/no and text shown as Python shows them") {
  inventory inv;
  inv.functions = sheet("functions", 2);
  inv.functions.text("name", {"a", "b"}).numbers("importance", {2, empty}).numbers(
      "emergency", {1, 0});
  inv.dependencies = sheet("dependencies", 0);
  inv.dependencies.text("from", {}).text("to", {});
  const auto spec = read_inventory_tables(inv.tables());
  CHECK(spec.functions[0].importance == 2);
  CHECK(spec.functions[1].importance == 1);
  CHECK(spec.functions[0].emergency);
  CHECK_FALSE(spec.functions[1].emergency);
  const auto e = table_failure([](inventory& x) {
    x.functions = sheet("functions", 1);
    x.functions.text("name", {"a"}).numbers("importance", {2.5});
  });
  REQUIRE(e);
  CHECK(e->problem() == "'2.5' is not a whole number");
  CHECK(detail::shown_number(1e16) == "1e+16");
  CHECK(detail::shown_number(1.5e-7) == "1.5e-07");
  CHECK(detail::shown_number(-3) == "-3");
}

TEST_CASE("the first error in row order wins, whatever the check") {
  // Row 4 names an unknown system; row 3 lists a system twice in a group
  // (found in the pass by owner, after the pass in row order): row 3 is
  // reported.
  const auto e = table_failure([](inventory& inv) {
    inv.dependencies = sheet("dependencies", 3);
    inv.dependencies.text("from", {"web", "web", "web"})
        .text("kind", {"any_of", "any_of", ""})
        .text("to", {"db", "db", "nothing"});
  });
  REQUIRE(e);
  CHECK(e->row() == 3);
  CHECK(e->column() == "to");
  CHECK(e->problem() == "group '' of 'web' lists 'db' twice");
  const auto later = table_failure([](inventory& inv) {
    inv.dependencies = sheet("dependencies", 3);
    inv.dependencies.text("from", {"web", "web", "web"})
        .text("kind", {"", "any_of", "any_of"})
        .text("to", {"nothing", "db", "db"});
  });
  REQUIRE(later);
  CHECK(later->row() == 2);
  CHECK(later->problem() == "'nothing' is not in the systems table");
}

TEST_CASE("dependency groups are checked as the spreadsheet reader checks them") {
  auto edit = [](std::vector<std::string> kind, std::vector<std::string> k) {
    return [=](inventory& inv) {
      inv.dependencies = sheet("dependencies", 2);
      inv.dependencies.text("from", {"web", "web"})
          .text("kind", kind)
          .text("k", k)
          .text("to", {"host a", "host b"});
    };
  };
  auto dependency_problem = [&](std::vector<std::string> kind, std::vector<std::string> k) {
    const auto e = table_failure(edit(kind, k));
    return e ? e->problem() + " @" + std::to_string(e->row()) : std::string("none");
  };
  CHECK(dependency_problem({"k_of", "k_of"}, {"", ""}) ==
        "the k_of group '' of 'web' needs k, the number of systems that suffice @2");
  CHECK(dependency_problem({"k_of", "k_of"}, {"3", ""}) ==
        "the k_of group '' of 'web' needs 3 of 2 systems @2");
  CHECK(dependency_problem({"k_of", "k_of"}, {"1", "2"}) ==
        "group '' of 'web' has k = 1 (row 2) and k = 2 @3");
  CHECK(dependency_problem({"any_of", "k_of"}, {"", "1"}) ==
        "group '' of 'web' mixes any_of (row 2) and k_of @3");
  CHECK(dependency_problem({"any_of", "any_of"}, {"1", ""}) == "k applies to k_of rows only @2");
  CHECK(dependency_problem({"k_of", "k_of"}, {"0", ""}) == "k must be at least 1, got 0 @2");
  CHECK(reads(edit({"", ""}, {"", ""})));
  CHECK(reads(edit({"k_of", "k_of"}, {"2", "2"})));
}

TEST_CASE("names: duplicates, a system needing itself, a function or a system") {
  const auto dup = table_failure([](inventory& inv) {
    inv.systems = sheet("systems", 2);
    inv.systems.text("name", {"db", " db "});
  });
  REQUIRE(dup);
  CHECK(dup->problem() == "duplicate system name 'db' (also in row 2)");
  CHECK(dup->row() == 3);
  const auto self = table_failure([](inventory& inv) {
    inv.dependencies = sheet("dependencies", 1);
    inv.dependencies.text("from", {"db"}).text("to", {"db"});
  });
  REQUIRE(self);
  CHECK(self->problem() == "system 'db' depends on itself");
  const auto shared = table_failure([](inventory& inv) {
    inv.functions = sheet("functions", 1);
    inv.functions.text("name", {"db"});
    inv.dependencies = sheet("dependencies", 1);
    inv.dependencies.text("from", {"db"}).text("to", {"web"});
  });
  REQUIRE(shared);
  CHECK(shared->problem() == "'db' is both a business function and a system; say which in the "
                             "column 'from_type'");
}

TEST_CASE("what the model file's reader rejects comes after every table error") {
  // A level out of range (the model reader's check) in row 2, a bad cell
  // in the backups table: the bad cell is reported.
  inventory inv;
  inv.functions = sheet("functions", 2);
  inv.functions.text("name", {"ordering", "受付"}).text("importance", {"0", "1"});
  inventory_tables t = inv.tables();
  CHECK(continuity_test::thrown<value_error>([&] { (void)read_inventory_tables(t); })->field() ==
        "importance");
  inv.backups = sheet("backups", 1);
  inv.backups.text("system", {"db"}).text("interval", {"often"});
  const auto e =
      continuity_test::thrown<table_error>([&] { (void)read_inventory_tables(inv.tables()); });
  REQUIRE(e);
  CHECK(e->problem().find("'often' is not a duration") == 0);
  const auto v = continuity_test::thrown<value_error>([] {
    inventory x;
    x.backups = sheet("backups", 1);
    x.backups.text("system", {"db"}).text("interval", {"1d"}).text("age", {"2d"});
    (void)read_inventory_tables(x.tables());
  });
  REQUIRE(v);
  CHECK(std::string(v->what()) == "system 'db': backups[0].interval: a one-off copy (with an "
                                  "age) has no interval: give one of the two");
}

TEST_CASE("missing and unknown columns, rows of empty cells, cancellation") {
  const auto missing = table_failure([](inventory& inv) {
    inv.dependencies = sheet("dependencies", 1);
    inv.dependencies.text("from", {"web"});
  });
  REQUIRE(missing);
  CHECK(missing->problem() == "required column 'to' is missing");
  CHECK(missing->row() == 1);
  const auto unknown = table_failure([](inventory& inv) {
    inv.systems.text("colour", {"", "", "", "", ""});
  });
  REQUIRE(unknown);
  CHECK(unknown->problem() == "unknown column 'colour'");
  const auto twice = table_failure([](inventory& inv) {
    inv.systems.text("layer", {"", "", "", "", ""});
  });
  REQUIRE(twice);
  CHECK(twice->problem() == "column 'layer' appears twice");
  inventory blank;
  blank.backups = sheet("backups", 3);
  blank.backups.text("system", {"", " ", "db"}).numbers("interval", {empty, empty, 24});
  const auto spec = read_inventory_tables(blank.tables());
  CHECK(spec.systems[0].backups.size() == 1);
  std::atomic<bool> cancel{true};
  CHECK_THROWS_AS(read_inventory_tables(inventory().tables(), model_spec{}, &cancel),
                  cancelled_error);
}

} // namespace io_tables_test
