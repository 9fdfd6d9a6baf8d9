// continuity/io/detail/json_distribution.hpp — a fixed amount or a
// distribution in the JSON model format (docs/model-format.md).
#pragma once

#include <continuity/error.hpp>
#include <continuity/io/detail/json_value.hpp>
#include <continuity/io/duration.hpp>
#include <continuity/model/published_distributions.hpp>
#include <continuity/random/distribution.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuity::detail {

/// Reads a distribution. `fail(problem)` throws naming the object and field;
/// `durations` lets numbers be written as duration strings ("4h", "2w").
/// Forms: a number (or duration) for a fixed value; {"fixed": x};
/// {"lognormal": {"p5": lo, "p95": hi}} or {"mu", "sigma"} or {"mean", "sd"};
/// {"pert": [min, mode, max]}; {"triangular": [min, mode, max]};
/// {"uniform": [lower, upper]}; {"truncated_normal": {"mu", "sigma", "lower",
/// "upper"}}; {"gamma": {"shape", "scale"}}; {"beta": {"alpha", "beta"}};
/// {"poisson": mean}; {"negative_binomial": {"mean", "variance"}} or
/// {"successes", "probability"}; {"empirical": [observations...]};
/// {"histogram": {"edges": [...], "probabilities": [...], "scale": "log"}} or
/// {"histogram": "<published preset>"} (model/published_distributions.hpp).
template <class Real, class J>
distribution<Real> read_distribution(const J& j, bool durations,
                                     const std::function<void(const std::string&)>& fail) {
  // Errors raised here are final; those of the family constructors get context.
  bool ours = false;
  auto failure = [&](const std::string& problem) {
    ours = true;
    fail(problem);
  };
  auto number = [&](const J& v, const std::string& what) -> Real {
    std::optional<double> x;
    if (v.is_number())
      x = v.template get<double>();
    else if (durations && v.is_string())
      x = parse_duration_hours(v.template get<std::string>());
    if (!x)
      failure(what + " must be a number" + (durations ? " or a duration such as \"4h\"" : ""));
    if (!std::isfinite(static_cast<Real>(*x))) failure(what + " must be finite");
    return static_cast<Real>(*x);
  };
  auto numbers = [&](const J& v, std::size_t n, const std::string& what) {
    std::vector<Real> out;
    if (!v.is_array() || (n != 0 && v.size() != n) || (n == 0 && v.empty()))
      failure(what + (n == 0 ? " takes a non-empty array of numbers"
                          : " takes an array of " + std::to_string(n) + " numbers"));
    for_each_element(v, [&](const J& x) { out.push_back(number(x, what)); });
    return out;
  };
  auto param = [&](const J& o, const char* key, const std::string& what) -> Real {
    if (!o.contains(key)) failure(what + " needs '" + key + "'");
    return number(o.at(key), what + "." + key);
  };
  auto only = [&](const J& o, std::initializer_list<const char*> keys, const std::string& what) {
    if (!o.is_object()) failure(what + " takes an object");
    if (const auto unknown = first_unknown_key(o, keys))
      failure(what + " has an unknown field '" + std::string(*unknown) + "'");
  };
  if (j.is_number() || j.is_string()) return distribution<Real>(number(j, "the value"));
  if (!j.is_object() || j.size() != 1)
    fail("must be a number or an object with one distribution family, e.g. "
         "{\"pert\": [min, mode, max]}");
  const auto family = first_member(j);
  const std::string fam(family.first);
  const J& v = family.second;
  try {
    if (fam == "fixed") return distribution<Real>(number(v, "fixed"));
    if (fam == "lognormal") {
      if (v.contains("p5") || v.contains("p95")) {
        only(v, {"p5", "p95"}, fam);
        return lognormal<Real>::from_interval90(param(v, "p5", fam), param(v, "p95", fam));
      }
      if (v.contains("mean")) {
        only(v, {"mean", "sd"}, fam);
        return lognormal<Real>::from_mean_sd(param(v, "mean", fam), param(v, "sd", fam));
      }
      only(v, {"mu", "sigma"}, fam);
      return lognormal<Real>(param(v, "mu", fam), param(v, "sigma", fam));
    }
    if (fam == "pert") {
      auto p = numbers(v, 3, fam);
      return pert<Real>(p[0], p[1], p[2]);
    }
    if (fam == "triangular") {
      auto p = numbers(v, 3, fam);
      return triangular<Real>(p[0], p[1], p[2]);
    }
    if (fam == "uniform") {
      auto p = numbers(v, 2, fam);
      return uniform<Real>(p[0], p[1]);
    }
    if (fam == "truncated_normal") {
      only(v, {"mu", "sigma", "lower", "upper"}, fam);
      const Real inf = std::numeric_limits<Real>::infinity();
      return truncated_normal<Real>(param(v, "mu", fam), param(v, "sigma", fam),
                                    v.contains("lower") ? param(v, "lower", fam) : -inf,
                                    v.contains("upper") ? param(v, "upper", fam) : inf);
    }
    if (fam == "gamma") {
      only(v, {"shape", "scale"}, fam);
      return gamma<Real>(param(v, "shape", fam), param(v, "scale", fam));
    }
    if (fam == "beta") {
      only(v, {"alpha", "beta"}, fam);
      return beta<Real>(param(v, "alpha", fam), param(v, "beta", fam));
    }
    if (fam == "poisson") return poisson<Real>(number(v, fam));
    if (fam == "negative_binomial") {
      if (v.contains("mean")) {
        only(v, {"mean", "variance"}, fam);
        return negative_binomial<Real>::from_mean_variance(param(v, "mean", fam),
                                                           param(v, "variance", fam));
      }
      only(v, {"successes", "probability"}, fam);
      return negative_binomial<Real>(param(v, "successes", fam), param(v, "probability", fam));
    }
    if (fam == "empirical") return empirical<Real>(numbers(v, 0, fam));
    if (fam == "histogram") {
      if (v.is_string()) {
        const auto name = v.template get<std::string>();
        const auto preset = find_published_distribution(name);
        if (!preset) {
          std::string known;
          for (const auto& p : published_distributions)
            known += (known.empty() ? "" : ", ") + std::string(p.name);
          failure("unknown histogram preset '" + name + "' (" + known + ")");
        }
        return to_histogram<Real>(*preset);
      }
      only(v, {"edges", "probabilities", "scale"}, fam);
      if (!v.contains("edges")) failure("histogram needs 'edges'");
      if (!v.contains("probabilities")) failure("histogram needs 'probabilities'");
      histogram_scale scale = histogram_scale::linear;
      if (v.contains("scale")) {
        const json_ref<J> sc = v.at("scale");
        const std::string name = sc.is_string() ? sc.template get<std::string>() : std::string();
        if (sc.is_string() && name == "log")
          scale = histogram_scale::log;
        else if (!sc.is_string() || name != "linear")
          failure("histogram's 'scale' must be \"linear\" or \"log\"");
      }
      return histogram<Real>(numbers(v.at("edges"), 0, "histogram edges"),
                             numbers(v.at("probabilities"), 0, "histogram probabilities"), scale);
    }
  } catch (const error& e) {
    if (ours) throw;
    fail(std::string("invalid ") + fam + " distribution: " + e.what());
  }
  fail("unknown distribution family '" + fam +
       "' (fixed, lognormal, pert, triangular, uniform, truncated_normal, gamma, beta, "
       "poisson, negative_binomial, empirical, histogram)");
  return {};
}

/// Writes a distribution in the form read_distribution reads (a fixed value
/// as a plain number; lognormal as mu and sigma).
template <class Real>
nlohmann::json write_distribution(const distribution<Real>& d) {
  using nlohmann::json;
  return std::visit(
      [](const auto& f) -> json {
        using F = std::remove_cvref_t<decltype(f)>;
        const auto x = [](Real v) { return double(v); };
        if constexpr (std::is_same_v<F, fixed_value<Real>>)
          return x(f.value());
        else if constexpr (std::is_same_v<F, lognormal<Real>>)
          return {{"lognormal", {{"mu", x(f.mu())}, {"sigma", x(f.sigma())}}}};
        else if constexpr (std::is_same_v<F, pert<Real>>)
          return {{"pert", {x(f.minimum()), x(f.mode()), x(f.maximum())}}};
        else if constexpr (std::is_same_v<F, triangular<Real>>)
          return {{"triangular", {x(f.minimum()), x(f.mode()), x(f.maximum())}}};
        else if constexpr (std::is_same_v<F, uniform<Real>>)
          return {{"uniform", {x(f.lower()), x(f.upper())}}};
        else if constexpr (std::is_same_v<F, truncated_normal<Real>>) {
          json o{{"mu", x(f.mu())}, {"sigma", x(f.sigma())}};
          if (std::isfinite(f.lower())) o["lower"] = x(f.lower());
          if (std::isfinite(f.upper())) o["upper"] = x(f.upper());
          return {{"truncated_normal", o}};
        } else if constexpr (std::is_same_v<F, gamma<Real>>)
          return {{"gamma", {{"shape", x(f.shape())}, {"scale", x(f.scale())}}}};
        else if constexpr (std::is_same_v<F, beta<Real>>)
          return {{"beta", {{"alpha", x(f.alpha())}, {"beta", x(f.beta_shape())}}}};
        else if constexpr (std::is_same_v<F, poisson<Real>>)
          return {{"poisson", x(f.rate())}};
        else if constexpr (std::is_same_v<F, negative_binomial<Real>>)
          return {{"negative_binomial",
                   {{"successes", x(f.successes())}, {"probability", x(f.probability())}}}};
        else if constexpr (std::is_same_v<F, histogram<Real>>) {
          json edges = json::array(), shares = json::array();
          for (Real v : f.edges()) edges.push_back(x(v));
          for (Real v : f.probabilities()) shares.push_back(x(v));
          return {{"histogram",
                   {{"edges", edges},
                    {"probabilities", shares},
                    {"scale", f.scale() == histogram_scale::log ? "log" : "linear"}}}};
        } else {
          static_assert(std::is_same_v<F, empirical<Real>>, "a family without a writer");
          json a = json::array();
          for (Real v : f.sorted_data()) a.push_back(x(v));
          return {{"empirical", a}};
        }
      },
      d.family());
}

} // namespace continuity::detail
