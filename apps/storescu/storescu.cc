// SPDX-License-Identifier: BSD-3-Clause
// storescu: DICOM storage (C-STORE) SCU, a drop-in replacement for DCMTK's (docs/storescu.md).
// Files are sent as the bytes of their data set straight from the mapped file whenever the
// negotiated transfer syntax is the file's; they are decoded only to transcode or to invent UIDs.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_options.h"
#include "common/dcmnet_options.h"
#include "common/storage_classes.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/association_profile.h"
#include "dcmkit/dcmnet/negotiation.h"
#include "dcmkit/dcmnet/storage.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/strings.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace {

namespace fs = std::filesystem;
using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

constexpr std::string_view kEle = dcmdata::ts_uids::kExplicitVRLittleEndian;
constexpr std::string_view kEbe = dcmdata::ts_uids::kExplicitVRBigEndian;
constexpr std::string_view kIle = dcmdata::ts_uids::kImplicitVRLittleEndian;

constexpr apps::TlsOptionSet kTlsOptions{.anonymous = true,
                                         .dh_params = false,
                                         .verify_peer_if_present = false,
                                         .offline_verification = false};

struct ProposeOption {
  const char* short_name;
  const char* long_name;
  const char* description;
  const char* syntax;      // the transfer syntax proposed first; nullptr: uncompressed only
  bool with_uncompressed;  // the uncompressed syntaxes follow
};

constexpr ProposeOption kProposeOptions[] = {
    {"-x=", "--propose-uncompr",
     "propose all uncompressed TS, explicit VR\nwith local byte ordering first (default)", nullptr,
     true},
    {"-xe", "--propose-little", "propose all uncompressed TS, explicit VR\nlittle endian first",
     nullptr, true},
    {"-xb", "--propose-big", "propose all uncompressed TS, explicit VR\nbig endian first", nullptr,
     true},
    {"-xi", "--propose-implicit", "propose implicit VR little endian TS only", nullptr, false},
    {"-xs", "--propose-lossless",
     "propose default JPEG lossless TS\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.4.70", true},
    {"-xy", "--propose-jpeg8",
     "propose default JPEG lossy TS for 8 bit data\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.4.50", true},
    {"-xx", "--propose-jpeg12",
     "propose default JPEG lossy TS for 12 bit data\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.4.51", true},
    {"-xv", "--propose-j2k-lossless",
     "propose JPEG 2000 lossless TS\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.4.90", true},
    {"-xw", "--propose-j2k-lossy",
     "propose JPEG 2000 lossy TS\nand all uncompressed transfer syntaxes", "1.2.840.10008.1.2.4.91",
     true},
    {"-xt", "--propose-jls-lossless",
     "propose JPEG-LS lossless TS\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.4.80", true},
    {"-xu", "--propose-jls-lossy",
     "propose JPEG-LS lossy TS\nand all uncompressed transfer syntaxes", "1.2.840.10008.1.2.4.81",
     true},
    {"-xm", "--propose-mpeg2", "propose MPEG2 Main Profile @ Main Level TS",
     "1.2.840.10008.1.2.4.100", false},
    {"-xh", "--propose-mpeg2-high", "propose MPEG2 Main Profile @ High Level TS",
     "1.2.840.10008.1.2.4.101", false},
    {"-xn", "--propose-mpeg4", "propose MPEG4 AVC/H.264 HP / Level 4.1 TS",
     "1.2.840.10008.1.2.4.102", false},
    {"-xl", "--propose-mpeg4-bd", "propose MPEG4 AVC/H.264 BD-compatible TS",
     "1.2.840.10008.1.2.4.103", false},
    {"-x2", "--propose-mpeg4-2-2d", "propose MPEG4 AVC/H.264 HP / Level 4.2 TS (2D)",
     "1.2.840.10008.1.2.4.104", false},
    {"-x3", "--propose-mpeg4-2-3d", "propose MPEG4 AVC/H.264 HP / Level 4.2 TS (3D)",
     "1.2.840.10008.1.2.4.105", false},
    {"-xo", "--propose-mpeg4-2-st", "propose MPEG4 AVC/H.264 Stereo / Level 4.2 TS",
     "1.2.840.10008.1.2.4.106", false},
    {"-x4", "--propose-hevc", "propose HEVC/H.265 Main Profile / Level 5.1 TS",
     "1.2.840.10008.1.2.4.107", false},
    {"-x5", "--propose-hevc10", "propose HEVC/H.265 Main 10 Profile / Level 5.1 TS",
     "1.2.840.10008.1.2.4.108", false},
    {"-xr", "--propose-rle", "propose RLE lossless TS\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.5", true},
    {"-xd", "--propose-deflated",
     "propose deflated expl. VR little endian TS\nand all uncompressed transfer syntaxes",
     "1.2.840.10008.1.2.1.99", true},
};

// storescu's timeout and PDU options, in DCMTK's order.
constexpr std::initializer_list<apps::NetworkLimit> kNetworkLimits = {
    apps::NetworkLimit::ConnectTimeout, apps::NetworkLimit::SocketTimeout,
    apps::NetworkLimit::AcseTimeout,    apps::NetworkLimit::DimseTimeout,
    apps::NetworkLimit::MaxPdu,         apps::NetworkLimit::MaxSendPdu};

void define_options(ofstd::CommandLine& cl) {
  cl.set_option_columns(19, 4);  // DCMTK's storescu layout; the proposal block widens alone
  cl.add_parameter("peer", "hostname of DICOM peer");
  cl.add_parameter("port", "tcp/ip port number of peer");
  cl.add_parameter("dcmfile-in", "DICOM file or directory to be transmitted",
                   ofstd::Cardinality::OneOrMore);
  cl.add_option("+v", "--verbose-pc", "show presentation contexts in verbose mode");
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-file", "read file format or data set (default)");
  cl.add_option("+fo", "--read-file-only", "read file format only");
  cl.add_option("-f", "--read-dataset", "read data set without file meta information");
  cl.add_subgroup("input files:");
  cl.add_option("+sd", "--scan-directories", "scan directories for input files (dcmfile-in)");
  cl.add_option("+sp", "--scan-pattern",
                "[p]attern: string (only with --scan-directories)\n"
                "pattern for filename matching (wildcards)",
                1);
  cl.add_option("-r", "--no-recurse", "do not recurse within directories (default)");
  cl.add_option("+r", "--recurse", "recurse within specified directories");
  cl.add_option("-rn", "--no-rename", "do not rename processed files (default)");
  cl.add_option("+rn", "--rename", "append .done/.bad to processed files");
  cl.add_group("network options:");
  cl.add_subgroup("application entity titles:");
  cl.add_option("-aet", "--aetitle",
                "[a]etitle: string\n"
                "set my calling AE title (default: STORESCU)",
                1);
  cl.add_option("-aec", "--call",
                "[a]etitle: string\n"
                "set called AE title of peer (default: ANY-SCP)",
                1);
  cl.add_subgroup("association negotiation profile from configuration file:");
  cl.add_option("-xf", "--config-file",
                "[f]ilename, [p]rofile: string\n"
                "use profile p from config file f",
                2);
  cl.add_subgroup("proposed transmission transfer syntaxes (not with --config-file):");
  for (const ProposeOption& option : kProposeOptions) {
    cl.add_option(option.short_name, option.long_name, option.description);
  }
  cl.add_option("-R", "--required",
                "propose only required presentation contexts\n"
                "(default: propose all supported)");
  cl.add_option("+C", "--combine",
                "combine proposed transfer syntaxes\n"
                "(default: separate pres. context for each TS)");
  cl.add_subgroup("post-1993 value representations:");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
  cl.add_subgroup("deflate compression level (only with --propose-deflated or --config-file):");
  cl.add_option("+cl", "--compression-level",
                "[l]evel: integer (default: 6)\n"
                "0=uncompressed, 1=fastest, 9=best compression",
                1);
  cl.add_subgroup("user identity negotiation:");
  cl.add_option("-usr", "--user",
                "[u]ser name: string\n"
                "authenticate using user name u",
                1);
  cl.add_option("-pwd", "--password",
                "[p]assword: string (only with --user)\n"
                "authenticate using password p",
                1);
  cl.add_option("-epw", "--empty-password", "send empty password (only with --user)");
  cl.add_option("-kt", "--kerberos",
                "[f]ilename: string\n"
                "read kerberos ticket from file f",
                1);
  cl.add_option("", "--saml",
                "[f]ilename: string\n"
                "read SAML request from file f",
                1);
  cl.add_option("", "--jwt",
                "[f]ilename: string\n"
                "read JWT data from file f",
                1);
  cl.add_option("-rsp", "--pos-response", "expect positive response");
  cl.add_subgroup("other network options:");
  for (const apps::NetworkLimit limit : kNetworkLimits) apps::add_network_limit_option(cl, limit);
  cl.add_option("", "--repeat",
                "[n]umber: integer\n"
                "repeat n times",
                1);
  cl.add_option("", "--abort", "abort association instead of releasing it");
  cl.add_option("-nh", "--no-halt",
                "do not halt if unsuccessful store encountered\n"
                "(default: do halt)");
  cl.add_option("-up", "--uid-padding", "silently correct space-padded UIDs");
  cl.add_option("+II", "--invent-instance",
                "invent a new SOP instance UID for every image\n"
                "sent");
  cl.add_option("+IR", "--invent-series",
                "[n]umber: integer (implies --invent-instance)\n"
                "invent a new series UID after n images\n"
                "have been sent (default: 100)",
                1);
  cl.add_option("+IS", "--invent-study",
                "[n]umber: integer (implies --invent-instance)\n"
                "invent a new study UID after n series\n"
                "have been sent (default: 50)",
                1);
  cl.add_option("+IP", "--invent-patient",
                "[n]umber: integer (implies --invent-instance)\n"
                "invent a new patient ID and name after n studies\n"
                "have been sent (default: 25)",
                1);
  apps::add_tls_options(cl, kTlsOptions);
}

struct Settings {
  std::shared_ptr<dcmnet::TlsContext> tls;  ///< empty: plain TCP
  apps::TlsOptions tls_options;
  std::string peer;
  std::uint16_t port = 0;
  dcmnet::AssociateRq rq;
  dcmnet::AssociationConfig config;
  dcmdata::ReadOptions read_options;
  std::vector<std::string> proposed_syntaxes;
  /// -xf: propose exactly this profile's presentation contexts and roles.
  std::optional<dcmnet::AssociationProfile> profile;
  bool required_only = false;
  bool combine = false;
  bool verbose_pc = false;
  bool rename = false;
  long long repeat = 1;
  bool abort = false;
  bool halt = true;
  bool invent = false;
  long long series_every = 100;
  long long studies_every = 50;
  long long patients_every = 25;
  bool expect_identity_response = false;
  dcmdata::WriteOptions write_options;
};

ofstd::Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ofstd::Error(ofstd::ErrorCode::NotFound, "cannot read file: " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::optional<int> read_settings(const App& app, Settings& s) {
  const ofstd::ParsedCommandLine& args = app.args();
  s.peer = args.param(0);
  auto port = args.param_as_int(1, ofstd::IntBounds::range(1, 65535));
  if (!port) return app.usage_error(port.error());
  s.port = static_cast<std::uint16_t>(*port);
  for (const auto& [option, required] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"+sp", "+sd"}, {"-pwd", "-usr"}, {"-epw", "-usr"}}) {
    if (auto dependence = args.check_dependence(option, required); !dependence) {
      return app.usage_error(dependence.error());
    }
  }
  s.verbose_pc = args.has("+v");
  s.rename = args.last_of({"-rn", "+rn"}) == "+rn";
  if (const auto format = args.last_of({"+f", "+fo", "-f"})) {
    s.read_options.format = *format == "+fo"  ? dcmdata::FileFormatChoice::FileOnly
                            : *format == "-f" ? dcmdata::FileFormatChoice::DataSetOnly
                                              : dcmdata::FileFormatChoice::FileOrDataSet;
  }
  s.rq.calling_ae = args.value("-aet").value_or("STORESCU");
  s.rq.called_ae = args.value("-aec").value_or("ANY-SCP");
  if (args.has("-xf")) {
    const std::vector<std::string> xf = args.values("-xf");
    auto profile = dcmnet::load_association_profile(xf.at(0), xf.at(1));
    if (!profile) return app.fatal(1, "reading config file: " + profile.error().message());
    s.profile = std::move(*profile);
  }
  const std::optional<std::string_view> proposal =
      args.last_of({"-x=", "-xe", "-xb", "-xi", "-xs", "-xy", "-xx", "-xv", "-xw", "-xt", "-xu",
                    "-xm", "-xh", "-xn", "-xl", "-x2", "-x3", "-xo", "-x4", "-x5", "-xr", "-xd"});
  const std::vector<std::string> little_first = {std::string(kEle), std::string(kEbe),
                                                 std::string(kIle)};
  s.proposed_syntaxes = little_first;
  if (proposal == "-xb") {
    s.proposed_syntaxes = {std::string(kEbe), std::string(kEle), std::string(kIle)};
  } else if (proposal == "-xi") {
    s.proposed_syntaxes = {std::string(kIle)};
  } else if (proposal) {
    for (const ProposeOption& option : kProposeOptions) {
      if (*proposal == option.short_name && option.syntax != nullptr) {
        s.proposed_syntaxes = {option.syntax};
        if (option.with_uncompressed) {
          s.proposed_syntaxes.insert(s.proposed_syntaxes.end(), little_first.begin(),
                                     little_first.end());
        }
      }
    }
  }
  s.required_only = args.has("-R");
  s.combine = args.has("+C");
  s.write_options.disable_new_vrs = args.last_of({"+u", "-u"}) == "-u";
  const auto integer = [&](std::string_view option, ofstd::IntBounds bounds,
                           long long& out) -> std::optional<int> {
    if (!args.has(option)) return std::nullopt;
    auto value = args.value_as_int(option, bounds);
    if (!value) return app.usage_error(value.error());
    out = *value;
    return std::nullopt;
  };
  long long level = 6;
  if (auto r = integer("+cl", ofstd::IntBounds::range(0, 9), level)) return r;
  auto limits = apps::network_limits(args, kNetworkLimits);
  if (!limits) return app.usage_error(limits.error());
  if (auto r = integer("--repeat", ofstd::IntBounds::at_least(1), s.repeat)) return r;
  if (auto r = integer("+IR", ofstd::IntBounds::at_least(1), s.series_every)) return r;
  if (auto r = integer("+IS", ofstd::IntBounds::at_least(1), s.studies_every)) return r;
  if (auto r = integer("+IP", ofstd::IntBounds::at_least(1), s.patients_every)) return r;
  s.write_options.deflate_level = static_cast<int>(level);
  s.config.timeouts = limits->timeouts;
  s.config.max_receive_pdu = limits->max_receive_pdu;
  s.config.max_send_pdu = limits->max_send_pdu;
  s.abort = args.has("--abort");
  s.halt = !args.has("-nh");
  s.invent = args.has("+II") || args.has("+IR") || args.has("+IS") || args.has("+IP");

  // User identity (PS3.7 §D.3.3.7).
  dcmnet::UserIdentityRq identity;
  bool has_identity = false;
  if (args.has("-usr")) {
    identity.primary_field = *args.value("-usr");
    identity.type = dcmnet::UserIdentityType::Username;
    if (args.has("-pwd") || args.has("-epw")) {
      identity.type = dcmnet::UserIdentityType::UsernameAndPasscode;
      identity.secondary_field = args.has("-pwd") ? *args.value("-pwd") : std::string();
    }
    has_identity = true;
  }
  for (const auto& [option, type] :
       std::initializer_list<std::pair<std::string_view, dcmnet::UserIdentityType>>{
           {"-kt", dcmnet::UserIdentityType::Kerberos},
           {"--saml", dcmnet::UserIdentityType::Saml},
           {"--jwt", dcmnet::UserIdentityType::Jwt}}) {
    if (!args.has(option)) continue;
    auto content = read_whole_file(*args.value(option));
    if (!content) return app.fatal(1, content.error().message());
    identity.type = type;
    identity.primary_field = std::move(content).value();
    identity.secondary_field.clear();
    has_identity = true;
  }
  if (has_identity) {
    identity.positive_response_requested = args.has("-rsp");
    s.expect_identity_response = identity.positive_response_requested;
    s.rq.user_info.user_identity_rq = identity;
  }
  return apps::set_up_tls(app, kTlsOptions, dcmnet::TlsRole::Client, s.tls, s.tls_options);
}

// One input file as checked before the association.
struct InputFile {
  std::string path;
  std::string sop_class;
  std::string transfer_syntax;
  std::optional<ofstd::Error> error;  // could not be read: reported when it is sent
};

std::string uid_of(const dcmdata::DataSet& data, dcmdata::Tag tag) {
  auto uid = data.get_string(tag);
  return uid ? std::string(ofstd::trim(*uid)) : std::string();
}

// Reads each file up to its SOP Instance UID (the data set is not parsed further).
dcmdata::ReadOptions header_options(const dcmdata::ReadOptions& base) {
  dcmdata::ReadOptions options = base;
  options.stop_after = dcmdata::tags::SOPInstanceUID;
  return options;
}

// Builds the proposal: for each SOP class, the chosen syntaxes in one context (+C) or the first
// in one and the rest in another (as DCMTK does); a file in another syntax (compressed, say)
// also gets a context for its own syntax, so that it can go out as it is.
ofstd::Status build_proposal(const Settings& s, const std::vector<InputFile>& files,
                             dcmnet::AssociateRq& rq) {
  if (s.profile) {
    for (const dcmnet::ProfileContext& context : s.profile->contexts) {
      rq.contexts.push_back({0, context.abstract_syntax, context.transfer_syntaxes});
    }
    rq.user_info.roles = s.profile->roles;
    rq.user_info.extended = s.profile->extended_negotiation;
    if (rq.contexts.size() > 128) {
      return ofstd::Error(ofstd::ErrorCode::LimitExceeded,
                          "too many presentation contexts in profile " + s.profile->name + " (" +
                              std::to_string(rq.contexts.size()) + ", at most 128)");
    }
    return dcmnet::number_contexts(rq.contexts);
  }
  std::vector<std::string> classes;
  std::vector<std::pair<std::string, std::string>> own_syntaxes;
  std::set<std::string> seen;
  for (const InputFile& file : files) {
    if (file.error || file.sop_class.empty()) continue;
    if (seen.insert(file.sop_class).second) classes.push_back(file.sop_class);
    if (std::find(s.proposed_syntaxes.begin(), s.proposed_syntaxes.end(), file.transfer_syntax) ==
            s.proposed_syntaxes.end() &&
        std::find(own_syntaxes.begin(), own_syntaxes.end(),
                  std::pair(file.sop_class, file.transfer_syntax)) == own_syntaxes.end()) {
      own_syntaxes.emplace_back(file.sop_class, file.transfer_syntax);
    }
  }
  const std::size_t per_class = (s.combine || s.proposed_syntaxes.size() == 1) ? 1 : 2;
  std::vector<dcmnet::PresentationContextRq>& contexts = rq.contexts;
  const auto add_class = [&](const std::string& sop_class) {
    if (s.combine || s.proposed_syntaxes.size() == 1) {
      contexts.push_back({0, sop_class, s.proposed_syntaxes});
    } else {
      contexts.push_back({0, sop_class, {s.proposed_syntaxes.front()}});
      contexts.push_back(
          {0, sop_class, {s.proposed_syntaxes.begin() + 1, s.proposed_syntaxes.end()}});
    }
  };
  for (const std::string& sop_class : classes) add_class(sop_class);
  for (const auto& [sop_class, ts] : own_syntaxes) contexts.push_back({0, sop_class, {ts}});
  if (contexts.size() > 128) {
    return ofstd::Error(ofstd::ErrorCode::LimitExceeded,
                        "too many presentation contexts (" + std::to_string(contexts.size()) +
                            "); use fewer SOP classes or transfer syntaxes");
  }
  if (!s.required_only) {
    for (const std::string& sop_class : apps::default_proposed_sop_classes()) {
      if (contexts.size() + per_class > 128) break;
      if (seen.insert(sop_class).second) add_class(sop_class);
    }
  }
  return dcmnet::number_contexts(contexts);
}

// Invents UIDs as +II/+IR/+IS/+IP ask, DCMTK's way: a new instance UID for every image, a new
// series after n images, a new study after n series, a new patient after n studies.
class UidInventor {
 public:
  UidInventor(long long series_every, long long studies_every, long long patients_every)
      : series_every_(series_every),
        studies_every_(studies_every),
        patients_every_(patients_every) {}

  ofstd::Status apply(dcmdata::DataSet& data) {
    if (series_uid_.empty() || images_in_series_ >= series_every_) {
      if (study_uid_.empty() || series_in_study_ >= studies_every_) {
        if (patient_id_.empty() || studies_of_patient_ >= patients_every_) {
          ++patients_;
          patient_id_ = "DCMKIT" + std::to_string(patients_);
          patient_name_ = "DCMKIT^PATIENT" + std::to_string(patients_);
          studies_of_patient_ = 0;
        }
        study_uid_ = ofstd::generate_uid();
        ++studies_of_patient_;
        series_in_study_ = 0;
      }
      series_uid_ = ofstd::generate_uid();
      ++series_in_study_;
      images_in_series_ = 0;
    }
    ++images_in_series_;
    DCMKIT_TRY(
        data.set_string(dcmdata::tags::SOPInstanceUID, dcmdata::VR::UI, ofstd::generate_uid()));
    DCMKIT_TRY(data.set_string(dcmdata::tags::SeriesInstanceUID, dcmdata::VR::UI, series_uid_));
    DCMKIT_TRY(data.set_string(dcmdata::tags::StudyInstanceUID, dcmdata::VR::UI, study_uid_));
    DCMKIT_TRY(data.set_string(dcmdata::tags::PatientID, dcmdata::VR::LO, patient_id_));
    return data.set_string(dcmdata::tags::PatientName, dcmdata::VR::PN, patient_name_);
  }

 private:
  long long series_every_;
  long long studies_every_;
  long long patients_every_;
  long long images_in_series_ = 0;
  long long series_in_study_ = 0;
  long long studies_of_patient_ = 0;
  long long patients_ = 0;
  std::string series_uid_;
  std::string study_uid_;
  std::string patient_id_;
  std::string patient_name_;
};

// Files, bytes and rate on one updated line of a terminal.
class Progress {
 public:
  Progress(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {}
  void add(std::uint64_t bytes, bool file_done) {
    if (!enabled_) return;
    bytes_ += bytes;
    if (file_done) ++files_;
    const auto now = std::chrono::steady_clock::now();
    if (!file_done && now - last_ < std::chrono::milliseconds(200)) return;
    if (file_done && files_ != total_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double megabytes = static_cast<double>(bytes_) / (1024.0 * 1024.0);
    std::fprintf(stderr, "\rsent %zu/%zu files, %.1f MiB, %.1f MiB/s   ", files_, total_, megabytes,
                 seconds > 0 ? megabytes / seconds : 0.0);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_ && files_ > 0) std::fputc('\n', stderr);
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::size_t files_ = 0;
  std::uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// DCMTK's name of a transfer syntax in messages ("Little Endian Explicit").
std::string ts_name(std::string_view uid) {
  const std::string_view name = dcmdata::dcmtk_transfer_syntax_name(uid);
  return name.empty() ? dcmnet::uid_name(uid) : std::string(name);
}

void rename_processed(const oflog::Logger& log, const std::string& path, bool ok) {
  const std::string target = path + (ok ? ".done" : ".bad");
  std::error_code error;
  fs::rename(path, target, error);
  if (error) log.log(oflog::Level::Warn, "cannot rename file: " + path + " -> " + target);
}

}  // namespace

int main(int argc, char** argv) {
  App app("storescu", "DICOM storage (C-STORE) SCU");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  if (app.args().has("+cc")) {
    apps::list_ciphers(std::cout);
    return 0;
  }
  Settings s;
  if (const auto exit_code = read_settings(app, s)) return *exit_code;
  const oflog::Logger& log = app.logger();
  const apps::RandomSeedWriter seed_writer(s.tls_options, log);
  const ofstd::ParsedCommandLine& args = app.args();

  // Input files.
  const std::vector<std::string> params(args.params().begin() + 2, args.params().end());
  const bool scan = args.has("+sd");
  if (scan) DCMKIT_LOG_INFO(log, "determining input files ...");
  std::vector<std::string> warnings;
  const std::vector<std::string> paths = apps::collect_input_files(
      params, scan, args.last_of({"-r", "+r"}) == "+r", args.value("+sp").value_or(""), warnings);
  for (const std::string& warning : warnings) log.log(oflog::Level::Warn, warning);
  DCMKIT_LOG_INFO(log, "checking input files ...");
  std::vector<InputFile> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (!fs::exists(path, error)) return app.fatal(1, "cannot access file: " + path);
    InputFile input;
    input.path = path;
    auto file = dcmdata::read_file(path, header_options(s.read_options));
    if (!file) {
      input.error = std::move(file).error();
    } else {
      input.sop_class = uid_of(file->data, dcmdata::tags::SOPClassUID);
      if (input.sop_class.empty()) input.sop_class = uid_of(file->meta, dcmdata::Tag{2, 2});
      input.transfer_syntax = std::string(file->transfer_syntax.uid());
      if (s.required_only && !input.sop_class.empty() &&
          apps::sop_class_modality(input.sop_class).empty() &&
          std::find(apps::storage_sop_classes().begin(), apps::storage_sop_classes().end(),
                    input.sop_class) == apps::storage_sop_classes().end()) {
        return app.fatal(1, "unknown storage SOP class in file: " + path + ": " + input.sop_class);
      }
    }
    files.push_back(std::move(input));
  }
  if (files.empty()) return app.fatal(1, "no input files to be sent");

  if (ofstd::Status built = build_proposal(s, files, s.rq); !built) {
    return app.fatal(1, built.error().message());
  }
  if (s.verbose_pc) DCMKIT_LOG_INFO(log, "Request Parameters:\n" << dcmnet::describe(s.rq));

  auto requested = apps::request_association(app, s.peer, s.port, s.rq, s.config, s.tls.get());
  if (!requested) return 1;
  dcmnet::Association& association = *requested;
  if (s.expect_identity_response && !association.answer_pdu().user_info.user_identity_ac) {
    log.log(oflog::Level::Fatal,
            "User Identity Negotiation failed: Positive response requested but none received");
    association.abort();
    return 1;
  }
  if (s.verbose_pc) {
    DCMKIT_LOG_INFO(log, "Association Parameters Negotiated:\n"
                             << dcmnet::describe(association.answer_pdu()));
  }
  DCMKIT_LOG_INFO(log, "Association Accepted (Max Send PDV: " << association.max_send_pdv() << ")");

  const bool verbose = log.is_enabled(oflog::Level::Info);
  Progress progress(!verbose && ::isatty(STDERR_FILENO) != 0 && log.is_enabled(oflog::Level::Warn),
                    files.size() * static_cast<std::size_t>(s.repeat));
  UidInventor inventor(s.series_every, s.studies_every, s.patients_every);
  std::uint16_t message_id = 0;
  bool failed = false;
  bool association_lost = false;
  for (long long round = 0; round < s.repeat && !association_lost; ++round) {
    for (const InputFile& input : files) {
      ++message_id;
      DCMKIT_LOG_INFO(log, "Sending file: " << input.path);
      ofstd::Result<dcmnet::StoreResult> result =
          ofstd::Error(ofstd::ErrorCode::Internal, "not sent");
      std::uint64_t last_reported = 0;
      dcmnet::StoreOptions options;
      options.write_options = s.write_options;
      if (verbose) {
        std::cout << "XMIT: " << std::flush;
        options.progress = [](std::uint64_t) { std::cout << '.' << std::flush; };
      } else {
        options.progress = [&progress, &last_reported](std::uint64_t bytes) {
          progress.add(bytes - last_reported, false);
          last_reported = bytes;
        };
      }
      auto file = input.error
                      ? ofstd::Result<dcmdata::DicomFile>(*input.error)
                      : dcmdata::read_file(
                            input.path, s.invent ? s.read_options : header_options(s.read_options));
      if (!file) {
        if (verbose) std::cout << std::endl;
        log.log(oflog::Level::Error,
                "Bad DICOM file: " + input.path + ": " + file.error().to_string());
        failed = true;
        if (s.rename) rename_processed(log, input.path, false);
        if (s.halt) break;
        continue;
      }
      const std::string_view modality = apps::sop_class_modality(input.sop_class);
      const dcmnet::AcceptedContext* context =
          dcmnet::choose_context(association, input.sop_class, file->transfer_syntax);
      if (context == nullptr) {
        if (verbose) std::cout << std::endl;
        failed = true;
        if (s.rename) rename_processed(log, input.path, false);
        if (const dcmnet::AcceptedContext* other = association.find_context(input.sop_class)) {
          // A context for the SOP class, in a syntax the file cannot be converted to (it is
          // compressed): reported as DCMTK reports its failed conversion.
          DCMKIT_LOG_INFO(
              log, "Converting transfer syntax: " << ts_name(file->transfer_syntax.uid()) << " -> "
                                                  << ts_name(other->transfer_syntax));
          DCMKIT_LOG_INFO(log, "Sending Store Request (MsgID "
                                   << message_id << ", "
                                   << (modality.empty() ? "UNKNOWN" : modality) << ")");
          log.log(oflog::Level::Warn, "DIMSE Warning: (" + s.rq.calling_ae + "," + s.rq.called_ae +
                                          "): sendMessage: unable to convert dataset from '" +
                                          ts_name(file->transfer_syntax.uid()) +
                                          "' transfer syntax to '" +
                                          ts_name(other->transfer_syntax) + "'");
          log.log(oflog::Level::Error, "Store Failed, file: " + input.path + ":");
          log.log(oflog::Level::Error, "0006:020e DIMSE Failed to send message");
          if (s.halt) {
            log.log(oflog::Level::Error,
                    "Store SCU Failed: 0006:020e DIMSE Failed to send message");
            break;
          }
          continue;
        }
        log.log(oflog::Level::Error,
                "No presentation context for: " + apps::sop_class_label(input.sop_class));
        if (s.halt) {
          log.log(oflog::Level::Error,
                  "Store SCU Failed: 0006:0208 DIMSE No valid Presentation Context ID");
          break;
        }
        continue;
      }
      DCMKIT_LOG_INFO(log, "Converting transfer syntax: " << ts_name(file->transfer_syntax.uid())
                                                          << " -> "
                                                          << ts_name(context->transfer_syntax));
      DCMKIT_LOG_INFO(log, "Sending Store Request (MsgID "
                               << message_id << ", " << (modality.empty() ? "UNKNOWN" : modality)
                               << ")");
      if (s.invent) {
        dcmdata::DataSet data = file->data;
        if (ofstd::Status invented = inventor.apply(data); !invented) {
          log.log(oflog::Level::Error, "cannot invent UIDs: " + invented.error().to_string());
          failed = true;
          if (s.halt) break;
          continue;
        }
        result =
            dcmnet::store_data_set(association, data, file->transfer_syntax, message_id, options);
      } else {
        result = dcmnet::store_file(association, *file, message_id, options);
      }
      if (verbose) std::cout << std::endl;
      if (!result) {
        log.log(oflog::Level::Error, "Store SCU Failed: " + result.error().to_string());
        failed = true;
        if (s.rename) rename_processed(log, input.path, false);
        if (!association.is_established()) {
          association_lost = true;
          break;
        }
        if (s.halt) break;
        continue;
      }
      const std::uint16_t code = result->response.status.value_or(0xFFFF);
      DCMKIT_LOG_INFO(log, "Received Store Response (" << dcmnet::describe_status(code) << ")");
      progress.add(0, true);
      const bool ok = dcmnet::categorize(code) == dcmnet::StatusCategory::Success ||
                      dcmnet::categorize(code) == dcmnet::StatusCategory::Warning;
      if (s.rename) rename_processed(log, input.path, ok);
      if (!ok) {
        log.log(oflog::Level::Error,
                "Store Failed, file: " + input.path + ": " + dcmnet::describe_status(code));
        failed = true;
        if (s.halt) break;
      }
    }
    if (failed && s.halt) break;
  }
  progress.finish();

  if (association_lost) {
    if (association.was_aborted_by_peer()) {
      log.log(oflog::Level::Error, "Peer Aborted Association (or Network Error)");
      return ofstd::kExitAssociationAborted;
    }
    return 1;
  }
  if (s.abort || (failed && s.halt)) {
    DCMKIT_LOG_INFO(log, "Aborting Association");
    association.abort();
    return failed ? 1 : 0;
  }
  DCMKIT_LOG_INFO(log, "Releasing Association");
  if (const ofstd::Status released = association.release(); !released) {
    log.log(oflog::Level::Fatal, "Association Release Failed: " + released.error().to_string());
    return 1;
  }
  return 0;
}
