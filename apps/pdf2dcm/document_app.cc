// SPDX-License-Identifier: BSD-3-Clause
#include "pdf2dcm/document_app.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::apps {
namespace {

using dcmdata::DocumentType;

struct Names {
  const char* program;
  const char* description;
  const char* parameter;
  const char* parameter_help;
  const char* kind;  // "PDF", "CDA", "STL"
};

Names names_of(DocumentType type) {
  switch (type) {
    case DocumentType::Pdf:
      return {"pdf2dcm", "Encapsulate PDF file into DICOM format", "pdffile-in",
              "PDF input filename to be converted", "PDF"};
    case DocumentType::Cda:
      return {"cda2dcm", "Encapsulate CDA file into DICOM format", "cdafile-in",
              "CDA input filename to be converted", "CDA"};
    case DocumentType::Stl:
      return {"stl2dcm", "Encapsulate STL file into DICOM format", "stlfile-in",
              "STL input filename to be converted", "STL"};
  }
  return {};
}

void define_options(ofstd::CommandLine& cl, DocumentType type) {
  const Names names = names_of(type);
  cl.add_parameter(names.parameter, names.parameter_help);
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("DICOM document options:");
  cl.add_subgroup("document title:");
  cl.add_option("+t", "--title", "[t]itle: string (default: empty)\ndocument title", 1);
  cl.add_option("+cn", "--concept-name",
                "[CSD] [CV] [CM]: string (default: empty)\ncoded representation of document "
                "title defined\nby coding scheme designator CSD,\ncode value CV and code "
                "meaning CM",
                3);
  cl.add_subgroup("patient data:");
  cl.add_option("+pn", "--patient-name", "[n]ame: string\npatient's name in DICOM PN syntax", 1);
  cl.add_option("+pi", "--patient-id", "[i]d: string\npatient identifier", 1);
  cl.add_option("+pb", "--patient-birthdate", "[d]ate: string (YYYYMMDD)\npatient's birth date", 1);
  cl.add_option("+ps", "--patient-sex", "[s]ex: string (M, F or O)\npatient's sex", 1);
  cl.add_subgroup("study and series:");
  cl.add_option("+sg", "--generate", "generate new study and\nseries UIDs (default)");
  cl.add_option("+st", "--study-from",
                "[f]ilename: string\nread patient/study data from DICOM file", 1);
  cl.add_option("+se", "--series-from",
                "[f]ilename: string\nread patient/study/series data from DICOM file", 1);
  cl.add_subgroup("instance number:");
  cl.add_option("+i1", "--instance-one", "use instance number 1\n(default, not with +se)");
  cl.add_option("+ii", "--instance-inc", "increment instance number (only with +se)");
  cl.add_option("+is", "--instance-set", "[i]nstance number: integer\nuse instance number i", 1);
  cl.add_subgroup("burned-in annotation:");
  cl.add_option("+an", "--annotation-yes", "document contains patient identifying data\n(default)");
  cl.add_option("-an", "--annotation-no", "document does not contain patient identif. data");
  if (type == DocumentType::Cda) {
    cl.add_subgroup("override CDA data:");
    cl.add_option("-ov", "--no-override",
                  "CDA patient and document data must match study,\nseries or manually "
                  "entered information (default)");
    cl.add_option("+ov", "--override",
                  "CDA's data will be overwritten by study, series\nor manually entered "
                  "information");
  }
  if (type == DocumentType::Stl) {
    cl.add_subgroup("enhanced general equipment:");
    cl.add_option("+mn", "--manufacturer", "[n]ame: string\nmanufacturer's name", 1);
    cl.add_option("+mm", "--manufacturer-model", "[n]ame: string\nmanufacturer's model name", 1);
    cl.add_option("+ds", "--device-serial", "[n]umber: string\ndevice serial number", 1);
    cl.add_option("+sv", "--software-versions", "[v]ersions: string\nsoftware versions", 1);
    cl.add_subgroup("3d model measurement units:");
    cl.add_option("+mu", "--measurement-units",
                  "[CSD] [CV] [CM]: string (default: UCUM, um, um)\nmeasurement units defined "
                  "by coding scheme\ndesignator CSD, code value CV, code meaning CM",
                  3);
  }
  cl.add_group("processing options:");
  cl.add_subgroup("other processing options:");
  cl.add_option("-k", "--key",
                "[k]ey: gggg,eeee=\"str\", path or dict. name=\"str\"\nadd further attribute", 1);
  cl.add_group("output options:");
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian (default)");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  add_group_length_options(cl);
  add_length_options(cl);
  add_padding_options(cl, PaddingHelp::DocumentTools);
}

}  // namespace

int run_document_app(int argc, char** argv, DocumentType type) {
  const Names names = names_of(type);
  App app(names.program, names.description);
  define_options(app.command_line(), type);
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  dcmdata::EncapsulationOptions options;
  options.type = type;
  options.title = args.value("+t").value_or("");
  if (args.has("+cn")) {
    const auto values = args.values("+cn");
    options.concept_name = dcmdata::CodedEntry{values[0], values[1], values[2]};
  }
  if (args.has("+pn")) options.patient_name = args.value("+pn");
  if (args.has("+pi")) options.patient_id = args.value("+pi");
  if (args.has("+pb")) options.patient_birth_date = args.value("+pb");
  if (args.has("+ps")) options.patient_sex = args.value("+ps");
  if (auto status = args.check_dependence("+ii", "+se"); !status) {
    return app.usage_error(status.error());
  }
  const auto instance = args.last_of({"+i1", "+ii", "+is"});
  if (instance == "+is") {
    auto number = args.value_as_int("+is");
    if (!number) return app.usage_error(number.error());
    options.instance_number = *number;
  }
  options.increment_instance = instance == "+ii";
  options.burned_in_annotation = args.last_of({"+an", "-an"}) != "-an";
  options.override_document_data =
      type == DocumentType::Cda && args.last_of({"-ov", "+ov"}) == "+ov";
  if (type == DocumentType::Stl) {
    options.manufacturer = args.value("+mn").value_or("");
    options.manufacturer_model = args.value("+mm").value_or("");
    options.device_serial = args.value("+ds").value_or("");
    options.software_versions = args.value("+sv").value_or("");
    if (args.has("+mu")) {
      const auto values = args.values("+mu");
      options.measurement_units = dcmdata::CodedEntry{values[0], values[1], values[2]};
    }
  }
  auto write = write_options(args, OutputBlocks{false, true, true, true});
  if (!write) return app.usage_error(write.error());
  const auto syntax_option = args.last_of({"+te", "+tb", "+ti"});
  const dcmdata::TransferSyntax syntax = syntax_option == "+tb" ? dcmdata::explicit_vr_big_endian()
                                         : syntax_option == "+ti"
                                             ? dcmdata::implicit_vr_little_endian()
                                             : dcmdata::explicit_vr_little_endian();

  // Patient/study (and series) data from another object.
  const auto source_option = args.last_of({"+sg", "+st", "+se"});
  std::optional<dcmdata::DicomFile> source;
  if (source_option == "+st" || source_option == "+se") {
    const std::string source_name = *args.value(*source_option);
    auto read = dcmdata::read_file(source_name);
    if (!read) {
      DCMKIT_LOG_WARN(app.logger(), read.error().message() << ": reading file: " << source_name);
      return app.fatal(ofstd::kExitInvalidInputFile,
                       "There was an error while reading the series data");
    }
    source = std::move(*read);
    options.source = &source->data;
    options.same_series = source_option == "+se";
  }

  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  const std::string failure =
      std::string("unable to create ") + names.kind + " encapsulation to DICOM format";
  DCMKIT_LOG_INFO(app.logger(), "creating encapsulated " << names.kind << " object");
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    DCMKIT_LOG_ERROR(app.logger(), "file " << input << " not found");
    return app.fail(
        type == DocumentType::Cda ? ofstd::kExitInvalidInputFile : ofstd::kExitNoInputFiles,
        failure);
  }
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> document(chars.size());
  std::transform(chars.begin(), chars.end(), document.begin(),
                 [](char c) { return static_cast<std::byte>(c); });
  auto made = dcmdata::encapsulate_document(document, options);
  if (!made) {
    if (type == DocumentType::Pdf && made.error().code() == ofstd::ErrorCode::InvalidArgument) {
      DCMKIT_LOG_ERROR(app.logger(), "file " << input << " is not a PDF file");
    } else {
      DCMKIT_LOG_ERROR(app.logger(), "file " << input << ": " << made.error().message());
    }
    return app.fail(ofstd::kExitInvalidInputFile, failure);
  }
  for (const std::string& warning : made->warnings) DCMKIT_LOG_WARN(app.logger(), warning);
  dcmdata::DataSet& data = made->data;
  for (const std::string& key : args.all_values("-k")) {
    auto applied = apply_key_option(data, key);
    if (!applied) {
      DCMKIT_LOG_ERROR(app.logger(), "There was a problem while overriding a key:");
      DCMKIT_LOG_ERROR(app.logger(),
                       "Bad override key/path: " << key << ": " << applied.error().message());
      return ofstd::kExitCannotWriteOutputFile;
    }
  }
  auto meta = dcmdata::make_file_meta(data, syntax.uid());
  if (!meta) return app.fail(ofstd::kExitCannotWriteOutputFile, meta.error().message());
  DCMKIT_LOG_INFO(app.logger(),
                  "writing encapsulated " << names.kind << " object as file " << output);
  auto written = dcmdata::write_file(output, *meta, data, syntax, *write);
  if (!written) {
    return app.fail(ofstd::kExitCannotWriteOutputFile,
                    written.error().message() + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), names.kind << " encapsulation successful");
  return ofstd::kExitNoError;
}

}  // namespace dcmkit::apps
