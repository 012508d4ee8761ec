// A compact YAML format for test catalogs, so rule tests need not wait for (or depend on)
// the T-SQL parser. Every object gets a span pointing at its YAML node (1-based line and
// column), so findings in goldens carry real positions.
//
//   database: Sales                      # optional
//   file: orders.sql                     # the file name spans refer to (default: the argument)
//   schemas: [staging]                   # schemas created explicitly (CREATE SCHEMA)
//   tables:
//     dbo.Orders:
//       columns:
//         - OrderID int not null identity
//         - "[Order Date] datetime2(7) null default (getdate())"
//         - Total as (Qty * Price) persisted
//       pk: PK_Orders(OrderID) nonclustered
//       unique: [UQ_Orders_No(OrderNo)]
//       fks: ["FK_Orders_Customers(CustomerID) -> dbo.Customers(CustomerID) on delete cascade"]
//       checks: ["CK_Orders_Total: Total > 0"]
//       indexes: ["unique clustered IX_Orders_Date(OrderDate desc) include(Total) where Total > 0"]
//       description: Orders placed   # also: memory_optimized, system_versioned, history,
//                                    # period: [start, end], graph: node|edge, ledger,
//                                    # filestream_on, options: {DISTRIBUTION: HASH(Id),
//                                    # EXTERNAL: "ON", "AS SELECT": "ON", HEAP: ""}
//   views:      {dbo.V: {references: [dbo.Orders], columns: [a, b], description: x}}
//   procedures: {dbo.P: {references: [dbo.Orders], parameters: ["@id int", "@n int = 0"], clr: false}}
//   functions:  {dbo.F: {...}}
//   triggers:   {dbo.T: {parent: dbo.Orders, references: [...]}}
//   sequences:  {dbo.S: {type: bigint}}
//   synonyms:   {dbo.Y: dbo.Orders}
//   types:      {dbo.Phone: nvarchar(20), dbo.TT: {table: [a int]}, dbo.G: {clr: Asm.Cls}}
//
// The keys target, targets, config and sources are left to the golden harness.
//
// Column keywords (any case): null, not null, identity[(seed,inc)], default <expr>, sparse,
// filestream, rowguidcol, column_set, collate <name>, masked, encrypted, hidden,
// generated row start|end, description '<text>'; `name as <expr> [persisted]` is computed.
//
// Test-only support. Stateless; thread-safe.
#ifndef SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_CATALOG_FIXTURE_H_
#define SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_CATALOG_FIXTURE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "services/sql_parser/engine/catalog.h"
#include "yaml-cpp/yaml.h"

namespace sqlmill::validator::testing {

// Parses a fixture document. INVALID_ARGUMENT naming file:line for malformed fixtures.
absl::StatusOr<tsql::Catalog> ParseCatalogFixture(std::string_view yaml, std::string_view file_name);
// The same from an already-parsed node (a section of a larger document).
absl::StatusOr<tsql::Catalog> CatalogFromFixtureNode(const YAML::Node& node, std::string_view file_name);

}  // namespace sqlmill::validator::testing

#endif  // SQLMILL_SERVICES_SCHEMA_VALIDATOR_ENGINE_TESTING_CATALOG_FIXTURE_H_
