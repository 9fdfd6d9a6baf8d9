// continuity/io/json.hpp — read and write whole models as JSON (the format is
// documented in docs/model-format.md). Needs nlohmann-json, and simdjson for
// the fast reader (CONTINUITY_SIMDJSON, which the continuity::io CMake target
// defines where it finds simdjson).
//
// Loading either fully succeeds or throws: a parse_error for malformed JSON
// (naming the source and line), a validation_error for a well-formed file
// that describes an invalid model (naming the object and field). One reader
// (read_spec) serves both representations of a document: the strict
// nlohmann document (parse_json_text, read_model_spec of a json) and a
// simdjson document (parse_model_spec, read_model_spec of a stream,
// read_model, load_model), which hands every text simdjson cannot read as the
// strict reader would to the strict reader.
#pragma once

#include <continuity/error.hpp>
#include <continuity/io/detail/json_distribution.hpp>
#include <continuity/io/detail/json_value.hpp>
#ifdef CONTINUITY_SIMDJSON
#include <continuity/io/detail/simdjson_value.hpp>
#endif
#include <continuity/io/duration.hpp>
#include <continuity/model/model.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <istream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace continuity {

namespace detail {

using json = nlohmann::json;

// Reads fields of one JSON object (of value type J, see
// io/detail/json_value.hpp), naming the object in every error. The object's
// members are looked at once, when the reader is made: each field is then
// found by its place in the list of allowed fields.
template <class J>
class json_object_reader {
public:
  /// Most fields an object may have (the longest `allowed` list).
  static constexpr std::size_t max_fields = 24;

  json_object_reader(json_ref<J> j, std::string kind, std::string name,
                     std::initializer_list<std::string_view> allowed, std::string prefix = {})
      : j_(j), field_count_(allowed.size()), kind_(std::move(kind)), name_(std::move(name)),
        prefix_(std::move(prefix)) {
    if (!j_.is_object())
      throw value_error(kind_, name_, prefix_.empty() ? "" : prefix_.substr(0, prefix_.size() - 1),
                        "must be a JSON object");
    if (allowed.size() > max_fields) throw std::logic_error("json_object_reader: too many fields");
    std::copy(allowed.begin(), allowed.end(), fields_.begin());
    std::optional<std::string_view> unknown; // the first in sorted order
    for_each_member(j_, [&](std::string_view key, const J& value) {
      for (std::size_t k = 0; k < field_count_; ++k)
        if (key == fields_[k]) {
          values_[k].set(value);
          present_ |= std::uint32_t(1) << k;
          return;
        }
      if (!unknown || key < *unknown) unknown = key;
    });
    if (unknown) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(*unknown, "unknown field (expected one of: " + list + ")");
    }
  }

  [[noreturn]] void fail(std::string_view field, const std::string& problem) const {
    throw value_error(kind_, name_, prefix_ + std::string(field), problem);
  }
  const std::string& kind() const noexcept { return kind_; }
  const std::string& name() const noexcept { return name_; }
  std::string field(std::string_view f) const { return prefix_ + std::string(f); }
  bool has(std::string_view f) const { return given(f) < field_count_; }
  // Field `f` of the object (which has it).
  // Field `f` as a T if `is_type` accepts it, `def` if absent; otherwise
  // fails with `expected`.
  template <class T, class IsType>
  T typed(std::string_view f, T def, IsType is_type, const char* expected) const {
    const std::size_t k = given(f);
    if (k == field_count_) return def;
    const json_ref<J> v = value(k);
    if (!is_type(v)) fail(f, expected);
    return v.template get<T>();
  }
  json_ref<J> at(std::string_view f) const {
    const std::size_t k = place(f);
    if (k < field_count_ && ((present_ >> k) & 1U) != 0) return value(k);
    return j_.at(f);
  }

  std::string string(std::string_view f, std::string def = {}) const {
    return typed(f, std::move(def), [](const json_ref<J>& v) { return v.is_string(); },
                 "must be a string");
  }
  std::string required_string(std::string_view f) const {
    if (!has(f)) fail(f, "is required");
    return string(f);
  }
  double number(std::string_view f, double def) const {
    return typed(f, def, [](const json_ref<J>& v) { return v.is_number(); }, "must be a number");
  }
  bool boolean(std::string_view f, bool def) const {
    return typed(f, def, [](const json_ref<J>& v) { return v.is_boolean(); },
                 "must be true or false");
  }
  long long integer(std::string_view f, long long def) const {
    return typed(f, def, [](const json_ref<J>& v) { return v.is_number_integer(); },
                 "must be an integer");
  }
  // A priority level: a small positive integer (the model checks the range).
  int level(std::string_view f) const {
    const long long v = integer(f, 1);
    if (v < 1 || v > 1000)
      fail(f, "must be a level from 1 to the matrix's level count, got " + std::to_string(v));
    return static_cast<int>(v);
  }
  // A duration: a number of hours or a string such as "3d".
  std::optional<double> duration(std::string_view f) const {
    const std::size_t k = given(f);
    if (k == field_count_) return std::nullopt;
    const json_ref<J> v = value(k);
    if (v.is_number()) return v.template get<double>();
    if (v.is_string()) {
      const auto text = v.template get<std::string>();
      if (auto h = parse_duration_hours(text)) return h;
      fail(f, "'" + text + "' is not a duration (use hours, or a number with min, h, d, w, mo or y)");
    }
    fail(f, "must be a duration: a number of hours or a string such as \"3d\"");
  }
  double duration(std::string_view f, double def) const { return duration(f).value_or(def); }
  // A fixed value or a distribution (see read_distribution); `durations`
  // allows duration strings.
  template <class Real>
  distribution<Real> dist(std::string_view f, bool durations, Real def = Real(0)) const {
    const std::size_t k = given(f);
    if (k == field_count_) return distribution<Real>(def);
    return read_distribution<Real>(value(k), durations,
                                   [&](const std::string& problem) { fail(f, problem); });
  }
  json_ref<J> array(std::string_view f) const {
    const std::size_t k = given(f);
    if (k == field_count_) return empty_json_array(static_cast<const J*>(nullptr));
    const json_ref<J> v = value(k);
    if (!v.is_array()) fail(f, "must be an array");
    return v;
  }
  std::vector<std::string> strings(std::string_view f) const {
    std::vector<std::string> out;
    std::size_t i = 0;
    for_each_element(array(f), [&](const J& e) {
      if (!e.is_string()) fail(std::string(f) + "[" + std::to_string(i) + "]", "must be a string");
      out.push_back(e.template get<std::string>());
      ++i;
    });
    return out;
  }

private:
  // The place of field `f` in the allowed list (field_count_ if it is not
  // there): the callers name fields with the literals of the list, which the
  // compiler stores once, so that the pointer usually matches.
  std::size_t place(std::string_view f) const noexcept {
    for (std::size_t k = 0; k < field_count_; ++k)
      if (fields_[k].data() == f.data()) return k;
    for (std::size_t k = 0; k < field_count_; ++k)
      if (fields_[k] == f) return k;
    return field_count_;
  }
  // The place of field `f` if the object gives it (present and not null),
  // otherwise field_count_.
  std::size_t given(std::string_view f) const {
    const std::size_t k = place(f);
    return k < field_count_ && ((present_ >> k) & 1U) != 0 && !value(k).is_null() ? k
                                                                                   : field_count_;
  }
  json_ref<J> value(std::size_t k) const { return values_[k].get(); }

  json_ref<J> j_;
  std::size_t field_count_;
  std::array<std::string_view, max_fields> fields_;
  // The value of each allowed field the object has (bit k of present_).
  std::array<json_slot<J>, max_fields> values_;
  std::uint32_t present_ = 0;
  std::string kind_, name_, prefix_;
};

template <class J>
std::string object_name(const J& j, std::size_t i) {
  if (j.is_object() && j.contains("name")) {
    const json_ref<J> name = j.at("name");
    if (name.is_string()) return name.template get<std::string>();
  }
  std::string label = "#";
  label += std::to_string(i + 1);
  return label;
}

// Requirements: "name" (joined into one all-of requirement), {"all_of": [...]},
// {"any_of": [...]} or {"k_of": k, "systems": [...]}.
template <class J>
std::vector<requirement> read_requirements(const json_object_reader<J>& r, const char* f) {
  std::vector<requirement> out;
  std::vector<std::string> plain;
  std::size_t i = 0;
  for_each_element(r.array(f), [&](const J& e) {
    const std::string fi = std::string(f) + "[" + std::to_string(i++) + "]";
    if (e.is_string()) {
      plain.push_back(e.template get<std::string>());
      return;
    }
    json_object_reader<J> q(e, r.kind(), r.name(), {"all_of", "any_of", "k_of", "systems"},
                            r.field(fi.c_str()) + ".");
    if (int(q.has("all_of")) + int(q.has("any_of")) + int(q.has("k_of")) > 1)
      r.fail(fi, "give only one of all_of, any_of and k_of");
    if (q.has("all_of")) {
      out.push_back(requirement::all_of(q.strings("all_of")));
    } else if (q.has("any_of")) {
      out.push_back(requirement::any_of(q.strings("any_of")));
    } else if (q.has("k_of")) {
      const long long k = q.integer("k_of", 0);
      if (k < 1) q.fail("k_of", "must be a positive integer");
      out.push_back(requirement::k_of_n(static_cast<std::size_t>(k), q.strings("systems")));
    } else {
      r.fail(fi, "must be a system name or an object with all_of, any_of or k_of + systems");
    }
  });
  if (!plain.empty()) out.insert(out.begin(), requirement::all_of(std::move(plain)));
  return out;
}

inline json write_requirements(const std::vector<requirement>& reqs) {
  json a = json::array();
  for (const auto& q : reqs) {
    if (q.is_all_of() && q.systems.size() > 0)
      a.push_back({{"all_of", q.systems}});
    else if (q.needed == 1)
      a.push_back({{"any_of", q.systems}});
    else
      a.push_back({{"k_of", q.needed}, {"systems", q.systems}});
  }
  return a;
}

template <class Real, class J>
business_function<Real> read_function(const J& j, std::size_t i, int default_dependency = 1) {
  json_object_reader<J> r(j, "business function", object_name(j, i),
                       {"name", "importance", "system_dependency", "emergency", "rto", "rpo",
                        "mtpd", "wrt", "revenue_per_day", "profit_per_day", "margin",
                        "operating_days_per_week", "impact", "manual_workaround", "needs",
                        "minimum_capacity", "operating_days_per_year", "description"});
  business_function<Real> f;
  f.name = r.required_string("name");
  f.importance = r.level("importance");
  f.system_dependency = r.has("system_dependency") ? r.level("system_dependency") : default_dependency;
  f.emergency = r.boolean("emergency", false);
  auto opt = [](std::optional<double> v) -> std::optional<Real> {
    if (!v) return std::nullopt;
    return static_cast<Real>(*v);
  };
  f.rto = opt(r.duration("rto"));
  f.rpo = opt(r.duration("rpo"));
  f.mtpd = opt(r.duration("mtpd"));
  f.wrt = static_cast<Real>(r.duration("wrt", 0.0));
  std::size_t c = 0;
  for_each_element(r.array("minimum_capacity"), [&](const J& minimum) {
    json_object_reader<J> mr(minimum, r.kind(), r.name(), {"by", "capacity"},
                             "minimum_capacity[" + std::to_string(c++) + "].");
    capacity_objective<Real> mc;
    if (!mr.has("by")) mr.fail("by", "is required");
    if (!mr.has("capacity")) mr.fail("capacity", "is required");
    mc.by = static_cast<Real>(mr.duration("by", 0.0));
    mc.capacity = static_cast<Real>(mr.number("capacity", 0));
    f.minimum_capacity.push_back(mc);
  });
  if (r.has("profit_per_day") && (r.has("revenue_per_day") || r.has("margin")))
    r.fail("profit_per_day", "give either profit_per_day or revenue_per_day with margin");
  if (r.has("profit_per_day")) {
    f.revenue_per_day = static_cast<Real>(r.number("profit_per_day", 0));
    f.margin = 1;
  } else {
    f.revenue_per_day = static_cast<Real>(r.number("revenue_per_day", 0));
    f.margin = static_cast<Real>(r.number("margin", 1));
  }
  f.operating_days_per_week = static_cast<Real>(r.number("operating_days_per_week", 7));
  if (r.has("operating_days_per_year"))
    f.operating_days_per_year = static_cast<Real>(r.number("operating_days_per_year", 0));
  c = 0;
  for_each_element(r.array("impact"), [&](const J& jc) {
    const std::string p = "impact[" + std::to_string(c++) + "].";
    json_object_reader<J> cr(jc, r.kind(), r.name(), {"category", "unit", "steps"}, p);
    impact_curve<Real> curve;
    curve.category = cr.required_string("category");
    curve.unit = cr.string("unit");
    std::size_t s = 0;
    for_each_element(cr.array("steps"), [&](const J& js) {
      json_object_reader<J> sr(js, r.kind(), r.name(),
                               {"after", "rate_per_hour", "rate_per_day", "lump"},
                               p + "steps[" + std::to_string(s++) + "].");
      impact_step<Real> st;
      st.after = static_cast<Real>(sr.duration("after", 0.0));
      if (sr.has("rate_per_hour") && sr.has("rate_per_day"))
        sr.fail("rate_per_day", "give rate_per_hour or rate_per_day, not both");
      st.rate_per_hour =
          static_cast<Real>(sr.has("rate_per_day") ? sr.number("rate_per_day", 0) / 24
                                                   : sr.number("rate_per_hour", 0));
      st.lump = static_cast<Real>(sr.number("lump", 0));
      curve.steps.push_back(st);
    });
    f.impact.push_back(std::move(curve));
  });
  if (r.has("manual_workaround")) {
    json_object_reader<J> w(r.at("manual_workaround"), r.kind(), r.name(),
                         {"capacity", "setup_time", "max_duration", "description"},
                         "manual_workaround.");
    manual_workaround<Real> mw;
    mw.capacity = static_cast<Real>(w.number("capacity", 0));
    mw.setup_time = static_cast<Real>(w.duration("setup_time", 0.0));
    mw.max_duration =
        static_cast<Real>(w.duration("max_duration", std::numeric_limits<double>::infinity()));
    f.workaround = mw;
  }
  f.needs = read_requirements(r, "needs");
  return f;
}

// A recovery procedure: {"emergency": [steps], "permanent": [steps],
// "emergency_capacity": x}; a step: {"name", "kind", "duration", "needs",
// "after"}.
template <class Real, class J>
recovery_procedure<Real> read_procedure(const json_object_reader<J>& sys,
                                        const std::atomic<bool>* cancel = nullptr) {
  json_object_reader<J> r(sys.at("recovery"), sys.kind(), sys.name(),
                       {"emergency", "permanent", "emergency_capacity"}, "recovery.");
  recovery_procedure<Real> p;
  p.emergency_capacity = static_cast<Real>(r.number("emergency_capacity", 1));
  auto read_steps = [&](const char* phase, std::vector<recovery_step<Real>>& out) {
    std::size_t i = 0;
    for_each_element(r.array(phase), [&](const J& step) {
      if (i % 4096 == 0) throw_if_cancelled(cancel, "reading the model");
      const std::string prefix =
          "recovery." + std::string(phase) + "[" + std::to_string(i++) + "].";
      json_object_reader<J> q(step, sys.kind(), sys.name(),
                           {"name", "kind", "duration", "duration_without_backup", "needs", "after",
                            "description"},
                           prefix);
      recovery_step<Real> st;
      st.name = q.required_string("name");
      const std::string kind = q.string("kind", "other");
      if (auto k = parse_step_kind(kind))
        st.kind = *k;
      else
        q.fail("kind", "unknown step kind '" + kind + "'");
      if (!q.has("duration")) q.fail("duration", "is required");
      st.duration = q.template dist<Real>("duration", true);
      if (q.has("duration_without_backup"))
        st.duration_without_backup = q.template dist<Real>("duration_without_backup", true);
      std::size_t d = 0;
      for_each_element(q.array("needs"), [&](const J& need) {
        const std::string nf = "needs[" + std::to_string(d++) + "]";
        if (need.is_string()) {
          st.needs.push_back({need.template get<std::string>(), 1});
          return;
        }
        json_object_reader<J> dr(need, sys.kind(), sys.name(), {"resource", "units"},
                                 prefix + nf + ".");
        const long long u = dr.integer("units", 1);
        if (u < 1 || u > 1000000) dr.fail("units", "must be an integer from 1 to 1000000");
        st.needs.push_back({dr.required_string("resource"), static_cast<int>(u)});
      });
      std::size_t a = 0;
      for_each_element(q.array("after"), [&](const J& link) {
        const std::string af = "after[" + std::to_string(a++) + "]";
        if (link.is_string()) {
          st.after.push_back({link.template get<std::string>(), false, Real(0)});
          return;
        }
        json_object_reader<J> lr(link, sys.kind(), sys.name(), {"step", "start_to_start", "lag"},
                                 prefix + af + ".");
        st.after.push_back({lr.required_string("step"), lr.boolean("start_to_start", false),
                            static_cast<Real>(lr.duration("lag", 0.0))});
      });
      out.push_back(std::move(st));
    });
  };
  read_steps("emergency", p.emergency);
  read_steps("permanent", p.permanent);
  return p;
}

template <class Real>
json write_procedure(const recovery_procedure<Real>& p) {
  auto steps = [](const std::vector<recovery_step<Real>>& v) {
    json a = json::array();
    for (const auto& st : v) {
      json needs = json::array(), after = json::array();
      for (const auto& d : st.needs) needs.push_back({{"resource", d.resource}, {"units", d.units}});
      for (const auto& l : st.after)
        after.push_back(
            {{"step", l.step}, {"start_to_start", l.start_to_start}, {"lag", double(l.lag)}});
      a.push_back({{"name", st.name},
                   {"kind", std::string(to_string(st.kind))},
                   {"duration", write_distribution(st.duration)},
                   {"needs", needs},
                   {"after", after}});
      if (st.duration_without_backup)
        a.back()["duration_without_backup"] = write_distribution(*st.duration_without_backup);
    }
    return a;
  };
  return {{"emergency", steps(p.emergency)},
          {"permanent", steps(p.permanent)},
          {"emergency_capacity", double(p.emergency_capacity)}};
}

template <class Real, class J>
it_system<Real> read_system(const J& j, std::size_t i, const std::atomic<bool>* cancel = nullptr) {
  json_object_reader<J> r(j, "system", object_name(j, i),
                       {"name", "layer", "side", "segment", "depends_on", "backups", "holds_data",
                        "transactions_per_hour", "reentry_hours_per_transaction", "reentry_by",
                        "reentry_staff", "recovery", "description"});
  it_system<Real> s;
  s.name = r.required_string("name");
  const std::string layer = r.string("layer", "software");
  if (auto l = parse_asset_layer(layer))
    s.layer = *l;
  else
    r.fail("layer",
           "unknown layer '" + layer + "' (building, infrastructure, hardware, software, people)");
  const std::string side = r.string("side", "server");
  if (auto sd = parse_asset_side(side))
    s.side = *sd;
  else
    r.fail("side", "unknown side '" + side + "' (client, server)");
  s.segment = r.string("segment");
  s.depends_on = read_requirements(r, "depends_on");
  if (r.has("holds_data")) s.holds_data = r.boolean("holds_data", false);
  s.transactions_per_hour = static_cast<Real>(r.number("transactions_per_hour", 0));
  s.reentry_hours_per_transaction =
      static_cast<Real>(r.duration("reentry_hours_per_transaction", 0.0));
  s.reentry_by = r.string("reentry_by");
  const long long staff = r.integer("reentry_staff", 1);
  if (staff < 1 || staff > 1000000) r.fail("reentry_staff", "must be an integer from 1 to 1000000");
  s.reentry_staff = static_cast<int>(staff);
  if (r.has("recovery")) s.recovery = read_procedure<Real>(r, cancel);
  std::size_t b = 0;
  for_each_element(r.array("backups"), [&](const J& jb) {
    json_object_reader<J> br(jb, "system", s.name,
                             {"interval", "generations", "age", "medium", "mode", "offsite",
                              "restore_time", "content", "description"},
                             "backups[" + std::to_string(b++) + "].");
    backup<Real> bk;
    if (br.has("age")) {
      // A one-off copy of known age: no interval, no generations.
      if (br.has("interval"))
        br.fail("interval", "a one-off copy (with an age) has no interval: give one of the two");
      if (br.has("generations"))
        br.fail("generations", "a one-off copy (with an age) is one copy: leave generations out");
      bk.age = static_cast<Real>(*br.duration("age"));
    } else {
      if (!br.has("interval"))
        br.fail("interval", "is required (or 'age' for a one-off copy of known age)");
      bk.interval = static_cast<Real>(*br.duration("interval"));
      const long long g = br.integer("generations", 1);
      if (g < 1 || g > 1000000) br.fail("generations", "must be an integer from 1 to 1000000");
      bk.generations = static_cast<unsigned>(g);
    }
    bk.medium = br.string("medium", "disk");
    const std::string mode = br.string("mode", "online");
    if (auto m = parse_backup_mode(mode))
      bk.mode = *m;
    else
      br.fail("mode", "unknown mode '" + mode + "' (online, offline, immutable)");
    bk.offsite = br.boolean("offsite", false);
    bk.restore_time = static_cast<Real>(br.duration("restore_time", 0.0));
    const std::string content = br.string("content", "data");
    if (auto c = parse_backup_content(content))
      bk.content = *c;
    else
      br.fail("content", "unknown content '" + content + "' (data, system)");
    s.backups.push_back(std::move(bk));
  });
  return s;
}

/// A scenario's staff_availability as the file writes it: a number, or, with
/// pools of their own, an object {pool name: fraction} that also lists the
/// in-house people pools the number applies to.
template <class Real>
json write_availability(const basic_model_spec<Real>& m, const incident_scenario<Real>& sc) {
  if (sc.pools_available.empty()) return double(sc.staff_availability);
  json out = json::object();
  for (const auto& pa : sc.pools_available) out[pa.pool] = double(pa.fraction);
  if (sc.staff_availability != 1) {
    const resource_pool fallback{std::string(default_staff_name)};
    const std::span<const resource_pool> pools =
        m.resources.empty() ? std::span<const resource_pool>(&fallback, 1)
                            : std::span<const resource_pool>(m.resources);
    for (const auto& pool : pools)
      if (pool.kind == resource_kind::people && !pool.external && !out.contains(pool.name))
        out[pool.name] = double(sc.staff_availability);
  }
  return out;
}

template <class Real, class J>
incident_scenario<Real> read_scenario(const J& j, std::size_t i) {
  json_object_reader<J> r(j, "incident scenario", object_name(j, i),
                       {"name", "kind", "annual_frequency", "damage", "spread", "correlations",
                        "dwell_time",
                        "staff_availability", "detection_time", "records_affected", "costs",
                        "starts", "response", "ransom", "notifications", "description"});
  incident_scenario<Real> sc;
  sc.name = r.required_string("name");
  const std::string kind = r.string("kind", "other");
  if (auto k = parse_incident_kind(kind))
    sc.kind = *k;
  else
    r.fail("kind", "unknown incident kind '" + kind + "'");
  sc.annual_frequency = static_cast<Real>(r.number("annual_frequency", 0));
  sc.dwell_time = static_cast<Real>(r.duration("dwell_time", 0.0));
  if (r.has("staff_availability") && r.at("staff_availability").is_object()) {
    // {pool name: fraction}: the pools listed, and no other, are short; in
    // the order of their names.
    for_each_member_sorted(r.at("staff_availability"), [&](std::string_view pool, const J& fraction) {
      if (!fraction.is_number())
        r.fail("staff_availability['" + std::string(pool) + "']",
               "must be a number (a fraction in (0, 1])");
      sc.pools_available.push_back(
          {std::string(pool), static_cast<Real>(fraction.template get<double>())});
    });
  } else if (r.has("staff_availability") && !r.at("staff_availability").is_number()) {
    r.fail("staff_availability",
           "must be a number (a fraction in (0, 1]) or an object {pool name: fraction}");
  } else {
    sc.staff_availability = static_cast<Real>(r.number("staff_availability", 1));
  }
  sc.detection_time = static_cast<Real>(r.duration("detection_time", 0.0));
  const std::string starts = r.string("starts", "any_time");
  if (starts == "week_start")
    sc.starts = incident_start::week_start;
  else if (starts != "any_time")
    r.fail("starts", "must be 'any_time' or 'week_start', got '" + starts + "'");
  std::size_t p = 0;
  for_each_element(r.array("response"), [&](const J& jp) {
    json_object_reader<J> pr(jp, r.kind(), r.name(), {"name", "kind", "at", "description"},
                             "response[" + std::to_string(p++) + "].");
    response_phase<Real> phase;
    phase.name = pr.required_string("name");
    const std::string kind = pr.string("kind", "other");
    if (auto rk = parse_response_kind(kind))
      phase.kind = *rk;
    else
      pr.fail("kind", "unknown response kind '" + kind +
                          "' (detection, crisis_hq, containment, notification, press, "
                          "recovery_start or other)");
    if (!pr.has("at")) pr.fail("at", "is required");
    phase.at = static_cast<Real>(pr.duration("at", 0.0));
    phase.description = pr.string("description");
    sc.response.push_back(std::move(phase));
  });
  sc.records_affected = r.template dist<Real>("records_affected", false);
  std::size_t c = 0;
  for_each_element(r.array("costs"), [&](const J& jc) {
    json_object_reader<J> cr(jc, r.kind(), r.name(),
                             {"name", "category", "driver", "amount", "function", "system",
                              "description"},
                             "costs[" + std::to_string(c++) + "].");
    cost_line<Real> line;
    line.name = cr.required_string("name");
    const std::string cat = cr.string("category", "response");
    if (auto k = parse_cost_category(cat))
      line.category = *k;
    else
      cr.fail("category", "unknown cost category '" + cat +
                              "' (liability, response, opportunity, legal)");
    const std::string drv = cr.string("driver", "fixed");
    if (auto d = parse_cost_driver(drv))
      line.driver = *d;
    else
      cr.fail("driver", "unknown cost driver '" + drv +
                            "' (fixed, per_record, per_outage_hour, per_lost_record, "
                            "revenue_fraction, per_damaged_system)");
    if (!cr.has("amount")) cr.fail("amount", "is required");
    line.amount = cr.template dist<Real>("amount", false);
    line.function = cr.string("function");
    line.system = cr.string("system");
    sc.costs.push_back(std::move(line));
  });
  auto selectors = [&](const J& ds, const std::string& prefix) {
    std::vector<damage_selector> out;
    std::size_t d = 0;
    for_each_element(ds, [&](const J& jd) {
      json_object_reader<J> dr(jd, r.kind(), r.name(), {"layers", "segments", "systems"},
                               prefix + "[" + std::to_string(d++) + "].");
      damage_selector sel;
      for (const auto& l : dr.strings("layers")) {
        auto layer = parse_asset_layer(l);
        if (!layer) dr.fail("layers", "unknown layer '" + l + "'");
        sel.layers.push_back(*layer);
      }
      sel.segments = dr.strings("segments");
      sel.systems = dr.strings("systems");
      out.push_back(std::move(sel));
    });
    return out;
  };
  sc.damage = selectors(r.array("damage"), "damage");
  c = 0;
  for_each_element(r.array("correlations"), [&](const J& jc) {
    json_object_reader<J> cr(jc, r.kind(), r.name(), {"between", "rank_correlation"},
                             "correlations[" + std::to_string(c++) + "].");
    const auto between = cr.strings("between");
    if (between.size() != 2) cr.fail("between", "must name exactly two inputs");
    if (!cr.has("rank_correlation")) cr.fail("rank_correlation", "is required");
    sc.correlations.push_back(
        {between[0], between[1], static_cast<Real>(cr.number("rank_correlation", 0))});
  });
  if (r.has("spread")) {
    json_object_reader<J> sr(r.at("spread"), r.kind(), r.name(),
                          {"entry", "targets", "within_segment", "connections", "description"},
                          "spread.");
    attack_spread<Real> sp;
    sp.entry = sr.strings("entry");
    sp.targets = selectors(sr.array("targets"), "spread.targets");
    sp.within_segment = static_cast<Real>(sr.number("within_segment", 1));
    c = 0;
    for_each_element(sr.array("connections"), [&](const J& jc) {
      json_object_reader<J> cr(jc, r.kind(), r.name(), {"from", "to", "probability", "description"},
                               "spread.connections[" + std::to_string(c++) + "].");
      sp.connections.push_back({cr.required_string("from"), cr.required_string("to"),
                                static_cast<Real>(cr.number("probability", 1))});
    });
    sc.spread = std::move(sp);
  }
  if (r.has("ransom")) {
    json_object_reader<J> rr(r.at("ransom"), r.kind(), r.name(),
                          {"pay", "demand", "key_works", "key_arrival", "decryption",
                           "leak_if_paid", "leak_if_not_paid", "leak_cost",
                           "sanctions_probability", "sanctions_cost", "description"},
                          "ransom.");
    ransom_terms<Real> t;
    for (const char* f : {"demand", "key_works", "key_arrival"})
      if (!rr.has(f)) rr.fail(f, "is required");
    t.pay = rr.boolean("pay", false);
    t.demand = rr.template dist<Real>("demand", false);
    t.key_works = static_cast<Real>(rr.number("key_works", 0));
    t.key_arrival = rr.template dist<Real>("key_arrival", true);
    t.decryption = rr.template dist<Real>("decryption", true);
    t.leak_if_paid = static_cast<Real>(rr.number("leak_if_paid", 0));
    t.leak_if_not_paid = static_cast<Real>(rr.number("leak_if_not_paid", 0));
    t.leak_cost = rr.template dist<Real>("leak_cost", false);
    t.sanctions_probability = static_cast<Real>(rr.number("sanctions_probability", 0));
    t.sanctions_cost = rr.template dist<Real>("sanctions_cost", false);
    sc.ransom = std::move(t);
  }
  std::size_t d = 0;
  for_each_element(r.array("notifications"), [&](const J& jd) {
    json_object_reader<J> nr(jd, r.kind(), r.name(),
                             {"name", "preset", "to", "due", "at", "cost", "penalty_probability",
                              "penalty", "description"},
                             "notifications[" + std::to_string(d++) + "].");
    notification_duty<Real> duty;
    duty.preset = nr.string("preset");
    if (!duty.preset.empty()) {
      const auto preset = find_notification_preset(duty.preset);
      if (!preset) {
        std::string known;
        for (const auto& p : notification_presets) known += (known.empty() ? "" : ", ") + std::string(p.name);
        nr.fail("preset", "unknown preset '" + duty.preset + "' (" + known + ")");
      }
      duty.name = duty.preset;
      duty.to = preset->to;
      duty.due = static_cast<Real>(preset->due_hours);
      duty.description = preset->basis;
    }
    if (nr.has("name") || duty.preset.empty()) duty.name = nr.required_string("name");
    if (nr.has("to")) duty.to = nr.string("to");
    if (nr.has("due"))
      duty.due = nr.at("due").is_null() ? std::numeric_limits<Real>::infinity()
                                        : static_cast<Real>(nr.duration("due", 0.0));
    if (!nr.has("at")) nr.fail("at", "is required: when the response plan notifies");
    duty.at = static_cast<Real>(nr.duration("at", 0.0));
    duty.cost = nr.template dist<Real>("cost", false);
    duty.penalty_probability = static_cast<Real>(nr.number("penalty_probability", 0));
    duty.penalty = nr.template dist<Real>("penalty", false);
    if (nr.has("description")) duty.description = nr.string("description");
    sc.notifications.push_back(std::move(duty));
  });
  return sc;
}

/// An insurance policy of the model file's "insurance" array (entry i).
/// Limits may be null or missing (none); amounts are plain numbers, the
/// waiting period a duration; the terms are checked when the model is built
/// (check_insurance_policy).
template <class Real, class J>
insurance_policy<Real> read_insurance_policy(const J& j, std::size_t i) {
  json_object_reader<J> r(j, "insurance policy", object_name(j, i),
                       {"name", "deductible", "limit", "aggregate_limit", "waiting_period",
                        "sublimits", "scenarios", "description"});
  insurance_policy<Real> p;
  constexpr double none = std::numeric_limits<double>::infinity();
  p.name = r.required_string("name");
  p.deductible = static_cast<Real>(r.number("deductible", 0));
  p.limit = static_cast<Real>(r.number("limit", none));
  p.aggregate_limit = static_cast<Real>(r.number("aggregate_limit", none));
  p.waiting_period = static_cast<Real>(r.duration("waiting_period", 0.0));
  if (r.has("sublimits")) {
    json_object_reader<J> sr(r.at("sublimits"), r.kind(), r.name(),
                          {"liability", "response", "opportunity", "legal"}, "sublimits.");
    for (std::size_t c = 0; c < cost_category_count; ++c)
      p.sublimits[c] = static_cast<Real>(
          sr.number(std::string(to_string(static_cast<cost_category>(c))).c_str(), none));
  }
  p.scenarios = r.strings("scenarios");
  return p;
}

/// The JSON of an insurance policy (read_insurance_policy reads it back);
/// limits that are none are left out.
template <class Real>
json write_insurance_policy(const insurance_policy<Real>& p) {
  json j{{"name", p.name},
         {"deductible", double(p.deductible)},
         {"waiting_period", double(p.waiting_period)}};
  if (std::isfinite(p.limit)) j["limit"] = double(p.limit);
  if (std::isfinite(p.aggregate_limit)) j["aggregate_limit"] = double(p.aggregate_limit);
  json sub = json::object();
  for (std::size_t c = 0; c < cost_category_count; ++c)
    if (std::isfinite(p.sublimits[c]))
      sub[std::string(to_string(static_cast<cost_category>(c)))] = double(p.sublimits[c]);
  if (!sub.empty()) j["sublimits"] = std::move(sub);
  if (!p.scenarios.empty()) j["scenarios"] = p.scenarios;
  return j;
}

inline json write_selectors(const std::vector<damage_selector>& v) {
  json d = json::array();
  for (const auto& sel : v) {
    json jl = json::array();
    for (auto l : sel.layers) jl.push_back(std::string(to_string(l)));
    d.push_back({{"layers", jl}, {"segments", sel.segments}, {"systems", sel.systems}});
  }
  return d;
}

inline json hours_json(double h) {
  if (std::isinf(h)) return nullptr;
  return h;
}

} // namespace detail

namespace detail {

// The model specification of a JSON document of value type J (see
// read_model_spec).
template <class Real, class J>
basic_model_spec<Real> read_spec(const J& j, const std::atomic<bool>* cancel) {
  std::string model_name;
  if (j.is_object() && j.contains("name") && j.at("name").is_string())
    model_name = j.at("name").template get<std::string>();
  json_object_reader<J> r(j, "model", model_name,
                          {"format", "name", "currency", "priority_matrix", "rto_table",
                           "cycle_policy", "functions", "systems", "scenarios", "resources",
                           "recovery_order", "insurance", "tier", "employees", "description"});
  if (r.has("format") && r.string("format") != "continuity-model/1")
    r.fail("format",
           "unsupported format '" + r.string("format") + "' (expected continuity-model/1)");
  basic_model_spec<Real> m;
  m.name = r.string("name");
  m.currency = r.string("currency", "JPY");
  if (r.has("priority_matrix")) {
    const json_ref<J> pm = r.at("priority_matrix");
    if (pm.is_string()) {
      const auto n = pm.template get<std::string>();
      if (n == "three-level")
        m.priorities = priority_matrix::three_level();
      else if (n == "five-level")
        m.priorities = priority_matrix::five_level();
      else
        r.fail("priority_matrix", "unknown preset '" + n + "' (three-level, five-level)");
    } else if (pm.is_array()) {
      std::vector<std::vector<priority_class>> rows;
      for_each_element(pm, [&](const J& row) {
        if (!row.is_array()) r.fail("priority_matrix", "rows must be arrays of class names");
        rows.emplace_back();
        for_each_element(row, [&](const J& c) {
          auto pc = c.is_string() ? parse_priority_class(c.template get<std::string>()) : std::nullopt;
          if (!pc) r.fail("priority_matrix", "entries must be one of S, A, B, C, D");
          rows.back().push_back(*pc);
        });
      });
      m.priorities = priority_matrix(std::move(rows));
    } else {
      r.fail("priority_matrix", "must be a preset name or an array of rows");
    }
  }
  if (r.has("rto_table")) {
    const json_ref<J> t = r.at("rto_table");
    if (t.is_string()) {
      const auto n = t.template get<std::string>();
      auto p = basic_rto_table<Real>::preset(n);
      if (!p) r.fail("rto_table", "unknown preset '" + n + "' (example-1, example-2, example-3)");
      m.rto_by_class = *p;
    } else {
      json_object_reader<J> tr(t, "model", m.name, {"S", "A", "B", "C", "D"}, "rto_table.");
      std::array<Real, priority_class_count> h{};
      for (std::size_t c = 0; c < priority_class_count; ++c) {
        const std::string key(to_string(static_cast<priority_class>(c)));
        h[c] = static_cast<Real>(tr.duration(key.c_str(), std::numeric_limits<double>::infinity()));
      }
      m.rto_by_class = basic_rto_table<Real>(h);
    }
  }
  const std::string cycles = r.string("cycle_policy", "reject");
  if (cycles == "reject")
    m.cycles = cycle_policy::reject;
  else if (cycles == "group")
    m.cycles = cycle_policy::group_strongly_connected;
  else
    r.fail("cycle_policy", "unknown policy '" + cycles + "' (reject, group)");
  m.recovery_order = r.strings("recovery_order");
  std::size_t i = 0;
  for_each_element(r.array("resources"), [&](const J& jp) {
    json_object_reader<J> pr(jp, "resource pool", object_name(jp, i++),
                             {"name", "kind", "capacity", "external", "description"});
    resource_pool pool;
    pool.name = pr.required_string("name");
    const std::string kind = pr.string("kind", "people");
    if (auto k = parse_resource_kind(kind))
      pool.kind = *k;
    else
      pr.fail("kind", "unknown resource kind '" + kind + "' (people, equipment)");
    const long long cap = pr.integer("capacity", 1);
    if (cap < 0 || cap > 1000000) pr.fail("capacity", "must be an integer from 0 to 1000000");
    pool.capacity = static_cast<int>(cap);
    pool.external = pr.boolean("external", false);
    m.resources.push_back(std::move(pool));
  });
  if (r.has("tier")) {
    const auto tier = parse_dependency_tier(r.string("tier"));
    if (!tier)
      r.fail("tier", "unknown tier '" + r.string("tier") + "' (pine, bamboo, plum, or 松, 竹, 梅)");
    m.tier = *tier;
  }
  m.employees = r.integer("employees", 0);
  const int default_dependency =
      m.tier ? default_system_dependency(*m.tier, m.priorities.levels()) : 1;
  constexpr const char* reading = "reading the model";
  i = 0;
  for_each_element(r.array("functions"), [&](const J& f) {
    if (i % 1024 == 0) throw_if_cancelled(cancel, reading);
    m.functions.push_back(read_function<Real>(f, i++, default_dependency));
  });
  const json_ref<J> systems = r.array("systems");
  m.systems.reserve(systems.size());
  i = 0;
  for_each_element(systems, [&](const J& s) {
    if (i % 1024 == 0) throw_if_cancelled(cancel, reading);
    m.systems.push_back(read_system<Real>(s, i++, cancel));
  });
  i = 0;
  for_each_element(r.array("scenarios"), [&](const J& sc) {
    if (i % 1024 == 0) throw_if_cancelled(cancel, reading);
    m.scenarios.push_back(read_scenario<Real>(sc, i++));
  });
  i = 0;
  for_each_element(r.array("insurance"), [&](const J& p) {
    m.insurance.push_back(read_insurance_policy<Real>(p, i++));
  });
  return m;
}

} // namespace detail

/// Reads a model specification from parsed JSON. Throws validation_error
/// (value_error for a wrong type, an unknown field or enumerator) naming the
/// object and field. The result is not yet validated as a whole: construct a
/// basic_model from it, or call load_model. Once `cancel` (may be null) is
/// true it throws cancelled_error, within a few thousand objects read.
template <class Real = double>
basic_model_spec<Real> read_model_spec(const nlohmann::json& j,
                                       const std::atomic<bool>* cancel = nullptr) {
  return detail::read_spec<Real>(j, cancel);
}

namespace detail {

// A character iterator over JSON text that tells where the parser is: each
// increment is recorded in `*at` (for the line of a duplicate key).
struct tracked_char_iterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p = nullptr;
  const char** at = nullptr;

  reference operator*() const noexcept { return *p; }
  tracked_char_iterator& operator++() noexcept {
    *at = ++p;
    return *this;
  }
  tracked_char_iterator operator++(int) noexcept {
    auto old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const tracked_char_iterator& a, const tracked_char_iterator& b) noexcept {
    return a.p == b.p;
  }
};

// The keys of one open JSON object, to find a key given twice: a list while
// there are few, a hash set beyond (an object of 10^5 keys stays linear).
class object_keys {
public:
  /// Adds `k`; false if the object already has it.
  bool add(const std::string& k) {
    if (!many_.empty()) return many_.insert(k).second;
    if (std::find(few_.begin(), few_.end(), k) != few_.end()) return false;
    few_.push_back(k);
    if (few_.size() > 16) many_.insert(few_.begin(), few_.end());
    return true;
  }
  /// Forgets every key (a new object at this depth).
  void clear() {
    few_.clear();
    if (!many_.empty()) many_ = {};
  }

private:
  std::vector<std::string> few_;
  std::unordered_set<std::string> many_;
};

// Builds the document like nlohmann's own parser, but rejects a key that
// appears twice in one object (nlohmann keeps the last silently) and nesting
// deeper than json_max_depth, reports every error with its line, and stops
// (cancelled_error) within a few thousand values once `cancel` is true.
class strict_json_builder : public nlohmann::detail::json_sax_dom_parser<json> {
public:
  using base = nlohmann::detail::json_sax_dom_parser<json>;

  strict_json_builder(json& root, std::string_view text, const char** at, std::string source,
                      const std::atomic<bool>* cancel = nullptr)
      : base(root, true), text_(text), at_(at), source_(std::move(source)), cancel_(cancel) {}

  bool null() { return tick(), base::null(); }
  bool boolean(bool v) { return tick(), base::boolean(v); }
  bool number_integer(json::number_integer_t v) { return tick(), base::number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return tick(), base::number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return tick(), base::number_float(v, s);
  }
  bool string(json::string_t& v) { return tick(), base::string(v); }

  bool start_object(std::size_t len) {
    enter();
    if (keys_.size() < depth_) keys_.resize(depth_);
    keys_[depth_ - 1].clear();
    return base::start_object(len);
  }
  bool end_object() {
    --depth_;
    return base::end_object();
  }
  bool start_array(std::size_t len) {
    enter();
    return base::start_array(len);
  }
  bool end_array() {
    --depth_;
    return base::end_array();
  }
  bool key(json::string_t& k) {
    if (!keys_[depth_ - 1].add(k))
      fail(static_cast<std::size_t>(*at_ - text_.data()),
           "duplicate key '" + k + "' in one object (each field may appear once)");
    return base::key(k);
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*token*/, const Exception& e) {
    std::string msg = e.what();
    for (const char* kind : {"parse error", "number overflow"})
      if (auto p = msg.find(kind); p != std::string::npos) {
        msg = msg.substr(p);
        break;
      }
    fail(position, msg);
  }

  /// Deepest nesting of arrays and objects accepted.
  static constexpr std::size_t json_max_depth = ::continuity::detail::json_max_depth;

private:
  void tick() {
    if (++values_ % 4096 == 0) throw_if_cancelled(cancel_, "parsing JSON");
  }
  void enter() {
    tick();
    if (++depth_ > json_max_depth)
      fail(static_cast<std::size_t>(*at_ - text_.data()),
           "nested deeper than " + std::to_string(json_max_depth) + " levels");
  }
  [[noreturn]] void fail(std::size_t position, const std::string& problem) const {
    const std::size_t upto = std::min(position, text_.size());
    const auto line = 1 + static_cast<std::size_t>(std::count(
                              text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
    throw continuity::parse_error(source_, line, "invalid JSON: " + problem);
  }

  std::string_view text_;
  const char** at_;
  std::string source_;
  const std::atomic<bool>* cancel_;
  std::size_t depth_ = 0, values_ = 0;
  std::vector<object_keys> keys_; // keys seen, per open object
};

} // namespace detail

/// Parses JSON text; malformed JSON throws parse_error naming `source` and
/// the line: syntax errors, numbers beyond the range of a double, a key that
/// appears twice in one object, and nesting deeper than 256 levels. Once
/// `cancel` (may be null) is true it throws cancelled_error, within a few
/// thousand values parsed.
inline nlohmann::json parse_json_text(std::string_view text, const std::string& source = "<input>",
                                      const std::atomic<bool>* cancel = nullptr) {
  nlohmann::json root;
  const char* at = text.data();
  detail::strict_json_builder builder(root, text, &at, source, cancel);
  const detail::tracked_char_iterator first{text.data(), &at},
      last{text.data() + text.size(), &at};
  nlohmann::json::sax_parse(first, last, &builder);
  return root;
}

/// Parses JSON text from a stream (see parse_json_text).
inline nlohmann::json parse_json(std::istream& in, const std::string& source = "<input>",
                                 const std::atomic<bool>* cancel = nullptr) {
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), source, cancel);
}

namespace detail {

// Bytes the fast reader needs readable after the text (simdjson's padding).
#ifdef CONTINUITY_SIMDJSON
inline constexpr std::size_t json_text_padding = simdjson::SIMDJSON_PADDING;
#else
inline constexpr std::size_t json_text_padding = 0;
#endif

// The rest of a stream as text, with json_text_padding bytes of room after
// it: read in one piece where the stream tells its length (a file does).
inline std::string read_stream_text(std::istream& in) {
  using traits = std::istream::traits_type;
  std::string text;
  std::streambuf* const buf = in.rdbuf();
  if (!buf) return text;
  const std::streampos here = buf->pubseekoff(0, std::ios::cur, std::ios::in);
  if (here != std::streampos(-1)) {
    const std::streampos end = buf->pubseekoff(0, std::ios::end, std::ios::in);
    buf->pubseekpos(here, std::ios::in);
    if (end != std::streampos(-1) && end > here)
      text.reserve(static_cast<std::size_t>(end - here) + json_text_padding);
  }
  for (;;) {
    const std::size_t old = text.size(), used = old + json_text_padding;
    if (text.capacity() <= used) {
      if (traits::eq_int_type(buf->sgetc(), traits::eof())) break;
      text.reserve(std::max(2 * text.capacity(), used + (std::size_t(1) << 16)));
      continue;
    }
    const std::size_t room = text.capacity() - used;
    text.resize(old + room);
    const std::streamsize got = buf->sgetn(text.data() + old, static_cast<std::streamsize>(room));
    text.resize(old + static_cast<std::size_t>(std::max<std::streamsize>(got, 0)));
    if (got < static_cast<std::streamsize>(room)) break;
  }
  return text;
}

#ifdef CONTINUITY_SIMDJSON
// The specification of JSON `text` (with json_text_padding bytes of room
// after it) read through simdjson, or nullopt for text the strict reader
// must judge: text simdjson rejects (malformed, or what it does not read:
// a byte order mark, an integer beyond 64 bits, a text of 4 GiB or more), a
// key given twice in one object, nesting deeper than json_max_depth. Empties
// `text` once it is parsed.
template <class Real>
std::optional<basic_model_spec<Real>> read_spec_simdjson(std::string& text,
                                                         const std::atomic<bool>* cancel) {
  throw_if_cancelled(cancel, "parsing JSON");
  simdjson::dom::document doc;
  {
    simdjson::dom::parser parser; // its index of the text is freed at the end of this block
    if (parser.parse_into_document(doc, text).error() != simdjson::SUCCESS) return std::nullopt;
  }
  if (!simdjson_document_check(cancel)(doc.root())) return std::nullopt;
  std::string().swap(text);
  return read_spec<Real>(simdjson_value(doc.root()), cancel);
}
#endif

// The specification of JSON text (with json_text_padding bytes of room
// after it): through simdjson where continuity is built with it and the text
// allows, otherwise (and for every malformed text, so that the errors are
// the strict reader's) through parse_json_text. Empties `text`.
template <class Real>
basic_model_spec<Real> read_spec_text(std::string& text, const std::string& source,
                                      const std::atomic<bool>* cancel) {
#ifdef CONTINUITY_SIMDJSON
  if (auto spec = read_spec_simdjson<Real>(text, cancel)) return std::move(*spec);
#endif
  const nlohmann::json j = parse_json_text(text, source, cancel);
  std::string().swap(text);
  return read_spec<Real>(j, cancel);
}

} // namespace detail

/// Reads a model specification from JSON text. The result, and for text that
/// is not a valid model the error, are those of
/// read_model_spec(parse_json_text(text, source, cancel), cancel); built with
/// simdjson (CONTINUITY_SIMDJSON, which the continuity::io CMake target
/// defines where simdjson is found), it takes a fraction of the time and
/// memory of that document. Once `cancel` (may be null) is true it throws
/// cancelled_error.
template <class Real = double>
basic_model_spec<Real> parse_model_spec(std::string_view text, const std::string& source = "<input>",
                                        const std::atomic<bool>* cancel = nullptr) {
  std::string copy;
  copy.reserve(text.size() + detail::json_text_padding);
  copy.assign(text);
  return detail::read_spec_text<Real>(copy, source, cancel);
}

/// Reads a model specification from a JSON stream (as parse_model_spec).
template <class Real = double>
basic_model_spec<Real> read_model_spec(std::istream& in, const std::string& source = "<input>",
                                       const std::atomic<bool>* cancel = nullptr) {
  std::string text = detail::read_stream_text(in);
  return detail::read_spec_text<Real>(text, source, cancel);
}

/// Reads, validates and compiles a model from a JSON stream (errors as
/// read_model_spec's, then the model's). Once `cancel` (may be null) is true
/// it throws cancelled_error within a fraction of a second, even for a model
/// of a million systems or steps.
template <class Real = double>
basic_model<Real> read_model(std::istream& in, const std::string& source = "<input>",
                             const std::atomic<bool>* cancel = nullptr) {
  return basic_model<Real>(read_model_spec<Real>(in, source, cancel), cancel);
}

/// Reads, validates and compiles a model from a JSON file (cancellable as
/// read_model). Throws io_error if the file cannot be opened.
template <class Real = double>
basic_model<Real> load_model(const std::filesystem::path& path,
                             const std::atomic<bool>* cancel = nullptr) {
  std::ifstream in(path);
  if (!in) throw io_error("cannot open model file '" + path.string() + "'");
  return read_model<Real>(in, path.string(), cancel);
}

namespace detail {

// The JSON of one business function, system or incident scenario of a model
// (the elements of to_json's arrays).
template <class Real>
json write_function(const business_function<Real>& f) {
  json jf{{"name", f.name},
          {"importance", f.importance},
          {"system_dependency", f.system_dependency},
          {"emergency", f.emergency},
          {"wrt", double(f.wrt)},
          {"revenue_per_day", double(f.revenue_per_day)},
          {"margin", double(f.margin)},
          {"operating_days_per_week", double(f.operating_days_per_week)},
          {"needs", write_requirements(f.needs)}};
  if (f.rto) jf["rto"] = double(*f.rto);
  if (f.rpo) jf["rpo"] = double(*f.rpo);
  if (f.mtpd) jf["mtpd"] = double(*f.mtpd);
  if (f.operating_days_per_year) jf["operating_days_per_year"] = double(*f.operating_days_per_year);
  if (!f.minimum_capacity.empty()) {
    json minimum = json::array();
    for (const auto& mc : f.minimum_capacity)
      minimum.push_back({{"by", double(mc.by)}, {"capacity", double(mc.capacity)}});
    jf["minimum_capacity"] = std::move(minimum);
  }
  json curves = json::array();
  for (const auto& c : f.impact) {
    json steps = json::array();
    for (const auto& s : c.steps)
      steps.push_back({{"after", double(s.after)},
                       {"rate_per_hour", double(s.rate_per_hour)},
                       {"lump", double(s.lump)}});
    curves.push_back({{"category", c.category}, {"steps", std::move(steps)}});
    if (!c.unit.empty()) curves.back()["unit"] = c.unit;
  }
  jf["impact"] = std::move(curves);
  if (f.workaround)
    jf["manual_workaround"] = {
        {"capacity", double(f.workaround->capacity)},
        {"setup_time", double(f.workaround->setup_time)},
        {"max_duration", hours_json(double(f.workaround->max_duration))}};
  return jf;
}

template <class Real>
json write_system(const it_system<Real>& s) {
  json js{{"name", s.name},
          {"layer", std::string(to_string(s.layer))},
          {"side", std::string(to_string(s.side))},
          {"depends_on", write_requirements(s.depends_on)},
          {"transactions_per_hour", double(s.transactions_per_hour)},
          {"reentry_hours_per_transaction", double(s.reentry_hours_per_transaction)}};
  if (!s.segment.empty()) js["segment"] = s.segment;
  if (s.holds_data) js["holds_data"] = *s.holds_data;
  json bs = json::array();
  for (const auto& b : s.backups) {
    json jb = {{"medium", b.medium},
               {"mode", std::string(to_string(b.mode))},
               {"offsite", b.offsite},
               {"restore_time", double(b.restore_time)}};
    if (b.content != backup_content::data) jb["content"] = std::string(to_string(b.content));
    if (b.age) {
      jb["age"] = double(*b.age);
    } else {
      jb["interval"] = double(b.interval);
      jb["generations"] = b.generations;
    }
    bs.push_back(std::move(jb));
  }
  js["backups"] = std::move(bs);
  if (!s.reentry_by.empty()) js["reentry_by"] = s.reentry_by;
  js["reentry_staff"] = s.reentry_staff;
  if (s.recovery) js["recovery"] = write_procedure(*s.recovery);
  return js;
}

template <class Real>
json write_scenario(const basic_model_spec<Real>& m, const incident_scenario<Real>& sc) {
  const json d = write_selectors(sc.damage);
  json costs = json::array();
  for (const auto& line : sc.costs) {
    json jc{{"name", line.name},
            {"category", std::string(to_string(line.category))},
            {"driver", std::string(to_string(line.driver))},
            {"amount", write_distribution(line.amount)}};
    if (!line.function.empty()) jc["function"] = line.function;
    if (!line.system.empty()) jc["system"] = line.system;
    costs.push_back(std::move(jc));
  }
  json js{{"name", sc.name},
          {"kind", std::string(to_string(sc.kind))},
          {"annual_frequency", double(sc.annual_frequency)},
          {"dwell_time", double(sc.dwell_time)},
          {"staff_availability", write_availability(m, sc)},
          {"detection_time", double(sc.detection_time)},
          {"starts", std::string(to_string(sc.starts))},
          {"records_affected", write_distribution(sc.records_affected)},
          {"costs", costs},
          {"damage", d}};
  if (!sc.response.empty()) {
    json phases = json::array();
    for (const auto& p : sc.response) {
      phases.push_back({{"name", p.name}, {"kind", std::string(to_string(p.kind))},
                        {"at", double(p.at)}});
      if (!p.description.empty()) phases.back()["description"] = p.description;
    }
    js["response"] = std::move(phases);
  }
  if (!sc.correlations.empty()) {
    json rc = json::array();
    for (const auto& c : sc.correlations)
      rc.push_back({{"between", {c.first, c.second}}, {"rank_correlation", double(c.value)}});
    js["correlations"] = std::move(rc);
  }
  if (sc.ransom) {
    const auto& t = *sc.ransom;
    js["ransom"] = {{"pay", t.pay},
                    {"demand", write_distribution(t.demand)},
                    {"key_works", double(t.key_works)},
                    {"key_arrival", write_distribution(t.key_arrival)},
                    {"decryption", write_distribution(t.decryption)},
                    {"leak_if_paid", double(t.leak_if_paid)},
                    {"leak_if_not_paid", double(t.leak_if_not_paid)},
                    {"leak_cost", write_distribution(t.leak_cost)},
                    {"sanctions_probability", double(t.sanctions_probability)},
                    {"sanctions_cost", write_distribution(t.sanctions_cost)}};
  }
  if (!sc.notifications.empty()) {
    json duties = json::array();
    for (const auto& d : sc.notifications) {
      json jd{{"name", d.name}, {"to", d.to},
              {"due", std::isinf(d.due) ? json(nullptr) : json(double(d.due))},
              {"at", double(d.at)},
              {"cost", write_distribution(d.cost)},
              {"penalty_probability", double(d.penalty_probability)},
              {"penalty", write_distribution(d.penalty)}};
      if (!d.preset.empty()) jd["preset"] = d.preset;
      if (!d.description.empty()) jd["description"] = d.description;
      duties.push_back(std::move(jd));
    }
    js["notifications"] = std::move(duties);
  }
  if (sc.spread) {
    json con = json::array();
    for (const auto& c : sc.spread->connections)
      con.push_back({{"from", c.from}, {"to", c.to}, {"probability", double(c.probability)}});
    js["spread"] = {{"entry", sc.spread->entry},
                    {"targets", write_selectors(sc.spread->targets)},
                    {"within_segment", double(sc.spread->within_segment)},
                    {"connections", con}};
  }
  return js;
}

// The JSON of a model without its functions, systems, scenarios and
// insurance policies.
template <class Real>
json write_model_head(const basic_model_spec<Real>& m) {
  json j;
  j["format"] = "continuity-model/1";
  j["name"] = m.name;
  j["currency"] = m.currency;
  if (m.tier) j["tier"] = std::string(to_string(*m.tier));
  if (m.employees != 0) j["employees"] = m.employees;
  if (auto n = m.priorities.preset_name(); !n.empty()) {
    j["priority_matrix"] = n;
  } else {
    json rows = json::array();
    for (const auto& row : m.priorities.classes()) {
      json jr = json::array();
      for (auto c : row) jr.push_back(std::string(to_string(c)));
      rows.push_back(std::move(jr));
    }
    j["priority_matrix"] = std::move(rows);
  }
  if (auto n = m.rto_by_class.preset_name(); !n.empty()) {
    j["rto_table"] = n;
  } else {
    json t;
    for (std::size_t c = 0; c < priority_class_count; ++c)
      t[std::string(to_string(static_cast<priority_class>(c)))] =
          hours_json(double(m.rto_by_class.hours()[c]));
    j["rto_table"] = std::move(t);
  }
  j["cycle_policy"] = m.cycles == cycle_policy::reject ? "reject" : "group";
  json rs = json::array();
  for (const auto& pool : m.resources) {
    json jp{{"name", pool.name}, {"kind", std::string(to_string(pool.kind))}, {"capacity", pool.capacity}};
    if (pool.external) jp["external"] = true;
    rs.push_back(std::move(jp));
  }
  j["resources"] = std::move(rs);
  if (!m.recovery_order.empty()) j["recovery_order"] = m.recovery_order;
  return j;
}

// Appends `text`, a value as dump(2) writes it at the top level, to `out` as
// it stands `pad` deeper: every line after the first indented by `pad`.
inline void append_indented(std::string& out, std::string_view text, std::string_view pad) {
  std::size_t from = 0;
  for (std::size_t line_end = text.find('\n'); line_end != std::string_view::npos;
       line_end = text.find('\n', from)) {
    out.append(text.data() + from, line_end + 1 - from);
    out.append(pad);
    from = line_end + 1;
  }
  out.append(text.data() + from, text.size() - from);
}

// Writes a top-level array of the model, element by element, as dump(2)
// writes it.
template <class T, class Write>
void write_json_array(std::ostream& out, const std::vector<T>& items, Write&& write) {
  if (items.empty()) {
    out << "[]";
    return;
  }
  out << "[\n";
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text = "    ";
    append_indented(text, write(items[i]).dump(2), "    ");
    text += i + 1 < items.size() ? ",\n" : "\n";
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  out << "  ]";
}

} // namespace detail

/// Writes a model specification as JSON (durations in hours; "no objective"
/// as null). read_model_spec(to_json(s)) == s.
template <class Real>
nlohmann::json to_json(const basic_model_spec<Real>& m) {
  using nlohmann::json;
  json j = detail::write_model_head(m);
  json fs = json::array(), ss = json::array(), cs = json::array();
  for (const auto& f : m.functions) fs.push_back(detail::write_function(f));
  for (const auto& s : m.systems) ss.push_back(detail::write_system(s));
  for (const auto& sc : m.scenarios) cs.push_back(detail::write_scenario(m, sc));
  j["functions"] = std::move(fs);
  j["systems"] = std::move(ss);
  j["scenarios"] = std::move(cs);
  if (!m.insurance.empty()) {
    json ins = json::array();
    for (const auto& p : m.insurance) ins.push_back(detail::write_insurance_policy(p));
    j["insurance"] = std::move(ins);
  }
  return j;
}

/// Writes a model specification as JSON text to a stream: the text of
/// to_json(m).dump(2), written one function, system, scenario and insurance
/// policy at a time, without the document of the whole model.
template <class Real>
void write_model(const basic_model_spec<Real>& m, std::ostream& out) {
  using nlohmann::json;
  json head = detail::write_model_head(m);
  // Places for the arrays among the keys (dump writes them in sorted order).
  for (const char* key : {"functions", "systems", "scenarios"}) head[key] = nullptr;
  if (!m.insurance.empty()) head["insurance"] = nullptr;
  out << "{\n";
  std::size_t left = head.size();
  for (auto it = head.begin(); it != head.end(); ++it) {
    const std::string& key = it.key();
    out << "  " << json(key).dump() << ": ";
    if (key == "functions")
      detail::write_json_array(out, m.functions, [](const auto& f) { return detail::write_function(f); });
    else if (key == "systems")
      detail::write_json_array(out, m.systems, [](const auto& s) { return detail::write_system(s); });
    else if (key == "scenarios")
      detail::write_json_array(out, m.scenarios,
                               [&](const auto& sc) { return detail::write_scenario(m, sc); });
    else if (key == "insurance")
      detail::write_json_array(out, m.insurance,
                               [](const auto& p) { return detail::write_insurance_policy(p); });
    else {
      std::string text;
      detail::append_indented(text, it.value().dump(2), "  ");
      out << text;
    }
    out << (--left > 0 ? ",\n" : "\n");
  }
  out << "}";
}

/// Writes a model's specification to a JSON file (pretty-printed, as
/// write_model). Throws io_error if the file cannot be written.
template <class Real>
void save_model(const basic_model_spec<Real>& m, const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw io_error("cannot write model file '" + path.string() + "'");
  write_model(m, out);
  out << '\n';
  out.close(); // the last buffered text is written here: its failure counts too
  if (!out) throw io_error("error while writing model file '" + path.string() + "'");
}

} // namespace continuity
