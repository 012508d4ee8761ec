// Renders collectables in the Prometheus text exposition format (version 0.0.4).
// Thread-safe as long as each collectable's Collect() is.
#ifndef SQLMILL_COMMON_METRICS_EXPOSITION_H_
#define SQLMILL_COMMON_METRICS_EXPOSITION_H_

#include <memory>
#include <string>
#include <vector>

#include "prometheus/collectable.h"

namespace sqlmill {

// Returns the text exposition of every family the collectables return, in order.
std::string RenderPrometheusText(
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables);

}  // namespace sqlmill

#endif  // SQLMILL_COMMON_METRICS_EXPOSITION_H_
