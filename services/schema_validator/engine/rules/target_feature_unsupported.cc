// Rule target-feature-unsupported: a SQL Server feature the schema uses does not carry over
// to the target (computed and sparse columns, temporal and memory-optimized tables,
// FILESTREAM, triggers, identity semantics, collations, filtered and other special indexes,
// unenforced or unsupported constraints, CLR...). What each target supports is data in its
// profile's `features:` section; this file only detects where a feature is used.
// Stateless; see rule.h for thread-safety.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/schema_validator/engine/rules/rules.h"

namespace sqlmill::validator {
namespace {

class TargetFeatureUnsupported : public Rule {
 public:
  void CheckTable(const SchemaScope& s, const tsql::Table& t, RuleContext& ctx) override {
    // Column-level features: one finding per column.
    for (const tsql::Column& c : t.columns) {
      if (!c.computed && !c.sparse && !c.column_set && !c.filestream && !c.identity &&
          c.collation.empty() && !c.rowguidcol && c.masking_function.empty() && c.encrypted_with.empty()) {
        continue;
      }
      const FindingTarget target = ColumnTarget(s, t, c);
      if (c.computed) Column(target, "computed-column", "is a computed column", ctx);
      if (c.sparse) Column(target, "sparse-column", "is SPARSE", ctx);
      if (c.column_set) Column(target, "column-set", "is a COLUMN_SET", ctx);
      if (c.filestream) Column(target, "filestream", "is a FILESTREAM column", ctx);
      if (c.identity) Column(target, "identity", "is an IDENTITY column", ctx);
      if (!c.collation.empty()) {
        Column(target, "collation", absl::StrCat("has collation ", c.collation), ctx);
      }
      if (c.rowguidcol) Column(target, "rowguidcol", "is ROWGUIDCOL", ctx);
      if (!c.masking_function.empty()) Column(target, "masked-column", "is masked", ctx);
      if (!c.encrypted_with.empty()) Column(target, "always-encrypted", "is ENCRYPTED WITH Always Encrypted", ctx);
    }
    // Table-level features.
    const FindingTarget table = TableTarget(s, t);
    if (t.system_versioned || !t.period_start_column.empty()) {
      Emit(table, "temporal-table", absl::StrCat("table '", t.name, "' is system-versioned (temporal)"), ctx);
    }
    if (t.memory_optimized) {
      Emit(table, "memory-optimized-table", absl::StrCat("table '", t.name, "' is memory-optimized"), ctx);
    }
    if (!t.filestream_on.empty()) {
      Emit(table, "filestream", absl::StrCat("table '", t.name, "' has FILESTREAM_ON ", t.filestream_on), ctx);
    }
    if (t.graph_kind != tsql::GraphKind::kUnspecified) {
      Emit(table, "graph-table",
           absl::StrCat("table '", t.name, "' is a graph ",
                        t.graph_kind == tsql::GraphKind::kNode ? "NODE" : "EDGE", " table"),
           ctx);
    }
    if (t.ledger) Emit(table, "ledger-table", absl::StrCat("table '", t.name, "' is a ledger table"), ctx);
    if (IsExternalTable(t)) {
      std::string where;
      for (const char* key : {"LOCATION", "DATA_SOURCE", "FILE_FORMAT"}) {
        auto it = t.options.find(key);
        if (it != t.options.end()) absl::StrAppend(&where, where.empty() ? " (" : ", ", key, " = ", it->second);
      }
      if (!where.empty()) where += ")";
      Emit(table, "external-table", absl::StrCat("table '", t.name, "' is an external table", where), ctx);
    }
    if (auto it = t.options.find("DISTRIBUTION"); it != t.options.end()) {
      Emit(table, "table-distribution",
           absl::StrCat("table '", t.name, "' is distributed (DISTRIBUTION = ", it->second, ")"), ctx);
    }

    // Constraints and indexes: aggregated per table and feature to keep reports readable.
    std::map<std::string, std::vector<std::string>> used;
    if (t.primary_key) used["primary-key"].push_back(ConstraintLabel(*t.primary_key));
    for (const auto& c : t.unique_constraints) used["unique-constraint"].push_back(ConstraintLabel(c));
    for (const auto& c : t.foreign_keys) used["foreign-key"].push_back(ConstraintLabel(c));
    for (const auto& c : t.check_constraints) used["check-constraint"].push_back(ConstraintLabel(c));
    for (const auto& i : t.indexes) {
      switch (i.kind) {
        case tsql::IndexKind::kClusteredColumnstore:
        case tsql::IndexKind::kNonclusteredColumnstore:
          used["columnstore-index"].push_back(i.name);
          break;
        case tsql::IndexKind::kXml:
          used["xml-index"].push_back(i.name);
          break;
        case tsql::IndexKind::kSpatial:
          used["spatial-index"].push_back(i.name);
          break;
        case tsql::IndexKind::kFulltext:
          used["fulltext-index"].push_back(i.name);
          break;
        case tsql::IndexKind::kHash:
          used["hash-index"].push_back(i.name);
          break;
        default:
          used["index"].push_back(i.name);
          if (!i.filter.empty()) used["filtered-index"].push_back(i.name);
          if (!i.included_columns.empty()) used["included-columns"].push_back(i.name);
          break;
      }
    }
    static const std::map<std::string, std::string> kWhat = {
        {"primary-key", "a primary key"},       {"unique-constraint", "unique constraint(s)"},
        {"foreign-key", "foreign key(s)"},      {"check-constraint", "check constraint(s)"},
        {"columnstore-index", "columnstore index(es)"}, {"xml-index", "XML index(es)"},
        {"spatial-index", "spatial index(es)"}, {"fulltext-index", "full-text index(es)"},
        {"hash-index", "hash index(es)"},       {"index", "index(es)"},
        {"filtered-index", "filtered index(es)"}, {"included-columns", "index(es) with INCLUDE columns"},
    };
    for (const auto& [feature, names] : used) {
      Emit(table, feature,
           absl::StrCat("table '", t.name, "' has ", kWhat.at(feature), " (", absl::StrJoin(names, ", "), ")"),
           ctx);
    }
  }

  void CheckRoutine(const SchemaScope& s, const tsql::Routine& r, RuleContext& ctx) override {
    const bool proc = r.kind == tsql::RoutineKind::kProcedure;
    const char* kind = RoutineKindName(r);
    const FindingTarget target{ObjectPath(s.database.name, s.schema.name, r.name), kind, &r.span};
    if (r.kind == tsql::RoutineKind::kClr || !r.external_name.empty()) {
      Emit(target, "clr-routine", absl::StrCat(kind, " '", r.name, "' is a CLR routine"), ctx);
    } else {
      Emit(target, proc ? "procedure" : "function", absl::StrCat(kind, " '", r.name, "' is written in T-SQL"), ctx);
    }
  }
  void CheckTrigger(const SchemaScope& s, const tsql::Trigger& g, RuleContext& ctx) override {
    Emit({ObjectPath(s.database.name, s.schema.name, g.name), "trigger", &g.span}, "trigger",
         absl::StrCat("trigger '", g.name, "'", g.parent.empty() ? "" : absl::StrCat(" on '", g.parent.ToString(), "'")),
         ctx);
  }
  void CheckSequence(const SchemaScope& s, const tsql::Sequence& q, RuleContext& ctx) override {
    Emit({ObjectPath(s.database.name, s.schema.name, q.name), "sequence", &q.span}, "sequence",
         absl::StrCat("sequence '", q.name, "'"), ctx);
  }
  void CheckSynonym(const SchemaScope& s, const tsql::Synonym& y, RuleContext& ctx) override {
    Emit({ObjectPath(s.database.name, s.schema.name, y.name), "synonym", &y.span}, "synonym",
         absl::StrCat("synonym '", y.name, "'"), ctx);
  }
  void CheckType(const SchemaScope& s, const tsql::UserDefinedType& u, RuleContext& ctx) override {
    const FindingTarget target{ObjectPath(s.database.name, s.schema.name, u.name), "type", &u.span};
    if (u.kind == tsql::TypeKind::kAlias) {
      Emit(target, "alias-type", absl::StrCat("alias type '", u.name, "'"), ctx);
    } else if (u.kind == tsql::TypeKind::kTable) {
      Emit(target, "table-type", absl::StrCat("table type '", u.name, "'"), ctx);
    } else if (u.kind == tsql::TypeKind::kClr) {
      Emit(target, "clr-routine", absl::StrCat("CLR type '", u.name, "'"), ctx);
    }
  }

 private:
  void Column(const FindingTarget& target, const std::string& feature, const std::string& what, RuleContext& ctx) {
    Emit(target, feature, absl::StrCat("column '", target.path, "' ", what), ctx);
  }
  void Emit(const FindingTarget& target, const std::string& feature, const std::string& what, RuleContext& ctx) {
    const TargetProfile& p = *ctx.target();
    const FeatureInfo* info = p.Feature(feature);
    if (info == nullptr) return;
    ctx.Report(target,
               absl::StrCat(what, ": ",
                            info->explanation.empty()
                                ? absl::StrCat(info->support == FeatureSupport::kNo ? "not supported" : "only partly supported",
                                               " on ", p.display_name())
                                : info->explanation,
                            " [", feature, "]"),
               info->suggestion.empty() ? absl::StrCat("rework it for ", p.display_name()) : info->suggestion,
               info->severity);
  }
};

}  // namespace

RuleFactory TargetFeatureUnsupportedRule() {
  RuleFactory f;
  f.info.id = "target-feature-unsupported";
  f.info.category = RuleCategory::kCompatibility;
  f.info.summary = "A SQL Server feature does not carry over to the target";
  f.info.doc =
      "Reports uses of SQL Server features the target lacks or supports only partly, as the "
      "target profile's features section says: computed, sparse, FILESTREAM, identity, "
      "collated, masked and encrypted columns; temporal, memory-optimized, graph, ledger "
      "and external tables; Azure Synapse table distribution; triggers; CLR and T-SQL routines; sequences, synonyms, alias and table types; "
      "constraints the target does not enforce or support; and indexes (filtered, "
      "columnstore, XML, spatial, full-text, hash, or any index on warehouses without them). "
      "Each finding names the feature id in brackets and carries the profile's severity "
      "unless the configuration sets one.";
  f.info.default_severity = Severity::kWarning;
  f.info.needs_target = true;
  f.create = MakeSimpleRule<TargetFeatureUnsupported>();
  return f;
}

}  // namespace sqlmill::validator
