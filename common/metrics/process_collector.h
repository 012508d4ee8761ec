// Process metrics in the Prometheus standard names, read from /proc/self on each scrape:
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds, process_threads.
//
// Register it on the registry the admin endpoint serves. Collect() is thread-safe (it only
// reads /proc).
//
//   auto registry = std::make_shared<prometheus::Registry>();
//   auto process = std::make_shared<ProcessCollector>();
//   // served beside the registry by AdminHttpServer
#ifndef SQLMILL_COMMON_METRICS_PROCESS_COLLECTOR_H_
#define SQLMILL_COMMON_METRICS_PROCESS_COLLECTOR_H_

#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace sqlmill {

class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_METRICS_PROCESS_COLLECTOR_H_
