// Reads /proc/self/stat, /proc/self/fd and /proc/self/limits for process metrics.
#include "common/metrics/process_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace sqlmill {
namespace {

prometheus::MetricFamily Gauge(const char* name, const char* help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

int CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int count = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory handle itself
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name (which may contain spaces).
  const size_t close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::string f[40];
    for (int i = 0; i < 40 && fields >> f[i]; ++i) {
    }
    // Field numbers from proc(5), counted from 3 (state) at index 0.
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double utime = std::stod(f[11]), stime = std::stod(f[12]);
    const double threads = std::stod(f[17]);
    const double start_ticks = std::stod(f[19]);
    const double vsize = std::stod(f[20]);
    const double rss_pages = std::stod(f[21]);
    out.push_back(Gauge("process_cpu_seconds_total", "Total user and system CPU time in seconds.",
                        (utime + stime) / ticks, prometheus::MetricType::Counter));
    out.push_back(Gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
                        rss_pages * page));
    out.push_back(Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", vsize));
    out.push_back(Gauge("process_threads", "Number of OS threads in the process.", threads));
    out.push_back(Gauge("process_start_time_seconds",
                        "Start time of the process since the Unix epoch in seconds.",
                        BootTimeSeconds() + start_ticks / ticks));
  }
  out.push_back(Gauge("process_open_fds", "Number of open file descriptors.", CountOpenFds()));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back(Gauge("process_max_fds", "Maximum number of open file descriptors.",
                        static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace sqlmill
