// SPDX-License-Identifier: BSD-3-Clause
// termscu: asks a DCMTK-style server to shut down by proposing DCMTK's private Shutdown SOP
// class, a drop-in replacement for DCMTK's termscu (docs/termscu.md).
#include <cstdint>
#include <string>

#include "common/app.h"
#include "common/dcmnet_options.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// DCMTK's private Shutdown SOP class (observed in DCMTK's termscu requests).
constexpr std::string_view kShutdownSopClass = "1.2.276.0.7230010.3.4.1915765545.18030.917282194.0";

void define_options(ofstd::CommandLine& cl) {
  cl.set_option_columns(11, 4);  // DCMTK's termscu layout
  cl.add_parameter("peer", "hostname of DICOM peer");
  cl.add_parameter("port", "tcp/ip port number of peer");
  cl.add_group("network options:");
  cl.add_subgroup("application entity titles:");
  cl.add_option("-aet", "--aetitle",
                "[a]etitle: string\n"
                "set my calling AE title (default: TERMSCU)",
                1);
  cl.add_option("-aec", "--call",
                "[a]etitle: string\n"
                "set called AE title of peer (default: ANY-SCP)",
                1);
  cl.add_subgroup("other network options:");
  apps::add_network_limit_option(cl, apps::NetworkLimit::MaxPdu);
}

}  // namespace

int main(int argc, char** argv) {
  App app("termscu", "DICOM termination SCU");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  const oflog::Logger& log = app.logger();

  auto port = args.param_as_int(1, ofstd::IntBounds::range(1, 65535));
  if (!port) return app.usage_error(port.error());
  dcmnet::AssociationConfig config;
  auto limits = apps::network_limits(args, {apps::NetworkLimit::MaxPdu});
  if (!limits) return app.usage_error(limits.error());
  config.max_receive_pdu = limits->max_receive_pdu;
  dcmnet::AssociateRq rq;
  rq.calling_ae = args.value("-aet").value_or("TERMSCU");
  rq.called_ae = args.value("-aec").value_or("ANY-SCP");
  rq.contexts.push_back({1,
                         std::string(kShutdownSopClass),
                         {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}});

  DCMKIT_LOG_INFO(log, "Requesting Association");
  auto transport =
      apps::open_transport(args.param(0), static_cast<std::uint16_t>(*port), config.timeouts);
  if (!transport) return app.fatal(1, apps::association_failure(transport.error()));
  auto outcome = dcmnet::Association::request(std::move(*transport), rq, config);
  if (!outcome) {
    // A server that shuts down as asked may just drop the connection.
    return app.fatal(1, apps::association_failure(outcome.error()));
  }
  if (const auto* rj = std::get_if<dcmnet::AssociateRj>(&*outcome)) {
    // DCMTK's termscu ends this first line with a space.
    log.log(oflog::Level::Fatal, "Association Rejected: ");
    const std::string text = dcmnet::describe(*rj);
    const std::size_t newline = text.find('\n');
    log.log(oflog::Level::Fatal, text.substr(0, newline));
    log.log(oflog::Level::Fatal, text.substr(newline + 1));
    return 1;
  }
  dcmnet::Association& association = std::get<dcmnet::Association>(*outcome);
  if (association.contexts().empty()) {
    log.log(oflog::Level::Fatal, "No Acceptable Presentation Contexts");
    association.abort();
    return 1;
  }
  DCMKIT_LOG_INFO(log, "Association Accepted (Max Send PDV: " << association.max_send_pdv() << ")");
  DCMKIT_LOG_INFO(log, "Releasing Association");
  if (const ofstd::Status released = association.release(); !released) {
    log.log(oflog::Level::Fatal, "Association Release Failed: " + released.error().to_string());
    return 1;
  }
  return 0;
}
