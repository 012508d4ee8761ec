# Finds every third-party dependency through the CMake config or pkg-config files that
# Debian 12's packages install (scripts/install_deps.sh installs them). Nothing is fetched.
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)            # CMake's FindProtobuf: libprotobuf-dev + protoc
find_package(absl CONFIG REQUIRED)         # libabsl-dev 20220623
find_package(gRPC CONFIG REQUIRED)         # libgrpc++-dev 1.51
find_package(GTest CONFIG REQUIRED)        # libgtest-dev, libgmock-dev
find_package(benchmark CONFIG REQUIRED)    # libbenchmark-dev
find_package(prometheus-cpp CONFIG REQUIRED)  # prometheus-cpp-dev 1.0.1
find_package(civetweb CONFIG REQUIRED)      # libcivetweb-dev: the admin HTTP endpoint
find_package(yaml-cpp CONFIG REQUIRED)     # libyaml-cpp-dev
find_package(OpenSSL REQUIRED)             # libssl-dev (a dependency of libgrpc-dev): EVP digests in dbt_compiler
find_package(antlr4-runtime CONFIG REQUIRED)  # libantlr4-runtime-dev 4.9
find_package(ZLIB REQUIRED)               # zlib1g-dev: gzip tar archives (dbt_compiler)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)  # libre2-dev (also a libgrpc-dev dependency)

find_program(SQLMILL_PROTOC protoc REQUIRED)
find_program(SQLMILL_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_program(SQLMILL_ANTLR4 antlr4 REQUIRED)   # Debian's antlr4 tool 4.7.2
find_program(SQLMILL_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)

# yaml-cpp's Debian config names its target yaml-cpp (no namespace).
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()
