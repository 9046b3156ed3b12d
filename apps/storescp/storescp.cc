// SPDX-License-Identifier: BSD-3-Clause
// storescp: DICOM storage (C-STORE) SCP, a drop-in replacement for DCMTK's (docs/storescp.md).
// Every association is served on a thread of its own; each object streams from the network into
// a temporary file that gets its final name only when complete.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/app.h"
#include "common/dcmnet_options.h"
#include "common/host_access.h"
#include "common/storage_classes.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/association_profile.h"
#include "dcmkit/dcmnet/server.h"
#include "dcmkit/dcmnet/storage.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/uid_generator.h"

extern char** environ;  // NOLINT: POSIX

namespace {

namespace fs = std::filesystem;
using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file
using dcmdata::ts_uids::kExplicitVRBigEndian;
using dcmdata::ts_uids::kExplicitVRLittleEndian;
using dcmdata::ts_uids::kImplicitVRLittleEndian;

constexpr apps::TlsOptionSet kTlsOptions{.anonymous = false,
                                         .dh_params = true,
                                         .verify_peer_if_present = true,
                                         .offline_verification = false};

// --- Command line ---------------------------------------------------------------------------

struct PreferOption {
  const char* short_name;
  const char* long_name;
  const char* description;
  const char* preferred;  // transfer syntax put first; nullptr: none
};

constexpr PreferOption kPreferOptions[] = {
    {"+x=", "--prefer-uncompr", "prefer explicit VR local byte order (default)", nullptr},
    {"+xe", "--prefer-little", "prefer explicit VR little endian TS", nullptr},
    {"+xb", "--prefer-big", "prefer explicit VR big endian TS", nullptr},
    {"+xs", "--prefer-lossless", "prefer default JPEG lossless TS", "1.2.840.10008.1.2.4.70"},
    {"+xy", "--prefer-jpeg8", "prefer default JPEG lossy TS for 8 bit data",
     "1.2.840.10008.1.2.4.50"},
    {"+xx", "--prefer-jpeg12", "prefer default JPEG lossy TS for 12 bit data",
     "1.2.840.10008.1.2.4.51"},
    {"+xv", "--prefer-j2k-lossless", "prefer JPEG 2000 lossless TS", "1.2.840.10008.1.2.4.90"},
    {"+xw", "--prefer-j2k-lossy", "prefer JPEG 2000 lossy TS", "1.2.840.10008.1.2.4.91"},
    {"+xt", "--prefer-jls-lossless", "prefer JPEG-LS lossless TS", "1.2.840.10008.1.2.4.80"},
    {"+xu", "--prefer-jls-lossy", "prefer JPEG-LS lossy TS", "1.2.840.10008.1.2.4.81"},
    {"+xm", "--prefer-mpeg2", "prefer MPEG2 Main Profile @ Main Level TS",
     "1.2.840.10008.1.2.4.100"},
    {"+xh", "--prefer-mpeg2-high", "prefer MPEG2 Main Profile @ High Level TS",
     "1.2.840.10008.1.2.4.101"},
    {"+xn", "--prefer-mpeg4", "prefer MPEG4 AVC/H.264 HP / Level 4.1 TS",
     "1.2.840.10008.1.2.4.102"},
    {"+xl", "--prefer-mpeg4-bd", "prefer MPEG4 AVC/H.264 BD-compatible TS",
     "1.2.840.10008.1.2.4.103"},
    {"+x2", "--prefer-mpeg4-2-2d", "prefer MPEG4 AVC/H.264 HP / Level 4.2 TS (2D)",
     "1.2.840.10008.1.2.4.104"},
    {"+x3", "--prefer-mpeg4-2-3d", "prefer MPEG4 AVC/H.264 HP / Level 4.2 TS (3D)",
     "1.2.840.10008.1.2.4.105"},
    {"+xo", "--prefer-mpeg4-2-st", "prefer MPEG4 AVC/H.264 Stereo HP / Level 4.2 TS",
     "1.2.840.10008.1.2.4.106"},
    {"+x4", "--prefer-hevc", "prefer HEVC/H.265 Main Profile / Level 5.1 TS",
     "1.2.840.10008.1.2.4.107"},
    {"+x5", "--prefer-hevc10", "prefer HEVC/H.265 Main 10 Profile / Level 5.1 TS",
     "1.2.840.10008.1.2.4.108"},
    {"+xr", "--prefer-rle", "prefer RLE lossless TS", "1.2.840.10008.1.2.5"},
    {"+xd", "--prefer-deflated", "prefer deflated expl. VR little endian TS",
     "1.2.840.10008.1.2.1.99"},
};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("port", "tcp/ip port number to listen on", ofstd::Cardinality::Optional);
  cl.add_option("+v", "--verbose-pc", "show presentation contexts in verbose mode");
  cl.add_group("multi-process options:");
  cl.add_option("", "--single-process", "single process mode (default)");
  cl.add_option("", "--fork", "fork child process for each association");
  cl.add_group("network options:");
  cl.add_subgroup("association negotiation profile from configuration file:");
  cl.add_option("-xf", "--config-file",
                "[f]ilename, [p]rofile: string\n"
                "use profile p from config file f",
                2);
  cl.add_subgroup("preferred network transfer syntaxes (not with --config-file):");
  for (const PreferOption& option : kPreferOptions) {
    cl.add_option(option.short_name, option.long_name, option.description);
  }
  cl.add_option("+xi", "--implicit", "accept implicit VR little endian TS only");
  cl.add_option("+xa", "--accept-all", "accept all supported transfer syntaxes");
  cl.add_subgroup("network host access control (tcp wrapper):");
  cl.add_option("-ac", "--access-full", "accept connections from any host (default)");
  cl.add_option("+ac", "--access-control", "enforce host access control rules");
  cl.add_subgroup("other network options:");
  cl.add_option("-id", "--inetd", "run from inetd super server (not with --fork)");
  apps::add_network_limit_option(cl, apps::NetworkLimit::SocketTimeout);
  apps::add_network_limit_option(cl, apps::NetworkLimit::AcseTimeout);
  apps::add_network_limit_option(cl, apps::NetworkLimit::DimseTimeout);
  cl.add_option("-aet", "--aetitle",
                "[a]etitle: string\n"
                "set my AE title (default: STORESCP)",
                1);
  apps::add_network_limit_option(cl, apps::NetworkLimit::MaxPdu);
  cl.add_option("-dhl", "--disable-host-lookup", "disable hostname lookup");
  cl.add_option("", "--refuse", "refuse association");
  cl.add_option("", "--reject", "reject association if no implement. class UID");
  cl.add_option("", "--ignore", "ignore store data, receive but do not store");
  cl.add_option("", "--sleep-after",
                "[s]econds: integer\n"
                "sleep s seconds after store (default: 0)",
                1);
  cl.add_option("", "--sleep-during",
                "[s]econds: integer\n"
                "sleep s seconds during store (default: 0)",
                1);
  cl.add_option("", "--abort-after",
                "abort association after receipt of C-STORE-RQ\n"
                "(but before sending response)");
  cl.add_option("", "--abort-during", "abort association during receipt of C-STORE-RQ");
  cl.add_option("-pm", "--promiscuous",
                "promiscuous mode, accept unknown SOP classes\n"
                "(not with --config-file)");
  cl.add_option("-up", "--uid-padding", "silently correct space-padded UIDs");
  apps::add_tls_options(cl, kTlsOptions);
  cl.add_group("output options:");
  cl.add_subgroup("general:");
  cl.add_option("-od", "--output-directory",
                "[d]irectory: string (default: \".\")\n"
                "write received objects to existing directory d",
                1);
  cl.add_subgroup("bit preserving mode:");
  cl.add_option("-B", "--normal", "allow implicit format conversions (default)");
  cl.add_option("+B", "--bit-preserving", "write data exactly as read");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  cl.add_subgroup("output transfer syntax (not with --bit-preserving or compressed transmission):");
  cl.add_option("+t=", "--write-xfer-same", "write with same TS as input (default)");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian TS");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  cl.add_option("+td", "--write-xfer-deflated", "write with deflated expl. VR little endian TS");
  cl.add_subgroup("post-1993 value representations (not with --bit-preserving):");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
  cl.add_subgroup("group length encoding (not with --bit-preserving):");
  cl.add_option("+g=", "--group-length-recalc", "recalculate group lengths if present (default)");
  cl.add_option("+g", "--group-length-create", "always write with group length elements");
  cl.add_option("-g", "--group-length-remove", "always write without group length elements");
  cl.add_subgroup("length encoding in sequences and items (not with --bit-preserving):");
  cl.add_option("+e", "--length-explicit", "write with explicit lengths (default)");
  cl.add_option("-e", "--length-undefined", "write with undefined lengths");
  cl.add_subgroup("data set trailing padding (not with --write-dataset or --bit-preserving):");
  cl.add_option("-p", "--padding-off", "no padding (default)");
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes and items\n"
                "on multiple of i bytes",
                2);
  cl.add_subgroup("handling of defined length UN elements:");
  cl.add_option("-uc", "--retain-un", "retain elements as UN (default)");
  cl.add_option("+uc", "--convert-un", "convert to real VR if known");
  cl.add_subgroup("deflate compression level (only with --write-xfer-deflated/same):");
  cl.add_option("+cl", "--compression-level",
                "[l]evel: integer (default: 6)\n"
                "0=uncompressed, 1=fastest, 9=best compression",
                1);
  cl.add_subgroup("sorting into subdirectories (not with --bit-preserving):");
  cl.add_option("-ss", "--sort-conc-studies",
                "[p]refix: string\n"
                "sort studies using prefix p and a timestamp",
                1);
  cl.add_option("-su", "--sort-on-study-uid",
                "[p]refix: string\n"
                "sort studies using prefix p and the Study\n"
                "Instance UID",
                1);
  cl.add_option("-sp", "--sort-on-patientname",
                "sort studies using the Patient's Name and\n"
                "a timestamp");
  cl.add_subgroup("filename generation:");
  cl.add_option("-uf", "--default-filenames", "generate filename from instance UID (default)");
  cl.add_option("+uf", "--unique-filenames", "generate unique filenames");
  cl.add_option("-tn", "--timenames", "generate filename from creation time");
  cl.add_option("-fe", "--filename-extension",
                "[e]xtension: string\n"
                "append e to all filenames",
                1);
  cl.add_group("event options:");
  cl.add_option("-xcr", "--exec-on-reception",
                "[c]ommand: string\n"
                "execute command c after having received and\n"
                "processed one C-STORE-RQ message",
                1);
  cl.add_option("-xcs", "--exec-on-eostudy",
                "[c]ommand: string\n"
                "execute command c after having received and\n"
                "processed all C-STORE-RQ messages that belong\n"
                "to one study",
                1);
  cl.add_option("-rns", "--rename-on-eostudy",
                "having received and processed all C-STORE-RQ\n"
                "messages that belong to one study, rename\n"
                "output files according to certain pattern");
  cl.add_option("-tos", "--eostudy-timeout",
                "[t]imeout: integer\n"
                "specifies a timeout of t seconds for\n"
                "end-of-study determination",
                1);
  cl.add_option("-xs", "--exec-sync", "execute command synchronously in foreground");
}

enum class Sorting : std::uint8_t { None, ConcurrentStudies, StudyUid, PatientName };
enum class Naming : std::uint8_t { InstanceUid, Unique, Time };

struct Settings {
  std::shared_ptr<dcmnet::TlsContext> tls;  ///< empty: plain TCP
  apps::TlsOptions tls_options;
  std::optional<std::uint16_t> port;
  bool inetd = false;
  bool verbose_pc = false;
  dcmnet::AcceptorPolicy policy;
  dcmnet::AssociationConfig config;
  bool host_lookup = true;
  bool refuse = false;
  bool ignore = false;
  long long sleep_after = 0;
  long long sleep_during = 0;
  bool abort_after = false;
  bool abort_during = false;
  fs::path output_directory = ".";
  bool write_meta = true;
  bool convert = false;  // any output conversion asked for
  std::optional<dcmdata::TransferSyntax> output_ts;
  dcmdata::WriteOptions write_options;
  Sorting sorting = Sorting::None;
  std::string sort_prefix;
  Naming naming = Naming::InstanceUid;
  std::string extension;
  std::string exec_on_reception;
  std::string exec_on_eostudy;
  bool rename_on_eostudy = false;
  std::optional<std::chrono::seconds> eostudy_timeout;
  bool exec_sync = false;
};

std::vector<std::string> preferred_syntaxes(const ofstd::ParsedCommandLine& args) {
  const std::vector<std::string> uncompressed = {std::string(kExplicitVRLittleEndian),
                                                 std::string(kExplicitVRBigEndian),
                                                 std::string(kImplicitVRLittleEndian)};
  const std::optional<std::string_view> chosen = args.last_of(
      {"+x=", "+xe", "+xb", "+xs", "+xy", "+xx", "+xv", "+xw", "+xt", "+xu", "+xm", "+xh",
       "+xn", "+xl", "+x2", "+x3", "+xo", "+x4", "+x5", "+xr", "+xd", "+xi", "+xa"});
  if (!chosen || *chosen == "+x=" || *chosen == "+xe") return uncompressed;
  if (*chosen == "+xb") {
    return {std::string(kExplicitVRBigEndian), std::string(kExplicitVRLittleEndian),
            std::string(kImplicitVRLittleEndian)};
  }
  if (*chosen == "+xi") return {std::string(kImplicitVRLittleEndian)};
  if (*chosen == "+xa") {
    std::vector<std::string> all = uncompressed;
    for (const dcmdata::TransferSyntax& ts : dcmdata::TransferSyntax::all()) {
      if (std::find(all.begin(), all.end(), ts.uid()) == all.end()) all.emplace_back(ts.uid());
    }
    return all;
  }
  for (const PreferOption& option : kPreferOptions) {
    if (*chosen == option.short_name && option.preferred != nullptr) {
      std::vector<std::string> list = {option.preferred};
      list.insert(list.end(), uncompressed.begin(), uncompressed.end());
      return list;
    }
  }
  return uncompressed;
}

std::optional<int> read_settings(const App& app, Settings& s) {
  const ofstd::ParsedCommandLine& args = app.args();
  const auto usage = [&app](const ofstd::Status& status) -> std::optional<int> {
    if (!status) return app.usage_error(status.error());
    return std::nullopt;
  };
  s.inetd = args.has("-id");
  if (args.param_count() > 0) {
    auto port = args.param_as_int(0, ofstd::IntBounds::range(1, 65535));
    if (!port) return app.usage_error(port.error());
    s.port = static_cast<std::uint16_t>(*port);
  } else if (!s.inetd) {
    return app.usage_error("Missing parameter port");
  }
  // DCMTK's consistency checks, in its words.
  // (One call each: a list of pairs holding initializer lists would leave them dangling.)
  if (auto r = usage(args.check_conflict("--fork", {"-id"}))) return r;
  if (auto r = usage(args.check_conflict("-xf", {"+xa"}))) return r;
  if (auto r = usage(args.check_conflict("-xf", {"-pm"}))) return r;
  if (args.last_of({"-B", "+B"}) == "+B") {
    for (const std::string_view option :
         {"+te", "+tb", "+ti", "+td", "-u", "+g", "-g", "-e", "+p", "+uc", "-ss", "-su", "-sp"}) {
      if (args.has(option)) {
        return app.usage_error(std::string(args.long_name(option)) +
                               " not allowed with --bit-preserving");
      }
    }
  }
  if (args.has("+p") && args.last_of({"+F", "-F"}) == "-F") {
    return app.usage_error("--padding-create not allowed with --write-dataset");
  }
  const bool sorted = args.has("-ss") || args.has("-su") || args.has("-sp");
  if (args.has("-xcs") && !sorted) {
    return app.usage_error(
        "--exec-on-eostudy only allowed with --sort-conc-studies, --sort-on-study-uid or "
        "--sort-on-patientname");
  }
  if (args.has("-rns") && !sorted) {
    return app.usage_error(
        "--rename-on-eostudy only allowed with --sort-conc-studies, --sort-on-study-uid or "
        "--sort-on-patientname");
  }
  if (args.has("-tos") && !sorted && !args.has("-xcs") && !args.has("-rns")) {
    return app.usage_error(
        "--eostudy-timeout only allowed with --sort-conc-studies, --sort-on-study-uid, "
        "--sort-on-patientname, --exec-on-eostudy or --rename-on-eostudy");
  }

  s.verbose_pc = args.has("+v");
  const auto integer = [&](std::string_view option, ofstd::IntBounds bounds,
                           long long& out) -> std::optional<int> {
    if (!args.has(option)) return std::nullopt;
    auto value = args.value_as_int(option, bounds);
    if (!value) return app.usage_error(value.error());
    out = *value;
    return std::nullopt;
  };
  long long level = 6;
  long long timeout = 0;
  auto limits = apps::network_limits(
      args, {apps::NetworkLimit::SocketTimeout, apps::NetworkLimit::AcseTimeout,
             apps::NetworkLimit::DimseTimeout, apps::NetworkLimit::MaxPdu});
  if (!limits) return app.usage_error(limits.error());
  if (auto r = integer("--sleep-after", ofstd::IntBounds::at_least(0), s.sleep_after)) return r;
  if (auto r = integer("--sleep-during", ofstd::IntBounds::at_least(0), s.sleep_during)) return r;
  if (auto r = integer("+cl", ofstd::IntBounds::range(0, 9), level)) return r;
  if (auto r = integer("-tos", ofstd::IntBounds::at_least(1), timeout)) return r;
  s.config.timeouts = limits->timeouts;
  if (args.has("-tos")) s.eostudy_timeout = std::chrono::seconds(timeout);

  dcmnet::AcceptorPolicy& policy = s.policy;
  policy.ae_title = args.value("-aet").value_or("STORESCP");
  policy.max_receive_pdu = limits->max_receive_pdu;
  policy.require_implementation_class_uid = args.has("--reject");
  const std::vector<std::string> syntaxes = preferred_syntaxes(args);
  policy.abstract_syntaxes.push_back({"1.2.840.10008.1.1", syntaxes, true, true});
  for (const std::string& sop_class : apps::storage_sop_classes()) {
    policy.abstract_syntaxes.push_back({sop_class, syntaxes, true, true});
  }
  if (args.has("-pm")) policy.any_abstract_syntax_transfer_syntaxes = syntaxes;
  if (args.has("-xf")) {
    // The profile replaces every other transfer syntax and SOP class choice: accept exactly
    // its abstract syntaxes, each with its transfer syntaxes in the profile's order.
    const std::vector<std::string> xf = args.values("-xf");
    auto profile = dcmnet::load_association_profile(xf.at(0), xf.at(1));
    if (!profile) return app.fatal(1, "reading config file: " + profile.error().message());
    policy.abstract_syntaxes.clear();
    policy.any_abstract_syntax_transfer_syntaxes.clear();
    for (const dcmnet::ProfileContext& context : profile->contexts) {
      auto same = std::find_if(policy.abstract_syntaxes.begin(), policy.abstract_syntaxes.end(),
                               [&](const auto& accepted) {
                                 return accepted.abstract_syntax == context.abstract_syntax;
                               });
      if (same == policy.abstract_syntaxes.end()) {
        policy.abstract_syntaxes.push_back({context.abstract_syntax, {}, true, true});
        same = std::prev(policy.abstract_syntaxes.end());
      }
      for (const std::string& ts : context.transfer_syntaxes) {
        if (std::find(same->transfer_syntaxes.begin(), same->transfer_syntaxes.end(), ts) ==
            same->transfer_syntaxes.end()) {
          same->transfer_syntaxes.push_back(ts);
        }
      }
    }
    for (const dcmnet::RoleSelection& role : profile->roles) {
      for (auto& accepted : policy.abstract_syntaxes) {
        if (accepted.abstract_syntax != role.sop_class_uid) continue;
        accepted.allow_requestor_scu = role.scu_role;
        accepted.allow_requestor_scp = role.scp_role;
      }
    }
    policy.extended_negotiation = profile->extended_negotiation;
  }

  s.host_lookup = !args.has("-dhl");
  s.refuse = args.has("--refuse");
  s.ignore = args.has("--ignore");
  s.abort_after = args.has("--abort-after");
  s.abort_during = args.has("--abort-during");
  if (args.has("-od")) s.output_directory = *args.value("-od");
  s.write_meta = args.last_of({"+F", "-F"}) != "-F";
  if (const auto ts = args.last_of({"+t=", "+te", "+tb", "+ti", "+td"}); ts && *ts != "+t=") {
    s.output_ts = *ts == "+te"   ? dcmdata::explicit_vr_little_endian()
                  : *ts == "+tb" ? dcmdata::explicit_vr_big_endian()
                  : *ts == "+ti" ? dcmdata::implicit_vr_little_endian()
                                 : dcmdata::deflated_explicit_vr_little_endian();
    s.convert = true;
  }
  dcmdata::WriteOptions& w = s.write_options;
  if (args.last_of({"+u", "-u"}) == "-u") {
    w.disable_new_vrs = true;
    s.convert = true;
  }
  if (const auto g = args.last_of({"+g=", "+g", "-g"}); g && *g != "+g=") {
    w.group_lengths =
        *g == "+g" ? dcmdata::GroupLengthMode::Create : dcmdata::GroupLengthMode::Remove;
    s.convert = true;
  }
  if (args.last_of({"+e", "-e"}) == "-e") {
    w.sequence_lengths = dcmdata::LengthMode::Undefined;
    w.item_lengths = dcmdata::LengthMode::Undefined;
    s.convert = true;
  }
  if (args.last_of({"-p", "+p"}) == "+p") {
    auto file_pad = args.value_as_int("+p", ofstd::IntBounds::range(0, 1 << 24), 0);
    if (!file_pad) return app.usage_error(file_pad.error());
    auto item_pad = args.value_as_int("+p", ofstd::IntBounds::range(0, 1 << 24), 1);
    if (!item_pad) return app.usage_error(item_pad.error());
    w.file_padding = static_cast<std::uint32_t>(*file_pad);
    w.item_padding = static_cast<std::uint32_t>(*item_pad);
    s.convert = true;
  }
  if (args.last_of({"-uc", "+uc"}) == "+uc") s.convert = true;
  w.deflate_level = static_cast<int>(level);
  if (args.has("+cl") && (s.output_ts && s.output_ts->is_deflated())) s.convert = true;

  if (const auto sort = args.last_of({"-ss", "-su", "-sp"})) {
    if (*sort == "-ss") {
      s.sorting = Sorting::ConcurrentStudies;
      s.sort_prefix = *args.value("-ss");
    } else if (*sort == "-su") {
      s.sorting = Sorting::StudyUid;
      s.sort_prefix = *args.value("-su");
    } else {
      s.sorting = Sorting::PatientName;
    }
  }
  if (const auto naming = args.last_of({"-uf", "+uf", "-tn"})) {
    s.naming = *naming == "+uf"   ? Naming::Unique
               : *naming == "-tn" ? Naming::Time
                                  : Naming::InstanceUid;
  }
  s.extension = args.value("-fe").value_or("");
  if (s.extension.find('/') != std::string::npos) {
    return app.usage_error("Invalid value for option --filename-extension (" + s.extension + ")");
  }
  s.exec_on_reception = args.value("-xcr").value_or("");
  s.exec_on_eostudy = args.value("-xcs").value_or("");
  s.rename_on_eostudy = args.has("-rns");
  s.exec_sync = args.has("-xs");

  return apps::set_up_tls(app, kTlsOptions, dcmnet::TlsRole::Server, s.tls, s.tls_options);
}

// --- Commands (-xcr, -xcs) ------------------------------------------------------------------

// Runs `command` through /bin/sh; waits for it with `wait`, otherwise reaps it on a detached
// thread. Values substituted into it are made of shell-safe characters only.
void run_command(const oflog::Logger& log, const std::string& command, bool wait) {
  DCMKIT_LOG_DEBUG(log, "executing command: " << command);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  // posix_spawn takes char* const[]; it does not modify the strings.
  if (::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv),  // NOLINT
                    environ) != 0) {
    log.log(oflog::Level::Error, "cannot execute command: " + command);
    return;
  }
  const auto reap = [pid] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  };
  if (wait) {
    reap();
  } else {
    std::thread(reap).detach();
  }
}

std::string replace_all(std::string text, std::string_view placeholder, std::string_view value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
  return text;
}

struct AssociationInfo {
  std::string calling_ae;
  std::string called_ae;
  std::string peer_host;
};

std::string expand(const std::string& command, const std::string& path, const std::string& file,
                   const AssociationInfo& info) {
  std::string text = replace_all(command, "#p", path);
  if (!file.empty()) text = replace_all(text, "#f", file);
  text = replace_all(text, "#a", apps::strict_name_component(info.calling_ae));
  text = replace_all(text, "#c", apps::strict_name_component(info.called_ae));
  return replace_all(text, "#r", apps::strict_name_component(info.peer_host));
}

// --- Studies: sorting and end-of-study ------------------------------------------------------

// Tracks the study being received, as DCMTK's storescp does on the sequence of received
// objects: a C-STORE of another study ends the previous one, and so does the -tos timeout.
class StudyTracker {
 public:
  StudyTracker(const Settings& settings, const oflog::Logger& log)
      : settings_(settings), log_(log) {}

  /// The directory an object of this study goes to (created if needed); ends the previous
  /// study if this one differs.
  ofstd::Result<fs::path> directory_for(const std::string& study_uid,
                                        const std::string& patient_name) {
    std::optional<Study> ended;
    fs::path dir;
    {
      std::lock_guard lock(mutex_);
      if (current_ && current_->study_uid != study_uid) {
        ended = std::move(current_);
        current_.reset();
      }
      if (!current_) {
        current_ = Study{};
        current_->study_uid = study_uid;
        std::string name;
        switch (settings_.sorting) {
          case Sorting::ConcurrentStudies:
            name = settings_.sort_prefix + "_" + apps::timestamp_text(false);
            break;
          case Sorting::StudyUid:
            name = settings_.sort_prefix + "_" +
                   (study_uid.empty() ? apps::timestamp_text(false) : study_uid);
            break;
          case Sorting::PatientName:
            name = (patient_name.empty() ? std::string("ANONYMOUS") : patient_name) + "_" +
                   apps::timestamp_text(false);
            break;
          case Sorting::None:
            break;
        }
        current_->directory = settings_.output_directory / apps::strict_name_component(name);
      }
      current_->last = std::chrono::steady_clock::now();
      dir = current_->directory;
    }
    if (ended) end_study(std::move(*ended));
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) {
      return ofstd::Error(ofstd::ErrorCode::IoError,
                          "cannot create directory " + dir.string() + ": " + error.message());
    }
    return dir;
  }

  void stored(const fs::path& file, std::string_view modality, const AssociationInfo& info) {
    std::lock_guard lock(mutex_);
    if (!current_) return;
    current_->files.push_back({file, std::string(modality)});
    current_->info = info;
    current_->last = std::chrono::steady_clock::now();
  }

  /// Ends the current study if nothing arrived for the -tos timeout.
  void check_timeout() {
    if (!settings_.eostudy_timeout) return;
    std::optional<Study> ended;
    {
      std::lock_guard lock(mutex_);
      if (current_ &&
          std::chrono::steady_clock::now() - current_->last >= *settings_.eostudy_timeout) {
        ended = std::move(current_);
        current_.reset();
      }
    }
    if (ended) end_study(std::move(*ended));
  }

 private:
  struct StoredFile {
    fs::path path;
    std::string modality;
  };
  struct Study {
    std::string study_uid;
    fs::path directory;
    std::vector<StoredFile> files;
    AssociationInfo info;
    std::chrono::steady_clock::time_point last;
  };

  void end_study(Study study) {
    DCMKIT_LOG_INFO(log_, "end of study: " << study.directory.string());
    if (settings_.rename_on_eostudy) {
      // DCMTK's pattern: the first two characters of the modality and a counter.
      std::size_t counter = 0;
      for (const StoredFile& file : study.files) {
        char number[16];
        std::snprintf(number, sizeof number, "%06zu", ++counter);
        const std::string name = file.modality.substr(0, 2) + number + settings_.extension;
        const fs::path target = study.directory / name;
        if (::renameat2(AT_FDCWD, file.path.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) !=
            0) {
          log_.log(oflog::Level::Warn, "cannot rename " + file.path.string() + " to " +
                                           target.string() + ": " + std::strerror(errno));
        }
      }
    }
    if (!settings_.exec_on_eostudy.empty()) {
      run_command(log_, expand(settings_.exec_on_eostudy, study.directory.string(), "", study.info),
                  settings_.exec_sync);
    }
  }

  const Settings& settings_;
  const oflog::Logger& log_;
  std::mutex mutex_;
  std::optional<Study> current_;
};

// --- The storage service --------------------------------------------------------------------

class StorageProvider final : public dcmnet::ServiceProvider {
 public:
  StorageProvider(const Settings& settings, const oflog::Logger& log, StudyTracker& studies)
      : settings_(settings), log_(log), studies_(studies) {}

  std::optional<dcmnet::AssociateRj> screen(const dcmnet::AssociateRq& rq,
                                            const std::string& peer) override {
    DCMKIT_LOG_INFO(log_, "Association Received");
    DCMKIT_LOG_DEBUG(log_, "from " << peer << ": " << rq.calling_ae << " -> " << rq.called_ae);
    if (settings_.refuse) {
      DCMKIT_LOG_INFO(log_, "Refusing Association (forced via command line)");
      return dcmnet::AssociateRj{dcmnet::reject::kPermanent, dcmnet::reject::kServiceUser,
                                 dcmnet::reject::kNoReasonGiven};
    }
    return std::nullopt;
  }

  void on_request_failed(const ofstd::Error& error) override {
    // A connection closed without a word (a port probe) is not worth an error.
    if (error.message() == "connection closed by peer") return;
    log_.log(oflog::Level::Error, "Receiving Association failed: " + error.message());
  }

  void on_rejected(const dcmnet::AssociateRq&, const dcmnet::AssociateRj& rj) override {
    DCMKIT_LOG_INFO(log_, "Association Rejected: " << dcmnet::describe(rj));
  }

  void on_accepted(dcmnet::Association& association) override {
    if (settings_.verbose_pc) {
      DCMKIT_LOG_INFO(log_, "Association Parameters Negotiated:\n"
                                << dcmnet::describe(association.answer_pdu()));
    }
    DCMKIT_LOG_INFO(
        log_, "Association Acknowledged (Max Send PDV: " << association.max_send_pdv() << ")");
  }

  void on_ended(dcmnet::Association& association, const ofstd::Status& how) override {
    if (how) {
      DCMKIT_LOG_INFO(log_, "Association Release");
    } else if (association.was_aborted_by_peer()) {
      DCMKIT_LOG_INFO(log_, "Association Aborted");
    } else {
      log_.log(oflog::Level::Error, "Association ended: " + how.error().to_string());
    }
  }

  ofstd::Status handle(dcmnet::Association& association,
                       const dcmnet::Incoming& incoming) override {
    const dcmnet::Command& rq = incoming.command;
    if (rq.field == dcmnet::CommandField::CEchoRq) {
      DCMKIT_LOG_INFO(log_, "Received Echo Request (MsgID " << rq.message_id.value_or(0) << ")");
      return dcmnet::respond_to_echo(association, incoming);
    }
    if (rq.field != dcmnet::CommandField::CStoreRq) {
      log_.log(oflog::Level::Warn, "cannot handle command: " + std::string(to_string(rq.field)));
      return dcmnet::respond_with_status(association, incoming,
                                         dcmnet::status::kUnrecognizedOperation);
    }
    return store(association, incoming);
  }

 private:
  AssociationInfo info_of(const dcmnet::Association& association) const {
    AssociationInfo info;
    info.calling_ae = association.request_pdu().calling_ae;
    info.called_ae = association.request_pdu().called_ae;
    info.peer_host = association.peer_address();
    if (settings_.host_lookup && !info.peer_host.empty()) {
      info.peer_host = apps::host_name_of(info.peer_host);
    }
    return info;
  }

  std::string file_name(const dcmnet::Command& rq, std::string_view modality) const {
    const std::string prefix = modality.empty() ? std::string("UNKNOWN") : std::string(modality);
    switch (settings_.naming) {
      case Naming::Unique:
        return prefix + ".X." + ofstd::generate_uid() + settings_.extension;
      case Naming::Time:
        return apps::timestamp_text(true) + "." + prefix + settings_.extension;
      case Naming::InstanceUid:
        break;
    }
    return apps::strict_name_component(prefix + "." + rq.affected_sop_instance_uid) +
           settings_.extension;
  }

  ofstd::Status store(dcmnet::Association& association, const dcmnet::Incoming& incoming) {
    const dcmnet::Command& rq = incoming.command;
    const std::string_view modality = apps::sop_class_modality(rq.affected_sop_class_uid);
    DCMKIT_LOG_INFO(log_, "Received Store Request (MsgID "
                              << rq.message_id.value_or(0) << ", "
                              << (modality.empty() ? "UNKNOWN" : modality) << ")");
    if (settings_.abort_during) {
      DCMKIT_LOG_INFO(log_, "Aborting Association (forced via command line)");
      return ofstd::Error(ofstd::ErrorCode::Network, "aborted during C-STORE (--abort-during)");
    }
    if (settings_.sleep_during > 0) {
      std::this_thread::sleep_for(std::chrono::seconds(settings_.sleep_during));
    }
    const bool dots = log_.is_enabled(oflog::Level::Info);
    dcmnet::ProgressCallback progress;
    if (dots) {
      std::cout << "RECV: " << std::flush;
      progress = [](std::uint64_t) { std::cout << '.' << std::flush; };
    }
    std::uint16_t code = dcmnet::status::kSuccess;
    if (settings_.ignore || !association.data_set_pending()) {
      class Discard final : public dcmdata::ByteSink {
       public:
        ofstd::Status write(std::span<const std::byte>) override { return {}; }
      } discard;
      if (association.data_set_pending())
        DCMKIT_TRY(association.receive_data_set(discard, progress));
      if (dots) std::cout << std::endl;
    } else {
      dcmnet::ReceiveOptions options;
      options.directory = settings_.output_directory;
      options.source_ae = association.request_pdu().calling_ae;
      options.write_meta = settings_.write_meta;
      options.progress = progress;
      auto received = dcmnet::receive_to_file(association, incoming, options);
      if (dots) std::cout << std::endl;
      if (!received) {
        if (received.error().code() != ofstd::ErrorCode::IoError)
          return std::move(received).error();
        log_.log(oflog::Level::Error, "cannot write DICOM file: " + received.error().to_string());
        code = dcmnet::status::kOutOfResources;
      } else {
        code = commit(association, rq, modality, *received);
      }
    }
    if (settings_.abort_after) {
      DCMKIT_LOG_INFO(log_, "Aborting Association (forced via command line)");
      return ofstd::Error(ofstd::ErrorCode::Network, "aborted after C-STORE (--abort-after)");
    }
    DCMKIT_TRY(association.send_command(incoming.context_id, dcmnet::make_c_store_rsp(rq, code)));
    if (settings_.sleep_after > 0) {
      std::this_thread::sleep_for(std::chrono::seconds(settings_.sleep_after));
    }
    return {};
  }

  // Names, converts and stores a received file; returns the C-STORE status.
  std::uint16_t commit(const dcmnet::Association& association, const dcmnet::Command& rq,
                       std::string_view modality, dcmnet::ReceivedFile& received) {
    const AssociationInfo info = info_of(association);
    fs::path directory = settings_.output_directory;
    if (settings_.sorting != Sorting::None) {
      dcmdata::ReadOptions header;
      header.stop_before = dcmdata::tags::PixelData;
      std::string study_uid;
      std::string patient_name;
      if (auto file = received.read(header)) {
        study_uid = file->data.get_string(dcmdata::tags::StudyInstanceUID).value_or("");
        patient_name = file->data.get_string(dcmdata::tags::PatientName).value_or("");
      } else {
        log_.log(oflog::Level::Warn,
                 "cannot read received object for sorting: " + file.error().to_string());
      }
      auto dir = studies_.directory_for(study_uid, patient_name);
      if (!dir) {
        log_.log(oflog::Level::Error, dir.error().to_string());
        return dcmnet::status::kOutOfResources;
      }
      directory = *dir;
    }
    if (settings_.convert) {
      const dcmdata::TransferSyntax ts = settings_.output_ts.value_or(
          dcmdata::TransferSyntax::lookup_or_unknown(received.transfer_syntax()));
      if (ofstd::Status converted =
              received.convert(ts, settings_.write_options, settings_.write_meta);
          !converted) {
        log_.log(oflog::Level::Warn, "cannot convert received object, stored as received: " +
                                         converted.error().to_string());
      }
    }
    const std::string name = file_name(rq, modality);
    fs::path target = directory / name;
    // Never replace a file: a second object with the same name gets a numbered name.
    for (int attempt = 1;; ++attempt) {
      auto stored = received.commit(target);
      if (!stored) {
        log_.log(oflog::Level::Error, "cannot store DICOM file: " + stored.error().to_string());
        return dcmnet::status::kOutOfResources;
      }
      if (*stored) break;
      if (attempt > 1000) {
        log_.log(oflog::Level::Error, "cannot find a free file name for " + name);
        return dcmnet::status::kOutOfResources;
      }
      const std::string base = name.substr(0, name.size() - settings_.extension.size());
      const fs::path alternative =
          directory / (base + "_" + std::to_string(attempt) + settings_.extension);
      if (attempt == 1) {
        log_.log(oflog::Level::Warn,
                 "DICOM file already exists, storing as: " + alternative.string() +
                     " (not replacing " + target.string() + ")");
      }
      target = alternative;
    }
    DCMKIT_LOG_INFO(log_, "storing DICOM file: " << target.string());
    if (settings_.sorting != Sorting::None) {
      studies_.stored(target, modality.empty() ? "UNKNOWN" : modality, info);
    }
    if (!settings_.exec_on_reception.empty()) {
      run_command(
          log_,
          expand(settings_.exec_on_reception, directory.string(), target.filename().string(), info),
          settings_.exec_sync);
    }
    return dcmnet::status::kSuccess;
  }

  const Settings& settings_;
  const oflog::Logger& log_;
  StudyTracker& studies_;
};

// SIGINT/SIGTERM stop the server cleanly (temporary files removed, threads joined).
class SignalStopper {
 public:
  SignalStopper() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void start(dcmnet::Server& server) {
    thread_ = std::thread([this, &server] {
      int signal_number = 0;
      sigwait(&set_, &signal_number);
      if (!done_.load()) server.stop();
    });
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;
  ~SignalStopper() { finish(); }
  // Joins the signal thread. Must run before the server is destroyed: a signal that arrived just
  // as the server stopped may still be inside server.stop() on that thread.
  void finish() {
    done_.store(true);
    if (thread_.joinable()) {
      ::kill(::getpid(), SIGTERM);  // wakes sigwait, which ignores it now
      thread_.join();
    }
  }

 private:
  sigset_t set_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  App app("storescp", "DICOM storage (C-STORE) SCP");
  define_options(app.command_line());
  if (argc == 1) {
    // DCMTK prints the help when called without arguments, although the port is optional.
    std::cout << app.command_line().help_text();
    return 0;
  }
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  if (app.args().has("+cc")) {
    apps::list_ciphers(std::cout);
    return 0;
  }
  Settings settings;
  if (const auto exit_code = read_settings(app, settings)) return *exit_code;
  const oflog::Logger& log = app.logger();
  const apps::RandomSeedWriter seed_writer(settings.tls_options, log);

  std::error_code error;
  if (!settings.ignore && !fs::is_directory(settings.output_directory, error)) {
    return app.fatal(1, "specified output directory does not exist");
  }
  if (!settings.ignore && ::access(settings.output_directory.c_str(), W_OK) != 0) {
    return app.fatal(1, "specified output directory is not writeable");
  }
  const bool access_control = app.args().last_of({"-ac", "+ac"}) == "+ac";
  if (access_control && !apps::host_access_control_available()) {
    return app.fatal(1, "--access-control: this build has no TCP wrapper library (libwrap)");
  }

  StudyTracker studies(settings, log);
  StorageProvider provider(settings, log, studies);
  // The TLS handshake, if any, on the connection's own thread; a failure ends that connection.
  const auto secure = [&](std::unique_ptr<dcmnet::Transport> transport)
      -> ofstd::Result<std::unique_ptr<dcmnet::Transport>> {
    if (!settings.tls) return transport;
    auto wrapped = settings.tls->accept(std::move(transport),
                                        dcmnet::deadline_after(settings.config.timeouts.acse));
    if (!wrapped)
      log.log(oflog::Level::Error, "Receiving Association failed: " + wrapped.error().message());
    return wrapped;
  };
  if (settings.inetd) {
    auto transport = secure(dcmnet::adopt_tcp_socket(::dup(0)));
    if (!transport) return 1;
    const ofstd::Status served = dcmnet::serve_association(std::move(*transport), settings.policy,
                                                           settings.config, provider);
    studies.check_timeout();
    return served ? 0 : 1;
  }

  SignalStopper signals;  // before any thread starts, so that all inherit the mask
  dcmnet::ServerConfig server_config;
  server_config.port = *settings.port;
  server_config.max_connections = 256;
  auto server =
      dcmnet::Server::listen(server_config, [&](std::unique_ptr<dcmnet::Transport> transport) {
        if (access_control) {
          // The rules of /etc/hosts.allow and /etc/hosts.deny for daemon "storescp", checked
          // before anything is read from the peer.
          const std::string address = transport->peer_address();
          const std::string name = settings.host_lookup ? apps::host_name_of(address) : address;
          if (!apps::host_allowed("storescp", name, address)) {
            log.log(oflog::Level::Error,
                    "Receiving Association failed: 0006:0324 TCP wrapper: denied connection "
                    "from " +
                        name + " (" + address + ")");
            return;
          }
        }
        auto connection = secure(std::move(transport));
        if (!connection) return;
        (void)dcmnet::serve_association(std::move(*connection), settings.policy, settings.config,
                                        provider);
      });
  if (!server) {
    return app.fail(1, "cannot create network: " + apps::network_error_text(server.error()));
  }
  signals.start(**server);
  std::atomic<bool> running{true};
  std::mutex timer_mutex;
  std::condition_variable timer_wakeup;
  std::thread timer;
  if (settings.eostudy_timeout) {
    timer = std::thread([&] {
      std::unique_lock lock(timer_mutex);
      while (running.load()) {
        timer_wakeup.wait_for(lock, std::chrono::milliseconds(200));
        studies.check_timeout();
      }
    });
  }
  const ofstd::Status ran = (*server)->run();
  signals.finish();
  running.store(false);
  timer_wakeup.notify_all();
  if (timer.joinable()) timer.join();
  return ran ? 0 : 1;
}
