// Target platforms as data: for each warehouse, how every SQL Server type maps (and what is
// lost), identifier rules (maximum length, case folding, characters that need quoting,
// reserved words), which SQL Server features carry over, and how T-SQL functions used in
// defaults translate. Profiles are YAML documents (services/schema_validator/targets/*.yaml,
// embedded into the binary at build time); adding a target is adding a file, not code.
//
// Ownership: a TargetRegistry owns its profiles; profiles are immutable once loaded.
// Thread-safety: const access from many threads is safe (BuiltinTargets() is built once).
//
//   SQLMILL_ASSIGN_OR_RETURN(const TargetRegistry* targets, BuiltinTargets());
//   const TargetProfile* pg = targets->Find("postgres");
//   TypeMapping m = pg->MapType(NormalizeType(*ParseTypeText("datetimeoffset(7)")));
//   // m.target_type "timestamptz(6)", m.loss TypeLoss::kSemantics
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TARGET_PROFILE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TARGET_PROFILE_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "common/base/diagnostic.h"
#include "services/sql_parser/engine/catalog.h"

namespace sqlmill::validator {

enum class TypeLoss { kNone, kPrecision, kRange, kSemantics, kNoEquivalent };
// Returns "none", "precision", "range", "semantics" or "no-equivalent".
const char* TypeLossName(TypeLoss loss);
std::optional<TypeLoss> TypeLossFromName(std::string_view name);

enum class CaseFolding {
  kNone,         // case-sensitive: names are kept and compared as written
  kLower,        // unquoted names fold to lower case (PostgreSQL, Redshift)
  kUpper,        // unquoted names fold to upper case (Snowflake)
  kInsensitive,  // case is kept but names compare case-insensitively (SQL Server)
};

enum class FeatureSupport { kYes, kPartial, kNo };

// The SQL Server features a profile may describe (ids used in the `features:` section).
const std::vector<std::string>& KnownFeatureIds();

struct TypeMapping {
  std::string target_type;
  TypeLoss loss = TypeLoss::kNone;
  std::string explanation;
  std::string suggestion;
};

struct FeatureInfo {
  FeatureSupport support = FeatureSupport::kYes;
  Severity severity = Severity::kWarning;
  std::string explanation;
  std::string suggestion;
};

struct FunctionInfo {
  std::string target;  // the equivalent expression; empty when there is none
  std::string explanation;
};

enum class IdentifierKind { kTable, kColumn, kOther };

class TargetProfile {
 public:
  // Parses a profile from YAML. Errors are INVALID_ARGUMENT naming file:line.
  static absl::StatusOr<TargetProfile> FromYaml(std::string_view yaml, std::string_view file_name);

  const std::string& name() const { return name_; }
  const std::string& display_name() const { return display_name_; }
  // True for SQL Server itself: T-SQL expressions carry over unchanged.
  bool native_tsql() const { return native_tsql_; }

  // Maps a normalized SQL Server type. Unknown or user-defined types map to
  // TypeLoss::kNoEquivalent with an explanation.
  TypeMapping MapType(const tsql::DataType& type) const;
  // Returns true when the profile has an entry for the built-in type name.
  bool HasTypeEntry(std::string_view type_name) const;

  // Identifier rules.
  int64_t MaxIdentifierLength(IdentifierKind kind) const;
  bool length_in_bytes() const { return length_in_bytes_; }
  bool truncates_silently() const { return truncates_; }
  CaseFolding case_folding() const { return case_folding_; }
  // Returns the identifier's length in the profile's unit (bytes or code points).
  int64_t IdentifierLength(std::string_view ident) const;
  // Returns the name as the target stores it when written unquoted.
  std::string Fold(std::string_view ident) const;
  // Returns the key two names collide on in the target (folded, truncated, and lower-cased
  // for case-insensitive comparison).
  std::string CollisionKey(std::string_view ident, IdentifierKind kind) const;
  bool IsReserved(std::string_view word) const;
  // Returns true when the name can be written unquoted (allowed characters only).
  bool IsPlainIdentifier(std::string_view ident) const;
  // The character that opens a quoted identifier: '"' (the default), '`' or '['.
  char quote_char() const { return quote_char_; }

  // Returns the feature's entry, or null when the feature carries over unchanged.
  const FeatureInfo* Feature(std::string_view feature_id) const;
  // Returns the function's entry (name lower-case, without parentheses), or null.
  const FunctionInfo* Function(std::string_view function_name) const;

 private:
  struct TypeRule {
    std::optional<bool> is_max;
    std::optional<int64_t> length_gt, length_le, precision_gt, precision_le, scale_gt,
        scale_le, integer_digits_gt, integer_digits_le;
    std::optional<bool> has_xml_schema;
    std::string target;  // template: {length} {precision} {scale}
    int64_t length_factor = 1;
    int64_t length_cap = 0;
    TypeLoss loss = TypeLoss::kNone;
    std::string explanation;
    std::string suggestion;
  };
  bool Matches(const TypeRule& rule, const tsql::DataType& type) const;
  static absl::StatusOr<TypeRule> ParseTypeRule(const void* node, std::string_view file);

  std::string name_;
  std::string display_name_;
  bool native_tsql_ = false;
  int64_t max_length_ = 128;
  int64_t max_table_length_ = 0;
  int64_t max_column_length_ = 0;
  bool length_in_bytes_ = false;
  bool truncates_ = false;
  CaseFolding case_folding_ = CaseFolding::kInsensitive;
  char quote_char_ = '"';
  std::array<bool, 128> first_chars_{};
  std::array<bool, 128> rest_chars_{};
  absl::flat_hash_set<std::string> reserved_;  // upper case
  std::map<std::string, std::vector<TypeRule>> types_;
  absl::flat_hash_map<std::string, FeatureInfo> features_;
  absl::flat_hash_map<std::string, FunctionInfo> functions_;
};

class TargetRegistry {
 public:
  TargetRegistry() = default;
  TargetRegistry(TargetRegistry&&) = default;
  TargetRegistry& operator=(TargetRegistry&&) = default;

  // Adds a profile; INVALID_ARGUMENT if the name is taken.
  absl::Status Add(TargetProfile profile);
  // Loads every *.yaml file of a directory (for targets added at deployment).
  absl::Status LoadDirectory(const std::string& path);
  // Returns the profile (case-insensitive name), or null.
  const TargetProfile* Find(std::string_view name) const;
  // Returns the names in sorted order.
  std::vector<std::string> names() const;
  // The names of the warehouse targets (every profile but SQL Server itself), sorted.
  std::vector<std::string> warehouse_names() const;

 private:
  std::map<std::string, std::unique_ptr<TargetProfile>> profiles_;
};

// Returns a registry with the built-in profiles (postgres, snowflake, bigquery, redshift,
// databricks, sqlserver) parsed from the embedded YAML. Built once; an error means broken
// built-in data.
absl::StatusOr<const TargetRegistry*> BuiltinTargets();
// Builds a fresh registry from the built-in YAML (for callers that add more targets).
absl::StatusOr<TargetRegistry> LoadBuiltinTargets();

// The embedded YAML files: (file name, contents). Generated at build time.
struct EmbeddedFile {
  const char* name;
  const char* contents;
};
const std::vector<EmbeddedFile>& EmbeddedTargetFiles();

}  // namespace sqlmill::validator

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TARGET_PROFILE_H_
