// continuity/io.hpp — reading and writing models (JSON; needs nlohmann-json).
#pragma once
#include <continuity/io/duration.hpp>
#include <continuity/io/json.hpp>
#include <continuity/io/psplib.hpp>
