// Bindings of recovery planning (recovery/): plans, timelines, outcomes and
// gap reports.
#include "common.hpp"

namespace continuity::python {
namespace {

/// A plan with the model it belongs to.
struct plan_handle {
  model_ptr m;
  recovery_plan<double> plan;
  std::string scenario;
};

const char* activity_kind_name(recovery_activity_kind k) {
  switch (k) {
  case recovery_activity_kind::step: return "step";
  case recovery_activity_kind::data_reentry: return "data_reentry";
  case recovery_activity_kind::back_degraded: return "back_degraded";
  case recovery_activity_kind::back_full: return "back_full";
  }
  return "step";
}

std::shared_ptr<plan_handle> make_plan(const std::shared_ptr<model>& m, const std::string& scenario,
                                       bool improve, const std::string& objective,
                                       std::size_t budget, std::uint64_t seed,
                                       std::vector<std::string> order) {
  recovery_options<double> o;
  o.improve = improve;
  const auto obj = parse_plan_objective(objective);
  if (!obj)
    throw value_error("recovery options", {}, "objective",
                      "unknown objective '" + objective +
                          "' (makespan, weighted_rto_tardiness or business_impact)");
  o.objective = *obj;
  o.search.schedule_budget = budget;
  o.search.seed = seed;
  o.order = std::move(order);
  const index_t i = scenario_index(*m, scenario);
  auto plan = interruptible([&](const std::atomic<bool>& cancel) {
    o.search.cancel = &cancel;
    return plan_recovery(*m, i, o);
  });
  return std::make_shared<plan_handle>(plan_handle{m, std::move(plan), scenario});
}

py::dict timeline(const plan_handle& h) {
  const auto& rp = h.plan.project;
  const auto& p = rp.project();
  const auto& sch = h.plan.schedule;
  const std::size_t n = rp.activities().size();
  std::vector<std::string> label(n), system(n), kind(n), phase(n), step(n), resources(n);
  std::vector<double> start(n), finish(n);
  for (std::size_t a = 0; a < n; ++a) {
    const auto& act = rp.activity(a);
    label[a] = rp.label(a);
    system[a] = system_name(*h.m, act.system);
    kind[a] = activity_kind_name(act.kind);
    phase[a] = to_string(act.phase);
    step[a] = to_string(act.step);
    start[a] = sch.start(a);
    finish[a] = sch.finish(a);
    std::string used;
    for (const auto& d : p.demands(a))
      used += (used.empty() ? "" : ", ") + p.resource_name(d.resource) + " x" +
              std::to_string(d.units);
    resources[a] = std::move(used);
  }
  py::dict d;
  d["activity"] = label;
  d["system"] = system;
  d["kind"] = kind;
  d["phase"] = phase;
  d["step"] = step;
  d["start_h"] = to_numpy(std::move(start));
  d["finish_h"] = to_numpy(std::move(finish));
  d["resources"] = resources;
  return d;
}

py::dict systems(const plan_handle& h) {
  const auto& m = *h.m;
  const auto& rp = h.plan.project;
  std::vector<std::string> name, limited;
  std::vector<std::uint8_t> damaged, dflt;
  std::vector<double> deg, full, own, alone, ready, capacity, records, reentry;
  for (index_t s = 0; s < m.system_count(); ++s) {
    const auto& so = h.plan.outcome.systems[s];
    if (!so.down) continue;
    name.push_back(m.system_at(s).name);
    damaged.push_back(so.damaged);
    dflt.push_back(so.damaged && rp.uses_default_procedure(s));
    deg.push_back(so.back_degraded);
    full.push_back(so.back_full);
    own.push_back(so.own_back);
    alone.push_back(so.unconstrained_back);
    ready.push_back(so.data_ready);
    limited.push_back(system_name(m, so.limited_by));
    capacity.push_back(so.damaged ? rp.emergency_capacity(s) : 1.0);
    records.push_back(so.damaged ? rp.lost_records(s) : 0.0);
    reentry.push_back(so.damaged ? rp.reentry_hours(s) : 0.0);
  }
  py::dict d;
  d["system"] = name;
  d["damaged"] = to_bool_numpy(damaged);
  d["default_procedure"] = to_bool_numpy(dflt);
  d["back_degraded_h"] = to_numpy(std::move(deg));
  d["back_full_h"] = to_numpy(std::move(full));
  d["own_back_h"] = to_numpy(std::move(own));
  d["unconstrained_back_h"] = to_numpy(std::move(alone));
  d["data_ready_h"] = to_numpy(std::move(ready));
  d["limited_by"] = limited;
  d["emergency_capacity"] = to_numpy(std::move(capacity));
  d["lost_records"] = to_numpy(std::move(records));
  d["reentry_hours"] = to_numpy(std::move(reentry));
  return d;
}

py::dict functions(const plan_handle& h) {
  const auto& m = *h.m;
  const index_t nf = m.function_count();
  std::vector<std::string> name(nf), cls(nf), limited(nf);
  std::vector<std::uint8_t> down(nf);
  std::vector<double> rto(nf), deg(nf), full(nf), resumed(nf), mtpd(nf), ws(nf), we(nf), lost(nf),
      profit(nf), curve(nf), impact(nf);
  for (index_t f = 0; f < nf; ++f) {
    const auto& fo = h.plan.outcome.functions[f];
    name[f] = m.function_at(f).name;
    cls[f] = to_string(m.function_class(f));
    down[f] = fo.down;
    rto[f] = m.function_rto(f);
    mtpd[f] = m.function_mtpd(f);
    deg[f] = fo.back_degraded;
    full[f] = fo.back_full;
    resumed[f] = fo.resumed;
    limited[f] = system_name(m, fo.limited_by);
    ws[f] = fo.workaround_start;
    we[f] = fo.workaround_end;
    lost[f] = fo.lost_output_hours;
    profit[f] = fo.lost_profit;
    curve[f] = fo.curve_impact;
    impact[f] = fo.business_impact();
  }
  py::dict d;
  d["function"] = name;
  d["priority_class"] = cls;
  d["down"] = to_bool_numpy(down);
  d["rto_h"] = to_numpy(std::move(rto));
  d["back_degraded_h"] = to_numpy(std::move(deg));
  d["back_full_h"] = to_numpy(std::move(full));
  d["resumed_h"] = to_numpy(std::move(resumed));
  d["mtpd_h"] = to_numpy(std::move(mtpd));
  d["limited_by"] = limited;
  d["workaround_start_h"] = to_numpy(std::move(ws));
  d["workaround_end_h"] = to_numpy(std::move(we));
  d["lost_output_hours"] = to_numpy(std::move(lost));
  d["lost_profit"] = to_numpy(std::move(profit));
  d["curve_impact"] = to_numpy(std::move(curve));
  d["business_impact"] = to_numpy(std::move(impact));
  return d;
}

// One row per impact curve of a function the incident stops: its name
// (category), unit (the model's currency for money) and impact.
py::dict impacts(const plan_handle& h) {
  const auto& m = *h.m;
  std::vector<std::string> function, curve, unit;
  std::vector<std::uint8_t> money;
  std::vector<double> impact;
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fo = h.plan.outcome.functions[f];
    if (!fo.down) continue;
    const auto& fn = m.function_at(f);
    for (std::size_t k = 0; k < fn.impact.size(); ++k) {
      function.push_back(fn.name);
      curve.push_back(fn.impact[k].category);
      const bool is_money = m.impact_in_money(f, k);
      unit.push_back(is_money ? m.currency() : fn.impact[k].unit);
      money.push_back(is_money ? 1 : 0);
      impact.push_back(fo.curve_impacts[k]);
    }
  }
  py::dict d;
  d["function"] = function;
  d["curve"] = curve;
  d["unit"] = unit;
  d["money"] = to_bool_numpy(money);
  d["impact"] = to_numpy(std::move(impact));
  return d;
}

// The scenario's incident-response timeline, then "recovery work can start"
// at the plan's release time, by time (ties: as given).
py::dict response(const plan_handle& h) {
  const auto& m = *h.m;
  const auto& sit = h.plan.project.situation();
  std::vector<response_phase<double>> phases;
  if (sit.scenario != no_index) phases = m.scenario_at(sit.scenario).response;
  phases.push_back({"recovery work can start", response_kind::recovery_start, sit.detection_time,
                    "detection and containment done; the plan's first step"});
  std::stable_sort(phases.begin(), phases.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  std::vector<std::string> name, kind, description;
  std::vector<double> at;
  for (const auto& p : phases) {
    name.push_back(p.name);
    kind.push_back(std::string(to_string(p.kind)));
    description.push_back(p.description);
    at.push_back(p.at);
  }
  py::dict d;
  d["phase"] = name;
  d["kind"] = kind;
  d["at_h"] = to_numpy(std::move(at));
  d["description"] = description;
  return d;
}

// The scenario's notification duties: whom, the deadline and the planned
// time in hours from the incident, and whether it is late, by planned time
// (ties: as given).
py::dict notifications(const plan_handle& h) {
  const auto& m = *h.m;
  const auto& sit = h.plan.project.situation();
  std::vector<const notification_duty<double>*> duties;
  const incident_scenario<double>* sc = nullptr;
  if (sit.scenario != no_index) {
    sc = &m.scenario_at(sit.scenario);
    for (const auto& d : sc->notifications) duties.push_back(&d);
  }
  std::stable_sort(duties.begin(), duties.end(),
                   [](const auto* a, const auto* b) { return a->at < b->at; });
  std::vector<std::string> name, to, preset, description;
  std::vector<double> due, at;
  std::vector<std::uint8_t> late;
  for (const auto* d : duties) {
    name.push_back(d->name);
    to.push_back(d->to);
    preset.push_back(d->preset);
    description.push_back(d->description);
    due.push_back(sc->detected_at() + d->due);
    at.push_back(d->at);
    late.push_back(sc->is_late(*d));
  }
  py::dict out;
  out["notification"] = name;
  out["to"] = to;
  out["due_h"] = to_numpy(std::move(due));
  out["at_h"] = to_numpy(std::move(at));
  out["late"] = to_bool_numpy(late);
  out["preset"] = preset;
  out["description"] = description;
  return out;
}

py::dict escalation(const plan_handle& h) {
  const auto& m = *h.m;
  std::vector<std::string> function, curve, unit;
  std::vector<std::int64_t> level;
  std::vector<std::uint8_t> reached;
  std::vector<double> after, missing, impact;
  for (const auto& l : impact_escalation(m, h.plan.outcome)) {
    const auto& c = m.function_at(l.function).impact[l.curve];
    function.push_back(m.function_at(l.function).name);
    curve.push_back(c.category);
    unit.push_back(m.impact_in_money(l.function, l.curve) ? m.currency() : c.unit);
    level.push_back(static_cast<std::int64_t>(l.step) + 1);
    after.push_back(l.after);
    reached.push_back(l.reached ? 1 : 0);
    missing.push_back(l.missing);
    impact.push_back(l.impact);
  }
  py::dict d;
  d["function"] = function;
  d["curve"] = curve;
  d["unit"] = unit;
  d["level"] = to_numpy(std::move(level));
  d["after_h"] = to_numpy(std::move(after));
  d["reached"] = to_bool_numpy(reached);
  d["missing_output"] = to_numpy(std::move(missing));
  d["impact"] = to_numpy(std::move(impact));
  return d;
}

// What `h` changes against `reference` (a plan of the same incident).
py::dict explain(const plan_handle& h, const plan_handle& reference) {
  if (h.m != reference.m || h.scenario != reference.scenario)
    throw value_error("plan explanation", {}, "reference",
                      "must be a plan of the same model and scenario ('" + h.scenario + "')");
  const auto& m = *h.m;
  const auto e = explain_plan(m, reference.plan, h.plan);
  auto systems = [&](const std::vector<system_change<double>>& v, const char* change) {
    py::dict d;
    std::vector<std::string> name, what;
    std::vector<double> before, after;
    for (const auto& c : v) {
      name.push_back(m.system_at(c.system).name);
      what.push_back(change);
      before.push_back(c.reference_back);
      after.push_back(c.plan_back);
    }
    d["system"] = name;
    d["change"] = what;
    d["reference_back_h"] = to_numpy(std::move(before));
    d["plan_back_h"] = to_numpy(std::move(after));
    return d;
  };
  std::vector<std::string> fname;
  std::vector<double> fbefore, fafter, fchange;
  for (const auto& c : e.functions) {
    fname.push_back(m.function_at(c.function).name);
    fbefore.push_back(c.reference_back);
    fafter.push_back(c.plan_back);
    fchange.push_back(c.impact_change);
  }
  py::dict functions;
  functions["function"] = fname;
  functions["reference_back_h"] = to_numpy(std::move(fbefore));
  functions["plan_back_h"] = to_numpy(std::move(fafter));
  functions["impact_change"] = to_numpy(std::move(fchange));
  py::dict d;
  d["lines"] = e.lines;
  d["reference_value"] = e.reference_value;
  d["plan_value"] = e.plan_value;
  d["earlier"] = systems(e.earlier, "earlier");
  d["later"] = systems(e.later, "later");
  d["functions"] = functions;
  return d;
}

py::tuple profile(const capacity_profile<double>& p) {
  const auto t = p.times();
  const auto v = p.values();
  return py::make_tuple(to_numpy(std::vector<double>(t.begin(), t.end())),
                        to_numpy(std::vector<double>(v.begin(), v.end())));
}

py::dict gaps(const plan_handle& h) {
  const auto& m = *h.m;
  const auto report = find_gaps(m, h.plan);
  std::vector<std::string> kind, function, system, cause, message;
  std::vector<double> objective, achieved, capacity;
  for (const auto& g : report.gaps) {
    capacity.push_back(g.kind == gap_kind::minimum_capacity ? g.capacity
                                                            : std::numeric_limits<double>::quiet_NaN());
    kind.push_back(std::string(to_string(g.kind)));
    function.push_back(function_name(m, g.function));
    system.push_back(system_name(m, g.system));
    objective.push_back(g.objective);
    achieved.push_back(g.achieved);
    cause.push_back(g.cause);
    message.push_back(g.message);
  }
  py::dict d;
  d["kind"] = kind;
  d["function"] = function;
  d["system"] = system;
  d["objective_h"] = to_numpy(std::move(objective));
  d["achieved_h"] = to_numpy(std::move(achieved));
  d["capacity"] = to_numpy(std::move(capacity));
  d["cause"] = cause;
  d["message"] = message;
  return d;
}

} // namespace

void register_recovery(py::module_& m) {
  py::class_<plan_handle, std::shared_ptr<plan_handle>>(m, "RecoveryPlan")
      .def_property_readonly("scenario", [](const plan_handle& h) { return h.scenario; })
      .def_property_readonly("makespan", [](const plan_handle& h) { return h.plan.makespan; })
      .def_property_readonly("business_impact",
                             [](const plan_handle& h) { return h.plan.business_impact; })
      .def_property_readonly("weighted_rto_tardiness",
                             [](const plan_handle& h) { return h.plan.weighted_rto_tardiness; })
      .def_property_readonly("lower_bound",
                             [](const plan_handle& h) { return h.plan.lower_bound; })
      .def_property_readonly("objective",
                             [](const plan_handle& h) {
                               return std::string(to_string(h.plan.objective_used));
                             })
      .def_property_readonly("schedules_generated",
                             [](const plan_handle& h) { return h.plan.schedules_generated; })
      .def_property_readonly("recovery_order",
                             [](const plan_handle& h) {
                               std::vector<std::string> v;
                               for (index_t s : h.plan.recovery_order)
                                 v.push_back(h.m->system_at(s).name);
                               return v;
                             })
      .def_property_readonly("capacities",
                             [](const plan_handle& h) {
                               const auto c = h.plan.project.capacities();
                               return std::vector<int>(c.begin(), c.end());
                             })
      .def("timeline", &timeline)
      .def("systems", &systems)
      .def("functions", &functions)
      .def("impacts", &impacts)
      .def("escalation", &escalation)
      .def("response", &response)
      .def("notifications", &notifications)
      .def("business_impact_until", [](const plan_handle& h, double hours) {
        return business_impact_until(*h.m, h.plan.project, h.plan.outcome, hours);
      }, py::arg("hours"))
      .def("explain", &explain, py::arg("reference"))
      .def("gaps", &gaps)
      .def("function_output",
           [](const plan_handle& h, const std::string& name, bool workaround) {
             const auto& fo = h.plan.outcome.functions[function_index(*h.m, name)];
             return profile(workaround ? fo.output : fo.system_output);
           },
           py::arg("function"), py::arg("workaround") = true)
      .def("system_capacity", [](const plan_handle& h, const std::string& name) {
        const auto s = h.m->find_system(name);
        if (!s)
          throw reference_error("model", h.m->name(), "system", "unknown system '" + name + "'");
        return profile(h.plan.outcome.systems[*s].capacity);
      });
  m.def("plan_recovery", &make_plan, py::arg("model"), py::arg("scenario"),
        py::arg("improve") = false, py::arg("objective") = "business_impact",
        py::arg("budget") = std::size_t(2000), py::arg("seed") = std::uint64_t(0),
        py::arg("order") = std::vector<std::string>{});
}

} // namespace continuity::python
