// continuity/io/psplib.hpp — readers for PSPLIB files (Kolisch & Sprecher
// 1996): single-mode instances (`.sm`, the J30/J60/J90/J120 format) and
// solution lists in both published layouts.
//
// An instance becomes a project with one activity per job (the dummy source
// and sink included, with duration 0), named "job <n>", one renewable
// resource per column, named "R <k>", and a finish-to-start relation with
// lag 0 for every listed successor. Job n of the file is activity n - 1.
//
// Reading either fully succeeds or throws parse_error naming the source and
// the line; a file that cannot be opened throws io_error.
#pragma once

#include <continuity/error.hpp>
#include <continuity/scheduling/project.hpp>

#include <charconv>
#include <compare>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// Identifies an instance in a PSPLIB set: j30<parameter>_<instance>.sm.
struct psplib_instance_key {
  int parameter = 0; ///< parameter set number (1-48 for J30)
  int instance = 0;  ///< instance number within the parameter set (1-10)
  /// Ordered by parameter, then instance.
  friend auto operator<=>(const psplib_instance_key&, const psplib_instance_key&) = default;
};

/// Best known (or optimal) makespan per instance, as read from a solution file.
using psplib_solutions = std::map<psplib_instance_key, int>;

namespace detail {

struct psplib_lines {
  std::string source;
  std::vector<std::string> text;

  [[noreturn]] void fail(std::size_t index, const std::string& problem) const {
    throw parse_error(source, index + 1, problem);
  }
  [[noreturn]] void fail_end(const std::string& problem) const {
    throw parse_error(source, text.size() + 1, "unexpected end of file: " + problem);
  }
};

inline psplib_lines psplib_read_lines(std::istream& in, const std::string& source) {
  psplib_lines l{source, {}};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    l.text.push_back(line);
  }
  if (in.bad()) throw io_error(source + ": read error");
  bool blank = true;
  for (const auto& t : l.text)
    if (t.find_first_not_of(" \t") != std::string::npos) blank = false;
  if (blank) throw parse_error(source, 1, "empty file");
  return l;
}

inline std::vector<std::string_view> psplib_tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

inline int psplib_int(const psplib_lines& l, std::size_t index, std::string_view token,
                      const char* what) {
  int v = 0;
  const auto* end = token.data() + token.size();
  const auto r = std::from_chars(token.data(), end, v);
  if (r.ec != std::errc{} || r.ptr != end)
    l.fail(index, std::string("bad number '") + std::string(token) + "' for " + what);
  return v;
}

inline bool psplib_is_rule(std::string_view s) {
  const auto t = s.find_first_not_of(" \t");
  if (t == std::string_view::npos) return false;
  const char c = s[t];
  if (c != '*' && c != '=' && c != '-') return false;
  return s.find_first_not_of(std::string(1, c) + " \t", t) == std::string_view::npos;
}

inline bool psplib_is_blank(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

// Index of the first line at or after `from` that starts (after blanks) with `key`.
inline std::size_t psplib_find(const psplib_lines& l, std::string_view key, std::size_t from = 0) {
  for (std::size_t i = from; i < l.text.size(); ++i) {
    std::string_view s = l.text[i];
    const auto t = s.find_first_not_of(" \t");
    if (t != std::string_view::npos && s.substr(t).starts_with(key)) return i;
  }
  return l.text.size();
}

// The integer after the ':' of a "key : value" header line; `dflt` if absent
// and not required.
inline int psplib_header_value(const psplib_lines& l, std::string_view key, bool required,
                               int dflt = 0) {
  const std::size_t i = psplib_find(l, key);
  if (i == l.text.size()) {
    if (required) l.fail(0, "missing header line '" + std::string(key) + "'");
    return dflt;
  }
  const auto colon = l.text[i].find(':');
  if (colon == std::string::npos) l.fail(i, "missing ':' after '" + std::string(key) + "'");
  const auto tok = psplib_tokens(std::string_view(l.text[i]).substr(colon + 1));
  if (tok.empty()) l.fail(i, "missing value after '" + std::string(key) + "'");
  return psplib_int(l, i, tok[0], key.data());
}

inline std::size_t psplib_section(const psplib_lines& l, std::string_view name) {
  const std::size_t i = psplib_find(l, name);
  if (i == l.text.size()) l.fail(0, "missing section '" + std::string(name) + "'");
  return i;
}

// The next line after `i` that is not blank, or fail at end of file.
inline std::size_t psplib_next(const psplib_lines& l, std::size_t i, const std::string& expecting) {
  for (++i; i < l.text.size(); ++i)
    if (!psplib_is_blank(l.text[i])) return i;
  l.fail_end("expected " + expecting);
}

} // namespace detail

/// Reads a PSPLIB single-mode instance (`.sm`) from `in`; `source` names it in
/// error messages. Throws parse_error on a missing section or header line, a
/// bad number, a job count that does not match the header, a job out of
/// order, an unknown successor, a multi-mode job, non-renewable resources, a
/// truncated or empty file, and for a precedence cycle or a demand above
/// capacity (the project's own validation, reported against the file).
template <class Real = double>
basic_project<Real> read_psplib_sm(std::istream& in, const std::string& source = "<input>") {
  using detail::psplib_int;
  using detail::psplib_tokens;
  const auto l = detail::psplib_read_lines(in, source);
  const int jobs = detail::psplib_header_value(l, "jobs (incl. supersource/sink )", true);
  if (jobs < 1) l.fail(detail::psplib_find(l, "jobs (incl."), "job count must be >= 1");
  const int renewable = detail::psplib_header_value(l, "- renewable", true);
  if (renewable < 0) l.fail(detail::psplib_find(l, "- renewable"), "negative resource count");
  for (const char* other : {"- nonrenewable", "- doubly constrained"})
    if (detail::psplib_header_value(l, other, false) != 0)
      l.fail(detail::psplib_find(l, other), "only renewable resources are supported");
  const std::size_t n = static_cast<std::size_t>(jobs);
  const std::size_t k = static_cast<std::size_t>(renewable);
  // Every job has a line in two sections: nothing is allocated from a header
  // count the file cannot hold.
  if (n > l.text.size())
    l.fail(detail::psplib_find(l, "jobs (incl."),
           "the header says " + std::to_string(n) + " jobs, but the file has only " +
               std::to_string(l.text.size()) + " lines");

  std::vector<std::pair<std::size_t, std::size_t>> arcs; // (job, successor), 0-based
  arcs.reserve(3 * n);

  // PRECEDENCE RELATIONS: a header line, then one line per job.
  const std::size_t prec = detail::psplib_section(l, "PRECEDENCE RELATIONS:");
  std::size_t i = detail::psplib_next(l, prec, "the precedence header line");
  for (std::size_t j = 0; j < n; ++j) {
    i = detail::psplib_next(l, i, "precedence line of job " + std::to_string(j + 1));
    if (detail::psplib_is_rule(l.text[i]))
      l.fail(i, "job count mismatch: PRECEDENCE RELATIONS lists " + std::to_string(j) +
                    " jobs, header says " + std::to_string(n));
    const auto t = psplib_tokens(l.text[i]);
    if (t.size() < 3) l.fail(i, "precedence line needs jobnr, #modes, #successors");
    const int nr = psplib_int(l, i, t[0], "jobnr.");
    if (nr != static_cast<int>(j + 1))
      l.fail(i, "expected job " + std::to_string(j + 1) + ", got " + std::to_string(nr));
    if (psplib_int(l, i, t[1], "#modes") != 1) l.fail(i, "only single-mode jobs are supported");
    const int count = psplib_int(l, i, t[2], "#successors");
    if (count < 0 || static_cast<std::size_t>(count) != t.size() - 3)
      l.fail(i, "job " + std::to_string(j + 1) + " declares " + std::to_string(count) +
                    " successors but lists " + std::to_string(t.size() - 3));
    for (std::size_t s = 3; s < t.size(); ++s) {
      const int succ = psplib_int(l, i, t[s], "successor");
      if (succ < 1 || succ > jobs)
        l.fail(i, "unknown successor " + std::to_string(succ) + " of job " + std::to_string(j + 1) +
                      " (jobs are 1.." + std::to_string(jobs) + ")");
      arcs.emplace_back(j, static_cast<std::size_t>(succ - 1));
    }
  }
  i = detail::psplib_next(l, i, "the end of PRECEDENCE RELATIONS");
  if (!detail::psplib_is_rule(l.text[i]))
    l.fail(i, "job count mismatch: PRECEDENCE RELATIONS lists more than " + std::to_string(n) +
                  " jobs");

  // REQUESTS/DURATIONS: a header line, a rule, then one line per job.
  const std::size_t req = detail::psplib_section(l, "REQUESTS/DURATIONS:");
  i = detail::psplib_next(l, req, "the requests header line");
  i = detail::psplib_next(l, i, "the rule under the requests header");
  if (!detail::psplib_is_rule(l.text[i])) l.fail(i, "expected a '----' rule");
  std::vector<std::vector<int>> demand(n);
  for (std::size_t j = 0; j < n; ++j) {
    i = detail::psplib_next(l, i, "request line of job " + std::to_string(j + 1));
    if (detail::psplib_is_rule(l.text[i]))
      l.fail(i, "job count mismatch: REQUESTS/DURATIONS lists " + std::to_string(j) +
                    " jobs, header says " + std::to_string(n));
    const auto t = psplib_tokens(l.text[i]);
    if (t.size() != 3 + k)
      l.fail(i, "request line needs jobnr, mode, duration and " + std::to_string(k) +
                    " demands, got " + std::to_string(t.size()) + " fields");
    const int nr = psplib_int(l, i, t[0], "jobnr.");
    if (nr != static_cast<int>(j + 1))
      l.fail(i, "expected job " + std::to_string(j + 1) + ", got " + std::to_string(nr));
    if (psplib_int(l, i, t[1], "mode") != 1) l.fail(i, "only mode 1 is supported");
    const int d = psplib_int(l, i, t[2], "duration");
    if (d < 0) l.fail(i, "negative duration " + std::to_string(d));
    demand[j].resize(k);
    for (std::size_t r = 0; r < k; ++r) {
      demand[j][r] = psplib_int(l, i, t[3 + r], "demand");
      if (demand[j][r] < 0) l.fail(i, "negative demand " + std::to_string(demand[j][r]));
    }
    demand[j].push_back(d); // the duration, stored after the k demands
  }
  i = detail::psplib_next(l, i, "the end of REQUESTS/DURATIONS");
  if (!detail::psplib_is_rule(l.text[i]))
    l.fail(i,
           "job count mismatch: REQUESTS/DURATIONS lists more than " + std::to_string(n) + " jobs");

  // RESOURCEAVAILABILITIES: a line of names, then a line of capacities.
  const std::size_t avail = detail::psplib_section(l, "RESOURCEAVAILABILITIES:");
  i = detail::psplib_next(l, avail, "the resource names line");
  i = detail::psplib_next(l, i, "the resource capacities line");
  const auto t = psplib_tokens(l.text[i]);
  if (t.size() != k)
    l.fail(i, "expected " + std::to_string(k) + " capacities, got " + std::to_string(t.size()));

  basic_project_builder<Real> out;
  out.reserve(n, arcs.size());
  for (std::size_t r = 0; r < k; ++r) {
    const int c = psplib_int(l, i, t[r], "capacity");
    if (c < 0) l.fail(i, "negative capacity " + std::to_string(c));
    out.add_resource("R " + std::to_string(r + 1), c);
  }
  for (std::size_t j = 0; j < n; ++j) {
    out.add_activity(static_cast<Real>(demand[j][k]), "job " + std::to_string(j + 1));
    for (std::size_t r = 0; r < k; ++r)
      if (demand[j][r] != 0) out.set_demand(j, r, demand[j][r]);
  }
  for (const auto& [from, to] : arcs) out.add_finish_to_start(from, to);
  try {
    return out.build();
  } catch (const error& e) {
    throw parse_error(source, prec + 1, e.what());
  }
}

/// Reads a PSPLIB single-mode instance from a file. Throws io_error if the
/// file cannot be opened, parse_error if it is malformed.
template <class Real = double>
basic_project<Real> read_psplib_sm_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw io_error(path.string() + ": cannot open file");
  return read_psplib_sm<Real>(in, path.string());
}

/// Reads a PSPLIB solution list in either layout: a header block followed by
/// rows "Parameter Instance Makespan CPU-Time" (e.g. j30opt.sm), or rows
/// "Par Inst Makespan Date Author" (e.g. j30hrs.sm). The rows start after the
/// column header line (the first line whose first word starts with "Par");
/// rule lines and blank lines are skipped. Throws parse_error on an empty
/// file, a missing column header, a row without three integers, a duplicate
/// (parameter, instance) pair or a file without rows.
inline psplib_solutions read_psplib_solutions(std::istream& in,
                                              const std::string& source = "<input>") {
  const auto l = detail::psplib_read_lines(in, source);
  std::size_t header = l.text.size();
  for (std::size_t i = 0; i < l.text.size() && header == l.text.size(); ++i) {
    const auto t = detail::psplib_tokens(l.text[i]);
    if (!t.empty() && (t[0].starts_with("Par") || t[0].starts_with("par"))) header = i;
  }
  if (header == l.text.size())
    l.fail(0, "missing column header line ('Parameter Instance Makespan ...' or 'Par Inst "
              "Makespan ...')");
  psplib_solutions out;
  for (std::size_t i = header + 1; i < l.text.size(); ++i) {
    if (detail::psplib_is_blank(l.text[i]) || detail::psplib_is_rule(l.text[i])) continue;
    const auto t = detail::psplib_tokens(l.text[i]);
    if (t.size() < 3) l.fail(i, "a solution row needs parameter, instance and makespan");
    const psplib_instance_key key{detail::psplib_int(l, i, t[0], "parameter"),
                                  detail::psplib_int(l, i, t[1], "instance")};
    const int makespan = detail::psplib_int(l, i, t[2], "makespan");
    if (makespan < 0) l.fail(i, "negative makespan");
    if (!out.emplace(key, makespan).second)
      l.fail(i, "duplicate row for parameter " + std::to_string(key.parameter) + ", instance " +
                    std::to_string(key.instance));
  }
  if (out.empty()) l.fail(header, "no solution rows after the column header");
  return out;
}

/// Reads a PSPLIB solution list from a file (see read_psplib_solutions).
inline psplib_solutions read_psplib_solutions_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw io_error(path.string() + ": cannot open file");
  return read_psplib_solutions(in, path.string());
}

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
