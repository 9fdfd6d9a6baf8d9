// continuity/synthetic.hpp — seeded synthetic inventories for benchmarks,
// tests and demonstrations.
#pragma once
#include <continuity/synthetic/inventory.hpp>
