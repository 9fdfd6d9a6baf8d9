// continuity/io/tables.hpp — read the functions, systems, dependencies,
// backups and impacts of a model from the columns of an inventory's tables
// (the spreadsheet layout of docs/spreadsheet-format.md), as a columnar
// source such as Arrow gives them: each column one buffer of UTF-8 text with
// offsets, or one array of numbers. No per-row objects are made besides the
// model's own.
//
// The checks are those of the Python package's spreadsheet reader, with the
// same messages: a bad cell, a duplicate name, a dependency on a system the
// tables lack, a malformed dependency group is a table_error naming file,
// sheet, row and column (the first in row order, as a reader going through
// the rows would meet it); what the model file's reader checks of values (a
// level out of range, an age with an interval) is the value_error that
// reader throws, naming the object and field. The model as a whole is
// validated by constructing a basic_model from the result.
#pragma once

#include <continuity/error.hpp>
#include <continuity/io/duration.hpp>
#include <continuity/model/model.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace continuity {

/// One column of an inventory table. Its cells are either text — cell i is
/// the UTF-8 text text[offsets[i], offsets[i + 1]) (rows + 1 offsets, 64 or
/// 32 bits, as Arrow's large_string and string arrays keep them) — or
/// numbers (`numbers`, NaN for an empty cell). White space around a text
/// cell is ignored; an empty cell means "not given", as in a spreadsheet.
struct table_column {
  /// The column of the layout it is: its snake_case name ("revenue_per_day").
  std::string name;
  /// The column's name as written in the header row, for messages (empty:
  /// `name`).
  std::string header;
  std::string_view text;                   ///< text cells, concatenated
  std::span<const std::int64_t> offsets;   ///< where each text cell starts (rows + 1 entries)
  std::span<const double> numbers;         ///< number cells (if there are no offsets)
  std::span<const std::int32_t> offsets32{}; ///< 32-bit offsets (instead of `offsets`)

  /// Whether the cells are text.
  bool is_text() const noexcept { return !offsets.empty() || !offsets32.empty(); }
  /// Number of cells.
  std::size_t size() const noexcept {
    return !offsets.empty() ? offsets.size() - 1
           : !offsets32.empty() ? offsets32.size() - 1
                                : numbers.size();
  }
  /// Text cell i as stored (spaces included).
  std::string_view cell(std::size_t i) const noexcept {
    const auto a = static_cast<std::size_t>(offsets.empty() ? offsets32[i] : offsets[i]);
    const auto b = static_cast<std::size_t>(offsets.empty() ? offsets32[i + 1] : offsets[i + 1]);
    return text.substr(a, b - a);
  }
};

/// One table of an inventory: its records, column by column. Records with
/// every cell empty are skipped (but keep their row numbers).
struct inventory_table {
  std::string file;           ///< the file, for messages
  std::string sheet;          ///< the sheet, or the table's name ("systems"), for messages
  std::size_t rows = 0;       ///< number of records (of cells in each column)
  std::size_t first_row = 2;  ///< row of the first record as a spreadsheet shows it
  std::vector<table_column> columns; ///< the columns present, in any order
};

/// The tables of an inventory that hold functions and systems (the settings
/// and resource pools are few: they come with the base specification).
struct inventory_tables {
  inventory_table functions;            ///< one row per business function
  inventory_table systems;              ///< one row per system
  inventory_table dependencies;         ///< one row per system needed
  inventory_table backups;              ///< one row per backup
  std::optional<inventory_table> impacts; ///< one row per impact step, if the inventory has the table
};

namespace detail {

// The layout's columns of each table, in the order a row is read; each
// column's type. (Names as in python/continuity/spreadsheet.py.)
enum class cell_kind : std::uint8_t { text, integer, number, duration, boolean, choice };

struct layout_column {
  std::string_view name;
  cell_kind kind;
  bool required = false;
  std::span<const std::string_view> choices{};
  std::string_view what = "value"; // a choice's noun in messages
};

inline constexpr std::array<std::string_view, 7> table_layers{
    "building", "infrastructure", "hardware", "software", "data", "software/data", "people"};
inline constexpr std::array<std::string_view, 2> table_sides{"client", "server"};
inline constexpr std::array<std::string_view, 2> table_from_types{"function", "system"};
inline constexpr std::array<std::string_view, 3> table_dependency_kinds{"all_of", "any_of",
                                                                        "k_of"};
inline constexpr std::array<std::string_view, 3> table_modes{"online", "offline", "immutable"};
inline constexpr std::array<std::string_view, 2> table_contents{"data", "system"};

using K = cell_kind;
inline constexpr std::array<layout_column, 18> function_columns{{
    {"name", K::text, true},
    {"importance", K::integer},
    {"system_dependency", K::integer},
    {"emergency", K::boolean},
    {"rto", K::duration},
    {"rpo", K::duration},
    {"mtpd", K::duration},
    {"wrt", K::duration},
    {"revenue_per_day", K::number},
    {"margin", K::number},
    {"profit_per_day", K::number},
    {"operating_days_per_week", K::number},
    {"operating_days_per_year", K::number},
    {"workaround_capacity", K::number},
    {"workaround_setup_time", K::duration},
    {"workaround_max_duration", K::duration},
    {"workaround_description", K::text},
    {"description", K::text},
}};
inline constexpr std::array<layout_column, 10> system_columns{{
    {"name", K::text, true},
    {"layer", K::choice, false, table_layers, "layer"},
    {"side", K::choice, false, table_sides, "side"},
    {"segment", K::text},
    {"holds_data", K::boolean},
    {"transactions_per_hour", K::number},
    {"reentry_hours_per_transaction", K::duration},
    {"reentry_by", K::text},
    {"reentry_staff", K::integer},
    {"description", K::text},
}};
inline constexpr std::array<layout_column, 6> dependency_columns{{
    {"from", K::text, true},
    {"from_type", K::choice, false, table_from_types, "type"},
    {"kind", K::choice, false, table_dependency_kinds, "kind"},
    {"group", K::text},
    {"k", K::integer},
    {"to", K::text, true},
}};
inline constexpr std::array<layout_column, 9> backup_columns{{
    {"system", K::text, true},
    {"interval", K::duration},
    {"generations", K::integer},
    {"age", K::duration},
    {"medium", K::text},
    {"mode", K::choice, false, table_modes, "backup mode"},
    {"offsite", K::boolean},
    {"restore_time", K::duration},
    {"content", K::choice, false, table_contents, "value"},
}};
inline constexpr std::array<layout_column, 7> impact_columns{{
    {"function", K::text, true},
    {"category", K::text, true},
    {"unit", K::text},
    {"after", K::duration},
    {"rate_per_hour", K::number},
    {"rate_per_day", K::number},
    {"lump", K::number},
}};

// The length of the white space character (as Python's str.isspace counts
// them) that `s` starts with, or 0.
inline std::size_t leading_space(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  if (c < 0x80 || s.size() < 2) return 0;
  const auto c1 = static_cast<unsigned char>(s[1]);
  if (c == 0xc2) return c1 == 0x85 || c1 == 0xa0 ? 2 : 0;
  if (s.size() < 3) return 0;
  const auto c2 = static_cast<unsigned char>(s[2]);
  if (c == 0xe1) return c1 == 0x9a && c2 == 0x80 ? 3 : 0; // U+1680
  if (c == 0xe2 && c1 == 0x80)                            // U+2000-200A, 2028, 2029, 202F
    return (c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf) ? 3 : 0;
  if (c == 0xe2 && c1 == 0x81) return c2 == 0x9f ? 3 : 0; // U+205F
  if (c == 0xe3) return c1 == 0x80 && c2 == 0x80 ? 3 : 0; // U+3000
  return 0;
}

// The length of the white space character that `s` ends with, or 0.
inline std::size_t trailing_space(std::string_view s) noexcept {
  for (std::size_t n = 1; n <= 3 && n <= s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[s.size() - n]);
    if ((c & 0xc0) == 0x80) continue; // a continuation byte: look further back
    return leading_space(s.substr(s.size() - n)) == n ? n : 0;
  }
  return 0;
}

// `s` without white space around it.
inline std::string_view trim_space(std::string_view s) noexcept {
  // Most cells start and end with a printable ASCII character.
  auto printable = [](char c) { return c > ' ' && c < '\x7f'; };
  if (s.empty() || (printable(s.front()) && printable(s.back()))) return s;
  while (const std::size_t n = leading_space(s)) s.remove_prefix(n);
  while (const std::size_t n = trailing_space(s)) s.remove_suffix(n);
  return s;
}

// A number as Python shows it in a cell's text: whole numbers below 10^16
// without a fraction, others in the shortest form that reads back.
inline std::string shown_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e16)
    return std::to_string(static_cast<long long>(v));
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::array<char, 32> buffer{};
  const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
  std::string s(buffer.data(), r.ptr);
  // Python writes two exponent digits at least (1e-07).
  if (const auto e = s.find('e'); e != std::string::npos) {
    const std::size_t digits = e + 2;
    if (digits + 1 == s.size()) s.insert(digits, "0");
  }
  return s;
}

// The number a cell's text holds, as the spreadsheet reader reads numbers:
// an optional sign, digits with an optional point (or a point and digits),
// an optional exponent; finite. Full-width digits count as digits.
inline std::optional<double> text_number(std::string_view s) {
  std::string ascii;
  if (s.find('\xef') != std::string_view::npos) {
    // U+FF10..U+FF19 (EF BC 90..99): the full-width digits.
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\xef' && i + 2 < s.size() && s[i + 1] == '\xbc' &&
          static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
          static_cast<unsigned char>(s[i + 2]) <= 0x99) {
        ascii += static_cast<char>('0' + (static_cast<unsigned char>(s[i + 2]) - 0x90));
        i += 2;
      } else {
        ascii += s[i];
      }
    }
    s = ascii;
  }
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t start = s[0] == '+' ? 1 : 0;
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  std::size_t before = 0, after = 0;
  while (digit(i)) ++i, ++before;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (digit(i)) ++i, ++after;
  }
  if (before == 0 && after == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t k = i + 1;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    if (!digit(k)) return std::nullopt;
    while (digit(k)) ++k;
    i = k;
  }
  if (i != s.size()) return std::nullopt;
  double v = 0;
  const auto r = std::from_chars(s.data() + start, s.data() + s.size(), v);
  if (r.ec != std::errc{} || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A choice as compared: lower case, without white space, '_' and '-'.
inline std::string folded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    if (const std::size_t n = leading_space(s)) {
      s.remove_prefix(n);
      continue;
    }
    const char c = s.front();
    s.remove_prefix(1);
    if (c == '_' || c == '-') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Reads the cells of one table: finds its columns, converts cells to the
// column's type and words the errors.
class table_reader {
public:
  template <std::size_t N>
  table_reader(const inventory_table& t, const std::array<layout_column, N>& layout,
               const std::atomic<bool>* cancel)
      : t_(t), layout_(layout.data(), N), cancel_(cancel) {
    columns_.assign(N, nullptr);
    last_choice_.assign(N, {std::string_view{}, no_choice});
    const std::size_t header_row = t.first_row > 1 ? t.first_row - 1 : 1;
    for (const auto& c : t.columns) {
      std::size_t j = 0;
      while (j < N && layout[j].name != c.name) ++j;
      const std::string written = c.header.empty() ? c.name : c.header;
      if (j == N)
        throw table_error(t.file, t.sheet, header_row, written,
                          "unknown column '" + written + "'");
      if (columns_[j])
        throw table_error(t.file, t.sheet, header_row, written,
                          "column '" + written + "' appears twice");
      if (c.size() != t.rows || (c.is_text() && !offsets_fit(c)))
        throw value_error("inventory table", t.sheet, c.name,
                          "the column's cells do not match the table's " +
                              std::to_string(t.rows) + " records");
      columns_[j] = &c;
    }
    for (std::size_t j = 0; j < N; ++j)
      if (layout[j].required && !columns_[j])
        throw table_error(t.file, t.sheet, header_row, std::string(layout[j].name),
                          "required column '" + std::string(layout[j].name) + "' is missing");
  }

  std::size_t rows() const noexcept { return t_.rows; }
  // Whether record i has a cell that is not empty (a record of empty
  // cells is skipped).
  bool present(std::size_t i) const noexcept {
    for (const auto* c : columns_)
      if (c && !raw_empty(*c, i)) return true;
    return false;
  }
  std::size_t row(std::size_t i) const noexcept { return t_.first_row + i; }
  void tick(std::size_t i) const {
    if (i % 4096 == 0) throw_if_cancelled(cancel_, "reading the inventory tables");
  }

  // The header of column j as written (or its name, if the table lacks it).
  std::string header(std::size_t j) const {
    const auto* c = columns_[j];
    return c && !c->header.empty() ? c->header : std::string(layout_[j].name);
  }
  // The error at row `row_number` (as shown) of column j.
  table_error error(std::size_t row_number, std::size_t j, const std::string& problem) const {
    return table_error(t_.file, t_.sheet, row_number, header(j), problem);
  }
  [[noreturn]] void fail(std::size_t i, std::size_t j, const std::string& problem) const {
    throw error(row(i), j, problem);
  }

  bool empty(std::size_t i, std::size_t j) const {
    return !columns_[j] || raw_empty(*columns_[j], i);
  }

  // The text of cell (i, j) (a number shown as text); empty: not given. A
  // required column's empty cell is an error.
  std::string_view text(std::size_t i, std::size_t j) {
    const auto* c = columns_[j];
    std::string_view s;
    if (c) {
      if (c->is_text()) {
        s = trim_space(c->cell(i));
      } else if (!std::isnan(c->numbers[i])) {
        scratch_ = shown_number(c->numbers[i]);
        s = scratch_;
      }
    }
    if (s.empty() && layout_[j].required)
      fail(i, j, "'" + header(j) + "' is required; the cell is empty");
    return s;
  }

  std::optional<double> number(std::size_t i, std::size_t j) {
    const auto* c = columns_[j];
    if (c && !c->is_text()) {
      const double v = c->numbers[i];
      if (std::isnan(v)) return std::nullopt;
      if (!std::isfinite(v)) bad(i, j, shown_number(v));
      return v;
    }
    const std::string_view s = text(i, j);
    if (s.empty()) return std::nullopt;
    if (auto v = text_number(s)) return v;
    bad(i, j, std::string(s));
  }

  std::optional<long long> integer(std::size_t i, std::size_t j) {
    const auto v = number(i, j);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || std::fabs(*v) > 9.2e18) bad(i, j, shown_number(*v));
    return static_cast<long long>(*v);
  }

  std::optional<double> duration(std::size_t i, std::size_t j) {
    const auto* c = columns_[j];
    if (c && !c->is_text()) return number(i, j);
    const std::string_view s = text(i, j);
    if (s.empty()) return std::nullopt;
    if (auto v = text_number(s)) return v;
    if (auto h = parse_duration_hours(s)) return h;
    bad(i, j, std::string(s));
  }

  std::optional<bool> boolean(std::size_t i, std::size_t j) {
    const auto* c = columns_[j];
    if (c && !c->is_text()) {
      const double v = c->numbers[i];
      if (std::isnan(v)) return std::nullopt;
      if (v == 0 || v == 1) return v == 1;
      bad(i, j, shown_number(v));
    }
    const std::string_view s = text(i, j);
    if (s.empty()) return std::nullopt;
    std::string lower(s);
    for (char& ch : lower)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (lower == "true" || lower == "yes" || lower == "1") return true;
    if (lower == "false" || lower == "no" || lower == "0") return false;
    bad(i, j, std::string(s));
  }

  // The index of the choice cell (i, j) holds, among the column's choices.
  std::optional<std::size_t> choice(std::size_t i, std::size_t j) {
    const std::string_view s = text(i, j);
    if (s.empty()) return std::nullopt;
    const auto& col = layout_[j];
    // A column's cells mostly repeat a few words: the last one read is kept.
    auto& last = last_choice_[j];
    if (last.second != no_choice && s == last.first) return last.second;
    for (std::size_t k = 0; k < col.choices.size(); ++k)
      if (col.choices[k] == s) { // as written by the layout: no folding needed
        if (columns_[j]->is_text()) last = {s, k};
        return k;
      }
    const std::string f = folded(s);
    for (std::size_t k = 0; k < col.choices.size(); ++k)
      if (folded(col.choices[k]) == f) return k;
    std::string list;
    for (const auto& w : col.choices) list += (list.empty() ? "" : ", ") + std::string(w);
    fail(i, j, "unknown " + std::string(col.what) + " '" + std::string(s) + "' (expected one of: " +
                   list + ")");
  }

  // Converts cell (i, j) as its column's type, for the errors only.
  void check(std::size_t i, std::size_t j) {
    switch (layout_[j].kind) {
    case cell_kind::text: (void)text(i, j); break;
    case cell_kind::integer: (void)integer(i, j); break;
    case cell_kind::number: (void)number(i, j); break;
    case cell_kind::duration: (void)duration(i, j); break;
    case cell_kind::boolean: (void)boolean(i, j); break;
    case cell_kind::choice: (void)choice(i, j); break;
    }
  }

private:
  static bool raw_empty(const table_column& c, std::size_t i) {
    if (!c.is_text()) return std::isnan(c.numbers[i]);
    return trim_space(c.cell(i)).empty();
  }
  // Whether the offsets of a text column never decrease and stay in its text.
  static bool offsets_fit(const table_column& c) {
    auto fit = [&](auto offsets) {
      if (offsets.front() < 0) return false;
      for (std::size_t i = 1; i < offsets.size(); ++i)
        if (offsets[i] < offsets[i - 1]) return false;
      return static_cast<std::size_t>(offsets.back()) <= c.text.size();
    };
    return c.offsets.empty() ? fit(c.offsets32) : fit(c.offsets);
  }
  [[noreturn]] void bad(std::size_t i, std::size_t j, const std::string& shown) const {
    switch (layout_[j].kind) {
    case cell_kind::integer: fail(i, j, "'" + shown + "' is not a whole number");
    case cell_kind::number: fail(i, j, "'" + shown + "' is not a number");
    case cell_kind::duration:
      fail(i, j, "'" + shown + "' is not a duration (a number of hours, or a number with min, h, "
                               "d, w, mo or y such as '4h' or '3d')");
    case cell_kind::boolean:
      fail(i, j, "'" + shown + "' is not a yes/no value (TRUE/FALSE, yes/no or 1/0)");
    default: fail(i, j, "'" + shown + "' is not valid");
    }
  }

  const inventory_table& t_;
  std::span<const layout_column> layout_;
  const std::atomic<bool>* cancel_;
  static constexpr std::size_t no_choice = std::numeric_limits<std::size_t>::max();
  std::vector<const table_column*> columns_;
  // Per column: the last choice cell matched exactly, and its choice.
  std::vector<std::pair<std::string_view, std::size_t>> last_choice_;
  std::string scratch_;
};

// The first of the errors the model file's reader would throw (a value_error
// naming object and field): kept while the tables are read, thrown once
// every table has been read without a table_error, as reading the model
// dictionary the tables make would.
class first_model_error {
public:
  // `order`: the reader's order — functions before systems, objects in
  // order, then fields in the order that reader reads them.
  using order_type = std::array<std::size_t, 5>;
  void note(order_type order, std::string kind, std::string name, std::string field,
            std::string problem) {
    if (error_ && order >= order_) return;
    order_ = order;
    error_.emplace(std::move(kind), std::move(name), std::move(field), problem);
  }
  void raise() const {
    if (error_) throw *error_;
  }

private:
  order_type order_{};
  std::optional<value_error> error_;
};

// Column positions in the layouts above.
namespace fcol {
enum : std::size_t { name, importance, dependency, emergency, rto, rpo, mtpd, wrt, revenue, margin,
                     profit, days_week, days_year, wa_capacity, wa_setup, wa_max, wa_description,
                     description };
}
namespace scol {
enum : std::size_t { name, layer, side, segment, holds_data, transactions, reentry_hours,
                     reentry_by, reentry_staff, description };
}
namespace dcol {
enum : std::size_t { from, from_type, kind, group, k, to };
}
namespace bcol {
enum : std::size_t { system, interval, generations, age, medium, mode, offsite, restore_time,
                     content };
}
namespace icol {
enum : std::size_t { function, category, unit, after, rate_per_hour, rate_per_day, lump };
}

// Names to indices: open addressing with linear probing over slots that
// hold a name's hash, its index and, if it is short, the name itself (the
// names are also kept as views, of strings that outlive the table). A
// lookup among a million names costs one cache miss for a short name, two
// for a long one, against three or four for a node-based map.
class name_map {
public:
  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    slots_.assign(capacity, slot{});
    names_.reserve(n);
  }
  // Adds `name` as the next index, or returns the index it already has.
  std::optional<index_t> insert(std::string_view name) {
    if (2 * (names_.size() + 1) > slots_.size()) grow();
    const auto h = hash(name);
    std::size_t at = position(h);
    for (; slots_[at].index != no_index; at = (at + 1) & (slots_.size() - 1))
      if (matches(slots_[at], h, name)) return slots_[at].index;
    auto& s = slots_[at];
    s.hash = h;
    s.index = static_cast<index_t>(names_.size());
    if (name.size() < s.bytes.size()) {
      std::copy(name.begin(), name.end(), s.bytes.begin());
      s.bytes.back() = static_cast<char>(name.size());
    }
    names_.push_back(name);
    return std::nullopt;
  }
  std::optional<index_t> find(std::string_view name) const {
    if (slots_.empty()) return std::nullopt;
    const auto h = hash(name);
    for (std::size_t at = position(h); slots_[at].index != no_index;
         at = (at + 1) & (slots_.size() - 1))
      if (matches(slots_[at], h, name)) return slots_[at].index;
    return std::nullopt;
  }

private:
  struct slot {
    std::uint32_t hash = 0;
    index_t index = no_index;
    // A name shorter than 16 bytes, its length in the last byte; else the
    // last byte is long_name.
    std::array<char, 16> bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, long_name};
  };
  static constexpr char long_name = 127;
  bool matches(const slot& s, std::uint32_t h, std::string_view name) const {
    if (s.hash != h) return false;
    if (s.bytes.back() != long_name)
      return static_cast<std::size_t>(s.bytes.back()) == name.size() &&
             std::equal(name.begin(), name.end(), s.bytes.begin());
    return names_[s.index] == name;
  }
  static std::uint32_t hash(std::string_view s) noexcept {
    const auto h = std::hash<std::string_view>{}(s);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  std::size_t position(std::uint32_t h) const noexcept {
    // The hash's high bits spread over the table (the low ones stay for comparing).
    return static_cast<std::size_t>(std::uint64_t{h} * 0x9e3779b97f4a7c15ULL >> 32) &
           (slots_.size() - 1);
  }
  void grow() {
    std::vector<std::string_view> names;
    names.swap(names_);
    reserve(std::max<std::size_t>(16, names.size() * 2));
    for (const auto n : names) insert(n);
  }
  std::vector<slot> slots_;
  std::vector<std::string_view> names_;
};

template <class Real>
void read_function_rows(table_reader& r, basic_model_spec<Real>& m, name_map& names,
                        first_model_error& later) {
  const int default_dependency =
      m.tier ? default_system_dependency(*m.tier, m.priorities.levels()) : 1;
  m.functions.reserve(r.rows());
  std::vector<std::size_t> row_of;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    r.tick(i);
    if (!r.present(i)) continue;
    // The cells are read in the order of the layout's columns (the first bad
    // one is reported), then the name is checked against the earlier rows.
    auto& f = m.functions.emplace_back();
    const auto index = static_cast<std::size_t>(m.functions.size() - 1);
    f.name = std::string(r.text(i, fcol::name));
    auto level = [&](std::size_t j, const char* field, std::size_t rank) -> std::optional<int> {
      const auto v = r.integer(i, j);
      if (!v) return std::nullopt;
      if (*v < 1 || *v > 1000) {
        later.note({0, index, rank, 0, 0}, "business function", f.name, field,
                   "must be a level from 1 to the matrix's level count, got " + std::to_string(*v));
        return 1;
      }
      return static_cast<int>(*v);
    };
    f.importance = level(fcol::importance, "importance", 0).value_or(1);
    f.system_dependency = level(fcol::dependency, "system_dependency", 1).value_or(default_dependency);
    f.emergency = r.boolean(i, fcol::emergency).value_or(false);
    auto opt = [](std::optional<double> v) -> std::optional<Real> {
      if (!v) return std::nullopt;
      return static_cast<Real>(*v);
    };
    f.rto = opt(r.duration(i, fcol::rto));
    f.rpo = opt(r.duration(i, fcol::rpo));
    f.mtpd = opt(r.duration(i, fcol::mtpd));
    f.wrt = static_cast<Real>(r.duration(i, fcol::wrt).value_or(0));
    const auto revenue = r.number(i, fcol::revenue), margin = r.number(i, fcol::margin),
               profit = r.number(i, fcol::profit);
    if (profit && (revenue || margin))
      later.note({0, index, 2, 0, 0}, "business function", f.name, "profit_per_day",
                 "give either profit_per_day or revenue_per_day with margin");
    if (profit) {
      f.revenue_per_day = static_cast<Real>(*profit);
      f.margin = 1;
    } else {
      f.revenue_per_day = static_cast<Real>(revenue.value_or(0));
      f.margin = static_cast<Real>(margin.value_or(1));
    }
    f.operating_days_per_week = static_cast<Real>(r.number(i, fcol::days_week).value_or(7));
    f.operating_days_per_year = opt(r.number(i, fcol::days_year));
    const auto capacity = r.number(i, fcol::wa_capacity);
    const auto setup = r.duration(i, fcol::wa_setup), lasts = r.duration(i, fcol::wa_max);
    if (capacity || setup || lasts || !r.empty(i, fcol::wa_description)) {
      manual_workaround<Real> w;
      w.capacity = static_cast<Real>(capacity.value_or(0));
      w.setup_time = static_cast<Real>(setup.value_or(0));
      w.max_duration = static_cast<Real>(lasts.value_or(std::numeric_limits<double>::infinity()));
      f.workaround = w;
    }
    if (const auto earlier = names.insert(f.name)) {
      r.fail(i, fcol::name, "duplicate business function name '" + f.name + "' (also in row " +
                                std::to_string(row_of[*earlier]) + ")");
    }
    row_of.push_back(r.row(i));
  }
}

template <class Real>
void read_system_rows(table_reader& r, basic_model_spec<Real>& m, name_map& names,
                      first_model_error& later, std::vector<std::size_t>& row_of) {
  m.systems.reserve(r.rows());
  for (std::size_t i = 0; i < r.rows(); ++i) {
    r.tick(i);
    if (!r.present(i)) continue;
    auto& s = m.systems.emplace_back();
    const auto index = static_cast<std::size_t>(m.systems.size() - 1);
    s.name = std::string(r.text(i, scol::name));
    static constexpr std::array<asset_layer, 7> layers{
        asset_layer::building, asset_layer::infrastructure, asset_layer::hardware,
        asset_layer::software, asset_layer::software,       asset_layer::software,
        asset_layer::people};
    if (const auto l = r.choice(i, scol::layer)) s.layer = layers[*l];
    if (const auto sd = r.choice(i, scol::side))
      s.side = *sd == 0 ? asset_side::client : asset_side::server;
    s.segment = std::string(r.text(i, scol::segment));
    s.holds_data = r.boolean(i, scol::holds_data);
    s.transactions_per_hour = static_cast<Real>(r.number(i, scol::transactions).value_or(0));
    s.reentry_hours_per_transaction =
        static_cast<Real>(r.duration(i, scol::reentry_hours).value_or(0));
    s.reentry_by = std::string(r.text(i, scol::reentry_by));
    if (const auto staff = r.integer(i, scol::reentry_staff)) {
      if (*staff < 1 || *staff > 1000000)
        later.note({1, index, 0, 0, 0}, "system", s.name, "reentry_staff",
                   "must be an integer from 1 to 1000000");
      else
        s.reentry_staff = static_cast<int>(*staff);
    }
    if (const auto earlier = names.insert(s.name))
      r.fail(i, scol::name, "duplicate system name '" + s.name + "' (also in row " +
                                std::to_string(row_of[*earlier]) + ")");
    row_of.push_back(r.row(i));
  }
}

// The dependencies table: every row is checked in row order for what it
// holds by itself (cells, names, a system needing itself); the rows are
// then gone through by the function or system that needs (each one's rows
// in row order), where groups, kinds and k are checked. The error of the
// smallest row is thrown, as a reader going through the rows in order
// would meet it first.
template <class Real>
void read_dependency_rows(table_reader& r, basic_model_spec<Real>& m, const name_map& functions,
                          const name_map& systems, const std::string& function_label,
                          const std::string& system_label) {
  const auto nf = static_cast<index_t>(m.functions.size());
  const auto ns = static_cast<index_t>(m.systems.size());
  const std::size_t nodes = std::size_t(ns) + nf; // systems, then functions
  enum : std::uint8_t { all_of, any_of, k_of };
  std::vector<index_t> owner(r.rows(), no_index), target(r.rows(), no_index);
  std::vector<std::uint8_t> kind(r.rows(), all_of);
  std::size_t limit = r.rows(); // rows from here on are not looked at
  std::optional<table_error> first;
  // The rows of one function or system usually follow each other: the
  // previous row's source is resolved once.
  std::string source;
  std::optional<std::size_t> type;
  std::optional<index_t> f, s;
  bool resolved = false;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    r.tick(i);
    if (!r.present(i)) continue;
    try {
      const std::string_view from = r.text(i, dcol::from);
      const auto row_type = r.choice(i, dcol::from_type);
      if (!resolved || from != source || row_type != type) {
        source = from;
        type = row_type;
        f = type == std::size_t{1} ? std::nullopt : functions.find(source);
        s = type == std::size_t{0} ? std::nullopt : systems.find(source);
        resolved = true;
      }
      kind[i] = static_cast<std::uint8_t>(r.choice(i, dcol::kind).value_or(all_of));
      r.check(i, dcol::group);
      r.check(i, dcol::k);
      const std::string_view to = r.text(i, dcol::to);
      bool is_function = false;
      if (!type) {
        if (f && s)
          r.fail(i, dcol::from, "'" + source + "' is both a business function and a system; say "
                                "which in the column '" + r.header(dcol::from_type) + "'");
        if (!f && !s)
          r.fail(i, dcol::from, "'" + source + "' is neither in " + function_label +
                                    " nor in " + system_label);
        is_function = f.has_value();
      } else if (*type == 0) {
        if (!f) r.fail(i, dcol::from, "'" + source + "' is not in " + function_label);
        is_function = true;
      } else if (!s) {
        r.fail(i, dcol::from, "'" + source + "' is not in " + system_label);
      }
      const auto t = systems.find(to);
      if (!t) r.fail(i, dcol::to, "'" + std::string(to) + "' is not in " + system_label);
      if (!is_function && *t == *s)
        r.fail(i, dcol::to, "system '" + source + "' depends on itself");
      owner[i] = is_function ? ns + *f : *s;
      target[i] = *t;
    } catch (const table_error& e) {
      first = e;
      limit = i;
      break;
    }
  }
  // The rows of each node, in row order (a counting sort).
  std::vector<std::size_t> start(nodes + 1, 0);
  for (std::size_t i = 0; i < limit; ++i)
    if (owner[i] != no_index) ++start[owner[i] + 1];
  for (std::size_t n = 0; n < nodes; ++n) start[n + 1] += start[n];
  std::vector<std::uint32_t> rows_of(start.back());
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < limit; ++i)
      if (owner[i] != no_index) rows_of[next[owner[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<index_t>().swap(owner);
  // A system a requirement lists, and the row that lists it (whose `to`
  // cell spells its name: the spec's strings are copied from the rows, read
  // in order, not from the systems, which lie all over memory).
  struct member {
    index_t system;
    std::uint32_t row;
  };
  struct group_state {
    std::string name; // the group cell ("": none)
    std::uint8_t kind;
    std::size_t row;  // first row
    std::optional<long long> k;
    std::size_t k_row = 0;
    std::vector<member> members;
  };
  // Finds `to` among a list's members: a look along a short list (most are
  // a few systems), marks per system for a long one.
  std::vector<std::size_t> mark, mark_position;
  std::size_t marked = 0;
  auto listed = [&](const std::vector<member>& list, std::size_t& list_mark,
                    index_t to) -> const member* {
    constexpr std::size_t short_list = 32;
    if (list.size() <= short_list) {
      for (const auto& x : list)
        if (x.system == to) return &x;
      if (list.size() < short_list) return nullptr;
    }
    if (mark.empty()) mark.assign(ns, 0), mark_position.assign(ns, 0);
    if (list.size() == short_list || list_mark == 0) {
      list_mark = ++marked;
      for (std::size_t k = 0; k < list.size(); ++k)
        mark[list[k].system] = list_mark, mark_position[list[k].system] = k;
      return nullptr; // checked above
    }
    return mark[to] == list_mark ? &list[mark_position[to]] : nullptr;
  };
  // Adds `to` to a list whose marks are kept once it is long.
  auto add = [&](std::vector<member>& list, std::size_t list_mark, index_t to, std::size_t i) {
    if (list_mark != 0) mark[to] = list_mark, mark_position[to] = list.size();
    list.push_back({to, static_cast<std::uint32_t>(i)});
  };
  std::vector<group_state> groups;
  std::vector<std::size_t> group_marks;
  std::vector<member> plain;
  std::size_t plain_mark = 0;
  // The first error of the final checks: (the node's first row, its
  // requirement's first row), as the reader's final pass meets them.
  std::optional<std::pair<std::pair<std::size_t, std::size_t>, table_error>> final_error;
  const std::string any_word(table_dependency_kinds[any_of]), k_word(table_dependency_kinds[k_of]),
      all_word(table_dependency_kinds[all_of]);
  for (std::size_t n = 0; n < nodes; ++n) {
    if (n % 4096 == 0) r.tick(0);
    if (start[n] == start[n + 1]) continue;
    const bool is_function = n >= ns;
    const std::string& name = is_function ? m.functions[n - ns].name : m.systems[n].name;
    groups.clear();
    group_marks.clear();
    plain.clear();
    plain_mark = 0;
    try {
      for (std::size_t p = start[n]; p < start[n + 1]; ++p) {
        const std::size_t i = rows_of[p];
        if (i >= limit) break;
        const index_t to = target[i];
        const std::string_view group = r.text(i, dcol::group);
        const auto k = r.integer(i, dcol::k);
        if (kind[i] == all_of) {
          if (!group.empty())
            r.fail(i, dcol::group, "a group applies to " + any_word + " and " + k_word +
                                       " rows only; " + all_word + " rows need none");
          if (k) r.fail(i, dcol::k, "k applies to " + k_word + " rows only");
          if (const member* earlier = listed(plain, plain_mark, to))
            r.fail(i, dcol::to, "'" + name + "' needs '" + std::string(r.text(i, dcol::to)) +
                                    "' twice (also in row " + std::to_string(r.row(earlier->row)) +
                                    ")");
          add(plain, plain_mark, to, i);
          continue;
        }
        auto g = std::find_if(groups.begin(), groups.end(),
                              [&](const group_state& x) { return x.name == group; });
        if (g == groups.end()) {
          groups.push_back({std::string(group), kind[i], r.row(i), std::nullopt, 0, {}});
          group_marks.push_back(0);
          g = groups.end() - 1;
        } else if (g->kind != kind[i]) {
          r.fail(i, dcol::kind, "group '" + g->name + "' of '" + name + "' mixes " +
                                    std::string(table_dependency_kinds[g->kind]) + " (row " +
                                    std::to_string(g->row) + ") and " +
                                    std::string(table_dependency_kinds[kind[i]]));
        }
        if (k) {
          if (kind[i] != k_of) r.fail(i, dcol::k, "k applies to " + k_word + " rows only");
          if (*k < 1) r.fail(i, dcol::k, "k must be at least 1, got " + std::to_string(*k));
          if (g->k && *g->k != *k)
            r.fail(i, dcol::k, "group '" + g->name + "' of '" + name + "' has k = " +
                                   std::to_string(*g->k) + " (row " + std::to_string(g->k_row) +
                                   ") and k = " + std::to_string(*k));
          g->k = k;
          g->k_row = r.row(i);
        }
        auto& g_mark = group_marks[static_cast<std::size_t>(g - groups.begin())];
        if (listed(g->members, g_mark, to))
          r.fail(i, dcol::to, "group '" + g->name + "' of '" + name + "' lists '" +
                                  std::string(r.text(i, dcol::to)) + "' twice");
        add(g->members, g_mark, to, i);
      }
    } catch (const table_error& e) {
      first = e;
      limit = std::min(limit, static_cast<std::size_t>(e.row() - r.row(0)));
      continue;
    }
    if (first) continue; // an error has been found: no need to build
    std::vector<requirement> reqs;
    auto names_of = [&](const std::vector<member>& v) {
      std::vector<std::string> out;
      out.reserve(v.size());
      for (const auto& x : v) out.emplace_back(r.text(x.row, dcol::to));
      return out;
    };
    if (!plain.empty()) reqs.push_back(requirement::all_of(names_of(plain)));
    const std::size_t node_row = r.row(rows_of[start[n]]);
    for (const auto& g : groups) {
      if (g.kind == any_of) {
        reqs.push_back(requirement::any_of(names_of(g.members)));
        continue;
      }
      std::optional<std::pair<std::size_t, std::string>> problem;
      if (!g.k)
        problem.emplace(g.row, "the " + k_word + " group '" + g.name + "' of '" + name +
                                   "' needs k, the number of systems that suffice");
      else if (static_cast<std::size_t>(*g.k) > g.members.size())
        problem.emplace(g.k_row, "the " + k_word + " group '" + g.name + "' of '" + name +
                                     "' needs " + std::to_string(*g.k) + " of " +
                                     std::to_string(g.members.size()) + " systems");
      if (problem) {
        const std::pair<std::size_t, std::size_t> order{node_row, g.row};
        if (!final_error || order < final_error->first)
          final_error.emplace(order, r.error(problem->first, dcol::k, problem->second));
        continue;
      }
      reqs.push_back(requirement::k_of_n(static_cast<std::size_t>(*g.k), names_of(g.members)));
    }
    if (is_function)
      m.functions[n - ns].needs = std::move(reqs);
    else
      m.systems[n].depends_on = std::move(reqs);
  }
  if (first) throw *first;
  if (final_error) throw final_error->second;
}

template <class Real>
void read_backup_rows(table_reader& r, basic_model_spec<Real>& m, const name_map& systems,
                      first_model_error& later, const std::string& system_label) {
  std::vector<std::uint32_t> count(m.systems.size(), 0);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    r.tick(i);
    if (!r.present(i)) continue;
    const std::string_view name = r.text(i, bcol::system);
    const auto s = systems.find(name);
    if (!s)
      r.fail(i, bcol::system,
             "backup of '" + std::string(name) + "', which is not in " + system_label);
    const auto interval = r.duration(i, bcol::interval);
    const auto generations = r.integer(i, bcol::generations);
    const auto age = r.duration(i, bcol::age);
    const std::string medium(r.text(i, bcol::medium));
    const auto mode = r.choice(i, bcol::mode);
    const auto offsite = r.boolean(i, bcol::offsite);
    const auto restore = r.duration(i, bcol::restore_time);
    const auto content = r.choice(i, bcol::content);
    if (!interval && !age)
      r.fail(i, bcol::interval,
             "'" + r.header(bcol::interval) + "' is required (or '" + r.header(bcol::age) +
                 "' for a one-off copy of known age); the cell is empty");
    auto& sys = m.systems[*s];
    const std::size_t b = count[*s]++;
    const std::string prefix = "backups[" + std::to_string(b) + "].";
    backup<Real> bk;
    if (age) {
      if (interval)
        later.note({1, *s, 1, b, 0}, "system", sys.name, prefix + "interval",
                   "a one-off copy (with an age) has no interval: give one of the two");
      else if (generations)
        later.note({1, *s, 1, b, 1}, "system", sys.name, prefix + "generations",
                   "a one-off copy (with an age) is one copy: leave generations out");
      bk.age = static_cast<Real>(*age);
    } else {
      bk.interval = static_cast<Real>(*interval);
      const long long g = generations.value_or(1);
      if (g < 1 || g > 1000000)
        later.note({1, *s, 1, b, 2}, "system", sys.name, prefix + "generations",
                   "must be an integer from 1 to 1000000");
      else
        bk.generations = static_cast<unsigned>(g);
    }
    if (!medium.empty()) bk.medium = medium;
    static constexpr std::array<backup_mode, 3> modes{backup_mode::online, backup_mode::offline,
                                                      backup_mode::immutable};
    if (mode) bk.mode = modes[*mode];
    bk.offsite = offsite.value_or(false);
    bk.restore_time = static_cast<Real>(restore.value_or(0));
    if (content) bk.content = *content == 0 ? backup_content::data : backup_content::system;
    sys.backups.push_back(std::move(bk));
  }
}

template <class Real>
void read_impact_rows(table_reader& r, basic_model_spec<Real>& m, const name_map& functions,
                      first_model_error& later, const std::string& function_label) {
  for (auto& f : m.functions) f.impact.clear();
  // Whether each curve's unit was given (by some row so far).
  std::vector<std::vector<std::uint8_t>> unit_given(m.functions.size());
  for (std::size_t i = 0; i < r.rows(); ++i) {
    r.tick(i);
    if (!r.present(i)) continue;
    const std::string name(r.text(i, icol::function));
    const auto f = functions.find(name);
    if (!f)
      r.fail(i, icol::function, "impact of '" + name + "', which is not in " + function_label);
    const std::string category(r.text(i, icol::category));
    const std::string unit(r.text(i, icol::unit));
    const auto after = r.duration(i, icol::after);
    const auto per_hour = r.number(i, icol::rate_per_hour);
    const auto per_day = r.number(i, icol::rate_per_day);
    const auto lump = r.number(i, icol::lump);
    auto& fn = m.functions[*f];
    auto& given = unit_given[*f];
    std::size_t c = 0;
    while (c < fn.impact.size() && fn.impact[c].category != category) ++c;
    if (c == fn.impact.size()) {
      fn.impact.emplace_back().category = category;
      given.push_back(0);
    }
    auto& curve = fn.impact[c];
    if (!unit.empty()) {
      if (given[c] && curve.unit != unit)
        r.fail(i, icol::unit, "the '" + category + "' impact of '" + name + "' is in '" +
                                  curve.unit + "' in an earlier row; a curve has one unit");
      curve.unit = unit;
      given[c] = 1;
    }
    const std::size_t step = curve.steps.size();
    if (per_hour && per_day)
      later.note({0, *f, 3, c, step}, "business function", fn.name,
                 "impact[" + std::to_string(c) + "].steps[" + std::to_string(step) +
                     "].rate_per_day",
                 "give rate_per_hour or rate_per_day, not both");
    impact_step<Real> st;
    st.after = static_cast<Real>(after.value_or(0));
    st.rate_per_hour = static_cast<Real>(per_day ? *per_day / 24 : per_hour.value_or(0));
    st.lump = static_cast<Real>(lump.value_or(0));
    curve.steps.push_back(st);
  }
}

} // namespace detail

/// Reads the functions, systems, dependencies, backups and impact curves of
/// an inventory's tables into `base` (whose functions and systems they
/// replace; its settings, tier, resource pools, scenarios and the rest are
/// kept: the model settings and resource pools of an inventory are a few
/// rows, read with the companion). Cells are read as the spreadsheet layout
/// says (docs/spreadsheet-format.md): an empty cell is "not given", choices
/// ignore case, spaces, '-' and '_', durations are hours or text such as
/// "4h", yes/no cells TRUE/FALSE, yes/no or 1/0. Requirements come out as
/// the model file's reader makes them: the all-of rows of a function or
/// system as one all_of requirement first, then its groups in the order of
/// their first rows.
///
/// Throws table_error for a bad cell, a missing or unknown column, a
/// duplicate name, a reference to a function or system the tables lack, a
/// malformed dependency group (the error of the first row in row order);
/// then value_error, naming the object and field, for what the model file's
/// reader rejects (a level outside 1..1000, profit_per_day with
/// revenue_per_day, a one-off backup copy with an interval, ...); once
/// `cancel` (may be null) is true, cancelled_error. The result is not yet
/// validated as a whole: construct a basic_model from it.
template <class Real = double>
basic_model_spec<Real> read_inventory_tables(const inventory_tables& tables,
                                             basic_model_spec<Real> base = {},
                                             const std::atomic<bool>* cancel = nullptr) {
  using namespace detail;
  auto& m = base;
  m.functions.clear();
  m.systems.clear();
  table_reader functions(tables.functions, function_columns, cancel);
  table_reader systems(tables.systems, system_columns, cancel);
  table_reader dependencies(tables.dependencies, dependency_columns, cancel);
  table_reader backups(tables.backups, backup_columns, cancel);
  std::optional<table_reader> impacts;
  if (tables.impacts) impacts.emplace(*tables.impacts, impact_columns, cancel);
  const std::string function_label = "the functions table", system_label = "the systems table";
  first_model_error later;
  name_map function_names, system_names;
  function_names.reserve(tables.functions.rows);
  system_names.reserve(tables.systems.rows);
  read_function_rows(functions, m, function_names, later);
  std::vector<std::size_t> system_rows;
  system_rows.reserve(tables.systems.rows);
  read_system_rows(systems, m, system_names, later, system_rows);
  std::vector<std::size_t>().swap(system_rows);
  read_dependency_rows(dependencies, m, function_names, system_names, function_label,
                       system_label);
  read_backup_rows(backups, m, system_names, later, system_label);
  if (impacts) read_impact_rows(*impacts, m, function_names, later, function_label);
  later.raise();
  return base;
}

} // namespace continuity
