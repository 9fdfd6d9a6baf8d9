#include <continuity/continuity.hpp>
#include <iostream>
int main() { std::cout << continuity::version_string << '\n'; }
