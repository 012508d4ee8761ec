// Scaffold: plans names, casts and tests from the catalog, then renders the files
// (internal/render.cc) and the report (report_json.cc).
#include "services/dbt_compiler/scaffold/scaffold.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/dbt_compiler/scaffold/internal/check_values.h"
#include "services/dbt_compiler/scaffold/internal/naming.h"
#include "services/dbt_compiler/scaffold/internal/plan.h"
#include "services/schema_validator/engine/catalog_index.h"
#include "services/schema_validator/engine/validator.h"

namespace sqlmill::dbt {
namespace {

using scaffold_internal::AllocatedName;
using scaffold_internal::NameAllocator;
using scaffold_internal::Plan;
using scaffold_internal::QuoteIdentifier;
using scaffold_internal::SnakeCase;
using validator::IdentifierKind;
using validator::TypeLoss;

absl::Status CheckCancelled(const CancellationToken* cancel) {
  return cancel != nullptr ? cancel->Check() : absl::OkStatus();
}

const char* LossClass(TypeLoss loss) {
  switch (loss) {
    case TypeLoss::kNone: return "none";
    case TypeLoss::kPrecision: return "precision";
    case TypeLoss::kRange: return "range";
    case TypeLoss::kSemantics: return "semantics";
    case TypeLoss::kNoEquivalent: return "unsupported";
  }
  return "none";
}

bool Selected(const std::vector<std::string>& filter, std::string_view name) {
  if (filter.empty()) return true;
  for (const std::string& f : filter) {
    if (tsql::EqualsIgnoreCase(f, name)) return true;
  }
  return false;
}

// One line of text for a SQL comment or a report field.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  return out;
}

bool IsDateTimeFamily(std::string_view base) {
  return base == "datetime" || base == "datetime2" || base == "smalldatetime" || base == "datetimeoffset" ||
         base == "date";
}

// The obvious loaded_at_field: a system-versioned table's period start, else the first
// date/time column named like a last-modified stamp, in this order of preference.
const tsql::Column* LoadedAtColumn(const tsql::Table& t, const validator::CatalogIndex& index) {
  if (!t.period_start_column.empty()) {
    if (const tsql::Column* c = t.FindColumn(t.period_start_column)) return c;
  }
  static const char* const kNames[] = {
      "modified_date", "modified_at", "modified_on", "modified", "date_modified", "last_modified",
      "last_modified_date", "last_modified_at", "last_modified_on", "updated_at", "updated_on",
      "updated_date", "update_date", "date_updated", "last_updated", "last_update", "last_updated_at",
      "last_edited_when", "last_changed", "changed_at", "changed_date", "row_updated_at"};
  const tsql::Column* best = nullptr;
  size_t best_rank = std::size(kNames);
  for (const tsql::Column& c : t.columns) {
    if (!c.data_type) continue;
    const tsql::DataType* base = index.BaseType(t, c);
    if (base == nullptr || !IsDateTimeFamily(base->name) || base->name == "date") continue;
    const std::string snake = SnakeCase(c.name);
    for (size_t rank = 0; rank < best_rank; ++rank) {
      if (snake == kNames[rank]) {
        best = &c;
        best_rank = rank;
        break;
      }
    }
  }
  return best;
}

std::string DefaultProjectName(const std::vector<const tsql::Database*>& dbs) {
  if (dbs.size() == 1 && !dbs[0]->name.empty()) {
    std::string name = SnakeCase(dbs[0]->name);
    if (name[0] == '_') name = "db" + name;
    return name;
  }
  return "migration";
}

absl::Status CheckProjectName(std::string_view name, std::string_view field) {
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(field), " '", AsAbsl(name),
                                                 "' is not a dbt project name: use letters, digits and "
                                                 "underscores, not starting with a digit"));
}

class Planner {
 public:
  Planner(const tsql::Catalog& catalog, const ScaffoldOptions& options, const validator::TargetProfile& profile)
      : catalog_(catalog), options_(options), profile_(profile), index_(catalog),
        models_(profile, IdentifierKind::kTable, false), sources_(profile, IdentifierKind::kOther, false) {}

  absl::Status Build(const std::vector<const tsql::Database*>& dbs, Plan* plan, ScaffoldReport* report,
                     std::vector<Diagnostic>* diagnostics) {
    plan_ = plan;
    report_ = report;
    diagnostics_ = diagnostics;
    plan->profile = &profile_;
    const bool several_databases = dbs.size() > 1;
    for (const tsql::Database* db : dbs) {
      for (const tsql::Schema& schema : db->schemas) {
        if (!Selected(options_.schemas, schema.name)) continue;
        SkipOthers(*db, schema);
        if (schema.tables.empty()) continue;
        SQLMILL_RETURN_IF_ERROR(CheckCancelled(options_.cancel));
        AddSource(*db, schema, several_databases);
      }
    }
    for (size_t i = 0; i < plan->tables.size(); ++i) AddTests(i);
    return absl::OkStatus();
  }

 private:
  void Skip(std::string kind, const tsql::Database& db, const tsql::Schema& s, std::string_view name,
            std::string reason, const tsql::CatalogSpan& span) {
    report_->skipped.push_back({std::move(kind), validator::ObjectPath(db.name, s.name, name), std::move(reason),
                                index_.Locate(span)});
  }

  void SkipOthers(const tsql::Database& db, const tsql::Schema& s) {
    for (const tsql::View& v : s.views) {
      Skip("view", db, s, v.name, "views are logic, not landed data: port it as a model over the staging models",
           v.span);
    }
    for (const tsql::Routine& r : s.routines) {
      Skip(validator::RoutineKindName(r), db, s, r.name,
           "routines are not data: port the logic as models, macros or warehouse procedures", r.span);
    }
    for (const tsql::Trigger& t : s.triggers) {
      Skip("trigger", db, s, t.name, "warehouses have no triggers: move the logic into models", t.span);
    }
    for (const tsql::Sequence& q : s.sequences) {
      Skip("sequence", db, s, q.name, "sequences are not data: use the warehouse's own sequences or identity", q.span);
    }
    for (const tsql::Synonym& y : s.synonyms) {
      Skip("synonym", db, s, y.name, "synonyms are not data: reference the target object", y.span);
    }
  }

  void AddSource(const tsql::Database& db, const tsql::Schema& schema, bool several_databases) {
    scaffold_internal::SourcePlan src;
    const std::string base =
        several_databases ? absl::StrCat(SnakeCase(db.name), "_", SnakeCase(schema.name)) : SnakeCase(schema.name);
    AllocatedName name = sources_.Allocate(schema.name, base);
    if (!name.reason.empty()) {
      report_->renames.push_back({"source", validator::ObjectPath(db.name, schema.name, ""), base, name.name,
                                  name.reason});
    }
    src.name = name.name;
    src.database = db.name;
    src.schema = schema.name;
    src.landed_schema = absl::StrReplaceAll(options_.source_schema_pattern,
                                            {{"{database}", db.name}, {"{schema}", schema.name}});
    src.quote_schema = options_.quote_source_identifiers || scaffold_internal::NeedsQuotes(profile_, src.landed_schema);
    src.description = schema.description;
    for (const tsql::Table& t : schema.tables) {
      src.tables.push_back(plan_->tables.size());
      AddTable(db, schema, t, src.name);
    }
    plan_->sources.push_back(std::move(src));
  }

  void AddTable(const tsql::Database& db, const tsql::Schema& schema, const tsql::Table& t,
                const std::string& source_name) {
    ScaffoldTable rt;
    scaffold_internal::TablePlan tp;
    tp.table = &t;
    rt.database = db.name;
    rt.schema = schema.name;
    rt.name = t.name;
    rt.source_name = source_name;
    rt.location = index_.Locate(t.span);
    const std::string base = absl::StrCat("stg_", source_name, "__", SnakeCase(t.name));
    AllocatedName model = models_.Allocate(t.name, base);
    if (!model.reason.empty()) {
      report_->renames.push_back(
          {"model", validator::ObjectPath(db.name, schema.name, t.name), base, model.name, model.reason});
    }
    rt.model_name = model.name;
    rt.model_path = absl::StrCat("models/staging/", source_name, "/", model.name, ".sql");
    tp.source_identifier = t.name;
    tp.quote_identifier = options_.quote_source_identifiers || scaffold_internal::NeedsQuotes(profile_, t.name);
    tp.description = t.description;
    if (const tsql::Column* loaded = LoadedAtColumn(t, index_)) {
      rt.loaded_at_field = SourceRef(loaded->name);
    }
    if (t.columns.empty()) {
      rt.notes.push_back("the script does not list the table's columns (CREATE TABLE AS SELECT or an external "
                         "table without a column list): the staging model selects every landed column uncast");
      diagnostics_->push_back(Warn("scaffold-no-columns",
                                   absl::StrCat("table '", t.name, "' has no column list: its staging model '",
                                                model.name, "' selects * without casts"),
                                   rt.location));
    }
    NameAllocator columns(profile_, IdentifierKind::kColumn, options_.keep_names);
    rt.columns.reserve(t.columns.size());
    tp.columns.reserve(t.columns.size());
    for (const tsql::Column& c : t.columns) {
      ScaffoldColumn rc;
      scaffold_internal::ColumnPlan cp;
      rc.name = c.name;
      rc.location = index_.Locate(c.span);
      rc.nullable = Nullable(db, schema, t, c);
      AllocatedName alias = columns.Allocate(c.name);
      const std::string plain = options_.keep_names ? c.name : SnakeCase(c.name);
      if (!alias.reason.empty()) {
        report_->renames.push_back({"column", validator::ObjectPath(db.name, schema.name, t.name, c.name), plain,
                                    alias.name, alias.reason});
      }
      rc.model_name = alias.name;
      cp.alias_quoted = alias.quoted;
      cp.alias_sql = QuoteIdentifier(profile_, alias.name, /*force_quotes=*/alias.quoted);
      cp.source_ref = SourceRef(c.name);
      cp.description = c.description;
      MapColumn(t, c, &rc, &cp);
      rt.columns.push_back(std::move(rc));
      tp.columns.push_back(std::move(cp));
    }
    model_of_[&t] = plan_->tables.size();
    report_->tables.push_back(std::move(rt));
    plan_->tables.push_back(std::move(tp));
  }

  std::string SourceRef(std::string_view name) const {
    return QuoteIdentifier(profile_, name, options_.quote_source_identifiers);
  }

  // As SQL Server decides: the column's NULL/NOT NULL, else its alias type's, else NULL; a
  // primary-key column is NOT NULL.
  bool Nullable(const tsql::Database& db, const tsql::Schema& schema, const tsql::Table& t,
                const tsql::Column& c) const {
    if (InPrimaryKey(t, c.name)) return false;
    if (c.nullability == tsql::Nullability::kUnspecified && c.data_type) {
      const tsql::UserDefinedType* udt = index_.FindUserType(*c.data_type, db.name, schema.name);
      if (udt != nullptr && udt->kind == tsql::TypeKind::kAlias) return udt->nullability != tsql::Nullability::kNotNull;
    }
    return validator::IsNullable(c);
  }

  static bool InPrimaryKey(const tsql::Table& t, std::string_view column) {
    if (!t.primary_key) return false;
    for (const tsql::KeyColumn& k : t.primary_key->columns) {
      if (tsql::EqualsIgnoreCase(k.name, column)) return true;
    }
    return false;
  }

  void MapColumn(const tsql::Table& t, const tsql::Column& c, ScaffoldColumn* rc,
                 scaffold_internal::ColumnPlan* cp) {
    if (!c.data_type) {
      rc->source_type = c.computed ? "computed" : "";
      rc->loss = "semantics";
      rc->why = c.computed ? absl::StrCat("computed column (AS ", OneLine(c.computed->expression),
                                          "): the warehouse gets the landed values, not the computation, and "
                                          "the type follows the expression")
                           : "the script gives no type for this column";
      rc->suggestion = c.computed ? "recompute it in a model, or cast it once the landed type is known" : "";
      cp->comment = absl::StrCat("semantics: ", rc->why);
      return;
    }
    rc->source_type = c.data_type->text.empty() ? c.data_type->name : c.data_type->text;
    const tsql::DataType* base = index_.BaseType(t, c);
    const validator::TypeMapping m = base != nullptr ? profile_.MapType(*base) : profile_.MapType(*c.data_type);
    rc->base_type = base != nullptr ? base->text : rc->source_type;
    rc->target_type = m.target_type;
    rc->loss = LossClass(m.loss);
    rc->why = OneLine(m.explanation);
    rc->suggestion = OneLine(m.suggestion);
    if (m.loss != TypeLoss::kNone || m.target_type.empty()) {
      const std::string from = rc->base_type == rc->source_type ? rc->source_type
                                                                : absl::StrCat(rc->source_type, " (", rc->base_type, ")");
      cp->comment = absl::StrCat(rc->loss, ": ", from, " -> ",
                                 m.target_type.empty() ? std::string("no cast") : m.target_type,
                                 rc->why.empty() ? "" : ": ", rc->why);
    }
  }

  static Diagnostic Warn(std::string code, std::string message, const validator::LocatedSpan& at) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = at.file;
    d.span = at.span;
    d.location = at.begin;
    d.end_location = at.end;
    return d;
  }

  // Column index in `t` by SQL Server name, or -1.
  static int ColumnIndex(const tsql::Table& t, std::string_view name) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (tsql::EqualsIgnoreCase(t.columns[i].name, name)) return static_cast<int>(i);
    }
    return -1;
  }

  void AddTests(size_t ti) {
    if (!options_.tests) return;
    scaffold_internal::TablePlan& tp = plan_->tables[ti];
    ScaffoldTable& rt = report_->tables[ti];
    const tsql::Table& t = *tp.table;
    std::set<std::string> seen;  // name + columns, to drop repeats
    auto add = [&](ScaffoldTest test, int column, std::string_view severity_note = "") {
      const std::string key = absl::StrCat(test.name, ":", absl::StrJoin(test.columns, ","), ":", test.to_model);
      if (!seen.insert(key).second) return;
      if (!severity_note.empty()) rt.notes.push_back(std::string(severity_note));
      const size_t index = rt.tests.size();
      rt.tests.push_back(std::move(test));
      if (column >= 0) {
        tp.columns[column].tests.push_back(index);
      } else {
        tp.model_tests.push_back(index);
      }
    };
    auto key_test = [&](const tsql::Constraint& c, std::string_view what) {
      std::vector<int> cols;
      std::vector<std::string> names;
      for (const tsql::KeyColumn& k : c.columns) {
        const int i = ColumnIndex(t, k.name);
        if (i < 0) {
          rt.notes.push_back(absl::StrCat(AsAbsl(what), " ", validator::ConstraintLabel(c), ": column '", k.name,
                                          "' is not in the table; no test"));
          return;
        }
        cols.push_back(i);
        names.push_back(rt.columns[i].model_name);
      }
      if (cols.empty()) return;
      ScaffoldTest test;
      test.constraint = validator::ConstraintLabel(c);
      test.columns = names;
      if (cols.size() == 1) {
        test.name = "unique";
        add(test, cols[0]);
      } else {
        test.name = options_.use_packages ? "dbt_utils.unique_combination_of_columns" : "unique_combination_of_columns";
        if (options_.use_packages) plan_->needs_dbt_utils = true;
        else plan_->needs_unique_combination = true;
        add(test, -1);
      }
    };
    // Keys first: primary key, unique constraints, unique indexes without a filter.
    if (t.primary_key) key_test(*t.primary_key, "primary key");
    for (const tsql::Constraint& u : t.unique_constraints) {
      if (u.disabled) continue;
      key_test(u, "unique constraint");
    }
    for (const tsql::Index& ix : t.indexes) {
      if (!ix.unique || ix.columns.empty()) continue;
      if (!ix.filter.empty()) {
        rt.notes.push_back(absl::StrCat("unique index ", ix.name, " has a filter (WHERE ", OneLine(ix.filter),
                                        "): uniqueness holds only for the filtered rows; no test"));
        continue;
      }
      tsql::Constraint as_key;
      as_key.name = ix.name;
      as_key.kind = tsql::ConstraintKind::kUnique;
      as_key.columns = ix.columns;
      key_test(as_key, "unique index");
    }
    // NOT NULL (primary-key columns included), in column order.
    for (size_t i = 0; i < rt.columns.size(); ++i) {
      if (rt.columns[i].nullable) continue;
      ScaffoldTest test;
      test.name = "not_null";
      test.columns = {rt.columns[i].model_name};
      test.constraint = InPrimaryKey(t, t.columns[i].name) ? validator::ConstraintLabel(*t.primary_key) : "NOT NULL";
      add(test, static_cast<int>(i));
    }
    // Foreign keys: relationships to the referenced staging model.
    const ScaffoldTable& self = rt;
    for (const tsql::Constraint& fk : t.foreign_keys) {
      const std::string label = validator::ConstraintLabel(fk);
      if (fk.disabled) {
        rt.notes.push_back(absl::StrCat("foreign key ", label, " is disabled in SQL Server (NOCHECK): no test"));
        continue;
      }
      const tsql::Table* to = index_.ResolveTable(fk.referenced_table, self.database, self.schema);
      auto target = to != nullptr ? model_of_.find(to) : model_of_.end();
      if (target == model_of_.end()) {
        std::vector<std::string> parts;
        for (const std::string* p : {&fk.referenced_table.server, &fk.referenced_table.database,
                                     &fk.referenced_table.schema, &fk.referenced_table.name}) {
          if (!p->empty()) parts.push_back(*p);
        }
        rt.notes.push_back(absl::StrCat("foreign key ", label, " references ",
                                        parts.empty() ? std::string("a table") : absl::StrJoin(parts, "."),
                                        ", which is not scaffolded (not in the catalog or filtered out): no test"));
        continue;
      }
      const ScaffoldTable& parent = report_->tables[target->second];
      std::vector<std::string> ref_columns = fk.referenced_columns;
      if (ref_columns.empty() && to->primary_key) {  // REFERENCES t without a column list: its primary key
        for (const tsql::KeyColumn& k : to->primary_key->columns) ref_columns.push_back(k.name);
      }
      if (ref_columns.size() != fk.columns.size() || fk.columns.empty()) {
        rt.notes.push_back(absl::StrCat("foreign key ", label, ": the referenced columns do not match; no test"));
        continue;
      }
      ScaffoldTest test;
      test.constraint = label;
      test.to_model = parent.model_name;
      std::vector<int> cols;
      bool ok = true;
      for (size_t k = 0; k < fk.columns.size() && ok; ++k) {
        const int ci = ColumnIndex(t, fk.columns[k].name);
        const int pi = ColumnIndex(*to, ref_columns[k]);
        ok = ci >= 0 && pi >= 0;
        if (!ok) break;
        cols.push_back(ci);
        test.columns.push_back(rt.columns[ci].model_name);
        test.to_columns.push_back(parent.columns[pi].model_name);
      }
      if (!ok) {
        rt.notes.push_back(absl::StrCat("foreign key ", label, " names a column that does not exist; no test"));
        continue;
      }
      const std::string note = fk.not_trusted ? absl::StrCat("foreign key ", label,
                                                             " is not trusted in SQL Server (WITH NOCHECK): rows "
                                                             "loaded before it may violate it, so its test warns")
                                              : "";
      if (fk.not_trusted) test.severity = "warn";
      if (cols.size() == 1) {
        test.name = "relationships";
        add(test, cols[0], note);
      } else {
        test.name = "relationships_composite";
        plan_->needs_composite_relationships = true;
        add(test, -1, note);
      }
    }
    // CHECK (col IN (...)) → accepted_values.
    for (const tsql::Constraint& ck : t.check_constraints) {
      const std::string label = validator::ConstraintLabel(ck);
      if (ck.disabled) continue;
      std::optional<scaffold_internal::CheckValues> values = scaffold_internal::ParseCheckValues(ck.expression);
      if (!values) {
        rt.notes.push_back(absl::StrCat("check constraint ", label, " (", OneLine(ck.expression),
                                        ") is not a simple list of values: no test"));
        continue;
      }
      const int ci = ColumnIndex(t, values->column);
      if (ci < 0) {
        rt.notes.push_back(absl::StrCat("check constraint ", label, " names column '", values->column,
                                        "', which is not in the table: no test"));
        continue;
      }
      ScaffoldTest test;
      test.name = "accepted_values";
      test.constraint = label;
      test.columns = {rt.columns[ci].model_name};
      test.values = values->values;
      test.quote_values = values->strings;
      std::string note;
      if (ck.not_trusted) {
        test.severity = "warn";
        rt.notes.push_back(absl::StrCat("check constraint ", label,
                                        " is not trusted in SQL Server (WITH NOCHECK): its test warns"));
      }
      if (values->strings) {
        note = absl::StrCat("check constraint ", label, ": ", profile_.display_name(),
                            " compares the accepted values case-sensitively, while SQL Server's collation may "
                            "have accepted other cases");
      }
      add(test, ci, note);
    }
  }

  const tsql::Catalog& catalog_;
  const ScaffoldOptions& options_;
  const validator::TargetProfile& profile_;
  validator::CatalogIndex index_;
  NameAllocator models_;
  NameAllocator sources_;
  std::map<const tsql::Table*, size_t> model_of_;
  Plan* plan_ = nullptr;
  ScaffoldReport* report_ = nullptr;
  std::vector<Diagnostic>* diagnostics_ = nullptr;
};

// Hands each finding to the table whose path prefixes its object path.
void AttachFindings(std::vector<validator::Finding> findings, ScaffoldReport* report) {
  std::map<std::string, size_t> by_path;
  for (size_t i = 0; i < report->tables.size(); ++i) {
    const ScaffoldTable& t = report->tables[i];
    by_path.emplace(validator::ObjectPath(t.database, t.schema, t.name), i);
  }
  for (validator::Finding& f : findings) {
    std::string path = f.object_path;
    bool placed = false;
    while (!placed) {
      if (auto it = by_path.find(path); it != by_path.end()) {
        report->tables[it->second].findings.push_back(std::move(f));
        placed = true;
        break;
      }
      const size_t dot = path.rfind('.');
      if (dot == std::string::npos) break;
      path.resize(dot);
    }
    if (!placed) report->other_findings.push_back(std::move(f));
  }
}

// True when a finding's object path ("db.schema.object..." or "schema.object...") lies in
// the selected databases and schemas (always, without filters).
bool InScope(const std::string& path, const std::vector<const tsql::Database*>& dbs, const ScaffoldOptions& options) {
  if (options.databases.empty() && options.schemas.empty()) return true;
  for (const tsql::Database* db : dbs) {
    for (const tsql::Schema& schema : db->schemas) {
      if (!Selected(options.schemas, schema.name)) continue;
      const std::string prefix = validator::ObjectPath(db->name, schema.name, "");  // "db.schema."
      if (path.size() > prefix.size() && tsql::EqualsIgnoreCase(std::string_view(path).substr(0, prefix.size()), prefix)) {
        return true;
      }
    }
  }
  return false;
}

void Summarize(const Plan& plan, ScaffoldReport* report) {
  ScaffoldSummary& s = report->summary;
  s.sources = static_cast<uint32_t>(plan.sources.size());
  s.tables = static_cast<uint32_t>(report->tables.size());
  for (const char* loss : {"none", "precision", "range", "semantics", "unsupported"}) s.columns_by_loss[loss] = 0;
  for (const ScaffoldTable& t : report->tables) {
    s.columns += static_cast<uint32_t>(t.columns.size());
    for (const ScaffoldColumn& c : t.columns) ++s.columns_by_loss[c.loss];
    s.tests += static_cast<uint32_t>(t.tests.size());
    for (const ScaffoldTest& test : t.tests) ++s.tests_by_name[test.name];
    s.findings += static_cast<uint32_t>(t.findings.size());
  }
  s.findings += static_cast<uint32_t>(report->other_findings.size());
  s.renames = static_cast<uint32_t>(report->renames.size());
  s.skipped = static_cast<uint32_t>(report->skipped.size());
}

}  // namespace

std::string DbtAdapterForTarget(std::string_view target) { return tsql::ToLowerAscii(target); }

absl::StatusOr<ScaffoldOutput> Scaffold(const tsql::Catalog& catalog, const ScaffoldOptions& options) {
  const validator::TargetRegistry* targets = options.targets;
  if (targets == nullptr) {
    SQLMILL_ASSIGN_OR_RETURN(targets, validator::BuiltinTargets());
  }
  const std::vector<std::string> warehouses = targets->warehouse_names();
  const validator::TargetProfile* profile = options.target.empty() ? nullptr : targets->Find(options.target);
  if (profile == nullptr || profile->native_tsql()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "scaffold: ", options.target.empty() ? std::string("a target is required")
                      : profile != nullptr ? absl::StrCat("'", profile->name(), "' is the source platform, not a warehouse")
                                           : absl::StrCat("unknown target '", options.target, "'"),
        " (expected one of ", absl::StrJoin(warehouses, ", "), ")"));
  }
  std::vector<const tsql::Database*> dbs;
  for (const tsql::Database& db : catalog.databases) {
    if (Selected(options.databases, db.name)) dbs.push_back(&db);
  }
  for (const std::string& wanted : options.databases) {
    if (catalog.FindDatabase(wanted) == nullptr) {
      std::vector<std::string> known;
      for (const tsql::Database& db : catalog.databases) known.push_back(db.name.empty() ? "(default)" : db.name);
      return absl::InvalidArgumentError(absl::StrCat("scaffold: database '", wanted, "' is not in the catalog (it has ",
                                                     known.empty() ? "none" : absl::StrJoin(known, ", "), ")"));
    }
  }
  ScaffoldOutput out;
  ScaffoldReport& report = out.report;
  Plan plan;
  plan.project_name = options.project_name.empty() ? DefaultProjectName(dbs) : options.project_name;
  SQLMILL_RETURN_IF_ERROR(CheckProjectName(plan.project_name, "project name"));
  plan.profile_name = options.profile_name.empty() ? plan.project_name : options.profile_name;
  report.target = profile->name();
  report.target_display_name = profile->display_name();
  report.project_name = plan.project_name;
  report.fail_threshold = options.fail_threshold;

  Planner planner(catalog, options, *profile);
  SQLMILL_RETURN_IF_ERROR(planner.Build(dbs, &plan, &report, &out.diagnostics));
  if (report.tables.empty()) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "scaffold-no-tables";
    d.message = "the catalog has no tables in the selected databases and schemas: the project has no sources or models";
    out.diagnostics.push_back(std::move(d));
  }

  if (options.validate) {
    validator::ValidateOptions v;
    v.target = profile->name();
    v.config = options.rules;
    v.fail_threshold = options.fail_threshold;
    v.sources = options.sources;
    v.targets = options.targets;
    v.cancel = options.cancel;
    v.limits = options.limits;
    SQLMILL_ASSIGN_OR_RETURN(validator::ValidationReport validation, validator::Validate(catalog, v));
    // With --database/--schema, only findings on the selected objects count.
    std::vector<validator::Finding> findings;
    for (validator::Finding& f : validation.findings) {
      if (InScope(f.object_path, dbs, options)) findings.push_back(std::move(f));
    }
    report.passed = true;
    for (const validator::Finding& f : findings) {
      if (static_cast<int>(f.severity) <= static_cast<int>(options.fail_threshold)) report.passed = false;
    }
    AttachFindings(std::move(findings), &report);
  }
  Summarize(plan, &report);
  SQLMILL_RETURN_IF_ERROR(CheckCancelled(options.cancel));
  out.files = scaffold_internal::RenderProject(plan, report, options);
  out.files.push_back({"migration_report.json", ScaffoldReportJson(report)});
  std::sort(out.files.begin(), out.files.end(),
            [](const ScaffoldFile& a, const ScaffoldFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace sqlmill::dbt
