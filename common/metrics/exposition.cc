// Text exposition through prometheus-cpp's serializer.
#include "common/metrics/exposition.h"

#include "prometheus/text_serializer.h"

namespace sqlmill {

std::string RenderPrometheusText(
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& c : collectables) {
    auto f = c->Collect();
    families.insert(families.end(), std::make_move_iterator(f.begin()),
                    std::make_move_iterator(f.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace sqlmill
