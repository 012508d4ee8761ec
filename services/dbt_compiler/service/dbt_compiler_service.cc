// DbtCompilerServiceImpl (see dbt_compiler_service.h).
#include "services/dbt_compiler/service/dbt_compiler_service.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/server/call_scheduler.h"
#include "common/server/status_mapping.h"
#include "services/dbt_compiler/engine/internal/hash.h"
#include "services/dbt_compiler/engine/tar.h"
#include "services/dbt_compiler/jinja/environment.h"
#include "services/dbt_compiler/jinja/json.h"
#ifdef SQLMILL_DBT_HAS_SCAFFOLD
#include "services/dbt_compiler/service/scaffold_project.h"
#endif

namespace sqlmill {
namespace {

void NodeToProto(const dbt::Node& n, v1::CompiledNode* out) {
  out->set_unique_id(n.unique_id);
  out->set_resource_type(dbt::ResourceTypeName(n.type));
  out->set_name(n.name);
  out->set_package_name(n.package_name);
  out->set_original_file_path(n.original_file_path);
  out->set_compiled_path(n.compiled_path);
  out->set_database(n.database);
  out->set_schema(n.schema);
  out->set_alias(n.alias);
  out->set_relation_name(n.relation_name.value_or(""));
  if (const auto* m = n.config.dict()->FindStr("materialized")) out->set_materialized(m->Str());
  out->set_compiled_code(n.compiled_code);
  for (const auto& d : n.depends_on_nodes) out->add_depends_on_nodes(d);
  out->set_compiled(n.compiled);
}

void DiagnosticsToProto(const std::vector<Diagnostic>& diags,
                        google::protobuf::RepeatedPtrField<v1::Diagnostic>* out) {
  for (const auto& d : diags) DiagnosticToProto(d, out->Add());
}

absl::StatusOr<dbt::CompileOptions> OptionsFromRequest(const v1::CompileProjectRequest& r,
                                                      const DbtCompilerServiceOptions& service) {
  auto files = std::make_shared<dbt::FileMap>();
  uint64_t total = 0;
  if (!r.tar_archive().empty()) {
    if (r.files_size() > 0) return absl::InvalidArgumentError("send either files or tar_archive, not both");
    if (r.tar_archive().size() > service.max_project_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("tar_archive is ", r.tar_archive().size(),
                                                       " bytes, over the limit of ", service.max_project_bytes));
    }
    SQLMILL_ASSIGN_OR_RETURN(*files, dbt::ReadTar(r.tar_archive(), service.max_project_bytes));
  } else {
    if (r.files_size() > service.max_files) {
      return absl::ResourceExhaustedError(absl::StrCat("request has ", r.files_size(), " files, over the limit of ",
                                                       service.max_files));
    }
    for (const auto& f : r.files()) {
      if (f.path().empty() || f.path().find("..") != std::string::npos || f.path()[0] == '/') {
        return absl::InvalidArgumentError(absl::StrCat("file path '", f.path(), "' must be relative, without '..'"));
      }
      SQLMILL_RETURN_IF_ERROR(CheckInputSize(f.path(), f.content().size(), service.limits.max_input_bytes));
      total += f.content().size();
      (*files)[f.path()] = f.content();
    }
    if (total > service.max_project_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("project is ", total, " bytes, over the limit of ",
                                                       service.max_project_bytes));
    }
  }
  if (files->empty()) return absl::InvalidArgumentError("the request has no project files");
  dbt::CompileOptions o;
  o.files = files;
  o.target.adapter_type = r.target().adapter_type().empty() ? "postgres" : r.target().adapter_type();
  o.target.name = r.target().name().empty() ? "dev" : r.target().name();
  o.target.database = r.target().database();
  o.target.schema = r.target().schema();
  o.target.threads = r.target().threads() > 0 ? r.target().threads() : 1;
  for (const auto& [k, v] : r.target().extra()) o.target.extra[k] = v;
  o.vars = r.vars_json();
  for (const auto& [k, v] : r.env()) o.env[k] = v;
  o.select.assign(r.select().begin(), r.select().end());
  o.exclude.assign(r.exclude().begin(), r.exclude().end());
  o.relations_exist = r.relations_exist();
  for (const auto& e : r.existing_relations()) {
    dbt::ExistingRelation x;
    x.database = e.database();
    x.schema = e.schema();
    x.identifier = e.identifier();
    x.column_names.assign(e.column_names().begin(), e.column_names().end());
    x.column_types.assign(e.column_types().begin(), e.column_types().end());
    o.existing_relations.push_back(std::move(x));
  }
  o.full_refresh = r.full_refresh();
  if (!r.invocation_id().empty()) o.invocation_id = r.invocation_id();
  if (!r.run_started_at().empty()) o.run_started_at = r.run_started_at();
  for (const auto& q : r.query_results()) {
    dbt::QueryResult x;
    x.sql = q.sql();
    x.statement_name = q.statement_name();
    x.column_names.assign(q.column_names().begin(), q.column_names().end());
    x.rows_json = q.rows_json();
    o.query_results.push_back(std::move(x));
  }
  if (!r.dbt_version().empty()) o.dbt_version = r.dbt_version();
  o.limits = service.limits;
  if (service.scheduler != nullptr) o.parallel = service.scheduler->pool().runner();
  return o;
}

// A digest of the request's settings (everything but the project files).
std::string SettingsDigest(const v1::CompileProjectRequest& r) {
  v1::CompileProjectRequest copy = r;
  copy.clear_include_manifest();
  copy.clear_files();
  copy.clear_tar_archive();
  copy.clear_env();
  copy.mutable_target()->clear_extra();
  std::string key;
  copy.SerializeToString(&key);  // map fields are cleared above: their order is not stable
  key = dbt::Sha256Hex(key);
  std::vector<std::pair<std::string, std::string>> env(r.env().begin(), r.env().end());
  std::sort(env.begin(), env.end());
  for (const auto& [k, v] : env) absl::StrAppend(&key, "\nenv:", k.size(), ":", k, "=", v.size(), ":", v);
  std::vector<std::pair<std::string, std::string>> extra(r.target().extra().begin(), r.target().extra().end());
  std::sort(extra.begin(), extra.end());
  for (const auto& [k, v] : extra) absl::StrAppend(&key, "\nextra:", k.size(), ":", k, "=", v.size(), ":", v);
  return dbt::Sha256Hex(key);
}

// A content hash of everything that determines the compile result: the project's files
// (however they were sent: files or a tar give the same hash) and the settings digest.
std::string ProjectHash(const dbt::FileMap& files, const std::string& settings_digest) {
  std::string key;
  for (const auto& [path, content] : files) {
    absl::StrAppend(&key, path.size(), ":", path, "=", dbt::Sha256Hex(content), "\n");
  }
  absl::StrAppend(&key, settings_digest, "\n");
  return dbt::Sha256Hex(key);
}

}  // namespace

DbtCompilerServiceImpl::DbtCompilerServiceImpl(DbtCompilerServiceOptions options)
    : options_(options),
      scheduler_(own_scheduler_.Resolve(options.scheduler, options.limits)),
      parse_cache_(std::make_shared<dbt::ParseCache>(options.parse_cache)) {
  options_.scheduler = scheduler_;
  constexpr char kService[] = "sqlmill.v1.DbtCompilerService";
  compile_project_ = scheduler_->RegisterMethod(kService, "CompileProject");
  compile_node_ = scheduler_->RegisterMethod(kService, "CompileNode");
  render_template_ = scheduler_->RegisterMethod(kService, "RenderTemplate");
  SetMessageAllocatorFor_CompileProject(&compile_project_allocator_);
  SetMessageAllocatorFor_CompileNode(&compile_node_allocator_);
  SetMessageAllocatorFor_RenderTemplate(&render_template_allocator_);
#ifdef SQLMILL_DBT_HAS_SCAFFOLD
  scaffold_project_ = scheduler_->RegisterMethod(kService, "ScaffoldProject");
#endif
}

#ifdef SQLMILL_DBT_HAS_SCAFFOLD
grpc::ServerUnaryReactor* DbtCompilerServiceImpl::ScaffoldProject(grpc::CallbackServerContext* context,
                                                                  const v1::ScaffoldProjectRequest* request,
                                                                  v1::ScaffoldProjectResponse* response) {
  return scheduler_->Unary(context, scaffold_project_, response, [=, this] {
    CancellationToken cancel;
    scheduler_->Bind(context, &cancel);
    dbt::ScaffoldServiceOptions options;
    options.limits = options_.limits;
    options.sql_loader = options_.sql_loader;
    options.parallel = scheduler_->pool().runner();
    absl::StatusOr<v1::ScaffoldProjectResponse> out = dbt::RunScaffoldProject(*request, options, &cancel);
    if (!out.ok()) return ToGrpcStatus(out.status());
    *response = std::move(*out);
    return grpc::Status::OK;
  });
}
#endif

grpc::ServerUnaryReactor* DbtCompilerServiceImpl::CompileProject(
    grpc::CallbackServerContext* context, const v1::CompileProjectRequest* request,
    v1::CompileProjectResponse* response) {
  return scheduler_->Unary(context, compile_project_, response,
                           [=, this] { return DoCompileProject(context, request, response); });
}

grpc::ServerUnaryReactor* DbtCompilerServiceImpl::CompileNode(grpc::CallbackServerContext* context,
                                                              const v1::CompileNodeRequest* request,
                                                              v1::CompileNodeResponse* response) {
  return scheduler_->Unary(context, compile_node_, response,
                           [=, this] { return DoCompileNode(context, request, response); });
}

grpc::ServerUnaryReactor* DbtCompilerServiceImpl::RenderTemplate(
    grpc::CallbackServerContext* context, const v1::RenderTemplateRequest* request,
    v1::RenderTemplateResponse* response) {
  return scheduler_->Unary(context, render_template_, response,
                           [=, this] { return DoRenderTemplate(context, request, response); });
}

DbtCompilerServiceImpl::CachedProject DbtCompilerServiceImpl::Lookup(const std::string& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(hash);
  if (it == cache_.end()) return {};
  lru_.erase(it->second.second);
  lru_.push_front(hash);
  it->second.second = lru_.begin();
  return it->second.first;
}

void DbtCompilerServiceImpl::Store(const std::string& hash, CachedProject project) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = cache_.find(hash); it != cache_.end()) {
    lru_.erase(it->second.second);
    cache_.erase(it);
  }
  lru_.push_front(hash);
  cache_[hash] = {std::move(project), lru_.begin()};
  while (cache_.size() > std::max<size_t>(1, options_.cache_entries)) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
}

grpc::Status DbtCompilerServiceImpl::DoCompileProject(grpc::CallbackServerContext* context,
                                                    const v1::CompileProjectRequest* request,
                                                    v1::CompileProjectResponse* response) {
  auto options = OptionsFromRequest(*request, options_);
  if (!options.ok()) return ToGrpcStatus(options.status());
  CancellationToken cancel;
  scheduler_->Bind(context, &cancel);
  options->cancel = &cancel;
  options->parse_cache = parse_cache_;
  const std::string settings = SettingsDigest(*request);
  const std::string hash = ProjectHash(*options->files, settings);
  auto out = dbt::Compile(*options);
  if (!out.ok()) return ToGrpcStatus(out.status());
  response->set_project_hash(hash);
  for (const dbt::Node* n : out->project->nodes_in_order()) {
    if (n->type == dbt::ResourceType::kSeed) continue;
    NodeToProto(*n, response->add_nodes());
  }
  for (const auto& id : out->project->dag_order()) response->add_dag_order(id);
  if (request->include_manifest()) response->set_manifest_json(dbt::WriteManifest(*out->project, *options));
  DiagnosticsToProto(out->diagnostics, response->mutable_diagnostics());
  auto* stats = response->mutable_stats();
  stats->set_nodes(out->stats.nodes);
  stats->set_nodes_compiled(out->stats.nodes_compiled);
  stats->set_nodes_failed(out->stats.nodes_failed);
  stats->set_macros(out->stats.macros);
  stats->set_compile_micros(out->stats.compile_micros);
  stats->set_cache_hits(out->stats.cache_hits);
  Store(hash, CachedProject{out->project, settings});
  return grpc::Status::OK;
}

grpc::Status DbtCompilerServiceImpl::DoCompileNode(grpc::CallbackServerContext* context,
                                                   const v1::CompileNodeRequest* request,
                                                   v1::CompileNodeResponse* response) {
  if (request->project_hash().empty() || request->node().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("project_hash and node are required"));
  }
  CachedProject cached = Lookup(request->project_hash());
  if (cached.project == nullptr) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("project ", request->project_hash(),
                                                         " is not cached here; call CompileProject first")));
  }
  CancellationToken cancel;
  scheduler_->Bind(context, &cancel);
  std::string hash = request->project_hash();
  std::vector<Diagnostic> project_diags;
  if (request->changed_files_size() > 0) {
    // The cached project's files with the changes on top, compiled as a new project through
    // the shared parse cache (only the changed files are parsed again).
    auto files = std::make_shared<dbt::FileMap>(*cached.project->options().files);
    for (const auto& f : request->changed_files()) {
      if (f.path().empty() || f.path().find("..") != std::string::npos || f.path()[0] == '/') {
        return ToGrpcStatus(absl::InvalidArgumentError(
            absl::StrCat("changed file path '", f.path(), "' must be relative, without '..'")));
      }
      if (absl::Status s = CheckInputSize(f.path(), f.content().size(), options_.limits.max_input_bytes); !s.ok()) {
        return ToGrpcStatus(s);
      }
      (*files)[f.path()] = f.content();
    }
    uint64_t total = 0;
    for (const auto& [path, content] : *files) total += content.size();
    if (total > options_.max_project_bytes || files->size() > static_cast<size_t>(options_.max_files)) {
      return ToGrpcStatus(absl::ResourceExhaustedError(
          absl::StrCat("with the changed files the project is ", total, " bytes in ", files->size(),
                       " files, over the limit of ", options_.max_project_bytes, " bytes or ", options_.max_files,
                       " files")));
    }
    dbt::CompileOptions options = cached.project->options();
    options.files = files;
    options.cancel = &cancel;
    options.parse_cache = parse_cache_;
    // Only the requested node is rendered now; the new project compiles others on demand.
    options.compile_nodes = false;
    hash = ProjectHash(*files, cached.settings_digest);
    auto out = dbt::Compile(options);
    if (!out.ok()) return ToGrpcStatus(out.status());
    project_diags = std::move(out->diagnostics);
    cached.project = out->project;
    Store(hash, cached);
  }
  std::vector<Diagnostic> diags;
  auto node = cached.project->CompileOneNode(request->node(), request->vars_json(), &diags, &cancel);
  if (!node.ok()) return ToGrpcStatus(node.status());
  // A node that failed before rendering (an unknown ref, a cycle) has its reasons in the
  // project's diagnostics.
  for (auto& d : project_diags) {
    if (!node->compiled && d.file == node->original_file_path) diags.push_back(std::move(d));
  }
  NodeToProto(*node, response->mutable_node());
  DiagnosticsToProto(diags, response->mutable_diagnostics());
  response->set_project_hash(hash);
  return grpc::Status::OK;
}

grpc::Status DbtCompilerServiceImpl::DoRenderTemplate(grpc::CallbackServerContext* context,
                                                    const v1::RenderTemplateRequest* request,
                                                    v1::RenderTemplateResponse* response) {
  if (absl::Status s = CheckInputSize("template", request->template_().size(), options_.limits.max_input_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  jinja::Value ctx = jinja::Value::Dict();
  if (!request->context_json().empty()) {
    auto parsed = jinja::ParseJson(request->context_json());
    if (!parsed.ok()) return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat("context_json: ", parsed.status().message())));
    if (!parsed->is_dict()) return ToGrpcStatus(absl::InvalidArgumentError("context_json must be a JSON object"));
    ctx = *parsed;
  }
  jinja::EnvironmentOptions eo;
  eo.trim_blocks = request->trim_blocks();
  eo.lstrip_blocks = request->lstrip_blocks();
  eo.undefined = request->strict_undefined() ? jinja::UndefinedMode::kStrict : jinja::UndefinedMode::kDefault;
  jinja::Environment env(eo);
  auto loader = std::make_shared<jinja::MapLoader>();
  for (const auto& [name, text] : request->templates()) loader->Add(name, text);
  env.SetLoader(loader);
  const std::string name = request->name().empty() ? "<template>" : request->name();
  CancellationToken cancel;
  scheduler_->Bind(context, &cancel);
  jinja::RenderOptions ro;
  ro.limits = options_.limits;
  ro.cancel = &cancel;
  auto fail = [&](const absl::Status& s) -> grpc::Status {
    if (s.code() == absl::StatusCode::kCancelled || s.code() == absl::StatusCode::kDeadlineExceeded ||
        s.code() == absl::StatusCode::kResourceExhausted) {
      return ToGrpcStatus(s);
    }
    Diagnostic d;
    d.code = "jinja-error";
    d.file = name;
    d.message = std::string(s.message());
    if (auto info = jinja::GetErrorInfo(s)) {
      d.message = info->message;
      d.location = info->location;
      d.context = info->call_stack;
      if (!info->template_name.empty()) d.file = info->template_name;
    }
    DiagnosticToProto(d, response->add_diagnostics());
    return grpc::Status::OK;
  };
  auto tpl = env.Compile(request->template_(), name);
  if (!tpl.ok()) return fail(tpl.status());
  auto out = env.Render(**tpl, ctx, ro);
  if (!out.ok()) return fail(out.status());
  response->set_output(out->text);
  return grpc::Status::OK;
}

}  // namespace sqlmill
