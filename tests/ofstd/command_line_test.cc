// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/command_line.h"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::ofstd {
namespace {

// A small dcmdump-like definition; the expected texts below were measured on DCMTK 3.6.7.
CommandLine make_dump_like() {
  CommandLine cl("dumper", "Dump test files");
  cl.set_banner("$dcmkit: dumper v0.1.0 2026-11-25 $");
  cl.add_parameter("file-in", "input file to be dumped", Cardinality::OneOrMore);
  cl.add_group("general options:");
  cl.add_option("-h", "--help", "print this help text and exit", 0, OptionKind::Exclusive);
  cl.add_option("", "--version", "print version information and exit", 0, OptionKind::Exclusive);
  cl.add_option("-ll", "--log-level",
                "[l]evel: string constant\n(fatal, error, warn, info, debug, trace)\n"
                "use level l for the logger",
                1);
  cl.add_group("input options:");
  cl.add_subgroup("long tag values:");
  cl.add_option("+M", "--load-all", "load very long tag values (default)");
  cl.add_option("+R", "--max-read-length",
                "[k]bytes: integer (4..4194302, default: 4)\n"
                "set threshold for long values to k kbytes",
                1);
  cl.add_subgroup("error handling: ");
  cl.add_option("+E", "--ignore-errors", "attempt to print even if file is damaged");
  cl.add_group("output options:");
  cl.add_subgroup("printing:");
  cl.add_option("+L", "--print-all", "print long tag values completely");
  cl.add_option("-L", "--print-short", "print long tag values shortened (default)");
  cl.add_subgroup("searching:");
  cl.add_option("+P", "--search", "[t]ag: \"gggg,eeee\" or dictionary name\nprint tag t", 1);
  cl.add_option("+tls", "--enable-tls", "[p]rivate key file, [c]ertificate file: string", 2);
  cl.add_option("+Sxf", "--scale-x-factor", "[f]actor: float", 1);
  return cl;
}

Result<ParsedCommandLine> parse(const CommandLine& cl, std::vector<std::string> arguments) {
  return cl.parse(arguments);
}

std::string error_of(const Result<ParsedCommandLine>& result) {
  return result ? std::string("<ok>") : result.error().message();
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& contents)
      : path_(std::filesystem::temp_directory_path() /
              ("dcmkit_cl_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "_" + name)) {
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(CommandLineTest, RendersHelpInDcmtkLayout) {
  const std::string expected =
      "$dcmkit: dumper v0.1.0 2026-11-25 $\n"
      "\n"
      "dumper: Dump test files\n"
      "usage: dumper [options] file-in...\n"
      "\n"
      "parameters:\n"
      "  file-in                    input file to be dumped\n"
      "\n"
      "general options:\n"
      "  -h      --help             print this help text and exit\n"
      "          --version          print version information and exit\n"
      "  -ll     --log-level        [l]evel: string constant\n"
      "                             (fatal, error, warn, info, debug, trace)\n"
      "                             use level l for the logger\n"
      "input options:\n"
      "  long tag values:\n"
      "    +M    --load-all         load very long tag values (default)\n"
      "    +R    --max-read-length  [k]bytes: integer (4..4194302, default: 4)\n"
      "                             set threshold for long values to k kbytes\n"
      "  error handling: \n"
      "    +E    --ignore-errors    attempt to print even if file is damaged\n"
      "output options:\n"
      "  printing:\n"
      "    +L    --print-all        print long tag values completely\n"
      "    -L    --print-short      print long tag values shortened (default)\n"
      "  searching:\n"
      "    +P    --search           [t]ag: \"gggg,eeee\" or dictionary name\n"
      "                             print tag t\n"
      "    +tls  --enable-tls       [p]rivate key file, [c]ertificate file: string\n"
      "    +Sxf  --scale-x-factor   [f]actor: float\n"
      "\n";
  EXPECT_EQ(make_dump_like().help_text(), expected);
}

TEST(CommandLineTest, AlignsLongNamesAtTwoWithoutSubgroups) {
  // As dcmdspfn: no subgroups, so long names start at 2 + short width + 2.
  CommandLine cl("tool", "Do things");
  cl.set_banner("B");
  cl.add_parameter("in", "input", Cardinality::One);
  cl.add_parameter("out", "output\nsecond line", Cardinality::Optional);
  cl.add_group("general options:");
  cl.add_option("-h", "--help", "print this help text and exit", 0, OptionKind::Exclusive);
  cl.add_option("-ll", "--log-level", "[l]evel: string constant", 1);
  EXPECT_EQ(cl.help_text(),
            "B\n"
            "\n"
            "tool: Do things\n"
            "usage: tool [options] in [out]\n"
            "\n"
            "parameters:\n"
            "  in                input\n"
            "  out               output\n"
            "                    second line\n"
            "\n"
            "general options:\n"
            "  -h   --help       print this help text and exit\n"
            "  -ll  --log-level  [l]evel: string constant\n"
            "\n");
}

TEST(CommandLineTest, WidensOnlyTheBlockWhoseNamesExceedFixedColumns) {
  // As storescu: fixed columns (long 12, short 4); one subgroup has a longer name.
  CommandLine cl("scu", "Send");
  cl.set_banner("B");
  cl.set_option_columns(12, 4);
  cl.add_parameter("peer", "hostname of DICOM peer");
  cl.add_group("general options:");
  cl.add_option("-h", "--help", "print help", 0, OptionKind::Exclusive);
  cl.add_group("network options:");
  cl.add_subgroup("proposed transfer syntaxes:");
  cl.add_option("-x=", "--propose-uncompr", "propose all uncompressed TS");
  cl.add_option("-R", "--required", "propose only required contexts");
  cl.add_subgroup("other:");
  cl.add_option("-aet", "--aetitle", "[a]etitle: string", 1);
  EXPECT_EQ(cl.help_text(),
            "B\n"
            "\n"
            "scu: Send\n"
            "usage: scu [options] peer\n"
            "\n"
            "parameters:\n"
            "  peer                  hostname of DICOM peer\n"
            "\n"
            "general options:\n"
            "  -h      --help        print help\n"
            "network options:\n"
            "  proposed transfer syntaxes:\n"
            "    -x=   --propose-uncompr  propose all uncompressed TS\n"
            "    -R    --required         propose only required contexts\n"
            "  other:\n"
            "    -aet  --aetitle     [a]etitle: string\n"
            "\n");
}

TEST(CommandLineTest, CompactParamColumnAndUsageCardinalities) {
  // As dcm2pnm: the parameter column fits the parameter names only.
  CommandLine cl("conv", "Convert");
  cl.set_banner("B");
  cl.set_param_column(0);
  cl.add_parameter("peer", "p");
  cl.add_parameter("dcmfile-in", "d", Cardinality::ZeroOrMore);
  cl.add_group("general options:");
  cl.add_option("-h", "--help", "print help", 0, OptionKind::Exclusive);
  const std::string help = cl.help_text();
  EXPECT_NE(help.find("usage: conv [options] peer [dcmfile-in...]\n"), std::string::npos);
  EXPECT_NE(help.find("  peer        p\n  dcmfile-in  d\n"), std::string::npos);
}

TEST(CommandLineTest, UsageWithoutOptionsOmitsOptionsAndTrailingBlankLine) {
  CommandLine cl("lum", "Convert curves");
  cl.set_banner("B");
  cl.add_parameter("in-file", "input");
  EXPECT_EQ(cl.help_text(),
            "B\n\nlum: Convert curves\nusage: lum in-file\n\nparameters:\n  in-file  input\n");
}

TEST(CommandLineTest, DefaultBannerShowsDcmkitVersionAndDate) {
  const CommandLine cl("dcmdump", "Dump DICOM file and data set");
  const std::string expected_banner = "$dcmkit: dcmdump v" + std::string(dcmkit_version()) + " " +
                                      std::string(dcmkit_release_date()) + " $\n";
  EXPECT_EQ(cl.error_text("x").substr(0, expected_banner.size()), expected_banner);
  EXPECT_EQ(dcmkit_version(), "0.1.0");
  EXPECT_EQ(dcmkit_release_date().size(), 10u);
}

TEST(CommandLineTest, ParsesOptionsValuesAndParameters) {
  const CommandLine cl = make_dump_like();
  const auto parsed =
      parse(cl, {"+L", "a.dcm", "--max-read-length", "8", "-L", "+P", "0010,0010", "b.dcm",
                 "--search", "PatientID", "+tls", "key.pem", "cert.pem", "-5", "+L"});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_TRUE(parsed->has("+L"));
  EXPECT_TRUE(parsed->has("--print-all"));
  EXPECT_FALSE(parsed->has("+E"));
  EXPECT_EQ(parsed->count("+L"), 2u);
  EXPECT_EQ(parsed->last_of({"+L", "-L"}), "+L");
  EXPECT_EQ(parsed->last_of({"--print-short", "-h"}), "--print-short");
  EXPECT_EQ(parsed->last_of({"+E", "+M"}), std::nullopt);
  EXPECT_EQ(parsed->value("+R"), "8");
  EXPECT_EQ(parsed->value("+R", 1), std::nullopt);
  EXPECT_EQ(parsed->value("+E"), std::nullopt);
  EXPECT_EQ(parsed->all_values("+P"), (std::vector<std::string>{"0010,0010", "PatientID"}));
  EXPECT_EQ(parsed->values("+P"), (std::vector<std::string>{"PatientID"}));
  EXPECT_EQ(parsed->values("+tls"), (std::vector<std::string>{"key.pem", "cert.pem"}));
  EXPECT_EQ(parsed->occurrences("+P").size(), 2u);
  // "-5" is a number, hence a parameter.
  EXPECT_EQ(parsed->params(), (std::vector<std::string>{"a.dcm", "b.dcm", "-5"}));
  EXPECT_EQ(parsed->param_count(), 3u);
  EXPECT_EQ(parsed->param(1), "b.dcm");
  EXPECT_EQ(parsed->long_name("+tls"), "--enable-tls");
  ASSERT_EQ(parsed->all_occurrences().size(), 7u);
}

TEST(CommandLineTest, OptionValuesMayLookLikeOptions) {
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"+R", "+L", "x", "+Sxf", "-1.5"});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->value("+R"), "+L");
  EXPECT_FALSE(parsed->has("+L"));
  EXPECT_EQ(parsed->value_as_int("+R").error().message(),
            "Invalid value for option --max-read-length (+L)");
}

TEST(CommandLineTest, ConvertsIntegerValuesWithDcmtkMessages) {
  const CommandLine cl = make_dump_like();
  const IntBounds bounds = IntBounds::range(4, 4194302);
  auto check = [&](const std::string& value) {
    const auto parsed = parse(cl, {"+R", value, "x"});
    EXPECT_TRUE(parsed);
    const Result<long long> number = parsed->value_as_int("+R", bounds);
    return number ? std::to_string(*number) : number.error().message();
  };
  EXPECT_EQ(check("8"), "8");
  EXPECT_EQ(check(" 4"), "4");
  EXPECT_EQ(check("4194302"), "4194302");
  EXPECT_EQ(check("abc"), "Invalid value for option --max-read-length (abc)");
  EXPECT_EQ(check("4x"), "Invalid value for option --max-read-length (4x)");
  EXPECT_EQ(check(""), "Invalid value for option --max-read-length");
  EXPECT_EQ(check("1"), "Invalid value for option --max-read-length (underflow: 1)");
  EXPECT_EQ(check("5000000"), "Invalid value for option --max-read-length (overflow: 5000000)");
  EXPECT_EQ(check("99999999999999999999"),
            "Invalid value for option --max-read-length (99999999999999999999)");

  const auto parsed = parse(cl, {"x"});
  ASSERT_TRUE(parsed);
  const auto absent = parsed->value_as_int("+R");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(parsed->to_int("+R", "12", bounds).value(), 12);
}

TEST(CommandLineTest, ConvertsFloatValuesWithExclusiveMinimum) {
  const CommandLine cl = make_dump_like();
  const FloatBounds positive = FloatBounds::greater_than(0.0);
  auto check = [&](const std::string& value) {
    const auto parsed = parse(cl, {"+Sxf", value, "x"});
    EXPECT_TRUE(parsed);
    const Result<double> number = parsed->value_as_float("+Sxf", positive);
    return number ? std::to_string(*number) : number.error().message();
  };
  EXPECT_EQ(check("1.5"), "1.500000");
  EXPECT_EQ(check("1e3"), "1000.000000");
  EXPECT_EQ(check("0"), "Invalid value for option --scale-x-factor (underflow: 0)");
  EXPECT_EQ(check("-1.5"), "Invalid value for option --scale-x-factor (underflow: -1.5)");
  EXPECT_EQ(check("abc"), "Invalid value for option --scale-x-factor (abc)");
  EXPECT_EQ(check("nan"), "Invalid value for option --scale-x-factor (nan)");
}

TEST(CommandLineTest, ConvertsParametersWithDcmtkMessages) {
  CommandLine cl("echo", "Echo");
  cl.add_parameter("peer", "host");
  cl.add_parameter("port", "port");
  auto check = [&](const std::string& port) {
    const auto parsed = parse(cl, {"host", port});
    EXPECT_TRUE(parsed);
    const Result<long long> number = parsed->param_as_int(1, IntBounds::range(1, 65535));
    return number ? std::to_string(*number) : number.error().message();
  };
  EXPECT_EQ(check("104"), "104");
  EXPECT_EQ(check("abc"), "Invalid parameter value abc");
  EXPECT_EQ(check("0"), "Invalid parameter value 0 (underflow)");
  EXPECT_EQ(check("99999"), "Invalid parameter value 99999 (overflow)");
  const auto parsed = parse(cl, {"host", "2.5"});
  ASSERT_TRUE(parsed);
  EXPECT_DOUBLE_EQ(parsed->param_as_float(1).value(), 2.5);
  EXPECT_EQ(parsed->param_as_float(0).error().message(), "Invalid parameter value host");
}

TEST(CommandLineTest, RejectsUnknownOptions) {
  const CommandLine cl = make_dump_like();
  EXPECT_EQ(error_of(parse(cl, {"+xyz", "x"})), "Unknown option +xyz");
  EXPECT_EQ(error_of(parse(cl, {"x", "--arg"})), "Unknown option --arg");
  EXPECT_EQ(error_of(parse(cl, {"--", "-x"})), "Unknown option --");
  EXPECT_EQ(error_of(parse(cl, {"-.5"})), "Unknown option -.5");
  EXPECT_EQ(error_of(parse(cl, {"--max-read-length=5", "x"})),
            "Unknown option --max-read-length=5");
  // Combined short options are not split, as in DCMTK.
  EXPECT_EQ(error_of(parse(cl, {"-LE", "x"})), "Unknown option -LE");
  // Even --help does not hide an unknown option.
  EXPECT_EQ(error_of(parse(cl, {"--help", "+xyz"})), "Unknown option +xyz");
  EXPECT_EQ(parse(cl, {"+xyz"}).error().code(), ErrorCode::InvalidArgument);
}

TEST(CommandLineTest, AcceptsSignsAndNumbersAsParameters) {
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"-", "+", "+5", "-12", "x@y", "@"});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->params(), (std::vector<std::string>{"-", "+", "+5", "-12", "x@y", "@"}));
}

TEST(CommandLineTest, ReportsMissingValues) {
  const CommandLine cl = make_dump_like();
  EXPECT_EQ(error_of(parse(cl, {"+R"})), "Missing value for option --max-read-length");
  EXPECT_EQ(error_of(parse(cl, {"x", "+R"})), "Missing value for option --max-read-length");
  EXPECT_EQ(error_of(parse(cl, {"x", "+tls", "key"})), "Missing value for option --enable-tls");
  EXPECT_EQ(error_of(parse(cl, {"-ll"})), "Missing value for option --log-level");
}

TEST(CommandLineTest, ChecksParameterCounts) {
  CommandLine conv("conv", "Convert");
  conv.add_parameter("dcmfile-in", "in");
  conv.add_parameter("dcmfile-out", "out");
  EXPECT_EQ(error_of(parse(conv, {})), "Missing parameter dcmfile-in");
  EXPECT_EQ(error_of(parse(conv, {"a"})), "Missing parameter dcmfile-out");
  EXPECT_EQ(error_of(parse(conv, {"a", "b", "c"})), "Too many parameters");
  EXPECT_TRUE(parse(conv, {"a", "b"}));

  CommandLine scu("scu", "Send");
  scu.add_parameter("peer", "peer");
  scu.add_parameter("port", "port");
  scu.add_parameter("dcmfile-in", "files", Cardinality::OneOrMore);
  EXPECT_EQ(error_of(parse(scu, {"h"})), "Missing parameter port");
  EXPECT_EQ(error_of(parse(scu, {"h", "104"})), "Missing parameter dcmfile-in");
  EXPECT_TRUE(parse(scu, {"h", "104", "a", "b", "c"}));

  CommandLine optional("opt", "Optional");
  optional.add_parameter("in", "in");
  optional.add_parameter("out", "out", Cardinality::Optional);
  EXPECT_TRUE(parse(optional, {"a"}));
  EXPECT_TRUE(parse(optional, {"a", "b"}));
  EXPECT_EQ(error_of(parse(optional, {"a", "b", "c"})), "Too many parameters");

  CommandLine img("img", "Convert images");  // img2dcm's "imgfile-in... dcmfile-out"
  img.add_parameter("imgfile-in", "in", Cardinality::OneOrMore);
  img.add_parameter("dcmfile-out", "out");
  EXPECT_EQ(error_of(parse(img, {})), "Missing parameter imgfile-in");
  EXPECT_EQ(error_of(parse(img, {"a"})), "Missing parameter dcmfile-out");
  EXPECT_TRUE(parse(img, {"a", "b", "c"}));
  EXPECT_NE(img.help_text().find("usage: img imgfile-in... dcmfile-out\n"), std::string::npos);

  CommandLine any("any", "Any");
  any.add_parameter("files", "f", Cardinality::ZeroOrMore);
  EXPECT_TRUE(parse(any, {}));
}

TEST(CommandLineTest, ExclusiveOptionsSkipParameterChecks) {
  const CommandLine cl = make_dump_like();
  EXPECT_TRUE(parse(cl, {"--help"}));
  EXPECT_TRUE(parse(cl, {"--version", "x"}));
  // The value of +R swallows "--help", so the parameter is missing (as in DCMTK).
  EXPECT_EQ(error_of(parse(cl, {"+R", "--help"})), "Missing parameter file-in");
}

TEST(CommandLineTest, ChecksDependenceAndConflicts) {
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"-ll", "info", "+L", "x"});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->check_conflict("-ll", {"+L", "-L", "+E"}).error().message(),
            "--log-level not allowed with --print-all, --print-short or --ignore-errors");
  EXPECT_EQ(parsed->check_conflict("-ll", {"+L"}).error().message(),
            "--log-level not allowed with --print-all");
  EXPECT_TRUE(parsed->check_conflict("-ll", {"-L", "+E"}));
  EXPECT_TRUE(parsed->check_conflict("+E", {"+L"}));
  EXPECT_EQ(parsed->check_dependence("+L", "+P").error().message(),
            "--print-all only allowed with --search");
  EXPECT_TRUE(parsed->check_dependence("+E", "+P"));
  EXPECT_TRUE(parsed->check_dependence("-ll", "+L"));
}

TEST(CommandLineTest, PrintsArgumentsWithLongNames) {
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"-ll", "debug", "x", "+L"});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->arguments_message(),
            "calling 'dumper' with 4 arguments: '--log-level' 'debug' 'x' '--print-all' \n");
  EXPECT_EQ(parsed->arguments(), (std::vector<std::string>{"-ll", "debug", "x", "+L"}));
}

TEST(CommandLineTest, SplitsCommandFilesLikeDcmtk) {
  using V = std::vector<std::string>;
  EXPECT_EQ(CommandLine::split_command_file("-q +R 8\n\"a b\" c\n"),
            (V{"-q", "+R", "8", "a b", "c"}));
  EXPECT_EQ(CommandLine::split_command_file("ab\"cd\"ef g"), (V{"abcd", "ef", "g"}));
  EXPECT_EQ(CommandLine::split_command_file("\"ab\"cd"), (V{"ab", "cd"}));
  EXPECT_EQ(CommandLine::split_command_file("\"a b\"c d"), (V{"a b", "c", "d"}));
  EXPECT_EQ(CommandLine::split_command_file("\"it's\" 'say \"hi\"'"), (V{"it's", "say \"hi\""}));
  EXPECT_EQ(CommandLine::split_command_file("a\"b c"), (V{"ab c"}));
  EXPECT_EQ(CommandLine::split_command_file("a\r\n\n  b\tc"), (V{"a", "b", "c"}));
  EXPECT_EQ(CommandLine::split_command_file("\"\" x"), (V{"", "x"}));
  EXPECT_EQ(CommandLine::split_command_file("a\\ b"), (V{"a\\", "b"}));  // no escapes
  EXPECT_EQ(CommandLine::split_command_file(""), V{});
}

TEST(CommandLineTest, ExpandsCommandFiles) {
  const TempFile inner("inner.txt", "+L y");
  const TempFile outer("outer.txt", "-ll debug 'a b'\n@" + inner.path() + "\n");
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"@" + outer.path(), "x"});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->value("-ll"), "debug");
  // No nesting: "@inner" read from a file is a literal parameter.
  EXPECT_EQ(parsed->params(), (std::vector<std::string>{"a b", "@" + inner.path(), "x"}));
  EXPECT_FALSE(parsed->has("+L"));
  EXPECT_EQ(parsed->arguments_message(),
            "calling 'dumper' with 5 arguments: '--log-level' "
            "'debug' 'a b' '@" +
                inner.path() + "' 'x' \n");

  const TempFile twice("twice.txt", "+L");
  const auto repeated = parse(cl, {"@" + twice.path(), "@" + twice.path(), "x"});
  ASSERT_TRUE(repeated);
  EXPECT_EQ(repeated->count("+L"), 2u);
}

TEST(CommandLineTest, ReportsUnreadableCommandFiles) {
  const CommandLine cl = make_dump_like();
  const auto missing = parse(cl, {"@/nonexistent/dcmkit-args.txt"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::IoError);
  EXPECT_EQ(missing.error().message(), "Cannot open command file '/nonexistent/dcmkit-args.txt'");
  const std::string directory = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(error_of(parse(cl, {"@" + directory})), "Cannot open command file '" + directory + "'");
  // An empty command file adds nothing; the parameter is then missing.
  const TempFile empty("empty.txt", "");
  EXPECT_EQ(error_of(parse(cl, {"@" + empty.path()})), "Missing parameter file-in");
}

TEST(CommandLineTest, ProcessPrintsHelpWhenCalledWithoutArguments) {
  const CommandLine cl = make_dump_like();
  std::ostringstream out;
  std::ostringstream err;
  const std::array<const char*, 1> argv{"dumper"};
  const ParseOutcome outcome = cl.process(1, argv.data(), out, err);
  EXPECT_EQ(outcome.exit_code, kExitNoError);
  EXPECT_EQ(out.str(), cl.help_text());
  EXPECT_EQ(err.str(), "");
}

TEST(CommandLineTest, ProcessHandlesHelpBeforeVersion) {
  CommandLine cl = make_dump_like();
  cl.set_version_details("Host type: test\n");
  for (const std::vector<const char*>& argv :
       {std::vector<const char*>{"dumper", "--version", "-h"},
        std::vector<const char*>{"dumper", "--help", "--version"},
        std::vector<const char*>{"dumper", "+R", "abc", "--help"}}) {
    std::ostringstream out;
    std::ostringstream err;
    const ParseOutcome outcome = cl.process(static_cast<int>(argv.size()), argv.data(), out, err);
    EXPECT_EQ(outcome.exit_code, kExitNoError);
    EXPECT_EQ(out.str(), cl.help_text());
    EXPECT_EQ(err.str(), "");
  }
  std::ostringstream out;
  std::ostringstream err;
  const std::array<const char*, 2> argv{"dumper", "--version"};
  EXPECT_EQ(cl.process(2, argv.data(), out, err).exit_code, kExitNoError);
  EXPECT_EQ(out.str(),
            "$dcmkit: dumper v0.1.0 2026-11-25 $\n\ndumper: Dump test files\n\nHost type: test\n");
}

TEST(CommandLineTest, ProcessReportsErrorsLikeDcmtk) {
  const CommandLine cl = make_dump_like();
  std::ostringstream out;
  std::ostringstream err;
  const std::array<const char*, 3> argv{"dumper", "+xyz", "x"};
  const ParseOutcome outcome = cl.process(3, argv.data(), out, err);
  EXPECT_EQ(outcome.exit_code, kExitCommandLineSyntaxError);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(),
            "$dcmkit: dumper v0.1.0 2026-11-25 $\n\ndumper: Dump test files\n"
            "error: Unknown option +xyz\n");
}

TEST(CommandLineTest, ProcessReturnsParsedArguments) {
  const CommandLine cl = make_dump_like();
  std::ostringstream out;
  std::ostringstream err;
  const std::array<const char*, 3> argv{"dumper", "-L", "x"};
  const ParseOutcome outcome = cl.process(3, argv.data(), out, err);
  EXPECT_FALSE(outcome.exit_code);
  EXPECT_EQ(outcome.args.last_of({"+L", "-L"}), "-L");
  EXPECT_EQ(outcome.args.params(), std::vector<std::string>{"x"});
  EXPECT_EQ(out.str() + err.str(), "");
}

TEST(CommandLineDeathTest, AbortsOnUnregisteredOptionNames) {
  const CommandLine cl = make_dump_like();
  const auto parsed = parse(cl, {"x"});
  ASSERT_TRUE(parsed);
  EXPECT_DEATH(static_cast<void>(parsed->has("+nope")), "never registered");
  CommandLine twice("t", "t");
  twice.add_option("+a", "--aaa", "a");
  EXPECT_DEATH(twice.add_option("+a", "--bbb", "b"), "registered twice");
  EXPECT_DEATH(twice.add_option("a", "--ccc", "c"), "short option name");
  CommandLine params("p", "p");
  params.add_parameter("in", "in", Cardinality::Optional);
  EXPECT_DEATH(params.add_parameter("out", "out"), "follows an optional");
  params.add_parameter("more", "more", Cardinality::ZeroOrMore);
  EXPECT_DEATH(params.add_parameter("last", "l", Cardinality::Optional), "follows a variadic");
}

}  // namespace
}  // namespace dcmkit::ofstd
