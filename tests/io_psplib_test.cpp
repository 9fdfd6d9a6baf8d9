// Tests of continuity/io/psplib.hpp: reading PSPLIB single-mode instances and
// solution lists, and every malformed-file error.
#include <continuity/io/psplib.hpp>
#include <continuity/scheduling.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace continuity;

namespace {

const std::string dir = CONTINUITY_TEST_DATA_DIR "/psplib/";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Line number of the first line containing `needle` (1-based).
std::size_t line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
         1;
}

parse_error parse_failure(const std::string& text) {
  std::istringstream in(text);
  try {
    read_psplib_sm(in, "bad.sm");
  } catch (const parse_error& e) {
    return e;
  }
  FAIL("no parse_error");
  return parse_error("", 0, "");
}

parse_error solutions_failure(const std::string& text) {
  std::istringstream in(text);
  try {
    read_psplib_solutions(in, "bad_opt.sm");
  } catch (const parse_error& e) {
    return e;
  }
  FAIL("no parse_error");
  return parse_error("", 0, "");
}

} // namespace

TEST_CASE("reads a J30 instance") {
  const auto p = read_psplib_sm_file(dir + "j301_1.sm");
  REQUIRE(p.activity_count() == 32);
  REQUIRE(p.resource_count() == 4);
  CHECK(p.capacity(0) == 12);
  CHECK(p.capacity(1) == 13);
  CHECK(p.capacity(2) == 4);
  CHECK(p.capacity(3) == 12);
  CHECK(p.resource_name(0) == "R 1");
  CHECK(p.activity_name(0) == "job 1");
  CHECK(p.duration(0) == 0.0);
  CHECK(p.duration(1) == 8.0); // job 2: 8, R1 4
  CHECK(p.demand(1, 0) == 4);
  CHECK(p.duration(19) == 7.0); // job 20: 7, R2 10
  CHECK(p.demand(19, 1) == 10);
  CHECK(p.duration(31) == 0.0);
  REQUIRE(p.successors(0).size() == 3); // job 1 -> 2 3 4
  CHECK(p.successors(0)[0].activity == 1);
  CHECK(p.successors(0)[2].activity == 3);
  CHECK(p.successors(1).size() == 3); // job 2 -> 6 11 15
  CHECK(p.successors(1)[0].delay == 8.0);
  CHECK(p.successors(31).empty());
  CHECK(p.precedences().size() == 48);
  CHECK(critical_path_length(p) == 38.0); // MPM-Time in the file header
}

TEST_CASE("reads both layouts of the J30 solution list") {
  const auto opt = read_psplib_solutions_file(dir + "j30opt.sm");
  const auto hrs = read_psplib_solutions_file(dir + "j30hrs.sm");
  CHECK(opt.size() == 480);
  CHECK(hrs.size() == 480);
  CHECK(opt == hrs);
  CHECK(opt.at({1, 1}) == 43);
  CHECK(opt.at({48, 10}) == 54);
  CHECK(opt.at({2, 1}) == 38);
}

TEST_CASE("every J30 instance loads and has a critical path below its optimum") {
  const auto opt = read_psplib_solutions_file(dir + "j30opt.sm");
  for (const auto& [key, best] : opt) {
    const auto p = read_psplib_sm_file(dir + "j30" + std::to_string(key.parameter) + "_" +
                                       std::to_string(key.instance) + ".sm");
    REQUIRE(p.activity_count() == 32);
    CHECK(critical_path_length(p) <= best);
  }
}

TEST_CASE("malformed instance files are parse errors naming file and line") {
  const std::string good = slurp(dir + "j301_1.sm");
  {
    std::istringstream in(good);
    CHECK(read_psplib_sm(in, "good.sm").activity_count() == 32);
  }

  SECTION("empty file") {
    const auto e = parse_failure("");
    CHECK(e.source() == "bad.sm");
    CHECK(std::string(e.what()).find("empty") != std::string::npos);
    CHECK(parse_failure("  \n\n").line() == 1);
  }
  SECTION("missing section") {
    const auto text = good.substr(0, good.find("RESOURCEAVAILABILITIES:"));
    const auto e = parse_failure(text);
    CHECK(std::string(e.what()).find("RESOURCEAVAILABILITIES") != std::string::npos);
    const auto e2 = parse_failure(replace(good, "PRECEDENCE RELATIONS:", "PRECEDENCES:"));
    CHECK(std::string(e2.what()).find("PRECEDENCE RELATIONS") != std::string::npos);
    const auto e3 = parse_failure(replace(good, "jobs (incl. supersource/sink )", "jobs"));
    CHECK(std::string(e3.what()).find("jobs (incl.") != std::string::npos);
  }
  SECTION("bad number") {
    const auto text =
        replace(good, " 20      1     7       0   10", " 20      1     x       0   10");
    const auto e = parse_failure(text);
    CHECK(e.line() == line_of(text, " 20      1     x"));
    CHECK(std::string(e.what()).find("'x'") != std::string::npos);
    CHECK(std::string(e.what()).find("bad.sm:") == 0);
  }
  SECTION("job count mismatch") {
    const auto text =
        replace(good, "jobs (incl. supersource/sink ):  32", "jobs (incl. supersource/sink ):  33");
    const auto e = parse_failure(text);
    CHECK(std::string(e.what()).find("job count mismatch") != std::string::npos);
    CHECK(e.line() > 0);
    const auto fewer =
        replace(good, "jobs (incl. supersource/sink ):  32", "jobs (incl. supersource/sink ):  31");
    // With 31 jobs declared, job 30's successor 32 no longer exists.
    CHECK(std::string(parse_failure(fewer).what()).find("unknown successor 32") !=
          std::string::npos);
  }
  SECTION("wrong successor count") {
    const auto text = replace(good, "   1        1          3           2   3   4",
                              "   1        1          4           2   3   4");
    const auto e = parse_failure(text);
    CHECK(e.line() == line_of(text, "   1        1          4"));
  }
  SECTION("unknown successor") {
    const auto text = replace(good, "  30        1          1          32",
                              "  30        1          1          40");
    const auto e = parse_failure(text);
    CHECK(e.line() == line_of(text, "1          40"));
    CHECK(std::string(e.what()).find("unknown successor 40") != std::string::npos);
  }
  SECTION("truncated file") {
    const auto text = good.substr(0, good.find(" 17      1     6"));
    const auto e = parse_failure(text);
    CHECK(std::string(e.what()).find("end of file") != std::string::npos);
    CHECK(e.line() == line_of(text + "@", "@"));
  }
  SECTION("precedence cycle") {
    const auto text = replace(good, "  30        1          1          32",
                              "  30        1          1           6");
    const auto e = parse_failure(text);
    CHECK(std::string(e.what()).find("cycle") != std::string::npos);
    CHECK(std::string(e.what()).find("job 30") != std::string::npos);
  }
  SECTION("wrong number of capacities") {
    const auto text = replace(good, "   12   13    4   12", "   12   13    4");
    CHECK(parse_failure(text).line() == line_of(text, "   12   13    4"));
  }
  SECTION("multi-mode job") {
    const auto text = replace(good, "  5      1     3       3", "  5      2     3       3");
    CHECK(parse_failure(text).line() == line_of(text, "  5      2     3"));
  }
}

TEST_CASE("malformed solution files are parse errors") {
  CHECK(std::string(solutions_failure("").what()).find("empty") != std::string::npos);
  CHECK(std::string(solutions_failure("1 1 43\n").what()).find("column header") !=
        std::string::npos);
  const auto bad = solutions_failure("Par Inst Makespan\n====\n1 1 43\n1 2 4x\n");
  CHECK(bad.line() == 4);
  CHECK(bad.source() == "bad_opt.sm");
  CHECK(solutions_failure("Par Inst Makespan\n1 1 43\n1 1 44\n").line() == 3);
  CHECK(solutions_failure("Par Inst Makespan\n1 1\n").line() == 2);
  CHECK(std::string(solutions_failure("Par Inst Makespan\n=====\n").what()).find("no solution") !=
        std::string::npos);
}

TEST_CASE("a missing file is an io_error") {
  CHECK_THROWS_AS(read_psplib_sm_file(dir + "no_such_file.sm"), io_error);
  CHECK_THROWS_AS(read_psplib_solutions_file(dir + "no_such_file.sm"), io_error);
}

TEST_CASE("a header job count the file cannot hold is a parse error, not an allocation") {
  // 54 bytes whose header asks for 1.9e9 jobs: formerly a reservation of
  // several GB (std::bad_alloc) before any line was read.
  const auto e = parse_failure("jobs (incl. supersource/sink ):  1900000000\n- renewable: 1\n");
  CHECK(e.source() == "bad.sm");
  CHECK(e.line() == 1);
  CHECK(std::string(e.what()).find("1900000000 jobs") != std::string::npos);
}
