// Boxed<T>: an optional value kept on the heap, with value semantics.
//
// Catalog structs are held by the hundred thousand; a member that is usually absent but
// large (a column's DEFAULT constraint, a table's primary key) costs its full size in every
// object when it is a std::optional. Boxed<T> costs one pointer when empty and reads like
// std::optional: `if (c.default_constraint) use(c.default_constraint->name);`,
// `c.default_constraint = Constraint{...};`, `.reset()`, `.has_value()`, `.value()`.
// Copies are deep; moves move the pointer. Comparison compares the values.
//
// Thread-safety: as for T.
#ifndef SQLMILL_COMMON_BASE_BOXED_H_
#define SQLMILL_COMMON_BASE_BOXED_H_

#include <memory>
#include <optional>
#include <utility>

namespace sqlmill {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT: reads as std::optional
  Boxed(const T& value) : value_(std::make_unique<T>(value)) {}  // NOLINT
  Boxed(T&& value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }
  Boxed& operator=(const T& value) { return *this = Boxed(value); }
  Boxed& operator=(T&& value) {
    if (value_) {
      *value_ = std::move(value);
    } else {
      value_ = std::make_unique<T>(std::move(value));
    }
    return *this;
  }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return value_ != nullptr; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  void reset() { value_.reset(); }
  template <typename... Args>
  T& emplace(Args&&... args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a.has_value() || *a == *b;
  }

 private:
  std::unique_ptr<T> value_;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_BASE_BOXED_H_
