// dbt's set(): a Python set for templates. Compares by content whatever the order
// (dbt_utils.equality compares two column sets with !=), prints like Python ({'a', 'b'},
// set() when empty) in insertion order (Python's own order for strings changes from run to
// run), and has the methods macros call: add, update, discard, remove, union, intersection,
// difference, symmetric_difference, issubset, issuperset, isdisjoint, copy.
//
// Ownership: a set owns its items. Thread-safety: a set belongs to the render that made it.
//
//   SQLMILL_ASSIGN_OR_RETURN(jinja::Value s, MakeSet(args.args[0]));
#ifndef SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SET_VALUE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SET_VALUE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::dbt {

// Returns the items Python would iterate: a list's or tuple's items, a dict's keys, a
// string's characters, an iterable object's items; none for undefined or none.
// INVALID_ARGUMENT for a value that is not iterable.
absl::StatusOr<std::vector<jinja::Value>> IterableItems(const jinja::Value& v);

// Returns a set of the distinct items of `iterable` (a list, tuple, dict's keys, string's
// characters or an iterable object); undefined or none gives the empty set. INVALID_ARGUMENT
// for a value that is not iterable.
absl::StatusOr<jinja::Value> MakeSet(const jinja::Value& iterable);

}  // namespace sqlmill::dbt

#endif  // SQLMILL_SERVICES_DBT_COMPILER_ENGINE_SET_VALUE_H_
