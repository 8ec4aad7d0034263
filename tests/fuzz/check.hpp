#pragma once

#include <cstdio>
#include <cstdlib>

// Checks a property of a fuzz target's result. A violated property is a finding like a crash:
// print what failed and abort, so that libFuzzer saves the input. Not a catch-all: exceptions
// escape to libFuzzer on their own.
#define FUZZ_CHECK(condition)                                                       \
  do {                                                                              \
    if (!(condition)) {                                                             \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)
