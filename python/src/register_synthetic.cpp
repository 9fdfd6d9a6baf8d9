// Bindings of the synthetic inventory generator (synthetic/).
#include "common.hpp"

#include <continuity/synthetic.hpp>

namespace continuity::python {
namespace {

// Sets the options named in `kw`; an unknown name is a value_error.
synthetic_inventory_options options_from(const py::dict& kw) {
  synthetic_inventory_options o;
  for (const auto& [key, value] : kw) {
    const auto k = key.cast<std::string>();
    auto fail = [&] {
      throw value_error("synthetic inventory options", {}, k, "unknown option");
    };
    if (k == "systems") o.systems = value.cast<std::size_t>();
    else if (k == "functions") o.functions = value.cast<std::size_t>();
    else if (k == "mean_dependencies") o.mean_dependencies = value.cast<double>();
    else if (k == "any_of_share") o.any_of_share = value.cast<double>();
    else if (k == "k_of_n_share") o.k_of_n_share = value.cast<double>();
    else if (k == "platforms_per_kind") o.platforms_per_kind = value.cast<std::size_t>();
    else if (k == "cluster_hosts") o.cluster_hosts = value.cast<std::size_t>();
    else if (k == "segments") o.segments = value.cast<std::size_t>();
    else if (k == "backup_share") o.backup_share = value.cast<double>();
    else if (k == "offline_backup_share") o.offline_backup_share = value.cast<double>();
    else if (k == "immutable_backup_share") o.immutable_backup_share = value.cast<double>();
    else if (k == "procedure_share") o.procedure_share = value.cast<double>();
    else if (k == "it_staff") o.it_staff = value.cast<int>();
    else if (k == "vendor_engineers") o.vendor_engineers = value.cast<int>();
    else if (k == "clerks") o.clerks = value.cast<int>();
    else if (k == "spare_servers") o.spare_servers = value.cast<int>();
    else if (k == "ransomware_frequency") o.ransomware_frequency = value.cast<double>();
    else if (k == "dwell_time") o.dwell_time = value.cast<double>();
    else if (k == "spread_within_segment") o.spread_within_segment = value.cast<double>();
    else if (k == "cost_lines") o.cost_lines = value.cast<bool>();
    else if (k == "cycles") o.cycles = value.cast<std::size_t>();
    else if (k == "seed") o.seed = value.cast<std::uint64_t>();
    else fail();
  }
  return o;
}

} // namespace

void register_synthetic(py::module_& m) {
  m.def("generate_inventory", [](const py::dict& kw) {
    const auto o = options_from(kw);
    auto spec = [&] {
      py::gil_scoped_release release;
      return generate_inventory(o);
    }();
    auto compiled = [&] {
      py::gil_scoped_release release;
      return std::make_shared<model>(std::move(spec));
    }();
    return compiled;
  }, py::arg("options"));
  m.def("generate_inventory_graph", [](const py::dict& kw) {
    const auto o = options_from(kw);
    auto g = [&] {
      py::gil_scoped_release release;
      return generate_inventory_graph(o);
    }();
    std::vector<std::int8_t> layer(g.layers.size());
    for (std::size_t s = 0; s < layer.size(); ++s) layer[s] = static_cast<std::int8_t>(g.layers[s]);
    py::dict d;
    d["system_count"] = g.system_count;
    d["function_count"] = g.function_count;
    d["layer"] = to_numpy(std::move(layer));
    d["shared_platform"] = to_bool_numpy(g.shared_platform);
    d["node_requirement_offsets"] = to_numpy(std::move(g.node_requirement_offsets));
    d["needed"] = to_numpy(std::move(g.needed));
    d["requirement_member_offsets"] = to_numpy(std::move(g.requirement_member_offsets));
    d["requirement_members"] = to_numpy(std::move(g.requirement_members));
    return d;
  }, py::arg("options"));
}

} // namespace continuity::python
