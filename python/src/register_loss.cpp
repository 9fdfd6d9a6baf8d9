// Bindings of damage cost and Monte Carlo loss estimation (loss/).
#include "common.hpp"

#include <continuity/io/detail/json_distribution.hpp>

#include <functional>
#include <optional>

namespace continuity::python {
namespace {

/// Per-trial results; NumPy views of its arrays keep it alive.
struct result_handle {
  simulation_result<double> r;
};

/// An incident simulation with the model it refers to.
struct simulation_handle {
  model_ptr m;
  std::unique_ptr<incident_simulation<double>> sim;
};

distribution<double> distribution_from_json(const std::string& text, const std::string& scenario,
                                            const std::string& field) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw value_error("scenario", scenario, field, std::string("invalid JSON: ") + e.what());
  }
  return detail::read_distribution<double>(j, false, [&](const std::string& problem) {
    throw value_error("scenario", scenario, field, problem);
  });
}

loss_scenario<double> make_loss_scenario(const std::string& name, const std::string& frequency,
                                         const std::string& loss, const std::string& aggregation) {
  loss_aggregation a;
  if (aggregation == "compound")
    a = loss_aggregation::compound;
  else if (aggregation == "fair_product_form")
    a = loss_aggregation::fair_product_form;
  else
    throw value_error("scenario", name, "aggregation",
                      "unknown aggregation '" + aggregation +
                          "' (compound or fair_product_form)");
  return loss_scenario<double>(name, distribution_from_json(frequency, name, "frequency"),
                               distribution_from_json(loss, name, "loss_per_event"), a);
}

// Insurance policies from their JSON texts in the model format (as Python
// passes them): errors name the policy and the field.
std::vector<insurance_policy<double>> policies_from_json(const std::vector<std::string>& texts) {
  std::vector<insurance_policy<double>> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(texts[i]);
    } catch (const nlohmann::json::exception& e) {
      throw value_error("insurance policy", "#" + std::to_string(i + 1), "",
                        std::string("invalid JSON: ") + e.what());
    }
    out.push_back(detail::read_insurance_policy<double>(j, i));
  }
  return out;
}

// A progress report for run_options: on the calling thread, after each
// block of trials, reports progress to `progress(done, requested)` (if not
// None) and checks for Ctrl-C; either failing stores the Python exception in
// `failure` and stops the run.
std::function<bool(std::uint64_t, std::uint64_t)>
python_progress(const py::object& progress, std::optional<py::error_already_set>& failure) {
  return [&progress, &failure](std::uint64_t done, std::uint64_t requested) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      failure.emplace();
      return false;
    }
    if (!progress.is_none()) {
      try {
        progress(done, requested);
      } catch (py::error_already_set& e) {
        failure.emplace(std::move(e));
        return false;
      }
    }
    return true;
  };
}

// Runs a trial model with the GIL released, reporting progress.
template <class TrialModel>
std::shared_ptr<result_handle> run_released(const TrialModel& tm, std::uint64_t trials,
                                            std::uint64_t seed, std::uint64_t first_trial,
                                            unsigned threads, std::uint64_t block_size,
                                            const py::object& progress) {
  run_options o;
  o.threads = threads;
  o.first_trial = first_trial;
  o.block_size = block_size;
  std::optional<py::error_already_set> failure;
  o.progress = python_progress(progress, failure);
  auto h = std::make_shared<result_handle>();
  {
    py::gil_scoped_release release;
    h->r = run(tm, trials, seed, o);
  }
  if (failure) throw std::move(*failure);
  return h;
}

// Runs a comparison of simulations (`compare(simulation options, run
// options)`) of `scenarios` on `threads` threads with the GIL released,
// reporting to the Python `progress` callback; rethrows what the callback
// raised (Ctrl-C).
template <class Compare>
auto run_comparison(std::vector<std::string> scenarios, unsigned threads,
                    const py::object& progress, Compare&& compare) {
  simulation_options<double> so;
  so.scenarios = std::move(scenarios);
  run_options o;
  o.threads = threads;
  std::optional<py::error_already_set> failure;
  o.progress = python_progress(progress, failure);
  auto result = [&] {
    py::gil_scoped_release release;
    return compare(static_cast<const simulation_options<double>&>(so),
                   static_cast<const run_options&>(o));
  }();
  if (failure) throw std::move(*failure);
  return result;
}

// A view of one per-trial array of the result.
py::array_t<double> trials_view(const std::shared_ptr<result_handle>& h,
                                const Eigen::Array<double, Eigen::Dynamic, 1>& a) {
  return py::array_t<double>({static_cast<py::ssize_t>(a.size())},
                             {static_cast<py::ssize_t>(sizeof(double))}, a.data(), py::cast(h));
}

// Copies a 1-D array of the pickled state into `to`.
void restore_trials(const py::handle& from, Eigen::Array<double, Eigen::Dynamic, 1>& to) {
  const auto a = from.cast<py::array_t<double, py::array::forcecast>>();
  to.resize(a.size());
  std::copy(a.data(), a.data() + a.size(), to.data());
}

py::array_t<double> losses_view(const std::shared_ptr<result_handle>& h) {
  return trials_view(h, h->r.annual_loss);
}

py::array_t<double> breakdown_view(const std::shared_ptr<result_handle>& h) {
  const auto rows = static_cast<py::ssize_t>(h->r.breakdown.rows());
  const auto cols = static_cast<py::ssize_t>(h->r.breakdown.cols());
  const auto d = static_cast<py::ssize_t>(sizeof(double));
  return py::array_t<double>({rows, cols}, {d, d * rows}, h->r.breakdown.data(), py::cast(h));
}

py::dict cost_of(const model& m, const std::string& scenario) {
  const index_t i = scenario_index(m, scenario);
  const incident_simulation<double> sim(m);
  const auto c = sim.point_cost(i);
  py::dict category, line, function, d;
  for (std::size_t k = 0; k < cost_category_count; ++k)
    category[py::str(std::string(to_string(static_cast<cost_category>(k))))] = c.by_category[k];
  const auto names = cost_line_names(m, i);
  for (std::size_t l = 0; l < names.size(); ++l) line[py::str(names[l])] = c.by_line[l];
  for (index_t f = 0; f < m.function_count(); ++f)
    function[py::str(m.function_at(f).name)] = c.by_function[f];
  py::dict by_policy;
  for (std::size_t p = 0; p < m.insurance().size(); ++p)
    by_policy[py::str(m.insurance()[p].name)] = c.insured_by_policy[p];
  d["total"] = c.total;
  d["annual_revenue"] = annual_revenue(m);
  d["share_of_annual_revenue"] = share_of_annual_revenue(m, c.total);
  d["insured"] = c.insured;
  d["retained"] = c.retained;
  d["insured_by_policy"] = by_policy;
  d["by_category"] = category;
  d["by_line"] = line;
  d["by_function"] = function;
  return d;
}

py::dict rank_correlations_of(const model& m, const std::string& scenario, std::uint64_t trials,
                              std::uint64_t seed, unsigned threads) {
  const index_t i = scenario_index(m, scenario);
  const auto rows = interruptible([&](const std::atomic<bool>& cancel) {
    const incident_simulation<double> sim(m);
    run_options o;
    o.threads = threads;
    o.cancel = &cancel;
    return rank_correlations(sim, i, trials, seed, o);
  });
  std::vector<std::string> input;
  std::vector<double> rho;
  std::vector<std::int64_t> in_play;
  for (const auto& r : rows) {
    input.push_back(r.input);
    rho.push_back(r.rank_correlation);
    in_play.push_back(static_cast<std::int64_t>(r.trials));
  }
  py::dict d;
  d["input"] = input;
  d["rank_correlation"] = to_numpy(std::move(rho));
  d["trials"] = to_numpy(std::move(in_play));
  return d;
}

py::dict tornado_of(const model& m, const std::string& scenario, double low, double high) {
  const index_t i = scenario_index(m, scenario);
  std::vector<sensitivity_bar<double>> bars;
  {
    py::gil_scoped_release release;
    bars = tornado(m, i, low, high);
  }
  std::vector<std::string> input;
  std::vector<double> li, hi, lc, hc;
  for (const auto& b : bars) {
    input.push_back(b.input);
    li.push_back(b.low_input);
    hi.push_back(b.high_input);
    lc.push_back(b.low_cost);
    hc.push_back(b.high_cost);
  }
  py::dict d;
  d["input"] = input;
  d["low_input"] = to_numpy(std::move(li));
  d["high_input"] = to_numpy(std::move(hi));
  d["low_cost"] = to_numpy(std::move(lc));
  d["high_cost"] = to_numpy(std::move(hc));
  return d;
}

py::dict stats_dict(const loss_statistics<double>& s) {
  py::dict d;
  d["trials"] = s.trials();
  d["mean"] = s.mean();
  d["standard_deviation"] = s.standard_deviation();
  d["standard_error"] = s.standard_error();
  return d;
}

} // namespace

void register_loss(py::module_& m) {
  py::class_<loss_scenario<double>>(m, "LossScenario")
      .def(py::init(&make_loss_scenario), py::arg("name"), py::arg("frequency"),
           py::arg("loss_per_event"), py::arg("aggregation") = "compound")
      .def_property_readonly("name", &loss_scenario<double>::name)
      .def_property_readonly("mean_annual_loss", &loss_scenario<double>::mean_annual_loss);

  py::class_<result_handle, std::shared_ptr<result_handle>>(m, "SimulationResult")
      .def_property_readonly("seed", [](const result_handle& h) { return h.r.seed; })
      .def_property_readonly("first_trial", [](const result_handle& h) { return h.r.first_trial; })
      .def_property_readonly("trials", [](const result_handle& h) { return h.r.trials(); })
      .def_property_readonly("cancelled", [](const result_handle& h) { return h.r.cancelled; })
      .def_property_readonly("breakdown_names",
                             [](const result_handle& h) { return h.r.breakdown_names; })
      .def_property_readonly("annual_loss", &losses_view)
      .def_property_readonly("insured_loss",
                             [](const std::shared_ptr<result_handle>& h) {
                               return trials_view(h, h->r.insured_loss);
                             })
      .def_property_readonly("retained_loss",
                             [](const std::shared_ptr<result_handle>& h) {
                               return trials_view(h, h->r.retained_loss);
                             })
      .def_property_readonly("breakdown", &breakdown_view)
      .def(py::pickle(
          [](const std::shared_ptr<result_handle>& h) {
            return py::make_tuple(h->r.seed, h->r.first_trial, h->r.cancelled,
                                  h->r.breakdown_names, losses_view(h), breakdown_view(h),
                                  trials_view(h, h->r.insured_loss),
                                  trials_view(h, h->r.retained_loss));
          },
          [](const py::tuple& t) {
            // 6 entries: a result pickled before insurance (nothing insured).
            if (t.size() != 6 && t.size() != 8)
              throw std::runtime_error("invalid SimulationResult state");
            auto h = std::make_shared<result_handle>();
            h->r.seed = t[0].cast<std::uint64_t>();
            h->r.first_trial = t[1].cast<std::uint64_t>();
            h->r.cancelled = t[2].cast<bool>();
            h->r.breakdown_names = t[3].cast<std::vector<std::string>>();
            restore_trials(t[4], h->r.annual_loss);
            const auto b =
                t[5].cast<py::array_t<double, py::array::f_style | py::array::forcecast>>();
            const auto rows = b.ndim() == 2 ? b.shape(0) : 0, cols = b.ndim() == 2 ? b.shape(1) : 0;
            h->r.breakdown.resize(rows, cols);
            std::copy(b.data(), b.data() + rows * cols, h->r.breakdown.data());
            if (t.size() == 8) {
              restore_trials(t[6], h->r.insured_loss);
              restore_trials(t[7], h->r.retained_loss);
            }
            if (h->r.insured_loss.size() != h->r.annual_loss.size() ||
                h->r.retained_loss.size() != h->r.annual_loss.size()) {
              h->r.insured_loss.setZero(h->r.annual_loss.size());
              h->r.retained_loss = h->r.annual_loss;
            }
            return h;
          }));

  m.def("concatenate", [](const std::vector<std::shared_ptr<result_handle>>& shards) {
    std::vector<simulation_result<double>> v;
    v.reserve(shards.size());
    for (const auto& s : shards) v.push_back(s->r);
    auto h = std::make_shared<result_handle>();
    h->r = concatenate_shards(v);
    return h;
  });

  py::class_<simulation_handle, std::shared_ptr<simulation_handle>>(m, "IncidentSimulation")
      .def(py::init([](const std::shared_ptr<model>& mp, std::vector<std::string> scenarios,
                       std::vector<loss_scenario<double>> top_down,
                       const std::vector<std::string>& top_down_insurance) {
             auto h = std::make_shared<simulation_handle>();
             h->m = mp;
             simulation_options<double> o;
             o.scenarios = std::move(scenarios);
             h->sim = std::make_unique<incident_simulation<double>>(
                 *mp, std::move(o),
                 scenario_portfolio<double>(std::move(top_down),
                                            policies_from_json(top_down_insurance)));
             return h;
           }),
           py::arg("model"), py::arg("scenarios") = std::vector<std::string>{},
           py::arg("top_down") = std::vector<loss_scenario<double>>{},
           py::arg("top_down_insurance") = std::vector<std::string>{})
      .def_property_readonly("breakdown_names",
                             [](const simulation_handle& h) { return h.sim->breakdown_names(); })
      .def("run",
           [](const simulation_handle& h, std::uint64_t trials, std::uint64_t seed,
              std::uint64_t first_trial, unsigned threads, std::uint64_t block_size,
              const py::object& progress) {
             return run_released(*h.sim, trials, seed, first_trial, threads, block_size, progress);
           },
           py::arg("trials"), py::arg("seed"), py::arg("first_trial") = 0, py::arg("threads") = 0,
           py::arg("block_size") = 4096, py::arg("progress") = py::none());

  py::class_<scenario_portfolio<double>>(m, "ScenarioPortfolio")
      .def(py::init([](std::vector<loss_scenario<double>> scenarios,
                       const std::vector<std::string>& insurance) {
             return scenario_portfolio<double>(std::move(scenarios), policies_from_json(insurance));
           }),
           py::arg("scenarios"), py::arg("insurance") = std::vector<std::string>{})
      .def_property_readonly("mean_annual_loss", &scenario_portfolio<double>::mean_annual_loss)
      .def_property_readonly("breakdown_names", &scenario_portfolio<double>::breakdown_names)
      .def("run",
           [](const scenario_portfolio<double>& p, std::uint64_t trials, std::uint64_t seed,
              std::uint64_t first_trial, unsigned threads, std::uint64_t block_size,
              const py::object& progress) {
             return run_released(p, trials, seed, first_trial, threads, block_size, progress);
           },
           py::arg("trials"), py::arg("seed"), py::arg("first_trial") = 0, py::arg("threads") = 0,
           py::arg("block_size") = 4096, py::arg("progress") = py::none());

  py::class_<loss_statistics<double>>(m, "LossStatistics")
      .def(py::init([](const py::array_t<double, py::array::c_style | py::array::forcecast>& a) {
             if (a.ndim() != 1) throw value_error("loss statistics", {}, "losses", "must be 1-D");
             if (a.size() == 0)
               throw value_error("loss statistics", {}, "losses", "needs at least one trial");
             return loss_statistics<double>(std::span<const double>(a.data(), static_cast<std::size_t>(a.size())));
           }),
           py::arg("losses"))
      .def_property_readonly("trials", &loss_statistics<double>::trials)
      .def_property_readonly("mean", &loss_statistics<double>::mean)
      .def_property_readonly("standard_deviation", &loss_statistics<double>::standard_deviation)
      .def_property_readonly("standard_error", &loss_statistics<double>::standard_error)
      .def_property_readonly("minimum", &loss_statistics<double>::minimum)
      .def_property_readonly("maximum", &loss_statistics<double>::maximum)
      .def_property_readonly("sorted_losses",
                             [](const loss_statistics<double>& s) {
                               const auto v = s.sorted_losses();
                               return to_numpy(std::vector<double>(v.begin(), v.end()));
                             })
      .def("quantile", &loss_statistics<double>::quantile, py::arg("p"))
      .def("value_at_risk", &loss_statistics<double>::value_at_risk, py::arg("level"))
      .def("tail_value_at_risk", &loss_statistics<double>::tail_value_at_risk, py::arg("level"))
      .def("exceedance_probability", &loss_statistics<double>::exceedance_probability,
           py::arg("loss"))
      .def("exceedance_curve", [](const loss_statistics<double>& s, std::size_t points) {
        const auto c = s.exceedance_curve(points);
        std::vector<double> x, p;
        for (const auto& e : c) {
          x.push_back(e.loss);
          p.push_back(e.probability);
        }
        return py::make_tuple(to_numpy(std::move(x)), to_numpy(std::move(p)));
      }, py::arg("points") = std::size_t(100))
      .def("summary", &stats_dict);

  using columns_array = py::array_t<double, py::array::f_style | py::array::forcecast>;
  py::class_<loss_summary>(m, "LossSummary")
      .def(py::init<double, std::size_t, std::vector<std::string>>(),
           py::arg("relative_accuracy") = loss_summary::default_relative_accuracy,
           py::arg("tail") = loss_summary::default_tail,
           py::arg("column_names") = std::vector<std::string>{})
      .def("add",
           [](loss_summary& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& losses,
              const std::optional<columns_array>& columns) {
             if (losses.ndim() != 1) throw value_error("loss summary", {}, "losses", "must be 1-D");
             const auto n = static_cast<std::size_t>(losses.size());
             std::span<const double> values;
             if (columns) {
               const auto rows = columns->ndim() == 2 ? columns->shape(0) : -1;
               const auto cols = columns->ndim() == 2 ? columns->shape(1) : -1;
               if (rows != losses.size() || cols != static_cast<py::ssize_t>(s.column_names().size()))
                 throw value_error("loss summary", {}, "columns",
                                   "must be trials × columns = " + std::to_string(n) + " × " +
                                       std::to_string(s.column_names().size()));
               values = std::span<const double>(columns->data(), n * s.column_names().size());
             }
             py::gil_scoped_release release;
             s.add(std::span<const double>(losses.data(), n), values);
           },
           py::arg("losses"), py::arg("columns") = py::none())
      .def("merge", [](loss_summary& s, const loss_summary& other) { s.merge(other); },
           py::arg("other"))
      .def("copy", [](const loss_summary& s) { return loss_summary(s); })
      .def_property_readonly("trials", &loss_summary::trials)
      .def_property_readonly("zero_trials", &loss_summary::zero_trials)
      .def_property_readonly("relative_accuracy", &loss_summary::relative_accuracy)
      .def_property_readonly("bin_accuracy", &loss_summary::bin_accuracy)
      .def_property_readonly("tail", &loss_summary::tail)
      .def_property_readonly("column_names", &loss_summary::column_names)
      .def_property_readonly("minimum", &loss_summary::minimum)
      .def_property_readonly("maximum", &loss_summary::maximum)
      .def_property_readonly("mean", &loss_summary::mean)
      .def_property_readonly("standard_deviation", &loss_summary::standard_deviation)
      .def_property_readonly("standard_error", &loss_summary::standard_error)
      .def_property_readonly("largest_losses",
                             [](const loss_summary& s) {
                               const auto v = s.largest_losses();
                               return to_numpy(std::vector<double>(v.begin(), v.end()));
                             })
      .def("quantile", &loss_summary::quantile, py::arg("p"))
      .def("value_at_risk", &loss_summary::value_at_risk, py::arg("level"))
      .def("tail_value_at_risk", &loss_summary::tail_value_at_risk, py::arg("level"))
      .def("exact_at", &loss_summary::exact_at, py::arg("level"))
      .def("column_means", [](const loss_summary& s) { return to_numpy(s.column_means()); })
      .def(py::pickle([](const loss_summary& s) { return py::bytes(s.serialise()); },
                      [](const py::bytes& b) {
                        return loss_summary::deserialise(static_cast<std::string>(b));
                      }));

  m.def("incident_cost", [](const std::shared_ptr<model>& mp, const std::string& scenario) {
    return cost_of(*mp, scenario);
  }, py::arg("model"), py::arg("scenario"));
  m.def("tornado", [](const std::shared_ptr<model>& mp, const std::string& scenario, double low,
                      double high) { return tornado_of(*mp, scenario, low, high); },
        py::arg("model"), py::arg("scenario"), py::arg("low") = 0.1, py::arg("high") = 0.9);
  m.def("rank_correlations",
        [](const std::shared_ptr<model>& mp, const std::string& scenario, std::uint64_t trials,
           std::uint64_t seed, unsigned threads) {
          return rank_correlations_of(*mp, scenario, trials, seed, threads);
        },
        py::arg("model"), py::arg("scenario"), py::arg("trials"), py::arg("seed"),
        py::arg("threads") = 0u);

  // Mitigations: each measure arrives as the changed model (built in Python
  // from the changed specification), so no Python code runs in the engine.
  m.def("compare_mitigations",
        [](const std::shared_ptr<model>& base, const std::vector<std::string>& names,
           const std::vector<double>& costs, const std::vector<std::shared_ptr<model>>& changed,
           std::uint64_t trials, std::uint64_t seed, std::vector<std::string> scenarios,
           unsigned threads, const py::object& progress, const std::vector<double>& subsidy_rates,
           const std::vector<double>& subsidy_caps) {
          if (names.size() != costs.size() || names.size() != changed.size() ||
              (!subsidy_rates.empty() && subsidy_rates.size() != names.size()) ||
              (!subsidy_caps.empty() && subsidy_caps.size() != names.size()))
            throw value_error("mitigations", {}, "measures",
                              "names, costs, subsidies and models differ in length");
          std::vector<mitigation<double>> measures;
          for (std::size_t k = 0; k < names.size(); ++k) {
            const auto spec = changed[k]->spec();
            measures.push_back({names[k], costs[k], [spec](model_spec& s) { s = spec; }});
            if (!subsidy_rates.empty()) measures.back().subsidy_rate = subsidy_rates[k];
            if (!subsidy_caps.empty()) measures.back().subsidy_cap = subsidy_caps[k];
          }
          auto cmp = run_comparison(std::move(scenarios), threads, progress,
                                    [&](const simulation_options<double>& so, const run_options& o) {
                                      return compare_mitigations(*base, measures, trials, seed, so, o);
                                    });
          py::list outcomes;
          for (auto& oc : cmp.measures) {
            py::dict d;
            d["name"] = oc.name;
            d["annual_cost"] = oc.annual_cost;
            d["ale_reduction"] = oc.ale_reduction;
            d["ale_reduction_se"] = oc.ale_reduction_se;
            d["rosi"] = oc.rosi;
            d["subsidy"] = oc.subsidy;
            d["net_cost"] = oc.net_cost;
            d["loss"] = py::cast(std::move(oc.loss));
            outcomes.append(d);
          }
          return py::make_tuple(py::cast(std::move(cmp.baseline)), outcomes);
        },
        py::arg("model"), py::arg("names"), py::arg("costs"), py::arg("models"), py::arg("trials"),
        py::arg("seed"), py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("subsidy_rates") = std::vector<double>{},
        py::arg("subsidy_caps") = std::vector<double>{});

  // The ransom decision: both policies' full results (so that analysts can
  // plot and break them down), and their paired difference.
  m.def("compare_ransom_policies",
        [](const std::shared_ptr<model>& mp, std::uint64_t trials, std::uint64_t seed,
           std::vector<std::string> scenarios, unsigned threads, const py::object& progress) {
          auto d = run_comparison(std::move(scenarios), threads, progress,
                                  [&](const simulation_options<double>& so, const run_options& o) {
                                    return compare_ransom_policies(*mp, trials, seed, so, o);
                                  });
          py::dict out;
          out["scenarios"] = d.scenarios;
          auto restore = std::make_shared<result_handle>(), pay = std::make_shared<result_handle>();
          restore->r = std::move(d.restore);
          pay->r = std::move(d.pay);
          out["restore"] = py::cast(restore);
          out["pay"] = py::cast(pay);
          out["difference"] = d.difference.mean;
          out["difference_se"] = d.difference.standard_error;
          out["pay_cheaper"] = d.pay_cheaper;
          out["pay_dearer"] = d.pay_dearer;
          return out;
        },
        py::arg("model"), py::arg("trials"), py::arg("seed"),
        py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
        py::arg("progress") = py::none());
}

} // namespace continuity::python
