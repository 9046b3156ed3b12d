// SPDX-License-Identifier: BSD-3-Clause
// The process-wide logging configuration: logger levels, sinks and additivity. Applications set
// it up once (apps/common does it for dcmkit's programs); libraries only log.
//
//   oflog::add_sink(std::make_shared<oflog::StreamSink>(std::cerr));
//   oflog::set_level("", oflog::Level::Info);               // root: -v
//   oflog::set_level("dcmkit.dcmnet", oflog::Level::Trace);   // one branch in detail
#pragma once

#include <memory>
#include <string_view>

#include "dcmkit/oflog/level.h"
#include "dcmkit/oflog/sink.h"

namespace dcmkit::oflog {

/// The root logger's level after start-up or reset(): warnings and above, as in DCMTK.
inline constexpr Level kDefaultLevel = Level::Warn;

/// Sets the level of a logger ("" or "root": the root logger); descendants without their own
/// level inherit it. Thread-safe, like every function here.
void set_level(std::string_view logger, Level level);
/// Makes a logger inherit its level from its nearest configured ancestor again. The root logger
/// always has a level; for it this restores kDefaultLevel.
void unset_level(std::string_view logger);
/// The level in effect for a logger (its own or inherited).
Level effective_level(std::string_view logger);

/// Attaches a sink to a logger (default: the root logger, i.e. every record). The registry keeps
/// a reference until reset() or remove_sinks(). A sink must not log from do_write().
void add_sink(std::shared_ptr<Sink> sink, std::string_view logger = "");
/// Whether records of a logger also go to its ancestors' sinks (default true).
void set_additivity(std::string_view logger, bool additive);
/// Detaches every sink from every logger; afterwards nothing is printed.
void remove_sinks();
/// True if any sink is attached.
bool has_sinks() noexcept;
/// Flushes every attached sink.
void flush();

/// Back to the start-up state: no sinks, root at kDefaultLevel, every other logger inheriting
/// and additive. Loggers (and Logger objects) stay valid.
void reset();

}  // namespace dcmkit::oflog
