// The services the all-in-one server hosts.
//
// Only services whose engines are part of this build are made (SQLMILL_HAVE_*); a service is
// never registered to answer with a placeholder.
#ifndef SQLMILL_TOOLS_ALL_SERVICES_H_
#define SQLMILL_TOOLS_ALL_SERVICES_H_

#include <vector>

#include "common/base/limits.h"
#include "common/server/serve_main.h"

namespace sqlmill {

// Makes every service of this build with the given request limits and scheduler.
std::vector<NamedService> MakeAllServices(const ServingEnv& env);

}  // namespace sqlmill

#endif  // SQLMILL_TOOLS_ALL_SERVICES_H_
