// Bindings of the model and the analyses of a model (model/, analysis/, io/).
#include "common.hpp"

#include <cmath>
#include <optional>

namespace continuity::python {
namespace {

std::string class_name(priority_class c) { return std::string(to_string(c)); }

// Reads, validates and compiles a model from parsed JSON on a worker thread
// that Ctrl-C cancels, and leaves to free what it read (interruptible_detached).
std::shared_ptr<model> model_from_parsed(nlohmann::json parsed) {
  return interruptible_detached(
      [j = std::move(parsed)](const std::atomic<bool>& cancel) mutable {
        auto spec = read_model_spec<double>(j, &cancel);
        j = nlohmann::json(); // freed before the model is built
        return std::make_shared<model>(std::move(spec), &cancel);
      });
}

// The same from JSON text (parse_model_spec: through simdjson where the
// text allows, with the strict reader's errors).
std::shared_ptr<model> model_from_json(std::string text, std::string source) {
  return interruptible_detached([text = std::move(text), source = std::move(source)](
                                    const std::atomic<bool>& cancel) mutable {
    auto spec = parse_model_spec<double>(text, source, &cancel);
    text = std::string(); // freed before the model is built
    return std::make_shared<model>(std::move(spec), &cancel);
  });
}

// Python data as the JSON that json.dumps and parse_json_text would make of
// it, without the text, and with Ctrl-C noticed every 65,536 values (a
// json.dumps call cannot be interrupted). Dicts with text keys, lists,
// tuples, text, bools, None, finite floats and integers of 64 bits, and what
// `convert` (json.dumps's `default`) makes of other objects such as NumPy
// scalars. Anything else — a key that is not text, a number that is not
// finite or does not fit 64 bits, text that is not valid Unicode, an object
// `convert` refuses, nesting deeper than parse_json_text accepts — gives
// false: the caller then writes the text, which says what is wrong.
class plain_json {
public:
  explicit plain_json(py::handle convert) : convert_(convert) {}

  bool operator()(py::handle o, nlohmann::json& out, std::size_t depth = 0) {
    if (++values_ % 65536 == 0 && PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (o.is_none()) {
      out = nullptr;
    } else if (o.ptr() == Py_True || o.ptr() == Py_False) {
      out = o.ptr() == Py_True;
    } else if (PyLong_Check(o.ptr())) {
      int overflow = 0;
      const long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
      if (overflow > 0) {
        const unsigned long long u = PyLong_AsUnsignedLongLong(o.ptr());
        if (PyErr_Occurred()) return clear();
        out = static_cast<std::uint64_t>(u);
      } else if (overflow < 0) {
        return false;
      } else if (v >= 0) { // as the parser reads it: an unsigned number
        out = static_cast<std::uint64_t>(v);
      } else {
        out = static_cast<std::int64_t>(v);
      }
    } else if (PyFloat_Check(o.ptr())) {
      const double v = PyFloat_AS_DOUBLE(o.ptr());
      if (!std::isfinite(v)) return false;
      out = v;
    } else if (PyUnicode_Check(o.ptr())) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(o.ptr(), &size);
      if (!text) return clear();
      out = std::string(text, static_cast<std::size_t>(size));
    } else if (PyDict_Check(o.ptr()) || PyList_Check(o.ptr()) || PyTuple_Check(o.ptr())) {
      if (depth >= detail::strict_json_builder::json_max_depth) return false;
      if (PyDict_Check(o.ptr())) {
        out = nlohmann::json::object();
        for (const auto& [key, value] : py::reinterpret_borrow<py::dict>(o)) {
          if (!PyUnicode_Check(key.ptr())) return false;
          nlohmann::json k, v;
          if (!(*this)(key, k, depth + 1) || !(*this)(value, v, depth + 1)) return false;
          out.emplace(k.get<std::string>(), std::move(v));
        }
      } else {
        out = nlohmann::json::array();
        for (const auto& item : o) {
          nlohmann::json v;
          if (!(*this)(item, v, depth + 1)) return false;
          out.push_back(std::move(v));
        }
      }
    } else {
      py::object converted;
      try {
        converted = convert_(o);
      } catch (const py::error_already_set& e) {
        if (e.matches(PyExc_KeyboardInterrupt)) throw;
        return false;
      }
      return (*this)(converted, out, depth + 1);
    }
    return true;
  }

private:
  bool clear() {
    PyErr_Clear();
    return false;
  }
  py::handle convert_;
  std::size_t values_ = 0;
};

// The model of Python data in the JSON model format, or None where the data
// is not plain JSON data (see plain_json): the caller then goes through text.
py::object model_from_object(py::handle spec, py::handle convert) {
  nlohmann::json j;
  if (!plain_json(convert)(spec, j)) return py::none();
  return py::cast(model_from_parsed(std::move(j)));
}

py::dict priority_table(const model& m) {
  const auto nf = m.function_count();
  std::vector<std::string> name(nf), cls(nf);
  std::vector<int> importance(nf), dependency(nf);
  std::vector<double> rto(nf), rpo(nf), mtpd(nf), wrt(nf);
  std::vector<std::uint8_t> emergency(nf);
  for (index_t f = 0; f < nf; ++f) {
    const auto& fn = m.function_at(f);
    name[f] = fn.name;
    importance[f] = fn.importance;
    dependency[f] = fn.system_dependency;
    emergency[f] = fn.emergency;
    cls[f] = class_name(m.function_class(f));
    rto[f] = m.function_rto(f);
    rpo[f] = m.function_rpo(f);
    mtpd[f] = m.function_mtpd(f);
    wrt[f] = fn.wrt;
  }
  py::dict d;
  d["function"] = name;
  d["importance"] = to_numpy(std::move(importance));
  d["system_dependency"] = to_numpy(std::move(dependency));
  d["emergency"] = to_bool_numpy(emergency);
  d["priority_class"] = cls;
  d["rto_h"] = to_numpy(std::move(rto));
  d["rpo_h"] = to_numpy(std::move(rpo));
  d["mtpd_h"] = to_numpy(std::move(mtpd));
  d["wrt_h"] = to_numpy(std::move(wrt));
  return d;
}

py::dict system_objectives(const model& m) {
  const auto ns = m.system_count();
  const auto& in = m.system_objectives();
  std::vector<std::string> name(ns), layer(ns), side(ns), segment(ns), cls(ns), rto_by(ns),
      rpo_by(ns);
  std::vector<std::uint8_t> needed(ns), data(ns);
  std::vector<double> rto(ns), rpo(ns);
  for (index_t s = 0; s < ns; ++s) {
    const auto& sys = m.system_at(s);
    name[s] = sys.name;
    layer[s] = to_string(sys.layer);
    side[s] = to_string(sys.side);
    segment[s] = sys.segment;
    needed[s] = in.is_needed(s);
    data[s] = sys.has_data();
    cls[s] = in.is_needed(s) ? class_name(in.priority[s]) : std::string{};
    rto[s] = in.rto[s];
    rpo[s] = in.rpo[s];
    rto_by[s] = function_name(m, in.rto_function[s]);
    rpo_by[s] = function_name(m, in.rpo_function[s]);
  }
  py::dict d;
  d["system"] = name;
  d["layer"] = layer;
  d["side"] = side;
  d["segment"] = segment;
  d["holds_data"] = to_bool_numpy(data);
  d["needed"] = to_bool_numpy(needed);
  d["priority_class"] = cls;
  d["rto_h"] = to_numpy(std::move(rto));
  d["rpo_h"] = to_numpy(std::move(rpo));
  d["rto_set_by"] = rto_by;
  d["rpo_set_by"] = rpo_by;
  return d;
}

// Impact of a scenario at point values: which systems and functions are
// down, and why (the chain back to a system damaged directly).
py::dict impact(const model& m, const std::string& scenario) {
  const index_t i = scenario_index(m, scenario);
  const auto hit = propagate_impact(m, i);
  std::vector<std::string> sys_name, sys_cause;
  std::vector<std::uint8_t> direct;
  for (index_t s = 0; s < m.system_count(); ++s) {
    if (!hit.is_down(s)) continue;
    sys_name.push_back(m.system_at(s).name);
    direct.push_back(hit.system_cause[s] == s);
    sys_cause.push_back(system_name(m, hit.system_cause[s]));
  }
  std::vector<std::string> fn_name, fn_cause, fn_chain;
  for (index_t f = 0; f < m.function_count(); ++f) {
    if (!hit.function_down[f]) continue;
    fn_name.push_back(m.function_at(f).name);
    fn_cause.push_back(system_name(m, hit.function_cause[f]));
    std::string chain;
    for (index_t s = hit.function_cause[f]; s != no_index; s = hit.system_cause[s]) {
      chain += (chain.empty() ? "" : " <- ") + m.system_at(s).name;
      if (hit.system_cause[s] == s) break;
    }
    fn_chain.push_back(chain);
  }
  py::dict systems, functions, d;
  systems["system"] = sys_name;
  systems["damaged_directly"] = to_bool_numpy(direct);
  systems["cause"] = sys_cause;
  functions["function"] = fn_name;
  functions["cause"] = fn_cause;
  functions["chain"] = fn_chain;
  d["systems"] = systems;
  d["functions"] = functions;
  return d;
}

py::dict data_loss_table(const model& m, const std::string& scenario) {
  const index_t i = scenario_index(m, scenario);
  const auto loss = realised_data_loss(m, i);
  const auto& in = m.system_objectives();
  std::vector<std::string> name, from, mode;
  std::vector<double> rpo, objective, restore;
  for (index_t s = 0; s < m.system_count(); ++s) {
    if (!loss[s].data_destroyed) continue;
    const auto& sys = m.system_at(s);
    name.push_back(sys.name);
    rpo.push_back(loss[s].rpo);
    objective.push_back(in.rpo[s]);
    restore.push_back(loss[s].restore_time);
    const bool has = loss[s].backup != no_index;
    from.push_back(has ? sys.backups[loss[s].backup].medium : std::string{});
    mode.push_back(has ? std::string(to_string(sys.backups[loss[s].backup].mode)) : std::string{});
  }
  py::dict d;
  d["system"] = name;
  d["realised_rpo_h"] = to_numpy(std::move(rpo));
  d["rpo_objective_h"] = to_numpy(std::move(objective));
  d["restore_from"] = from;
  d["backup_mode"] = mode;
  d["restore_time_h"] = to_numpy(std::move(restore));
  return d;
}

py::dict single_points(const model& m) {
  const auto spofs = single_points_of_failure(m);
  std::vector<std::string> name, cls;
  std::vector<std::vector<std::string>> functions;
  std::vector<double> profit, first_day;
  for (const auto& p : spofs) {
    name.push_back(m.system_at(p.system).name);
    cls.push_back(class_name(p.worst_class));
    std::vector<std::string> fs;
    for (index_t f : p.functions) fs.push_back(m.function_at(f).name);
    functions.push_back(std::move(fs));
    profit.push_back(p.profit_per_hour);
    first_day.push_back(p.impact_at_horizon);
  }
  py::dict d;
  d["system"] = name;
  d["worst_class"] = cls;
  d["functions"] = functions;
  d["profit_per_hour"] = to_numpy(std::move(profit));
  d["impact_first_day"] = to_numpy(std::move(first_day));
  return d;
}

py::dict backup_rule(const model& m) {
  std::vector<std::string> name;
  std::vector<std::int64_t> copies, media;
  std::vector<std::uint8_t> offline, ok;
  for (index_t s = 0; s < m.system_count(); ++s) {
    const auto& sys = m.system_at(s);
    if (!sys.has_data()) continue;
    const auto r = check_3_2_1(sys);
    name.push_back(sys.name);
    copies.push_back(static_cast<std::int64_t>(r.copies));
    media.push_back(static_cast<std::int64_t>(r.media));
    offline.push_back(r.offline_offsite);
    ok.push_back(r.satisfied());
  }
  py::dict d;
  d["system"] = name;
  d["copies"] = to_numpy(std::move(copies));
  d["media"] = to_numpy(std::move(media));
  d["offline_offsite"] = to_bool_numpy(offline);
  d["satisfied"] = to_bool_numpy(ok);
  return d;
}

py::dict scenario_table(const model& m) {
  std::vector<std::string> name, kind;
  std::vector<double> frequency;
  std::vector<std::int64_t> damaged;
  for (index_t i = 0; i < m.scenario_count(); ++i) {
    const auto& sc = m.scenario_at(i);
    name.push_back(sc.name);
    kind.push_back(std::string(to_string(sc.kind)));
    frequency.push_back(sc.annual_frequency);
    damaged.push_back(static_cast<std::int64_t>(m.damaged_systems(i).size()));
  }
  py::dict d;
  d["scenario"] = name;
  d["kind"] = kind;
  d["annual_frequency"] = to_numpy(std::move(frequency));
  d["systems_damaged"] = to_numpy(std::move(damaged));
  return d;
}

} // namespace

void register_model(py::module_& m) {
  py::class_<model, std::shared_ptr<model>>(m, "Model")
      .def_static("from_json", &model_from_json, py::arg("text"), py::arg("source") = "<input>",
                  "Reads, validates and compiles a model from JSON text (Ctrl-C stops it).")
      .def_static("from_object", &model_from_object, py::arg("spec"), py::arg("convert"),
                  "Reads, validates and compiles a model from Python data in the JSON model "
                  "format (Ctrl-C stops it), or returns None where the data is not plain JSON "
                  "data (dicts with text keys, lists, text, finite numbers of 64 bits, bools, "
                  "None, and what convert makes of other objects): its JSON text then says "
                  "what is wrong.")
      .def("to_json", [](const model& self) { return to_json(self.spec()).dump(); },
           "The model's specification as JSON text.")
      .def_property_readonly("name", [](const model& self) { return self.name(); })
      .def_property_readonly("currency", [](const model& self) { return self.spec().currency; })
      .def_property_readonly("tier",
                             [](const model& self) -> std::optional<std::string> {
                               if (!self.spec().tier) return std::nullopt;
                               return std::string(to_string(*self.spec().tier));
                             })
      .def_property_readonly("recommended_measures",
                             [](const model& self) {
                               std::vector<std::string> v;
                               if (self.spec().tier)
                                 for (auto m : recommended_measures(*self.spec().tier))
                                   v.emplace_back(m);
                               return v;
                             })
      .def_property_readonly("function_names",
                             [](const model& self) {
                               std::vector<std::string> v;
                               for (index_t f = 0; f < self.function_count(); ++f)
                                 v.push_back(self.function_at(f).name);
                               return v;
                             })
      .def_property_readonly("system_names",
                             [](const model& self) {
                               std::vector<std::string> v;
                               for (index_t s = 0; s < self.system_count(); ++s)
                                 v.push_back(self.system_at(s).name);
                               return v;
                             })
      .def_property_readonly("scenario_names",
                             [](const model& self) {
                               std::vector<std::string> v;
                               for (index_t i = 0; i < self.scenario_count(); ++i)
                                 v.push_back(self.scenario_at(i).name);
                               return v;
                             })
      .def_property_readonly("resource_names",
                             [](const model& self) {
                               std::vector<std::string> v;
                               for (const auto& r : self.resources()) v.push_back(r.name);
                               return v;
                             })
      .def_property_readonly("findings",
                             [](const model& self) {
                               py::list out;
                               for (const auto& f : self.findings()) {
                                 py::dict d;
                                 d["kind"] = f.kind;
                                 d["object_kind"] = f.object_kind;
                                 d["object"] = f.object;
                                 d["field"] = f.field;
                                 d["message"] = f.message;
                                 out.append(std::move(d));
                               }
                               return out;
                             })
      .def_property_readonly("system_count", &model::system_count)
      .def_property_readonly("function_count", &model::function_count)
      .def("priority_table", &priority_table)
      .def("system_objectives", &system_objectives)
      .def("scenario_table", &scenario_table)
      .def("impact", &impact, py::arg("scenario"))
      .def("data_loss", &data_loss_table, py::arg("scenario"))
      .def("single_points_of_failure", &single_points)
      .def("backup_rule_3_2_1", &backup_rule);
}

} // namespace continuity::python
