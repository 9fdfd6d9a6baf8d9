// scale_suite — how every capability of continuity grows with the size of the
// inventory. For each size N of a geometric series it generates a seeded
// synthetic inventory (continuity/synthetic/inventory.hpp: N systems, N / 100
// business functions, 4 dependencies per system, 10 IT staff, one ransomware
// scenario) and times:
//
//   graph phase (no names; what an analysis of a large estate needs):
//     generate (graph)   generate_inventory_graph
//     cycle check        dependency_graph from the CSR arrays (reverse edges,
//                        strongly connected components)
//     impact (graph)     propagate_impact from every 5th regular software
//                        system and the first network core
//     inheritance (graph) inherit_objectives with seeded function objectives
//   model phase (the full specification with names):
//     generate (spec)    generate_inventory
//     JSON save, DOM     the writer before streaming: to_json (the document
//                        of the whole model), then its text (dump(2)) to the file
//     JSON save          save_model (the same text, written one function,
//                        system and scenario at a time)
//     JSON read, DOM     the reader before simdjson: parse_json (the strict
//                        nlohmann document) + read_model_spec of the document
//     JSON read, fast    read_model_spec of the file's stream (what read_model
//                        and load_model do: simdjson where the text allows)
//     validation         model construction from the read specification
//                        (name resolution, checks, cycle check, inheritance)
//     impact             propagate_impact of the ransomware scenario
//     RTO inheritance    inherit_objectives on the model's graph
//     SPOF               single_points_of_failure, ranked
//     classification     every function's priority class and RTO, and the
//                        systems grouped by the class they inherit
//     recovery project   build_recovery_project of the scenario
//     fast schedule      recovery_priority + serial SGS (the priority-rule plan)
//     outcome            evaluate_recovery of that schedule
//     improving search   plan_recovery with improve (budget --improve-budget
//                        schedules, business impact), N ≤ --improve-max
//     MC trial           incident_simulation of the scenario at one incident a
//                        year on average, one thread; seconds per trial
//                        (≈ per incident), N ≤ --mc-max
//   W1 loss workload     continuity::run on the W1 portfolio (see w1_bench) at
//                        each trial count of --w1, all threads
//
// Each time is the best of repeated runs (repeated until --min-time seconds
// are spent, at most 50 runs). For each capability it prints the time at
// each size, the throughput (systems, edges, activities or trials per
// second), and the growth exponent: the least-squares slope of log time
// against log N over all sizes, and between the two largest sizes. Peak RSS
// (VmHWM of /proc/self/status, reset through /proc/self/clear_refs before
// each phase where the kernel allows it, after returning freed heap to the
// system) is printed per size and phase: the graph phase; generation and
// JSON save; each JSON reader (its peak above the resident memory before it,
// beside the memory of the specification it read); validation, analyses and
// recovery planning.
// Finally it checks the targets: 10^6 systems and 4·10^6 dependencies —
// cycle check + impact + inheritance under 1 s, peak RSS under 1 GiB; a fast
// schedule of 10^5 recovery steps with 10 staff under 1 s; 10^4 trials of the
// incident simulation of a 1,000-system model under 5 s; JSON read at 10^6
// systems at least 3 times as fast as through the document.
//
// Usage:
//   scale_suite [--smoke] [--sizes=1e3,1e4,1e5,1e6] [--seed=1] [--threads=0]
//               [--improve-budget=10] [--improve-max=1e5] [--mc-max=1e5]
//               [--w1=1e4,1e5,1e6,1e7] [--min-time=0.2] [--json-dir=DIR]
//               [--graph-sizes=2e6,4e6] [--no-targets] [--json-only]
//   scale_suite --edges=FILE [--systems=1e6] [--seed=1] [--mean-dependencies=4]
//               [--functions=N/100]
//
// --graph-sizes adds sizes for the graph phase alone (its growth beyond the
// sizes a named model fits). --json-only runs generation and JSON alone at
// each size (no graph phase, analyses, W1 or targets other than JSON's). --smoke runs sizes 1e3 and 1e4, W1 at 1e4 and
// 1e5 trials and scaled-down targets in a few seconds (for CI). Sizes and
// counts accept 1e5-style numbers.
//
// --edges writes the dependency edges of generate_inventory_graph(options)
// — options at their defaults except systems, seed, mean_dependencies and
// functions as given — for timing other graph libraries (networkx) on the
// identical graph, and exits. The file is NumPy .npy format version 1.0:
// the magic "\x93NUMPY", bytes 1 and 0, a little-endian uint16 header length,
// then the header "{'descr': '<u4', 'fortran_order': False, 'shape': (E, 2), }"
// padded with spaces and a final newline to a multiple of 64 bytes, then E
// rows of two little-endian uint32: (system, system it depends on), system
// by system in index order, requirement by requirement, every candidate of
// an any-of or k-of-n requirement as one edge. np.load(FILE) reads it.
// Systems are numbered 0 … N−1 in layer order (generate_inventory's order
// and names); E = round(mean_dependencies × N). Business functions' needs
// are not included.
#include "arguments.hpp"

#include <continuity/continuity.hpp>
#include <continuity/io.hpp>
#include <continuity/synthetic.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace continuity;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// Processor time of this process so far, user + system, in seconds.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// ---------------------------------------------------------------- memory
long status_kib(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string k;
  while (status >> k) {
    if (k == key) {
      long v = 0;
      status >> v;
      return v;
    }
  }
  return -1;
}

bool peak_resettable = true;

// Returns freed heap to the system (glibc keeps it otherwise, and it would
// count in the next phase's peak), then resets VmHWM to the current RSS
// (Linux ≥ 4.0); peak_resettable turns false if that is not allowed.
void reset_peak_rss() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.close();
  if (!f) peak_resettable = false;
}

double peak_rss_mib() { return static_cast<double>(status_kib("VmHWM:")) / 1024; }
double rss_mib() { return static_cast<double>(status_kib("VmRSS:")) / 1024; }

// ---------------------------------------------------------------- timing
double min_time = 0.2;

// Best time of repeated runs of `f` (until min_time is spent, at most 50).
template <class F>
double best_of(F&& f) {
  double best = 1e300, spent = 0;
  for (int run = 0; run < 50 && (run == 0 || spent < min_time); ++run) {
    const auto t0 = clock_type::now();
    f();
    const double t = seconds_since(t0);
    best = std::min(best, t);
    spent += t;
  }
  return best;
}

// Least-squares slope of log y against log x.
double growth_exponent(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  if (n < 2) return std::nan("");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) mx += std::log(x[i]), my += std::log(y[i]);
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = std::log(x[i]) - mx;
    sxy += dx * (std::log(y[i]) - my);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

// One capability's measurements: size → (seconds, work items).
struct series {
  std::string unit; // what the throughput counts
  std::map<double, std::pair<double, double>> points;
};
std::vector<std::pair<std::string, series>> results;

series& series_of(const std::string& name, const std::string& unit) {
  for (auto& [n, s] : results)
    if (n == name) return s;
  results.push_back({name, series{unit, {}}});
  return results.back().second;
}

void record(const std::string& name, const std::string& unit, double size, double seconds,
            double items) {
  series_of(name, unit).points[size] = {seconds, items};
  std::printf("  %-22s %10.4f s  %12.4g %s/s\n", name.c_str(), seconds,
              seconds > 0 ? items / seconds : 0.0, unit.c_str());
  std::fflush(stdout);
}

std::string size_text(double n) {
  char buf[32];
  const double e = std::floor(std::log10(n) + 1e-9);
  const double m = n / std::pow(10.0, e);
  if (std::abs(m - std::round(m)) < 1e-9 && e >= 3)
    std::snprintf(buf, sizeof buf, "%.0fe%.0f", m, e);
  else
    std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

// ---------------------------------------------------------------- W1
scenario_portfolio<> w1() {
  scenario_portfolio<> p;
  p.add({"ransomware", poisson<>(0.30), lognormal<>::from_interval90(50'000.0, 2'000'000.0)});
  p.add({"data_leak", poisson<>(0.50), lognormal<>::from_interval90(20'000.0, 500'000.0)});
  p.add({"outage", poisson<>(2.00), lognormal<>::from_interval90(5'000.0, 100'000.0)});
  return p;
}

// ---------------------------------------------------------------- options
struct suite_options {
  std::vector<double> sizes{1e3, 1e4, 1e5, 1e6};
  std::vector<double> w1_trials{1e4, 1e5, 1e6, 1e7};
  std::vector<double> graph_sizes;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::size_t improve_budget = 10;
  double improve_max = 1e5, mc_max = 1e5;
  bool smoke = false, targets = true, json_only = false;
  std::filesystem::path json_dir = std::filesystem::temp_directory_path();
  std::string edges;
  double edges_systems = 1e6, mean_dependencies = 4;
  std::optional<double> edges_functions;
};

const std::string usage =
    "scale_suite [--smoke] [--sizes=1e3,1e4,1e5,1e6] [--seed=1] [--threads=0] ... "
    "(the options are in the header of benchmarks/scale_suite.cpp)";

double number(const std::string& key, const std::string& value) {
  return bench::parse_number(usage, key, value);
}

std::vector<double> number_list(const std::string& key, const std::string& s) {
  std::vector<double> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(number(key, item));
  if (out.empty()) bench::usage_exit(usage, key + ": no numbers");
  return out;
}

suite_options parse(int argc, char** argv) {
  suite_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto eq = a.find('=');
    const std::string key = a.substr(0, eq), value = eq == std::string::npos ? "" : a.substr(eq + 1);
    if (key == "--smoke") {
      o.smoke = true;
      o.sizes = {1e3, 1e4};
      o.w1_trials = {1e4, 1e5};
      o.improve_budget = 6;
      min_time = 0.02;
    } else if (key == "--sizes") o.sizes = number_list(key, value);
    else if (key == "--w1") o.w1_trials = number_list(key, value);
    else if (key == "--graph-sizes") o.graph_sizes = number_list(key, value);
    else if (key == "--seed") o.seed = static_cast<std::uint64_t>(number(key, value));
    else if (key == "--threads") o.threads = static_cast<unsigned>(number(key, value));
    else if (key == "--improve-budget") o.improve_budget = static_cast<std::size_t>(number(key, value));
    else if (key == "--improve-max") o.improve_max = number(key, value);
    else if (key == "--mc-max") o.mc_max = number(key, value);
    else if (key == "--min-time") min_time = number(key, value);
    else if (key == "--json-dir") o.json_dir = value;
    else if (key == "--no-targets") o.targets = false;
    else if (key == "--json-only") o.json_only = true;
    else if (key == "--edges") o.edges = value;
    else if (key == "--systems") o.edges_systems = number(key, value);
    else if (key == "--mean-dependencies") o.mean_dependencies = number(key, value);
    else if (key == "--functions") o.edges_functions = number(key, value);
    else if (key == "--help" || key == "-h") bench::usage_exit(usage);
    else bench::usage_exit(usage, "scale_suite: unknown argument '" + a + "'");
  }
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  return o;
}

synthetic_inventory_options inventory(double n, std::uint64_t seed) {
  synthetic_inventory_options o;
  o.systems = static_cast<std::size_t>(n);
  o.functions = std::max<std::size_t>(10, o.systems / 100);
  o.seed = seed;
  return o;
}

// ---------------------------------------------------------------- edges file
void write_edges(const suite_options& so) {
  auto o = inventory(so.edges_systems, so.seed);
  o.mean_dependencies = so.mean_dependencies;
  if (so.edges_functions) o.functions = static_cast<std::size_t>(*so.edges_functions);
  const auto t0 = clock_type::now();
  const synthetic_graph g = generate_inventory_graph(o);
  const std::size_t edges = g.system_edge_count();
  std::string header = "{'descr': '<u4', 'fortran_order': False, 'shape': (" +
                       std::to_string(edges) + ", 2), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(so.edges, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<std::uint16_t>(header.size());
  const char len_bytes[2] = {static_cast<char>(len & 0xFF), static_cast<char>(len >> 8)};
  out.write(len_bytes, 2);
  out << header;
  std::vector<char> buffer;
  buffer.reserve(1 << 20);
  auto put = [&](index_t v) {
    for (int b = 0; b < 4; ++b) buffer.push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
  };
  for (index_t s = 0; s < g.system_count; ++s)
    for (index_t r = g.node_requirement_offsets[s]; r < g.node_requirement_offsets[s + 1]; ++r)
      for (index_t i = g.requirement_member_offsets[r]; i < g.requirement_member_offsets[r + 1];
           ++i) {
        put(s);
        put(g.requirement_members[i]);
        if (buffer.size() >= (1 << 20) - 8) {
          out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
          buffer.clear();
        }
      }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "scale_suite: cannot write '%s'\n", so.edges.c_str());
    std::exit(1);
  }
  std::printf("wrote %zu edges of %u systems (seed %llu, mean dependencies %g, %zu functions) to "
              "%s in %.2f s\n",
              edges, g.system_count, static_cast<unsigned long long>(so.seed), o.mean_dependencies,
              o.functions, so.edges.c_str(), seconds_since(t0));
}

// ---------------------------------------------------------------- one size
struct graph_phase_figures {
  double cycle = 0, impact = 0, inherit = 0, rss = 0;
  std::size_t edges = 0;
};
std::map<double, graph_phase_figures> graph_figures;
std::map<double, double> activities_per_system;

// Function objectives for the graph phase (as a model would derive them).
void function_objectives(index_t nf, std::uint64_t seed, std::vector<double>& rto,
                         std::vector<double>& rpo, std::vector<priority_class>& cls) {
  rto.resize(nf);
  rpo.resize(nf);
  cls.resize(nf);
  for (index_t f = 0; f < nf; ++f) {
    auto e = stream(seed, f);
    cls[f] = static_cast<priority_class>(e() % 5);
    rto[f] = 3.0 * static_cast<double>(1 + e() % 48);
    rpo[f] = 24.0;
  }
}

void graph_phase(double n, const suite_options& so) {
  reset_peak_rss();
  const auto o = inventory(n, so.seed);
  std::optional<synthetic_graph> sg;
  const double t_gen = best_of([&] { sg.emplace(generate_inventory_graph(o)); });
  record("generate (graph)", "systems", n, t_gen, n);
  std::optional<dependency_graph> g;
  // The constructor takes its arrays by value: copy them outside the clock.
  double cycle = 1e300;
  for (int run = 0, runs = n >= 1e6 ? 1 : 3; run < runs; ++run) {
    auto a = sg->node_requirement_offsets;
    auto b = sg->needed;
    auto c = sg->requirement_member_offsets;
    auto d = sg->requirement_members;
    g.reset();
    const auto t0 = clock_type::now();
    g.emplace(sg->system_count, sg->function_count, std::move(a), std::move(b), std::move(c),
              std::move(d));
    cycle = std::min(cycle, seconds_since(t0));
  }
  if (g->has_cycle()) std::printf("  UNEXPECTED: the generated graph has a cycle\n");
  const double edges = static_cast<double>(sg->system_edge_count());
  record("cycle check", "edges", n, cycle, edges);

  std::vector<index_t> damaged{static_cast<index_t>(std::find(sg->layers.begin(), sg->layers.end(),
                                                               asset_layer::infrastructure) -
                                                     sg->layers.begin()) +
                               2}; // platform:core-0
  {
    index_t k = 0;
    for (index_t s = 0; s < sg->system_count; ++s)
      if (sg->layers[s] == asset_layer::software && !sg->shared_platform[s] && k++ % 5 == 0)
        damaged.push_back(s);
  }
  index_t down = 0;
  const double t_impact = best_of([&] { down = propagate_impact(*g, damaged).systems_down; });
  record("impact (graph)", "edges", n, t_impact, edges);

  std::vector<double> rto, rpo;
  std::vector<priority_class> cls;
  function_objectives(g->function_count(), so.seed, rto, rpo, cls);
  std::size_t needed = 0;
  const double t_inherit = best_of([&] {
    const auto inh = inherit_objectives<double>(*g, rto, rpo, cls);
    needed = static_cast<std::size_t>(
        std::count_if(inh.class_function.begin(), inh.class_function.end(),
                      [](index_t f) { return f != no_index; }));
  });
  record("inheritance (graph)", "edges", n, t_inherit, edges);
  const double rss = peak_rss_mib();
  graph_figures[n] = {cycle, t_impact, t_inherit, rss, sg->system_edge_count()};
  std::printf("  graph: %zu edges, %u requirements, %u damaged -> %u down, %zu systems needed by "
              "a function; cycle check + impact + inheritance %.3f s; peak RSS %.0f MiB%s\n",
              sg->system_edge_count(), g->requirement_count(), static_cast<index_t>(damaged.size()),
              down, needed, cycle + t_impact + t_inherit, rss,
              peak_resettable ? " (this phase)" : " (since start)");
}

// Priority classification: each function's class and RTO, and the systems
// grouped by the class they inherit (S first, then systems no function needs).
std::array<std::size_t, priority_class_count + 1> classify(const model& m,
                                                           std::vector<priority_class>& cls,
                                                           std::vector<double>& rto,
                                                           std::vector<index_t>& order) {
  const auto& spec = m.spec();
  cls.resize(m.function_count());
  rto.resize(m.function_count());
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fn = spec.functions[f];
    cls[f] = fn.emergency ? priority_class::S
                          : spec.priorities.classify(fn.importance, fn.system_dependency);
    rto[f] = fn.rto ? *fn.rto : spec.rto_by_class.rto(cls[f]);
  }
  const auto& inh = m.system_objectives();
  std::array<std::size_t, priority_class_count + 1> count{};
  auto key = [&](index_t s) {
    return inh.is_needed(s) ? static_cast<std::size_t>(inh.priority[s]) : priority_class_count;
  };
  for (index_t s = 0; s < m.system_count(); ++s) ++count[key(s)];
  std::array<std::size_t, priority_class_count + 1> at{};
  for (std::size_t k = 1; k <= priority_class_count; ++k) at[k] = at[k - 1] + count[k - 1];
  order.resize(m.system_count());
  for (index_t s = 0; s < m.system_count(); ++s) order[at[key(s)]++] = s;
  return count;
}

// One JSON reader's figures at one size: seconds (best of runs) and the
// processor seconds (user + system) of that run — on a shared machine the
// steadier figure —, and, in MiB above the resident memory before it, its
// peak and the specification it read.
struct json_reading {
  double seconds = 0, cpu = 0, peak = 0, spec = 0;
};
struct json_phase_figures {
  json_reading dom, fast;
  double file_mib = 0;
};
std::map<double, json_phase_figures> json_figures;

// Reads the model file `path` with `read_file(std::istream&)` (best of runs,
// each from a fresh stream) into `read`, measuring the peak RSS above what was
// resident before, and what the specification occupies after.
template <class F>
json_reading read_json_file(const std::filesystem::path& path, std::optional<model_spec>& read,
                            F&& read_file) {
  read.reset();
  reset_peak_rss();
  const double base = rss_mib();
  json_reading r;
  r.seconds = 1e300;
  double spent = 0;
  for (int run = 0; run < 50 && (run == 0 || spent < min_time); ++run) {
    read.reset();
    const double cpu0 = process_cpu_seconds();
    const auto t0 = clock_type::now();
    std::ifstream in(path);
    read.emplace(read_file(in));
    const double t = seconds_since(t0);
    if (t < r.seconds) r.seconds = t, r.cpu = process_cpu_seconds() - cpu0;
    spent += t;
  }
  r.peak = peak_rss_mib() - base;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  r.spec = rss_mib() - base;
  return r;
}

void model_phase(double n, const suite_options& so) {
  reset_peak_rss();
  const auto o = inventory(n, so.seed);
  const bool big = n >= 5e5;
  std::optional<model_spec> spec;
  const double t_gen = best_of([&] { spec.emplace(generate_inventory(o)); });
  record("generate (spec)", "systems", n, t_gen, n);

  const auto path = so.json_dir / ("continuity_scale_suite_" + size_text(n) + ".json");
  const double gen_peak = peak_rss_mib();
  reset_peak_rss();
  const double t_save_dom = best_of([&] {
    std::ofstream out(path);
    out << to_json(*spec).dump(2) << '\n';
  });
  record("JSON save, DOM", "systems", n, t_save_dom, n);
  const double save_dom_peak = peak_rss_mib();
  reset_peak_rss();
  const double t_save = best_of([&] { save_model(*spec, path); });
  const double mib = static_cast<double>(std::filesystem::file_size(path)) / (1 << 20);
  record("JSON save", "systems", n, t_save, n);
  std::printf("  generation: peak RSS %.0f MiB; JSON save: %.1f MiB file, %.1fx as fast as through "
              "the document; peak RSS %.0f MiB, through the document %.0f MiB\n",
              gen_peak, mib, t_save_dom / t_save, peak_rss_mib(), save_dom_peak);
  if (big) spec.reset(); // room for the reads

  // The reader before simdjson (the strict document, then the reader of a
  // document), and the fast reader of the stream, on the same file.
  std::optional<model_spec> read;
  json_phase_figures f;
  f.file_mib = mib;
  f.dom = read_json_file(path, read, [&](std::istream& in) {
    return read_model_spec(parse_json(in, path.string()));
  });
  record("JSON read, DOM", "systems", n, f.dom.seconds, n);
  if (spec && !(*read == *spec)) std::printf("  UNEXPECTED: the JSON round trip changed the model\n");
  f.fast = read_json_file(path, read, [&](std::istream& in) { return read_model_spec(in, path.string()); });
  record("JSON read, fast", "systems", n, f.fast.seconds, n);
  if (spec && !(*read == *spec)) std::printf("  UNEXPECTED: the fast reader changed the model\n");
  std::filesystem::remove(path);
  spec.reset();
  json_figures[n] = f;
  std::printf("  JSON read: fast %.3f s, DOM %.3f s (%.1fx as fast; processor time %.3f s and "
              "%.3f s, %.1fx); peak RSS above the rest: fast %.0f MiB, DOM %.0f MiB; the "
              "specification read %.1f MiB (peaks %.1fx and %.1fx of it)\n",
              f.fast.seconds, f.dom.seconds, f.dom.seconds / f.fast.seconds, f.fast.cpu, f.dom.cpu,
              f.dom.cpu / f.fast.cpu, f.fast.peak, f.dom.peak, f.fast.spec,
              f.fast.peak / f.fast.spec, f.dom.peak / f.fast.spec);
  if (so.json_only) return;
  reset_peak_rss();
  std::optional<model> m;
  double validate = 1e300;
  for (int run = 0, runs = big ? 1 : 3; run < runs; ++run) {
    std::optional<model_spec> copy;
    if (run + 1 < runs) copy.emplace(*read);
    m.reset();
    const auto t0 = clock_type::now();
    m.emplace(copy ? std::move(*copy) : std::move(*read));
    validate = std::min(validate, seconds_since(t0));
  }
  read.reset();
  record("validation", "systems", n, validate, n);
  const double edges = static_cast<double>(m->graph().edge_count());

  index_t down = 0;
  const double t_impact = best_of([&] { down = propagate_impact(*m, index_t{0}).systems_down; });
  record("impact", "edges", n, t_impact, edges);
  const double t_inherit = best_of([&] {
    (void)inherit_objectives<double>(m->graph(), m->function_rtos(), m->function_rpos(),
                                     m->function_classes());
  });
  record("RTO inheritance", "edges", n, t_inherit, edges);
  std::size_t spofs = 0;
  const double t_spof = best_of([&] { spofs = single_points_of_failure(*m).size(); });
  record("SPOF", "edges", n, t_spof, edges);
  std::vector<priority_class> cls;
  std::vector<double> rto;
  std::vector<index_t> order;
  std::array<std::size_t, priority_class_count + 1> per_class{};
  const double t_class = best_of([&] { per_class = classify(*m, cls, rto, order); });
  record("classification", "systems", n, t_class, n);

  std::optional<recovery_project<double>> rp;
  const double t_project = best_of([&] { rp.emplace(build_recovery_project(*m, index_t{0})); });
  const double activities = static_cast<double>(rp->project().activity_count());
  activities_per_system[n] = activities / n;
  record("recovery project", "activities", n, t_project, activities);
  std::vector<std::size_t> list;
  std::optional<schedule> fast;
  const double t_fast = best_of([&] {
    list = recovery_priority(*m, *rp);
    fast.emplace(serial_sgs(rp->project(), std::span<const std::size_t>(list)));
  });
  record("fast schedule", "activities", n, t_fast, activities);
  double impact_value = 0;
  const double t_outcome = best_of([&] {
    impact_value = evaluate_recovery(*m, *rp, fast->starts(), fast->finishes()).business_impact;
  });
  record("outcome", "activities", n, t_outcome, activities);
  const bool feasible = is_feasible(rp->project(), *fast, 1e-9);
  std::printf("  model: %u segments, %zu damaged -> %u down, %zu single points of failure, "
              "classes S..D,none = %zu/%zu/%zu/%zu/%zu/%zu\n",
              m->segment_count(), m->damaged_systems(0).size(), down, spofs, per_class[0],
              per_class[1], per_class[2], per_class[3], per_class[4], per_class[5]);
  std::printf("  recovery: %.0f activities, 10 IT staff, makespan %.0f h, business impact %.4g, "
              "feasible %s\n",
              activities, fast->makespan(), impact_value, feasible ? "yes" : "NO");
  rp.reset();

  if (n <= so.improve_max) {
    plan_options po;
    po.improve = true;
    po.search.schedule_budget = so.improve_budget;
    po.search.seed = so.seed;
    std::size_t generated = 0;
    double before = 0, after = 0;
    const double t_improve = best_of([&] {
      const auto plan = plan_recovery(*m, index_t{0}, po);
      generated = plan.schedules_generated;
      after = plan.business_impact;
    });
    before = impact_value;
    record("improving search", "activities", n, t_improve, activities);
    std::printf("  improving search: %zu schedules, %.3f s per schedule, business impact %.4g -> "
                "%.4g\n",
                generated, t_improve / static_cast<double>(generated), before, after);
  }

  if (n <= so.mc_max) {
    auto one_a_year = m->spec();
    one_a_year.scenarios[0].annual_frequency = 1;
    m.reset();
    const model mc(std::move(one_a_year));
    const incident_simulation<> sim(mc);
    const std::uint64_t trials =
        static_cast<std::uint64_t>(std::clamp(100 * 1e4 / n, so.smoke ? 5.0 : 4.0, 100.0) /
                                   (so.smoke ? 5 : 1));
    run_options ro;
    ro.threads = 1;
    double occurrences = 0;
    const auto t0 = clock_type::now();
    const auto r = run(sim, trials, so.seed, ro);
    const double t = seconds_since(t0);
    occurrences = r.breakdown.col(static_cast<Eigen::Index>(sim.events_column(0))).sum();
    record("MC trial", "trials", n, t / static_cast<double>(trials), 1);
    std::printf("  MC: %llu trials, %.0f incidents, %.4f s per incident, mean loss %.4g\n",
                static_cast<unsigned long long>(trials), occurrences,
                occurrences > 0 ? t / occurrences : 0.0, r.annual_loss.mean());
  }
  std::printf("  validation, analyses, planning: peak RSS %.0f MiB%s\n", peak_rss_mib(),
              peak_resettable ? " (this phase)" : " (since start)");
}

void w1_phase(const suite_options& so) {
  const auto p = w1();
  run_options o;
  o.threads = so.threads;
  for (double trials : so.w1_trials) {
    const auto t = static_cast<std::uint64_t>(trials);
    double mean = 0;
    const double s = best_of([&] { mean = run(p, t, 1, o).annual_loss.mean(); });
    record("W1 loss workload", "trials", trials, s, trials);
    std::printf("  W1 %s trials, %u threads: mean annual loss %.0f (closed form 326293)\n",
                size_text(trials).c_str(), so.threads, mean);
  }
}

// ---------------------------------------------------------------- targets
void targets(const suite_options& so) {
  std::printf("\n== targets\n");
  // 0. JSON read at 10^6 systems, fast reader against the document.
  if (json_figures.count(1e6)) {
    const auto& f = json_figures[1e6];
    const double ratio = f.dom.seconds / f.fast.seconds;
    std::printf("JSON read, 10^6 systems (%.0f MiB file): %.2f s against %.2f s through the "
                "document, %.1fx (target >= 3x: %s; processor time %.2f s against %.2f s, %.1fx); "
                "peak RSS %.0f MiB against %.0f MiB, the specification %.0f MiB\n",
                f.file_mib, f.fast.seconds, f.dom.seconds, ratio, ratio >= 3 ? "met" : "MISSED",
                f.fast.cpu, f.dom.cpu, f.dom.cpu / f.fast.cpu, f.fast.peak, f.dom.peak,
                f.fast.spec);
  } else {
    std::printf("JSON read, 10^6 systems: not in --sizes, not measured\n");
  }
  if (so.json_only) return;
  // 1. 10^6 systems, 4·10^6 dependencies: cycle check + impact + inheritance.
  if (graph_figures.count(1e6)) {
    const auto& f = graph_figures[1e6];
    const double t = f.cycle + f.impact + f.inherit;
    std::printf("10^6 systems, %zu dependencies: cycle check + impact + inheritance %.3f s "
                "(target < 1 s: %s), peak RSS %.0f MiB (target < 1024: %s)\n",
                f.edges, t, t < 1 ? "met" : "MISSED", f.rss, f.rss < 1024 ? "met" : "MISSED");
  } else {
    std::printf("10^6 systems: not in --sizes, not measured\n");
  }
  // 2. A fast schedule of ~10^5 recovery steps with 10 staff.
  if (!activities_per_system.empty()) {
    const double wanted = so.smoke ? 1e4 : 1e5;
    const double per = std::prev(activities_per_system.end())->second;
    const auto o = inventory(std::round(wanted / per), so.seed);
    const model m(generate_inventory(o));
    const auto t0 = clock_type::now();
    const auto rp = build_recovery_project(m, index_t{0});
    const double t_project = seconds_since(t0);
    std::vector<std::size_t> list;
    std::optional<schedule> s;
    double t_list = 1e300, t_sgs = 1e300;
    for (int run = 0; run < 3; ++run) {
      auto t1 = clock_type::now();
      list = recovery_priority(m, rp);
      t_list = std::min(t_list, seconds_since(t1));
      t1 = clock_type::now();
      s.emplace(serial_sgs(rp.project(), std::span<const std::size_t>(list)));
      t_sgs = std::min(t_sgs, seconds_since(t1));
    }
    const auto t2 = clock_type::now();
    (void)evaluate_recovery(m, rp, s->starts(), s->finishes());
    const double t_outcome = seconds_since(t2);
    const double t = t_list + t_sgs;
    std::printf("fast schedule of %zu recovery steps (%zu systems), 10 IT staff: priority rule "
                "%.3f s + serial SGS %.3f s = %.3f s (target < 1 s%s: %s); project %.3f s, "
                "outcome %.3f s; feasible %s\n",
                rp.project().activity_count(), o.systems, t_list, t_sgs, t,
                so.smoke ? ", at 10^4 in --smoke" : "", t < 1 ? "met" : "MISSED", t_project,
                t_outcome, is_feasible(rp.project(), *s, 1e-9) ? "yes" : "NO");
  }
  // 3. 10^4 trials of the incident simulation on a 1,000-system model.
  {
    const std::uint64_t trials = so.smoke ? 500 : 10000;
    const double scale = 10000.0 / static_cast<double>(trials);
    for (double rate : {0.2, 1.0}) {
      auto o = inventory(1000, so.seed);
      o.ransomware_frequency = rate;
      const model m(generate_inventory(o));
      const incident_simulation<> sim(m);
      for (unsigned threads : {1u, so.threads}) {
        run_options ro;
        ro.threads = threads;
        ro.block_size = 64;
        const auto t0 = clock_type::now();
        const auto r = run(sim, trials, so.seed, ro);
        const double t = seconds_since(t0);
        const double incidents =
            r.breakdown.col(static_cast<Eigen::Index>(sim.events_column(0))).sum();
        const std::string note =
            scale > 1 ? " (x" + std::to_string(static_cast<int>(scale)) + " for 10^4)" : "";
        std::printf("incident simulation, 1,000 systems, %llu trials, %.1f incidents a year "
                    "(%.0f in all), %u thread%s: %.3f s%s (target 10^4 trials < 5 s: %s)\n",
                    static_cast<unsigned long long>(trials), rate, incidents, threads,
                    threads == 1 ? "" : "s", t, note.c_str(), t * scale < 5 ? "met" : "MISSED");
        if (threads == so.threads) break;
      }
    }
  }
}

void summary() {
  std::printf("\n== growth exponents (slope of log time vs log size: over all sizes; between the "
              "two largest)\n");
  for (const auto& [name, s] : results) {
    std::vector<double> x, y;
    for (const auto& [size, p] : s.points)
      if (p.first > 0) x.push_back(size), y.push_back(p.first);
    std::printf("%-22s", name.c_str());
    for (std::size_t i = 0; i < x.size(); ++i)
      std::printf("  %s: %.4g s", size_text(x[i]).c_str(), y[i]);
    if (x.size() >= 2) {
      const std::vector<double> lx(x.end() - 2, x.end()), ly(y.end() - 2, y.end());
      std::printf("   exponent %.2f (last step %.2f)", growth_exponent(x, y),
                  growth_exponent(lx, ly));
    }
    std::printf("\n");
  }
}

} // namespace

int main(int argc, char** argv) {
  const suite_options so = parse(argc, argv);
  if (!so.edges.empty()) {
    write_edges(so);
    return 0;
  }
  std::printf("scale_suite: %u hardware threads, seed %llu, sizes", std::thread::hardware_concurrency(),
              static_cast<unsigned long long>(so.seed));
  for (double n : so.sizes) std::printf(" %s", size_text(n).c_str());
  std::printf("\n");
  const auto start = clock_type::now();
  for (double n : so.sizes) {
    std::printf("\n== %s systems (%s functions, 4 dependencies per system)\n", size_text(n).c_str(),
                size_text(std::max(10.0, std::floor(n / 100))).c_str());
    if (!so.json_only) graph_phase(n, so);
    model_phase(n, so);
  }
  for (double n : so.graph_sizes) {
    std::printf("\n== %s systems, graph phase only\n", size_text(n).c_str());
    graph_phase(n, so);
  }
  if (!so.json_only) {
    std::printf("\n== W1 loss workload\n");
    w1_phase(so);
  }
  if (so.targets) targets(so);
  summary();
  std::printf("\ntotal %.1f s\n", seconds_since(start));
  return 0;
}
