// Bindings of the column reader of inventory tables (io/tables.hpp): a
// model from the columns pyarrow read from CSV or Parquet files, and a
// model's tables as columns to write.
#include "common.hpp"

#include <cmath>
#include <limits>

namespace continuity::python {
namespace {

// The Python buffers a table's columns point into, kept alive (and their
// views held) while the reader runs.
struct held_buffers {
  std::vector<py::buffer_info> views;

  template <class T>
  std::span<const T> span(py::handle object, const char* what) {
    auto& view = views.emplace_back(py::reinterpret_borrow<py::buffer>(object).request());
    if (view.ndim > 1) throw value_error("inventory table", "", what, "must be one-dimensional");
    if (view.itemsize != 1 && view.itemsize != static_cast<py::ssize_t>(sizeof(T)))
      throw value_error("inventory table", "", what, "has items of the wrong size");
    const auto bytes = static_cast<std::size_t>(view.size * view.itemsize);
    return {static_cast<const T*>(view.ptr), bytes / sizeof(T)};
  }
};

// A table described by Python: {"file", "sheet", "rows", "first_row",
// "columns": [(name, header, text bytes, int64 or int32 offsets) or (name,
// header, None, float64 numbers)]}.
inventory_table table_from(const py::dict& d, held_buffers& held) {
  inventory_table t;
  t.file = d["file"].cast<std::string>();
  t.sheet = d["sheet"].cast<std::string>();
  t.rows = d["rows"].cast<std::size_t>();
  t.first_row = d["first_row"].cast<std::size_t>();
  for (const auto& item : d["columns"].cast<py::list>()) {
    const auto c = item.cast<py::tuple>();
    table_column column;
    column.name = c[0].cast<std::string>();
    column.header = c[1].cast<std::string>();
    if (!c[2].is_none()) {
      const auto text = held.span<char>(c[2], "text");
      column.text = std::string_view(text.data(), text.size());
      if (py::reinterpret_borrow<py::buffer>(c[3]).request().itemsize == 4)
        column.offsets32 = held.span<std::int32_t>(c[3], "offsets");
      else
        column.offsets = held.span<std::int64_t>(c[3], "offsets");
    } else {
      column.numbers = held.span<double>(c[3], "numbers");
    }
    t.columns.push_back(std::move(column));
  }
  return t;
}

// Copies onto `to` the fields a companion object (`given`, already read
// into `from`) names; the tables' columns decide the others.
void merge_function(business_function<double>& to, const business_function<double>& from,
                    const nlohmann::json& given) {
  for (const auto& [key, value] : given.items()) {
    if (key == "importance") to.importance = from.importance;
    else if (key == "system_dependency") to.system_dependency = from.system_dependency;
    else if (key == "emergency") to.emergency = from.emergency;
    else if (key == "rto") to.rto = from.rto;
    else if (key == "rpo") to.rpo = from.rpo;
    else if (key == "mtpd") to.mtpd = from.mtpd;
    else if (key == "wrt") to.wrt = from.wrt;
    else if (key == "revenue_per_day" || key == "profit_per_day") to.revenue_per_day = from.revenue_per_day;
    else if (key == "margin" || key == "profit_per_day") to.margin = from.margin;
    else if (key == "operating_days_per_week") to.operating_days_per_week = from.operating_days_per_week;
    else if (key == "operating_days_per_year") to.operating_days_per_year = from.operating_days_per_year;
    else if (key == "minimum_capacity") to.minimum_capacity = from.minimum_capacity;
    else if (key == "impact") to.impact = from.impact;
    else if (key == "needs") to.needs = from.needs;
    else if (key == "manual_workaround" && value.is_object()) {
      // Only the parts the table has no column for.
      auto w = to.workaround.value_or(manual_workaround<double>{});
      if (value.contains("capacity")) w.capacity = from.workaround->capacity;
      if (value.contains("setup_time")) w.setup_time = from.workaround->setup_time;
      if (value.contains("max_duration")) w.max_duration = from.workaround->max_duration;
      to.workaround = w;
    }
  }
  if (given.contains("profit_per_day")) to.margin = 1;
}

void merge_system(it_system<double>& to, const it_system<double>& from,
                  const nlohmann::json& given) {
  for (const auto& [key, value] : given.items()) {
    (void)value;
    if (key == "layer") to.layer = from.layer;
    else if (key == "side") to.side = from.side;
    else if (key == "segment") to.segment = from.segment;
    else if (key == "depends_on") to.depends_on = from.depends_on;
    else if (key == "backups") to.backups = from.backups;
    else if (key == "holds_data") to.holds_data = from.holds_data;
    else if (key == "transactions_per_hour") to.transactions_per_hour = from.transactions_per_hour;
    else if (key == "reentry_hours_per_transaction")
      to.reentry_hours_per_transaction = from.reentry_hours_per_transaction;
    else if (key == "reentry_by") to.reentry_by = from.reentry_by;
    else if (key == "reentry_staff") to.reentry_staff = from.reentry_staff;
    else if (key == "recovery") to.recovery = from.recovery;
  }
}

// The companion's functions or systems (objects with a name and the fields
// the tables leave to it) merged into the objects of those names.
template <class Object, class Read, class Merge>
void merge_objects(std::vector<Object>& objects, const nlohmann::json& given, const char* kind,
                   Read read, Merge merge) {
  if (!given.is_array() || given.empty()) return;
  std::unordered_map<std::string_view, std::size_t> by_name;
  by_name.reserve(objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i) by_name.emplace(objects[i].name, i);
  for (std::size_t i = 0; i < given.size(); ++i) {
    const auto& g = given[i];
    const Object from = read(g, i);
    const auto at = by_name.find(from.name);
    if (at == by_name.end())
      throw reference_error(kind, from.name, "name", "the companion describes it, and the "
                                                     "tables do not list it");
    merge(objects[at->second], from, g);
  }
}

// A model's specification read from tables, not yet validated: held while
// Python frees the columns it was read from.
struct inventory_spec {
  std::optional<model_spec> spec;
};

// Reads the tables into the base model the companion JSON describes
// (settings, pools, scenarios; and the fields of named functions and
// systems that the tables leave to it).
std::unique_ptr<inventory_spec> spec_from_tables(const py::dict& tables,
                                                 const std::string& base_json,
                                                 const std::string& source) {
  held_buffers held;
  inventory_tables t{table_from(tables["functions"].cast<py::dict>(), held),
                     table_from(tables["systems"].cast<py::dict>(), held),
                     table_from(tables["dependencies"].cast<py::dict>(), held),
                     table_from(tables["backups"].cast<py::dict>(), held), std::nullopt};
  if (tables.contains("impacts")) t.impacts = table_from(tables["impacts"].cast<py::dict>(), held);
  auto result = std::make_unique<inventory_spec>();
  result->spec = interruptible([&](const std::atomic<bool>& cancel) {
    nlohmann::json base = parse_json_text(base_json, source, &cancel);
    nlohmann::json functions, systems;
    if (base.is_object()) {
      if (base.contains("functions")) functions = std::move(base["functions"]);
      if (base.contains("systems")) systems = std::move(base["systems"]);
      base.erase("functions");
      base.erase("systems");
    }
    auto spec = read_inventory_tables(t, read_model_spec<double>(base, &cancel), &cancel);
    const int dependency =
        spec.tier ? default_system_dependency(*spec.tier, spec.priorities.levels()) : 1;
    merge_objects(
        spec.functions, functions, "business function",
        [&](const nlohmann::json& j, std::size_t i) {
          return detail::read_function<double>(j, i, dependency);
        },
        merge_function);
    merge_objects(
        spec.systems, systems, "system",
        [&](const nlohmann::json& j, std::size_t i) {
          return detail::read_system<double>(j, i, &cancel);
        },
        merge_system);
    return spec;
  });
  return result;
}

// Validates and compiles the specification (once: it is moved into the model).
std::shared_ptr<model> model_from_spec(inventory_spec& read) {
  if (!read.spec) throw error("the inventory's specification has been made into a model already");
  model_spec spec = std::move(*read.spec);
  read.spec.reset();
  return interruptible([&](const std::atomic<bool>& cancel) {
    return std::make_shared<model>(std::move(spec), &cancel);
  });
}

// Text cells as one UTF-8 buffer and int64 offsets (an Arrow large_string
// array's buffers).
struct text_cells {
  std::string text;
  std::vector<std::int64_t> offsets{0};
  void add(std::string_view s) {
    text += s;
    offsets.push_back(static_cast<std::int64_t>(text.size()));
  }
  py::tuple python() {
    auto bytes = py::bytes(text);
    text = {};
    return py::make_tuple(std::move(bytes), to_numpy(std::move(offsets)));
  }
};

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

double given(const std::optional<double>& v) { return v ? *v : no_value; }

// The columns of the functions, systems, dependencies, backups and impacts
// tables of a model, as read_inventory_tables reads them back: text columns
// as (bytes, offsets), number columns as float64 arrays with NaN for "not
// given"; the dependency kinds as codes (0 all_of, 1 any_of, 2 k_of); the
// dependencies' from_type only if a function and a system share a name.
py::dict model_tables(const model& m) {
  const auto& spec = m.spec();
  text_cells f_name, s_name, layer, side, segment, reentry_by, d_from, d_type, d_to, d_group,
      b_system, medium, mode, content, i_function, category, unit;
  const auto nf = spec.functions.size(), ns = spec.systems.size();
  std::vector<double> importance(nf), dependency(nf), emergency(nf), rto(nf), rpo(nf), mtpd(nf),
      wrt(nf), revenue(nf), margin(nf), week(nf), year(nf), w_capacity(nf), w_setup(nf),
      w_max(nf);
  std::vector<double> holds(ns), transactions(ns), reentry(ns), staff(ns);
  std::vector<double> d_kind, d_k, interval, generations, age, offsite, restore, after, rate, lump;
  auto requirements = [&](const std::string& owner, std::string_view type,
                          const std::vector<requirement>& reqs) {
    for (std::size_t r = 0; r < reqs.size(); ++r) {
      const auto& q = reqs[r];
      const double kind = q.is_all_of() ? 0 : q.needed == 1 ? 1 : 2;
      const std::string group = kind == 0 ? std::string{} : std::to_string(r + 1);
      for (const auto& s : q.systems) {
        d_from.add(owner);
        d_type.add(type);
        d_to.add(s);
        d_group.add(group);
        d_kind.push_back(kind);
        d_k.push_back(kind == 2 ? static_cast<double>(q.needed) : no_value);
      }
    }
  };
  for (std::size_t i = 0; i < nf; ++i) {
    const auto& f = spec.functions[i];
    f_name.add(f.name);
    importance[i] = f.importance;
    dependency[i] = f.system_dependency;
    emergency[i] = f.emergency;
    rto[i] = given(f.rto);
    rpo[i] = given(f.rpo);
    mtpd[i] = given(f.mtpd);
    wrt[i] = f.wrt;
    revenue[i] = f.revenue_per_day;
    margin[i] = f.margin;
    week[i] = f.operating_days_per_week;
    year[i] = given(f.operating_days_per_year);
    w_capacity[i] = f.workaround ? f.workaround->capacity : no_value;
    w_setup[i] = f.workaround ? f.workaround->setup_time : no_value;
    w_max[i] = f.workaround && std::isfinite(f.workaround->max_duration)
                   ? f.workaround->max_duration
                   : no_value;
    requirements(f.name, "function", f.needs);
    for (const auto& curve : f.impact)
      for (const auto& st : curve.steps) {
        i_function.add(f.name);
        category.add(curve.category);
        unit.add(curve.unit);
        after.push_back(st.after);
        rate.push_back(st.rate_per_hour);
        lump.push_back(st.lump);
      }
  }
  for (std::size_t i = 0; i < ns; ++i) {
    const auto& s = spec.systems[i];
    s_name.add(s.name);
    layer.add(to_string(s.layer));
    side.add(to_string(s.side));
    segment.add(s.segment);
    holds[i] = s.holds_data ? double(*s.holds_data) : no_value;
    transactions[i] = s.transactions_per_hour;
    reentry[i] = s.reentry_hours_per_transaction;
    reentry_by.add(s.reentry_by);
    staff[i] = s.reentry_staff;
    requirements(s.name, "system", s.depends_on);
    for (const auto& b : s.backups) {
      b_system.add(s.name);
      interval.push_back(b.age ? no_value : b.interval);
      generations.push_back(b.age ? no_value : b.generations);
      age.push_back(given(b.age));
      medium.add(b.medium);
      mode.add(to_string(b.mode));
      offsite.push_back(b.offsite);
      restore.push_back(b.restore_time);
      content.add(to_string(b.content));
    }
  }
  py::dict out, functions, systems, dependencies, backups, impacts;
  functions["name"] = f_name.python();
  functions["importance"] = to_numpy(std::move(importance));
  functions["system_dependency"] = to_numpy(std::move(dependency));
  functions["emergency"] = to_numpy(std::move(emergency));
  functions["rto"] = to_numpy(std::move(rto));
  functions["rpo"] = to_numpy(std::move(rpo));
  functions["mtpd"] = to_numpy(std::move(mtpd));
  functions["wrt"] = to_numpy(std::move(wrt));
  functions["revenue_per_day"] = to_numpy(std::move(revenue));
  functions["margin"] = to_numpy(std::move(margin));
  functions["operating_days_per_week"] = to_numpy(std::move(week));
  functions["operating_days_per_year"] = to_numpy(std::move(year));
  functions["workaround_capacity"] = to_numpy(std::move(w_capacity));
  functions["workaround_setup_time"] = to_numpy(std::move(w_setup));
  functions["workaround_max_duration"] = to_numpy(std::move(w_max));
  systems["name"] = s_name.python();
  systems["layer"] = layer.python();
  systems["side"] = side.python();
  systems["segment"] = segment.python();
  systems["holds_data"] = to_numpy(std::move(holds));
  systems["transactions_per_hour"] = to_numpy(std::move(transactions));
  systems["reentry_hours_per_transaction"] = to_numpy(std::move(reentry));
  systems["reentry_by"] = reentry_by.python();
  systems["reentry_staff"] = to_numpy(std::move(staff));
  dependencies["from"] = d_from.python();
  // The type of the row's `from` only where a function and a system share
  // the name (as the spreadsheet writer does): else the name says it.
  bool shared = false;
  for (index_t f = 0; f < m.function_count() && !shared; ++f)
    shared = m.find_system(m.function_at(f).name).has_value();
  if (shared) dependencies["from_type"] = d_type.python();
  dependencies["kind"] = to_numpy(std::move(d_kind));
  dependencies["group"] = d_group.python();
  dependencies["k"] = to_numpy(std::move(d_k));
  dependencies["to"] = d_to.python();
  backups["system"] = b_system.python();
  backups["interval"] = to_numpy(std::move(interval));
  backups["generations"] = to_numpy(std::move(generations));
  backups["age"] = to_numpy(std::move(age));
  backups["medium"] = medium.python();
  backups["mode"] = mode.python();
  backups["offsite"] = to_numpy(std::move(offsite));
  backups["restore_time"] = to_numpy(std::move(restore));
  backups["content"] = content.python();
  impacts["function"] = i_function.python();
  impacts["category"] = category.python();
  impacts["unit"] = unit.python();
  impacts["after"] = to_numpy(std::move(after));
  impacts["rate_per_hour"] = to_numpy(std::move(rate));
  impacts["lump"] = to_numpy(std::move(lump));
  out["functions"] = functions;
  out["systems"] = systems;
  out["dependencies"] = dependencies;
  out["backups"] = backups;
  out["impacts"] = impacts;
  return out;
}

// What the tables of model_tables leave out, as JSON in the model format:
// the settings, pools, scenarios, insurance, prepared order, and the
// functions and systems with fields the tables have no column for
// (minimum capacities, recovery procedures), by name with those fields.
std::string companion_json(const model& m) {
  const auto& spec = m.spec();
  model_spec top;
  top.name = spec.name;
  top.currency = spec.currency;
  top.tier = spec.tier;
  top.employees = spec.employees;
  top.priorities = spec.priorities;
  top.rto_by_class = spec.rto_by_class;
  top.cycles = spec.cycles;
  top.resources = spec.resources;
  top.scenarios = spec.scenarios;
  top.recovery_order = spec.recovery_order;
  top.insurance = spec.insurance;
  nlohmann::json j = to_json(top);
  j["functions"] = nlohmann::json::array();
  j["systems"] = nlohmann::json::array();
  for (const auto& f : spec.functions)
    if (!f.minimum_capacity.empty()) {
      nlohmann::json mc = nlohmann::json::array();
      for (const auto& c : f.minimum_capacity)
        mc.push_back({{"by", double(c.by)}, {"capacity", double(c.capacity)}});
      j["functions"].push_back({{"name", f.name}, {"minimum_capacity", std::move(mc)}});
    }
  for (const auto& s : spec.systems)
    if (s.recovery)
      j["systems"].push_back({{"name", s.name}, {"recovery", detail::write_procedure(*s.recovery)}});
  return j.dump();
}

} // namespace

void register_tables(py::module_& m) {
  py::class_<inventory_spec>(m, "InventorySpec",
                             "A model's specification read from tables, not yet validated.");
  m.def("spec_from_tables", &spec_from_tables, py::arg("tables"), py::arg("base_json"),
        py::arg("source"),
        "Reads an inventory's tables given as columns into the model the base JSON describes "
        "(Ctrl-C stops it).");
  m.def("model_from_spec", &model_from_spec, py::arg("spec"),
        "Validates and compiles a specification read from tables (Ctrl-C stops it).");
  m.def("model_tables", &model_tables, py::arg("model"),
        "The columns of a model's functions, systems, dependencies, backups and impacts tables.");
  m.def("companion_json", &companion_json, py::arg("model"),
        "What model_tables leaves out, as JSON in the model format.");
}

} // namespace continuity::python
