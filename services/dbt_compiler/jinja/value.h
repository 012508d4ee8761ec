// The value model of the Jinja engine: what template expressions compute and what the host
// passes in and gets back.
//
// A Value is a small tagged handle: none, undefined, bool, int (int64), float (double) and
// string are held inline or behind an immutable shared string; list, tuple and dict are
// shared, mutable containers (Python reference semantics: `{% do xs.append(1) %}` changes
// the list every holder sees); everything else (functions, macros, namespaces, the loop
// object, host objects) is an Object behind a shared_ptr.
//
// Printing follows Python: Str() is str(), Repr() is repr() (used inside containers);
// floats print like Python's repr (shortest round trip, `1.0`, `1e+20`, `inf`).
//
// Thread-safety: a Value is as thread-safe as a shared_ptr: copying the same Value from
// several threads is fine; mutating a shared list/dict/object while another thread reads it
// is not. Values given to the Environment as globals must not be mutated by templates —
// rendering copies the top-level context, not nested containers, so hosts that share
// mutable containers between concurrent renders must give each render its own copy.
//
//   Value v = Value::Dict();
//   v.dict()->Set(Value::String("n"), Value::Int(42));
//   std::string s = v.Repr();   // {'n': 42}
#ifndef SQLMILL_SERVICES_DBT_COMPILER_JINJA_VALUE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_JINJA_VALUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sqlmill::jinja {

enum class ValueKind : uint8_t {
  kUndefined,
  kNone,
  kBool,
  kInt,
  kFloat,
  kString,
  kList,
  kTuple,
  kDict,
  kObject,
};

class Value;
class DictData;
class Object;
class CallContext;

struct ListData {
  std::vector<Value> items;
};

class Value {
 public:
  Value() : kind_(ValueKind::kUndefined), i_(0) {}

  static Value None() { return Value(ValueKind::kNone); }
  static Value Bool(bool b) {
    Value v(ValueKind::kBool);
    v.b_ = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v(ValueKind::kInt);
    v.i_ = i;
    return v;
  }
  static Value Float(double f) {
    Value v(ValueKind::kFloat);
    v.f_ = f;
    return v;
  }
  static Value String(std::string s);
  static Value String(std::string_view s) { return String(std::string(s)); }
  static Value String(const char* s) { return String(std::string(s)); }
  static Value List(std::vector<Value> items = {});
  static Value Tuple(std::vector<Value> items = {});
  static Value Dict();
  static Value FromObject(std::shared_ptr<Object> object);
  // An undefined value; `hint` is the message used if it is misused, e.g. "'x' is undefined".
  static Value Undefined(std::string hint = "");

  ValueKind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == ValueKind::kUndefined; }
  bool is_none() const { return kind_ == ValueKind::kNone; }
  bool is_bool() const { return kind_ == ValueKind::kBool; }
  bool is_int() const { return kind_ == ValueKind::kInt; }
  bool is_float() const { return kind_ == ValueKind::kFloat; }
  // int, float or bool (Python's numbers.Number includes bool).
  bool is_number() const {
    return kind_ == ValueKind::kInt || kind_ == ValueKind::kFloat || kind_ == ValueKind::kBool;
  }
  bool is_string() const { return kind_ == ValueKind::kString; }
  bool is_list() const { return kind_ == ValueKind::kList; }
  bool is_tuple() const { return kind_ == ValueKind::kTuple; }
  bool is_sequence() const { return kind_ == ValueKind::kList || kind_ == ValueKind::kTuple; }
  bool is_dict() const { return kind_ == ValueKind::kDict; }
  bool is_object() const { return kind_ == ValueKind::kObject; }
  bool is_callable() const;

  bool as_bool() const { return b_; }
  int64_t as_int() const { return kind_ == ValueKind::kBool ? (b_ ? 1 : 0) : i_; }
  // The numeric value of an int, float or bool as a double.
  double as_double() const {
    return kind_ == ValueKind::kFloat ? f_ : static_cast<double>(as_int());
  }
  const std::string& as_string() const { return *static_cast<const std::string*>(ptr_.get()); }
  ListData* list() const { return static_cast<ListData*>(ptr_.get()); }
  const std::vector<Value>& items() const { return list()->items; }
  DictData* dict() const { return static_cast<DictData*>(ptr_.get()); }
  Object* object() const { return static_cast<Object*>(ptr_.get()); }
  std::shared_ptr<Object> shared_object() const { return std::static_pointer_cast<Object>(ptr_); }
  // The message for a misused undefined value.
  std::string undefined_hint() const;
  // True if both hold the same container/object (Python's `is`) or are equal scalars.
  bool SameAs(const Value& other) const;

  // Python truthiness.
  bool Truthy() const;
  // Python str(): what `{{ value }}` prints. Undefined prints as "".
  std::string Str() const;
  void AppendStr(std::string* out) const;
  // Python repr(): how the value prints inside a list or dict.
  std::string Repr() const;
  void AppendRepr(std::string* out) const;
  // The Python type name used in error messages: "int", "str", "dict", "NoneType".
  std::string_view TypeName() const;

 private:
  explicit Value(ValueKind kind) : kind_(kind), i_(0) {}

  ValueKind kind_;
  union {
    bool b_;
    int64_t i_;
    double f_;
  };
  std::shared_ptr<void> ptr_;
};

// Python ==: numbers compare by value across int/float/bool, containers element-wise.
bool Equals(const Value& a, const Value& b);
// Python <, returning an error for unorderable types (e.g. str < int).
absl::StatusOr<bool> LessThan(const Value& a, const Value& b);
// A hash consistent with Equals (1 == 1.0 == True hash alike).
size_t HashValue(const Value& v);

// An insertion-ordered dict with Python key semantics.
class DictData {
 public:
  const Value* Find(const Value& key) const;
  const Value* FindStr(std::string_view key) const;
  Value* FindMutable(const Value& key);
  void Set(Value key, Value value);
  void SetStr(std::string_view key, Value value) { Set(Value::String(key), std::move(value)); }
  bool Erase(const Value& key);
  void Clear();
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }

 private:
  static constexpr size_t kIndexThreshold = 12;
  void Reindex();
  int FindIndex(const Value& key) const;
  int FindIndexStr(std::string_view key) const;

  std::vector<std::pair<Value, Value>> entries_;
  // Built only for larger dicts: hash -> entry indices.
  absl::flat_hash_map<size_t, std::vector<int>> index_;
};

// Arguments of a call: positional, then keyword in call order.
struct CallArgs {
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;

  // Returns the keyword argument `name`, or null.
  const Value* Kwarg(std::string_view name) const;
};

// Anything that is not a plain value: functions, macros, namespaces, host objects.
// Subclass it to expose host objects with attributes and methods to templates.
class Object : public std::enable_shared_from_this<Object> {
 public:
  virtual ~Object() = default;

  // The name used in messages, e.g. "dict object" style: TypeName() + " object".
  virtual std::string_view TypeName() const { return "object"; }
  // Returns the attribute, or an undefined Value when there is none.
  virtual Value GetAttr(std::string_view name) const;
  virtual absl::Status SetAttr(std::string_view name, Value value);
  // Subscript access obj[key]; defaults to GetAttr for string keys.
  virtual Value GetItem(const Value& key) const;
  virtual bool IsCallable() const { return false; }
  virtual absl::StatusOr<Value> Call(const CallArgs& args, CallContext& ctx);
  // Iteration support: return true and fill `out` if the object is iterable.
  virtual bool Iterate(std::vector<Value>* out) const {
    (void)out;
    return false;
  }
  virtual std::string Str() const;
  virtual std::string Repr() const { return Str(); }
  virtual bool Truthy() const { return true; }
  // Value equality for ==, !=, `in` and dict keys; by default an object equals only itself.
  // Override Equals and Hash together: objects that are equal must hash alike.
  virtual bool Equals(const Object& other) const { return this == &other; }
  virtual size_t Hash() const { return std::hash<const void*>()(this); }
};

// A native function callable from templates: `name(args...)`.
using NativeFunction = std::function<absl::StatusOr<Value>(const CallArgs& args, CallContext& ctx)>;

// Wraps a NativeFunction as a callable Value.
Value MakeFunction(std::string name, NativeFunction fn);

// What native functions may ask of the render in progress.
class CallContext {
 public:
  virtual ~CallContext() = default;
  // Calls any callable value (a macro, native function, host object).
  virtual absl::StatusOr<Value> CallValue(const Value& callee, const CallArgs& args) = 0;
  // Looks a name up as the template would at the call site.
  virtual Value Resolve(std::string_view name) = 0;
  // Ends the innermost running macro (or the template render) with `value` as its result,
  // as dbt's return() does. Return the status it gives from the native function.
  virtual absl::Status ReturnFromMacro(Value value) = 0;
  // Charges work units to the render's fuel budget.
  virtual absl::Status Charge(uint64_t units) = 0;
};

// Formats a double as Python's repr() does.
std::string FormatFloat(double value);

}  // namespace sqlmill::jinja

#endif  // SQLMILL_SERVICES_DBT_COMPILER_JINJA_VALUE_H_
