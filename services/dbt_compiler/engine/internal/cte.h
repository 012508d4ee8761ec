// Ephemeral-model CTE injection as dbt does it: the CTEs go right after the first top-level
// WITH (or WITH RECURSIVE) of the compiled SQL, followed by ", ", or, when there is no WITH,
// a "with" is added in front of the first token. Free function; thread-safe.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_CTE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_CTE_H_

#include <string>
#include <string_view>
#include <vector>

namespace sqlmill::dbt {

// `ctes` are the CTE texts, each " <name> as (\n<sql>\n)".
std::string InjectCtes(std::string_view sql, const std::vector<std::string>& ctes);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_INTERNAL_CTE_H_
