// Tests for SchemaValidatorServiceImpl through a real in-process gRPC server: every RPC,
// the report formats, status mapping, SQL input with and without a loader, and deadlines.
#include "services/schema_validator/service/schema_validator_service.h"

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace sqlmill::validator {
namespace {

using ::testing::HasSubstr;

class ServiceTest : public ::testing::Test {
 protected:
  void Start(SchemaValidatorServiceOptions options) {
    service_ = std::make_unique<SchemaValidatorServiceImpl>(std::move(options));
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::SchemaValidatorService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void SetUp() override { Start({}); }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  static v1::Catalog Orders() {
    v1::Catalog c;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
      databases { schemas { name: "dbo"
        tables { name: "Orders" span { file: "orders.sql" line: 3 column: 1 end_line: 6 end_column: 2 }
          columns { name: "OrderID" data_type { name: "int" text: "int" } nullability: NULLABILITY_NOT_NULL
                    span { file: "orders.sql" line: 4 column: 3 } }
          columns { name: "At" data_type { name: "datetimeoffset" scale: 7 has_scale: true text: "datetimeoffset(7)" }
                    span { file: "orders.sql" line: 5 column: 3 } } } } })pb", &c));
    return c;
  }

  std::unique_ptr<SchemaValidatorServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SchemaValidatorService::Stub> stub_;
};

TEST_F(ServiceTest, ValidateReturnsFindingsAsData) {
  v1::ValidateRequest request;
  *request.mutable_schema()->mutable_catalog() = Orders();
  request.set_target("postgres");
  grpc::ClientContext ctx;
  v1::ValidateResponse response;
  grpc::Status status = stub_->Validate(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> ids;
  for (const auto& f : response.findings()) ids.push_back(f.rule_id());
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"pk-required", "heap-table", "target-type-loss"}));
  EXPECT_TRUE(response.passed());  // warnings only; threshold defaults to error
  EXPECT_GT(response.summary().warnings(), 0u);
  EXPECT_EQ(response.summary().by_rule().at("pk-required"), 1u);
  const v1::Finding& first = response.findings(0);
  EXPECT_EQ(first.span().file(), "orders.sql");
  EXPECT_EQ(first.span().line(), 3u);
  EXPECT_EQ(first.object_path(), "dbo.Orders");
  EXPECT_TRUE(response.report().empty());
}

TEST_F(ServiceTest, ThresholdAndFormats) {
  v1::ValidateRequest request;
  *request.mutable_schema()->mutable_catalog() = Orders();
  request.set_target("bigquery");
  request.set_fail_threshold(v1::SEVERITY_WARNING);
  for (auto format : {v1::REPORT_FORMAT_JSON, v1::REPORT_FORMAT_SARIF, v1::REPORT_FORMAT_JUNIT}) {
    request.set_format(format);
    grpc::ClientContext ctx;
    v1::ValidateResponse response;
    ASSERT_TRUE(stub_->Validate(&ctx, request, &response).ok());
    EXPECT_FALSE(response.passed());
    ASSERT_FALSE(response.report().empty());
    if (format == v1::REPORT_FORMAT_JUNIT) {
      EXPECT_THAT(response.report(), HasSubstr("<testsuites"));
      continue;
    }
    google::protobuf::Struct parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(response.report(), &parsed).ok());
    if (format == v1::REPORT_FORMAT_JSON) {
      // The canonical JSON of the response itself.
      v1::ValidateResponse round_trip;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(response.report(), &round_trip).ok());
      EXPECT_EQ(round_trip.findings_size(), response.findings_size());
      EXPECT_THAT(response.report(), HasSubstr("\"ruleId\""));
    } else {
      EXPECT_EQ(parsed.fields().at("version").string_value(), "2.1.0");
    }
  }
}

TEST_F(ServiceTest, BadConfigurationIsInvalidArgumentNamingTheLine) {
  v1::ValidateRequest request;
  *request.mutable_schema()->mutable_catalog() = Orders();
  request.mutable_rules()->set_yaml("rules:\n  pk-required: off\n  heap-tabel: on\n");
  grpc::ClientContext ctx;
  v1::ValidateResponse response;
  grpc::Status status = stub_->Validate(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("rules.yaml:3: unknown rule id 'heap-tabel' (did you mean 'heap-table'?)"));

  v1::ValidateRequest unknown_target;
  *unknown_target.mutable_schema()->mutable_catalog() = Orders();
  unknown_target.set_target("db2");
  grpc::ClientContext ctx2;
  EXPECT_EQ(stub_->Validate(&ctx2, unknown_target, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::ValidateRequest no_schema;
  grpc::ClientContext ctx3;
  status = stub_->Validate(&ctx3, no_schema, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("schema: expected a catalog or sql files"));
}

TEST_F(ServiceTest, StructuredConfigOverridesYaml) {
  v1::ValidateRequest request;
  *request.mutable_schema()->mutable_catalog() = Orders();
  request.mutable_rules()->set_yaml("rules:\n  heap-table: error\n");
  (*request.mutable_rules()->mutable_rules())["pk-required"].set_enabled(false);
  auto* ignore = request.mutable_rules()->add_ignore();
  ignore->set_rule_id("heap-table");
  ignore->set_object_pattern("dbo.Ord*");
  auto* custom = request.mutable_rules()->add_custom_rules();
  custom->set_id("order-tables-have-status");
  custom->set_object_kind("table");
  custom->set_name_pattern("^Order");
  custom->add_require("column:Status");
  custom->set_severity(v1::SEVERITY_ERROR);
  grpc::ClientContext ctx;
  v1::ValidateResponse response;
  ASSERT_TRUE(stub_->Validate(&ctx, request, &response).ok());
  std::vector<std::string> ids;
  for (const auto& f : response.findings()) ids.push_back(f.rule_id());
  EXPECT_THAT(ids, ::testing::ElementsAre("order-tables-have-status"));
  EXPECT_FALSE(response.passed());
  EXPECT_EQ(response.summary().suppressed(), 1u);
}

TEST_F(ServiceTest, SqlInputWithoutALoaderIsUnimplemented) {
  v1::ValidateRequest request;
  auto* file = request.mutable_schema()->mutable_sql()->add_files();
  file->set_name("a.sql");
  file->set_content("CREATE TABLE t (a int)");
  grpc::ClientContext ctx;
  v1::ValidateResponse response;
  grpc::Status status = stub_->Validate(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(ServiceTest, SqlInputGoesThroughTheLoaderWithSourcesForSuppressions) {
  SchemaValidatorServiceOptions options;
  options.limits.max_input_bytes = 1000;
  options.sql_loader = [](const std::vector<SqlFile>& files, const SqlInputOptions& o,
                          const CancellationToken*) -> absl::StatusOr<SqlSchema> {
    EXPECT_EQ(o.sqlcmd_variables.at("Db"), "Sales");
    SqlSchema out;
    tsql::Table t;
    t.name = "Staging";
    t.span.begin = {2, 1};
    t.span.end = {2, 30};
    out.catalog.files.push_back(files[0].name);
    out.catalog.GetOrAddDatabase("").GetOrAddSchema("dbo").tables.push_back(t);
    out.sources[files[0].name] = files[0].content;
    Diagnostic d;
    d.code = "parse-error";
    d.message = "expected ')'";
    d.file = files[0].name;
    d.location = {5, 1};
    out.diagnostics.push_back(d);
    return out;
  };
  server_->Shutdown();
  Start(std::move(options));
  v1::ValidateRequest request;
  auto* sql = request.mutable_schema()->mutable_sql();
  (*sql->mutable_options()->mutable_sqlcmd_variables())["Db"] = "Sales";
  auto* file = sql->add_files();
  file->set_name("staging.sql");
  file->set_content("-- sqlmill:ignore heap-table\nCREATE TABLE dbo.Staging (a int)\n");
  grpc::ClientContext ctx;
  v1::ValidateResponse response;
  ASSERT_TRUE(stub_->Validate(&ctx, request, &response).ok());
  ASSERT_EQ(response.findings_size(), 1);
  EXPECT_EQ(response.findings(0).rule_id(), "pk-required");
  EXPECT_EQ(response.summary().suppressed(), 1u);
  ASSERT_EQ(response.diagnostics_size(), 1);
  EXPECT_EQ(response.diagnostics(0).span().line(), 5u);
  // Over the size limit.
  file->set_content(std::string(2000, 'x'));
  grpc::ClientContext ctx2;
  EXPECT_EQ(stub_->Validate(&ctx2, request, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(ServiceTest, DiffClassifiesChanges) {
  v1::DiffRequest request;
  *request.mutable_old_schema()->mutable_catalog() = Orders();
  v1::Catalog next = Orders();
  next.mutable_databases(0)->mutable_schemas(0)->mutable_tables(0)->mutable_columns()->RemoveLast();
  *request.mutable_new_schema()->mutable_catalog() = next;
  request.set_format(v1::REPORT_FORMAT_JSON);
  grpc::ClientContext ctx;
  v1::DiffResponse response;
  ASSERT_TRUE(stub_->Diff(&ctx, request, &response).ok());
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).classification(), v1::CHANGE_CLASS_DESTRUCTIVE);
  EXPECT_EQ(response.changes(0).kind(), v1::CHANGE_KIND_DROPPED);
  EXPECT_EQ(response.changes(0).object_path(), "dbo.Orders.At");
  EXPECT_EQ(response.changes(0).old_span().line(), 5u);
  EXPECT_FALSE(response.passed());
  EXPECT_THAT(response.report(), HasSubstr("CHANGE_CLASS_DESTRUCTIVE"));
}

TEST_F(ServiceTest, ListRulesAndExplainType) {
  grpc::ClientContext ctx;
  v1::ListRulesResponse rules;
  ASSERT_TRUE(stub_->ListRules(&ctx, v1::ListRulesRequest(), &rules).ok());
  EXPECT_GE(rules.rules_size(), 30);
  EXPECT_THAT(rules.targets(), ::testing::ElementsAre("bigquery", "databricks", "postgres", "redshift", "snowflake", "sqlserver"));
  bool found = false;
  for (const auto& r : rules.rules()) {
    if (r.id() == "wide-table") {
      found = true;
      EXPECT_EQ(r.category(), "design");
      EXPECT_EQ(r.default_severity(), v1::SEVERITY_WARNING);
      ASSERT_EQ(r.parameters_size(), 1);
      EXPECT_EQ(r.parameters(0).default_value(), "100");
    }
  }
  EXPECT_TRUE(found);

  v1::ExplainTypeRequest explain;
  explain.set_sql_server_type("datetimeoffset(7)");
  explain.set_target("postgres");
  grpc::ClientContext ctx2;
  v1::ExplainTypeResponse type;
  ASSERT_TRUE(stub_->ExplainType(&ctx2, explain, &type).ok());
  EXPECT_EQ(type.target_type(), "timestamptz(6)");
  EXPECT_EQ(type.loss(), v1::TYPE_LOSS_SEMANTICS);
  EXPECT_EQ(type.source_type().text(), "datetimeoffset(7)");
  EXPECT_THAT(type.explanation(), HasSubstr("offset is lost"));
  explain.set_sql_server_type("int");
  grpc::ClientContext ctx3;
  ASSERT_TRUE(stub_->ExplainType(&ctx3, explain, &type).ok());
  EXPECT_EQ(type.loss(), v1::TYPE_LOSS_NONE);
  EXPECT_THAT(type.explanation(), HasSubstr("without loss"));
  explain.set_sql_server_type("decimal(18");
  grpc::ClientContext ctx4;
  EXPECT_EQ(stub_->ExplainType(&ctx4, explain, &type).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  explain.set_sql_server_type("int");
  explain.set_target("db2");
  grpc::ClientContext ctx5;
  EXPECT_EQ(stub_->ExplainType(&ctx5, explain, &type).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, ExpiredDeadlineIsReported) {
  // A catalog big enough that validation polls its token.
  v1::ValidateRequest request;
  auto* schema = request.mutable_schema()->mutable_catalog()->add_databases()->add_schemas();
  schema->set_name("dbo");
  for (int i = 0; i < 2000; ++i) {
    auto* t = schema->add_tables();
    t->set_name("T" + std::to_string(i));
    for (int c = 0; c < 5; ++c) t->add_columns()->set_name("c" + std::to_string(c));
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::ValidateResponse response;
  EXPECT_EQ(stub_->Validate(&ctx, request, &response).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace sqlmill::validator
