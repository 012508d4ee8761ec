// DbtCompilerServiceImpl: the thin gRPC adapter over the dbt compiler engine.
//
// CompileProject turns the request (files or a tar archive, target, vars, env, selection,
// flags) into CompileOptions, runs the engine with a CancellationToken bound to the call
// (client deadline + ServerContext::IsCancelled) and converts nodes and diagnostics.
// The compiled project is kept in a bounded LRU cache keyed by a content hash of the
// request's project and settings, so CompileNode can recompile one node without the
// project being resent; a repeated CompileProject with the same content is a cache hit.
// Every compile of this service instance shares one ParseCache (parsed templates and macro
// environments by content hash), so a CompileProject after one file changed re-parses only
// that file, and CompileNode with changed_files recompiles on top of a cached project.
// RenderTemplate renders ad-hoc Jinja with a JSON context through the Jinja engine.
// ScaffoldProject (built when the validator is, SQLMILL_DBT_HAS_SCAFFOLD) runs the migration
// scaffold (scaffold_project.h); T-SQL input needs the options' sql_loader.
// A callback-API service: every RPC's work runs on the server's worker pool through the
// CallScheduler, and a compile's render phases spread over the same pool.
//
// Thread-safety: RPCs may run concurrently; the cache is mutex-guarded and a cached
// project serializes its own single-node recompiles.
//
//   DbtCompilerServiceImpl service(DbtCompilerServiceOptions{});
//   builder.RegisterService(&service);
#ifndef SQLMILL_SERVICES_DBT_COMPILER_SERVICE_DBT_COMPILER_SERVICE_H_
#define SQLMILL_SERVICES_DBT_COMPILER_SERVICE_DBT_COMPILER_SERVICE_H_

#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "common/base/limits.h"
#include "common/server/arena_allocator.h"
#include "common/server/call_scheduler.h"
#include "services/dbt_compiler/engine/compiler.h"
#include "services/schema_validator/engine/sql_input.h"
#include "sqlmill/v1/dbt_compiler.grpc.pb.h"

namespace sqlmill {

struct DbtCompilerServiceOptions {
  Limits limits;
  uint64_t max_project_bytes = 256ull << 20;  // all files (or the tar) of one request
  int max_files = 50000;
  size_t cache_entries = 16;                  // compiled projects kept for CompileNode
  dbt::ParseCacheOptions parse_cache;         // parsed templates shared by all requests
  CallScheduler* scheduler = nullptr;         // null: a pool of the service's own
  validator::SqlSchemaLoader sql_loader;      // ScaffoldProject's T-SQL input; null: catalogs only
};

class DbtCompilerServiceImpl : public v1::DbtCompilerService::CallbackService {
 public:
  explicit DbtCompilerServiceImpl(DbtCompilerServiceOptions options);

  grpc::ServerUnaryReactor* CompileProject(grpc::CallbackServerContext* context,
                                           const v1::CompileProjectRequest* request,
                                           v1::CompileProjectResponse* response) override;
  grpc::ServerUnaryReactor* CompileNode(grpc::CallbackServerContext* context,
                                        const v1::CompileNodeRequest* request,
                                        v1::CompileNodeResponse* response) override;
  grpc::ServerUnaryReactor* RenderTemplate(grpc::CallbackServerContext* context,
                                           const v1::RenderTemplateRequest* request,
                                           v1::RenderTemplateResponse* response) override;
#ifdef SQLMILL_DBT_HAS_SCAFFOLD
  grpc::ServerUnaryReactor* ScaffoldProject(grpc::CallbackServerContext* context,
                                            const v1::ScaffoldProjectRequest* request,
                                            v1::ScaffoldProjectResponse* response) override;
#endif

  // The parse cache all requests of this instance share (its stats are the counters tests
  // and metrics read).
  const dbt::ParseCache& parse_cache() const { return *parse_cache_; }

 private:
  struct CachedProject {
    std::shared_ptr<dbt::CompiledProject> project;
    std::string settings_digest;  // of the request that built it; hashes derived projects
  };
  CachedProject Lookup(const std::string& hash);
  void Store(const std::string& hash, CachedProject project);

  grpc::Status DoCompileProject(grpc::CallbackServerContext* context,
                                const v1::CompileProjectRequest* request,
                                v1::CompileProjectResponse* response);
  grpc::Status DoCompileNode(grpc::CallbackServerContext* context,
                             const v1::CompileNodeRequest* request, v1::CompileNodeResponse* response);
  grpc::Status DoRenderTemplate(grpc::CallbackServerContext* context,
                                const v1::RenderTemplateRequest* request,
                                v1::RenderTemplateResponse* response);

  DbtCompilerServiceOptions options_;
  OwnedScheduler own_scheduler_;
  // Each unary call's messages on one arena (they must outlive the server, as the service does).
  ArenaMessageAllocator<v1::CompileProjectRequest, v1::CompileProjectResponse> compile_project_allocator_;
  ArenaMessageAllocator<v1::CompileNodeRequest, v1::CompileNodeResponse> compile_node_allocator_;
  ArenaMessageAllocator<v1::RenderTemplateRequest, v1::RenderTemplateResponse> render_template_allocator_;
  CallScheduler* scheduler_;
  const CallScheduler::Method* compile_project_;
  const CallScheduler::Method* compile_node_;
  const CallScheduler::Method* render_template_;
  const CallScheduler::Method* scaffold_project_ = nullptr;
  std::shared_ptr<dbt::ParseCache> parse_cache_;
  std::mutex mu_;
  std::list<std::string> lru_;  // most recent first
  absl::flat_hash_map<std::string, std::pair<CachedProject, std::list<std::string>::iterator>> cache_;
};

}  // namespace sqlmill

#endif  // SQLMILL_SERVICES_DBT_COMPILER_SERVICE_DBT_COMPILER_SERVICE_H_
