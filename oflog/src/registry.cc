// SPDX-License-Identifier: BSD-3-Clause
// The logger registry behind Logger and registry.h: one tree of nodes, never destroyed, so that
// a Logger's cached node pointer stays valid for the life of the process.
#include "dcmkit/oflog/registry.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "dcmkit/oflog/logger.h"

namespace dcmkit::oflog {
namespace detail {

struct LoggerNode {
  std::string name;
  LoggerNode* parent = nullptr;
  std::atomic<Level> effective{kDefaultLevel};
  // The fields below are guarded by Registry::mutex.
  std::optional<Level> configured;
  bool additive = true;
  std::vector<std::shared_ptr<Sink>> sinks;
};

}  // namespace detail

namespace {

using detail::LoggerNode;

std::string_view normalize(std::string_view name) { return name == "root" ? "" : name; }

class Registry {
 public:
  Registry() {
    auto root = std::make_unique<LoggerNode>();
    root->configured = kDefaultLevel;
    root_ = root.get();
    nodes_.emplace(std::string(), std::move(root));
  }

  // The registry outlives every static object that might log from its destructor, so it is
  // created on first use and intentionally never destroyed.
  static Registry& instance() {
    static auto* const registry = new Registry();  // NOLINT(cppcoreguidelines-owning-memory)
    return *registry;
  }

  LoggerNode& node(std::string_view raw_name) {
    const std::string_view name = normalize(raw_name);
    {
      const std::shared_lock lock(mutex_);
      const auto it = nodes_.find(name);
      if (it != nodes_.end()) return *it->second;
    }
    const std::unique_lock lock(mutex_);
    return node_locked(name);
  }

  [[nodiscard]] bool any_sink() const noexcept {
    return sink_count_.load(std::memory_order_relaxed) > 0;
  }

  void dispatch(LoggerNode& node, const Record& record) {
    const std::shared_lock lock(mutex_);
    for (LoggerNode* current = &node; current != nullptr; current = current->parent) {
      for (const std::shared_ptr<Sink>& sink : current->sinks) sink->write(record);
      if (!current->additive) break;
    }
  }

  void set_level(std::string_view name, std::optional<Level> level) {
    const std::unique_lock lock(mutex_);
    LoggerNode& target = node_locked(normalize(name));
    target.configured = (&target == root_ && !level) ? kDefaultLevel : level;
    recompute_locked();
  }

  Level effective_level(std::string_view name) {
    return node(name).effective.load(std::memory_order_relaxed);
  }

  void add_sink(std::shared_ptr<Sink> sink, std::string_view name) {
    if (!sink) return;
    const std::unique_lock lock(mutex_);
    node_locked(normalize(name)).sinks.push_back(std::move(sink));
    sink_count_.fetch_add(1, std::memory_order_relaxed);
  }

  void set_additivity(std::string_view name, bool additive) {
    const std::unique_lock lock(mutex_);
    node_locked(normalize(name)).additive = additive;
  }

  void remove_sinks() {
    const std::unique_lock lock(mutex_);
    for (auto& [name, node] : nodes_) node->sinks.clear();
    sink_count_.store(0, std::memory_order_relaxed);
  }

  void flush() {
    const std::shared_lock lock(mutex_);
    for (auto& [name, node] : nodes_) {
      for (const std::shared_ptr<Sink>& sink : node->sinks) sink->flush();
    }
  }

  void reset() {
    const std::unique_lock lock(mutex_);
    for (auto& [name, node] : nodes_) {
      node->sinks.clear();
      node->additive = true;
      node->configured.reset();
    }
    root_->configured = kDefaultLevel;
    sink_count_.store(0, std::memory_order_relaxed);
    recompute_locked();
  }

 private:
  LoggerNode& node_locked(std::string_view name) {
    const auto it = nodes_.find(name);
    if (it != nodes_.end()) return *it->second;
    const std::size_t dot = name.rfind('.');
    LoggerNode& parent = node_locked(dot == std::string_view::npos ? "" : name.substr(0, dot));
    auto created = std::make_unique<LoggerNode>();
    created->name = std::string(name);
    created->parent = &parent;
    created->effective.store(parent.effective.load(std::memory_order_relaxed),
                             std::memory_order_relaxed);
    LoggerNode& result = *created;
    nodes_.emplace(std::string(name), std::move(created));
    return result;
  }

  void recompute_locked() {
    for (auto& [name, node] : nodes_) {
      const LoggerNode* source = node.get();
      while (!source->configured) source = source->parent;
      node->effective.store(*source->configured, std::memory_order_relaxed);
    }
  }

  std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<LoggerNode>, std::less<>> nodes_;
  LoggerNode* root_ = nullptr;
  std::atomic<std::size_t> sink_count_{0};
};

Record make_record(const LoggerNode& node, Level level, std::string_view message,
                   SourceLocation where) {
  Record record;
  record.level = level;
  record.logger = node.name;
  record.message = message;
  record.time = std::chrono::system_clock::now();
  record.thread = std::this_thread::get_id();
  record.where = where;
  return record;
}

}  // namespace

Logger::Logger(const Logger& other) noexcept
    : name_(other.name_), node_(other.node_.load(std::memory_order_acquire)) {}

Logger& Logger::operator=(const Logger& other) noexcept {
  name_ = other.name_;
  node_.store(other.node_.load(std::memory_order_acquire), std::memory_order_release);
  return *this;
}

LoggerNode& Logger::node() const {
  LoggerNode* cached = node_.load(std::memory_order_acquire);
  if (cached == nullptr) {
    cached = &Registry::instance().node(name_);
    node_.store(cached, std::memory_order_release);
  }
  return *cached;
}

bool Logger::is_enabled(Level level) const {
  Registry& registry = Registry::instance();
  if (!registry.any_sink() || level == Level::Off) return false;
  return level >= node().effective.load(std::memory_order_relaxed);
}

void Logger::log(Level level, std::string_view message, SourceLocation where) const {
  if (!is_enabled(level)) return;
  LoggerNode& target = node();
  Registry::instance().dispatch(target, make_record(target, level, message, where));
}

void Logger::force_log(Level level, std::string_view message, SourceLocation where) const {
  if (!Registry::instance().any_sink() || level == Level::Off) return;
  LoggerNode& target = node();
  Registry::instance().dispatch(target, make_record(target, level, message, where));
}

Logger get_logger(std::string_view name) {
  // The node's name lives as long as the registry, i.e. for the rest of the process.
  LoggerNode& node = Registry::instance().node(name);
  return Logger(node.name);
}

void set_level(std::string_view logger, Level level) {
  Registry::instance().set_level(logger, level);
}
void unset_level(std::string_view logger) { Registry::instance().set_level(logger, std::nullopt); }
Level effective_level(std::string_view logger) {
  return Registry::instance().effective_level(logger);
}
void add_sink(std::shared_ptr<Sink> sink, std::string_view logger) {
  Registry::instance().add_sink(std::move(sink), logger);
}
void set_additivity(std::string_view logger, bool additive) {
  Registry::instance().set_additivity(logger, additive);
}
void remove_sinks() { Registry::instance().remove_sinks(); }
bool has_sinks() noexcept { return Registry::instance().any_sink(); }
void flush() { Registry::instance().flush(); }
void reset() { Registry::instance().reset(); }

}  // namespace dcmkit::oflog
