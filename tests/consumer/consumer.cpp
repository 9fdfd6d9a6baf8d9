// A downstream program that only knows the installed continuity package:
// two applications on one shared server; losing the server stops both
// business functions, so it is their single point of failure; the model
// survives a round trip through its JSON file format (continuity::io).
#include <continuity/continuity.hpp>
#include <continuity/io.hpp>

#include <iostream>
#include <sstream>

int main() {
  continuity::model_spec spec;
  spec.name = "consumer";
  continuity::it_system<> server;
  server.name = "server";
  server.layer = continuity::asset_layer::hardware;
  spec.systems.push_back(server);
  for (const char* app : {"billing", "orders"}) {
    continuity::it_system<> s;
    s.name = app;
    s.depends_on = {continuity::requirement::all_of({"server"})};
    spec.systems.push_back(s);
    continuity::business_function<> f;
    f.name = std::string(app) + " work";
    f.importance = 3;
    f.system_dependency = 3;
    f.needs = {continuity::requirement::all_of({app})};
    spec.functions.push_back(f);
  }
  const continuity::model m(spec);
  const auto spofs = continuity::single_points_of_failure(m);
  if (spofs.empty() || m.system_at(spofs.front().system).name != "server" ||
      spofs.front().functions.size() != 2) {
    std::cerr << "unexpected single points of failure\n";
    return 1;
  }
  std::istringstream file(continuity::to_json(spec).dump());
  const continuity::model read = continuity::read_model(file, "consumer.json");
  if (read.system_count() != m.system_count() || read.function_count() != 2) {
    std::cerr << "the JSON round trip lost something\n";
    return 1;
  }
  std::cout << "continuity " << continuity::version_string << ": 'server' stops "
            << spofs.front().functions.size() << " functions\n";
  return 0;
}
