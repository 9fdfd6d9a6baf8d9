// continuity/error.hpp — the library's one error hierarchy.
//
// Every error continuity throws derives from continuity::error, which derives
// from std::runtime_error, so `catch (const std::exception&)` sees them all.
//
//   error
//   ├── validation_error        an input object is invalid (names object and field)
//   │   ├── reference_error     a name refers to nothing
//   │   ├── duplicate_error     two objects of one kind share a name
//   │   ├── value_error         a number or choice is out of its domain
//   │   ├── cycle_error         a dependency cycle (names the systems on it)
//   │   ├── objective_error     objectives that contradict each other (RTO + WRT vs MTPD)
//   │   └── table_error         a bad cell of an inventory table (names file, row and column)
//   ├── io_error                a file cannot be read or written
//   │   └── parse_error         a file's content is malformed (names file and line)
//   ├── scheduling_error        a recovery plan cannot be built (e.g. capacity 0)
//   └── cancelled_error         the caller cancelled the work (reading or building a model)
//
// Validation happens once, before any analysis: analyses of a validated model
// do not throw (except std::bad_alloc).
#pragma once

#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace continuity {

/// Base of every error thrown by continuity.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An input object is invalid. what() reads
/// "<kind> '<name>': <field>: <problem>", e.g.
/// "system 'EMR server': depends_on: unknown system 'SAN'".
class validation_error : public error {
public:
  validation_error(std::string object_kind, std::string object_name, std::string field,
                   const std::string& problem)
      : error(compose(object_kind, object_name, field, problem)),
        object_kind_(std::move(object_kind)), object_name_(std::move(object_name)),
        field_(std::move(field)) {}

  /// Kind of the offending object: "system", "business function", "backup", ...
  const std::string& object_kind() const noexcept { return object_kind_; }
  /// Name of the offending object (may be empty for the model itself).
  const std::string& object_name() const noexcept { return object_name_; }
  /// The offending field, e.g. "depends_on" or "backups[1].interval".
  const std::string& field() const noexcept { return field_; }

protected:
  /// Tag of the constructor for subclasses that word the whole message themselves.
  struct worded {};
  /// what() is `message` as given; the parts are kept as the attributes.
  validation_error(worded, const std::string& message, std::string object_kind,
                   std::string object_name, std::string field)
      : error(message), object_kind_(std::move(object_kind)),
        object_name_(std::move(object_name)), field_(std::move(field)) {}

private:
  static std::string compose(const std::string& kind, const std::string& name,
                             const std::string& field, const std::string& problem) {
    std::string s = kind;
    if (!name.empty()) s += " '" + name + "'";
    if (!field.empty()) s += ": " + field;
    s += ": " + problem;
    return s;
  }
  std::string object_kind_, object_name_, field_;
};

/// A name refers to no object of the expected kind.
class reference_error : public validation_error {
public:
  using validation_error::validation_error;
};

/// Two objects of one kind share a name.
class duplicate_error : public validation_error {
public:
  using validation_error::validation_error;
};

/// A value is outside its domain: negative, NaN or infinite where a finite
/// amount is needed, a fraction outside [0, 1], an unknown enumerator, ...
class value_error : public validation_error {
public:
  using validation_error::validation_error;
};

/// The system dependencies contain a cycle. systems() lists the systems on
/// one cycle in dependency order (each needs the next; the last needs the first).
class cycle_error : public validation_error {
public:
  cycle_error(std::vector<std::string> cycle)
      : validation_error("system", cycle.empty() ? std::string{} : cycle.front(), "depends_on",
                         describe(cycle)),
        systems_(std::move(cycle)) {}
  const std::vector<std::string>& systems() const noexcept { return systems_; }

private:
  static std::string describe(const std::vector<std::string>& c) {
    std::string s = "dependency cycle ";
    for (const auto& n : c) s += "'" + n + "' -> ";
    if (!c.empty()) s += "'" + c.front() + "'";
    s += " (to recover such systems together, set the model's cycle_policy to \"group\" in "
         "a model file, or cycle_policy::group_strongly_connected in C++)";
    return s;
  }
  std::vector<std::string> systems_;
};

/// An objective that can never be met: an RPO objective shorter than every
/// backup interval, or RTO + WRT longer than the MTPD.
class objective_error : public validation_error {
public:
  using validation_error::validation_error;
};

/// A bad cell or column of an inventory table (a CSV file, a sheet, a
/// Parquet file of the spreadsheet layout, docs/spreadsheet-format.md).
/// what() reads "<file>, sheet '<sheet>', row <row>, column '<column>':
/// <problem>" (the row and column only where known), as the Python package's
/// SpreadsheetError words it; object_kind() is "spreadsheet", object_name()
/// the sheet and field() the column.
class table_error : public validation_error {
public:
  /// `row` as the spreadsheet program shows it (1: the header row), 0 for
  /// the whole table; `column` as written in the header row, or empty.
  table_error(std::string file, std::string sheet, std::size_t row, std::string column,
              std::string problem)
      : validation_error(worded{}, compose(file, sheet, row, column, problem), "spreadsheet",
                         sheet, column),
        file_(std::move(file)), row_(row), problem_(std::move(problem)) {}

  /// The file.
  const std::string& file() const noexcept { return file_; }
  /// The sheet, or the table (a CSV or Parquet file's name without suffix).
  const std::string& sheet() const noexcept { return object_name(); }
  /// The row as the spreadsheet program shows it, 0 for the whole table.
  std::size_t row() const noexcept { return row_; }
  /// The column as written in the header row, or empty.
  const std::string& column() const noexcept { return field(); }
  /// The problem alone, without the place.
  const std::string& problem() const noexcept { return problem_; }

private:
  static std::string compose(const std::string& file, const std::string& sheet, std::size_t row,
                             const std::string& column, const std::string& problem) {
    std::string s = file;
    if (!sheet.empty()) s += ", sheet '" + sheet + "'";
    if (row != 0) s += ", row " + std::to_string(row);
    if (!column.empty()) s += ", column '" + column + "'";
    return s.empty() ? problem : s + ": " + problem;
  }
  std::string file_;
  std::size_t row_;
  std::string problem_;
};

/// A file cannot be opened, read or written.
class io_error : public error {
public:
  using error::error;
};

/// A file's content is malformed. what() names the file (or "<input>") and,
/// where known, the line.
class parse_error : public io_error {
public:
  parse_error(const std::string& source, std::size_t line, const std::string& problem)
      : io_error(source + (line ? ":" + std::to_string(line) : std::string{}) + ": " + problem),
        source_(source), line_(line) {}
  const std::string& source() const noexcept { return source_; }
  /// 1-based line number, or 0 if unknown.
  std::size_t line() const noexcept { return line_; }

private:
  std::string source_;
  std::size_t line_;
};

/// A recovery plan cannot be built, e.g. a step needs a resource whose
/// capacity is zero, or the precedence relation has a cycle.
class scheduling_error : public error {
public:
  using error::error;
};

/// Work was cancelled by its caller: the cancellation flag it was given
/// became true. Thrown by work that has no partial result to give, such as
/// reading and building a model (parse_json_text, read_model_spec,
/// basic_model); long analyses return what they have instead (a Monte Carlo
/// run its completed trials, the improving search its best plan so far).
class cancelled_error : public error {
public:
  using error::error;
};

namespace detail {

/// Throws cancelled_error("<what> was cancelled") once `cancel` (may be null)
/// is true. Cheap enough to call every few thousand steps of long work.
inline void throw_if_cancelled(const std::atomic<bool>* cancel, const char* what) {
  if (cancel && cancel->load(std::memory_order_relaxed))
    throw cancelled_error(std::string(what) + " was cancelled");
}

} // namespace detail

} // namespace continuity
