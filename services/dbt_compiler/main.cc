// dbt-compiler-server: the dbt_compiler service alone. `dbt-compiler-server --help` lists
// the flags; the all-in-one sqlmill-server hosts the same service beside the others.
#include <iostream>

#include "common/server/serve_main.h"
#include "services/dbt_compiler/service/dbt_compiler_service.h"

int main(int argc, char** argv) {
  return sqlmill::ServeMain(
      "dbt-compiler-server", {argv + 1, argv + argc},
      [](const sqlmill::ServingEnv& env) {
        sqlmill::DbtCompilerServiceOptions options;
        options.limits = env.limits;
        options.scheduler = env.scheduler;
        std::vector<sqlmill::NamedService> services;
        services.push_back({"sqlmill.v1.DbtCompilerService",
                            std::make_unique<sqlmill::DbtCompilerServiceImpl>(options)});
        return services;
      },
      std::cout, std::cerr);
}
