#pragma once

#include <vector>

#include "api/native/users_routes.hpp"

namespace contactd::api::native {

// /webhooks, /webhooks/{id} and /webhooks/{id}/rotate-secret.
std::vector<RouteSpec> WebhookRoutes();

}  // namespace contactd::api::native
