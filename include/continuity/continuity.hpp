// continuity/continuity.hpp — everything: model, analyses, recovery planning, loss.
#pragma once
#include <continuity/error.hpp>
#include <continuity/version.hpp>
