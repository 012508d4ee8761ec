// SetObject: the distinct items in insertion order, with value equality.
#include "services/dbt_compiler/engine/set_value.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"

namespace sqlmill::dbt {
namespace {

using jinja::CallArgs;
using jinja::CallContext;
using jinja::Value;


class SetObject : public jinja::Object {
 public:
  SetObject() = default;

  bool Contains(const Value& x) const {
    for (const Value& y : items_) {
      if (jinja::Equals(x, y)) return true;
    }
    return false;
  }
  void Add(const Value& x) {
    if (!Contains(x)) items_.push_back(x);
  }
  const std::vector<Value>& items() const { return items_; }

  std::string_view TypeName() const override { return "set"; }
  bool Iterate(std::vector<Value>* out) const override {
    *out = items_;
    return true;
  }
  bool Truthy() const override { return !items_.empty(); }
  std::string Str() const override {
    if (items_.empty()) return "set()";
    std::string out = "{";
    for (size_t i = 0; i < items_.size(); ++i) absl::StrAppend(&out, i ? ", " : "", items_[i].Repr());
    return out + "}";
  }
  bool Equals(const Object& other) const override {
    const auto* o = dynamic_cast<const SetObject*>(&other);
    if (o == nullptr || o->items_.size() != items_.size()) return false;
    for (const Value& x : items_) {
      if (!o->Contains(x)) return false;
    }
    return true;
  }
  size_t Hash() const override {
    size_t h = 0x5e7;
    for (const Value& x : items_) h += jinja::HashValue(x) * 0x9e3779b97f4a7c15ull;  // order-free
    return h;
  }
  Value GetAttr(std::string_view name) const override;

 private:
  std::vector<Value> items_;
};

Value NewSet(std::vector<Value> items) {
  auto s = std::make_shared<SetObject>();
  for (const Value& x : items) s->Add(x);
  return Value::FromObject(std::move(s));
}

Value SetObject::GetAttr(std::string_view name) const {
  auto self = std::static_pointer_cast<SetObject>(std::const_pointer_cast<Object>(shared_from_this()));
  auto method = [&](auto body) {
    return jinja::MakeFunction(std::string(name), [self, body](const CallArgs& a, CallContext&) -> absl::StatusOr<Value> {
      return body(*self, a);
    });
  };
  // The items of every positional argument, one after the other.
  auto args_items = [](const CallArgs& a) -> absl::StatusOr<std::vector<std::vector<Value>>> {
    std::vector<std::vector<Value>> out;
    for (const Value& v : a.args) {
      SQLMILL_ASSIGN_OR_RETURN(std::vector<Value> items, IterableItems(v));
      out.push_back(std::move(items));
    }
    return out;
  };
  auto one = [](const CallArgs& a, std::string_view what) -> absl::StatusOr<Value> {
    if (a.args.size() != 1) {
      return absl::InvalidArgumentError(absl::StrCat("set.", AsAbsl(what), "() takes exactly one argument (",
                                                     a.args.size(), " given)"));
    }
    return a.args[0];
  };
  if (name == "add" || name == "discard" || name == "remove") {
    const std::string op(name);
    return method([op, one](SetObject& s, const CallArgs& a) -> absl::StatusOr<Value> {
      SQLMILL_ASSIGN_OR_RETURN(Value x, one(a, op));
      if (op == "add") {
        s.Add(x);
        return Value::None();
      }
      for (size_t i = 0; i < s.items_.size(); ++i) {
        if (jinja::Equals(s.items_[i], x)) {
          s.items_.erase(s.items_.begin() + static_cast<std::ptrdiff_t>(i));
          return Value::None();
        }
      }
      if (op == "remove") return absl::InvalidArgumentError(absl::StrCat("KeyError: ", x.Repr()));
      return Value::None();
    });
  }
  if (name == "update") {
    return method([args_items](SetObject& s, const CallArgs& a) -> absl::StatusOr<Value> {
      SQLMILL_ASSIGN_OR_RETURN(auto lists, args_items(a));
      for (const auto& items : lists) {
        for (const Value& x : items) s.Add(x);
      }
      return Value::None();
    });
  }
  if (name == "union" || name == "intersection" || name == "difference" || name == "symmetric_difference") {
    const std::string op(name);
    return method([op, args_items](SetObject& s, const CallArgs& a) -> absl::StatusOr<Value> {
      SQLMILL_ASSIGN_OR_RETURN(auto lists, args_items(a));
      std::vector<Value> out = s.items_;
      for (const auto& items : lists) {
        auto other = std::make_shared<SetObject>();
        for (const Value& x : items) other->Add(x);
        std::vector<Value> next;
        if (op == "union") {
          next = out;
          for (const Value& x : other->items_) {
            bool seen = false;
            for (const Value& y : next) seen = seen || jinja::Equals(x, y);
            if (!seen) next.push_back(x);
          }
        } else if (op == "intersection" || op == "difference") {
          for (const Value& x : out) {
            if (other->Contains(x) == (op == "intersection")) next.push_back(x);
          }
        } else {  // symmetric_difference
          auto mine = std::make_shared<SetObject>();
          for (const Value& x : out) mine->Add(x);
          for (const Value& x : out) {
            if (!other->Contains(x)) next.push_back(x);
          }
          for (const Value& x : other->items_) {
            if (!mine->Contains(x)) next.push_back(x);
          }
        }
        out = std::move(next);
      }
      return NewSet(std::move(out));
    });
  }
  if (name == "issubset" || name == "issuperset" || name == "isdisjoint") {
    const std::string op(name);
    return method([op, one](SetObject& s, const CallArgs& a) -> absl::StatusOr<Value> {
      SQLMILL_ASSIGN_OR_RETURN(Value v, one(a, op));
      SQLMILL_ASSIGN_OR_RETURN(std::vector<Value> items, IterableItems(v));
      auto other = std::make_shared<SetObject>();
      for (const Value& x : items) other->Add(x);
      bool result = true;
      if (op == "issubset") {
        for (const Value& x : s.items_) result = result && other->Contains(x);
      } else if (op == "issuperset") {
        for (const Value& x : other->items_) result = result && s.Contains(x);
      } else {
        for (const Value& x : s.items_) result = result && !other->Contains(x);
      }
      return Value::Bool(result);
    });
  }
  if (name == "copy") {
    return method([](SetObject& s, const CallArgs&) -> absl::StatusOr<Value> { return NewSet(s.items_); });
  }
  return Object::GetAttr(name);
}

}  // namespace

absl::StatusOr<std::vector<Value>> IterableItems(const Value& v) {
  if (v.is_undefined() || v.is_none()) return std::vector<Value>{};
  if (v.is_sequence()) return v.items();
  if (v.is_dict()) {
    std::vector<Value> keys;
    for (const auto& [k, x] : v.dict()->entries()) keys.push_back(k);
    return keys;
  }
  if (v.is_string()) {
    std::vector<Value> chars;
    for (char c : v.as_string()) chars.push_back(Value::String(std::string(1, c)));
    return chars;
  }
  if (v.is_object()) {
    std::vector<Value> items;
    if (v.object()->Iterate(&items)) return items;
  }
  return absl::InvalidArgumentError(absl::StrCat("'", AsAbsl(v.TypeName()), "' object is not iterable"));
}

absl::StatusOr<Value> MakeSet(const Value& iterable) {
  SQLMILL_ASSIGN_OR_RETURN(std::vector<Value> items, IterableItems(iterable));
  return NewSet(std::move(items));
}

}  // namespace sqlmill::dbt
