// sql-parser-server: the sql_parser service alone. `sql-parser-server --help` lists the
// flags; the all-in-one sqlmill-server hosts the same service beside the others.
#include <iostream>

#include "common/server/serve_main.h"
#include "services/sql_parser/service/sql_parser_service.h"

int main(int argc, char** argv) {
  return sqlmill::ServeMain(
      "sql-parser-server", {argv + 1, argv + argc},
      [](const sqlmill::ServingEnv& env) {
        sqlmill::SqlParserServiceOptions options;
        options.limits = env.limits;
        options.scheduler = env.scheduler;
        std::vector<sqlmill::NamedService> services;
        services.push_back({"sqlmill.v1.SqlParserService",
                            std::make_unique<sqlmill::SqlParserServiceImpl>(options)});
        return services;
      },
      std::cout, std::cerr);
}
