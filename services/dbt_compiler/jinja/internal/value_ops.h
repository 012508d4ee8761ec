// Value operations shared by the evaluator, the built-in filters and the Python methods:
// arithmetic with Python semantics, iteration, attribute/item access, UTF-8 helpers and the
// two Python string formatting flavours ('%' and str.format).
//
// Free functions; thread-safe for distinct values.
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_VALUE_OPS_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_VALUE_OPS_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/dbt_compiler/jinja/internal/ast.h"
#include "services/dbt_compiler/jinja/value.h"

namespace sqlmill::jinja::internal {

// Errors from template evaluation (Python's TypeError, ValueError, ...): INVALID_ARGUMENT.
absl::Status TypeError(std::string message);
// The error a misused undefined value raises.
absl::Status UndefinedError(const Value& v);

absl::StatusOr<Value> BinaryOp(BinOp op, const Value& a, const Value& b);
// Python `a in b`.
absl::StatusOr<bool> Contains(const Value& container, const Value& item);
// Materializes what `for x in v` iterates: list/tuple items, dict keys, string characters.
// Undefined iterates as empty unless `strict`.
absl::Status IterateValue(const Value& v, bool strict, std::vector<Value>* out);
// `obj.name` as Jinja2 resolves it (Python attribute first, then item).
Value GetAttr(const Value& obj, std::string_view name);
// `obj[key]` as Jinja2 resolves it (item first, then attribute for string keys).
Value GetItem(const Value& obj, const Value& key);
// obj[start:stop:step] for lists, tuples and strings.
absl::StatusOr<Value> Slice(const Value& obj, const Value& start, const Value& stop,
                            const Value& step);
// len(v), or an error for values without a length.
absl::StatusOr<int64_t> Length(const Value& v);

// Calls a Python method of a str, list or dict. Sets *found false if there is no such method.
absl::StatusOr<Value> CallBuiltinMethod(const Value& self, std::string_view name,
                                        const CallArgs& args, CallContext& ctx, bool* found);
// True if `name` is a method of the value's builtin type (str, list, dict).
bool HasBuiltinMethod(const Value& self, std::string_view name);

// 'fmt' % args.
absl::StatusOr<std::string> PercentFormat(std::string_view fmt, const Value& args);
// 'fmt'.format(*args, **kwargs).
absl::StatusOr<std::string> StrFormat(std::string_view fmt, const CallArgs& args);

// UTF-8 helpers: strings are UTF-8; Python indexes code points.
bool IsAscii(std::string_view s);
std::vector<uint32_t> DecodeUtf8(std::string_view s);
std::string EncodeUtf8(const std::vector<uint32_t>& cps);
void AppendUtf8(uint32_t cp, std::string* out);
int64_t Utf8Length(std::string_view s);
std::string ToUpper(std::string_view s);
std::string ToLower(std::string_view s);
bool IsPySpace(uint32_t cp);
// Strips ASCII whitespace from both ends.
std::string_view StripAscii(std::string_view s);

// Python int()/float() conversions used by filters; false when not convertible.
bool ParsePyInt(std::string_view s, int base, int64_t* out);
bool ParsePyFloat(std::string_view s, double* out);

// Binds call arguments to parameter names for builtins: fills `out` (size = names.size())
// with the positional then keyword values, leaving missing ones undefined. Fails on unknown
// keywords or too many positionals.
absl::Status BindArgs(std::string_view what, const CallArgs& args,
                      std::initializer_list<std::string_view> names, std::vector<Value>* out);

// Sorting with Python's ordering; returns an error for unorderable values.
absl::Status SortValues(std::vector<Value>* values, bool reverse,
                        const std::function<absl::StatusOr<Value>(const Value&)>& key);

}  // namespace sqlmill::jinja::internal

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_INTERNAL_VALUE_OPS_H_
