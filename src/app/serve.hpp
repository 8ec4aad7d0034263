#pragma once

#include "app/config.hpp"

namespace contactd::app {

// `contactd serve`: opens and migrates the store, creates a demo account with an admin token on
// an empty database (printed once), wires the API surfaces and serves until SIGINT/SIGTERM.
// Returns the exit code; throws std::exception on start-up failure.
int Serve(const ServeConfig& config);

}  // namespace contactd::app
