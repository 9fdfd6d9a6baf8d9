// The main demo: loads example models and prints their business impact
// analysis — priority classes, objectives inherited by each system, what
// goes down under each scenario and the data lost, single points of failure,
// for each scenario the staff-constrained recovery plan (two phases,
// capacity over time) with its gap report and the cost of one incident, the
// Monte Carlo annual loss, for the hospital and the gym what their measures
// are worth, and for every model with ransom terms the ransom decision.
//
//   continuity_demo examples/manufacturer_a.json examples/retailer_b.json examples/hospital.json
#include <continuity/continuity.hpp>
#include <continuity/io.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

using namespace continuity;

std::string hours(double h) {
  if (std::isinf(h)) return "none";
  char buf[32];
  if (h >= 48)
    std::snprintf(buf, sizeof buf, std::fmod(h, 24) == 0 ? "%.0f d" : "%.1f d", h / 24);
  else
    std::snprintf(buf, sizeof buf, std::fmod(h, 1) == 0 ? "%.0f h" : "%.1f h", h);
  return buf;
}

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string s = buf, out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string format_rate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void rule(const char* title) { std::printf("\n-- %s\n", title); }

void print_priorities(const model& m) {
  rule("Priority classes (importance x system dependency)");
  std::printf("  %-26s %4s %4s %5s %8s %8s %8s %10s\n", "business function", "imp", "dep", "class",
              "RTO", "RPO", "MTPD", "RTO+WRT");
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fn = m.function_at(f);
    std::printf("  %-26s %4d %4d %5s %8s %8s %8s %10s%s\n", fn.name.c_str(), fn.importance,
                fn.system_dependency, std::string(to_string(m.function_class(f))).c_str(),
                hours(m.function_rto(f)).c_str(), hours(m.function_rpo(f)).c_str(),
                hours(m.function_mtpd(f)).c_str(), hours(m.function_rto(f) + fn.wrt).c_str(),
                fn.emergency ? "  (emergency: always S)" : "");
  }
}

void print_inherited(const model& m) {
  rule("Objectives inherited by each system (tightest of the functions that need it)");
  const auto& in = m.system_objectives();
  std::printf("  %-26s %-14s %5s %8s %8s  %s\n", "system", "layer", "class", "RTO", "RPO",
              "set by");
  for (index_t s : m.graph().dependency_order()) {
    const auto& sys = m.system_at(s);
    if (!in.is_needed(s)) {
      std::printf("  %-26s %-14s %5s %8s %8s  %s\n", sys.name.c_str(),
                  std::string(to_string(sys.layer)).c_str(), "-", "-", "-",
                  "(no function needs it)");
      continue;
    }
    std::printf("  %-26s %-14s %5s %8s %8s  %s\n", sys.name.c_str(),
                std::string(to_string(sys.layer)).c_str(),
                std::string(to_string(in.priority[s])).c_str(), hours(in.rto[s]).c_str(),
                hours(in.rpo[s]).c_str(), m.function_at(in.rto_function[s]).name.c_str());
  }
  const auto& g = m.graph();
  for (index_t c = 0; c < g.component_count(); ++c) {
    auto members = g.component_members(c);
    if (members.size() < 2) continue;
    std::printf("  recovered together (dependency cycle):");
    for (index_t s : members) std::printf(" '%s'", m.system_at(s).name.c_str());
    std::printf("\n");
  }
}

void print_scenario(const model& m, index_t i) {
  const auto& sc = m.scenario_at(i);
  std::string title = "Scenario '" + sc.name + "' (" + std::string(to_string(sc.kind)) + ", " +
                      format_rate(sc.annual_frequency) + " per year)";
  rule(title.c_str());
  const auto hit = propagate_impact(m, i);
  std::printf("  damaged initially: %zu systems; down after propagation: %u of %u systems\n",
              m.damaged_systems(i).size(), hit.systems_down, m.system_count());
  std::printf("  down:");
  for (index_t s = 0; s < m.system_count(); ++s)
    if (hit.is_down(s)) std::printf(" '%s'", m.system_at(s).name.c_str());
  std::printf("\n  business functions stopped: %u of %u\n", hit.functions_down, m.function_count());
  for (index_t f = 0; f < m.function_count(); ++f) {
    if (!hit.function_down[f]) continue;
    // Follow the causes back to a directly damaged system.
    std::string chain;
    for (index_t s = hit.function_cause[f];; s = hit.system_cause[s]) {
      chain += (chain.empty() ? "" : " <- ") + m.system_at(s).name;
      if (hit.system_cause[s] == s) break;
    }
    const auto& fn = m.function_at(f);
    std::printf("    %-26s class %s, RTO %s; because %s%s\n", fn.name.c_str(),
                std::string(to_string(m.function_class(f))).c_str(),
                hours(m.function_rto(f)).c_str(), chain.c_str(),
                fn.workaround && fn.workaround->capacity > 0 ? "; manual workaround available"
                                                             : "");
  }
  const auto loss = realised_data_loss(m, i);
  bool header = false;
  for (index_t s = 0; s < m.system_count(); ++s) {
    if (!loss[s].data_destroyed) continue;
    if (!header) {
      std::printf("  data lost (realised RPO vs inherited RPO objective):\n");
      header = true;
    }
    const auto& sys = m.system_at(s);
    const double obj = m.system_objectives().rpo[s];
    std::string from = loss[s].backup == no_index
                           ? "no backup survives"
                           : "restore from " + sys.backups[loss[s].backup].medium + " (" +
                                 std::string(to_string(sys.backups[loss[s].backup].mode)) + ")";
    const bool breach = loss[s].rpo > obj;
    std::printf("    %-26s realised %-8s objective %-8s %s%s\n", sys.name.c_str(),
                std::isinf(loss[s].rpo) ? "ALL" : hours(loss[s].rpo).c_str(), hours(obj).c_str(),
                from.c_str(), breach ? "  ** BREACH" : "");
  }
}

void print_recovery(const model& m, index_t i) {
  const auto plan = plan_recovery(m, i);
  const auto& rp = plan.project;
  std::string pools;
  for (std::size_t r = 0; r < rp.capacities().size(); ++r)
    pools += (pools.empty() ? "" : ", ") + std::to_string(rp.capacities()[r]) + " " +
             m.resources()[r].name;
  std::printf("  recovery plan (priority rule: class, then RTO slack) with %s:\n", pools.c_str());
  std::printf("    all recovery work done after %s; business impact %s %s\n",
              hours(plan.makespan).c_str(), money(plan.business_impact).c_str(),
              m.spec().currency.c_str());
  plan_options better;
  better.improve = true;
  better.search.seed = 1;
  const auto improved = plan_recovery(m, i, better);
  std::printf("    improving search (%zu plans): business impact %s (%+.1f %%), makespan %s\n",
              improved.schedules_generated, money(improved.business_impact).c_str(),
              plan.business_impact > 0
                  ? 100.0 * (improved.business_impact - plan.business_impact) / plan.business_impact
                  : 0.0,
              hours(improved.makespan).c_str());
  std::printf("    no plan can do better than %s (every system with the staff to itself): "
              "within %.1f %% of the optimum\n",
              money(improved.lower_bound).c_str(),
              improved.business_impact > 0
                  ? 100.0 * (improved.business_impact - improved.lower_bound) / improved.business_impact
                  : 0.0);
  std::printf("    what the improved plan changes against the rule's:\n");
  for (const auto& line : explain_plan(m, plan, improved).lines)
    std::printf("      %s\n", line.c_str());
  std::printf("    %-28s %5s %12s %12s %12s\n", "recovery order (systems)", "class", "alone",
              "in the plan", "full");
  const auto& in = m.system_objectives();
  for (index_t s : plan.recovery_order) {
    const auto& so = plan.outcome.systems[s];
    std::printf("    %-28s %5s %12s %12s %12s%s\n", m.system_at(s).name.c_str(),
                in.is_needed(s) ? std::string(to_string(in.priority[s])).c_str() : "-",
                hours(so.unconstrained_back).c_str(), hours(so.own_back).c_str(),
                hours(so.back_full).c_str(), rp.uses_default_procedure(s) ? "  (default procedure)" : "");
  }
  std::printf("    %-28s %8s %10s %10s %10s %10s %14s\n", "business function", "RTO", "back",
              "full", "resumed", "MTPD", "impact");
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fo = plan.outcome.functions[f];
    if (!fo.down) continue;
    std::printf("    %-28s %8s %10s %10s %10s %10s %14s\n", m.function_at(f).name.c_str(),
                hours(m.function_rto(f)).c_str(), hours(fo.back_degraded).c_str(),
                hours(fo.back_full).c_str(), hours(fo.resumed).c_str(),
                hours(m.function_mtpd(f)).c_str(), money(fo.business_impact()).c_str());
  }
  // Capacity over time: the two phases, and the manual workaround.
  for (index_t s : plan.recovery_order) {
    if (rp.back_full(s) == rp.back_degraded(s)) continue;
    const auto& so = plan.outcome.systems[s];
    std::printf("    '%s': phase 1 back at %.0f %% after %s", m.system_at(s).name.c_str(),
                100.0 * rp.emergency_capacity(s), hours(so.own_back).c_str());
    if (rp.stop_begins(s) != no_activity)
      std::printf("; phase 2 stops it for the switch-back from %s to %s",
                  hours(plan.schedule.start(rp.stop_begins(s))).c_str(),
                  hours(plan.schedule.finish(rp.stop_ends(s))).c_str());
    std::printf("; full capacity after %s\n", hours(so.back_full).c_str());
  }
  for (index_t s : m.systems_by_name()) {
    const std::size_t a = rp.data_reentry(s);
    if (a == no_activity) continue;
    std::printf("    data re-entry of '%s': %.0f lost records (%s of data) re-entered by hand, "
                "%.0f staff-hours, from %s to %s\n",
                m.system_at(s).name.c_str(), rp.lost_records(s),
                hours(rp.situation().data[s].rpo).c_str(), rp.reentry_hours(s),
                hours(plan.schedule.start(a)).c_str(), hours(plan.schedule.finish(a)).c_str());
  }
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fo = plan.outcome.functions[f];
    if (!fo.down || !std::isfinite(fo.workaround_start)) continue;
    std::string steps;
    const auto t = fo.output.times();
    const auto v = fo.output.values();
    for (std::size_t k = 0; k < t.size(); ++k)
      steps += (steps.empty() ? "" : ", ") + std::string("from ") + hours(t[k]) + " " +
               std::to_string(static_cast<int>(std::lround(100 * v[k]))) + " %";
    std::printf("    output of '%s' (manual work while down): %s\n", m.function_at(f).name.c_str(),
                steps.c_str());
  }
  const auto report = find_gaps(m, plan);
  std::printf("  gap report: %zu breach%s\n", report.gaps.size(),
              report.gaps.size() == 1 ? "" : "es");
  for (const auto& g : report.gaps)
    std::printf("    [%s] %s\n", std::string(to_string(g.kind)).c_str(), g.message.c_str());
}

void print_cost(const model& m, index_t i) {
  const incident_simulation<double> sim(m);
  const auto c = sim.point_cost(i);
  const auto names = cost_line_names(m, i);
  std::printf("  cost of one incident at point values: %s %s", money(c.total).c_str(),
              m.spec().currency.c_str());
  const double share = share_of_annual_revenue(m, c.total);
  if (std::isfinite(share))
    std::printf(" (%.2f %% of annual revenue, %s)", 100 * share, money(annual_revenue(m)).c_str());
  std::printf("\n");
  for (std::size_t l = 0; l < names.size(); ++l)
    if (c.by_line[l] != 0) std::printf("    %-40s %14s\n", names[l].c_str(), money(c.by_line[l]).c_str());
  std::printf("    by category:");
  for (std::size_t k = 0; k < cost_category_count; ++k)
    std::printf(" %s %s", std::string(to_string(static_cast<cost_category>(k))).c_str(),
                money(c.by_category[k]).c_str());
  std::printf("\n");
  const auto bars = tornado(m, i);
  if (bars.empty()) return;
  std::printf("  what drives it (tornado: each input at its 10 %% and 90 %% quantiles):\n");
  for (std::size_t b = 0; b < bars.size() && b < 5; ++b)
    std::printf("    %-58s %14s .. %-14s\n", bars[b].input.c_str(), money(bars[b].low_cost).c_str(),
                money(bars[b].high_cost).c_str());
  const auto rho = rank_correlations(sim, i, 2'000, 1);
  std::printf("  what drives it (all inputs random at once, 2,000 incidents: Spearman rank correlation "
              "with the cost):\n");
  for (std::size_t k = 0; k < rho.size() && k < 5; ++k)
    std::printf("    %-58s %+.2f\n", rho[k].input.c_str(), rho[k].rank_correlation);
}

void print_simulation(const model& m, std::uint64_t trials, std::uint64_t seed) {
  const incident_simulation<double> sim(m);
  if (sim.scenarios().empty()) return;
  const auto r = run(sim, trials, seed);
  const loss_statistics<double> st(r.annual_loss);
  char title[160];
  std::snprintf(title, sizeof title, "Annual loss, Monte Carlo (%llu years, seed %llu)",
                static_cast<unsigned long long>(trials), static_cast<unsigned long long>(seed));
  rule(title);
  std::printf("  ALE (mean) %s ± %s (standard error); standard deviation %s\n",
              money(st.mean()).c_str(), money(st.standard_error()).c_str(),
              money(st.standard_deviation()).c_str());
  std::printf("  P50 %s  P90 %s  P95 %s  P99 %s  P99.9 %s\n", money(st.quantile(0.5)).c_str(),
              money(st.quantile(0.9)).c_str(), money(st.quantile(0.95)).c_str(),
              money(st.quantile(0.99)).c_str(), money(st.quantile(0.999)).c_str());
  std::printf("  VaR 99 %% %s, TVaR 99 %% %s; P(loss > 0 in a year) %.3f\n",
              money(st.value_at_risk(0.99)).c_str(), money(st.tail_value_at_risk(0.99)).c_str(),
              st.exceedance_probability(0.0));
  if (!m.insurance().empty()) {
    const loss_statistics<double> insured(r.insured_loss), retained(r.retained_loss);
    std::printf("  insurance: insured %s a year on average, retained %s; P99 retained %s "
                "(gross %s)\n",
                money(insured.mean()).c_str(), money(retained.mean()).c_str(),
                money(retained.quantile(0.99)).c_str(), money(st.quantile(0.99)).c_str());
  }
  std::printf("  mean by category:");
  for (std::size_t k = 0; k < cost_category_count; ++k)
    std::printf(" %s %s", std::string(to_string(static_cast<cost_category>(k))).c_str(),
                money(r.breakdown.col(static_cast<Eigen::Index>(k)).mean()).c_str());
  std::printf("\n  probability in a year of breaching (RTO / MTPD):\n");
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto rto = r.breakdown.col(static_cast<Eigen::Index>(sim.rto_breach_column(f)));
    const auto mtpd = r.breakdown.col(static_cast<Eigen::Index>(sim.mtpd_breach_column(f)));
    const double p_rto = (rto > 0).cast<double>().mean(), p_mtpd = (mtpd > 0).cast<double>().mean();
    if (p_rto > 0 || p_mtpd > 0)
      std::printf("    %-28s %.4f / %.4f\n", m.function_at(f).name.c_str(), p_rto, p_mtpd);
  }
}

// An offline, off-site backup every `interval` hours keeping `generations`.
backup<double> offline_copy(double interval, unsigned generations, const char* medium,
                            double restore_time) {
  backup<double> b;
  b.interval = interval;
  b.generations = generations;
  b.medium = medium;
  b.mode = backup_mode::offline;
  b.offsite = true;
  b.restore_time = restore_time;
  return b;
}

// The hospital's measures (docs/domain.md section 7): zoning the flat network,
// an offline, off-site backup of every data-holding server, both, and a
// recovery order prepared and rehearsed beforehand (the improved plan's order
// for the ransomware attack, followed in every simulated incident; a yearly
// exercise costs about 0.5 m yen).
std::vector<mitigation<double>> hospital_measures(const model& m) {
  plan_options search;
  search.improve = true;
  search.search.seed = 1;
  std::vector<std::string> order;
  for (index_t s : plan_recovery(m, m.scenario_named("ransomware through the VPN"), search).recovery_order)
    order.push_back(m.system_at(s).name);
  mitigation<double> prepared{"prepared recovery order (rehearsed yearly)", 500000.0,
                              [order](model_spec& s) { s.recovery_order = order; }};
  mitigation<double> zoning{"zoning (DMZ for the VPN, server, clinical and device zones)", 15000000.0,
                            [](model_spec& s) {
                              for (auto& sys : s.systems) {
                                if (sys.segment != "hospital LAN") continue;
                                if (sys.name == "VPN device")
                                  sys.segment = "vendor DMZ";
                                else if (sys.name == "client PCs")
                                  sys.segment = "clinical LAN";
                                else if (sys.name == "medical devices")
                                  sys.segment = "device zone";
                                else
                                  sys.segment = "server zone";
                              }
                              for (auto& sc : s.scenarios)
                                if (sc.spread)
                                  sc.spread->connections = {{"vendor DMZ", "server zone", 0.3},
                                                            {"vendor DMZ", "clinical LAN", 0.1},
                                                            {"server zone", "clinical LAN", 0.4},
                                                            {"clinical LAN", "device zone", 0.2}};
                            }};
  mitigation<double> offline{"offline off-site backup (daily, 14 generations)", 3000000.0,
                             [](model_spec& s) {
                               for (auto& sys : s.systems)
                                 if (sys.has_data() && sys.layer == asset_layer::software)
                                   sys.backups.push_back(offline_copy(24, 14, "LTO tape", 12));
                             }};
  mitigation<double> both{"both", zoning.annual_cost + offline.annual_cost,
                          [z = zoning.apply, o = offline.apply](model_spec& s) {
                            z(s);
                            o(s);
                          }};
  // A control (docs/domain.md section 7: the root cause in all three
  // hospital cases): patch the VPN device, require multi-factor
  // authentication and open vendor remote access only on request. It makes
  // the attack rarer (0.08 to 0.02 a year) rather than cheaper; half of its
  // cost is paid by a security subsidy, up to 1 m yen a year.
  mitigation<double> control{"VPN patching, MFA, vendor access on request (control)", 2400000.0,
                             [](model_spec& s) {
                               for (auto& sc : s.scenarios)
                                 if (sc.name == "ransomware through the VPN") sc.annual_frequency = 0.02;
                             }};
  control.subsidy_rate = 0.5;
  control.subsidy_cap = 1000000.0;
  return {zoning, offline, both, prepared, control};
}

// The gym's measures (docs/domain.md section 8): a daily offline copy of the
// member data (the laptop's 3-day-old copy was luck), and a control (VPN patching and MFA) with half of its cost
// paid by an IT subsidy for small companies, up to 150,000 yen a year.
std::vector<mitigation<double>> gym_measures() {
  mitigation<double> offline{"daily offline copy of the member data (rotated USB disks)", 60000.0,
                             [](model_spec& s) {
                               for (auto& sys : s.systems)
                                 if (sys.name == "member database")
                                   sys.backups.push_back(offline_copy(24, 7, "USB disk", 3));
                             }};
  mitigation<double> control{"VPN patching and MFA (control)", 300000.0, [](model_spec& s) {
                               for (auto& sc : s.scenarios) sc.annual_frequency *= 0.3;
                             }};
  control.subsidy_rate = 0.5;
  control.subsidy_cap = 150000.0;
  return {offline, control};
}

void print_mitigations(const model& m, const std::vector<mitigation<double>>& measures,
                       std::uint64_t trials, std::uint64_t seed) {
  rule("Mitigations (same seed: common random numbers)");
  const auto cmp = compare_mitigations(m, measures, trials, seed);
  std::printf("  %-58s %12s %14s %14s %14s %14s %8s\n", "measure", "cost/year", "net of subsidy",
              "ALE", "reduction", "(std. error)", "ROSI");
  std::printf("  %-58s %12s %14s %14s %14s %14s %8s\n", "none", "-", "-",
              money(cmp.baseline.mean()).c_str(), "-", "-", "-");
  for (const auto& o : cmp.measures)
    std::printf("  %-58s %12s %14s %14s %14s %14s %7.0f%%\n", o.name.c_str(),
                money(o.annual_cost).c_str(), money(o.net_cost).c_str(),
                money(o.loss.mean()).c_str(), money(o.ale_reduction).c_str(),
                money(o.ale_reduction_se).c_str(), 100 * o.rosi);
  std::printf("  P99 of the annual loss: none %s", money(cmp.baseline.quantile(0.99)).c_str());
  for (const auto& o : cmp.measures)
    std::printf("; %s %s", o.name.substr(0, o.name.find(' ')).c_str(),
                money(o.loss.quantile(0.99)).c_str());
  std::printf("\n");
}

// The ransom decision of every scenario with ransom terms: both policies on
// the same simulated years, their loss distributions side by side, and the
// same for the years with an attack only (what an incident costs if it
// comes, which the rare attack hides in the annual figures).
void print_ransom_decision(const model& m, std::uint64_t trials, std::uint64_t seed) {
  bool any = false;
  for (index_t i = 0; i < m.scenario_count(); ++i) any = any || m.scenario_at(i).ransom;
  if (!any) return;
  const auto d = compare_ransom_policies(m, trials, seed);
  rule("Ransom decision: pay, or restore without paying (the same simulated years for both)");
  for (const auto& name : d.scenarios) {
    const auto& t = *m.scenario_at(m.scenario_named(name)).ransom;
    std::printf("  '%s': policy in the model: %s; demand %s on average, key works %.0f %%, "
                "arrives after %s, decryption %s a system; leak %.0f %% if paid, %.0f %% if not\n",
                name.c_str(), t.pay ? "pay" : "do not pay", money(t.demand.mean()).c_str(),
                100 * t.key_works, hours(t.key_arrival.mean()).c_str(),
                hours(t.decryption.mean()).c_str(), 100 * t.leak_if_paid, 100 * t.leak_if_not_paid);
  }
  // Years with at least one attack of a scenario with ransom terms.
  const incident_simulation<double> sim(m);
  Eigen::Array<bool, Eigen::Dynamic, 1> attacked =
      Eigen::Array<bool, Eigen::Dynamic, 1>::Constant(d.pay.annual_loss.size(), false);
  for (std::size_t k = 0; k < sim.scenarios().size(); ++k)
    if (m.scenario_at(sim.scenarios()[k]).ransom)
      attacked = attacked || d.pay.breakdown.col(static_cast<Eigen::Index>(sim.events_column(k))) > 0;
  auto attacked_only = [&](const auto& losses) {
    std::vector<double> v;
    for (Eigen::Index t = 0; t < losses.size(); ++t)
      if (attacked[t]) v.push_back(losses[t]);
    return v;
  };
  const loss_statistics<double> restore(d.restore.annual_loss), pay(d.pay.annual_loss);
  std::printf("  %-34s %16s %16s\n", "annual loss", "restore", "pay");
  auto row = [](const char* what, double a, double b) {
    std::printf("  %-34s %16s %16s\n", what, money(a).c_str(), money(b).c_str());
  };
  row("ALE (mean)", restore.mean(), pay.mean());
  for (double p : {0.9, 0.95, 0.99, 0.999}) {
    char label[32];
    std::snprintf(label, sizeof label, "P%g", 100 * p);
    row(label, restore.quantile(p), pay.quantile(p));
  }
  row("TVaR 99 %", restore.tail_value_at_risk(0.99), pay.tail_value_at_risk(0.99));
  const auto years = attacked.count();
  if (years > 0) {
    const auto ra = attacked_only(d.restore.annual_loss), pa = attacked_only(d.pay.annual_loss);
    const loss_statistics<double> r1{std::span<const double>(ra)}, p1{std::span<const double>(pa)};
    std::printf("  in the %lld years with an attack:\n", static_cast<long long>(years));
    row("  mean loss", r1.mean(), p1.mean());
    row("  P10", r1.quantile(0.1), p1.quantile(0.1));
    row("  P50", r1.quantile(0.5), p1.quantile(0.5));
    row("  P90", r1.quantile(0.9), p1.quantile(0.9));
  }
  std::printf("  paying changes the ALE by %s ± %s (paired standard error); it costs less in "
              "%.2f %% of the years and more in %.2f %%\n",
              (d.difference.mean >= 0 ? "+" + money(d.difference.mean)
                                      : "-" + money(-d.difference.mean)).c_str(),
              money(d.difference.standard_error).c_str(), 100 * d.pay_cheaper, 100 * d.pay_dearer);
  std::printf("  (money only: paying funds the attackers, may break sanctions law and guarantees "
              "nothing)\n");
}

void print_spofs(const model& m) {
  rule("Single points of failure (loss of this system alone stops a function)");
  const auto spofs = single_points_of_failure(m);
  std::size_t shown = 0;
  for (const auto& p : spofs) {
    if (++shown > 12) {
      std::printf("  ... and %zu more\n", spofs.size() - 12);
      break;
    }
    std::string fs;
    for (index_t f : p.functions) fs += (fs.empty() ? "" : ", ") + m.function_at(f).name;
    std::printf("  %-26s worst class %s, first day of an outage %12s: %s\n",
                m.system_at(p.system).name.c_str(), std::string(to_string(p.worst_class)).c_str(),
                money(p.impact_at_horizon).c_str(), fs.c_str());
  }
  if (spofs.empty()) std::printf("  none\n");
}

void print_backups(const model& m) {
  rule("Backups against the 3-2-1 rule (3 copies, 2 media, 1 offline off site)");
  for (index_t s = 0; s < m.system_count(); ++s) {
    const auto& sys = m.system_at(s);
    if (!sys.has_data()) continue;
    const auto r = check_3_2_1(sys);
    std::printf("  %-26s copies %zu, media %zu, offline off-site %s -> %s\n", sys.name.c_str(),
                r.copies, r.media, r.offline_offsite ? "yes" : "no",
                r.satisfied() ? "ok" : "NOT MET");
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: continuity_demo MODEL.json...\n";
    return 2;
  }
  try {
    for (int a = 1; a < argc; ++a) {
      const model m = load_model(argv[a]);
      std::printf("\n=================================================================\n");
      std::printf("%s  (%s: %u systems, %u business functions, %u scenarios)\n", m.name().c_str(),
                  argv[a], m.system_count(), m.function_count(), m.scenario_count());
      std::printf("=================================================================\n");
      print_priorities(m);
      print_inherited(m);
      for (index_t i = 0; i < m.scenario_count(); ++i) {
        print_scenario(m, i);
        print_recovery(m, i);
        print_cost(m, i);
      }
      print_simulation(m, 20000, 1);
      if (m.name() == "Town hospital") print_mitigations(m, hospital_measures(m), 20000, 1);
      if (m.name() == "Membership gym") print_mitigations(m, gym_measures(), 20000, 1);
      print_ransom_decision(m, 20000, 1);
      print_spofs(m);
      print_backups(m);
    }
  } catch (const continuity::error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
